package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// when fills in a form's date and time (UK time) with t.
func when(prefix string, t time.Time) []chromedp.Action[chromedp.Void] {
	uk := t.In(ukTime())
	return []chromedp.Action[chromedp.Void]{
		fill(prefix+"-date-day", fmt.Sprint(uk.Day())), fill(prefix+"-date-month", fmt.Sprint(int(uk.Month()))), fill(prefix+"-date-year", fmt.Sprint(uk.Year())),
		fill(prefix+"-time", uk.Format("15:04")),
	}
}

// TestALinkWorkerReachesSomeoneAndBooksTheirNextSession follows a link
// worker's first week with a newly allocated person: two tries to reach
// them fail and the third, through their mum, gets through; three
// sessions follow in different places and ways (one missed); the next is
// booked, and the reminder the person agreed to waits in the outbox.
func TestALinkWorkerReachesSomeoneAndBooksTheirNextSession(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coordLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	lw, coord := s.user(t, lwLogin.Email), s.user(t, coordLogin.Email)

	// A person from the waiting list, allocated to the link worker today,
	// who agreed to reminders by text.
	waiting, _, err := s.svc.Cases.FindCases(as(coord), linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseWaiting}, Limit: 50})
	if err != nil || len(waiting) == 0 {
		t.Fatalf("no one is waiting: %v", err)
	}
	var k *linkwork.Case
	for _, w := range waiting {
		if w.ServiceOrgID == lw.OrgID {
			if k, err = s.svc.Cases.AllocateCase(as(coord), w.ID, w.Version, lw.ID); err != nil {
				t.Fatalf("allocate: %v", err)
			}
			break
		}
	}
	if k == nil {
		t.Fatal("no one is waiting for the link worker's service")
	}
	p, err := s.svc.People.FindPersonByID(as(lw), k.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	p.Phone, p.Contact.Channels, p.Contact.Reminders = "07700 900456", []linkwork.Channel{linkwork.ChannelText}, true
	if err := s.svc.People.UpdatePerson(as(lw), p); err != nil {
		t.Fatalf("agree to reminders: %v", err)
	}

	tb := newTab(t, s.URL)
	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + k.ID)
	if got := tb.text("[data-testid=first-contact]"); !strings.Contains(got, "First contact due by") || !strings.Contains(got, "(0 attempts so far)") {
		t.Errorf("before any contact the page says %q", got)
	}
	rows := 0
	saved := func(what string) {
		t.Helper()
		rows++
		tb.run(what, chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-testid=contacts] tbody tr:nth-child(%d)`, rows))))
	}
	now := time.Now()
	attempt := func(at time.Time, mode, outcome string) {
		t.Helper()
		actions := []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`[data-testid=attempt-details] summary`)), chromedp.WaitVisible(chromedp.CSS(`[name="attempt-time"]`))}
		actions = append(actions, when("attempt", at)...)
		actions = append(actions, choose("attempt-mode", mode), choose("attempt-outcome", outcome), chromedp.Click(chromedp.CSS(`[data-testid=save-attempt]`)))
		tb.run("record an attempt by "+mode, actions...)
		saved("the attempt by " + mode + " is listed")
	}
	attempt(now.Add(-6*time.Hour), "phone", "no_answer")
	attempt(now.Add(-5*time.Hour), "text", "message_left")
	if got := tb.text("[data-testid=first-contact]"); !strings.Contains(got, "(2 attempts so far)") {
		t.Errorf("after two tries the page says %q", got)
	}
	attempt(now.Add(-4*time.Hour), "via_someone", "reached")
	if got := tb.text("[data-testid=first-contact]"); !strings.Contains(got, "First contact made on") {
		t.Errorf("after reaching them the page says %q", got)
	}

	session := func(at time.Time, mode, place, outcome, minutes string) {
		t.Helper()
		actions := []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`[data-testid=session-details] summary`)), chromedp.WaitVisible(chromedp.CSS(`[name="session-time"]`))}
		actions = append(actions, when("session", at)...)
		actions = append(actions, fill("session-minutes", minutes), choose("session-mode", mode), pick("session-location_type", place), choose("session-outcome", outcome),
			chromedp.Click(chromedp.CSS(`[data-testid=save-session]`)))
		tb.run("record a session "+mode, actions...)
		saved("the session " + mode + " is listed")
	}
	session(now.Add(-3*time.Hour), "face_to_face", "school", "attended", "50")
	session(now.Add(-2*time.Hour), "phone", "", "did_not_attend", "0")
	session(now.Add(-1*time.Hour), "face_to_face", "youth_hub", "attended", "45")
	if got := tb.text("[data-testid=sessions-so-far]"); !strings.Contains(got, "2 of") {
		t.Errorf("after two attended sessions and one missed the page says %q", got)
	}
	table := tb.text("[data-testid=contacts]")
	for _, want := range []string{"School", "Youth hub", "Did not attend", "Through a parent, partner or carer", "No answer", "Message left", "Reached"} {
		if !strings.Contains(table, want) {
			t.Errorf("the contacts do not show %q:\n%s", want, table)
		}
	}

	// Book the next session, at the leisure centre in three days.
	next := now.Add(72 * time.Hour)
	actions := []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`[data-testid=book-details] summary`)), chromedp.WaitVisible(chromedp.CSS(`[name="book-time"]`))}
	actions = append(actions, when("book", next)...)
	actions = append(actions, choose("book-mode", "face_to_face"), pick("book-location_type", "leisure_centre"), chromedp.Click(chromedp.CSS(`[data-testid=save-booking]`)))
	tb.run("book the next session", actions...)
	saved("the booking is listed")
	if got := tb.text("[data-testid=bookings]"); !strings.Contains(got, "Leisure centre") {
		t.Errorf("the booking shows %q", got)
	}
	outbox := tb.text("[data-testid=outbox]")
	for _, want := range []string{"Reminder of your appointment", "Text message", "07700 900456", "Waiting to send"} {
		if !strings.Contains(outbox, want) {
			t.Errorf("the outbox does not show %q:\n%s", want, outbox)
		}
	}
}
