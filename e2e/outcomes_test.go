package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestTheServicesOutcomeFigures shows the service's change in SWEMWBS on
// a 320px phone. A new link worker's two young people each rose from the
// bottom of the scale at the start to near its top at the end: their
// coordinator finds the measures page under More and the link
// worker's two people counted, with the chart beside the table and
// nothing scrolling sideways; the board's commissioner, who funds the
// service, sees the same group as "fewer than 5"; the demo link worker is
// refused the page.
func TestTheServicesOutcomeFigures(t *testing.T) {
	s := newSite(t)
	coLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	cmLogin, _ := demo.LoginFor(linkwork.RoleCommissioner)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	coord := s.user(t, coLogin.Email)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
	worker := &linkwork.User{Name: "Robin Outcomes", Email: "robin.outcomes@demo.linkwork.test", Role: linkwork.RoleLinkWorker, OrgID: coord.OrgID}
	if err := s.svc.Users.CreateUser(sys, worker, s.cfg.Password); err != nil {
		t.Fatal(err)
	}
	for _, family := range []string{"Outcomewell", "Risingham"} {
		caseID := outcomeCase(t, s, worker, family)
		for _, m := range []struct {
			tp     linkwork.Timepoint
			at     time.Time
			answer int
		}{{linkwork.TimepointBaseline, time.Now().AddDate(0, 0, -40), 2}, {linkwork.TimepointEnd, time.Now().AddDate(0, 0, -2), 4}} {
			r := &linkwork.MeasureResponse{CaseID: caseID, Instrument: linkwork.InstrumentSWEMWBS, Timepoint: m.tp, At: m.at, CompletedBy: linkwork.CompletedWithWorker,
				Answers: linkwork.Ints(m.answer, m.answer, m.answer, m.answer, m.answer, m.answer, m.answer)}
			if err := s.svc.Measures.RecordMeasure(as(worker), r); err != nil {
				t.Fatal(err)
			}
		}
	}

	tb := newTab(t, s.URL)
	tb.run("emulate a 320px phone", chromedp.EmulateViewport(320, 800, chromedp.EmulateScale(2)))
	tb.signIn(coLogin.Email, s.cfg.Password)
	tb.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/")
	tb.run("open the menu", chromedp.Click(chromedp.CSS(".govuk-service-navigation__toggle")))
	tb.waitUntil("the menu opens", `document.querySelector('.govuk-service-navigation__toggle').getAttribute('aria-expanded') === 'true'`, 5*time.Second)
	tb.run("open More", chromedp.Click(chromedp.CSS(`nav a[href="/more"]`)))
	tb.run("open the outcome figures", chromedp.Click(chromedp.CSS(`[data-testid=more-links] a[href="/measures"]`)))
	tb.textWith("h1", "Outcome measures")
	tb.textWith("[data-testid=outcome-all-swemwbs]", "Everyone")
	// Each breakdown is folded until asked for.
	byWorker := `[data-testid=outcome-swemwbs] details:has([data-testid=outcome-worker-swemwbs])`
	if eval[bool](tb, `document.querySelector('`+byWorker+`').open`) {
		t.Error("the breakdown by link worker is unfolded before it is asked for")
	}
	tb.run("unfold the figures by link worker", chromedp.Click(chromedp.CSS(byWorker+" summary")), chromedp.WaitVisible(chromedp.CSS("[data-testid=outcome-worker-swemwbs]")))
	row := tb.textWith("[data-testid=outcome-worker-swemwbs]", "Robin Outcomes")
	if !strings.Contains(row, "Robin Outcomes") {
		t.Fatalf("the link worker's row: %q", row)
	}
	robin := eval[string](tb, `[...document.querySelectorAll("[data-testid=outcome-worker-swemwbs] tbody tr")].map(r => r.innerText).find(t => t.includes("Robin Outcomes")) || ""`)
	if !strings.Contains(robin, "\n2\n") && !strings.Contains(robin, "\t2\t") || !strings.Contains(robin, "2 (100%)") {
		t.Errorf("the coordinator sees Robin's group as %q, want 2 people, both improved reliably", robin)
	}
	if eval[int](tb, `document.querySelectorAll("[data-testid=outcome-swemwbs] svg[role=img] title").length`) < 4 {
		t.Error("the figures have no charts with titles")
	}
	if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the measures page scrolls sideways at 320px: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}
	tb.signOut()

	tb.signIn(cmLogin.Email, s.cfg.Password)
	tb.run("wait for the commissioner's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/measures")
	tb.textWith("[data-testid=suppressed-note]", "fewer than 5")
	tb.run("unfold the figures by link worker", chromedp.Click(chromedp.CSS(byWorker+" summary")), chromedp.WaitVisible(chromedp.CSS("[data-testid=outcome-worker-swemwbs]")))
	robin = eval[string](tb, `[...document.querySelectorAll("[data-testid=outcome-worker-swemwbs] tbody tr")].map(r => r.innerText).find(t => t.includes("Robin Outcomes")) || ""`)
	if !strings.Contains(robin, "fewer than 5") || strings.Contains(robin, "100%") {
		t.Errorf("the commissioner sees Robin's group as %q, want fewer than 5", robin)
	}
	tb.signOut()

	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for the link worker's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.expectStatus("/measures", 403)
	tb.open("/measures")
	tb.textWith("h1", "You cannot see this page")
}

// outcomeCase makes a school referral for a 15-year-old, accepted to the
// worker, and returns the case.
func outcomeCase(t *testing.T, s *site, worker *linkwork.User, family string) string {
	t.Helper()
	coordLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	referrerLogin, _ := demo.LoginFor(linkwork.RoleReferrer)
	coord, gp := s.user(t, coordLogin.Email), s.user(t, referrerLogin.Email)
	ref := &linkwork.Referral{ServiceOrgID: coord.OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Low mood since changing school",
		WhatTheyWant: "To feel like themself again", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
	person := &linkwork.Person{GivenName: "Alex", FamilyName: family, DateOfBirth: linkwork.DateOf(time.Now().AddDate(-15, -3, 0)), Postcode: "LS9 1AA", Phone: "07700 900" + map[string]string{"Outcomewell": "561", "Risingham": "562"}[family]}
	if err := s.svc.Referrals.CreateReferral(as(gp), ref, person); err != nil {
		t.Fatal(err)
	}
	decided, err := s.svc.Referrals.DecideReferral(as(coord), ref.ID, ref.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: worker.ID})
	if err != nil {
		t.Fatal(err)
	}
	return decided.CaseID
}
