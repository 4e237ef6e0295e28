package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore"
)

// neighbour is a local server publishing an ORUK feed: a JSON array of
// services, with an ETag, answering 304 to a request that sends it back.
type neighbour struct {
	*httptest.Server
	mu       sync.Mutex
	services map[string]map[string]any // by id
	status   int                       // when set, every request answers it
	noETag   bool                      // answer in full every time
	asked    []string                  // the If-None-Match of each request
}

func newNeighbour(t *testing.T) *neighbour {
	n := &neighbour{services: map[string]map[string]any{}}
	n.Server = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		n.mu.Lock()
		defer n.mu.Unlock()
		n.asked = append(n.asked, r.Header.Get("If-None-Match"))
		if n.status != 0 {
			http.Error(rw, "broken", n.status)
			return
		}
		var ids []string
		for id := range n.services {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		list := []map[string]any{}
		for _, id := range ids {
			list = append(list, n.services[id])
		}
		b, _ := json.Marshal(list)
		etag := fmt.Sprintf(`"%x"`, sha256.Sum256(b))
		if !n.noETag {
			rw.Header().Set("ETag", etag)
		}
		if !n.noETag && r.Header.Get("If-None-Match") == etag {
			rw.WriteHeader(http.StatusNotModified)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		rw.Write(b)
	}))
	t.Cleanup(n.Close)
	return n
}

// put publishes a service at a place in Leeds, run by org.
func (n *neighbour) put(id, org, name, description, postcode string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.services[id] = map[string]any{
		"id": id, "name": name, "description": description, "status": "active",
		"organization": map[string]any{"id": "org-" + strings.ToLower(strings.ReplaceAll(org, " ", "-")), "name": org},
		"service_at_locations": []any{map[string]any{"id": "sal-" + id, "location": map[string]any{
			"id": "loc-" + id, "location_type": "physical", "name": "Community centre", "latitude": 53.81, "longitude": -1.56,
			"addresses": []any{map[string]any{"id": "ad-" + id, "address_1": "1 Park Lane", "city": "Leeds", "state_province": "", "postal_code": postcode, "country": "GB", "address_type": "physical"}},
		}}},
		"attributes": []any{map[string]any{"id": "at-" + id, "taxonomy_term_id": "t-1", "taxonomy_term": map[string]any{"id": "t-1", "name": "Walking", "term": "WALK"}}},
	}
}

func (n *neighbour) drop(id string) {
	n.mu.Lock()
	defer n.mu.Unlock()
	delete(n.services, id)
}

type harvestWorld struct {
	*world
	feeds     *sqlstore.FeedService
	harvester *orukio.Harvester
}

func newHarvestWorld(w *world) *harvestWorld {
	feeds := sqlstore.NewFeedService(w.db)
	return &harvestWorld{world: w, feeds: feeds, harvester: &orukio.Harvester{Feeds: feeds, Orgs: w.orgs,
		Assets: w.assets, Docs: sqlstore.NewORUKDocumentService(w.db), Atomically: w.db.Atomically}}
}

func (h *harvestWorld) register(t *testing.T, url string, trust linkwork.FeedTrust) *linkwork.Feed {
	t.Helper()
	f := &linkwork.Feed{Name: "Leeds Council", URL: url, EveryHours: 24, DefaultCategory: linkwork.CategorySocial, Trust: trust,
		Categories: []linkwork.FeedCategory{{Term: "walk", Category: linkwork.CategorySports}}}
	if err := h.feeds.CreateFeed(h.as(h.coordinator), f); err != nil {
		t.Fatal(err)
	}
	return f
}

