package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestACoordinatorHarvestsANeighboursFeed: a council publishes an ORUK
// feed on its own server; the coordinator, from More, registers it as
// trusted, harvests it now and sees the result; the harvested listing
// says where it came from. The coordinator corrects that listing here;
// the council changes it too; the next harvest flags the conflict, and
// the review page shows both versions side by side, the directory's kept
// until the coordinator takes the feed's.
func TestACoordinatorHarvestsANeighboursFeed(t *testing.T) {
	s := newSite(t)
	coLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	coord := s.user(t, coLogin.Email)
	var mu sync.Mutex
	description := "Gentle walks by the river every week"
	council := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `[{"id": "walk-1", "name": "Kirkgate riverside walks", "description": %q, "status": "active",
			"organization": {"id": "lcc", "name": "Kirkgate Borough Council"},
			"service_areas": [{"id": "a-1", "name": "Leeds"}]}]`, description)
	}))
	t.Cleanup(council.Close)

	tb := newTab(t, s.URL)
	tb.signIn(coLogin.Email, s.cfg.Password)
	tb.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/more")
	tb.textWith("[data-testid=more-links]", "Neighbours' feeds")
	tb.open("/feeds")
	tb.textWith("[data-testid=no-feeds]", "No feeds are registered yet")
	tb.expectStatus("/feeds", http.StatusUnprocessableEntity)
	tb.run("send the form empty", chromedp.Click(chromedp.CSS("[data-testid=feed-form] button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	tb.textWith(".govuk-error-summary", "Enter the feed's address")
	tb.axeCheck("the feeds page with errors")
	tb.fitsPhones("the feeds page with errors")
	tb.open("/feeds")
	tb.run("register the council's feed", fill("name", "Kirkgate Borough Council"), fill("url", council.URL), chromedp.Click(chromedp.CSS(`#trust-1`)),
		chromedp.SetValue(chromedp.CSS(`#default_category`), string(linkwork.CategorySports)),
		chromedp.Click(chromedp.CSS("[data-testid=feed-form] button[type=submit]")))
	tb.textWith(".govuk-notification-banner", "Feed registered")
	tb.run("harvest it now", chromedp.Click(chromedp.CSS("[data-testid=harvest-now]")))
	tb.textWith(".govuk-notification-banner", "Feed harvested")
	tb.textWith("[data-testid=feed-result]", "1 new")
	tb.axeCheck("the feeds page")
	tb.fitsPhones("the feeds page")

	feeds, _, err := s.svc.Feeds.FindFeeds(as(coord), linkwork.FeedFilter{})
	if err != nil || len(feeds) != 1 {
		t.Fatalf("feeds %v: %v", feeds, err)
	}
	srcs, err := s.svc.Feeds.FeedSources(as(coord), feeds[0].ID)
	if err != nil || srcs["walk-1"] == nil {
		t.Fatalf("the harvested listing: %v %v", srcs, err)
	}
	listing := "/directory/" + srcs["walk-1"].AssetID
	tb.open(listing)
	tb.textWith("[data-testid=sources]", "Kirkgate Borough Council's feed, which last said so on")

	// A correction here, and a change in the feed.
	a, err := s.svc.Assets.FindAssetByID(as(coord), srcs["walk-1"].AssetID)
	if err != nil {
		t.Fatal(err)
	}
	a.Description = "Riverside walks: meet at the library"
	if err := s.svc.Assets.UpdateAsset(as(coord), a); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	description = "Riverside walks on Tuesdays at 10am"
	mu.Unlock()
	tb.open("/feeds")
	tb.run("harvest it again", chromedp.Click(chromedp.CSS("[data-testid=harvest-now]")))
	tb.textWith("[data-testid=feed-result]", "1 conflict")
	tb.textWith("[data-testid=reviews-waiting]", "1 change from feeds to review")
	tb.open("/feed-reviews")
	tb.textWith("[data-testid=review-kind]", "Changed here and in the feed")
	tb.textWith("[data-testid=review-compare]", "Riverside walks on Tuesdays at 10am")
	tb.textWith("[data-testid=review-compare]", "Riverside walks: meet at the library")
	tb.axeCheck("the changes to review")
	tb.fitsPhones("the changes to review")
	if got, err := s.svc.Assets.FindAssetByID(as(coord), a.ID); err != nil || got.Description != "Riverside walks: meet at the library" {
		t.Fatalf("the correction was overwritten: %v %v", got, err)
	}
	tb.run("take the feed's version", chromedp.Click(chromedp.CSS("[data-testid=take-theirs]")))
	tb.textWith(".govuk-notification-banner", "The feed's version is taken")
	tb.textWith("[data-testid=no-reviews]", "Nothing from feeds is waiting")
	tb.open(listing)
	if got := tb.textWith("main", "Riverside walks on Tuesdays"); !strings.Contains(got, "Riverside walks on Tuesdays at 10am") {
		t.Errorf("the listing reads %q", got)
	}
}
