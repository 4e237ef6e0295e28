package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// PersonService implements linkwork.PersonService.
type PersonService struct{ db *DB }

// NewPersonService returns the person service over db.
func NewPersonService(db *DB) *PersonService { return &PersonService{db: db} }

var _ linkwork.PersonService = (*PersonService)(nil)

const personColumns = `p.id, p.service_org_id, p.given_name, p.family_name, p.preferred_name, p.pronouns, p.date_of_birth, p.gender, p.ethnicity,
	p.address, p.postcode, p.phone, p.email, p.contact_channels, p.safe_to_leave_message, p.contact_via, p.best_times, p.contact_notes, p.reminders,
	p.school_or_work, p.languages, p.needs_interpreter, p.accessibility_needs, p.competent, p.competence_reasoning, p.competence_by, p.competence_at,
	p.version, p.created_at, p.updated_at`

func scanPerson(row scanner) (*linkwork.Person, error) {
	var p linkwork.Person
	var channels string
	var competent sql.NullBool
	var comp linkwork.Competence
	err := row.Scan(&p.ID, &p.ServiceOrgID, &p.GivenName, &p.FamilyName, &p.PreferredName, &p.Pronouns, dateDest{&p.DateOfBirth}, &p.Gender, &p.Ethnicity,
		&p.Address, &p.Postcode, &p.Phone, &p.Email, &channels, &p.Contact.SafeToLeaveMessage, &p.Contact.Via, &p.Contact.BestTimes, &p.Contact.Notes, &p.Contact.Reminders,
		&p.SchoolOrWork, &p.Languages, &p.NeedsInterpreter, &p.AccessibilityNeeds, &competent, &comp.Reasoning, &comp.DecidedBy, timeDest{&comp.DecidedAt},
		&p.Version, timeDest{&p.CreatedAt}, timeDest{&p.UpdatedAt})
	if err != nil {
		return nil, err
	}
	for _, c := range strings.Split(channels, ",") {
		if c != "" {
			p.Contact.Channels = append(p.Contact.Channels, linkwork.Channel(c))
		}
	}
	if competent.Valid {
		comp.Competent = competent.Bool
		p.Competence = &comp
	}
	return &p, nil
}

func joinChannels(cs []linkwork.Channel) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}

func competenceArgs(c *linkwork.Competence) (any, string, string, any) {
	if c == nil {
		return nil, "", "", nil
	}
	return c.Competent, c.Reasoning, c.DecidedBy, tv(c.DecidedAt)
}

// CreatePerson stores p.
func (s *PersonService) CreatePerson(ctx context.Context, p *linkwork.Person) error {
	if err := p.Validate(s.db.today()); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if !auth.Can(tx.actor, auth.ActionCreate, auth.Record{Kind: auth.KindPerson, ServiceOrgID: p.ServiceOrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You cannot add people to this service")
		}
		return tx.insertPerson(p)
	})
}

func (tx *Tx) insertPerson(p *linkwork.Person) error {
	if p.ID == "" {
		p.ID = uuid.NewString()
	}
	p.Version, p.CreatedAt, p.UpdatedAt = 1, tx.now, tx.now
	compOK, compWhy, compBy, compAt := competenceArgs(p.Competence)
	_, err := tx.exec(`INSERT INTO people (id, service_org_id, given_name, family_name, preferred_name, pronouns, date_of_birth, gender, ethnicity,
		address, postcode, phone, email, contact_channels, safe_to_leave_message, contact_via, best_times, contact_notes, reminders,
		school_or_work, languages, needs_interpreter, accessibility_needs, competent, competence_reasoning, competence_by, competence_at,
		version, created_at, updated_at, dup_name_dob, dup_email) VALUES (`+placeholders(32)+`)`,
		p.ID, p.ServiceOrgID, p.GivenName, p.FamilyName, p.PreferredName, p.Pronouns, dv(p.DateOfBirth), p.Gender, p.Ethnicity,
		p.Address, p.Postcode, p.Phone, p.Email, joinChannels(p.Contact.Channels), p.Contact.SafeToLeaveMessage, p.Contact.Via, p.Contact.BestTimes, p.Contact.Notes, p.Contact.Reminders,
		p.SchoolOrWork, p.Languages, p.NeedsInterpreter, p.AccessibilityNeeds, compOK, compWhy, compBy, compAt,
		p.Version, p.CreatedAt, p.UpdatedAt, dupNameDOB(p.GivenName, p.FamilyName, p.DateOfBirth), dupEmail(p.Email))
	if err != nil {
		return err
	}
	if err := tx.writePersonChildren(p); err != nil {
		return err
	}
	if err := tx.keepPersonVersion(p, "created"); err != nil {
		return err
	}
	return tx.audit("person.create", auth.KindPerson, p.ID, "")
}

