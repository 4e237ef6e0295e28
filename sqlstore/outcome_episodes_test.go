package sqlstore

import (
	"fmt"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/outcomes"
)

// The statement the outcome summary used before its sums were kept
// (migration 34), each episode worked out on every request: kept here to
// prove the kept sums equal to it (TestOutcomeSumsEqualTheEpisodes).

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

// itemised are the instruments the summary adds up item by item, from
// each answer: ONS4 (each question on its own) and GBO (each goal).
var itemised = []linkwork.Instrument{linkwork.InstrumentONS4, linkwork.InstrumentGBO}

// ons4Anxiety is the index of ONS4's anxiety item, where lower is better
// and the bands are its own.
const ons4Anxiety = 3

// onlyBands is the threshold an ONS4 item's change is held against: none
// reaches it, so its answers count as better or worse only by moving
// between bands.
const onlyBands = 1000

// anyChange is the smallest change counted as up or down for an
// instrument without a reliable change threshold: totals are whole
// numbers or two-decimal metric scores.
const anyChange = 0.005

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
func outcomeSummaryQuery(d dialect, a linkwork.Actor, f linkwork.OutcomeFilter, today linkwork.Date, perEpisode bool) (string, []any) {
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
	// The answers of the instruments added up item by item, one row an
	// answer given: ONS4's by the item's index, GBO's by the goal rated.
	itemAnswers(d, &q, &args, a, from, to)
	// Each item's (or goal's) first and latest answer in the episode, a
	// time's answer the mean of those that share it, as for scores.
	write(`item_ends AS (
SELECT case_id, instrument, item, MIN(at) AS first_at, MAX(at) AS last_at FROM item_answers GROUP BY case_id, instrument, item HAVING MIN(at) < MAX(at)
), item_changes AS (
SELECT e.case_id, e.instrument, e.item, e.first_at, e.last_at, AVG(CASE WHEN a.at = e.first_at THEN a.v END) AS fv, AVG(CASE WHEN a.at = e.last_at THEN a.v END) AS lv
FROM item_ends e JOIN item_answers a ON a.case_id = e.case_id AND a.instrument = e.instrument AND a.item = e.item AND (a.at = e.first_at OR a.at = e.last_at)
GROUP BY e.case_id, e.instrument, e.item, e.first_at, e.last_at
), `)
	// The episodes with both ends in the period: their kept ends, a
	// score at a time being the mean of those that share it (so that
	// the answer does not depend on the order rows happen to be read
	// in). Each change is held against a threshold (thr) and, for an
	// ONS4 item, by how many bands it moved (bm; 0 otherwise).
	write("changes AS MATERIALIZED (\nSELECT o.instrument, '' AS part, o.pathway, o.person_dob, o.link_worker_id, o.first_at, o.last_at, CAST(o.last_sum / o.last_n - o.first_sum / o.first_n AS DOUBLE PRECISION) AS d, ")
	thr("o")
	write(" AS thr, 0 AS bm\nFROM ")
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
		write("\nUNION ALL\nSELECT e.instrument, '', e.pathway, e.person_dob, e.link_worker_id, e.first_at, e.last_at, CAST(" + scoreAt("l", "last_at") + " - " + scoreAt("f", "first_at") + " AS DOUBLE PRECISION), ")
		thr("e")
		write(", 0\nFROM ends e")
	}
	// Each ONS4 item's and each goal's change, with the groups of its
	// case: an ONS4 item's part is its index, goals are one part.
	band := func(v string, floors [3]int) string {
		return fmt.Sprintf("(CASE WHEN %[1]s >= %[2]d THEN 1 ELSE 0 END + CASE WHEN %[1]s >= %[3]d THEN 1 ELSE 0 END + CASE WHEN %[1]s >= %[4]d THEN 1 ELSE 0 END)", v, floors[0], floors[1], floors[2])
	}
	bands := func(v string) string {
		return fmt.Sprintf("CASE WHEN i.item = '%d' THEN %s ELSE %s END", ons4Anxiety, band(v, outcomes.ONS4BandFloors(true)), band(v, outcomes.ONS4BandFloors(false)))
	}
	write("\nUNION ALL\nSELECT i.instrument, CASE WHEN i.instrument = ? THEN i.item ELSE '' END, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), i.first_at, i.last_at, CAST(i.lv - i.fv AS DOUBLE PRECISION), ", string(linkwork.InstrumentONS4))
	write("CASE WHEN i.instrument = ? THEN CAST(? AS DOUBLE PRECISION) ELSE CAST(? AS DOUBLE PRECISION) END, ", string(linkwork.InstrumentONS4), float64(onlyBands), outcomes.GBOReliableChange-outcomes.Tolerance)
	write("CASE WHEN i.instrument = ? THEN "+bands("i.lv")+" - "+bands("i.fv")+" ELSE 0 END", string(linkwork.InstrumentONS4))
	write("\nFROM item_changes i\nJOIN cases k ON k.id = i.case_id\nJOIN referrals r ON r.id = k.referral_id")

	if perEpisode {
		write(`
)
SELECT c.instrument, c.part, c.pathway, c.person_dob, c.link_worker_id, c.first_at, c.last_at, c.d,
	CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END, CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END
FROM changes c`)
		return q.String(), args
	}
	// The age band today, from the date of birth the referral carries.
	write("\n), grouped AS MATERIALIZED (\nSELECT c.instrument, c.part, c.d, CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down, CASE WHEN c.person_dob IS NULL THEN ''")
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
		group := "instrument, part, " + key
		if label != "''" {
			group += ", " + label
		}
		return "SELECT '" + name + "', instrument, part, " + key + ", " + label + `, COUNT(*), SUM(d), SUM(d * d), SUM(up), SUM(down)
FROM grouped GROUP BY ` + group
	}
	write(breakdown("band", "band", "''") + "\nUNION ALL " + breakdown("pathway", "pathway", "''") + "\nUNION ALL " + breakdown("worker", "worker", "worker_name"))
	return q.String(), args
}

