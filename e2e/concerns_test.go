package e2e

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestASafeguardingConcernReachesTheLeadAndIsClosed follows a concern
// from a case to its close: the link worker raises it from the case
// page; the caseload flags the case; the safeguarding lead has a message
// at once and finds it first on the concerns page, records a referral to
// children's social care and closes it; the caseload no longer flags the
// case. The school that referred the person, the community organisation
// the person is connected to, and another link worker of the service
// see nothing of it.
func TestASafeguardingConcernReachesTheLeadAndIsClosed(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	leadLogin, _ := demo.LoginFor(linkwork.RoleSafeguarding)
	vcsLogin, _ := demo.LoginFor(linkwork.RoleCommunity)
	worker, vcs := s.user(t, lwLogin.Email), s.user(t, vcsLogin.Email)
	caseID, ref, teacher := planCase(t, s)
	// Robin goes to one of the community organisation's activities, so
	// it sees Robin on its connections page.
	theirs, _, err := s.svc.Assets.FindAssets(as(worker), linkwork.AssetFilter{OrgID: vcs.OrgID, Accepting: true, Limit: 1})
	if err != nil || len(theirs) == 0 {
		t.Fatalf("the demo community organisation has no listing taking people: %v", err)
	}
	conn := &linkwork.Connection{CaseID: caseID, AssetID: theirs[0].Asset.ID, Level: linkwork.LevelRefer}
	if err := s.svc.Connections.CreateConnection(as(worker), conn); err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Connections.MoveConnection(as(worker), conn.ID, linkwork.ConnectionMove{To: linkwork.ConnContacted, Version: conn.Version}); err != nil {
		t.Fatal(err)
	}
	other := &linkwork.User{Name: "Another Worker", Email: "another.worker@example.org", Role: linkwork.RoleLinkWorker, OrgID: worker.OrgID}
	if err := s.svc.Users.CreateUser(systemCtx(), other, s.cfg.Password); err != nil {
		t.Fatal(err)
	}
	// robinRow is the text of Robin's row of the caseload.
	robinRow := func(tb *tab) string {
		tb.textWith("[data-testid=caseload]", "Robin")
		return eval[string](tb, `Array.from(document.querySelectorAll("[data-testid=caseload-row]")).filter(r => r.innerText.includes("Robin")).map(r => r.innerText).join("\n")`)
	}

	tb := newTab(t, s.URL)
	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	tb.run("raise a concern", chromedp.Click(chromedp.CSS("[data-testid=raise-concern]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=concern-form]")))
	tb.run("say what was heard and done", choose("category", "domestic_abuse"),
		fill("description", "Robin said “Dad shouts and throws things when he has been drinking, and I hide in my room.”"),
		fill("immediate_action", "Listened; told Robin I would share it with our safeguarding lead today."),
		choose("safe_now", "not_sure"), chromedp.Click(chromedp.CSS("[data-testid=concern-submit]")))
	tb.textWith(".govuk-notification-banner", "the safeguarding lead has been told")
	tb.textWith("[data-testid=concern-flag]", "Open safeguarding concern")
	tb.open("/caseload")
	if row := robinRow(tb); !strings.Contains(row, "Safeguarding concern") {
		t.Fatalf("the caseload does not flag Robin while the concern is open:\n%s", row)
	}
	concerns, _, err := s.svc.Concerns.FindConcerns(as(worker), linkwork.ConcernFilter{ReferralID: ref.ID})
	if err != nil || len(concerns) != 1 {
		t.Fatalf("the concern raised: %v %v", concerns, err)
	}
	concernPath := "/concerns/" + concerns[0].ID
	tb.signOut()

	tb.signIn(leadLogin.Email, s.cfg.Password)
	tb.run("wait for the lead's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.textWith("nav[aria-label=Menu]", "Concerns")
	tb.open("/notifications")
	tb.textWith("main", "Safeguarding concern: Robin")
	tb.open("/concerns")
	tb.textWith(`[data-testid=concern-row]`, "Robin")
	tb.run("open the concern", chromedp.Click(chromedp.CSS(`[data-testid=concern-row] a`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=concern-summary]")))
	tb.textWith("[data-testid=concern-summary]", "I hide in my room")
	tb.run("record the referral to children's social care", choose("action", "childrens_social_care"),
		fill("note", "Spoke to the duty social worker; referral made."), chromedp.Click(chromedp.CSS("[data-testid=concern-action-submit]")))
	tb.textWith(".govuk-notification-banner", "Action recorded")
	tb.textWith("[data-testid=concern-actions]", "Referred to children's social care")
	tb.run("close it", fill("outcome", "Children's social care are visiting the family; Robin's support carries on."),
		chromedp.Click(chromedp.CSS("[data-testid=concern-close-submit]")))
	tb.textWith(".govuk-notification-banner", "Concern closed")
	tb.textWith("[data-testid=concern-status]", "Closed")
	tb.signOut()

	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/caseload")
	if row := robinRow(tb); strings.Contains(row, "Safeguarding concern") {
		t.Fatalf("the caseload still flags Robin once the concern is closed:\n%s", row)
	}
	tb.signOut()

	// The school that referred Robin sees its referral, and nothing of
	// the concern; nor can it open the concern.
	tb.signIn(teacher.Email, s.cfg.Password)
	tb.run("wait for the teacher's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/referrals/" + ref.ID)
	tb.textWith("h1", "Robin")
	if page := tb.text("main"); strings.Contains(page, "afeguarding") || strings.Contains(page, "hide in my room") {
		t.Fatalf("the referrer's page shows the concern:\n%s", page)
	}
	tb.expectStatus(concernPath, http.StatusForbidden)
	tb.open(concernPath)
	tb.textWith("h1", "You cannot see this page")
	if page := tb.text("main"); strings.Contains(page, "Robin") || strings.Contains(page, "hide in my room") {
		t.Fatalf("the referrer sees the concern:\n%s", page)
	}
	tb.signOut()

	// The community organisation sees Robin on its connections, and
	// nothing of the concern.
	tb.signIn(vcsLogin.Email, s.cfg.Password)
	tb.run("wait for the organisation's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/connections")
	tb.textWith("[data-testid=connections]", "Robin")
	if page := tb.text("main"); strings.Contains(page, "afeguarding") || strings.Contains(page, "hide in my room") {
		t.Fatalf("the community organisation's page shows the concern:\n%s", page)
	}
	tb.expectStatus(concernPath, http.StatusForbidden)
	tb.open(concernPath)
	tb.textWith("h1", "You cannot see this page")
	if page := tb.text("main"); strings.Contains(page, "Robin") || strings.Contains(page, "hide in my room") {
		t.Fatalf("the community organisation sees the concern:\n%s", page)
	}
	tb.signOut()

	// Another link worker of the service, who neither raised it nor works
	// Robin's case, finds no such concern.
	tb.signIn(other.Email, s.cfg.Password)
	tb.run("wait for the other worker's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.expectStatus(concernPath, http.StatusNotFound)
	tb.open(concernPath)
	if page := tb.text("main"); !strings.Contains(strings.ToLower(page), "not found") || strings.Contains(page, "Robin") {
		t.Fatalf("another link worker opens the concern:\n%s", page)
	}
}

// TestASafetyPlanIsMadeAndPrinted: the link worker makes a safety plan
// from the case page, with the crisis numbers filled in, and prints it
// for the person, without the service's navigation; the concern form, the
// plan and its print view fit a 320px phone.
func TestASafetyPlanIsMadeAndPrinted(t *testing.T) {
	s := newSite(t)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	caseID, _, _ := planCase(t, s)

	tb := newTab(t, s.URL)
	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/cases/" + caseID)
	tb.run("make a safety plan", chromedp.Click(chromedp.CSS("[data-testid=safety-plan-link]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=safety-plan-form]")))
	if got := get(tb, "crisis numbers", chromedp.Value(chromedp.CSS("#crisis_numbers"))); !strings.Contains(got, "116 123") {
		t.Fatalf("a new plan's crisis numbers: %q", got)
	}
	tb.run("write the plan", fill("warning_signs", "Not sleeping\nStaying in my room"), fill("what_helps", "Walking the dog"),
		fill("who_to_contact", "Aunt Sal 07700 900123"), chromedp.Click(chromedp.CSS("[data-testid=safety-plan-submit]")))
	tb.textWith(".govuk-notification-banner", "Safety plan saved")
	tb.run("open the print view", chromedp.Click(chromedp.CSS("[data-testid=safety-plan-print]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=safety-plan-crisis]")))
	tb.textWith("main", "Walking the dog")
	tb.textWith("[data-testid=safety-plan-crisis]", "116 123")
	tb.run("emulate a 320px phone", chromedp.EmulateViewport(320, 800, chromedp.EmulateScale(2)))
	for _, path := range []string{"/cases/" + caseID + "/concerns/new", "/cases/" + caseID + "/safety-plan", "/cases/" + caseID + "/safety-plan/print"} {
		tb.open(path)
		if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
			t.Errorf("%s is wider than a 320px phone (%dpx): %v", path, o.ScrollWidth, o.Wide)
		}
	}
	tb.run("print it", chromedp.Func(func(ctx context.Context, target *chromedp.Target) error {
		_, err := cdp.Call(ctx, target, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
		return err
	}))
	if shown := eval[bool](tb, `getComputedStyle(document.querySelector(".govuk-service-navigation")).display !== "none"`); shown {
		t.Fatal("the printed plan carries the service's navigation")
	}
}
