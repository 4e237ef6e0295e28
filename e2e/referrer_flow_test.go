package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestReferrersSeeTheirFlow follows referrals back to who sent them on a
// 320px phone: the coordinator finds Referrers under More, with the
// demo GP practice among the referrers and the months below, and nothing
// scrolling sideways; the GP referrer opens "Our referrals over time" and
// sees their own referrals month by month, and no other referrer's.
func TestReferrersSeeTheirFlow(t *testing.T) {
	s := newSite(t)
	coLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	gpLogin, _ := demo.LoginFor(linkwork.RoleReferrer)
	gp := s.user(t, gpLogin.Email)
	org, err := s.svc.Organisations.FindOrganisationByID(as(gp), gp.OrgID)
	if err != nil {
		t.Fatal(err)
	}

	tb := newTab(t, s.URL)
	tb.run("emulate a 320px phone", chromedp.EmulateViewport(320, 800, chromedp.EmulateScale(2)))
	tb.signIn(coLogin.Email, s.cfg.Password)
	tb.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/")
	tb.run("open the menu", chromedp.Click(chromedp.CSS(".govuk-service-navigation__toggle")))
	tb.waitUntil("the menu opens", `document.querySelector('.govuk-service-navigation__toggle').getAttribute('aria-expanded') === 'true'`, 5*time.Second)
	tb.run("open More", chromedp.Click(chromedp.CSS(`nav a[href="/more"]`)))
	tb.run("open the referrers", chromedp.Click(chromedp.CSS(`[data-testid=more-links] a[href="/reports/referrers"]`)))
	tb.textWith("h1", "Referrals by referrer")
	tb.textWith("[data-testid=flow-referrers]", org.Name)
	tb.textWith("[data-testid=flow-months]", "All months")
	if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the referrers page scrolls sideways at 320px: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}
	// A table's caption spans the stacked table, not one word a line.
	if narrow := eval[[]string](tb, `[...document.querySelectorAll('.lw-responsive-table caption')].filter(c => c.getBoundingClientRect().width < c.closest('table').getBoundingClientRect().width - 1).map(c => c.textContent.trim())`); len(narrow) > 0 {
		t.Errorf("captions narrower than their tables at 320px: %q", narrow)
	}
	tb.signOut()

	tb.signIn(gpLogin.Email, s.cfg.Password)
	tb.run("wait for the referrer's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/")
	tb.run("open the menu", chromedp.Click(chromedp.CSS(".govuk-service-navigation__toggle")))
	tb.waitUntil("the menu opens", `document.querySelector('.govuk-service-navigation__toggle').getAttribute('aria-expanded') === 'true'`, 5*time.Second)
	tb.run("open their referrals over time", chromedp.Click(chromedp.CSS(`nav a[href="/reports/referrers"]`)))
	tb.textWith("h1", "Your organisation's referrals")
	tb.textWith("[data-testid=flow-months]", "Your referrals")
	if n := eval[int](tb, `document.querySelectorAll("[data-testid=flow-referrers]").length`); n != 0 {
		t.Error("the referrer sees the table of every referrer")
	}
}
