package demo

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// The ways a case ends, and how often.
var closureTable = newWeighted(
	[]linkwork.ClosureReason{linkwork.ClosedGoalsMet, linkwork.ClosedConnected, linkwork.ClosedOnward, linkwork.ClosedDisengaged,
		linkwork.ClosedDeclined, linkwork.ClosedMovedAway, linkwork.ClosedNotSuitable},
	[]float64{28, 32, 7, 18, 6, 5, 4},
)

// support generates the case opened when a referral was accepted at
// accepted: the wait, the link worker, the sessions, goals, connections and
// measures, up to now. It returns when the case closed and whether it has.
func (g *gen) support(r *rng, pc *personCtx, ref *linkwork.Referral, nd *need, accepted time.Time) (time.Time, bool) {
	b := &g.b
	now := g.clock.now
	c := &linkwork.Case{
		ID:              r.uuid(),
		PersonID:        pc.p.ID,
		ReferralID:      ref.ID,
		ServiceOrgID:    g.serviceID,
		Status:          linkwork.CaseWaiting,
		PlannedSessions: r.between(6, 12),
		OpenedAt:        accepted,
		Version:         1,
		UpdatedAt:       accepted,
	}
	ref.CaseID = c.ID
	b.cases = append(b.cases, c)

	// Some people, contacted from the waiting list, no longer want
	// support: the referral is withdrawn and the case closes.
	if r.chance(0.04) {
		at := after(r, accepted, 7, 35)
		if at.After(now) {
			return time.Time{}, false
		}
		reason := closureNotes[linkwork.ClosedDeclined][1]
		ref.Transitions = append(ref.Transitions, linkwork.ReferralTransition{From: linkwork.ReferralAccepted, To: linkwork.ReferralWithdrawn, At: at, ByID: g.coordinator.id, Reason: reason})
		ref.Status, ref.StatusReason, ref.DecidedAt, ref.UpdatedAt = linkwork.ReferralWithdrawn, reason, at, at
		c.Status, c.ClosureReason, c.ClosureNote, c.ClosedAt, c.UpdatedAt = linkwork.CaseClosed, linkwork.ClosedDeclined, reason, at, at
		return at, true
	}

	// The wait for a link worker has grown over the months.
	alloc := accepted
	if !r.chance(0.2) {
		recency := 1 - now.Sub(accepted).Hours()/(540*24)
		alloc = after(r, accepted, 5, 14+int(45*max(0, recency)))
	}
	if alloc.After(now) {
		return time.Time{}, false // on the waiting list
	}
	c.AllocatedAt = alloc
	c.UpdatedAt = alloc

	// How it will end, and the sessions on the way.
	reason := closureTable.pick(r)
	var n int
	switch reason {
	case linkwork.ClosedGoalsMet, linkwork.ClosedConnected:
		n = clampInt(c.PlannedSessions+r.between(-1, 1), 6, 12)
	case linkwork.ClosedOnward, linkwork.ClosedDisengaged:
		n = r.between(2, 5)
	case linkwork.ClosedDeclined:
		n = r.between(1, 2)
	case linkwork.ClosedMovedAway:
		n = r.between(2, 6)
	default:
		n = r.between(1, 3)
	}
	tapering := reason == linkwork.ClosedGoalsMet || reason == linkwork.ClosedConnected
	times := g.times[:0]
	t := after(r, alloc, 2, 10)
	for k := 0; k < n; k++ {
		if k > 0 {
			if tapering && k >= n-2 {
				t = after(r, t, 14, 21) // contact tapers towards the ending
			} else {
				t = after(r, t, 6, 14)
			}
		}
		times = append(times, t)
	}
	g.times = times
	closeAt := after(r, times[n-1], 1, 10)
	kept := 0
	for kept < n && !times[kept].After(now) {
		kept++
	}
	switch {
	case !closeAt.After(now):
		c.Status = linkwork.CaseClosed
	case tapering && kept >= n-1:
		c.Status = linkwork.CaseEnding
	default:
		c.Status = linkwork.CaseActive
	}

	// The link worker: one whose ages fit the person then and now. The
	// demo link worker holds a full caseload.
	ageThen, ageNow := pc.ageAt(ref.ReceivedAt), pc.ageAt(now)
	lw := g.pickWorker(r, ageThen, ageNow, c.Status != linkwork.CaseClosed)
	c.LinkWorkerID = lw.id
	if lw == g.demoLinkWorker && c.Status != linkwork.CaseClosed {
		g.demoOpen++
	}

	// Sessions.
	firstAttended := time.Time{}
	var attended []time.Time
	for k := 0; k < kept; k++ {
		ct := g.contact(r, c.ID, lw.id, times[k], ageThen)
		switch {
		case k == 0 || (k == n-1 && reason != linkwork.ClosedDisengaged):
			ct.Outcome = linkwork.ContactAttended
		case reason == linkwork.ClosedDisengaged && k >= n-2:
			ct.Outcome = linkwork.ContactDNA
		}
		if ct.Outcome != linkwork.ContactAttended {
			ct.Minutes = 0
			if ct.Outcome == linkwork.ContactDNA {
				ct.Notes = pick(r, notesDNA)
			} else {
				ct.Notes = pick(r, notesCancelled)
			}
		} else {
			switch {
			case k == 0:
				ct.Notes = pick(r, notesFirst)
			case tapering && k >= n-2:
				ct.Notes = pick(r, notesEnding)
			}
			attended = append(attended, ct.At)
			if firstAttended.IsZero() {
				firstAttended = ct.At
			}
		}
		b.contacts = append(b.contacts, ct)
		c.UpdatedAt = ct.At
	}
	if kept > 0 {
		c.WhatMatters = pick(r, nd.matters)
		c.Needs = pick(r, nd.needs)
	}
	if kept > 1 {
		c.Plan = pick(r, plans)
	}
	if c.Status == linkwork.CaseClosed {
		c.ClosureReason = reason
		c.ClosureNote = pick(r, closureNotes[reason])
		c.ClosureDestination = closureDestinations[c.ClosureNote]
		c.ShareOutcome = ref.ConsentSharing // what the referrer may read, as agreed on the referral
		c.ClosedAt = closeAt
		c.UpdatedAt = closeAt
		if tapering {
			c.FollowUpOn = linkwork.DateOf(closeAt.AddDate(0, 0, r.between(42, 84)))
		}
		if ref.ConsentSharing && (tapering || reason == linkwork.ClosedOnward) {
			c.OutcomeSummary = pc.firstName() + pick(r, outcomeSummaries)
		}
	}

	// Consents and capacity, recorded at the first meeting.
	if !firstAttended.IsZero() {
		if ageThen >= 13 && ageThen <= 15 && pc.p.Competence == nil && r.chance(0.45) {
			comp := &linkwork.Competence{Competent: r.chance(0.85), DecidedBy: lw.id, DecidedAt: firstAttended}
			if comp.Competent {
				comp.Reasoning = pick(r, competentReasons)
			} else {
				comp.Reasoning = pick(r, notCompetentReasons)
			}
			pc.p.Competence = comp
		}
		g.consent(pc, linkwork.ConsentShareCommunity, r.chance(0.9), ageThen, firstAttended, lw.id)
		g.consent(pc, linkwork.ConsentEvaluation, r.chance(0.75), ageThen, firstAttended, lw.id)
	}

	goals := g.caseGoals(r, c, nd, firstAttended, reason)
	for _, gl := range goals {
		gl.Ratings = goalRatings(gl, firstAttended, now, ageThen < 18)
		for i := range gl.Ratings {
			gl.Ratings[i].ByUserID = lw.id
		}
	}
	g.connections(r, pc, c, nd, attended, reason)
	g.caseMeasures(r, pc, c, goals, attended, ageThen, reason, lw.id)

	if c.Status == linkwork.CaseClosed {
		return closeAt, true
	}
	return time.Time{}, false
}

