package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// Safeguarding concerns and safety plans.

// ConcernService implements linkwork.ConcernService.
type ConcernService struct{ db *DB }

// NewConcernService returns the concern service over db.
func NewConcernService(db *DB) *ConcernService { return &ConcernService{db: db} }

var _ linkwork.ConcernService = (*ConcernService)(nil)

// concernColumns and concernFrom read concerns (aliased c) with the
// person's name (from the referral, which follows a merged duplicate),
// the link worker of the referral's case (for the policy), and the names
// of who raised and closed it.
const (
	concernColumns = "c.id, c.service_org_id, c.referral_id, COALESCE(c.case_id, ''), r.person_id, c.category, c.description, c.immediate_action, c.safe_now, c.status, c.outcome, " +
		"c.raised_by, c.raised_at, c.closed_by, c.closed_at, c.version, p.given_name, p.preferred_name, p.family_name, COALESCE(k.link_worker_id, ''), COALESCE(ru.name, ''), COALESCE(cu.name, '')"
	concernTable = "FROM concerns c"
	concernJoins = "JOIN referrals r ON r.id = c.referral_id JOIN people p ON p.id = r.person_id LEFT JOIN cases k ON k.referral_id = c.referral_id " +
		"LEFT JOIN users ru ON ru.id = c.raised_by LEFT JOIN users cu ON cu.id = c.closed_by"
)

func scanConcern(row scanner) (*linkwork.Concern, error) {
	var c linkwork.Concern
	var category, safe, status, given, preferred, family string
	err := row.Scan(&c.ID, &c.ServiceOrgID, &c.ReferralID, &c.CaseID, &c.PersonID, &category, &c.Description, &c.ImmediateAction, &safe, &status, &c.Outcome,
		&c.RaisedBy, timeDest{&c.RaisedAt}, &c.ClosedBy, timeDest{&c.ClosedAt}, &c.Version, &given, &preferred, &family, &c.LinkWorkerID, &c.RaisedByName, &c.ClosedByName)
	c.Category, c.SafeNow, c.Status = linkwork.ConcernCategory(category), linkwork.Answer(safe), linkwork.ConcernStatus(status)
	c.PersonName = displayName(given, preferred, family)
	return &c, err
}

// concernRecord describes a concern's ownership for the policy.
func concernRecord(c *linkwork.Concern) auth.Record {
	return auth.Record{Kind: auth.KindConcern, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID, RaisedBy: c.RaisedBy}
}

// visibleConcern reads a concern the actor may see, with its actions:
// ENOTFOUND for one they may not.
func (tx *Tx) visibleConcern(id string) (*linkwork.Concern, error) {
	var w where
	w.add("c.id = ?", id)
	w.scope(tx.actor, auth.KindConcern, "c")
	c, err := scanConcern(tx.queryRow("SELECT "+concernColumns+" "+concernTable+" "+concernJoins+" WHERE "+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Concern not found")
	}
	if err != nil {
		return nil, err
	}
	err = tx.eachRow(`SELECT a.id, a.concern_id, a.action, a.on_date, a.reason, a.note, a.by_user_id, COALESCE(u.name, ''), a.at
		FROM concern_actions a LEFT JOIN users u ON u.id = a.by_user_id WHERE a.concern_id = ? ORDER BY a.at, a.id`, []any{id}, func(row scanner) error {
		var a linkwork.ConcernAction
		var kind string
		if err := row.Scan(&a.ID, &a.ConcernID, &kind, dateDest{&a.On}, &a.Reason, &a.Note, &a.By, &a.ByName, timeDest{&a.At}); err != nil {
			return err
		}
		a.Action = linkwork.ConcernActionKind(kind)
		c.Actions = append(c.Actions, &a)
		return nil
	})
	return c, err
}

// RaiseConcern raises a concern on a case or a referral the actor may
// raise one on, and tells the service's safeguarding leads at once.
func (s *ConcernService) RaiseConcern(ctx context.Context, c *linkwork.Concern) error {
	*c = *c.Normalised()
	if err := c.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		var ref *linkwork.Referral
		switch {
		case c.CaseID != "":
			k, err := tx.visibleCase(c.CaseID)
			if err != nil {
				return err
			}
			if !auth.Can(tx.actor, auth.ActionRaiseConcern, caseRecord(k)) {
				return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this case but not raise a concern on it: tell its link worker or the safeguarding lead")
			}
			ref = &linkwork.Referral{ID: k.ReferralID}
			c.ServiceOrgID = k.ServiceOrgID
		case c.ReferralID != "":
			r, err := tx.visibleReferral(c.ReferralID)
			if err != nil {
				return err
			}
			if !auth.Can(tx.actor, auth.ActionRaiseConcern, auth.Record{Kind: auth.KindReferral, ServiceOrgID: r.ServiceOrgID, ReferrerOrgIDs: []string{r.ReferrerOrgID}}) {
				return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this referral but not raise a concern on it: tell the service")
			}
			ref = r
			c.ServiceOrgID = r.ServiceOrgID
		default:
			return linkwork.FieldErr("case_id", "Say which case or referral the concern is about")
		}
		c.ID, c.ReferralID, c.Status, c.Outcome = uuid.NewString(), ref.ID, linkwork.ConcernOpen, ""
		c.RaisedBy, c.RaisedAt, c.Version, c.ClosedBy, c.ClosedAt, c.Actions = tx.actor.UserID, tx.now, 1, "", time.Time{}, nil
		if _, err := tx.exec(`INSERT INTO concerns (id, service_org_id, referral_id, case_id, category, description, immediate_action, safe_now, status, raised_by, raised_at, version)
			VALUES (`+placeholders(12)+`)`, c.ID, c.ServiceOrgID, c.ReferralID, sv(c.CaseID), string(c.Category), c.Description, c.ImmediateAction, string(c.SafeNow),
			string(c.Status), c.RaisedBy, c.RaisedAt, c.Version); err != nil {
			return err
		}
		if err := tx.appendAudit("concern.raise", auth.KindConcern, c.ID, fmt.Sprintf("%s on referral %s (safe now: %s)", c.Category, c.ReferralID, c.SafeNow), c.ServiceOrgID); err != nil {
			return err
		}
		return tx.notifyConcern(c, ref)
	})
}

