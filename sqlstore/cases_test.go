package sqlstore_test

import (
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func TestCases(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		mine := w.accept(t, w.refer(t, "Ash", "Mine"), w.linkWorker)
		theirs := w.accept(t, w.refer(t, "Bo", "Theirs"), w.otherWorker)
		waitingA := w.accept(t, w.refer(t, "Cy", "Waiting"), nil)
		w.clock.Advance(time.Hour)
		waitingB := w.accept(t, w.refer(t, "Di", "Waiting"), nil)

		t.Run("a link worker sees only their own caseload", func(t *testing.T) {
			list, total, err := w.cases.FindCases(w.as(w.linkWorker), linkwork.CaseFilter{})
			if err != nil || total != 1 || list[0].ID != mine.ID {
				t.Fatalf("%d cases, err %v", total, err)
			}
			_, err = w.cases.FindCaseByID(w.as(w.linkWorker), theirs.ID)
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("the waiting list is oldest first", func(t *testing.T) {
			list, total, err := w.cases.FindCases(w.as(w.coordinator), linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseWaiting}})
			if err != nil || total != 2 || list[0].ID != waitingA.ID || list[1].ID != waitingB.ID {
				t.Fatalf("waiting list %d, err %v", total, err)
			}
		})
		t.Run("who sees cases", func(t *testing.T) {
			for _, tt := range []struct {
				who  *linkwork.User
				want int
			}{{w.coordinator, 4}, {w.safeguarding, 4}, {w.otherWorker, 1}, {w.referrer, 0}, {w.community, 0}, {w.commissioner, 0}, {w.admin, 0}, {w.foreignCoord, 0}} {
				_, total, err := w.cases.FindCases(w.as(tt.who), linkwork.CaseFilter{})
				if err != nil || total != tt.want {
					t.Errorf("%s %s sees %d cases (err %v), want %d", tt.who.Role, tt.who.Name, total, err, tt.want)
				}
			}
		})
		t.Run("only coordinators allocate, and only to link workers", func(t *testing.T) {
			_, err := w.cases.AllocateCase(w.as(w.linkWorker), waitingA.ID, waitingA.Version, w.linkWorker.ID)
			wantCode(t, err, linkwork.ENOTFOUND) // not on their caseload, so not visible
			_, err = w.cases.AllocateCase(w.as(w.safeguarding), waitingA.ID, waitingA.Version, w.linkWorker.ID)
			wantCode(t, err, linkwork.EFORBIDDEN)
			_, err = w.cases.AllocateCase(w.as(w.coordinator), waitingA.ID, waitingA.Version, w.safeguarding.ID)
			wantField(t, err, "link_worker_id")
			c, err := w.cases.AllocateCase(w.as(w.coordinator), waitingA.ID, waitingA.Version, w.linkWorker.ID)
			if err != nil || c.Status != linkwork.CaseActive || c.LinkWorkerID != w.linkWorker.ID {
				t.Fatalf("allocate: %+v %v", c, err)
			}
			_, err = w.cases.AllocateCase(w.as(w.coordinator), waitingA.ID, c.Version, w.otherWorker.ID)
			wantField(t, err, "status")
			_, err = w.cases.AllocateCase(w.as(w.coordinator), waitingB.ID, waitingB.Version+1, w.linkWorker.ID)
			wantCode(t, err, linkwork.ECONFLICT)
		})
		t.Run("the link worker records the plan, contacts and goals", func(t *testing.T) {
			ctx := w.as(w.linkWorker)
			c, _ := w.cases.FindCaseByID(ctx, mine.ID)
			c.WhatMatters, c.PlannedSessions, c.Status = "Getting back to football", 8, linkwork.CaseEnding
			if err := w.cases.UpdateCase(ctx, c); err != nil {
				t.Fatal(err)
			}
			stale := *c
			stale.Version--
			wantCode(t, w.cases.UpdateCase(ctx, &stale), linkwork.ECONFLICT)
			c.PlannedSessions = 99
			wantField(t, w.cases.UpdateCase(ctx, c), "planned_sessions")
			c.PlannedSessions, c.Status = 8, linkwork.CaseClosed
			wantField(t, w.cases.UpdateCase(ctx, c), "status")

			wantField(t, w.cases.AddContact(ctx, &linkwork.Contact{CaseID: mine.ID, Mode: "carrier pigeon", Outcome: linkwork.ContactAttended, At: w.clock.Now()}), "mode")
			for i := 0; i < 3; i++ {
				if err := w.cases.AddContact(ctx, &linkwork.Contact{CaseID: mine.ID, Mode: linkwork.ContactFaceToFace, LocationType: "school", Outcome: linkwork.ContactAttended, At: w.clock.Now().Add(-time.Duration(i) * time.Hour), Minutes: 45}); err != nil {
					t.Fatal(err)
				}
			}
			contacts, err := w.cases.FindContacts(ctx, mine.ID)
			if err != nil || len(contacts) != 3 || !contacts[0].At.After(contacts[2].At) {
				t.Fatalf("%d contacts, err %v", len(contacts), err)
			}
			wantCode(t, w.cases.AddContact(w.as(w.otherWorker), &linkwork.Contact{CaseID: mine.ID, Mode: linkwork.ContactPhone, Outcome: linkwork.ContactAttended, At: w.clock.Now()}), linkwork.ENOTFOUND)
			wantCode(t, w.cases.AddContact(w.as(w.safeguarding), &linkwork.Contact{CaseID: mine.ID, Mode: linkwork.ContactPhone, Outcome: linkwork.ContactAttended, At: w.clock.Now()}), linkwork.EFORBIDDEN)

			wantField(t, w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: mine.ID, Text: "  "}), "text")
			for _, g := range []string{"Go to football training", "Talk to my mum about school", "Sleep better"} {
				w.clock.Advance(time.Second)
				if err := w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: mine.ID, Text: g}); err != nil {
					t.Fatal(err)
				}
			}
			wantField(t, w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: mine.ID, Text: "A fourth"}), "text")
			goals, err := w.cases.FindGoals(ctx, mine.ID)
			if err != nil || len(goals) != 3 || goals[0].Text != "Go to football training" {
				t.Fatalf("goals %v err %v", goals, err)
			}
		})
		t.Run("closing needs a reason and is final", func(t *testing.T) {
			ctx := w.as(w.linkWorker)
			c, _ := w.cases.FindCaseByID(ctx, mine.ID)
			_, err := w.cases.CloseCase(ctx, c.ID, c.Version, linkwork.CaseClosure{})
			wantField(t, err, "reason")
			closed, err := w.cases.CloseCase(ctx, c.ID, c.Version, linkwork.CaseClosure{Reason: linkwork.ClosedConnected, OutcomeSummary: "Goes to football twice a week"})
			if err != nil || closed.Status != linkwork.CaseClosed || closed.ClosedAt.IsZero() {
				t.Fatalf("close: %+v %v", closed, err)
			}
			_, err = w.cases.CloseCase(ctx, c.ID, closed.Version, linkwork.CaseClosure{Reason: linkwork.ClosedConnected})
			wantCode(t, err, linkwork.EINVALID)
		})
	})
}

