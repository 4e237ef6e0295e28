package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// EvaluationExportService implements linkwork.EvaluationExportService.
type EvaluationExportService struct{ db *DB }

// NewEvaluationExportService returns the evaluation export over db.
func NewEvaluationExportService(db *DB) *EvaluationExportService {
	return &EvaluationExportService{db: db}
}

var _ linkwork.EvaluationExportService = (*EvaluationExportService)(nil)

// pseudonymSecret is the server's secret that keys every recipient's
// pseudonyms: the audit key when the server has one (it is kept outside
// the database, so a copy of the database alone cannot tell whose a
// pseudonym is), otherwise a secret the database keeps for it, so that
// pseudonyms stay the same from one export to the next either way.
func (s *EvaluationExportService) pseudonymSecret(ctx context.Context) ([]byte, error) {
	if s.db.auditKey != nil {
		return s.db.auditKey, nil
	}
	return s.db.SharedSecret(ctx, "evaluation export")
}

// begin checks that the actor may export and that the request is whole,
// and returns the key of the recipient's pseudonyms: what every export
// does first.
func (s *EvaluationExportService) begin(ctx context.Context, req linkwork.EvaluationRequest) ([]byte, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if auth.ScopeFor(a, auth.KindEvaluationExport).None() {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "Only a service's coordinators export its evaluation dataset")
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	secret, err := s.pseudonymSecret(ctx)
	if err != nil {
		return nil, s.db.wrap(err)
	}
	return linkwork.PseudonymKey(secret, req.RecipientKey()), nil
}

// exportedReferrals is the condition on referrals (alias r) an export is
// made from: the actor's service's, leaving out whoever last said no to
// evaluation.
func exportedReferrals(tx *Tx) where {
	var w where
	w.scope(tx.actor, auth.KindEvaluationExport, "r")
	w.add(`NOT EXISTS (SELECT 1 FROM consents cn WHERE cn.person_id = r.person_id AND cn.kind = ? AND cn.given = FALSE
	AND NOT EXISTS (SELECT 1 FROM consents cl WHERE cl.person_id = cn.person_id AND cl.kind = cn.kind AND cl.recorded_at > cn.recorded_at))`, string(linkwork.ConsentEvaluation))
	return w
}

// recordExport puts an export in the audit trail: who made it and when
// (the event's own), under which agreement, for whom, why and what it
// holds, as the action name+".made", and the people it was made from as
// name+".person".
func recordExport(tx *Tx, name string, req linkwork.EvaluationRequest, holds string, personIDs []string) error {
	detail := fmt.Sprintf("agreement %q; recipient %q; purpose %q; %s", req.Agreement, req.Recipient, req.Purpose, holds)
	if err := tx.audit(name+".made", auth.KindEvaluationExport, "", detail); err != nil {
		return err
	}
	return tx.auditList(name+".person", auth.KindPerson, personIDs)
}

