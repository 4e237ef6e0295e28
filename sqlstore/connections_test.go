package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

func newAsset(org *linkwork.Organisation, name string) *linkwork.Asset {
	return &linkwork.Asset{
		OrgID: org.ID, Name: name, Description: "Friendly weekly session", Categories: []linkwork.Category{linkwork.CategorySports},
		Status: linkwork.AssetActive, HowToJoin: linkwork.JoinDropIn, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting}, MinAge: 11, MaxAge: 18,
		CostOptions: linkwork.FreeOfCharge(),
		Locations:   []linkwork.Location{{Type: linkwork.LocationPhysical, Name: "Hall", Address1: "1 Park Road", City: "Millbrook", PostalCode: "s2 4ht", Lat: 53.37, Lon: -1.46}},
		Schedules:   []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "TU", OpensAt: "18:00", ClosesAt: "19:30"}},
	}
}

func TestConnections(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		boxing := newAsset(w.vcs, "Youth Boxing")
		arts := newAsset(w.otherVCS, "Open Studio")
		for _, a := range []*linkwork.Asset{boxing, arts} {
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
		}
		k := w.accept(t, w.refer(t, "Eli", "Ward"), w.linkWorker)
		w.agreeToShare(t, k.PersonID)
		ctx := w.as(w.linkWorker)
		var c *linkwork.Connection
		t.Run("the link worker suggests an activity", func(t *testing.T) {
			wantField(t, w.connections.CreateConnection(ctx, &linkwork.Connection{CaseID: k.ID, AssetID: boxing.ID, Level: "carry"}), "level")
			wantField(t, w.connections.CreateConnection(ctx, &linkwork.Connection{CaseID: k.ID, AssetID: "nope", Level: linkwork.LevelRefer}), "asset_id")
			wantCode(t, w.connections.CreateConnection(w.as(w.otherWorker), &linkwork.Connection{CaseID: k.ID, AssetID: boxing.ID, Level: linkwork.LevelRefer}), linkwork.ENOTFOUND)
			c = &linkwork.Connection{CaseID: k.ID, AssetID: boxing.ID, Level: linkwork.LevelBuddy, FundPence: 1500}
			if err := w.connections.CreateConnection(ctx, c); err != nil {
				t.Fatal(err)
			}
			if c.Status != linkwork.ConnSuggested || c.PersonID != k.PersonID || c.FundPence != 0 {
				t.Fatalf("connection %+v", c)
			}
			w.clock.Advance(time.Second)
			if err := w.connections.CreateConnection(ctx, &linkwork.Connection{CaseID: k.ID, AssetID: arts.ID, Level: linkwork.LevelSignpost}); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("a suggestion shows the community organisation nobody", func(t *testing.T) {
			_, total, err := w.connections.FindConnections(w.as(w.community), linkwork.ConnectionFilter{})
			if err != nil || total != 0 {
				t.Fatalf("%d connections, err %v", total, err)
			}
			_, err = w.people.FindPersonByID(w.as(w.community), k.PersonID)
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("moves follow the journey", func(t *testing.T) {
			var err error
			_, err = w.connections.MoveConnection(ctx, c.ID, linkwork.ConnectionMove{To: linkwork.ConnContinuing, Version: c.Version})
			wantField(t, err, "to")
			c, err = w.connections.MoveConnection(ctx, c.ID, linkwork.ConnectionMove{To: linkwork.ConnContacted, Version: c.Version, Note: "Rang the coach"})
			if err != nil || c.Status != linkwork.ConnContacted {
				t.Fatalf("%+v %v", c, err)
			}
			_, err = w.connections.MoveConnection(ctx, c.ID, linkwork.ConnectionMove{To: linkwork.ConnAccepted, Version: c.Version - 1})
			wantCode(t, err, linkwork.ECONFLICT)
		})
		t.Run("the community organisation sees only connections to its own activities", func(t *testing.T) {
			list, total, err := w.connections.FindConnections(w.as(w.community), linkwork.ConnectionFilter{})
			if err != nil || total != 1 || list[0].ID != c.ID {
				t.Fatalf("%d connections, err %v", total, err)
			}
			if list[0].Note != "" || list[0].LinkWorkerName != w.linkWorker.Name {
				t.Fatalf("community reads the link worker's note, or not who to talk to: %+v", list[0])
			}
			p, err := w.people.FindPersonByID(w.as(w.community), k.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			if p.GivenName != "Eli" || p.Postcode != "" || !p.DateOfBirth.IsZero() || len(p.Guardians) != 0 || len(p.Consents) != 0 {
				t.Fatalf("community sees more than it needs: %+v", p)
			}
			if p.Phone == "" || len(p.Contact.Channels) == 0 {
				t.Fatalf("community cannot see how to contact them: %+v", p)
			}
			_, err = w.referrals.FindReferralByID(w.as(w.community), k.ReferralID)
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("the community organisation answers but does not manage", func(t *testing.T) {
			cctx := w.as(w.community)
			_, err := w.connections.MoveConnection(cctx, c.ID, linkwork.ConnectionMove{To: linkwork.ConnContacted, Version: c.Version})
			wantCode(t, err, linkwork.EFORBIDDEN)
			got, err := w.connections.MoveConnection(cctx, c.ID, linkwork.ConnectionMove{To: linkwork.ConnAccepted, Version: c.Version, Note: "Welcome on Tuesday"})
			if err != nil || got.Status != linkwork.ConnAccepted || got.Note != "" {
				t.Fatalf("%+v %v", got, err)
			}
			mine, _, err := w.connections.FindConnections(ctx, linkwork.ConnectionFilter{CaseID: k.ID})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range mine {
				if x.ID == c.ID && x.Note != "Rang the coach\n\n"+w.vcs.Name+": Welcome on Tuesday" {
					t.Fatalf("the link worker's note and the answer: %q", x.Note)
				}
			}
			c = got
			h, err := w.home.HomeFigures(cctx)
			if err != nil || h.MyListings != 1 || h.ConnectionsToMe != 0 {
				t.Fatalf("community home %+v %v", h, err)
			}
		})
		t.Run("a listing that changes hands takes its people with it", func(t *testing.T) {
			cctx := w.as(w.community)
			move := func(to *linkwork.Organisation) {
				t.Helper()
				a, err := w.assets.FindAssetByID(w.as(w.coordinator), boxing.ID)
				if err != nil {
					t.Fatal(err)
				}
				a.OrgID = to.ID
				if err := w.assets.UpdateAsset(w.as(w.coordinator), a); err != nil {
					t.Fatal(err)
				}
			}
			move(w.otherVCS)
			if _, total, err := w.connections.FindConnections(cctx, linkwork.ConnectionFilter{}); err != nil || total != 0 {
				t.Fatalf("the organisation that gave the listing away still sees %d connections (%v)", total, err)
			}
			_, err := w.people.FindPersonByID(cctx, k.PersonID)
			wantCode(t, err, linkwork.ENOTFOUND)
			move(w.vcs)
			list, total, err := w.connections.FindConnections(cctx, linkwork.ConnectionFilter{})
			if err != nil || total != 1 || list[0].ID != c.ID {
				t.Fatalf("the organisation the listing came back to sees %d connections (%v)", total, err)
			}
			if _, err := w.people.FindPersonByID(cctx, k.PersonID); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("no connections for a closed case", func(t *testing.T) {
			cur, _ := w.cases.FindCaseByID(ctx, k.ID)
			if _, err := w.cases.CloseCase(ctx, k.ID, cur.Version, linkwork.CaseClosure{Reason: linkwork.ClosedGoalsMet}); err != nil {
				t.Fatal(err)
			}
			wantCode(t, w.connections.CreateConnection(ctx, &linkwork.Connection{CaseID: k.ID, AssetID: arts.ID, Level: linkwork.LevelSignpost}), linkwork.EINVALID)
		})
	})
}

func TestConnectionMoves(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		boxing := newAsset(w.vcs, "Youth Boxing")
		if err := w.assets.CreateAsset(w.as(w.coordinator), boxing); err != nil {
			t.Fatal(err)
		}
		k := w.accept(t, w.refer(t, "Ada", "Moss"), w.linkWorker)
		w.agreeToShare(t, k.PersonID)
		lw, co, vcs := w.as(w.linkWorker), w.as(w.coordinator), w.as(w.community)
		connect := func(t *testing.T) *linkwork.Connection {
			t.Helper()
			c := &linkwork.Connection{CaseID: k.ID, AssetID: boxing.ID, Level: linkwork.LevelRefer}
			if err := w.connections.CreateConnection(lw, c); err != nil {
				t.Fatal(err)
			}
			return c
		}
		move := func(t *testing.T, ctx context.Context, c *linkwork.Connection, m linkwork.ConnectionMove) *linkwork.Connection {
			t.Helper()
			m.Version = c.Version
			got, err := w.connections.MoveConnection(ctx, c.ID, m)
			if err != nil {
				t.Fatalf("move to %s: %v", m.To, err)
			}
			w.clock.Advance(time.Minute)
			return got
		}

		t.Run("who may make each move", func(t *testing.T) {
			tests := []struct {
				name string
				who  *linkwork.User
				path []linkwork.ConnectionStatus // moves made first, by the link worker
				to   linkwork.ConnectionStatus
				code string
			}{
				{"the link worker contacts the group", w.linkWorker, nil, linkwork.ConnContacted, ""},
				{"the coordinator moves a connection of the service", w.coordinator, nil, linkwork.ConnContacted, ""},
				{"another link worker does not see it", w.otherWorker, nil, linkwork.ConnContacted, linkwork.ENOTFOUND},
				{"a referrer does not see it", w.referrer, nil, linkwork.ConnContacted, linkwork.ENOTFOUND},
				{"the group does not see a suggestion", w.community, nil, linkwork.ConnAccepted, linkwork.ENOTFOUND},
				{"the group accepts", w.community, []linkwork.ConnectionStatus{linkwork.ConnContacted}, linkwork.ConnAccepted, ""},
				{"the group does not contact itself", w.community, []linkwork.ConnectionStatus{linkwork.ConnContacted}, linkwork.ConnContacted, linkwork.EFORBIDDEN},
				{"another link worker does not see it once live", w.otherWorker, []linkwork.ConnectionStatus{linkwork.ConnContacted}, linkwork.ConnAccepted, linkwork.ENOTFOUND},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					c := connect(t)
					for _, to := range tt.path {
						c = move(t, lw, c, linkwork.ConnectionMove{To: to})
					}
					_, err := w.connections.MoveConnection(w.as(tt.who), c.ID, linkwork.ConnectionMove{To: tt.to, Version: c.Version})
					if tt.code == "" {
						if err != nil {
							t.Fatal(err)
						}
						return
					}
					wantCode(t, err, tt.code)
				})
			}
		})

		t.Run("a move that ends a connection says why", func(t *testing.T) {
			c := move(t, lw, connect(t), linkwork.ConnectionMove{To: linkwork.ConnContacted})
			_, err := w.connections.MoveConnection(vcs, c.ID, linkwork.ConnectionMove{To: linkwork.ConnDeclined, Version: c.Version})
			wantField(t, err, "reason")
			_, err = w.connections.MoveConnection(vcs, c.ID, linkwork.ConnectionMove{To: linkwork.ConnDeclined, Version: c.Version, Reason: "busy"})
			wantField(t, err, "reason")
			got := move(t, vcs, c, linkwork.ConnectionMove{To: linkwork.ConnDeclined, Reason: string(linkwork.DeclineFull), Note: "Try us in spring"})
			if got.Status != linkwork.ConnDeclined {
				t.Fatalf("status %s", got.Status)
			}
			// The link worker hears of it at once, with the way to the
			// case's ranked alternatives.
			notes, _, _, err := sqlstore.NewNotificationService(w.db).FindNotifications(lw, false, 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			var told *linkwork.Notification
			for _, n := range notes {
				if n.Kind == linkwork.NoteConnectionDeclined && n.Link == "/cases/"+c.CaseID+"?suggest=1#suggestions" {
					told = n
				}
			}
			if told == nil || !strings.Contains(told.Body, "no places") || told.Email != "" {
				t.Fatalf("the link worker is not told, in the app only, that the group cannot take them: %+v", told)
			}
			d := move(t, lw, connect(t), linkwork.ConnectionMove{To: linkwork.ConnContacted})
			_, err = w.connections.MoveConnection(co, d.ID, linkwork.ConnectionMove{To: linkwork.ConnDropped, Version: d.Version})
			wantField(t, err, "reason")
			move(t, co, d, linkwork.ConnectionMove{To: linkwork.ConnDropped, Reason: "Moved away"})
		})

		t.Run("every move is dated, by whom, in order", func(t *testing.T) {
			k2 := w.accept(t, w.refer(t, "Bo", "Lane"), w.linkWorker)
			w.agreeToShare(t, k2.PersonID)
			c := &linkwork.Connection{CaseID: k2.ID, AssetID: boxing.ID, Level: linkwork.LevelRefer}
			if err := w.connections.CreateConnection(lw, c); err != nil {
				t.Fatal(err)
			}
			created := c.CreatedAt
			w.clock.Advance(time.Minute)
			c = move(t, lw, c, linkwork.ConnectionMove{To: linkwork.ConnContacted})
			accepted := w.clock.Now()
			c = move(t, vcs, c, linkwork.ConnectionMove{To: linkwork.ConnAccepted})
			c = move(t, lw, c, linkwork.ConnectionMove{To: linkwork.ConnDropped, Reason: "Stopped going"})
			moves, err := w.connections.FindConnectionMoves(lw, k2.ID)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, m := range moves {
				got = append(got, string(m.From)+">"+string(m.To)+" "+m.Reason+" by "+m.ByName)
				if m.ConnectionID != c.ID {
					t.Errorf("a move of another connection: %+v", m)
				}
			}
			want := []string{">suggested  by " + w.linkWorker.Name, "suggested>contacted  by " + w.linkWorker.Name,
				"contacted>accepted  by " + w.community.Name, "accepted>dropped Stopped going by " + w.linkWorker.Name}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Fatalf("moves\n got %q\nwant %q", got, want)
			}
			if !moves[0].At.Equal(created) || !moves[2].At.Equal(accepted) {
				t.Fatalf("dated %v and %v, want %v and %v", moves[0].At, moves[2].At, created, accepted)
			}
			others, err := w.connections.FindConnectionMoves(w.as(w.otherWorker), k2.ID)
			if err != nil || len(others) != 0 {
				t.Fatalf("another link worker reads %d moves, err %v", len(others), err)
			}
		})

		t.Run("creating and moving are in the audit trail", func(t *testing.T) {
			c := move(t, lw, connect(t), linkwork.ConnectionMove{To: linkwork.ConnContacted})
			move(t, vcs, c, linkwork.ConnectionMove{To: linkwork.ConnDeclined, Reason: string(linkwork.DeclineNotRunning)})
			got := strings.Join(auditedActions(t, w, c.ID), "|")
			for _, want := range []string{"connection.create by " + w.linkWorker.ID, "connection.move by " + w.linkWorker.ID, "connection.move by " + w.community.ID} {
				if !strings.Contains(got, want) {
					t.Errorf("audit trail %q lacks %q", got, want)
				}
			}
			if _, err := w.connections.FindConnectionMoves(lw, k.ID); err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(auditedActions(t, w, k.ID), "|"); !strings.Contains(got, "connection.moves by "+w.linkWorker.ID) {
				t.Errorf("reading the moves is not audited: %q", got)
			}
		})
	})
}

func TestMeasures(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		k := w.referAllocated(t, adult("Fin", "Hart"))
		ctx := w.as(w.linkWorker)
		tests := []struct {
			name   string
			m      linkwork.MeasureResponse
			field  string
			score  float64
			scored bool
		}{
			{"SWEMWBS is stored as its metric score", linkwork.MeasureResponse{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(3, 3, 3, 3, 3, 3, 3)}, "", 19.25, true},
			{"WEMWBS is summed", linkwork.MeasureResponse{Instrument: linkwork.InstrumentWEMWBS, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4)}, "", 40, true},
			{"ONS4 is never summed", linkwork.MeasureResponse{Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(5, 6, 4, 7)}, "", 0, false},
			{"an answer out of range is named", linkwork.MeasureResponse{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(3, 3, 3, 9, 3, 3, 3)}, "answers[3]", 0, false},
			{"too few answers", linkwork.MeasureResponse{Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(5)}, "answers", 0, false},
			{"an unknown timepoint", linkwork.MeasureResponse{Instrument: linkwork.InstrumentONS4, Timepoint: "whenever", Answers: linkwork.Ints(5, 5, 5, 5)}, "timepoint", 0, false},
			{"GBO needs a goal per rating", linkwork.MeasureResponse{Instrument: linkwork.InstrumentGBO, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(4)}, "goal_ids", 0, false},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				m := tt.m
				m.CaseID = k.ID
				err := w.measures.RecordMeasure(ctx, &m)
				if tt.field != "" {
					wantField(t, err, tt.field)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				list, err := w.measures.FindMeasures(ctx, k.ID)
				if err != nil {
					t.Fatal(err)
				}
				got := list[len(list)-1]
				if got.ID != m.ID || got.HasScore != tt.scored || got.Score != tt.score || len(got.Answers) != len(m.Answers) || got.PersonID != k.PersonID {
					t.Fatalf("stored %+v", got)
				}
				w.clock.Advance(time.Second)
			})
		}
		t.Run("GBO rates this case's goals", func(t *testing.T) {
			g := &linkwork.Goal{CaseID: k.ID, Text: "Join a club"}
			if err := w.cases.AddGoal(ctx, g); err != nil {
				t.Fatal(err)
			}
			m := &linkwork.MeasureResponse{CaseID: k.ID, Instrument: linkwork.InstrumentGBO, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(2), GoalIDs: []string{g.ID}}
			if err := w.measures.RecordMeasure(ctx, m); err != nil {
				t.Fatal(err)
			}
			m2 := &linkwork.MeasureResponse{CaseID: k.ID, Instrument: linkwork.InstrumentGBO, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(2), GoalIDs: []string{"someone-elses"}}
			wantField(t, w.measures.RecordMeasure(ctx, m2), "goal_ids")
		})
		t.Run("others cannot record or read", func(t *testing.T) {
			m := &linkwork.MeasureResponse{CaseID: k.ID, Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointEnd, Answers: linkwork.Ints(5, 5, 5, 5)}
			wantCode(t, w.measures.RecordMeasure(w.as(w.otherWorker), m), linkwork.ENOTFOUND)
			wantCode(t, w.measures.RecordMeasure(w.as(w.commissioner), m), linkwork.ENOTFOUND)
			_, err := w.measures.FindMeasures(w.as(w.referrer), k.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
		})
	})
}