// writePersonChildren replaces a person's guardians and adds any consents
// not yet stored (consents are a history: never changed, only added).
func (tx *Tx) writePersonChildren(p *linkwork.Person) error {
	if _, err := tx.exec("DELETE FROM guardians WHERE person_id = ?", p.ID); err != nil {
		return err
	}
	for i := range p.Guardians {
		g := &p.Guardians[i]
		if g.ID == "" {
			g.ID = uuid.NewString()
		}
		if _, err := tx.exec(`INSERT INTO guardians (id, person_id, position, name, relationship, phone, email, has_parental_responsibility, involvement)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.ID, p.ID, i, g.Name, g.Relationship, g.Phone, g.Email, g.HasParentalResponsibility, g.Involvement); err != nil {
			return err
		}
	}
	for i := range p.Consents {
		c := &p.Consents[i]
		if c.ID != "" {
			continue
		}
		c.ID = uuid.NewString()
		if c.RecordedAt.IsZero() {
			c.RecordedAt = tx.now
		}
		if c.RecordedBy == "" {
			c.RecordedBy = tx.actor.ID()
		}
		if _, err := tx.exec(`INSERT INTO consents (id, person_id, kind, given, given_by, recorded_at, recorded_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			c.ID, p.ID, string(c.Kind), c.Given, c.GivenBy, tv(c.RecordedAt), c.RecordedBy, c.Note); err != nil {
			return err
		}
	}
	return nil
}

func (tx *Tx) loadPersonChildren(p *linkwork.Person) error {
	rows, err := tx.query(`SELECT id, name, relationship, phone, email, has_parental_responsibility, involvement FROM guardians WHERE person_id = ? ORDER BY position`, p.ID)
	if err != nil {
		return err
	}
	p.Guardians = nil
	for rows.Next() {
		var g linkwork.Guardian
		if err := rows.Scan(&g.ID, &g.Name, &g.Relationship, &g.Phone, &g.Email, &g.HasParentalResponsibility, &g.Involvement); err != nil {
			rows.Close()
			return err
		}
		p.Guardians = append(p.Guardians, g)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.query(`SELECT id, kind, given, given_by, recorded_at, recorded_by, note FROM consents WHERE person_id = ? ORDER BY recorded_at, id`, p.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	p.Consents = nil
	for rows.Next() {
		var c linkwork.Consent
		var kind string
		if err := rows.Scan(&c.ID, &kind, &c.Given, &c.GivenBy, timeDest{&c.RecordedAt}, &c.RecordedBy, &c.Note); err != nil {
			return err
		}
		c.Kind = linkwork.ConsentKind(kind)
		p.Consents = append(p.Consents, c)
	}
	return rows.Err()
}

// visiblePerson loads a person inside the actor's scope, or ENOTFOUND.
func (tx *Tx) visiblePerson(id string) (*linkwork.Person, error) {
	var w where
	w.add("p.id = ?", id)
	w.scope(tx.actor, auth.KindPerson, "p")
	p, err := scanPerson(tx.queryRow("SELECT "+personColumns+" FROM people p WHERE "+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Person not found")
	}
	if err != nil {
		return nil, err
	}
	return p, tx.loadPersonChildren(p)
}

// FindPersonByID returns one person the actor may see. A referrer sees
// the person as their organisation's own latest referral gave them; a
// community organisation sees only what it needs to welcome them.
func (s *PersonService) FindPersonByID(ctx context.Context, id string) (*linkwork.Person, error) {
	var p *linkwork.Person
	err := s.db.audited(ctx, func(tx *Tx) error {
		var err error
		if p, err = tx.visiblePerson(id); err != nil {
			return err
		}
		if p, err = tx.referrerView(p); err != nil {
			return err
		}
		redactFor(tx.actor, p)
		return tx.audit("person.read", auth.KindPerson, p.ID, "")
	})
	return p, err
}

// redactFor removes what a role does not need to know about a person. A
// community organisation gets what it needs to welcome them: their name,
// how to contact them (not the service's notes on contact) and their access
// and language needs; never their date of birth, address, guardians,
// consents or history. (The link worker they can talk to comes with the
// connection.)
func redactFor(a linkwork.Actor, p *linkwork.Person) {
	if a.Role != linkwork.RoleCommunity {
		return
	}
	contact := p.Contact
	contact.Notes = ""
	*p = linkwork.Person{
		ID: p.ID, ServiceOrgID: p.ServiceOrgID, GivenName: p.GivenName, FamilyName: p.FamilyName, PreferredName: p.PreferredName,
		Pronouns: p.Pronouns, Phone: p.Phone, Email: p.Email, Contact: contact,
		Languages: p.Languages, NeedsInterpreter: p.NeedsInterpreter, AccessibilityNeeds: p.AccessibilityNeeds, Version: p.Version,
	}
}

// FindPeople returns a page of the people the actor may see, by name.
func (s *PersonService) FindPeople(ctx context.Context, f linkwork.PersonFilter) ([]*linkwork.Person, int, error) {
	var out []*linkwork.Person
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.scope(tx.actor, auth.KindPerson, "p")
		if f.Query != "" {
			pat := likePattern(f.Query)
			w.add("(lower(p.given_name) LIKE ? OR lower(p.family_name) LIKE ? OR lower(p.preferred_name) LIKE ?)", pat, pat, pat)
		}
		if !f.DateOfBirth.IsZero() {
			w.add("p.date_of_birth = ?", dv(f.DateOfBirth))
		}
		var err error
		if out, total, err = queryPage(tx, "FROM people p", "", w, "p.family_name, p.given_name, p.id", f.Offset, f.Limit, scanPerson, personColumns); err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, p := range out {
			if out[i], err = tx.referrerView(p); err != nil {
				return err
			}
			redactFor(tx.actor, out[i])
			ids[i] = p.ID
		}
		return tx.auditList("person.list", auth.KindPerson, ids)
	})
	return out, total, err
}

// UpdatePerson saves changes to p at its version.
func (s *PersonService) UpdatePerson(ctx context.Context, p *linkwork.Person) error {
	if err := p.Validate(s.db.today()); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.visiblePerson(p.ID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, auth.Record{Kind: auth.KindPerson, ServiceOrgID: cur.ServiceOrgID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this person's record but not change it")
		}
		if err := guardianInvolvements(p, cur); err != nil {
			return err
		}
		compOK, compWhy, compBy, compAt := competenceArgs(p.Competence)
		res, err := tx.exec(`UPDATE people SET given_name = ?, family_name = ?, preferred_name = ?, pronouns = ?, date_of_birth = ?, gender = ?, ethnicity = ?,
			address = ?, postcode = ?, phone = ?, email = ?, contact_channels = ?, safe_to_leave_message = ?, contact_via = ?, best_times = ?, contact_notes = ?, reminders = ?,
			school_or_work = ?, languages = ?, needs_interpreter = ?, accessibility_needs = ?, competent = ?, competence_reasoning = ?, competence_by = ?, competence_at = ?,
			dup_name_dob = ?, dup_email = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			p.GivenName, p.FamilyName, p.PreferredName, p.Pronouns, dv(p.DateOfBirth), p.Gender, p.Ethnicity,
			p.Address, p.Postcode, p.Phone, p.Email, joinChannels(p.Contact.Channels), p.Contact.SafeToLeaveMessage, p.Contact.Via, p.Contact.BestTimes, p.Contact.Notes, p.Contact.Reminders,
			p.SchoolOrWork, p.Languages, p.NeedsInterpreter, p.AccessibilityNeeds, compOK, compWhy, compBy, compAt,
			dupNameDOB(p.GivenName, p.FamilyName, p.DateOfBirth), dupEmail(p.Email), tx.now, p.ID, p.Version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "people", p.ID, "Person"); err != nil {
			if linkwork.ErrorCode(err) == linkwork.ECONFLICT {
				return personConflict()
			}
			return err
		}
		if err := tx.writePersonChildren(p); err != nil {
			return err
		}
		if cur.DateOfBirth != p.DateOfBirth {
			// Referrals carry a copy for the triage queue's age bands.
			if _, err := tx.exec("UPDATE referrals SET person_dob = ? WHERE person_id = ?", dv(p.DateOfBirth), p.ID); err != nil {
				return err
			}
		}
		p.Version++
		p.UpdatedAt = tx.now
		p.ServiceOrgID = cur.ServiceOrgID
		p.CreatedAt = cur.CreatedAt
		if err := tx.keepPersonVersion(p, "record"); err != nil {
			return err
		}
		return tx.audit("person.update", auth.KindPerson, p.ID, "")
	})
}

// guardianInvolvements holds each parent or carer's involvement to the
// codes: an older record's own words may stay as they were, not be newly
// written.
func guardianInvolvements(p, cur *linkwork.Person) error {
	was := map[string]bool{}
	for _, g := range cur.Guardians {
		was[g.Involvement] = true
	}
	var pr linkwork.Problems
	for i, g := range p.Guardians {
		if g.Involvement != "" && !linkwork.ValidInvolvement(g.Involvement) && !was[g.Involvement] {
			pr.Addf(fmt.Sprintf("guardians[%d].involvement", i), "Choose how parent or carer %d is involved", i+1)
		}
	}
	return pr.Err()
}
