package web_test

import (
	"encoding/csv"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestTheDashboardThroughTheAPI reads the demo service's dashboard: exact
// for its coordinator, suppressed for the commissioner who funds it,
// refused to a link worker; a bad query parameter is a 400 naming it.
// Every JSON answer is checked against the OpenAPI document; each table
// comes as CSV, with the same figures.
func TestTheDashboardThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		must := func(ac apiCase, status int) apiAnswer {
			t.Helper()
			ac.method = "GET"
			ans := a.send(t, ac)
			if ans.status != status {
				t.Fatalf("%s as %s: %d %s, want %d", ac.path, ac.role, ans.status, ans.body, status)
			}
			if ac.field != "" && !errorNames(ans.v, ac.field) {
				t.Fatalf("%s: the error does not name %s: %s", ac.path, ac.field, ans.body)
			}
			return ans
		}
		path := "/api/v1/reports/dashboard"
		co := must(apiCase{role: linkwork.RoleCoordinator, path: path}, http.StatusOK).v
		referrals := co["referrals"].(map[string]any)
		if co["exact"] != true || referrals["visibility"] != "shown" || referrals["value"].(float64) < 5 || len(co["funnel"].([]any)) != len(linkwork.FunnelSteps) {
			t.Fatalf("the coordinator's dashboard: %v", co)
		}
		if s := co["sessions"].(map[string]any); s["attended_per_person"] == nil || len(co["connections"].([]any)) == 0 {
			t.Errorf("the coordinator's sessions and connections: %v %v", s, co["connections"])
		}
		cm := must(apiCase{role: linkwork.RoleCommissioner, path: path}, http.StatusOK).v
		if cm["exact"] != false || cm["referrals"].(map[string]any)["value"] != referrals["value"] {
			t.Errorf("the commissioner's dashboard: %v", cm)
		}
		for _, s := range cm["funnel"].([]any) {
			s := s.(map[string]any)
			if p := s["people"].(map[string]any); p["visibility"] != "shown" && (p["value"] != nil || s["percent_of_referred"] != nil) {
				t.Errorf("a hidden step shows figures: %v", s)
			}
		}
		must(apiCase{role: linkwork.RoleLinkWorker, path: path}, http.StatusForbidden)
		for param, q := range map[string]string{
			"from":     "?from=yesterday",
			"to":       "?from=2026-03-02&to=2026-03-01",
			"pathway":  "?pathway=carrier_pigeon",
			"age_band": "?age_band=ancient",
		} {
			must(apiCase{role: linkwork.RoleCoordinator, path: path + q, field: param}, http.StatusBadRequest)
		}
		narrow := must(apiCase{role: linkwork.RoleCoordinator, path: path + "?from=2001-01-01&to=2001-12-31&pathway=gp"}, http.StatusOK).v
		if narrow["referrals"].(map[string]any)["value"] != 0.0 || narrow["from"] != "2001-01-01" || narrow["pathway"] != "gp" {
			t.Errorf("a period before any referral: %v", narrow)
		}

		// The CSV of the funnel says what the JSON says.
		status, body, hdr := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/api/v1/reports/funnel.csv", "", "", nil)
		if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/csv") || !strings.Contains(hdr.Get("Content-Disposition"), "funnel-") {
			t.Fatalf("funnel.csv: %d %v\n%s", status, hdr, body)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil || len(rows) != 1+len(linkwork.FunnelSteps) || rows[0][0] != "Step" || rows[1][0] != "Referred" {
			t.Fatalf("funnel.csv: %v %q", err, rows)
		}
		for i, s := range co["funnel"].([]any) {
			if v := s.(map[string]any)["people"].(map[string]any)["value"].(float64); rows[i+1][1] != strconv.Itoa(int(v)) {
				t.Errorf("funnel.csv row %d says %q, the JSON %v", i+1, rows[i+1], v)
			}
		}
		for _, name := range []string{"referrals-by-month", "referrals-by-pathway", "referrals-by-mode", "leaving", "waits", "sessions", "connections"} {
			if status, body, _ := f.do(f.clients[linkwork.RoleCommissioner], "GET", "/api/v1/reports/"+name+".csv?pathway=gp", "", "", nil); status != http.StatusOK || strings.Count(body, "\n") < 1 {
				t.Errorf("%s.csv for the commissioner: %d %s", name, status, body)
			}
		}
		for _, p := range []string{"/api/v1/reports/funnel", "/api/v1/reports/people.csv"} {
			if status, _ := f.api(linkwork.RoleCoordinator, "GET", p, ""); status != http.StatusNotFound {
				t.Errorf("%s: %d, want 404", p, status)
			}
		}
		if status, _ := f.api(linkwork.RoleCoordinator, "GET", "/api/v1/reports/funnel.csv?age_band=ancient", ""); status != http.StatusBadRequest {
			t.Errorf("a CSV with a bad parameter: %d", status)
		}
		if status, _ := f.api(linkwork.RoleReferrer, "GET", "/api/v1/reports/funnel.csv", ""); status != http.StatusForbidden {
			t.Errorf("a referrer's CSV: %d", status)
		}
	})
}

