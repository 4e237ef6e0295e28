package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// schema is what a migrated database holds, in terms both engines share:
// its tables, each column's type (in a small common vocabulary) and
// nullability, and its indexes with their columns.
type schema struct {
	tables  map[string]bool
	columns map[string]string // "table.column" → "type null|not null"
	indexes map[string]string // index key → "table (col, col) [unique] [partial]"
}

// commonType maps a column type as either engine reports it to the
// vocabulary both share, or to "?type" when it is not known, so that a
// new type shows up as a difference rather than being folded silently.
func commonType(declared string) string {
	t := strings.ToLower(strings.TrimSpace(declared))
	if i := strings.IndexByte(t, '('); i >= 0 {
		t = strings.TrimSpace(t[:i])
	}
	switch t {
	case "text", "character varying", "varchar", "character", "char", "citext":
		return "text"
	case "integer", "int", "int4", "int8", "bigint", "smallint":
		return "integer"
	case "real", "double precision", "float", "float8", "numeric", "decimal":
		return "real"
	case "boolean", "bool":
		return "boolean"
	case "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone", "datetime":
		return "timestamp"
	case "date":
		return "date"
	case "blob", "bytea":
		return "blob"
	case "json", "jsonb":
		return "json"
	}
	return "?" + t
}

// readSchema reads a freshly migrated database's schema on the engine.
func readSchema(t *testing.T, dialect string) schema {
	t.Helper()
	ctx := context.Background()
	dsn := sqltest.DSN(t, dialect)
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", dialect, err)
	}
	db.Close()
	s := schema{tables: map[string]bool{}, columns: map[string]string{}, indexes: map[string]string{}}
	switch dialect {
	case "sqlite":
		raw, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(dsn, "sqlite:")+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		readSQLiteSchema(t, raw, s)
	case "postgres":
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		readPostgresSchema(t, raw, s)
	}
	return s
}