// harvest harvests the feed as the coordinator, failing the test when
// the run failed.
func (h *harvestWorld) harvest(t *testing.T, id string) linkwork.FeedRun {
	t.Helper()
	ctx := h.as(h.coordinator)
	f, err := h.feeds.FindFeed(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	run, err := h.harvester.Harvest(ctx, f)
	if err != nil || run.Err != "" {
		t.Fatalf("harvest: %v %s", err, run.Err)
	}
	return run
}

// listingOf is the listing a feed's service became.
func (h *harvestWorld) listingOf(t *testing.T, feedID, sourceID string) *linkwork.Asset {
	t.Helper()
	srcs, err := h.feeds.FeedSources(h.as(h.coordinator), feedID)
	if err != nil {
		t.Fatal(err)
	}
	s, ok := srcs[sourceID]
	if !ok {
		t.Fatalf("no listing from service %s", sourceID)
	}
	a, err := h.assets.FindAssetByID(h.sys, s.AssetID)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func counts(r linkwork.FeedRun) string {
	return fmt.Sprintf("created %d updated %d linked %d retired %d unchanged %d review %d conflicts %d skipped %v",
		r.Created, r.Updated, r.Linked, r.Retired, r.Unchanged, r.Review, r.Conflicts, r.Skipped)
}

// The harvest: a neighbour publishes a feed; it is harvested; the
// neighbour changes one service, removes one and adds one, and changes a
// fourth that was corrected here; the next harvest shows exactly that,
// and the corrected one is flagged with both versions, not overwritten.
// Nothing new since: the feed answers 304 and nothing changes.
func TestAHarvestFollowsANeighboursFeed(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		h := newHarvestWorld(w)
		n := newNeighbour(t)
		n.put("svc-walk", "Leeds Council", "Health walks", "Gentle walks every week", "LS6 1AA")
		n.put("svc-choir", "Leeds Council", "Community choir", "Sing with others", "LS6 1AA")
		n.put("svc-chess", "Leeds Council", "Chess club", "Chess for all", "LS6 1AA")
		n.put("svc-garden", "Leeds Council", "Garden group", "Grow vegetables", "LS6 1AA")
		f := h.register(t, n.URL, linkwork.FeedTrusted)

		if run := h.harvest(t, f.ID); counts(run) != counts(linkwork.FeedRun{Created: 4}) {
			t.Fatalf("first harvest: %s", counts(run))
		}
		walk := h.listingOf(t, f.ID, "svc-walk")
		if walk.Name != "Health walks" || !slices.Equal(walk.Categories, []linkwork.Category{linkwork.CategorySports}) {
			t.Errorf("the walk is %q filed under %v, want Health walks under the feed's map of WALK", walk.Name, walk.Categories)
		}
		if chess := h.listingOf(t, f.ID, "svc-chess"); !slices.Equal(chess.Categories, []linkwork.Category{linkwork.CategorySports}) {
			t.Errorf("chess is filed under %v", chess.Categories)
		}

		// A curator corrects the garden group here.
		garden := h.listingOf(t, f.ID, "svc-garden")
		garden.Description = "Grow vegetables: now on Thursdays"
		if err := h.assets.UpdateAsset(h.as(h.coordinator), garden); err != nil {
			t.Fatal(err)
		}

		h.clock.Advance(25 * 60 * 60 * 1e9)
		n.put("svc-walk", "Leeds Council", "Health walks", "Gentle walks every Tuesday", "LS6 1AA")
		n.drop("svc-choir")
		n.put("svc-pottery", "Leeds Council", "Pottery", "Make pots", "LS6 1AA")
		n.put("svc-garden", "Leeds Council", "Garden group", "Grow vegetables and fruit", "LS6 1AA")
		run := h.harvest(t, f.ID)
		if counts(run) != counts(linkwork.FeedRun{Created: 1, Updated: 1, Retired: 1, Unchanged: 1, Conflicts: 1}) {
			t.Fatalf("second harvest: %s", counts(run))
		}
		if got := h.listingOf(t, f.ID, "svc-walk"); got.Description != "Gentle walks every Tuesday" {
			t.Errorf("the changed service reads %q", got.Description)
		}
		if got := h.listingOf(t, f.ID, "svc-choir"); got.Status != linkwork.AssetInactive {
			t.Errorf("the removed service is %s, want inactive", got.Status)
		}
		if got := h.listingOf(t, f.ID, "svc-pottery"); got.Name != "Pottery" || got.Status != linkwork.AssetActive {
			t.Errorf("the added service is %q %s", got.Name, got.Status)
		}
		if got := h.listingOf(t, f.ID, "svc-chess"); got.Version != 1 {
			t.Errorf("the unchanged service is at version %d, want 1", got.Version)
		}
		if got := h.listingOf(t, f.ID, "svc-garden"); got.Description != "Grow vegetables: now on Thursdays" {
			t.Errorf("the local correction was overwritten: %q", got.Description)
		}
		reviews, total, err := h.feeds.FindFeedReviews(h.as(h.coordinator), linkwork.FeedReviewFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if total != 1 || len(reviews) != 1 {
			t.Fatalf("%d reviews, want the one conflict", total)
		}
		c := reviews[0]
		if c.Kind != linkwork.ReviewConflict || c.Ours == nil || c.Theirs == nil ||
			c.Ours.Description != "Grow vegetables: now on Thursdays" || c.Theirs.Description != "Grow vegetables and fruit" {
			t.Fatalf("the conflict is %s, ours %+v, theirs %+v", c.Kind, c.Ours, c.Theirs)
		}

		// Nothing new: the feed is asked with its ETag, and says so.
		h.clock.Advance(25 * 60 * 60 * 1e9)
		if run := h.harvest(t, f.ID); !run.NotModified {
			t.Errorf("a harvest of an unchanged feed was not answered 304: %s", counts(run))
		}
		if last := n.asked[len(n.asked)-1]; last == "" {
			t.Error("the harvest did not send the feed's ETag back")
		}
		sources, err := h.feeds.SourcesOf(h.sys, walk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sources) != 1 || sources[0].FeedName != "Leeds Council" || !sources[0].SaidAt.Equal(h.clock.Now().Truncate(1000)) {
			t.Errorf("the walk's sources are %+v, want Leeds Council saying so at %s", sources, h.clock.Now())
		}

		// The curator takes the feed's version.
		if err := h.feeds.ResolveFeedReview(h.as(h.coordinator), c.ID, linkwork.ChooseTheirs); err != nil {
			t.Fatal(err)
		}
		if got := h.listingOf(t, f.ID, "svc-garden"); got.Description != "Grow vegetables and fruit" {
			t.Errorf("after taking the feed's version the listing reads %q", got.Description)
		}
		if _, total, _ := h.feeds.FindFeedReviews(h.as(h.coordinator), linkwork.FeedReviewFilter{}); total != 0 {
			t.Errorf("%d reviews left after the only one was resolved", total)
		}
		events, _, err := h.audit.FindAuditEvents(h.as(h.admin), linkwork.AuditFilter{RecordType: "feed", RecordID: f.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		for _, want := range []string{"feed.create", "feed.harvest", "feed.review_flagged", "feed.review_theirs"} {
			if !slices.Contains(actions, want) {
				t.Errorf("the trail of the feed has %v, not %s", actions, want)
			}
		}
	})
}

// Keeping the directory's version of a conflict: the listing stays as
// corrected, and the same change from the feed is not asked again; a
// later change is.
func TestKeepingOursIsNotAskedAgainUntilTheFeedChangesAgain(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		h := newHarvestWorld(w)
		n := newNeighbour(t)
		n.noETag = true
		n.put("svc-walk", "Leeds Council", "Health walks", "Weekly", "LS6 1AA")
		f := h.register(t, n.URL, linkwork.FeedTrusted)
		h.harvest(t, f.ID)
		walk := h.listingOf(t, f.ID, "svc-walk")
		walk.Description = "Weekly, from the library"
		if err := h.assets.UpdateAsset(h.as(h.coordinator), walk); err != nil {
			t.Fatal(err)
		}
		n.put("svc-walk", "Leeds Council", "Health walks", "Weekly, on Mondays", "LS6 1AA")
		if run := h.harvest(t, f.ID); run.Conflicts != 1 {
			t.Fatalf("harvest: %s", counts(run))
		}
		reviews, _, _ := h.feeds.FindFeedReviews(h.as(h.coordinator), linkwork.FeedReviewFilter{FeedID: f.ID})
		if err := h.feeds.ResolveFeedReview(h.as(h.coordinator), reviews[0].ID, linkwork.ChooseOurs); err != nil {
			t.Fatal(err)
		}
		if run := h.harvest(t, f.ID); counts(run) != counts(linkwork.FeedRun{Unchanged: 1}) {
			t.Errorf("the same change again: %s", counts(run))
		}
		if got := h.listingOf(t, f.ID, "svc-walk"); got.Description != "Weekly, from the library" {
			t.Errorf("kept ours, the listing reads %q", got.Description)
		}
		n.put("svc-walk", "Leeds Council", "Health walks", "Fortnightly", "LS6 1AA")
		if run := h.harvest(t, f.ID); run.Conflicts != 1 {
			t.Errorf("a later change: %s", counts(run))
		}
	})
}

// A feed needing review publishes nothing by itself: new, changed and
// vanished listings wait for a curator.
func TestAFeedNeedingReviewPublishesNothingUntilACuratorTakesIt(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		h := newHarvestWorld(w)
		n := newNeighbour(t)
		n.put("svc-walk", "Leeds Council", "Health walks", "Weekly", "LS6 1AA")
		f := h.register(t, n.URL, linkwork.FeedNeedsReview)
		if run := h.harvest(t, f.ID); counts(run) != counts(linkwork.FeedRun{Review: 1}) {
			t.Fatalf("first harvest: %s", counts(run))
		}
		list, total, err := h.assets.FindAssets(h.sys, linkwork.AssetFilter{AnyStatus: true, Query: "Health walks"})
		if err != nil {
			t.Fatal(err)
		}
		if total != 0 {
			t.Fatalf("a listing waiting for review is in the directory: %v", list[0].Asset.Name)
		}
		reviews, _, _ := h.feeds.FindFeedReviews(h.as(h.coordinator), linkwork.FeedReviewFilter{})
		if len(reviews) != 1 || reviews[0].Kind != linkwork.ReviewNew || reviews[0].Ours != nil || reviews[0].Theirs.Name != "Health walks" {
			t.Fatalf("reviews: %+v", reviews)
		}
		for _, u := range []*linkwork.User{h.linkWorker, h.community, h.admin} {
			if err := h.feeds.ResolveFeedReview(h.as(u), reviews[0].ID, linkwork.ChooseTheirs); linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
				t.Errorf("%s deciding a review: %v, want not found", u.Role, err)
			}
		}
		if err := h.feeds.ResolveFeedReview(h.as(h.coordinator), reviews[0].ID, "both"); linkwork.ErrorCode(err) != linkwork.EINVALID {
			t.Errorf("an unknown choice: %v", err)
		}
		// Harvesting again asks once, not twice.
		h.harvest(t, f.ID)
		if _, total, _ := h.feeds.FindFeedReviews(h.as(h.coordinator), linkwork.FeedReviewFilter{}); total != 1 {
			t.Errorf("%d reviews after the same feed twice, want 1", total)
		}
		reviews, _, _ = h.feeds.FindFeedReviews(h.as(h.coordinator), linkwork.FeedReviewFilter{})
		if err := h.feeds.ResolveFeedReview(h.as(h.coordinator), reviews[0].ID, linkwork.ChooseTheirs); err != nil {
			t.Fatal(err)
		}
		if got := h.listingOf(t, f.ID, "svc-walk"); got.Name != "Health walks" || got.Status != linkwork.AssetActive {
			t.Errorf("taken, the listing is %q %s", got.Name, got.Status)
		}
		n.put("svc-walk", "Leeds Council", "Health walks", "Fortnightly", "LS6 1AA")
		if run := h.harvest(t, f.ID); counts(run) != counts(linkwork.FeedRun{Review: 1}) {
			t.Fatalf("a change: %s", counts(run))
		}
		if got := h.listingOf(t, f.ID, "svc-walk"); got.Description != "Weekly" {
			t.Errorf("a change waiting for review was published: %q", got.Description)
		}
		n.drop("svc-walk")
		if run := h.harvest(t, f.ID); counts(run) != counts(linkwork.FeedRun{Review: 1}) {
			t.Fatalf("a vanished service: %s", counts(run))
		}
		reviews, _, _ = h.feeds.FindFeedReviews(h.as(h.coordinator), linkwork.FeedReviewFilter{})
		if len(reviews) != 1 || reviews[0].Kind != linkwork.ReviewGone {
			t.Fatalf("reviews after it vanished: %+v", reviews)
		}
		if got := h.listingOf(t, f.ID, "svc-walk"); got.Status != linkwork.AssetActive {
			t.Errorf("a vanished service waiting for review was retired")
		}
	})
}

