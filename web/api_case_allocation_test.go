package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestAllocationAPI allocates, takes, weighs and hands over cases through
// the API, each answer checked against the OpenAPI document.
func TestAllocationAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		coord, lw := linkwork.RoleCoordinator, linkwork.RoleLinkWorker
		worker := f.users[lw].ID
		waiting := listItems(a.send(t, apiCase{role: coord, method: "GET", path: "/api/v1/waiting-list?limit=5"}).v)
		if len(waiting) < 2 {
			t.Fatalf("the demo has %d people waiting; the test needs 2", len(waiting))
		}
		first := waiting[0]["case_id"].(string)
		firstCase := a.send(t, apiCase{role: coord, method: "GET", path: "/api/v1/cases/" + first}).v
		version := int(firstCase["version"].(float64))
		body := func(v int, worker string) string {
			return fmt.Sprintf(`{"version": %d, "link_worker_id": %q}`, v, worker)
		}

		a.runTable(t, http.StatusUnprocessableEntity, []apiCase{
			{name: "allocate without a version", role: coord, method: "POST", path: "/api/v1/cases/" + first + "/allocate", body: `{"link_worker_id": "` + worker + `"}`, field: "version"},
			{name: "allocate to someone not a link worker", role: coord, method: "POST", path: "/api/v1/cases/" + first + "/allocate", body: body(version, f.users[coord].ID), field: "link_worker_id"},
			{name: "complexity out of range", role: coord, method: "POST", path: "/api/v1/cases/" + first + "/complexity", body: `{"version": 1, "complexity": 4}`, field: "complexity"},
			{name: "a caseload with a bad sort", role: lw, method: "GET", path: "/api/v1/caseload?sort=age", field: "sort"},
			{name: "a coordinator's caseload without a worker", role: coord, method: "GET", path: "/api/v1/caseload", field: "worker"},
		})
		a.runTable(t, http.StatusForbidden, []apiCase{
			{name: "a link worker allocating", role: lw, method: "POST", path: "/api/v1/cases/" + first + "/allocate", body: body(version, worker)},
			{name: "a coordinator taking the next person", role: coord, method: "POST", path: "/api/v1/waiting-list/take"},
		})
		a.runTable(t, http.StatusConflict, []apiCase{
			{name: "allocate a stale version", role: coord, method: "POST", path: "/api/v1/cases/" + first + "/allocate", body: body(version+1, worker)},
		})
		a.runTable(t, http.StatusOK, []apiCase{
			{name: "allocate", role: coord, method: "POST", path: "/api/v1/cases/" + first + "/allocate", body: body(version, worker), check: func(t *testing.T, v map[string]any) {
				if v["status"] != "active" || v["link_worker_id"] != worker {
					t.Errorf("allocated case = %v", v)
				}
			}},
			{name: "the team's caseloads", role: coord, method: "GET", path: "/api/v1/team-caseloads", check: func(t *testing.T, v map[string]any) {
				found := false
				for _, it := range listItems(v) {
					if it["user_id"] == worker {
						found = true
						if it["cases"].(float64) < 1 || it["weighted"].(float64) < it["cases"].(float64) {
							t.Errorf("the worker's load = %v", it)
						}
					}
				}
				if !found {
					t.Errorf("the link worker is not in the team: %v", v)
				}
			}},
			{name: "the worker's caseload, overdue only", role: lw, method: "GET", path: "/api/v1/caseload?overdue=true&stage=active", check: func(t *testing.T, v map[string]any) {
				for _, it := range listItems(v) {
					if len(it["overdue"].([]any)) == 0 {
						t.Errorf("a case with nothing overdue: %v", it)
					}
				}
			}},
		})
		// The allocated person is on the caseload with first contact due.
		items := listItems(a.send(t, apiCase{role: lw, method: "GET", path: "/api/v1/caseload?sort=name"}).v)
		var mine map[string]any
		for _, it := range items {
			if jsonStr(it, "case.id") == first {
				mine = it
			}
		}
		if mine == nil || mine["first_contact_made"] != false || mine["first_contact_due"] == nil {
			t.Fatalf("the allocated case on the caseload = %v", mine)
		}
		coordView := listItems(a.send(t, apiCase{role: coord, method: "GET", path: "/api/v1/caseload?worker=" + url.QueryEscape(worker)}).v)
		if len(coordView) != len(items) {
			t.Errorf("the coordinator sees %d of the worker's cases, the worker %d", len(coordView), len(items))
		}

		// Weigh it, then hand it over.
		c := a.send(t, apiCase{role: coord, method: "POST", path: "/api/v1/cases/" + first + "/complexity", body: fmt.Sprintf(`{"version": %d, "complexity": 3}`, version+1)})
		if c.status != http.StatusOK || c.v["complexity"] != float64(3) {
			t.Fatalf("complexity: %d %s", c.status, c.body)
		}
		var other string
		for _, it := range listItems(a.send(t, apiCase{role: coord, method: "GET", path: "/api/v1/team-caseloads"}).v) {
			if it["user_id"] != worker {
				other = it["user_id"].(string)
				break
			}
		}
		if other == "" {
			t.Fatal("the demo service has one link worker")
		}
		h := a.send(t, apiCase{role: coord, method: "POST", path: "/api/v1/cases/" + first + "/handover",
			body: fmt.Sprintf(`{"version": %d, "link_worker_id": %q, "note": "Sam is away"}`, version+2, other)})
		if h.status != http.StatusOK || h.v["link_worker_id"] != other {
			t.Fatalf("hand over: %d %s", h.status, h.body)
		}
		hs := listItems(a.send(t, apiCase{role: coord, method: "GET", path: "/api/v1/cases/" + first + "/handovers"}).v)
		if len(hs) != 1 || hs[0]["note"] != "Sam is away" || hs[0]["from_worker_id"] != worker {
			t.Fatalf("hand-overs = %v", hs)
		}
		if ans := a.send(t, apiCase{role: lw, method: "GET", path: "/api/v1/cases/" + first + "/handovers"}); ans.status != http.StatusNotFound {
			t.Errorf("the old worker still reads the case's hand-overs: %d", ans.status)
		}
		n := a.send(t, apiCase{role: coord, method: "POST", path: "/api/v1/caseloads/" + other + "/handover", body: `{"link_worker_id": "` + worker + `", "note": "Back"}`})
		if n.status != http.StatusOK || n.v["handed_over"].(float64) < 1 {
			t.Fatalf("hand over the caseload: %d %s", n.status, n.body)
		}

		// Taking the next person: the link worker gets the oldest waiting,
		// or is told their caseload is full.
		next := a.send(t, apiCase{role: lw, method: "POST", path: "/api/v1/waiting-list/take"})
		switch next.status {
		case http.StatusOK:
			if next.v["id"] != waiting[1]["case_id"] || next.v["link_worker_id"] != worker {
				t.Errorf("took %v, want the oldest waiting %v", next.v["id"], waiting[1]["case_id"])
			}
		case http.StatusUnprocessableEntity:
			if !strings.Contains(next.body, "caseload is full") {
				t.Errorf("take refused: %s", next.body)
			}
		default:
			t.Errorf("take: %d %s", next.status, next.body)
		}
	})
}

