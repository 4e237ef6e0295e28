package orukio

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
)

// Harvesting neighbours' feeds: fetching a registered feed, asking only
// for a change (ETag, Last-Modified), within a time and size limit, and
// handing the store its services made listings, to apply as
// linkwork.DecideHarvest says.
//
// Where requests go: only to the addresses coordinators registered
// (linkwork.ValidFeedURL: http or https, no credentials), to the same
// feed's pages, and to redirects that stay on http or https. A feed is
// configuration a coordinator trusts, so it may be on any host, the
// organisation's own network included; an operator who must keep the
// server from reaching inside its network does so with its egress rules.

// Harvest limits.
const (
	// DefaultFeedTimeout bounds a whole harvest's requests.
	DefaultFeedTimeout = 2 * time.Minute
	// DefaultFeedMaxBytes bounds what a harvest reads from a feed, over
	// all its pages.
	DefaultFeedMaxBytes = 64 << 20
	maxFeedRedirects    = 5
	maxFeedPages        = 10000
)

// NewFeedClient returns the HTTP client harvests use: each request
// bounded by timeout, redirects followed only to http and https, at most
// five.
func NewFeedClient(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout: timeout,
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= maxFeedRedirects {
				return fmt.Errorf("more than %d redirects", maxFeedRedirects)
			}
			if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
				return fmt.Errorf("a redirect to %s: is not followed: only http and https are", req.URL.Scheme)
			}
			return nil
		},
	}
}

// Fetched is what one harvest read from a feed.
type Fetched struct {
	// NotModified: the feed answered that nothing changed since the
	// ETag or Last-Modified sent.
	NotModified        bool
	Services           []oruk.Service
	ETag, LastModified string
}

// FetchFeed reads a feed as Fetch does (a document of services, or an
// ORUK API root crawled page by page), asking the first request only for
// a change since etag or lastModified, and reading at most maxBytes in
// all (DefaultFeedMaxBytes when 0).
func FetchFeed(ctx context.Context, c *http.Client, feed, etag, lastModified string, maxBytes int64) (Fetched, error) {
	if msg := linkwork.ValidFeedURL(feed); msg != "" {
		return Fetched{}, errors.New(msg)
	}
	if maxBytes <= 0 {
		maxBytes = DefaultFeedMaxBytes
	}
	left := maxBytes
	g := func(u string, first bool) ([]byte, http.Header, bool, error) {
		req, err := http.NewRequestWithContext(ctx, "GET", u, nil)
		if err != nil {
			return nil, nil, false, err
		}
		req.Header.Set("Accept", "application/json")
		if first && etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		if first && lastModified != "" {
			req.Header.Set("If-Modified-Since", lastModified)
		}
		resp, err := c.Do(req)
		if err != nil {
			return nil, nil, false, requestError(err)
		}
		defer resp.Body.Close()
		if first && resp.StatusCode == http.StatusNotModified {
			return nil, resp.Header, true, nil
		}
		if resp.StatusCode != http.StatusOK {
			return nil, nil, false, fmt.Errorf("GET %s answered %s", u, resp.Status)
		}
		b, err := io.ReadAll(io.LimitReader(resp.Body, left+1))
		if err != nil {
			return nil, nil, false, requestError(err)
		}
		if int64(len(b)) > left {
			return nil, nil, false, fmt.Errorf("the feed is larger than %s, the most a harvest reads", sizeLabel(maxBytes))
		}
		left -= int64(len(b))
		return b, resp.Header, false, nil
	}
	body, h, notModified, err := g(feed, true)
	if err != nil {
		return Fetched{}, err
	}
	out := Fetched{NotModified: notModified, ETag: h.Get("ETag"), LastModified: h.Get("Last-Modified")}
	if notModified {
		return out, nil
	}
	var root map[string]json.RawMessage
	if json.Unmarshal(body, &root) != nil || root["version"] == nil || root["contents"] != nil {
		out.Services, err = ReadServices(bytes.NewReader(body))
		return out, err
	}
	base := strings.TrimSuffix(feed, "/")
	for page := 1; ; page++ {
		b, _, _, err := g(base+"/services?per_page=100&page="+strconv.Itoa(page), false)
		if err != nil {
			return Fetched{}, err
		}
		var p oruk.Page[oruk.Service]
		if err := json.Unmarshal(b, &p); err != nil {
			return Fetched{}, fmt.Errorf("%s/services page %d: %v", base, page, err)
		}
		for _, item := range p.Contents {
			b, _, _, err := g(base+"/services/"+url.PathEscape(item.ID), false)
			if err != nil {
				return Fetched{}, err
			}
			var s oruk.Service
			if err := json.Unmarshal(b, &s); err != nil {
				return Fetched{}, fmt.Errorf("%s/services/%s: %v", base, item.ID, err)
			}
			out.Services = append(out.Services, s)
		}
		if p.LastPage || p.Empty || len(p.Contents) == 0 || page >= p.TotalPages || page >= maxFeedPages {
			return out, nil
		}
	}
}

