package web

import (
	"net/http"

	linkwork "github.com/linkwork/linkwork"
)

func (s *Server) apiFeeds(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Feeds.FindFeeds(r.Context(), linkwork.FeedFilter{Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[feedJSON]{Items: mapSlice(list, feedOut), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiCreateFeed(w http.ResponseWriter, r *http.Request) {
	var in feedIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	f := feedFrom(in)
	if err := s.svc.Feeds.CreateFeed(r.Context(), f); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/feeds")
	writeJSON(w, http.StatusCreated, feedOut(f))
}

// apiHarvestFeed harvests a feed now and says what it did: a feed that
// could not be read is still a 200, its error in the run (and on the
// feed), since the request itself did what it asked.
func (s *Server) apiHarvestFeed(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.Feeds.FindFeed(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	run, err := s.harvester().Harvest(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, feedRunOut(run))
}

func (s *Server) apiFeedReviews(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Feeds.FindFeedReviews(r.Context(), linkwork.FeedReviewFilter{FeedID: r.URL.Query().Get("feed_id"), Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	today := linkwork.DateOf(s.cfg.Now().In(ukTime))
	writeJSON(w, http.StatusOK, listOut[feedReviewJSON]{Items: mapSlice(list, func(rv *linkwork.FeedReview) feedReviewJSON { return feedReviewOut(rv, today) }), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiDecideFeedReview(w http.ResponseWriter, r *http.Request) {
	var in feedDecisionIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.harvester().Resolve(r.Context(), r.PathValue("id"), in.Choice); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiFeed(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.Feeds.FindFeed(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, feedOut(f))
}

// apiUpdateFeed replaces a feed's registration at its version.
func (s *Server) apiUpdateFeed(w http.ResponseWriter, r *http.Request) {
	var in feedUpdateIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	f := feedFrom(feedIn{Name: in.Name, URL: in.URL, EveryHours: in.EveryHours, DefaultCategory: in.DefaultCategory, Categories: in.Categories, Trust: in.Trust})
	f.ID, f.Version = r.PathValue("id"), in.Version
	if err := s.svc.Feeds.UpdateFeed(r.Context(), f); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, feedOut(f))
}
