package sqlstore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// wantListed checks that the kept number of listed activities is the
// number the listings themselves give, and that the home page says it.
func wantListed(t *testing.T, w *world, want int) {
	t.Helper()
	kept, counted, err := w.db.ListedCounts()
	if err != nil {
		t.Fatal(err)
	}
	if kept != counted || counted != want {
		t.Fatalf("listed activities: kept %d, counted %d, want %d", kept, counted, want)
	}
	h, err := w.home.HomeFigures(w.as(w.linkWorker))
	if err != nil {
		t.Fatal(err)
	}
	if h.Assets != want {
		t.Fatalf("the home page says %d activities are listed, want %d", h.Assets, want)
	}
	wantChecksKept(t, w)
}

// wantChecksKept checks that the kept numbers of listed activities by
// verify-by date are those the listings give, and that the home page's
// listings due a check are the listed ones past their date.
func wantChecksKept(t *testing.T, w *world) {
	t.Helper()
	diffs, err := w.db.KeptCountDiffs()
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Fatalf("kept numbers differ from the rows: %v", diffs)
	}
	list, _, err := w.assets.FindAssets(w.as(w.coordinator), linkwork.AssetFilter{StaleOn: linkwork.DateOf(w.clock.Now()), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	h, err := w.home.HomeFigures(w.as(w.linkWorker))
	if err != nil {
		t.Fatal(err)
	}
	if h.StaleAssets != len(list) {
		t.Fatalf("the home page says %d listings are due a check; a search finds %d", h.StaleAssets, len(list))
	}
}

func TestListedActivitiesAreCountedAsListingsComeAndGo(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := w.as(w.coordinator)
		wantListed(t, w, 0)
		var assets []*linkwork.Asset
		for i, st := range []linkwork.AssetStatus{linkwork.AssetActive, linkwork.AssetTempClosed, linkwork.AssetInactive, linkwork.AssetActive} {
			a := newAsset(w.vcs, fmt.Sprintf("Listing %d", i))
			a.Status = st
			if err := w.assets.CreateAsset(ctx, a); err != nil {
				t.Fatal(err)
			}
			assets = append(assets, a)
		}
		wantListed(t, w, 3)
		steps := []struct {
			name   string
			i      int
			status linkwork.AssetStatus
			want   int
		}{
			{"a listing closing leaves the directory", 0, linkwork.AssetInactive, 2},
			{"a closed listing reopening joins it", 2, linkwork.AssetActive, 3},
			{"a listing closing for a while stays in it", 3, linkwork.AssetTempClosed, 3},
			{"a listing reopening after a while stays in it", 1, linkwork.AssetActive, 3},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				a, err := w.assets.FindAssetByID(ctx, assets[s.i].ID)
				if err != nil {
					t.Fatal(err)
				}
				a.Status = s.status
				if err := w.assets.UpdateAsset(ctx, a); err != nil {
					t.Fatal(err)
				}
				wantListed(t, w, s.want)
			})
		}
		t.Run("listings past their date are due a check, by date", func(t *testing.T) {
			today := linkwork.DateOf(w.clock.Now())
			for i, days := range []int{-3, -1, -3, 0} {
				a, err := w.assets.FindAssetByID(ctx, assets[i].ID)
				if err != nil {
					t.Fatal(err)
				}
				a.VerifyBy = linkwork.DateOf(today.Time().AddDate(0, 0, days))
				if err := w.db.Exec("UPDATE assets SET verify_by = ? WHERE id = ?", a.VerifyBy.String(), a.ID); err != nil {
					t.Fatal(err)
				}
			}
			h, err := w.home.HomeFigures(w.as(w.linkWorker))
			if err != nil {
				t.Fatal(err)
			}
			// Listings 0 (closed) and 3 (due today) are not due; 1 and 2 are.
			if h.StaleAssets != 2 {
				t.Errorf("the home page says %d listings are due a check, want 2", h.StaleAssets)
			}
			wantListed(t, w, 3)
		})
		t.Run("an edit that keeps the status leaves the number", func(t *testing.T) {
			a, err := w.assets.FindAssetByID(ctx, assets[1].ID)
			if err != nil {
				t.Fatal(err)
			}
			a.Description = "Now on Thursdays too"
			if err := w.assets.UpdateAsset(ctx, a); err != nil {
				t.Fatal(err)
			}
			wantListed(t, w, 3)
		})
		t.Run("a statement changing several listings moves it by their sum", func(t *testing.T) {
			err := w.db.WriteTx(func(exec func(string, ...any) (int64, error)) error {
				_, err := exec("UPDATE assets SET status = CASE WHEN status = 'inactive' THEN 'active' ELSE 'inactive' END")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			wantListed(t, w, 1)
		})
		t.Run("a listing deleted leaves it", func(t *testing.T) {
			err := w.db.WriteTx(func(exec func(string, ...any) (int64, error)) error {
				_, err := exec("DELETE FROM assets WHERE status = 'active'")
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			wantListed(t, w, 0)
		})
	})
}

// Writers in transactions of their own at once (on PostgreSQL, truly
// concurrent: each waits for the kept row's lock and then adds to the
// newest value; SQLite has one writer at a time) each move the kept
// number by their own change, whatever order they commit in.
func TestListedActivitiesStayExactUnderConcurrentWriters(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		const writers, each, rounds = 6, 4, 5
		ids := make([][]string, writers)
		for g := range writers {
			for i := range each {
				a := newAsset(w.vcs, fmt.Sprintf("Listing %d-%d", g, i))
				if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
					t.Fatal(err)
				}
				ids[g] = append(ids[g], a.ID)
			}
		}
		wantListed(t, w, writers*each)
		var wg sync.WaitGroup
		errs := make(chan error, writers*rounds)
		for g := range writers {
			wg.Go(func() {
				for r := range rounds {
					// Each writer changes only its own listings (so that no
					// two wait for each other's rows), some one at a time
					// and some in one statement, closing and reopening.
					errs <- w.db.WriteTx(func(exec func(string, ...any) (int64, error)) error {
						status := []string{"inactive", "active", "temporarily closed"}[r%3]
						if _, err := exec("UPDATE assets SET status = ? WHERE id = ?", status, ids[g][0]); err != nil {
							return err
						}
						in := "'" + strings.Join(ids[g][1:], "', '") + "'"
						_, err := exec("UPDATE assets SET status = ? WHERE id IN ("+in+")", []string{"active", "defunct"}[(r+g)%2])
						return err
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		// Writer g's last round is rounds-1 = 4: its first listing's
		// status is "active" (4 % 3 = 1), the others' "active" when
		// (4+g) is even.
		want := 0
		for g := range writers {
			want++
			if (rounds-1+g)%2 == 0 {
				want += each - 1
			}
		}
		wantListed(t, w, want)
	})
}

// Each figure of a home page about the directory, its hand-overs and the
// triage queue is answered from an index alone (or the kept number),
// whatever the directory's and the service's size: no count reads a
// listing's, a hand-over's or a referral's row, nor every listing. (The
// count of referrals back from deferral once read every referral of the
// service for the one column its index lacked: 28 ms at 50,000 people.)
func TestHomeCountsReadIndexesAlone(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for _, u := range []*linkwork.User{w.referrer, w.linkWorker, w.coordinator, w.safeguarding, w.community, w.commissioner, w.admin} {
			qs, args := w.db.HomeCountQueries(u.Actor())
			for i, q := range qs {
				if !strings.Contains(q, "assets") && !strings.Contains(q, "directory_counts") && !strings.Contains(q, "connections") && !strings.Contains(q, "FROM referrals ") {
					continue
				}
				plan, err := w.db.PlanOf(q, args[i]...)
				if err != nil {
					t.Fatalf("%s: %s: %v", u.Name, q, err)
				}
				if len(plan.FullScans) > 0 {
					t.Errorf("%s's home: %s\nreads every row of %v:\n%s", u.Name, q, plan.FullScans, plan.Text)
				}
				// Referrals to review today are read by their partial index,
				// whose every entry is a referral counted: SQLite reads each
				// one's row to check the terms the index's condition already
				// holds, as many rows as the figure shows.
				if w.db.Dialect() == "sqlite" && strings.Contains(plan.Text, "USING INDEX") && !strings.Contains(plan.Text, "USING INDEX referrals_risk_review ") {
					t.Errorf("%s's home: %s\nreads the rows an index finds:\n%s", u.Name, q, plan.Text)
				}
				if strings.Contains(q, "org_id = ? AND verify_by") && !strings.Contains(plan.Text, "assets_org_verify") {
					t.Errorf("%s's home: %s\nis not read from assets_org_verify:\n%s", u.Name, q, plan.Text)
				}
				if strings.Contains(q, "connections") && !strings.Contains(plan.Text, "connections_asset_org_contacted") {
					t.Errorf("%s's home: %s\nis not read from connections_asset_org_contacted:\n%s", u.Name, q, plan.Text)
				}
			}
		}
	})
}

// TestTheHomeCountsDeferredReferralsBackInTheQueue: a deferred referral
// whose date has come counts as back, whether or not the job has moved
// it to triage yet, until someone decides it; one still deferred does
// not.
func TestTheHomeCountsDeferredReferralsBackInTheQueue(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ts := w.triage()
		in := func(days int) linkwork.Date { return linkwork.DateOf(w.clock.Now().AddDate(0, 0, days)) }
		var back []*linkwork.Referral
		for _, name := range []string{"One", "Two", "Three"} {
			back = append(back, w.decide(t, w.refer(t, "Dee", name), linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: in(7)}))
		}
		w.decide(t, w.refer(t, "Dee", "Later"), linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: in(30)})
		due := func() int {
			t.Helper()
			h, err := w.home.HomeFigures(w.as(w.coordinator))
			if err != nil {
				t.Fatal(err)
			}
			return h.DeferredDueBack
		}
		if n := due(); n != 0 {
			t.Fatalf("%d back before any date has come", n)
		}
		w.clock.Advance(7 * 24 * time.Hour)
		if n := due(); n != 3 {
			t.Errorf("%d back on their date, before the job runs; want 3", n)
		}
		if n, err := ts.ReturnDueDeferrals(w.sys); err != nil || n != 3 {
			t.Fatalf("returned %d, err %v", n, err)
		}
		if n := due(); n != 3 {
			t.Errorf("3 back in the queue, but the home says %d", n)
		}
		got := w.reread(t, back[0].ID)
		if _, err := w.referrals.DecideReferral(w.as(w.coordinator), got.ID, got.Version, linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "Moved away", OnwardDestination: "GP"}); err != nil {
			t.Fatal(err)
		}
		if n := due(); n != 2 {
			t.Errorf("one of 3 decided, but the home says %d back", n)
		}
	})
}
