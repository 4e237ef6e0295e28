package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// FeedService implements linkwork.FeedService.
type FeedService struct{ db *DB }

// NewFeedService returns the feed service over db.
func NewFeedService(db *DB) *FeedService { return &FeedService{db: db} }

var _ linkwork.FeedService = (*FeedService)(nil)

const feedColumns = "f.id, f.name, f.url, f.every_hours, f.default_category, f.categories, f.trust, f.etag, f.last_modified, " +
	"f.last_run_at, f.last_ok_at, f.last_error, f.last_result, f.next_due_at, f.version, f.created_at, f.updated_at"

type feedCategory struct {
	Term     string `json:"term"`
	Category string `json:"category"`
}

func scanFeed(row scanner) (*linkwork.Feed, error) {
	var f linkwork.Feed
	var cats string
	err := row.Scan(&f.ID, &f.Name, &f.URL, &f.EveryHours, &f.DefaultCategory, &cats, &f.Trust, &f.ETag, &f.LastModified,
		timeDest{&f.LastRunAt}, timeDest{&f.LastOKAt}, &f.LastError, &f.LastResult, timeDest{&f.NextDueAt}, &f.Version,
		timeDest{&f.CreatedAt}, timeDest{&f.UpdatedAt})
	if err != nil {
		return nil, err
	}
	var list []feedCategory
	if err := json.Unmarshal([]byte(cats), &list); err != nil {
		return nil, fmt.Errorf("feed %s categories: %w", f.ID, err)
	}
	for _, c := range list {
		f.Categories = append(f.Categories, linkwork.FeedCategory{Term: c.Term, Category: linkwork.Category(c.Category)})
	}
	return &f, nil
}

func feedCategoriesJSON(f *linkwork.Feed) string {
	list := []feedCategory{}
	for _, c := range f.Categories {
		list = append(list, feedCategory{c.Term, string(c.Category)})
	}
	b, _ := json.Marshal(list)
	return string(b)
}

// CreateFeed registers a feed, due a harvest at once.
func (s *FeedService) CreateFeed(ctx context.Context, f *linkwork.Feed) error {
	*f = f.Normalised()
	if err := f.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if !auth.Can(tx.actor, auth.ActionCreate, auth.Record{Kind: auth.KindFeed}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators register feeds")
		}
		f.ID, f.Version, f.CreatedAt, f.UpdatedAt, f.NextDueAt = uuid.NewString(), 1, tx.now, tx.now, tx.now
		if _, err := tx.exec(`INSERT INTO feeds (id, name, url, every_hours, default_category, categories, trust, next_due_at, version, created_at, updated_at)
			VALUES (`+placeholders(11)+`)`, f.ID, f.Name, f.URL, f.EveryHours, string(f.DefaultCategory), feedCategoriesJSON(f), string(f.Trust),
			tv(f.NextDueAt), f.Version, tv(f.CreatedAt), tv(f.UpdatedAt)); err != nil {
			return err
		}
		return tx.audit("feed.create", auth.KindFeed, f.ID, f.Name+" "+f.URL)
	})
}

