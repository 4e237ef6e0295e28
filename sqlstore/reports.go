package sqlstore

import (
	"time"

	"context"
	"database/sql"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// ReportService implements linkwork.ReportService.
type ReportService struct{ db *DB }

// NewReportService returns the dashboard's service over db.
func NewReportService(db *DB) *ReportService { return &ReportService{db: db} }

var _ linkwork.ReportService = (*ReportService)(nil)

// Dashboard adds up the referrals received in the period from their
// kept facts (referral_facts, migration 35: a narrow row a referral with
// how far it went, kept by triggers), read from one index range on the
// service and time received, in aggregate statements: the first counts
// them in groups of month, pathway, mode and how far each went (its
// status, its case's closure, whether first contact was made, a first
// session attended, an activity gone to or dropped), with their sessions,
// and the groups are added up here into the breakdowns, the funnel and
// the ways of leaving; the second counts the connections of their cases
// by level; the third works out each month's median and 90th percentile
// waits in the database, from the waits kept in days, counted to a tenth
// of a day and ranked by a window's running count (the nearest-rank rule
// of percentile_disc, the same statement on both engines).
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
		if err := rq.counts(tx, out); err != nil {
			return err
		}
		if err := rq.waits(tx, out); err != nil {
			return err
		}
		if err := rq.connections(tx, out); err != nil {
			return err
		}
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

// where is the referrals the dashboard counts, as their kept facts (f):
// the actor's, received in the period, narrowed by the filter.
func (q *reportQuery) where() where {
	var w where
	w.scope(q.a, auth.KindReport, "f")
	w.add("f.received_at >= ?", tv(dayStart(q.from)))
	w.add("f.received_at < ?", tv(dayStart(q.to).AddDate(0, 0, 1)))
	if q.f.Pathway != "" {
		w.add("f.pathway = ?", string(q.f.Pathway))
	}
	if b, ok := linkwork.FindAgeBand(q.f.AgeBand); ok {
		from, to := b.Births(q.today)
		if !from.IsZero() {
			w.add("f.person_dob >= ?", dv(from))
		}
		w.add("f.person_dob <= ?", dv(to))
	}
	if q.f.ReferrerOrgID != "" {
		w.add("f.referrer_org_id = ?", q.f.ReferrerOrgID)
	}
	if q.f.LinkWorkerID != "" {
		w.add("f.link_worker_id = ?", q.f.LinkWorkerID)
	}
	return w
}

// connectedStatuses are a connection's statuses of someone going to the
// activity; a connection moved to attended once counts too, whatever it
// became since.
var connectedStatuses = quoted([]linkwork.ConnectionStatus{linkwork.ConnAttended, linkwork.ConnContinuing})

// countsQuery is the statement that counts the referrals in groups of
// month, pathway, mode and how far they went, with their sessions.
func (q *reportQuery) countsQuery() (string, []any) {
	w := q.where()
	stmt := `SELECT f.month, f.pathway, f.mode, f.status, CASE WHEN f.case_id IS NULL THEN 0 ELSE 1 END,
	CASE WHEN f.case_status = 'closed' THEN f.closure_reason ELSE '' END,
	CASE WHEN f.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN f.sessions > 0 THEN 1 ELSE 0 END, f.connected, f.dropped,
	COUNT(*), SUM(f.sessions), SUM(f.dna)
FROM referral_facts f` + q.d.indexedBy("referral_facts_service") + `
WHERE ` + w.sql() + `
GROUP BY f.month, f.pathway, f.mode, f.status, CASE WHEN f.case_id IS NULL THEN 0 ELSE 1 END,
	CASE WHEN f.case_status = 'closed' THEN f.closure_reason ELSE '' END,
	CASE WHEN f.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN f.sessions > 0 THEN 1 ELSE 0 END, f.connected, f.dropped`
	args := w.args
	return stmt, args
}

// counts reads the groups and adds them up.
func (q *reportQuery) counts(tx *Tx, out *linkwork.Dashboard) error {
	stmt, args := q.countsQuery()
	rows, err := tx.query(stmt, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	byMonth, byPathway, byMode := map[string]int{}, map[string]int{}, map[string]int{}
	steps, left := map[string]int{}, map[string]int{}
	total, attended, missed := 0, 0, 0
	for rows.Next() {
		var month, pathway, mode, status, closed string
		var hasCase, contact, session, connected, dropped bool
		var n, sessions, dna int
		if err := rows.Scan(&month, &pathway, &mode, &status, &hasCase, &closed, &contact, &session, &connected, &dropped, &n, &sessions, &dna); err != nil {
			return err
		}
		attended += sessions
		missed += dna
		total += n
		byMonth[month] += n
		byPathway[pathway] += n
		byMode[mode] += n
		st := linkwork.ReferralStatus(status)
		reason := linkwork.ClosureReason(closed)
		for step, yes := range map[string]bool{
			linkwork.StepReferred:     true,
			linkwork.StepTriaged:      st != linkwork.ReferralReceived,
			linkwork.StepAccepted:     hasCase,
			linkwork.StepFirstContact: contact,
			linkwork.StepFirstSession: session,
			linkwork.StepConnected:    connected,
			linkwork.StepClosedWell:   reason == linkwork.ClosedGoalsMet || reason == linkwork.ClosedConnected,
		} {
			if yes {
				steps[step] += n
			}
		}
		for way, yes := range map[string]bool{
			linkwork.LeftDeclined:       st == linkwork.ReferralDeclined,
			linkwork.LeftWithdrawn:      st == linkwork.ReferralWithdrawn,
			linkwork.LeftDeclinedOffer:  st != linkwork.ReferralWithdrawn && reason == linkwork.ClosedDeclined,
			linkwork.LeftDisengaged:     reason == linkwork.ClosedDisengaged,
			linkwork.LeftDroppedOut:     dropped,
			linkwork.LeftClosedOtherway: reason == linkwork.ClosedOnward || reason == linkwork.ClosedMovedAway || reason == linkwork.ClosedNotSuitable,
		} {
			if yes {
				left[way] += n
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	out.Referrals = linkwork.Figure{N: total}
	out.Sessions = linkwork.SessionFigures{People: linkwork.Figure{N: steps[linkwork.StepAccepted]}, Attended: linkwork.Figure{N: attended}, DidNotAttend: linkwork.Figure{N: missed}}
	for _, m := range q.months {
		if n, ok := byMonth[m.String()]; ok {
			out.ByMonth = append(out.ByMonth, linkwork.CountRow{Key: m.String(), Label: m.Label(), Count: linkwork.Figure{N: n}})
		}
	}
	for _, p := range linkwork.Pathways {
		if n, ok := byPathway[string(p)]; ok {
			out.ByPathway = append(out.ByPathway, linkwork.CountRow{Key: string(p), Label: p.Label(), Count: linkwork.Figure{N: n}})
		}
	}
	for _, m := range linkwork.ReferralModes {
		if n, ok := byMode[string(m)]; ok {
			out.ByMode = append(out.ByMode, linkwork.CountRow{Key: string(m), Label: m.Label(), Count: linkwork.Figure{N: n}})
		}
	}
	for _, s := range linkwork.FunnelSteps {
		out.Funnel = append(out.Funnel, linkwork.FunnelStep{Key: s.Key, Label: s.Label, People: linkwork.Figure{N: steps[s.Key]}})
	}
	for _, l := range linkwork.LeavingWays {
		out.Leaving = append(out.Leaving, linkwork.CountRow{Key: l.Key, Label: l.Label, Count: linkwork.Figure{N: left[l.Key]}})
	}
	return nil
}

// connectionsQuery is the statement that counts the connections made
// from the cases of the period's referrals, by level: made, gone to at
// least once (going or gone, or ever moved to attended), and still going.
func (q *reportQuery) connectionsQuery() (string, []any) {
	w := q.where()
	w.add("f.case_id IS NOT NULL")
	return `SELECT n.level, COUNT(*),
	SUM(CASE WHEN n.status IN (` + connectedStatuses + `) OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END),
	SUM(CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END)
FROM referral_facts f` + q.d.indexedBy("referral_facts_service") + `
JOIN connections n` + q.d.indexedBy("connections_case_status") + ` ON n.case_id = f.case_id
WHERE ` + w.sql() + `
GROUP BY n.level`, w.args
}

// connections reads the connections by level.
func (q *reportQuery) connections(tx *Tx, out *linkwork.Dashboard) error {
	stmt, args := q.connectionsQuery()
	rows, err := tx.query(stmt, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	by := map[linkwork.ConnectionLevel]linkwork.LevelRow{}
	for rows.Next() {
		var level string
		var r linkwork.LevelRow
		if err := rows.Scan(&level, &r.Made.N, &r.Went.N, &r.Going.N); err != nil {
			return err
		}
		r.Level = linkwork.ConnectionLevel(level)
		by[r.Level] = r
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, l := range []linkwork.ConnectionLevel{linkwork.LevelSignpost, linkwork.LevelRefer, linkwork.LevelBuddy, linkwork.LevelPhased} {
		if r, ok := by[l]; ok {
			out.Connections = append(out.Connections, r)
			out.ConnectionsMade.N += r.Made.N
		}
	}
	return nil
}

// waitsQuery is the statement of each month's waits: from referral to
// the decision (the case opened for an accepted referral, the decision
// for a declined one), and from acceptance to first contact.
func (q *reportQuery) waitsQuery() (string, []any) {
	w := q.where()
	// Each month's waits are counted by their length to a tenth of a day
	// (as they are shown), and the nearest rank found from the running
	// count: the smallest wait that at least ceil(p × n) waits are no
	// longer than, which is percentile_disc's rule.
	round := func(col string) string { return "ROUND(CAST(" + col + " AS NUMERIC), 1)" }
	stmt := `WITH x AS MATERIALIZED (
SELECT f.month, f.decision_days, f.contact_days
FROM referral_facts f` + q.d.indexedBy("referral_facts_service") + `
WHERE ` + w.sql() + `
), h AS (
SELECT month, 'decision' AS kind, ` + round("decision_days") + ` AS d, COUNT(*) AS c FROM x WHERE decision_days IS NOT NULL GROUP BY month, ` + round("decision_days") + `
UNION ALL
SELECT month, 'contact', ` + round("contact_days") + `, COUNT(*) FROM x WHERE contact_days IS NOT NULL GROUP BY month, ` + round("contact_days") + `
), cum AS (
SELECT month, kind, d, CAST(SUM(c) OVER (PARTITION BY month, kind ORDER BY d ROWS UNBOUNDED PRECEDING) AS BIGINT) AS upto,
	CAST(SUM(c) OVER (PARTITION BY month, kind) AS BIGINT) AS n
FROM h
)
SELECT month, kind, MAX(n), MIN(CASE WHEN upto >= (n + 1) / 2 THEN d END), MIN(CASE WHEN upto >= (9 * n + 9) / 10 THEN d END)
FROM cum GROUP BY month, kind`
	return stmt, w.args
}

// waits reads each month's waits.
func (q *reportQuery) waits(tx *Tx, out *linkwork.Dashboard) error {
	stmt, args := q.waitsQuery()
	rows, err := tx.query(stmt, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	type key struct{ month, kind string }
	got := map[key]linkwork.Wait{}
	for rows.Next() {
		var k key
		var n int
		var median, p90 sql.NullFloat64
		if err := rows.Scan(&k.month, &k.kind, &n, &median, &p90); err != nil {
			return err
		}
		got[k] = linkwork.Wait{N: linkwork.Figure{N: n}, Median: median.Float64, P90: p90.Float64}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range out.ByMonth {
		mo := m.Key
		for _, mm := range q.months {
			if mm.String() == mo {
				out.Waits = append(out.Waits, linkwork.WaitRow{Month: mm, Decision: got[key{mo, "decision"}], FirstContact: got[key{mo, "contact"}]})
			}
		}
	}
	return nil
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