func TestAssets(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		boxing := newAsset(w.vcs, "Youth Boxing")
		t.Run("the community organisation lists its own activities only", func(t *testing.T) {
			if err := w.assets.CreateAsset(w.as(w.community), boxing); err != nil {
				t.Fatal(err)
			}
			wantCode(t, w.assets.CreateAsset(w.as(w.community), newAsset(w.otherVCS, "Not ours")), linkwork.EFORBIDDEN)
			wantCode(t, w.assets.CreateAsset(w.as(w.linkWorker), newAsset(w.vcs, "LW")), linkwork.EFORBIDDEN)
			wantCode(t, w.assets.CreateAsset(w.as(w.referrer), newAsset(w.vcs, "GP")), linkwork.EFORBIDDEN)
		})
		t.Run("bad listings are named", func(t *testing.T) {
			a := newAsset(w.vcs, "")
			a.Categories = []linkwork.Category{"knitting"}
			a.Locations[0].PostalCode = "ZZ"
			a.MinAge, a.MaxAge = 18, 11
			err := w.assets.CreateAsset(w.as(w.coordinator), a)
			for _, f := range []string{"name", "categories", "locations[0].postal_code", "min_age"} {
				wantField(t, err, f)
			}
		})
		t.Run("anyone reads the directory, signed in or not", func(t *testing.T) {
			got, err := w.assets.FindAssetByID(w.sys, boxing.ID)
			if err != nil || got.Locations[0].PostalCode != "S2 4HT" || len(got.Schedules) != 1 || len(got.Categories) != 1 {
				t.Fatalf("%+v %v", got, err)
			}
			anon := t.Context()
			if _, err := w.assets.FindAssetByID(anon, boxing.ID); err != nil {
				t.Fatalf("anonymous read: %v", err)
			}
			_, err = w.assets.FindAssetByID(anon, "nope")
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("filters", func(t *testing.T) {
			paid := newAsset(w.otherVCS, "Pottery for adults")
			paid.CostOptions = []linkwork.CostOption{{Option: "Per session", Amount: linkwork.Int(600)}}
			paid.MinAge, paid.MaxAge, paid.Categories = 18, 0, []linkwork.Category{linkwork.CategoryCreative}
			paid.Capacity.Status = linkwork.CapacityFull
			paid.VerifyBy = linkwork.DateOf(w.clock.Now().AddDate(0, 0, -1))
			if err := w.assets.CreateAsset(w.as(w.coordinator), paid); err != nil {
				t.Fatal(err)
			}
			today := linkwork.DateOf(w.clock.Now())
			for _, tt := range []struct {
				name string
				f    linkwork.AssetFilter
				want []string
			}{
				{"everything", linkwork.AssetFilter{}, []string{paid.ID, boxing.ID}},
				{"text", linkwork.AssetFilter{Query: "box"}, []string{boxing.ID}},
				{"category", linkwork.AssetFilter{Category: linkwork.CategoryCreative}, []string{paid.ID}},
				{"a 15-year-old", linkwork.AssetFilter{Age: 15}, []string{boxing.ID}},
				{"a 40-year-old", linkwork.AssetFilter{Age: 40}, []string{paid.ID}},
				{"free only", linkwork.AssetFilter{FreeOnly: true}, []string{boxing.ID}},
				{"accepting now", linkwork.AssetFilter{Accepting: true}, []string{boxing.ID}},
				{"one organisation", linkwork.AssetFilter{OrgID: w.otherVCS.ID}, []string{paid.ID}},
				{"stale", linkwork.AssetFilter{StaleOn: today}, []string{paid.ID}},
			} {
				list, total, err := w.assets.FindAssets(t.Context(), tt.f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, m := range list {
					got = append(got, m.Asset.ID)
				}
				if total != len(tt.want) || len(got) != len(tt.want) || (len(got) > 0 && got[0] != tt.want[0]) {
					t.Errorf("%s: got %v (total %d), want %v", tt.name, got, total, tt.want)
				}
			}
		})
		t.Run("updates are versioned", func(t *testing.T) {
			a, _ := w.assets.FindAssetByID(w.sys, boxing.ID)
			a.Capacity.Status = linkwork.CapacityWaiting
			if err := w.assets.UpdateAsset(w.as(w.community), a); err != nil {
				t.Fatal(err)
			}
			a.Version--
			wantCode(t, w.assets.UpdateAsset(w.as(w.community), a), linkwork.ECONFLICT)
			a.Version++
			a.OrgID = w.otherVCS.ID
			wantCode(t, w.assets.UpdateAsset(w.as(w.community), a), linkwork.EFORBIDDEN)
		})
	})
}
