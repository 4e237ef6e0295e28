package sqlstore

import "context"

// Exec runs a statement outside the services, for tests that tamper with
// the database as an attacker with direct access would.
func (db *DB) Exec(q string, args ...any) error {
	_, err := db.write.ExecContext(context.Background(), db.dialect.rebind(q), args...)
	return err
}
