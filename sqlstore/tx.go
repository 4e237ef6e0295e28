package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London for "today", whatever the host has

	linkwork "github.com/linkwork/linkwork"
)

// Tx is a transaction on behalf of an actor.
type Tx struct {
	// tx runs the statements: a transaction, or, for reads on
	// PostgreSQL, the pool (see readsInTransaction).
	tx       runner
	db       *DB
	actor    linkwork.Actor
	now      time.Time
	readOnly bool
	// startsKeying makes the next audit event keyed, and so the chain
	// from it on (CheckAuditKey).
	startsKeying bool
	// deferred, in an audited read, collects the audit events for the
	// writer to append once the read is done.
	deferred *[]auditEntry
	// chain, in the writer's transactions, is the audit chain's head as
	// the transaction has it (see chainHead).
	chain *chainHead
}

// chainHead is the audit chain's head as one of the writer's
// transactions has it: read once, taking the head row (which in
// PostgreSQL locks it until the commit, so that servers sharing the
// database append one at a time), kept in memory while the
// transaction's calls append their events, and written back once, just
// before the commit. Appending an event is then one statement, not
// three. A call rolled back to its savepoint puts the head back as it
// was before the call.
type chainHead struct {
	loaded, dirty bool
	seq           int64
	hash          string
	keyed         bool
}

// take reads the head, taking its row: the writer does so first thing in
// PostgreSQL (see writer.commit).
func (h *chainHead) take(db *DB, sqlTx *sql.Tx) error {
	db.queries.Add(1)
	if err := sqlTx.QueryRow("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash, keyed").Scan(&h.seq, &h.hash, &h.keyed); err != nil {
		return err
	}
	h.loaded = true
	return nil
}

// save writes the head back, if events were appended.
func (h *chainHead) save(db *DB, sqlTx *sql.Tx) error {
	if !h.dirty {
		return nil
	}
	db.queries.Add(1)
	_, err := sqlTx.Exec(db.dialect.rebind("UPDATE audit_head SET seq = ?, hash = ?, keyed = ? WHERE id = 1"), h.seq, h.hash, h.keyed)
	return err
}

// runner runs statements: *sql.Tx, or *sql.DB.
type runner interface {
	Exec(query string, args ...any) (sql.Result, error)
	Query(query string, args ...any) (*sql.Rows, error)
	QueryRow(query string, args ...any) *sql.Row
}

// readsInTransaction reports whether reads run in a read-only
// transaction. In SQLite they do: it is one snapshot for all of a read's
// statements. PostgreSQL gives each statement of a READ COMMITTED
// transaction a snapshot of its own anyway, so there a transaction would
// only add a BEGIN and a ROLLBACK, two round trips to the server, to
// every read; reads run on the pool instead. (SQLite's readers also
// refuse to write, and the store's tests run on both engines, so a read
// that writes is still caught.)
func (db *DB) readsInTransaction() bool { return db.dialect.name() != "postgres" }

// actorFrom returns the actor in ctx, or EUNAUTHORIZED.
func actorFrom(ctx context.Context) (linkwork.Actor, error) {
	a, ok := linkwork.ActorFrom(ctx)
	if !ok || (!a.System && a.UserID == "") {
		return linkwork.Actor{}, linkwork.Errorf(linkwork.EUNAUTHORIZED, "Sign in to continue")
	}
	return a, nil
}

// update runs fn in a write transaction for the actor in ctx, committing
// when fn returns nil.
func (db *DB) update(ctx context.Context, fn func(*Tx) error) error {
	a, err := actorFrom(ctx)
	if err != nil {
		return err
	}
	return db.updateAs(ctx, a, fn)
}

// updateAs is update with an explicit actor: for signing in, before there
// is an actor in the context.
//
// fn runs on the writer (see writer), in a transaction it may share with
// other requests' calls, each between a savepoint and its release; update
// returns once that transaction has committed, or fn has failed and been
// rolled back. An internal error that says no more than "something went
// wrong" is made to say that nothing was saved, when that is sure: the
// transaction never began, fn failed and it was rolled back, or SQLite
// refused the commit. A PostgreSQL commit that fails without the server's
// answer (a lost connection) may have committed, so it keeps the neutral
// message. fn must not call the store's services itself: the writer would
// wait for itself.
func (db *DB) updateAs(ctx context.Context, a linkwork.Actor, fn func(*Tx) error) error {
	if t := db.trailOf(ctx); t != nil {
		// The request's later reads see this write.
		t.endSnapshot()
	}
	return db.writer.run(ctx, a, fn)
}

// audited runs fn, a read of personal data that records what it reads
// with tx.audit, in a read-only transaction on the readers' pool, so that
// reads never wait for the writer; then it has the writer append the
// events fn recorded, and returns only once they are durable. If they
// cannot be written, the read fails: nothing is read without its trace.
// (The events are not in the read's own transaction, but no caller has
// the data before they are committed.)
func (db *DB) audited(ctx context.Context, fn func(*Tx) error) error {
	a, err := actorFrom(ctx)
	if err != nil {
		return err
	}
	return db.auditedAs(ctx, a, fn)
}

// auditedAs is audited with an explicit actor.
func (db *DB) auditedAs(ctx context.Context, a linkwork.Actor, fn func(*Tx) error) error {
	if at := db.atomicOf(ctx); at != nil {
		return at.call(a, fn)
	}
	if b, ok := ctx.Value(batchKey{}).(*joined); ok && b.db == db {
		return b.read(ctx, a, fn)
	}
	var events []auditEntry
	err := db.read1(ctx, func(r runner) error {
		return fn(&Tx{tx: r, db: db, actor: a, now: db.Now(), readOnly: true, deferred: &events})
	})
	if err != nil {
		return db.wrap(err)
	}
	return db.recordReads(ctx, events)
}

