package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestTheEquityTableThroughTheAPIAndThePage: the demo service's
// coordinator enters the area's population (a bad share is a 422 naming
// it), then reads the equity table exactly, with every under-reached
// group's gap in words among the gaps; the commissioner who funds it
// reads it suppressed; a link worker is refused. Each table comes as CSV
// with a row a group, and the page shows the gaps. Every JSON answer and
// request is checked against the OpenAPI document.
func TestTheEquityTableThroughTheAPIAndThePage(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		must := func(ac apiCase, status int) apiAnswer {
			t.Helper()
			ans := a.send(t, ac)
			if ans.status != status {
				t.Fatalf("%s %s as %s: %d %s, want %d", ac.method, ac.path, ac.role, ans.status, ans.body, status)
			}
			if ac.field != "" && !errorNames(ans.v, ac.field) {
				t.Fatalf("%s: the error does not name %s: %s", ac.path, ac.field, ans.body)
			}
			return ans
		}
		service := f.users[linkwork.RoleCoordinator].OrgID
		pop := "/api/v1/services/" + service + "/population"
		cur := must(apiCase{role: linkwork.RoleCoordinator, method: "GET", path: pop}, http.StatusOK).v
		version := cur["version"].(float64)
		must(apiCase{role: linkwork.RoleCoordinator, method: "PUT", path: pop, field: "shares.ethnicity.black",
			body: `{"version":` + ftoa(version) + `,"source":"Census 2021","shares":{"ethnicity":{"black":101}}}`}, http.StatusUnprocessableEntity)
		saved := must(apiCase{role: linkwork.RoleCoordinator, method: "PUT", path: pop,
			body: `{"version":` + ftoa(version) + `,"source":"Census 2021","shares":{"ethnicity":{"white":40,"mixed":5,"asian":25,"black":20,"other":10},"age":{"0-15":30}}}`}, http.StatusOK).v
		if saved["version"].(float64) != version+1 {
			t.Fatalf("saved: %v", saved)
		}
		must(apiCase{role: linkwork.RoleLinkWorker, method: "GET", path: pop}, http.StatusForbidden)

		path := "/api/v1/reports/equity"
		co := must(apiCase{role: linkwork.RoleCoordinator, method: "GET", path: path}, http.StatusOK).v
		tables := co["tables"].([]any)
		if co["exact"] != true || len(tables) != 4 || co["population"] == nil {
			t.Fatalf("the coordinator's equity table: %v", co)
		}
		gaps := map[string]bool{}
		for _, g := range co["gaps"].([]any) {
			gaps[g.(string)] = true
		}
		under := 0
		for _, tb := range tables {
			for _, r := range tb.(map[string]any)["rows"].([]any) {
				r := r.(map[string]any)
				if r["under_reached"] == true {
					under++
					if g, _ := r["gap"].(string); !gaps[g] || !strings.Contains(g, "of the area's population but") {
						t.Errorf("an under-reached group's gap %q is not among the gaps %v", g, gaps)
					}
				}
			}
		}
		if under != len(gaps) {
			t.Errorf("%d groups under-reached, %d gaps", under, len(gaps))
		}
		cm := must(apiCase{role: linkwork.RoleCommissioner, method: "GET", path: path}, http.StatusOK).v
		if cm["exact"] != false {
			t.Errorf("the commissioner's is exact: %v", cm)
		}
		must(apiCase{role: linkwork.RoleLinkWorker, method: "GET", path: path}, http.StatusForbidden)
		must(apiCase{role: linkwork.RoleCoordinator, method: "GET", path: path + "?pathway=carrier_pigeon", field: "pathway"}, http.StatusBadRequest)

		status, body, hdr := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/api/v1/reports/equity_ethnicity.csv", "", "", nil)
		if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
			t.Fatalf("equity_ethnicity.csv: %d %s", status, body)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		// The header, five census groups and not known, and all referrals.
		if err != nil || len(rows) != 8 || rows[0][0] != "Group" || rows[1][0] != "White" || rows[7][0] != "All referrals" {
			t.Fatalf("equity_ethnicity.csv: %v %q", err, rows)
		}

		status, body, _ = f.do(f.clients[linkwork.RoleCoordinator], "GET", "/reports/equity", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, "Referrals by ethnic group") || !strings.Contains(body, "Census 2021") {
			t.Fatalf("the page: %d", status)
		}
		for g := range gaps {
			if !strings.Contains(body, strings.ReplaceAll(g, "'", "&#39;")) {
				t.Errorf("the page does not say %q", g)
			}
		}
		form := url.Values{"version": {ftoa(version + 1)}, "source": {"Census 2021"}, "shares.gender.female": {"half"}}
		status, body, _ = f.do(f.clients[linkwork.RoleCoordinator], "POST", "/reports/equity/population", "application/x-www-form-urlencoded", form.Encode(), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "Enter the share of Female as a number of per cent") || !strings.Contains(body, `href="#shares.gender.female"`) {
			t.Errorf("a share that is not a number: %d", status)
		}
		form.Set("shares.gender.female", "51%")
		status, _, _ = f.do(f.clients[linkwork.RoleCoordinator], "POST", "/reports/equity/population", "application/x-www-form-urlencoded", form.Encode(), nil)
		if status != http.StatusSeeOther {
			t.Errorf("the form's save: %d", status)
		}
		got := must(apiCase{role: linkwork.RoleCoordinator, method: "GET", path: pop}, http.StatusOK).v
		if g := got["shares"].(map[string]any)["gender"].(map[string]any)["female"]; g != 51.0 {
			t.Errorf("after the form: %v", got)
		}
	})
}

func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
