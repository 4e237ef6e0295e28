package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// What the service knows around a person's record: the team around them,
// their parents and carers one by one, decisions on their competence,
// where they and their parents differ, and the record's history. Only
// those who may see the service's cases see any of it: a referrer or a
// community organisation who can see the person sees none of it.

// staffPerson loads a person for the staff of the holding service, or
// ENOTFOUND.
func (tx *Tx) staffPerson(id string) (*linkwork.Person, error) {
	if auth.ScopeFor(tx.actor, auth.KindCase).None() {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Person not found")
	}
	return tx.visiblePerson(id)
}

// changeablePerson loads a person the actor may change, at their
// version: ENOTFOUND, EFORBIDDEN or ECONFLICT otherwise.
func (tx *Tx) changeablePerson(id string, version int) (*linkwork.Person, error) {
	p, err := tx.staffPerson(id)
	if err != nil {
		return nil, err
	}
	if !auth.Can(tx.actor, auth.ActionUpdate, auth.Record{Kind: auth.KindPerson, ServiceOrgID: p.ServiceOrgID}) {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this person's record but not change it")
	}
	if p.Version != version {
		return nil, personConflict()
	}
	return p, nil
}

func personConflict() error {
	return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed this record since you opened it. Reload it to see their changes, then make yours again.")
}

// bumpPerson moves a person's record on a version after a change to what
// hangs off it, and keeps the snapshot.
func (tx *Tx) bumpPerson(p *linkwork.Person, what string) error {
	res, err := tx.exec("UPDATE people SET version = version + 1, updated_at = ? WHERE id = ? AND version = ?", tx.now, p.ID, p.Version)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != 1 {
		return personConflict()
	}
	p.Version++
	p.UpdatedAt = tx.now
	if err := tx.loadPersonChildren(p); err != nil {
		return err
	}
	return tx.keepPersonVersion(p, what)
}

// keepPersonVersion stores a snapshot of the record at its version.
func (tx *Tx) keepPersonVersion(p *linkwork.Person, what string) error {
	snap, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = tx.exec("INSERT INTO person_versions (person_id, version, what, snapshot, by_user_id, at) VALUES (?, ?, ?, ?, ?, ?)",
		p.ID, p.Version, what, string(snap), tx.actor.ID(), tx.now)
	return err
}

