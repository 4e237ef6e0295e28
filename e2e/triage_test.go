package e2e

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// The journeys of a referral through triage, end to end in a browser:
// each form is filled in as a person would, and each result is checked
// both on the page and in the services.

// fill types into the field with the name.
//
// It first waits until the page's scripts have started: a page reached by
// a form's redirect may show a success banner, which GOV.UK Frontend
// focuses as it starts, and keys typed before then would go to the banner.
func fill(name, value string) chromedp.Action[chromedp.Void] {
	started := chromedp.Poll[chromedp.Void](pageStarted, chromedp.WithPollingTimeout(10*time.Second))
	keys := chromedp.SendKeys(chromedp.CSS(`[name="`+name+`"]`), value)
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		if _, err := started(ctx, t); err != nil {
			return chromedp.Void{}, fmt.Errorf("waiting for the page's scripts before typing into %s: %w", name, err)
		}
		return keys(ctx, t)
	}
}

// choose clicks the radio or checkbox with the name and value.
func choose(name, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Click(chromedp.CSS(`input[name="` + name + `"][value="` + value + `"]`))
}

// pick selects an option of a select by its value.
func pick(name, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(`select[name="`+name+`"]`), value)
}

// birth fills in a date of birth input.
func birth(name string, d linkwork.Date) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{
		fill(name+"-day", strconv.Itoa(d.Day)), fill(name+"-month", strconv.Itoa(int(d.Month))), fill(name+"-year", strconv.Itoa(d.Year)),
	}
}

// value returns the current value of a form field.
func (tb *tab) value(name string) string {
	tb.t.Helper()
	return eval[string](tb, `document.querySelector('[name="`+name+`"]').value`)
}

func (tb *tab) signOut() {
	tb.t.Helper()
	tb.run("sign out", chromedp.Click(chromedp.CSS(`[data-testid=sign-out]`)), chromedp.WaitVisible(chromedp.CSS("#email")))
}

// referralID returns the id of the referral the tab shows.
func (tb *tab) referralID() string {
	tb.t.Helper()
	p := tb.path()
	id, _, _ := strings.Cut(strings.TrimPrefix(p, "/referrals/"), "?")
	if !strings.HasPrefix(p, "/referrals/") || id == "" {
		tb.t.Fatalf("not on a referral page: %s", p)
	}
	return id
}

func systemCtx() context.Context {
	return linkwork.NewContext(context.Background(), linkwork.SystemActor("e2e"))
}

