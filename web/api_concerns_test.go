package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestConcernsAPI raises a concern on a case, records what was done and
// closes it, and makes a safety plan, through the API, each answer
// checked against the OpenAPI document.
func TestConcernsAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		lw, coord, lead := linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding
		load, err := f.services.Allocation.Caseload(linkwork.NewContext(context.Background(), f.users[lw].Actor()), linkwork.CaseloadQuery{})
		if err != nil || len(load) == 0 {
			t.Fatalf("the demo link worker has no caseload: %v", err)
		}
		k := load[0].Case
		raise := `{"category": "self_harm", "description": "Said “I don't see the point any more”.", "immediate_action": "Stayed with them; called the lead.", "safe_now": "not_sure"}`
		today := linkwork.DateOf(f.cfg.Now).String()

		a.runTable(t, http.StatusUnprocessableEntity, []apiCase{
			{name: "a concern with no category", role: lw, method: "POST", path: "/api/v1/cases/" + k.ID + "/concerns", body: `{"description": "x", "immediate_action": "y", "safe_now": "yes"}`, field: "category"},
			{name: "a concern not saying whether they are safe", role: lw, method: "POST", path: "/api/v1/cases/" + k.ID + "/concerns", body: `{"category": "other", "description": "x", "immediate_action": "y", "safe_now": "maybe"}`, field: "safe_now"},
			{name: "a concern with nothing seen or heard", role: lw, method: "POST", path: "/api/v1/cases/" + k.ID + "/concerns", body: `{"category": "other", "description": " ", "immediate_action": "y", "safe_now": "yes"}`, field: "description"},
			{name: "a list of concerns in no known status", role: lead, method: "GET", path: "/api/v1/concerns?status=pending", field: "status"},
			{name: "a safety plan with no crisis numbers", role: lw, method: "PUT", path: "/api/v1/cases/" + k.ID + "/safety-plan", body: `{"what_helps": "Music", "crisis_numbers": "", "version": 0}`, field: "crisis_numbers"},
		})
		a.runTable(t, http.StatusNotFound, []apiCase{
			{name: "a concern on a case that does not exist", role: lw, method: "POST", path: "/api/v1/cases/no-such-case/concerns", body: raise},
			{name: "a concern that does not exist", role: lead, method: "GET", path: "/api/v1/concerns/no-such-concern"},
		})

		made := a.send(t, apiCase{role: lw, method: "POST", path: "/api/v1/cases/" + k.ID + "/concerns", body: raise})
		if made.status != http.StatusCreated || made.v["status"] != "open" || made.v["case_id"] != k.ID {
			t.Fatalf("raise: %d %s", made.status, made.body)
		}
		id := made.v["id"].(string)
		t.Run("the lead finds it first in their list", func(t *testing.T) {
			items := listItems(a.send(t, apiCase{role: lead, method: "GET", path: "/api/v1/concerns?status=open"}).v)
			if len(items) == 0 || items[0]["id"] != id {
				t.Fatalf("open concerns: %v", items)
			}
		})
		t.Run("the lead records a referral to CAMHS crisis and a coordinator tells the GP", func(t *testing.T) {
			act := a.send(t, apiCase{role: lead, method: "POST", path: "/api/v1/concerns/" + id + "/actions", body: fmt.Sprintf(`{"action": "camhs_crisis", "on": %q, "note": "Crisis team seeing them tonight"}`, today)})
			if act.status != http.StatusCreated || act.v["action"] != "camhs_crisis" {
				t.Fatalf("action: %d %s", act.status, act.body)
			}
			if got := a.send(t, apiCase{role: coord, method: "POST", path: "/api/v1/concerns/" + id + "/actions", body: fmt.Sprintf(`{"action": "gp", "on": %q}`, today)}); got.status != http.StatusCreated {
				t.Fatalf("coordinator's action: %d %s", got.status, got.body)
			}
		})
		a.runTable(t, http.StatusUnprocessableEntity, []apiCase{
			{name: "no further action without a reason", role: lead, method: "POST", path: "/api/v1/concerns/" + id + "/actions", body: fmt.Sprintf(`{"action": "no_further_action", "on": %q}`, today), field: "reason"},
			{name: "an action on a day that is not a date", role: lead, method: "POST", path: "/api/v1/concerns/" + id + "/actions", body: `{"action": "advice", "on": "yesterday"}`, field: "on"},
			{name: "closing with no outcome", role: lead, method: "POST", path: "/api/v1/concerns/" + id + "/close", body: `{"version": 3, "outcome": ""}`, field: "outcome"},
		})
		a.runTable(t, http.StatusConflict, []apiCase{
			{name: "closing a version already changed", role: lead, method: "POST", path: "/api/v1/concerns/" + id + "/close", body: `{"version": 1, "outcome": "Safe"}`},
		})
		t.Run("the lead closes it", func(t *testing.T) {
			got := a.send(t, apiCase{role: lead, method: "POST", path: "/api/v1/concerns/" + id + "/close", body: `{"version": 3, "outcome": "The crisis team are supporting them; the link worker carries on."}`})
			if got.status != http.StatusOK || got.v["status"] != "closed" || len(got.v["actions"].([]any)) != 2 {
				t.Fatalf("close: %d %s", got.status, got.body)
			}
		})
		t.Run("the link worker makes a safety plan and reads it back", func(t *testing.T) {
			fresh := a.send(t, apiCase{role: lw, method: "GET", path: "/api/v1/cases/" + k.ID + "/safety-plan"})
			if fresh.v["recorded"] != false || !strings.Contains(fresh.v["crisis_numbers"].(string), "116 123") {
				t.Fatalf("a new plan: %s", fresh.body)
			}
			saved := a.send(t, apiCase{role: lw, method: "PUT", path: "/api/v1/cases/" + k.ID + "/safety-plan",
				body: `{"warning_signs": "Not sleeping", "what_helps": "Music", "who_to_contact": "My aunt", "crisis_numbers": "Samaritans 116 123", "version": 0}`})
			if saved.status != http.StatusOK || saved.v["version"] != float64(1) {
				t.Fatalf("save: %d %s", saved.status, saved.body)
			}
			if again := a.send(t, apiCase{role: coord, method: "PUT", path: "/api/v1/cases/" + k.ID + "/safety-plan", body: `{"what_helps": "Music", "crisis_numbers": "999", "version": 0}`}); again.status != http.StatusConflict {
				t.Fatalf("a second first plan: %d %s", again.status, again.body)
			}
			if read := a.send(t, apiCase{role: lead, method: "GET", path: "/api/v1/cases/" + k.ID + "/safety-plan"}); read.v["what_helps"] != "Music" {
				t.Fatalf("the lead reads: %s", read.body)
			}
		})
	})
}
