package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestACommissionerReadsAGapInTheEquityTable: the coordinator has entered
// the area's population, with a share of women and girls (or men and
// boys, whichever the service refers fewer of) well above their share of
// the referrals; the commissioner who funds the service, on a 320px
// phone, opens the equity table from the dashboard and reads that gap in
// words, sees the group marked under-reached in its table (in text, not
// colour alone) with the chart beside it, small numbers suppressed, and
// nothing scrolling sideways.
func TestACommissionerReadsAGapInTheEquityTable(t *testing.T) {
	s := newSite(t)
	cmLogin, _ := demo.LoginFor(linkwork.RoleCommissioner)
	coord := s.user(t, mustLogin(t, linkwork.RoleCoordinator))
	commissioner := s.user(t, cmLogin.Email)
	e, err := s.svc.Equity.Equity(as(commissioner), linkwork.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var group string
	var share float64
	for _, r := range e.Table(linkwork.EquityGender).Rows {
		if (r.Group.Key == "female" || r.Group.Key == "male") && !r.ShareHidden && (group == "" || r.ReferralShare < share) {
			group, share = r.Group.Key, r.ReferralShare
		}
	}
	if group == "" {
		t.Fatalf("the demo's commissioner sees neither women's nor men's share of referrals: %+v", e.Table(linkwork.EquityGender))
	}
	p, err := s.svc.Equity.PopulationShares(as(coord), coord.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	p.Shares[linkwork.EquityGender] = map[string]float64{group: float64(int(share/linkwork.UnderReachedRatio) + 5)}
	if err := s.svc.Equity.SavePopulationShares(as(coord), p); err != nil {
		t.Fatal(err)
	}
	e, err = s.svc.Equity.Equity(as(commissioner), linkwork.ReportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var gap string
	for _, r := range e.Table(linkwork.EquityGender).Rows {
		if r.Group.Key == group {
			gap = r.Gap
		}
	}
	if gap == "" {
		t.Fatalf("no gap for %s after entering its share: %+v", group, e.Table(linkwork.EquityGender))
	}

	tb := newTab(t, s.URL)
	tb.run("emulate a 320px phone", chromedp.EmulateViewport(320, 800, chromedp.EmulateScale(2)))
	tb.signIn(cmLogin.Email, s.cfg.Password)
	tb.run("wait for the commissioner's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/reports")
	tb.textWith("h1", "Dashboard")
	tb.run("open the equity table", chromedp.Click(chromedp.CSS("[data-testid=equity-link]")))
	tb.textWith("h1", "Equity")
	tb.textWith("[data-testid=suppressed-note]", "fewer than 5")
	gaps := tb.textWith("[data-testid=equity-gaps]", gap)
	if !strings.Contains(gaps, "of the area's population but") {
		t.Errorf("the gaps read %q", gaps)
	}
	row := tb.textWith("[data-testid=report-equity_gender] [data-testid=under-reached]", "Under-reached")
	label := map[string]string{"female": "Female", "male": "Male"}[group]
	if !strings.Contains(row, label) {
		t.Errorf("the under-reached row is %q, want %s's", row, label)
	}
	if eval[int](tb, `document.querySelectorAll("[data-testid=section-equity_gender] svg[role=img] title").length`) != 1 {
		t.Error("the gender table has no chart with a title beside it")
	}
	if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the equity page scrolls sideways at 320px: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}
}
