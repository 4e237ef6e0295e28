package e2e

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
)

// waitingMeasureToken is the token of the newest measure link waiting to
// go, read from the outbox (the end of the link in its message).
func waitingMeasureToken(t *testing.T, s *site, to string) string {
	t.Helper()
	pending, err := sqlstore.NewMeasureLinkService(s.db).PendingMessages(systemCtx(), 500)
	if err != nil {
		t.Fatal(err)
	}
	token := ""
	for _, m := range pending {
		if m.To == to {
			_, token, _ = strings.Cut(m.Body, "/measure/")
		}
	}
	if token == "" {
		t.Fatalf("no measure link is waiting to go to %s", to)
	}
	return token
}

// TestAYoungPersonAnswersOnTheirOwnPhone: the service mandates SWEMWBS
// and goals at the start and the end for 13- to 15-year-olds, with its
// licensed SWEMWBS wording. A link worker sees SWEMWBS due at the start
// of a 15-year-old's case and sends them a link by text. The young person
// opens it in a phone-sized window of their own with no account, sees
// their first name and the service's questions, sends it with one left
// out (named, nothing stored), then completes it; the link worker is told.
// The link worker rates the person's goal with them in a session on the
// emoji scale. Both again at the end; the case page then shows each
// measure's chart and SWEMWBS's rise as a reliable improvement.
func TestAYoungPersonAnswersOnTheirOwnPhone(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coordLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	worker, coord := s.user(t, lwLogin.Email), s.user(t, coordLogin.Email)

	set, err := s.svc.Triage.ServiceSettings(as(coord), coord.OrgID)
	if err != nil {
		t.Fatal(err)
	}
	startEnd := []linkwork.Timepoint{linkwork.TimepointBaseline, linkwork.TimepointEnd}
	set.Measures = linkwork.MeasureSettings{
		Uses: []linkwork.MeasureUse{{Band: "13-15", Instrument: linkwork.InstrumentSWEMWBS, Timepoints: startEnd, Mandated: true},
			{Band: "13-15", Instrument: linkwork.InstrumentGBO, Timepoints: startEnd, Mandated: true}},
		Wording: map[linkwork.Instrument][]string{linkwork.InstrumentSWEMWBS: {"Our question one", "Our question two", "Our question three", "Our question four",
			"Our question five", "Our question six", "Our question seven"}}}
	if err := s.svc.Triage.SaveServiceSettings(as(coord), set); err != nil {
		t.Fatal(err)
	}
	// A 15-year-old who chose texts, with one goal.
	referrerLogin, _ := demo.LoginFor(linkwork.RoleReferrer)
	gp := s.user(t, referrerLogin.Email)
	ref := &linkwork.Referral{ServiceOrgID: coord.OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Anxious, stopped going out",
		WhatTheyWant: "To climb again", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
	phone := "07700 900557"
	person := &linkwork.Person{GivenName: "Kai", FamilyName: "Linkwell", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-15, -2, 0)), Postcode: "LS9 1AA", Phone: phone,
		Contact: linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelText}}}
	if err := s.svc.Referrals.CreateReferral(as(gp), ref, person); err != nil {
		t.Fatal(err)
	}
	decided, err := s.svc.Referrals.DecideReferral(as(coord), ref.ID, ref.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: worker.ID})
	if err != nil {
		t.Fatal(err)
	}
	caseID := decided.CaseID
	// The service's SWEMWBS figures before Kai: the page must count them.
	before, err := s.svc.Outcomes.OutcomeSummary(as(coord), linkwork.OutcomeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var was, goalsWere linkwork.ChangeFigures
	for _, ic := range before.Instruments {
		switch ic.Instrument {
		case linkwork.InstrumentSWEMWBS:
			was = ic.All
		case linkwork.InstrumentGBO:
			goalsWere = ic.All
		}
	}
	if err := s.svc.Cases.AddGoal(as(worker), &linkwork.Goal{CaseID: caseID, Text: "Go back to the climbing wall", Importance: linkwork.ImportanceVery}); err != nil {
		t.Fatal(err)
	}

	lw := newTab(t, s.URL)
	lw.run("emulate a 390 px phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	lw.signIn(lwLogin.Email, s.cfg.Password)
	lw.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	lw.open("/cases/" + caseID)
	lw.textWith("[data-testid=measures-due]", "SWEMWBS at the start")

	sendLink := func(timepoint string) string {
		t.Helper()
		lw.open("/cases/" + caseID)
		lw.textWith("[data-testid=send-measure-link]", "It goes by Text message to "+phone)
		lw.run("send a SWEMWBS link for "+timepoint, pick("link_instrument", "swemwbs"), choose("link_timepoint", timepoint),
			chromedp.Click(chromedp.CSS(`[data-testid=send-measure-link] button[type=submit]`)))
		lw.textWith(".govuk-notification-banner", "Link sent")
		return waitingMeasureToken(t, s, phone)
	}
	answerOnPhone := func(token string, answers []string) {
		t.Helper()
		kai := newTab(t, s.URL)
		kai.run("emulate a 390 px phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
		kai.open("/measure/" + token)
		kai.textWith("[data-testid=measure-link-greeting]", "Hi Kai,")
		if page := kai.text("main"); strings.Contains(page, "Linkwell") || !strings.Contains(page, "7. Our question seven") {
			t.Fatalf("the person's page shows their family name, or not the service's wording:\n%s", page)
		}
		if o := eval[overflow](kai, readOverflow); o.ScrollWidth > o.InnerWidth {
			t.Errorf("the person's page scrolls sideways on a phone: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
		}
		var acts []chromedp.Action[chromedp.Void]
		for i, a := range answers {
			acts = append(acts, choose(fmt.Sprintf("answers[%d]", i), a))
		}
		kai.run("answer", append(acts, chromedp.Click(chromedp.CSS(`[data-testid=measure-link-form] button[type=submit]`)))...)
		kai.textWith("[data-testid=measure-link-done]", "has your answers")
		kai.failOnProblems()
	}

	// The start: the young person leaves question 4 out first.
	token := sendLink("baseline")
	kai := newTab(t, s.URL)
	kai.run("emulate a 390 px phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2)))
	kai.open("/measure/" + token)
	kai.textWith("[data-testid=measure-link-greeting]", "Hi Kai,")
	kai.expectStatus("/measure/"+token, 422)
	var acts []chromedp.Action[chromedp.Void]
	for i, a := range []string{"3", "3", "3", "", "3", "3", "2"} {
		if a != "" {
			acts = append(acts, choose(fmt.Sprintf("answers[%d]", i), a))
		}
	}
	kai.run("answer all but question 4", append(acts, chromedp.Click(chromedp.CSS(`[data-testid=measure-link-form] button[type=submit]`)))...)
	kai.textWith(".govuk-error-summary", "Answer question 4")
	if href := eval[string](kai, `document.querySelector('.govuk-error-summary a').getAttribute('href')`); href != "#answers[3]" {
		t.Errorf("the error summary links to %q, want the question left out", href)
	}
	if list, err := s.svc.Measures.FindMeasures(as(worker), caseID); err != nil || len(list) != 0 {
		t.Fatalf("with a question left out, %d responses were stored (%v)", len(list), err)
	}
	kai.run("answer question 4", choose("answers[3]", "3"), chromedp.Click(chromedp.CSS(`[data-testid=measure-link-form] button[type=submit]`)))
	kai.textWith("[data-testid=measure-link-done]", "has your answers")
	kai.failOnProblems()

	lw.open("/notifications")
	lw.textWith("main", "Kai Linkwell completed SWEMWBS")

	// Goals, in a session, on the emoji scale.
	gbo := func(timepoint, rating string) {
		t.Helper()
		lw.open("/cases/" + caseID + "/measures/new?instrument=gbo")
		lw.run("wait for the goal", chromedp.WaitVisible(chromedp.CSS(`[name="answers[0]"]`)))
		faces := eval[int](lw, `document.querySelectorAll('input[name="answers[0]"] + label .lw-emoji[aria-hidden=true]').length`)
		labels := eval[[]string](lw, `[...document.querySelectorAll('input[name="answers[0]"] + label')].map(l => l.textContent.trim())`)
		if faces != 11 || len(labels) != 11 || !strings.HasSuffix(labels[5], "5, halfway") {
			t.Fatalf("the emoji scale for a 15-year-old: %d faces hidden from screen readers, labels %q", faces, labels)
		}
		lw.run("rate the goal at "+timepoint, choose("timepoint", timepoint), choose("answers[0]", rating), choose("completed_by", "with_link_worker"),
			chromedp.Click(chromedp.CSS(`form[action$="/measures"] button[type=submit]`)))
		lw.textWith(".govuk-notification-banner", "Measure recorded")
	}
	gbo("baseline", "3")

	// The end.
	answerOnPhone(sendLink("end"), []string{"4", "4", "4", "3", "3", "3", "3"})
	gbo("end", "8")

	lw.open("/cases/" + caseID)
	got := lw.textWith("[data-testid=measure-swemwbs]", "reliable improvement")
	for _, want := range []string{"18.59", "21.54", "up 2.95", "The person, on their own"} {
		if !strings.Contains(got, want) {
			t.Errorf("the SWEMWBS area does not say %q:\n%s", want, got)
		}
	}
	if goal := lw.text("[data-testid=measure-gbo]"); !strings.Contains(goal, "3 to 8, up 5: reliable improvement") {
		t.Errorf("the goal-based outcomes area:\n%s", goal)
	}
	if links := lw.text("[data-testid=measure-links]"); strings.Count(links, "Answered") != 2 {
		t.Errorf("the links sent are not both answered:\n%s", links)
	}
	dots := eval[[]int](lw, `[...document.querySelectorAll('[data-testid=measure-chart]')].map(c => c.querySelectorAll('circle').length)`)
	if len(dots) != 2 || dots[0] != 2 || dots[1] != 2 {
		t.Errorf("the charts have %v points, want 2 each", dots)
	}
	if o := eval[overflow](lw, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the case page scrolls sideways on a phone: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}
	lw.failOnProblems()

	// The service's page counts Kai among the people with a first and a
	// later score, and among those who improved reliably.
	lw.signOut()
	lw.signIn(coordLogin.Email, s.cfg.Password)
	lw.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	lw.open("/measures")
	lw.textWith("[data-testid=outcome-all-swemwbs]", "Everyone")
	cells := eval[[]string](lw, `[...document.querySelectorAll('[data-testid=outcome-all-swemwbs] tbody td')].map(c => c.innerText.trim())`)
	if len(cells) < 5 || cells[0] != strconv.Itoa(was.People+1) || !strings.HasPrefix(cells[2], strconv.Itoa(was.Improved+1)) {
		t.Errorf("the service's SWEMWBS figures %q do not count Kai: before, %d people and %d improved reliably", cells, was.People, was.Improved)
	}
	// Kai's goal, 3 to 8, is among the goals, and improved reliably.
	lw.textWith("[data-testid=outcome-all-gbo]", "Goals")
	cells = eval[[]string](lw, `[...document.querySelectorAll('[data-testid=outcome-all-gbo] tbody td')].map(c => c.innerText.trim())`)
	if len(cells) < 5 || cells[0] != strconv.Itoa(goalsWere.People+1) || !strings.HasPrefix(cells[2], strconv.Itoa(goalsWere.Improved+1)) {
		t.Errorf("the service's goal figures %q do not count Kai's goal: before, %d goals and %d improved reliably", cells, goalsWere.People, goalsWere.Improved)
	}
	if o := eval[overflow](lw, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the measures page scrolls sideways on a phone: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}
}