// UpdateFeed saves a feed's registration at its version. A new address
// forgets what the old one answered.
func (s *FeedService) UpdateFeed(ctx context.Context, f *linkwork.Feed) error {
	*f = f.Normalised()
	if err := f.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.findFeed(f.ID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, auth.Record{Kind: auth.KindFeed}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators change feeds")
		}
		if cur.Version != f.Version {
			return linkwork.Errorf(linkwork.ECONFLICT, "Someone else changed this feed while you were editing it: look at their changes and try again")
		}
		etag, lm := cur.ETag, cur.LastModified
		if cur.URL != f.URL {
			etag, lm = "", ""
		}
		next := cur.LastRunAt.Add(time.Duration(f.EveryHours) * time.Hour)
		if cur.LastRunAt.IsZero() || cur.URL != f.URL {
			next = tx.now
		}
		if _, err := tx.exec(`UPDATE feeds SET name = ?, url = ?, every_hours = ?, default_category = ?, categories = ?, trust = ?, etag = ?, last_modified = ?,
			next_due_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
			f.Name, f.URL, f.EveryHours, string(f.DefaultCategory), feedCategoriesJSON(f), string(f.Trust), etag, lm, tv(next), tv(tx.now), f.ID); err != nil {
			return err
		}
		if err := tx.audit("feed.update", auth.KindFeed, f.ID, f.Name+" "+f.URL); err != nil {
			return err
		}
		got, err := tx.findFeed(f.ID)
		if err == nil {
			*f = *got
		}
		return err
	})
}

func (tx *Tx) findFeed(id string) (*linkwork.Feed, error) {
	var w where
	w.add("f.id = ?", id)
	w.scope(tx.actor, auth.KindFeed, "f")
	f, err := scanFeed(tx.queryRow("SELECT "+feedColumns+" FROM feeds f WHERE "+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Feed not found")
	}
	return f, err
}

// FindFeed returns one feed.
func (s *FeedService) FindFeed(ctx context.Context, id string) (*linkwork.Feed, error) {
	var f *linkwork.Feed
	err := s.db.view(ctx, func(tx *Tx) error {
		var err error
		f, err = tx.findFeed(id)
		return err
	})
	return f, err
}

// FindFeeds returns a page of the feeds by name. Feeds say nothing about
// anyone, so reading them is not audited.
func (s *FeedService) FindFeeds(ctx context.Context, f linkwork.FeedFilter) ([]*linkwork.Feed, int, error) {
	var out []*linkwork.Feed
	var total int
	err := s.db.view(ctx, func(tx *Tx) error {
		var w where
		w.scope(tx.actor, auth.KindFeed, "f")
		var err error
		out, total, err = queryPage(tx, "FROM feeds f", "", w, "f.name, f.id", f.Offset, f.Limit, scanFeed, feedColumns)
		return err
	})
	return out, total, err
}

// DueFeeds returns the feeds due a harvest, from the index of when each
// is due.
func (s *FeedService) DueFeeds(ctx context.Context, now time.Time, limit int) ([]*linkwork.Feed, error) {
	var out []*linkwork.Feed
	err := s.db.view(ctx, func(tx *Tx) error {
		var w where
		w.add("f.next_due_at <= ?", tv(now))
		w.scope(tx.actor, auth.KindFeed, "f")
		var err error
		out, _, err = queryPage(tx, "FROM feeds f", "", w, "f.next_due_at, f.id", 0, limit, scanFeed, feedColumns)
		return err
	})
	return out, err
}

const feedSourceColumns = "s.feed_id, f.name, f.url, s.source_id, s.asset_id, s.hash, s.harvested_version, s.said_at, s.gone"

func scanFeedSource(row scanner) (*linkwork.FeedSource, error) {
	var x linkwork.FeedSource
	err := row.Scan(&x.FeedID, &x.FeedName, &x.FeedURL, &x.SourceID, &x.AssetID, &x.Hash, &x.HarvestedVersion, timeDest{&x.SaidAt}, &x.Gone)
	return &x, err
}

func (tx *Tx) feedSources(feedID string) (map[string]*linkwork.FeedSource, error) {
	out := map[string]*linkwork.FeedSource{}
	err := tx.eachRow("SELECT "+feedSourceColumns+" FROM feed_sources s JOIN feeds f ON f.id = s.feed_id WHERE s.feed_id = ?", []any{feedID}, func(row scanner) error {
		x, err := scanFeedSource(row)
		if err == nil {
			out[x.SourceID] = x
		}
		return err
	})
	return out, err
}

// FeedSources returns what the directory knows of each service of a feed.
func (s *FeedService) FeedSources(ctx context.Context, feedID string) (map[string]*linkwork.FeedSource, error) {
	var out map[string]*linkwork.FeedSource
	err := s.db.view(ctx, func(tx *Tx) error {
		if _, err := tx.findFeed(feedID); err != nil {
			return err
		}
		var err error
		out, err = tx.feedSources(feedID)
		return err
	})
	return out, err
}

// SourcesOf returns where a listing came from, by the feed's name. Like
// the listing, it is public: which organisations publish it, and when.
func (s *FeedService) SourcesOf(ctx context.Context, assetID string) ([]*linkwork.FeedSource, error) {
	var out []*linkwork.FeedSource
	err := s.db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
		return tx.eachRow("SELECT "+feedSourceColumns+" FROM feed_sources s JOIN feeds f ON f.id = s.feed_id WHERE s.asset_id = ? ORDER BY f.name, s.feed_id, s.source_id",
			[]any{assetID}, func(row scanner) error {
				x, err := scanFeedSource(row)
				if err == nil {
					out = append(out, x)
				}
				return err
			})
	})
	return out, err
}

// RecordFeedFailure records a harvest that failed: its error, shown on
// the feeds page, and the next try at the feed's interval. What the feed
// answered before is kept.
func (s *FeedService) RecordFeedFailure(ctx context.Context, feedID string, run linkwork.FeedRun) error {
	return s.db.update(ctx, func(tx *Tx) error {
		f, err := tx.findFeed(feedID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionHarvest, auth.Record{Kind: auth.KindFeed}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators harvest feeds")
		}
		if run.Err == "" {
			run.Err = "The harvest failed"
		}
		if _, err := tx.exec("UPDATE feeds SET last_run_at = ?, last_error = ?, next_due_at = ? WHERE id = ?",
			tv(tx.now), run.Err, tv(tx.now.Add(time.Duration(f.EveryHours)*time.Hour)), f.ID); err != nil {
			return err
		}
		return tx.audit("feed.harvest_failed", auth.KindFeed, f.ID, run.Err)
	})
}

// ApplyHarvest applies one harvest of a feed in one transaction: every
// listing as linkwork.DecideHarvest says, what vanished, and the run.
func (s *FeedService) ApplyHarvest(ctx context.Context, feedID string, listings []linkwork.HarvestedListing, run linkwork.FeedRun) (linkwork.FeedRun, error) {
	err := s.db.update(ctx, func(tx *Tx) error {
		f, err := tx.findFeed(feedID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionHarvest, auth.Record{Kind: auth.KindFeed}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators harvest feeds")
		}
		sources, err := tx.feedSources(f.ID)
		if err != nil {
			return err
		}
		seen := map[string]bool{}
		for _, l := range listings {
			if seen[l.SourceID] {
				run.Skipped = append(run.Skipped, fmt.Sprintf("service %s: the feed gives it twice; the first is kept", l.SourceID))
				continue
			}
			seen[l.SourceID] = true
			if err := tx.harvestOne(f, sources[l.SourceID], l, &run); err != nil {
				if c := linkwork.ErrorCode(err); c != linkwork.EINVALID && c != linkwork.ECONFLICT {
					return err
				}
				run.Skipped = append(run.Skipped, fmt.Sprintf("service %s (%q): %s", l.SourceID, l.Asset.Name, problemText(err)))
			}
		}
		if run.NotModified {
			if _, err := tx.exec("UPDATE feed_sources SET said_at = ? WHERE feed_id = ? AND gone = ?", tv(tx.now), f.ID, false); err != nil {
				return err
			}
		} else {
			for _, src := range sources {
				if seen[src.SourceID] || src.Gone {
					continue
				}
				if err := tx.vanished(f, src, &run); err != nil {
					return err
				}
			}
		}
		etag, lm := run.ETag, run.LastModified
		if run.NotModified {
			etag, lm = f.ETag, f.LastModified
		}
		if _, err := tx.exec(`UPDATE feeds SET last_run_at = ?, last_ok_at = ?, last_error = '', last_result = ?, etag = ?, last_modified = ?, next_due_at = ? WHERE id = ?`,
			tv(tx.now), tv(tx.now), run.String(), etag, lm, tv(tx.now.Add(time.Duration(f.EveryHours)*time.Hour)), f.ID); err != nil {
			return err
		}
		run.At = tx.now
		return tx.audit("feed.harvest", auth.KindFeed, f.ID, run.String())
	})
	return run, err
}

// problemText spells out an error with the fields at fault.
func problemText(err error) string {
	fs := linkwork.ErrorFields(err)
	if len(fs) == 0 {
		return err.Error()
	}
	var parts []string
	for _, f := range fs {
		parts = append(parts, f.Field+": "+f.Message)
	}
	return strings.Join(parts, "; ")
}

// harvestOne applies one service of a feed.
func (tx *Tx) harvestOne(f *linkwork.Feed, src *linkwork.FeedSource, l linkwork.HarvestedListing, run *linkwork.FeedRun) error {
	var cur *linkwork.Asset
	version := 0
	if src != nil {
		var err error
		if cur, err = tx.findAsset(src.AssetID); err != nil {
			return err
		}
		version = cur.Version
	}
	matchID := ""
	if src == nil {
		var err error
		if matchID, err = tx.matchListing(f.ID, l.Asset); err != nil {
			return err
		}
	}
	switch linkwork.DecideHarvest(f.Trust, src, l.Hash, version, matchID != "") {
	case linkwork.StepNothing:
		run.Unchanged++
		_, err := tx.exec("UPDATE feed_sources SET said_at = ? WHERE feed_id = ? AND source_id = ?", tv(tx.now), f.ID, l.SourceID)
		return err
	case linkwork.StepLink:
		m, err := tx.findAsset(matchID)
		if err != nil {
			return err
		}
		run.Linked++
		return tx.putSource(f.ID, l.SourceID, m.ID, l.Hash, m.Version)
	case linkwork.StepCreate:
		a := copyAsset(l.Asset)
		if err := tx.createHarvested(a); err != nil {
			return err
		}
		run.Created++
		run.Took(l.SourceID, a.ID)
		return tx.putSource(f.ID, l.SourceID, a.ID, l.Hash, a.Version)
	case linkwork.StepUpdate:
		if err := tx.takeTheirs(f.ID, l.SourceID, l.Hash, cur, l.Asset); err != nil {
			return err
		}
		run.Updated++
		run.Took(l.SourceID, cur.ID)
		return nil
	case linkwork.StepReview:
		kind := linkwork.ReviewChanged
		if src == nil {
			kind = linkwork.ReviewNew
		}
		run.Review++
		return tx.putReview(f.ID, l.SourceID, kind, cur, l.Asset, l.Hash, l.Received)
	case linkwork.StepConflict:
		run.Conflicts++
		return tx.putReview(f.ID, l.SourceID, linkwork.ReviewConflict, cur, l.Asset, l.Hash, l.Received)
	}
	return nil
}

// vanished applies a service gone from its feed.
func (tx *Tx) vanished(f *linkwork.Feed, src *linkwork.FeedSource, run *linkwork.FeedRun) error {
	cur, err := tx.findAsset(src.AssetID)
	if err != nil {
		return err
	}
	switch linkwork.DecideHarvest(f.Trust, src, "", cur.Version, false) {
	case linkwork.StepRetire:
		run.Retired++
		return tx.retire(f.ID, src.SourceID, cur)
	case linkwork.StepReview:
		run.Review++
		return tx.putReview(f.ID, src.SourceID, linkwork.ReviewGone, cur, nil, "", nil)
	}
	return nil
}

// retire marks a feed's service gone and makes its listing inactive,
// unless another feed still publishes it.
func (tx *Tx) retire(feedID, sourceID string, cur *linkwork.Asset) error {
	if _, err := tx.exec("UPDATE feed_sources SET gone = ? WHERE feed_id = ? AND source_id = ?", true, feedID, sourceID); err != nil {
		return err
	}
	others, err := tx.count("SELECT COUNT(*) FROM feed_sources WHERE asset_id = ? AND gone = ?", cur.ID, false)
	if err != nil || others > 0 || cur.Status == linkwork.AssetInactive || cur.Status == linkwork.AssetDefunct {
		return err
	}
	a := copyAsset(cur)
	a.Status = linkwork.AssetInactive
	if err := tx.saveAsset(cur, a, "asset.harvest_retired", "feed="+feedID); err != nil {
		return err
	}
	return tx.harvested(a)
}

// takeTheirs writes a feed's version of a listing over the directory's,
// keeping what a feed does not say: how busy it is (the group's own
// word) and when it is next due a check.
func (tx *Tx) takeTheirs(feedID, sourceID, hash string, cur, theirs *linkwork.Asset) error {
	a := copyAsset(theirs)
	a.ID, a.Version = cur.ID, cur.Version
	a.Capacity = cur.Capacity
	if a.VerifyBy.IsZero() {
		a.VerifyBy = cur.VerifyBy
	}
	w := wishesOf(a)
	*a = a.Normalised()
	if err := a.Validate(); err != nil {
		return err
	}
	if !auth.Can(tx.actor, auth.ActionUpdate, auth.AssetRecord(cur)) {
		return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators take a feed's listings")
	}
	if a.OrgID != cur.OrgID {
		if err := tx.checkAssetOrg(a.OrgID); err != nil {
			return err
		}
	}
	if err := tx.settle(a, cur, w); err != nil {
		return err
	}
	if err := tx.saveAsset(cur, a, "asset.harvest_update", "feed="+feedID); err != nil {
		return err
	}
	if err := tx.putSource(feedID, sourceID, a.ID, hash, a.Version); err != nil {
		return err
	}
	return tx.harvested(a)
}

// createHarvested adds a feed's new listing.
func (tx *Tx) createHarvested(a *linkwork.Asset) error {
	w := wishesOf(a)
	*a = a.Normalised()
	if err := a.Validate(); err != nil {
		return err
	}
	if !auth.Can(tx.actor, auth.ActionCreate, auth.AssetRecord(a)) {
		return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators take a feed's listings")
	}
	if err := tx.checkAssetOrg(a.OrgID); err != nil {
		return err
	}
	if err := tx.settle(a, nil, w); err != nil {
		return err
	}
	return tx.insertAsset(a)
}

// harvested notes that a harvest wrote the listing's version: for every
// feed it came from, a later version is a local correction.
func (tx *Tx) harvested(a *linkwork.Asset) error {
	_, err := tx.exec("UPDATE feed_sources SET harvested_version = ? WHERE asset_id = ?", a.Version, a.ID)
	return err
}

// putSource records where a listing came from: the feed's service as
// it is now.
func (tx *Tx) putSource(feedID, sourceID, assetID, hash string, version int) error {
	res, err := tx.exec("UPDATE feed_sources SET asset_id = ?, hash = ?, harvested_version = ?, said_at = ?, gone = ? WHERE feed_id = ? AND source_id = ?",
		assetID, hash, version, tv(tx.now), false, feedID, sourceID)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	_, err = tx.exec("INSERT INTO feed_sources (feed_id, source_id, asset_id, hash, harvested_version, said_at, gone) VALUES ("+placeholders(7)+")",
		feedID, sourceID, assetID, hash, version, tv(tx.now), false)
	return err
}

// matchListing finds a listing the directory has already of the same
// organisation, name and place (its first place's postcode, or none for
// a listing with no place), that this feed does not give already.
func (tx *Tx) matchListing(feedID string, a *linkwork.Asset) (string, error) {
	if a.OrgID == "" {
		return "", nil
	}
	var ids []string
	err := tx.eachRow(`SELECT a.id FROM assets a WHERE a.org_id = ? AND LOWER(a.name) = LOWER(?)
		AND NOT EXISTS (SELECT 1 FROM feed_sources s WHERE s.asset_id = a.id AND s.feed_id = ?) ORDER BY a.id LIMIT 10`,
		[]any{a.OrgID, strings.TrimSpace(a.Name), feedID}, func(row scanner) error {
			var id string
			err := row.Scan(&id)
			ids = append(ids, id)
			return err
		})
	if err != nil {
		return "", err
	}
	want := placeKey(a)
	for _, id := range ids {
		m, err := tx.findAsset(id)
		if err != nil {
			return "", err
		}
		if placeKey(m) == want {
			return id, nil
		}
	}
	return "", nil
}

// placeKey is a listing's first place, as matching compares it.
func placeKey(a *linkwork.Asset) string {
	for _, l := range a.Locations {
		if l.Physical() {
			return strings.ToUpper(strings.ReplaceAll(l.PostalCode, " ", ""))
		}
	}
	return ""
}

func copyAsset(a *linkwork.Asset) *linkwork.Asset {
	b, _ := json.Marshal(a)
	var out linkwork.Asset
	_ = json.Unmarshal(b, &out)
	return &out
}

// putReview puts a change in the review list, in place of the service's
// open review; a change the curator has answered already is not asked
// again.
func (tx *Tx) putReview(feedID, sourceID string, kind linkwork.FeedReviewKind, cur, theirs *linkwork.Asset, hash string, received []byte) error {
	asked, err := tx.count("SELECT COUNT(*) FROM feed_reviews WHERE feed_id = ? AND source_id = ? AND hash = ? AND (resolved_at IS NULL OR choice = ?)",
		feedID, sourceID, hash, string(linkwork.ChooseOurs))
	if err != nil || asked > 0 {
		return err
	}
	if _, err := tx.exec("DELETE FROM feed_reviews WHERE feed_id = ? AND source_id = ? AND resolved_at IS NULL", feedID, sourceID); err != nil {
		return err
	}
	var theirsJSON any
	if theirs != nil {
		// The feed's version as it would be saved: over the listing, at
		// its version, or as a new listing's first.
		theirs = copyAsset(theirs)
		theirs.Version = 1
		if cur != nil {
			theirs.ID, theirs.Version = cur.ID, cur.Version
		}
		b, err := json.Marshal(theirs)
		if err != nil {
			return err
		}
		theirsJSON = string(b)
	}
	assetID := ""
	if cur != nil {
		assetID = cur.ID
	}
	var receivedJSON any
	if len(received) > 0 {
		receivedJSON = string(received)
	}
	id := uuid.NewString()
	if _, err := tx.exec("INSERT INTO feed_reviews (id, feed_id, source_id, kind, asset_id, theirs, hash, created_at, received) VALUES ("+placeholders(9)+")",
		id, feedID, sourceID, string(kind), sv(assetID), theirsJSON, hash, tv(tx.now), receivedJSON); err != nil {
		return err
	}
	return tx.audit("feed.review_flagged", auth.KindFeed, feedID, string(kind)+" source="+sourceID)
}

const feedReviewColumns = "r.id, r.feed_id, f.name, r.source_id, r.kind, r.asset_id, r.theirs, r.hash, r.created_at"

func scanFeedReview(row scanner) (*linkwork.FeedReview, error) {
	var r linkwork.FeedReview
	var theirs string
	if err := row.Scan(&r.ID, &r.FeedID, &r.FeedName, &r.SourceID, &r.Kind, nullString{&r.AssetID}, nullString{&theirs}, &r.Hash, timeDest{&r.CreatedAt}); err != nil {
		return nil, err
	}
	if theirs != "" {
		r.Theirs = &linkwork.Asset{}
		if err := json.Unmarshal([]byte(theirs), r.Theirs); err != nil {
			return nil, fmt.Errorf("feed review %s: %w", r.ID, err)
		}
	}
	return &r, nil
}

// withOurs reads the listings the reviews change, in one go.
func (tx *Tx) withOurs(reviews []*linkwork.FeedReview) error {
	var ids []any
	for _, r := range reviews {
		if r.AssetID != "" {
			ids = append(ids, r.AssetID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	byID := map[string]*linkwork.Asset{}
	var list []*linkwork.Asset
	err := tx.eachRow("SELECT "+assetColumns+" FROM assets a WHERE a.id IN ("+placeholders(len(ids))+")", ids, func(row scanner) error {
		a, err := scanAsset(row)
		if err == nil {
			byID[a.ID] = a
			list = append(list, a)
		}
		return err
	})
	if err != nil {
		return err
	}
	if err := tx.loadAssetChildren(list); err != nil {
		return err
	}
	for _, r := range reviews {
		r.Ours = byID[r.AssetID]
	}
	return nil
}

// FindFeedReviews returns a page of the changes waiting for a curator,
// oldest first, from the index of those waiting.
func (s *FeedService) FindFeedReviews(ctx context.Context, f linkwork.FeedReviewFilter) ([]*linkwork.FeedReview, int, error) {
	var out []*linkwork.FeedReview
	var total int
	err := s.db.view(ctx, func(tx *Tx) error {
		var w where
		w.add("r.resolved_at IS NULL")
		if f.FeedID != "" {
			w.add("r.feed_id = ?", f.FeedID)
		}
		w.scope(tx.actor, auth.KindFeed, "f")
		var err error
		out, total, err = queryPage(tx, "FROM feed_reviews r JOIN feeds f ON f.id = r.feed_id", "", w, "r.created_at, r.id", f.Offset, f.Limit, scanFeedReview, feedReviewColumns)
		if err != nil {
			return err
		}
		return tx.withOurs(out)
	})
	return out, total, err
}

// FindFeedReview returns a change waiting for a curator, with the
// listing as it is now and the service as the feed sent it.
func (s *FeedService) FindFeedReview(ctx context.Context, id string) (*linkwork.FeedReview, error) {
	var out *linkwork.FeedReview
	err := s.db.view(ctx, func(tx *Tx) error {
		r, err := tx.findFeedReview(id)
		if err != nil {
			return err
		}
		var received string
		if err := tx.queryRow("SELECT COALESCE(received, '') FROM feed_reviews WHERE id = ?", r.ID).Scan(&received); err != nil {
			return err
		}
		if received != "" {
			r.Received = []byte(received)
		}
		out = r
		return nil
	})
	return out, err
}

func (tx *Tx) findFeedReview(id string) (*linkwork.FeedReview, error) {
	var w where
	w.add("r.id = ?", id)
	w.add("r.resolved_at IS NULL")
	w.scope(tx.actor, auth.KindFeed, "f")
	r, err := scanFeedReview(tx.queryRow("SELECT "+feedReviewColumns+" FROM feed_reviews r JOIN feeds f ON f.id = r.feed_id WHERE "+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "There is no change waiting for review with this id")
	}
	if err != nil {
		return nil, err
	}
	return r, tx.withOurs([]*linkwork.FeedReview{r})
}

// ResolveFeedReview takes the feed's version of a change, or keeps the
// directory's; either way the same change is not asked again.
func (s *FeedService) ResolveFeedReview(ctx context.Context, id string, choice linkwork.FeedChoice) error {
	if !choice.Valid() {
		return linkwork.FieldErr("choice", "Choose whether to take the feed's version or keep the directory's")
	}
	return s.db.update(ctx, func(tx *Tx) error {
		r, err := tx.findFeedReview(id)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionDecide, auth.Record{Kind: auth.KindFeed}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators review feeds' changes")
		}
		if r.AssetID != "" && r.Ours == nil {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Listing not found")
		}
		switch {
		case choice == linkwork.ChooseOurs && r.Ours != nil && r.Kind != linkwork.ReviewGone:
			// The feed's version is seen, and the listing is still the
			// directory's own: a later change asks again.
			if _, err := tx.exec("UPDATE feed_sources SET hash = ?, said_at = ?, gone = ? WHERE feed_id = ? AND source_id = ?",
				r.Hash, tv(tx.now), false, r.FeedID, r.SourceID); err != nil {
				return err
			}
		case choice == linkwork.ChooseOurs:
		case r.Kind == linkwork.ReviewNew:
			a := copyAsset(r.Theirs)
			if err := tx.createHarvested(a); err != nil {
				return err
			}
			if err := tx.putSource(r.FeedID, r.SourceID, a.ID, r.Hash, a.Version); err != nil {
				return err
			}
		case r.Kind == linkwork.ReviewGone:
			if err := tx.retire(r.FeedID, r.SourceID, r.Ours); err != nil {
				return err
			}
		default:
			if err := tx.takeTheirs(r.FeedID, r.SourceID, r.Hash, r.Ours, r.Theirs); err != nil {
				return err
			}
		}
		if _, err := tx.exec("UPDATE feed_reviews SET resolved_at = ?, resolved_by = ?, choice = ? WHERE id = ?", tv(tx.now), tx.actor.UserID, string(choice), r.ID); err != nil {
			return err
		}
		return tx.audit("feed.review_"+string(choice), auth.KindFeed, r.FeedID, string(r.Kind)+" source="+r.SourceID)
	})
}
