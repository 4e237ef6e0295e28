package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/orukio"
)

// Neighbours' feeds: the page where coordinators register the Open
// Referral UK feeds the directory harvests, see what each last harvest
// found (or why it failed), harvest one now, and review the changes
// waiting for them with both versions side by side.

const (
	feedsPageSize       = 25
	feedReviewsPageSize = 20
	// feedCategoryRows is how many taxonomy lines the form offers.
	feedCategoryRows = 5
)

// routesFeeds registers the feeds pages and their API routes.
func (s *Server) routesFeeds() {
	s.handle("GET", "/feeds", may(auth.ReadFeeds), s.feedsPage)
	s.handle("POST", "/feeds", may(auth.ManageFeeds), s.feedCreateSubmit)
	s.handle("GET", "/feed-reviews", may(auth.ReadFeeds), s.feedReviewsPage)
	s.handle("POST", "/feed-reviews/{id}", may(auth.ReviewFeeds), s.feedReviewSubmit)
	s.handle("GET", "/feeds/{id}", may(auth.ReadFeeds), s.feedEditPage)
	s.handle("POST", "/feeds/{id}", may(auth.ManageFeeds), s.feedEditSubmit)
	s.handle("POST", "/feeds/{id}/harvest", may(auth.HarvestFeeds), s.feedHarvestSubmit)
	s.handle("GET", "/api/v1/feeds", may(auth.ReadFeeds), s.apiFeeds)
	s.handle("POST", "/api/v1/feeds", may(auth.ManageFeeds), s.idempotent(s.apiCreateFeed))
	s.handle("GET", "/api/v1/feeds/{id}", may(auth.ReadFeeds), s.apiFeed)
	s.handle("PUT", "/api/v1/feeds/{id}", may(auth.ManageFeeds), s.apiUpdateFeed)
	s.handle("POST", "/api/v1/feeds/{id}/harvest", may(auth.HarvestFeeds), s.apiHarvestFeed)
	s.handle("GET", "/api/v1/feed-reviews", may(auth.ReadFeeds), s.apiFeedReviews)
	s.handle("POST", "/api/v1/feed-reviews/{id}/decision", may(auth.ReviewFeeds), s.apiDecideFeedReview)
}

// harvester fetches feeds for "harvest now", as the server's job does.
func (s *Server) harvester() *orukio.Harvester {
	return &orukio.Harvester{Feeds: s.svc.Feeds, Orgs: s.svc.Organisations, Assets: s.svc.Assets, Docs: s.svc.ORUKDocuments, Atomically: s.svc.Atomically}
}

type feedsPage struct {
	Layout
	Feeds       []*linkwork.Feed
	Pager       pager
	Waiting     int
	CanManage   bool
	CanHarvest  bool
	Categories  []linkwork.Category
	Form        map[string]string
	Feed        *linkwork.Feed // the feed being edited, on its own page
	CategoryRow []int
}

// V is the value the form sent, or the feed's.
func (p *feedsPage) V(name string) string { return p.Form[name] }

// feedForm is a feed's registration as the form shows it.
func feedForm(f *linkwork.Feed) map[string]string {
	m := map[string]string{"name": f.Name, "url": f.URL, "every_hours": strconv.Itoa(f.EveryHours), "default_category": string(f.DefaultCategory), "trust": string(f.Trust), "version": strconv.Itoa(f.Version)}
	for i, c := range f.Categories {
		m[fmt.Sprintf("term-%d", i)] = c.Term
		m[fmt.Sprintf("category-%d", i)] = string(c.Category)
	}
	return m
}

var feedsNotices = map[string]string{
	"added":     "Feed registered: harvest it now, or it is harvested within the hour",
	"saved":     "Your changes to the feed are saved",
	"harvested": "Feed harvested: its last result is below",
	"failed":    "The harvest failed: the feed's error is below",
	"theirs":    "The feed's version is taken",
	"ours":      "The directory's version is kept",
}

func (s *Server) feedsPage(w http.ResponseWriter, r *http.Request) {
	p := &feedsPage{Layout: Layout{Notice: feedsNotices[r.URL.Query().Get("done")]}, Form: map[string]string{"every_hours": "24", "trust": string(linkwork.FeedNeedsReview)}}
	s.showFeeds(w, r, http.StatusOK, p)
}

