package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestThePlanForms sends the case page's plan forms as a browser without
// JavaScript would: bad input re-shows the page with 422 and the problem
// by its field, good input redirects back to the case with a notice, and
// those who may only read the case cannot send them.
func TestThePlanForms(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := func(r linkwork.Role) context.Context {
			return linkwork.NewContext(context.Background(), f.users[r].Actor())
		}
		ref := &linkwork.Referral{ServiceOrgID: f.users[linkwork.RoleCoordinator].OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
			Reasons: "Lonely", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
		person := &linkwork.Person{GivenName: "Kim", FamilyName: "Formplan", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-14, 0, 0)), Postcode: "LS9 1AA", Phone: "07700 900111"}
		if err := f.services.Referrals.CreateReferral(ctx(linkwork.RoleReferrer), ref, person); err != nil {
			t.Fatal(err)
		}
		got, err := f.services.Referrals.DecideReferral(ctx(linkwork.RoleCoordinator), ref.ID, ref.Version,
			linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: f.users[linkwork.RoleLinkWorker].ID})
		if err != nil {
			t.Fatal(err)
		}
		c := "/cases/" + got.CaseID
		post := func(role linkwork.Role, path string, v url.Values) (int, string, http.Header) {
			return f.do(f.clients[role], "POST", path, "application/x-www-form-urlencoded", v.Encode(), nil)
		}
		lw := linkwork.RoleLinkWorker

		status, body, _ := f.do(f.clients[lw], "GET", c, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `class="lw-emoji" aria-hidden="true"`) {
			t.Fatalf("a 14-year-old's case page does not offer the emoji scale: %d", status)
		}
		for _, tt := range []struct {
			name, path string
			form       url.Values
			field      string
		}{
			{"a goal without words", c + "/goals", url.Values{"goal_text": {" "}}, "goal_text"},
			{"a rating off the scale", c + "/goals", url.Values{"goal_text": {"x"}, "goal_rating": {"12"}}, "goal_rating"},
			{"an action without what", c + "/actions", url.Values{"action_who": {"person"}}, "action_what"},
			{"an action due on no real day", c + "/actions", url.Values{"action_who": {"person"}, "action_what": {"x"}, "action_due-day": {"31"}, "action_due-month": {"2"}, "action_due-year": {"2030"}}, "action_due"},
			{"a review without a decision", c + "/reviews", url.Values{"review_engaged": {"yes"}}, "review_decision"},
			{"an ending without steps", c + "/ending", url.Values{"version": {"1"}}, "ending_steps"},
			{"closing without asking about sharing", c + "/close", url.Values{"version": {"1"}, "close_reason": {"goals_met"}}, "close_share"},
			{"moving on without saying where", c + "/close", url.Values{"version": {"1"}, "close_reason": {"onward"}, "close_share": {"no"}}, "close_destination"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				status, body, _ := post(lw, tt.path, tt.form)
				if status != http.StatusUnprocessableEntity || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `href="#`+tt.field+`"`) {
					t.Fatalf("answered %d; error summary links #%s: %v", status, tt.field, strings.Contains(body, `href="#`+tt.field+`"`))
				}
			})
		}
		t.Run("a goal is added and the page says so", func(t *testing.T) {
			status, _, hdr := post(lw, c+"/goals", url.Values{"goal_text": {"Go swimming"}, "goal_importance": {"2"}, "goal_rating": {"4"}, "scale": {"emoji"}})
			if status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), c+"?done=goal") {
				t.Fatalf("answered %d, to %q", status, hdr.Get("Location"))
			}
			_, body, _ := f.do(f.clients[lw], "GET", c+"?done=goal", "", "", nil)
			if !strings.Contains(body, "Goal added") || !strings.Contains(body, "Go swimming") || !strings.Contains(body, "4, a little way") {
				t.Fatal("the case page does not show the new goal with its rating")
			}
		})
		t.Run("a re-rating off the scale is shown on its goal's form", func(t *testing.T) {
			goals, err := f.services.Cases.FindGoals(ctx(lw), got.CaseID)
			if err != nil || len(goals) == 0 {
				t.Fatalf("%d goals, %v", len(goals), err)
			}
			id := "rating-" + goals[0].ID
			status, body, _ := post(lw, c+"/goals/"+goals[0].ID+"/ratings", url.Values{"rating": {"11"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#`+id+`"`) || !strings.Contains(body, `id="`+id+`-error"`) {
				t.Fatalf("answered %d; the summary links #%s: %v", status, id, strings.Contains(body, `href="#`+id+`"`))
			}
		})
		t.Run("the safeguarding lead reads the plan but cannot change it", func(t *testing.T) {
			if status, _, _ := f.do(f.clients[linkwork.RoleSafeguarding], "GET", c+"/my-plan", "", "", nil); status != http.StatusOK {
				t.Fatalf("my plan: %d", status)
			}
			if status, _, _ := post(linkwork.RoleSafeguarding, c+"/goals", url.Values{"goal_text": {"x"}}); status != http.StatusForbidden {
				t.Fatalf("a goal by the safeguarding lead: %d", status)
			}
		})
		t.Run("my plan, to print, in plain words", func(t *testing.T) {
			_, body, _ := f.do(f.clients[lw], "GET", c+"/my-plan", "", "", nil)
			for _, want := range []string{"Hello Kim", "Go swimming", "you said 4 out of 10", "not an emergency service"} {
				if !strings.Contains(strings.ToLower(body), strings.ToLower(want)) {
					t.Errorf("my plan does not say %q", want)
				}
			}
		})
	})
}
