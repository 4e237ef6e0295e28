package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// TestWorkerChoicesCountWhatWorkerLoadsCounts: the quick count of each
// link worker's open cases and weighted load, for choosing whom to
// allocate to, agrees with the full one the team's caseloads show.
func TestWorkerChoicesCountWhatWorkerLoadsCounts(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		co := w.as(w.coordinator)
		for i, worker := range []*linkwork.User{w.linkWorker, w.linkWorker, w.otherWorker, nil} {
			c := w.accept(t, w.refer(t, "Choice", string(rune('A'+i))), worker)
			if worker != nil && i == 1 {
				if _, err := w.alloc().SetComplexity(co, c.ID, c.Version, 3); err != nil {
					t.Fatal(err)
				}
			}
		}
		closed := w.accept(t, w.refer(t, "Choice", "Closed"), w.otherWorker)
		if _, err := w.cases.CloseCase(co, closed.ID, closed.Version, linkwork.CaseClosure{Reason: linkwork.ClosedMovedAway}); err != nil {
			t.Fatal(err)
		}
		full, _, err := w.alloc().WorkerLoads(co, linkwork.TeamQuery{})
		if err != nil {
			t.Fatal(err)
		}
		quick, err := w.alloc().WorkerChoices(co)
		if err != nil {
			t.Fatal(err)
		}
		if len(quick) != len(full) || len(full) < 2 {
			t.Fatalf("%d choices, %d loads", len(quick), len(full))
		}
		for i := range full {
			f, q := full[i], quick[i]
			if q.UserID != f.UserID || q.Name != f.Name || q.Cases != f.Cases || q.Weighted != f.Weighted || q.Limit != f.Limit {
				t.Errorf("choice %+v, load %+v", q, f)
			}
		}
		for _, l := range quick {
			if l.UserID == w.linkWorker.ID && (l.Cases != 2 || l.Weighted != 4) {
				t.Errorf("the link worker has %d cases weighted %d, want 2 weighted 4", l.Cases, l.Weighted)
			}
		}
		_, err = w.alloc().WorkerChoices(w.as(w.referrer))
		wantCode(t, err, linkwork.EFORBIDDEN)
	})
}

// TestWorkerLoadsCountWhatEachCaseloadHasOverdue: the team's count of
// each worker's cases with something overdue is what their caseload
// shows overdue, a closed case whose follow-up is due included.
func TestWorkerLoadsCountWhatEachCaseloadHasOverdue(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		co := w.as(w.coordinator)
		w.accept(t, w.refer(t, "Over", "Due"), w.linkWorker)
		w.accept(t, w.refer(t, "Still", "Open"), w.otherWorker)
		closed := w.accept(t, w.refer(t, "Follow", "Up"), w.otherWorker)
		if _, err := w.cases.CloseCase(co, closed.ID, closed.Version, linkwork.CaseClosure{Reason: linkwork.ClosedGoalsMet, FollowUpOn: linkwork.DateOf(w.clock.Now().AddDate(0, 0, 7))}); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(8 * 24 * time.Hour)
		loads, _, err := w.alloc().WorkerLoads(co, linkwork.TeamQuery{})
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, l := range loads {
			items, err := w.alloc().Caseload(co, linkwork.CaseloadQuery{WorkerID: l.UserID})
			if err != nil {
				t.Fatal(err)
			}
			overdue, followUps := 0, 0
			for _, it := range items {
				if it.IsOverdue() {
					overdue++
				}
				if slices.Contains(it.Overdue, linkwork.OverdueFollowUp) {
					followUps++
				}
			}
			if l.Overdue != overdue {
				t.Errorf("%s: the team counts %d overdue, the caseload shows %d", l.Name, l.Overdue, overdue)
			}
			if l.UserID == w.otherWorker.ID {
				seen++
				if followUps != 1 || l.Cases != 1 {
					t.Errorf("%s: %d follow-ups due and %d open cases, want 1 and 1", l.Name, followUps, l.Cases)
				}
			}
		}
		if seen != 1 {
			t.Fatalf("the other worker is not in the team: %+v", loads)
		}
	})
}

// TestAnyoneWaitingSaysWhetherTheListIsEmpty: the link worker's caseload
// asks only whether anyone waits, and gets the answer the list gives.
func TestAnyoneWaitingSaysWhetherTheListIsEmpty(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		lw := w.as(w.linkWorker)
		if any, err := w.alloc().AnyoneWaiting(lw); err != nil || any {
			t.Fatalf("an empty waiting list: %v %v", any, err)
		}
		w.accept(t, w.refer(t, "Wai", "Ting"), nil)
		if any, err := w.alloc().AnyoneWaiting(lw); err != nil || !any {
			t.Fatalf("one person waiting: %v %v", any, err)
		}
		if any, err := w.alloc().AnyoneWaiting(w.as(w.foreignCoord)); err != nil || any {
			t.Fatalf("another service's list: %v %v", any, err)
		}
		_, err := w.alloc().AnyoneWaiting(w.as(w.referrer))
		wantCode(t, err, linkwork.EFORBIDDEN)
	})
}

// TestTheDemoCitysTeamCountsWhatEachCaseloadHasOverdue: across the demo
// city's link workers, whose cases are late in every way a caseload
// shows (first contact, gone quiet, a review, a signpost to follow
// through, a follow-up), the team's load reads each worker's open cases
// and overdue count as their caseload does.
func TestTheDemoCitysTeamCountsWhatEachCaseloadHasOverdue(t *testing.T) {
	eachDemoCity(t, func(t *testing.T, db *sqlstore.DB, _ map[string]bool) {
		sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
		coords, _, err := sqlstore.NewUserService(db).FindUsers(sys, linkwork.UserFilter{Role: linkwork.RoleCoordinator})
		if err != nil || len(coords) == 0 {
			t.Fatalf("the demo's coordinators: %v %v", coords, err)
		}
		co := linkwork.NewContext(context.Background(), coords[0].Actor())
		alloc := sqlstore.NewAllocationService(db)
		loads, _, err := alloc.WorkerLoads(co, linkwork.TeamQuery{})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[linkwork.Overdue]int{}
		cases := 0
		for _, l := range loads {
			items, err := alloc.Caseload(co, linkwork.CaseloadQuery{WorkerID: l.UserID})
			if err != nil {
				t.Fatal(err)
			}
			open, weighted, overdue := 0, 0, 0
			for _, it := range items {
				if st := it.Case.Status; st == linkwork.CaseActive || st == linkwork.CaseEnding {
					open++
					weighted += max(it.Case.Complexity, 1)
				}
				if it.IsOverdue() {
					overdue++
				}
				for _, o := range it.Overdue {
					kinds[o]++
				}
			}
			cases += open
			if l.Cases != open || l.Weighted != weighted || l.Overdue != overdue {
				t.Errorf("%s: the team counts %d open cases (%d weighted), %d overdue; the caseload shows %d (%d), %d",
					l.Name, l.Cases, l.Weighted, l.Overdue, open, weighted, overdue)
			}
		}
		t.Logf("%d open cases, late: %v", cases, kinds)
		// The comparison says something only if the city's caseloads are
		// late in more than one way.
		if cases < 20 || len(kinds) < 3 {
			t.Fatalf("the demo's caseloads hold %d open cases, late in %d ways (%v): too few to compare", cases, len(kinds), kinds)
		}
	})
}
