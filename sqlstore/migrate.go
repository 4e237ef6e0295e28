package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/linkwork/linkwork/oruk"
)

//go:embed migrations
var migrationFS embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the dialect's migrations in order.
func Migrations(dialect string) ([]Migration, error) {
	dir := path.Join("migrations", dialect)
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("no migrations for %s: %w", dialect, err)
	}
	var ms []Migration
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".sql") {
			continue
		}
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration %s: name must start with a positive number and an underscore", name)
		}
		b, err := fs.ReadFile(migrationFS, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %s: expected number %d; numbers must run 1, 2, 3 without gaps", m.Name, i+1)
		}
	}
	return ms, nil
}

// Migrate brings the schema up to date, applying each pending migration in
// its own transaction. It returns the names of those it applied. Running it
// on an up-to-date database does nothing; a database newer than this binary
// is refused.
func (db *DB) Migrate(ctx context.Context) ([]string, error) {
	ms, err := Migrations(db.dialect.name())
	if err != nil {
		return nil, err
	}
	// Everything runs on one connection: in PostgreSQL it holds the
	// advisory lock, so that when several servers start at once one
	// migrates and the others wait.
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	defer conn.Close()
	if db.dialect.name() == "postgres" {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock(7277384)"); err != nil {
			return nil, fmt.Errorf("migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock(7277384)")
	}
	if db.sqlitePath != "" {
		// SQLite opens a file it may not write read-only, and says so
		// only at the first write, without naming the file: write now
		// (and roll it back) to find out.
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return nil, sqliteFileError(db.sqlitePath, "write to", err)
		}
		_, err = tx.ExecContext(ctx, "CREATE TABLE linkwork_write_check (x INTEGER)")
		if rerr := tx.Rollback(); err == nil {
			err = rerr
		}
		if err != nil {
			return nil, sqliteFileError(db.sqlitePath, "write to", err)
		}
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := conn.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if current > len(ms) {
		return nil, fmt.Errorf("migrate: the database is at version %d but this linkwork knows only %d migrations; upgrade linkwork", current, len(ms))
	}
	var applied []string
	for _, m := range ms[current:] {
		tx, err := conn.BeginTx(ctx, nil)
		if err != nil {
			return applied, err
		}
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if step := migrationSteps[m.Version]; step != nil {
			if err := step(ctx, tx, db.dialect.name()); err != nil {
				tx.Rollback()
				return applied, fmt.Errorf("migrate %s: %w", m.Name, err)
			}
		}
		if _, err := tx.ExecContext(ctx, db.dialect.rebind("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"), m.Version, m.Name, db.Now().Format("2006-01-02T15:04:05Z")); err != nil {
			tx.Rollback()
			return applied, fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		if err := tx.Commit(); err != nil {
			return applied, fmt.Errorf("migrate %s: %w", m.Name, err)
		}
		applied = append(applied, m.Name)
	}
	return applied, nil
}

// migrationSteps are the parts of migrations SQL cannot do, run in the
// migration's transaction after its SQL, by version.
var migrationSteps = map[int]func(ctx context.Context, tx *sql.Tx, dialect string) error{
	7:  backfillSALIDs,
	18: backfillDuplicateKeys,
}

// backfillSALIDs fills asset_locations.sal_id, the ORUK
// service-at-location id of each location (0007_oruk_scale.sql).
func backfillSALIDs(ctx context.Context, tx *sql.Tx, dialect string) error {
	type row struct{ id, sal string }
	var rows []row
	rs, err := tx.QueryContext(ctx, "SELECT id, asset_id, position FROM asset_locations WHERE sal_id IS NULL")
	if err != nil {
		return err
	}
	for rs.Next() {
		var id, assetID string
		var pos int
		if err := rs.Scan(&id, &assetID, &pos); err != nil {
			rs.Close()
			return err
		}
		rows = append(rows, row{id, salID(assetID, id, pos)})
	}
	rs.Close()
	if err := rs.Err(); err != nil {
		return err
	}
	if dialect == "postgres" {
		const size = 5000
		for start := 0; start < len(rows); start += size {
			chunk := rows[start:min(start+size, len(rows))]
			ids, sals := make([]string, len(chunk)), make([]string, len(chunk))
			for i, r := range chunk {
				ids[i], sals[i] = r.id, r.sal
			}
			if _, err := tx.ExecContext(ctx, `UPDATE asset_locations l SET sal_id = v.sal
				FROM unnest($1::text[], $2::text[]) AS v (id, sal) WHERE l.id = v.id`, ids, sals); err != nil {
				return err
			}
		}
		return nil
	}
	st, err := tx.PrepareContext(ctx, "UPDATE asset_locations SET sal_id = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer st.Close()
	for _, r := range rows {
		if _, err := st.ExecContext(ctx, r.sal, r.id); err != nil {
			return err
		}
	}
	return nil
}

// salID is the ORUK service-at-location id of a listing's location, as
// oruk.ServiceAtLocationID makes it (a location without an id goes by its
// position).
func salID(assetID, locationID string, position int) string {
	if locationID == "" {
		locationID = strconv.Itoa(position)
	}
	return oruk.ServiceAtLocationID(assetID, locationID)
}

// SchemaVersion returns the number of the last migration applied.
func (db *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v int
	err := db.read.QueryRowContext(ctx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations").Scan(&v)
	return v, err
}
