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

// TestTheConcernForms sends the safeguarding forms as a browser without
// JavaScript would: bad input re-shows the page with 422 and each problem
// linked to its field; good input redirects with a notice; the referral
// page shows the concern to staff and nothing of it to the referrer.
func TestTheConcernForms(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := func(r linkwork.Role) context.Context {
			return linkwork.NewContext(context.Background(), f.users[r].Actor())
		}
		ref := &linkwork.Referral{ServiceOrgID: f.users[linkwork.RoleCoordinator].OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
			Reasons: "Lonely", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
		person := &linkwork.Person{GivenName: "Sam", FamilyName: "Formsafe", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-14, 0, 0)), Postcode: "LS9 1AA", Phone: "07700 900112"}
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
		lw, lead := linkwork.RoleLinkWorker, linkwork.RoleSafeguarding
		good := url.Values{"category": {"bullying"}, "description": {"Said they are picked on on the bus"}, "immediate_action": {"Listened"}, "safe_now": {"yes"}}
		without := func(field string) url.Values {
			v := url.Values{}
			for k, x := range good {
				if k != field {
					v[k] = x
				}
			}
			return v
		}
		for _, tt := range []struct {
			name, path string
			form       url.Values
			field      string
		}{
			{"a concern about nothing chosen", c + "/concerns", without("category"), "category"},
			{"a concern with nothing seen or heard", c + "/concerns", without("description"), "description"},
			{"a concern with nothing done", c + "/concerns", without("immediate_action"), "immediate_action"},
			{"a concern not saying whether they are safe", c + "/concerns", without("safe_now"), "safe_now"},
			{"a concern on the referral with nothing chosen", "/referrals/" + ref.ID + "/concerns", without("category"), "category"},
			{"a safety plan with nothing in it", c + "/safety-plan", url.Values{"version": {"0"}, "crisis_numbers": {"999"}}, "warning_signs"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				status, body, _ := post(lw, tt.path, tt.form)
				if status != http.StatusUnprocessableEntity || !strings.Contains(body, "govuk-error-summary") || !strings.Contains(body, `href="#`+tt.field+`"`) {
					t.Fatalf("answered %d; error summary links #%s: %v", status, tt.field, strings.Contains(body, `href="#`+tt.field+`"`))
				}
			})
		}
		var concernID string
		t.Run("a concern is raised from the case and the case page flags it", func(t *testing.T) {
			status, _, hdr := post(lw, c+"/concerns", good)
			if status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), c+"?done=concern-raised") {
				t.Fatalf("answered %d, to %q", status, hdr.Get("Location"))
			}
			_, body, _ := f.do(f.clients[lw], "GET", hdr.Get("Location"), "", "", nil)
			if !strings.Contains(body, "the safeguarding lead has been told") || !strings.Contains(body, `data-testid="concern-flag"`) {
				t.Fatal("the case page does not say the concern was raised, or flag it")
			}
			list, _, err := f.services.Concerns.FindConcerns(ctx(lw), linkwork.ConcernFilter{ReferralID: ref.ID})
			if err != nil || len(list) != 1 {
				t.Fatalf("%v %v", list, err)
			}
			concernID = list[0].ID
		})
		t.Run("the lead's action form names what is missing", func(t *testing.T) {
			status, body, _ := post(lead, "/concerns/"+concernID+"/actions", url.Values{"action": {"no_further_action"}, "on-day": {"1"}, "on-month": {"1"}, "on-year": {"2026"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#reason"`) {
				t.Fatalf("answered %d", status)
			}
			status, body, _ = post(lead, "/concerns/"+concernID+"/close", url.Values{"version": {"1"}, "outcome": {"Resolved"}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#outcome"`) || !strings.Contains(body, "Record what was done before closing") {
				t.Fatalf("closing with nothing done answered %d", status)
			}
		})
		t.Run("staff see the concern on the referral; the referrer sees nothing of it", func(t *testing.T) {
			_, body, _ := f.do(f.clients[linkwork.RoleCoordinator], "GET", "/referrals/"+ref.ID, "", "", nil)
			if !strings.Contains(body, "/concerns/"+concernID) {
				t.Fatal("the coordinator's referral page does not show the concern")
			}
			status, body, _ := f.do(f.clients[linkwork.RoleReferrer], "GET", "/referrals/"+ref.ID, "", "", nil)
			if status != http.StatusOK || !strings.Contains(body, "Formsafe") || strings.Contains(body, "/concerns/") || strings.Contains(body, "afeguarding") || strings.Contains(body, "picked on") {
				t.Fatalf("the referrer's page (%d) shows the concern", status)
			}
		})
		t.Run("the safety plan is saved and printed", func(t *testing.T) {
			status, _, hdr := post(lw, c+"/safety-plan", url.Values{"version": {"0"}, "what_helps": {"Football\nMy dog"}, "crisis_numbers": {"Childline 0800 1111"}})
			if status != http.StatusSeeOther {
				t.Fatalf("answered %d", status)
			}
			_, body, _ := f.do(f.clients[lw], "GET", hdr.Get("Location"), "", "", nil)
			if !strings.Contains(body, "Safety plan saved") {
				t.Fatal("no notice")
			}
			_, body, _ = f.do(f.clients[lead], "GET", c+"/safety-plan/print", "", "", nil)
			if !strings.Contains(body, "<li>My dog</li>") || !strings.Contains(body, "Childline 0800 1111") {
				t.Fatal("the print view does not show the plan, one thing to a line")
			}
			if status, _, _ := post(lead, c+"/safety-plan", url.Values{"version": {"1"}, "what_helps": {"x"}, "crisis_numbers": {"999"}}); status != http.StatusForbidden {
				t.Fatalf("the lead changed the plan: %d", status)
			}
		})
	})
}
