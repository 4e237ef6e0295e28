package sqlstore

import (
	"context"
	"time"
)

// SetWait sets how long BeginRequest waits for a request still being
// answered, so that tests need not wait ten seconds.
func (s *IdempotencyService) SetWait(d time.Duration) { s.wait = d }

// QueryString reads one text value outside the services, for tests that
// look at what the database holds.
func (db *DB) QueryString(q string, args ...any) (string, error) {
	var v string
	err := db.read.QueryRowContext(context.Background(), db.dialect.rebind(q), args...).Scan(&v)
	return v, err
}
