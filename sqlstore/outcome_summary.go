package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/outcomes"
)

// OutcomeSummaryService implements linkwork.OutcomeSummaryService.
type OutcomeSummaryService struct{ db *DB }

// NewOutcomeSummaryService returns the outcome figures service over db.
func NewOutcomeSummaryService(db *DB) *OutcomeSummaryService {
	return &OutcomeSummaryService{db: db}
}

var _ linkwork.OutcomeSummaryService = (*OutcomeSummaryService)(nil)

// summarised are the instruments the summary adds up: those with a total
// score (ONS4's items are never summed, and GBO's goals are each a
// person's own), in the order of linkwork.Instruments.
func summarised() []linkwork.Instrument {
	var out []linkwork.Instrument
	for _, i := range linkwork.Instruments {
		if s, ok := outcomes.Spec(i); ok && s.HasTotal {
			out = append(out, i)
		}
	}
	return out
}

// anyChange is the smallest change counted as up or down for an
// instrument without a reliable change threshold: totals are whole
// numbers or two-decimal metric scores.
const anyChange = 0.005

// OutcomeSummary adds up, for each instrument with a total, every
// episode's change from its first scored response to its latest in the
// period (a case with two or more scored responses at different times),
// in one aggregate query: the episodes of the service are read from the
// ends kept of each (outcome_ends, by the service), and the sums
// come back a row a group of each breakdown (age band today, pathway,
// link worker) of each instrument. The whole is the sum of the age
// bands. Reliable change is judged by package outcomes'
// thresholds (outcomes.DefaultThreshold), as the case page judges it.
func (s *OutcomeSummaryService) OutcomeSummary(ctx context.Context, f linkwork.OutcomeFilter) (*linkwork.OutcomeSummary, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	out := &linkwork.OutcomeSummary{Filter: f}
	err := s.db.audited(ctx, func(tx *Tx) error {
		scope := auth.ScopeFor(tx.actor, auth.KindOutcomeSummary)
		if scope.None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only a service's coordinators and those who fund it see its outcome figures")
		}
		out.Exact = auth.InsideService(tx.actor, scope)
		instruments := summarised()
		q, args := outcomeSummaryQuery(s.db.dialect, tx.actor, f, s.db.today())
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		// sums[instrument][breakdown][key] are a group's sums.
		sums := map[string]map[string]map[string]linkwork.ChangeSums{}
		workerNames := map[string]string{}
		for rows.Next() {
			var instr, breakdown, key, label string
			var c linkwork.ChangeSums
			if err := rows.Scan(&breakdown, &instr, &key, &label, &c.N, &c.Sum, &c.SumSquares, &c.Up, &c.Down); err != nil {
				return err
			}
			if sums[instr] == nil {
				sums[instr] = map[string]map[string]linkwork.ChangeSums{"band": {}, "pathway": {}, "worker": {}}
			}
			sums[instr][breakdown][key] = c
			if breakdown == "worker" {
				workerNames[key] = label
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, i := range instruments {
			by := sums[string(i)]
			if by == nil {
				continue
			}
			spec, _ := outcomes.Spec(i)
			ic := linkwork.InstrumentChange{Instrument: i, LowerIsBetter: spec.LowerIsBetter}
			ic.Threshold, ic.HasThreshold = outcomes.DefaultThreshold(i)
			// Everyone is in one age band's group (or "not known").
			var all linkwork.ChangeSums
			for _, c := range by["band"] {
				all = all.Add(c)
			}
			figures := func(key, label string, c linkwork.ChangeSums) linkwork.ChangeFigures {
				return linkwork.ChangeFiguresOf(key, label, c, spec.LowerIsBetter)
			}
			ic.All = figures("", "Everyone", all)
			for _, b := range linkwork.AgeBands {
				if c, ok := by["band"][b.Key]; ok {
					ic.ByAgeBand = append(ic.ByAgeBand, figures(b.Key, b.Label, c))
				}
			}
			if c, ok := by["band"][""]; ok {
				ic.ByAgeBand = append(ic.ByAgeBand, figures("", linkwork.AgeBandLabel(""), c))
			}
			for _, p := range linkwork.Pathways {
				if c, ok := by["pathway"][string(p)]; ok {
					ic.ByPathway = append(ic.ByPathway, figures(string(p), p.Label(), c))
				}
			}
			for id, c := range by["worker"] {
				name := workerNames[id]
				if id == "" {
					name = "Not allocated"
				}
				ic.ByLinkWorker = append(ic.ByLinkWorker, figures(id, name, c))
			}
			sortFigures(ic.ByLinkWorker)
			out.Instruments = append(out.Instruments, ic)
		}
		return tx.audit("outcome_summary.read", auth.KindOutcomeSummary, "", auditPeriod(f))
	})
	if err != nil {
		return nil, err
	}
	if !out.Exact {
		out.Suppress()
	}
	return out, nil
}

// outcomeSummaryQuery is the summary's one statement for the actor over
// the period, with today's date for age bands. Each episode's first and
// latest scored response are kept in outcome_ends (migration 32), with
// the groups of the case it is broken down by, and read from its index
// on the service: an episode with both ends in the period
// has the same ends in it. Only an episode that began before the period
// or went on after it, and has a response in it, has its ends in the
// period found again from its responses (measures_case_scored, which
// holds the score). Each episode's change is worked out once
// (MATERIALIZED: the outer query reads it three times).
func outcomeSummaryQuery(d dialect, a linkwork.Actor, f linkwork.OutcomeFilter, today linkwork.Date) (string, []any) {
	instruments := summarised()
	// args are the arguments in the order their placeholders are written.
	var args []any
	var q strings.Builder
	write := func(sql string, a ...any) {
		q.WriteString(sql)
		args = append(args, a...)
	}
	// episodes writes the actor's kept episodes of the summarised
	// instruments (o), joined to join, under the conditions more adds.
	episodes := func(join string, more func(w *where)) {
		var w where
		w.scope(a, auth.KindOutcomeSummary, "o")
		w.add("o.instrument IN (" + placeholders(len(instruments)) + ")")
		for _, i := range instruments {
			w.args = append(w.args, string(i))
		}
		more(&w)
		write("outcome_ends o"+d.indexedBy("outcome_ends_service")+join+"\nWHERE "+w.sql(), w.args...)
	}
	// thr writes each instrument's threshold: a change at least this
	// big up or down counts (outcomes.Tolerance allowed, as
	// outcomes.Change allows it).
	thr := func(alias string) {
		write("CASE " + alias + ".instrument")
		for _, i := range instruments {
			t, ok := outcomes.DefaultThreshold(i)
			if !ok {
				t = anyChange
			}
			write(" WHEN ? THEN CAST(? AS DOUBLE PRECISION)", string(i), t-outcomes.Tolerance)
		}
		write(" END")
	}
	var from, to any
	if !f.From.IsZero() {
		from = tv(dayStart(f.From))
	}
	if !f.To.IsZero() {
		to = tv(dayStart(f.To).AddDate(0, 0, 1))
	}
	period := from != nil || to != nil

	write("WITH ")
	if period {
		// The episodes with an end outside the period and a response
		// in it: their ends in the period, from their responses.
		write("ends AS (\nSELECT m.case_id, m.instrument, o.pathway, o.person_dob, o.link_worker_id, MIN(m.at) AS first_at, MAX(m.at) AS last_at\nFROM ")
		episodes("\nJOIN measures m"+d.indexedBy("measures_case_scored")+" ON m.case_id = o.case_id AND m.instrument = o.instrument", func(w *where) {
			switch {
			case from != nil && to != nil:
				w.add("(o.first_at < ? OR o.last_at >= ?)", from, to)
			case from != nil:
				w.add("o.first_at < ?", from)
			default:
				w.add("o.last_at >= ?", to)
			}
			if from != nil {
				w.add("o.last_at >= ?", from)
			}
			if to != nil {
				w.add("o.first_at < ?", to)
			}
			w.add("m.score IS NOT NULL")
			if from != nil {
				w.add("m.at >= ?", from)
			}
			if to != nil {
				w.add("m.at < ?", to)
			}
		})
		write("\nGROUP BY m.case_id, m.instrument, o.pathway, o.person_dob, o.link_worker_id\nHAVING MIN(m.at) < MAX(m.at)\n), ")
	}
	// The episodes with both ends in the period: their kept ends, a
	// score at a time being the mean of those that share it (so that
	// the answer does not depend on the order rows happen to be read
	// in).
	write("changes AS MATERIALIZED (\nSELECT o.instrument, o.pathway, o.person_dob, o.link_worker_id, CAST(o.last_sum / o.last_n - o.first_sum / o.first_n AS DOUBLE PRECISION) AS d, ")
	thr("o")
	write(" AS thr\nFROM ")
	episodes("", func(w *where) {
		w.add("o.first_at < o.last_at")
		if from != nil {
			w.add("o.first_at >= ?", from)
		}
		if to != nil {
			w.add("o.last_at < ?", to)
		}
	})
	if period {
		scoreAt := func(alias, at string) string {
			return fmt.Sprintf("(SELECT AVG(%[1]s.score) FROM measures %[1]s WHERE %[1]s.case_id = e.case_id AND %[1]s.instrument = e.instrument AND %[1]s.score IS NOT NULL AND %[1]s.at = e.%[2]s)", alias, at)
		}
		write("\nUNION ALL\nSELECT e.instrument, e.pathway, e.person_dob, e.link_worker_id, CAST(" + scoreAt("l", "last_at") + " - " + scoreAt("f", "first_at") + " AS DOUBLE PRECISION), ")
		thr("e")
		write("\nFROM ends e")
	}

	// The age band today, from the date of birth the referral carries.
	write("\n), grouped AS MATERIALIZED (\nSELECT c.instrument, c.d, c.thr, CASE WHEN c.person_dob IS NULL THEN ''")
	for _, b := range linkwork.AgeBands {
		from, to := b.Births(today)
		if from.IsZero() {
			write(" WHEN c.person_dob <= ? THEN ?", dv(to), b.Key)
			continue
		}
		write(" WHEN c.person_dob >= ? AND c.person_dob <= ? THEN ?", dv(from), dv(to), b.Key)
	}
	write(` ELSE '' END AS band, c.pathway, c.link_worker_id AS worker, COALESCE(u.name, '') AS worker_name
FROM changes c
LEFT JOIN users u ON u.id = c.link_worker_id
)
`)
	// A breakdown's sums: a row for each of its groups.
	breakdown := func(name, key, label string) string {
		group := "instrument, " + key
		if label != "''" {
			group += ", " + label
		}
		return "SELECT '" + name + "', instrument, " + key + ", " + label + `, COUNT(*), SUM(d), SUM(d * d),
	SUM(CASE WHEN d >= thr THEN 1 ELSE 0 END), SUM(CASE WHEN d <= -thr THEN 1 ELSE 0 END)
FROM grouped GROUP BY ` + group
	}
	write(breakdown("band", "band", "''") + "\nUNION ALL " + breakdown("pathway", "pathway", "''") + "\nUNION ALL " + breakdown("worker", "worker", "worker_name"))
	return q.String(), args
}

// sortFigures orders groups by their label, then key.
func sortFigures(fs []linkwork.ChangeFigures) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && (fs[j].Label < fs[j-1].Label || fs[j].Label == fs[j-1].Label && fs[j].Key < fs[j-1].Key); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// dayStart is the start of a UK day.
func dayStart(d linkwork.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, ukTime)
}

// auditPeriod says the period read, for the audit trail.
func auditPeriod(f linkwork.OutcomeFilter) string {
	if f.From.IsZero() && f.To.IsZero() {
		return ""
	}
	return "period " + f.From.String() + " to " + f.To.String()
}
