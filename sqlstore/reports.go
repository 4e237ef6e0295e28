package sqlstore

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// ReportService implements linkwork.ReportService.
type ReportService struct{ db *DB }

// NewReportService returns the dashboard's service over db.
func NewReportService(db *DB) *ReportService { return &ReportService{db: db} }

var _ linkwork.ReportService = (*ReportService)(nil)

// Dashboard adds up the referrals received in the period from the kept
// counts (migration 36): the counts of referrals by service, age band at
// referral, month, pathway, mode, status and how far each went, with
// their sessions and connections (referral_cube), and the waits counted
// by month, kind and length in tenths of a day (referral_wait_cube), so
// that a request reads rows bounded by groups and months, whatever the
// number of referrals. A month the period covers only in part is read
// from the kept referral rows (referral_facts) by the index on the
// service and time received: the days it covers added, or, when they
// are most of the month, the month's counts less the days it does not
// cover. A dashboard of one link worker or one referring organisation
// reads their kept referral rows by the index led by the worker or the
// referrer. Either way each statement counts in groups, and the groups
// are added up here into the breakdowns, the funnel, the ways of
// leaving, the sessions, the connections by level and each month's
// median and 90th-percentile waits (the nearest-rank rule of
// percentile_disc over the waits to a tenth of a day, as shown).
func (s *ReportService) Dashboard(ctx context.Context, f linkwork.ReportFilter) (*linkwork.Dashboard, error) {
	today := s.db.today()
	if err := f.Validate(today); err != nil {
		return nil, err
	}
	from, to := f.Period(today)
	out := &linkwork.Dashboard{Filter: f, From: from, To: to}
	err := s.db.audited(ctx, func(tx *Tx) error {
		scope := auth.ScopeFor(tx.actor, auth.KindReport)
		if scope.None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only a service's coordinators and those who fund it see its dashboard")
		}
		out.Exact = auth.InsideService(tx.actor, scope)
		rq := reportQuery{d: s.db.dialect, a: tx.actor, f: f, from: from, to: to, today: today, months: linkwork.MonthsOf(from, to)}
		t := newTally()
		for _, st := range rq.statements() {
			if err := t.read(tx, st); err != nil {
				return err
			}
		}
		t.fill(out, rq.months)
		if err := rq.choices(tx, out); err != nil {
			return err
		}
		return tx.audit("report.read", auth.KindReport, "", reportAuditDetail(f, from, to))
	})
	if err != nil {
		return nil, err
	}
	out.Rates()
	if !out.Exact {
		out.Suppress()
	}
	return out, nil
}

// reportQuery writes the dashboard's statements for an actor and filter.
type reportQuery struct {
	d        dialect
	a        linkwork.Actor
	f        linkwork.ReportFilter
	from, to linkwork.Date
	today    linkwork.Date
	months   []linkwork.Month
}

// The kinds of the dashboard's statements: the groups of referrals or
// the waits' lengths, from the kept counts or the kept referral rows.
const (
	stmtCubeGroups = "cube groups"
	stmtCubeWaits  = "cube waits"
	stmtFacts      = "facts"
)

// reportStmt is one of the dashboard's statements: what it reads, the
// index it reads by, and whether its counts are added (1) or taken away
// (-1).
type reportStmt struct {
	kind  string
	index string
	sql   string
	args  []any
	sign  int
}

// levelColumns are the kept connections at each level, made, gone to and
// still going, in the order of dashboardLevels.
var levelColumns = []string{"signpost_made", "signpost_went", "signpost_going", "refer_made", "refer_went", "refer_going",
	"buddy_made", "buddy_went", "buddy_going", "phased_made", "phased_went", "phased_going"}

// dashboardLevels are the connection levels in the order shown.
var dashboardLevels = []linkwork.ConnectionLevel{linkwork.LevelSignpost, linkwork.LevelRefer, linkwork.LevelBuddy, linkwork.LevelPhased}