// pickWorker returns a link worker whose age range fits the person at
// referral and now. In the Millbrook presets the demo link worker takes
// open cases until her caseload is full.
func (g *gen) pickWorker(r *rng, ageThen, ageNow int, open bool) *staffRef {
	youth := ageThen >= 13 && ageNow <= 25
	adult := ageThen >= 16
	if youth && open && !g.cfg.National && g.demoOpen < demoCaseload && r.chance(0.75) {
		return g.demoLinkWorker
	}
	if youth && (!adult || r.chance(0.5)) {
		lw := pick(r, g.youthWorkers)
		if lw == g.demoLinkWorker && open && g.demoOpen >= demoCaseload {
			lw = g.youthWorkers[1+r.intn(len(g.youthWorkers)-1)]
		}
		return lw
	}
	return pick(r, g.adultWorkers)
}

// demoCaseload is how many open cases the demo link worker holds at most.
const demoCaseload = 22

// contact makes one session at t.
func (g *gen) contact(r *rng, caseID, by string, t time.Time, age int) *linkwork.Contact {
	ct := &linkwork.Contact{ID: r.uuid(), CaseID: caseID, At: t, ByUserID: by, Version: 1, CreatedAt: t, Outcome: linkwork.ContactAttended}
	switch x := r.float(); {
	case x < 0.65:
		ct.Mode = linkwork.ContactFaceToFace
		if age < 19 {
			ct.LocationType = pick(r, youthPlaces)
		} else {
			ct.LocationType = pick(r, adultPlaces)
		}
		ct.Minutes = r.between(40, 75)
	case x < 0.85:
		ct.Mode, ct.LocationType, ct.Minutes = linkwork.ContactPhone, "phone", r.between(15, 40)
	case x < 0.93:
		ct.Mode, ct.LocationType, ct.Minutes = linkwork.ContactText, "text", r.between(5, 15)
	default:
		ct.Mode, ct.LocationType, ct.Minutes = linkwork.ContactVideo, "video", r.between(30, 50)
	}
	switch x := r.float(); {
	case x < 0.09:
		ct.Outcome = linkwork.ContactDNA
	case x < 0.14:
		ct.Outcome = linkwork.ContactCancelled
	}
	ct.Notes = pick(r, notesMiddle)
	return ct
}

var (
	youthPlaces = []string{"school", "school", "youth hub", "youth hub", "community centre", "outdoors", "home", "café", "leisure centre"}
	adultPlaces = []string{"community centre", "community centre", "GP surgery", "GP surgery", "home", "café", "outdoors", "library"}
)

// caseGoals sets one to three goals at the first session.
func (g *gen) caseGoals(r *rng, c *linkwork.Case, nd *need, at time.Time, reason linkwork.ClosureReason) []*linkwork.Goal {
	if at.IsZero() {
		return nil
	}
	n := r.between(1, min(3, len(nd.goals)))
	start := r.intn(len(nd.goals))
	goals := make([]*linkwork.Goal, n)
	for i := range goals {
		gl := &linkwork.Goal{ID: r.uuid(), CaseID: c.ID, Text: nd.goals[(start+i)%len(nd.goals)], CreatedAt: at}
		if c.Status == linkwork.CaseClosed {
			switch reason {
			case linkwork.ClosedGoalsMet:
				gl.Achieved = r.chance(0.75)
			case linkwork.ClosedConnected:
				gl.Achieved = r.chance(0.45)
			}
		}
		goals[i] = gl
		g.b.goals = append(g.b.goals, gl)
	}
	return goals
}
