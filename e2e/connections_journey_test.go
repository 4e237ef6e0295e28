package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestAPersonIsConnectedToTheirCommunity walks the whole of connecting a
// person, as the link worker, two groups with no account, a coordinator
// and a third group see it. The link worker opens Robin's case and reads
// the suggestions with their reasons; refers Robin to a boxing club with
// no account, which declines through its link (no places); picks a
// walking group from the ranked alternatives the decline points to, to
// hand over in phases; sends it a link, which it accepts; records the
// three stages of the hand-over (stayed the whole session, met at the
// door, went alone); the group says through its next link that Robin
// came; the link worker asks the activity fund to pay the group's fee,
// above what it pays at once, and the coordinator approves it; and the
// demo community organisation, a third group, sees nothing of Robin.
func TestAPersonIsConnectedToTheirCommunity(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	vcsLogin, _ := demo.LoginFor(linkwork.RoleCommunity)
	worker, coord := s.user(t, lwLogin.Email), s.user(t, coLogin.Email)
	caseID, _, _ := planCase(t, s)
	boxing := groupWithoutAccount(t, s, "Kirkgate Boxing Club", "Kirkgate Youth Boxing", "coach@kirkgate-boxing.example")
	// The walking group meets at Robin's own postcode, takes people now,
	// welcomes young people and a link worker alongside, is easy to join,
	// and is what Robin asked for in their own words: the ranking puts it
	// among the first it suggests.
	walks := groupWithoutAccount(t, s, "Riverside Walkers", "Riverside Wellbeing Walks", "walks@riverside-walkers.example")
	near, _, err := s.svc.Assets.FindAssets(systemCtx(), linkwork.AssetFilter{Accepting: true, Limit: 1})
	if err != nil || len(near) == 0 || near[0].Asset.Place() == nil {
		t.Fatalf("no listing in the demo city with a place: %v", err)
	}
	home := near[0].Asset.Place().PostalCode
	walks.YouthFriendly, walks.BuddyWelcome, walks.HowToJoin = true, true, linkwork.JoinDropIn
	walks.CostOptions = []linkwork.CostOption{{Option: "Per term", Amount: linkwork.Int(4000)}}
	walks.Locations[0].PostalCode, walks.Locations[0].Lat, walks.Locations[0].Lon = home, 0, 0
	if err := s.svc.Assets.UpdateAsset(systemCtx(), walks); err != nil {
		t.Fatal(err)
	}
	k, err := s.svc.Cases.FindCaseByID(as(worker), caseID)
	if err != nil {
		t.Fatal(err)
	}
	robin, err := s.svc.People.FindPersonByID(as(worker), k.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	robin.Postcode = home
	if err := s.svc.People.UpdatePerson(as(worker), robin); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Cases.UpdateCaseAbout(as(worker), caseID, linkwork.CaseAbout{Version: k.Version, WhatMatters: "Getting outdoors",
		NeedDomains: []linkwork.CaseNeed{{Domain: linkwork.NeedActivity, Words: "riverside wellbeing walks"}}}); err != nil {
		t.Fatal(err)
	}
	today := time.Now()
	fund := &linkwork.Fund{Name: "Activity fund for 11-18s", BudgetPence: 50000, ThresholdPence: 2500, MinAge: 11, MaxAge: 18,
		StartsOn: linkwork.DateOf(today.AddDate(0, -1, 0)), EndsOn: linkwork.DateOf(today.AddDate(0, 11, 0))}
	if err := s.svc.Funds.CreateFund(as(coord), fund); err != nil {
		t.Fatal(err)
	}

	lw := newTab(t, s.URL)
	lw.signIn(lwLogin.Email, s.cfg.Password)
	lw.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))

	// Suggestions, with why.
	first, err := s.svc.Connections.FindSuggestions(as(worker), caseID, 5)
	if err != nil || len(first) == 0 || len(first[0].Reasons) == 0 {
		t.Fatalf("no suggestions with reasons: %v %v", first, err)
	}
	lw.open("/cases/" + caseID)
	lw.run("ask for suggestions", chromedp.Click(chromedp.CSS("[data-testid=show-suggestions]")))
	lw.textWith("[data-testid=suggestions]", first[0].Name)
	lw.textWith("[data-testid=suggestion-reasons]", first[0].Reasons[0])

	// Refer to the boxing club, which has no account; it declines.
	lw.run("find the boxing club", fill("activity", boxing.Name), chromedp.Click(chromedp.CSS("[data-testid=activity-search] button")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=connect-form]")))
	lw.run("refer Robin to it", pick("asset_id", boxing.ID), choose("level", "refer"), chromedp.Click(chromedp.CSS("[data-testid=connect-form] button")))
	lw.textWith(".govuk-notification-banner", "Activity added")
	boxingConn := connectionTo(t, s, worker, caseID, boxing.ID)
	sendGroupLink(lw, boxingConn, boxing.Email)

	club := newTab(t, s.URL)
	club.open("/answer/" + waitingToken(t, s, boxing.Email))
	club.textWith("[data-testid=answer-question]", "Can you take Robin")
	club.run("decline: no places", choose("answer", "decline"), choose("reason", "full"), chromedp.Click(chromedp.CSS("[data-testid=answer-send]")))
	club.textWith("[data-testid=answer-done]", "Thank you")

	// The decline points the link worker to ranked alternatives.
	lw.open("/notifications")
	lw.textWith("[data-testid=notifications]", "Kirkgate Youth Boxing cannot take Robin")
	lw.run("open the case from the message", chromedp.Click(chromedp.CSS(`[data-testid=notifications] a[href*="suggest=1"]`)))
	alternatives, err := s.svc.Connections.FindSuggestions(as(worker), caseID, 5)
	if err != nil {
		t.Fatal(err)
	}
	at := -1
	for i, sg := range alternatives {
		if sg.AssetID == walks.ID {
			at = i
		}
	}
	if at < 0 {
		t.Fatalf("the walking group is not among the ranked alternatives: %v", alternatives)
	}
	lw.textWith("[data-testid=suggestions]", walks.Name)
	lw.run("add the walking group, to hand over in phases",
		chromedp.SetValue(chromedp.CSS(fmt.Sprintf("#suggestion-level-%d", at)), string(linkwork.LevelPhased)),
		chromedp.Click(chromedp.CSS(fmt.Sprintf("[data-testid=suggestion]:nth-child(%d) [data-testid=suggestion-add] button", at+1))))
	lw.textWith(".govuk-notification-banner", "Activity added")
	walksConn := connectionTo(t, s, worker, caseID, walks.ID)
	sendGroupLink(lw, walksConn, walks.Email)

	group := newTab(t, s.URL)
	group.open("/answer/" + waitingToken(t, s, walks.Email))
	group.run("accept Robin", choose("answer", "accept"), chromedp.Click(chromedp.CSS("[data-testid=answer-send]")))
	group.textWith("[data-testid=answer-next]", "We have sent you another link")

	// The hand-over, in three stages.
	lw.open("/cases/" + caseID)
	stageForm := walksConn + ` details:has([data-testid=stage-form])`
	for _, st := range linkwork.HandOverStages {
		lw.run("record the stage "+string(st), chromedp.Click(chromedp.CSS(stageForm+" summary")),
			chromedp.Click(chromedp.CSS(stageForm+" [data-testid=stage-form] button")))
		lw.textWith(walksConn+" [data-testid=connection-history]", st.Label())
	}

	// The group says Robin came.
	group.open("/answer/" + waitingToken(t, s, walks.Email))
	group.textWith("[data-testid=answer-question]", "Did Robin come to Riverside Wellbeing Walks?")
	group.run("say Robin came", choose("answer", "came"), chromedp.Click(chromedp.CSS("[data-testid=answer-send]")))
	group.textWith("[data-testid=answer-next]", "still coming")
	lw.open("/cases/" + caseID)
	lw.textWith(walksConn+" [data-testid=connection-history]", "Went for the first time · answered by Riverside Walkers through its link")

	// The fund pays the term's fee after the coordinator approves it.
	form := walksConn + ` details:has([data-testid=fund-request-form])`
	lw.run("ask the fund for the fee", chromedp.Click(chromedp.CSS(form+" summary")),
		chromedp.SetValue(chromedp.CSS(form+` select[name=fund_id]`), fund.ID), chromedp.Click(chromedp.CSS(form+` input[name=fund_category][value=fees]`)),
		chromedp.SendKeys(chromedp.CSS(form+` input[name=fund_amount]`), "40"), chromedp.SendKeys(chromedp.CSS(form+` input[name=fund_note]`), "A term of walks"),
		chromedp.Click(chromedp.CSS(form+" [data-testid=fund-request-form] button")))
	lw.textWith(".govuk-notification-banner", "a coordinator will decide")
	lw.textWith(walksConn+` [data-testid=fund-requests]`, "Waiting for a coordinator")

	co := newTab(t, s.URL)
	co.signIn(coLogin.Email, s.cfg.Password)
	co.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	co.open("/funds")
	waiting, _, err := s.svc.Funds.FindFundRequests(as(coord), linkwork.FundRequestFilter{CaseID: caseID})
	if err != nil || len(waiting) != 1 {
		t.Fatalf("the request: %v %v", waiting, err)
	}
	co.run("approve it", chromedp.Click(chromedp.CSS(`#request-`+waiting[0].ID+` [data-testid=approve-form] button`)))
	co.textWith(".govuk-notification-banner", "Approved")
	co.textWith(`#fund-`+fund.ID+` [data-testid=fund-balance]`, "£460.00")
	lw.open("/cases/" + caseID)
	lw.textWith(walksConn+` [data-testid=fund-paid]`, "Funds have paid £40.00")

	// A third group sees nothing of Robin.
	vcs := newTab(t, s.URL)
	vcs.signIn(vcsLogin.Email, s.cfg.Password)
	vcs.run("wait for the organisation's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	vcs.open("/connections")
	if page := vcs.text("main"); strings.Contains(page, "Planwell") || strings.Contains(page, "Robin") {
		t.Fatalf("a third group's connections page shows Robin")
	}
	// Cases are not a community organisation's to open at all.
	vcs.expectStatus("/cases/"+caseID, http.StatusForbidden)
	vcs.open("/cases/" + caseID)
	vcs.textWith("h1", "You cannot see this page")
	if page := vcs.text("main"); strings.Contains(page, "Planwell") || strings.Contains(page, "Robin") {
		t.Fatalf("a third group sees Robin's case")
	}
}

// connectionTo is the selector of the case's connection to the listing.
func connectionTo(t *testing.T, s *site, worker *linkwork.User, caseID, assetID string) string {
	t.Helper()
	list, _, err := s.svc.Connections.FindConnections(as(worker), linkwork.ConnectionFilter{CaseID: caseID, AssetID: assetID})
	if err != nil || len(list) != 1 {
		t.Fatalf("the connection to %s: %v %v", assetID, list, err)
	}
	return `[data-testid="connection-` + list[0].ID + `"]`
}

// sendGroupLink sends the group its link to answer, by email to the
// listing's contact, from the connection on the case page.
func sendGroupLink(lw *tab, conn, to string) {
	lw.t.Helper()
	form := conn + ` details:has([data-testid=link-form])`
	lw.run("send the group a link", chromedp.Click(chromedp.CSS(form+" summary")),
		chromedp.Click(chromedp.CSS(form+" [data-testid=link-form] button")))
	lw.textWith(".govuk-notification-banner", "The link is on its way")
	lw.textWith(conn+" [data-testid=answer-links]", to)
}
