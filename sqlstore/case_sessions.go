package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

const contactColumns = "id, case_id, at, mode, location_type, outcome, minutes, notes, by_user_id, version, created_at, kind, discuss_at_supervision"

func scanContact(row scanner) (*linkwork.Contact, error) {
	var c linkwork.Contact
	var mode, outcome, kind string
	err := row.Scan(&c.ID, &c.CaseID, timeDest{&c.At}, &mode, &c.LocationType, &outcome, &c.Minutes, &c.Notes, &c.ByUserID, &c.Version, timeDest{&c.CreatedAt}, &kind, &c.DiscussAtSupervision)
	c.Mode, c.Outcome, c.Kind = linkwork.ContactMode(mode), linkwork.ContactOutcome(outcome), linkwork.ContactKind(kind)
	return &c, err
}

// checkContactTime holds a contact to the clock and the case: a booking
// is ahead, on a case being worked; what has happened is not in the
// future.
func (tx *Tx) checkContactTime(k *linkwork.Case, c *linkwork.Contact) error {
	if c.Outcome == linkwork.ContactBooked {
		if k.Status != linkwork.CaseActive && k.Status != linkwork.CaseEnding {
			return linkwork.FieldErr("outcome", "Sessions can be booked only on an active case: this one is "+strings.ToLower(k.Status.Label()))
		}
		if !c.At.After(tx.now) {
			return linkwork.FieldErr("at", "A booked session must be in the future: record one that has happened instead")
		}
		return nil
	}
	if c.At.After(tx.now) {
		return linkwork.FieldErr("at", "That time is in the future: book the session instead, and record what happened once it has")
	}
	return nil
}

// queueReminder puts a reminder of booked session c in the outbox, to go
// a day before it (at once when that has passed), when the person agreed
// to reminders and chose a channel a message can take.
func (tx *Tx) queueReminder(k *linkwork.Case, c *linkwork.Contact) error {
	p, err := tx.visiblePerson(k.PersonID)
	if err != nil {
		return err
	}
	if !p.Contact.Reminders {
		return nil
	}
	var service string
	if err := tx.queryRow("SELECT name FROM organisations WHERE id = ?", k.ServiceOrgID).Scan(&service); err != nil {
		return err
	}
	subject, body := linkwork.ReminderText(service, c.At, linkwork.ReminderPlace(c.Mode, linkwork.SessionPlace(c.LocationType)))
	sendAfter := c.At.Add(-linkwork.ReminderAhead)
	if sendAfter.Before(tx.now) {
		sendAfter = tx.now
	}
	m, ok, err := tx.queueMessage(p, k.ID, linkwork.MessageReminder, subject, body, sendAfter)
	if err != nil || !ok {
		return err
	}
	_, err = tx.exec("UPDATE person_messages SET contact_id = ? WHERE id = ?", c.ID, m.ID)
	return err
}

// withdrawReminders removes the unsent reminders of a booking that was
// recorded or cancelled: a reminder of a session that is not going to
// happen must not go.
func (tx *Tx) withdrawReminders(c *linkwork.Contact) error {
	res, err := tx.exec("DELETE FROM person_messages WHERE contact_id = ? AND sent_at IS NULL", c.ID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return tx.audit("message.withdraw", auth.KindCase, c.CaseID, "reminder of "+c.ID)
	}
	return nil
}

// RecordSession records what happened to a booked session: attended or
// not (once its time has come), or cancelled by the person or the
// service (at any time). Its reminder is withdrawn if it has not gone.
// ENOTFOUND when the actor may not see the contact; ECONFLICT when
// version is stale; EINVALID when the contact is not a booking.
func (s *CaseService) RecordSession(ctx context.Context, id string, version int, outcome linkwork.ContactOutcome, minutes int, notes string) (*linkwork.Contact, error) {
	var p linkwork.Problems
	switch outcome {
	case linkwork.ContactAttended, linkwork.ContactDNA, linkwork.ContactCancelledByPerson, linkwork.ContactCancelledByService:
	default:
		p.Add("outcome", "Choose attended, did not attend, cancelled by the person or cancelled by the service")
	}
	if minutes < 0 || minutes > 24*60 {
		p.Add("minutes", "Length must be between 0 and 1440 minutes")
	}
	p.Text("notes", notes, linkwork.MaxText)
	p.Text("id", id, linkwork.MaxIDLength)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var c *linkwork.Contact
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		c, err = scanContact(tx.queryRow("SELECT "+contactColumns+" FROM contacts WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Contact not found")
		}
		if err != nil {
			return err
		}
		if _, err := tx.caseForWork(c.CaseID); err != nil {
			if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
				return linkwork.Errorf(linkwork.ENOTFOUND, "Contact not found")
			}
			return err
		}
		if c.Version != version {
			return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed this session since you opened it. Reload it to see their changes, then make yours again.")
		}
		if c.Outcome != linkwork.ContactBooked {
			return linkwork.FieldErr("outcome", "This session is already recorded as "+strings.ToLower(c.Outcome.Label()))
		}
		if (outcome == linkwork.ContactAttended || outcome == linkwork.ContactDNA) && c.At.After(tx.now) {
			return linkwork.FieldErr("outcome", "This session has not happened yet: record whether they attended once it has, or cancel it")
		}
		res, err := tx.exec("UPDATE contacts SET outcome = ?, minutes = ?, notes = ?, version = version + 1 WHERE id = ? AND version = ?",
			string(outcome), minutes, notes, id, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "contacts", id, "Session"); err != nil {
			return err
		}
		c.Outcome, c.Minutes, c.Notes, c.Version = outcome, minutes, notes, version+1
		if err := tx.withdrawReminders(c); err != nil {
			return err
		}
		return tx.audit("contact.update", auth.KindCase, c.CaseID, c.ID+" "+string(outcome))
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// withdrawCaseReminders removes the unsent reminders of a case that
// closed: its booked sessions will not happen.
func (tx *Tx) withdrawCaseReminders(caseID string) error {
	res, err := tx.exec("DELETE FROM person_messages WHERE case_id = ? AND kind = ? AND sent_at IS NULL", caseID, string(linkwork.MessageReminder))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return tx.audit("message.withdraw", auth.KindCase, caseID, "reminders of a closed case")
	}
	return nil
}
