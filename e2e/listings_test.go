package e2e

import (
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
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

// TestAListingsContactCorrectsItThroughTheirLink: the contact of a listing
// due a check opens their link, says something has changed, first clears
// the name by mistake (named at the field, the rest kept), then corrects
// the description and saves: the listing changes, counts as checked by its
// contact, and the link is used.
func TestAListingsContactCorrectsItThroughTheirLink(t *testing.T) {
	s := newSite(t)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("e2e"))
	if _, err := s.svc.Listings.SendVerificationLinks(sys); err != nil {
		t.Fatal(err)
	}
	pending, err := s.svc.Notifications.PendingEmails(sys, 500)
	if err != nil {
		t.Fatal(err)
	}
	var link string
	for _, n := range pending {
		if n.Kind == linkwork.NoteVerifyListing {
			link = n.Link
			break
		}
	}
	if link == "" {
		t.Fatal("no verification link in the outbox")
	}
	v, err := s.svc.Listings.FindVerification(sys, strings.TrimPrefix(link, "/verify/"))
	if err != nil {
		t.Fatal(err)
	}
	const described = "Now on Thursday evenings at the library, 6 till 8."

	tb := newTab(t, s.URL)
	tb.expectStatus(link+"/change", 422) // the form with the mistake
	tb.open(link)
	tb.run("say something has changed", chromedp.Click(chromedp.CSS("[data-testid=verify-change]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=listing-form]")))
	tb.settled()
	tb.run("clear the name by mistake, and correct the description", append(clearAndFill("description", described),
		chromedp.Clear(chromedp.CSS(`[name="name"]`)), chromedp.Click(chromedp.CSS("[data-testid=listing-save]")),
		chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))...)
	if !eval[bool](tb, `document.getElementById("name-error") !== null`) {
		t.Fatal("the missing name is not named at its field")
	}
	if got := eval[string](tb, `document.querySelector('[name="description"]').value`); got != described {
		t.Fatalf("the description came back as %q", got)
	}
	tb.settled()
	tb.run("put the name back and save", append(clearAndFill("name", v.Asset.Name),
		chromedp.Click(chromedp.CSS("[data-testid=listing-save]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=verify-done]")))...)
	got, err := s.svc.Assets.FindAssetByID(sys, v.Asset.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Description != described || got.Name != v.Asset.Name || got.AssuredBy != linkwork.VerifiedByContact || got.Version != v.Asset.Version+1 {
		t.Fatalf("after the correction: %q, %q, checked by %q, version %d (was %d)", got.Name, got.Description, got.AssuredBy, got.Version, v.Asset.Version)
	}
	if _, err := s.svc.Listings.FindVerification(sys, strings.TrimPrefix(link, "/verify/")); linkwork.ErrorCode(err) != linkwork.ECONFLICT {
		t.Errorf("the link still works after the correction: %v", err)
	}
	tb.failOnProblems()
}

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// checked reports whether the checkbox or radio with the id is ticked.
func (tb *tab) checked(id string) bool {
	tb.t.Helper()
	return eval[bool](tb, `document.getElementById(`+jsString(id)+`).checked`)
}

// clearAndFill replaces what the field with the name holds.
func clearAndFill(name, value string) []chromedp.Action[chromedp.Void] {
	sel := chromedp.CSS(`[name="` + name + `"]`)
	return []chromedp.Action[chromedp.Void]{chromedp.Clear(sel), chromedp.SendKeys(sel, value)}
}

