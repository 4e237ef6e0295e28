package e2e

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/ukpostcode"
)

// shownResults reads the listings a directory page shows: their names and
// the distances they say, in metres (-1 for none).
func (tb *tab) shownResults() (names []string, metres []float64) {
	tb.t.Helper()
	type shown struct{ Name, Distance string }
	rows := eval[[]shown](tb, `Array.from(document.querySelectorAll('[data-testid=result]'), li => ({
		Name: li.querySelector('h2 a').textContent.trim(),
		Distance: (li.querySelector('[data-testid=distance]') || {textContent: ''}).textContent.trim()}))`)
	for _, r := range rows {
		names = append(names, r.Name)
		metres = append(metres, parseDistance(tb.t, r.Distance))
	}
	return names, metres
}

var distanceRe = regexp.MustCompile(`^([0-9.]+) (m|km) away$`)

// parseDistance reads "600 m away" or "1.2 km away" as metres, -1 for "".
func parseDistance(t *testing.T, s string) float64 {
	t.Helper()
	if s == "" {
		return -1
	}
	m := distanceRe.FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("distance %q is not like 1.2 km away", s)
	}
	n, _ := strconv.ParseFloat(m[1], 64)
	if m[2] == "km" {
		n *= 1000
	}
	return n
}

// submitSearch sends the directory's search form and waits for the page
// that answers it: the one where ready (a selector) is visible. Typing
// does not set an input's value attribute, so a selector such as
// #postcode[value="LS1 4AP"] matches only the answer.
func (tb *tab) submitSearch(ready string) {
	tb.t.Helper()
	tb.run("search", chromedp.Click(chromedp.CSS(`[data-testid=search]`)), chromedp.WaitVisible(chromedp.CSS(ready)))
}

