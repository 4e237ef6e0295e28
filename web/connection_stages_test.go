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

// TestConnectionStagesAndViewsThroughTheAPI phases a hand-over through its
// stages and records what the person thought, through the API; every
// answer as documented.
func TestConnectionStagesAndViewsThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		id := f.activeCase(t)
		f.agreeToShare(t, id)
		asset := communityListing(t, f)
		lw := linkwork.RoleLinkWorker
		must := func(ac apiCase, status int) apiAnswer {
			t.Helper()
			ans := a.send(t, ac)
			if ans.status != status {
				t.Fatalf("%s %s: %d %s, want %d", ac.method, ac.path, ans.status, ans.body, status)
			}
			if ac.field != "" && !errorNames(ans.v, ac.field) {
				t.Fatalf("%s %s: the error does not name %s: %s", ac.method, ac.path, ac.field, ans.body)
			}
			return ans
		}
		add := "/api/v1/cases/" + id + "/connections"
		buddy := must(apiCase{role: lw, method: "POST", path: add, body: fmt.Sprintf(`{"asset_id": %q, "level": "buddy"}`, asset)}, http.StatusCreated).v
		c := must(apiCase{role: lw, method: "POST", path: add, body: fmt.Sprintf(`{"asset_id": %q, "level": "phased"}`, asset)}, http.StatusCreated).v
		stages := "/api/v1/connections/" + c["id"].(string) + "/stages"
		must(apiCase{role: lw, method: "POST", path: "/api/v1/connections/" + buddy["id"].(string) + "/stages", body: `{"stage": "whole_session"}`, field: "stage"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: stages, body: `{"stage": "alone"}`, field: "stage"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: stages, body: `{"stage": "whole_session", "on": "yesterday"}`, field: "on"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: stages, body: `{"stage": "whole_session", "on": "2999-01-01"}`, field: "on"}, http.StatusUnprocessableEntity)
		must(apiCase{role: linkwork.RoleCommunity, method: "POST", path: stages, body: `{"stage": "whole_session"}`}, http.StatusForbidden)
		got := must(apiCase{role: lw, method: "POST", path: stages, body: `{"stage": "whole_session", "note": "Stayed throughout"}`}, http.StatusCreated).v
		if got["stage"] != "whole_session" || got["on"] == nil || got["note"] != "Stayed throughout" {
			t.Fatalf("stage %v", got)
		}
		must(apiCase{role: lw, method: "POST", path: stages, body: `{"stage": "whole_session"}`, field: "stage"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: stages, body: `{"stage": "at_the_door"}`}, http.StatusCreated)
		must(apiCase{role: lw, method: "POST", path: stages, body: `{"stage": "alone"}`}, http.StatusCreated)

		view := "/api/v1/connections/" + c["id"].(string) + "/view"
		must(apiCase{role: lw, method: "PUT", path: view, body: `{"view": "liked_it", "why": "Friendly"}`, field: "view"}, http.StatusUnprocessableEntity)
		moves := "/api/v1/connections/" + c["id"].(string) + "/moves"
		must(apiCase{role: lw, method: "POST", path: moves, body: `{"to": "attended", "version": 1}`}, http.StatusOK)
		must(apiCase{role: lw, method: "PUT", path: view, body: `{"view": "loved_it", "why": "Friendly"}`, field: "view"}, http.StatusUnprocessableEntity)
		must(apiCase{role: linkwork.RoleCommunity, method: "PUT", path: view, body: `{"view": "liked_it", "why": "Friendly"}`}, http.StatusForbidden)
		v := must(apiCase{role: lw, method: "PUT", path: view, body: `{"view": "liked_it", "why": "Friendly"}`}, http.StatusOK).v
		if v["view"] != "liked_it" || v["why"] != "Friendly" {
			t.Fatalf("view %v", v)
		}
	})
}

// TestCasePageRecordsStagesAndView records a phased hand-over's stages
// and the person's view from the case page's forms: a stage out of order
// is shown on the form that asked, and the stages show in the history.
func TestCasePageRecordsStagesAndView(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		id := f.activeCase(t)
		f.agreeToShare(t, id)
		asset := communityListing(t, f)
		c := f.clients[linkwork.RoleLinkWorker]
		post := func(path string, form url.Values) (int, string, http.Header) {
			t.Helper()
			return f.do(c, "POST", path, "application/x-www-form-urlencoded", form.Encode(), nil)
		}
		lwctx := linkwork.NewContext(context.Background(), f.users[linkwork.RoleLinkWorker].Actor())
		n := &linkwork.Connection{CaseID: id, AssetID: asset, Level: linkwork.LevelPhased}
		if err := f.services.Connections.CreateConnection(lwctx, n); err != nil {
			t.Fatal(err)
		}
		stages := "/cases/" + id + "/connections/" + n.ID + "/stages"
		if status, body, _ := post(stages, url.Values{"stage": {"alone"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#stage-`+n.ID+`"`) {
			t.Fatalf("a stage out of order: %d", status)
		}
		if status, body, _ := post(stages, url.Values{"stage": {"whole_session"}, "on-day": {"31"}, "on-month": {"2"}, "on-year": {"2026"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#on-`+n.ID+`"`) {
			t.Fatalf("a date that is not real: %d", status)
		}
		for _, s := range linkwork.HandOverStages {
			if status, _, hdr := post(stages, url.Values{"stage": {string(s)}}); status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=conn-stage") {
				t.Fatalf("%s: %d", s, status)
			}
		}
		view := "/cases/" + id + "/connections/" + n.ID + "/view"
		if status, body, _ := post(view, url.Values{"view": {"liked_it"}, "why": {"Kind coach"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#view-`+n.ID+`"`) {
			t.Fatalf("a view before they went: %d", status)
		}
		if _, err := f.services.Connections.MoveConnection(lwctx, n.ID, linkwork.ConnectionMove{To: linkwork.ConnAttended, Version: 1}); err != nil {
			t.Fatal(err)
		}
		if status, body, _ := post(view, url.Values{"view": {"liked_it"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#why-`+n.ID+`"`) {
			t.Fatalf("a view without why: %d", status)
		}
		if status, _, _ := post(view, url.Values{"view": {"liked_it"}, "why": {"The coach was kind"}}); status != http.StatusSeeOther {
			t.Fatalf("view: %d", status)
		}
		status, body, _ := f.do(c, "GET", "/cases/"+id, "", "", nil)
		for _, want := range []string{"Stayed the whole session", "Met them at the door", "They went alone", "Liked it: The coach was kind"} {
			if status != http.StatusOK || !strings.Contains(body, want) {
				t.Fatalf("the case page does not show %q: %d", want, status)
			}
		}
		if strings.Contains(body, `data-testid="stage-form"`) {
			t.Fatalf("a stage is offered after they go alone")
		}
		status, body, _ = f.do(f.clients[linkwork.RoleCommunity], "GET", "/connections", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="no-activity-views"`) || strings.Contains(body, "The coach was kind") {
			t.Fatalf("the organisation sees one person's view, or is not told why it sees none: %d", status)
		}
	})
}
