package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestCaseworkPagesRunAFixedNumberOfQueries: the case page and the
// caseload cost the same number of statements for a case with little on
// it and one with a long history, and for a short caseload and a long
// one — a page whose cost grows with its rows has a loop of queries.
func TestCaseworkPagesRunAFixedNumberOfQueries(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		worker, coord := f.users[linkwork.RoleLinkWorker], f.users[linkwork.RoleCoordinator]
		lw := linkwork.NewContext(ctx, worker.Actor())
		co := linkwork.NewContext(ctx, coord.Actor())
		count := func(path string) int64 {
			t.Helper()
			before := db.Queries()
			status, body, _ := f.do(f.clients[linkwork.RoleLinkWorker], "GET", path, "", "", nil)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, status, body)
			}
			return db.Queries() - before
		}

		// Goals mandated at every point for every band, so that the
		// caseload and the case page read which measures are due.
		set, err := f.services.Triage.ServiceSettings(ctx, coord.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range linkwork.AgeBands {
			set.Measures.Uses = append(set.Measures.Uses, linkwork.MeasureUse{Band: b.Key, Instrument: linkwork.InstrumentGBO, Timepoints: linkwork.Timepoints, Mandated: true})
		}
		if err := f.services.Triage.SaveServiceSettings(co, set); err != nil {
			t.Fatal(err)
		}

		cases, _, err := f.services.Cases.FindCases(lw, linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseActive}, Limit: 1})
		if err != nil || len(cases) == 0 {
			t.Fatalf("the link worker has no active case: %v", err)
		}
		c := cases[0]
		path := "/cases/" + c.ID
		few := count(path)

		// A long history: many contacts, a booking, goals rated again and
		// again, actions and reviews.
		start := time.Now().Add(-60 * 24 * time.Hour)
		for i := range 20 {
			k := &linkwork.Contact{CaseID: c.ID, At: start.Add(time.Duration(i) * 48 * time.Hour), Mode: linkwork.ContactFaceToFace, LocationType: "school", Outcome: linkwork.ContactAttended, Minutes: 40}
			if err := f.services.Cases.AddContact(lw, k); err != nil {
				t.Fatalf("contact %d: %v", i, err)
			}
		}
		if err := f.services.Cases.AddContact(lw, &linkwork.Contact{CaseID: c.ID, At: time.Now().Add(72 * time.Hour), Mode: linkwork.ContactFaceToFace, LocationType: "youth_hub", Outcome: linkwork.ContactBooked}); err != nil {
			t.Fatalf("booking: %v", err)
		}
		goals, err := f.services.Cases.FindGoals(lw, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		open := 0
		for _, g := range goals {
			if !g.Achieved {
				open++
			}
		}
		for i := open; i < 3; i++ {
			g := &linkwork.Goal{CaseID: c.ID, Text: fmt.Sprintf("Goal %d", i)}
			if err := f.services.Cases.AddGoal(lw, g); err != nil {
				t.Fatalf("goal: %v", err)
			}
		}
		if goals, err = f.services.Cases.FindGoals(lw, c.ID); err != nil {
			t.Fatal(err)
		}
		for _, g := range goals {
			if g.Achieved {
				continue
			}
			for r := range 5 {
				if _, err := f.services.Cases.RateGoal(lw, g.ID, r*2, linkwork.ScaleNumbers); err != nil {
					t.Fatalf("rating: %v", err)
				}
			}
		}
		for i := range 4 {
			if err := f.services.Cases.AddAction(lw, &linkwork.CaseAction{CaseID: c.ID, Who: linkwork.ActionByPerson, What: fmt.Sprintf("Step %d", i)}); err != nil {
				t.Fatalf("action: %v", err)
			}
		}
		if got := count(path); got != few {
			t.Errorf("the case page ran %d statements with a long history, %d with a short one", got, few)
		}

		// A longer caseload: the coordinator hands another worker's cases
		// over.
		short := count("/caseload")
		loads, _, err := f.services.Allocation.WorkerLoads(co, linkwork.TeamQuery{})
		if err != nil {
			t.Fatal(err)
		}
		moved := 0
		for _, l := range loads {
			if l.UserID == worker.ID || l.Cases == 0 {
				continue
			}
			n, err := f.services.Allocation.HandOverCaseload(co, l.UserID, worker.ID, "Covering while they are away")
			if err != nil {
				t.Fatal(err)
			}
			moved += n
		}
		if moved == 0 {
			t.Fatal("no other worker's cases to hand over")
		}
		if got := count("/caseload"); got != short {
			t.Errorf("the caseload ran %d statements with %d more cases, %d before", got, moved, short)
		}
	})
}
