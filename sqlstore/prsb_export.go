package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// PRSBExport makes the PRSB report of the actor's service in a fixed
// number of statements, whatever its size: the referrals with their
// person and episode, then, each by the service and counted by the
// database, the episodes' needs, the referrals' concerns, sessions by how
// they took place, activities by level and by category, approved funds,
// the ends kept of each episode's scores (outcome_ends) and the ONS4 and
// goal-based outcome completions. linkwork.PRSBReport codes and coarsens
// them. The report, with its agreement, recipient and purpose, and the
// people it was made from, go in the audit trail, as the evaluation
// export's do.
func (s *EvaluationExportService) PRSBExport(ctx context.Context, req linkwork.EvaluationRequest) (*linkwork.PRSBExport, error) {
	key, err := s.begin(ctx, req)
	if err != nil {
		return nil, err
	}
	out := &linkwork.PRSBExport{Request: req}
	err = s.db.audited(ctx, func(tx *Tx) error {
		out.Made = tx.now
		referrals, err := prsbReferrals(tx)
		if err != nil {
			return err
		}
		var personIDs []string
		seen := map[string]bool{}
		episodes := 0
		for _, r := range referrals {
			if !seen[r.PersonID] {
				seen[r.PersonID] = true
				personIDs = append(personIDs, r.PersonID)
			}
			if r.Episode != nil {
				episodes++
			}
		}
		out.Tables = linkwork.PRSBReport(key, linkwork.DateOf(tx.now.In(ukTime)), referrals)
		return recordExport(tx, "prsb_export", req, fmt.Sprintf("%d people, %d referrals, %d episodes of support", len(personIDs), len(referrals), episodes), personIDs)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// prsbReferrals reads what the report is made from: every referral the
// export includes, with its episode of support and what was recorded in
// it.
func prsbReferrals(tx *Tx) ([]linkwork.PRSBReferral, error) {
	w := exportedReferrals(tx)
	rows, err := tx.query(`SELECT r.id, r.person_id, r.received_at, r.decided_at, COALESCE(p.date_of_birth, r.person_dob), p.gender, p.ethnicity, p.postcode,
	r.pathway, r.mode, COALESCE(o.kind, ''), r.status, r.safe_now, r.harm_thoughts,
	COALESCE(k.id, ''), COALESCE(k.status, ''), k.opened_at, k.closed_at, COALESCE(k.closure_reason, '')
FROM referrals r
JOIN people p ON p.id = r.person_id
LEFT JOIN organisations o ON o.id = r.referrer_org_id
LEFT JOIN cases k ON k.referral_id = r.id
WHERE `+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	var out []linkwork.PRSBReferral
	caseOf := map[int]string{}
	for rows.Next() {
		var r linkwork.PRSBReferral
		var pathway, mode, kind, status, safe, harm, caseID, caseStatus, reason string
		var opened, closed time.Time
		if err := rows.Scan(&r.ReferralID, &r.PersonID, timeDest{&r.Received}, timeDest{&r.Decided}, dateDest{&r.DateOfBirth}, &r.Gender, &r.Ethnicity, &r.Postcode,
			&pathway, &mode, &kind, &status, &safe, &harm, &caseID, &caseStatus, timeDest{&opened}, timeDest{&closed}, &reason); err != nil {
			rows.Close()
			return nil, err
		}
		r.Pathway, r.Mode, r.ReferrerKind, r.Status = linkwork.Pathway(pathway), linkwork.ReferralMode(mode), linkwork.OrgKind(kind), linkwork.ReferralStatus(status)
		r.SafeNow, r.HarmThoughts = linkwork.Answer(safe), linkwork.Answer(harm)
		if caseID != "" {
			r.Episode = &linkwork.PRSBEpisode{Status: linkwork.CaseStatus(caseStatus), Opened: opened, Closed: closed, ClosureReason: linkwork.ClosureReason(reason)}
			caseOf[len(out)] = caseID
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		rows.Close()
		return nil, err
	}
	rows.Close()

	byReferral := map[string]*linkwork.PRSBReferral{}
	byCase := map[string]*linkwork.PRSBEpisode{}
	for i := range out {
		byReferral[out[i].ReferralID] = &out[i]
		if id, ok := caseOf[i]; ok {
			byCase[id] = out[i].Episode
		}
	}
	if err := prsbEpisodeCounts(tx, byReferral, byCase); err != nil {
		return nil, err
	}
	return out, nil
}

// prsbEpisodeCounts fills in the referrals' concerns and their episodes'
// needs, sessions, activities, funds and scores, each read once for the
// whole service.
func prsbEpisodeCounts(tx *Tx, byReferral map[string]*linkwork.PRSBReferral, byCase map[string]*linkwork.PRSBEpisode) error {
	var k where
	k.scope(tx.actor, auth.KindEvaluationExport, "k")
	episode := func(caseID string) *linkwork.PRSBEpisode { return byCase[caseID] }

	// Needs recorded on each episode, by domain.
	if err := tx.eachRow(`SELECT n.case_id, n.domain FROM case_needs n JOIN cases k ON k.id = n.case_id WHERE `+k.sql(), k.args, func(row scanner) error {
		var caseID, domain string
		if err := row.Scan(&caseID, &domain); err != nil {
			return err
		}
		if e := episode(caseID); e != nil {
			e.Needs = append(e.Needs, linkwork.NeedDomain(domain))
		}
		return nil
	}); err != nil {
		return err
	}

	// Safeguarding concerns on each referral, by category.
	var c where
	c.scope(tx.actor, auth.KindEvaluationExport, "c")
	if err := tx.eachRow(`SELECT c.referral_id, c.category, COUNT(*) FROM concerns c WHERE `+c.sql()+` GROUP BY c.referral_id, c.category`, c.args, func(row scanner) error {
		var referralID, category string
		var n int
		if err := row.Scan(&referralID, &category, &n); err != nil {
			return err
		}
		if r := byReferral[referralID]; r != nil {
			if r.Concerns == nil {
				r.Concerns = map[linkwork.ConcernCategory]int{}
			}
			r.Concerns[linkwork.ConcernCategory(category)] += n
		}
		return nil
	}); err != nil {
		return err
	}

	// Sessions attended by how they took place, and those missed.
	if err := tx.eachRow(`SELECT c.case_id, c.mode, c.outcome, COUNT(*) FROM contacts c JOIN cases k ON k.id = c.case_id
WHERE `+k.sql()+` AND c.kind = 'session' AND c.outcome IN ('attended', 'did_not_attend') GROUP BY c.case_id, c.mode, c.outcome`, k.args, func(row scanner) error {
		var caseID, mode, outcome string
		var n int
		if err := row.Scan(&caseID, &mode, &outcome, &n); err != nil {
			return err
		}
		e := episode(caseID)
		switch {
		case e == nil:
		case outcome == string(linkwork.ContactDNA):
			e.DidNotAttend += n
		default:
			if e.Sessions == nil {
				e.Sessions = map[linkwork.ContactMode]int{}
			}
			e.Sessions[linkwork.ContactMode(mode)] += n
		}
		return nil
	}); err != nil {
		return err
	}

	// Activities by level, whether the person went and is still going.
	if err := tx.eachRow(`SELECT n.case_id, n.level, n.status,
	CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.connection_id = n.id AND m.to_status IN ('attended', 'continuing')) THEN 1 ELSE 0 END
FROM connections n JOIN cases k ON k.id = n.case_id WHERE `+k.sql(), k.args, func(row scanner) error {
		var caseID, level, status string
		var went int
		if err := row.Scan(&caseID, &level, &status, &went); err != nil {
			return err
		}
		e := episode(caseID)
		if e == nil {
			return nil
		}
		if e.Levels == nil {
			e.Levels = map[linkwork.ConnectionLevel]int{}
		}
		e.Levels[linkwork.ConnectionLevel(level)]++
		e.Attended += went
		if status == string(linkwork.ConnContinuing) {
			e.StillGoing++
		}
		return nil
	}); err != nil {
		return err
	}

	// Activities by their categories.
	if err := tx.eachRow(`SELECT n.case_id, ac.category, COUNT(*) FROM connections n JOIN cases k ON k.id = n.case_id JOIN asset_categories ac ON ac.asset_id = n.asset_id
WHERE `+k.sql()+` GROUP BY n.case_id, ac.category`, k.args, func(row scanner) error {
		var caseID, category string
		var n int
		if err := row.Scan(&caseID, &category, &n); err != nil {
			return err
		}
		if e := episode(caseID); e != nil {
			if e.Categories == nil {
				e.Categories = map[linkwork.Category]int{}
			}
			e.Categories[linkwork.Category(category)] += n
		}
		return nil
	}); err != nil {
		return err
	}

	// Money approved towards activities.
	var f where
	f.scope(tx.actor, auth.KindEvaluationExport, "f")
	f.add("f.status = ?", string(linkwork.FundApproved))
	if err := tx.eachRow(`SELECT f.case_id, COUNT(*), SUM(f.amount_pence) FROM fund_requests f WHERE `+f.sql()+` GROUP BY f.case_id`, f.args, func(row scanner) error {
		var caseID string
		var n, pence int
		if err := row.Scan(&caseID, &n, &pence); err != nil {
			return err
		}
		if e := episode(caseID); e != nil {
			e.FundsApproved, e.FundsPence = n, pence
		}
		return nil
	}); err != nil {
		return err
	}

	// The instruments with a total: the ends kept of each episode.
	ends, err := outcomeEnds(tx, linkwork.EvaluationInstruments)
	if err != nil {
		return err
	}
	for caseID, scores := range ends {
		if e := episode(caseID); e != nil {
			e.Scores = append(e.Scores, scores...)
		}
	}

	// ONS4 and goal-based outcomes, scored item by item.
	completions := map[string][]linkwork.MeasureCompletion{}
	var m where
	m.scope(tx.actor, auth.KindEvaluationExport, "k")
	m.add("m.instrument IN (?, ?)", string(linkwork.InstrumentONS4), string(linkwork.InstrumentGBO))
	if err := tx.eachRow(`SELECT m.case_id, m.instrument, m.at, m.answers FROM measures m JOIN cases k ON k.id = m.case_id WHERE `+m.sql(), m.args, func(row scanner) error {
		var caseID, instrument, answers string
		var c linkwork.MeasureCompletion
		if err := row.Scan(&caseID, &instrument, timeDest{&c.At}, &answers); err != nil {
			return err
		}
		if err := json.Unmarshal([]byte(answers), &c.Answers); err != nil {
			return fmt.Errorf("measure answers of case %s: %w", caseID, err)
		}
		completions[caseID+"\x00"+instrument] = append(completions[caseID+"\x00"+instrument], c)
		return nil
	}); err != nil {
		return err
	}
	for caseID, e := range byCase {
		for _, in := range []linkwork.Instrument{linkwork.InstrumentGBO, linkwork.InstrumentONS4} {
			e.Scores = append(e.Scores, linkwork.PRSBItemScores(in, completions[caseID+"\x00"+string(in)])...)
		}
	}
	return nil
}
