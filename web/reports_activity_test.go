package web_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestTheDashboardsActivityThroughTheAPI reads the demo service's activity
// in the dashboard's JSON (checked against the OpenAPI document): link
// workers' caseloads by name for its coordinator, added up and unnamed for
// the commissioner who funds it; a table of it as CSV says what the JSON
// says.
func TestTheDashboardsActivityThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		read := func(role linkwork.Role, query string) map[string]any {
			t.Helper()
			ans := a.send(t, apiCase{method: "GET", role: role, path: "/api/v1/reports/dashboard" + query})
			if ans.status != http.StatusOK {
				t.Fatalf("as %s: %d %s", role, ans.status, ans.body)
			}
			act, ok := ans.v["activity"].(map[string]any)
			if !ok {
				t.Fatalf("as %s, no activity: %s", role, ans.body)
			}
			return act
		}
		co := read(linkwork.RoleCoordinator, "")
		if len(co["by_referrer"].([]any)) == 0 || len(co["by_gp_practice"].([]any)) == 0 || len(co["waiting_at_month_end"].([]any)) != 12 {
			t.Fatalf("the coordinator's activity: %v", co)
		}
		caseloads := co["caseloads"].([]any)
		if len(caseloads) == 0 || caseloads[0].(map[string]any)["label"] == "" {
			t.Fatalf("the coordinator's caseloads: %v", caseloads)
		}
		cm := read(linkwork.RoleCommissioner, "")
		if len(cm["caseloads"].([]any)) != 0 || cm["caseload"].(map[string]any)["link_workers"].(float64) != float64(len(caseloads)) {
			t.Errorf("the commissioner's caseloads: %v %v", cm["caseloads"], cm["caseload"])
		}
		if gp := read(linkwork.RoleCoordinator, "?pathway=gp"); len(gp["not_narrowed_by"].([]any)) != 1 {
			t.Errorf("narrowed by pathway, the activity says of its filters: %v", gp["not_narrowed_by"])
		}

		// The referrers' CSV says what the JSON says, with its total.
		status, body, hdr := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/api/v1/reports/referrals-by-referrer.csv", "", "", nil)
		if status != http.StatusOK || !strings.Contains(hdr.Get("Content-Disposition"), "referrals-by-referrer-") {
			t.Fatalf("referrals-by-referrer.csv: %d %v\n%s", status, hdr, body)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		referrers := co["by_referrer"].([]any)
		if err != nil || len(rows) != 2+len(referrers) || rows[0][0] != "Referring organisation" {
			t.Fatalf("referrals-by-referrer.csv: %v %q", err, rows)
		}
		for i, r := range referrers {
			r := r.(map[string]any)
			if v := r["count"].(map[string]any)["value"].(float64); rows[i+1][0] != r["label"] || rows[i+1][1] != strconv.Itoa(int(v)) {
				t.Errorf("row %d says %q, the JSON %v", i+1, rows[i+1], r)
			}
		}
		if total := co["referrals"].(map[string]any)["value"].(float64); rows[len(rows)-1][0] != "All referrals" || rows[len(rows)-1][1] != strconv.Itoa(int(total)) {
			t.Errorf("the total row %q, the JSON %v", rows[len(rows)-1], total)
		}
		// The commissioner's caseloads CSV names nobody.
		status, body, _ = f.do(f.clients[linkwork.RoleCommissioner], "GET", "/api/v1/reports/caseloads.csv", "", "", nil)
		if status != http.StatusOK || !strings.HasPrefix(body, "Figure,Value") || strings.Contains(body, caseloads[0].(map[string]any)["label"].(string)) {
			t.Errorf("the commissioner's caseloads.csv: %d\n%s", status, body)
		}
		for _, name := range []string{"referrals-by-practice", "referrals-by-need", "waiting-list", "sessions-by-mode", "sessions-by-place", "connections-by-category", "connections-by-organisation", "fund-spending"} {
			if status, body, _ := f.do(f.clients[linkwork.RoleCommissioner], "GET", "/api/v1/reports/"+name+".csv?pathway=gp", "", "", nil); status != http.StatusOK || strings.Count(body, "\n") < 1 {
				t.Errorf("%s.csv for the commissioner: %d %s", name, status, body)
			}
		}
		if status, _ := f.api(linkwork.RoleLinkWorker, "GET", "/api/v1/reports/caseloads.csv", ""); status != http.StatusForbidden {
			t.Errorf("a link worker's caseloads.csv: %d", status)
		}
	})
}

