package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// ActivityQuery is one of the dashboard activity's statements.
type ActivityQuery struct {
	SQL  string
	Args []any
	// Counts: the statement adds up the kept counts of the period,
	// which must come in their key's order, with no sort.
	Counts bool
}

// ActivityQueries are the dashboard activity's statements for an actor and
// a filter on a day: the services read, each one's kept counts and
// connections' uptake, the waiting list's changes, the caseloads and the
// funds' spending (its two statements share one where).
func (db *DB) ActivityQueries(a linkwork.Actor, f linkwork.ReportFilter, today linkwork.Date) ([]ActivityQuery, error) {
	from, to := f.Period(today)
	q := activityQuery{d: db.dialect, a: a, f: f, from: from, to: to, months: linkwork.MonthsOf(from, to)}
	var out []ActivityQuery
	add := func(s string, args []any) { out = append(out, ActivityQuery{SQL: s, Args: args}) }
	counts := func(s string, args []any) { out = append(out, ActivityQuery{SQL: s, Args: args, Counts: true}) }
	stmt, args := q.servicesQuery()
	add(stmt, args)
	rows, err := db.read.Query(db.dialect.rebind(stmt), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var service string
		if err := rows.Scan(&service); err != nil {
			return nil, err
		}
		counts(q.talliesQuery(service))
		counts(q.uptakeQuery(service))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	add(q.waitingQuery())
	add(q.caseloadsQuery())
	byCategory, people, args := q.fundsQueries()
	add(byCategory, args)
	add(people, args)
	return out, nil
}

// ReportTallyDiffs compares the kept counts of report_tallies (migration
// 38) with the counts worked out afresh from the records, by the
// migration's own statements that first filled them, and names each
// count that differs; none when they agree. Counts of nought are the same
// as none. It also returns how many counts are kept.
func (db *DB) ReportTallyDiffs() (diffs []string, kept int, err error) {
	ctx := context.Background()
	ms, err := Migrations(db.dialect.name())
	if err != nil {
		return nil, 0, err
	}
	var fill []string
	for _, m := range ms {
		if !strings.Contains(m.Name, "report_tallies") {
			continue
		}
		fills, _, _ := strings.Cut(m.SQL, "\nCREATE FUNCTION")
		fills, _, _ = strings.Cut(fills, "\nCREATE TRIGGER")
		for _, stmt := range strings.Split(fills, ";") {
			stmt = strings.TrimSpace(stmt)
			if sel, ok := strings.CutPrefix(stmt, "INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n)"); ok {
				fill = append(fill, sel)
			}
		}
	}
	if len(fill) == 0 {
		return nil, 0, fmt.Errorf("no statements fill report_tallies")
	}
	read := func(q string) (map[string]int, error) {
		rows, err := db.read.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
		defer rows.Close()
		out := map[string]int{}
		for rows.Next() {
			var service, figure, month, pathway, key string
			var n int
			if err := rows.Scan(&service, &figure, &month, &pathway, &key, &n); err != nil {
				return nil, err
			}
			if n != 0 {
				out[strings.Join([]string{service, figure, month, pathway, key}, " ")] += n
			}
		}
		return out, rows.Err()
	}
	keptCounts, err := read("SELECT service_org_id, figure, month, pathway, key, n FROM report_tallies")
	if err != nil {
		return nil, 0, err
	}
	worked := map[string]int{}
	for _, sel := range fill {
		got, err := read(sel)
		if err != nil {
			return nil, 0, err
		}
		for k, n := range got {
			worked[k] += n
		}
	}
	for k, n := range keptCounts {
		if worked[k] != n {
			diffs = append(diffs, fmt.Sprintf("%s: kept %d, worked out %d", k, n, worked[k]))
		}
	}
	for k, n := range worked {
		if _, ok := keptCounts[k]; !ok && n != 0 {
			diffs = append(diffs, fmt.Sprintf("%s: kept none, worked out %d", k, n))
		}
	}
	// The connections' counts kept three to a row (report_uptake,
	// migration 46) agree with the kept counts they are moved by.
	uptake := map[string]int{}
	for _, col := range []struct{ figure, n string }{{"figure", "made"}, {"figure || '_went'", "went"}, {"figure || '_going'", "going"}} {
		got, err := read("SELECT service_org_id, " + col.figure + ", month, '', key, " + col.n + " FROM report_uptake")
		if err != nil {
			return nil, 0, err
		}
		for k, n := range got {
			uptake[k] += n
		}
	}
	for k, n := range keptCounts {
		if strings.Contains(k, " conn_") && uptake[k] != n {
			diffs = append(diffs, fmt.Sprintf("report_uptake %s: %d, report_tallies %d", k, uptake[k], n))
		}
	}
	for k, n := range uptake {
		if _, ok := keptCounts[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("report_uptake %s: %d, report_tallies none", k, n))
		}
	}
	sort.Strings(diffs)
	return diffs, len(keptCounts), nil
}
