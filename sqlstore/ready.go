package sqlstore

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
)

// MinFreeSpace is how much room, in bytes, the disk holding a SQLite
// database must have for the database to be ready. A busy service writes
// far less than this in a day; below it, writes are about to fail.
const MinFreeSpace = 64 << 20

// probeSize is the size of the row the readiness probe writes: big enough
// to need new pages (16 of SQLite's 4 KiB), so that a database that has no
// room left fails the probe as its writes would.
const probeSize = 64 << 10

var probeValue = strings.Repeat("x", probeSize)

// Ready reports whether the database can do its work now, for /readyz.
// Answering is not enough: a database whose disk is full, or that has been
// made read-only, answers reads and refuses every change. So Ready checks
// three things, and its error says which failed (the cause is wrapped, for
// the log):
//
//   - both pools answer a ping;
//   - a write goes through: a row of 64 KiB inserted into the meta table
//     in a transaction that is rolled back, so nothing is kept. It fails
//     as a real write would on a read-only database or file, a PostgreSQL
//     standby, or a SQLite database at its page limit. It cannot see a
//     full disk under SQLite, whose rolled-back pages never reach the
//     disk;
//   - for SQLite, so, the disk holding the database has MinFreeSpace free
//     (statfs of its directory; skipped where the system cannot say).
//     PostgreSQL's disk is the database server's, for its own monitoring.
func (db *DB) Ready(ctx context.Context) error {
	if err := db.Ping(ctx); err != nil {
		return &linkwork.Error{Code: linkwork.EINTERNAL, Message: "the database does not answer", Err: err}
	}
	if err := db.probeWrite(ctx); err != nil {
		return &linkwork.Error{Code: linkwork.EINTERNAL, Message: "the database cannot take writes", Err: err}
	}
	if db.sqlitePath != "" && db.freeSpace != nil {
		dir := filepath.Dir(db.sqlitePath)
		free, known, err := db.freeSpace(dir)
		if err != nil {
			return &linkwork.Error{Code: linkwork.EINTERNAL, Message: "the free space of the database's disk cannot be read", Err: fmt.Errorf("statfs %s: %w", dir, err)}
		}
		if known && free < MinFreeSpace {
			return &linkwork.Error{Code: linkwork.EINTERNAL, Message: "the disk holding the database is nearly full",
				Err: fmt.Errorf("%s has %d MiB free, less than the %d MiB linkwork keeps in hand", dir, free>>20, MinFreeSpace>>20)}
		}
	}
	return nil
}

// probeWrite writes a row and rolls it back.
func (db *DB) probeWrite(ctx context.Context) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, db.dialect.rebind("INSERT INTO meta (key, value) VALUES (?, ?)"), "ready probe "+uuid.NewString(), probeValue)
	if t := db.dialect.translate(err); t != nil {
		return t
	}
	return err
}
