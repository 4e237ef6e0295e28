package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestALinkWorkerLogsAGapAndTheCoordinatorSeesItCounted follows an unmet
// need from the case page to the coordinator's totals: the link worker
// logs that nothing nearby offers climbing; the coordinator, with Gaps under
// More, finds it counted under sports and listed among
// the newest, with the person's district but not their name.
func TestALinkWorkerLogsAGapAndTheCoordinatorSeesItCounted(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	caseID, _, _ := planCase(t, s)
	const wanted = "Indoor climbing after school"

	tb := newTab(t, s.URL)
	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	tb.run("log the gap", pick("gap_category", string(linkwork.CategorySports)), fill("gap_wanted", wanted), choose("gap_missing", string(linkwork.GapNoneNearby)),
		chromedp.Click(chromedp.CSS("[data-testid=gap-form] button")))
	tb.textWith(".govuk-notification-banner", "Gap logged")
	tb.signOut()

	tb.signIn(coLogin.Email, s.cfg.Password)
	tb.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.textWith("nav[aria-label=Menu]", "More")
	tb.open("/more")
	tb.textWith("[data-testid=more-links]", "Gaps")
	tb.open("/gaps")
	tb.textWith("[data-testid=gaps-by-category]", "Sports")
	newest := tb.textWith("[data-testid=gaps-newest]", wanted)
	tb.textWith("[data-testid=gaps-newest]", "Nothing nearby")
	k, err := s.svc.Cases.FindCaseByID(as(s.user(t, coLogin.Email)), caseID)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(newest, k.PersonName) {
		t.Fatalf("the gaps page names the person: %q", newest)
	}
}