// FindPersonRecord returns the team around a person, the decisions on
// their competence, the differences recorded and the last changes to
// their record.
func (s *PersonService) FindPersonRecord(ctx context.Context, personID string) (*linkwork.PersonRecord, error) {
	out := &linkwork.PersonRecord{}
	err := s.db.audited(ctx, func(tx *Tx) error {
		p, err := tx.staffPerson(personID)
		if err != nil {
			return err
		}
		if out.Professionals, err = tx.professionals(p.ID); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT d.id, d.competent, d.decided_on, d.reasoning, d.by_user_id, COALESCE(u.name, ''), d.created_at
			FROM competence_decisions d LEFT JOIN users u ON u.id = d.by_user_id WHERE d.person_id = ? ORDER BY d.created_at DESC, d.id`, p.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			d := &linkwork.CompetenceDecision{PersonID: p.ID}
			if err := rows.Scan(&d.ID, &d.Competent, dateDest{&d.DecidedOn}, &d.Reasoning, &d.ByUserID, &d.ByName, timeDest{&d.CreatedAt}); err != nil {
				rows.Close()
				return err
			}
			out.Competence = append(out.Competence, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.query(`SELECT d.id, d.on_date, d.differs, d.agreed, d.by_user_id, COALESCE(u.name, ''), d.created_at
			FROM person_differences d LEFT JOIN users u ON u.id = d.by_user_id WHERE d.person_id = ? ORDER BY d.on_date DESC, d.created_at DESC, d.id`, p.ID)
		if err != nil {
			return err
		}
		for rows.Next() {
			d := &linkwork.Difference{PersonID: p.ID}
			if err := rows.Scan(&d.ID, dateDest{&d.On}, &d.Differs, &d.Agreed, &d.ByUserID, &d.ByName, timeDest{&d.CreatedAt}); err != nil {
				rows.Close()
				return err
			}
			out.Differences = append(out.Differences, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.query(`SELECT v.version, v.what, v.by_user_id, COALESCE(u.name, ''), v.at
			FROM person_versions v LEFT JOIN users u ON u.id = v.by_user_id WHERE v.person_id = ? ORDER BY v.version DESC LIMIT ?`, p.ID, linkwork.MaxPersonChanges)
		if err != nil {
			return err
		}
		for rows.Next() {
			c := &linkwork.PersonChange{}
			if err := rows.Scan(&c.Version, &c.What, &c.ByUserID, &c.ByName, timeDest{&c.At}); err != nil {
				rows.Close()
				return err
			}
			out.Changes = append(out.Changes, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.audit("person.record.read", auth.KindPerson, p.ID, "")
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

const professionalColumns = "id, person_id, role, name, organisation, phone, email, consent_to_share, notes, version, created_at, updated_at"

func scanProfessional(row scanner) (*linkwork.Professional, error) {
	var p linkwork.Professional
	err := row.Scan(&p.ID, &p.PersonID, &p.Role, &p.Name, &p.Organisation, &p.Phone, &p.Email, &p.ConsentToShare, &p.Notes, &p.Version, timeDest{&p.CreatedAt}, timeDest{&p.UpdatedAt})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

func (tx *Tx) professionals(personID string) ([]*linkwork.Professional, error) {
	rows, err := tx.query("SELECT "+professionalColumns+" FROM professionals WHERE person_id = ? ORDER BY created_at, id", personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*linkwork.Professional
	for rows.Next() {
		p, err := scanProfessional(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// professional loads one professional whose person the actor may see as
// staff, or ENOTFOUND.
func (tx *Tx) professional(id string) (*linkwork.Professional, *linkwork.Person, error) {
	pr, err := scanProfessional(tx.queryRow("SELECT "+professionalColumns+" FROM professionals WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, linkwork.Errorf(linkwork.ENOTFOUND, "Professional not found")
	}
	if err != nil {
		return nil, nil, err
	}
	p, err := tx.staffPerson(pr.PersonID)
	if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
		return nil, nil, linkwork.Errorf(linkwork.ENOTFOUND, "Professional not found")
	}
	return pr, p, err
}

func (tx *Tx) mayChangePerson(p *linkwork.Person) error {
	if !auth.Can(tx.actor, auth.ActionUpdate, auth.Record{Kind: auth.KindPerson, ServiceOrgID: p.ServiceOrgID}) {
		return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this person's record but not change it")
	}
	return nil
}

// FindProfessional returns one member of the team around a person.
func (s *PersonService) FindProfessional(ctx context.Context, id string) (*linkwork.Professional, error) {
	var out *linkwork.Professional
	err := s.db.audited(ctx, func(tx *Tx) error {
		pr, p, err := tx.professional(id)
		if err != nil {
			return err
		}
		out = pr
		return tx.audit("person.professional.read", auth.KindPerson, p.ID, pr.ID)
	})
	return out, err
}

// AddProfessional adds someone to the team around a person.
func (s *PersonService) AddProfessional(ctx context.Context, pr *linkwork.Professional) error {
	if err := pr.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		p, err := tx.staffPerson(pr.PersonID)
		if err != nil {
			return err
		}
		if err := tx.mayChangePerson(p); err != nil {
			return err
		}
		pr.ID, pr.Version, pr.CreatedAt, pr.UpdatedAt = uuid.NewString(), 1, tx.now, tx.now
		if _, err := tx.exec("INSERT INTO professionals ("+professionalColumns+") VALUES ("+placeholders(12)+")",
			pr.ID, pr.PersonID, pr.Role, pr.Name, pr.Organisation, pr.Phone, pr.Email, pr.ConsentToShare, pr.Notes, pr.Version, pr.CreatedAt, pr.UpdatedAt); err != nil {
			return err
		}
		return tx.audit("person.professional.add", auth.KindPerson, p.ID, pr.ID)
	})
}

// UpdateProfessional saves changes to a member of the team at its version.
func (s *PersonService) UpdateProfessional(ctx context.Context, pr *linkwork.Professional) error {
	if err := pr.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		cur, p, err := tx.professional(pr.ID)
		if err != nil {
			return err
		}
		if err := tx.mayChangePerson(p); err != nil {
			return err
		}
		res, err := tx.exec(`UPDATE professionals SET role = ?, name = ?, organisation = ?, phone = ?, email = ?, consent_to_share = ?, notes = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			pr.Role, pr.Name, pr.Organisation, pr.Phone, pr.Email, pr.ConsentToShare, pr.Notes, tx.now, pr.ID, pr.Version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "professionals", pr.ID, "Professional"); err != nil {
			return err
		}
		pr.PersonID, pr.CreatedAt, pr.UpdatedAt = cur.PersonID, cur.CreatedAt, tx.now
		pr.Version++
		return tx.audit("person.professional.update", auth.KindPerson, p.ID, pr.ID)
	})
}

