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

// planCase makes a school's referral for a 15-year-old, accepted to the
// demo link worker with three sessions attended, who agreed that their
// details may go to the community groups they are referred to, and
// returns the case, the referral and the teacher who made it.
func planCase(t *testing.T, s *site) (caseID string, ref *linkwork.Referral, teacher *linkwork.User) {
	t.Helper()
	return planCaseAsked(t, s, true)
}

// planCaseAsked is planCase, with the person's answer, when asked,
// about their details going to community groups recorded (agrees) or
// not yet asked.
func planCaseAsked(t *testing.T, s *site, agrees bool) (caseID string, ref *linkwork.Referral, teacher *linkwork.User) {
	t.Helper()
	sys := systemCtx()
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coordLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	worker, coord := s.user(t, lwLogin.Email), s.user(t, coordLogin.Email)

	school := &linkwork.Organisation{Name: "Hillside Academy", Kind: linkwork.OrgSchool, Postcode: "LS9 1AA"}
	if err := s.svc.Organisations.CreateOrganisation(sys, school); err != nil {
		t.Fatal(err)
	}
	teacher = &linkwork.User{Name: "Ms Teacher", Email: "teacher@hillside.example", Role: linkwork.RoleReferrer, OrgID: school.ID}
	if err := s.svc.Users.CreateUser(sys, teacher, s.cfg.Password); err != nil {
		t.Fatal(err)
	}
	ref = &linkwork.Referral{ServiceOrgID: coord.OrgID, Pathway: linkwork.PathwaySchool, Mode: linkwork.ModeReferral, ReferrerOrgID: school.ID,
		Reasons: "Withdrawn since moving schools", WhatTheyWant: "To make friends", YearGroup: "Year 10", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo,
		PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
	person := &linkwork.Person{GivenName: "Robin", FamilyName: "Planwell", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-15, -3, 0)), Postcode: "LS9 1AA",
		Phone: "07700 900555", Contact: linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelText}}}
	if err := s.svc.Referrals.CreateReferral(as(teacher), ref, person); err != nil {
		t.Fatal(err)
	}
	decided, err := s.svc.Referrals.DecideReferral(as(coord), ref.ID, ref.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: worker.ID})
	if err != nil {
		t.Fatal(err)
	}
	caseID = decided.CaseID
	if agrees {
		if err := s.svc.People.AddConsent(as(worker), decided.PersonID, &linkwork.Consent{Kind: linkwork.ConsentShareCommunity, Given: true, GivenBy: "self"}); err != nil {
			t.Fatal(err)
		}
	}
	// Three sessions attended so far: the service reviews after the third.
	for i := range 3 {
		if err := s.svc.Cases.AddContact(as(worker), &linkwork.Contact{CaseID: caseID, At: time.Now().Add(time.Duration(i-3) * 7 * 24 * time.Hour),
			Mode: linkwork.ContactFaceToFace, LocationType: "school", Outcome: linkwork.ContactAttended, Minutes: 45}); err != nil {
			t.Fatal(err)
		}
	}
	return caseID, ref, teacher
}

