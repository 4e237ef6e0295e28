package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London for "today", whatever the host has

	"github.com/jackc/pgx/v5/pgconn"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// Tx is a transaction on behalf of an actor.
type Tx struct {
	tx       *sql.Tx
	db       *DB
	actor    linkwork.Actor
	now      time.Time
	readOnly bool
}

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
// An internal error that says no more than "something went wrong" is
// made to say that nothing was saved, when that is sure: the transaction
// never began, fn failed and it was rolled back, or SQLite refused the
// commit. A PostgreSQL commit that fails without the server's answer (a
// lost connection) may have committed, so it keeps the neutral message.
func (db *DB) updateAs(ctx context.Context, a linkwork.Actor, fn func(*Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return notSaved(db.wrap(err))
	}
	tx := &Tx{tx: sqlTx, db: db, actor: a, now: db.Now()}
	if err := fn(tx); err != nil {
		_ = sqlTx.Rollback()
		return notSaved(db.wrap(err))
	}
	if err := sqlTx.Commit(); err != nil {
		var pe *pgconn.PgError
		if db.dialect.name() == "sqlite" || errors.As(err, &pe) {
			return notSaved(db.wrap(err))
		}
		return db.wrap(err)
	}
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
	sqlTx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return db.wrap(err)
	}
	defer sqlTx.Rollback()
	tx := &Tx{tx: sqlTx, db: db, actor: a, now: db.Now(), readOnly: true}
	return db.wrap(fn(tx))
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
	return tx.tx.Exec(tx.db.dialect.rebind(q), args...)
}

func (tx *Tx) query(q string, args ...any) (*sql.Rows, error) {
	return tx.tx.Query(tx.db.dialect.rebind(q), args...)
}

func (tx *Tx) queryRow(q string, args ...any) *sql.Row {
	return tx.tx.QueryRow(tx.db.dialect.rebind(q), args...)
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

// audit appends an event to the hash chain in this transaction.
func (tx *Tx) audit(action string, kind auth.Kind, recordID, detail string) error {
	if tx.readOnly {
		return fmt.Errorf("sqlstore: audit %s in a read-only transaction", action)
	}
	var seq int64
	var prev string
	// Taking the head row serialises appends: in PostgreSQL the row lock
	// is held to commit; in SQLite there is one writer anyway.
	if err := tx.queryRow("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").Scan(&seq, &prev); err != nil {
		return err
	}
	e := linkwork.AuditEvent{
		Seq: seq, At: tx.now, ActorID: tx.actor.ID(), ActorRole: tx.actor.Role, ActorOrgID: tx.actor.OrgID,
		Action: action, RecordType: string(kind), RecordID: recordID, Purpose: tx.actor.Purpose, Detail: detail, PrevHash: prev,
	}
	e.Hash = hashEvent(&e)
	if _, err := tx.exec(`INSERT INTO audit_events (seq, at, actor_id, actor_role, actor_org_id, action, record_type, record_id, purpose, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At, e.ActorID, string(e.ActorRole), e.ActorOrgID, e.Action, e.RecordType, e.RecordID, e.Purpose, e.Detail, e.PrevHash, e.Hash); err != nil {
		return err
	}
	_, err := tx.exec("UPDATE audit_head SET hash = ? WHERE id = 1", e.Hash)
	return err
}

// auditList records a read of a list of records: one event naming them.
func (tx *Tx) auditList(action string, kind auth.Kind, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	return tx.audit(action, kind, "", "ids="+strings.Join(ids, ","))
}

// hashEvent is the SHA-256 of an event's fields and the previous hash.
func hashEvent(e *linkwork.AuditEvent) string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.ActorID, string(e.ActorRole), e.ActorOrgID,
		e.Action, e.RecordType, e.RecordID, e.Purpose, e.Detail, e.PrevHash,
	} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}
