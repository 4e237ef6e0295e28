package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
)

// groupWithoutAccount adds an organisation no one in linkwork works for,
// with one listing whose contact email is given, and returns the listing.
func groupWithoutAccount(t *testing.T, s *site, org, activity, email string) *linkwork.Asset {
	t.Helper()
	sys := systemCtx()
	o := &linkwork.Organisation{Name: org, Kind: linkwork.OrgVCS, Postcode: "LS9 1AA"}
	if err := s.svc.Organisations.CreateOrganisation(sys, o); err != nil {
		t.Fatal(err)
	}
	a := &linkwork.Asset{OrgID: o.ID, Name: activity, Description: "A friendly weekly group for young people", Categories: []linkwork.Category{linkwork.CategorySports},
		Status: linkwork.AssetActive, HowToJoin: linkwork.JoinReferral, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting}, MinAge: 11, MaxAge: 19,
		CostOptions: linkwork.FreeOfCharge(), Email: email,
		Locations: []linkwork.Location{{Type: linkwork.LocationPhysical, Name: "Community hall", Address1: "1 Kirkgate", City: "Leeds", PostalCode: "LS9 1AA"}}}
	if err := s.svc.Assets.CreateAsset(sys, a); err != nil {
		t.Fatal(err)
	}
	return a
}

// waitingToken is the token of the newest link waiting to go to the
// address, read from the outbox (the end of the link in its message).
func waitingToken(t *testing.T, s *site, to string) string {
	t.Helper()
	pending, err := sqlstore.NewAnswerLinkService(s.db).PendingMessages(systemCtx(), 500)
	if err != nil {
		t.Fatal(err)
	}
	token := ""
	for _, m := range pending {
		if m.To == to {
			_, token, _ = strings.Cut(m.Body, "/answer/")
		}
	}
	if token == "" {
		t.Fatalf("no link is waiting to go to %s", to)
	}
	return token
}

// TestAGroupWithoutAnAccountAnswersThroughItsLink: a link worker refers a
// 15-year-old to a boxing club that has no account, records first that
// they agree to their details going to groups, and sends the club a link
// by email. The club opens it in a browser of its own, with no sign-in,
// sees who to welcome and declines: no places. The link worker sees the
// decline, the club's through its link, in the connection's history and
// in their messages. They refer the person to a walking group instead,
// which accepts through its link, and later says, through the link it is
// sent for that, that they came.
func TestAGroupWithoutAnAccountAnswersThroughItsLink(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	worker := s.user(t, lwLogin.Email)
	caseID, _, _ := planCaseAsked(t, s, false)
	boxing := groupWithoutAccount(t, s, "Kirkgate Boxing Club", "Kirkgate Youth Boxing", "coach@kirkgate-boxing.example")
	walks := groupWithoutAccount(t, s, "Riverside Walkers", "Riverside Wellbeing Walks", "walks@riverside-walkers.example")

	lw := newTab(t, s.URL)
	lw.signIn(lwLogin.Email, s.cfg.Password)
	lw.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	refer := func(a *linkwork.Asset) string {
		t.Helper()
		lw.open("/cases/" + caseID)
		lw.run("find "+a.Name, fill("activity", a.Name), chromedp.Click(chromedp.CSS("[data-testid=activity-search] button")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=connect-form]")))
		lw.run("refer them to "+a.Name, pick("asset_id", a.ID), choose("level", "refer"), chromedp.Click(chromedp.CSS("[data-testid=connect-form] button")))
		lw.textWith(".govuk-notification-banner", "Activity added")
		list, _, err := s.svc.Connections.FindConnections(as(worker), linkwork.ConnectionFilter{CaseID: caseID})
		if err != nil || len(list) == 0 || list[0].AssetID != a.ID {
			t.Fatalf("the connection added: %v %v", list, err)
		}
		return `[data-testid="connection-` + list[0].ID + `"]`
	}
	sendLink := func(conn, to string) {
		t.Helper()
		form := conn + ` details:has([data-testid=link-form])`
		lw.run("send the group a link", chromedp.Click(chromedp.CSS(form+" summary")))
		if got := eval[string](lw, `document.querySelector('`+form+` [name=link_email]').value`); got != to {
			t.Fatalf("the link would go to %q, not the listing's contact %q", got, to)
		}
		lw.run("send it by email", chromedp.Click(chromedp.CSS(form+" [data-testid=link-form] button")))
		lw.textWith(".govuk-notification-banner", "The link is on its way")
		lw.textWith(conn+" [data-testid=answer-links]", to)
	}

	boxingConn := refer(boxing)
	lw.textWith("[data-testid=share-status]", "Not asked yet")
	lw.run("record that they agree to their details going to groups", choose("share_consent", "self"),
		chromedp.Click(chromedp.CSS("[data-testid=share-form] button")))
	lw.textWith("[data-testid=share-status]", "They agreed")
	sendLink(boxingConn, boxing.Email)
	lw.textWith(boxingConn+" [data-testid=connection-history]", "Activity contacted")

	club := newTab(t, s.URL)
	club.open("/answer/" + waitingToken(t, s, boxing.Email))
	club.textWith("[data-testid=answer-question]", "Can you take Robin at Kirkgate Youth Boxing?")
	club.textWith("[data-testid=answer-name]", "Robin Planwell")
	club.textWith("[data-testid=answer-contact]", "07700 900555")
	club.textWith("[data-testid=answer-link-worker]", worker.Name)
	club.run("decline: no places", choose("answer", "decline"), choose("reason", "full"), chromedp.Click(chromedp.CSS("[data-testid=answer-send]")))
	club.textWith("[data-testid=answer-done]", "Thank you")

	lw.open("/cases/" + caseID)
	lw.textWith(boxingConn+" [data-testid=connection-history]", "The activity could not take them (No places) · answered by Kirkgate Boxing Club through its link")
	lw.textWith(boxingConn+" [data-testid=answer-links]", "Answered: no, we cannot take them")
	lw.open("/notifications")
	lw.textWith("[data-testid=notifications]", "Kirkgate Youth Boxing cannot take Robin")

	walksConn := refer(walks)
	sendLink(walksConn, walks.Email)
	group := newTab(t, s.URL)
	group.open("/answer/" + waitingToken(t, s, walks.Email))
	group.run("accept them", choose("answer", "accept"), chromedp.SendKeys(chromedp.CSS("[name=note]"), "Saturdays at ten, by the bandstand"),
		chromedp.Click(chromedp.CSS("[data-testid=answer-send]")))
	group.textWith("[data-testid=answer-next]", "We have sent you another link")

	group.open("/answer/" + waitingToken(t, s, walks.Email))
	group.textWith("[data-testid=answer-question]", "Did Robin come to Riverside Wellbeing Walks?")
	group.run("say they came", choose("answer", "came"), chromedp.Click(chromedp.CSS("[data-testid=answer-send]")))
	group.textWith("[data-testid=answer-next]", "still coming")

	lw.open("/cases/" + caseID)
	history := lw.textWith(walksConn+" [data-testid=connection-history]", "Went for the first time · answered by Riverside Walkers through its link")
	if !strings.Contains(history, "Accepted by the activity · answered by Riverside Walkers through its link") {
		t.Fatalf("the history does not show the acceptance through the link: %q", history)
	}
	lw.textWith(walksConn+" [data-testid=connection-note]", "Riverside Walkers (through its link): Saturdays at ten, by the bandstand")
}
