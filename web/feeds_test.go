package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// publisher is a neighbour's ORUK feed on a local server: services at
// a place, each named by id, as a JSON array.
type publisher struct {
	*httptest.Server
	mu   sync.Mutex
	docs map[string]string
}

func newPublisher(t *testing.T) *publisher {
	p := &publisher{docs: map[string]string{}}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		defer p.mu.Unlock()
		var parts []string
		for _, id := range []string{"svc-1", "svc-2", "svc-3"} {
			if d, ok := p.docs[id]; ok {
				parts = append(parts, d)
			}
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, "["+strings.Join(parts, ",")+"]")
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *publisher) put(id, name, description string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.docs[id] = fmt.Sprintf(`{"id": %q, "name": %q, "description": %q, "status": "active",
		"organization": {"id": "org-leeds", "name": "Leeds City Council"},
		"service_areas": [{"id": "area-%s", "name": "Leeds"}]}`, id, name, description, id)
}

// TestFeedsThroughTheAPI registers a feed over the API, harvests it,
// corrects a listing here, harvests the feed's change to it, and decides
// the conflict: bad input names its field, and every answer is the
// documented shape.
func TestFeedsThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		co := linkwork.RoleCoordinator
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
		pub := newPublisher(t)
		pub.put("svc-1", "Riverside health walks", "Weekly walks")
		pub.put("svc-2", "Riverside knit and natter", "Knitting")
		feed := func(u string) string {
			return fmt.Sprintf(`{"name": "Leeds City Council", "url": %q, "every_hours": 24, "default_category": "social", "trust": "trusted"}`, u)
		}
		must(apiCase{role: co, method: "POST", path: "/api/v1/feeds", body: feed("file:///etc/passwd"), field: "url"}, http.StatusUnprocessableEntity)
		must(apiCase{role: co, method: "POST", path: "/api/v1/feeds", body: `{"name": "X", "url": "https://example.org", "every_hours": 0, "default_category": "social"}`, field: "every_hours"}, http.StatusUnprocessableEntity)
		must(apiCase{role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/feeds", body: feed(pub.URL)}, http.StatusForbidden)
		id := must(apiCase{role: co, method: "POST", path: "/api/v1/feeds", body: feed(pub.URL)}, http.StatusCreated).v["id"].(string)
		run := must(apiCase{role: co, method: "POST", path: "/api/v1/feeds/" + id + "/harvest"}, http.StatusOK).v
		if run["created"] != float64(2) || run["error"] != "" {
			t.Fatalf("the first harvest: %v", run)
		}
		// Correct the walks here, then the feed changes them too.
		ctx := linkwork.NewContext(context.Background(), f.users[co].Actor())
		srcs, err := f.services.Feeds.FeedSources(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		walks, err := f.services.Assets.FindAssetByID(ctx, srcs["svc-1"].AssetID)
		if err != nil {
			t.Fatal(err)
		}
		walks.Description = "Weekly walks from the library"
		if err := f.services.Assets.UpdateAsset(ctx, walks); err != nil {
			t.Fatal(err)
		}
		pub.put("svc-1", "Riverside health walks", "Walks on Tuesdays")
		run = must(apiCase{role: co, method: "POST", path: "/api/v1/feeds/" + id + "/harvest"}, http.StatusOK).v
		if run["conflicts"] != float64(1) || run["unchanged"] != float64(1) {
			t.Fatalf("the second harvest: %v", run)
		}
		list := must(apiCase{role: co, method: "GET", path: "/api/v1/feed-reviews"}, http.StatusOK).v
		items, _ := list["items"].([]any)
		if len(items) != 1 {
			t.Fatalf("reviews: %v", list)
		}
		rv := items[0].(map[string]any)
		theirs, ours := rv["theirs"].(map[string]any), rv["ours"].(map[string]any)
		if rv["kind"] != "conflict" || theirs["description"] != "Walks on Tuesdays" || ours["description"] != "Weekly walks from the library" {
			t.Fatalf("the conflict: %v", rv)
		}
		status, page, _ := f.do(f.clients[co], "GET", "/feed-reviews", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, "Walks on Tuesdays") || !strings.Contains(page, "Weekly walks from the library") {
			t.Errorf("the review page does not show both versions: %d", status)
		}
		must(apiCase{role: co, method: "POST", path: "/api/v1/feed-reviews/" + rv["id"].(string) + "/decision", body: `{"choice": "maybe"}`, field: "choice"}, http.StatusUnprocessableEntity)
		must(apiCase{role: co, method: "POST", path: "/api/v1/feed-reviews/" + rv["id"].(string) + "/decision", body: `{"choice": "ours"}`}, http.StatusNoContent)
		must(apiCase{role: co, method: "POST", path: "/api/v1/feed-reviews/" + rv["id"].(string) + "/decision", body: `{"choice": "ours"}`}, http.StatusNotFound)
		one := must(apiCase{role: co, method: "GET", path: "/api/v1/feeds/" + id}, http.StatusOK).v
		update := func(version float64, hours int) string {
			return fmt.Sprintf(`{"name": "Leeds City Council", "url": %q, "every_hours": %d, "default_category": "social", "trust": "needs_review", "version": %v}`, pub.URL, hours, version)
		}
		must(apiCase{role: co, method: "PUT", path: "/api/v1/feeds/" + id, body: update(one["version"].(float64), 0), field: "every_hours"}, http.StatusUnprocessableEntity)
		changed := must(apiCase{role: co, method: "PUT", path: "/api/v1/feeds/" + id, body: update(one["version"].(float64), 12)}, http.StatusOK).v
		if changed["every_hours"] != float64(12) || changed["trust"] != "needs_review" {
			t.Errorf("changed: %v", changed)
		}
		must(apiCase{role: co, method: "PUT", path: "/api/v1/feeds/" + id, body: update(one["version"].(float64), 6)}, http.StatusConflict)
		feeds := must(apiCase{role: co, method: "GET", path: "/api/v1/feeds"}, http.StatusOK).v
		if !listHas(feeds, id) {
			t.Errorf("the feed is not listed: %v", feeds)
		}
	})
}