// A listing in two feeds is matched by its organisation, name and place,
// and shown once, naming both; it is retired only when both drop it.
func TestAListingInTwoFeedsIsShownOnce(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		h := newHarvestWorld(w)
		council, nhs := newNeighbour(t), newNeighbour(t)
		council.put("c-1", "Leeds Mind", "Peer support", "Talk with others", "LS6 1AA")
		nhs.put("n-77", "Leeds Mind", "peer support", "Talk with others who understand", "LS6 1AA")
		nhs.put("n-78", "Leeds Mind", "Peer support", "Elsewhere", "LS1 4AP")
		a := h.register(t, council.URL, linkwork.FeedTrusted)
		b := h.register(t, nhs.URL, linkwork.FeedTrusted)
		h.harvest(t, a.ID)
		if run := h.harvest(t, b.ID); counts(run) != counts(linkwork.FeedRun{Linked: 1, Created: 1}) {
			t.Fatalf("the second feed: %s", counts(run))
		}
		one, two := h.listingOf(t, a.ID, "c-1"), h.listingOf(t, b.ID, "n-77")
		if one.ID != two.ID {
			t.Fatal("the same service in two feeds made two listings")
		}
		if other := h.listingOf(t, b.ID, "n-78"); other.ID == one.ID {
			t.Error("a service at another place was matched")
		}
		sources, err := h.feeds.SourcesOf(h.sys, one.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sources) != 2 {
			t.Fatalf("%d sources, want both feeds", len(sources))
		}
		council.drop("c-1")
		h.harvest(t, a.ID)
		if got := h.listingOf(t, a.ID, "c-1"); got.Status != linkwork.AssetActive {
			t.Error("retired while another feed still publishes it")
		}
	})
}

