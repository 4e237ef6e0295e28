package sqlstore_test

import (
	"context"
	"sync"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// eachWorldOnTwoServers runs fn on each engine with a fresh world and a
// second store opened on the same database, as a second application
// server sharing it would be: concurrent calls through the two meet only
// in the database, not in one store's writer.
func eachWorldOnTwoServers(t *testing.T, fn func(t *testing.T, w *world, second *sqlstore.DB)) {
	t.Helper()
	for _, d := range sqltest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			c := newClock()
			dsn := sqltest.DSN(t, d)
			open := func() *sqlstore.DB {
				db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{Now: c.Now})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			first := open()
			if _, err := first.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			fn(t, newWorld(t, first, c), open())
		})
	}
}

// raceFund is the fixture's fund made to hold budget pence and pay at
// once up to threshold.
func raceFund(t *testing.T, w *world, fx *fundsFixture, budget, threshold int) *linkwork.Fund {
	t.Helper()
	f := &linkwork.Fund{Name: "Raced fund", BudgetPence: budget, ThresholdPence: threshold, StartsOn: fundStarts, EndsOn: fundEnds}
	if err := fx.funds.CreateFund(w.as(w.coordinator), f); err != nil {
		t.Fatal(err)
	}
	return f
}

// atOnce runs n calls together, each as soon as all are ready, the odd
// ones through the second server, and returns their errors in order.
func atOnce(n int, call func(i int, funds *sqlstore.FundService) error, funds, second *sqlstore.FundService) []error {
	errs := make([]error, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := funds
			if i%2 == 1 {
				s = second
			}
			<-start
			errs[i] = call(i, s)
		}()
	}
	close(start)
	wg.Wait()
	return errs
}

// checkNeverBelowZero checks that the fund was never overspent: what it
// has spent is the sum of its approved requests, within its budget, as
// much of it as the requests could take (want of them paid), and every
// request refused was refused for want of money, naming the amount.
func checkNeverBelowZero(t *testing.T, w *world, fx *fundsFixture, f *linkwork.Fund, errs []error, want int) {
	t.Helper()
	paid := 0
	for i, err := range errs {
		if err == nil {
			paid++
			continue
		}
		if linkwork.ErrorCode(err) != linkwork.EINVALID || !linkwork.Problems(linkwork.ErrorFields(err)).Has("amount_pence") {
			t.Errorf("call %d was refused with %v, not for want of money", i, err)
		}
	}
	got := fx.find(t, w, w.coordinator, f.ID)
	approved, _, err := fx.funds.FindFundRequests(w.as(w.coordinator), linkwork.FundRequestFilter{FundID: f.ID, Status: []linkwork.FundRequestStatus{linkwork.FundApproved}, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, r := range approved {
		sum += r.AmountPence
	}
	if got.Balance() < 0 || got.SpentPence != sum || got.BudgetPence != f.BudgetPence {
		t.Fatalf("the fund spent %d of %d (balance %d), its approved requests %d", got.SpentPence, got.BudgetPence, got.Balance(), sum)
	}
	if paid != want || len(approved) != want {
		t.Fatalf("%d calls succeeded and %d requests are approved; the budget pays %d", paid, len(approved), want)
	}
}

// Fifty requests that together ask for more than a fund holds, made at
// once through two servers, leave it at or above zero on both engines.
func TestConcurrentRequestsNeverTakeAFundBelowZero(t *testing.T) {
	eachWorldOnTwoServers(t, func(t *testing.T, w *world, second *sqlstore.DB) {
		fx := newFundsFixture(t, w)
		other := sqlstore.NewFundService(second)
		// 50 × £3 asks £150 of £30: the requests meet at the edge of the
		// budget from the first, where a check made before the spend,
		// without the conditional update, lets the second server
		// overspend.
		const n, each, budget = 50, 300, 3000
		t.Run("requests paid at once", func(t *testing.T) {
			f := raceFund(t, w, fx, budget, budget)
			errs := atOnce(n, func(i int, s *sqlstore.FundService) error {
				r := &linkwork.FundRequest{FundID: f.ID, ConnectionID: fx.conn.ID, Category: linkwork.FundTravel, AmountPence: each, Note: "Bus fare"}
				return s.RequestFund(w.as(w.linkWorker), r)
			}, fx.funds, other)
			checkNeverBelowZero(t, w, fx, f, errs, budget/each)
		})
		t.Run("waiting requests approved at once", func(t *testing.T) {
			f := raceFund(t, w, fx, budget, 0)
			ids := make([]string, n)
			for i := range ids {
				r := &linkwork.FundRequest{FundID: f.ID, ConnectionID: fx.conn.ID, Category: linkwork.FundKit, AmountPence: each, Note: "Kit"}
				if err := fx.funds.RequestFund(w.as(w.linkWorker), r); err != nil {
					t.Fatal(err)
				}
				ids[i] = r.ID
			}
			errs := atOnce(n, func(i int, s *sqlstore.FundService) error {
				_, err := s.DecideFundRequest(w.as(w.coordinator), ids[i], linkwork.FundDecision{To: linkwork.FundApproved})
				return err
			}, fx.funds, other)
			checkNeverBelowZero(t, w, fx, f, errs, budget/each)
		})
		t.Run("the connection's funding is what its requests were paid", func(t *testing.T) {
			list, _, err := w.connections.FindConnections(w.as(w.linkWorker), linkwork.ConnectionFilter{CaseID: fx.k.ID})
			if err != nil || len(list) != 1 || list[0].FundPence != 2*(budget/each)*each {
				t.Fatalf("connections %+v %v", list, err)
			}
		})
	})
}