// notifyConcern tells each safeguarding lead of the service that a
// concern was raised, in the app (naming the person and the category)
// and by email to their address (saying only that a concern waits). A
// service with no safeguarding lead has its coordinators told instead:
// someone must hear at once.
func (tx *Tx) notifyConcern(c *linkwork.Concern, ref *linkwork.Referral) error {
	f, err := tx.referralFacts(ref)
	if err != nil {
		return err
	}
	f.link = "/concerns/" + c.ID
	var to []audience
	for _, role := range []linkwork.Role{linkwork.RoleSafeguarding, linkwork.RoleCoordinator} {
		err := tx.eachRow("SELECT id, email FROM users WHERE org_id = ? AND role = ? AND disabled = FALSE ORDER BY id",
			[]any{c.ServiceOrgID, string(role)}, func(row scanner) error {
				a := audience{orgID: c.ServiceOrgID}
				if err := row.Scan(&a.userID, &a.email); err != nil {
					return err
				}
				to = append(to, a)
				return nil
			})
		if err != nil {
			return err
		}
		if len(to) > 0 {
			break
		}
	}
	return tx.sendConcern(to, c, f)
}

// sendConcern tells each of to, but the one who raised it, of a concern.
func (tx *Tx) sendConcern(to []audience, c *linkwork.Concern, f *noteFacts) error {
	who := tx.actor.Name
	if who == "" {
		who = "Someone in the team"
	}
	app := message{
		subject: "Safeguarding concern: " + f.firstName + " (" + f.ref + ")",
		body: fmt.Sprintf("%s raised a safeguarding concern about %s (%s): %s. Safe now: %s.\n\nRead it, decide what to do and record it on the concern.",
			who, f.firstName, f.ref, strings.ToLower(c.Category.Label()), strings.ToLower(c.SafeNow.Label())),
	}
	email := message{
		subject: "A safeguarding concern needs you (" + f.ref + ")",
		body:    fmt.Sprintf("A safeguarding concern was raised at %s (%s) and needs a safeguarding lead today. Sign in to read it and record what was done.", f.service, f.ref),
	}
	for i := range to {
		if to[i].userID == tx.actor.UserID {
			continue
		}
		if err := tx.send(&to[i], linkwork.NoteConcernRaised, f, app, email); err != nil {
			return err
		}
	}
	return nil
}

// FindConcern returns a concern the actor may see, with its actions.
func (s *ConcernService) FindConcern(ctx context.Context, id string) (*linkwork.Concern, error) {
	var c *linkwork.Concern
	err := s.db.audited(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.visibleConcern(id); err != nil {
			return err
		}
		return tx.audit("concern.read", auth.KindConcern, id, "")
	})
	return c, err
}

