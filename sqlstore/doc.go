// Package sqlstore is linkwork's one database adapter. It implements the
// services of package linkwork over SQLite (the embedded default, through
// the pure-Go modernc.org/sqlite driver) and PostgreSQL (through pgx),
// with one set of queries and a narrow dialect seam where the engines
// differ: placeholders, error codes, column types in the migrations.
//
// Every service method runs in a transaction that also writes the audit
// events for what it read or changed, so an audit record exists exactly
// when the work it records was committed. Visibility comes from the
// authorization policy (auth.ScopeFor) turned into SQL, for single records
// and lists alike: a record outside the actor's scope is ENOTFOUND.
//
// Every mutable record carries a version; an update names the version it
// read, and a stale one fails with ECONFLICT instead of overwriting.
//
// SQLite runs in WAL mode with foreign keys on, synchronous=FULL (an
// acknowledged write survives power loss), a busy timeout, one writer
// connection whose transactions begin IMMEDIATE, and a pool of read-only
// connections.
package sqlstore