// RemoveProfessional takes someone off the team at its version.
func (s *PersonService) RemoveProfessional(ctx context.Context, id string, version int) error {
	return s.db.update(ctx, func(tx *Tx) error {
		_, p, err := tx.professional(id)
		if err != nil {
			return err
		}
		if err := tx.mayChangePerson(p); err != nil {
			return err
		}
		res, err := tx.exec("DELETE FROM professionals WHERE id = ? AND version = ?", id, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "professionals", id, "Professional"); err != nil {
			return err
		}
		return tx.audit("person.professional.remove", auth.KindPerson, p.ID, id)
	})
}

// AddGuardian adds a parent, guardian or carer to a person's record at
// the record's version.
func (s *PersonService) AddGuardian(ctx context.Context, personID string, version int, g *linkwork.Guardian) (*linkwork.Person, error) {
	if err := linkwork.ValidateGuardian(g, ""); err != nil {
		return nil, err
	}
	var p *linkwork.Person
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if p, err = tx.changeablePerson(personID, version); err != nil {
			return err
		}
		g.ID = uuid.NewString()
		if _, err := tx.exec(`INSERT INTO guardians (id, person_id, position, name, relationship, phone, email, has_parental_responsibility, involvement)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.ID, p.ID, len(p.Guardians), g.Name, g.Relationship, g.Phone, g.Email, g.HasParentalResponsibility, g.Involvement); err != nil {
			return err
		}
		if err := tx.bumpPerson(p, "guardian added"); err != nil {
			return err
		}
		return tx.audit("person.guardian.add", auth.KindPerson, p.ID, g.ID)
	})
	return p, err
}

// guardianPerson finds whose guardian g is.
func (tx *Tx) guardianPerson(id string) (personID, involvement string, err error) {
	err = tx.queryRow("SELECT person_id, involvement FROM guardians WHERE id = ?", id).Scan(&personID, &involvement)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", linkwork.Errorf(linkwork.ENOTFOUND, "Parent or carer not found")
	}
	return personID, involvement, err
}

// UpdateGuardian saves changes to a parent, guardian or carer (g.ID) at
// their person's record's version.
func (s *PersonService) UpdateGuardian(ctx context.Context, version int, g *linkwork.Guardian) (*linkwork.Person, error) {
	var p *linkwork.Person
	err := s.db.update(ctx, func(tx *Tx) error {
		personID, was, err := tx.guardianPerson(g.ID)
		if err != nil {
			return err
		}
		if p, err = tx.staffPerson(personID); err != nil {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Parent or carer not found")
		}
		if err := linkwork.ValidateGuardian(g, was); err != nil {
			return err
		}
		if p, err = tx.changeablePerson(personID, version); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE guardians SET name = ?, relationship = ?, phone = ?, email = ?, has_parental_responsibility = ?, involvement = ? WHERE id = ?`,
			g.Name, g.Relationship, g.Phone, g.Email, g.HasParentalResponsibility, g.Involvement, g.ID); err != nil {
			return err
		}
		if err := tx.bumpPerson(p, "guardian changed"); err != nil {
			return err
		}
		return tx.audit("person.guardian.update", auth.KindPerson, p.ID, g.ID)
	})
	return p, err
}

// RemoveGuardian takes a parent, guardian or carer off a person's record
// at the record's version.
func (s *PersonService) RemoveGuardian(ctx context.Context, guardianID string, version int) (*linkwork.Person, error) {
	var p *linkwork.Person
	err := s.db.update(ctx, func(tx *Tx) error {
		personID, _, err := tx.guardianPerson(guardianID)
		if err != nil {
			return err
		}
		if _, err := tx.staffPerson(personID); err != nil {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Parent or carer not found")
		}
		if p, err = tx.changeablePerson(personID, version); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM guardians WHERE id = ?", guardianID); err != nil {
			return err
		}
		if err := tx.bumpPerson(p, "guardian removed"); err != nil {
			return err
		}
		return tx.audit("person.guardian.remove", auth.KindPerson, p.ID, guardianID)
	})
	return p, err
}