func TestPeople(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Riley", "Stone")
		ctx := w.as(w.linkWorker)
		p, err := w.people.FindPersonByID(ctx, r.PersonID)
		if err != nil {
			t.Fatal(err)
		}
		t.Run("guardians and consents round trip", func(t *testing.T) {
			if len(p.Guardians) != 1 || !p.Guardians[0].HasParentalResponsibility || len(p.Consents) != 1 || !p.Consented(linkwork.ConsentReferral) {
				t.Fatalf("guardians %+v consents %+v", p.Guardians, p.Consents)
			}
			if p.Consents[0].RecordedBy != w.referrer.ID {
				t.Fatalf("consent recorded by %q", p.Consents[0].RecordedBy)
			}
		})
		t.Run("updates keep history of consents and need the current version", func(t *testing.T) {
			p.PreferredName = "Ri"
			p.Competence = &linkwork.Competence{Competent: true, Reasoning: "Understands the support and its risks", DecidedBy: w.linkWorker.ID, DecidedAt: w.clock.Now()}
			p.Consents = append(p.Consents, linkwork.Consent{Kind: linkwork.ConsentShareReferrer, Given: false, GivenBy: "self"})
			p.Guardians = append(p.Guardians, linkwork.Guardian{Name: "Sam Stone", Relationship: "grandparent"})
			if err := w.people.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			got, _ := w.people.FindPersonByID(ctx, p.ID)
			if got.DisplayName() != "Ri Stone" || got.Competence == nil || !got.Competence.Competent || len(got.Consents) != 2 || len(got.Guardians) != 2 || got.Consented(linkwork.ConsentShareReferrer) {
				t.Fatalf("after update: %+v", got)
			}
			p.Version = 1
			wantCode(t, w.people.UpdatePerson(ctx, p), linkwork.ECONFLICT)
			got.Postcode = "nope"
			wantField(t, w.people.UpdatePerson(ctx, got), "postcode")
			wantCode(t, w.people.UpdatePerson(w.as(w.safeguarding), got), linkwork.EINVALID)
			got.Postcode = "S2 4HT"
			wantCode(t, w.people.UpdatePerson(w.as(w.safeguarding), got), linkwork.EFORBIDDEN)
			wantCode(t, w.people.UpdatePerson(w.as(w.referrer), got), linkwork.EFORBIDDEN)
		})
		t.Run("search by name within scope", func(t *testing.T) {
			list, total, err := w.people.FindPeople(ctx, linkwork.PersonFilter{Query: "ston"})
			if err != nil || total != 1 || list[0].ID != p.ID {
				t.Fatalf("%d found, err %v", total, err)
			}
			_, total, _ = w.people.FindPeople(w.as(w.schoolReferrer), linkwork.PersonFilter{})
			if total != 0 {
				t.Fatalf("school referrer sees %d people", total)
			}
		})
	})
}
