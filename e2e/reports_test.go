package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestACommissionerReadsTheDashboard: the board's commissioner, on a
// 320px phone, opens the dashboard from the navigation, narrows it to GP
// referrals in one quarter with the form, reads the funnel from its table
// (with its chart beside it and nothing scrolling sideways) and the link
// workers' caseloads added up without a name, and
// downloads the funnel as CSV, which says what the table says; then opens
// the equity table for the same referrals. A person's referral and case
// are refused to them.
func TestACommissionerReadsTheDashboard(t *testing.T) {
	s := newSite(t)
	cmLogin, _ := demo.LoginFor(linkwork.RoleCommissioner)
	coLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	coord := s.user(t, coLogin.Email)
	worker := s.user(t, mustLogin(t, linkwork.RoleLinkWorker))
	// Six GP referrals today, accepted: enough in this quarter for the
	// commissioner to see the first steps' counts.
	var caseID string
	for i := range 6 {
		caseID = dashboardCase(t, s, worker, i)
	}
	k, err := s.svc.Cases.FindCaseByID(as(coord), caseID)
	if err != nil {
		t.Fatal(err)
	}
	// This quarter, UK time.
	now := time.Now().In(ukTime())
	q := (int(now.Month())-1)/3*3 + 1
	start := time.Date(now.Year(), time.Month(q), 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(0, 3, -1)

	tb := newTab(t, s.URL)
	tb.run("emulate a 320px phone", chromedp.EmulateViewport(320, 800, chromedp.EmulateScale(2)))
	tb.signIn(cmLogin.Email, s.cfg.Password)
	tb.run("wait for the commissioner's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.run("open the menu", chromedp.Click(chromedp.CSS(".govuk-service-navigation__toggle")))
	tb.waitUntil("the menu opens", `document.querySelector('.govuk-service-navigation__toggle').getAttribute('aria-expanded') === 'true'`, 5*time.Second)
	tb.run("open the dashboard", chromedp.Click(chromedp.CSS(`nav a[href="/reports"]`)))
	tb.textWith("h1", "Dashboard")
	tb.textWith("[data-testid=suppressed-note]", "fewer than 5")

	tb.run("open the filter", chromedp.Click(chromedp.CSS("[data-testid=report-filter] summary")))
	tb.run("choose GP referrals in the quarter",
		chromedp.SetValue(chromedp.CSS("#from-day"), "1"), chromedp.SetValue(chromedp.CSS("#from-month"), fmt.Sprint(int(start.Month()))), chromedp.SetValue(chromedp.CSS("#from-year"), fmt.Sprint(start.Year())),
		chromedp.SetValue(chromedp.CSS("#to-day"), fmt.Sprint(end.Day())), chromedp.SetValue(chromedp.CSS("#to-month"), fmt.Sprint(int(end.Month()))), chromedp.SetValue(chromedp.CSS("#to-year"), fmt.Sprint(end.Year())),
		chromedp.SetValue(chromedp.CSS("#pathway"), "gp"),
		chromedp.Click(chromedp.CSS("[data-testid=report-filter] button")))
	tb.textWith("[data-testid=report-period]", "Referrals received from 1 "+start.Format("January 2006")+" to "+end.Format("2 January 2006"))
	if !strings.Contains(tb.path(), "pathway=gp") {
		t.Fatalf("the filter is not in the address: %s", tb.path())
	}
	funnel := tb.textWith("[data-testid=report-funnel]", "Referred")
	for _, step := range linkwork.FunnelSteps {
		if !strings.Contains(funnel, step.Label) {
			t.Errorf("the funnel has no step %q: %s", step.Label, funnel)
		}
	}
	referred := eval[string](tb, `document.querySelector("[data-testid=report-funnel] tbody tr td").innerText.trim()`)
	if n, err := strconv.Atoi(referred); err != nil || n < 6 {
		t.Fatalf("the funnel's first step says %q, want at least the 6 referred today", referred)
	}
	accepted := eval[string](tb, `document.querySelectorAll("[data-testid=report-funnel] tbody tr")[2].innerText`)
	if !strings.Contains(accepted, "Accepted") || strings.Contains(accepted, "fewer than") || !strings.Contains(accepted, "%") {
		t.Errorf("the accepted step reads %q, want a count and its conversion", accepted)
	}
	if eval[int](tb, `document.querySelectorAll("[data-testid=section-funnel] svg[role=img] title").length`) != 1 {
		t.Error("the funnel has no chart with a title")
	}
	// The caseloads are the link workers' added up: the commissioner
	// reads how many hold cases and their average, and no name.
	caseloads := tb.textWith("[data-testid=report-caseloads]", "Link workers with open cases")
	if !strings.Contains(caseloads, "Open cases a link worker, on average") || strings.Contains(caseloads, worker.Name) {
		t.Errorf("the commissioner's caseloads read %q", caseloads)
	}
	if eval[int](tb, `document.querySelectorAll("[data-testid=section-caseloads] svg[role=img] title").length`) != 1 {
		t.Error("the caseloads have no chart with a title")
	}
	if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the dashboard scrolls sideways at 320px: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}

	// The download, fetched as the browser would follow the link.
	href := eval[string](tb, `document.querySelector("[data-testid=csv-funnel]").getAttribute("href")`)
	if !strings.Contains(href, "pathway=gp") || !strings.Contains(href, "from="+start.Format(time.DateOnly)) {
		t.Fatalf("the download does not carry the filter: %s", href)
	}
	csv := get(tb, "download the funnel", chromedp.Evaluate[string](`fetch(document.querySelector("[data-testid=csv-funnel]").href).then(r => r.headers.get("Content-Type").startsWith("text/csv") ? r.text() : "not CSV: " + r.status)`, chromedp.EvalAwaitPromise))
	lines := strings.Split(strings.TrimSpace(csv), "\n")
	if len(lines) != 1+len(linkwork.FunnelSteps) || !strings.HasPrefix(lines[0], "Step,People") || !strings.HasPrefix(lines[1], "Referred,"+referred) {
		t.Errorf("the funnel's CSV does not say what the table says (%s referred):\n%s", referred, csv)
	}

	// The equity table, for the same referrals: the link carries the filter.
	tb.run("open the equity table", chromedp.Click(chromedp.CSS("[data-testid=equity-link]")))
	tb.textWith("h1", "Equity")
	tb.textWith("[data-testid=report-period]", "Referrals received from 1 "+start.Format("January 2006")+" to "+end.Format("2 January 2006"))
	if p := tb.path(); !strings.Contains(p, "pathway=gp") {
		t.Errorf("the equity table is not narrowed to GP referrals: %s", p)
	}
	tb.run("the equity table by age", chromedp.WaitReady(chromedp.CSS("[data-testid=report-equity_age]")))
	ages := eval[string](tb, `document.querySelector("[data-testid=report-equity_age]").textContent`)
	for _, col := range []string{"Share of referrals", "Share of the population", "Accepted"} {
		if !strings.Contains(ages, col) {
			t.Errorf("the equity table by age has no column %q: %s", col, ages)
		}
	}
	tb.textWith("[data-testid=suppressed-note]", "fewer than 5")

	// A person's pages are not the commissioner's.
	for _, p := range []string{"/referrals/" + k.ReferralID, "/cases/" + caseID} {
		tb.expectStatus(p, 403)
		tb.open(p)
		tb.textWith("h1", "You cannot see this page")
	}
}

// mustLogin is the demo's login email for a role.
func mustLogin(t *testing.T, role linkwork.Role) string {
	t.Helper()
	l, ok := demo.LoginFor(role)
	if !ok {
		t.Fatalf("no demo login for %s", role)
	}
	return l.Email
}

// dashboardCase makes the i'th GP referral for an adult, accepted to the
// worker, and returns its case.
func dashboardCase(t *testing.T, s *site, worker *linkwork.User, i int) string {
	t.Helper()
	coord, gp := s.user(t, mustLogin(t, linkwork.RoleCoordinator)), s.user(t, mustLogin(t, linkwork.RoleReferrer))
	ref := &linkwork.Referral{ServiceOrgID: coord.OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Lonely since retiring",
		WhatTheyWant: "To meet people", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
	person := &linkwork.Person{GivenName: "Sam", FamilyName: fmt.Sprintf("Dashwood%c", 'A'+i), DateOfBirth: linkwork.DateOf(time.Now().AddDate(-40-i, 0, 0)), Postcode: "LS9 1AA", Phone: fmt.Sprintf("07700 900%03d", 600+i)}
	if err := s.svc.Referrals.CreateReferral(as(gp), ref, person); err != nil {
		t.Fatal(err)
	}
	decided, err := s.svc.Referrals.DecideReferral(as(coord), ref.ID, ref.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: worker.ID})
	if err != nil {
		t.Fatal(err)
	}
	return decided.CaseID
}