// DecideCompetence records a decision on a young person's competence,
// made by the signed-in user; it becomes the person's Competence.
func (s *PersonService) DecideCompetence(ctx context.Context, d *linkwork.CompetenceDecision) (*linkwork.Person, error) {
	if err := d.Validate(s.db.today()); err != nil {
		return nil, err
	}
	var p *linkwork.Person
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if p, err = tx.staffPerson(d.PersonID); err != nil {
			return err
		}
		if err := tx.mayChangePerson(p); err != nil {
			return err
		}
		d.ID, d.ByUserID, d.CreatedAt = uuid.NewString(), tx.actor.ID(), tx.now
		if _, err := tx.exec("INSERT INTO competence_decisions (id, person_id, competent, decided_on, reasoning, by_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			d.ID, p.ID, d.Competent, dv(d.DecidedOn), d.Reasoning, d.ByUserID, d.CreatedAt); err != nil {
			return err
		}
		// The person's record holds the day the decision was made.
		at := d.DecidedOn.Time()
		if _, err := tx.exec("UPDATE people SET competent = ?, competence_reasoning = ?, competence_by = ?, competence_at = ? WHERE id = ?",
			d.Competent, d.Reasoning, tx.actor.ID(), tv(at), p.ID); err != nil {
			return err
		}
		p.Competence = &linkwork.Competence{Competent: d.Competent, Reasoning: d.Reasoning, DecidedBy: tx.actor.ID(), DecidedAt: at}
		if err := tx.bumpPerson(p, "competence decided"); err != nil {
			return err
		}
		return tx.audit("person.competence", auth.KindPerson, p.ID, fmt.Sprint(d.Competent))
	})
	return p, err
}

// AddDifference records where the young person and a parent or carer want
// different things, and what was agreed.
func (s *PersonService) AddDifference(ctx context.Context, d *linkwork.Difference) error {
	if err := d.Validate(s.db.today()); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		p, err := tx.staffPerson(d.PersonID)
		if err != nil {
			return err
		}
		if err := tx.mayChangePerson(p); err != nil {
			return err
		}
		d.ID, d.ByUserID, d.CreatedAt = uuid.NewString(), tx.actor.ID(), tx.now
		if _, err := tx.exec("INSERT INTO person_differences (id, person_id, on_date, differs, agreed, by_user_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
			d.ID, p.ID, dv(d.On), d.Differs, d.Agreed, d.ByUserID, d.CreatedAt); err != nil {
			return err
		}
		return tx.audit("person.difference.add", auth.KindPerson, p.ID, d.ID)
	})
}

// UpdateCaseAbout saves what matters to the person, their needs in their
// own words and by domain, the plan and the sessions planned, at the
// case's version. It never changes the case's status or complexity.
func (s *CaseService) UpdateCaseAbout(ctx context.Context, caseID string, a linkwork.CaseAbout) (*linkwork.Case, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	var c *linkwork.Case
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.visibleCase(caseID); err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, caseRecord(c)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this case but not change it")
		}
		res, err := tx.exec(`UPDATE cases SET planned_sessions = ?, what_matters = ?, needs = ?, plan = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, a.PlannedSessions, a.WhatMatters, a.Needs, a.Plan, tx.now, caseID, a.Version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "cases", caseID, "Case"); err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM case_needs WHERE case_id = ?", caseID); err != nil {
			return err
		}
		for i, n := range a.NeedDomains {
			if _, err := tx.exec("INSERT INTO case_needs (case_id, domain, words, position) VALUES (?, ?, ?, ?)", caseID, string(n.Domain), n.Words, i); err != nil {
				return err
			}
		}
		c.PlannedSessions, c.WhatMatters, c.Needs, c.Plan = a.PlannedSessions, a.WhatMatters, a.Needs, a.Plan
		c.Version, c.UpdatedAt = a.Version+1, tx.now
		return tx.audit("case.update", auth.KindCase, caseID, "about")
	})
	return c, err
}

// FindCaseNeeds lists a case's needs by domain, in the order given.
func (s *CaseService) FindCaseNeeds(ctx context.Context, caseID string) ([]linkwork.CaseNeed, error) {
	var out []linkwork.CaseNeed
	err := s.db.audited(ctx, func(tx *Tx) error {
		c, err := tx.visibleCase(caseID)
		if err != nil {
			return err
		}
		rows, err := tx.query("SELECT domain, words FROM case_needs WHERE case_id = ? ORDER BY position", c.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var n linkwork.CaseNeed
			var d string
			if err := rows.Scan(&d, &n.Words); err != nil {
				return err
			}
			n.Domain = linkwork.NeedDomain(d)
			out = append(out, n)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.audit("case.needs.read", auth.KindCase, c.ID, "")
	})
	return out, err
}