// concernOrder puts the open concerns first ('open' sorts after
// 'closed'), newest first: the order of concerns_service_status read
// backwards.
const concernOrder = "c.status DESC, c.raised_at DESC, c.id DESC"

// concernsWhere is the concerns an actor may see that the filter keeps.
func concernsWhere(a linkwork.Actor, f linkwork.ConcernFilter) where {
	var w where
	w.scope(a, auth.KindConcern, "c")
	if f.Status != "" {
		w.add("c.status = ?", string(f.Status))
	}
	if f.ReferralID != "" {
		w.add("c.referral_id = ?", f.ReferralID)
	}
	return w
}

// FindConcerns returns a page of the concerns the actor may see, open
// first and newest first.
func (s *ConcernService) FindConcerns(ctx context.Context, f linkwork.ConcernFilter) ([]*linkwork.Concern, int, error) {
	var out []*linkwork.Concern
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		var err error
		out, total, err = queryPage(tx, concernTable, concernJoins, concernsWhere(tx.actor, f), concernOrder, f.Offset, f.Limit, scanConcern, concernColumns)
		if err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, c := range out {
			ids[i] = c.ID
		}
		return tx.auditList("concern.list", auth.KindConcern, ids)
	})
	return out, total, err
}

// concernForAct reads a concern the actor may see and do act to.
func (tx *Tx) concernForAct(id string, act auth.Action) (*linkwork.Concern, error) {
	c, err := tx.visibleConcern(id)
	if err != nil {
		return nil, err
	}
	if !auth.Can(tx.actor, act, concernRecord(c)) {
		if act == auth.ActionClose {
			return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "Only a safeguarding lead closes a concern")
		}
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "Only a safeguarding lead or a coordinator records what was done about a concern")
	}
	return c, nil
}

// RecordConcernAction records what was done about an open concern.
func (s *ConcernService) RecordConcernAction(ctx context.Context, concernID string, a *linkwork.ConcernAction) error {
	a.Reason, a.Note = strings.TrimSpace(a.Reason), strings.TrimSpace(a.Note)
	if err := a.Validate(linkwork.DateOf(s.db.Now().In(ukTime))); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		c, err := tx.concernForAct(concernID, auth.ActionUpdate)
		if err != nil {
			return err
		}
		if !c.Open() {
			return linkwork.FieldErr("action", "This concern is closed: nothing more is recorded on it")
		}
		a.ID, a.ConcernID, a.By, a.ByName, a.At = uuid.NewString(), c.ID, tx.actor.UserID, tx.actor.Name, tx.now
		if _, err := tx.exec("INSERT INTO concern_actions (id, concern_id, action, on_date, reason, note, by_user_id, at) VALUES ("+placeholders(8)+")",
			a.ID, a.ConcernID, string(a.Action), dv(a.On), a.Reason, a.Note, a.By, a.At); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE concerns SET version = version + 1 WHERE id = ?", c.ID); err != nil {
			return err
		}
		return tx.audit("concern.action", auth.KindConcern, c.ID, string(a.Action))
	})
}

// CloseConcern closes an open concern with an outcome.
func (s *ConcernService) CloseConcern(ctx context.Context, id string, version int, outcome string) (*linkwork.Concern, error) {
	outcome = strings.TrimSpace(outcome)
	if err := linkwork.ValidateConcernOutcome(outcome); err != nil {
		return nil, err
	}
	var c *linkwork.Concern
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.concernForAct(id, auth.ActionClose); err != nil {
			return err
		}
		if err := c.CheckClose(); err != nil {
			return err
		}
		res, err := tx.exec("UPDATE concerns SET status = ?, outcome = ?, closed_by = ?, closed_at = ?, version = version + 1 WHERE id = ? AND version = ? AND status = ?",
			string(linkwork.ConcernClosed), outcome, tx.actor.UserID, tx.now, id, version, string(linkwork.ConcernOpen))
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "concerns", id, "Concern"); err != nil {
			return err
		}
		c.Status, c.Outcome, c.ClosedBy, c.ClosedByName, c.ClosedAt, c.Version = linkwork.ConcernClosed, outcome, tx.actor.UserID, tx.actor.Name, tx.now, version+1
		return tx.audit("concern.close", auth.KindConcern, id, "")
	})
	return c, err
}