// sizeLabel says a size in bytes for people: "64 MB", "512 KB".
func sizeLabel(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// requestError says plainly why a request failed.
func requestError(err error) error {
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return fmt.Errorf("the feed did not answer in time: %v", err)
	}
	return err
}

// Harvester harvests neighbours' feeds into the directory.
type Harvester struct {
	Feeds linkwork.FeedService
	Orgs  linkwork.OrganisationService
	// Docs, with Assets, keeps beside each listing a harvest writes the
	// service as the feed sent it, as an import keeps it (Published):
	// what linkwork does not model is published again. Atomically, when
	// set, writes the listings and their documents together.
	Assets     linkwork.AssetService
	Docs       linkwork.ORUKDocumentService
	Atomically func(context.Context, func(context.Context) error) error
	// Client makes the requests; NewFeedClient(DefaultFeedTimeout)
	// when nil.
	Client *http.Client
	// MaxBytes bounds what one harvest reads; DefaultFeedMaxBytes when 0.
	MaxBytes int64
}

// HarvestDue harvests up to limit feeds due a harvest now, one after
// another: a round of the server's harvest job. A feed that fails has
// its error recorded on it and does not stop the others.
func (h *Harvester) HarvestDue(ctx context.Context, now time.Time, limit int) (int, error) {
	feeds, err := h.Feeds.DueFeeds(ctx, now, limit)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, f := range feeds {
		if _, err := h.Harvest(ctx, f); err != nil {
			errs = append(errs, fmt.Errorf("feed %s: %w", f.Name, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// Harvest fetches one feed and applies what it says. A feed that cannot
// be read, or says something that cannot be read, is a failed run,
// recorded on the feed with its error (FeedRun.Err); the error returned
// is the store's, when it cannot record even that.
//
// Only someone who may harvest the feed gets past reading it (a
// coordinator, or the system). The organisations a feed names that the
// directory lacks are added by the system on the harvest's behalf, as an
// import adds them: a coordinator does not add organisations otherwise.
func (h *Harvester) Harvest(ctx context.Context, f *linkwork.Feed) (linkwork.FeedRun, error) {
	f, err := h.Feeds.FindFeed(ctx, f.ID)
	if err != nil {
		return linkwork.FeedRun{}, err
	}
	c := h.Client
	if c == nil {
		c = NewFeedClient(DefaultFeedTimeout)
	}
	fetchCtx, cancel := context.WithTimeout(ctx, DefaultFeedTimeout)
	got, err := FetchFeed(fetchCtx, c, f.URL, f.ETag, f.LastModified, h.MaxBytes)
	cancel()
	if err != nil {
		run := linkwork.FeedRun{Err: err.Error()}
		return run, h.Feeds.RecordFeedFailure(ctx, f.ID, run)
	}
	run := linkwork.FeedRun{NotModified: got.NotModified, ETag: got.ETag, LastModified: got.LastModified}
	var listings []linkwork.HarvestedListing
	// The service each listing came from, by its id in the feed (the
	// first of each, as the store takes it).
	sent := map[string]oruk.Service{}
	if !got.NotModified {
		st := Store{Orgs: h.Orgs}
		sys := linkwork.NewContext(ctx, linkwork.SystemActor("harvest of "+f.Name))
		for i, s := range got.Services {
			l, err := harvested(sys, st, f, s)
			if err != nil {
				if !isFieldError(err) {
					run := linkwork.FeedRun{Err: fmt.Sprintf("service %d (%s): %v", i+1, s.ID, err)}
					return run, h.Feeds.RecordFeedFailure(ctx, f.ID, run)
				}
				run.Skipped = append(run.Skipped, fmt.Sprintf("service %d (id %s, %q): %v", i+1, s.ID, s.Name, err))
				continue
			}
			listings = append(listings, l)
			if _, ok := sent[l.SourceID]; !ok {
				sent[l.SourceID] = s
			}
		}
	}
	var applied linkwork.FeedRun
	apply := func(ctx context.Context) error {
		var err error
		if applied, err = h.Feeds.ApplyHarvest(ctx, f.ID, listings, run); err != nil || !h.keepsDocuments() {
			return err
		}
		for src, id := range applied.Taken {
			if err := h.keep(ctx, sent[src], id); err != nil {
				return err
			}
		}
		return nil
	}
	err = h.together(ctx, apply)
	if err != nil && ctx.Err() == nil {
		// Recorded, so that the feed says so and waits its interval
		// rather than fail every round.
		failed := linkwork.FeedRun{Err: "the directory could not take what the feed says: " + linkwork.ErrorMessage(err)}
		if rerr := h.Feeds.RecordFeedFailure(ctx, f.ID, failed); rerr != nil {
			return failed, errors.Join(err, rerr)
		}
		return failed, err
	}
	return applied, err
}

// Resolve takes the feed's version of a change waiting for review, or
// keeps the directory's (linkwork.FeedService.ResolveFeedReview); a
// listing written from the feed's version keeps the service as the feed
// sent it, as one a trusted harvest writes does, together with it when
// Atomically is set.
func (h *Harvester) Resolve(ctx context.Context, id string, choice linkwork.FeedChoice) error {
	resolve := func(ctx context.Context) error {
		if !h.keepsDocuments() || choice != linkwork.ChooseTheirs {
			return h.Feeds.ResolveFeedReview(ctx, id, choice)
		}
		r, err := h.Feeds.FindFeedReview(ctx, id)
		if err != nil {
			return err
		}
		if err := h.Feeds.ResolveFeedReview(ctx, id, choice); err != nil {
			return err
		}
		assetID := r.AssetID
		if assetID == "" && r.Theirs != nil {
			assetID = r.Theirs.ID // a new listing takes the id it was harvested with
		}
		if r.Kind == linkwork.ReviewGone || len(r.Received) == 0 || assetID == "" {
			return nil
		}
		var s oruk.Service
		if err := json.Unmarshal(r.Received, &s); err != nil {
			return fmt.Errorf("feed review %s: %w", r.ID, err)
		}
		return h.keep(ctx, s, assetID)
	}
	return h.together(ctx, resolve)
}

// keepsDocuments reports whether the harvester keeps the services its
// listings came as.
func (h *Harvester) keepsDocuments() bool { return h.Docs != nil && h.Assets != nil }

// keep keeps the service s as the feed sent it beside listing assetID.
func (h *Harvester) keep(ctx context.Context, s oruk.Service, assetID string) error {
	_, err := Store{Assets: h.Assets, Orgs: h.Orgs, Docs: h.Docs}.keep(ctx, s, assetID)
	return err
}

// together runs fn in one transaction when the harvester keeps documents
// and can (Atomically), so that listings and their documents are saved
// whole or not at all; else as it is.
func (h *Harvester) together(ctx context.Context, fn func(context.Context) error) error {
	if h.Atomically != nil && h.keepsDocuments() {
		return h.Atomically(ctx, fn)
	}
	return fn(ctx)
}

// harvested makes one of a feed's services a listing: filed by the
// feed's map of terms, its organisation found or made, and its ids (and
// its places', contacts' and costs') made from the feed's and the
// service's, so that they are the same at every harvest and never
// another listing's.
func harvested(ctx context.Context, st Store, f *linkwork.Feed, s oruk.Service) (linkwork.HarvestedListing, error) {
	imp, err := FromService(s, "")
	if err != nil {
		return linkwork.HarvestedListing{}, err
	}
	a := imp.Asset
	var has []linkwork.Category
	for _, c := range a.Categories {
		if c != "" {
			has = append(has, c)
		}
	}
	a.Categories = f.CategoriesFor(has, terms(s.Attributes))
	rekey(a, derive("harvest", f.ID, s.ID))
	if imp.Org != nil {
		orgID, _, err := st.org(ctx, *imp.Org)
		if err != nil {
			return linkwork.HarvestedListing{}, orgError{err}
		}
		a.OrgID = orgID
	}
	b, err := json.Marshal(s)
	if err != nil {
		return linkwork.HarvestedListing{}, err
	}
	sum := sha256.Sum256(b)
	return linkwork.HarvestedListing{SourceID: s.ID, Hash: hex.EncodeToString(sum[:]), Asset: a, Received: b}, nil
}

// terms are the id, code and name of each term a service's attributes
// name, for a feed's map of terms to categories.
func terms(ats []oruk.Attribute) []string {
	var out []string
	for _, at := range ats {
		out = append(out, at.TaxonomyTermID)
		if t := at.TaxonomyTerm; t != nil {
			out = append(out, t.ID, t.Term, t.Name)
		}
	}
	return out
}

// rekey gives a listing the id id, and its places, contacts and costs ids
// made from it and theirs (and its services at its places ids linkwork
// makes from those: the feed's are the feed's to answer to).
func rekey(a *linkwork.Asset, id string) {
	a.ID = id
	for i := range a.Locations {
		old := a.Locations[i].ID
		a.Locations[i].ID = derive("harvest_location", id, old, strconv.Itoa(i))
		a.Locations[i].ServiceAtLocationID = ""
		for j := range a.Schedules {
			if a.Schedules[j].LocationID == old && old != "" {
				a.Schedules[j].LocationID = a.Locations[i].ID
			}
		}
	}
	for i := range a.Contacts {
		a.Contacts[i].ID = derive("harvest_contact", id, a.Contacts[i].ID, strconv.Itoa(i))
	}
	for i := range a.CostOptions {
		a.CostOptions[i].ID = derive("harvest_cost_option", id, a.CostOptions[i].ID, strconv.Itoa(i))
	}
}