// statements are the dashboard's statements for the filter: the kept
// counts of the months the period covers whole, and the kept referral
// rows of the days of a month it covers in part (or of the days it does
// not, taken away from the month's counts, when those are fewer); or,
// narrowed to one link worker or referring organisation, their kept
// referral rows over the whole period.
func (q *reportQuery) statements() []reportStmt {
	start, end := dayStart(q.from), dayStart(q.to).AddDate(0, 0, 1)
	if q.f.LinkWorkerID != "" || q.f.ReferrerOrgID != "" {
		return q.facts(start, end, 1)
	}
	var out []reportStmt
	var first, last string
	whole := func(m linkwork.Month) {
		if first == "" {
			first = m.String()
		}
		last = m.String()
	}
	for _, m := range q.months {
		mStart := time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, ukTime)
		mEnd := mStart.AddDate(0, 1, 0)
		lo, hi := mStart, mEnd
		if start.After(lo) {
			lo = start
		}
		if end.Before(hi) {
			hi = end
		}
		if !hi.After(lo) {
			continue
		}
		if lo.Equal(mStart) && hi.Equal(mEnd) {
			whole(m)
			continue
		}
		covered := hi.Sub(lo)
		if covered <= mEnd.Sub(mStart)-covered {
			out = append(out, q.facts(lo, hi, 1)...)
			continue
		}
		whole(m)
		if lo.After(mStart) {
			out = append(out, q.facts(mStart, lo, -1)...)
		}
		if mEnd.After(hi) {
			out = append(out, q.facts(hi, mEnd, -1)...)
		}
	}
	if first != "" {
		out = append(out, q.cube(first, last)...)
	}
	return out
}

// groupColumns are the groups a statement counts referrals in, as the
// kept referral rows (f) hold them.
const groupColumns = `f.month, f.pathway, f.mode, f.status, CASE WHEN f.case_id IS NULL THEN 0 ELSE 1 END,
	CASE WHEN f.case_status = 'closed' THEN f.closure_reason ELSE '' END,
	CASE WHEN f.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN f.sessions > 0 THEN 1 ELSE 0 END, f.connected, f.dropped`

// cube is the statements reading the kept counts of the months first to
// last (both included).
func (q *reportQuery) cube(first, last string) []reportStmt {
	band := "*"
	if q.f.AgeBand != "" {
		band = q.f.AgeBand
	}
	var gw where
	gw.scope(q.a, auth.KindReport, "c")
	gw.add("c.age_band = ?", band)
	gw.add("c.month >= ?", first)
	gw.add("c.month <= ?", last)
	if q.f.Pathway != "" {
		gw.add("c.pathway = ?", string(q.f.Pathway))
	}
	sums := "SUM(c.n), SUM(c.sessions), SUM(c.dna)"
	for _, col := range levelColumns {
		sums += ", SUM(c." + col + ")"
	}
	const keys = `c.month, c.pathway, c.mode, c.status, c.accepted, c.closed, c.contact, c.session, c.connected, c.dropped`
	groups := reportStmt{kind: stmtCubeGroups, index: "referral_cube", sign: 1, args: gw.args,
		sql: `SELECT ` + keys + `, ` + sums + `
FROM referral_cube c
WHERE ` + gw.sql() + `
GROUP BY ` + keys}
	pathway := "*"
	if q.f.Pathway != "" {
		pathway = string(q.f.Pathway)
	}
	var ww where
	ww.scope(q.a, auth.KindReport, "c")
	ww.add("c.pathway = ?", pathway)
	ww.add("c.age_band = ?", band)
	ww.add("c.month >= ?", first)
	ww.add("c.month <= ?", last)
	waits := reportStmt{kind: stmtCubeWaits, index: "referral_wait_cube", sign: 1, args: ww.args,
		sql: `SELECT c.month, c.kind, c.tenths, SUM(c.n)
FROM referral_wait_cube c
WHERE ` + ww.sql() + `
GROUP BY c.month, c.kind, c.tenths`}
	return []reportStmt{groups, waits}
}

// factsIndex is the index the kept referral rows are read by: led by the
// link worker or the referrer when the dashboard is narrowed to one,
// otherwise by the service and the time received.
func (q *reportQuery) factsIndex() string {
	switch {
	case q.f.LinkWorkerID != "":
		return "referral_facts_worker"
	case q.f.ReferrerOrgID != "":
		return "referral_facts_referrer"
	}
	return "referral_facts_service"
}

