package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// ReportCubeDiffs compares the dashboard's kept counts (migration 36) with
// the counts worked out from the kept referral rows, and the kept rows'
// age band at referral and connections at each level with those worked
// out from the referrals and connections themselves; it names each
// group, wait or referral where they differ, none when they agree.
func (db *DB) ReportCubeDiffs() ([]string, error) {
	ctx := context.Background()
	q := reportQuery{d: db.dialect}
	levels := strings.Join(levelColumns, ", ")
	var sums []string
	for _, c := range levelColumns {
		sums = append(sums, "SUM(f."+c+")")
	}
	// The age key is the band, or '*' for every age.
	ageKey := `CASE WHEN a0.w = '*' THEN '*' ELSE f.age_band END`
	workedCube := `SELECT f.service_org_id, ` + ageKey + `, ` + groupColumns + `, COUNT(*), SUM(f.sessions), SUM(f.dna), ` + strings.Join(sums, ", ") + `
FROM referral_facts f CROSS JOIN (SELECT '*' AS w UNION ALL SELECT 'band') a0
GROUP BY f.service_org_id, ` + ageKey + `, ` + groupColumns
	keptCube := `SELECT service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped, n, sessions, dna, ` + levels + `
FROM referral_cube WHERE n <> 0 OR sessions <> 0 OR dna <> 0` + nonZero(levelColumns)
	waitKeys := func(col, kind string) string {
		return `SELECT f.service_org_id, CASE WHEN p.w = '*' THEN '*' ELSE f.pathway END, CASE WHEN a.w = '*' THEN '*' ELSE f.age_band END, f.month, '` + kind + `', ` + q.tenths(col) + `, COUNT(*)
FROM referral_facts f CROSS JOIN (SELECT '*' AS w UNION ALL SELECT 'one') p CROSS JOIN (SELECT '*' AS w UNION ALL SELECT 'one') a
WHERE ` + col + ` IS NOT NULL
GROUP BY f.service_org_id, CASE WHEN p.w = '*' THEN '*' ELSE f.pathway END, CASE WHEN a.w = '*' THEN '*' ELSE f.age_band END, f.month, ` + q.tenths(col)
	}
	workedWaits := waitKeys("f.decision_days", "decision") + "\nUNION ALL\n" + waitKeys("f.contact_days", "contact")
	keptWaits := `SELECT service_org_id, pathway, age_band, month, kind, tenths, n FROM referral_wait_cube WHERE n <> 0`
	var levelSums []string
	for _, l := range dashboardLevels {
		levelSums = append(levelSums,
			"SUM(CASE WHEN n.level = '"+string(l)+"' THEN 1 ELSE 0 END)",
			"SUM(CASE WHEN n.level = '"+string(l)+"' AND (n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.connection_id = n.id AND m.to_status = 'attended')) THEN 1 ELSE 0 END)",
			"SUM(CASE WHEN n.level = '"+string(l)+"' AND n.status = 'continuing' THEN 1 ELSE 0 END)")
	}
	workedLevels := `SELECT f.referral_id, ` + strings.Join(levelSums, ", ") + ` FROM referral_facts f JOIN connections n ON n.case_id = f.case_id GROUP BY f.referral_id`
	keptLevels := `SELECT referral_id, ` + levels + ` FROM referral_facts WHERE 1 = 0` + nonZero(levelColumns)

	read := func(q string, keyCols int) (map[string]string, error) {
		rows, err := db.read.QueryContext(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", q, err)
		}
		defer rows.Close()
		cols, err := rows.Columns()
		if err != nil {
			return nil, err
		}
		out := map[string]string{}
		for rows.Next() {
			v := make([]any, len(cols))
			dest := make([]any, len(cols))
			for i := range v {
				dest[i] = &v[i]
			}
			if err := rows.Scan(dest...); err != nil {
				return nil, err
			}
			s := make([]string, len(v))
			for i, x := range v {
				if b, ok := x.([]byte); ok {
					x = string(b)
				}
				s[i] = fmt.Sprint(x)
			}
			out[strings.Join(s[:keyCols], "|")] = strings.Join(s[keyCols:], " ")
		}
		return out, rows.Err()
	}
	var diffs []string
	for _, c := range []struct {
		name         string
		kept, worked string
		keyCols      int
	}{
		{"group", keptCube, workedCube, 12},
		{"wait", keptWaits, workedWaits, 6},
		{"connections of referral", keptLevels, workedLevels, 1},
	} {
		kept, err := read(c.kept, c.keyCols)
		if err != nil {
			return nil, err
		}
		worked, err := read(c.worked, c.keyCols)
		if err != nil {
			return nil, err
		}
		for k, w := range worked {
			if kv, ok := kept[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s %s: not kept, worked out %s", c.name, k, w))
			} else if kv != w {
				diffs = append(diffs, fmt.Sprintf("%s %s: kept %s, worked out %s", c.name, k, kv, w))
			}
		}
		for k, kv := range kept {
			if _, ok := worked[k]; !ok {
				diffs = append(diffs, fmt.Sprintf("%s %s: kept %s, worked out none", c.name, k, kv))
			}
		}
	}
	// The age band at referral, as the service works it out: the person's
	// age on the UK day the referral was received.
	rows, err := db.read.QueryContext(ctx, `SELECT referral_id, received_at, COALESCE(CAST(person_dob AS TEXT), ''), age_band FROM referral_facts`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, dob, band string
		var received time.Time
		if err := rows.Scan(&id, timeDest{&received}, &dob, &band); err != nil {
			return nil, err
		}
		want := ""
		if dob != "" {
			d, err := linkwork.ParseDate(dob[:10])
			if err != nil {
				return nil, err
			}
			want = linkwork.AgeBandOn(d, linkwork.DateOf(received.In(ukTime)))
		}
		if band != want {
			diffs = append(diffs, fmt.Sprintf("referral %s received %s, born %s: kept age band %q, worked out %q", id, received, dob, band, want))
		}
	}
	sort.Strings(diffs)
	return diffs, rows.Err()
}

// nonZero is " OR c <> 0" for each column.
func nonZero(cols []string) string {
	var b strings.Builder
	for _, c := range cols {
		b.WriteString(" OR " + c + " <> 0")
	}
	return b.String()
}
