// The audit trail of reads: kept per request (Defer) or per batch (Batch)
// and written by the writer before the answer goes.

package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"sync"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// recordReads has the writer append the events of reads to the audit
// trail, and waits until they are durable; or, in a context from Defer,
// adds them to its trail.
func (db *DB) recordReads(ctx context.Context, events []auditEntry) error {
	if len(events) == 0 {
		return nil
	}
	if t := db.trailOf(ctx); t != nil {
		t.mu.Lock()
		if !t.done {
			t.events = append(t.events, events...)
			t.mu.Unlock()
			return nil
		}
		t.mu.Unlock()
	}
	return db.writeReads(ctx, events)
}

// writeReads has the writer append the events of reads to the audit
// trail, and waits until they are durable.
func (db *DB) writeReads(ctx context.Context, events []auditEntry) error {
	if len(events) == 0 {
		return nil
	}
	return db.writer.run(ctx, events[0].actor, func(tx *Tx) error {
		for _, e := range events {
			if err := tx.writeAudit(e); err != nil {
				return err
			}
		}
		return nil
	})
}

type trailKey struct{}

// trail holds the audit events of a request's reads until it answers,
// and, in SQLite, the read transaction its reads share.
type trail struct {
	db     *DB
	mu     sync.Mutex
	events []auditEntry
	// done: the events have been flushed; reads after that record their
	// own (a response that reads while it is sent).
	done bool
	// snap is the request's read transaction (SQLite), begun by its
	// first read and ended by a write or the flush; snapMu is held while
	// a read uses it.
	snapMu sync.Mutex
	snap   *sql.Tx
}

// Defer returns a context in which the store's audited reads keep their
// events in a trail rather than each having the writer append its own,
// and the function that has the writer append the trail's events, in one
// call, and returns once they are durable. A server calls it before it
// sends a response that may hold what was read, and sends an error
// instead when it fails: a request's reads then cost one wait for the
// writer, not one each. Whoever calls Defer must call the function
// before anything read leaves the process, and once the request is done.
//
// In SQLite the request's reads also share one read transaction, until
// it writes: SQLite empties a connection's page cache whenever the
// database has changed since its last read, which on a busy server is
// at every read transaction, so each one begins by reading its pages
// again. A write through the store ends the shared transaction, so that
// what is read after it sees it.
func (db *DB) Defer(ctx context.Context) (context.Context, func(context.Context) error) {
	t := &trail{db: db}
	return context.WithValue(ctx, trailKey{}, t), t.flush
}

// trailOf returns the trail of db in ctx, or nil.
func (db *DB) trailOf(ctx context.Context) *trail {
	if t, ok := ctx.Value(trailKey{}).(*trail); ok && t.db == db {
		return t
	}
	return nil
}

// flush has the writer append the trail's events so far, and ends the
// shared read transaction: what the request reads after it records its
// own events.
func (t *trail) flush(ctx context.Context) error {
	t.endSnapshot()
	t.mu.Lock()
	events := t.events
	t.events, t.done = nil, true
	t.mu.Unlock()
	return t.db.writeReads(ctx, events)
}

// snapshot runs fn in the request's shared read transaction, beginning it
// if need be, and reports whether it could: not once the trail is
// flushed, nor while another read of the request is using it (reads run
// at once, or one inside another, take their own).
func (t *trail) snapshot(ctx context.Context, fn func(runner) error) (bool, error) {
	t.mu.Lock()
	done := t.done
	t.mu.Unlock()
	if done || !t.snapMu.TryLock() {
		return false, nil
	}
	defer t.snapMu.Unlock()
	if t.snap == nil {
		tx, err := t.db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return true, err
		}
		t.snap = tx
	}
	return true, fn(t.snap)
}

// endSnapshot ends the shared read transaction, if there is one.
func (t *trail) endSnapshot() {
	t.snapMu.Lock()
	defer t.snapMu.Unlock()
	if t.snap != nil {
		_ = t.snap.Rollback()
		t.snap = nil
	}
}

type batchKey struct{}

// joined is one read-only transaction that the services' audited reads
// join, and the audit events they record, written together at its end.
type joined struct {
	db     *DB
	tx     *sql.Tx
	now    time.Time
	n      int // savepoints taken
	events []auditEntry
}

// Batch runs fn with a context in which the store's audited reads join
// one read-only transaction instead of each running its own (in SQLite;
// see readsInTransaction): a page that reads a dozen things about a
// person sees one moment of the data, and the events recording what it
// read are written together, in one
// transaction of the writer, when fn returns nil; Batch returns once
// they are durable (when fn fails, the page shows nothing it read, and
// they are not written). Each read still stands alone within it: one that
// fails is rolled back to where it began (a savepoint) and its error
// returned. Writes inside a Batch are not joined: each is its own call to
// the writer, and reads in the batch that began before it do not see it,
// so Batch is for pages that read. A Batch inside a Batch joins the outer
// one; inside an Atomically, its reads join the Atomically's transaction.
func (db *DB) Batch(ctx context.Context, fn func(context.Context) error) error {
	if b, ok := ctx.Value(batchKey{}).(*joined); ok && b.db == db || db.atomicOf(ctx) != nil {
		return fn(ctx)
	}
	b := &joined{db: db, now: db.Now()}
	if db.readsInTransaction() {
		sqlTx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			return db.wrap(err)
		}
		defer sqlTx.Rollback()
		b.tx = sqlTx
	}
	if err := fn(context.WithValue(ctx, batchKey{}, b)); err != nil {
		return err
	}
	return db.recordReads(ctx, b.events)
}

// read runs one audited read's fn inside the batch, between a savepoint
// and its release, rolling back to the savepoint when fn fails; the
// events of a read that succeeds join the batch's.
func (b *joined) read(ctx context.Context, a linkwork.Actor, fn func(*Tx) error) error {
	if b.tx == nil {
		// Reads on the pool (readsInTransaction): nothing to roll back.
		var events []auditEntry
		if err := fn(&Tx{tx: b.db.read, db: b.db, actor: a, now: b.now, readOnly: true, deferred: &events}); err != nil {
			return b.db.wrap(err)
		}
		b.events = append(b.events, events...)
		return nil
	}
	b.n++
	sp := "lw_read_" + strconv.Itoa(b.n)
	b.db.queries.Add(1)
	if _, err := b.tx.ExecContext(ctx, "SAVEPOINT "+sp); err != nil {
		return b.db.wrap(err)
	}
	var events []auditEntry
	tx := &Tx{tx: b.tx, db: b.db, actor: a, now: b.now, readOnly: true, deferred: &events}
	if err := fn(tx); err != nil {
		b.db.queries.Add(2)
		if _, rbErr := b.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+sp); rbErr != nil {
			return b.db.wrap(rbErr)
		}
		if _, rbErr := b.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+sp); rbErr != nil {
			return b.db.wrap(rbErr)
		}
		return b.db.wrap(err)
	}
	b.db.queries.Add(1)
	if _, err := b.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+sp); err != nil {
		return b.db.wrap(err)
	}
	b.events = append(b.events, events...)
	return nil
}
