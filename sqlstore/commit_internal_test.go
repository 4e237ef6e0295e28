package sqlstore

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// openForWriter opens a migrated SQLite store for the writer's tests.
func openForWriter(t *testing.T) *DB {
	t.Helper()
	// The panicking call's log is expected: keep it out of the output.
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := Open(t.Context(), "sqlite:"+filepath.Join(t.TempDir(), "w.db"), Options{Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	return db
}

// holdWriter makes the writer busy with a call that waits until release
// is closed, and returns once the writer has begun it: calls sent after
// that wait in the queue, and are grouped when it ends.
func holdWriter(t *testing.T, db *DB) (release chan struct{}, held chan error) {
	t.Helper()
	release, begun, held := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		held <- db.updateAs(context.Background(), linkwork.SystemActor("test"), func(tx *Tx) error {
			close(begun)
			<-release
			return nil
		})
	}()
	<-begun
	return release, held
}

// waitQueued waits until n calls are waiting for the writer.
func waitQueued(t *testing.T, db *DB, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(db.writer.calls) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls waiting for the writer, want %d", len(db.writer.calls), n)
		}
		time.Sleep(time.Millisecond) // polling the condition, not standing in for it
	}
}

// meta reads a meta value ("" when there is none).
func meta(t *testing.T, db *DB, key string) string {
	t.Helper()
	v, err := db.Meta(t.Context(), key)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestTheWriterGroupsCallsThatWait: calls that arrive while the writer is
// busy run together in one transaction; each is answered for itself: a
// call that fails or panics is undone alone and told so, the others are
// saved; a call whose request has gone is not run.
func TestTheWriterGroupsCallsThatWait(t *testing.T) {
	db := openForWriter(t)
	sys := linkwork.SystemActor("test")
	// Each call writes a value and an audit event, so that a call undone
	// alone must take its event out of the chain too.
	setMeta := func(key string) func(*Tx) error {
		return func(tx *Tx) error {
			if _, err := tx.exec("INSERT INTO meta (key, value) VALUES (?, 'set')", key); err != nil {
				return err
			}
			return tx.audit("test.write", "person", "", key)
		}
	}
	type call struct {
		name string
		ctx  context.Context
		fn   func(*Tx) error
		// saved says whether the call's key should be set afterwards,
		// and code what its answer's code should be ("" for none).
		saved bool
		code  string
	}
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	calls := []call{
		{name: "first", ctx: context.Background(), fn: setMeta("first"), saved: true},
		{name: "fails after writing", ctx: context.Background(), fn: func(tx *Tx) error {
			if err := setMeta("fails after writing")(tx); err != nil {
				return err
			}
			return linkwork.Errorf(linkwork.EINVALID, "no")
		}, code: linkwork.EINVALID},
		{name: "panics after writing", ctx: context.Background(), fn: func(tx *Tx) error {
			if err := setMeta("panics after writing")(tx); err != nil {
				return err
			}
			panic("a bug")
		}, code: linkwork.EINTERNAL},
		{name: "breaks a constraint", ctx: context.Background(), fn: setMeta("first"), code: linkwork.ECONFLICT},
		{name: "request gone", ctx: gone, fn: setMeta("request gone"), code: linkwork.EINTERNAL},
		{name: "last", ctx: context.Background(), fn: setMeta("last"), saved: true},
	}

	release, held := holdWriter(t, db)
	answers := make([]error, len(calls))
	var wg sync.WaitGroup
	for i, c := range calls {
		// One at a time, so that they wait in this order.
		wg.Go(func() { answers[i] = db.updateAs(c.ctx, sys, c.fn) })
		waitQueued(t, db, i+1)
	}
	groupsBefore := db.writer.groups.Load()
	close(release)
	wg.Wait()
	if err := <-held; err != nil {
		t.Fatal(err)
	}
	if got := db.writer.groups.Load() - groupsBefore; got != 1 {
		t.Errorf("the waiting calls ran in %d transactions, want 1", got)
	}
	t.Run("the audit chain links the saved calls' events, and only theirs", func(t *testing.T) {
		rows, err := db.read.Query("SELECT seq, prev_hash, hash, detail FROM audit_events ORDER BY seq")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var seq int64
		var hash string
		var details []string
		for rows.Next() {
			var s int64
			var prev, h, detail string
			if err := rows.Scan(&s, &prev, &h, &detail); err != nil {
				t.Fatal(err)
			}
			if s != seq+1 || prev != hash {
				t.Errorf("event %d follows event %d with prev_hash %q, want %d and %q", s, seq, prev, seq+1, hash)
			}
			seq, hash = s, h
			details = append(details, detail)
		}
		if want := []string{"first", "last"}; !slices.Equal(details, want) {
			t.Errorf("the chain holds events for %q, want %q", details, want)
		}
		var headSeq int64
		var headHash string
		if err := db.read.QueryRow("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
			t.Fatal(err)
		}
		if headSeq != seq || headHash != hash {
			t.Errorf("the head is (%d, %q), the chain ends at (%d, %q)", headSeq, headHash, seq, hash)
		}
	})
	for i, c := range calls {
		t.Run(c.name, func(t *testing.T) {
			if got := linkwork.ErrorCode(answers[i]); got != c.code {
				t.Errorf("answered %v (code %q), want code %q", answers[i], got, c.code)
			}
			if c.name == "breaks a constraint" {
				return // its key is "first"'s
			}
			if got := meta(t, db, c.name) == "set"; got != c.saved {
				t.Errorf("saved: %v, want %v", got, c.saved)
			}
		})
	}
}

// TestAuditedReadsWaitForTheirTrail: an audited read returns only once
// its events are in the chain, and fails when they cannot be written; a
// read-only call cannot write.
func TestAuditedReadsWaitForTheirTrail(t *testing.T) {
	db := openForWriter(t)
	ctx := linkwork.NewContext(t.Context(), linkwork.SystemActor("test"))
	events := func() int {
		n := 0
		if err := db.read.QueryRow("SELECT COUNT(*) FROM audit_events").Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := events()
	err := db.audited(ctx, func(tx *Tx) error {
		return tx.audit("test.read", "person", "", "")
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := events(); got != before+1 {
		t.Errorf("%d events after the read, want %d", got, before+1)
	}

	t.Run("a read whose trail cannot be written fails", func(t *testing.T) {
		db.writer.stop()
		err := db.audited(ctx, func(tx *Tx) error {
			return tx.audit("test.read", "person", "", "")
		})
		if err == nil {
			t.Fatal("a read was answered without its audit event")
		}
	})

	t.Run("a read cannot write", func(t *testing.T) {
		db := openForWriter(t)
		err := db.audited(ctx, func(tx *Tx) error {
			_, err := tx.exec("INSERT INTO meta (key, value) VALUES ('k', 'v')")
			return err
		})
		if err == nil {
			t.Fatal("a read-only transaction wrote")
		}
		if got := meta(t, db, "k"); got != "" {
			t.Errorf("the read wrote %q", got)
		}
	})
}

// BenchmarkAuditedReads: audited reads from many goroutines at once share
// the writer's commits.
func BenchmarkAuditedReads(b *testing.B) {
	db, err := Open(b.Context(), "sqlite:"+filepath.Join(b.TempDir(), "w.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(b.Context()); err != nil {
		b.Fatal(err)
	}
	ctx := linkwork.NewContext(b.Context(), linkwork.SystemActor("bench"))
	b.SetParallelism(16)
	groups := db.writer.groups.Load()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := db.audited(ctx, func(tx *Tx) error { return tx.audit("bench.read", "person", "", "") }); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/float64(max(1, db.writer.groups.Load()-groups)), "reads/commit")
}
