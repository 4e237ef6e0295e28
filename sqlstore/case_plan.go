package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// The plan of a case: goals and their ratings, actions, reviews, the
// ending, the follow-up, coming back, "my plan" and the message back.

var _ linkwork.CasePlanService = (*CaseService)(nil)

// goalsOf reads a case's goals, oldest first, each with its ratings.
func (tx *Tx) goalsOf(caseID string) ([]*linkwork.Goal, error) {
	var out []*linkwork.Goal
	byID := map[string]*linkwork.Goal{}
	err := tx.eachRow("SELECT id, case_id, text, achieved, created_at, importance, achieved_at, version FROM goals WHERE case_id = ? ORDER BY created_at, id", []any{caseID}, func(row scanner) error {
		var g linkwork.Goal
		var imp int
		if err := row.Scan(&g.ID, &g.CaseID, &g.Text, &g.Achieved, timeDest{&g.CreatedAt}, &imp, timeDest{&g.AchievedAt}, &g.Version); err != nil {
			return err
		}
		g.Importance = linkwork.Importance(imp)
		out = append(out, &g)
		byID[g.ID] = &g
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.eachRow("SELECT id, goal_id, case_id, rating, scale, at, by_user_id FROM goal_ratings WHERE case_id = ? ORDER BY at, id", []any{caseID}, func(row scanner) error {
		var r linkwork.GoalRating
		var scale string
		if err := row.Scan(&r.ID, &r.GoalID, &r.CaseID, &r.Rating, &scale, timeDest{&r.At}, &r.ByUserID); err != nil {
			return err
		}
		r.Scale = linkwork.RatingScale(scale)
		if g := byID[r.GoalID]; g != nil {
			g.Ratings = append(g.Ratings, r)
		}
		return nil
	})
	return out, err
}

func (tx *Tx) insertRating(r *linkwork.GoalRating) error {
	r.ID, r.At, r.ByUserID = uuid.NewString(), tx.now, tx.actor.ID()
	if _, err := tx.exec("INSERT INTO goal_ratings (id, goal_id, case_id, rating, scale, at, by_user_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
		r.ID, r.GoalID, r.CaseID, r.Rating, string(r.Scale), r.At, r.ByUserID); err != nil {
		return err
	}
	return tx.audit("goal.rate", auth.KindCase, r.CaseID, r.GoalID)
}

// goalForWork loads a goal on a case the actor may work on.
func (tx *Tx) goalForWork(goalID string) (*linkwork.Goal, *linkwork.Case, error) {
	var caseID string
	err := tx.queryRow("SELECT case_id FROM goals WHERE id = ?", goalID).Scan(&caseID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, linkwork.Errorf(linkwork.ENOTFOUND, "Goal not found")
	}
	if err != nil {
		return nil, nil, err
	}
	c, err := tx.visibleCase(caseID)
	if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
		return nil, nil, linkwork.Errorf(linkwork.ENOTFOUND, "Goal not found")
	}
	if err != nil {
		return nil, nil, err
	}
	if !auth.Can(tx.actor, auth.ActionUpdate, caseRecord(c)) {
		return nil, nil, linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this case but not change it")
	}
	goals, err := tx.goalsOf(caseID)
	if err != nil {
		return nil, nil, err
	}
	for _, g := range goals {
		if g.ID == goalID {
			return g, c, nil
		}
	}
	return nil, nil, linkwork.Errorf(linkwork.ENOTFOUND, "Goal not found")
}

// RateGoal records how close the person feels to a goal.
func (s *CaseService) RateGoal(ctx context.Context, goalID string, rating int, scale linkwork.RatingScale) (*linkwork.GoalRating, error) {
	var p linkwork.Problems
	linkwork.ValidateRating(&p, "rating", rating, scale)
	if err := p.Err(); err != nil {
		return nil, err
	}
	r := &linkwork.GoalRating{GoalID: goalID, Rating: rating, Scale: scale}
	err := s.db.update(ctx, func(tx *Tx) error {
		g, c, err := tx.goalForWork(goalID)
		if err != nil {
			return err
		}
		if c.Status == linkwork.CaseClosed {
			return linkwork.FieldErr("status", "A closed case's goals are no longer rated")
		}
		r.CaseID = g.CaseID
		return tx.insertRating(r)
	})
	return r, err
}

// AchieveGoal marks a goal achieved.
func (s *CaseService) AchieveGoal(ctx context.Context, goalID string, version int) (*linkwork.Goal, error) {
	var g *linkwork.Goal
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if g, _, err = tx.goalForWork(goalID); err != nil {
			return err
		}
		if g.Achieved {
			return linkwork.FieldErr("achieved", "This goal is already marked achieved")
		}
		res, err := tx.exec("UPDATE goals SET achieved = TRUE, achieved_at = ?, version = version + 1 WHERE id = ? AND version = ?", tx.now, goalID, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "goals", goalID, "Goal"); err != nil {
			return err
		}
		g.Achieved, g.AchievedAt, g.Version = true, tx.now, version+1
		return tx.audit("goal.achieve", auth.KindCase, g.CaseID, g.ID)
	})
	return g, err
}

