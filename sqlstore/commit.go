package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5/pgconn"
	linkwork "github.com/linkwork/linkwork"
)

// The writer: every write transaction of the store is run by one
// goroutine, which takes the calls waiting when it is free and runs them
// in one transaction, each between a savepoint and its release, so that
// they share one commit (and one sync to disk). This is group commit: a
// busy service writes its audit events and small changes at the rate of
// its disk's syncs times the calls waiting, rather than one call per
// sync, and no call is told it is saved before its transaction is
// durable. A call that fails is rolled back to its savepoint, alone; a
// commit that fails fails every call in it, each told that nothing was
// saved.
//
// In SQLite there is one writer connection anyway; in PostgreSQL every
// audited write takes the audit chain's head row, so writes were one at
// a time already, each waiting for the one before to commit.

// maxGroup bounds how many calls one transaction holds, so that the
// first of them waits for no more than a few dozen others.
const maxGroup = 64

// writeCall is one call waiting for the writer.
type writeCall struct {
	ctx   context.Context
	actor linkwork.Actor
	fn    func(*Tx) error
	// done receives the call's result once its transaction has ended.
	done chan error
}

// writer runs the store's write transactions (see above).
type writer struct {
	db    *DB
	calls chan *writeCall
	// mu guards closed: a call is only sent while the channel is open.
	mu     sync.RWMutex
	closed bool
	// stopped is closed when the goroutine has run every call sent.
	stopped chan struct{}
	// groups counts the transactions begun, for tests and benchmarks of
	// the grouping.
	groups atomic.Int64
}

// startWriter starts the goroutine that runs db's write transactions.
func (db *DB) startWriter() {
	w := &writer{db: db, calls: make(chan *writeCall, 4*maxGroup), stopped: make(chan struct{})}
	db.writer = w
	go w.loop()
}

// stop runs the calls already sent and ends the goroutine; later calls
// are refused.
func (w *writer) stop() {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		close(w.calls)
	}
	w.mu.Unlock()
	<-w.stopped
}

// errStoreClosed is the answer to a write after the store was closed.
var errStoreClosed = errors.New("sqlstore: the store is closed")

// run sends a call to the writer and waits for its transaction to end.
// It waits even when ctx ends meanwhile: a call that has begun is
// answered as it ended, so that nothing saved is reported as lost. A
// call whose ctx has ended before its turn is not run. In an Atomically
// it joins its transaction instead.
func (w *writer) run(ctx context.Context, a linkwork.Actor, fn func(*Tx) error) error {
	if at := w.db.atomicOf(ctx); at != nil {
		// The writer is running this call's Atomically.
		return at.call(a, fn)
	}
	c := &writeCall{ctx: ctx, actor: a, fn: fn, done: make(chan error, 1)}
	w.mu.RLock()
	if w.closed {
		w.mu.RUnlock()
		return notSaved(w.db.wrap(errStoreClosed))
	}
	w.calls <- c
	w.mu.RUnlock()
	return <-c.done
}

// loop takes the calls waiting, runs them in one transaction, answers
// them, and goes round again, until the channel is closed.
func (w *writer) loop() {
	defer close(w.stopped)
	group := make([]*writeCall, 0, maxGroup)
	for c := range w.calls {
		group = append(group[:0], c)
	more:
		for len(group) < maxGroup {
			select {
			case c, ok := <-w.calls:
				if !ok {
					break more
				}
				group = append(group, c)
			default:
				break more
			}
		}
		w.commit(group)
	}
}

