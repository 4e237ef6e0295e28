package sqlstore

import (
	"context"
	"fmt"
	"slices"
	"strconv"

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

// OutcomeSummary adds up, for each instrument (and ONS4 item), every
// episode's change from its first score (or answer, or goal rating) to
// its latest, in one aggregate query of the sums kept of each service and
// month (outcome_sums, migration 34): an episode counts in the UK month of
// its latest score, in the age band it was in on the day of its first,
// and the period asked for is read in whole months. The sums come back a
// row a group of each breakdown (age band, pathway, link worker) of each
// instrument; the whole is the sum of the age bands. The link workers past
// the OutcomeTopLinkWorkers with the most people measured are added up in
// one group. Reliable change is
// judged by package outcomes' thresholds (outcomes.DefaultThreshold,
// outcomes.GBOReliableChange; ONS4's bands by outcomes.ONS4BandFloors),
// which the migration's triggers hold to.
func (s *OutcomeSummaryService) OutcomeSummary(ctx context.Context, f linkwork.OutcomeFilter) (*linkwork.OutcomeSummary, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	out := &linkwork.OutcomeSummary{Filter: f.WholeMonths()}
	err := s.db.audited(ctx, func(tx *Tx) error {
		scope := auth.ScopeFor(tx.actor, auth.KindOutcomeSummary)
		if scope.None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only a service's coordinators and those who fund it see its outcome figures")
		}
		out.Exact = auth.InsideService(tx.actor, scope)
		q, args := outcomeSumsQuery(tx.actor, f)
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		// sums[instrument/part][breakdown][key] are a group's sums; the
		// part is an ONS4 item's index, "" for a total or for goals.
		sums := map[string]map[string]map[string]linkwork.ChangeSums{}
		workerNames := map[string]string{}
		for rows.Next() {
			var instr, part, breakdown, key, label string
			var c linkwork.ChangeSums
			if err := rows.Scan(&breakdown, &instr, &part, &key, &label, &c.N, &c.Sum, &c.SumSquares, &c.Up, &c.Down); err != nil {
				return err
			}
			at := instr + "/" + part
			if sums[at] == nil {
				sums[at] = map[string]map[string]linkwork.ChangeSums{"band": {}, "pathway": {}, "worker": {}}
			}
			// A group of several services (a commissioner's) comes a
			// row a service.
			sums[at][breakdown][key] = sums[at][breakdown][key].Add(c)
			if breakdown == "worker" {
				workerNames[key] = label
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		for _, ic := range summaryParts() {
			part := ""
			if ic.Instrument == linkwork.InstrumentONS4 {
				part = strconv.Itoa(slices.Index(linkwork.ONS4ItemKeys[:], ic.Item))
			}
			by := sums[string(ic.Instrument)+"/"+part]
			if by == nil {
				continue
			}
			// Everyone is in one age band's group (or "not known").
			var all linkwork.ChangeSums
			for _, c := range by["band"] {
				all = all.Add(c)
			}
			figures := func(key, label string, c linkwork.ChangeSums) linkwork.ChangeFigures {
				return linkwork.ChangeFiguresOf(key, label, c, ic.LowerIsBetter)
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
			// The link workers with the most people measured are named, by
			// name; the rest are added up in one row after them.
			measured := map[string]int{}
			for id, c := range by["worker"] {
				measured[id] = c.N
			}
			named, rest := linkwork.TopKeys(measured, linkwork.OutcomeTopLinkWorkers)
			for _, id := range named {
				name := workerNames[id]
				if id == "" {
					name = "Not allocated"
				}
				ic.ByLinkWorker = append(ic.ByLinkWorker, figures(id, name, by["worker"][id]))
			}
			sortFigures(ic.ByLinkWorker)
			if len(rest) > 0 {
				var others linkwork.ChangeSums
				for _, id := range rest {
					others = others.Add(by["worker"][id])
				}
				ic.ByLinkWorker = append(ic.ByLinkWorker, figures(linkwork.OtherLinkWorkersKey, linkwork.OtherLinkWorkersLabel(len(rest)), others))
			}
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

// summaryParts are the figures a summary may have, in order, each with
// how its changes are judged but no figures yet: each instrument's in the
// order of linkwork.Instruments, ONS4's four items in theirs.
func summaryParts() []linkwork.InstrumentChange {
	var out []linkwork.InstrumentChange
	for _, i := range linkwork.Instruments {
		spec, ok := outcomes.Spec(i)
		if !ok {
			continue
		}
		switch i {
		case linkwork.InstrumentONS4:
			for n, item := range spec.Items {
				out = append(out, linkwork.InstrumentChange{Instrument: i, Item: linkwork.ONS4ItemKeys[n], ItemLabel: item.Label, ByBand: true, LowerIsBetter: item.LowerIsBetter})
			}
		case linkwork.InstrumentGBO:
			out = append(out, linkwork.InstrumentChange{Instrument: i, PerGoal: true, Threshold: outcomes.GBOReliableChange, HasThreshold: true})
		default:
			ic := linkwork.InstrumentChange{Instrument: i, LowerIsBetter: spec.LowerIsBetter}
			ic.Threshold, ic.HasThreshold = outcomes.DefaultThreshold(i)
			out = append(out, ic)
		}
	}
	return out
}

// outcomeSumsQuery is the summary's one statement for the actor over the
// period's months: the service's kept sums (outcome_sums, migration 34),
// read by their primary key (the service, the month, the group). Over
// everything it reads the service's whole (the empty month), a row a group, in
// the key's order, added up with no sorting; over a period, the rows of
// its months, each group's added up. A link worker's name is read once a
// group. The rows read are bounded by the groups and months of the
// service, whatever the number of people.
func outcomeSumsQuery(a linkwork.Actor, f linkwork.OutcomeFilter) (string, []any) {
	var w where
	w.scope(a, auth.KindOutcomeSummary, "s")
	switch {
	case f.From.IsZero() && f.To.IsZero():
		// Everything: the service's whole, a row a group.
		w.add("s.month = ''")
	default:
		w.add("s.month <> ''")
		if !f.From.IsZero() {
			w.add("s.month >= ?", monthOf(f.From))
		}
		if !f.To.IsZero() {
			w.add("s.month <= ?", monthOf(f.To))
		}
	}
	return `SELECT x.breakdown, x.instrument, x.part, x.group_key,
	COALESCE((SELECT u.name FROM users u WHERE x.breakdown = 'worker' AND u.id = x.group_key), ''), x.n, x.sum_d, x.sum_d2, x.up, x.down
FROM (
SELECT s.instrument, s.part, s.breakdown, s.group_key,
	CAST(SUM(s.n) AS BIGINT) AS n, SUM(s.sum_d) AS sum_d, SUM(s.sum_d2) AS sum_d2, CAST(SUM(s.up) AS BIGINT) AS up, CAST(SUM(s.down) AS BIGINT) AS down
FROM outcome_sums s
WHERE ` + w.sql() + `
GROUP BY s.service_org_id, s.instrument, s.part, s.breakdown, s.group_key
HAVING SUM(s.n) > 0
) x`, w.args
}

// monthOf is the month a date is in, as outcome_sums keys it: YYYY-MM.
func monthOf(d linkwork.Date) string { return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month)) }

// sortFigures orders groups by their label, then key.
func sortFigures(fs []linkwork.ChangeFigures) {
	for i := 1; i < len(fs); i++ {
		for j := i; j > 0 && (fs[j].Label < fs[j-1].Label || fs[j].Label == fs[j-1].Label && fs[j].Key < fs[j-1].Key); j-- {
			fs[j], fs[j-1] = fs[j-1], fs[j]
		}
	}
}

// auditPeriod says the period read, for the audit trail.
func auditPeriod(f linkwork.OutcomeFilter) string {
	if f.From.IsZero() && f.To.IsZero() {
		return ""
	}
	return "period " + f.From.String() + " to " + f.To.String()
}
