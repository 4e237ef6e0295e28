// Package sqltest gives tests a fresh, migrated database on each engine:
// SQLite always (a file in the test's temporary directory), and PostgreSQL
// when LINKWORK_TEST_POSTGRES holds a connection URL (a new database per
// test, copied from a migrated template). With LINKWORK_E2E=1 a missing
// PostgreSQL is a failure, not a skip.
package sqltest

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/linkwork/linkwork/sqlstore"
)

// EnvPostgres names the variable holding the PostgreSQL URL for tests.
const EnvPostgres = "LINKWORK_TEST_POSTGRES"

// EnvE2E, when "1", makes missing test dependencies failures.
const EnvE2E = "LINKWORK_E2E"

var skipOnce sync.Once

// Dialects returns the engines to test on: "sqlite", and "postgres" when
// configured. Without PostgreSQL it says so once per test binary, or fails
// under LINKWORK_E2E=1.
func Dialects(tb testing.TB) []string {
	tb.Helper()
	if os.Getenv(EnvPostgres) != "" {
		return []string{"sqlite", "postgres"}
	}
	if os.Getenv(EnvE2E) == "1" {
		tb.Fatalf("%s=1 but %s is not set: the PostgreSQL tests cannot run", EnvE2E, EnvPostgres)
	}
	skipOnce.Do(func() {
		fmt.Fprintf(os.Stderr, "sqltest: %s is not set; PostgreSQL tests are skipped (SQLite tests run)\n", EnvPostgres)
	})
	return []string{"sqlite"}
}

// Each runs fn as a subtest on each engine, with a fresh database.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	EachWith(t, func() sqlstore.Options { return sqlstore.Options{} }, fn)
}

// EachWith is Each with store options, such as a test clock. opts makes
// them afresh for each engine's run, so that what they hold (a clock a
// test moves on) belongs to that run alone: one engine's time travel
// cannot move the other's.
func EachWith(t *testing.T, opts func() sqlstore.Options, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	for _, d := range Dialects(t) {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d, opts()))
		})
	}
}

// Open returns a fresh, migrated database on the engine, closed (and, for
// PostgreSQL, dropped) when the test ends.
func Open(tb testing.TB, dialect string, opts sqlstore.Options) *sqlstore.DB {
	tb.Helper()
	dsn := DSN(tb, dialect)
	db, err := sqlstore.Open(context.Background(), dsn, opts)
	if err != nil {
		tb.Fatalf("open %s: %v", dialect, err)
	}
	tb.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		tb.Fatalf("migrate %s: %v", dialect, err)
	}
	return db
}

// DSN returns the address of a fresh, empty-but-migrated database: for
// SQLite a new file (migrated when opened), for PostgreSQL a new database
// copied from the migrated template.
func DSN(tb testing.TB, dialect string) string {
	tb.Helper()
	switch dialect {
	case "sqlite":
		return "sqlite:" + filepath.Join(tb.TempDir(), "linkwork.db")
	case "postgres":
		base := os.Getenv(EnvPostgres)
		if base == "" {
			tb.Fatalf("%s is not set", EnvPostgres)
		}
		tmpl, err := template(base)
		if err != nil {
			tb.Fatalf("postgres template: %v", err)
		}
		name := "lw_test_" + randomHex(6)
		admin, err := sql.Open("pgx", base)
		if err != nil {
			tb.Fatal(err)
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + tmpl); err != nil {
			tb.Fatalf("create test database: %v", err)
		}
		tb.Cleanup(func() {
			a, err := sql.Open("pgx", base)
			if err != nil {
				return
			}
			defer a.Close()
			_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		})
		return withDatabase(base, name)
	}
	tb.Fatalf("unknown dialect %q", dialect)
	return ""
}

var (
	tmplOnce sync.Once
	tmplName string
	tmplErr  error
)

// template makes (once per process, and once across processes thanks to an
// advisory lock) a database migrated to this binary's schema, named by a
// hash of the migrations so that a schema change makes a new one.
func template(base string) (string, error) {
	tmplOnce.Do(func() {
		ms, err := sqlstore.Migrations("postgres")
		if err != nil {
			tmplErr = err
			return
		}
		h := sha256.New()
		for _, m := range ms {
			h.Write([]byte(m.Name))
			h.Write([]byte(m.SQL))
		}
		tmplName = "lw_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12]
		tmplErr = createTemplate(base, tmplName)
	})
	return tmplName, tmplErr
}

func createTemplate(base, name string) error {
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return err
	}
	defer admin.Close()
	ctx := context.Background()
	conn, err := admin.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7277385)"); err != nil {
		return err
	}
	defer conn.ExecContext(ctx, "SELECT pg_advisory_unlock(7277385)")
	var exists bool
	if err := conn.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	// Drop templates of older schemas, once no test can still be using
	// them: another checkout (a branch with other migrations) may be
	// testing with its own template right now, so only those made more
	// than a day ago go. Each template records when it was made in its
	// comment.
	rows, err := conn.QueryContext(ctx, `SELECT d.datname FROM pg_database d
		WHERE d.datname LIKE 'lw_tmpl_%'
		AND COALESCE(shobj_description(d.oid, 'pg_database'), '') !~ '^made [0-9]+$'
		   OR (d.datname LIKE 'lw_tmpl_%'
		       AND shobj_description(d.oid, 'pg_database') ~ '^made [0-9]+$'
		       AND substr(shobj_description(d.oid, 'pg_database'), 6)::bigint < extract(epoch FROM now())::bigint - 86400)`)
	if err != nil {
		return err
	}
	var old []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return err
		}
		old = append(old, n)
	}
	rows.Close()
	for _, n := range old {
		_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)")
	}
	building := name + "_building"
	_, _ = conn.ExecContext(ctx, "DROP DATABASE IF EXISTS "+building+" WITH (FORCE)")
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return err
	}
	db, err := sqlstore.Open(ctx, withDatabase(base, building), sqlstore.Options{MaxConns: 1})
	if err != nil {
		return err
	}
	_, err = db.Migrate(ctx)
	db.Close()
	if err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return err
	}
	_, err = conn.ExecContext(ctx, fmt.Sprintf("COMMENT ON DATABASE %s IS 'made %d'", name, time.Now().Unix()))
	return err
}

// withDatabase returns the URL with its database replaced.
func withDatabase(base, name string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return strings.ToLower(hex.EncodeToString(b))
}

// ReportPostgres is for one test per package: it skips, saying why, when
// PostgreSQL is not configured (so "go test -v" lists the skip), and fails
// under LINKWORK_E2E=1.
func ReportPostgres(t *testing.T) {
	t.Helper()
	if os.Getenv(EnvPostgres) != "" {
		return
	}
	if os.Getenv(EnvE2E) == "1" {
		t.Fatalf("%s=1 but %s is not set", EnvE2E, EnvPostgres)
	}
	t.Skipf("%s is not set: every test here ran on SQLite only", EnvPostgres)
}
