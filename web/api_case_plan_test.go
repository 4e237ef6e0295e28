package web_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestThePlanThroughTheAPI follows a case's plan through the API alone:
// goals rated and re-rated, an action, a review, the ending, closing with
// consent, the message back on the referral, the follow-up and coming
// back; every answer as documented.
func TestThePlanThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		ctx := func(r linkwork.Role) context.Context {
			return linkwork.NewContext(context.Background(), f.users[r].Actor())
		}
		ref := &linkwork.Referral{ServiceOrgID: f.users[linkwork.RoleCoordinator].OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
			Reasons: "Lonely since leaving school", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
		person := &linkwork.Person{GivenName: "Alex", FamilyName: "Apiplan", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-17, 0, 0)), Postcode: "LS9 1AA",
			Phone: "07700 900321", Contact: linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelText}}}
		if err := f.services.Referrals.CreateReferral(ctx(linkwork.RoleReferrer), ref, person); err != nil {
			t.Fatal(err)
		}
		got, err := f.services.Referrals.DecideReferral(ctx(linkwork.RoleCoordinator), ref.ID, ref.Version,
			linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: f.users[linkwork.RoleLinkWorker].ID})
		if err != nil {
			t.Fatal(err)
		}
		c := "/api/v1/cases/" + got.CaseID
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
		version := func() float64 {
			return must(apiCase{role: lw, method: "GET", path: c}, http.StatusOK).v["version"].(float64)
		}

		t.Run("bad goals and ratings name their fields", func(t *testing.T) {
			must(apiCase{role: lw, method: "POST", path: c + "/goals", body: `{"text": " "}`, field: "text"}, http.StatusUnprocessableEntity)
			must(apiCase{role: lw, method: "POST", path: c + "/goals", body: `{"text": "x", "rating": 11}`, field: "rating"}, http.StatusUnprocessableEntity)
			must(apiCase{role: lw, method: "POST", path: c + "/goals", body: `{"text": "x", "importance": 9}`, field: "importance"}, http.StatusUnprocessableEntity)
			must(apiCase{role: lw, method: "POST", path: c + "/goals", body: `{"text": "x", "scale": "stars", "rating": 1}`, field: "scale"}, http.StatusUnprocessableEntity)
		})
		goal := must(apiCase{role: lw, method: "POST", path: c + "/goals", body: `{"text": "Join a running club", "importance": 3, "rating": 3, "scale": "emoji"}`}, http.StatusCreated).v
		gid := goal["id"].(string)
		must(apiCase{role: lw, method: "POST", path: "/api/v1/goals/" + gid + "/ratings", body: `{}`, field: "rating"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: "/api/v1/goals/" + gid + "/ratings", body: `{"rating": 6, "scale": "emoji"}`}, http.StatusCreated)
		must(apiCase{role: linkwork.RoleSafeguarding, method: "POST", path: "/api/v1/goals/" + gid + "/ratings", body: `{"rating": 6}`}, http.StatusForbidden)
		goals := listItems(must(apiCase{role: linkwork.RoleSafeguarding, method: "GET", path: c + "/goals"}, http.StatusOK).v)
		if len(goals) != 1 || len(goals[0]["ratings"].([]any)) != 2 {
			t.Fatalf("goals %v", goals)
		}

		act := must(apiCase{role: lw, method: "POST", path: c + "/actions", body: `{"who": "person", "what": "Go to the Tuesday taster", "due_on": "2030-01-31"}`}, http.StatusCreated).v
		must(apiCase{role: lw, method: "POST", path: c + "/actions", body: `{"who": "person", "what": "x", "due_on": "soon"}`, field: "due_on"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "PUT", path: "/api/v1/actions/" + act["id"].(string), body: `{"version": 1, "done": true}`}, http.StatusOK)
		must(apiCase{role: lw, method: "PUT", path: "/api/v1/actions/" + act["id"].(string), body: `{"version": 1, "done": false}`}, http.StatusConflict)

		must(apiCase{role: lw, method: "POST", path: c + "/reviews", body: `{"engaged": "no", "decision": "continue"}`, field: "why_not"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: c + "/reviews", body: fmt.Sprintf(`{"engaged": "partly", "why_not": "Exams", "decision": "continue", "ratings": [{"goal_id": %q, "rating": 8}]}`, gid)}, http.StatusCreated)
		if rs := listItems(must(apiCase{role: lw, method: "GET", path: c + "/reviews"}, http.StatusOK).v); len(rs) != 1 || rs[0]["engaged"] != "partly" {
			t.Fatalf("reviews %v", rs)
		}

		v := version()
		must(apiCase{role: lw, method: "POST", path: c + "/ending", body: fmt.Sprintf(`{"version": %v, "steps": "Fortnightly, then a call"}`, v+1)}, http.StatusConflict)
		ended := must(apiCase{role: lw, method: "POST", path: c + "/ending", body: fmt.Sprintf(`{"version": %v, "steps": "Fortnightly, then a call"}`, v)}, http.StatusOK).v
		if ended["status"] != "ending" || ended["ending_steps"] != "Fortnightly, then a call" {
			t.Fatalf("ending %v", ended)
		}
		sent := must(apiCase{role: lw, method: "POST", path: c + "/my-plan/send"}, http.StatusOK).v
		if sent["sent"] != true || sent["channel"] != "text" {
			t.Fatalf("send my plan %v", sent)
		}

		v = version()
		must(apiCase{role: lw, method: "POST", path: c + "/close", body: fmt.Sprintf(`{"version": %v, "reason": "connected"}`, v), field: "share_outcome"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: c + "/close", body: fmt.Sprintf(`{"version": %v, "reason": "onward", "share_outcome": true}`, v), field: "destination"}, http.StatusUnprocessableEntity)
		closed := must(apiCase{role: lw, method: "POST", path: c + "/close", body: fmt.Sprintf(`{"version": %v, "reason": "connected", "outcome_summary": "Runs with the club on Tuesdays", "share_outcome": true}`, v)}, http.StatusOK).v
		if closed["status"] != "closed" || closed["share_outcome"] != true || closed["follow_up_on"] == nil {
			t.Fatalf("closed %v", closed)
		}

		t.Run("the referrer reads the message back on the referral", func(t *testing.T) {
			r := must(apiCase{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/referrals/" + ref.ID}, http.StatusOK).v
			o, _ := r["case_outcome"].(map[string]any)
			if o == nil || o["shared"] != true || o["outcome_summary"] != "Runs with the club on Tuesdays" {
				t.Fatalf("case_outcome %v", r["case_outcome"])
			}
			g := o["goals"].([]any)[0].(map[string]any)
			if g["first_rating"] != 3.0 || g["latest_rating"] != 8.0 {
				t.Fatalf("goal change %v", g)
			}
		})

		must(apiCase{role: lw, method: "POST", path: c + "/follow-up", body: fmt.Sprintf(`{"version": %v, "note": ""}`, closed["version"]), field: "note"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: c + "/follow-up", body: fmt.Sprintf(`{"version": %v, "note": "Still running"}`, closed["version"])}, http.StatusOK)
		back := must(apiCase{role: lw, method: "POST", path: c + "/reopen"}, http.StatusCreated).v
		if back["previous_case_id"] != got.CaseID || back["status"] != "active" {
			t.Fatalf("reopened %v", back)
		}
		must(apiCase{role: lw, method: "POST", path: c + "/reopen"}, http.StatusUnprocessableEntity)
	})
}

// errorNames reports whether an API error names the field.
func errorNames(v map[string]any, field string) bool {
	e, _ := v["error"].(map[string]any)
	fs, _ := e["fields"].([]any)
	for _, x := range fs {
		if m, _ := x.(map[string]any); m["field"] == field {
			return true
		}
	}
	return false
}