// where is the referrals the dashboard counts, as their kept facts (f):
// the actor's, received in the period, narrowed by the filter (the age
// band is the one they were in when referred).
func (q *reportQuery) where() where {
	var w where
	w.scope(q.a, auth.KindReport, "f")
	if q.f.LinkWorkerID != "" {
		w.add("f.link_worker_id = ?", q.f.LinkWorkerID)
	}
	if q.f.ReferrerOrgID != "" {
		w.add("f.referrer_org_id = ?", q.f.ReferrerOrgID)
	}
	w.add("f.received_at >= ?", tv(dayStart(q.from)))
	w.add("f.received_at < ?", tv(dayStart(q.to).AddDate(0, 0, 1)))
	if q.f.Pathway != "" {
		w.add("f.pathway = ?", string(q.f.Pathway))
	}
	if q.f.AgeBand != "" {
		w.add("f.age_band = ?", q.f.AgeBand)
	}
	return w
}

// facts is the statement reading the kept referral rows received from
// start up to end, narrowed by the filter, counted with the sign: in one
// pass, by group and by the lengths of their two waits.
func (q *reportQuery) facts(start, end time.Time, sign int) []reportStmt {
	var w where
	w.scope(q.a, auth.KindReport, "f")
	if q.f.LinkWorkerID != "" {
		w.add("f.link_worker_id = ?", q.f.LinkWorkerID)
	}
	if q.f.ReferrerOrgID != "" {
		w.add("f.referrer_org_id = ?", q.f.ReferrerOrgID)
	}
	w.add("f.received_at >= ?", tv(start))
	w.add("f.received_at < ?", tv(end))
	if q.f.Pathway != "" {
		w.add("f.pathway = ?", string(q.f.Pathway))
	}
	if q.f.AgeBand != "" {
		w.add("f.age_band = ?", q.f.AgeBand)
	}
	index := q.factsIndex()
	sums := "COUNT(*), SUM(f.sessions), SUM(f.dna)"
	for _, col := range levelColumns {
		sums += ", SUM(f." + col + ")"
	}
	waits := q.tenths("f.decision_days") + ", " + q.tenths("f.contact_days")
	return []reportStmt{{kind: stmtFacts, index: index, sign: sign, args: w.args,
		sql: `SELECT ` + groupColumns + `, ` + waits + `, ` + sums + `
FROM referral_facts f` + q.d.indexedBy(index) + `
WHERE ` + w.sql() + `
GROUP BY ` + groupColumns + `, ` + waits}}
}

// tenths is a wait in days as a whole number of tenths of a day, rounded
// as the kept wait counts round it (migration 36).
func (q *reportQuery) tenths(col string) string {
	if q.d.name() == "postgres" {
		return "CAST(ROUND(CAST(" + col + " AS NUMERIC), 1) * 10 AS INTEGER)"
	}
	return "CAST(ROUND(ROUND(" + col + ", 1) * 10) AS INTEGER)"
}

// tally adds up the groups the statements read.
type tally struct {
	byMonth, byPathway, byMode map[string]int
	steps, left                map[string]int
	total, attended, missed    int
	levels                     [12]int
	// waits are the waits' lengths in tenths of a day counted by month and
	// kind.
	waits map[[2]string]map[int]int
}

func newTally() *tally {
	return &tally{byMonth: map[string]int{}, byPathway: map[string]int{}, byMode: map[string]int{}, steps: map[string]int{}, left: map[string]int{},
		waits: map[[2]string]map[int]int{}}
}

// read runs a statement and adds its rows, with its sign.
func (t *tally) read(tx *Tx, st reportStmt) error {
	rows, err := tx.query(st.sql, st.args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		switch st.kind {
		case stmtCubeWaits:
			var month, kind string
			var tenths, n int
			if err := rows.Scan(&month, &kind, &tenths, &n); err != nil {
				return err
			}
			t.addWait(month, kind, tenths, st.sign*n)
		default:
			var g reportGroup
			var waits [2]sql.NullInt64
			dest := []any{&g.month, &g.pathway, &g.mode, &g.status, &g.hasCase, &g.closed, &g.contact, &g.session, &g.connected, &g.dropped}
			if st.kind == stmtFacts {
				dest = append(dest, &waits[0], &waits[1])
			}
			dest = append(dest, &g.n, &g.sessions, &g.dna)
			for i := range g.levels {
				dest = append(dest, &g.levels[i])
			}
			if err := rows.Scan(dest...); err != nil {
				return err
			}
			t.add(g, st.sign)
			for i, kind := range []string{"decision", "contact"} {
				if waits[i].Valid {
					t.addWait(g.month, kind, int(waits[i].Int64), st.sign*g.n)
				}
			}
		}
	}
	return rows.Err()
}