// notSaved says of a generic internal error that nothing was saved.
// Errors that say something more specific pass through.
func notSaved(err error) error {
	if linkwork.IsGenericInternal(err) {
		return linkwork.NotSaved(errors.Unwrap(err))
	}
	return err
}

// view runs fn in a read-only transaction. It cannot write audit events,
// so it is only for reads of data that is not personal.
func (db *DB) view(ctx context.Context, fn func(*Tx) error) error {
	a, err := actorFrom(ctx)
	if err != nil {
		return err
	}
	return db.viewAs(ctx, a, fn)
}

func (db *DB) viewAs(ctx context.Context, a linkwork.Actor, fn func(*Tx) error) error {
	if at := db.atomicOf(ctx); at != nil {
		return at.call(a, fn)
	}
	return db.wrap(db.read1(ctx, func(r runner) error {
		return fn(&Tx{tx: r, db: db, actor: a, now: db.Now(), readOnly: true})
	}))
}

// read1 runs fn with what a read's statements run on: a read-only
// transaction, rolled back after, or the pool (readsInTransaction).
func (db *DB) read1(ctx context.Context, fn func(runner) error) error {
	if !db.readsInTransaction() {
		return fn(db.read)
	}
	if t := db.trailOf(ctx); t != nil {
		if shared, err := t.snapshot(ctx, fn); shared {
			return err
		}
	}
	sqlTx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer sqlTx.Rollback()
	return fn(sqlTx)
}

// wrap turns any error into an application error: application errors pass
// through, driver errors are translated, anything else is EINTERNAL and
// logged.
func (db *DB) wrap(err error) error {
	if err == nil {
		return nil
	}
	var e *linkwork.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &linkwork.Error{Code: linkwork.EINTERNAL, Message: "The request was cancelled or took too long; nothing was saved", Err: err}
	}
	if errors.Is(err, sql.ErrNoRows) {
		return &linkwork.Error{Code: linkwork.ENOTFOUND, Message: "Not found", Err: err}
	}
	if t := db.dialect.translate(err); t != nil {
		return t
	}
	db.log.Error("database error", "err", err)
	return linkwork.Internal(err)
}

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	if err := checkArgs(args); err != nil {
		return nil, err
	}
	tx.db.queries.Add(1)
	q = tx.db.dialect.rebind(q)
	if st := tx.prepared(q); st != nil {
		if t, ok := tx.tx.(*sql.Tx); ok {
			return t.Stmt(st).Exec(args...)
		}
	}
	return tx.tx.Exec(q, args...)
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	if err := checkArgs(args); err != nil {
		return nil, err
	}
	tx.db.queries.Add(1)
	q = tx.db.dialect.rebind(q)
	if st := tx.prepared(q); st != nil {
		if t, ok := tx.tx.(*sql.Tx); ok {
			return t.Stmt(st).Query(args...)
		}
	}
	return tx.tx.Query(q, args...)
}

func (tx *Tx) queryRow(q string, args ...any) row {
	if err := checkArgs(args); err != nil {
		return row{err: err}
	}
	tx.db.queries.Add(1)
	q = tx.db.dialect.rebind(q)
	if st := tx.prepared(q); st != nil {
		if t, ok := tx.tx.(*sql.Tx); ok {
			return row{row: t.Stmt(st).QueryRow(args...)}
		}
	}
	return row{row: tx.tx.QueryRow(q, args...)}
}

// prepared returns q prepared on the pool tx runs on, from the store's
// statements (see statements), or nil to run it unprepared.
func (tx *Tx) prepared(q string) *sql.Stmt {
	if tx.readOnly {
		return tx.db.readStmts.get(q)
	}
	return tx.db.writeStmts.get(q)
}

// row is the one row of queryRow, or the error that stopped it being
// asked for.
type row struct {
	row *sql.Row
	err error
}

// Scan copies the row's columns into dest, or returns the error.
func (r row) Scan(dest ...any) error {
	if r.err != nil {
		return r.err
	}
	return r.row.Scan(dest...)
}

// checkArgs refuses, as EINVALID, a string argument that is not text the
// store can hold: one with a zero byte, or bytes that are not UTF-8.
// PostgreSQL refuses both, and SQLite would store them as they came; the
// services' Validate methods name the field first, so this is the
// backstop that keeps any value a check missed from becoming an internal
// error, the same on both engines.
func checkArgs(args []any) error {
	for _, a := range args {
		if s, ok := a.(string); ok && !linkwork.ValidText(s) {
			return errBadText(nil)
		}
	}
	return nil
}

// errBadText is the store's answer to text it cannot hold.
func errBadText(cause error) error {
	return &linkwork.Error{Code: linkwork.EINVALID, Message: "There is a problem: " + linkwork.BadTextMessage, Err: cause}
}

// count runs a COUNT query.
func (tx *Tx) count(q string, args ...any) (int, error) {
	var n int
	err := tx.queryRow(q, args...).Scan(&n)
	return n, err
}

// mustAffect checks that an update touched a row; when it did not, it tells
// a stale version (ECONFLICT) from a missing record (ENOTFOUND).
func (tx *Tx) mustAffect(res sql.Result, table, id, what string) error {
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 1 {
		return nil
	}
	var exists int
	if err := tx.queryRow("SELECT COUNT(*) FROM "+table+" WHERE id = ?", id).Scan(&exists); err != nil {
		return err
	}
	if exists == 0 {
		return linkwork.Errorf(linkwork.ENOTFOUND, "%s not found", what)
	}
	return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed this %s since you opened it. Reload it to see their changes, then make yours again.", strings.ToLower(what))
}
