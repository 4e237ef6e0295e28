package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestOffTheWaitingList follows people off the waiting list: a
// coordinator allocates the first person to a link worker chosen by their
// caseload, and the case page shows the worker; the link worker finds
// them on their caseload with first contact due, and takes the next
// person themselves.
func TestOffTheWaitingList(t *testing.T) {
	s := newSite(t)
	coordLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	workerLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coord, worker := s.user(t, coordLogin.Email), s.user(t, workerLogin.Email)
	// Room on the caseload, whatever the demo gave the worker.
	set, err := s.svc.Triage.ServiceSettings(as(coord), coord.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	set.Casework.CaseloadLimit = linkwork.MaxCaseloadLimit
	if err := s.svc.Triage.SaveServiceSettings(as(coord), set); err != nil {
		t.Fatal(err)
	}
	list, err := s.svc.Triage.WaitingList(as(coord), 0, 2)
	if err != nil || len(list.Entries) < 2 {
		t.Fatalf("the demo needs two people waiting: %v", err)
	}
	first, second := list.Entries[0].Case, list.Entries[1].Case

	tb := newTab(t, s.URL)
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/waiting-list")
	tb.run("wait for the waiting list", chromedp.WaitVisible(chromedp.CSS("[data-testid=allocate-row]")))
	row := `[data-testid=waiting-list] tbody tr:first-child`
	if got := tb.text(row); !strings.Contains(got, first.PersonName) {
		t.Fatalf("the first row is not %s:\n%s", first.PersonName, got)
	}
	if got := tb.text(row + ` select`); !strings.Contains(got, worker.Name+" (") || !strings.Contains(got, "weighted") {
		t.Errorf("the choice of worker does not show their caseload:\n%s", got)
	}
	tb.run("allocate the first person to the link worker",
		chromedp.SetValue(chromedp.CSS(row+` select`), worker.ID),
		chromedp.Click(chromedp.CSS(row+` button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=allocation-worker]")))
	if got := tb.text("[data-testid=case-worker]"); got != worker.Name {
		t.Errorf("the case page shows the worker %q, want %q", got, worker.Name)
	}
	if got := tb.text("[data-testid=allocation-worker]"); !strings.HasPrefix(got, worker.Name+", since") {
		t.Errorf("the allocation says %q", got)
	}
	if got := tb.text(".govuk-notification-banner"); !strings.Contains(got, "Link worker allocated") {
		t.Errorf("no notice of the allocation: %q", got)
	}

	// The link worker sees them, with first contact due.
	tb.open("/")
	tb.run("back home to sign out", chromedp.WaitVisible(chromedp.CSS("[data-testid=sign-out]")))
	tb.signOut()
	tb.signIn(worker.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.run("open the caseload from the navigation", chromedp.Click(chromedp.CSS(`.govuk-service-navigation__link[href="/caseload"]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=caseload]")))
	var found bool
	for _, r := range eval[[]string](tb, `[...document.querySelectorAll('[data-testid=caseload-row]')].map(r => r.innerText)`) {
		if strings.Contains(r, first.PersonName) {
			found = true
			if !strings.Contains(r, "First contact due by") {
				t.Errorf("the caseload row does not say first contact is due:\n%s", r)
			}
		}
	}
	if !found {
		t.Fatalf("%s is not on the caseload", first.PersonName)
	}

	// And takes the next person.
	tb.run("take the next person", chromedp.Click(chromedp.CSS("[data-testid=take-next]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=allocation-worker]")))
	if got := tb.text("h1"); got != second.PersonName {
		t.Errorf("took %q, want the next waiting %q", got, second.PersonName)
	}
	if got := tb.text("[data-testid=case-worker]"); got != worker.Name {
		t.Errorf("the taken case's worker is %q", got)
	}
}

// TestACheckInThatIsNotSafeGoesToTheTopOfTriage: a link worker checks in
// with someone on the waiting list who says they are not safe now; the
// coordinator's triage page then leads with them, flagged while waiting,
// until the risk review is recorded.
func TestACheckInThatIsNotSafeGoesToTheTopOfTriage(t *testing.T) {
	s := newSite(t)
	coordLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	workerLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coord := s.user(t, coordLogin.Email)
	list, err := s.svc.Triage.WaitingList(as(coord), 0, 1)
	if err != nil || len(list.Entries) == 0 {
		t.Fatalf("the demo needs someone waiting: %v", err)
	}
	person := list.Entries[0].Case

	tb := newTab(t, s.URL)
	tb.signIn(workerLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/waiting-list")
	tb.run("open the check-in for the first person",
		chromedp.Click(chromedp.CSS(`[data-testid=waiting-list] tbody tr:first-child [data-testid=check-in]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=waiting-check-form]")))
	if got := tb.text("h1"); got != "Check in with "+person.PersonName {
		t.Fatalf("the check-in is for %q", got)
	}
	tb.run("record that they are not safe now",
		choose("contacted", "yes"), choose("still_wants", "yes"), fill("changed", "Things are worse at home"),
		choose("safe_now", "no"), choose("harm_thoughts", "not_sure"),
		chromedp.Click(chromedp.CSS("[data-testid=waiting-check-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=waiting-checks]")))
	if got := tb.text(".govuk-notification-banner"); !strings.Contains(got, "possible risk") {
		t.Errorf("the check-in does not say it was flagged: %q", got)
	}

	tb.open("/")
	tb.run("back home to sign out", chromedp.WaitVisible(chromedp.CSS("[data-testid=sign-out]")))
	tb.signOut()
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/triage")
	tb.run("wait for triage", chromedp.WaitVisible(chromedp.CSS("[data-testid=flagged-waiting]")))
	if got := tb.text("[data-testid=flagged-waiting]"); !strings.Contains(got, person.PersonName) || !strings.Contains(got, "Safe now: No") {
		t.Errorf("flagged while waiting says:\n%s", got)
	}
	if !eval[bool](tb, `(() => {
		const flagged = document.querySelector('[data-testid=flagged-waiting]'), queue = document.querySelector('[data-testid=result-count]');
		return !!(flagged.compareDocumentPosition(queue) & Node.DOCUMENT_POSITION_FOLLOWING);
	})()`) {
		t.Error("the flagged person is not above the triage queue")
	}
	tb.run("open their referral", chromedp.Click(chromedp.CSS(`[data-testid=flagged-waiting] a`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=risk-form]")))
	tb.run("record the risk review", choose("risk_outcome", "acted_on"), fill("risk_note", "Rang them straight away; safety plan agreed"),
		chromedp.Click(chromedp.CSS("[data-testid=risk-submit]")), chromedp.WaitVisible(chromedp.CSS(".govuk-notification-banner--success")))
	tb.open("/triage")
	tb.run("wait for triage again", chromedp.WaitVisible(chromedp.CSS("[data-testid=result-count]")))
	if n := eval[int](tb, `document.querySelectorAll('[data-testid=flagged-waiting]').length`); n != 0 {
		t.Error("the person is still flagged at the top of triage after the review")
	}
}