// stringRows runs a query and returns its rows as strings (NULL as "").
func stringRows(t *testing.T, db *sql.DB, q string, args ...any) [][]string {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		row := make([]string, len(cols))
		for i, v := range vals {
			row[i] = v.String
		}
		out = append(out, row)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func nullability(notNull bool) string {
	if notNull {
		return "not null"
	}
	return "null"
}

func indexShape(table string, cols []string, unique bool) string {
	s := table + " (" + strings.Join(cols, ", ") + ")"
	if unique {
		s += " unique"
	}
	return s
}

// constraintIndexKey names an index the engine made for a primary key or
// a UNIQUE constraint, which each engine names its own way: by its table
// and columns.
func constraintIndexKey(table string, cols []string) string {
	return "constraint on " + table + " (" + strings.Join(cols, ", ") + ")"
}

// expression normalises an indexed expression's text: PostgreSQL writes
// it back with casts and brackets of its own.
var pgCast = regexp.MustCompile(`::[a-z ]+`)

func expression(e string) string {
	e = strings.ToLower(pgCast.ReplaceAllString(e, ""))
	e = strings.NewReplacer("(", "", ")", "", " ", "").Replace(e)
	return "expr:" + e
}

func readSQLiteSchema(t *testing.T, db *sql.DB, s schema) {
	t.Helper()
	for _, tr := range stringRows(t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`) {
		table := tr[0]
		s.tables[table] = true
		var pk []string
		for _, c := range stringRows(t, db, `SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY pk`, table) {
			// A primary key column is never null, whatever SQLite's
			// pragma says of a TEXT one.
			s.columns[table+"."+c[0]] = commonType(c[1]) + " " + nullability(c[2] == "1" || c[3] != "0")
			if c[3] != "0" {
				pk = append(pk, c[0])
			}
		}
		// An INTEGER PRIMARY KEY is the table's rowid, which SQLite
		// indexes without an index of its own (PostgreSQL has one).
		if len(pk) == 1 && strings.HasPrefix(s.columns[table+"."+pk[0]], "integer ") {
			s.indexes[constraintIndexKey(table, pk)] = indexShape(table, pk, true)
		}
		for _, ix := range stringRows(t, db, `SELECT name, "unique", origin, partial FROM pragma_index_list(?)`, table) {
			var cols []string
			for _, c := range stringRows(t, db, `SELECT name FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`, ix[0]) {
				if c[0] == "" {
					c[0] = expression(sqliteIndexExpr(t, db, ix[0]))
				}
				cols = append(cols, c[0])
			}
			shape := indexShape(table, cols, ix[1] == "1")
			if ix[3] == "1" {
				shape += " partial"
			}
			key := ix[0]
			if ix[2] != "c" {
				key = constraintIndexKey(table, cols)
			}
			s.indexes[key] = shape
		}
	}
}

// sqliteIndexExpr returns the expression an SQLite index holds, from its
// CREATE INDEX statement (SQLite keeps no parsed form).
func sqliteIndexExpr(t *testing.T, db *sql.DB, index string) string {
	t.Helper()
	rows := stringRows(t, db, `SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, index)
	if len(rows) != 1 {
		t.Fatalf("index %s has no statement", index)
	}
	stmt := rows[0][0]
	open, end := strings.IndexByte(stmt, '('), strings.LastIndexByte(stmt, ')')
	if w := strings.Index(strings.ToUpper(stmt), " WHERE "); w > 0 {
		end = strings.LastIndexByte(stmt[:w], ')')
	}
	return stmt[open+1 : end]
}

// pgIdent is a column name as pg_get_indexdef writes it (quoted when it
// is a keyword, such as "position").
var pgIdent = regexp.MustCompile(`^"?[a-z_][a-z0-9_]*"?$`)

func readPostgresSchema(t *testing.T, db *sql.DB, s schema) {
	t.Helper()
	for _, tr := range stringRows(t, db, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`) {
		s.tables[tr[0]] = true
	}
	for _, c := range stringRows(t, db, `SELECT c.table_name, c.column_name, c.data_type, c.is_nullable
		FROM information_schema.columns c JOIN information_schema.tables t USING (table_schema, table_name)
		WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`) {
		s.columns[c[0]+"."+c[1]] = commonType(c[2]) + " " + nullability(c[3] == "NO")
	}
	for _, ix := range stringRows(t, db, `SELECT i.relname, tb.relname, x.indisunique::text, (x.indpred IS NOT NULL)::text,
			EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)::text, x.indnatts::text, x.indexrelid::text, x.indnkeyatts::text
		FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class tb ON tb.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = tb.relnamespace
		WHERE n.nspname = 'public'`) {
		// Its key columns, then those it INCLUDEs: SQLite has no INCLUDE,
		// and an index there covers a query with trailing key columns. A
		// primary key's or UNIQUE constraint's INCLUDEs are left out: its
		// key is what the constraint is, and a SQLite table WITHOUT ROWID
		// carries every column in its key's b-tree.
		n := atoi(t, ix[5])
		if ix[4] == "true" {
			n = atoi(t, ix[7])
		}
		var cols []string
		for k := 1; k <= n; k++ {
			def := stringRows(t, db, `SELECT pg_get_indexdef($1::oid, $2, true)`, ix[6], k)[0][0]
			if pgIdent.MatchString(def) {
				def = strings.Trim(def, `"`)
			} else {
				def = expression(def)
			}
			cols = append(cols, def)
		}
		shape := indexShape(ix[1], cols, ix[2] == "true")
		if ix[3] == "true" {
			shape += " partial"
		}
		key := ix[0]
		if ix[4] == "true" {
			key = constraintIndexKey(ix[1], cols)
		}
		s.indexes[key] = shape
	}
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return n
}

// sameColumn reports whether a column as SQLite holds it is the column
// as PostgreSQL holds it. SQLite has no date or JSON type: a date there is
// TEXT holding an ISO 8601 date (compared as text, which orders dates
// rightly), and JSON is TEXT, where PostgreSQL has DATE and JSONB.
func sameColumn(lite, pg string) bool {
	if lite == pg {
		return true
	}
	lt, lnull, _ := strings.Cut(lite, " ")
	pt, pnull, _ := strings.Cut(pg, " ")
	return lnull == pnull && lt == "text" && (pt == "date" || pt == "json")
}

// tableOf returns the table a column ("table.column") or an index's shape
// ("table (columns)") belongs to.
func tableOf(s string) string {
	if i := strings.IndexAny(s, ". "); i >= 0 {
		return s[:i]
	}
	return s
}

// compareSchemas lists, in order, how the two engines' schemas differ,
// leaving out the known differences below but reporting any of those that
// no longer holds as described.
func compareSchemas(lite, pg schema) []string {
	var out []string
	for _, table := range slices.Sorted(maps.Keys(engineOnlyTables)) {
		only := engineOnlyTables[table]
		if lite.tables[table] != (only == "sqlite") || pg.tables[table] != (only == "postgres") {
			out = append(out, fmt.Sprintf("table %s: expected only in %s, but sqlite has it: %v, postgres has it: %v", table, only, lite.tables[table], pg.tables[table]))
		}
	}
	skip := func(m map[string]string, keyTable bool) map[string]string {
		kept := map[string]string{}
		for k, v := range m {
			table := tableOf(v)
			if keyTable {
				table = tableOf(k)
			}
			if _, ok := engineOnlyTables[table]; !ok {
				kept[k] = v
			}
		}
		return kept
	}
	out = append(out, diffShapes(skip(lite.columns, true), skip(pg.columns, true), "column", knownColumnDifferences, sameColumn)...)
	out = append(out, diffShapes(skip(lite.indexes, false), skip(pg.indexes, false), "index", knownIndexDifferences, func(a, b string) bool { return a == b })...)
	return out
}