const actionColumns = "id, case_id, who, who_name, what, due_on, done_at, by_user_id, version, created_at"

func scanAction(row scanner) (*linkwork.CaseAction, error) {
	var a linkwork.CaseAction
	var who string
	err := row.Scan(&a.ID, &a.CaseID, &who, &a.WhoName, &a.What, dateDest{&a.DueOn}, timeDest{&a.DoneAt}, &a.ByUserID, &a.Version, timeDest{&a.CreatedAt})
	a.Who = linkwork.ActionWho(who)
	return &a, err
}

// AddAction adds a step to the plan.
func (s *CaseService) AddAction(ctx context.Context, a *linkwork.CaseAction) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if _, err := tx.caseForWork(a.CaseID); err != nil {
			return err
		}
		a.ID, a.ByUserID, a.Version, a.CreatedAt, a.DoneAt = uuid.NewString(), tx.actor.ID(), 1, tx.now, time.Time{}
		if _, err := tx.exec("INSERT INTO case_actions ("+actionColumns+") VALUES ("+placeholders(10)+")",
			a.ID, a.CaseID, string(a.Who), a.WhoName, a.What, dv(a.DueOn), nil, a.ByUserID, a.Version, a.CreatedAt); err != nil {
			return err
		}
		return tx.audit("action.create", auth.KindCase, a.CaseID, a.ID)
	})
}

func (tx *Tx) actionsOf(caseID string) ([]*linkwork.CaseAction, error) {
	var out []*linkwork.CaseAction
	err := tx.eachRow("SELECT "+actionColumns+" FROM case_actions WHERE case_id = ? ORDER BY created_at, id", []any{caseID}, func(row scanner) error {
		a, err := scanAction(row)
		out = append(out, a)
		return err
	})
	return out, err
}

// FindActions lists a case's actions, oldest first.
func (s *CaseService) FindActions(ctx context.Context, caseID string) ([]*linkwork.CaseAction, error) {
	var out []*linkwork.CaseAction
	err := s.db.audited(ctx, func(tx *Tx) error {
		if _, err := tx.visibleCase(caseID); err != nil {
			return err
		}
		var err error
		if out, err = tx.actionsOf(caseID); err != nil {
			return err
		}
		return tx.audit("action.list", auth.KindCase, caseID, "")
	})
	return out, err
}

// CompleteAction marks an action done or not done.
func (s *CaseService) CompleteAction(ctx context.Context, id string, version int, done bool) (*linkwork.CaseAction, error) {
	var a *linkwork.CaseAction
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		a, err = scanAction(tx.queryRow("SELECT "+actionColumns+" FROM case_actions WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Action not found")
		}
		if err != nil {
			return err
		}
		if _, err := tx.caseForWork(a.CaseID); err != nil {
			if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
				return linkwork.Errorf(linkwork.ENOTFOUND, "Action not found")
			}
			return err
		}
		var at time.Time
		if done {
			at = tx.now
		}
		res, err := tx.exec("UPDATE case_actions SET done_at = ?, version = version + 1 WHERE id = ? AND version = ?", tv(at), id, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "case_actions", id, "Action"); err != nil {
			return err
		}
		a.DoneAt, a.Version = at, version+1
		return tx.audit("action.update", auth.KindCase, a.CaseID, id)
	})
	return a, err
}

// attended counts the sessions a case's person attended.
func (tx *Tx) attended(caseID string) (int, error) {
	return tx.count("SELECT COUNT(*) FROM contacts WHERE case_id = ? AND kind = 'session' AND outcome = ?", caseID, string(linkwork.ContactAttended))
}

