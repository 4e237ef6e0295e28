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

// TestACoordinatorSetsWhoTheServiceIsForAndReadsTheWaitingList changes the
// service's settings (a mistake first), sees them on the printable
// streetlight guide, and reads the waiting list against the service.
func TestACoordinatorSetsWhoTheServiceIsForAndReadsTheWaitingList(t *testing.T) {
	s := newSite(t)
	coord, _ := demo.LoginFor(linkwork.RoleCoordinator)
	tb := newTab(t, s.URL)
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.run("open More from the navigation", chromedp.Click(chromedp.CSS(`.govuk-service-navigation__link[href="/more"]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=more-links]")))
	tb.run("open the settings", chromedp.Click(chromedp.CSS(`[data-testid=more-links] a[href="/admin/service"]`)), chromedp.WaitVisible(chromedp.CSS(`[name="min_age"]`)))

	tb.expectStatus("/admin/service", 422)
	tb.run("give the ages the wrong way round",
		chromedp.Clear(chromedp.CSS(`[name="min_age"]`)), fill("min_age", "25"),
		chromedp.Clear(chromedp.CSS(`[name="max_age"]`)), fill("max_age", "13"),
		chromedp.Click(chromedp.CSS(`main form[action="/admin/service"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	if got := tb.text(".govuk-error-summary"); !strings.Contains(got, "Oldest age") {
		t.Errorf("the error summary says %q", got)
	}
	if got := tb.value("min_age"); got != "25" {
		t.Errorf("the youngest age typed came back as %q", got)
	}
	tb.run("put them right, add an amber criterion and a risk phrase of the service's own",
		chromedp.Clear(chromedp.CSS(`[name="min_age"]`)), fill("min_age", "13"),
		chromedp.Clear(chromedp.CSS(`[name="max_age"]`)), fill("max_age", "25"),
		fill("amber", "\nLeaving care in the next six months"),
		fill("risk_phrases", "county lines"),
		chromedp.Click(chromedp.CSS(`main form[action="/admin/service"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-notification-banner")))
	if got := tb.value("risk_phrases"); got != "county lines" {
		t.Errorf("the service's risk phrases came back as %q", got)
	}

	// A referral in the service's own words is flagged for review today.
	r := &linkwork.Referral{ServiceOrgID: s.user(t, coord.Email).OrgID, Pathway: linkwork.PathwaySelf, SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo,
		Reasons: "Older lads want me to run county-lines errands", ConsentReferral: true}
	p := &linkwork.Person{GivenName: "Lee", FamilyName: "Ownwords", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-15, 0, 0)), Phone: "07700 900779"}
	if err := s.svc.Referrals.SubmitPublicReferral(systemCtx(), r, p); err != nil {
		t.Fatal(err)
	}
	if r.Risk.State != linkwork.RiskReviewToday || len(r.Risk.Matched) != 1 || r.Risk.Matched[0].Text != "county-lines" {
		t.Errorf("the service's own phrase did not flag the referral: %+v", r.Risk)
	}

	tb.open("/streetlight")
	guide := tb.text("main")
	for _, want := range []string{"13 to 25", "Leaving care in the next six months", "999"} {
		if !strings.Contains(guide, want) {
			t.Errorf("the streetlight guide does not say %q", want)
		}
	}

	u := s.user(t, coord.Email)
	list, err := s.svc.Triage.WaitingList(as(u), 0, 25)
	if err != nil || list.Total == 0 {
		t.Fatalf("the demo city has nobody waiting: %v", err)
	}
	tb.open("/waiting-list")
	if got, want := tb.text("[data-testid=waiting-summary]"), fmt.Sprintf("%d ", list.Total); !strings.HasPrefix(got, want) {
		t.Errorf("the page says %q; the service has %d waiting", got, list.Total)
	}
	if got := tb.text("[data-testid=waiting-list] tbody tr:first-child"); !strings.Contains(got, list.Entries[0].Case.PersonName) || !strings.HasPrefix(got, "1") {
		t.Errorf("the first row is %q, want position 1, %s", got, list.Entries[0].Case.PersonName)
	}
}
