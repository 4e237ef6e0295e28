package web_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestARiskDisclosedThroughTheAPIIsReviewedToday sends a self-referral
// with a risk phrase through the public API and follows it: first in the
// coordinator's queue with its flag, a message to the safeguarding lead,
// no decision until the flag is decided, and the decision shown.
func TestARiskDisclosedThroughTheAPIIsReviewedToday(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		w := discoverAPIWorld(t, a)

		// The demo city has its own possible risks waiting: the
		// safeguarding lead clears them first, through the API.
		for range 100 {
			q := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/triage?limit=1"})
			items := listItems(q.v)
			if len(items) == 0 || jsonStr(items[0], "risk_flag.state") != "review_today" {
				break
			}
			got := a.send(t, apiCase{role: linkwork.RoleSafeguarding, method: "POST", path: "/api/v1/referrals/" + jsonStr(items[0], "id") + "/risk-review",
				body: fmt.Sprintf(`{"version": %v, "outcome": "acted_on", "note": "Phoned them the same day."}`, items[0]["version"])})
			if got.status != http.StatusOK || jsonStr(got.v, "risk_flag.state") != "acted_on" {
				t.Fatalf("clear the demo's risks: %d %s", got.status, got.body)
			}
		}

		sent := a.send(t, apiCase{method: "POST", path: "/api/v1/public/referrals",
			body: publicBody(w.service, "self", map[string]any{"family_name": "Riskapi"}, map[string]any{"reasons": "I've been thinking about ending my life and I've hurt myself this week"})})
		if sent.status != http.StatusCreated {
			t.Fatalf("send: %d %s", sent.status, sent.body)
		}
		if sent.v["read_today"] != true || strings.Contains(jsonStr(sent.v, "what_next"), "working days") || !strings.Contains(jsonStr(sent.v, "what_next"), "today") {
			t.Fatalf("the sender is told %v", sent.v)
		}

		var ref map[string]any
		t.Run("first in the coordinator's queue, with its flag", func(t *testing.T) {
			for _, view := range []string{"queue", "meeting"} {
				q := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/triage?limit=5&view=" + view})
				items := listItems(q.v)
				if len(items) == 0 || jsonStr(items[0], "reference") != jsonStr(sent.v, "reference") {
					t.Fatalf("%s: first is %v", view, items)
				}
				ref = items[0]
				if jsonStr(ref, "risk_flag.state") != "review_today" {
					t.Fatalf("flag %v", ref["risk_flag"])
				}
				matched := ref["risk_flag"].(map[string]any)["matched"].([]any)
				var words []string
				for _, m := range matched {
					words = append(words, m.(map[string]any)["text"].(string))
				}
				if strings.Join(words, "|") != "ending my life|hurt myself" {
					t.Fatalf("matched %v", words)
				}
			}
		})
		t.Run("the safeguarding lead has a message", func(t *testing.T) {
			n := a.send(t, apiCase{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/notifications?unread=true"})
			found := false
			for _, x := range listItems(n.v) {
				found = found || (x["kind"] == "risk_flagged" && x["referral_id"] == ref["id"])
			}
			if !found {
				t.Fatalf("no risk message: %s", n.body)
			}
		})
		path := "/api/v1/referrals/" + jsonStr(ref, "id")
		t.Run("no decision while the flag waits", func(t *testing.T) {
			a.runTable(t, http.StatusUnprocessableEntity, []apiCase{
				{name: "accept", role: linkwork.RoleCoordinator, method: "POST", path: path + "/decision", body: fmt.Sprintf(`{"version": %v, "to": "accepted"}`, ref["version"]), field: "risk_outcome"},
				{name: "no note", role: linkwork.RoleLinkWorker, method: "POST", path: path + "/risk-review", body: fmt.Sprintf(`{"version": %v, "outcome": "not_a_risk", "note": ""}`, ref["version"]), field: "note"},
				{name: "no outcome", role: linkwork.RoleLinkWorker, method: "POST", path: path + "/risk-review", body: fmt.Sprintf(`{"version": %v, "outcome": "", "note": "x"}`, ref["version"]), field: "outcome"},
				{name: "no version", role: linkwork.RoleLinkWorker, method: "POST", path: path + "/risk-review", body: `{"outcome": "acted_on", "note": "x"}`, field: "version"},
			})
			a.runTable(t, http.StatusForbidden, []apiCase{
				{role: linkwork.RoleReferrer, method: "POST", path: path + "/risk-review", body: fmt.Sprintf(`{"version": %v, "outcome": "acted_on", "note": "x"}`, ref["version"])},
			})
		})
		t.Run("the decision is recorded and shown", func(t *testing.T) {
			got := a.send(t, apiCase{role: linkwork.RoleLinkWorker, method: "POST", path: path + "/risk-review",
				body: fmt.Sprintf(`{"version": %v, "outcome": "acted_on", "note": "Rang within the hour; safety plan agreed."}`, ref["version"])})
			if got.status != http.StatusOK || jsonStr(got.v, "risk_flag.state") != "acted_on" || jsonStr(got.v, "risk_flag.note") == "" || jsonStr(got.v, "risk_flag.decided_by") != f.users[linkwork.RoleLinkWorker].ID {
				t.Fatalf("%d %s", got.status, got.body)
			}
			stale := a.send(t, apiCase{role: linkwork.RoleLinkWorker, method: "POST", path: path + "/risk-review",
				body: fmt.Sprintf(`{"version": %v, "outcome": "not_a_risk", "note": "x"}`, ref["version"])})
			if stale.status != http.StatusConflict {
				t.Fatalf("a decision on an old version: %d", stale.status)
			}
		})
	})
}
