package sqlstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver
	linkwork "github.com/linkwork/linkwork"
	_ "modernc.org/sqlite" // the SQLite driver
)

// Options configure a DB.
type Options struct {
	// Now returns the current time; tests inject a clock. Default time.Now.
	Now func() time.Time
	// Sessions sets session lifetimes. Default linkwork.DefaultSessionPolicy.
	Sessions linkwork.SessionPolicy
	// SQLiteSynchronous overrides synchronous=FULL ("NORMAL" trades the
	// last transactions on power loss, never on a process crash, for
	// throughput). Empty means FULL.
	SQLiteSynchronous string
	// SQLiteMmapMiB is how much of a SQLite file its connections read
	// through memory mapping rather than read calls. 0, the default,
	// maps none, which measured faster for linkwork's mix of reads and
	// writes: a mapped page is decoded again on every read, and the
	// mapping is redone whenever the file grows. SQLiteMmapAuto works it
	// out from the file's size when it opens (SQLiteAutoMmap).
	SQLiteMmapMiB int
	// MaxConns bounds the PostgreSQL pool and the SQLite reader pool.
	// Default 16.
	MaxConns int
	// Logger receives internal errors. Default slog.Default().
	Logger *slog.Logger
	// AuditKey keys the audit chain: a keyed event's hash is an
	// HMAC-SHA256 with it, so that someone who can write to the database
	// but does not have the key cannot rewrite events unnoticed. A new
	// chain is keyed from its first event; a chain already begun, from
	// when DB.CheckAuditKey is called. Keep the key outside the database
	// and its backups. At least MinAuditKey bytes. Without it a keyed
	// chain cannot be added to, and an unkeyed one shows accidental
	// change only.
	AuditKey []byte
}

// MinAuditKey is the shortest audit key accepted, in bytes.
const MinAuditKey = 32

// DB is an open database: SQLite or PostgreSQL.
type DB struct {
	read     *sql.DB // read-only pool (SQLite) or the pool (PostgreSQL)
	write    *sql.DB // the single writer (SQLite) or the pool (PostgreSQL)
	dialect  dialect
	now      func() time.Time
	sessions linkwork.SessionPolicy
	log      *slog.Logger
	dsn      string
	auditKey []byte
	// auditKeyMatches records that the key has been found to be the
	// chain's, before this store first added a keyed event.
	auditKeyMatches atomic.Bool
	// sqlitePath is the SQLite database's file; "" for PostgreSQL.
	sqlitePath string
	// freeSpace tells the room left on the file system holding a
	// directory, and whether it could tell; tests replace it.
	freeSpace func(dir string) (free uint64, known bool, err error)
	// queries counts the statements run through transactions, for tests
	// that a page's cost does not grow with its data (Queries).
	queries atomic.Int64
	// writer runs every write transaction, grouping concurrent ones.
	writer *writer
	// readStmts and writeStmts keep SQLite's queries prepared on each
	// pool; nil for PostgreSQL.
	readStmts, writeStmts *statements
}

// Queries is how many statements this store's transactions have run
// since it opened: tests compare it before and after a call to show that
// the call runs a fixed number of queries however much data it reads.
func (db *DB) Queries() int64 { return db.queries.Load() }

// Open opens the database named by dsn: "sqlite:PATH" (or a path ending in
// .db), or a "postgres://" or "postgresql://" URL. It does not migrate; call
// Migrate. Errors say what is wrong with the DSN.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Sessions == (linkwork.SessionPolicy{}) {
		opts.Sessions = linkwork.DefaultSessionPolicy
	}
	if opts.MaxConns <= 0 {
		opts.MaxConns = 16
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.AuditKey != nil && len(opts.AuditKey) < MinAuditKey {
		return nil, fmt.Errorf("the audit key is %d bytes long; it must be at least %d (make one with: openssl rand -hex 32)", len(opts.AuditKey), MinAuditKey)
	}
	db := &DB{now: opts.Now, sessions: opts.Sessions, log: opts.Logger, dsn: dsn, auditKey: bytes.Clone(opts.AuditKey)}
	var err error
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		err = db.openPostgres(dsn, opts)
	case strings.HasPrefix(dsn, "sqlite:"):
		err = db.openSQLite(strings.TrimPrefix(dsn, "sqlite:"), opts)
	case strings.HasSuffix(dsn, ".db") || strings.HasSuffix(dsn, ".sqlite"):
		err = db.openSQLite(dsn, opts)
	case dsn == "":
		return nil, errors.New("no database given: use sqlite:PATH or a postgres:// URL")
	default:
		return nil, fmt.Errorf("database %q is not understood: use sqlite:PATH or a postgres:// URL", redact(dsn))
	}
	if err != nil {
		return nil, err
	}
	db.startWriter()
	if err := db.Ping(ctx); err != nil {
		db.Close()
		if db.sqlitePath != "" {
			return nil, sqliteFileError(db.sqlitePath, "open", err)
		}
		return nil, fmt.Errorf("cannot reach the database %s: %w", redact(dsn), err)
	}
	return db, nil
}