// TestTheDashboardPage shows the coordinator every table with rows with
// its chart (the referral figures' eight at least) and a download link, the commissioner the same with the suppression
// note, a filter that does not read as a problem named, and nothing to a
// link worker.
func TestTheDashboardPage(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		status, body, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/reports", "", "", nil)
		if status != http.StatusOK || strings.Count(body, `data-testid="report-chart"`) < 8 || strings.Count(body, `data-testid="report-chart"`) != strings.Count(body, `<table class="govuk-table lw-responsive-table" data-testid="report-`) || !strings.Contains(body, `data-testid="report-funnel"`) ||
			!strings.Contains(body, `href="/api/v1/reports/funnel.csv?from=`) || strings.Contains(body, `data-testid="suppressed-note"`) {
			t.Fatalf("the coordinator's page: %d\n%s", status, body)
		}
		// On a phone the page is long: it opens with a link to each table
		// (8 of referrals, 10 of activity).
		if links := regexp.MustCompile(`href="#(report-[a-z_-]+)"`).FindAllStringSubmatch(body, -1); len(links) != 18 {
			t.Errorf("the page's contents has %d links, want one for each of its 18 tables", len(links))
		} else {
			for _, l := range links {
				if !strings.Contains(body, `id="`+l[1]+`"`) {
					t.Errorf("the contents links to #%s, which the page does not have", l[1])
				}
			}
		}
		status, body, _ = f.do(f.clients[linkwork.RoleCommissioner], "GET", "/reports?pathway=gp&from-day=1&from-month=1&from-year=2026&to-day=31&to-month=3&to-year=2026", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="suppressed-note"`) || !strings.Contains(body, "1 January 2026 to 31 March 2026") ||
			!strings.Contains(body, `href="/api/v1/reports/funnel.csv?from=2026-01-01&amp;pathway=gp&amp;to=2026-03-31"`) {
			t.Fatalf("the commissioner's filtered page: %d\n%s", status, body)
		}
		if !strings.Contains(body, `href="/reports/equity?from-day=1&amp;from-month=1&amp;from-year=2026&amp;pathway=gp&amp;to-day=31&amp;to-month=3&amp;to-year=2026" data-testid="equity-link"`) {
			t.Errorf("the link to the equity table does not carry the filter:\n%s", body)
		}
		status, body, _ = f.do(f.clients[linkwork.RoleCoordinator], "GET", "/reports?to-day=31&to-month=2&to-year=2026", "", "", nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#to"`) {
			t.Fatalf("a date that does not exist: %d\n%s", status, body)
		}
		status, body, _ = f.do(f.clients[linkwork.RoleCoordinator], "GET", "/reports?from-day=1&from-month=3&from-year=2026&to-day=1&to-month=2&to-year=2026", "", "", nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#to"`) {
			t.Fatalf("a period ending before it starts: %d", status)
		}
		if status, _, _ = f.do(f.clients[linkwork.RoleLinkWorker], "GET", "/reports", "", "", nil); status != http.StatusForbidden {
			t.Fatalf("a link worker: %d", status)
		}
	})
}
