package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestOutcomeFiguresThroughTheAPI reads the demo service's outcome
// figures: exact for its coordinator, with small numbers suppressed for
// the commissioner who funds it, refused to a link worker; a period that
// is not a date, or ends before it starts, is named. Every answer is
// checked against the OpenAPI document.
func TestOutcomeFiguresThroughTheAPI(t *testing.T) {
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
		swemwbs := func(v map[string]any) map[string]any {
			t.Helper()
			for _, in := range v["instruments"].([]any) {
				if in := in.(map[string]any); in["instrument"] == "swemwbs" {
					return in
				}
			}
			t.Fatalf("no SWEMWBS figures: %v", v)
			return nil
		}
		path := "/api/v1/measures/summary"
		co := swemwbs(must(apiCase{role: linkwork.RoleCoordinator, path: path}, http.StatusOK).v)
		all := co["all"].(map[string]any)
		if all["visibility"] != "shown" || all["people"].(float64) < 5 || co["reliable_change_threshold"] != 2.87 {
			t.Errorf("the coordinator's SWEMWBS: %v", co)
		}
		// ONS4 question by question, goals each on their own.
		coAll := must(apiCase{role: linkwork.RoleCoordinator, path: path}, http.StatusOK).v
		var got []string
		for _, in := range coAll["instruments"].([]any) {
			in := in.(map[string]any)
			item, _ := in["item"].(string)
			got = append(got, fmt.Sprintf("%v %s %v %v %v", in["instrument"], item, in["counts"], in["judged_by"], in["reliable_change_threshold"]))
		}
		want := []string{"gbo  goals reliable_change 2.45", "swemwbs  people reliable_change 2.87",
			"ons4 life_satisfaction people ons_band <nil>", "ons4 worthwhile people ons_band <nil>", "ons4 happiness people ons_band <nil>", "ons4 anxiety people ons_band <nil>"}
		if !slices.Equal(got, want) {
			t.Errorf("the coordinator's figures are of\n%q, want\n%q", got, want)
		}
		ans := must(apiCase{role: linkwork.RoleCommissioner, path: path}, http.StatusOK)
		if ans.v["exact"] != false {
			t.Error("the commissioner's figures say they are exact")
		}
		cm := swemwbs(ans.v)
		if cm["all"].(map[string]any)["people"] != all["people"] {
			t.Errorf("the commissioner sees %v people, the coordinator %v", cm["all"].(map[string]any)["people"], all["people"])
		}
		for _, g := range cm["by_link_worker"].([]any) {
			g := g.(map[string]any)
			if g["visibility"] != "shown" && (g["people"] != nil || g["mean_change"] != nil) {
				t.Errorf("a hidden group shows figures: %v", g)
			}
		}
		must(apiCase{role: linkwork.RoleLinkWorker, path: path}, http.StatusForbidden)
		must(apiCase{role: linkwork.RoleCoordinator, path: path + "?from=yesterday", field: "from"}, http.StatusUnprocessableEntity)
		must(apiCase{role: linkwork.RoleCoordinator, path: path + "?from=2026-03-02&to=2026-03-01", field: "to"}, http.StatusUnprocessableEntity)
		// A period is read in whole months, and the answer says which.
		if got := must(apiCase{role: linkwork.RoleCoordinator, path: path + "?from=2026-02-15&to=2026-03-03"}, http.StatusOK).v; got["from"] != "2026-02-01" || got["to"] != "2026-03-31" {
			t.Errorf("the months of a period: %v to %v", got["from"], got["to"])
		}
		if got := must(apiCase{role: linkwork.RoleCoordinator, path: path + "?from=2001-01-01&to=2001-12-31"}, http.StatusOK).v; len(got["instruments"].([]any)) != 0 || got["from"] != "2001-01-01" {
			t.Errorf("a period before any measure: %v", got)
		}
	})
}

// TestOutcomesPage shows the coordinator each instrument's figures with a
// chart and its table, the commissioner the same with small numbers
// suppressed, and a period with a date that does not exist as a problem
// named in the error summary.
func TestOutcomesPage(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		status, body, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/measures", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="outcome-swemwbs"`) || !strings.Contains(body, `data-testid="outcome-chart"`) ||
			!strings.Contains(body, `data-testid="outcome-worker-swemwbs"`) || strings.Contains(body, "fewer than 5") && strings.Contains(body, `data-testid="suppressed-note"`) ||
			!strings.Contains(body, `data-testid="outcome-ons4-anxiety"`) || !strings.Contains(body, "ONS personal wellbeing: anxiety") || !strings.Contains(body, "Better band") ||
			!strings.Contains(body, `data-testid="outcome-all-gbo"`) || !strings.Contains(body, `data-label="Goals"`) {
			t.Fatalf("the coordinator's page: %d\n%s", status, body)
		}
		// On a phone the page is long: it opens with a link to each
		// measure's figures.
		for _, id := range []string{"swemwbs", "gbo", "ons4-anxiety"} {
			if !strings.Contains(body, `href="#outcome-`+id+`"`) || !strings.Contains(body, `id="outcome-`+id+`"`) {
				t.Errorf("the page's list of measures does not lead to %s", id)
			}
		}
		status, body, _ = f.do(f.clients[linkwork.RoleCommissioner], "GET", "/measures", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="outcome-swemwbs"`) || !strings.Contains(body, `data-testid="suppressed-note"`) {
			t.Fatalf("the commissioner's page: %d\n%s", status, body)
		}
		status, body, _ = f.do(f.clients[linkwork.RoleCoordinator], "GET", "/measures?from-day=15&from-month=2&from-year=2026&to-day=3&to-month=3&to-year=2026", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, "whose latest score was from 1 February 2026 to 31 March 2026") || !strings.Contains(body, "A period counts whole months") {
			t.Fatalf("a period says the months it counts: %d", status)
		}
		status, body, _ = f.do(f.clients[linkwork.RoleCoordinator], "GET", "/measures?from-day=31&from-month=2&from-year=2026", "", "", nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#from"`) || !strings.Contains(body, "The start of the period must be a real date") {
			t.Fatalf("a date that does not exist: %d", status)
		}
		status, _, _ = f.do(f.clients[linkwork.RoleLinkWorker], "GET", "/measures", "", "", nil)
		if status != http.StatusForbidden {
			t.Fatalf("a link worker: %d", status)
		}
	})
}

