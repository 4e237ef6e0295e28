package web_test

import (
	"net/http"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestTheEvidencePackThroughTheAPIAndItsPages reads the demo community
// organisation's evidence pack: the same figures for its own user and
// the coordinator, with no count from 1 to 4 shown; another group's pack
// is not found by it; a link worker is refused; the list of packs, the
// page and the print view show it. Every answer is checked against the
// OpenAPI document.
func TestTheEvidencePackThroughTheAPIAndItsPages(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		org := f.users[linkwork.RoleCommunity].OrgID
		path := "/api/v1/reports/groups/" + org + "?months=24"
		get := func(role linkwork.Role, path string, status int) apiAnswer {
			t.Helper()
			ans := a.send(t, apiCase{role: role, method: "GET", path: path})
			if ans.status != status {
				t.Fatalf("%s as %s: %d %s", path, role, ans.status, ans.body)
			}
			return ans
		}
		own := get(linkwork.RoleCommunity, path, http.StatusOK)
		var check func(v any)
		check = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				if vis, ok := x["visibility"]; ok {
					n, _ := x["n"].(float64)
					if vis == "shown" && n > 0 && n < 5 {
						t.Errorf("a count of %v is shown", n)
					}
					if vis != "shown" && x["n"] != nil {
						t.Errorf("a hidden count carries %v", x["n"])
					}
				}
				for _, y := range x {
					check(y)
				}
			case []any:
				for _, y := range x {
					check(y)
				}
			}
		}
		check(own.v)
		if len(own.v["by_month"].([]any)) != 24 {
			t.Errorf("%d months, want 24", len(own.v["by_month"].([]any)))
		}
		get(linkwork.RoleCoordinator, path, http.StatusOK)
		get(linkwork.RoleCommunity, "/api/v1/reports/groups/no-such-group", http.StatusNotFound)
		get(linkwork.RoleLinkWorker, path, http.StatusForbidden)
		if ans := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/reports/groups/" + org + "?months=0", field: "months"}); ans.status != http.StatusUnprocessableEntity {
			t.Errorf("months=0: %d", ans.status)
		}

		status, _, hdr := f.do(f.clients[linkwork.RoleCommunity], "GET", "/reports/groups", "", "", nil)
		if status != http.StatusSeeOther || hdr.Get("Location") != "/reports/groups/"+org {
			t.Errorf("the group's list of packs: %d to %q, want its own pack", status, hdr.Get("Location"))
		}
		status, page, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/reports/groups", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, `data-testid="evidence-groups"`) {
			t.Errorf("the coordinator's list of packs: %d", status)
		}
		for _, p := range []string{"/reports/groups/" + org, "/reports/groups/" + org + "/print"} {
			status, page, _ := f.do(f.clients[linkwork.RoleCommunity], "GET", p, "", "", nil)
			if status != http.StatusOK || !strings.Contains(page, `data-testid="evidence-months"`) || !strings.Contains(page, `data-testid="evidence-views"`) {
				t.Errorf("%s: %d", p, status)
			}
		}
	})
}