// A feed that fails has its error recorded for the curators, and what it
// brought before is left as it was.
func TestAFailingFeedSaysWhy(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		h := newHarvestWorld(w)
		n := newNeighbour(t)
		n.put("svc-walk", "Leeds Council", "Health walks", "Weekly", "LS6 1AA")
		f := h.register(t, n.URL, linkwork.FeedTrusted)
		h.harvest(t, f.ID)
		tests := []struct {
			name   string
			break_ func()
			want   string
		}{
			{"a server error", func() { n.status = http.StatusInternalServerError }, "500"},
			{"too large", func() {
				n.status = 0
				n.put("svc-walk", "Leeds Council", "Health walks", "Weekly, and on Sundays", "LS6 1AA")
				h.harvester.MaxBytes = 100
			}, "larger than"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.break_()
				got, err := h.feeds.FindFeed(h.as(h.coordinator), f.ID)
				if err != nil {
					t.Fatal(err)
				}
				run, err := h.harvester.Harvest(h.as(h.coordinator), got)
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(run.Err, tt.want) {
					t.Errorf("the run's error is %q, want it to say %q", run.Err, tt.want)
				}
				got, _ = h.feeds.FindFeed(h.as(h.coordinator), f.ID)
				if !strings.Contains(got.LastError, tt.want) || got.LastOKAt.After(got.LastRunAt) {
					t.Errorf("the feed's last error is %q", got.LastError)
				}
				if walk := h.listingOf(t, f.ID, "svc-walk"); walk.Status != linkwork.AssetActive {
					t.Error("a failed harvest retired a listing")
				}
			})
		}
	})
}