// diffShapes lists, in order, where pg differs from lite, leaving out the
// known differences (each one's shape on sqlite then on postgres, "" for
// none) but reporting any that no longer holds as described.
func diffShapes(lite, pg map[string]string, what string, known map[string][2]string, same func(lite, pg string) bool) []string {
	var out []string
	keys := slices.Collect(maps.Keys(lite))
	for k := range pg {
		if _, ok := lite[k]; !ok {
			keys = append(keys, k)
		}
	}
	for k := range known {
		if _, ok := lite[k]; !ok {
			if _, ok := pg[k]; !ok {
				keys = append(keys, k)
			}
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		l, p := lite[k], pg[k]
		if want, ok := known[k]; ok {
			if l != want[0] || p != want[1] {
				out = append(out, fmt.Sprintf("%s %s: a known difference changed: sqlite %q, postgres %q; the test expects %q and %q (update it, or drop it once the engines agree)", what, k, l, p, want[0], want[1]))
			}
			continue
		}
		switch {
		case p == "":
			out = append(out, fmt.Sprintf("%s %s: only in sqlite (%s)", what, k, l))
		case l == "":
			out = append(out, fmt.Sprintf("%s %s: only in postgres (%s)", what, k, p))
		case !same(l, p):
			out = append(out, fmt.Sprintf("%s %s: sqlite %s, postgres %s", what, k, l, p))
		}
	}
	return out
}

// The engines' schemas differ on purpose only in how the directory is
// searched and paged, each the way its engine does it fastest.

// engineOnlyTables are the tables only one engine has (table → engine).
var engineOnlyTables = map[string]string{
	// SQLite's full-text search of listings: an FTS5 table and the
	// tables FTS5 keeps its index in. PostgreSQL searches tsvector
	// columns of assets (assets.search, assets.places_search) instead.
	"asset_fts": "sqlite", "asset_fts_config": "sqlite", "asset_fts_data": "sqlite", "asset_fts_docsize": "sqlite", "asset_fts_idx": "sqlite",
	// SQLite's narrow copy of each listing's filtered columns, kept by
	// triggers, which its directory and ORUK pages read in name order;
	// PostgreSQL reads assets through covering indexes instead.
	"asset_search": "sqlite",
}

// knownColumnDifferences are the columns the engines hold differently on
// purpose: the shape on sqlite, then on postgres ("" for none).
var knownColumnDifferences = map[string][2]string{
	// The listing's asset_search.num on each location, for SQLite's
	// nearest-first search (asset_locations_geo).
	"asset_locations.search_num": {"integer null", ""},
	// PostgreSQL's full-text search vectors (SQLite has asset_fts).
	"assets.search":        {"", "?tsvector null"},
	"assets.places_search": {"", "?tsvector null"},
}

// knownIndexDifferences are the indexes the engines hold differently on
// purpose: the shape on sqlite, then on postgres ("" for none).
var knownIndexDifferences = map[string][2]string{
	// Nearest-first search: SQLite carries the listing's search number
	// (to join asset_search), PostgreSQL the listing's id.
	"asset_locations_geo": {"asset_locations (lat, lon, search_num) partial", "asset_locations (lat, lon, asset_id) partial"},
	// Listings by name and by age: SQLite reads asset_search (its
	// indexes, asset_search_*, are in that table), PostgreSQL assets.
	// SQLite keeps the foundation's index of names, which PostgreSQL
	// replaced with one holding the id too.
	"assets_name":    {"assets (name)", ""},
	"assets_name_id": {"", "assets (name, id)"},
	"assets_min_age": {"", "assets (min_age, id, name)"},
	"assets_max_age": {"", "assets (max_age, id, name)"},
	// Sessions starting from a time: PostgreSQL reads them from an index
	// of start times; SQLite from asset_schedules_times, per listing.
	"asset_schedules_opens": {"", "asset_schedules (opens_at, closes_at, by_day, asset_id)"},
	// PostgreSQL's full-text and typing-mistake search indexes (GIN).
	"assets_search":    {"", "assets (search)"},
	"assets_places":    {"", "assets (places_search)"},
	"asset_terms_trgm": {"", "asset_terms (term)"},
	// SQLite reads the places of the listings a search's words match by
	// their search number (asset_locations.search_num, SQLite's only).
	"asset_locations_num": {"asset_locations (search_num, lat, lon) partial", ""},
}
