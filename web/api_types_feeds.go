package web

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// feedCategoryJSON maps a feed's taxonomy term to a category.
type feedCategoryJSON struct {
	Term     string            `json:"term"`
	Category linkwork.Category `json:"category"`
}

// feedIn registers a neighbour's feed over the API.
type feedIn struct {
	Name            string             `json:"name"`
	URL             string             `json:"url"`
	EveryHours      int                `json:"every_hours"`
	DefaultCategory linkwork.Category  `json:"default_category"`
	Categories      []feedCategoryJSON `json:"categories"`
	Trust           linkwork.FeedTrust `json:"trust"`
}

// feedUpdateIn replaces a feed's registration, at the version read.
type feedUpdateIn struct {
	Name            string             `json:"name"`
	URL             string             `json:"url"`
	EveryHours      int                `json:"every_hours"`
	DefaultCategory linkwork.Category  `json:"default_category"`
	Categories      []feedCategoryJSON `json:"categories"`
	Trust           linkwork.FeedTrust `json:"trust"`
	Version         int                `json:"version"`
}

// feedJSON is a feed as the API shows it, with what its last harvest
// found. Times a feed has not reached yet are left out.
type feedJSON struct {
	ID              string             `json:"id"`
	Name            string             `json:"name"`
	URL             string             `json:"url"`
	EveryHours      int                `json:"every_hours"`
	DefaultCategory linkwork.Category  `json:"default_category"`
	Categories      []feedCategoryJSON `json:"categories"`
	Trust           linkwork.FeedTrust `json:"trust"`
	LastRunAt       *time.Time         `json:"last_run_at,omitempty"`
	LastOKAt        *time.Time         `json:"last_ok_at,omitempty"`
	LastError       string             `json:"last_error"`
	LastResult      string             `json:"last_result"`
	NextDueAt       time.Time          `json:"next_due_at"`
	Version         int                `json:"version"`
	CreatedAt       time.Time          `json:"created_at"`
}

func feedOut(f *linkwork.Feed) feedJSON {
	cats := []feedCategoryJSON{}
	for _, c := range f.Categories {
		cats = append(cats, feedCategoryJSON{c.Term, c.Category})
	}
	return feedJSON{ID: f.ID, Name: f.Name, URL: f.URL, EveryHours: f.EveryHours, DefaultCategory: f.DefaultCategory, Categories: cats, Trust: f.Trust,
		LastRunAt: timeOrNil(f.LastRunAt), LastOKAt: timeOrNil(f.LastOKAt), LastError: f.LastError, LastResult: f.LastResult,
		NextDueAt: f.NextDueAt, Version: f.Version, CreatedAt: f.CreatedAt}
}

func feedFrom(in feedIn) *linkwork.Feed {
	f := &linkwork.Feed{Name: in.Name, URL: in.URL, EveryHours: in.EveryHours, DefaultCategory: in.DefaultCategory, Trust: in.Trust}
	for _, c := range in.Categories {
		f.Categories = append(f.Categories, linkwork.FeedCategory{Term: c.Term, Category: c.Category})
	}
	return f
}

// feedRunJSON is what one harvest did.
type feedRunJSON struct {
	Error       string   `json:"error"`
	NotModified bool     `json:"not_modified"`
	Created     int      `json:"created"`
	Updated     int      `json:"updated"`
	Matched     int      `json:"matched"`
	Retired     int      `json:"retired"`
	Unchanged   int      `json:"unchanged"`
	Review      int      `json:"review"`
	Conflicts   int      `json:"conflicts"`
	Skipped     []string `json:"skipped"`
}

func feedRunOut(r linkwork.FeedRun) feedRunJSON {
	skipped := r.Skipped
	if skipped == nil {
		skipped = []string{}
	}
	return feedRunJSON{Error: r.Err, NotModified: r.NotModified, Created: r.Created, Updated: r.Updated, Matched: r.Linked, Retired: r.Retired,
		Unchanged: r.Unchanged, Review: r.Review, Conflicts: r.Conflicts, Skipped: skipped}
}

// feedReviewJSON is a change from a feed waiting for a curator, with
// both versions of the listing (ours left out when it is new, theirs when it is gone).
type feedReviewJSON struct {
	ID        string                  `json:"id"`
	FeedID    string                  `json:"feed_id"`
	FeedName  string                  `json:"feed_name"`
	SourceID  string                  `json:"source_id"`
	Kind      linkwork.FeedReviewKind `json:"kind"`
	AssetID   string                  `json:"asset_id"`
	Theirs    *assetJSON              `json:"theirs,omitempty"`
	Ours      *assetJSON              `json:"ours,omitempty"`
	CreatedAt time.Time               `json:"created_at"`
}

func feedReviewOut(rv *linkwork.FeedReview, today linkwork.Date) feedReviewJSON {
	out := feedReviewJSON{ID: rv.ID, FeedID: rv.FeedID, FeedName: rv.FeedName, SourceID: rv.SourceID, Kind: rv.Kind, AssetID: rv.AssetID, CreatedAt: rv.CreatedAt}
	if rv.Theirs != nil {
		a := assetOut(rv.Theirs, today)
		out.Theirs = &a
	}
	if rv.Ours != nil {
		a := assetOut(rv.Ours, today)
		out.Ours = &a
	}
	return out
}

// feedDecisionIn takes the feed's version of a change or keeps ours.
type feedDecisionIn struct {
	Choice linkwork.FeedChoice `json:"choice"`
}