// AttendedSessions counts the sessions a case's person attended.
func (s *CaseService) AttendedSessions(ctx context.Context, caseID string) (int, error) {
	var n int
	err := s.db.view(ctx, func(tx *Tx) error {
		if _, err := tx.visibleCase(caseID); err != nil {
			return err
		}
		var err error
		n, err = tx.attended(caseID)
		return err
	})
	return n, err
}

// AddReview records a review with the goals re-rated in it, and acts on
// its decision: start ending moves an active case to ending (close is
// left to the closing form, which asks what closing needs).
func (s *CaseService) AddReview(ctx context.Context, r *linkwork.Review) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		c, err := tx.caseForWork(r.CaseID)
		if err != nil {
			return err
		}
		if c.Status != linkwork.CaseActive && c.Status != linkwork.CaseEnding {
			return linkwork.FieldErr("status", "Only an active or ending case is reviewed")
		}
		goals, err := tx.goalsOf(c.ID)
		if err != nil {
			return err
		}
		for i := range r.Ratings {
			ok := false
			for _, g := range goals {
				ok = ok || g.ID == r.Ratings[i].GoalID
			}
			if !ok {
				return linkwork.FieldErr("ratings", "Rate only this case's goals")
			}
		}
		if r.Sessions, err = tx.attended(c.ID); err != nil {
			return err
		}
		r.ID, r.At, r.ByUserID, r.CreatedAt = uuid.NewString(), tx.now, tx.actor.ID(), tx.now
		if _, err := tx.exec(`INSERT INTO case_reviews (id, case_id, at, sessions, engaged, why_not, notes, decision, by_user_id, created_at)
			VALUES (`+placeholders(10)+`)`, r.ID, r.CaseID, r.At, r.Sessions, string(r.Engaged), r.WhyNot, r.Notes, string(r.Decision), r.ByUserID, r.CreatedAt); err != nil {
			return err
		}
		if err := tx.audit("review.create", auth.KindCase, c.ID, string(r.Decision)); err != nil {
			return err
		}
		for i := range r.Ratings {
			r.Ratings[i].CaseID = c.ID
			if err := tx.insertRating(&r.Ratings[i]); err != nil {
				return err
			}
		}
		if r.Decision == linkwork.ReviewStartEnding && c.Status == linkwork.CaseActive {
			if _, err := tx.exec("UPDATE cases SET status = ?, ending_planned_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
				string(linkwork.CaseEnding), tx.now, tx.now, c.ID); err != nil {
				return err
			}
			return tx.audit("case.ending", auth.KindCase, c.ID, "review")
		}
		return nil
	})
}

// FindReviews lists a case's reviews, oldest first.
func (s *CaseService) FindReviews(ctx context.Context, caseID string) ([]*linkwork.Review, error) {
	var out []*linkwork.Review
	err := s.db.audited(ctx, func(tx *Tx) error {
		if _, err := tx.visibleCase(caseID); err != nil {
			return err
		}
		err := tx.eachRow("SELECT id, case_id, at, sessions, engaged, why_not, notes, decision, by_user_id, created_at FROM case_reviews WHERE case_id = ? ORDER BY at, id",
			[]any{caseID}, func(row scanner) error {
				var r linkwork.Review
				var engaged, decision string
				if err := row.Scan(&r.ID, &r.CaseID, timeDest{&r.At}, &r.Sessions, &engaged, &r.WhyNot, &r.Notes, &decision, &r.ByUserID, timeDest{&r.CreatedAt}); err != nil {
					return err
				}
				r.Engaged, r.Decision = linkwork.Engagement(engaged), linkwork.ReviewDecision(decision)
				out = append(out, &r)
				return nil
			})
		if err != nil {
			return err
		}
		return tx.audit("review.list", auth.KindCase, caseID, "")
	})
	return out, err
}

