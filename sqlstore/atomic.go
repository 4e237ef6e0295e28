package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"sync"

	linkwork "github.com/linkwork/linkwork"
)

type atomicKey struct{}

// together is one of the writer's transactions that the services' calls in
// an Atomically join, writes and reads alike.
type together struct {
	db    *DB
	sqlTx *sql.Tx
	chain *chainHead
	// mu runs the calls one at a time; n counts the savepoints taken.
	mu sync.Mutex
	n  int
}

// Atomically runs fn with a context in which the store's calls (writes
// and reads, for the actor in ctx or any other) join one write
// transaction: what fn saves is committed together when fn returns nil,
// and none of it when fn returns an error, which Atomically returns as it
// is. It is for work of many calls that must be saved whole or not at
// all, such as an import. Reads inside see what fn has saved so far.
// Each call still stands alone: one that fails is rolled back to where it
// began (a savepoint) and its error returned, so fn may go on, to find
// every problem before it gives up. An Atomically inside an Atomically
// joins the outer one.
//
// fn holds the writer until it returns, so the process's other writes
// wait for it (and in PostgreSQL every audited write of other servers,
// which waits for the audit chain's head): keep to the store's calls in
// it, nothing slow.
func (db *DB) Atomically(ctx context.Context, fn func(context.Context) error) error {
	if db.atomicOf(ctx) != nil {
		return fn(ctx)
	}
	a, err := actorFrom(ctx)
	if err != nil {
		return err
	}
	var fnErr error
	err = db.updateAs(ctx, a, func(tx *Tx) error {
		sqlTx, ok := tx.tx.(*sql.Tx)
		if !ok {
			return errors.New("sqlstore: the writer's transaction is not a transaction")
		}
		fnErr = fn(context.WithValue(ctx, atomicKey{}, &together{db: db, sqlTx: sqlTx, chain: tx.chain}))
		return fnErr
	})
	if fnErr != nil {
		return fnErr
	}
	return err
}

// atomicOf returns the transaction of an Atomically of db that ctx is in,
// or nil.
func (db *DB) atomicOf(ctx context.Context) *together {
	if at, ok := ctx.Value(atomicKey{}).(*together); ok && at.db == db {
		return at
	}
	return nil
}

// call runs one call's fn in the transaction, between a savepoint and its
// release, rolling back to the savepoint (and the audit chain's head to
// where it was) when fn fails.
func (at *together) call(a linkwork.Actor, fn func(*Tx) error) error {
	at.mu.Lock()
	defer at.mu.Unlock()
	db := at.db
	at.n++
	sp := "lw_atomic_" + strconv.Itoa(at.n)
	db.queries.Add(1)
	if _, err := at.sqlTx.Exec("SAVEPOINT " + sp); err != nil {
		return db.wrap(err)
	}
	was := *at.chain
	if err := fn(&Tx{tx: at.sqlTx, db: db, actor: a, now: db.Now(), chain: at.chain}); err != nil {
		*at.chain = was
		db.queries.Add(2)
		if _, rbErr := at.sqlTx.Exec("ROLLBACK TO SAVEPOINT " + sp); rbErr != nil {
			return db.wrap(rbErr)
		}
		if _, rbErr := at.sqlTx.Exec("RELEASE SAVEPOINT " + sp); rbErr != nil {
			return db.wrap(rbErr)
		}
		return notSaved(db.wrap(err))
	}
	db.queries.Add(1)
	if _, err := at.sqlTx.Exec("RELEASE SAVEPOINT " + sp); err != nil {
		return db.wrap(err)
	}
	return nil
}
