package sqlstore

import (
	"errors"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	linkwork "github.com/linkwork/linkwork"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// dialect is the seam between the engines. Add to it only when a second
// engine forces a difference.
type dialect interface {
	name() string
	// rebind turns the ? placeholders of a query into the engine's own.
	rebind(q string) string
	// translate turns a driver error into a domain error, or returns nil
	// when it does not recognise it.
	translate(err error) error
	// indexedBy names the index to read a table by, after the table's
	// name (and alias) in a FROM clause, where a planner left to itself
	// would choose worse: SQLite's does not know a partial index holds a
	// handful of rows when its statistics were sampled before it had any.
	// PostgreSQL's planner knows, and takes no hints.
	indexedBy(index string) string
}

type sqliteDialect struct{}

func (sqliteDialect) name() string           { return "sqlite" }
func (sqliteDialect) rebind(q string) string { return q }

func (sqliteDialect) indexedBy(index string) string { return " INDEXED BY " + index }

func (sqliteDialect) translate(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return nil
	}
	code := se.Code()
	if code == sqlite3.SQLITE_CONSTRAINT {
		// Without extended result codes, tell the constraints apart by
		// the message.
		msg := se.Error()
		switch {
		case strings.Contains(msg, "UNIQUE"):
			code = sqlite3.SQLITE_CONSTRAINT_UNIQUE
		case strings.Contains(msg, "FOREIGN KEY"):
			code = sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
		case strings.Contains(msg, "NOT NULL"):
			code = sqlite3.SQLITE_CONSTRAINT_NOTNULL
		}
	}
	switch code & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return &linkwork.Error{Code: linkwork.ECONFLICT, Message: "The record is busy; please try again", Err: err}
	case sqlite3.SQLITE_FULL:
		return errDatabaseFull(err)
	case sqlite3.SQLITE_READONLY:
		return errDatabaseReadOnly(err)
	case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return errDatabaseIO(err)
	}
	switch code {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return &linkwork.Error{Code: linkwork.ECONFLICT, Message: "That record already exists", Err: err}
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return &linkwork.Error{Code: linkwork.EINVALID, Message: "A record this refers to does not exist", Err: err}
	case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
		return &linkwork.Error{Code: linkwork.EINVALID, Message: "A required value is missing or out of range", Err: err}
	}
	return nil
}

type postgresDialect struct{}

func (postgresDialect) name() string { return "postgres" }

func (postgresDialect) indexedBy(string) string { return "" }

// rebind replaces each ? outside quotes with $1, $2, …
func (postgresDialect) rebind(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	inQuote := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			inQuote = !inQuote
			b.WriteByte(c)
		case c == '?' && !inQuote:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

func (postgresDialect) translate(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return nil
	}
	switch pe.Code {
	case "23505":
		return &linkwork.Error{Code: linkwork.ECONFLICT, Message: "That record already exists", Err: err}
	case "23503":
		return &linkwork.Error{Code: linkwork.EINVALID, Message: "A record this refers to does not exist", Err: err}
	case "23502", "23514", "22P02", "22007", "22008":
		return &linkwork.Error{Code: linkwork.EINVALID, Message: "A required value is missing or out of range", Err: err}
	case "22021", "22P05":
		// character_not_in_repertoire, untranslatable_character: a zero
		// byte or bytes that are not UTF-8 (checkArgs refuses them
		// before a query runs; this catches any that reach the server
		// another way).
		return errBadText(err)
	case "40001", "40P01", "55P03":
		return &linkwork.Error{Code: linkwork.ECONFLICT, Message: "The record is busy; please try again", Err: err}
	case "53100": // disk_full
		return errDatabaseFull(err)
	case "25006": // read_only_sql_transaction: a standby, or a database set read-only
		return errDatabaseReadOnly(err)
	case "58030": // io_error
		return errDatabaseIO(err)
	}
	return nil
}

// The database's own faults, which no request can fix: each says what is
// true of the request (it saved nothing, since a change that meets one
// does not commit) and who can fix it. The cause goes to the log.

func errDatabaseFull(err error) error {
	return &linkwork.Error{Code: linkwork.EINTERNAL, Message: "The database is full, so nothing was saved. Tell your administrator: nothing more can be saved until they make room.", Err: err}
}

func errDatabaseReadOnly(err error) error {
	return &linkwork.Error{Code: linkwork.EINTERNAL, Message: "The database cannot be written to (it is read-only), so nothing was saved. Tell your administrator.", Err: err}
}

func errDatabaseIO(err error) error {
	return &linkwork.Error{Code: linkwork.EINTERNAL, Message: "The database's disk could not be read or written, so nothing was saved. Tell your administrator.", Err: err}
}
