package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// measureCase makes a GP referral for a 15-year-old with one goal in
// their plan, accepted to the demo link worker, and returns the case.
func measureCase(t *testing.T, s *site, worker *linkwork.User) string {
	t.Helper()
	coordLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	referrerLogin, _ := demo.LoginFor(linkwork.RoleReferrer)
	coord, gp := s.user(t, coordLogin.Email), s.user(t, referrerLogin.Email)
	ref := &linkwork.Referral{ServiceOrgID: coord.OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Anxious, stopped going out",
		WhatTheyWant: "To climb again", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
	person := &linkwork.Person{GivenName: "Jo", FamilyName: "Measurewell", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-15, -2, 0)), Postcode: "LS9 1AA", Phone: "07700 900556"}
	if err := s.svc.Referrals.CreateReferral(as(gp), ref, person); err != nil {
		t.Fatal(err)
	}
	decided, err := s.svc.Referrals.DecideReferral(as(coord), ref.ID, ref.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: worker.ID})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.svc.Cases.AddGoal(as(worker), &linkwork.Goal{CaseID: decided.CaseID, Text: "Go back to the climbing wall", Importance: linkwork.ImportanceVery}); err != nil {
		t.Fatal(err)
	}
	return decided.CaseID
}

// TestMeasuresAtTheStartAndTheEnd follows a 15-year-old's measures on a
// phone: the link worker records a SWEMWBS at the start, leaving one
// question unanswered first (the form names it and nothing is stored),
// and a goal-based outcome on the emoji scale; both again at the end; the
// case page then shows each as a chart with its table, and SWEMWBS's rise
// as a reliable improvement.
func TestMeasuresAtTheStartAndTheEnd(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	worker := s.user(t, lwLogin.Email)
	caseID := measureCase(t, s, worker)

	tb := newTab(t, s.URL)
	tb.run("emulate a 375×667 phone", chromedp.EmulateViewport(375, 667, chromedp.EmulateScale(2)))
	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	tb.run("record a measure", chromedp.Click(chromedp.CSS("[data-testid=record-measure]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=measure-choices]")))
	if got := tb.text("[data-testid=measure-choices]"); !strings.Contains(got, "SWEMWBS") || !strings.Contains(got, "Goal-based outcomes") || strings.Contains(got, "ONS personal wellbeing") {
		t.Fatalf("the measures offered to a 15-year-old: %q", got)
	}
	tb.run("choose SWEMWBS", chromedp.Click(chromedp.CSS(`[data-testid=measure-choices] a[href$="instrument=swemwbs"]`)), chromedp.WaitVisible(chromedp.CSS(`[name="answers[0]"]`)))
	if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the measure form scrolls sideways on a phone: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}

	swemwbs := func(timepoint string, answers []string) {
		t.Helper()
		acts := []chromedp.Action[chromedp.Void]{choose("timepoint", timepoint), choose("completed_by", "with_link_worker")}
		for i, a := range answers {
			if a != "" {
				acts = append(acts, choose(fmt.Sprintf("answers[%d]", i), a))
			}
		}
		acts = append(acts, chromedp.Click(chromedp.CSS(`form[action$="/measures"] button[type=submit]`)))
		tb.run("answer SWEMWBS at "+timepoint, acts...)
	}
	tb.expectStatus("/cases/"+caseID+"/measures", 422)
	swemwbs("baseline", []string{"3", "3", "3", "", "3", "3", "2"})
	tb.textWith(".govuk-error-summary", "Answer question 4: the score needs every answer")
	if list, err := s.svc.Measures.FindMeasures(as(worker), caseID); err != nil || len(list) != 0 {
		t.Fatalf("with a question unanswered, %d responses were stored (%v)", len(list), err)
	}
	// The answers given are kept: only the one missing is asked for.
	tb.run("answer question 4", choose("answers[3]", "3"), chromedp.Click(chromedp.CSS(`form[action$="/measures"] button[type=submit]`)))
	tb.textWith(".govuk-notification-banner", "Measure recorded")

	gbo := func(timepoint, rating string) {
		t.Helper()
		tb.open("/cases/" + caseID + "/measures/new?instrument=gbo")
		tb.run("wait for the goal", chromedp.WaitVisible(chromedp.CSS(`[name="answers[0]"]`)))
		faces := eval[int](tb, `document.querySelectorAll('input[name="answers[0]"] + label .lw-emoji[aria-hidden=true]').length`)
		labels := eval[[]string](tb, `[...document.querySelectorAll('input[name="answers[0]"] + label')].map(l => l.textContent.trim())`)
		if faces != 11 || len(labels) != 11 || !strings.HasSuffix(labels[5], "5, halfway") {
			t.Fatalf("the emoji scale for a 15-year-old: %d faces hidden from screen readers, labels %q", faces, labels)
		}
		tb.run("rate the goal at "+timepoint, choose("timepoint", timepoint), choose("answers[0]", rating), choose("completed_by", "person"),
			chromedp.Click(chromedp.CSS(`form[action$="/measures"] button[type=submit]`)))
		tb.textWith(".govuk-notification-banner", "Measure recorded")
	}
	gbo("baseline", "3")

	tb.open("/cases/" + caseID + "/measures/new?instrument=swemwbs")
	tb.run("wait for the form", chromedp.WaitVisible(chromedp.CSS(`[name="answers[0]"]`)))
	swemwbs("end", []string{"4", "4", "4", "3", "3", "3", "3"})
	tb.textWith(".govuk-notification-banner", "Measure recorded")
	gbo("end", "8")

	got := tb.textWith("[data-testid=measure-swemwbs]", "reliable improvement")
	for _, want := range []string{"18.59", "21.54", "up 2.95", "Start", "End"} {
		if !strings.Contains(got, want) {
			t.Errorf("the SWEMWBS area does not say %q:\n%s", want, got)
		}
	}
	goal := tb.text("[data-testid=measure-gbo]")
	if !strings.Contains(goal, "Go back to the climbing wall") || !strings.Contains(goal, "3 to 8, up 5: reliable improvement") {
		t.Errorf("the goal-based outcomes area:\n%s", goal)
	}
	dots := eval[[]int](tb, `[...document.querySelectorAll('[data-testid=measure-chart]')].map(c => c.querySelectorAll('circle').length)`)
	if len(dots) != 2 || dots[0] != 2 || dots[1] != 2 {
		t.Errorf("the charts have %v points, want 2 each", dots)
	}
	if desc := eval[string](tb, `document.querySelector('[data-testid=measure-swemwbs] svg desc').textContent`); !strings.Contains(desc, "18.59, then 21.54") {
		t.Errorf("the chart's description does not give the numbers: %q", desc)
	}
	if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the case page scrolls sideways on a phone: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}
	tb.failOnProblems()
}