// Registering a feed: coordinators only, every bad field named, and only
// http and https addresses.
func TestRegisteringAFeed(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		h := newHarvestWorld(w)
		good := func() *linkwork.Feed {
			return &linkwork.Feed{Name: "Leeds Council", URL: "https://example.org/oruk", EveryHours: 24, DefaultCategory: linkwork.CategorySocial, Trust: linkwork.FeedTrusted}
		}
		for _, tt := range []struct {
			name   string
			change func(*linkwork.Feed)
			field  string
		}{
			{"a file address", func(f *linkwork.Feed) { f.URL = "file:///etc/passwd" }, "url"},
			{"an ftp address", func(f *linkwork.Feed) { f.URL = "ftp://example.org/feed" }, "url"},
			{"an address with a password", func(f *linkwork.Feed) { f.URL = "https://me:secret@example.org/" }, "url"},
			{"no name", func(f *linkwork.Feed) { f.Name = " " }, "name"},
			{"too often", func(f *linkwork.Feed) { f.EveryHours = 0 }, "every_hours"},
			{"no category", func(f *linkwork.Feed) { f.DefaultCategory = "nonsense" }, "default_category"},
			{"a mapped term with no category", func(f *linkwork.Feed) { f.Categories = []linkwork.FeedCategory{{Term: "WALK"}} }, "categories[0].category"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				f := good()
				tt.change(f)
				err := h.feeds.CreateFeed(h.as(h.coordinator), f)
				if linkwork.ErrorCode(err) != linkwork.EINVALID || !slices.ContainsFunc(linkwork.ErrorFields(err), func(e linkwork.FieldError) bool { return e.Field == tt.field }) {
					t.Errorf("got %v, want a problem with %s", err, tt.field)
				}
			})
		}
		for _, u := range []*linkwork.User{h.linkWorker, h.community, h.admin, h.referrer} {
			if err := h.feeds.CreateFeed(h.as(u), good()); linkwork.ErrorCode(err) != linkwork.EFORBIDDEN {
				t.Errorf("%s registering a feed: %v, want forbidden", u.Role, err)
			}
		}
		f := good()
		if err := h.feeds.CreateFeed(h.as(h.foreignCoord), f); err != nil {
			t.Fatal(err)
		}
		if _, err := h.feeds.FindFeed(h.as(h.linkWorker), f.ID); linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
			t.Errorf("a link worker reading a feed: %v, want not found", err)
		}
		if _, total, _ := h.feeds.FindFeeds(h.as(h.coordinator), linkwork.FeedFilter{}); total != 1 {
			t.Errorf("a coordinator sees %d feeds, want every service's one", total)
		}
		if _, err := h.harvester.Harvest(h.as(h.linkWorker), f); linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
			t.Errorf("a link worker harvesting: %v, want not found", err)
		}
		f.Name, f.Version = "Leeds City Council", 1
		if err := h.feeds.UpdateFeed(h.as(h.coordinator), f); err != nil || f.Version != 2 || f.Name != "Leeds City Council" {
			t.Errorf("update: %v, version %d", err, f.Version)
		}
		f.Version = 1
		if err := h.feeds.UpdateFeed(h.as(h.coordinator), f); linkwork.ErrorCode(err) != linkwork.ECONFLICT {
			t.Errorf("a stale update: %v", err)
		}
	})
}

