package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestALinkWorkerFollowsAReferralToItsCase walks the lists and detail
// pages a link worker uses every day, checking each against the services.
func TestALinkWorkerFollowsAReferralToItsCase(t *testing.T) {
	s := newSite(t)
	login, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	u := s.user(t, login.Email)
	referrals, total, err := s.svc.Referrals.FindReferrals(as(u), linkwork.ReferralFilter{Limit: 25})
	if err != nil || len(referrals) == 0 {
		t.Fatalf("no referrals to follow: %v", err)
	}
	tb := newTab(t, s.URL)
	tb.signIn(login.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))

	tb.run("open the referrals", chromedp.Click(chromedp.CSS(`.govuk-service-navigation__link[href="/referrals"]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=result-count]")))
	if got, want := tb.text("[data-testid=result-count]"), fmt.Sprintf("%d referrals", total); got != want {
		t.Errorf("the list says %q, the service %q", got, want)
	}
	first := referrals[0]
	tb.run("open the newest referral", chromedp.Click(chromedp.CSS(`[data-testid=referrals] tbody tr:first-child a`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=referral-status]")))
	if got := tb.text("h1"); got != first.PersonName {
		t.Errorf("the referral page is about %q, the service says %q", got, first.PersonName)
	}
	if got := tb.text("[data-testid=referral-status]"); got != first.Status.Label() {
		t.Errorf("status %q, want %q", got, first.Status.Label())
	}

	cases, open, err := s.svc.Cases.FindCases(as(u), linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseActive, linkwork.CaseEnding}, Limit: 25})
	if err != nil || len(cases) == 0 {
		t.Fatalf("no caseload: %v", err)
	}
	// The case the worker opens first has a goal to show, whatever the
	// demo city gave it.
	c := cases[0]
	goal := &linkwork.Goal{CaseID: c.ID, Text: "Walk to the allotment and back twice a week", Importance: linkwork.ImportanceVery}
	if err := s.svc.Cases.AddGoal(as(u), goal); err != nil {
		t.Fatalf("add a goal to %s's case: %v", c.PersonName, err)
	}
	tb.open("/cases")
	tb.run("open the list of cases", chromedp.WaitVisible(chromedp.CSS("[data-testid=result-count]")))
	if got, want := tb.text("[data-testid=result-count]"), fmt.Sprintf("%d cases", open); got != want {
		t.Errorf("the caseload says %q, the service %q", got, want)
	}
	tb.run("open the first case", chromedp.Click(chromedp.CSS(`[data-testid=cases] tbody tr:first-child a`)), chromedp.WaitVisible(chromedp.CSS("h1")))
	if got := tb.text("h1"); got != c.PersonName {
		t.Errorf("the case page is about %q, the service says %q", got, c.PersonName)
	}
	goals, err := s.svc.Cases.FindGoals(as(u), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	shown := tb.text("[data-testid=goals]")
	for _, g := range goals {
		if !strings.Contains(shown, g.Text) {
			t.Errorf("the goals %q do not show %q", shown, g.Text)
		}
	}
	if !strings.Contains(shown, goal.Text) {
		t.Errorf("the goals %q do not show the one just added, %q", shown, goal.Text)
	}
	tb.run("back to the referral", chromedp.Click(chromedp.CSS(`a[href="/referrals/`+c.ReferralID+`"]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=referral-status]")))
	if got := tb.text("[data-testid=referral-status]"); got != linkwork.ReferralAccepted.Label() {
		t.Errorf("the case's referral is %q, not accepted", got)
	}
}

// TestAnAdministratorAddsAUserWhoCanSignIn covers the add-user form, its
// error messages, and the new account.
func TestAnAdministratorAddsAUserWhoCanSignIn(t *testing.T) {
	s := newSite(t)
	login, _ := demo.LoginFor(linkwork.RoleAdmin)
	tb := newTab(t, s.URL)
	tb.signIn(login.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/admin/users")

	tb.expectStatus("/admin/users", 422)
	tb.run("send the form empty", chromedp.Click(chromedp.CSS(`form[action="/admin/users"] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	summary := tb.text(".govuk-error-summary")
	for _, want := range []string{"Enter the person's full name", "Enter an email address", "Choose a role", "Password must be at least 12 characters"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the error summary %q does not say %q", summary, want)
		}
	}

	service := s.user(t, login.Email).OrgID
	tb.run("fill in the form",
		chromedp.SendKeys(chromedp.CSS("#name"), "Kit Newman"),
		chromedp.SendKeys(chromedp.CSS("#email"), "kit.newman@example.org"),
		chromedp.SetValue(chromedp.CSS("#org_id"), service),
		chromedp.SetValue(chromedp.CSS("#role"), string(linkwork.RoleLinkWorker)),
		chromedp.SendKeys(chromedp.CSS("#password"), "a first password for kit"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/users"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-notification-banner--success")),
	)
	if got := tb.text("[data-testid=users]"); !strings.Contains(got, "kit.newman@example.org") {
		t.Fatal("the new user is not in the list")
	}
	// The users page has an #email field of its own: wait for the sign-in
	// form itself.
	tb.run("sign out", chromedp.Click(chromedp.CSS("[data-testid=sign-out]")), chromedp.WaitVisible(chromedp.CSS(`main form[action="/login"]`)))
	tb.run("sign in as the new user",
		chromedp.SendKeys(chromedp.CSS("#email"), "kit.newman@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a first password for kit"),
		chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type=submit]`)),
	)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	if got := tb.text("[data-testid=home-heading]"); got != "Welcome, Kit Newman" {
		t.Errorf("the new user's home says %q", got)
	}
}
