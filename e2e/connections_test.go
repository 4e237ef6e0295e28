package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestALinkWorkerRefersAndTheGroupAccepts follows a connection from the
// case page to the group's answer: the link worker finds a listing run by
// the demo community organisation, adds it at the level "refer" and
// records contacting the group; the group's user finds the person on
// "People referred to us" and accepts; the link worker sees "accepted",
// dated, in the connection's history.
func TestALinkWorkerRefersAndTheGroupAccepts(t *testing.T) {
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
	tb.run("add the listing to refer them", pick("asset_id", listing.ID), choose("level", "refer"),
		chromedp.Click(chromedp.CSS("[data-testid=connect-form] button")))
	tb.textWith(".govuk-notification-banner", "Activity added")

	list, _, err := s.svc.Connections.FindConnections(as(worker), linkwork.ConnectionFilter{CaseID: caseID})
	if err != nil || len(list) != 1 || list[0].AssetID != listing.ID || list[0].Level != linkwork.LevelRefer {
		t.Fatalf("the connection added: %v %v", list, err)
	}
	conn := `[data-testid="connection-` + list[0].ID + `"]`
	tb.textWith(conn+" [data-testid=connection-history]", "Suggested")
	tb.run("record contacting the group", chromedp.Click(chromedp.CSS(conn+" summary")), chromedp.Click(chromedp.CSS(conn+` input[name=to][value=contacted]`)),
		chromedp.Click(chromedp.CSS(conn+" [data-testid=move-form] button")))
	tb.textWith(conn+" [data-testid=connection-history]", "Activity contacted")
	tb.signOut()

	tb.signIn(vcsLogin.Email, s.cfg.Password)
	tb.run("wait for the group's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/connections")
	answer := `[data-testid="answer-` + list[0].ID + `"]`
	tb.textWith("[data-testid=connections]", "Robin")
	tb.run("accept the person", chromedp.Click(chromedp.CSS(answer+" summary")), chromedp.Click(chromedp.CSS(answer+` input[name=to][value=accepted]`)),
		chromedp.Click(chromedp.CSS(answer+" [data-testid=move-form] button")))
	tb.textWith(".govuk-notification-banner", "Your answer has been recorded")
	tb.signOut()

	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home again", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	today := time.Now().In(ukTime()).Format("2 January 2006")
	history := tb.textWith(conn+" [data-testid=connection-history]", "Accepted by the activity")
	if !strings.Contains(history, today+": Accepted by the activity") || !strings.Contains(history, vcs.Name) {
		t.Fatalf("the history does not date the acceptance and say who: %q", history)
	}
}

// TestAGroupDeclinesAndTheLinkWorkerSeesAlternatives follows a decline:
// the group answers that it has no places; the link worker is told in
// their messages at once, and the message opens the case's ranked
// suggestions, so that the person is not left waiting.
func TestAGroupDeclinesAndTheLinkWorkerSeesAlternatives(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	vcsLogin, _ := demo.LoginFor(linkwork.RoleCommunity)
	worker, vcs := s.user(t, lwLogin.Email), s.user(t, vcsLogin.Email)
	caseID, _, _ := planCase(t, s)
	theirs, _, err := s.svc.Assets.FindAssets(as(worker), linkwork.AssetFilter{OrgID: vcs.OrgID, Accepting: true, Limit: 1})
	if err != nil || len(theirs) == 0 {
		t.Fatalf("the demo community organisation has no listing taking people: %v", err)
	}
	c := &linkwork.Connection{CaseID: caseID, AssetID: theirs[0].Asset.ID, Level: linkwork.LevelRefer}
	if err := s.svc.Connections.CreateConnection(as(worker), c); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Connections.MoveConnection(as(worker), c.ID, linkwork.ConnectionMove{To: linkwork.ConnContacted, Version: c.Version}); err != nil {
		t.Fatal(err)
	}

	tb := newTab(t, s.URL)
	tb.signIn(vcsLogin.Email, s.cfg.Password)
	tb.run("wait for the group's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/connections")
	answer := `[data-testid="answer-` + c.ID + `"]`
	tb.textWith("[data-testid=connections]", "Robin")
	// The group reads the status as what is asked of it.
	tb.textWith("[data-testid=connections]", "Waiting for your answer")
	tb.run("decline: no places", chromedp.Click(chromedp.CSS(answer+" summary")), chromedp.Click(chromedp.CSS(answer+` input[name=to][value=declined_by_asset]`)),
		chromedp.SetValue(chromedp.CSS(answer+` select[name=decline_reason]`), string(linkwork.DeclineFull)),
		chromedp.Click(chromedp.CSS(answer+" [data-testid=move-form] button")))
	tb.textWith(".govuk-notification-banner", "Your answer has been recorded")
	tb.signOut()

	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.run("open the messages", chromedp.Click(chromedp.CSS(`nav a[href="/notifications"]`)))
	tb.textWith("[data-testid=notifications]", theirs[0].Asset.Name+" cannot take")
	tb.textWith("[data-testid=notifications]", "no places")
	tb.run("open the case from the message", chromedp.Click(chromedp.CSS(`[data-testid=notifications] a[href="/cases/`+caseID+`?suggest=1#suggestions"]`)))
	want, err := s.svc.Connections.FindSuggestions(as(worker), caseID, 5)
	if err != nil || len(want) == 0 {
		t.Fatalf("no suggestions for the case: %v %v", want, err)
	}
	tb.textWith("[data-testid=suggestions]", want[0].Name)
}