// TestAPlanFromGoalsToTheMessageBack follows a 15-year-old's plan: the
// link worker adds two goals rated on the emoji scale and re-rates them
// (the chart shows both ratings), holds the review that is due, plans the
// ending and closes with the person's agreement to share; the school that
// referred them reads what happened and the letter, and a GP practice that
// did not refer them finds nothing.
func TestAPlanFromGoalsToTheMessageBack(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	gpLogin, _ := demo.LoginFor(linkwork.RoleReferrer)
	worker := s.user(t, lwLogin.Email)
	caseID, ref, teacher := planCase(t, s)

	tb := newTab(t, s.URL)
	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	tb.run("wait for the plan", chromedp.WaitVisible(chromedp.CSS("[data-testid=goal-form]")))

	// The emoji scale, for a 15-year-old: each face hidden from screen
	// readers, each label saying its number in words.
	labels := eval[[]string](tb, `[...document.querySelectorAll('[data-testid=goal-form] input[name=goal_rating] + label')].map(l => l.textContent.trim())`)
	hidden := eval[int](tb, `document.querySelectorAll('[data-testid=goal-form] input[name=goal_rating] + label .lw-emoji[aria-hidden=true]').length`)
	if len(labels) != 11 || hidden != 11 || !strings.Contains(labels[5], "5, halfway") {
		t.Fatalf("the emoji scale: %d faces hidden, labels %q", hidden, labels)
	}

	addGoal := func(text, importance, rating string, n int) {
		tb.run("add the goal "+text, fill("goal_text", text), choose("goal_importance", importance), choose("goal_rating", rating),
			chromedp.Click(chromedp.CSS("[data-testid=goal-submit]")), chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("[data-testid=goal]:nth-of-type(%d)", n))))
	}
	addGoal("Go to the youth club on my own", "3", "3", 1)
	addGoal("Talk to someone new at school", "2", "2", 2)
	goals, err := s.svc.Cases.FindGoals(as(worker), caseID)
	if err != nil || len(goals) != 2 {
		t.Fatalf("%d goals, %v", len(goals), err)
	}
	for i, g := range goals {
		if r, _ := g.Latest(); r.Scale != linkwork.ScaleEmoji || len(g.Ratings) != 1 {
			t.Fatalf("goal %d rated %+v", i, g.Ratings)
		}
	}

	// Re-rated: the chart and its table show both ratings.
	for i, rating := range []string{"7", "5"} {
		g := goals[i]
		tb.run("re-rate "+g.Text, chromedp.Click(chromedp.CSS(`#rating-`+g.ID+`-`+rating)),
			chromedp.Click(chromedp.CSS(`form[action$="/goals/`+g.ID+`/ratings"] button`)),
			chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf("[data-testid=goal]:nth-of-type(%d) [data-testid=goal-chart] rect:nth-of-type(2)", i+1))))
	}
	bars := eval[[]int](tb, `[...document.querySelectorAll('[data-testid=goal]')].map(g => g.querySelectorAll('[data-testid=goal-chart] rect').length)`)
	if len(bars) != 2 || bars[0] != 2 || bars[1] != 2 {
		t.Fatalf("the charts have %v bars, want 2 each", bars)
	}
	first := tb.text("[data-testid=goal]:nth-of-type(1) [data-testid=goal-ratings]")
	if !strings.Contains(first, "3, quite far") || !strings.Contains(first, "7, closer") {
		t.Errorf("the first goal's history does not give both numbers:\n%s", first)
	}
	if title := eval[string](tb, `document.querySelector('[data-testid=goal] svg title').textContent`); !strings.Contains(title, "3, then 7") {
		t.Errorf("the chart's accessible name does not give the numbers: %q", title)
	}

	// The review is due after the third session.
	if got := tb.text("[data-testid=review-due]"); !strings.Contains(got, "Review due") {
		t.Fatalf("no review prompt: %q", got)
	}
	tb.run("hold the review", choose("review_engaged", "yes"), fill("review_notes", "Settling in; keen to try the club alone"), choose("review_decision", "continue"),
		chromedp.Click(chromedp.CSS("[data-testid=review-submit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=reviews]")))
	if got := tb.text("[data-testid=reviews]"); !strings.Contains(got, "Continue") || !strings.Contains(got, "3") {
		t.Errorf("the review is not listed: %q", got)
	}
	if n := eval[int](tb, `document.querySelectorAll('[data-testid=review-due]').length`); n != 0 {
		t.Error("the review is still shown as due after it was held")
	}

	// The ending, then closing with consent to share.
	tb.run("plan the ending", fill("ending_steps", "Two sessions a fortnight apart, then a phone call"),
		chromedp.Click(chromedp.CSS("[data-testid=ending-submit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=ending-steps]")))
	if got := tb.text("[data-testid=case-status]"); got != "Ending" {
		t.Errorf("after planning the ending the case is %q", got)
	}
	tb.expectStatus("/cases/"+caseID+"/close", 422)
	tb.run("close without saying whether they share",
		choose("close_reason", "connected"), chromedp.Click(chromedp.CSS("[data-testid=close-submit]")), chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	tb.run("close with their agreement to share",
		choose("close_reason", "connected"), fill("close_summary", "Goes to the youth club every Thursday"), choose("close_share", "yes"),
		chromedp.Click(chromedp.CSS("[data-testid=close-submit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=closure]")))
	if got := tb.text("[data-testid=case-status]"); got != "Closed" {
		t.Errorf("after closing the case is %q", got)
	}
	if got := tb.text("[data-testid=follow-up]"); !strings.Contains(got, "Due") {
		t.Errorf("no follow-up date: %q", got)
	}

	// The school reads what happened, and the letter.
	tb.signOut()
	tb.signIn(teacher.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/referrals/" + ref.ID)
	tb.run("wait for what happened", chromedp.WaitVisible(chromedp.CSS("#what-happened")))
	got := tb.text("#what-happened")
	for _, want := range []string{"What happened", "Connected to the community", "Go to the youth club on my own", "Goes to the youth club every Thursday"} {
		if !strings.Contains(got, want) {
			t.Errorf("what happened does not say %q:\n%s", want, got)
		}
	}
	if n := tb.text("[data-testid=outcome-sessions]"); n != "3" {
		t.Errorf("sessions attended %q, want 3", n)
	}
	goalRows := eval[[]string](tb, `[...document.querySelectorAll('[data-testid=outcome-goals] tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()).join('|'))`)
	if len(goalRows) != 2 || goalRows[0] != "Go to the youth club on my own|3|7" || goalRows[1] != "Talk to someone new at school|2|5" {
		t.Errorf("the change in goals: %q", goalRows)
	}
	tb.run("open the letter", chromedp.Click(chromedp.CSS("[data-testid=letter-link]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=letter]")))
	if got := tb.text("[data-testid=letter]"); !strings.Contains(got, "Support ended: Robin Planwell") || !strings.Contains(got, "Hillside Academy") || !strings.Contains(got, "Goes to the youth club") {
		t.Errorf("the letter:\n%s", got)
	}

	// A GP practice that did not refer them sees nothing.
	tb.signOut()
	tb.signIn(gpLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	for _, path := range []string{"/referrals/" + ref.ID, "/referrals/" + ref.ID + "/letter"} {
		tb.expectStatus(path, 404)
		tb.open(path)
		if got := tb.text("main"); !strings.Contains(strings.ToLower(got), "not found") || strings.Contains(got, "Robin") {
			t.Errorf("%s as another practice:\n%s", path, got)
		}
	}
}

// TestMyPlanAndTheDoorStaysOpen follows the rest of a plan: an action for
// a parent, the person's own copy of the plan (printed, and sent by
// text), closing straight from an active case, the follow-up when it is
// due, and the person coming back to a new case linked to the old one.
func TestMyPlanAndTheDoorStaysOpen(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	worker := s.user(t, lwLogin.Email)
	caseID, _, _ := planCase(t, s)
	if err := s.svc.Cases.AddGoal(as(worker), &linkwork.Goal{CaseID: caseID, Text: "Learn to cook a meal", Ratings: []linkwork.GoalRating{{Rating: 2, Scale: linkwork.ScaleEmoji}}}); err != nil {
		t.Fatal(err)
	}

	tb := newTab(t, s.URL)
	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.run("emulate a 320px phone", chromedp.EmulateViewport(320, 800, chromedp.EmulateScale(2)))
	for _, path := range []string{"/cases/" + caseID, "/cases/" + caseID + "/my-plan"} {
		tb.open(path)
		if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
			t.Errorf("%s is wider than a 320px phone (%dpx): %v", path, o.ScrollWidth, o.Wide)
		}
	}
	tb.open("/cases/" + caseID)
	tb.run("open the action form", chromedp.Click(chromedp.CSS(`#actions ~ details summary`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid=action-form]`)))
	tb.run("fill in the action", choose("action_who", "parent"), fill("action_who_name", "Dad"), fill("action_what", "Shop for the ingredients together"),
		chromedp.Click(chromedp.CSS(`[data-testid=action-form] button`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=actions]")))
	if got := tb.text("[data-testid=actions]"); !strings.Contains(got, "A parent or carer (Dad)") || !strings.Contains(got, "Not yet") {
		t.Errorf("the action: %q", got)
	}

	tb.run("open my plan", chromedp.Click(chromedp.CSS("[data-testid=my-plan-link]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=my-goals]")))
	if got := tb.text("main"); !strings.Contains(got, "Hello Robin") || !strings.Contains(got, "Learn to cook a meal: you said 2 out of 10") ||
		!strings.Contains(got, "Dad: Shop for the ingredients together") || !strings.Contains(got, "not an emergency service") {
		t.Errorf("my plan:\n%s", got)
	}
	tb.open("/cases/" + caseID)
	// Wait for the notice of the sending, not any other banner the page
	// may carry.
	tb.run("send them their plan", chromedp.Click(chromedp.CSS("[data-testid=send-plan]")), chromedp.WaitVisible(chromedp.CSS(".govuk-notification-banner--success")))
	if got := tb.text(".govuk-notification-banner--success"); !strings.Contains(got, "outbox") {
		t.Errorf("after sending: %q", got)
	}
	msgs, err := s.svc.Messages.FindMessages(as(worker), caseID)
	if err != nil || len(msgs) != 1 || msgs[0].Kind != linkwork.MessagePlan || msgs[0].Channel != linkwork.MessageText || !strings.Contains(msgs[0].Body, "Learn to cook a meal") {
		t.Fatalf("the outbox: %+v %v", msgs, err)
	}

	// Closing an active case is a form folded away until asked for.
	if eval[bool](tb, `document.querySelector('[data-testid=close-details]').open`) {
		t.Error("the closing form is unfolded on an active case")
	}
	tb.run("close, not sharing", chromedp.Click(chromedp.CSS("[data-testid=close-details] summary")), chromedp.WaitVisible(chromedp.CSS("[data-testid=close-form]")),
		choose("close_reason", "moved_away"), choose("close_share", "no"),
		chromedp.Click(chromedp.CSS("[data-testid=close-submit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=follow-up-form]")))
	if got := tb.text("[data-testid=share-outcome]"); !strings.HasPrefix(got, "No") {
		t.Errorf("shared: %q", got)
	}
	tb.run("record the follow-up", fill("follow_up_note", "Settled in the new town; joined a youth club there"),
		chromedp.Click(chromedp.CSS("[data-testid=follow-up-form] button")))
	// The closed case's page already offered to reopen it: wait for the
	// follow-up itself.
	tb.textWith("[data-testid=follow-up]", "Settled in the new town")
	tb.run("they come back", chromedp.Click(chromedp.CSS("[data-testid=reopen]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=previous-support]")))
	if got := tb.text("[data-testid=case-status]"); got != "Active" {
		t.Errorf("the new case is %q", got)
	}
	tb.run("follow the link to the previous support", chromedp.Click(chromedp.CSS("[data-testid=previous-support] a")), chromedp.WaitVisible(chromedp.CSS("[data-testid=came-back]")))
	if !strings.HasSuffix(strings.Split(tb.path(), "?")[0], caseID) {
		t.Errorf("the previous support link goes to %s", tb.path())
	}
}
