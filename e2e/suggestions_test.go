package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestALinkWorkerAddsASuggestedActivity opens a case, reads the
// shortlist of suggested activities with why each is suggested, and adds
// the first with one button.
func TestALinkWorkerAddsASuggestedActivity(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	worker := s.user(t, lwLogin.Email)
	caseID, _, _ := planCase(t, s)
	want, err := s.svc.Connections.FindSuggestions(as(worker), caseID, 5)
	if err != nil || len(want) == 0 || len(want[0].Reasons) == 0 {
		t.Fatalf("no suggestions with reasons for the case: %v %v", want, err)
	}

	tb := newTab(t, s.URL)
	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	tb.run("ask for suggestions", chromedp.Click(chromedp.CSS("[data-testid=show-suggestions]")))
	tb.textWith("[data-testid=suggestions]", want[0].Name)
	tb.textWith("[data-testid=suggestion-reasons]", want[0].Reasons[0])
	tb.run("add the first suggestion", chromedp.Click(chromedp.CSS("[data-testid=suggestion-add] button")))
	tb.textWith(".govuk-notification-banner", "Activity added")
	tb.textWith("[data-testid=connections]", want[0].Name)

	list, _, err := s.svc.Connections.FindConnections(as(worker), linkwork.ConnectionFilter{CaseID: caseID})
	if err != nil || len(list) != 1 || list[0].AssetID != want[0].AssetID || list[0].Level != linkwork.LevelSignpost {
		t.Fatalf("the connection added: %v %v", list, err)
	}
}
