package demo

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// caseMeasures records outcome measures: at the first session (baseline),
// midway through longer cases (review) and at the last session of a case
// that ended well (end). Only age-appropriate instruments are used: SWEMWBS
// from 13, ONS4 from 16 (the age ONS asks it from), goal-based outcomes for
// everyone with goals. Scores are left for the store to compute.
func (g *gen) caseMeasures(r *rng, pc *personCtx, c *linkwork.Case, goals []*linkwork.Goal, attended []time.Time, age int, reason linkwork.ClosureReason, by string) {
	if len(attended) == 0 {
		return
	}
	// The person's wellbeing at the start, and how much it changes by the
	// end: a modest improvement on average, more for those who met their
	// goals or connected.
	level := clampF(r.normal(2.5, 0.45), 1.3, 3.8)
	var lift float64
	switch reason {
	case linkwork.ClosedGoalsMet, linkwork.ClosedConnected:
		lift = r.normal(0.45, 0.4)
	case linkwork.ClosedOnward:
		lift = r.normal(0.15, 0.4)
	default:
		lift = r.normal(0.1, 0.35)
	}
	ons := [4]float64{clampF(r.normal(4.6, 1.6), 0, 10), clampF(r.normal(5.2, 1.6), 0, 10), clampF(r.normal(4.6, 1.8), 0, 10), clampF(r.normal(6.2, 1.8), 0, 10)}
	onsLift := r.normal(1.3, 1.1)
	gbo := make([]float64, len(goals))
	for i := range gbo {
		gbo[i] = clampF(r.normal(2.8, 1.3), 0, 9)
	}
	goalIDs := make([]string, len(goals))
	for i, gl := range goals {
		goalIDs[i] = gl.ID
	}
	completedBy := linkwork.CompletedByPerson
	if age < 16 && r.chance(0.6) || r.chance(0.25) {
		completedBy = linkwork.CompletedWithWorker
	}

	measure := func(inst linkwork.Instrument, tp linkwork.Timepoint, at time.Time, answers []int, ids []string) {
		if at.After(g.clock.now) {
			at = g.clock.now
		}
		g.b.measures = append(g.b.measures, &linkwork.MeasureResponse{
			ID: r.uuid(), PersonID: pc.p.ID, CaseID: c.ID, Instrument: inst, Timepoint: tp,
			Answers: linkwork.Ints(answers...), GoalIDs: ids, CompletedBy: completedBy, At: at, CreatedBy: by,
		})
	}
	// progress runs from 0 at baseline to 1 at the end.
	record := func(tp linkwork.Timepoint, at time.Time, progress float64, wellbeing bool) {
		if wellbeing && age >= 13 {
			answers := make([]int, 7)
			for i := range answers {
				answers[i] = clampInt(roundInt(level+lift*progress+r.normal(0, 0.6)), 1, 5)
			}
			measure(linkwork.InstrumentSWEMWBS, tp, at.Add(10*time.Minute), answers, nil)
		}
		if wellbeing && age >= 16 {
			answers := make([]int, 4)
			for i := range answers {
				d := onsLift * progress
				if i == 3 {
					d = -d // anxiety: lower is better
				}
				answers[i] = clampInt(roundInt(ons[i]+d+r.normal(0, 0.7)), 0, 10)
			}
			measure(linkwork.InstrumentONS4, tp, at.Add(15*time.Minute), answers, nil)
		}
		if len(goals) > 0 {
			answers := make([]int, len(goals))
			for i := range answers {
				answers[i] = clampInt(roundInt(gbo[i]+(4+lift*2)*progress+r.normal(0, 0.8)), 0, 10)
			}
			measure(linkwork.InstrumentGBO, tp, at.Add(20*time.Minute), answers, goalIDs)
		}
	}

	record(linkwork.TimepointBaseline, attended[0], 0, true)
	if len(attended) >= 5 {
		record(linkwork.TimepointReview, attended[len(attended)/2], 0.5, r.chance(0.4))
	}
	if c.Status == linkwork.CaseClosed && len(attended) >= 2 &&
		(reason == linkwork.ClosedGoalsMet || reason == linkwork.ClosedConnected || reason == linkwork.ClosedOnward) {
		record(linkwork.TimepointEnd, attended[len(attended)-1], 1, true)
	}
}

func clampF(x, lo, hi float64) float64 {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}
