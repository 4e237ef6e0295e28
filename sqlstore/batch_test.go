package sqlstore_test

import (
	"context"
	"errors"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// TestBatchJoinsCallsInOneTransaction: the calls a page makes inside a
// Batch commit together; a call that fails inside it undoes only itself;
// a Batch whose function fails keeps nothing; and the audit trail records
// every read that was kept, and stays a valid chain.
func TestBatchJoinsCallsInOneTransaction(t *testing.T) {
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
			gs, err := w.cases.FindGoals(lw, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			return len(gs)
		}

		t.Run("calls commit together, and a failed call undoes only itself", func(t *testing.T) {
			before, goalsBefore := reads(t), goals(t)
			err := w.db.Batch(lw, func(ctx context.Context) error {
				if _, err := w.cases.FindCaseByID(ctx, c.ID); err != nil {
					return err
				}
				_, err := w.cases.FindCaseByID(ctx, "no-such-case")
				wantCode(t, err, linkwork.ENOTFOUND)
				err = w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: c.ID, Text: ""})
				wantField(t, err, "text")
				// A nested Batch joins this one.
				return w.db.Batch(ctx, func(ctx context.Context) error {
					return w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: c.ID, Text: "Walk to the park on Saturdays"})
				})
			})
			if err != nil {
				t.Fatal(err)
			}
			if got := goals(t); got != goalsBefore+1 {
				t.Errorf("%d goals after the batch, want %d", got, goalsBefore+1)
			}
			if got := reads(t); got <= before {
				t.Errorf("the batch's read of the case was not audited: %d events, %d before", got, before)
			}
		})

		t.Run("a batch that fails keeps nothing", func(t *testing.T) {
			before, goalsBefore := reads(t), goals(t)
			boom := errors.New("the page could not be built")
			err := w.db.Batch(lw, func(ctx context.Context) error {
				if err := w.cases.AddGoal(ctx, &linkwork.Goal{CaseID: c.ID, Text: "Never saved"}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("the batch answered %v", err)
			}
			if got := goals(t); got != goalsBefore {
				t.Errorf("%d goals after a failed batch, want %d", got, goalsBefore)
			}
			// Counting goals and events above read the case too: only those
			// reads were added.
			if got := reads(t); got != before+2 {
				t.Errorf("%d events about the case, want %d: the failed batch's writes stayed", got, before+2)
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