// TestAllocationPages drives the forms without JavaScript: allocate from
// the waiting list, a form sent without a worker, the caseload pages.
func TestAllocationPages(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		coord, lw := f.clients[linkwork.RoleCoordinator], f.clients[linkwork.RoleLinkWorker]
		status, page, _ := f.do(coord, "GET", "/waiting-list", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, `data-testid="allocate-row"`) || strings.Contains(page, `data-testid="take-next"`) {
			t.Fatalf("the coordinator's waiting list (%d) has no allocate form, or offers to take", status)
		}
		status, page, _ = f.do(lw, "GET", "/waiting-list", "", "", nil)
		if status != http.StatusOK || strings.Contains(page, `data-testid="allocate-row"`) || !strings.Contains(page, `data-testid="take-next"`) {
			t.Fatalf("the link worker's waiting list (%d) offers allocation, or no take", status)
		}
		list, err := f.services.Triage.WaitingList(linkwork.NewContext(t.Context(), f.users[linkwork.RoleCoordinator].Actor()), 0, 1)
		if err != nil || len(list.Entries) == 0 {
			t.Fatalf("waiting list: %v", err)
		}
		c := list.Entries[0].Case
		form := func(v url.Values) string { return v.Encode() }
		status, page, _ = f.do(coord, "POST", "/cases/"+c.ID+"/allocate", "application/x-www-form-urlencoded", form(url.Values{"version": {fmt.Sprint(c.Version)}}), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "govuk-error-summary") || !strings.Contains(page, "Choose the link worker to allocate") {
			t.Fatalf("allocate without a worker: %d", status)
		}
		worker := f.users[linkwork.RoleLinkWorker]
		status, _, h := f.do(coord, "POST", "/cases/"+c.ID+"/allocate", "application/x-www-form-urlencoded", form(url.Values{"version": {fmt.Sprint(c.Version)}, "link_worker_id": {worker.ID}}), nil)
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/cases/"+c.ID+"?done=allocated") {
			t.Fatalf("allocate: %d to %s", status, h.Get("Location"))
		}
		status, page, _ = f.do(coord, "GET", h.Get("Location"), "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, worker.Name) || !strings.Contains(page, "Link worker allocated") {
			t.Fatalf("the case page after allocating (%d) does not show the worker", status)
		}
		status, page, _ = f.do(lw, "GET", "/caseload", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, c.PersonName) || !strings.Contains(page, "First contact due by") {
			t.Fatalf("the caseload (%d) does not show %s with first contact due", status, c.PersonName)
		}
		status, _, h = f.do(coord, "GET", "/caseload", "", "", nil)
		if status != http.StatusSeeOther || h.Get("Location") != "/caseloads" {
			t.Fatalf("a coordinator's /caseload: %d to %s", status, h.Get("Location"))
		}
		status, page, _ = f.do(coord, "GET", "/caseloads", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, worker.Name) || !strings.Contains(page, "caseload-handover-form") {
			t.Fatalf("the team's caseloads: %d", status)
		}
		status, page, _ = f.do(coord, "GET", "/caseload?worker="+worker.ID, "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, c.PersonName) {
			t.Fatalf("the coordinator's view of the worker's caseload: %d", status)
		}
		status, page, _ = f.do(coord, "POST", "/caseloads/handover", "application/x-www-form-urlencoded", form(url.Values{"from": {worker.ID}}), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "Choose the link worker to hand the cases to") {
			t.Fatalf("hand over a caseload without a worker: %d", status)
		}
	})
}

