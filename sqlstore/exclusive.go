package sqlstore

import (
	"context"
	"database/sql/driver"
	"hash/fnv"
	"sync"
)

// processLocks are the in-process halves of the exclusive locks: one
// mutex per store and lock key.
var processLocks sync.Map // processLock -> *sync.Mutex

type processLock struct {
	db  *DB
	key int64
}

// exclusive runs fn while this store alone holds the lock named by key,
// and reports whether it ran. Within the process the lock is a mutex; on
// PostgreSQL it is also a session advisory lock, taken with
// pg_try_advisory_lock on a connection of its own and held for the
// length of fn, so that servers sharing the database take turns. It never
// waits: when another holds the lock it returns false without running
// fn. SQLite has one server per file, so the mutex is all it needs.
func (db *DB) exclusive(ctx context.Context, key int64, fn func(context.Context) error) (bool, error) {
	mu, _ := processLocks.LoadOrStore(processLock{db, key}, &sync.Mutex{})
	if !mu.(*sync.Mutex).TryLock() {
		return false, nil
	}
	defer mu.(*sync.Mutex).Unlock()
	if db.dialect.name() != "postgres" {
		return true, fn(ctx)
	}
	conn, err := db.write.Conn(ctx)
	if err != nil {
		return false, db.wrap(err)
	}
	defer conn.Close()
	var got bool
	if err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&got); err != nil {
		return false, db.wrap(err)
	}
	if !got {
		return false, nil
	}
	defer func() {
		if _, err := conn.ExecContext(context.Background(), "SELECT pg_advisory_unlock($1)", key); err != nil {
			// A connection that may still hold the lock must not go
			// back to the pool: closing it ends its session, and the
			// lock with it.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()
	return true, fn(ctx)
}

// RunExclusive runs fn as one round of the background job named name, so
// that servers sharing a PostgreSQL database never run a round of the
// same job at the same time: it reports false, without running fn, when
// another server (or another caller in this process) is running one. The
// lock is a PostgreSQL advisory lock, keyed by the job's name, held on a
// connection of its own until fn returns; on SQLite, where one server
// owns the file, it is a mutex in the process.
func (db *DB) RunExclusive(ctx context.Context, name string, fn func(context.Context) error) (bool, error) {
	return db.exclusive(ctx, jobLockKey(name), fn)
}

// jobLockKey is the advisory lock key of the job named name: a 64-bit
// hash of it, so that each job has its own lock and every server derives
// the same one.
func jobLockKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("linkwork job: " + name))
	return int64(h.Sum64())
}
