package sqlstore_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

func TestSuggestions(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		// The people referred live at S2 4HT and are 15.
		csv := "pcd,pcd2,pcds,dointr,doterm,lat,long\n\"S2  4HT\",\"S2  4HT\",\"S2 4HT\",\"199806\",\"\",\"53.370000\",\"-1.460000\"\n"
		if _, err := sqlstore.ImportPostcodes(w.sys, w.db, strings.NewReader(csv)); err != nil {
			t.Fatal(err)
		}
		at := func(name string, lat float64, change func(*linkwork.Asset)) *linkwork.Asset {
			a := newAsset(w.vcs, name)
			a.Locations[0].Lat = lat
			if change != nil {
				change(a)
			}
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		near := at("Near Boxing", 53.372, nil)
		nearer := at("Nearer Boxing", 53.3705, nil)
		full := at("Full Boxing", 53.3701, func(a *linkwork.Asset) { a.Capacity.Status = linkwork.CapacityFull })
		adults := at("Adults Boxing", 53.3701, func(a *linkwork.Asset) { a.MinAge, a.MaxAge = 18, 0 })
		far := at("Far Boxing", 53.48, nil)
		at("Too Far Boxing", 53.9, nil)
		k := w.accept(t, w.refer(t, "Eli", "Ward"), w.linkWorker)
		ids := func(ss []linkwork.Suggestion) []string {
			var out []string
			for _, s := range ss {
				out = append(out, s.Name)
			}
			return out
		}

		t.Run("near, accepting and eligible ranks above full, ineligible and far", func(t *testing.T) {
			got, err := w.connections.FindSuggestions(w.as(w.linkWorker), k.ID, 10)
			if err != nil {
				t.Fatal(err)
			}
			want := []string{nearer.Name, near.Name, far.Name, full.Name, adults.Name}
			if strings.Join(ids(got), "|") != strings.Join(want, "|") {
				t.Fatalf("suggestions %q, want %q", ids(got), want)
			}
			if len(got[0].Reasons) == 0 || !strings.HasSuffix(got[0].Reasons[0], ".") {
				t.Errorf("reasons %q", got[0].Reasons)
			}
		})

		t.Run("how people like them fared lifts a listing from five people", func(t *testing.T) {
			// The last keeps going; the four before went once and told
			// their link worker they liked it, which counts as faring well.
			for i := range 5 {
				kk := w.accept(t, w.refer(t, "Pat"+string(rune('a'+i)), "Lowe"), w.linkWorker)
				c := &linkwork.Connection{CaseID: kk.ID, AssetID: near.ID, Level: linkwork.LevelSignpost}
				ctx := w.as(w.linkWorker)
				if err := w.connections.CreateConnection(ctx, c); err != nil {
					t.Fatal(err)
				}
				moves := []linkwork.ConnectionStatus{linkwork.ConnAttended, linkwork.ConnContinuing}
				if i < 4 {
					moves = moves[:1]
				}
				for _, to := range moves {
					var err error
					if c, err = w.connections.MoveConnection(ctx, c.ID, linkwork.ConnectionMove{To: to, Version: c.Version}); err != nil {
						t.Fatal(err)
					}
				}
				if i < 4 {
					if err := w.connections.RecordView(ctx, c.ID, &linkwork.ConnectionView{View: linkwork.ViewLikedIt, Why: "Friendly people"}); err != nil {
						t.Fatal(err)
					}
				}
				got, err := w.connections.FindSuggestions(ctx, k.ID, 2)
				if err != nil {
					t.Fatal(err)
				}
				if lifted := got[0].Name == near.Name; lifted != (i == 4) {
					t.Fatalf("after %d people fared well: %q", i+1, ids(got))
				}
			}
		})

		t.Run("a cost is weighed against the service's funds they can draw on", func(t *testing.T) {
			costly := at("Costly Boxing", 53.3702, func(a *linkwork.Asset) {
				a.CostOptions = []linkwork.CostOption{{Option: "Per session", Amount: linkwork.Int(800)}}
			})
			says := func(want string) bool {
				t.Helper()
				got, err := w.connections.FindSuggestions(w.as(w.linkWorker), k.ID, 20)
				if err != nil {
					t.Fatal(err)
				}
				for _, sg := range got {
					if sg.AssetID == costly.ID {
						return strings.Contains(strings.Join(sg.Reasons, " "), want)
					}
				}
				t.Fatalf("the costly listing is not suggested: %q", ids(got))
				return false
			}
			if !says("It costs £8 a session.") {
				t.Fatalf("without a fund, the cost is only said")
			}
			today := linkwork.DateOf(w.clock.Now())
			f := &linkwork.Fund{Name: "Activity fund for 11-18s", BudgetPence: 10000, MinAge: 11, MaxAge: 18, StartsOn: today, EndsOn: linkwork.DateOf(w.clock.Now().AddDate(1, 0, 0))}
			if err := sqlstore.NewFundService(w.db).CreateFund(w.as(w.coordinator), f); err != nil {
				t.Fatal(err)
			}
			if !says("within the funds they can draw on") {
				t.Fatalf("with a fund for their age, the cost is not weighed against it")
			}
		})

		t.Run("only those who may read the case", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.otherWorker, w.community, w.referrer} {
				_, err := w.connections.FindSuggestions(w.as(u), k.ID, 5)
				wantCode(t, err, linkwork.ENOTFOUND)
			}
		})

		t.Run("reading suggestions is audited", func(t *testing.T) {
			if got := strings.Join(auditedActions(t, w, k.ID), "|"); !strings.Contains(got, "case.suggestions.read by "+w.linkWorker.ID) {
				t.Errorf("audit trail %q", got)
			}
		})
	})
}