func (db *DB) openSQLite(path string, opts Options) error {
	if path == "" {
		return errors.New("sqlite: needs a file path, like sqlite:linkwork.db")
	}
	if path == ":memory:" {
		return errors.New("sqlite: an in-memory database cannot be shared by the reader and writer pools; use a file (a temporary directory is fine)")
	}
	sync := strings.ToUpper(opts.SQLiteSynchronous)
	if sync == "" {
		sync = "FULL"
	}
	if sync != "FULL" && sync != "NORMAL" && sync != "EXTRA" {
		return fmt.Errorf("sqlite: synchronous must be FULL, EXTRA or NORMAL, not %q", opts.SQLiteSynchronous)
	}
	mmap := sqliteMmap(path, opts.SQLiteMmapMiB)
	common := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "foreign_keys(1)", "busy_timeout(10000)", "synchronous(" + sync + ")",
		fmt.Sprintf("mmap_size(%d)", mmap)} {
		common.Add("_pragma", p)
	}
	common.Set("_time_format", "sqlite")
	w := url.Values{}
	for k, v := range common {
		w[k] = v
	}
	w.Set("_txlock", "immediate")
	// Every audited read runs on the one writer connection, so its page
	// cache is what keeps a busy service's hot pages (caseloads, case
	// pages) in memory: 64 MiB rather than SQLite's 2 MiB. A national
	// caseload otherwise re-reads its index pages from the kernel on
	// every request.
	w.Add("_pragma", fmt.Sprintf("cache_size(%d)", -writerCacheKiB))
	// The path is a URI path: escape '#', '?' and '%' so that they are
	// part of the file name.
	uri := "file:" + (&url.URL{Path: path}).EscapedPath()
	var err error
	db.write, err = sql.Open("sqlite", uri+"?"+w.Encode())
	if err != nil {
		return err
	}
	db.write.SetMaxOpenConns(1)
	db.write.SetMaxIdleConns(1)
	db.write.SetConnMaxLifetime(0)
	db.write.SetConnMaxIdleTime(0)
	r := url.Values{}
	for k, v := range common {
		r[k] = v
	}
	r.Add("_pragma", "query_only(1)")
	r.Add("_pragma", fmt.Sprintf("cache_size(%d)", -readerCacheKiB))
	db.read, err = sql.Open("sqlite", uri+"?"+r.Encode())
	if err != nil {
		db.write.Close()
		return err
	}
	db.read.SetMaxOpenConns(opts.MaxConns)
	db.read.SetMaxIdleConns(opts.MaxConns)
	db.dialect = sqliteDialect{}
	db.sqlitePath, db.freeSpace = path, diskFree
	db.readStmts, db.writeStmts = newStatements(db.read), newStatements(db.write)
	// Create the file and switch it to WAL before any reader opens it.
	if _, err = db.write.Exec("SELECT 1"); err != nil {
		db.write.Close()
		db.read.Close()
		return sqliteFileError(path, "open", err)
	}
	return nil
}

func (db *DB) openPostgres(dsn string, opts Options) error {
	p, err := sql.Open("pgx", dsn)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	p.SetMaxOpenConns(opts.MaxConns)
	p.SetMaxIdleConns(opts.MaxConns)
	p.SetConnMaxIdleTime(5 * time.Minute)
	db.read, db.write = p, p
	db.dialect = postgresDialect{}
	return nil
}

// redact hides a password in a database URL.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name() }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	return db.read.PingContext(ctx)
}

// Close closes the pools. In SQLite it first checkpoints the WAL into the
// main file.
func (db *DB) Close() error {
	if db.write == nil {
		return nil
	}
	if db.writer != nil {
		db.writer.stop()
	}
	db.readStmts.close()
	db.writeStmts.close()
	if db.dialect != nil && db.dialect.name() == "sqlite" {
		_, _ = db.write.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	}
	err := db.write.Close()
	if db.read != db.write {
		if e := db.read.Close(); err == nil {
			err = e
		}
	}
	return err
}

// Now returns the store's current time, in UTC, to the microsecond (what
// both engines keep).
func (db *DB) Now() time.Time { return db.now().UTC().Truncate(time.Microsecond) }

// today returns the current calendar date in the UK.
func (db *DB) today() linkwork.Date {
	return linkwork.DateOf(db.now().In(ukTime))
}

var ukTime = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

// Meta returns a fact recorded about this database, or "" when there is
// none.
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, db.dialect.rebind("SELECT value FROM meta WHERE key = ?"), key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta records a fact about this database.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	_, err := db.write.ExecContext(ctx, db.dialect.rebind("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"), key, value)
	return err
}