func (s *Server) showFeeds(w http.ResponseWriter, r *http.Request, status int, p *feedsPage) {
	ctx := r.Context()
	u := currentUser(r)
	p.Title = "Neighbours' feeds"
	p.CanManage = auth.Can(u.Actor(), auth.ActionCreate, auth.Record{Kind: auth.KindFeed})
	p.CanHarvest = auth.Can(u.Actor(), auth.ActionHarvest, auth.Record{Kind: auth.KindFeed})
	p.Categories = linkwork.Categories
	p.CategoryRow = rows(feedCategoryRows)
	page := pageNumber(r.URL.Query().Get("page"))
	err := s.batch(ctx, func(ctx context.Context) error {
		feeds, total, err := s.svc.Feeds.FindFeeds(ctx, linkwork.FeedFilter{Offset: (page - 1) * feedsPageSize, Limit: feedsPageSize})
		if err != nil {
			return err
		}
		p.Feeds = feeds
		p.Pager = newPager(page, feedsPageSize, total, func(n int) string { return "/feeds?page=" + strconv.Itoa(n) })
		_, p.Waiting, err = s.svc.Feeds.FindFeedReviews(ctx, linkwork.FeedReviewFilter{Limit: 1})
		return err
	})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, status, "feeds", p)
}

func rows(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// feedFieldNames are the form's fields by the store's names.
func feedFieldNames() map[string]string {
	m := map[string]string{"name": "name", "url": "url", "every_hours": "every_hours", "default_category": "default_category", "trust": "trust"}
	for i := range feedCategoryRows + linkwork.MaxFeedCategories {
		m[fmt.Sprintf("categories[%d].term", i)] = fmt.Sprintf("term-%d", i)
		m[fmt.Sprintf("categories[%d].category", i)] = fmt.Sprintf("category-%d", i)
	}
	m["categories"] = "term-0"
	return m
}

// postedFeed reads the register and edit form. What cannot be read is a
// problem named after the form's field.
func postedFeed(r *http.Request) (*linkwork.Feed, linkwork.Problems) {
	var p linkwork.Problems
	f := &linkwork.Feed{Name: r.PostFormValue("name"), URL: r.PostFormValue("url"), DefaultCategory: linkwork.Category(r.PostFormValue("default_category")),
		Trust: linkwork.FeedTrust(r.PostFormValue("trust"))}
	if v := strings.TrimSpace(r.PostFormValue("every_hours")); v != "" {
		n, err := parseInt(v)
		if err != nil {
			p.Add("every_hours", "Enter how often in whole hours, like 24")
		}
		f.EveryHours = n
	}
	if v := r.PostFormValue("version"); v != "" {
		f.Version, _ = strconv.Atoi(v)
	}
	for i := range feedCategoryRows + len(r.PostForm) {
		term, cat := r.PostFormValue(fmt.Sprintf("term-%d", i)), r.PostFormValue(fmt.Sprintf("category-%d", i))
		if term == "" && cat == "" {
			if i >= feedCategoryRows {
				break
			}
			continue
		}
		f.Categories = append(f.Categories, linkwork.FeedCategory{Term: term, Category: linkwork.Category(cat)})
	}
	return f, p
}

func (s *Server) feedCreateSubmit(w http.ResponseWriter, r *http.Request) {
	f, problems := postedFeed(r)
	err := problems.Err()
	if err == nil {
		err = s.svc.Feeds.CreateFeed(r.Context(), f)
	}
	if err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		p := &feedsPage{Layout: Layout{Errors: renamedErrors(err, feedFieldNames(), "name")}, Form: postedForm(r)}
		s.showFeeds(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/feeds?done=added#feed-"+f.ID, http.StatusSeeOther)
}

func (s *Server) feedEditPage(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.Feeds.FindFeed(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.showFeedEdit(w, r, http.StatusOK, &feedsPage{Form: feedForm(f)}, f)
}

func (s *Server) showFeedEdit(w http.ResponseWriter, r *http.Request, status int, p *feedsPage, f *linkwork.Feed) {
	u := currentUser(r)
	p.Title = "Change " + f.Name + "'s feed"
	p.Feed = f
	p.CanManage = auth.Can(u.Actor(), auth.ActionUpdate, auth.Record{Kind: auth.KindFeed})
	p.Categories = linkwork.Categories
	p.CategoryRow = rows(max(feedCategoryRows, len(f.Categories)+2))
	s.render(w, r, status, "feed_edit", p)
}

func (s *Server) feedEditSubmit(w http.ResponseWriter, r *http.Request) {
	cur, err := s.svc.Feeds.FindFeed(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f, problems := postedFeed(r)
	f.ID = cur.ID
	err = problems.Err()
	if err == nil {
		err = s.svc.Feeds.UpdateFeed(r.Context(), f)
	}
	if err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		p := &feedsPage{Layout: Layout{Errors: renamedErrors(err, feedFieldNames(), "name")}, Form: postedForm(r)}
		if linkwork.ErrorCode(err) == linkwork.ECONFLICT {
			p.Form["version"] = strconv.Itoa(cur.Version)
		}
		s.showFeedEdit(w, r, ErrorStatus(err), p, cur)
		return
	}
	http.Redirect(w, r, "/feeds?done=saved#feed-"+f.ID, http.StatusSeeOther)
}

func (s *Server) feedHarvestSubmit(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.Feeds.FindFeed(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	run, err := s.harvester().Harvest(r.Context(), f)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	done := "harvested"
	if run.Err != "" {
		done = "failed"
	}
	http.Redirect(w, r, "/feeds?done="+done+"#feed-"+f.ID, http.StatusSeeOther)
}

// feedReviewsPage is the changes waiting for a curator, each with the
// feed's version and the directory's side by side.
type feedReviewsPage struct {
	Layout
	Reviews   []*linkwork.FeedReview
	Pager     pager
	CanDecide bool
}

// reviewRow is one thing a listing says, as the feed and the directory
// say it.
type reviewRow struct {
	Label, Theirs, Ours string
	Differs             bool
}

// Compare lays a review's two versions side by side.
func (p *feedReviewsPage) Compare(rv *linkwork.FeedReview) []reviewRow {
	say := func(a *linkwork.Asset, fn func(*linkwork.Asset) string) string {
		if a == nil {
			return ""
		}
		return fn(a)
	}
	var out []reviewRow
	for _, f := range []struct {
		label string
		fn    func(*linkwork.Asset) string
	}{
		{"Name", func(a *linkwork.Asset) string { return a.Name }},
		{"Description", func(a *linkwork.Asset) string { return a.Description }},
		{"Status", func(a *linkwork.Asset) string { return string(a.Status) }},
		{"Categories", func(a *linkwork.Asset) string {
			var l []string
			for _, c := range a.Categories {
				l = append(l, c.Label())
			}
			return strings.Join(l, ", ")
		}},
		{"Place", func(a *linkwork.Asset) string {
			if pl := a.Place(); pl != nil {
				return strings.TrimSpace(strings.Join([]string{pl.Name, pl.Address1, pl.City, pl.PostalCode}, " "))
			}
			return "Online or areas only"
		}},
		{"Ages", func(a *linkwork.Asset) string { return fmt.Sprintf("%d to %d", a.MinAge, a.MaxAge) }},
		{"Website", func(a *linkwork.Asset) string { return a.URL }},
		{"Email", func(a *linkwork.Asset) string { return a.Email }},
	} {
		t, o := say(rv.Theirs, f.fn), say(rv.Ours, f.fn)
		out = append(out, reviewRow{f.label, t, o, t != o})
	}
	return out
}

func (s *Server) feedReviewsPage(w http.ResponseWriter, r *http.Request) {
	p := &feedReviewsPage{Layout: Layout{Title: "Changes from feeds to review", Notice: feedsNotices[r.URL.Query().Get("done")]}}
	s.showFeedReviews(w, r, http.StatusOK, p)
}

func (s *Server) showFeedReviews(w http.ResponseWriter, r *http.Request, status int, p *feedReviewsPage) {
	p.CanDecide = auth.Can(currentUser(r).Actor(), auth.ActionDecide, auth.Record{Kind: auth.KindFeed})
	page := pageNumber(r.URL.Query().Get("page"))
	list, total, err := s.svc.Feeds.FindFeedReviews(r.Context(), linkwork.FeedReviewFilter{FeedID: r.URL.Query().Get("feed"), Offset: (page - 1) * feedReviewsPageSize, Limit: feedReviewsPageSize})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Reviews = list
	p.Pager = newPager(page, feedReviewsPageSize, total, func(n int) string { return "/feed-reviews?page=" + strconv.Itoa(n) })
	s.render(w, r, status, "feed_reviews", p)
}

func (s *Server) feedReviewSubmit(w http.ResponseWriter, r *http.Request) {
	choice := linkwork.FeedChoice(r.PostFormValue("choice"))
	if err := s.harvester().Resolve(r.Context(), r.PathValue("id"), choice); err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		p := &feedReviewsPage{Layout: Layout{Title: "Changes from feeds to review", Errors: renamedErrors(err, map[string]string{"choice": "choice-" + r.PathValue("id")}, "choice-"+r.PathValue("id"))}}
		s.showFeedReviews(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/feed-reviews?done="+string(choice), http.StatusSeeOther)
}

// CategoryOptions are the directory's categories to choose from.
func (p *feedsPage) CategoryOptions() []option {
	out := []option{{Value: "", Label: "Choose a category"}}
	for _, c := range p.Categories {
		out = append(out, option{Value: string(c), Label: c.Label()})
	}
	return out
}

// TrustOptions are what a harvest may do with what a feed brings.
func (p *feedsPage) TrustOptions() []option {
	return []option{
		{Value: string(linkwork.FeedNeedsReview), Label: linkwork.FeedNeedsReview.Label(), Hint: "New, changed and vanished listings wait for a coordinator to take them"},
		{Value: string(linkwork.FeedTrusted), Label: linkwork.FeedTrusted.Label(), Hint: "New and changed listings are published and vanished ones retired at once. A listing corrected here is still never overwritten"},
	}
}
