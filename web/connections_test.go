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

// TestConnectionsThroughTheAPI adds an activity to a case and moves it
// on through the API: the link worker contacts the group, which declines
// with a reason; every answer as documented.
func TestConnectionsThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		id := f.activeCase(t)
		f.agreeToShare(t, id)
		asset := communityListing(t, f)
		lw, vcs := linkwork.RoleLinkWorker, linkwork.RoleCommunity
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
		must(apiCase{role: lw, method: "POST", path: add, body: fmt.Sprintf(`{"asset_id": %q, "level": "carry"}`, asset), field: "level"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: add, body: `{"asset_id": "nope", "level": "refer"}`, field: "asset_id"}, http.StatusUnprocessableEntity)
		must(apiCase{role: linkwork.RoleSafeguarding, method: "POST", path: add, body: fmt.Sprintf(`{"asset_id": %q, "level": "refer"}`, asset)}, http.StatusForbidden)
		c := must(apiCase{role: lw, method: "POST", path: add, body: fmt.Sprintf(`{"asset_id": %q, "level": "refer", "note": "Evenings suit"}`, asset)}, http.StatusCreated).v
		if c["status"] != "suggested" || c["level"] != "refer" {
			t.Fatalf("connection %v", c)
		}
		moves := "/api/v1/connections/" + c["id"].(string) + "/moves"
		must(apiCase{role: lw, method: "POST", path: moves, body: `{"to": "continuing", "version": 1}`, field: "to"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: moves, body: `{"to": "contacted", "version": 1, "reason": "full"}`, field: "reason"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: moves, body: `{"to": "contacted"}`, field: "version"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: moves, body: `{"to": "contacted", "version": 1}`}, http.StatusOK)
		must(apiCase{role: lw, method: "POST", path: moves, body: `{"to": "accepted", "version": 1}`}, http.StatusConflict)
		must(apiCase{role: vcs, method: "POST", path: moves, body: `{"to": "declined_by_asset", "version": 2}`, field: "reason"}, http.StatusUnprocessableEntity)
		got := must(apiCase{role: vcs, method: "POST", path: moves, body: `{"to": "declined_by_asset", "version": 2, "reason": "full", "note": "Try us in spring"}`}, http.StatusOK).v
		if got["status"] != "declined_by_asset" || got["note"] != nil {
			t.Fatalf("the group's answer %v", got)
		}
	})
}

// communityListing is the id of a listing run by the fixture's community
// organisation.
func communityListing(t *testing.T, f *fixture) string {
	t.Helper()
	co := linkwork.NewContext(context.Background(), f.users[linkwork.RoleCoordinator].Actor())
	theirs, _, err := f.services.Assets.FindAssets(co, linkwork.AssetFilter{OrgID: f.users[linkwork.RoleCommunity].OrgID, Limit: 1})
	if err != nil || len(theirs) == 0 {
		t.Fatalf("the community organisation has no listing: %v", err)
	}
	return theirs[0].Asset.ID
}

// TestCasePageConnectsAndMoves adds an activity from the case page's
// form, shows a missing reason on the form that asked, and shows each
// move dated in the history.
func TestCasePageConnectsAndMoves(t *testing.T) {
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
		if status, body, _ := post("/cases/"+id+"/connections", url.Values{"asset_id": {asset}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#level"`) {
			t.Fatalf("no level: %d", status)
		}
		if status, _, hdr := post("/cases/"+id+"/connections", url.Values{"asset_id": {asset}, "level": {"refer"}}); status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=connected") {
			t.Fatalf("connect: %d %v", status, hdr)
		}
		co := linkwork.NewContext(context.Background(), f.users[linkwork.RoleLinkWorker].Actor())
		list, _, err := f.services.Connections.FindConnections(co, linkwork.ConnectionFilter{CaseID: id})
		if err != nil || len(list) == 0 || list[0].AssetID != asset || list[0].Status != linkwork.ConnSuggested {
			t.Fatalf("the newest connection is not the one added: %v %v", list, err)
		}
		n := list[0]
		moves := "/cases/" + id + "/connections/" + n.ID + "/moves"
		if status, body, _ := post(moves, url.Values{"to": {"dropped"}, "version": {"1"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#drop_reason-`+n.ID+`"`) {
			t.Fatalf("a drop without a reason: %d", status)
		}
		if status, _, _ := post(moves, url.Values{"to": {"contacted"}, "version": {"1"}}); status != http.StatusSeeOther {
			t.Fatalf("contacted: %d", status)
		}
		status, body, _ := f.do(c, "GET", "/cases/"+id, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, ": Suggested") || !strings.Contains(body, ": Activity contacted") {
			t.Fatalf("the history is not shown: %d", status)
		}
	})
}

// TestSuggestionsForACase ranks activities for the case's person on the
// case page and through the API, each with its reasons, and adds one
// from the page.
func TestSuggestionsForACase(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		id := f.activeCase(t)
		ans := a.send(t, apiCase{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/cases/" + id + "/suggestions"})
		items, _ := ans.v["items"].([]any)
		if ans.status != http.StatusOK || len(items) == 0 {
			t.Fatalf("suggestions: %d %s", ans.status, ans.body)
		}
		first := items[0].(map[string]any)
		if reasons, _ := first["reasons"].([]any); len(reasons) == 0 {
			t.Fatalf("a suggestion without reasons: %v", first)
		}
		if ans := a.send(t, apiCase{role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/cases/" + id + "/suggestions"}); ans.status != http.StatusNotFound && ans.status != http.StatusForbidden {
			t.Fatalf("a community organisation reads suggestions: %d", ans.status)
		}

		c := f.clients[linkwork.RoleLinkWorker]
		status, body, _ := f.do(c, "GET", "/cases/"+id, "", "", nil)
		if status != http.StatusOK || strings.Contains(body, `data-testid="suggestions"`) || !strings.Contains(body, `data-testid="show-suggestions"`) {
			t.Fatalf("the case page ranks the directory before it is asked to, or offers no way to ask: %d", status)
		}
		status, body, _ = f.do(c, "GET", "/cases/"+id+"?suggest=1", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="suggestions"`) || !strings.Contains(body, `value="`+first["asset_id"].(string)+`"`) {
			t.Fatalf("the case page does not show the suggestions: %d", status)
		}
		form := url.Values{"asset_id": {first["asset_id"].(string)}, "level": {"signpost"}}
		if status, _, hdr := f.do(c, "POST", "/cases/"+id+"/connections", "application/x-www-form-urlencoded", form.Encode(), nil); status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=connected") {
			t.Fatalf("adding a suggestion: %d", status)
		}
	})
}
