package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// TestBatchJoinsReadsAndWritesTheirTrailOnce: the audited reads a page
// makes inside a Batch record their events together, written once when
// the page's function returns; a read that fails inside it undoes only
// itself; a Batch whose function fails writes none of its reads' events
// (the page shows nothing it read); a write inside a Batch stands alone;
// and the audit trail stays a valid chain.
func TestBatchJoinsReadsAndWritesTheirTrailOnce(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		c := w.accept(t, w.refer(t, "Ash", "Batched"), w.linkWorker)
		lw := w.as(w.linkWorker)
		reads := func(t *testing.T) int {
			t.Helper()
			_, n, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{RecordType: "case", RecordID: c.ID, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		goals := func(t *testing.T) int {
			t.Helper()
			gs, err := w.cases.FindGoals(w.as(w.coordinator), c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(gs)
		}

		t.Run("reads are recorded together at the end, and a failed read undoes only itself", func(t *testing.T) {
			before := reads(t)
			err := w.db.Batch(lw, func(ctx context.Context) error {
				if _, err := w.cases.FindCaseByID(ctx, c.ID); err != nil {
					return err
				}
				_, err := w.cases.FindCaseByID(ctx, "no-such-case")
				wantCode(t, err, linkwork.ENOTFOUND)
				// A nested Batch joins this one.
				if err := w.db.Batch(ctx, func(ctx context.Context) error {
					_, err := w.cases.FindCaseByID(ctx, c.ID)
					return err
				}); err != nil {
					return err
				}
				if got := reads(t); got != before {
					t.Errorf("%d events about the case during the batch, want %d: they are written when it ends", got, before)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := reads(t); got != before+2 {
				t.Errorf("%d events about the case after the batch, want %d (its two reads)", got, before+2)
			}
		})

		t.Run("a batch that fails writes none of its reads' events", func(t *testing.T) {
			before := reads(t)
			boom := errors.New("the page could not be built")
			err := w.db.Batch(lw, func(ctx context.Context) error {
				if _, err := w.cases.FindCaseByID(ctx, c.ID); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("the batch answered %v", err)
			}
			if got := reads(t); got != before {
				t.Errorf("%d events about the case after a failed batch, want %d", got, before)
			}
		})

		t.Run("a write inside a batch stands alone", func(t *testing.T) {
			goalsBefore := goals(t)
			boom := errors.New("the page could not be built")
			err := w.db.Batch(lw, func(ctx context.Context) error {
				err := w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: c.ID, Text: ""})
				wantField(t, err, "text")
				if err := w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: c.ID, Text: "Walk to the park on Saturdays"}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("the batch answered %v", err)
			}
			if got := goals(t); got != goalsBefore+1 {
				t.Errorf("%d goals after the batch, want %d: the write was acknowledged, so it stays", got, goalsBefore+1)
			}
		})

		t.Run("the audit chain holds", func(t *testing.T) {
			v, err := w.audit.VerifyAudit(w.as(w.admin))
			if err != nil || !v.OK {
				t.Fatalf("the audit chain after batches: %+v %v", v, err)
			}
		})
	})
}

// TestARequestsReadsSeeItsOwnWrites: inside Defer, a request's reads see
// one moment of the data (in SQLite, where they share a read transaction),
// yet always see what the request itself has written; and what it read is
// in the trail once it is flushed.
func TestARequestsReadsSeeItsOwnWrites(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		c := w.accept(t, w.refer(t, "Rae", "Deferred"), w.linkWorker)
		goals := func(t *testing.T, ctx context.Context) int {
			t.Helper()
			gs, err := w.cases.FindGoals(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(gs)
		}
		outside := w.as(w.coordinator)
		ctx, flush := w.db.Defer(w.as(w.linkWorker))
		before := goals(t, ctx)

		if err := w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: c.ID, Text: "Go to the Tuesday walk"}); err != nil {
			t.Fatal(err)
		}
		if got := goals(t, ctx); got != before+1 {
			t.Fatalf("after its own write the request reads %d goals, want %d", got, before+1)
		}

		// Someone else's write while the request is reading.
		if err := w.cases.AddGoal(outside, &linkwork.Goal{CaseID: c.ID, Text: "Someone else's goal"}); err != nil {
			t.Fatal(err)
		}
		want := before + 2 // PostgreSQL reads each statement's moment
		if w.db.Dialect() == "sqlite" {
			want = before + 1 // SQLite: the moment of the request's first read after its write
		}
		if got := goals(t, ctx); got != want {
			t.Errorf("the request reads %d goals after someone else's write, want %d", got, want)
		}

		_, trailBefore, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{RecordType: "case", RecordID: c.ID, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if err := flush(ctx); err != nil {
			t.Fatal(err)
		}
		_, trailAfter, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{RecordType: "case", RecordID: c.ID, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		if trailAfter <= trailBefore {
			t.Errorf("the request's reads were not in the trail after the flush: %d events, %d before", trailAfter, trailBefore)
		}
		// After the flush, reads take their own moment and record their
		// own events.
		if got := goals(t, ctx); got != before+2 {
			t.Errorf("after the flush the request reads %d goals, want %d", got, before+2)
		}
	})
}