// commit runs a group of calls in one transaction and answers each.
func (w *writer) commit(group []*writeCall) {
	db := w.db
	// Calls whose requests have gone are not begun.
	live := group[:0:0]
	for _, c := range group {
		if err := c.ctx.Err(); err != nil {
			c.done <- db.wrap(err)
			continue
		}
		live = append(live, c)
	}
	if len(live) == 0 {
		return
	}
	// The transaction is the group's, not any one request's: it is not
	// cancelled when one of them goes.
	w.groups.Add(1)
	sqlTx, err := db.write.BeginTx(context.Background(), nil)
	if err != nil {
		for _, c := range live {
			c.done <- notSaved(db.wrap(err))
		}
		return
	}
	results := make([]error, len(live))
	chain := &chainHead{}
	// In PostgreSQL the group takes the audit chain's head before its
	// calls run, not at its first event. Servers sharing the database
	// then write one group at a time from the start of each, so two can
	// never hold rows the other needs: kept counts (of referrals, cases,
	// the dashboard's, equity's) are rows many writes share, and two
	// transactions changing them in different orders, each then waiting
	// for the head the other held, would deadlock.
	if db.dialect.name() == "postgres" {
		if err := chain.take(db, sqlTx); err != nil {
			_ = sqlTx.Rollback()
			for _, c := range live {
				c.done <- notSaved(db.wrap(err))
			}
			return
		}
	}
	if len(live) == 1 {
		// Alone: no savepoint needed; a failure rolls the whole back.
		c := live[0]
		results[0] = w.call(sqlTx, chain, c)
		if results[0] != nil {
			_ = sqlTx.Rollback()
			c.done <- notSaved(db.wrap(results[0]))
			return
		}
	} else {
		for i, c := range live {
			results[i] = w.callInSavepoint(sqlTx, chain, i, c)
		}
	}
	commitErr := chain.save(db, sqlTx)
	if commitErr != nil {
		_ = sqlTx.Rollback()
	} else {
		commitErr = sqlTx.Commit()
	}
	for i, c := range live {
		switch {
		case results[i] != nil:
			c.done <- results[i]
		case commitErr != nil:
			c.done <- commitFailed(db, commitErr)
		default:
			c.done <- nil
		}
	}
}

// commitFailed is the answer to a call whose commit failed: nothing was
// saved, when that is sure. A PostgreSQL commit that fails without the
// server's answer (a lost connection) may have committed, so it keeps the
// neutral message.
func commitFailed(db *DB, err error) error {
	var pe *pgconn.PgError
	if db.dialect.name() == "sqlite" || errors.As(err, &pe) {
		return notSaved(db.wrap(err))
	}
	return db.wrap(err)
}

// callInSavepoint runs one call of a group between a savepoint and its
// release, rolling back to the savepoint when the call fails. It returns
// the call's error, already wrapped for its caller.
func (w *writer) callInSavepoint(sqlTx *sql.Tx, chain *chainHead, i int, c *writeCall) error {
	db := w.db
	sp := "lw_write_" + strconv.Itoa(i)
	db.queries.Add(1)
	if _, err := sqlTx.Exec("SAVEPOINT " + sp); err != nil {
		return notSaved(db.wrap(err))
	}
	was := *chain
	if err := w.call(sqlTx, chain, c); err != nil {
		// The call's events are undone with it.
		*chain = was
		db.queries.Add(2)
		if _, rbErr := sqlTx.Exec("ROLLBACK TO SAVEPOINT " + sp); rbErr != nil {
			return db.wrap(rbErr)
		}
		if _, rbErr := sqlTx.Exec("RELEASE SAVEPOINT " + sp); rbErr != nil {
			return db.wrap(rbErr)
		}
		return notSaved(db.wrap(err))
	}
	db.queries.Add(1)
	if _, err := sqlTx.Exec("RELEASE SAVEPOINT " + sp); err != nil {
		return db.wrap(err)
	}
	return nil
}

// call runs one call's fn in the group's transaction. A panic in it
// becomes an internal error of that call alone (its request would
// otherwise take down the writer, and with it every other request).
func (w *writer) call(sqlTx *sql.Tx, chain *chainHead, c *writeCall) (err error) {
	defer func() {
		if p := recover(); p != nil {
			w.db.log.Error("panic in a write", "panic", p, "stack", string(debug.Stack()))
			err = linkwork.Internal(fmt.Errorf("panic in a write: %v", p))
		}
	}()
	tx := &Tx{tx: sqlTx, db: w.db, actor: c.actor, now: w.db.Now(), chain: chain}
	return c.fn(tx)
}
