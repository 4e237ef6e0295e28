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

// CaseService implements linkwork.CaseService.
type CaseService struct{ db *DB }

// NewCaseService returns the case service over db.
func NewCaseService(db *DB) *CaseService { return &CaseService{db: db} }

var _ linkwork.CaseService = (*CaseService)(nil)

const caseColumns = `k.id, k.person_id, k.referral_id, k.service_org_id, k.link_worker_id, k.status, k.planned_sessions, k.what_matters, k.needs, k.plan,
	k.closure_reason, k.closure_note, k.outcome_summary, k.opened_at, k.allocated_at, k.closed_at, k.follow_up_on, k.version, k.updated_at,
	k.complexity, k.previous_case_id, k.followed_up_at,
	k.ending_steps, k.ending_planned_at, k.closure_destination, k.share_outcome, k.follow_up_note`

// caseSelect and caseFrom read cases with the person's and link worker's
// names.
const (
	caseSelect = caseColumns + ", p.given_name, p.preferred_name, p.family_name, COALESCE(u.name, '')"
	caseTable  = "FROM cases k"
	caseJoins  = "JOIN people p ON p.id = k.person_id LEFT JOIN users u ON u.id = k.link_worker_id"
	caseFrom   = caseTable + " " + caseJoins
)

func scanCase(row scanner) (*linkwork.Case, error) { return scanCaseAnd(row) }

// scanCaseAnd reads a case selected with caseSelect, and then the
// query's further columns into extra.
func scanCaseAnd(row scanner, extra ...any) (*linkwork.Case, error) {
	var c linkwork.Case
	var status, reason string
	var given, preferred, family string
	dest := []any{&c.ID, &c.PersonID, &c.ReferralID, &c.ServiceOrgID, nullString{&c.LinkWorkerID}, &status, &c.PlannedSessions, &c.WhatMatters, &c.Needs, &c.Plan,
		&reason, &c.ClosureNote, &c.OutcomeSummary, timeDest{&c.OpenedAt}, timeDest{&c.AllocatedAt}, timeDest{&c.ClosedAt}, dateDest{&c.FollowUpOn}, &c.Version, timeDest{&c.UpdatedAt},
		&c.Complexity, nullString{&c.PreviousCaseID}, timeDest{&c.FollowedUpAt},
		&c.EndingSteps, timeDest{&c.EndingPlannedAt}, &c.ClosureDestination, &c.ShareOutcome, &c.FollowUpNote,
		&given, &preferred, &family, &c.LinkWorkerName}
	err := row.Scan(append(dest, extra...)...)
	c.PersonName = displayName(given, preferred, family)
	c.Status, c.ClosureReason = linkwork.CaseStatus(status), linkwork.ClosureReason(reason)
	return &c, err
}

func caseRecord(c *linkwork.Case) auth.Record {
	return auth.Record{Kind: auth.KindCase, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID}
}

// caseRecordByID describes a case's ownership for the policy, whether or
// not the actor may see the case itself.
func (tx *Tx) caseRecordByID(id string) (auth.Record, error) {
	rec := auth.Record{Kind: auth.KindCase}
	err := tx.queryRow("SELECT service_org_id, link_worker_id FROM cases WHERE id = ?", id).Scan(&rec.ServiceOrgID, nullString{&rec.LinkWorkerID})
	return rec, err
}