// PlanEnding moves an active case to ending (or changes an ending case's
// steps) with the tapering steps.
func (s *CaseService) PlanEnding(ctx context.Context, id string, version int, steps string) (*linkwork.Case, error) {
	var p linkwork.Problems
	steps = strings.TrimSpace(steps)
	if steps == "" {
		p.Add("steps", "Say how contact will taper: the steps to the ending")
	}
	p.Text("steps", steps, linkwork.MaxText)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var c *linkwork.Case
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.caseForWork(id); err != nil {
			return err
		}
		if c.Status != linkwork.CaseActive && c.Status != linkwork.CaseEnding {
			return linkwork.FieldErr("status", "Only an active case can plan its ending")
		}
		res, err := tx.exec("UPDATE cases SET status = ?, ending_steps = ?, ending_planned_at = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			string(linkwork.CaseEnding), steps, tx.now, tx.now, id, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "cases", id, "Case"); err != nil {
			return err
		}
		c.Status, c.EndingSteps, c.EndingPlannedAt, c.Version, c.UpdatedAt = linkwork.CaseEnding, steps, tx.now, version+1, tx.now
		return tx.audit("case.ending", auth.KindCase, id, "")
	})
	return c, err
}

// RecordFollowUp records the follow-up contact after a case closed.
func (s *CaseService) RecordFollowUp(ctx context.Context, id string, version int, note string) (*linkwork.Case, error) {
	var p linkwork.Problems
	note = strings.TrimSpace(note)
	if note == "" {
		p.Add("note", "Say how the person is doing")
	}
	p.Text("note", note, linkwork.MaxText)
	if err := p.Err(); err != nil {
		return nil, err
	}
	var c *linkwork.Case
	err := s.db.update(ctx, func(tx *Tx) error {
		var err error
		if c, err = tx.caseForWork(id); err != nil {
			return err
		}
		if c.Status != linkwork.CaseClosed {
			return linkwork.FieldErr("status", "A follow-up is made after the case has closed")
		}
		if !c.FollowedUpAt.IsZero() {
			return linkwork.FieldErr("status", "The follow-up has already been recorded")
		}
		res, err := tx.exec("UPDATE cases SET followed_up_at = ?, follow_up_note = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
			tx.now, note, tx.now, id, version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "cases", id, "Case"); err != nil {
			return err
		}
		c.FollowedUpAt, c.FollowUpNote, c.Version, c.UpdatedAt = tx.now, note, version+1, tx.now
		return tx.audit("case.follow_up", auth.KindCase, id, "")
	})
	return c, err
}

// ReopenCase opens a new case for a closed case's person, linked to it:
// with the same link worker when they are still an active link worker of
// the service, waiting otherwise. The return comes through a new referral,
// accepted at once, as a return to the hub.
func (s *CaseService) ReopenCase(ctx context.Context, id string) (*linkwork.Case, error) {
	var out *linkwork.Case
	err := s.db.update(ctx, func(tx *Tx) error {
		old, err := tx.caseForWork(id)
		if err != nil {
			return err
		}
		if old.Status != linkwork.CaseClosed {
			return linkwork.FieldErr("status", "Only a closed case can be reopened: this one is still open")
		}
		open, err := tx.count("SELECT COUNT(*) FROM cases WHERE person_id = ? AND service_org_id = ? AND status <> ?", old.PersonID, old.ServiceOrgID, string(linkwork.CaseClosed))
		if err != nil {
			return err
		}
		if open > 0 {
			return linkwork.FieldErr("status", "This person already has an open case")
		}
		prev, err := scanReferral(tx.queryRow("SELECT "+referralSelect+" "+referralFrom+" WHERE r.id = ?", old.ReferralID))
		if err != nil {
			return err
		}
		closed := linkwork.DateOf(old.ClosedAt.In(ukTime)).Time().Format("2 January 2006")
		// The person came back to the service, not through their first
		// referrer: the return is the hub's, and the first referrer is not
		// told of it nor sent its ending.
		r := &linkwork.Referral{ServiceOrgID: old.ServiceOrgID, PersonID: old.PersonID, Pathway: linkwork.PathwayHub, Mode: linkwork.ModeSelfReferral,
			ReferrerName: tx.actor.Name, ReferrerRole: "recorded the return", Reasons: "Came back after support ended on " + closed,
			WhatTheyWant: "Support again", PersonAware: new(true), ConsentReferral: true, GPPracticeOrgID: prev.GPPracticeOrgID,
			SafeNow: prev.SafeNow, HarmThoughts: prev.HarmThoughts, Streetlight: prev.Streetlight, PersonDateOfBirth: prev.PersonDateOfBirth}
		if r.SafeNow == "" {
			r.SafeNow = linkwork.AnswerYes
		}
		if r.HarmThoughts == "" {
			r.HarmThoughts = linkwork.AnswerNo
		}
		r.Risk.State = linkwork.RiskNone
		person, err := tx.visiblePerson(old.PersonID)
		if err != nil {
			return err
		}
		if err := tx.insertReferral(r, person, "return from case "+old.ID); err != nil {
			return err
		}
		worker := ""
		if old.LinkWorkerID != "" && tx.checkLinkWorker(old.LinkWorkerID, old.ServiceOrgID, "link_worker_id") == nil {
			worker = old.LinkWorkerID
		}
		if out, err = tx.openCase(r, worker); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE cases SET previous_case_id = ?, planned_sessions = ? WHERE id = ?", old.ID, old.PlannedSessions, out.ID); err != nil {
			return err
		}
		if _, err := tx.exec(`UPDATE referrals SET status = ?, case_id = ?, decided_at = ?, status_reason = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			string(linkwork.ReferralAccepted), out.ID, tx.now, r.Reasons, tx.now, r.ID); err != nil {
			return err
		}
		if _, err := tx.exec(`INSERT INTO referral_transitions (referral_id, seq, from_status, to_status, at, by_id, reason) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.ID, 1, string(linkwork.ReferralReceived), string(linkwork.ReferralAccepted), tx.now, tx.actor.ID(), r.Reasons); err != nil {
			return err
		}
		if err := tx.audit("referral.decide", auth.KindReferral, r.ID, "received->accepted (return)"); err != nil {
			return err
		}
		out, err = tx.visibleCase(out.ID)
		if err != nil {
			return err
		}
		return tx.audit("case.reopen", auth.KindCase, out.ID, old.ID)
	})
	return out, err
}

