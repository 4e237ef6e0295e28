package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestAGroupOpensItsEvidencePack follows a community group to the
// figures it can attach to a funding bid, on a 320px phone: its user
// opens "Evidence pack" from the menu and finds the people connected to
// its activities, month by month and by age band, with no count from 1
// to 4 shown and nothing scrolling sideways, then the print view; the
// coordinator finds the same group among the packs under More.
func TestAGroupOpensItsEvidencePack(t *testing.T) {
	s := newSite(t)
	cLogin, _ := demo.LoginFor(linkwork.RoleCommunity)
	coLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	group := s.user(t, cLogin.Email)

	tb := newTab(t, s.URL)
	tb.run("emulate a 320px phone", chromedp.EmulateViewport(320, 800, chromedp.EmulateScale(2)))
	tb.signIn(cLogin.Email, s.cfg.Password)
	tb.run("wait for the group's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/")
	tb.run("open the menu", chromedp.Click(chromedp.CSS(".govuk-service-navigation__toggle")))
	tb.waitUntil("the menu opens", `document.querySelector('.govuk-service-navigation__toggle').getAttribute('aria-expanded') === 'true'`, 5*time.Second)
	tb.run("open the evidence pack", chromedp.Click(chromedp.CSS(`nav a[href="/reports/groups"]`)))
	tb.textWith("h1", "Evidence pack")
	if p := tb.path(); p != "/reports/groups/"+group.OrgID {
		t.Fatalf("the group's pack is at %s", p)
	}
	tb.textWith("[data-testid=evidence-months]", "By the month they were connected")
	tb.textWith("[data-testid=evidence-ages]", "By age band")
	cells := eval[[]string](tb, `[...document.querySelectorAll("[data-testid=evidence-all] dd, [data-testid=evidence-months] td, [data-testid=evidence-ages] td, [data-testid=evidence-views] td")].map(c => c.textContent.trim())`)
	if len(cells) < 10 {
		t.Fatalf("the pack shows %d figures", len(cells))
	}
	for _, c := range cells {
		if c == "1" || c == "2" || c == "3" || c == "4" {
			t.Errorf("the pack shows a count of %s", c)
		}
	}
	if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the evidence pack scrolls sideways at 320px: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}
	tb.run("open the print view", chromedp.Click(chromedp.CSS(`[data-testid=evidence-print]`)))
	tb.textWith("h1", "Evidence pack")
	tb.textWith("[data-testid=evidence-period]", "People the social prescribing service connected to")
	tb.signOut()

	tb.signIn(coLogin.Email, s.cfg.Password)
	tb.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/more")
	tb.run("open the evidence packs", chromedp.Click(chromedp.CSS(`[data-testid=more-links] a[href="/reports/groups"]`)))
	tb.run("open the group's pack", chromedp.Click(chromedp.CSS(`[data-testid=evidence-groups] a[href="/reports/groups/`+group.OrgID+`"]`)))
	tb.textWith("h1", "Evidence pack")
}