// EvaluationExport makes the dataset of the actor's service in two
// statements, whatever its size: the referrals with their person, case
// and counts of sessions and connections (each counted by index from its
// case), and the first and latest scores kept of each episode
// (outcome_ends, by the service). The rows are coded and coarsened here
// (linkwork.EvaluationColumns says how), and ordered by pseudonym so that
// their order tells nothing. The export, with its agreement, recipient
// and purpose, and the people it was made from, go in the audit trail.
func (s *EvaluationExportService) EvaluationExport(ctx context.Context, req linkwork.EvaluationRequest) (*linkwork.EvaluationExport, error) {
	key, err := s.begin(ctx, req)
	if err != nil {
		return nil, err
	}
	columns := linkwork.EvaluationColumns()
	out := &linkwork.EvaluationExport{Request: req, Made: s.db.Now()}
	for _, c := range columns {
		out.Header = append(out.Header, c.Name)
	}
	err = s.db.audited(ctx, func(tx *Tx) error {
		out.Made = tx.now
		scores, err := evaluationScores(tx)
		if err != nil {
			return err
		}
		w := exportedReferrals(tx)
		count := func(cond string) string {
			return "(SELECT COUNT(*) FROM " + cond + ")"
		}
		q := `SELECT r.person_id, r.received_at, r.decided_at, COALESCE(r.person_dob, p.date_of_birth), p.gender, p.ethnicity, p.postcode,
	r.pathway, r.mode, COALESCE(o.kind, ''), r.status, COALESCE(k.id, ''), COALESCE(k.status, ''), k.opened_at, k.closed_at, COALESCE(k.closure_reason, ''),
	` + count("contacts c WHERE c.case_id = k.id AND c.outcome = 'attended' AND c.kind = 'session'") + `,
	` + count("contacts c WHERE c.case_id = k.id AND c.outcome = 'did_not_attend' AND c.kind = 'session'") + `,
	` + count("connections n WHERE n.case_id = k.id AND n.level = 'signpost'") + `,
	` + count("connections n WHERE n.case_id = k.id AND n.level = 'refer'") + `,
	` + count("connections n WHERE n.case_id = k.id AND n.level = 'buddy'") + `,
	` + count("connections n WHERE n.case_id = k.id AND n.level = 'phased'") + `,
	` + count("connections n WHERE n.case_id = k.id AND (n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.connection_id = n.id AND m.to_status IN ('attended', 'continuing')))") + `,
	` + count("connections n WHERE n.case_id = k.id AND n.status = 'continuing'") + `
FROM referrals r
JOIN people p ON p.id = r.person_id
LEFT JOIN organisations o ON o.id = r.referrer_org_id
LEFT JOIN cases k ON k.referral_id = r.id
WHERE ` + w.sql()
		rows, err := tx.query(q, w.args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		people := map[string]bool{}
		var personIDs []string
		for rows.Next() {
			var personID, gender, ethnicity, postcode, pathway, mode, referrerKind, status, caseID, caseStatus, reason string
			var received, decided, opened, closed time.Time
			var dob linkwork.Date
			var attended, dna, signpost, refer, buddy, phased, went, going int
			if err := rows.Scan(&personID, timeDest{&received}, timeDest{&decided}, dateDest{&dob}, &gender, &ethnicity, &postcode,
				&pathway, &mode, &referrerKind, &status, &caseID, &caseStatus, timeDest{&opened}, timeDest{&closed}, &reason,
				&attended, &dna, &signpost, &refer, &buddy, &phased, &went, &going); err != nil {
				return err
			}
			if !people[personID] {
				people[personID] = true
				personIDs = append(personIDs, personID)
			}
			referredOn := linkwork.DateOf(received.In(ukTime))
			row := []string{
				linkwork.Pseudonym(key, personID), linkwork.MonthOf(received), linkwork.EvaluationAgeBandOn(dob, referredOn),
				linkwork.GenderCode(gender), linkwork.EthnicCategoryCode(ethnicity), linkwork.PostcodeDistrict(postcode),
				pathway, mode, referrerKind, status, linkwork.MonthOf(decided),
				caseStatus, linkwork.MonthOf(opened), linkwork.MonthOf(closed), reason,
				strconv.Itoa(attended), strconv.Itoa(dna), strconv.Itoa(signpost), strconv.Itoa(refer), strconv.Itoa(buddy), strconv.Itoa(phased), strconv.Itoa(went), strconv.Itoa(going),
			}
			for _, in := range linkwork.EvaluationInstruments {
				sc := scores[caseID+"\x00"+string(in)]
				row = append(row, sc.first, sc.latest)
			}
			out.Rows = append(out.Rows, row)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		sort.SliceStable(out.Rows, func(i, j int) bool {
			if out.Rows[i][0] != out.Rows[j][0] {
				return out.Rows[i][0] < out.Rows[j][0]
			}
			return out.Rows[i][1] < out.Rows[j][1]
		})
		return recordExport(tx, "evaluation_export", req, fmt.Sprintf("%d rows of %d people", len(out.Rows), len(personIDs)), personIDs)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// episodeScores are an episode's first and latest score on an
// instrument, as the dataset writes them; latest is "" unless there is a
// later score than the first.
type episodeScores struct{ first, latest string }

// evaluationScores reads the first and latest score of every episode of
// the actor's service on the dataset's instruments, by case and
// instrument.
func evaluationScores(tx *Tx) (map[string]episodeScores, error) {
	ends, err := outcomeEnds(tx, linkwork.EvaluationInstruments)
	if err != nil {
		return nil, err
	}
	out := map[string]episodeScores{}
	for caseID, scores := range ends {
		for _, e := range scores {
			sc := episodeScores{first: scoreCell(e.First)}
			if e.LastAt.After(e.FirstAt) {
				sc.latest = scoreCell(e.Last)
			}
			out[caseID+"\x00"+e.Measure] = sc
		}
	}
	return out, nil
}

// outcomeEnds reads the first and latest score, with their times, of
// every episode of the actor's service on instruments with a total, by
// case, from the ends kept of each (outcome_ends, by the service). A
// score is the mean of those recorded at one time; its measure is the
// instrument.
func outcomeEnds(tx *Tx, instruments []linkwork.Instrument) (map[string][]linkwork.PRSBScore, error) {
	var w where
	w.scope(tx.actor, auth.KindEvaluationExport, "o")
	w.add("o.instrument IN (" + placeholders(len(instruments)) + ")")
	for _, in := range instruments {
		w.args = append(w.args, string(in))
	}
	rows, err := tx.query(`SELECT o.case_id, o.instrument, CAST(o.first_sum / o.first_n AS DOUBLE PRECISION), CAST(o.last_sum / o.last_n AS DOUBLE PRECISION), o.first_at, o.last_at
FROM outcome_ends o`+tx.db.dialect.indexedBy("outcome_ends_service")+`
WHERE `+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]linkwork.PRSBScore{}
	for rows.Next() {
		var caseID string
		var e linkwork.PRSBScore
		if err := rows.Scan(&caseID, &e.Measure, &e.First, &e.Last, timeDest{&e.FirstAt}, timeDest{&e.LastAt}); err != nil {
			return nil, err
		}
		out[caseID] = append(out[caseID], e)
	}
	return out, rows.Err()
}

// scoreCell writes a score as the exports write them.
func scoreCell(v float64) string { return linkwork.ScoreCell(v) }