// openCase opens a case for an accepted referral: waiting, or active with
// a link worker.
func (tx *Tx) openCase(r *linkwork.Referral, linkWorkerID string) (*linkwork.Case, error) {
	c := &linkwork.Case{
		ID: uuid.NewString(), PersonID: r.PersonID, ReferralID: r.ID, ServiceOrgID: r.ServiceOrgID,
		Status: linkwork.CaseWaiting, OpenedAt: tx.now, Version: 1, UpdatedAt: tx.now, Complexity: 1,
	}
	if linkWorkerID != "" {
		c.LinkWorkerID, c.Status, c.AllocatedAt = linkWorkerID, linkwork.CaseActive, tx.now
	}
	_, err := tx.exec(`INSERT INTO cases (id, person_id, referral_id, service_org_id, link_worker_id, status, opened_at, allocated_at, version, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.ID, c.PersonID, c.ReferralID, c.ServiceOrgID, sv(c.LinkWorkerID), string(c.Status), c.OpenedAt, tv(c.AllocatedAt), c.Version, c.UpdatedAt)
	if err != nil {
		return nil, err
	}
	return c, tx.audit("case.open", auth.KindCase, c.ID, string(c.Status))
}

// closeCaseOnWithdrawal closes the case of a referral the person withdrew.
func (tx *Tx) closeCaseOnWithdrawal(caseID, reason string) error {
	_, err := tx.exec(`UPDATE cases SET status = ?, closure_reason = ?, closure_note = ?, closed_at = ?, version = version + 1, updated_at = ?
		WHERE id = ? AND status <> ?`, string(linkwork.CaseClosed), string(linkwork.ClosedDeclined), reason, tx.now, tx.now, caseID, string(linkwork.CaseClosed))
	if err != nil {
		return err
	}
	return tx.audit("case.close", auth.KindCase, caseID, "referral withdrawn")
}

// visibleCase loads a case inside the actor's scope, or ENOTFOUND.
func (tx *Tx) visibleCase(id string) (*linkwork.Case, error) {
	var w where
	w.add("k.id = ?", id)
	w.scope(tx.actor, auth.KindCase, "k")
	c, err := scanCase(tx.queryRow("SELECT "+caseSelect+" "+caseFrom+" WHERE "+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Case not found")
	}
	return c, err
}

// FindCaseByID returns one case the actor may see.
func (s *CaseService) FindCaseByID(ctx context.Context, id string) (*linkwork.Case, error) {
	var c *linkwork.Case
	err := s.db.audited(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.visibleCase(id); err != nil {
			return err
		}
		return tx.audit("case.read", auth.KindCase, c.ID, "")
	})
	return c, err
}

// FindCases returns a page of the cases the actor may see.
func (s *CaseService) FindCases(ctx context.Context, f linkwork.CaseFilter) ([]*linkwork.Case, int, error) {
	var out []*linkwork.Case
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		w, kept := caseListWhere(tx.actor, f)
		order := "k.opened_at DESC, k.id"
		if len(f.Status) == 1 && f.Status[0] == linkwork.CaseWaiting {
			order = "k.opened_at, k.id" // the waiting list: first come, first served
		}
		countSQL, countArgs := caseCountQuery(f, w, kept)
		var err error
		if out, total, err = queryPageCounted(tx, countSQL, countArgs, caseTable, caseJoins, w, order, f.Offset, f.Limit, scanCase, caseSelect); err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, c := range out {
			ids[i] = c.ID
		}
		return tx.auditList("case.list", auth.KindCase, ids)
	})
	return out, total, err
}

// caseListWhere is a case list's filter f as a's conditions on cases k,
// and the same on the kept numbers of cases (case_counts c, migration 27),
// which hold the scope's columns under the same names: the total of a
// filter by scope, status and link worker is a sum of a few rows
// (caseCountQuery).
func caseListWhere(a linkwork.Actor, f linkwork.CaseFilter) (w, kept where) {
	w.scope(a, auth.KindCase, "k")
	kept.scope(a, auth.KindCase, "c")
	if len(f.Status) > 0 {
		w.add("k.status IN ("+placeholders(len(f.Status))+")", statusArgs(f.Status)...)
		kept.add("c.status IN ("+placeholders(len(f.Status))+")", statusArgs(f.Status)...)
	}
	if f.LinkWorkerID != "" {
		w.add("k.link_worker_id = ?", f.LinkWorkerID)
		kept.add("c.link_worker_id = ?", f.LinkWorkerID)
	}
	if f.PersonID != "" {
		w.add("k.person_id = ?", f.PersonID)
	}
	return w, kept
}

// caseCountQuery is the statement that counts the cases a list filtered
// by f finds (w on cases k): from the kept numbers (kept, on case_counts
// c) unless f asks for one person's, which their index counts.
func caseCountQuery(f linkwork.CaseFilter, w, kept where) (string, []any) {
	if f.PersonID != "" {
		return "SELECT COUNT(*) " + caseTable + " WHERE " + w.sql(), w.args
	}
	return "SELECT " + keptSum + " FROM case_counts c WHERE " + kept.sql(), kept.args
}

// AllocateCase gives a waiting case to a link worker.
func (s *CaseService) AllocateCase(ctx context.Context, id string, version int, linkWorkerID string) (*linkwork.Case, error) {
	var c *linkwork.Case
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.visibleCase(id); err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionAllocate, caseRecord(c)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators allocate cases")
		}
		if c.Status != linkwork.CaseWaiting {
			return linkwork.FieldErr("status", "This case is "+strings.ToLower(c.Status.Label())+", not waiting")
		}
		if err := tx.checkLinkWorker(linkWorkerID, c.ServiceOrgID, "link_worker_id"); err != nil {
			return err
		}
		res, err := tx.exec("UPDATE cases SET link_worker_id = ?, status = ?, allocated_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			linkWorkerID, string(linkwork.CaseActive), tx.now, tx.now, id, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "cases", id, "Case"); err != nil {
			return err
		}
		c.LinkWorkerID, c.Status, c.AllocatedAt, c.UpdatedAt = linkWorkerID, linkwork.CaseActive, tx.now, tx.now
		c.Version = version + 1
		if c.LinkWorkerName, err = tx.workerName(linkWorkerID); err != nil {
			return err
		}
		if err := tx.audit("case.allocate", auth.KindCase, id, linkWorkerID); err != nil {
			return err
		}
		// The person hears who their link worker is; the referrer that
		// they have one (case_allocation.go).
		return tx.afterAllocation(c)
	})
	return c, err
}

// UpdateCase saves the case's plan fields and, within the allowed moves,
// its status (active and ending).
func (s *CaseService) UpdateCase(ctx context.Context, c *linkwork.Case) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.visibleCase(c.ID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, caseRecord(cur)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this case but not change it")
		}
		if c.Status != cur.Status {
			if c.Status == linkwork.CaseClosed || !cur.Status.CanBecome(c.Status) || c.Status == linkwork.CaseActive && cur.Status == linkwork.CaseWaiting {
				return linkwork.FieldErr("status", "A "+strings.ToLower(cur.Status.Label())+" case cannot become "+strings.ToLower(c.Status.Label())+" here: allocate or close it instead")
			}
		}
		res, err := tx.exec(`UPDATE cases SET status = ?, planned_sessions = ?, what_matters = ?, needs = ?, plan = ?, follow_up_on = ?, version = version + 1, updated_at = ?
			WHERE id = ? AND version = ?`, string(c.Status), c.PlannedSessions, c.WhatMatters, c.Needs, c.Plan, dv(c.FollowUpOn), tx.now, c.ID, c.Version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "cases", c.ID, "Case"); err != nil {
			return err
		}
		c.Version++
		c.UpdatedAt = tx.now
		c.PersonID, c.ReferralID, c.ServiceOrgID, c.LinkWorkerID = cur.PersonID, cur.ReferralID, cur.ServiceOrgID, cur.LinkWorkerID
		return tx.audit("case.update", auth.KindCase, c.ID, "")
	})
}

// CloseCase ends a case with a reason. The follow-up falls on the date
// given, or the service's follow-up weeks after today. Whether the person
// agreed to share the outcome with their referrer is recorded as their
// consent (ConsentShareReferrer), which the message back then follows.
func (s *CaseService) CloseCase(ctx context.Context, id string, version int, cl linkwork.CaseClosure) (*linkwork.Case, error) {
	if err := cl.Validate(); err != nil {
		return nil, err
	}
	var c *linkwork.Case
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.visibleCase(id); err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionClose, caseRecord(c)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this case but not close it")
		}
		if !c.Status.CanBecome(linkwork.CaseClosed) {
			return linkwork.FieldErr("status", "This case is already closed")
		}
		today := linkwork.DateOf(tx.now.In(ukTime))
		if cl.FollowUpOn.IsZero() {
			set, err := tx.settingsFor(c.ServiceOrgID)
			if err != nil {
				return err
			}
			cl.FollowUpOn = linkwork.DateOf(today.Time().AddDate(0, 0, 7*set.Casework.FollowUpAfter()))
		} else if cl.FollowUpOn.Before(today) {
			return linkwork.FieldErr("follow_up_on", "The follow-up date must be today or later")
		}
		if cl.ShareOutcome != nil {
			if _, err := tx.exec(`INSERT INTO consents (id, person_id, kind, given, given_by, recorded_at, recorded_by, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				uuid.NewString(), c.PersonID, string(linkwork.ConsentShareReferrer), *cl.ShareOutcome, "self", tx.now, tx.actor.ID(), "Asked on closing the case"); err != nil {
				return err
			}
			if err := tx.audit("person.consent", auth.KindPerson, c.PersonID, string(linkwork.ConsentShareReferrer)); err != nil {
				return err
			}
		}
		ref, err := scanReferral(tx.queryRow("SELECT "+referralSelect+" "+referralFrom+" WHERE r.id = ?", c.ReferralID))
		if err != nil {
			return err
		}
		share, err := tx.sharesWithReferrer(ref)
		if err != nil {
			return err
		}
		res, err := tx.exec(`UPDATE cases SET status = ?, closure_reason = ?, closure_note = ?, outcome_summary = ?, follow_up_on = ?, closed_at = ?,
			closure_destination = ?, share_outcome = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			string(linkwork.CaseClosed), string(cl.Reason), cl.Note, cl.OutcomeSummary, dv(cl.FollowUpOn), tx.now, cl.Destination, share, tx.now, id, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "cases", id, "Case"); err != nil {
			return err
		}
		c.Status, c.ClosureReason, c.ClosureNote, c.OutcomeSummary, c.FollowUpOn, c.ClosedAt = linkwork.CaseClosed, cl.Reason, cl.Note, cl.OutcomeSummary, cl.FollowUpOn, tx.now
		c.ClosureDestination, c.ShareOutcome = cl.Destination, share
		c.Version, c.UpdatedAt = version+1, tx.now
		if err := tx.audit("case.close", auth.KindCase, id, string(cl.Reason)); err != nil {
			return err
		}
		if err := tx.withdrawCaseReminders(id); err != nil {
			return err
		}
		// The referrer hears that the support ended: GPs stopped referring
		// partly because they never heard what happened.
		return tx.notifyCaseClosed(c)
	})
	return c, err
}

// caseForWork loads a visible case the actor may update, for adding
// contacts, goals and measures.
func (tx *Tx) caseForWork(id string) (*linkwork.Case, error) {
	c, err := tx.visibleCase(id)
	if err != nil {
		return nil, err
	}
	if !auth.Can(tx.actor, auth.ActionUpdate, caseRecord(c)) {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this case but not add to it")
	}
	return c, nil
}

// AddContact records an attempt to reach the person, a session, or a
// session booked ahead. A session booked ahead queues a reminder to the
// person when they agreed to reminders (addBooking).
func (s *CaseService) AddContact(ctx context.Context, c *linkwork.Contact) error {
	if err := c.ValidateNew(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		k, err := tx.caseForWork(c.CaseID)
		if err != nil {
			return err
		}
		if err := tx.checkContactTime(k, c); err != nil {
			return err
		}
		if err := tx.insertContact(c); err != nil {
			return err
		}
		if c.Outcome == linkwork.ContactBooked {
			return tx.queueReminder(k, c)
		}
		return nil
	})
}

func (tx *Tx) insertContact(c *linkwork.Contact) error {
	if c.ID == "" {
		c.ID = uuid.NewString()
	}
	if c.ByUserID == "" {
		c.ByUserID = tx.actor.ID()
	}
	c.Version, c.CreatedAt = 1, tx.now
	if c.Kind == "" {
		c.Kind = c.Outcome.Kind()
	}
	if _, err := tx.exec(`INSERT INTO contacts (id, case_id, at, mode, location_type, outcome, minutes, notes, by_user_id, version, created_at, kind, discuss_at_supervision)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ID, c.CaseID, tv(c.At), string(c.Mode), c.LocationType, string(c.Outcome), c.Minutes, c.Notes, c.ByUserID, c.Version, c.CreatedAt, string(c.Kind), c.DiscussAtSupervision); err != nil {
		return err
	}
	return tx.audit("contact.create", auth.KindCase, c.CaseID, c.ID)
}

