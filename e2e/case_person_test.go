package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestALinkWorkerGetsToKnowAYoungPerson follows a link worker opening a
// 15-year-old's case: how to contact them safely is at the top; they
// record that Mum is informed but not involved, a Gillick decision with
// its reasoning, a CAMHS worker in the team around the young person, and
// new contact preferences (text first, reminders agreed), which then show
// at the top. A second tab still holding the old version is told someone
// else changed the record.
func TestALinkWorkerGetsToKnowAYoungPerson(t *testing.T) {
	s := newSite(t)
	login, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	worker := s.user(t, login.Email)

	// A young person on the worker's caseload, fifteen today.
	cases, _, err := s.svc.Cases.FindCases(as(worker), linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseActive}})
	if err != nil || len(cases) == 0 {
		t.Fatalf("the link worker has no active case: %v", err)
	}
	c := cases[0]
	p, err := s.svc.People.FindPersonByID(as(worker), c.PersonID)
	if err != nil {
		t.Fatal(err)
	}
	p.DateOfBirth = linkwork.DateOf(time.Now().AddDate(-15, -1, 0))
	p.Contact = linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelPhone}, Via: "Mum", BestTimes: "after school"}
	if err := s.svc.People.UpdatePerson(as(worker), p); err != nil {
		t.Fatal(err)
	}
	casePath := "/cases/" + c.ID

	tb := newTab(t, s.URL)
	tb.signIn(login.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open(casePath)

	// How to contact them safely comes first, under the heading.
	if !eval[bool](tb, `(() => {
		const h1 = document.querySelector('h1'), safe = document.querySelector('[data-testid=contact-safely]'), alloc = document.querySelector('[data-testid=case-allocation]');
		return !!h1 && !!safe && !!alloc && !!(h1.compareDocumentPosition(safe) & Node.DOCUMENT_POSITION_FOLLOWING) && !!(safe.compareDocumentPosition(alloc) & Node.DOCUMENT_POSITION_FOLLOWING);
	})()`) {
		t.Fatal("how to contact them safely is not the first thing under the heading")
	}
	if got := tb.text("[data-testid=contact-safely]"); !strings.Contains(got, "Phone call") || !strings.Contains(got, "Mum") || !strings.Contains(got, "do not leave a message") {
		t.Fatalf("how to contact them safely:\n%s", got)
	}
	if got := tb.text("[data-testid=person-about]"); !strings.Contains(got, "15") {
		t.Fatalf("their age is not shown:\n%s", got)
	}

	// A second tab opens the record to change it, and leaves it open.
	other := newTab(t, s.URL)
	other.signIn(login.Email, s.cfg.Password)
	other.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	other.open(casePath + "/person")
	other.run("wait for the form", chromedp.WaitVisible(chromedp.CSS("[data-testid=person-form]")))

	// Mum is informed, not involved.
	tb.run("add Mum",
		chromedp.Click(chromedp.CSS("[data-testid=add-guardian] summary")),
		fill("guardian.name", "Kim Reyes"), fill("guardian.relationship", "mother"), fill("guardian.phone", "07700 900456"),
		choose("guardian.has_parental_responsibility", "yes"), choose("guardian.involvement", linkwork.InvolvementInformed),
		chromedp.Click(chromedp.CSS(`[data-testid=add-guardian] button[type=submit]`)),
	)
	// The table may be there already, from a parent added before: wait
	// for the answer to the form.
	if got := tb.textWith("[data-testid=guardians]", "Kim Reyes"); !strings.Contains(got, "Kim Reyes") || !strings.Contains(got, "Informed, not involved") {
		t.Fatalf("parents and carers:\n%s", got)
	}

	// A Gillick decision needs its reasoning.
	today := linkwork.DateOf(time.Now().In(ukTime()))
	tb.expectStatus(casePath+"/competence", 422)
	tb.run("record a decision without reasoning",
		chromedp.Click(chromedp.CSS("[data-testid=add-competence] summary")),
		choose("competence.competent", "yes"),
		chromedp.Click(chromedp.CSS(`[data-testid=add-competence] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")),
	)
	if got := tb.text(".govuk-error-summary"); !strings.Contains(got, "reasoning") {
		t.Fatalf("the error summary does not ask for the reasoning:\n%s", got)
	}
	tb.run("record the decision with its reasoning",
		fill("competence.reasoning", "Understands what the support involves and can weigh up sharing with Mum"),
		chromedp.Click(chromedp.CSS(`[data-testid=add-competence] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-notification-banner--success")),
	)
	if got := tb.text("[data-testid=competence]"); !strings.Contains(got, "Competent to make their own decisions") || !strings.Contains(got, worker.Name) ||
		!strings.Contains(got, "can weigh up sharing with Mum") || !strings.Contains(got, today.Time().Format("2 January 2006")) {
		t.Fatalf("the capacity decision:\n%s", got)
	}

	// A CAMHS worker joins the team around them.
	tb.run("add the CAMHS worker",
		chromedp.Click(chromedp.CSS("[data-testid=add-professional] summary")),
		fill("professional.role", "CAMHS"), fill("professional.name", "Dr Ali Khan"), fill("professional.organisation", "Leeds CAMHS"),
		choose("professional.consent_to_share", "yes"),
		chromedp.Click(chromedp.CSS(`[data-testid=add-professional] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=professionals]")),
	)
	if got := tb.text("[data-testid=professionals]"); !strings.Contains(got, "CAMHS") || !strings.Contains(got, "Dr Ali Khan") || !strings.Contains(got, "Yes, they agreed") {
		t.Fatalf("the team around them:\n%s", got)
	}

	// Text first, and reminders agreed.
	tb.run("open the record to change it", chromedp.Click(chromedp.CSS("[data-testid=edit-person]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=person-form]")))
	tb.run("change the contact preferences",
		chromedp.SetValue(chromedp.CSS(`select[id="contact.channels-0"]`), "text"),
		chromedp.SetValue(chromedp.CSS(`select[id="contact.channels-1"]`), "phone"),
		choose("contact.safe_to_leave_message", "no"),
		choose("contact.reminders", "yes"),
		chromedp.Click(chromedp.CSS(`[data-testid=person-form] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=contact-safely]")),
	)
	if got := tb.text("[data-testid=contact-channels]"); !strings.HasPrefix(got, "Text message") || !strings.Contains(got, "Phone call") {
		t.Fatalf("ways to contact, in order:\n%s", got)
	}
	if got := tb.text("[data-testid=contact-reminders]"); got != "Agreed to reminders" {
		t.Fatalf("reminders: %q", got)
	}
	if got := tb.text("[data-testid=person-last-change]"); !strings.Contains(got, worker.Name) {
		t.Fatalf("who last changed the record: %q", got)
	}

	// The second tab saves the version it opened: refused, and told why.
	other.expectStatus(casePath+"/person", 409)
	other.run("save the stale record",
		choose("contact.reminders", "no"),
		chromedp.Click(chromedp.CSS(`[data-testid=person-form] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")),
	)
	if got := other.text(".govuk-error-summary"); !strings.Contains(got, "Someone else changed this record") {
		t.Fatalf("the stale tab is not told: %q", got)
	}
	saved, err := s.svc.People.FindPersonByID(as(worker), c.PersonID)
	if err != nil || !saved.Contact.Reminders {
		t.Fatalf("the stale save changed the record: %+v %v", saved.Contact, err)
	}

	// All of it reads on a 320px phone, the add forms open.
	tb.run("emulate a 320px phone", chromedp.EmulateViewport(320, 640, chromedp.EmulateScale(2)))
	for _, p := range []struct{ path, ready string }{
		{casePath, "[data-testid=contact-safely]"},
		{casePath + "/person", "[data-testid=person-form]"},
		{casePath + "/about", "[data-testid=about-form]"},
	} {
		tb.open(p.path)
		tb.run("wait for "+p.path, chromedp.WaitVisible(chromedp.CSS(p.ready)))
		eval[bool](tb, `(() => { document.querySelectorAll('details').forEach(d => d.open = true); return true })()`)
		if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
			t.Errorf("%s scrolls sideways on a phone: %dpx of content in a %dpx window; too wide:\n  %s", p.path, o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
		}
	}
}

func ukTime() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}