// SharedSecret returns the secret recorded in the database under name:
// 32 random bytes, made by the first caller and read back by every later
// one, so that every server on the database signs with the same key and
// a restart keeps it. It is for what one server signs for another to
// check (the public form's start time), never for a key that must be
// kept from whoever can read the database.
func (db *DB) SharedSecret(ctx context.Context, name string) ([]byte, error) {
	key := "secret: " + name
	fresh := make([]byte, 32)
	rand.Read(fresh) // never fails: it crashes the program rather than return an error
	_, err := db.write.ExecContext(ctx, db.dialect.rebind("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"),
		key, hex.EncodeToString(fresh))
	if err != nil {
		return nil, fmt.Errorf("the %s secret: %w", name, db.wrap(err))
	}
	var v string
	if err := db.write.QueryRowContext(ctx, db.dialect.rebind("SELECT value FROM meta WHERE key = ?"), key).Scan(&v); err != nil {
		return nil, fmt.Errorf("the %s secret: %w", name, db.wrap(err))
	}
	b, err := hex.DecodeString(v)
	if err != nil || len(b) < 32 {
		return nil, fmt.Errorf("the %s secret in the meta table is not 32 bytes in hex: delete its row (%q) and a new one is made", name, key)
	}
	return b, nil
}

// HasTables reports whether the database holds any tables at all.
func (db *DB) HasTables(ctx context.Context) (bool, error) {
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
	if db.dialect.name() == "postgres" {
		q = "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
	}
	var n int
	err := db.read.QueryRowContext(ctx, q).Scan(&n)
	return n > 0, err
}

// ResetPostgresSchema drops everything in the current PostgreSQL schema.
// Only the demo command calls it, and only on a database marked as a demo.
func (db *DB) ResetPostgresSchema(ctx context.Context) error {
	if db.dialect.name() != "postgres" {
		return errors.New("ResetPostgresSchema: not PostgreSQL")
	}
	_, err := db.write.ExecContext(ctx, "DROP SCHEMA public CASCADE; CREATE SCHEMA public")
	return err
}

// HoldsNoData reports whether a linkwork database has been migrated but
// holds no organisations, users or people yet. It is an error for a
// database that is not linkwork's.
func (db *DB) HoldsNoData(ctx context.Context) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT (SELECT COUNT(*) FROM organisations) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM people)").Scan(&n)
	return n == 0, err
}

// writerCacheKiB is SQLite's page cache for the writer connection: the
// pages of the tables and indexes it writes to.
const writerCacheKiB = 64 << 10

// Sizes of SQLite's memory for a file, worked out from its size.
const (
	// maxMmap is the most that is memory-mapped: SQLite's own limit on
	// Linux is just under 2 GiB.
	maxMmap = 2<<30 - 64<<10
	// minAutoMmap is mapped however small the file is, so that a new
	// database has room to grow while the server runs.
	minAutoMmap = 256 << 20
	// Each reader connection's page cache: SQLite empties it whenever
	// another connection has written since its last read, so on a
	// server that writes all the time it holds the pages of one read
	// transaction, and a larger one only costs more to empty (measured:
	// 2 MiB served the 50,000-person city 15% faster than 32 MiB).
	readerCacheKiB = 2 << 10
)

// SQLiteMmapAuto, as Options.SQLiteMmapMiB, maps as much of the file as
// SQLiteAutoMmap gives for its size.
const SQLiteMmapAuto = -1

// SQLiteAutoMmap is the memory mapping a SQLite file of size bytes gets
// by default: twice its size (room to grow while the server runs),
// at least 256 MiB and at most SQLite's limit of just under 2 GiB.
func SQLiteAutoMmap(size int64) int64 {
	return min(max(2*size, minAutoMmap), maxMmap)
}

// sqliteMmap works out the memory mapping (bytes) for the file at path,
// from the mapping asked for in MiB (0 for none, SQLiteMmapAuto for the
// automatic size).
func sqliteMmap(path string, mmapMiB int) int64 {
	switch {
	case mmapMiB == SQLiteMmapAuto:
		var size int64
		if fi, err := os.Stat(path); err == nil {
			size = fi.Size()
		}
		return SQLiteAutoMmap(size)
	case mmapMiB <= 0:
		return 0
	default:
		return min(int64(mmapMiB)<<20, maxMmap)
	}
}

// Analyze refreshes the query planner's statistics after a bulk load. In
// SQLite it samples each index (analysis_limit) rather than reading it
// all. In PostgreSQL it also vacuums, which sets the visibility map so
// that counts can read indexes alone: at a million referrals that takes a
// home page from 0.8 s to 0.16 s.
func (db *DB) Analyze(ctx context.Context) error {
	q := "VACUUM (ANALYZE)"
	if db.dialect.name() == "sqlite" {
		q = "PRAGMA analysis_limit = 2000; ANALYZE"
	}
	_, err := db.write.ExecContext(ctx, q)
	return db.wrap(err)
}

// Optimize lets SQLite refresh statistics that have gone stale; servers
// call it now and then. PostgreSQL's autovacuum does this itself.
func (db *DB) Optimize(ctx context.Context) error {
	if db.dialect.name() != "sqlite" {
		return nil
	}
	_, err := db.write.ExecContext(ctx, "PRAGMA optimize")
	return db.wrap(err)
}
