package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // Europe/London for "today", whatever the host has

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
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

// audit appends an event to the hash chain in this transaction. The event
// belongs to the trail of the service holding the record (a person,
// referral, case or connection), or else of the actor's organisation.
func (tx *Tx) audit(action string, kind auth.Kind, recordID, detail string) error {
	service, err := tx.auditServiceOf(kind, recordID)
	if err != nil {
		return err
	}
	return tx.appendAudit(action, kind, recordID, detail, service)
}

// auditServiceOf returns the organisation whose trail an event about the
// record belongs to: the service holding it, or else the actor's own.
func (tx *Tx) auditServiceOf(kind auth.Kind, recordID string) (string, error) {
	if recordID == "" {
		return tx.actor.OrgID, nil
	}
	services, err := tx.servicesOf(kind, []string{recordID})
	if s, ok := services[recordID]; ok || err != nil {
		return s, err
	}
	// Not a record a service holds, or gone (a duplicate person removed).
	return tx.actor.OrgID, nil
}

// servicesOfRecords finds the service holding each of a list of records,
// by kind; kinds not listed are held by no service.
var servicesOfRecords = map[auth.Kind]string{
	auth.KindPerson:     "SELECT id, service_org_id FROM people WHERE id IN ",
	auth.KindReferral:   "SELECT id, service_org_id FROM referrals WHERE id IN ",
	auth.KindCase:       "SELECT id, service_org_id FROM cases WHERE id IN ",
	auth.KindConnection: "SELECT c.id, k.service_org_id FROM connections c JOIN cases k ON k.id = c.case_id WHERE c.id IN ",
}

// servicesOf finds the service holding each record of a list; records no
// service holds are left out.
func (tx *Tx) servicesOf(kind auth.Kind, ids []string) (map[string]string, error) {
	out := map[string]string{}
	q := servicesOfRecords[kind]
	if q == "" {
		return out, nil
	}
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := tx.query(q+"(?"+strings.Repeat(", ?", len(part)-1)+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, s string
			if err := rows.Scan(&id, &s); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// errAuditKeyMissing is what a linkwork without the audit key meets when
// it would add to a keyed chain (it should not have started: see
// CheckAuditKey).
var errAuditKeyMissing = errors.New("sqlstore: the audit trail is keyed but this linkwork has no audit key")

// auditEntry is an audit event before it joins the chain.
type auditEntry struct {
	actor                          linkwork.Actor
	at                             time.Time
	action                         string
	kind                           auth.Kind
	recordID, detail, serviceOrgID string
}

// appendAudit appends an event to the chain, keyed when the chain is: in
// this transaction, or in an audited read, once the read is done.
func (tx *Tx) appendAudit(action string, kind auth.Kind, recordID, detail, service string) error {
	e := auditEntry{actor: tx.actor, at: tx.now, action: action, kind: kind, recordID: recordID, detail: detail, serviceOrgID: service}
	if tx.deferred != nil {
		*tx.deferred = append(*tx.deferred, e)
		return nil
	}
	if tx.readOnly {
		return fmt.Errorf("sqlstore: audit %s in a read-only transaction", action)
	}
	return tx.writeAudit(e)
}

// writeAudit appends an event to the chain in this transaction.
func (tx *Tx) writeAudit(a auditEntry) error {
	var seq int64
	var prev string
	var headKeyed bool
	h := tx.chain
	if h == nil {
		// Every write transaction is the writer's (updateAs).
		return fmt.Errorf("sqlstore: audit %s outside the writer", a.action)
	}
	if !h.loaded {
		// Taking the head row serialises appends: in PostgreSQL the row
		// lock is held to commit; in SQLite there is one writer anyway.
		if err := tx.queryRow("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash, keyed").Scan(&h.seq, &h.hash, &h.keyed); err != nil {
			return err
		}
		h.loaded = true
	}
	seq, prev, headKeyed = h.seq+1, h.hash, h.keyed
	if headKeyed && tx.db.auditKey == nil {
		return linkwork.Internal(errAuditKeyMissing)
	}
	if headKeyed && !tx.db.auditKeyMatches.Load() {
		// Once per store, before its first keyed event: a key that is not
		// the chain's would write events nobody can verify.
		last, err := scanAudit(tx.queryRow("SELECT "+auditColumns+" FROM audit_events WHERE seq = ?", seq-1))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err == nil && last.Keyed && hashEvent(last, tx.db.auditKey) != last.Hash {
			return linkwork.Internal(ErrAuditKeyWrong)
		}
		tx.db.auditKeyMatches.Store(true)
	}
	// A chain is keyed from its first event when it starts with a key,
	// or from the event CheckAuditKey writes when a key is brought to it;
	// then every later event is.
	keyed := headKeyed || tx.db.auditKey != nil && (seq == 1 || tx.startsKeying)
	e := linkwork.AuditEvent{
		Seq: seq, At: a.at, ActorID: a.actor.ID(), ActorRole: a.actor.Role, ActorOrgID: a.actor.OrgID,
		Action: a.action, RecordType: string(a.kind), RecordID: a.recordID, Purpose: a.actor.Purpose, Detail: a.detail, PrevHash: prev,
		Keyed: keyed, ServiceOrgID: a.serviceOrgID,
	}
	e.Hash = hashEvent(&e, tx.db.auditKey)
	if _, err := tx.exec(`INSERT INTO audit_events (seq, at, actor_id, actor_role, actor_org_id, action, record_type, record_id, purpose, detail, prev_hash, hash, keyed, service_org_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At, e.ActorID, string(e.ActorRole), e.ActorOrgID, e.Action, e.RecordType, e.RecordID, e.Purpose, e.Detail, e.PrevHash, e.Hash, e.Keyed, e.ServiceOrgID); err != nil {
		return err
	}
	h.seq, h.hash, h.keyed, h.dirty = seq, e.Hash, keyed, true
	return nil
}

// auditList records a read of a list of records: one event naming them
// for each service whose records they are, so that each service's trail
// shows who read its records.
func (tx *Tx) auditList(action string, kind auth.Kind, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	services, err := tx.servicesOf(kind, ids)
	if err != nil {
		return err
	}
	var order []string
	byService := map[string][]string{}
	for _, id := range ids {
		s, ok := services[id]
		if !ok {
			s = tx.actor.OrgID
		}
		if _, seen := byService[s]; !seen {
			order = append(order, s)
		}
		byService[s] = append(byService[s], id)
	}
	for _, s := range order {
		if err := tx.appendAudit(action, kind, "", "ids="+strings.Join(byService[s], ","), s); err != nil {
			return err
		}
	}
	return nil
}

// hashEvent is the hash of an event's fields and the previous hash: for a
// keyed event an HMAC-SHA256 with key over them and the event's service,
// for an unkeyed one a SHA-256 over the fields every event has had (so
// that events written before the service was recorded still verify).
func hashEvent(e *linkwork.AuditEvent, key []byte) string {
	fields := []string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.ActorID, string(e.ActorRole), e.ActorOrgID,
		e.Action, e.RecordType, e.RecordID, e.Purpose, e.Detail, e.PrevHash,
	}
	var h hash.Hash
	if e.Keyed {
		h = hmac.New(sha256.New, key)
		fields = append(fields, "keyed", e.ServiceOrgID)
	} else {
		h = sha256.New()
	}
	for _, f := range fields {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}
