package sqlstore_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// auditedActions returns the actions recorded about a record.
func auditedActions(t *testing.T, w *world, recordID string) []string {
	t.Helper()
	events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{RecordID: recordID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		out = append(out, e.Action+" by "+e.ActorID)
	}
	return out
}

func TestEveryReadAndChangeOfPersonalDataIsAudited(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Gus", "Audit")
		lw := w.as(w.linkWorker)
		tests := []struct {
			name   string
			do     func() error
			action string
			actor  *linkwork.User
			record func() string
		}{
			{"reading a person", func() error { _, err := w.people.FindPersonByID(lw, r.PersonID); return err }, "person.read", w.linkWorker, func() string { return r.PersonID }},
			{"reading a referral", func() error { _, err := w.referrals.FindReferralByID(lw, r.ID); return err }, "referral.read", w.linkWorker, func() string { return r.ID }},
			{"checking a referral's eligibility", func() error { _, err := w.referrals.ReferralEligibility(lw, r.ID); return err }, "referral.eligibility", w.linkWorker, func() string { return r.ID }},
			{"deciding a referral", func() error { w.accept(t, r, w.linkWorker); return nil }, "referral.decide", w.coordinator, func() string { return r.ID }},
			{"reading a case", func() error { _, err := w.cases.FindCaseByID(lw, r.CaseID); return err }, "case.read", w.linkWorker, func() string { return r.CaseID }},
			{"reading contacts", func() error { _, err := w.cases.FindContacts(lw, r.CaseID); return err }, "contact.list", w.linkWorker, func() string { return r.CaseID }},
			{"reading measures", func() error { _, err := w.measures.FindMeasures(lw, r.CaseID); return err }, "measure.list", w.linkWorker, func() string { return r.CaseID }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := tt.do(); err != nil {
					t.Fatal(err)
				}
				want := tt.action + " by " + tt.actor.ID
				for _, a := range auditedActions(t, w, tt.record()) {
					if a == want {
						return
					}
				}
				t.Fatalf("no %q among %v", want, auditedActions(t, w, tt.record()))
			})
		}
		t.Run("lists name every record shown", func(t *testing.T) {
			list, _, err := w.people.FindPeople(lw, linkwork.PersonFilter{})
			if err != nil {
				t.Fatal(err)
			}
			events, _, _ := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{ActorID: w.linkWorker.ID, Limit: 1, RecordType: "person"})
			if len(events) != 1 || events[0].Action != "person.list" || !strings.Contains(events[0].Detail, list[0].ID) {
				t.Fatalf("last event %+v", events)
			}
		})
		t.Run("a refused read is not a read", func(t *testing.T) {
			reads := func() int {
				n := 0
				for _, a := range auditedActions(t, w, r.PersonID) {
					if strings.HasPrefix(a, "person.read") {
						n++
					}
				}
				return n
			}
			before := reads()
			_, err := w.people.FindPersonByID(w.as(w.schoolReferrer), r.PersonID)
			wantCode(t, err, linkwork.ENOTFOUND)
			if after := reads(); after != before {
				t.Fatalf("a refused read wrote %d events", after-before)
			}
		})
		t.Run("only administrators and safeguarding leads read the trail", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.coordinator, w.referrer, w.commissioner, w.community} {
				_, _, err := w.audit.FindAuditEvents(w.as(u), linkwork.AuditFilter{})
				wantCode(t, err, linkwork.EFORBIDDEN)
			}
			if _, _, err := w.audit.FindAuditEvents(w.as(w.safeguarding), linkwork.AuditFilter{RecordID: r.PersonID}); err != nil {
				t.Fatal(err)
			}
			_, err := w.audit.VerifyAudit(w.as(w.safeguarding))
			wantCode(t, err, linkwork.EFORBIDDEN)
		})
	})
}