// addWait counts n waits of a month and kind that were tenths of a day
// long.
func (t *tally) addWait(month, kind string, tenths, n int) {
	k := [2]string{month, kind}
	if t.waits[k] == nil {
		t.waits[k] = map[int]int{}
	}
	t.waits[k][tenths] += n
}

// reportGroup is one group of referrals a statement counts.
type reportGroup struct {
	month, pathway, mode, status, closed          string
	hasCase, contact, session, connected, dropped bool
	n, sessions, dna                              int
	levels                                        [12]int
}

// add counts a group's referrals, with the sign, in the breakdowns, the
// funnel's steps they reached and the ways they left.
func (t *tally) add(g reportGroup, sign int) {
	n := sign * g.n
	t.attended += sign * g.sessions
	t.missed += sign * g.dna
	t.total += n
	t.byMonth[g.month] += n
	t.byPathway[g.pathway] += n
	t.byMode[g.mode] += n
	for i, v := range g.levels {
		t.levels[i] += sign * v
	}
	st := linkwork.ReferralStatus(g.status)
	reason := linkwork.ClosureReason(g.closed)
	for step, yes := range map[string]bool{
		linkwork.StepReferred:     true,
		linkwork.StepTriaged:      st != linkwork.ReferralReceived,
		linkwork.StepAccepted:     g.hasCase,
		linkwork.StepFirstContact: g.contact,
		linkwork.StepFirstSession: g.session,
		linkwork.StepConnected:    g.connected,
		linkwork.StepClosedWell:   reason == linkwork.ClosedGoalsMet || reason == linkwork.ClosedConnected,
	} {
		if yes {
			t.steps[step] += n
		}
	}
	for way, yes := range map[string]bool{
		linkwork.LeftDeclined:       st == linkwork.ReferralDeclined,
		linkwork.LeftWithdrawn:      st == linkwork.ReferralWithdrawn,
		linkwork.LeftDeclinedOffer:  st != linkwork.ReferralWithdrawn && reason == linkwork.ClosedDeclined,
		linkwork.LeftDisengaged:     reason == linkwork.ClosedDisengaged,
		linkwork.LeftDroppedOut:     g.dropped,
		linkwork.LeftClosedOtherway: reason == linkwork.ClosedOnward || reason == linkwork.ClosedMovedAway || reason == linkwork.ClosedNotSuitable,
	} {
		if yes {
			t.left[way] += n
		}
	}
}