func TestALinkWorkerFindsFreeFootballForAnUnder18NearAPostcode(t *testing.T) {
	s := newSite(t)
	login, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	worker := s.user(t, login.Email)
	const postcode = "LS1 4AP" // Millbrook's city centre
	centre, _ := ukpostcode.LookupPostcode(postcode)
	want, wantTotal, err := s.svc.Assets.FindAssets(as(worker), linkwork.AssetFilter{Query: "football", Age: 15, FreeOnly: true,
		Near: &linkwork.Point{Lat: centre.Lat, Lon: centre.Lon}, Radius: 5000, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if wantTotal < 2 {
		t.Fatalf("the demo city has %d free football listings for a 15-year-old within 5 km of %s; the test needs some", wantTotal, postcode)
	}

	tb := newTab(t, s.URL)
	tb.signIn(login.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/directory")
	tb.run("fill in the search",
		fill("q", "football"),
		chromedp.Click(chromedp.CSS("[data-testid=narrow] summary")), // the filters start folded away
		fill("age", "15"),
		chromedp.Click(chromedp.CSS("#free")),
		fill("postcode", postcode),
		pick("radius_km", "5"),
	)
	tb.submitSearch(`#postcode[value="LS1 4AP"]`)
	if got := tb.resultCount(); got != wantTotal {
		t.Errorf("the page says %d activities; the asset service finds %d", got, wantTotal)
	}
	if got := tb.text("[data-testid=result-count]"); !strings.Contains(got, "within 5 km of LS1 4AP") {
		t.Errorf("the count says %q, not where it searched", got)
	}
	names, metres := tb.shownResults()
	var wantNames []string
	for _, m := range want[:min(len(want), len(names))] {
		wantNames = append(wantNames, m.Asset.Name)
	}
	if !slices.Equal(names, wantNames) {
		t.Errorf("the page lists\n  %s\nthe asset service finds\n  %s", strings.Join(names, "\n  "), strings.Join(wantNames, "\n  "))
	}
	for i, d := range metres {
		if d < 0 || d > 5000 || (i < len(want) && (d-want[i].Distance > 100 || want[i].Distance-d > 100)) {
			t.Errorf("%s is shown %v m away; it is %.0f m away", names[i], d, want[i].Distance)
		}
	}
	// The form keeps what was asked.
	for name, v := range map[string]string{"q": "football", "age": "15", "postcode": "LS1 4AP", "radius_km": "5"} {
		if got := tb.value(name); got != v {
			t.Errorf("after the search, %s holds %q, want %q", name, got, v)
		}
	}
	if !eval[bool](tb, `document.querySelector('#free').checked`) {
		t.Error("after the search, free only is not ticked")
	}

	first := want[0].Asset
	tb.run("open "+first.Name, chromedp.Click(chromedp.CSS(`[data-testid=assets] a[href="/directory/`+first.ID+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=asset-name]")))
	if got := tb.text("[data-testid=asset-name]"); got != first.Name {
		t.Errorf("the listing's heading is %q, want %q", got, first.Name)
	}
	if got := tb.text("[data-testid=cost]"); got != "Free" {
		t.Errorf("the listing's cost says %q, want Free", got)
	}
	if got := tb.text("[data-testid=locations]"); !strings.Contains(got, first.Place().PostalCode) {
		t.Errorf("the listing's places %q do not show its postcode %s", got, first.Place().PostalCode)
	}
	if got := tb.text("[data-testid=ages]"); !strings.Contains(got, strconv.Itoa(first.MinAge)) {
		t.Errorf("the listing says it is for %q; it is for %d to %d", got, first.MinAge, first.MaxAge)
	}
}

func TestThePublicSearchesNearAPostcodeWithoutSigningIn(t *testing.T) {
	s := newSite(t)
	const postcode = "LS6 2AA"
	d, _ := ukpostcode.LookupPostcode(postcode)
	_, wantTotal, err := s.svc.Assets.FindAssets(context.Background(), linkwork.AssetFilter{Near: &linkwork.Point{Lat: d.Lat, Lon: d.Lon}, Radius: 10000, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}

	tb := newTab(t, s.URL)
	tb.open("/directory")
	tb.run("fill in a postcode", fill("postcode", postcode))
	tb.submitSearch(`#postcode[value="LS6 2AA"]`)
	if eval[bool](tb, `document.querySelector('[data-testid=sign-out]') !== null`) {
		t.Fatal("the tab is signed in")
	}
	if got := tb.resultCount(); got != wantTotal || got == 0 {
		t.Errorf("the page says %d activities within 10 km of %s; the asset service finds %d", got, postcode, wantTotal)
	}
	_, metres := tb.shownResults()
	if len(metres) == 0 || !slices.IsSorted(metres) || metres[0] < 0 || metres[len(metres)-1] > 10000 {
		t.Errorf("distances %v: want the nearest first, all within 10 km", metres)
	}
	freshness := eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid=freshness]'), p => p.textContent.trim())`)
	for _, f := range freshness {
		if !strings.Contains(f, "Checked ") {
			t.Errorf("a result says %q, not when it was checked", f)
		}
	}
	if got := tb.text("[data-testid=attribution]"); !strings.Contains(got, "Office for National Statistics") {
		t.Errorf("the postcode data's attribution is %q", got)
	}

	// The nearest listing opens for the public too.
	name := tb.text("[data-testid=result] h2 a")
	tb.run("open the nearest listing", chromedp.Click(chromedp.CSS("[data-testid=result] h2 a")), chromedp.WaitVisible(chromedp.CSS("[data-testid=asset-name]")))
	if got := tb.text("[data-testid=asset-name]"); got != name {
		t.Errorf("opened %q from a result named %q", got, name)
	}
	tb.open("/directory?postcode=LS6+2AA")

	// A postcode that is not one gets a clear error on the form.
	tb.expectStatus("/directory", http.StatusUnprocessableEntity)
	tb.run("type a postcode we cannot place", chromedp.Clear(chromedp.CSS("#postcode")), fill("postcode", "ZZ99 9ZZ"))
	tb.submitSearch("[data-testid=postcode-error]")
	if got := tb.text(".govuk-error-summary"); !strings.Contains(got, "We cannot find ZZ99 9ZZ") {
		t.Errorf("the error summary says %q", got)
	}
	if got := tb.text("[data-testid=postcode-error]"); !strings.Contains(got, "We cannot find ZZ99 9ZZ") {
		t.Errorf("the postcode's error says %q", got)
	}
	if got := eval[string](tb, `document.querySelector('.govuk-error-summary a').getAttribute('href')`); got != "#postcode" {
		t.Errorf("the error summary links to %q, want #postcode", got)
	}
}
