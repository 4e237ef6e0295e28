package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/outcomes"
)

// MeasureService implements linkwork.MeasureService.
type MeasureService struct{ db *DB }

// NewMeasureService returns the measure service over db.
func NewMeasureService(db *DB) *MeasureService { return &MeasureService{db: db} }

var _ linkwork.MeasureService = (*MeasureService)(nil)

// score checks and scores a response with the published rules.
func score(m *linkwork.MeasureResponse) error {
	var p linkwork.Problems
	_, err := outcomes.Check(m)
	p = append(p, linkwork.ErrorFields(err)...)
	for _, id := range m.GoalIDs {
		if !p.Text("goal_ids", id, linkwork.MaxIDLength) {
			break
		}
	}
	return p.Err()
}

// RecordMeasure checks, scores and stores a response on a case the actor
// works on. An instrument not suitable for the person's age (by their date
// of birth on the day) is refused, and GBO rates only the case's goals.
func (s *MeasureService) RecordMeasure(ctx context.Context, m *linkwork.MeasureResponse) error {
	if err := score(m); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		k, err := tx.caseForWork(m.CaseID)
		if err != nil {
			return err
		}
		m.PersonID = k.PersonID
		var dob linkwork.Date
		if err := tx.queryRow("SELECT date_of_birth FROM people WHERE id = ?", k.PersonID).Scan(dateDest{&dob}); err != nil {
			return err
		}
		settings, err := tx.settingsFor(k.ServiceOrgID)
		if err != nil {
			return err
		}
		if age := dob.AgeOn(linkwork.DateOf(tx.now.In(ukTime))); !dob.IsZero() && !settings.Measures.Offers(m.Instrument, age) {
			return linkwork.FieldErr("instrument", settings.Measures.NotOffered(m.Instrument, age))
		}
		if len(m.GoalIDs) > 0 {
			args := []any{m.CaseID}
			for _, g := range m.GoalIDs {
				args = append(args, g)
			}
			n, err := tx.count("SELECT COUNT(*) FROM goals WHERE case_id = ? AND id IN ("+placeholders(len(m.GoalIDs))+")", args...)
			if err != nil {
				return err
			}
			if n != len(m.GoalIDs) {
				return linkwork.FieldErr("goal_ids", "Rate only this case's goals")
			}
		}
		return tx.insertMeasure(m)
	})
}

func (tx *Tx) insertMeasure(m *linkwork.MeasureResponse) error {
	if m.ID == "" {
		m.ID = uuid.NewString()
	}
	if m.At.IsZero() {
		m.At = tx.now
	}
	if m.CreatedBy == "" {
		m.CreatedBy = tx.actor.ID()
	}
	answers, _ := json.Marshal(m.Answers)
	var sc any
	if m.HasScore {
		sc = m.Score
	}
	if _, err := tx.exec(`INSERT INTO measures (id, person_id, case_id, instrument, timepoint, answers, goal_ids, score, completed_by, at, created_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, m.ID, m.PersonID, m.CaseID, string(m.Instrument), string(m.Timepoint), string(answers),
		strings.Join(m.GoalIDs, ","), sc, string(m.CompletedBy), tv(m.At), m.CreatedBy); err != nil {
		return err
	}
	return tx.audit("measure.create", auth.KindCase, m.CaseID, m.ID)
}

// FindMeasures lists a case's responses, oldest first.
func (s *MeasureService) FindMeasures(ctx context.Context, caseID string) ([]*linkwork.MeasureResponse, error) {
	var out []*linkwork.MeasureResponse
	err := s.db.audited(ctx, func(tx *Tx) error {
		if _, err := tx.visibleCase(caseID); err != nil {
			return err
		}
		rows, err := tx.query(`SELECT id, person_id, case_id, instrument, timepoint, answers, goal_ids, score, completed_by, at, created_by
			FROM measures WHERE case_id = ? ORDER BY at, id`, caseID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m linkwork.MeasureResponse
			var instr, tp, answers, goals, by string
			var sc sql.NullFloat64
			if err := rows.Scan(&m.ID, &m.PersonID, &m.CaseID, &instr, &tp, &answers, &goals, &sc, &by, timeDest{&m.At}, &m.CreatedBy); err != nil {
				return err
			}
			m.Instrument, m.Timepoint, m.CompletedBy = linkwork.Instrument(instr), linkwork.Timepoint(tp), completerOf(by)
			if err := json.Unmarshal([]byte(answers), &m.Answers); err != nil {
				return err
			}
			if goals != "" {
				m.GoalIDs = strings.Split(goals, ",")
			}
			m.Score, m.HasScore = sc.Float64, sc.Valid
			out = append(out, &m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.audit("measure.list", auth.KindCase, caseID, "")
	})
	return out, err
}

// completerOf reads who answered a stored response. Responses loaded before
// who answered was a closed vocabulary said it in words.
func completerOf(s string) linkwork.Completer {
	switch s {
	case "self":
		return linkwork.CompletedByPerson
	case "with link worker":
		return linkwork.CompletedWithWorker
	case "parent/guardian":
		return linkwork.CompletedByProxy
	}
	return linkwork.Completer(s)
}
