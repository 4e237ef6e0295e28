package sqlstore_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// Lists are found by index from what they are scoped to, never by reading
// a whole table and asking of each row whether it belongs: their cost is
// that of the rows in scope (a page of them, where an index gives their
// order), not of the database. The plans are asked of each engine (on
// PostgreSQL with sequential scans and sorts turned off, so that they show
// what the indexes allow rather than what a small test table makes
// cheapest).
func TestListsReadByIndex(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		t.Run("connections", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.coordinator, w.safeguarding, w.community} {
				count, list, args := sqlstore.ConnectionQueries(u.Actor(), linkwork.ConnectionFilter{})
				for _, q := range []struct {
					what, sql string
					args      []any
				}{{"count", count, args}, {"page", list, append(args, 25, 0)}} {
					plan, err := w.db.PlanOf(q.sql, q.args...)
					if err != nil {
						t.Fatalf("%s, %s: %v", u.Name, q.what, err)
					}
					if plan.Scans("n") {
						t.Errorf("%s's %s of connections reads every connection:\n%s", u.Name, q.what, plan.Text)
					}
				}
			}
		})
		t.Run("the service's connections in order from their index", func(t *testing.T) {
			_, list, args := sqlstore.ConnectionQueries(w.coordinator.Actor(), linkwork.ConnectionFilter{})
			plan, err := w.db.PlanOf(list, append(args, 25, 0)...)
			if err != nil {
				t.Fatal(err)
			}
			if plan.Sorts || !strings.Contains(plan.Text, "connections_service_created") {
				t.Errorf("a page of the service's connections sorts them all, or is not read from connections_service_created:\n%s", plan.Text)
			}
		})
		t.Run("an organisation's hand-overs in order from their index", func(t *testing.T) {
			count, list, args := sqlstore.ConnectionQueries(w.community.Actor(), linkwork.ConnectionFilter{})
			for _, q := range []struct {
				what, sql string
				args      []any
			}{{"count", count, args}, {"page", list, append(args, 25, 0)}} {
				plan, err := w.db.PlanOf(q.sql, q.args...)
				if err != nil {
					t.Fatal(err)
				}
				if plan.Sorts || !strings.Contains(plan.Text, "connections_asset_org_live") {
					t.Errorf("the %s of an organisation's hand-overs sorts them all, or is not read from connections_asset_org_live:\n%s", q.what, plan.Text)
				}
			}
		})
		t.Run("requests to funds", func(t *testing.T) {
			waiting := []linkwork.FundRequestStatus{linkwork.FundRequested}
			for _, u := range []*linkwork.User{w.linkWorker, w.coordinator} {
				for name, f := range map[string]linkwork.FundRequestFilter{"all": {}, "a case's": {CaseID: "k1"}, "waiting": {Status: waiting}} {
					count, list, args := sqlstore.FundRequestQueries(u.Actor(), f)
					for _, q := range []struct {
						what, sql string
						args      []any
					}{{"count", count, args}, {"page", list, append(args, 25, 0)}} {
						plan, err := w.db.PlanOf(q.sql, q.args...)
						if err != nil {
							t.Fatalf("%s, %s %s: %v", u.Name, name, q.what, err)
						}
						if plan.Scans("r") {
							t.Errorf("%s's %s of %s requests reads every request:\n%s", u.Name, q.what, name, plan.Text)
						}
					}
				}
			}
			_, list, args := sqlstore.FundRequestQueries(w.coordinator.Actor(), linkwork.FundRequestFilter{Status: waiting})
			plan, err := w.db.PlanOf(list, append(args, 25, 0)...)
			if err != nil {
				t.Fatal(err)
			}
			if plan.Sorts || !strings.Contains(plan.Text, "fund_requests_service") {
				t.Errorf("the requests waiting for a coordinator are sorted, or not read from fund_requests_service:\n%s", plan.Text)
			}
		})
		t.Run("referrals flagged while their person waits", func(t *testing.T) {
			q, args := w.db.FlaggedWhileWaitingQuery(w.service.ID)
			plan, err := w.db.PlanOf(q, append(args, 100, 0)...)
			if err != nil {
				t.Fatal(err)
			}
			if plan.Scans("r") || !strings.Contains(plan.Text, "referrals_flagged_accepted") {
				t.Errorf("the flagged referrals are not read from referrals_flagged_accepted:\n%s", plan.Text)
			}
		})
		t.Run("a category's first listings by name", func(t *testing.T) {
			q, args := w.db.AssetNamesQuery(linkwork.CategoryWellbeing, 100)
			plan, err := w.db.PlanOf(q, args...)
			if err != nil {
				t.Fatal(err)
			}
			if plan.Sorts {
				t.Errorf("the category's listings are all found and sorted, not read in order of name:\n%s", plan.Text)
			}
		})
	})
}
