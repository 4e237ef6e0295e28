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

// TestAYoungPersonsJourneyFromTheWaitingListToTheMessageBack follows one
// 15-year-old, referred by their school and accepted onto the waiting
// list, through the whole of their support in the browser: the
// coordinator allocates them; their link worker tries twice to reach them
// and gets through the third time, records a Gillick decision and that
// Mum is informed but not involved, holds three sessions in different
// ways and places (one missed), writes a plan of two goals rated on the
// emoji scale and re-rates them, holds a review, plans the ending and
// closes with their agreement to share; the school reads the message
// back, and a GP practice that did not refer them sees nothing.
func TestAYoungPersonsJourneyFromTheWaitingListToTheMessageBack(t *testing.T) {
	s := newSite(t)
	sys := systemCtx()
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coordLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	gpLogin, _ := demo.LoginFor(linkwork.RoleReferrer)
	worker, coord := s.user(t, lwLogin.Email), s.user(t, coordLogin.Email)

	// The school's referral, accepted onto the waiting list.
	school := &linkwork.Organisation{Name: "Beckside High School", Kind: linkwork.OrgSchool, Postcode: "LS9 1AA"}
	if err := s.svc.Organisations.CreateOrganisation(sys, school); err != nil {
		t.Fatal(err)
	}
	teacher := &linkwork.User{Name: "Mr Dev Okoro", Email: "head-of-year@beckside.example", Role: linkwork.RoleReferrer, OrgID: school.ID}
	if err := s.svc.Users.CreateUser(sys, teacher, s.cfg.Password); err != nil {
		t.Fatal(err)
	}
	ref := &linkwork.Referral{ServiceOrgID: coord.OrgID, Pathway: linkwork.PathwaySchool, Mode: linkwork.ModeReferral, ReferrerOrgID: school.ID,
		Reasons: "Stopped going to lunch with friends; anxious about Year 11", WhatTheyWant: "Something to do after school", YearGroup: "Year 10",
		SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
	person := &linkwork.Person{GivenName: "Kai", FamilyName: "Journeyman", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-15, -3, 0)), Postcode: "LS9 1AA",
		Phone: "07700 900321", Contact: linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelText}}}
	if err := s.svc.Referrals.CreateReferral(as(teacher), ref, person); err != nil {
		t.Fatal(err)
	}
	decided, err := s.svc.Referrals.DecideReferral(as(coord), ref.ID, ref.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen})
	if err != nil {
		t.Fatal(err)
	}
	casePath := "/cases/" + decided.CaseID

	// The coordinator allocates them.
	tb := newTab(t, s.URL)
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open(casePath)
	if got := tb.text("[data-testid=allocation-worker]"); got != "Waiting for a link worker" {
		t.Fatalf("the accepted case says %q", got)
	}
	tb.run("allocate to the link worker", pick("link_worker_id", worker.ID), chromedp.Click(chromedp.CSS("[data-testid=allocate-submit]")),
		chromedp.WaitVisible(chromedp.CSS(".govuk-notification-banner")))
	if got := tb.text("[data-testid=case-worker]"); got != worker.Name {
		t.Fatalf("allocated to %q, want %q", got, worker.Name)
	}

	// The link worker, at their own desk, reaches them at the third try.
	// (Each person works in their own tab, as on their own machine.)
	tb = newTab(t, s.URL)
	tb.signIn(worker.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open(casePath)
	rows := 0
	listed := func(what string) {
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
		tb.run("try to reach them by "+mode, actions...)
		listed("the attempt by " + mode + " is listed")
	}
	attempt(now.Add(-8*time.Hour), "phone", "no_answer")
	attempt(now.Add(-7*time.Hour), "text", "no_answer")
	if got := tb.text("[data-testid=first-contact]"); !strings.Contains(got, "(2 attempts so far)") {
		t.Errorf("after two tries the page says %q", got)
	}
	attempt(now.Add(-6*time.Hour), "phone", "reached")
	if got := tb.text("[data-testid=first-contact]"); !strings.Contains(got, "First contact made on") {
		t.Errorf("after reaching them the page says %q", got)
	}

	// Mum is informed, not involved; Kai is Gillick competent.
	tb.run("add Mum, informed and not involved",
		chromedp.Click(chromedp.CSS("[data-testid=add-guardian] summary")),
		fill("guardian.name", "Sam Journeyman"), fill("guardian.relationship", "mother"),
		choose("guardian.has_parental_responsibility", "yes"), choose("guardian.involvement", linkwork.InvolvementInformed),
		chromedp.Click(chromedp.CSS(`[data-testid=add-guardian] button[type=submit]`)),
	)
	if got := tb.textWith("[data-testid=guardians]", "Sam Journeyman"); !strings.Contains(got, "Sam Journeyman") || !strings.Contains(got, "Informed, not involved") {
		t.Fatalf("parents and carers:\n%s", got)
	}
	tb.run("record the Gillick decision",
		chromedp.Click(chromedp.CSS("[data-testid=add-competence] summary")),
		choose("competence.competent", "yes"),
		fill("competence.reasoning", "Kai understands what support involves and what we share, and weighed up telling Mum"),
		chromedp.Click(chromedp.CSS(`[data-testid=add-competence] button[type=submit]`)))
	// The page before already had a success banner (Mum was added): wait
	// for the decision itself.
	if got := tb.textWith("[data-testid=competence]", "Competent to make their own decisions"); !strings.Contains(got, worker.Name) {
		t.Fatalf("the capacity decision:\n%s", got)
	}

	// Three sessions in different ways and places; one missed.
	session := func(at time.Time, mode, place, outcome, minutes string) {
		t.Helper()
		actions := []chromedp.Action[chromedp.Void]{chromedp.Click(chromedp.CSS(`[data-testid=session-details] summary`)), chromedp.WaitVisible(chromedp.CSS(`[name="session-time"]`))}
		actions = append(actions, when("session", at)...)
		actions = append(actions, fill("session-minutes", minutes), choose("session-mode", mode), pick("session-location_type", place), choose("session-outcome", outcome),
			chromedp.Click(chromedp.CSS(`[data-testid=save-session]`)))
		tb.run("record a session: "+mode+" at "+place, actions...)
		listed("the session " + mode + " is listed")
	}
	session(now.Add(-5*time.Hour), "face_to_face", "school", "attended", "45")
	session(now.Add(-4*time.Hour), "video", "online", "did_not_attend", "0")
	session(now.Add(-3*time.Hour), "phone", "home", "attended", "30")
	if got := tb.text("[data-testid=sessions-so-far]"); !strings.Contains(got, "2 of") {
		t.Errorf("after two sessions attended and one missed the page says %q", got)
	}
	table := tb.text("[data-testid=contacts]")
	for _, want := range []string{"School", "Online", "Home", "Did not attend", "No answer", "Reached"} {
		if !strings.Contains(table, want) {
			t.Errorf("the contacts do not show %q:\n%s", want, table)
		}
	}

	// Later, the plan: two goals on the emoji scale, then re-rated.
	tb = newTab(t, s.URL)
	tb.signIn(worker.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open(casePath)
	addGoal := func(text, importance, rating string, n int) {
		t.Helper()
		tb.run("add the goal "+text, fill("goal_text", text), choose("goal_importance", importance), choose("goal_rating", rating),
			chromedp.Click(chromedp.CSS("[data-testid=goal-submit]")), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("[data-testid=goal]:nth-of-type(%d)", n))))
	}
	addGoal("Go to a club after school once a week", "3", "2", 1)
	addGoal("Feel less worried on Sunday nights", "2", "3", 2)
	goals, err := s.svc.Cases.FindGoals(as(worker), decided.CaseID)
	if err != nil || len(goals) != 2 {
		t.Fatalf("%d goals, %v", len(goals), err)
	}
	for _, g := range goals {
		if r, _ := g.Latest(); r.Scale != linkwork.ScaleEmoji {
			t.Errorf("%q was rated on the %q scale, not the emoji scale", g.Text, r.Scale)
		}
	}
	for i, rating := range []string{"6", "7"} {
		g := goals[i]
		tb.run("re-rate "+g.Text, chromedp.Click(chromedp.CSS(`#rating-`+g.ID+`-`+rating)),
			chromedp.Click(chromedp.CSS(`form[action$="/goals/`+g.ID+`/ratings"] button`)),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("[data-testid=goal]:nth-of-type(%d) [data-testid=goal-chart] rect:nth-of-type(2)", i+1))))
	}

	// A review, the ending, and closing with their agreement to share.
	if !eval[bool](tb, `(() => { const d = document.querySelector('[data-testid=review-form]').closest('details'); if (d) d.open = true; return true })()`) {
		t.Fatal("cannot open the review form")
	}
	tb.run("hold the review", choose("review_engaged", "yes"), fill("review_notes", "Went to the youth club twice; wants to go on his own"),
		choose("review_decision", "continue"), chromedp.Click(chromedp.CSS("[data-testid=review-submit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=reviews]")))
	if got := tb.text("[data-testid=reviews]"); !strings.Contains(got, "Continue") {
		t.Errorf("the review is not listed: %q", got)
	}
	tb.run("plan the ending", fill("ending_steps", "A fortnight's gap, then a last session at school"),
		chromedp.Click(chromedp.CSS("[data-testid=ending-submit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=ending-steps]")))
	if got := tb.text("[data-testid=case-status]"); got != "Ending" {
		t.Fatalf("after planning the ending the case is %q", got)
	}
	if got := tb.text("[data-testid=ending-steps]"); !strings.Contains(got, "a last session at school") {
		t.Errorf("the ending's steps: %q", got)
	}
	tb.run("close, with Kai's agreement to share",
		choose("close_reason", "connected"), fill("close_summary", "Kai goes to the youth club every Thursday and feels more settled"), choose("close_share", "yes"),
		chromedp.Click(chromedp.CSS("[data-testid=close-submit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=closure]")))
	if got := tb.text("[data-testid=case-status]"); got != "Closed" {
		t.Fatalf("after closing the case is %q", got)
	}

	// The school reads the message back.
	tb = newTab(t, s.URL)
	tb.signIn(teacher.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/referrals/" + ref.ID)
	tb.run("wait for what happened", chromedp.WaitVisible(chromedp.CSS("#what-happened")))
	got := tb.text("#what-happened")
	for _, want := range []string{"Connected to the community", "Go to a club after school once a week", "youth club every Thursday"} {
		if !strings.Contains(got, want) {
			t.Errorf("what happened does not say %q:\n%s", want, got)
		}
	}
	if n := tb.text("[data-testid=outcome-sessions]"); n != "2" {
		t.Errorf("sessions attended %q, want 2", n)
	}

	// A GP practice that did not refer them sees nothing.
	tb = newTab(t, s.URL)
	tb.signIn(gpLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	for _, path := range []string{"/referrals/" + ref.ID, "/referrals/" + ref.ID + "/letter"} {
		tb.expectStatus(path, 404)
		tb.open(path)
		if got := tb.text("main"); !strings.Contains(strings.ToLower(got), "not found") || strings.Contains(got, "Kai") {
			t.Errorf("%s as another practice:\n%s", path, got)
		}
	}
}
