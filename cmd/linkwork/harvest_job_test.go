package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// The server's harvest job harvests a feed that is due, as the system,
// and leaves it until it is due again.
func TestTheHarvestJobHarvestsTheFeedsThatAreDue(t *testing.T) {
	db := sqltest.Open(t, "sqlite", sqlstore.Options{})
	var asked atomic.Int32
	feed := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		w.Write([]byte(`[{"id": "svc-1", "name": "Health walks", "status": "active",
			"organization": {"id": "org-1", "name": "Leeds City Council"},
			"service_areas": [{"id": "a-1", "name": "Leeds"}]}]`))
	}))
	t.Cleanup(feed.Close)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
	feeds := sqlstore.NewFeedService(db)
	f := &linkwork.Feed{Name: "Leeds City Council", URL: feed.URL, EveryHours: 24, DefaultCategory: linkwork.CategorySocial, Trust: linkwork.FeedTrusted}
	if err := feeds.CreateFeed(sys, f); err != nil {
		t.Fatal(err)
	}
	j := harvestJob(db)
	run := linkwork.NewContext(context.Background(), linkwork.SystemActor(j.name))
	if n, err := j.run(run); err != nil || n != 1 {
		t.Fatalf("the first round harvested %d feeds: %v", n, err)
	}
	srcs, err := feeds.FeedSources(sys, f.ID)
	if err != nil || len(srcs) != 1 {
		t.Fatalf("sources %v: %v", srcs, err)
	}
	a, err := sqlstore.NewAssetService(db).FindAssetByID(sys, srcs["svc-1"].AssetID)
	if err != nil || a.Name != "Health walks" {
		t.Fatalf("the listing harvested: %v %v", a, err)
	}
	if n, err := j.run(run); err != nil || n != 0 || asked.Load() != 1 {
		t.Errorf("the next round harvested %d feeds (%d requests): %v; the feed is not due for a day", n, asked.Load(), err)
	}
}
