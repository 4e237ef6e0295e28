package linkwork

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Neighbours' feeds: the Open Referral UK feeds of other organisations
// (councils, NHS services, charities) that the directory harvests on a
// schedule, so that no organisation has to keep another's listings by
// hand and none of them goes stale.

// FeedTrust says what a harvest does with what a feed brings.
type FeedTrust string

// The trusts.
const (
	// FeedTrusted publishes new and changed listings as the feed says.
	FeedTrusted FeedTrust = "trusted"
	// FeedNeedsReview puts new, changed and vanished listings in the
	// review list, for a curator to accept or turn down.
	FeedNeedsReview FeedTrust = "needs_review"
)

// Label is the trust as users read it.
func (t FeedTrust) Label() string {
	if t == FeedNeedsReview {
		return "Needs review"
	}
	return "Trusted"
}

// Feed limits.
const (
	MinFeedEveryHours = 1
	MaxFeedEveryHours = 24 * 30
	MaxFeedCategories = 100
)

// FeedCategory files a feed's listings filed under a taxonomy term under
// one of the directory's categories. Term matches the term's id, its
// code (term) or its name, ignoring case.
type FeedCategory struct {
	Term     string
	Category Category
}

// Feed is a neighbour's Open Referral UK feed the directory harvests.
// A coordinator registers it; what the last harvest found follows it.
type Feed struct {
	ID   string
	Name string
	// URL is an ORUK API's root (its /services are read page by page) or
	// a document of services. Only http and https are fetched: see
	// ValidFeedURL.
	URL string
	// EveryHours is how often it is harvested.
	EveryHours int
	// DefaultCategory files a listing that neither the feed's own
	// linkwork terms nor Categories file.
	DefaultCategory Category
	Categories      []FeedCategory
	Trust           FeedTrust

	// What the last harvest found.
	LastRunAt time.Time // zero: never harvested
	LastOKAt  time.Time
	// LastError says why the last harvest failed; "" when it did not.
	LastError string
	// LastResult counts what the last harvest that worked did.
	LastResult string
	// ETag and LastModified are what the feed last answered, sent back
	// to ask only for a change.
	ETag, LastModified string
	NextDueAt          time.Time

	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Normalised returns a copy of f tidied: trimmed text, the trust
// defaulting to needs review, and empty category lines dropped.
func (f Feed) Normalised() Feed {
	f.Name = strings.TrimSpace(f.Name)
	f.URL = strings.TrimSpace(f.URL)
	if f.Trust == "" {
		f.Trust = FeedNeedsReview
	}
	var cats []FeedCategory
	for _, c := range f.Categories {
		c.Term = strings.TrimSpace(c.Term)
		if c.Term == "" && c.Category == "" {
			continue
		}
		cats = append(cats, c)
	}
	f.Categories = cats
	return f
}

// Validate reports every problem with a feed's registration, naming the
// field.
func (f *Feed) Validate() error {
	var p Problems
	if f.Name == "" {
		p.Add("name", "Enter the name of the organisation that publishes the feed")
	} else {
		p.Text("name", f.Name, MaxShortText)
	}
	if msg := ValidFeedURL(f.URL); msg != "" {
		p.Add("url", msg)
	}
	if f.EveryHours < MinFeedEveryHours || f.EveryHours > MaxFeedEveryHours {
		p.Addf("every_hours", "Enter how often to harvest the feed, from every %d hour to every %d hours", MinFeedEveryHours, MaxFeedEveryHours)
	}
	if !f.DefaultCategory.Valid() {
		p.Add("default_category", "Choose the category for listings the feed does not file")
	}
	if f.Trust != FeedTrusted && f.Trust != FeedNeedsReview {
		p.Add("trust", "Choose whether the feed is trusted or needs review")
	}
	if len(f.Categories) > MaxFeedCategories {
		p.Addf("categories", "A feed can map at most %d taxonomy terms", MaxFeedCategories)
	}
	seen := map[string]bool{}
	for i, c := range f.Categories {
		field := fmt.Sprintf("categories[%d]", i)
		switch {
		case c.Term == "":
			p.Add(field+".term", "Enter the taxonomy term, such as its code or name")
		case seen[strings.ToLower(c.Term)]:
			p.Add(field+".term", "This term is mapped already")
		default:
			p.Text(field+".term", c.Term, MaxShortText)
		}
		seen[strings.ToLower(c.Term)] = true
		if !c.Category.Valid() {
			p.Add(field+".category", "Choose the category the term files listings under")
		}
	}
	return p.Err()
}

// ValidFeedURL says what is wrong with a feed's address, or "" when
// nothing is. A feed is configuration a coordinator trusts, so it may be
// on any host they choose, their own network included; but only http and
// https are fetched (never file:, ftp: or another scheme), an address
// carries no user name or password (it is shown on the feeds page), and
// redirects are followed only to http and https addresses.
func ValidFeedURL(s string) string {
	if s == "" {
		return "Enter the feed's address, starting https://"
	}
	if len(s) > 2000 {
		return "The feed's address must be 2,000 characters or fewer"
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.Opaque != "" {
		return "Enter the feed's address in full, such as https://example.org/oruk"
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "The feed's address must start https:// or http://"
	}
	if u.User != nil {
		return "The feed's address must not hold a user name or password"
	}
	if u.Fragment != "" {
		return "The feed's address must not have a # part"
	}
	return ""
}

// CategoriesFor files a harvested listing: the categories its own terms
// gave (has), those the feed's map gives its terms, and the default when
// neither gives any. terms are each term's id, code and name.
func (f *Feed) CategoriesFor(has []Category, terms []string) []Category {
	var out []Category
	seen := map[Category]bool{}
	add := func(c Category) {
		if c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, c := range has {
		add(c)
	}
	for _, t := range terms {
		for _, m := range f.Categories {
			if t != "" && strings.EqualFold(strings.TrimSpace(t), m.Term) {
				add(m.Category)
			}
		}
	}
	if len(out) == 0 {
		add(f.DefaultCategory)
	}
	return out
}

// Due reports whether the feed is due a harvest at now.
func (f *Feed) Due(now time.Time) bool { return f.NextDueAt.IsZero() || !now.Before(f.NextDueAt) }

// FeedSource is where a listing came from: one feed's service, and when
// that feed last said so.
type FeedSource struct {
	FeedID   string
	FeedName string
	FeedURL  string
	// SourceID is the service's id in the feed.
	SourceID string
	AssetID  string
	// Hash is a digest of the service as the feed last gave it, to see
	// whether it changed.
	Hash string
	// HarvestedVersion is the listing's version a harvest last wrote or
	// saw: a later version is a local correction.
	HarvestedVersion int
	// SaidAt is when the feed last said so: the last harvest that found
	// the service, or found the feed unchanged.
	SaidAt time.Time
	// Gone is set when the service vanished from the feed.
	Gone bool
}

// HarvestStep is what a harvest does with one service of a feed.
type HarvestStep string

// The steps.
const (
	StepNothing HarvestStep = "nothing" // the feed says what it said before
	StepCreate  HarvestStep = "create"  // a new listing, published
	StepLink    HarvestStep = "link"    // a listing the directory has already (another feed's, or its own): matched, not copied
	StepUpdate  HarvestStep = "update"  // the feed changed it: the listing follows
	StepRetire  HarvestStep = "retire"  // it vanished from the feed: the listing is made inactive
	// StepReview puts the change in the review list, unpublished.
	StepReview HarvestStep = "review"
	// StepConflict flags a change the feed made to a listing corrected
	// here since: the curator sees both and picks.
	StepConflict HarvestStep = "conflict"
)

// DecideHarvest is the rule for one service of a feed. src is what the
// directory knows of it from this feed (nil: never seen); hash is the
// service as the feed gives it now ("" when it vanished); version is the
// listing's version now; matched says a listing of the same organisation,
// name and place is in the directory already.
func DecideHarvest(trust FeedTrust, src *FeedSource, hash string, version int, matched bool) HarvestStep {
	switch {
	case src == nil && matched:
		return StepLink
	case src == nil && trust == FeedNeedsReview:
		return StepReview
	case src == nil:
		return StepCreate
	case hash == "" && src.Gone:
		return StepNothing
	case hash == "" && trust == FeedNeedsReview:
		return StepReview
	case hash == "":
		return StepRetire
	case hash == src.Hash && !src.Gone:
		return StepNothing
	case version != src.HarvestedVersion:
		// Never overwrite a local correction.
		return StepConflict
	case trust == FeedNeedsReview:
		return StepReview
	}
	return StepUpdate
}

// FeedReviewKind is what a change waiting for a curator is.
type FeedReviewKind string

// The kinds of review.
const (
	ReviewNew      FeedReviewKind = "new"      // a listing a feed needing review brought
	ReviewChanged  FeedReviewKind = "changed"  // a change such a feed made
	ReviewGone     FeedReviewKind = "gone"     // a listing such a feed dropped
	ReviewConflict FeedReviewKind = "conflict" // a feed's change to a listing corrected here
)

// Label is the kind as users read it.
func (k FeedReviewKind) Label() string {
	switch k {
	case ReviewNew:
		return "New listing"
	case ReviewChanged:
		return "Changed listing"
	case ReviewGone:
		return "Gone from the feed"
	case ReviewConflict:
		return "Changed here and in the feed"
	}
	return string(k)
}

// FeedChoice is a curator's answer to a review.
type FeedChoice string

// The choices.
const (
	ChooseTheirs FeedChoice = "theirs" // take the feed's version
	ChooseOurs   FeedChoice = "ours"   // keep the directory's
)

// Valid reports whether c is a choice.
func (c FeedChoice) Valid() bool { return c == ChooseTheirs || c == ChooseOurs }

// FeedReview is a change from a feed waiting for a curator: nothing of
// it is published until they take the feed's version.
type FeedReview struct {
	ID       string
	FeedID   string
	FeedName string
	SourceID string
	Kind     FeedReviewKind
	// AssetID is the listing it changes; "" for a new one.
	AssetID string
	// Theirs is the listing as the feed gives it (nil when it is gone);
	// Ours the listing as the directory holds it now (nil when new).
	Theirs *Asset
	Ours   *Asset
	// Hash is the feed's service the review is about.
	Hash      string
	CreatedAt time.Time
	// Received is the service as the feed sent it, in JSON (nil when it
	// is gone); read by FindFeedReview only.
	Received []byte
}

// FeedRun is the outcome of one harvest of a feed.
type FeedRun struct {
	At time.Time
	// Err says why it failed, "" when it worked.
	Err                                                             string
	NotModified                                                     bool
	ETag                                                            string
	LastModified                                                    string
	Created, Updated, Linked, Retired, Unchanged, Review, Conflicts int
	// Skipped names each service that could not be taken, and why.
	Skipped []string
	// Taken is the listing, by the feed's service id, of each service
	// the run wrote as the feed gives it (new or updated), so that the
	// service as the feed sent it can be kept beside it.
	Taken map[string]string
}

// Took notes that the run wrote the feed's service sourceID as listing
// assetID.
func (r *FeedRun) Took(sourceID, assetID string) {
	if r.Taken == nil {
		r.Taken = map[string]string{}
	}
	r.Taken[sourceID] = assetID
}

// String counts what the run did, for the feeds page.
func (r FeedRun) String() string {
	if r.NotModified {
		return "Not changed since the last harvest"
	}
	conflicts := "conflicts"
	if r.Conflicts == 1 {
		conflicts = "conflict"
	}
	s := fmt.Sprintf("%d new, %d updated, %d matched, %d retired, %d unchanged, %d to review, %d %s",
		r.Created, r.Updated, r.Linked, r.Retired, r.Unchanged, r.Review, r.Conflicts, conflicts)
	if len(r.Skipped) > 0 {
		s += fmt.Sprintf(", %d skipped", len(r.Skipped))
	}
	return s
}

// HarvestedListing is one service of a feed made a listing, for the store
// to apply.
type HarvestedListing struct {
	SourceID string
	Hash     string
	// Asset is the listing as the feed gives it, its organisation found
	// or made (OrgID); its ID is the one a new listing takes.
	Asset *Asset
	// Received is the service as the feed sent it, in JSON, kept with a
	// change that waits for review.
	Received []byte
}

// FeedFilter pages the feeds.
type FeedFilter struct {
	Offset, Limit int
}

// FeedReviewFilter pages the changes waiting for a curator.
type FeedReviewFilter struct {
	FeedID        string // "": every feed's
	Offset, Limit int
}

// FeedService keeps the neighbours' feeds, where listings came from, and
// the changes waiting for a curator. Coordinators curate the directory,
// so they register feeds, harvest them and review what they bring; the
// system harvests them on schedule.
type FeedService interface {
	// CreateFeed registers a feed. EINVALID for bad fields, EFORBIDDEN
	// for anyone but a coordinator.
	CreateFeed(ctx context.Context, f *Feed) error
	// UpdateFeed saves a feed's registration (not what harvests found);
	// ECONFLICT when f.Version is stale.
	UpdateFeed(ctx context.Context, f *Feed) error
	// FindFeed returns one feed, or ENOTFOUND.
	FindFeed(ctx context.Context, id string) (*Feed, error)
	// FindFeeds returns a page of the feeds, by name, and the total.
	FindFeeds(ctx context.Context, f FeedFilter) ([]*Feed, int, error)
	// DueFeeds returns up to limit feeds due a harvest at now, the
	// longest due first.
	DueFeeds(ctx context.Context, now time.Time, limit int) ([]*Feed, error)
	// FeedSources returns what the directory knows of each service of a
	// feed, by source id.
	FeedSources(ctx context.Context, feedID string) (map[string]*FeedSource, error)
	// ApplyHarvest applies a harvest of feed: each listing as
	// DecideHarvest says, the feed's sources not in listings as vanished
	// (unless run.NotModified), and the run recorded on the feed; all in
	// one transaction. It returns the run with its counts.
	ApplyHarvest(ctx context.Context, feedID string, listings []HarvestedListing, run FeedRun) (FeedRun, error)
	// RecordFeedFailure records a harvest that failed, and when to try
	// again.
	RecordFeedFailure(ctx context.Context, feedID string, run FeedRun) error
	// SourcesOf returns where a listing came from.
	SourcesOf(ctx context.Context, assetID string) ([]*FeedSource, error)
	// FindFeedReviews returns a page of the changes waiting for a
	// curator, oldest first, each with the listing as it is now.
	FindFeedReviews(ctx context.Context, f FeedReviewFilter) ([]*FeedReview, int, error)
	// FindFeedReview returns a change waiting for a curator, with the
	// service as the feed sent it; ENOTFOUND when no such change waits
	// or the actor may not see it.
	FindFeedReview(ctx context.Context, id string) (*FeedReview, error)
	// ResolveFeedReview takes the feed's version or keeps the
	// directory's: the feed's is written over the listing as it is
	// then. EINVALID for another choice (or a feed's version the
	// directory cannot hold); ENOTFOUND when no such change waits.
	ResolveFeedReview(ctx context.Context, id string, choice FeedChoice) error
}
