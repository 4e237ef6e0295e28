package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// Exec runs a statement outside the services, for tests that tamper with
// the database as an attacker with direct access would.
func (db *DB) Exec(q string, args ...any) error {
	_, err := db.write.ExecContext(context.Background(), db.dialect.rebind(q), args...)
	return err
}

// UseTrigram makes the directory search use pg_trgm for typing mistakes,
// or not, whatever the database has: to test both ways on PostgreSQL.
func (s *AssetService) UseTrigram(use bool) {
	s.trgm.mu.Lock()
	s.trgm.checked, s.trgm.has = true, use
	s.trgm.mu.Unlock()
}

// MigrateTo applies the migrations up to and including version, as Migrate
// does: to build a database as an older linkwork left it.
func (db *DB) MigrateTo(ctx context.Context, version int) error {
	ms, err := Migrations(db.dialect.name())
	if err != nil {
		return err
	}
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return err
	}
	for _, m := range ms[:version] {
		tx, err := db.write.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return err
		}
		if step := migrationSteps[m.Version]; step != nil {
			if err := step(ctx, tx, db.dialect.name()); err != nil {
				tx.Rollback()
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, db.dialect.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"), m.Version, m.Name, "2026-01-01T00:00:00Z"); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// SetSQLiteFewMatches sets how many matches SQLite sorts rather than
// finding them in name order, so that tests on a small directory take
// both ways; it returns the old value.
func SetSQLiteFewMatches(n int) int {
	old := sqliteFewMatches
	sqliteFewMatches = n
	return old
}

// SetSQLiteFewWordMatches sets how many matches of a search by words
// SQLite scores in Go rather than in SQL, so that tests on a small
// directory take both ways; it returns the old value.
func SetSQLiteFewWordMatches(n int) int {
	old := sqliteFewWordMatches
	sqliteFewWordMatches = n
	return old
}

// SetFreeSpace replaces how the database finds the room left on a disk,
// for tests of a disk that is nearly full.
func SetFreeSpace(db *DB, free func(dir string) (uint64, bool, error)) {
	db.freeSpace = free
}

// Plan is how an engine would run a statement, as far as the tests of
// indexes ask.
type Plan struct {
	// FullScans names (by alias, or by table without one) each table
	// read in full: every row, or every entry of one of its indexes,
	// rather than the entries an index condition finds.
	FullScans []string
	// Sorts reports whether rows are gathered and sorted, rather than
	// read in order from an index (SQLite's sort of the ties of an order
	// an index gives in part does not count).
	Sorts bool
	// Text is the plan as the engine gave it, for messages.
	Text string
}

// Scans reports whether the plan reads the table (or alias) in full.
func (p Plan) Scans(table string) bool { return slices.Contains(p.FullScans, table) }

// PlanOf returns the plan of a statement: SQLite's EXPLAIN QUERY PLAN, or
// PostgreSQL's EXPLAIN with sequential scans and sorts turned off, so that
// it shows what the indexes allow rather than what a small test table
// makes cheapest.
func (db *DB) PlanOf(q string, args ...any) (Plan, error) {
	ctx := context.Background()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return Plan{}, err
	}
	defer tx.Rollback()
	var p Plan
	if db.dialect.name() == "sqlite" {
		rows, err := tx.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			return Plan{}, err
		}
		defer rows.Close()
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				return Plan{}, err
			}
			p.Text += detail + "\n"
			if rest, ok := strings.CutPrefix(detail, "SCAN "); ok && !strings.HasPrefix(rest, "CONSTANT") {
				p.FullScans = append(p.FullScans, strings.Fields(rest)[0])
			}
			if strings.HasPrefix(detail, "USE TEMP B-TREE FOR ORDER BY") || strings.HasPrefix(detail, "USE TEMP B-TREE FOR GROUP BY") {
				p.Sorts = true
			}
		}
		return p, rows.Err()
	}
	for _, set := range []string{"SET LOCAL enable_seqscan = off", "SET LOCAL enable_sort = off"} {
		if _, err := tx.ExecContext(ctx, set); err != nil {
			return Plan{}, err
		}
	}
	var js string
	if err := tx.QueryRowContext(ctx, "EXPLAIN (FORMAT JSON) "+db.dialect.rebind(q), args...).Scan(&js); err != nil {
		return Plan{}, err
	}
	p.Text = js
	type node struct {
		Type      string `json:"Node Type"`
		Relation  string `json:"Relation Name"`
		Alias     string `json:"Alias"`
		IndexCond string `json:"Index Cond"`
		Plans     []node `json:"Plans"`
	}
	var top []struct {
		Plan node `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(js), &top); err != nil {
		return Plan{}, err
	}
	var walk func(n node)
	walk = func(n node) {
		name := cmp.Or(n.Alias, n.Relation)
		switch n.Type {
		case "Seq Scan":
			p.FullScans = append(p.FullScans, name)
		case "Index Scan", "Index Only Scan":
			if n.IndexCond == "" {
				p.FullScans = append(p.FullScans, name)
			}
		case "Sort":
			p.Sorts = true
		}
		for _, c := range n.Plans {
			walk(c)
		}
	}
	for _, t := range top {
		walk(t.Plan)
	}
	return p, nil
}

// DuplicateQuery is the statement that looks for a new referral's person
// among the people the service holds, and its arguments ("" when the
// person has nothing to match on).
func DuplicateQuery(p *linkwork.Person) (string, []any) { return duplicateQuery(p) }

// ConnectionQueries are the statements that count and list a page of the
// connections the actor may see, and the arguments of the count (the
// page's take a limit and an offset after them).
func ConnectionQueries(a linkwork.Actor, f linkwork.ConnectionFilter) (count, list string, args []any) {
	w := connectionsWhere(a, f)
	count, list = pageQueries(connectionTable, connectionJoins, w, connectionOrder, connectionSelect)
	return count, list, w.args
}

// FundRequestQueries are the statements that count and list a page of
// the requests to funds the actor may see, and the arguments of the
// count (the page's take a limit and an offset after them).
func FundRequestQueries(a linkwork.Actor, f linkwork.FundRequestFilter) (count, list string, args []any) {
	w := fundRequestsWhere(a, f)
	count, list = pageQueries(fundRequestTable, fundRequestJoins, w, fundRequestOrder, fundRequestColumns)
	return count, list, w.args
}

// FlaggedWhileWaitingQuery is the statement that lists a service's flagged
// accepted referrals whose person waits, taking a limit and an offset
// after args.
func (db *DB) FlaggedWhileWaitingQuery(serviceOrgID string) (string, []any) {
	from, w := db.flaggedWhileWaiting(serviceOrgID)
	return referralRowsSQL(from, w), w.args
}

// AssetNamesQuery is the statement that finds the first listings in a
// category by name, with their first category and place.
func (db *DB) AssetNamesQuery(category linkwork.Category, limit int) (string, []any) {
	return db.assetNamesQuery(assetFilterWhere(linkwork.AssetFilter{Category: category}), 0, limit)
}

// HomeCountQueries are the statements that count a's home page figures,
// with their arguments.
func (db *DB) HomeCountQueries(a linkwork.Actor) (qs []string, args [][]any) {
	for _, c := range homeCounts(db.dialect, a, dv(db.today()), db.now()) {
		qs, args = append(qs, c.q), append(args, c.args)
	}
	return qs, args
}

// ListedCounts returns the number of listed activities as kept
// (directory_counts) and as counted from the listings themselves.
func (db *DB) ListedCounts() (kept, counted int, err error) {
	ctx := context.Background()
	if err := db.write.QueryRowContext(ctx, "SELECT listed FROM directory_counts WHERE id = 1").Scan(&kept); err != nil {
		return 0, 0, err
	}
	err = db.write.QueryRowContext(ctx, "SELECT COUNT(*) FROM assets WHERE status IN ('active', 'temporarily closed')").Scan(&counted)
	return kept, counted, err
}

// WriteTx runs fn in a transaction of its own on a write connection,
// outside the store's writer: as another process, or several at once,
// would write.
func (db *DB) WriteTx(fn func(exec func(q string, args ...any) (int64, error)) error) error {
	ctx := context.Background()
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if db.dialect.name() == "postgres" {
		// As the writer does: the head first, so that writers queue.
		if err := (&chainHead{}).take(db, tx); err != nil {
			return err
		}
	}
	err = fn(func(q string, args ...any) (int64, error) {
		res, err := tx.ExecContext(ctx, db.dialect.rebind(q), args...)
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	})
	if err != nil {
		return err
	}
	return tx.Commit()
}

// KeptCountDiffs compares the kept numbers of referrals and cases
// (referral_counts and case_counts, migration 27) and of listings due a
// check by date (directory_checks, migration 33) with counts of the rows
// themselves, and describes each difference; none when they agree.
func (db *DB) KeptCountDiffs() ([]string, error) {
	ctx := context.Background()
	var diffs []string
	for _, c := range []struct{ kept, counted string }{
		{"SELECT service_org_id || '/' || referrer_org_id || '/' || referrer_user_id || '/' || pathway || '/' || status, n FROM referral_counts",
			"SELECT service_org_id || '/' || COALESCE(referrer_org_id, '') || '/' || COALESCE(referrer_user_id, '') || '/' || pathway || '/' || status, COUNT(*) FROM referrals GROUP BY 1"},
		{"SELECT service_org_id || '/' || link_worker_id || '/' || status, n FROM case_counts",
			"SELECT service_org_id || '/' || COALESCE(link_worker_id, '') || '/' || status, COUNT(*) FROM cases GROUP BY 1"},
		{"SELECT 'checks/' || CAST(verify_by AS TEXT), n FROM directory_checks",
			"SELECT 'checks/' || CAST(verify_by AS TEXT), COUNT(*) FROM assets WHERE status IN ('active', 'temporarily closed') AND verify_by IS NOT NULL GROUP BY 1"},
	} {
		read := func(q string) (map[string]int, error) {
			m := map[string]int{}
			rows, err := db.write.QueryContext(ctx, q)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			for rows.Next() {
				var k string
				var n int
				if err := rows.Scan(&k, &n); err != nil {
					return nil, err
				}
				if n != 0 {
					m[k] = n
				}
			}
			return m, rows.Err()
		}
		kept, err := read(c.kept)
		if err != nil {
			return nil, err
		}
		counted, err := read(c.counted)
		if err != nil {
			return nil, err
		}
		for k, n := range counted {
			if kept[k] != n {
				diffs = append(diffs, fmt.Sprintf("%s: kept %d, counted %d", k, kept[k], n))
			}
		}
		for k, n := range kept {
			if _, ok := counted[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s: kept %d, counted 0", k, n))
			}
		}
	}
	return diffs, nil
}

// ReferralListCountQuery is the statement that counts the referrals a
// list filtered by f finds for a, with its arguments.
func (db *DB) ReferralListCountQuery(a linkwork.Actor, f linkwork.ReferralFilter) (string, []any) {
	w, kept := referralListWhere(a, f)
	return referralCountQuery(f, w, kept)
}

// CaseListCountQuery is the statement that counts the cases a list
// filtered by f finds for a, with its arguments.
func (db *DB) CaseListCountQuery(a linkwork.Actor, f linkwork.CaseFilter) (string, []any) {
	w, kept := caseListWhere(a, f)
	return caseCountQuery(f, w, kept)
}

// OutcomeSumsQuery is the outcome summary's statement, for its plan.
func (db *DB) OutcomeSumsQuery(a linkwork.Actor, f linkwork.OutcomeFilter) (string, []any) {
	return outcomeSumsQuery(a, f)
}

// OutcomeEpisode is one episode's (or goal's, or ONS4 item's) change, as
// the statement the summary used before its sums were kept works it out
// on every request.
type OutcomeEpisode struct {
	Instrument, Part, Pathway, LinkWorkerID string
	DateOfBirth                             linkwork.Date
	FirstAt, LastAt                         time.Time
	Change                                  float64
	Up, Down                                bool
}

// OutcomeEpisodes works out every episode's change in the actor's scope,
// from the responses (and the ends migration 32 keeps), as the summary
// did before migration 34.
func (db *DB) OutcomeEpisodes(a linkwork.Actor) ([]OutcomeEpisode, error) {
	q, args := outcomeSummaryQuery(db.dialect, a, linkwork.OutcomeFilter{}, db.today(), true)
	rows, err := db.write.QueryContext(context.Background(), db.dialect.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutcomeEpisode
	for rows.Next() {
		var e OutcomeEpisode
		var up, down int
		if err := rows.Scan(&e.Instrument, &e.Part, &e.Pathway, dateDest{&e.DateOfBirth}, &e.LinkWorkerID, timeDest{&e.FirstAt}, timeDest{&e.LastAt}, &e.Change, &up, &down); err != nil {
			return nil, err
		}
		e.Up, e.Down = up == 1, down == 1
		out = append(out, e)
	}
	return out, rows.Err()
}

// UKMonth and UKDate are a time's month (YYYY-MM) and day in the UK, as
// the kept sums count them.
func UKMonth(t time.Time) string { return t.In(ukTime).Format("2006-01") }

// UKDate is the UK day of a time.
func UKDate(t time.Time) linkwork.Date { return linkwork.DateOf(t.In(ukTime)) }

// OutcomeEndDiffs compares the kept ends of each episode (outcome_ends,
// migration 32) with the ends worked out from the responses themselves,
// and names each case and instrument where they differ; none when they
// agree. It also returns how many episodes are kept.
func (db *DB) OutcomeEndDiffs() (diffs []string, kept int, err error) {
	ctx := context.Background()
	const keptQ = `SELECT case_id, instrument, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n FROM outcome_ends`
	const workedQ = `SELECT e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
	e.first_at, SUM(CASE WHEN m.at = e.first_at THEN m.score END), SUM(CASE WHEN m.at = e.first_at THEN 1 ELSE 0 END),
	e.last_at, SUM(CASE WHEN m.at = e.last_at THEN m.score END), SUM(CASE WHEN m.at = e.last_at THEN 1 ELSE 0 END)
FROM (SELECT case_id, instrument, MIN(at) AS first_at, MAX(at) AS last_at FROM measures WHERE score IS NOT NULL GROUP BY case_id, instrument) e
JOIN cases k ON k.id = e.case_id
JOIN referrals r ON r.id = k.referral_id
JOIN measures m ON m.case_id = e.case_id AND m.instrument = e.instrument AND m.score IS NOT NULL AND (m.at = e.first_at OR m.at = e.last_at)
GROUP BY e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, k.link_worker_id, e.first_at, e.last_at`
	rows, err := db.write.QueryContext(ctx, `SELECT 'kept', case_id, instrument FROM (`+keptQ+` EXCEPT `+workedQ+`) x
UNION ALL SELECT 'worked out', case_id, instrument FROM (`+workedQ+` EXCEPT `+keptQ+`) y`)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var side, c, i string
		if err := rows.Scan(&side, &c, &i); err != nil {
			return nil, 0, err
		}
		diffs = append(diffs, fmt.Sprintf("%s/%s: only %s", c, i, side))
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	err = db.write.QueryRowContext(ctx, "SELECT COUNT(*) FROM outcome_ends").Scan(&kept)
	return diffs, kept, err
}

// Column returns the first column of a query's rows, as text.
func (db *DB) Column(q string, args ...any) ([]string, error) {
	rows, err := db.write.QueryContext(context.Background(), db.dialect.rebind(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// DashboardQuery is one of the dashboard's statements: what it reads
// (Kind), the index it is meant to read by, and its sign.
type DashboardQuery struct {
	Kind, Index string
	SQL         string
	Args        []any
	Sign        int
}

// DashboardQueries returns the dashboard's statements for an actor and
// filter on a day.
func (db *DB) DashboardQueries(a linkwork.Actor, f linkwork.ReportFilter, today linkwork.Date) []DashboardQuery {
	from, to := f.Period(today)
	q := reportQuery{d: db.dialect, a: a, f: f, from: from, to: to, today: today, months: linkwork.MonthsOf(from, to)}
	var out []DashboardQuery
	for _, st := range q.statements() {
		out = append(out, DashboardQuery{Kind: st.kind, Index: st.index, SQL: st.sql, Args: st.args, Sign: st.sign})
	}
	return out
}

// ReferralFactDiffs compares the kept facts of each referral
// (referral_facts, migration 35) with the facts worked out from the
// referrals, cases, contacts and connections themselves, and names each
// referral where they differ; none when they agree. It also returns how
// many referrals are kept.
func (db *DB) ReferralFactDiffs() (diffs []string, kept int, err error) {
	ctx := context.Background()
	const cols = `referral_id, service_org_id, pathway, mode, status, COALESCE(CAST(person_dob AS TEXT), ''), referrer_org_id, COALESCE(case_id, ''), link_worker_id,
	case_status, closure_reason, sessions, dna, connected, dropped, received_at, decided_at, opened_at, first_contact_at`
	const keptQ = `SELECT ` + cols + ` FROM referral_facts`
	const workedQ = `SELECT ` + cols + ` FROM (
SELECT r.id AS referral_id, r.service_org_id, r.pathway, r.mode, r.status, r.person_dob, COALESCE(r.referrer_org_id, '') AS referrer_org_id, k.id AS case_id,
	COALESCE(k.link_worker_id, '') AS link_worker_id, COALESCE(k.status, '') AS case_status, COALESCE(k.closure_reason, '') AS closure_reason,
	(SELECT COUNT(*) FROM contacts c WHERE c.case_id = k.id AND c.outcome = 'attended' AND c.kind = 'session') AS sessions,
	(SELECT COUNT(*) FROM contacts c WHERE c.case_id = k.id AND c.outcome = 'did_not_attend' AND c.kind = 'session') AS dna,
	CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = k.id AND n.status IN ('attended', 'continuing'))
		OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = k.id AND m.to_status = 'attended') THEN 1 ELSE 0 END AS connected,
	CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = k.id AND n.status = 'dropped') THEN 1 ELSE 0 END AS dropped,
	r.received_at, r.decided_at, k.opened_at,
	(SELECT MIN(c.at) FROM contacts c WHERE c.case_id = k.id AND c.outcome IN ('reached', 'attended')) AS first_contact_at
