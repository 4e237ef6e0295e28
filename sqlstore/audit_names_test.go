package sqlstore_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// TestTheAuditTrailNamesWhoAndWhatItsReaderMaySee: the trail gives the
// actor's and the record's names to a reader the policy lets see them (a
// safeguarding lead their service's people, an administrator users but
// no person), and only the ids to anyone else; reading a person's name
// there is audited as a list of people.
func TestTheAuditTrailNamesWhoAndWhatItsReaderMaySee(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Pat", "Named")
		k := w.accept(t, r, w.linkWorker)
		find := func(t *testing.T, reader *linkwork.User, recordID, action string) *linkwork.AuditEvent {
			t.Helper()
			events, _, err := w.audit.FindAuditEvents(w.as(reader), linkwork.AuditFilter{RecordID: recordID, Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range events {
				if e.Action == action {
					return e
				}
			}
			t.Fatalf("no %s of %s among %d events", action, recordID, len(events))
			return nil
		}
		for _, tt := range []struct {
			name                  string
			reader                *linkwork.User
			recordID, action      string
			wantActor, wantRecord string
		}{
			{"a safeguarding lead sees the referral's person, not the referrer's name", w.safeguarding, r.ID, "referral.create", "", "Pat Named"},
			{"a safeguarding lead sees the case's person", w.safeguarding, k.ID, "case.open", "", "Pat Named"},
			{"a safeguarding lead sees the person's name", w.safeguarding, r.PersonID, "person.create", "", "Pat Named"},
			{"an administrator sees the referrer, not the referral's person", w.admin, r.ID, "referral.create", w.referrer.Name, ""},
			{"an administrator sees who opened a case, not its person", w.admin, k.ID, "case.open", w.coordinator.Name, ""},
			{"an administrator sees a user's name", w.admin, w.linkWorker.ID, "user.create", "", w.linkWorker.Name},
			{"an administrator sees an organisation's name", w.admin, w.otherService.ID, "organisation.create", "", w.otherService.Name},
		} {
			t.Run(tt.name, func(t *testing.T) {
				e := find(t, tt.reader, tt.recordID, tt.action)
				if e.ActorName != tt.wantActor || e.RecordName != tt.wantRecord {
					t.Errorf("shows %q of %q, want %q of %q", e.ActorName, e.RecordName, tt.wantActor, tt.wantRecord)
				}
			})
		}
		t.Run("reading a person's name in the trail is audited", func(t *testing.T) {
			events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			var lead, admin bool
			for _, e := range events {
				if e.Action == "person.list" && strings.Contains(e.Detail, r.PersonID) {
					lead = lead || e.ActorID == w.safeguarding.ID
					admin = admin || e.ActorID == w.admin.ID
				}
			}
			if !lead || admin {
				t.Errorf("the lead's read of names audited: %v; the administrator's (who read none): %v", lead, admin)
			}
		})
	})
}
