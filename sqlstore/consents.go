package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// AddConsent records a person's answer to a consent question, after any
// earlier answer of its kind.
func (s *PersonService) AddConsent(ctx context.Context, personID string, c *linkwork.Consent) error {
	c.GivenBy, c.Note = strings.TrimSpace(c.GivenBy), strings.TrimSpace(c.Note)
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		p, err := tx.visiblePerson(personID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, auth.Record{Kind: auth.KindPerson, ServiceOrgID: p.ServiceOrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this person's record but not change it")
		}
		c.ID, c.RecordedAt, c.RecordedBy = uuid.NewString(), tx.now, tx.actor.ID()
		if _, err := tx.exec(`INSERT INTO consents (id, person_id, kind, given, given_by, recorded_at, recorded_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, p.ID, string(c.Kind), c.Given, c.GivenBy, c.RecordedAt, c.RecordedBy, c.Note); err != nil {
			return err
		}
		detail := string(c.Kind) + " refused"
		if c.Given {
			detail = string(c.Kind) + " given"
		}
		return tx.audit("person.consent", auth.KindPerson, p.ID, detail)
	})
}

// sharesWithGroups reports whether the person's latest answer about
// sharing their details with community groups was yes
// (linkwork.Person.Consented, in one query).
func (tx *Tx) sharesWithGroups(personID string) (bool, error) {
	var given bool
	err := tx.queryRow("SELECT given FROM consents WHERE person_id = ? AND kind = ? ORDER BY recorded_at DESC, id DESC LIMIT 1",
		personID, string(linkwork.ConsentShareCommunity)).Scan(&given)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return given, err
}

// checkShareConsent refuses a move of connection c to status t that would
// tell its group who the person is when the person has not agreed to it.
func (tx *Tx) checkShareConsent(c *linkwork.Connection, t linkwork.ConnectionStatus) error {
	if !c.SharesWith(t) {
		return nil
	}
	ok, err := tx.sharesWithGroups(c.PersonID)
	if err != nil || ok {
		return err
	}
	return linkwork.FieldErr("consent", linkwork.ShareConsentMessage)
}