FROM referrals r LEFT JOIN cases k ON k.referral_id = r.id) w`
	read := func(q string) (map[string]string, error) {
		rows, err := db.read.QueryContext(ctx, q)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var id string
			var v [10]string
			var n [4]int
			var ts [4]sql.NullTime
			dest := []any{&id}
			for i := range 10 {
				dest = append(dest, &v[i])
			}
			for i := range n {
				dest = append(dest, &n[i])
			}
			for i := range ts {
				dest = append(dest, timeDest{&ts[i].Time})
			}
			if err := rows.Scan(dest...); err != nil {
				return nil, err
			}
			var times []string
			for _, x := range ts {
				times = append(times, x.Time.UTC().Format(time.RFC3339Nano))
			}
			out[id] = fmt.Sprint(v[:10], n, times)
		}
		return out, rows.Err()
	}
	kept0, err := read(keptQ)
	if err != nil {
		return nil, 0, err
	}
	worked, err := read(workedQ)
	if err != nil {
		return nil, 0, err
	}
	for id, w := range worked {
		if k, ok := kept0[id]; !ok {
			diffs = append(diffs, id+": not kept")
		} else if k != w {
			diffs = append(diffs, fmt.Sprintf("%s: kept %s, worked out %s", id, k, w))
		}
	}
	for id := range kept0 {
		if _, ok := worked[id]; !ok {
			diffs = append(diffs, id+": kept, but no such referral")
		}
	}
	sort.Strings(diffs)
	return diffs, len(kept0), nil
}
