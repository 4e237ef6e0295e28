package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// publicBody is a referral from the public API.
func publicBody(service, pathway string, person map[string]any, extra map[string]any) string {
	p := map[string]any{"given_name": "Noor", "family_name": "Publicform", "date_of_birth": time.Now().AddDate(-15, -2, 0).Format(time.DateOnly), "phone": "07700 900222", "contact": map[string]any{"channels": []string{"text"}}}
	for k, v := range person {
		if v == nil {
			delete(p, k)
		} else {
			p[k] = v
		}
	}
	b := map[string]any{"service_org_id": service, "pathway": pathway, "reasons": "Worried all the time about school.", "consent_referral": true,
		"safe_now": "yes", "harm_thoughts": "no", "person": p}
	for k, v := range extra {
		b[k] = v
	}
	out, _ := json.Marshal(b)
	return string(out)
}

// TestTriageAPI covers the triage endpoints, each answer checked against
// the OpenAPI document as TestAPI does.
func TestTriageAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		w := discoverAPIWorld(t, a)
		referrer := f.users[linkwork.RoleReferrer].ID
		open := map[any]bool{"received": true, "triage": true, "deferred": true}
		version := func() int {
			ans := a.send(t, apiCase{method: "GET", path: "/api/v1/services/" + w.service})
			return int(ans.v["version"].(float64))
		}
		settings := func(v int, minAge, maxAge int) string {
			b, _ := json.Marshal(map[string]any{"version": v, "min_age": minAge, "max_age": maxAge, "areas": []string{"LS"}, "pathways": []string{}, "practice_ids": []string{},
				"red": []string{"In crisis now"}, "amber": []string{"Self-harm in the past"}, "green": []string{"Lonely"}, "crisis_advice": "Call 999 in an emergency.", "contact": "0113 496 0000"})
			return string(b)
		}

		// A 15-year-old's self-referral, for the age band filter.
		if ans := a.send(t, apiCase{method: "POST", path: "/api/v1/public/referrals", body: publicBody(w.service, "self", map[string]any{"family_name": "Agefilter"}, nil)}); ans.status != http.StatusCreated {
			t.Fatalf("seed a self-referral: %d %s", ans.status, ans.body)
		}
		t.Run("200", func(t *testing.T) {
			a.runTable(t, http.StatusOK, []apiCase{
				{method: "GET", path: "/api/v1/services", check: eachItem("a service with its criteria", func(s map[string]any) bool {
					return s["service_org_id"] != "" && len(s["red"].([]any)) > 0 && s["crisis_advice"] != ""
				})},
				{method: "GET", path: "/api/v1/services/" + w.service, check: wantJSON(map[string]any{"service_org_id": w.service, "min_age": 11})},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/triage", check: checkAll(wantPage(0, 50), eachItem("awaiting a decision", func(r map[string]any) bool { return open[r["status"]] }))},
				{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/triage?pathway=self&age_band=13-15&limit=5",
					check: checkAll(wantPage(0, 5), eachItem("a self-referral", func(r map[string]any) bool { return r["pathway"] == "self" && open[r["status"]] }))},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/triage?view=meeting",
					check: eachItem("for the team to discuss", func(r map[string]any) bool {
						return r["streetlight"] != "green" || r["returned_at"] != nil || r["status"] == "deferred" || jsonStr(r, "risk_flag.state") == "review_today"
					})},
				{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/waiting-list?limit=3", check: checkAll(wantPage(0, 3), hasKeys([]string{"allocated_per_week", "throughput_weeks"}, nil),
					func(t *testing.T, v map[string]any) {
						for i, e := range listItems(v) {
							if int(e["position"].(float64)) != i+1 {
								t.Errorf("entry %d has position %v", i, e["position"])
							}
						}
					})},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/caseloads", check: eachItem("a link worker's caseload", func(c map[string]any) bool { return c["user_id"] != "" })},
				{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/referrals?mine=true", check: eachItem("made by the referrer", func(r map[string]any) bool { return jsonStr(r, "referrer_user_id") == referrer })},
				{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/notifications?unread=true", check: hasKeys([]string{"items", "unread"}, nil)},
				{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/triage/return-deferrals", check: hasKeys([]string{"returned"}, nil)},
			})
		})
		t.Run("201", func(t *testing.T) {
			a.runTable(t, http.StatusCreated, []apiCase{
				{name: "a young person refers themself", method: "POST", path: "/api/v1/public/referrals", body: publicBody(w.service, "self", nil, nil),
					check: func(t *testing.T, v map[string]any) {
						if !regexp.MustCompile(`^LW-[0-9A-F]{8}$`).MatchString(jsonStr(v, "reference")) || v["status"] != "received" {
							t.Errorf("receipt %v", v)
						}
						if _, ok := v["person_id"]; ok {
							t.Error("the receipt gives away the person's record")
						}
					}},
				{name: "a mother refers her son", method: "POST", path: "/api/v1/public/referrals",
					body: publicBody(w.service, "family", map[string]any{"phone": nil}, map[string]any{"referrer_name": "Ann Publicform", "referrer_role": "mother", "referrer_contact": "07700 900333", "person_aware": true})},
			})
		})
		t.Run("422", func(t *testing.T) {
			a.runTable(t, http.StatusUnprocessableEntity, []apiCase{
				{name: "an empty body", method: "POST", path: "/api/v1/public/referrals", body: `{}`, field: "person"},
				{name: "a GP cannot use the public door", method: "POST", path: "/api/v1/public/referrals", body: publicBody(w.service, "gp", nil, nil), field: "pathway"},
				{name: "no date of birth", method: "POST", path: "/api/v1/public/referrals", body: publicBody(w.service, "self", map[string]any{"date_of_birth": nil}, nil), field: "person.date_of_birth"},
				{name: "no way to get in touch", method: "POST", path: "/api/v1/public/referrals", body: publicBody(w.service, "self", map[string]any{"phone": nil}, nil), field: "person.phone"},
				{name: "a family member without their name", method: "POST", path: "/api/v1/public/referrals", body: publicBody(w.service, "family", nil, nil), field: "referrer_name"},
				{name: "no agreement", method: "POST", path: "/api/v1/public/referrals", body: publicBody(w.service, "self", nil, map[string]any{"consent_referral": false}), field: "consent_referral"},
				{name: "not a service", method: "POST", path: "/api/v1/public/referrals", body: publicBody(w.gpPractice, "self", nil, nil), field: "service_org_id"},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/triage?view=bogus", field: "view"},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/triage?age_band=teens", field: "age_band"},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/triage?pathway=owl", field: "pathway"},
				{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/notifications?unread=maybe", field: "unread"},
				{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/referrals?mine=perhaps", field: "mine"},
				{name: "ages the wrong way round", role: linkwork.RoleCoordinator, method: "PUT", path: "/api/v1/services/" + w.service, body: settings(version(), 30, 20), field: "max_age"},
				{name: "a bad area", role: linkwork.RoleCoordinator, method: "PUT", path: "/api/v1/services/" + w.service, body: `{"version": 1, "areas": ["L$"], "red": ["a"], "amber": ["b"], "green": ["c"], "crisis_advice": "d"}`, field: "areas"},
				{name: "no version", role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals/" + w.otherReferral + "/duplicate", body: `{"same": true}`, field: "version"},
			})
		})
		t.Run("403", func(t *testing.T) {
			a.runTable(t, http.StatusForbidden, []apiCase{
				{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/triage"},
				{role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/waiting-list"},
				{role: linkwork.RoleCommissioner, method: "GET", path: "/api/v1/caseloads"},
				{role: linkwork.RoleLinkWorker, method: "PUT", path: "/api/v1/services/" + w.service, body: settings(1, 0, 0)},
				{role: linkwork.RoleSafeguarding, method: "POST", path: "/api/v1/triage/return-deferrals"},
			})
		})
		t.Run("404", func(t *testing.T) {
			a.runTable(t, http.StatusNotFound, []apiCase{
				{method: "GET", path: "/api/v1/services/" + missingID},
				{name: "an organisation that is not a service", method: "GET", path: "/api/v1/services/" + w.gpPractice},
				{role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/notifications/" + missingID + "/read"},
				{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals/" + missingID + "/duplicate", body: `{"version": 1, "same": false}`},
			})
		})
		t.Run("409 and a save", func(t *testing.T) {
			v := version()
			a.runTable(t, http.StatusOK, []apiCase{{name: "save at the version read", role: linkwork.RoleCoordinator, method: "PUT", path: "/api/v1/services/" + w.service, body: settings(v, 13, 25),
				check: wantJSON(map[string]any{"min_age": 13, "max_age": 25, "version": v + 1})}})
			a.runTable(t, http.StatusConflict, []apiCase{{name: "save over a newer version", role: linkwork.RoleCoordinator, method: "PUT", path: "/api/v1/services/" + w.service, body: settings(v, 13, 25)}})
		})
		t.Run("a message is read once, only by its recipient", func(t *testing.T) {
			ans := a.send(t, apiCase{role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/referrals", body: apiReferralBody(w.service, "gp", "referral", "Messaged", nil)})
			if ans.status != http.StatusCreated {
				t.Fatalf("refer: %d %s", ans.status, ans.body)
			}
			list := a.send(t, apiCase{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/notifications?unread=true"})
			var id string
			for _, n := range listItems(list.v) {
				if n["referral_id"] == ans.v["id"] && n["kind"] == "referral_received" {
					id = jsonStr(n, "id")
				}
			}
			if id == "" {
				t.Fatalf("no acknowledgement in the referrer's messages: %s", list.body)
			}
			if got := a.send(t, apiCase{role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/notifications/" + id + "/read"}); got.status != http.StatusNotFound {
				t.Errorf("someone else marked it read: %d", got.status)
			}
			if got := a.send(t, apiCase{role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/notifications/" + id + "/read"}); got.status != http.StatusNoContent {
				t.Errorf("the recipient marked it read: %d", got.status)
			}
			after := a.send(t, apiCase{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/notifications?unread=true"})
			for _, n := range listItems(after.v) {
				if n["id"] == id {
					t.Error("still unread")
				}
			}
		})
		t.Run("429 after too many public referrals, nothing stored over the limit", func(t *testing.T) {
			var last apiAnswer
			for i := 0; i < 12; i++ {
				last = a.send(t, apiCase{method: "POST", path: "/api/v1/public/referrals", body: publicBody(w.service, "self", map[string]any{"family_name": fmt.Sprintf("Flood%d", i)}, nil)})
				if last.status == http.StatusTooManyRequests {
					break
				}
			}
			if last.status != http.StatusTooManyRequests || jsonStr(last.v, "error.code") != "rate_limited" {
				t.Fatalf("never limited: %d %s", last.status, last.body)
			}
		})
	})
}