// OpenConcernFlags says which of the referrals (and so their cases) have
// an open concern the actor may see: one query, by the index of open
// concerns by referral.
func (s *ConcernService) OpenConcernFlags(ctx context.Context, referralIDs []string) (map[string]bool, error) {
	out := map[string]bool{}
	if a, _ := linkwork.ActorFrom(ctx); len(referralIDs) == 0 || auth.ScopeFor(a, auth.KindConcern).None() {
		// Nothing to ask, or nobody's concerns to see.
		return out, nil
	}
	err := s.db.audited(ctx, func(tx *Tx) error {
		ids := make([]any, len(referralIDs))
		for i, id := range referralIDs {
			ids[i] = id
		}
		var found []string
		err := inChunks(ids, func(in string, chunk []any) error {
			var w where
			w.add("c.referral_id IN "+in, chunk...)
			w.add("c.status = ?", string(linkwork.ConcernOpen))
			w.scope(tx.actor, auth.KindConcern, "c")
			return tx.eachRow("SELECT c.id, c.referral_id FROM concerns c WHERE "+w.sql(), w.args, func(row scanner) error {
				var id, ref string
				if err := row.Scan(&id, &ref); err != nil {
					return err
				}
				out[ref] = true
				found = append(found, id)
				return nil
			})
		})
		if err != nil {
			return err
		}
		return tx.auditList("concern.flag", auth.KindConcern, found)
	})
	return out, err
}

// FindSafetyPlan returns a case's safety plan: one not yet recorded has
// version 0 and the service's crisis numbers.
func (s *ConcernService) FindSafetyPlan(ctx context.Context, caseID string) (*linkwork.SafetyPlan, error) {
	var p *linkwork.SafetyPlan
	err := s.db.audited(ctx, func(tx *Tx) error {
		k, err := tx.visibleCase(caseID)
		if err != nil {
			return err
		}
		p = &linkwork.SafetyPlan{CaseID: caseID}
		err = tx.queryRow(`SELECT s.warning_signs, s.what_helps, s.who_to_contact, s.crisis_numbers, s.updated_by, COALESCE(u.name, ''), s.updated_at, s.version
			FROM safety_plans s LEFT JOIN users u ON u.id = s.updated_by WHERE s.case_id = ?`, caseID).
			Scan(&p.WarningSigns, &p.WhatHelps, &p.WhoToContact, &p.CrisisNumbers, &p.UpdatedBy, &p.UpdatedByName, timeDest{&p.UpdatedAt}, &p.Version)
		if errors.Is(err, sql.ErrNoRows) {
			set, err := tx.settingsFor(k.ServiceOrgID)
			if err != nil {
				return err
			}
			p.CrisisNumbers = strings.TrimSpace(set.CrisisAdvice)
			if p.CrisisNumbers == "" {
				p.CrisisNumbers = linkwork.DefaultCrisisNumbers
			}
		} else if err != nil {
			return err
		}
		return tx.audit("safety_plan.read", auth.KindCase, caseID, "")
	})
	return p, err
}

// SaveSafetyPlan records a case's safety plan, for those who work the
// case.
func (s *ConcernService) SaveSafetyPlan(ctx context.Context, p *linkwork.SafetyPlan) error {
	for _, f := range []*string{&p.WarningSigns, &p.WhatHelps, &p.WhoToContact, &p.CrisisNumbers} {
		*f = strings.TrimSpace(*f)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.caseForWork(p.CaseID); err != nil {
			return err
		}
		var res sql.Result
		var err error
		if p.Version == 0 {
			res, err = tx.exec(`INSERT INTO safety_plans (case_id, warning_signs, what_helps, who_to_contact, crisis_numbers, updated_by, updated_at, version)
				VALUES (`+placeholders(8)+`) ON CONFLICT (case_id) DO NOTHING`, p.CaseID, p.WarningSigns, p.WhatHelps, p.WhoToContact, p.CrisisNumbers, tx.actor.UserID, tx.now, 1)
		} else {
			res, err = tx.exec(`UPDATE safety_plans SET warning_signs = ?, what_helps = ?, who_to_contact = ?, crisis_numbers = ?, updated_by = ?, updated_at = ?, version = version + 1
				WHERE case_id = ? AND version = ?`, p.WarningSigns, p.WhatHelps, p.WhoToContact, p.CrisisNumbers, tx.actor.UserID, tx.now, p.CaseID, p.Version)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n != 1 {
			return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed this safety plan since you opened it. Reload it to see their changes, then make yours again.")
		}
		p.Version++
		p.UpdatedBy, p.UpdatedByName, p.UpdatedAt = tx.actor.UserID, tx.actor.Name, tx.now
		return tx.audit("safety_plan.save", auth.KindCase, p.CaseID, fmt.Sprintf("version %d", p.Version))
	})
}
