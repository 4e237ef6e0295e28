package web_test

import (
	"net/http"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestTheReferrersFlowThroughTheAPIAndItsPage reads the demo service's
// referrers' flow: every referrer's for its coordinator, whose months add
// up to the whole; the GP practice's own alone for its referrer; a
// number of months that is not one is named; a link worker is refused.
// Every answer is checked against the OpenAPI document.
func TestTheReferrersFlowThroughTheAPIAndItsPage(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		get := func(role linkwork.Role, path string, status int) apiAnswer {
			t.Helper()
			ans := a.send(t, apiCase{role: role, method: "GET", path: path})
			if ans.status != status {
				t.Fatalf("%s as %s: %d %s", path, role, ans.status, ans.body)
			}
			return ans
		}
		co := get(linkwork.RoleCoordinator, "/api/v1/reports/referrers?months=24", http.StatusOK).v
		referrers := co["referrers"].([]any)
		if len(co["months"].([]any)) != 24 || len(referrers) < 2 {
			t.Fatalf("the coordinator's flow: %d months, %d referrers", len(co["months"].([]any)), len(referrers))
		}
		sum := 0.0
		for _, r := range referrers {
			sum += r.(map[string]any)["total"].(map[string]any)["referred"].(float64)
		}
		if total := co["total"].(map[string]any)["referred"].(float64); total == 0 || sum != total {
			t.Errorf("the referrers add up to %v, the total is %v", sum, total)
		}
		gp := get(linkwork.RoleReferrer, "/api/v1/reports/referrers?months=24", http.StatusOK).v
		if mine := gp["referrers"].([]any); len(mine) != 1 || mine[0].(map[string]any)["org_id"] != f.users[linkwork.RoleReferrer].OrgID {
			t.Errorf("the GP referrer sees %v", mine)
		}
		if ans := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/reports/referrers?months=many", field: "months"}); ans.status != http.StatusUnprocessableEntity {
			t.Errorf("months=many: %d", ans.status)
		}
		if ans := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/reports/referrers?quiet_weeks=99", field: "quiet_weeks"}); ans.status != http.StatusUnprocessableEntity {
			t.Errorf("quiet_weeks=99: %d", ans.status)
		}
		get(linkwork.RoleLinkWorker, "/api/v1/reports/referrers", http.StatusForbidden)

		status, page, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/reports/referrers", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, `data-testid="flow-referrers"`) || !strings.Contains(page, `data-testid="flow-quiet"`) {
			t.Errorf("the coordinator's page (%d) has no referrers or quiet list", status)
		}
		status, page, _ = f.do(f.clients[linkwork.RoleReferrer], "GET", "/reports/referrers", "", "", nil)
		if status != http.StatusOK || strings.Contains(page, `data-testid="flow-referrers"`) || !strings.Contains(page, `data-testid="flow-months"`) {
			t.Errorf("the referrer's page (%d) shows other referrers or no months", status)
		}
	})
}