// TestACommunityGroupAddsAListingThatPeopleFindNearby: a community
// organisation's volunteer adds an art club with an online place and a
// library, a Thursday session at the library and a free cost. A postcode
// that cannot be found in the second place comes back named at its field
// with everything else kept; fixed, the listing saves, and the public
// finds it near the library's postcode.
func TestACommunityGroupAddsAListingThatPeopleFindNearby(t *testing.T) {
	s := newSite(t)
	login, _ := demo.LoginFor(linkwork.RoleCommunity)
	const name = "Thursday Youth Art Club"
	tb := newTab(t, s.URL)
	tb.signIn(login.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/directory/curate")
	tb.run("add a listing", chromedp.Click(chromedp.CSS("[data-testid=add-listing]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=listing-form]")))
	if got := tb.text("[data-testid=listing-org]"); !strings.Contains(got, login.Org) {
		t.Errorf("the form says %q, not that %s runs it", got, login.Org)
	}
	// Every field has its own label, for a screen reader and a tap target.
	if dup := eval[[]string](tb, `(() => { const ids = Array.from(document.querySelectorAll('[id]'), e => e.id); return ids.filter((x, i) => ids.indexOf(x) !== i) })()`); len(dup) > 0 {
		t.Errorf("ids used twice on the form: %v", dup)
	}
	if n := eval[int](tb, `document.querySelectorAll('main input:not([type=hidden]), main select, main textarea').length`); n < 40 {
		t.Errorf("the form has %d fields; the label check below would prove little", n)
	}
	if unlabelled := eval[[]string](tb, `Array.from(document.querySelectorAll('main input:not([type=hidden]), main select, main textarea'))
		.filter(e => !e.id || !document.querySelector('label[for="' + CSS.escape(e.id) + '"]')).map(e => e.name)`); len(unlabelled) > 0 {
		t.Errorf("fields without a label: %v", unlabelled)
	}
	tb.run("fill in the listing",
		fill("name", name),
		fill("description", "Drawing, painting and clay for young people"),
		choose("categories", "creative"),
		fill("min_age", "11"), fill("max_age", "18"),
		fill("languages", "English, Urdu"),
		// The first place is online; the second a library, with a postcode
		// that cannot be found.
		chromedp.Click(chromedp.CSS("#place-0-online")),
		fill("locations[0].url", "https://meet.example.org/art"),
		fill("locations[1].name", "Headingley Library"),
		fill("locations[1].address_1", "North Lane"),
		fill("locations[1].city", "Leeds"),
		fill("locations[1].postal_code", "ZZ99 9ZZ"),
		chromedp.Click(chromedp.CSS("#schedules-0-TH")),
		fill("schedules[0].opens_at", "16:00"),
		fill("schedules[0].closes_at", "17:30"),
		pick("schedules[0].place", "1"),
		fill("cost_options[0].option", "Everyone"),
		fill("cost_options[0].amount", "0"),
		choose("how_to_join", "drop_in"),
		choose("capacity.status", "accepting"),
		fill("contacts[0].name", "Priya"),
	)
	tb.expectStatus("/directory/new", 422)
	tb.run("save", chromedp.Click(chromedp.CSS("[data-testid=listing-save]")), chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	if got := tb.text(".govuk-error-summary"); !strings.Contains(got, "We cannot find the postcode ZZ99 9ZZ") {
		t.Errorf("the error summary says %q", got)
	}
	if n := eval[int](tb, `document.querySelectorAll('.govuk-error-summary li').length`); n != 1 {
		t.Errorf("the error summary lists %d problems, want only the postcode", n)
	}
	if got := tb.text(`[id="locations[1].postal_code-error"]`); !strings.Contains(got, "We cannot find the postcode ZZ99 9ZZ") {
		t.Errorf("the second place's postcode says %q", got)
	}
	tb.run("follow the summary's link", chromedp.Click(chromedp.CSS(`.govuk-error-summary a`)))
	tb.waitUntil("the postcode has focus", `document.activeElement && document.activeElement.name === "locations[1].postal_code"`, 5*time.Second)
	for field, want := range map[string]string{"name": name, "description": "Drawing, painting and clay for young people", "min_age": "11", "max_age": "18",
		"languages": "English, Urdu", "locations[0].url": "https://meet.example.org/art", "locations[1].name": "Headingley Library",
		"locations[1].address_1": "North Lane", "locations[1].city": "Leeds", "locations[1].postal_code": "ZZ99 9ZZ",
		"schedules[0].opens_at": "16:00", "schedules[0].closes_at": "17:30", "schedules[0].place": "1",
		"cost_options[0].option": "Everyone", "cost_options[0].amount": "0", "contacts[0].name": "Priya"} {
		if got := tb.value(field); got != want {
			t.Errorf("after the error, %s holds %q, want %q", field, got, want)
		}
	}
	for _, id := range []string{"categories-0", "place-0-online", "place-1-physical", "schedules-0-TH", "how_to_join-0", "capacity.status-0"} {
		if !tb.checked(id) {
			t.Errorf("after the error, %s is not ticked", id)
		}
	}

	tb.run("fix the postcode", clearAndFill("locations[1].postal_code", "LS6 2AA")...)
	tb.run("save", chromedp.Click(chromedp.CSS("[data-testid=listing-save]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=asset-name]")))
	if got := tb.text(".govuk-notification-banner"); !strings.Contains(got, "Your listing is added") {
		t.Errorf("after adding, the notice says %q", got)
	}
	if got := tb.text("[data-testid=asset-name]"); got != name {
		t.Fatalf("after adding, the page shows %q", got)
	}
	tb.signOut()

	// Anyone searching near the library finds it, and what it says.
	pub := newTab(t, s.URL)
	pub.open("/directory")
	pub.run("search near the library", fill("q", "art club"), fill("postcode", "LS6 2AA"))
	pub.submitSearch(`#postcode[value="LS6 2AA"]`)
	names, metres := pub.shownResults()
	i := slices.Index(names, name)
	if i < 0 {
		t.Fatalf("a search for art clubs near LS6 2AA finds %v, not %s", names, name)
	}
	if metres[i] < 0 || metres[i] > 2000 {
		t.Errorf("the new listing is shown %v m from its own postcode", metres[i])
	}
	pub.run("open it", chromedp.Click(chromedp.CSS(`[data-testid=assets] li:nth-child(`+strconv.Itoa(i+1)+`) h2 a`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=asset-name]")))
	if got := pub.text("[data-testid=locations]"); !strings.Contains(got, "Headingley Library") || !strings.Contains(got, "LS6 2AA") || !strings.Contains(got, "https://meet.example.org/art") {
		t.Errorf("its places say %q", got)
	}
	if got := pub.text("[data-testid=schedules]"); !strings.Contains(got, "Thursdays 16:00–17:30") || !strings.Contains(got, "Headingley Library") {
		t.Errorf("its sessions say %q", got)
	}
	if got := pub.text("[data-testid=cost]"); got != "Free" {
		t.Errorf("its cost says %q", got)
	}
}

// TestACoordinatorDealsWithAReportThatAListingIsOutOfDate: a link worker
// reports that a listing's session has moved; the coordinator sees it on
// the curator's dashboard, corrects the session, resolves the report, and
// the listing's history shows the change.
func TestACoordinatorDealsWithAReportThatAListingIsOutOfDate(t *testing.T) {
	s := newSite(t)
	all, _, err := s.svc.Assets.FindAssets(systemCtx(), linkwork.AssetFilter{Limit: 500, Sort: linkwork.SortName})
	if err != nil {
		t.Fatal(err)
	}
	var a *linkwork.Asset
	for _, m := range all {
		if len(m.Asset.Schedules) == 1 && m.Asset.Schedules[0].Freq == "WEEKLY" && !strings.Contains(m.Asset.Schedules[0].ByDay, "SA") {
			a = m.Asset
			break
		}
	}
	if a == nil {
		t.Fatal("the demo city has no listing with one weekly session")
	}
	const note = "They meet on Saturday mornings now, 10 till 12"

	worker, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	tb := newTab(t, s.URL)
	tb.signIn(worker.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/directory/" + a.ID)
	tb.run("report it", chromedp.Click(chromedp.CSS(`a[href="/directory/`+a.ID+`/report"]`)), chromedp.WaitVisible(chromedp.CSS(`[name=note]`)))
	tb.run("say what is wrong", fill("note", note), chromedp.Submit(chromedp.CSS(`[name=note]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=open-reports]")))
	tb.signOut()

	coordinator, _ := demo.LoginFor(linkwork.RoleCoordinator)
	tb.signIn(coordinator.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.run("open the dashboard", chromedp.Click(chromedp.CSS(`a[href="/directory/curate"]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=reports]")))
	row := `Array.from(document.querySelectorAll('[data-testid=reports] tbody tr')).find(tr => tr.textContent.includes(` + jsString(note) + `))`
	if !eval[bool](tb, `!!`+row) || !eval[bool](tb, row+`.textContent.includes(`+jsString(a.Name)+`)`) {
		t.Fatalf("the dashboard does not show the report on %s", a.Name)
	}
	tb.run("edit the listing", chromedp.Click(chromedp.CSS(`[data-testid=reports] a[href="/directory/`+a.ID+`/edit"]`)), chromedp.WaitVisible(chromedp.CSS("[data-testid=listing-form]")))
	day := a.Schedules[0].ByDay
	actions := []chromedp.Action[chromedp.Void]{}
	for _, d := range strings.Split(day, ",") {
		actions = append(actions, chromedp.Click(chromedp.CSS("#schedules-0-"+d)))
	}
	actions = append(actions, chromedp.Click(chromedp.CSS("#schedules-0-SA")))
	actions = append(actions, clearAndFill("schedules[0].opens_at", "10:00")...)
	actions = append(actions, clearAndFill("schedules[0].closes_at", "12:00")...)
	tb.run("move the session to Saturday morning", actions...)
	tb.run("save", chromedp.Click(chromedp.CSS("[data-testid=listing-save]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=asset-name]")))
	if got := tb.text("[data-testid=schedules]"); !strings.HasPrefix(got, "Saturdays 10:00–12:00") {
		t.Errorf("after saving, its sessions say %q", got)
	}

	tb.open("/directory/curate")
	tb.run("resolve the report", chromedp.Click(chromedp.CSS(`[data-testid=reports] tbody tr:has(a[href="/directory/`+a.ID+`"]) button`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-notification-banner")))
	if eval[bool](tb, `document.body.textContent.includes(`+jsString(note)+`)`) {
		t.Error("the resolved report is still on the dashboard")
	}
	got, err := s.svc.Assets.FindAssetByID(systemCtx(), a.ID)
	if err != nil || len(got.Schedules) != 1 || got.Schedules[0].ByDay != "SA" || got.Schedules[0].OpensAt != "10:00" {
		t.Fatalf("the saved sessions: %+v, %v", got.Schedules, err)
	}

	tb.open("/directory/" + a.ID + "/edit")
	first := tb.text("[data-testid=history-row]")
	what := tb.text("[data-testid=history-row] td:nth-child(3)")
	if !strings.Contains(first, coordinator.Name) || what != "Sessions" {
		t.Errorf("the listing's latest change says %q; want the coordinator's change to its sessions, and nothing else", first)
	}

	// Rung up a week later, the group says nothing else has changed: the
	// coordinator confirms it from the edit page.
	tb.run("confirm it is still right", chromedp.Click(chromedp.CSS("[data-testid=confirm-listing]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=asset-name]")))
	if banner := tb.text(".govuk-notification-banner"); !strings.Contains(banner, "marked as checked") {
		t.Errorf("after confirming, the banner says %q", banner)
	}
	confirmed, err := s.svc.Assets.FindAssetByID(systemCtx(), a.ID)
	if err != nil || confirmed.Version != got.Version+1 || !confirmed.AssuredAt.After(got.AssuredAt) ||
		confirmed.VerifyBy != linkwork.DateOf(s.clock.now().AddDate(0, linkwork.RecheckMonths, 0)) {
		t.Errorf("after confirming: version %d (was %d), assured %v (was %v), verify by %v; %v", confirmed.Version, got.Version, confirmed.AssuredAt, got.AssuredAt, confirmed.VerifyBy, err)
	}
}
