package sqlstore

import (
	"database/sql"
	"sync"
	"sync/atomic"
)

// statements keeps the store's queries prepared, for SQLite: database/sql
// prepares a statement on each connection the first time it runs there
// and reuses it after, where an unprepared query is parsed and planned
// again every time it runs (a fifth of a busy server's time). The
// PostgreSQL driver keeps its own cache of prepared statements per
// connection, so there the store does not.
type statements struct {
	pool *sql.DB
	m    sync.Map // query -> *sql.Stmt
	// asked holds the queries whose preparing has begun, n how many.
	asked sync.Map
	n     atomic.Int64
	// preparing counts the statements being prepared in the background;
	// mu and closed stop more once the store is closing.
	preparing sync.WaitGroup
	mu        sync.Mutex
	closed    bool
}

// maxStatements bounds how many queries are kept prepared: queries are
// built from a fixed set of parts, but a list of ids makes one per
// length, and those beyond the bound run unprepared.
const maxStatements = 2000

// newStatements returns a cache of statements prepared on pool.
func newStatements(pool *sql.DB) *statements { return &statements{pool: pool} }

// get returns q prepared, or nil to run it unprepared this time. A query
// not yet prepared is prepared in the background, on a connection of the
// pool when one is free: never on the caller's, which is in a
// transaction, and never making the caller wait for another (every
// connection may be held by a transaction that is asking the same).
func (s *statements) get(q string) *sql.Stmt {
	if s == nil {
		return nil
	}
	if st, ok := s.m.Load(q); ok {
		return st.(*sql.Stmt)
	}
	if _, asked := s.asked.LoadOrStore(q, true); asked || s.n.Add(1) > maxStatements {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.preparing.Go(func() {
		if st, err := s.pool.Prepare(q); err == nil {
			s.m.Store(q, st)
		}
	})
	return nil
}

// close closes every statement kept.
func (s *statements) close() {
	if s == nil {
		return
	}
	// No more, and those under way finished, before the pool closes: a
	// connection opened after it would leave the database's files open.
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.preparing.Wait()
	s.m.Range(func(_, st any) bool {
		st.(*sql.Stmt).Close()
		return true
	})
}