// TestTheReferrerSeesThatThePersonHasALinkWorker: once allocated, the
// referrer's page and API answer say since when the person has a link
// worker, and never who or what they wrote.
func TestTheReferrerSeesThatThePersonHasALinkWorker(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := func(r linkwork.Role) context.Context {
			return linkwork.NewContext(context.Background(), f.users[r].Actor())
		}
		ref := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: f.users[linkwork.RoleCoordinator].OrgID,
			Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Isolated since moving", WhatTheyWant: "To meet people", ConsentReferral: true, PersonAware: new(true)}
		person := &linkwork.Person{GivenName: "Rhea", FamilyName: "Referred", DateOfBirth: linkwork.Date{Year: 2009, Month: 4, Day: 2}, Postcode: "LS9 1AA", Phone: "07700 900123",
			Contact: linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelText}}}
		if err := f.services.Referrals.CreateReferral(ctx(linkwork.RoleReferrer), ref, person); err != nil {
			t.Fatal(err)
		}
		got, err := f.services.Referrals.DecideReferral(ctx(linkwork.RoleCoordinator), ref.ID, ref.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen})
		if err != nil {
			t.Fatal(err)
		}
		referrer := f.clients[linkwork.RoleReferrer]
		if _, page, _ := f.do(referrer, "GET", "/referrals/"+ref.ID, "", "", nil); strings.Contains(page, "Has a link worker since") {
			t.Fatal("the referrer is told of a link worker while the person waits")
		}
		c, err := f.services.Cases.FindCaseByID(ctx(linkwork.RoleCoordinator), got.CaseID)
		if err != nil {
			t.Fatal(err)
		}
		worker := f.users[linkwork.RoleLinkWorker]
		if _, err := f.services.Cases.AllocateCase(ctx(linkwork.RoleCoordinator), c.ID, c.Version, worker.ID); err != nil {
			t.Fatal(err)
		}
		status, page, _ := f.do(referrer, "GET", "/referrals/"+ref.ID, "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, "Has a link worker since") || strings.Contains(page, worker.Name) {
			t.Fatalf("the referrer's page (%d) does not say the person has a link worker, or names them", status)
		}
		status, body := f.api(linkwork.RoleReferrer, "GET", "/api/v1/referrals/"+ref.ID, "")
		if status != http.StatusOK || !strings.Contains(body, `"case_allocated_at"`) || strings.Contains(body, worker.Name) {
			t.Fatalf("the referrer's API answer (%d): %s", status, body)
		}
		_, page, _ = f.do(referrer, "GET", "/notifications", "", "", nil)
		if !strings.Contains(page, "Link worker allocated: Rhea") {
			t.Fatal("the referrer's messages do not say a link worker was allocated")
		}
	})
}