func TestAGPReferralIsAcceptedAndAllocated(t *testing.T) {
	s := newSite(t)
	gp, _ := demo.LoginFor(linkwork.RoleReferrer)
	coord, _ := demo.LoginFor(linkwork.RoleCoordinator)
	tb := newTab(t, s.URL)
	tb.signIn(gp.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))

	tb.run("open the referral form", chromedp.Click(chromedp.CSS(`.govuk-service-navigation__link[href="/referrals/new"]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=referral-form]")))
	dob := linkwork.DateOf(time.Now().AddDate(-34, -2, -3))
	actions := []chromedp.Action[chromedp.Void]{
		choose("mode", "referral"),
		fill("person.given_name", "Oluwaseun"), fill("person.family_name", "Adeyemi-Clarke"),
	}
	actions = append(actions, birth("person.date_of_birth", dob)...)
	actions = append(actions,
		fill("person.postcode", "LS9 8AB"), fill("person.phone", "07700 900456"), choose("person.contact.channels", "text"),
		fill("reasons", "Isolated since a bereavement last year; low mood, not sleeping."),
		fill("what_they_want", "To meet people and get back into running."),
		choose("streetlight", "green"), choose("person_aware", "yes"), choose("safe_now", "yes"), choose("harm_thoughts", "no"), choose("consent_referral", "yes"), choose("consent_sharing", "yes"),
		fill("referrer_role", "GP"), fill("referrer_contact", "0113 496 0000"),
		chromedp.Click(chromedp.CSS(`[data-testid=referral-form] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=referral-status]")),
	)
	tb.run("fill in and send the GP referral", actions...)
	id := tb.referralID()
	if got := tb.text("[data-testid=referral-status]"); got != "Received" {
		t.Errorf("a new referral is %q, want Received", got)
	}
	tb.signOut()

	// The coordinator accepts it and allocates a link worker, choosing by
	// caseload.
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/triage?pathway=gp")
	if got := tb.text("[data-testid=triage-queue]"); !strings.Contains(got, "Oluwaseun Adeyemi-Clarke") {
		t.Errorf("the GP triage queue does not list the new referral:\n%s", got)
	}
	tb.open("/referrals/" + id)
	if got := tb.text("[data-testid=eligibility]"); !strings.Contains(got, "Aged 34") {
		t.Errorf("eligibility does not show the age: %q", got)
	}
	u := s.user(t, coord.Email)
	loads, err := s.svc.Triage.Caseloads(as(u))
	if err != nil || len(loads) == 0 {
		t.Fatalf("no link workers to allocate to: %v", err)
	}
	worker := loads[0]
	// The choice of worker is revealed by the page's scripts: wait for
	// them before choosing.
	tb.settled()
	tb.run("accept and allocate",
		choose("to", "accepted"),
		chromedp.WaitVisible(chromedp.CSS(`select[name="link_worker_id"]`)),
		pick("link_worker_id", worker.UserID),
		chromedp.Click(chromedp.CSS(`[data-testid=decision-form] button[type=submit]`)),
	)
	tb.textWith(".govuk-notification-banner--success", "Decision recorded: Accepted")
	if got := tb.text("[data-testid=referral-status]"); got != "Accepted" {
		t.Errorf("after accepting, status %q", got)
	}
	if got := tb.text("[data-testid=case-status]"); got != linkwork.CaseActive.Label() {
		t.Errorf("after allocating, support is %q, want %q", got, linkwork.CaseActive.Label())
	}
	ref, err := s.svc.Referrals.FindReferralByID(systemCtx(), id)
	if err != nil {
		t.Fatal(err)
	}
	c, err := s.svc.Cases.FindCaseByID(systemCtx(), ref.CaseID)
	if err != nil || c.LinkWorkerID != worker.UserID {
		t.Fatalf("the case is not allocated to %s: %+v, %v", worker.Name, c, err)
	}
	tb.signOut()

	// The GP hears back.
	tb.signIn(gp.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/notifications")
	if got := tb.text("[data-testid=notifications]"); !strings.Contains(got, "accepted") {
		t.Errorf("the GP's messages do not say the referral was accepted:\n%s", got)
	}
	tb.open("/referrals/" + id)
	if got := tb.text("[data-testid=referral-status]"); got != "Accepted" {
		t.Errorf("the GP sees status %q", got)
	}
}

func TestASchoolReferralIsDeclinedWithAnOnwardDestinationAndTheSchoolSeesWhy(t *testing.T) {
	s := newSite(t)
	ctx := systemCtx()
	schools, _, err := s.svc.Organisations.FindOrganisations(ctx, linkwork.OrganisationFilter{Kind: linkwork.OrgSchool, Limit: 1})
	if err != nil || len(schools) == 0 {
		t.Fatalf("the demo city has no school: %v", err)
	}
	teacher := &linkwork.User{Name: "Ms Rachel Evans", Email: "r.evans@school.example", Role: linkwork.RoleReferrer, OrgID: schools[0].ID}
	if err := s.svc.Users.CreateUser(ctx, teacher, "a-long-school-password"); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, s.URL)
	tb.signIn(teacher.Email, "a-long-school-password")
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/referrals/new")
	if got := tb.value("person.school_or_work"); got != schools[0].Name {
		t.Errorf("the school field starts as %q, want the school %q", got, schools[0].Name)
	}
	dob := linkwork.DateOf(time.Now().AddDate(-14, -1, 0))
	actions := []chromedp.Action[chromedp.Void]{choose("mode", "referral"), fill("person.given_name", "Kacper"), fill("person.family_name", "Nowicki")}
	actions = append(actions, birth("person.date_of_birth", dob)...)
	actions = append(actions,
		fill("year_group", "Year 9"), fill("person.postcode", "LS6 2AB"),
		fill("guardian.name", "Agnieszka Nowicka"), fill("guardian.relationship", "mother"), fill("guardian.phone", "07700 900789"),
		fill("reasons", "Has said he does not want to be alive; self-harm marks seen this week."),
		fill("what_they_want", "Someone to talk to."),
		choose("streetlight", "amber"), choose("person_aware", "yes"), choose("safe_now", "yes"), choose("harm_thoughts", "yes"), choose("consent_referral", "yes"), choose("consent_sharing", "yes"),
		fill("referrer_role", "Head of Year 9"), fill("referrer_contact", "r.evans@school.example"),
		chromedp.Click(chromedp.CSS(`[data-testid=referral-form] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=referral-status]")),
	)
	tb.run("fill in and send the school referral", actions...)
	id := tb.referralID()
	tb.signOut()

	// A link worker declines it, first forgetting where to send them.
	lw, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	tb.signIn(lw.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/referrals/" + id)
	// What the teacher wrote flagged a possible risk: the link worker
	// records what was done about it before deciding.
	if got := tb.text("[data-testid=risk-flag]"); !strings.Contains(got, "review today") || !strings.Contains(got, "self-harm") {
		t.Fatalf("the school's referral is not flagged for review today:\n%s", got)
	}
	tb.settled()
	tb.run("record what was done about the risk",
		choose("risk_outcome", "acted_on"), fill("risk_note", "Rang Ms Evans and Kacper's mother the same afternoon; CAMHS duty line called."),
		chromedp.Click(chromedp.CSS("[data-testid=risk-submit]")))
	tb.textWith(".govuk-notification-banner--success", "Your decision on the possible risk has been recorded")
	tb.textWith("[data-testid=risk-decision]", "CAMHS duty line called")
	tb.expectStatus("/referrals/"+id+"/decision", 422)
	// The page that answered the risk review: its scripts reveal the
	// decision's fields.
	tb.settled()
	tb.run("decline without a destination",
		choose("to", "declined"),
		fill("reason", "Current risk of self-harm needs specialist assessment first."),
		chromedp.Click(chromedp.CSS(`[data-testid=decision-form] button[type=submit]`)),
	)
	tb.textWith(".govuk-error-summary", "directed instead")
	if got := tb.value("reason"); !strings.Contains(got, "specialist assessment") {
		t.Errorf("the reason typed was lost: %q", got)
	}
	tb.settled()
	tb.run("decline to CAMHS",
		pick("onward_destination", "CAMHS (child and adolescent mental health services)"),
		chromedp.Click(chromedp.CSS(`[data-testid=decision-form] button[type=submit]`)),
	)
	tb.textWith(".govuk-notification-banner--success", "Decision recorded: Declined")
	if got := tb.text("[data-testid=referral-status]"); got != "Declined" {
		t.Errorf("status %q after declining", got)
	}
	tb.signOut()

	// The school sees why and where to.
	tb.signIn(teacher.Email, "a-long-school-password")
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/referrals/" + id)
	if got := tb.text("[data-testid=referral-status]"); got != "Declined" {
		t.Errorf("the school sees status %q", got)
	}
	if got := tb.text("[data-testid=status-reason]"); !strings.Contains(got, "specialist assessment") {
		t.Errorf("the school does not see the reason: %q", got)
	}
	if got := tb.text("[data-testid=onward-destination]"); !strings.Contains(got, "CAMHS") {
		t.Errorf("the school does not see where the pupil was directed: %q", got)
	}
	tb.open("/notifications")
	if got := tb.text("[data-testid=notifications]"); !strings.Contains(got, "CAMHS") {
		t.Errorf("the school's message does not name the onward destination:\n%s", got)
	}
}

func TestAFifteenYearOldRefersThemselvesFixesAMistakeAndReachesTheQueue(t *testing.T) {
	s := newSite(t)
	tb := newTab(t, s.URL)
	tb.open("/refer")
	if got := tb.text("[data-testid=crisis-advice]"); !strings.Contains(got, "999") {
		t.Errorf("the start page does not say what to do in a crisis: %q", got)
	}
	tb.run("choose the young person's form", chromedp.Click(chromedp.CSS("[data-testid=refer-young-person]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=public-referral-form]")))
	dob := linkwork.DateOf(time.Now().AddDate(-15, -4, 0))
	actions := []chromedp.Action[chromedp.Void]{fill("person.given_name", "Maisie"), fill("person.family_name", "Okonkwo-Hart")}
	actions = append(actions, birth("person.date_of_birth", dob)...)
	actions = append(actions,
		fill("person.postcode", "LS8 1AA"), fill("person.phone", "07700 900321"), choose("person.contact.channels", "text"), choose("person.contact.safe_to_leave_message", "no"),
		fill("person.contact.notes", "Please text first, not during school."),
		fill("reasons", "I feel really stressed about GCSEs and I don't really have friends at school any more."),
		fill("what_they_want", "Maybe try a new club."),
		choose("safe_now", "yes"), choose("harm_thoughts", "no"),
		// Forgets to tick the agreement.
		chromedp.Click(chromedp.CSS(`[data-testid=public-referral-form] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")),
	)
	tb.expectStatus("/refer/young-person", 422)
	tb.run("fill in the form and send it without agreeing", actions...)
	if got := tb.text(".govuk-error-summary"); !strings.Contains(got, "agree") {
		t.Errorf("the error does not ask for agreement: %q", got)
	}
	for name, want := range map[string]string{
		"person.given_name": "Maisie", "person.family_name": "Okonkwo-Hart", "person.postcode": "LS8 1AA", "person.phone": "07700 900321",
		"person.date_of_birth-year": strconv.Itoa(dob.Year), "reasons": "I feel really stressed about GCSEs and I don't really have friends at school any more.",
		"person.contact.notes": "Please text first, not during school.",
	} {
		if got := tb.value(name); got != want {
			t.Errorf("after the error, %s = %q, want %q (nothing typed may be lost)", name, got, want)
		}
	}
	if !eval[bool](tb, `document.querySelector('input[name="person.contact.channels"][value="text"]').checked`) {
		t.Error("after the error, the contact choice was lost")
	}
	tb.run("agree and send", choose("consent_referral", "yes"), chromedp.Click(chromedp.CSS(`[data-testid=public-referral-form] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=reference]")))
	reference := tb.text("[data-testid=reference]")
	if !strings.HasPrefix(reference, "LW-") {
		t.Errorf("reference %q", reference)
	}

	// It reaches the triage queue, under the 13 to 15 age band.
	coord, _ := demo.LoginFor(linkwork.RoleCoordinator)
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/triage?pathway=self&age=13-15")
	if got := tb.text("[data-testid=triage-queue]"); !strings.Contains(got, "Maisie Okonkwo-Hart") {
		t.Fatalf("the self-referral is not in the 13-15 triage queue:\n%s", got)
	}
	tb.run("open it", chromedp.Click(chromedp.CSS(`[data-testid=triage-queue] a[href^="/referrals/"]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=referral-status]")))
	id := tb.referralID()
	ref, err := s.svc.Referrals.FindReferralByID(as(s.user(t, coord.Email)), id)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Pathway != linkwork.PathwaySelf || ref.Mode != linkwork.ModeSelfReferral || ref.Reference() != reference || !ref.ConsentReferral {
		t.Errorf("stored referral %+v does not match what was sent (reference %s)", ref, reference)
	}
}

func TestADeferredReferralReturnsToTheQueueOnItsDate(t *testing.T) {
	s := newSite(t)
	coord, _ := demo.LoginFor(linkwork.RoleCoordinator)
	gp, _ := demo.LoginFor(linkwork.RoleReferrer)
	referrer := s.user(t, gp.Email)
	ref := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: s.user(t, coord.Email).OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Exams are over in a month; wants to start after them.",
		ConsentReferral: true, PersonAware: new(true), Streetlight: linkwork.StreetlightGreen}
	person := &linkwork.Person{GivenName: "Theo", FamilyName: "Marchetti", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-17, 0, -9))}
	if err := s.svc.Referrals.CreateReferral(as(referrer), ref, person); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, s.URL)
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/referrals/" + ref.ID)
	tb.settled()
	tomorrow := linkwork.DateOf(s.clock.now().In(london()).AddDate(0, 0, 1))
	actions := []chromedp.Action[chromedp.Void]{choose("to", "deferred"), chromedp.WaitVisible(chromedp.CSS(`[name="defer_until-day"]`))}
	actions = append(actions, birth("defer_until", tomorrow)...)
	actions = append(actions, fill("reason", "Step in after exams."), chromedp.Click(chromedp.CSS(`[data-testid=decision-form] button[type=submit]`)))
	tb.run("defer until tomorrow", actions...)
	tb.textWith(".govuk-notification-banner--success", "Decision recorded: Deferred")
	if got := tb.text("[data-testid=referral-status]"); got != "Deferred" {
		t.Fatalf("status %q after deferring", got)
	}
	tb.open("/triage?view=meeting")
	if got := tb.text("main"); strings.Contains(got, "Theo Marchetti") {
		t.Error("a referral deferred until tomorrow is already in today's team meeting")
	}

	// A day passes: it is due, and the team meeting lists it first.
	// (The coordinator's session has ended overnight: they sign in again.)
	s.clock.advance(24 * time.Hour)
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/triage?view=meeting")
	tb.wantMeetingLedByDeferrals("Theo Marchetti", "on its date")
	// The background job moves it back into triage.
	n, err := s.svc.Triage.ReturnDueDeferrals(systemCtx())
	if err != nil || n < 1 {
		t.Fatalf("the deferral job returned %d: %v", n, err)
	}
	tb.open("/triage?view=meeting")
	if row := tb.wantMeetingLedByDeferrals("Theo Marchetti", "after the job"); !strings.Contains(row, "Back from deferral") {
		t.Errorf("after the job, its row says %q", row)
	}
	tb.open("/referrals/" + ref.ID)
	if got := tb.text("[data-testid=referral-status]"); got != "In triage" {
		t.Errorf("after its date, status %q, want In triage", got)
	}
	if got := tb.text("[data-testid=transitions]"); !strings.Contains(got, "back for review") {
		t.Errorf("the history does not record the return: %q", got)
	}
}

