package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestALinkWorkerPhasesAHandOverAndRecordsThatThePersonLikedIt follows a
// phased connection from the case page: the link worker adds a listing at
// the level "phased", records each stage of the hand-over in turn (the
// whole session, at the door, alone), records that the person went, and
// then that they liked it and why; the stages show in the connection's
// history and the view beside it.
func TestALinkWorkerPhasesAHandOverAndRecordsThatThePersonLikedIt(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	vcsLogin, _ := demo.LoginFor(linkwork.RoleCommunity)
	worker, vcs := s.user(t, lwLogin.Email), s.user(t, vcsLogin.Email)
	caseID, _, _ := planCase(t, s)
	theirs, _, err := s.svc.Assets.FindAssets(as(worker), linkwork.AssetFilter{OrgID: vcs.OrgID, Accepting: true, Limit: 1})
	if err != nil || len(theirs) == 0 {
		t.Fatalf("the demo community organisation has no listing taking people: %v", err)
	}
	listing := theirs[0].Asset

	tb := newTab(t, s.URL)
	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	tb.run("search the directory", fill("activity", listing.Name), chromedp.Click(chromedp.CSS("[data-testid=activity-search] button")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=connect-form]")))
	tb.run("add the listing to hand over in phases", pick("asset_id", listing.ID), choose("level", "phased"),
		chromedp.Click(chromedp.CSS("[data-testid=connect-form] button")))
	tb.textWith(".govuk-notification-banner", "Activity added")

	list, _, err := s.svc.Connections.FindConnections(as(worker), linkwork.ConnectionFilter{CaseID: caseID})
	if err != nil || len(list) != 1 || list[0].Level != linkwork.LevelPhased {
		t.Fatalf("the connection added: %v %v", list, err)
	}
	conn := `[data-testid="connection-` + list[0].ID + `"]`
	stageForm := conn + ` details:has([data-testid=stage-form])`
	for _, st := range linkwork.HandOverStages {
		tb.run("record the stage "+string(st), chromedp.Click(chromedp.CSS(stageForm+" summary")),
			chromedp.Click(chromedp.CSS(stageForm+" [data-testid=stage-form] button")))
		tb.textWith(conn+" [data-testid=connection-history]", st.Label())
	}

	moveForm := conn + ` details:has([data-testid=move-form])`
	tb.run("record that they went", chromedp.Click(chromedp.CSS(moveForm+" summary")), chromedp.Click(chromedp.CSS(moveForm+` input[name=to][value=attended]`)),
		chromedp.Click(chromedp.CSS(moveForm+" [data-testid=move-form] button")))
	tb.textWith(conn+" [data-testid=connection-history]", "Went for the first time")

	viewForm := conn + ` details:has([data-testid=view-form])`
	tb.run("record that they liked it", chromedp.Click(chromedp.CSS(viewForm+" summary")), chromedp.Click(chromedp.CSS(viewForm+` input[name=view][value=liked_it]`)),
		chromedp.SendKeys(chromedp.CSS(viewForm+` textarea[name=why]`), "The coach made them feel welcome"),
		chromedp.Click(chromedp.CSS(viewForm+" [data-testid=view-form] button")))
	view := tb.textWith(conn+" [data-testid=connection-view]", "Liked it")
	if !strings.Contains(view, "The coach made them feel welcome") {
		t.Fatalf("the view does not say why: %q", view)
	}
	history := tb.textWith(conn+" [data-testid=connection-history]", "They went alone")
	for _, st := range linkwork.HandOverStages {
		if !strings.Contains(history, st.Label()) || !strings.Contains(history, worker.Name) {
			t.Fatalf("the history does not show %q by whom: %q", st.Label(), history)
		}
	}
}