// TestALargeTeamIsChosenFromOnTheCase: with more link workers than a
// waiting list's row offers, each row leads to its case's allocation
// form, which lists every worker, instead of repeating the whole team in
// every row; allocating there works as from the list.
func TestALargeTeamIsChosenFromOnTheCase(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		coord := f.clients[linkwork.RoleCoordinator]
		service := f.users[linkwork.RoleCoordinator].OrgID
		l := sqlstore.NewLoader(context.Background(), db)
		var last *linkwork.User
		for i := range 31 {
			last = &linkwork.User{ID: uuid.NewString(), OrgID: service, Email: fmt.Sprintf("team%02d@millbrook.test", i), Name: fmt.Sprintf("Team Member %02d", i), Role: linkwork.RoleLinkWorker}
			if err := l.User(last, "a long enough password"); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Close("test"); err != nil {
			t.Fatal(err)
		}
		status, page, _ := f.do(coord, "GET", "/waiting-list", "", "", nil)
		if status != http.StatusOK || strings.Contains(page, `data-testid="allocate-row"`) || strings.Contains(page, last.Name) {
			t.Fatalf("the waiting list (%d) still offers every worker in its rows", status)
		}
		list, err := f.services.Triage.WaitingList(linkwork.NewContext(t.Context(), f.users[linkwork.RoleCoordinator].Actor()), 0, 1)
		if err != nil || len(list.Entries) == 0 {
			t.Fatalf("waiting list: %v", err)
		}
		c := list.Entries[0].Case
		link := `href="/cases/` + c.ID + `#allocation" data-testid="allocate-on-case"`
		if !strings.Contains(page, link) {
			t.Fatalf("the row of %s does not lead to its case's allocation form", c.PersonName)
		}
		status, page, _ = f.do(coord, "GET", "/cases/"+c.ID, "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, `id="allocation"`) || !strings.Contains(page, `data-testid="allocate-form"`) || !strings.Contains(page, last.Name) {
			t.Fatalf("the case page (%d) has no allocation form listing the whole team", status)
		}
		status, _, h := f.do(coord, "POST", "/cases/"+c.ID+"/allocate", "application/x-www-form-urlencoded", url.Values{"version": {fmt.Sprint(c.Version)}, "link_worker_id": {last.ID}}.Encode(), nil)
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/cases/"+c.ID+"?done=allocated") {
			t.Fatalf("allocate: %d to %s", status, h.Get("Location"))
		}
	})
}