// TestTheOutcomesPageAddsUpTheLinkWorkersItDoesNotName: a service with
// more link workers measured than a breakdown names shows the thirty with
// the most people and one row adding up the rest, says so, and the API
// gives the same groups.
func TestTheOutcomesPageAddsUpTheLinkWorkersItDoesNotName(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		// Thirty-one more link workers, each supporting one adult whose
		// SWEMWBS was taken twice last month.
		service := f.users[linkwork.RoleCoordinator].OrgID
		at := time.Now().AddDate(0, -1, 0)
		l := sqlstore.NewLoader(context.Background(), db)
		for i := range linkwork.OutcomeTopLinkWorkers + 1 {
			u := &linkwork.User{ID: uuid.NewString(), OrgID: service, Email: fmt.Sprintf("worker%02d@millbrook.test", i), Name: fmt.Sprintf("Worker %02d", i), Role: linkwork.RoleLinkWorker}
			p := &linkwork.Person{ID: uuid.NewString(), ServiceOrgID: service, GivenName: "Adult", FamilyName: fmt.Sprintf("Number%02d", i),
				DateOfBirth: linkwork.DateOf(at.AddDate(-40, 0, 0)), CreatedAt: at, UpdatedAt: at}
			r := &linkwork.Referral{ID: uuid.NewString(), ServiceOrgID: service, PersonID: p.ID, PersonDateOfBirth: p.DateOfBirth, Pathway: linkwork.PathwayGP,
				Mode: linkwork.ModeReferral, Reasons: "Lonely", ConsentReferral: true, SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo,
				Status: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, ReceivedAt: at, UpdatedAt: at}
			c := &linkwork.Case{ID: uuid.NewString(), PersonID: p.ID, ReferralID: r.ID, ServiceOrgID: service, LinkWorkerID: u.ID, Status: linkwork.CaseActive,
				OpenedAt: at, AllocatedAt: at, UpdatedAt: at, Complexity: 1}
			errs := []error{l.User(u, "a long enough password"), l.Person(p), l.Referral(r), l.Case(c)}
			for k, answers := range [][]int{{2, 2, 2, 2, 2, 2, 2}, {3, 3, 3, 3, 3, 3, 3}} {
				errs = append(errs, l.Measure(&linkwork.MeasureResponse{ID: uuid.NewString(), PersonID: p.ID, CaseID: c.ID, Instrument: linkwork.InstrumentSWEMWBS,
					Timepoint: []linkwork.Timepoint{linkwork.TimepointBaseline, linkwork.TimepointReview}[k], Answers: linkwork.Ints(answers...),
					CompletedBy: linkwork.CompletedByPerson, At: at.Add(time.Duration(k) * time.Hour), CreatedBy: u.ID}))
			}
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := l.Close("test"); err != nil {
			t.Fatal(err)
		}

		var summary struct {
			Instruments []struct {
				Instrument   string `json:"instrument"`
				All          struct{ People int }
				ByLinkWorker []struct {
					Key    string `json:"key"`
					Label  string `json:"label"`
					People int    `json:"people"`
				} `json:"by_link_worker"`
			} `json:"instruments"`
		}
		status, body, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/api/v1/measures/summary", "", "", nil)
		if err := json.Unmarshal([]byte(body), &summary); status != http.StatusOK || err != nil {
			t.Fatalf("the summary: %d %v", status, err)
		}
		var other string
		for _, in := range summary.Instruments {
			if in.Instrument != "swemwbs" {
				continue
			}
			groups := in.ByLinkWorker
			if len(groups) != linkwork.OutcomeTopLinkWorkers+1 {
				t.Fatalf("SWEMWBS by link worker: %d groups, want %d", len(groups), linkwork.OutcomeTopLinkWorkers+1)
			}
			last, people := groups[len(groups)-1], 0
			for _, g := range groups {
				people += g.People
			}
			if last.Key != linkwork.OtherLinkWorkersKey || !strings.HasSuffix(last.Label, " other link workers") || people != in.All.People {
				t.Fatalf("the last group %+v; the groups add up to %d people of %d", last, people, in.All.People)
			}
			other = last.Label
		}
		if other == "" {
			t.Fatalf("no SWEMWBS figures: %+v", summary)
		}
		status, page, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/measures", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, other) || !strings.Contains(page, "The 30 link workers with the most people measured are named") {
			t.Errorf("the page does not show %q and why (status %d)", other, status)
		}
	})
}