func london() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return l
}

// wantMeetingLedByDeferrals checks that the team meeting lists the person's
// referral among those back from deferral, which lead the meeting (the
// demo city may hold others, due back before it), and returns its row.
func (tb *tab) wantMeetingLedByDeferrals(name, when string) string {
	tb.t.Helper()
	tb.run("wait for the meeting", chromedp.WaitVisible(chromedp.CSS("[data-testid=triage-queue]")))
	rows := eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid=triage-queue] tbody tr'), tr => tr.innerText)`)
	i := slices.IndexFunc(rows, func(r string) bool { return strings.Contains(r, name) })
	if i < 0 {
		tb.t.Errorf("%s, %s is not in the team meeting:\n%s", when, name, strings.Join(rows, "\n"))
		return ""
	}
	for _, r := range rows[:i] {
		if !strings.Contains(r, "Deferral due") && !strings.Contains(r, "Back from deferral") {
			tb.t.Errorf("%s, a referral not back from deferral leads the team meeting ahead of %s:\n%s", when, name, strings.Join(rows[:i+1], "\n"))
			break
		}
	}
	return rows[i]
}

// TestAGrandparentRefersTheirGrandsonFromThePublicForm: a family member
// chooses their own form from the start page, first leaves out how to reach
// them (named at the field, everything kept), then sends it; the referral
// is a family one, with who referred and how to reach them, and the person
// is stored as not yet knowing.
func TestAGrandparentRefersTheirGrandsonFromThePublicForm(t *testing.T) {
	s := newSite(t)
	tb := newTab(t, s.URL)
	tb.open("/refer")
	tb.run("choose the family form", chromedp.Click(chromedp.CSS("[data-testid=refer-family]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=public-referral-form]")))
	dob := linkwork.DateOf(time.Now().AddDate(-19, -1, 0))
	actions := []chromedp.Action[chromedp.Void]{fill("referrer_name", "Pat Ellery"), fill("referrer_role", "Grandad"), choose("person_aware", "no"),
		fill("person.given_name", "Callum"), fill("person.family_name", "Ellery")}
	actions = append(actions, birth("person.date_of_birth", dob)...)
	actions = append(actions, fill("person.postcode", "LS11 5AA"), fill("person.phone", "07700 900654"),
		fill("reasons", "Since his mum died he hardly leaves his room and has stopped going to college."),
		choose("safe_now", "yes"), choose("harm_thoughts", "no"),
		choose("consent_referral", "yes"),
		chromedp.Click(chromedp.CSS(`[data-testid=public-referral-form] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	tb.expectStatus("/refer/family", 422)
	tb.run("fill in the form without a way to reach the grandparent", actions...)
	if !eval[bool](tb, `document.getElementById("referrer_contact-error") !== null`) {
		t.Fatalf("the missing contact is not named at its field: %q", tb.text(".govuk-error-summary"))
	}
	for name, want := range map[string]string{"referrer_name": "Pat Ellery", "referrer_role": "Grandad", "person.given_name": "Callum", "person.phone": "07700 900654"} {
		if got := tb.value(name); got != want {
			t.Errorf("after the error, %s = %q, want %q", name, got, want)
		}
	}
	tb.run("give a phone number and send", fill("referrer_contact", "0113 496 0000"),
		chromedp.Click(chromedp.CSS(`[data-testid=public-referral-form] button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=reference]")))
	reference := tb.text("[data-testid=reference]")
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("e2e"))
	list, _, err := s.svc.Referrals.FindReferrals(sys, linkwork.ReferralFilter{Pathway: linkwork.PathwayFamily, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var got *linkwork.Referral
	for _, r := range list {
		if r.Reference() == reference {
			got = r
		}
	}
	if got == nil {
		t.Fatalf("no family referral with reference %s", reference)
	}
	if got.ReferrerName != "Pat Ellery" || got.ReferrerRole != "Grandad" || got.ReferrerContact != "0113 496 0000" || got.Aware() || got.PersonName != "Callum Ellery" {
		t.Errorf("stored %q (%q, %q), aware %v, for %q", got.ReferrerName, got.ReferrerRole, got.ReferrerContact, got.Aware(), got.PersonName)
	}
	tb.failOnProblems()
}
