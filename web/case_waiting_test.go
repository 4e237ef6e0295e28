package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestWaitingWellCheckIns records check-ins through the pages and the
// API: a risk disclosed puts the person at the top of triage; someone who
// no longer wants support can have their case closed from the check-in.
func TestWaitingWellCheckIns(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		coord, lw := f.clients[linkwork.RoleCoordinator], f.clients[linkwork.RoleLinkWorker]
		list, err := f.services.Triage.WaitingList(linkwork.NewContext(t.Context(), f.users[linkwork.RoleCoordinator].Actor()), 0, 3)
		if err != nil || len(list.Entries) < 3 {
			t.Fatalf("the demo needs three people waiting: %v", err)
		}
		risky, declining, viaAPI := list.Entries[0].Case, list.Entries[1].Case, list.Entries[2].Case
		post := func(c *http.Client, path string, v url.Values) (int, string, http.Header) {
			return f.do(c, "POST", path, "application/x-www-form-urlencoded", v.Encode(), nil)
		}

		status, page, _ := f.do(lw, "GET", "/cases/"+risky.ID+"/waiting-check", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, "Are they safe right now?") {
			t.Fatalf("the check-in page for a link worker: %d", status)
		}
		status, page, _ = post(lw, "/cases/"+risky.ID+"/waiting-check", url.Values{"contacted": {"yes"}, "changed": {"Feeling worse"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#safe_now"`) || !strings.Contains(page, `href="#still_wants"`) || !strings.Contains(page, "Feeling worse") {
			t.Fatalf("a check-in without the safety answers: %d", status)
		}
		status, _, h := post(lw, "/cases/"+risky.ID+"/waiting-check", url.Values{"contacted": {"yes"}, "still_wants": {"yes"}, "safe_now": {"no"}, "harm_thoughts": {"no"}})
		if status != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "?done=flagged") {
			t.Fatalf("a check-in that is not safe now: %d to %s", status, h.Get("Location"))
		}
		status, page, _ = f.do(coord, "GET", "/triage", "", "", nil)
		top := strings.Index(page, `data-testid="flagged-waiting"`)
		if status != http.StatusOK || top < 0 || !strings.Contains(page[top:], risky.PersonName) || top > strings.Index(page, `data-testid="result-count"`) {
			t.Fatalf("/triage (%d) does not show %s flagged while waiting at the top", status, risky.PersonName)
		}

		status, _, h = post(coord, "/cases/"+declining.ID+"/waiting-check", url.Values{"contacted": {"yes"}, "still_wants": {"no"}, "safe_now": {"yes"}, "harm_thoughts": {"no"}, "changed": {"Found a counsellor"}})
		if status != http.StatusSeeOther || !strings.HasSuffix(h.Get("Location"), "?done=declined") {
			t.Fatalf("a check-in that no longer wants support: %d to %s", status, h.Get("Location"))
		}
		status, page, _ = f.do(coord, "GET", h.Get("Location"), "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, `data-testid="close-declined"`) || !strings.Contains(page, "Found a counsellor") {
			t.Fatalf("the coordinator is not offered to close the case: %d", status)
		}
		status, _, h = post(coord, "/cases/"+declining.ID+"/waiting-check/close", url.Values{"version": {fmt.Sprint(declining.Version)}})
		if status != http.StatusSeeOther || !strings.Contains(h.Get("Location"), "done=closed-declined") {
			t.Fatalf("close: %d to %s", status, h.Get("Location"))
		}
		closed, err := f.services.Cases.FindCaseByID(linkwork.NewContext(t.Context(), f.users[linkwork.RoleCoordinator].Actor()), declining.ID)
		if err != nil || closed.Status != linkwork.CaseClosed || closed.ClosureReason != linkwork.ClosedDeclined {
			t.Fatalf("the case after closing: %+v, %v", closed, err)
		}

		path := "/api/v1/cases/" + viaAPI.ID + "/waiting-checks"
		a.runTable(t, http.StatusUnprocessableEntity, []apiCase{
			{name: "reached without the safety questions", role: linkwork.RoleLinkWorker, method: "POST", path: path, body: `{"contacted": true, "still_wants": "yes"}`, field: "safe_now"},
			{name: "an answer that is not one", role: linkwork.RoleLinkWorker, method: "POST", path: path, body: `{"contacted": false, "safe_now": "maybe"}`, field: "safe_now"},
		})
		a.runTable(t, http.StatusForbidden, []apiCase{
			{name: "the safeguarding lead", role: linkwork.RoleSafeguarding, method: "POST", path: path, body: `{"contacted": false}`},
		})
		a.runTable(t, http.StatusCreated, []apiCase{
			{name: "a check-in with a risk phrase", role: linkwork.RoleLinkWorker, method: "POST", path: path,
				body: `{"contacted": true, "still_wants": "not_sure", "safe_now": "yes", "harm_thoughts": "no", "changed": "Says he wants to end it all"}`,
				check: func(t *testing.T, v map[string]any) {
					if fl := v["flagged"].([]any); len(fl) != 1 {
						t.Errorf("flagged = %v", fl)
					}
				}},
		})
		a.runTable(t, http.StatusOK, []apiCase{
			{name: "the check-ins", role: linkwork.RoleCoordinator, method: "GET", path: path, check: func(t *testing.T, v map[string]any) {
				if items := listItems(v); len(items) != 1 || items[0]["changed"] != "Says he wants to end it all" {
					t.Errorf("check-ins = %v", items)
				}
			}},
		})
	})
}