// MyPlan is the person's own copy of their plan.
func (s *CaseService) MyPlan(ctx context.Context, caseID string) (*linkwork.MyPlan, error) {
	var p *linkwork.MyPlan
	err := s.db.audited(ctx, func(tx *Tx) error {
		var err error
		if p, err = tx.myPlan(caseID); err != nil {
			return err
		}
		return tx.audit("case.my_plan", auth.KindCase, caseID, "")
	})
	return p, err
}

func (tx *Tx) myPlan(caseID string) (*linkwork.MyPlan, error) {
	c, err := tx.visibleCase(caseID)
	if err != nil {
		return nil, err
	}
	called, err := tx.calledName(c.PersonID)
	if err != nil {
		return nil, err
	}
	p := &linkwork.MyPlan{PersonName: called, WhatMatters: c.WhatMatters, Plan: c.Plan, LinkWorker: c.LinkWorkerName}
	if p.Goals, err = tx.goalsOf(caseID); err != nil {
		return nil, err
	}
	if p.Actions, err = tx.actionsOf(caseID); err != nil {
		return nil, err
	}
	err = tx.queryRow("SELECT MIN(at) FROM contacts WHERE case_id = ? AND outcome = ? AND at >= ?", caseID, string(linkwork.ContactBooked), tx.now).Scan(timeDest{&p.NextSession})
	if err != nil {
		return nil, err
	}
	p.NextSession = p.NextSession.In(ukTime)
	if err := tx.queryRow("SELECT name FROM organisations WHERE id = ?", c.ServiceOrgID).Scan(&p.Service); err != nil {
		return nil, err
	}
	set, err := tx.settingsFor(c.ServiceOrgID)
	if err != nil {
		return nil, err
	}
	p.Contact, p.CrisisAdvice = set.Contact, set.CrisisAdvice
	if strings.TrimSpace(p.CrisisAdvice) == "" {
		p.CrisisAdvice = linkwork.DefaultCrisisAdvice
	}
	return p, nil
}

// SendMyPlan queues the plan to the person by their chosen channel.
func (s *CaseService) SendMyPlan(ctx context.Context, caseID string) (*linkwork.PersonMessage, bool, error) {
	var m *linkwork.PersonMessage
	var ok bool
	err := s.db.update(ctx, func(tx *Tx) error {
		c, err := tx.caseForWork(caseID)
		if err != nil {
			return err
		}
		p, err := tx.myPlan(caseID)
		if err != nil {
			return err
		}
		person, err := tx.visiblePerson(c.PersonID)
		if err != nil {
			return err
		}
		m, ok, err = tx.queueMessage(person, caseID, linkwork.MessagePlan, "Your plan with "+p.Service, p.Text(), time.Time{})
		return err
	})
	return m, ok, err
}