func TestAuditChain(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.refer(t, "Hal", "Chain")
		v, err := w.audit.VerifyAudit(w.as(w.admin))
		if err != nil || !v.OK || v.Events < 10 {
			t.Fatalf("fresh chain: %+v %v", v, err)
		}
		t.Run("the trail refuses updates and deletes", func(t *testing.T) {
			if err := w.db.Exec("UPDATE audit_events SET detail = 'x' WHERE seq = 2"); err == nil {
				t.Fatal("an audit event was updated")
			}
			if err := w.db.Exec("DELETE FROM audit_events WHERE seq = 2"); err == nil {
				t.Fatal("an audit event was deleted")
			}
		})
		t.Run("verify finds a changed event", func(t *testing.T) {
			disableTriggers(t, w)
			if err := w.db.Exec("UPDATE audit_events SET detail = 'nothing to see' WHERE seq = 3"); err != nil {
				t.Fatal(err)
			}
			v, err := w.audit.VerifyAudit(w.as(w.admin))
			if err != nil || v.OK || v.BrokenAt != 3 || !strings.Contains(v.Problem, "changed") {
				t.Fatalf("after tampering: %+v %v", v, err)
			}
		})
	})
	eachWorld(t, func(t *testing.T, w *world) {
		w.refer(t, "Ida", "Chain")
		disableTriggers(t, w)
		t.Run("verify finds a deleted event", func(t *testing.T) {
			if err := w.db.Exec("DELETE FROM audit_events WHERE seq = 5"); err != nil {
				t.Fatal(err)
			}
			v, err := w.audit.VerifyAudit(w.as(w.admin))
			if err != nil || v.OK || v.BrokenAt != 5 {
				t.Fatalf("after deleting: %+v %v", v, err)
			}
		})
	})
	eachWorld(t, func(t *testing.T, w *world) {
		disableTriggers(t, w)
		t.Run("verify finds events cut from the end", func(t *testing.T) {
			if err := w.db.Exec("DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)"); err != nil {
				t.Fatal(err)
			}
			v, err := w.audit.VerifyAudit(w.as(w.admin))
			if err != nil || v.OK || !strings.Contains(v.Problem, "removed") {
				t.Fatalf("after truncating: %+v %v", v, err)
			}
		})
	})
}

func disableTriggers(t *testing.T, w *world) {
	t.Helper()
	var stmts []string
	if w.db.Dialect() == "sqlite" {
		stmts = []string{"DROP TRIGGER audit_events_no_update", "DROP TRIGGER audit_events_no_delete"}
	} else {
		stmts = []string{"ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update"}
	}
	for _, s := range stmts {
		if err := w.db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
}

func TestHomeFigures(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		// The commissioner funds the service.
		svc := *w.service
		svc.ParentID = w.icb.ID
		if err := w.orgs.UpdateOrganisation(w.as(w.admin), &svc); err != nil {
			t.Fatal(err)
		}
		w.accept(t, w.refer(t, "Jo", "One"), w.linkWorker)
		w.accept(t, w.refer(t, "Jo", "Two"), nil)
		red := w.refer(t, "Jo", "Three")
		if _, err := w.referrals.DecideReferral(w.as(w.coordinator), red.ID, red.Version, linkwork.ReferralDecision{To: linkwork.ReferralTriage, Streetlight: linkwork.StreetlightRed}); err != nil {
			t.Fatal(err)
		}
		declined := w.refer(t, "Jo", "Four")
		if _, err := w.referrals.DecideReferral(w.as(w.coordinator), declined.ID, declined.Version, linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "Crisis", OnwardDestination: "Crisis team"}); err != nil {
			t.Fatal(err)
		}
		if err := w.assets.CreateAsset(w.as(w.coordinator), newAsset(w.vcs, "Boxing")); err != nil {
			t.Fatal(err)
		}
		get := func(u *linkwork.User) *linkwork.HomeFigures {
			h, err := w.home.HomeFigures(w.as(u))
			if err != nil {
				t.Fatal(err)
			}
			return h
		}
		if h := get(w.referrer); h.MyReferralsOpen != 1 || h.MyReferralsAccepted != 2 || h.MyReferralsDeclined != 1 || h.Assets != 1 {
			t.Errorf("referrer %+v", h)
		}
		if h := get(w.schoolReferrer); h.MyReferralsOpen != 0 || h.MyReferralsAccepted != 0 {
			t.Errorf("school referrer %+v", h)
		}
		if h := get(w.linkWorker); h.MyCaseload != 1 || h.AwaitingTriage != 1 || h.WaitingList != 1 {
			t.Errorf("link worker %+v", h)
		}
		h := get(w.coordinator)
		if h.WaitingList != 1 || h.RedAmber != 1 || h.OpenCases != 1 || len(h.Caseloads) != 2 {
			t.Errorf("coordinator %+v", h)
		}
		for _, c := range h.Caseloads {
			if (c.UserID == w.linkWorker.ID) != (c.Active == 1) {
				t.Errorf("caseload %+v", c)
			}
		}
		if h := get(w.foreignCoord); h.WaitingList != 0 || h.AwaitingTriage != 0 {
			t.Errorf("another service's coordinator %+v", h)
		}
		if h := get(w.commissioner); h.ReferralsTotal != 4 || h.AcceptedTotal != 2 || len(h.ReferralsByPathway) != 1 || h.ReferralsByPathway[0].N != 4 {
			t.Errorf("commissioner %+v", h)
		}
		if h := get(w.admin); h.Users != 10 || h.Organisations != 7 || h.AuditEvents == 0 {
			t.Errorf("admin %+v", h)
		}
	})
}
