package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestADisclosedRiskIsReadTheSameDay follows a 16-year-old who writes on
// the public form that they have thought about ending their life: they are
// shown the crisis numbers first and told the form is read today; the
// safeguarding lead is told at once and records what was done; the
// coordinator's queue shows the flag until then, and the referral shows
// the decision after.
func TestADisclosedRiskIsReadTheSameDay(t *testing.T) {
	s := newSite(t)
	tb := newTab(t, s.URL)
	tb.open("/refer")
	tb.run("choose the young person's form", chromedp.Click(chromedp.CSS("[data-testid=refer-young-person]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=public-referral-form]")))
	if got := tb.text("[data-testid=public-referral-form]"); !strings.Contains(got, "Are you safe right now?") || !strings.Contains(got, "ending your life") {
		t.Fatalf("the form does not ask plainly about safety:\n%s", got)
	}
	dob := linkwork.DateOf(time.Now().AddDate(-16, -2, 0))
	actions := []chromedp.Action[chromedp.Void]{fill("person.given_name", "Jordan"), fill("person.family_name", "Riskwell")}
	actions = append(actions, birth("person.date_of_birth", dob)...)
	actions = append(actions,
		fill("person.postcode", "LS9 1AA"), fill("person.phone", "07700 900777"), choose("person.contact.channels", "text"),
		fill("reasons", "I've been thinking about ending my life and I've hurt myself this week."),
		choose("safe_now", "not_sure"), choose("harm_thoughts", "yes"), choose("consent_referral", "yes"),
		chromedp.Click(chromedp.CSS(`[data-testid=public-referral-form] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=reference]")),
	)
	tb.run("fill in and send the form", actions...)

	// The confirmation: crisis numbers first, read today, never days.
	if got := tb.text("[data-testid=read-today]"); !strings.Contains(got, "today") {
		t.Errorf("the confirmation does not say the form is read today: %q", got)
	}
	if got := tb.text("main"); strings.Contains(got, "working days") {
		t.Errorf("someone who disclosed a risk is told to wait working days:\n%s", got)
	}
	if !eval[bool](tb, `(() => {
		const crisis = document.querySelector('[data-testid=crisis-advice]'), panel = document.querySelector('.govuk-panel');
		return !!crisis && !!panel && !!(crisis.compareDocumentPosition(panel) & Node.DOCUMENT_POSITION_FOLLOWING);
	})()`) {
		t.Error("the crisis numbers are not shown before the confirmation")
	}
	if got := tb.text("[data-testid=crisis-advice]"); !strings.Contains(got, "999") || !strings.Contains(got, "116 123") || !strings.Contains(got, "85258") {
		t.Errorf("the crisis advice misses a number: %q", got)
	}
	reference := tb.text("[data-testid=reference]")

	// The safeguarding lead has been told, and opens it from the message.
	lead, _ := demo.LoginFor(linkwork.RoleSafeguarding)
	tb.signIn(lead.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	if got := tb.text("[data-testid=stat-risk-review]"); got == "0" {
		t.Error("the home page counts no possible risk to review")
	}
	tb.open("/notifications")
	if got := tb.text("[data-testid=notifications]"); !strings.Contains(got, "Possible risk, review today: Jordan ("+reference+")") {
		t.Fatalf("the safeguarding lead's messages do not have the risk:\n%s", got)
	}
	tb.run("open the referral from the message",
		chromedp.Click(chromedp.CSS(`[data-testid=notifications] a[href^="/referrals/"]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=risk-flag]")))
	id := tb.referralID()
	if got := tb.text("[data-testid=risk-flag]"); !strings.Contains(got, "Possible risk: review today") || !strings.Contains(got, "ending my life") {
		t.Errorf("the flag does not say what was found:\n%s", got)
	}
	marked := eval[[]string](tb, `[...document.querySelectorAll('mark.lw-mark')].map(m => m.textContent)`)
	if !strings.Contains(strings.Join(marked, "|"), "ending my life") || !strings.Contains(strings.Join(marked, "|"), "hurt myself") {
		t.Errorf("the words that triggered the flag are not marked: %q", marked)
	}

	// A decision needs what was done.
	tb.expectStatus("/referrals/"+id+"/risk", 422)
	tb.run("record acted on without saying what was done",
		choose("risk_outcome", "acted_on"), chromedp.Click(chromedp.CSS("[data-testid=risk-submit]")), chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	if got := tb.text(".govuk-error-summary"); !strings.Contains(got, "what was done") {
		t.Errorf("the error does not ask what was done: %q", got)
	}
	tb.run("say what was done",
		fill("risk_note", "Rang Jordan within the hour; safety plan agreed; GP told."),
		chromedp.Click(chromedp.CSS("[data-testid=risk-submit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=risk-decision]")))
	if got := tb.text("[data-testid=risk-decision]"); !strings.Contains(got, "safety plan agreed") || !strings.Contains(got, lead.Name) {
		t.Errorf("the decision is not shown with who made it: %q", got)
	}
	ref, err := s.svc.Referrals.FindReferralByID(as(s.user(t, lead.Email)), id)
	if err != nil {
		t.Fatal(err)
	}
	if ref.Risk.State != linkwork.RiskActedOn || ref.Reference() != reference {
		t.Errorf("stored %+v", ref.Risk)
	}

	// The coordinator's queue no longer jumps it; the referral shows it
	// was acted on.
	tb.signOut()
	coord, _ := demo.LoginFor(linkwork.RoleCoordinator)
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/referrals/" + id)
	if got := tb.text("[data-testid=risk-flag]"); !strings.Contains(got, "acted on") || strings.Contains(got, "review today") {
		t.Errorf("after the decision the referral shows:\n%s", got)
	}
}

// TestAFlaggedReferralLeadsTheCoordinatorsQueue checks the queue page:
// every referral flagged for review today comes before any that is not,
// each with its tag.
func TestAFlaggedReferralLeadsTheCoordinatorsQueue(t *testing.T) {
	s := newSite(t)
	r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, Pathway: linkwork.PathwaySelf,
		Reasons: "Things at home are bad. I'm not safe at home.", ConsentReferral: true}
	p := &linkwork.Person{GivenName: "Sam", FamilyName: "Queuefirst", DateOfBirth: linkwork.DateOf(time.Now().AddDate(-17, 0, 0)), Phone: "07700 900778"}
	coord, _ := demo.LoginFor(linkwork.RoleCoordinator)
	r.ServiceOrgID = s.user(t, coord.Email).OrgID
	if err := s.svc.Referrals.SubmitPublicReferral(systemCtx(), r, p); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, s.URL)
	tb.signIn(coord.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/triage")
	rows := eval[[]bool](tb, `[...document.querySelectorAll('[data-testid=triage-queue] tbody tr')].map(tr => !!tr.querySelector('[data-testid=risk-tag]'))`)
	names := tb.text("[data-testid=triage-queue]")
	if !strings.Contains(names, "Sam Queuefirst") || len(rows) == 0 || !rows[0] {
		t.Fatalf("the flagged referral does not lead the queue:\n%s", names)
	}
	for i := 1; i < len(rows); i++ {
		if rows[i] && !rows[i-1] {
			t.Fatalf("a flagged referral (row %d) comes after one that is not:\n%s", i+1, names)
		}
	}
}
