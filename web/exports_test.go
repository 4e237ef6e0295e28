package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestTheEvaluationExportThroughTheAPIAndItsPage makes the demo
// service's evaluation dataset as its coordinator: as JSON and as CSV
// over the API, and as a file from the page; the columns are the data
// dictionary's; a request without its agreement is named; anyone else is
// refused. Every JSON answer is checked against the OpenAPI document.
func TestTheEvaluationExportThroughTheAPIAndItsPage(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		body := `{"agreement": "DSA-2026-07", "recipient": "Millbrook University", "purpose": "Evaluating the first year"}`
		dictionary := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/exports/evaluation/dictionary"})
		if dictionary.status != http.StatusOK {
			t.Fatalf("dictionary: %d %s", dictionary.status, dictionary.body)
		}
		var names []string
		for _, c := range dictionary.v["columns"].([]any) {
			names = append(names, c.(map[string]any)["name"].(string))
		}

		t.Run("the JSON dataset has the dictionary's columns", func(t *testing.T) {
			ans := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/exports/evaluation", body: body})
			if ans.status != http.StatusOK {
				t.Fatalf("%d %s", ans.status, ans.body)
			}
			cols := ans.v["columns"].([]any)
			if len(cols) != len(names) {
				t.Fatalf("%d columns, the dictionary lists %d", len(cols), len(names))
			}
			for i, c := range cols {
				if c != names[i] {
					t.Errorf("column %d is %v, the dictionary's %s", i, c, names[i])
				}
			}
			if rows := ans.v["rows"].([]any); len(rows) == 0 {
				t.Error("the demo service's dataset is empty")
			}
		})

		t.Run("a client that accepts CSV gets a file", func(t *testing.T) {
			status, got, hdr := f.do(nil, "POST", "/api/v1/exports/evaluation", "application/json", body,
				map[string]string{"Authorization": "Bearer " + f.tokens[linkwork.RoleCoordinator], "Accept": "text/csv"})
			if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") {
				t.Fatalf("%d %s: %s", status, hdr.Get("Content-Type"), got)
			}
			records, err := csv.NewReader(strings.NewReader(got)).ReadAll()
			if err != nil || len(records) < 2 || strings.Join(records[0], ",") != strings.Join(names, ",") {
				t.Errorf("the CSV's header is not the dictionary's columns (%v): %q", err, records[:min(1, len(records))])
			}
		})

		t.Run("a request without its agreement is named", func(t *testing.T) {
			ans := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/exports/evaluation", body: `{"recipient": "Millbrook University", "purpose": "Evaluation"}`, field: "agreement"})
			if ans.status != http.StatusUnprocessableEntity || !errorNames(ans.v, "agreement") {
				t.Errorf("%d %s", ans.status, ans.body)
			}
		})

		t.Run("nobody but a coordinator exports", func(t *testing.T) {
			for _, role := range []linkwork.Role{linkwork.RoleCommissioner, linkwork.RoleLinkWorker, linkwork.RoleReferrer, linkwork.RoleAdmin} {
				if ans := a.send(t, apiCase{role: role, method: "POST", path: "/api/v1/exports/evaluation", body: body}); ans.status != http.StatusForbidden {
					t.Errorf("%s: %d", role, ans.status)
				}
			}
		})

		t.Run("the page downloads the file and names what is missing", func(t *testing.T) {
			co := f.clients[linkwork.RoleCoordinator]
			status, page, _ := f.do(co, "GET", "/exports/evaluation", "", "", nil)
			if status != http.StatusOK || !strings.Contains(page, "connections_phased") || !strings.Contains(page, `data-testid="evaluation-form"`) {
				t.Fatalf("the page (%d) has no form or dictionary", status)
			}
			form := url.Values{"agreement": {"DSA-2026-07"}, "recipient": {"Millbrook University"}, "purpose": {""}}
			status, page, _ = f.do(co, "POST", "/exports/evaluation", "application/x-www-form-urlencoded", form.Encode(), nil)
			if status != http.StatusUnprocessableEntity || !strings.Contains(page, "Say what the export is for") || !strings.Contains(page, `value="DSA-2026-07"`) {
				t.Errorf("a form without its purpose: %d", status)
			}
			form.Set("purpose", "Evaluating the first year")
			status, file, hdr := f.do(co, "POST", "/exports/evaluation", "application/x-www-form-urlencoded", form.Encode(), nil)
			if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Disposition"), `attachment; filename="evaluation-`) {
				t.Fatalf("%d %s", status, hdr.Get("Content-Disposition"))
			}
			if first, _, _ := strings.Cut(file, "\n"); first != strings.Join(names, ",") {
				t.Errorf("the file's header is %q", first)
			}
		})
	})
}