// itemAnswers writes the CTE item_answers: every answer given to an item
// of the instruments added up item by item (ONS4, GBO) in the actor's
// cases and the period, a row each (case_id, instrument, item, at, v):
// item is an ONS4 item's index or the goal a GBO rating is of, v the
// answer. The answers are a JSON array beside the comma-separated goals
// they rate, taken apart by each engine's own JSON functions. The cases
// are found by the service's index and their responses by measures_case.
func itemAnswers(d dialect, q *strings.Builder, args *[]any, a linkwork.Actor, from, to any) {
	var w where
	w.scope(a, auth.KindOutcomeSummary, "k")
	w.add("m.instrument IN (" + placeholders(len(itemised)) + ")")
	for _, i := range itemised {
		w.args = append(w.args, string(i))
	}
	if from != nil {
		w.add("m.at >= ?", from)
	}
	if to != nil {
		w.add("m.at < ?", to)
	}
	var each, item, value string
	if d.name() == "sqlite" {
		// An answer left out is JSON null; a goal's id is found at the
		// answer's index in the goals made a JSON array (ids are the
		// store's own, letters and digits; any other is left out).
		goals := `'["' || replace(m.goal_ids, ',', '","') || '"]'`
		each = "\nJOIN json_each(m.answers) j"
		item = fmt.Sprintf("CASE WHEN m.instrument = ? THEN CASE WHEN json_valid(%[1]s) THEN json_extract(%[1]s, '$[' || j.key || ']') END ELSE CAST(j.key AS TEXT) END", goals)
		value = "j.value"
		w.add("j.type IN ('integer', 'real')")
	} else {
		each = "\nCROSS JOIN LATERAL jsonb_array_elements(CAST(m.answers AS jsonb)) WITH ORDINALITY AS j(v, n)"
		item = "CASE WHEN m.instrument = ? THEN split_part(m.goal_ids, ',', CAST(j.n AS INTEGER)) ELSE CAST(j.n - 1 AS TEXT) END"
		value = "j.v #>> '{}'"
		w.add("jsonb_typeof(j.v) = 'number'")
	}
	q.WriteString("item_answers AS MATERIALIZED (\nSELECT m.case_id, m.instrument, " + item + " AS item, m.at, CAST(" + value + " AS DOUBLE PRECISION) AS v\nFROM cases k\nJOIN measures m ON m.case_id = k.id" + each + "\nWHERE " + w.sql() + "\n), ")
	*args = append(*args, string(linkwork.InstrumentGBO))
	*args = append(*args, w.args...)
}
