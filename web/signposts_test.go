package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestCasePageGivesTheDetailsAndAsksWhetherTheyWent signposts a person
// from the case page: the details are sent or printed, the history says
// so, and once the service's days have passed the page asks whether they
// went.
func TestCasePageGivesTheDetailsAndAsksWhetherTheyWent(t *testing.T) {
	// The store's clock starts where the details were given long ago,
	// then comes back to today.
	var ago atomic.Int64
	now := func() time.Time { return time.Now().Add(-time.Duration(ago.Load())) }
	sqltest.EachWith(t, func() sqlstore.Options { return sqlstore.Options{Now: now} }, func(t *testing.T, db *sqlstore.DB) {
		ago.Store(0)
		f := newFixture(t, db)
		id := f.activeCase(t)
		asset := communityListing(t, f)
		c := f.clients[linkwork.RoleLinkWorker]
		lwctx := linkwork.NewContext(context.Background(), f.users[linkwork.RoleLinkWorker].Actor())
		n := &linkwork.Connection{CaseID: id, AssetID: asset, Level: linkwork.LevelSignpost}
		if err := f.services.Connections.CreateConnection(lwctx, n); err != nil {
			t.Fatal(err)
		}
		page := func() string {
			t.Helper()
			status, body, _ := f.do(c, "GET", "/cases/"+id, "", "", nil)
			if status != http.StatusOK {
				t.Fatalf("case page: %d", status)
			}
			return body
		}
		if body := page(); !strings.Contains(body, `data-testid="details-print"`) || strings.Contains(body, `data-testid="follow-through"`) {
			t.Fatalf("the case page does not offer the details, or asks about a shortlisted activity")
		}
		details := "/cases/" + id + "/connections/" + n.ID + "/details"
		status, body, _ := f.do(c, "GET", details, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="activity-details"`) || !strings.Contains(body, "I have given them these details") {
			t.Fatalf("the printable details: %d", status)
		}
		if status, _, _ := f.do(f.clients[linkwork.RoleReferrer], "GET", details, "", "", nil); status != http.StatusNotFound && status != http.StatusForbidden {
			t.Fatalf("a referrer reads the details: %d", status)
		}
		post := func(form url.Values) (int, string, http.Header) {
			t.Helper()
			return f.do(c, "POST", details, "application/x-www-form-urlencoded", form.Encode(), nil)
		}
		if status, body, _ := post(url.Values{"way": {"fax"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#details-`+n.ID+`"`) {
			t.Fatalf("an unknown way: %d", status)
		}
		ago.Store(int64(time.Duration(linkwork.DefaultSignpostCheckDays+1) * 24 * time.Hour))
		for _, way := range []string{"sent", "handed"} {
			if status, _, hdr := post(url.Values{"way": {way}}); status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=details-") {
				t.Fatalf("%s: %d", way, status)
			}
		}
		ago.Store(0)
		body = page()
		for _, want := range []string{"details sent to them", "details given to them in person", `data-testid="follow-through"`, "Ask whether they went, and record it below"} {
			if !strings.Contains(body, want) {
				t.Fatalf("the case page does not show %q once the days have passed", want)
			}
		}
		if _, err := f.services.Connections.MoveConnection(lwctx, n.ID, linkwork.ConnectionMove{To: linkwork.ConnAttended, Version: n.Version}); err != nil {
			t.Fatal(err)
		}
		if body := page(); strings.Contains(body, `data-testid="follow-through"`) {
			t.Fatalf("the case page still asks after they went")
		}
		fresh := &linkwork.Connection{CaseID: id, AssetID: asset, Level: linkwork.LevelSignpost}
		if err := f.services.Connections.CreateConnection(lwctx, fresh); err != nil {
			t.Fatal(err)
		}
		if _, err := f.services.Signposts.GiveDetails(lwctx, fresh.ID, &linkwork.ConnectionDetails{Way: linkwork.DetailsHanded}); err != nil {
			t.Fatal(err)
		}
		if body := page(); !strings.Contains(body, "ask at your next contact whether they went") || strings.Contains(body, "Ask whether they went, and record it below") {
			t.Fatalf("details given today: the case page should say to ask at the next contact, not yet warn")
		}
	})
}

// TestActivityDetailsThroughTheAPI reads and gives an activity's details
// through the API; every answer as documented.
func TestActivityDetailsThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		id := f.activeCase(t)
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
		c := must(apiCase{role: lw, method: "POST", path: "/api/v1/cases/" + id + "/connections", body: fmt.Sprintf(`{"asset_id": %q, "level": "signpost"}`, asset)}, http.StatusCreated).v
		path := "/api/v1/connections/" + c["id"].(string) + "/details"
		got := must(apiCase{role: lw, method: "GET", path: path}, http.StatusOK).v
		if !strings.HasPrefix(got["subject"].(string), "Details of ") || got["body"] == "" {
			t.Fatalf("details %v", got)
		}
		must(apiCase{role: linkwork.RoleCommunity, method: "GET", path: path}, http.StatusForbidden)
		must(apiCase{role: lw, method: "POST", path: path, body: `{"way": "fax"}`, field: "way"}, http.StatusUnprocessableEntity)
		sent := must(apiCase{role: lw, method: "POST", path: path, body: `{"way": "sent"}`}, http.StatusCreated).v
		if m, ok := sent["message"].(map[string]any); !ok || m["kind"] != "activity" {
			t.Fatalf("sent without a message: %v", sent)
		}
		handed := must(apiCase{role: lw, method: "POST", path: path, body: `{"way": "handed"}`}, http.StatusCreated).v
		if _, ok := handed["message"]; ok || handed["way"] != "handed" {
			t.Fatalf("handed %v", handed)
		}
	})
}
