package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestGapsThroughTheAPI logs an unmet need for a case and reads the
// service's totals: bad input names its field, the age band and district
// come from the person's record, and the totals name nobody.
func TestGapsThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		id := f.activeCase(t)
		lw, co := linkwork.RoleLinkWorker, linkwork.RoleCoordinator
		must := func(ac apiCase, status int) apiAnswer {
			t.Helper()
			ans := a.send(t, ac)
			if ans.status != status {
				t.Fatalf("%s %s as %s: %d %s, want %d", ac.method, ac.path, ac.role, ans.status, ans.body, status)
			}
			if ac.field != "" && !errorNames(ans.v, ac.field) {
				t.Fatalf("%s %s: the error does not name %s: %s", ac.method, ac.path, ac.field, ans.body)
			}
			return ans
		}
		body := func(category, wanted, missing string) string {
			return fmt.Sprintf(`{"case_id": %q, "category": %q, "wanted": %q, "missing": %q}`, id, category, wanted, missing)
		}
		must(apiCase{role: lw, method: "POST", path: "/api/v1/gaps", body: body("knitting", "Knitting", "full"), field: "category"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: "/api/v1/gaps", body: body("sports", " ", "full"), field: "wanted"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: "/api/v1/gaps", body: body("sports", "Football", "weather"), field: "missing"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: "/api/v1/gaps", body: `{"case_id": "nope", "category": "sports", "wanted": "Football", "missing": "full"}`}, http.StatusNotFound)
		g := must(apiCase{role: lw, method: "POST", path: "/api/v1/gaps", body: body("sports", "Girls' football", "none_nearby")}, http.StatusCreated).v
		if g["category"] != "sports" || g["missing"] != "none_nearby" || g["district"] == "" {
			t.Fatalf("gap %v", g)
		}
		must(apiCase{role: co, method: "POST", path: "/api/v1/gaps", body: body("creative", "Pottery", "cost")}, http.StatusCreated)
		sum := must(apiCase{role: co, method: "GET", path: "/api/v1/gaps"}, http.StatusOK).v
		if sum["total"] != float64(2) || len(sum["by_category"].([]any)) != 2 || len(sum["newest"].([]any)) != 2 {
			t.Fatalf("totals %v", sum)
		}
		area := sum["by_area"].([]any)[0].(map[string]any)
		if area["key"] != g["district"] || area["count"] != float64(2) {
			t.Fatalf("by area %v", sum["by_area"])
		}
	})
}

// TestCasePageLogsAGapAndTheGapsPageTotalsIt logs a gap from the case
// page's form, shows a missing answer on the form, and totals the gap on
// the coordinator's gaps page without naming the person.
func TestCasePageLogsAGapAndTheGapsPageTotalsIt(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		id := f.activeCase(t)
		c := f.clients[linkwork.RoleLinkWorker]
		post := func(form url.Values) (int, string, http.Header) {
			t.Helper()
			return f.do(c, "POST", "/cases/"+id+"/gaps", "application/x-www-form-urlencoded", form.Encode(), nil)
		}
		if status, body, _ := f.do(c, "GET", "/cases/"+id, "", "", nil); status != http.StatusOK || !strings.Contains(body, "Nothing fits? Log a gap") {
			t.Fatalf("the case page has no gap form: %d", status)
		}
		if status, body, _ := post(url.Values{"gap_category": {"sports"}, "gap_wanted": {"Climbing"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#gap_missing"`) {
			t.Fatalf("no reason: %d", status)
		}
		if status, _, hdr := post(url.Values{"gap_category": {"sports"}, "gap_wanted": {"Climbing wall"}, "gap_missing": {"cost"}}); status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=gap-logged") {
			t.Fatalf("log: %d %v", status, hdr)
		}
		k, err := f.services.Cases.FindCaseByID(linkwork.NewContext(context.Background(), f.users[linkwork.RoleCoordinator].Actor()), id)
		if err != nil {
			t.Fatal(err)
		}
		status, body, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/gaps", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, "1 gap logged") || !strings.Contains(body, "Climbing wall") || !strings.Contains(body, "Costs too much") {
			t.Fatalf("the gaps page: %d", status)
		}
		if strings.Contains(body, k.PersonName) || strings.Contains(body, id) {
			t.Fatal("the gaps page names the person or their case")
		}
	})
}
