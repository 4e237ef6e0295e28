package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestASupervisionIsSeenByThoseInItAndTheTeamShowsWhoIsOverdue follows
// supervision from the supervisor to the worker: the coordinator logs a
// clinical supervision of the demo link worker discussing two of their
// cases; the worker finds it on their Supervision page with its note;
// another link worker is told it is not found. The coordinator's team
// page shows that other worker past their supervision target: they were
// last supervised ten days ago against a target of every seven, so the
// fixture holds whatever day the test runs.
func TestASupervisionIsSeenByThoseInItAndTheTeamShowsWhoIsOverdue(t *testing.T) {
	s := newSite(t)
	coordLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	workerLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coord, worker := s.user(t, coordLogin.Email), s.user(t, workerLogin.Email)
	items, err := s.svc.Allocation.Caseload(as(worker), linkwork.CaseloadQuery{Stage: linkwork.CaseActive})
	if err != nil || len(items) < 2 {
		t.Fatalf("the demo link worker needs two active cases: %d, %v", len(items), err)
	}
	first, second := items[0].Case, items[1].Case
	loads, err := s.svc.Allocation.WorkerChoices(as(coord))
	if err != nil {
		t.Fatal(err)
	}
	var other *linkwork.User
	for _, l := range loads {
		if l.UserID != worker.ID {
			if other, err = s.svc.Users.FindUserByID(as(coord), l.UserID); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if other == nil {
		t.Fatal("the demo needs a second link worker")
	}
	uk, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	today := linkwork.DateOf(time.Now().In(uk))
	if err := s.svc.Supervision.SetSupervisionTarget(as(coord), linkwork.SupervisionTarget{WorkerID: other.ID, EveryDays: 7}); err != nil {
		t.Fatal(err)
	}
	if err := s.svc.Supervision.LogSupervision(as(coord), &linkwork.Supervision{Kind: linkwork.SupervisionLine, HeldOn: linkwork.DateOf(today.Time().AddDate(0, 0, -10)),
		SupervisorID: coord.ID, WorkerIDs: []string{other.ID}}); err != nil {
		t.Fatal(err)
	}
	const note = "Holding the family's worries; planning Noor's ending"

	// The coordinator logs the supervision.
	tb := newTab(t, s.URL)
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.textWith("nav[aria-label=Menu]", "More")
	tb.open("/more")
	more := tb.textWith("[data-testid=more-links]", "Supervision")
	if !strings.Contains(more, "Team's load") {
		t.Errorf("the coordinator's More page does not offer the team's load:\n%s", more)
	}
	tb.open("/supervision?worker=" + worker.ID)
	tb.run("log the supervision", choose("kind", string(linkwork.SupervisionClinical)),
		fill("held_on-day", strconv.Itoa(today.Day)), fill("held_on-month", strconv.Itoa(int(today.Month))), fill("held_on-year", strconv.Itoa(today.Year)),
		pick("supervisor_id", coord.ID), choose("case_ids", first.ID), choose("case_ids", second.ID), fill("note", note),
		chromedp.Click(chromedp.CSS("[data-testid=supervision-form] button")))
	tb.textWith(".govuk-notification-banner", "Supervision logged")
	cases := tb.textWith("[data-testid=supervision-cases]", first.PersonName)
	if !strings.Contains(cases, second.PersonName) {
		t.Errorf("the record does not list both cases: %q", cases)
	}
	recordPath, _, _ := strings.Cut(tb.path(), "?")
	if !strings.HasPrefix(recordPath, "/supervision/") {
		t.Fatalf("after logging, the page is %s", recordPath)
	}

	// The team page shows the other worker overdue.
	tb.open("/team")
	row := tb.textWith("#worker-"+other.ID, other.Name)
	if !strings.Contains(row, "Overdue") {
		t.Errorf("the team page does not show %s as overdue:\n%s", other.Name, row)
	}
	if row := tb.textWith("#worker-"+worker.ID, worker.Name); strings.Contains(row, "Overdue") {
		t.Errorf("the team page shows %s, supervised today, as overdue:\n%s", worker.Name, row)
	}
	// At 320px the table folds into one block per worker, nothing wider
	// than the window.
	tb.run("narrow the window to 320px", chromedp.EmulateViewport(320, 640))
	for _, path := range []string{"/team", recordPath, "/supervision?worker=" + worker.ID} {
		tb.open(path)
		tb.run("wait for "+path, chromedp.WaitVisible(chromedp.CSS("h1")))
		o := eval[overflow](tb, readOverflow)
		if o.InnerWidth != 320 {
			t.Fatalf("%s: the window is %dpx wide, not 320px", path, o.InnerWidth)
		}
		if o.ScrollWidth > o.InnerWidth {
			t.Errorf("%s scrolls sideways at 320px: %dpx of content in a %dpx window; too wide:\n  %s", path, o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
		}
	}
	tb.run("widen the window again", chromedp.EmulateViewport(1200, 900))
	tb.signOut()

	// The worker sees it.
	tb.signIn(worker.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.run("open supervision from the navigation", chromedp.Click(chromedp.CSS(`.govuk-service-navigation__link[href="/supervision"]`)))
	tb.textWith("[data-testid=supervisions]", coord.Name)
	tb.open(recordPath)
	tb.textWith("[data-testid=supervision-note]", note)
	tb.signOut()

	// Another link worker does not.
	tb.signIn(other.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.expectStatus(recordPath, 404)
	tb.open(recordPath)
	tb.textWith("h1", "Page not found")
	tb.open("/supervision")
	if got := tb.textWith("main", "Supervisions you took part in"); strings.Contains(got, note) || strings.Contains(got, first.PersonName) {
		t.Errorf("another link worker's supervision page shows the supervision:\n%s", got)
	}
}
