package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestCaseworkSettings sets the service's casework targets on the
// settings page and through the API, with an error for each bad field.
func TestCaseworkSettings(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		coord := f.clients[linkwork.RoleCoordinator]
		service := f.users[linkwork.RoleCoordinator].OrgID
		_, page, _ := f.do(coord, "GET", "/admin/service", "", "", nil)
		if !strings.Contains(page, `name="caseload_limit"`) || !strings.Contains(page, `name="review_sessions"`) {
			t.Fatal("the settings page has no casework fields")
		}
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
		fields := url.Values{"version": {version}, "red": {"Danger now"}, "amber": {"Talk first"}, "green": {"Lonely"}, "crisis_advice": {"Ring 999."}}
		for _, tt := range []struct{ field, bad string }{
			{"caseload_limit", "201"}, {"caseload_limit", "many"}, {"first_contact_days", "91"}, {"quiet_weeks", "-1"},
			{"review_sessions", "6, 3"}, {"review_sessions", "three"}, {"max_goals", "11"}, {"follow_up_weeks", "200"},
		} {
			v := url.Values{}
			for k, x := range fields {
				v[k] = x
			}
			v.Set(tt.field, tt.bad)
			status, body, _ := f.do(coord, "POST", "/admin/service", "application/x-www-form-urlencoded", v.Encode(), nil)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#`+tt.field+`"`) || !strings.Contains(body, `value="`+tt.bad+`"`) {
				t.Errorf("%s %q: status %d; want 422 naming the field and keeping what was typed", tt.field, tt.bad, status)
			}
		}
		fields.Set("caseload_limit", "12")
		fields.Set("review_sessions", "2, 4, 8")
		if status, _, _ := f.do(coord, "POST", "/admin/service", "application/x-www-form-urlencoded", fields.Encode(), nil); status != http.StatusSeeOther {
			t.Fatalf("saving: status %d", status)
		}
		st, err := f.services.Triage.ServiceSettings(context.Background(), service)
		if err != nil || st.Casework.Limit() != 12 || !slices.Equal(st.Casework.Reviews(), []int{2, 4, 8}) || st.Casework.FirstContactDays != 0 {
			t.Fatalf("saved %+v (%v)", st.Casework, err)
		}

		// The API shows the values in force, keeps them when left out, and
		// changes them when sent.
		a := &apiTester{f: f, doc: doc}
		got := a.send(t, apiCase{method: "GET", path: "/api/v1/services/" + service})
		cw := got.v["casework"].(map[string]any)
		if cw["caseload_limit"] != float64(12) || cw["first_contact_days"] != float64(linkwork.DefaultFirstContactDays) {
			t.Fatalf("casework = %v", cw)
		}
		body := map[string]any{"version": got.v["version"], "min_age": 0, "max_age": 0, "areas": []string{}, "pathways": []string{}, "practice_ids": []string{},
			"red": []string{"Danger now"}, "amber": []string{"Talk first"}, "green": []string{"Lonely"}, "crisis_advice": "Ring 999.", "contact": ""}
		put := func(b map[string]any) apiAnswer {
			raw, _ := json.Marshal(b)
			return a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "PUT", path: "/api/v1/services/" + service, body: string(raw)})
		}
		ans := put(body)
		if ans.status != http.StatusOK || ans.v["casework"].(map[string]any)["caseload_limit"] != float64(12) {
			t.Fatalf("PUT without casework: %d %s", ans.status, ans.body)
		}
		body["version"] = ans.v["version"]
		body["casework"] = map[string]any{"caseload_limit": 500}
		if ans := put(body); ans.status != http.StatusUnprocessableEntity || !slices.Contains(apiErrorFields(ans.v), "caseload_limit") {
			t.Fatalf("PUT a limit of 500: %d %s", ans.status, ans.body)
		}
		body["casework"] = map[string]any{"caseload_limit": 20, "review_sessions": []int{4}}
		ans = put(body)
		if cw := ans.v["casework"].(map[string]any); ans.status != http.StatusOK || cw["caseload_limit"] != float64(20) || len(cw["review_sessions"].([]any)) != 1 {
			t.Fatalf("PUT casework: %d %s", ans.status, ans.body)
		}
	})
}
