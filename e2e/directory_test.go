package e2e

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
)

// resultCount reads the number at the start of [data-testid=result-count].
func (tb *tab) resultCount() int {
	tb.t.Helper()
	text := tb.text("[data-testid=result-count]")
	n, err := strconv.Atoi(strings.Fields(text + " x")[0])
	if err != nil {
		tb.t.Fatalf("result count %q is not a number", text)
	}
	return n
}

func TestThePublicDirectoryNeedsNoSignIn(t *testing.T) {
	s := newSite(t)
	// The directory as a visitor sees it: no actor in the context, as for
	// a request with no session.
	visitor := context.Background()
	_, total, err := s.svc.Assets.FindAssets(visitor, linkwork.AssetFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}

	tb := newTab(t, s.URL)
	tb.open("/directory")
	if got := tb.path(); got != "/directory" {
		t.Fatalf("a visitor opening /directory ended up at %s", got)
	}
	if eval[bool](tb, `document.querySelector('[data-testid=sign-out]') !== null`) {
		t.Fatal("the tab is signed in")
	}
	n := tb.resultCount()
	if n == 0 || n != total {
		t.Errorf("the directory says %d activities; the asset service has %d", n, total)
	}

	// Search with the search box, as a person would.
	const query = "football"
	tb.run("search for "+query,
		chromedp.SendKeys(chromedp.CSS("#q"), query),
		chromedp.Click(chromedp.CSS(`main form[action="/directory"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#q[value="+query+"]")),
	)
	u, _ := url.Parse(tb.path())
	if u.Query().Get("q") != query {
		t.Errorf("after searching, the address is %s", u)
	}
	found, foundTotal, err := s.svc.Assets.FindAssets(visitor, linkwork.AssetFilter{Query: query, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if got := tb.resultCount(); got != foundTotal {
		t.Errorf("searching for %q shows %d activities; the asset service finds %d", query, got, foundTotal)
	}
	shown := eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid=assets] h2 a'), a => a.textContent.trim())`)
	var want []string
	for _, m := range found[:min(len(shown), len(found))] {
		want = append(want, m.Asset.Name)
	}
	if !slices.Equal(shown, want) {
		t.Errorf("searching for %q lists\n  %s\nthe asset service finds\n  %s", query, strings.Join(shown, "\n  "), strings.Join(want, "\n  "))
	}

	// The demo city always has free football (demo/catalogue.go's
	// fixedAssets); open the first free one listed.
	var free *linkwork.Asset
	for _, m := range found[:len(want)] {
		if a := m.Asset; a.Free() && strings.Contains(strings.ToLower(a.Name), query) {
			free = a
			break
		}
	}
	if free == nil {
		t.Fatalf("no free football listing among the %d shown for %q", len(shown), query)
	}
	t.Logf("%d activities; %d found for %q; opening %q", total, foundTotal, query, free.Name)
	link := fmt.Sprintf(`[data-testid=assets] a[href="/directory/%s"]`, free.ID)
	if got := tb.text(link); got != free.Name {
		t.Errorf("the link to %s says %q, want %q", free.ID, got, free.Name)
	}
	tb.run("open "+free.Name, chromedp.Click(chromedp.CSS(link)), chromedp.WaitVisible(chromedp.CSS("[data-testid=asset-name]")))
	if got := tb.text("[data-testid=asset-name]"); got != free.Name {
		t.Errorf("the listing's heading is %q, want %q", got, free.Name)
	}
	if got, want := tb.path(), "/directory/"+free.ID; got != want {
		t.Errorf("the listing is at %s, want %s", got, want)
	}
	if eval[bool](tb, `document.querySelector('[data-testid=sign-out]') !== null`) {
		t.Error("reading a listing signed the visitor in")
	}
}
