package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// journeyClient sends API requests with one user's token and checks each
// answer against the OpenAPI document.
type journeyClient struct {
	a     *apiTester
	token string
}

func (c journeyClient) send(t *testing.T, want int, method, path string, body any) map[string]any {
	t.Helper()
	var b string
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		b = string(raw)
	}
	ans := c.a.send(t, apiCase{method: method, path: path, body: b, header: map[string]string{"Authorization": "Bearer " + c.token}})
	if ans.status != want {
		t.Fatalf("%s %s: %d, want %d: %s", method, path, ans.status, want, ans.body)
	}
	return ans.v
}

// schoolReferrer adds a referrer at a school to the demo city, with an
// API token, as an administrator would.
func schoolReferrer(t *testing.T, f *fixture, a *apiTester) journeyClient {
	t.Helper()
	ctx := context.Background()
	sys := linkwork.NewContext(ctx, linkwork.SystemActor("test"))
	schools, _, err := f.services.Organisations.FindOrganisations(sys, linkwork.OrganisationFilter{Kind: linkwork.OrgSchool, Limit: 1})
	if err != nil || len(schools) == 0 {
		t.Fatalf("the demo city has no school: %v", err)
	}
	u := &linkwork.User{Email: "head-of-year@school.test", Name: "Mr Dev Okoro", Role: linkwork.RoleReferrer, OrgID: schools[0].ID}
	if err := f.services.Users.CreateUser(sys, u, "a-long-school-password"); err != nil {
		t.Fatal(err)
	}
	tok, err := f.services.Auth.CreateAPIToken(linkwork.NewContext(ctx, u.Actor()), u.ID, "journey", time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return journeyClient{a: a, token: tok.Token}
}

func version(v map[string]any) int { return int(v["version"].(float64)) }

// TestTheCaseworkJourneyThroughTheAPI follows one 15-year-old from a
// school's referral through the API alone: accepted onto the waiting
// list, allocated, reached at the third attempt, a Gillick decision and
// a parent informed but not involved, three sessions (one missed), a plan
// of two goals rated and re-rated, a review, a planned ending and a close
// the person agreed to share — and the school reading the message back,
// while a GP who did not refer them sees nothing.
func TestTheCaseworkJourneyThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		w := discoverAPIWorld(t, a)
		school := schoolReferrer(t, f, a)
		gp := journeyClient{a: a, token: f.tokens[linkwork.RoleReferrer]}
		coord := journeyClient{a: a, token: f.tokens[linkwork.RoleCoordinator]}
		lw := journeyClient{a: a, token: f.tokens[linkwork.RoleLinkWorker]}
		worker := f.users[linkwork.RoleLinkWorker]
		dob := time.Now().AddDate(-15, -3, 0).Format(time.DateOnly)

		var body map[string]any
		if err := json.Unmarshal([]byte(apiReferralBody(w.service, "school", "referral", "Kai", map[string]any{"family_name": "Journeyman", "date_of_birth": dob})), &body); err != nil {
			t.Fatal(err)
		}
		ref := school.send(t, http.StatusCreated, "POST", "/api/v1/referrals", body)
		refID := jsonStr(ref, "id")
		accepted := coord.send(t, http.StatusOK, "POST", "/api/v1/referrals/"+refID+"/decision", map[string]any{"version": version(ref), "to": "accepted"})
		caseID := jsonStr(accepted, "case_id")
		if caseID == "" {
			t.Fatalf("accepted without a case: %v", accepted)
		}
		c := coord.send(t, http.StatusOK, "GET", "/api/v1/cases/"+caseID, nil)
		if c["status"] != "waiting" {
			t.Fatalf("the accepted case is %v, not waiting", c["status"])
		}
		personID := jsonStr(c, "person_id")

		// Out of the waiting list.
		c = coord.send(t, http.StatusOK, "POST", "/api/v1/cases/"+caseID+"/allocate", map[string]any{"version": version(c), "link_worker_id": worker.ID})
		if c["status"] != "active" || jsonStr(c, "link_worker_id") != worker.ID {
			t.Fatalf("allocated: %v", c)
		}

		onCaseload := func(t *testing.T) map[string]any {
			t.Helper()
			for _, it := range listItems(lw.send(t, http.StatusOK, "GET", "/api/v1/caseload?limit=100", nil)) {
				if k, _ := it["case"].(map[string]any); k != nil && jsonStr(k, "id") == caseID {
					return it
				}
			}
			t.Fatalf("case %s is not on the link worker's caseload", caseID)
			return nil
		}
		if it := onCaseload(t); it["first_contact_made"] == true {
			t.Fatalf("first contact made before any attempt: %v", it)
		}

		// First contact at the third attempt.
		at := time.Now().Add(-20 * 24 * time.Hour).UTC()
		for i, try := range []map[string]any{
			{"mode": "phone", "outcome": "no_answer"},
			{"mode": "text", "outcome": "no_answer", "notes": "Texted to say I'd call after school."},
			{"mode": "phone", "outcome": "reached", "notes": "Agreed to meet at school on Tuesday."},
		} {
			try["at"] = at.Add(time.Duration(i) * 24 * time.Hour).Format(time.RFC3339)
			lw.send(t, http.StatusCreated, "POST", "/api/v1/cases/"+caseID+"/contacts", try)
		}

		if it := onCaseload(t); it["first_contact_made"] != true {
			t.Fatalf("the caseload does not count the third attempt as first contact: %v", it)
		}

		// Knowing the person: a Gillick decision and Mum informed, not
		// involved.
		p := lw.send(t, http.StatusOK, "GET", "/api/v1/people/"+personID, nil)
		mum := p["guardians"].([]any)[0].(map[string]any)
		mum["involvement"], mum["version"] = "informed", version(p)
		gid := jsonStr(mum, "id")
		delete(mum, "id")
		p = lw.send(t, http.StatusOK, "PUT", "/api/v1/guardians/"+gid, mum)
		if got := jsonStr(p["guardians"].([]any)[0].(map[string]any), "involvement"); got != "informed" {
			t.Fatalf("Mum's involvement is %q", got)
		}
		lw.send(t, http.StatusCreated, "POST", "/api/v1/people/"+personID+"/competence", map[string]any{"competent": true, "decided_on": at.AddDate(0, 0, 4).Format(time.DateOnly),
			"reasoning": "Kai understood what support involves, the choices and what we share, and weighed them up."})
		rec := lw.send(t, http.StatusOK, "GET", "/api/v1/people/"+personID+"/record", nil)
		if decisions, _ := rec["competence"].([]any); len(decisions) != 1 || decisions[0].(map[string]any)["competent"] != true {
			t.Fatalf("competence decisions %v", rec["competence"])
		}

		// Three sessions in different modes and places, one missed.
		for i, s := range []map[string]any{
			{"mode": "face_to_face", "location_type": "school", "outcome": "attended", "minutes": 45},
			{"mode": "phone", "location_type": "home", "outcome": "did_not_attend"},
			{"mode": "video", "location_type": "online", "outcome": "attended", "minutes": 30},
			{"mode": "face_to_face", "location_type": "youth_hub", "outcome": "attended", "minutes": 50},
		} {
			s["at"] = at.Add(time.Duration(4+i*3) * 24 * time.Hour).Format(time.RFC3339)
			lw.send(t, http.StatusCreated, "POST", "/api/v1/cases/"+caseID+"/contacts", s)
		}
		contacts := listItems(lw.send(t, http.StatusOK, "GET", "/api/v1/cases/"+caseID+"/contacts", nil))
		if len(contacts) != 7 {
			t.Fatalf("%d contacts, want 7", len(contacts))
		}

		// The plan: two goals, rated then re-rated.
		var goals []string
		for _, g := range []map[string]any{{"text": "Go to a club after school once a week", "rating": 2}, {"text": "Feel less worried on Sunday nights", "rating": 3}} {
			goal := lw.send(t, http.StatusCreated, "POST", "/api/v1/cases/"+caseID+"/goals", g)
			goals = append(goals, jsonStr(goal, "id"))
		}
		for i, id := range goals {
			lw.send(t, http.StatusCreated, "POST", "/api/v1/goals/"+id+"/ratings", map[string]any{"rating": 6 + i})
		}
		lw.send(t, http.StatusUnprocessableEntity, "POST", "/api/v1/goals/"+goals[0]+"/ratings", map[string]any{"rating": 11})

		// A review, a planned ending, and a close the person agreed to
		// share.
		lw.send(t, http.StatusCreated, "POST", "/api/v1/cases/"+caseID+"/reviews", map[string]any{"engaged": "yes", "decision": "continue", "notes": "Going to the youth club on his own now."})
		c = lw.send(t, http.StatusOK, "GET", "/api/v1/cases/"+caseID, nil)
		c = lw.send(t, http.StatusOK, "POST", "/api/v1/cases/"+caseID+"/ending", map[string]any{"version": version(c), "steps": "Fortnightly check-in, then a last session."})
		if c["status"] != "ending" || jsonStr(c, "ending_steps") != "Fortnightly check-in, then a last session." {
			t.Fatalf("after planning the ending: %v", c)
		}
		followUp := time.Now().AddDate(0, 3, 0).Format(time.DateOnly)
		lw.send(t, http.StatusConflict, "POST", "/api/v1/cases/"+caseID+"/close", map[string]any{"version": version(c) - 1, "reason": "connected", "share_outcome": true, "follow_up_on": followUp})
		c = lw.send(t, http.StatusOK, "POST", "/api/v1/cases/"+caseID+"/close", map[string]any{"version": version(c), "reason": "connected",
			"outcome_summary": "Kai goes to the youth club every Thursday and feels more settled.", "share_outcome": true, "follow_up_on": followUp})
		if c["status"] != "closed" {
			t.Fatalf("closed: %v", c)
		}

		// The message back.
		seen := school.send(t, http.StatusOK, "GET", "/api/v1/referrals/"+refID, nil)
		if !strings.Contains(fmt.Sprint(seen), "youth club every Thursday") {
			t.Fatalf("the school does not read the outcome: %v", seen)
		}
		gp.send(t, http.StatusNotFound, "GET", "/api/v1/referrals/"+refID, nil)
	})
}
