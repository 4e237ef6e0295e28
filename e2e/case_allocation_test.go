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
	tb.signIn(worker.Email, s.cfg.Password)
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