// FindContacts lists a case's contacts, newest first.
func (s *CaseService) FindContacts(ctx context.Context, caseID string) ([]*linkwork.Contact, error) {
	var out []*linkwork.Contact
	err := s.db.audited(ctx, func(tx *Tx) error {
		if _, err := tx.visibleCase(caseID); err != nil {
			return err
		}
		rows, err := tx.query("SELECT "+contactColumns+" FROM contacts WHERE case_id = ? ORDER BY at DESC, id", caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			c, err := scanContact(rows)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.audit("contact.list", auth.KindCase, caseID, "")
	})
	return out, err
}

// AddGoal records a goal, with its first rating when it has one.
func (s *CaseService) AddGoal(ctx context.Context, g *linkwork.Goal) error {
	if err := g.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		c, err := tx.caseForWork(g.CaseID)
		if err != nil {
			return err
		}
		if c.Status == linkwork.CaseClosed {
			return linkwork.FieldErr("status", "A closed case takes no new goals")
		}
		set, err := tx.settingsFor(c.ServiceOrgID)
		if err != nil {
			return err
		}
		open, err := tx.count("SELECT COUNT(*) FROM goals WHERE case_id = ? AND achieved = FALSE", g.CaseID)
		if err != nil {
			return err
		}
		if max := set.Casework.Goals(); open >= max {
			return linkwork.FieldErr("text", fmt.Sprintf("Mark a goal achieved before adding another: a case works on at most %d at once", max))
		}
		if err := tx.insertGoal(g); err != nil {
			return err
		}
		for i := range g.Ratings {
			r := &g.Ratings[i]
			r.GoalID, r.CaseID = g.ID, g.CaseID
			if err := tx.insertRating(r); err != nil {
				return err
			}
		}
		return nil
	})
}

func (tx *Tx) insertGoal(g *linkwork.Goal) error {
	if g.ID == "" {
		g.ID = uuid.NewString()
	}
	g.CreatedAt, g.Version = tx.now, 1
	if g.Achieved {
		g.AchievedAt = tx.now
	}
	if _, err := tx.exec("INSERT INTO goals (id, case_id, text, achieved, created_at, importance, achieved_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		g.ID, g.CaseID, g.Text, g.Achieved, g.CreatedAt, int(g.Importance), tv(g.AchievedAt), g.Version); err != nil {
		return err
	}
	return tx.audit("goal.create", auth.KindCase, g.CaseID, g.ID)
}

// FindGoals lists a case's goals, oldest first, with their ratings.
func (s *CaseService) FindGoals(ctx context.Context, caseID string) ([]*linkwork.Goal, error) {
	var out []*linkwork.Goal
	err := s.db.audited(ctx, func(tx *Tx) error {
		if _, err := tx.visibleCase(caseID); err != nil {
			return err
		}
		var err error
		if out, err = tx.goalsOf(caseID); err != nil {
			return err
		}
		return tx.audit("goal.list", auth.KindCase, caseID, "")
	})
	return out, err
}
