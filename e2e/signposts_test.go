package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestALinkWorkerSignpostsAndIsAskedToFollowThrough signposts a person:
// the link worker adds a listing at the level "signpost", opens its
// details to print, records that they handed them over, and the case then
// asks them to check at the next contact whether the person went; once
// they record that the person went, it asks no more.
func TestALinkWorkerSignpostsAndIsAskedToFollowThrough(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	worker := s.user(t, lwLogin.Email)
	caseID, _, _ := planCase(t, s)
	found, _, err := s.svc.Assets.FindAssets(as(worker), linkwork.AssetFilter{Accepting: true, Limit: 1})
	if err != nil || len(found) == 0 {
		t.Fatalf("the demo directory has no listing taking people: %v", err)
	}
	listing := found[0].Asset

	tb := newTab(t, s.URL)
	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	tb.run("search the directory", fill("activity", listing.Name), chromedp.Click(chromedp.CSS("[data-testid=activity-search] button")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=connect-form]")))
	tb.run("add the listing to signpost", pick("asset_id", listing.ID), choose("level", "signpost"),
		chromedp.Click(chromedp.CSS("[data-testid=connect-form] button")))
	tb.textWith(".govuk-notification-banner", "Activity added")

	list, _, err := s.svc.Connections.FindConnections(as(worker), linkwork.ConnectionFilter{CaseID: caseID})
	if err != nil || len(list) != 1 {
		t.Fatalf("the connection added: %v %v", list, err)
	}
	conn := `[data-testid="connection-` + list[0].ID + `"]`
	tb.run("open the details to print", chromedp.Click(chromedp.CSS(conn+" [data-testid=details-print]")))
	tb.textWith("[data-testid=activity-details]", listing.Name)
	tb.run("record that they were handed over", chromedp.Click(chromedp.CSS("form[action$='/details'] button")))
	tb.textWith(".govuk-notification-banner", "Recorded that you gave them the details")
	tb.textWith(conn+" [data-testid=connection-history]", "details given to them in person")
	tb.textWith(conn+" [data-testid=follow-through]", "ask at your next contact whether they went")

	moveForm := conn + ` details:has([data-testid=move-form])`
	tb.run("record that they went", chromedp.Click(chromedp.CSS(moveForm+" summary")), chromedp.Click(chromedp.CSS(moveForm+` input[name=to][value=attended]`)),
		chromedp.Click(chromedp.CSS(moveForm+" [data-testid=move-form] button")))
	tb.textWith(conn+" [data-testid=connection-history]", "Went for the first time")
	tb.waitUntil("the prompt to ask has gone", `!document.querySelector('`+conn+` [data-testid=follow-through]')`, 5*time.Second)
}
