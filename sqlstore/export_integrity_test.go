package sqlstore

import (
	"context"
	"time"

	linkwork "github.com/linkwork/linkwork"
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

// AuditEventsRaw reads the whole trail straight from the table, oldest
// first, without the services (and so without auditing the read), as an
// attacker with access to the database would.
func (db *DB) AuditEventsRaw() ([]*linkwork.AuditEvent, error) {
	rows, err := db.read.Query("SELECT " + auditColumns + " FROM audit_events ORDER BY seq")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*linkwork.AuditEvent
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
