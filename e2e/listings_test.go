package e2e

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
)

// TestAVerificationLinkKeepsAListingTrue: a listing past its verify-by
// date shows as stale in search; its contact opens the link the service
// emailed, confirms it, and the listing's verify-by date moves on.
func TestAVerificationLinkKeepsAListingTrue(t *testing.T) {
	s := newSite(t)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("e2e"))
	today := linkwork.DateOf(s.clock.now().In(london()))
	stale, _, err := s.svc.Assets.FindAssets(sys, linkwork.AssetFilter{StaleOn: today, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.svc.Listings.SendVerificationLinks(sys); err != nil {
		t.Fatal(err)
	}
	pending, err := s.svc.Notifications.PendingEmails(sys, 500)
	if err != nil {
		t.Fatal(err)
	}
	var a *linkwork.Asset
	var link string
	for _, m := range stale {
		for _, n := range pending {
			if n.Kind == linkwork.NoteVerifyListing && strings.HasSuffix(n.Subject, "? "+m.Asset.Name) {
				a, link = m.Asset, n.Link
			}
		}
		if a != nil {
			break
		}
	}
	if a == nil {
		t.Fatalf("none of the demo city's %d stale listings was sent a verification link", len(stale))
	}

	tb := newTab(t, s.URL)
	staleTag := `Array.from(document.querySelectorAll('[data-testid=result]')).some(el => el.textContent.includes(` + jsString(a.Name) + `) && el.textContent.includes('May be out of date'))`
	tb.open("/directory?" + url.Values{"q": {a.Name}}.Encode())
	if !eval[bool](tb, staleTag) {
		tb.snapshot("stale")
		t.Fatalf("searching for %q does not mark it as may be out of date", a.Name)
	}

	tb.open(link)
	if got := tb.text("[data-testid=verify-name]"); got != a.Name {
		t.Fatalf("the link shows %q, want %q", got, a.Name)
	}
	tb.run("confirm", chromedp.Click(chromedp.CSS("[data-testid=verify-confirm]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=verify-done]")))
	want := linkwork.DateOf(today.Time().AddDate(0, linkwork.RecheckMonths, 0))
	wantText := want.Time().Format("2 January 2006")
	if got := tb.text("[data-testid=verify-next]"); !strings.Contains(got, wantText) {
		t.Errorf("after confirming the page says %q; want the next check by %s", got, wantText)
	}
	got, err := s.svc.Assets.FindAssetByID(sys, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.VerifyBy != want || got.AssuredBy != linkwork.VerifiedByContact {
		t.Fatalf("after confirming, verify by %s (was %s) and checked by %q", got.VerifyBy, a.VerifyBy, got.AssuredBy)
	}

	tb.open("/directory/" + a.ID)
	if eval[bool](tb, `document.querySelector('[data-testid=stale-warning]') !== null`) {
		t.Error("the confirmed listing still warns it may be out of date")
	}
	if got := tb.text("[data-testid=assured]"); !strings.Contains(got, "Checked today") || !strings.Contains(got, wantText) {
		t.Errorf("the listing says %q", got)
	}
	tb.open("/directory?" + url.Values{"q": {a.Name}}.Encode())
	if eval[bool](tb, staleTag) {
		t.Error("search still marks the confirmed listing as may be out of date")
	}

	// The link works once.
	tb.expectStatus(strings.TrimPrefix(link, s.URL), 410)
	tb.open(link)
	if got := tb.text("[data-testid=verify-gone]"); !strings.Contains(got, "already been used") {
		t.Errorf("the used link says %q", got)
	}
	tb.failOnProblems()
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