// fill writes the tally into the dashboard: the breakdowns with a row for
// each group with a referral, the funnel, the ways of leaving, the
// sessions, the connections at each level with any, and the waits of
// each month with a referral.
func (t *tally) fill(out *linkwork.Dashboard, months []linkwork.Month) {
	out.Referrals = linkwork.Figure{N: t.total}
	out.Sessions = linkwork.SessionFigures{People: linkwork.Figure{N: t.steps[linkwork.StepAccepted]}, Attended: linkwork.Figure{N: t.attended}, DidNotAttend: linkwork.Figure{N: t.missed}}
	for _, m := range months {
		if n := t.byMonth[m.String()]; n > 0 {
			out.ByMonth = append(out.ByMonth, linkwork.CountRow{Key: m.String(), Label: m.Label(), Count: linkwork.Figure{N: n}})
			out.Waits = append(out.Waits, linkwork.WaitRow{Month: m, Decision: rankWaits(t.waits[[2]string{m.String(), "decision"}]),
				FirstContact: rankWaits(t.waits[[2]string{m.String(), "contact"}])})
		}
	}
	for _, p := range linkwork.Pathways {
		if n := t.byPathway[string(p)]; n > 0 {
			out.ByPathway = append(out.ByPathway, linkwork.CountRow{Key: string(p), Label: p.Label(), Count: linkwork.Figure{N: n}})
		}
	}
	for _, m := range linkwork.ReferralModes {
		if n := t.byMode[string(m)]; n > 0 {
			out.ByMode = append(out.ByMode, linkwork.CountRow{Key: string(m), Label: m.Label(), Count: linkwork.Figure{N: n}})
		}
	}
	for _, s := range linkwork.FunnelSteps {
		out.Funnel = append(out.Funnel, linkwork.FunnelStep{Key: s.Key, Label: s.Label, People: linkwork.Figure{N: t.steps[s.Key]}})
	}
	for _, l := range linkwork.LeavingWays {
		out.Leaving = append(out.Leaving, linkwork.CountRow{Key: l.Key, Label: l.Label, Count: linkwork.Figure{N: t.left[l.Key]}})
	}
	for i, l := range dashboardLevels {
		if made := t.levels[3*i]; made > 0 {
			out.Connections = append(out.Connections, linkwork.LevelRow{Level: l, Made: linkwork.Figure{N: made},
				Went: linkwork.Figure{N: t.levels[3*i+1]}, Going: linkwork.Figure{N: t.levels[3*i+2]}})
			out.ConnectionsMade.N += made
		}
	}
}

// rankWaits is the median and 90th percentile of waits counted by their
// length in tenths of a day: the smallest length at least ceil(p × n) of
// the n waits are no longer than (percentile_disc's nearest rank).
func rankWaits(counts map[int]int) linkwork.Wait {
	lengths := make([]int, 0, len(counts))
	n := 0
	for d, c := range counts {
		if c > 0 {
			lengths = append(lengths, d)
			n += c
		}
	}
	if n == 0 {
		return linkwork.Wait{}
	}
	slices.Sort(lengths)
	w := linkwork.Wait{N: linkwork.Figure{N: n}}
	medianRank, p90Rank := (n+1)/2, (9*n+9)/10
	upto, gotMedian := 0, false
	for _, d := range lengths {
		upto += counts[d]
		if !gotMedian && upto >= medianRank {
			w.Median, gotMedian = float64(d)/10, true
		}
		if upto >= p90Rank {
			w.P90 = float64(d) / 10
			break
		}
	}
	return w
}

// choices reads who the dashboard can be narrowed to, from the kept
// counts of cases by link worker and referrals by referring
// organisation (migration 27): a few rows a service.
func (q *reportQuery) choices(tx *Tx, out *linkwork.Dashboard) error {
	var cw, rw where
	cw.scope(q.a, auth.KindReport, "cc")
	rw.scope(q.a, auth.KindReport, "rc")
	rows, err := tx.query(`SELECT DISTINCT 'worker', u.id, u.name FROM case_counts cc JOIN users u ON u.id = cc.link_worker_id WHERE cc.n > 0 AND `+cw.sql()+`
UNION ALL
SELECT DISTINCT 'referrer', o.id, o.name FROM referral_counts rc JOIN organisations o ON o.id = rc.referrer_org_id WHERE rc.n > 0 AND `+rw.sql()+`
ORDER BY 1, 3, 2`, append(cw.args, rw.args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var c linkwork.Choice
		if err := rows.Scan(&kind, &c.ID, &c.Name); err != nil {
			return err
		}
		if kind == "worker" {
			out.LinkWorkers = append(out.LinkWorkers, c)
		} else {
			out.Referrers = append(out.Referrers, c)
		}
	}
	return rows.Err()
}

// reportAuditDetail says what the dashboard was read for.
func reportAuditDetail(f linkwork.ReportFilter, from, to linkwork.Date) string {
	parts := []string{"period " + from.String() + " to " + to.String()}
	for _, p := range []struct{ name, v string }{{"pathway", string(f.Pathway)}, {"age band", f.AgeBand}, {"link worker", f.LinkWorkerID}, {"referrer", f.ReferrerOrgID}} {
		if p.v != "" {
			parts = append(parts, p.name+" "+p.v)
		}
	}
	return strings.Join(parts, "; ")
}

// dayStart is the start of a UK day.
func dayStart(d linkwork.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, ukTime)
}
