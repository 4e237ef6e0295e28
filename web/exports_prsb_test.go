package web_test

import (
	"archive/zip"
	"encoding/csv"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// readPRSBZip reads a PRSB report's zip file: each file's CSV records by
// name.
func readPRSBZip(t *testing.T, b string) map[string][][]string {
	t.Helper()
	z, err := zip.NewReader(strings.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip file: %v", err)
	}
	out := map[string][][]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(f.Name, ".csv") {
			out[f.Name] = [][]string{{string(body)}}
			continue
		}
		records, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
		if err != nil {
			t.Fatalf("%s is not CSV: %v", f.Name, err)
		}
		out[f.Name] = records
	}
	return out
}

// TestThePRSBReportThroughTheAPIAndItsPage makes the demo service's PRSB
// report as its coordinator: as JSON and as a zip file over the API, and
// as a zip file from the page; each part's columns are the data
// dictionary's; a request without its agreement is named; anyone else is
// refused. Every JSON answer is checked against the OpenAPI document.
func TestThePRSBReportThroughTheAPIAndItsPage(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		body := `{"agreement": "DSA-2026-07", "recipient": "NHS England", "purpose": "The national return"}`
		dictionary := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/exports/prsb/dictionary"})
		if dictionary.status != http.StatusOK {
			t.Fatalf("dictionary: %d %s", dictionary.status, dictionary.body)
		}
		// names are each part's columns, as the dictionary lists them.
		names := map[string][]string{}
		var order []string
		for _, p := range dictionary.v["parts"].([]any) {
			part := p.(map[string]any)
			name := part["name"].(string)
			order = append(order, name)
			for _, c := range part["columns"].([]any) {
				names[name] = append(names[name], c.(map[string]any)["name"].(string))
			}
		}
		if strings.Join(order, ",") != "demographics,needs_and_concerns,support_offered,outcomes" {
			t.Fatalf("the dictionary's parts are %v", order)
		}
		checkZip := func(t *testing.T, b string) {
			t.Helper()
			files := readPRSBZip(t, b)
			for _, part := range order {
				records := files[part+".csv"]
				if len(records) < 2 || strings.Join(records[0], ",") != strings.Join(names[part], ",") {
					t.Errorf("%s.csv's header is not the dictionary's columns: %q", part, records[:min(1, len(records))])
				}
			}
			dict := files["dictionary.csv"]
			rows := 0
			for _, part := range order {
				rows += len(names[part])
			}
			if len(dict) != rows+1 {
				t.Errorf("dictionary.csv has %d rows for %d columns", len(dict)-1, rows)
			}
			if notes := files["notes.txt"]; len(notes) == 0 || !strings.Contains(notes[0][0], "DSA-2026-07") {
				t.Error("notes.txt does not name the agreement")
			}
		}

		t.Run("the JSON report has the dictionary's parts and columns", func(t *testing.T) {
			ans := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/exports/prsb", body: body})
			if ans.status != http.StatusOK {
				t.Fatalf("%d %s", ans.status, ans.body)
			}
			for i, p := range ans.v["parts"].([]any) {
				part := p.(map[string]any)
				if part["name"] != order[i] {
					t.Errorf("part %d is %v, the dictionary's %s", i, part["name"], order[i])
				}
				var cols []string
				for _, c := range part["columns"].([]any) {
					cols = append(cols, c.(string))
				}
				if strings.Join(cols, ",") != strings.Join(names[order[i]], ",") {
					t.Errorf("%s's columns are %v", order[i], cols)
				}
				if len(part["rows"].([]any)) == 0 {
					t.Errorf("the demo service's %s is empty", order[i])
				}
			}
		})

		t.Run("a client that accepts a zip gets the files", func(t *testing.T) {
			status, got, hdr := f.do(nil, "POST", "/api/v1/exports/prsb", "application/json", body,
				map[string]string{"Authorization": "Bearer " + f.tokens[linkwork.RoleCoordinator], "Accept": "application/zip"})
			if status != http.StatusOK || hdr.Get("Content-Type") != "application/zip" {
				t.Fatalf("%d %s", status, hdr.Get("Content-Type"))
			}
			checkZip(t, got)
		})

		t.Run("a request without its agreement is named", func(t *testing.T) {
			ans := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/exports/prsb", body: `{"recipient": "NHS England", "purpose": "The national return"}`, field: "agreement"})
			if ans.status != http.StatusUnprocessableEntity || !errorNames(ans.v, "agreement") {
				t.Errorf("%d %s", ans.status, ans.body)
			}
		})

		t.Run("nobody but a coordinator makes it", func(t *testing.T) {
			for _, role := range []linkwork.Role{linkwork.RoleCommissioner, linkwork.RoleLinkWorker, linkwork.RoleReferrer, linkwork.RoleAdmin} {
				if ans := a.send(t, apiCase{role: role, method: "POST", path: "/api/v1/exports/prsb", body: body}); ans.status != http.StatusForbidden {
					t.Errorf("%s: %d", role, ans.status)
				}
			}
		})

		t.Run("the page downloads the zip and names what is missing", func(t *testing.T) {
			co := f.clients[linkwork.RoleCoordinator]
			status, page, _ := f.do(co, "GET", "/exports/prsb", "", "", nil)
			if status != http.StatusOK || !strings.Contains(page, "activities_sports") || !strings.Contains(page, `data-testid="prsb-form"`) {
				t.Fatalf("the page (%d) has no form or dictionary", status)
			}
			form := url.Values{"agreement": {"DSA-2026-07"}, "recipient": {"NHS England"}, "purpose": {""}}
			status, page, _ = f.do(co, "POST", "/exports/prsb", "application/x-www-form-urlencoded", form.Encode(), nil)
			if status != http.StatusUnprocessableEntity || !strings.Contains(page, "Say what the export is for") || !strings.Contains(page, `value="DSA-2026-07"`) {
				t.Errorf("a form without its purpose: %d", status)
			}
			form.Set("purpose", "The national return")
			status, file, hdr := f.do(co, "POST", "/exports/prsb", "application/x-www-form-urlencoded", form.Encode(), nil)
			if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Disposition"), `attachment; filename="prsb-social-prescribing-`) {
				t.Fatalf("%d %s", status, hdr.Get("Content-Disposition"))
			}
			checkZip(t, file)
		})
	})
}