var _ = context.Background

// A listing a harvest writes, or a curator takes from the review page, is
// published as the neighbour's feed sent it, what linkwork does not model
// included (funding, languages, the feed's own ids), and follows the feed
// when that changes only what linkwork does not model; a curator's
// correction still shows.
func TestAHarvestedListingIsPublishedAsTheFeedSentIt(t *testing.T) {
	for _, trust := range []linkwork.FeedTrust{linkwork.FeedTrusted, linkwork.FeedNeedsReview} {
		t.Run(string(trust), func(t *testing.T) { harvestedAsSent(t, trust) })
	}
}

// harvestedAsSent is TestAHarvestedListingIsPublishedAsTheFeedSentIt for
// a feed trusted or needing review: from one that needs review, the
// curator takes each change on the review page.
func harvestedAsSent(t *testing.T, trust linkwork.FeedTrust) {
	eachWorld(t, func(t *testing.T, w *world) {
		h := newHarvestWorld(w)
		n := newNeighbour(t)
		n.put("svc-walk", "Leeds Council", "Health walks", "Gentle walks every week", "LS6 1AA")
		fund := func(source string) {
			n.mu.Lock()
			defer n.mu.Unlock()
			n.services["svc-walk"]["funding"] = []any{map[string]any{"id": "fund-1", "source": source}}
			n.services["svc-walk"]["languages"] = []any{map[string]any{"id": "lang-1", "name": "Urdu", "code": "ur"}}
		}
		fund("Leeds Council public health")
		f := h.register(t, n.URL, trust)
		docs := sqlstore.NewORUKDocumentService(w.db)
		// harvest harvests the feed and, from one that needs review,
		// takes the change it waits with: want is what the run says.
		harvest := func(t *testing.T, want linkwork.FeedRun) {
			t.Helper()
			run := h.harvest(t, f.ID)
			if trust == linkwork.FeedTrusted {
				if run.Created != want.Created || run.Updated != want.Updated {
					t.Fatalf("harvest: %s", run)
				}
				return
			}
			reviews, _, err := h.feeds.FindFeedReviews(h.as(h.coordinator), linkwork.FeedReviewFilter{FeedID: f.ID, Limit: 10})
			if err != nil || run.Review != 1 || len(reviews) != 1 {
				t.Fatalf("harvest: %s; %d to review, %v", run, len(reviews), err)
			}
			if err := h.harvester.Resolve(h.as(h.coordinator), reviews[0].ID, linkwork.ChooseTheirs); err != nil {
				t.Fatal(err)
			}
		}
		published := func(t *testing.T) map[string]any {
			t.Helper()
			a := h.listingOf(t, f.ID, "svc-walk")
			svs, err := orukio.PublishedAll(w.sys, docs, []*linkwork.Asset{a}, func(a *linkwork.Asset) (*linkwork.Organisation, error) {
				return w.orgs.FindOrganisationByID(w.sys, a.OrgID)
			})
			if err != nil || len(svs) != 1 {
				t.Fatalf("published: %d, %v", len(svs), err)
			}
			b, _ := json.Marshal(svs[0])
			var out map[string]any
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatal(err)
			}
			return out
		}
		source := func(sv map[string]any) any {
			funding, _ := sv["funding"].([]any)
			if len(funding) != 1 {
				return nil
			}
			return funding[0].(map[string]any)["source"]
		}
		sal := func(sv map[string]any) any {
			sals, _ := sv["service_at_locations"].([]any)
			if len(sals) != 1 {
				return nil
			}
			return sals[0].(map[string]any)["id"]
		}

		harvest(t, linkwork.FeedRun{Created: 1})
		sv := published(t)
		if source(sv) != "Leeds Council public health" || sv["languages"] == nil || sal(sv) != "sal-svc-walk" {
			t.Errorf("as harvested, published with funding %v, languages %v, service at location %v; want the feed's", sv["funding"], sv["languages"], sal(sv))
		}

		// The neighbour changes only what linkwork does not model.
		fund("NHS West Yorkshire")
		harvest(t, linkwork.FeedRun{Updated: 1})
		if sv := published(t); source(sv) != "NHS West Yorkshire" {
			t.Errorf("after the feed changed its funding, published with %v", sv["funding"])
		}

		// A curator's correction shows beside the feed's own fields.
		a := h.listingOf(t, f.ID, "svc-walk")
		a.Description = "Gentle walks every Tuesday, from the library."
		if err := w.assets.UpdateAsset(w.as(w.coordinator), a); err != nil {
			t.Fatal(err)
		}
		if sv := published(t); sv["description"] != a.Description || source(sv) != "NHS West Yorkshire" {
			t.Errorf("after a correction, published %q with funding %v", sv["description"], sv["funding"])
		}
	})
}
