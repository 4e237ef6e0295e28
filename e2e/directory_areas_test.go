package e2e

import (
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// A service placed only by the areas it serves (as a feed written
// elsewhere may describe one) is found in the directory, which says where
// it works rather than calling it online, and its page says so too.
func TestADirectoryListingPlacedByItsAreas(t *testing.T) {
	s := newSite(t)
	a := &linkwork.Asset{Name: "Zzyzx home visits", Description: "Volunteers visit people at home for a chat.",
		Categories: []linkwork.Category{linkwork.CategoryWellbeing}, Status: linkwork.AssetActive, HowToJoin: linkwork.JoinSelfRefer,
		Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting}, ServiceAreas: []string{"LS6", "LS7"}}
	if err := s.svc.Assets.CreateAsset(systemCtx(), a); err != nil {
		t.Fatal(err)
	}
	tb := newTab(t, s.URL)
	tb.open("/directory?" + url.Values{"q": {"zzyzx"}}.Encode())
	if n := tb.resultCount(); n != 1 {
		t.Fatalf("%d results for zzyzx", n)
	}
	if got := tb.text("main"); !strings.Contains(got, "Across LS6, LS7") || strings.Contains(got, "Online ·") {
		t.Errorf("the directory does not say where it works: %q", got)
	}
	tb.open("/directory/" + a.ID)
	if got := tb.text("[data-testid=locations]"); !strings.Contains(got, "Across the areas it serves: LS6, LS7") {
		t.Errorf("its page says it happens %q", got)
	}
}
