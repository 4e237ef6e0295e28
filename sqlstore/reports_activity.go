package sqlstore

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

var _ linkwork.ReportActivityService = (*ReportService)(nil)

// DashboardActivity adds up the activity of the whole months of the
// period from the counts kept a service, figure, group and month
// (report_tallies, migrations 38 and 43; the connections' made, went and
// still going side by side in report_uptake, migration 46), read in the
// order of their keys a figure, so that no sort is needed: a few rows a
// month and group however many referrals a service has had. The breakdowns by organisation name
// the busiest (linkwork.ActivityTopOrganisations) and add up the rest, so
// only those are looked up by name. The waiting
// list's size at a month's end is the sum of its changes up to that month,
// read from the service's first month on (a row a month). Caseloads come
// from the open cases kept a link worker (case_counts, migration 27), and
// what the funds paid from the paid requests of the period, by the index
// on service, status and time asked.
func (s *ReportService) DashboardActivity(ctx context.Context, f linkwork.ReportFilter) (*linkwork.Activity, error) {
	today := s.db.today()
	if err := f.Validate(today); err != nil {
		return nil, err
	}
	from, to := f.Period(today)
	months := linkwork.MonthsOf(from, to)
	out := &linkwork.Activity{FromMonth: months[0], ToMonth: months[len(months)-1], Filter: f}
	err := s.db.view(ctx, func(tx *Tx) error {
		scope := auth.ScopeFor(tx.actor, auth.KindReport)
		if scope.None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only a service's coordinators and those who fund it see its dashboard")
		}
		out.Exact = auth.InsideService(tx.actor, scope)
		aq := activityQuery{d: s.db.dialect, a: tx.actor, f: f, from: from, to: to, months: months}
		for _, step := range []func(*Tx, *linkwork.Activity) error{aq.tallies, aq.waiting, aq.caseloads, aq.funds} {
			if err := step(tx, out); err != nil {
				return err
			}
		}
		return nil
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

// activityQuery writes the activity's statements for an actor and filter.
type activityQuery struct {
	d        dialect
	a        linkwork.Actor
	f        linkwork.ReportFilter
	from, to linkwork.Date
	months   []linkwork.Month
}

// The figures kept in report_tallies that are counted in a period; the
// connections' (made, went and still going, by community organisation and
// by category) are read from report_uptake, three to a row.
var periodFigures = []string{"referrer", "practice", "need", "session_mode", "session_place"}

// servicesQuery is the statement listing the services whose figures the
// actor reads, by the policy's scope of reports: a coordinator's own, or
// those an organisation funds.
func (q *activityQuery) servicesQuery() (string, []any) {
	var w where
	w.scope(q.a, auth.KindReport, "s")
	return `SELECT s.service_org_id FROM (SELECT rs.id AS service_org_id FROM organisations rs WHERE rs.kind = '` + string(linkwork.OrgSPService) + `') s WHERE ` + w.sql(), w.args
}

// talliesQuery is the statement adding up a service's kept counts of the
// period by figure and key. Each figure is its own part, read by the
// table's key (service, figure, key, month) with the service and figure
// fixed, so its groups come in the key's order and are added up with no
// sort on either engine (a list of figures or services would leave
// PostgreSQL to sort every row read). The pathway narrows the referrals'
// own figures.
func (q *activityQuery) talliesQuery(service string) (string, []any) {
	var parts []string
	var args []any
	for _, figure := range periodFigures {
		var w where
		w.add("t.service_org_id = ?", service)
		w.add("t.figure = '" + figure + "'")
		w.add("t.month >= ?", q.months[0].String())
		w.add("t.month <= ?", q.months[len(q.months)-1].String())
		if q.f.Pathway != "" && slices.Contains(pathwayFigures, figure) {
			w.add("t.pathway = ?", string(q.f.Pathway))
		}
		parts = append(parts, `SELECT t.figure, t.key, SUM(t.n) FROM report_tallies t WHERE `+w.sql()+` GROUP BY t.figure, t.key`)
		args = append(args, w.args...)
	}
	return strings.Join(parts, " UNION ALL "), args
}

// The figures counted by the referral's pathway.
var pathwayFigures = []string{"referrer", "practice", "need"}

// uptakeQuery is the statement adding up a service's connections made,
// went and still going in the period, by community organisation and by
// category, a figure a part as talliesQuery reads its own. Connections
// are not counted by pathway.
func (q *activityQuery) uptakeQuery(service string) (string, []any) {
	var parts []string
	var args []any
	for _, figure := range []string{"conn_org", "conn_category"} {
		var w where
		w.add("u.service_org_id = ?", service)
		w.add("u.figure = '" + figure + "'")
		w.add("u.month >= ?", q.months[0].String())
		w.add("u.month <= ?", q.months[len(q.months)-1].String())
		parts = append(parts, `SELECT u.figure, u.key, SUM(u.made), SUM(u.went), SUM(u.going) FROM report_uptake u WHERE `+w.sql()+` GROUP BY u.figure, u.key`)
		args = append(args, w.args...)
	}
	return strings.Join(parts, " UNION ALL "), args
}

// services lists the services whose figures the actor reads.
func (q *activityQuery) services(tx *Tx) ([]string, error) {
	stmt, args := q.servicesQuery()
	var out []string
	err := tx.eachRow(stmt, args, func(row scanner) error {
		var id string
		err := row.Scan(&id)
		out = append(out, id)
		return err
	})
	return out, err
}

// tallies reads the period's kept counts, service by service, adding up
// a funder's services, and names their groups.
func (q *activityQuery) tallies(tx *Tx, out *linkwork.Activity) error {
	services, err := q.services(tx)
	if err != nil {
		return err
	}
	got := map[string]map[string]int{}
	// Each figure's made, went and still going, by key.
	uptakes := map[string][3]map[string]int{}
	for _, figure := range []string{"conn_org", "conn_category"} {
		m := [3]map[string]int{{}, {}, {}}
		uptakes[figure] = m
		got[figure], got[figure+"_went"], got[figure+"_going"] = m[0], m[1], m[2]
	}
	for _, service := range services {
		stmt, args := q.talliesQuery(service)
		err := tx.eachRow(stmt, args, func(row scanner) error {
			var figure, key string
			var n int
			if err := row.Scan(&figure, &key, &n); err != nil || n == 0 {
				return err
			}
			if got[figure] == nil {
				got[figure] = map[string]int{}
			}
			got[figure][key] += n
			return nil
		})
		if err != nil {
			return err
		}
		stmt, args = q.uptakeQuery(service)
		err = tx.eachRow(stmt, args, func(row scanner) error {
			var figure, key string
			var made, went, going int
			if err := row.Scan(&figure, &key, &made, &went, &going); err != nil {
				return err
			}
			m, ok := uptakes[figure]
			if !ok || made == 0 && went == 0 && going == 0 {
				return nil
			}
			m[0][key] += made
			m[1][key] += went
			m[2][key] += going
			return nil
		})
		if err != nil {
			return err
		}
	}
	// The organisations named are the first of each breakdown by
	// organisation; the rest are added up in a row.
	orgs := map[string]bool{}
	named, others := map[string][]string{}, map[string][]string{}
	for _, figure := range []string{"referrer", "practice", "conn_org"} {
		top, rest := linkwork.TopKeys(got[figure], linkwork.ActivityTopOrganisations)
		named[figure], others[figure] = top, rest
		for _, k := range top {
			if k != "" {
				orgs[k] = true
			}
		}
	}
	names, err := orgNames(tx, orgs)
	if err != nil {
		return err
	}
	orgLabel := func(none string) func(string) string {
		return func(k string) string {
			if k == "" {
				return none
			}
			if n, ok := names[k]; ok {
				return n
			}
			return "An organisation no longer listed"
		}
	}
	// breakdown is a figure's rows, most first, and their total; a figure
	// by organisation ends with the row adding up those not named.
	breakdown := func(figure string, label func(string) string) ([]linkwork.CountRow, int) {
		var rows []linkwork.CountRow
		total := 0
		keys, byOrg := named[figure]
		if !byOrg {
			keys = slices.Collect(maps.Keys(got[figure]))
		}
		rest := others[figure]
		for _, k := range keys {
			n := got[figure][k]
			rows = append(rows, linkwork.CountRow{Key: k, Label: label(k), Count: linkwork.Figure{N: n}})
			total += n
		}
		linkwork.SortRows(rows)
		if len(rest) > 0 {
			other := 0
			for _, k := range rest {
				other += got[figure][k]
			}
			rows = append(rows, linkwork.CountRow{Key: linkwork.OtherOrganisationsKey, Label: linkwork.OtherOrganisationsLabel(len(rest)), Count: linkwork.Figure{N: other}})
			total += other
		}
		return rows, total
	}
	var total int
	out.ByReferrer, total = breakdown("referrer", orgLabel("No referring organisation (the person, family or a friend)"))
	out.Referrals = linkwork.Figure{N: total}
	out.ByPractice, _ = breakdown("practice", orgLabel("GP practice not given"))
	for _, d := range linkwork.NeedDomains {
		if n, ok := got["need"][string(d)]; ok {
			out.ByNeed = append(out.ByNeed, linkwork.CountRow{Key: string(d), Label: d.Label(), Count: linkwork.Figure{N: n}})
		}
	}
	out.SessionModes, total = breakdown("session_mode", func(k string) string { return linkwork.ContactMode(k).Label() })
	out.Sessions = linkwork.Figure{N: total}
	out.SessionPlaces, _ = breakdown("session_place", func(k string) string {
		if k == "" {
			return "Place not recorded"
		}
		return linkwork.SessionPlace(k).Label()
	})
	uptake := func(figure string, label func(string) string) []linkwork.UptakeRow {
		made, _ := breakdown(figure, label)
		var rows []linkwork.UptakeRow
		for _, m := range made {
			keys := []string{m.Key}
			if m.Key == linkwork.OtherOrganisationsKey {
				keys = others[figure]
			}
			r := linkwork.UptakeRow{Key: m.Key, Label: m.Label, Made: m.Count}
			for _, k := range keys {
				r.Went.N += got[figure+"_went"][k]
				r.Going.N += got[figure+"_going"][k]
			}
			rows = append(rows, r)
		}
		return rows
	}
	out.ByCategory = uptake("conn_category", func(k string) string {
		if k == "" {
			return "No category"
		}
		return linkwork.Category(k).Label()
	})
	out.ByOrganisation = uptake("conn_org", orgLabel("No organisation named"))
	for _, r := range out.ByOrganisation {
		out.ConnectionsMade.N += r.Made.N
	}
	return nil
}

// orgNames reads the names of organisations by id, in one statement.
func orgNames(tx *Tx, ids map[string]bool) (map[string]string, error) {
	out := map[string]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var args []any
	marks := ""
	for id := range ids {
		if marks != "" {
			marks += ", "
		}
		marks += "?"
		args = append(args, id)
	}
	rows, err := tx.query(`SELECT id, name FROM organisations WHERE id IN (`+marks+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// waitingQuery is the statement of the waiting list's changes a month,
// from the service's first month to the period's end.
func (q *activityQuery) waitingQuery() (string, []any) {
	var w where
	w.scope(q.a, auth.KindReport, "t")
	w.add("t.figure = 'waiting'")
	w.add("t.month <= ?", q.months[len(q.months)-1].String())
	return `SELECT t.month, SUM(t.n) FROM report_tallies t WHERE ` + w.sql() + ` GROUP BY t.month`, w.args
}

// waiting reads the waiting list's changes a month up to the period's
// end and adds them up to each month's end.
func (q *activityQuery) waiting(tx *Tx, out *linkwork.Activity) error {
	stmt, args := q.waitingQuery()
	rows, err := tx.query(stmt, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	changes := map[string]int{}
	var monthsSeen []string
	for rows.Next() {
		var month string
		var n int
		if err := rows.Scan(&month, &n); err != nil {
			return err
		}
		changes[month] = n
		monthsSeen = append(monthsSeen, month)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	before := 0
	first := q.months[0].String()
	for _, m := range monthsSeen {
		if m < first {
			before += changes[m]
		}
	}
	for _, m := range q.months {
		before += changes[m.String()]
		out.Waiting = append(out.Waiting, linkwork.CountRow{Key: m.String(), Label: m.Label(), Count: linkwork.Figure{N: before}})
	}
	return nil
}

// caseloads reads each link worker's open cases today from the kept
// counts, with their names.
func (q *activityQuery) caseloads(tx *Tx, out *linkwork.Activity) error {
	stmt, args := q.caseloadsQuery()
	rows, err := tx.query(stmt, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r linkwork.CountRow
		if err := rows.Scan(&r.Key, &r.Label, &r.Count.N); err != nil {
			return err
		}
		out.Caseloads = append(out.Caseloads, r)
		out.Caseload.LinkWorkers++
		out.Caseload.OpenCases.N += r.Count.N
	}
	linkwork.SortRows(out.Caseloads)
	return rows.Err()
}

// caseloadsQuery is the statement of each link worker's open cases, from
// the kept counts a service, link worker and status.
func (q *activityQuery) caseloadsQuery() (string, []any) {
	var w where
	w.scope(q.a, auth.KindReport, "cc")
	w.add("cc.status IN ('active', 'ending')")
	w.add("cc.link_worker_id <> ''")
	if q.f.LinkWorkerID != "" {
		w.add("cc.link_worker_id = ?", q.f.LinkWorkerID)
	}
	return `SELECT cc.link_worker_id, COALESCE(u.name, ''), SUM(cc.n) FROM case_counts cc LEFT JOIN users u ON u.id = cc.link_worker_id
WHERE ` + w.sql() + ` GROUP BY cc.link_worker_id, COALESCE(u.name, '') HAVING SUM(cc.n) > 0`, w.args
}

// funds reads what the funds paid for requests asked in the period, by
// category, and the cases they helped.
func (q *activityQuery) funds(tx *Tx, out *linkwork.Activity) error {
	byCategory, people, args := q.fundsQueries()
	rows, err := tx.query(byCategory, args...)
	if err != nil {
		return err
	}
	by := map[linkwork.FundCategory]linkwork.FundRow{}
	for rows.Next() {
		var r linkwork.FundRow
		var cat string
		var spent sql.NullInt64
		if err := rows.Scan(&cat, &r.Requests.N, &spent); err != nil {
			rows.Close()
			return err
		}
		r.Category, r.SpentPence = linkwork.FundCategory(cat), int(spent.Int64)
		by[r.Category] = r
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range linkwork.FundCategories {
		if r, ok := by[c]; ok {
			out.Funds.ByCategory = append(out.Funds.ByCategory, r)
			out.Funds.SpentPence += r.SpentPence
		}
	}
	return tx.queryRow(people, args...).Scan(&out.Funds.People.N)
}

// fundsQueries are the statements of the paid requests asked for in the
// period, by category, and of the cases they helped, read from the index
// on service, status and time asked.
func (q *activityQuery) fundsQueries() (byCategory, people string, args []any) {
	var w where
	w.scope(q.a, auth.KindReport, "fr")
	w.add("fr.status = ?", string(linkwork.FundApproved))
	w.add("fr.requested_at >= ?", tv(dayStart(q.from)))
	w.add("fr.requested_at < ?", tv(dayStart(q.to).AddDate(0, 0, 1)))
	from := ` FROM fund_requests fr` + q.d.indexedBy("fund_requests_service") + ` WHERE ` + w.sql()
	return `SELECT fr.category, COUNT(*), SUM(fr.amount_pence)` + from + ` GROUP BY fr.category`, `SELECT COUNT(DISTINCT fr.case_id)` + from, w.args
}
