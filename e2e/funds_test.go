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

// TestAFundPaysTheFeeAfterACoordinatorsApproval follows money from a
// fund to an activity: the coordinator, with Funds under More,
// adds an activity fund for 11-18s that pays up to £25 at once; the link
// worker asks it, from a connection on a 15-year-old's case, for a £60
// fee, which waits; the coordinator approves it on the funds page, where
// the fund's balance falls by £60; and the case page shows the fee paid.
func TestAFundPaysTheFeeAfterACoordinatorsApproval(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	worker, coord := s.user(t, lwLogin.Email), s.user(t, coLogin.Email)
	caseID, _, _ := planCase(t, s)
	listings, _, err := s.svc.Assets.FindAssets(as(worker), linkwork.AssetFilter{Accepting: true, Limit: 1})
	if err != nil || len(listings) == 0 {
		t.Fatalf("no listing taking people: %v", err)
	}
	conn := &linkwork.Connection{CaseID: caseID, AssetID: listings[0].Asset.ID, Level: linkwork.LevelRefer}
	if err := s.svc.Connections.CreateConnection(as(worker), conn); err != nil {
		t.Fatal(err)
	}
	if conn, err = s.svc.Connections.MoveConnection(as(worker), conn.ID, linkwork.ConnectionMove{To: linkwork.ConnContacted, Version: conn.Version}); err != nil {
		t.Fatal(err)
	}
	const fundName = "Activity fund for 11-18s"
	now := time.Now()

	tb := newTab(t, s.URL)
	tb.signIn(coLogin.Email, s.cfg.Password)
	tb.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.textWith("nav[aria-label=Menu]", "More")
	tb.open("/more")
	tb.textWith("[data-testid=more-links]", "Funds")
	tb.open("/funds")
	tb.run("add the fund", fill("name", fundName), fill("budget", "500"), fill("threshold", "25"),
		fill("starts-day", "1"), fill("starts-month", fmt.Sprint(int(now.Month()))), fill("starts-year", fmt.Sprint(now.Year())),
		fill("ends-day", "1"), fill("ends-month", fmt.Sprint(int(now.Month()))), fill("ends-year", fmt.Sprint(now.Year()+1)),
		fill("min_age", "11"), fill("max_age", "18"),
		chromedp.Click(chromedp.CSS("[data-testid=fund-form] button")))
	tb.textWith(".govuk-notification-banner", "Fund added")
	funds, _, err := s.svc.Funds.FindFunds(as(coord), linkwork.FundFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var fund *linkwork.Fund
	for _, f := range funds {
		if f.Name == fundName {
			fund = f
		}
	}
	if fund == nil {
		t.Fatalf("the fund was not added: %v", funds)
	}
	row := `#fund-` + fund.ID
	if got := tb.textWith(row+` [data-testid=fund-balance]`, "£500.00"); got != "£500.00" {
		t.Fatalf("a new fund has %q left", got)
	}
	tb.signOut()

	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	card := `[data-testid="connection-` + conn.ID + `"]`
	form := card + ` details:has([data-testid=fund-request-form])`
	tb.run("ask the fund for the fee", chromedp.Click(chromedp.CSS(form+" summary")),
		chromedp.SetValue(chromedp.CSS(form+` select[name=fund_id]`), fund.ID), chromedp.Click(chromedp.CSS(form+` input[name=fund_category][value=fees]`)),
		chromedp.SendKeys(chromedp.CSS(form+` input[name=fund_amount]`), "60"), chromedp.SendKeys(chromedp.CSS(form+` input[name=fund_note]`), "Ten weeks of boxing club"),
		chromedp.Click(chromedp.CSS(form+" [data-testid=fund-request-form] button")))
	tb.textWith(".govuk-notification-banner", "a coordinator will decide")
	tb.textWith(card+` [data-testid=fund-requests]`, "Waiting for a coordinator")
	tb.signOut()

	tb.signIn(coLogin.Email, s.cfg.Password)
	tb.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/funds")
	waiting, _, err := s.svc.Funds.FindFundRequests(as(coord), linkwork.FundRequestFilter{CaseID: caseID})
	if err != nil || len(waiting) != 1 {
		t.Fatalf("the request: %v %v", waiting, err)
	}
	request := `#request-` + waiting[0].ID
	tb.textWith(request, "£60.00 for fees from "+fundName)
	tb.run("approve it", chromedp.Click(chromedp.CSS(request+` [data-testid=approve-form] button`)))
	tb.textWith(".govuk-notification-banner", "Approved")
	if got := tb.textWith(row+` [data-testid=fund-balance]`, "£440.00"); got != "£440.00" {
		t.Fatalf("after paying £60 the fund has %q left", got)
	}
	// The funds page, its tables and its form fit a 320px phone.
	tb.run("emulate a 320px phone", chromedp.EmulateViewport(320, 640))
	tb.open("/funds")
	tb.run("wait for the funds", chromedp.WaitVisible(chromedp.CSS("[data-testid=fund-form]")))
	if o := eval[overflow](tb, readOverflow); o.InnerWidth != 320 {
		t.Fatalf("the window is %dpx wide, not the phone's 320px", o.InnerWidth)
	} else if o.ScrollWidth > o.InnerWidth {
		t.Errorf("/funds scrolls sideways on a phone: %dpx of content in %dpx; too wide:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}
	tb.run("back to a desktop", chromedp.EmulateReset())
	tb.signOut()

	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	tb.textWith(card+` [data-testid=fund-requests]`, "Paid")
	paid := tb.textWith(card+` [data-testid=fund-paid]`, "£60.00")
	if !strings.Contains(paid, "Funds have paid £60.00") {
		t.Fatalf("the case page says %q", paid)
	}
}