// FindCaseOutcome is the message back on a referral the actor may see.
func (s *CaseService) FindCaseOutcome(ctx context.Context, referralID string) (*linkwork.CaseOutcome, error) {
	var o *linkwork.CaseOutcome
	err := s.db.audited(ctx, func(tx *Tx) error {
		r, err := tx.visibleReferral(referralID)
		if err != nil {
			return err
		}
		if r.CaseID == "" || r.CaseStatus != linkwork.CaseClosed {
			return nil
		}
		if o, err = tx.caseOutcome(r); err != nil {
			return err
		}
		return tx.audit("case.outcome_read", auth.KindReferral, r.ID, "")
	})
	return o, err
}

// caseOutcome builds the message back for a referral whose case closed:
// everything only when the person agreed to share it with the referrer.
func (tx *Tx) caseOutcome(r *linkwork.Referral) (*linkwork.CaseOutcome, error) {
	c, err := scanCase(tx.queryRow("SELECT "+caseSelect+" "+caseFrom+" WHERE k.id = ?", r.CaseID))
	if err != nil {
		return nil, err
	}
	o := &linkwork.CaseOutcome{CaseID: c.ID, ReferralID: r.ID, PersonName: c.PersonName, ClosedOn: linkwork.DateOf(c.ClosedAt.In(ukTime))}
	if err := tx.queryRow("SELECT name FROM organisations WHERE id = ?", c.ServiceOrgID).Scan(&o.Service); err != nil {
		return nil, err
	}
	if o.Shared, err = tx.sharesWithReferrer(r); err != nil || !o.Shared {
		return o, err
	}
	o.ReferredOn = linkwork.DateOf(r.ReceivedAt.In(ukTime))
	o.Reason, o.Destination, o.Summary, o.LinkWorkerName = c.ClosureReason, c.ClosureDestination, c.OutcomeSummary, c.LinkWorkerName
	var first time.Time
	if err := tx.queryRow("SELECT MIN(at) FROM contacts WHERE case_id = ? AND kind = 'session' AND outcome = ?", c.ID, string(linkwork.ContactAttended)).Scan(timeDest{&first}); err != nil {
		return nil, err
	}
	if !first.IsZero() {
		o.FirstSessionOn = linkwork.DateOf(first.In(ukTime))
	}
	if o.Sessions, err = tx.attended(c.ID); err != nil {
		return nil, err
	}
	err = tx.eachRow(`SELECT DISTINCT a.name FROM connections n JOIN assets a ON a.id = n.asset_id WHERE n.case_id = ? AND n.status IN (?, ?) ORDER BY a.name`,
		[]any{c.ID, string(linkwork.ConnAttended), string(linkwork.ConnContinuing)}, func(row scanner) error {
			var name string
			err := row.Scan(&name)
			o.Connections = append(o.Connections, name)
			return err
		})
	if err != nil {
		return nil, err
	}
	goals, err := tx.goalsOf(c.ID)
	if err != nil {
		return nil, err
	}
	for _, g := range goals {
		ch := linkwork.GoalChange{Text: g.Text, Achieved: g.Achieved}
		if f, ok := g.First(); ok {
			l, _ := g.Latest()
			ch.First, ch.Latest, ch.Rated = f.Rating, l.Rating, true
		}
		o.Goals = append(o.Goals, ch)
	}
	byInst := map[linkwork.Instrument]*linkwork.MeasureChange{}
	var order []linkwork.Instrument
	err = tx.eachRow("SELECT instrument, score FROM measures WHERE case_id = ? AND score IS NOT NULL ORDER BY at, id", []any{c.ID}, func(row scanner) error {
		var inst string
		var score float64
		if err := row.Scan(&inst, &score); err != nil {
			return err
		}
		i := linkwork.Instrument(inst)
		m := byInst[i]
		if m == nil {
			m = &linkwork.MeasureChange{Instrument: i, First: score}
			byInst[i] = m
			order = append(order, i)
		}
		m.Latest = score
		m.Times++
		return nil
	})
	for _, i := range order {
		o.Measures = append(o.Measures, *byInst[i])
	}
	return o, err
}