// TestFeedPages walks the coordinator's pages: register a feed with the
// form (a bad address named), harvest it now, see its result and the
// listing's source, and see a failing feed's error.
func TestFeedPages(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		c := f.clients[linkwork.RoleCoordinator]
		pub := newPublisher(t)
		pub.put("svc-1", "Riverside health walks", "Weekly walks")
		post := func(path string, form url.Values) (int, string, http.Header) {
			return f.do(c, "POST", path, "application/x-www-form-urlencoded", form.Encode(), nil)
		}
		form := url.Values{"name": {"Leeds City Council"}, "url": {"ftp://example.org/feed"}, "every_hours": {"24"}, "default_category": {"social"}, "trust": {"trusted"},
			"term-0": {"WALK"}, "category-0": {"sports"}}
		status, body, _ := post("/feeds", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#url"`) || !strings.Contains(body, "must start https://") {
			t.Fatalf("a bad address: %d, the error summary does not link to the field", status)
		}
		form.Set("url", pub.URL)
		status, _, h := post("/feeds", form)
		if status != http.StatusSeeOther {
			t.Fatalf("register: %d", status)
		}
		id := strings.TrimPrefix(h.Get("Location"), "/feeds?done=added#feed-")
		if status, _, h := post("/feeds/"+id+"/harvest", nil); status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "done=harvested") {
			t.Fatalf("harvest now: %d %s", status, h.Get("Location"))
		}
		status, body, _ = f.do(c, "GET", "/feeds", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, "1 new, 0 updated") {
			t.Errorf("the feeds page does not show the last result: %d", status)
		}
		ctx := linkwork.NewContext(context.Background(), f.users[linkwork.RoleCoordinator].Actor())
		srcs, err := f.services.Feeds.FeedSources(ctx, id)
		if err != nil || srcs["svc-1"] == nil {
			t.Fatalf("sources: %v %v", srcs, err)
		}
		_, body, _ = f.do(nil, "GET", "/directory/"+srcs["svc-1"].AssetID, "", "", nil)
		if !strings.Contains(body, `data-testid="sources"`) || !strings.Contains(body, "feed, which last said so on") {
			t.Errorf("the listing page does not say where it came from")
		}
		pub.Close()
		post("/feeds/"+id+"/harvest", nil)
		_, body, _ = f.do(c, "GET", "/feeds", "", "", nil)
		if !strings.Contains(body, `data-testid="feed-error"`) {
			t.Errorf("the feeds page does not show the failing feed's error")
		}
		status, body, _ = f.do(c, "GET", "/feeds/"+id, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `value="WALK"`) {
			t.Errorf("the edit page: %d, without the feed's term", status)
		}
	})
}