// TestTheDashboardPageShowsTheActivity: the coordinator's page has each
// activity table with its chart, what it counts, and the outcomes' link
// for the same period; the commissioner's caseloads name nobody.
func TestTheDashboardPageShowsTheActivity(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		query := "?from-day=1&from-month=1&from-year=2026&to-day=31&to-month=3&to-year=2026"
		status, body, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/reports"+query, "", "", nil)
		if status != http.StatusOK {
			t.Fatalf("the coordinator's page: %d\n%s", status, body)
		}
		for _, want := range []string{`data-testid="section-referrals-by-referrer"`, `data-testid="section-waiting-list"`, `data-testid="report-caseloads"`,
			`data-testid="section-fund-spending"`, `href="/api/v1/reports/referrals-by-practice.csv?from=2026-01-01&amp;to=2026-03-31"`,
			"Counted over whole months: January 2026 to March 2026.", `data-testid="outcomes-link"`,
			`href="/measures?from-day=1&amp;from-month=1&amp;from-year=2026&amp;to-day=31&amp;to-month=3&amp;to-year=2026"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the coordinator's page lacks %s", want)
			}
		}
		caseloads := section(body, "caseloads")
		if !strings.Contains(caseloads, `data-label="Link worker"`) {
			t.Errorf("the coordinator's caseloads name no link worker:\n%s", caseloads)
		}
		status, body, _ = f.do(f.clients[linkwork.RoleCommissioner], "GET", "/reports"+query+"&age_band=13-15", "", "", nil)
		if status != http.StatusOK || strings.Contains(section(body, "caseloads"), `data-label="Link worker"`) || !strings.Contains(section(body, "caseloads"), "Open cases a link worker, on average") {
			t.Errorf("the commissioner's caseloads: %d\n%s", status, section(body, "caseloads"))
		}
		if !strings.Contains(section(body, "referrals-by-referrer"), "Not narrowed by the age band chosen.") {
			t.Errorf("the page does not say the age band does not narrow the activity:\n%s", section(body, "referrals-by-referrer"))
		}
	})
}

// section is the part of a dashboard page that is one table's section.
func section(body, name string) string {
	_, rest, ok := strings.Cut(body, `data-testid="section-`+name+`"`)
	if !ok {
		return ""
	}
	s, _, _ := strings.Cut(rest, "</section>")
	return s
}

// TestTheDashboardAddsUpTheOrganisationsItDoesNotName: a service referred
// to by more organisations than a table names shows the busiest and one
// row adding up the rest, on the page and in the CSV alike.
func TestTheDashboardAddsUpTheOrganisationsItDoesNotName(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		// Forty more schools, each referring one person two months ago
		// (inside the dashboard's twelve months).
		service := f.users[linkwork.RoleCoordinator].OrgID
		at := time.Now().AddDate(0, -2, 0)
		l := sqlstore.NewLoader(context.Background(), db)
		for i := range 40 {
			org := &linkwork.Organisation{ID: uuid.NewString(), Name: fmt.Sprintf("School %02d", i), Kind: linkwork.OrgSchool, CreatedAt: at, UpdatedAt: at}
			p := &linkwork.Person{ID: uuid.NewString(), ServiceOrgID: service, GivenName: "Pupil", FamilyName: fmt.Sprintf("Number%02d", i),
				DateOfBirth: linkwork.DateOf(at.AddDate(-14, 0, 0)), CreatedAt: at, UpdatedAt: at}
			r := &linkwork.Referral{ID: uuid.NewString(), ServiceOrgID: service, PersonID: p.ID, PersonDateOfBirth: p.DateOfBirth, Pathway: linkwork.PathwaySchool,
				Mode: linkwork.ModeReferral, ReferrerOrgID: org.ID, Reasons: "Worried", ConsentReferral: true, SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo,
				Status: linkwork.ReferralReceived, Streetlight: linkwork.StreetlightUnrated, ReceivedAt: at, UpdatedAt: at}
			for _, err := range []error{l.Organisation(org), l.Person(p), l.Referral(r)} {
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := l.Close("test"); err != nil {
			t.Fatal(err)
		}

		status, body, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/api/v1/reports/referrals-by-referrer.csv", "", "", nil)
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if status != http.StatusOK || err != nil || len(rows) != 1+linkwork.ActivityTopOrganisations+2 {
			t.Fatalf("referrals-by-referrer.csv: %d %v, %d rows, want a header, %d named, the rest and the total:\n%s", status, err, len(rows), linkwork.ActivityTopOrganisations, body)
		}
		// The rest add up to the total less the organisations named.
		named := 0
		for _, r := range rows[1 : 1+linkwork.ActivityTopOrganisations] {
			n, err := strconv.Atoi(r[1])
			if err != nil {
				t.Fatalf("row %q", r)
			}
			named += n
		}
		other, total := rows[len(rows)-2], rows[len(rows)-1]
		rest, err1 := strconv.Atoi(other[1])
		all, err2 := strconv.Atoi(total[1])
		if err1 != nil || err2 != nil || !strings.HasSuffix(other[0], " other organisations") || rest != all-named || rest < 1 {
			t.Errorf("the row adding up the rest %q, the total %q, the named add up to %d", other, total, named)
		}
		status, page, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/reports", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, other[0]) {
			t.Errorf("the page does not show %q (status %d)", other[0], status)
		}
	})
}
