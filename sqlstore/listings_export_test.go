package sqlstore

import "context"

// CountRows runs a COUNT query outside the services, for tests that look
// at what the database holds.
func (db *DB) CountRows(q string, args ...any) (int, error) {
	var n int
	err := db.read.QueryRowContext(context.Background(), db.dialect.rebind(q), args...).Scan(&n)
	return n, err
}
