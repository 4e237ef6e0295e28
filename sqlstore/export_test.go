package sqlstore

import "context"

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

// SetFreeSpace replaces how the database finds the room left on a disk,
// for tests of a disk that is nearly full.
func SetFreeSpace(db *DB, free func(dir string) (uint64, bool, error)) {
	db.freeSpace = free
}
