package web

import (
	"context"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
)

// The Open Referral UK API: the nine GET endpoints of the UK profile under
// /oruk, public, anonymous and open to any origin. Lists carry every
// listing whatever its status (active, inactive, defunct, temporarily
// closed): the service's status field says which, so that a feed's
// consumers learn when a service closes.

// orukOpenAPIURL is the OpenAPI description the /oruk endpoints implement.
const orukOpenAPIURL = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/openapi.json"

// orukProfile names the profile the /oruk endpoints follow.
const orukProfile = "https://github.com/OpenReferralUK/uk-profile"

// ORUK paging: per_page defaults to orukPerPage and may be at most
// orukMaxPerPage.
const (
	orukPerPage    = 50
	orukMaxPerPage = 100
)

func (s *Server) registerORUK() {
	h := func(pattern string, f http.HandlerFunc) {
		s.handle("GET", pattern, public, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			f(w, r)
		})
	}
	h("/oruk", s.orukRoot) // a feed's base URL, as validators are given it
	h("/oruk/{$}", s.orukRoot)
	h("/oruk/services", s.orukServices)
	h("/oruk/services/{id}", s.orukService)
	h("/oruk/service_at_locations", s.orukServiceAtLocations)
	h("/oruk/service_at_locations/{id}", s.orukServiceAtLocation)
	h("/oruk/taxonomies", s.orukTaxonomies)
	h("/oruk/taxonomies/{id}", s.orukTaxonomy)
	h("/oruk/taxonomy_terms", s.orukTaxonomyTerms)
	h("/oruk/taxonomy_terms/{id}", s.orukTaxonomyTerm)
	s.mux.HandleFunc("/oruk/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		orukError(w, http.StatusNotFound, "not_found", "", "There is no Open Referral UK endpoint "+r.Method+" "+r.URL.Path)
	})
}

// orukError answers with the API's JSON error, naming the parameter at
// fault when there is one. (The ORUK OpenAPI description defines no error
// body; this is the one the rest of linkwork's API sends.)
func orukError(w http.ResponseWriter, status int, code, param, msg string) {
	body := apiErrorBody{Code: code, Message: msg}
	if param != "" {
		body.Fields = []linkwork.FieldError{{Field: param, Message: msg}}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, apiError{body})
}

// orukBad is a parameter the request got wrong.
type orukBad struct{ param, msg string }

func (e *orukBad) Error() string { return e.param + ": " + e.msg }

func (s *Server) orukFail(w http.ResponseWriter, r *http.Request, err error) {
	if b, ok := err.(*orukBad); ok {
		orukError(w, http.StatusBadRequest, "invalid", b.param, b.param+": "+b.msg)
		return
	}
	if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
		orukError(w, http.StatusNotFound, "not_found", "", linkwork.ErrorMessage(err))
		return
	}
	if linkwork.ErrorCode(err) == linkwork.EINVALID {
		// The store's names for what ORUK calls otherwise.
		fields := linkwork.ErrorFields(renameFields(err, map[string]string{"radius": "proximity", "near": "postcode", "query": "search"}))
		param, msg := "", linkwork.ErrorMessage(err)
		if len(fields) > 0 {
			param, msg = fields[0].Field, fields[0].Field+": "+fields[0].Message
		}
		orukError(w, http.StatusBadRequest, "invalid", param, msg)
		return
	}
	s.fail(w, r, true, err)
}

func (s *Server) orukRoot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, oruk.Root{Version: "3.0", Profile: orukProfile, OpenAPIURL: orukOpenAPIURL})
}

// orukQuery is a list request's parameters.
type orukQuery struct {
	page, perPage int
	filter        linkwork.AssetFilter
	none          bool // a taxonomy no listing is filed under: nothing matches
}

var orukDays = map[string]string{
	"mo": "MO", "monday": "MO", "tu": "TU", "tuesday": "TU", "we": "WE", "wednesday": "WE",
	"th": "TH", "thursday": "TH", "fr": "FR", "friday": "FR", "sa": "SA", "saturday": "SA", "su": "SU", "sunday": "SU",
}

// parseORUKPage reads page (1 to linkwork.MaxPage) and per_page (1 to
// orukMaxPerPage): any text at all is either a page or an orukBad naming
// the parameter.
func parseORUKPage(r *http.Request) (page, perPage int, err error) {
	v := r.URL.Query()
	page, perPage = 1, orukPerPage
	if x := v.Get("page"); x != "" {
		n, err := strconv.Atoi(x)
		if err != nil || n < 1 || n > linkwork.MaxPage {
			return 0, 0, &orukBad{"page", "must be a whole number from 1 to " + strconv.Itoa(linkwork.MaxPage)}
		}
		page = n
	}
	if x := v.Get("per_page"); x != "" {
		n, err := strconv.Atoi(x)
		if err != nil || n < 1 || n > orukMaxPerPage {
			return 0, 0, &orukBad{"per_page", "must be a whole number from 1 to " + strconv.Itoa(orukMaxPerPage)}
		}
		perPage = n
	}
	return page, perPage, nil
}

func (s *Server) parseORUKQuery(r *http.Request, withPlace bool) (*orukQuery, error) {
	v := r.URL.Query()
	q := &orukQuery{filter: linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName}}
	var err error
	if q.page, q.perPage, err = parseORUKPage(r); err != nil {
		return nil, err
	}
	if x := strings.TrimSpace(v.Get("search")); x != "" {
		q.filter.Query = x
		q.filter.Sort = linkwork.SortRelevance
	}
	if x := v.Get("taxonomy_term_id"); x != "" {
		if !orukio.IsUUID(x) {
			return nil, &orukBad{"taxonomy_term_id", "must be a UUID"}
		}
		m, ok := oruk.MeaningOf(x)
		switch {
		case !ok:
			q.none = true // no listing is filed under a term linkwork does not publish
		case m.Category != "":
			q.filter.Category = linkwork.Category(m.Category)
		case m.HowToJoin != "":
			q.filter.HowToJoin = linkwork.HowToJoin(m.HowToJoin)
		case m.Welcome == oruk.WelcomeYouth:
			q.filter.YouthFriendly = true
		case m.Welcome == oruk.WelcomeBuddy:
			q.filter.BuddyWelcome = true
		}
	}
	if x := v.Get("taxonomy_id"); x != "" {
		if !orukio.IsUUID(x) {
			return nil, &orukBad{"taxonomy_id", "must be a UUID"}
		}
		// Every listing has categories and a way to join; only some are
		// filed under a welcome or an LGA term.
		switch tax, ok := oruk.FindTaxonomy(x); {
		case !ok:
			q.none = true
		case tax.ID == oruk.WelcomeTaxonomyID:
			q.filter.AnyWelcome = true
		case tax.ID == oruk.LGATaxonomyID:
			for _, c := range oruk.Categories() {
				if c.LGA != nil {
					q.filter.AnyCategory = append(q.filter.AnyCategory, linkwork.Category(c.Key))
				}
			}
			if len(q.filter.AnyCategory) == 0 {
				q.none = true
			}
		}
	}
	// Ages are whole years: a minimum age of at least 7.5 is one of at
	// least 8, a maximum age of at most 7.5 one of at most 7.
	for _, p := range []struct {
		name  string
		dst   **int
		round func(float64) float64
	}{{"minimum_age", &q.filter.MinAgeAtLeast, math.Ceil}, {"maximum_age", &q.filter.MaxAgeAtMost, math.Floor}} {
		if x := v.Get(p.name); x != "" {
			n, err := strconv.ParseFloat(x, 64)
			if err != nil || n < 0 || n > linkwork.MaxAge {
				return nil, &orukBad{p.name, "must be an age from 0 to 120"}
			}
			*p.dst = linkwork.Int(int(p.round(n)))
		}
	}
	for _, p := range []struct {
		name string
		dst  *string
	}{{"start_time", &q.filter.OpensFrom}, {"end_time", &q.filter.ClosesBy}} {
		if x := v.Get(p.name); x != "" {
			t := x
			if len(t) == 8 && t[5:6] == ":" && t[6] >= '0' && t[6] <= '5' && t[7] >= '0' && t[7] <= '9' {
				t = t[:5]
			}
			if !linkwork.ValidClock(t) {
				return nil, &orukBad{p.name, "must be a 24-hour time like 18:30:00"}
			}
			*p.dst = t
		}
	}
	if x := v.Get("day"); x != "" {
		d, ok := orukDays[strings.ToLower(strings.TrimSpace(x))]
		if !ok {
			return nil, &orukBad{"day", "must be a day of the week, like Monday or MO"}
		}
		q.filter.Day = d
	}
	if !withPlace {
		return q, nil
	}
	pc, prox := strings.TrimSpace(v.Get("postcode")), v.Get("proximity")
	proximity := float64(linkwork.DefaultRadius)
	if prox != "" {
		if pc == "" {
			return nil, &orukBad{"proximity", "needs a postcode to measure from"}
		}
		n, err := strconv.ParseFloat(prox, 64)
		if err != nil || n <= 0 || n > linkwork.MaxRadius {
			return nil, &orukBad{"proximity", "must be a distance in metres from 1 to " + strconv.Itoa(linkwork.MaxRadius)}
		}
		proximity = n
	}
	if pc != "" {
		pt, _, err := s.searchPoint(r.Context(), pc)
		if err != nil {
			return nil, &orukBad{"postcode", linkwork.ErrorFields(err)[0].Message}
		}
		q.filter.Near, q.filter.Radius = pt, proximity
		q.filter.Mode = linkwork.AttendInPerson
		if q.filter.Query == "" {
			q.filter.Sort = linkwork.SortDistance
		}
	}
	return q, nil
}

// orgs looks up the organisations of assets, once each. The organisation
// service is for signed-in users; an ORUK organization's name and kind are
// public, so they are read as the system.
type orgCache struct {
	s    *Server
	ctx  context.Context
	seen map[string]*linkwork.Organisation
}

func (s *Server) newOrgCache(ctx context.Context) *orgCache {
	return &orgCache{s: s, ctx: linkwork.NewContext(ctx, linkwork.SystemActor("oruk")), seen: map[string]*linkwork.Organisation{}}
}

func (c *orgCache) of(a *linkwork.Asset) (*linkwork.Organisation, error) {
	if a.OrgID == "" || c.s.svc.Organisations == nil {
		return nil, nil
	}
	if o, ok := c.seen[a.OrgID]; ok {
		return o, nil
	}
	o, err := c.s.svc.Organisations.FindOrganisationByID(c.ctx, a.OrgID)
	if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
		o, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	c.seen[a.OrgID] = o
	return o, nil
}

func (c *orgCache) service(a *linkwork.Asset) (oruk.Service, error) {
	o, err := c.of(a)
	if err != nil {
		return oruk.Service{}, err
	}
	return orukio.Service(a, o), nil
}

// pageOf returns the page-th page (from 1) of perPage items of list:
// nothing for a page past the end, whatever the numbers.
func pageOf[T any](list []T, page, perPage int) []T {
	if page < 1 || perPage < 1 {
		return nil
	}
	pages := len(list) / perPage
	if len(list)%perPage != 0 {
		pages++
	}
	if page > pages {
		return nil
	}
	start := (page - 1) * perPage
	return list[start:min(start+perPage, len(list))]
}

func (s *Server) orukServices(w http.ResponseWriter, r *http.Request) {
	q, err := s.parseORUKQuery(r, false)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	var list []*linkwork.AssetMatch
	var total int
	if !q.none {
		f := q.filter
		f.Offset, f.Limit = (q.page-1)*q.perPage, q.perPage
		if list, total, err = s.svc.Assets.FindAssets(r.Context(), f); err != nil {
			s.orukFail(w, r, err)
			return
		}
	}
	orgs := s.newOrgCache(r.Context())
	out := make([]oruk.Service, 0, len(list))
	for _, m := range list {
		sv, err := orgs.service(m.Asset)
		if err != nil {
			s.orukFail(w, r, err)
			return
		}
		out = append(out, sv.ListItem())
	}
	writeJSON(w, http.StatusOK, oruk.NewPage(out, q.page, q.perPage, total))
}

// orukID reads the {id} of a single-record endpoint.
func orukID(r *http.Request) (string, error) {
	id := r.PathValue("id")
	if !orukio.IsUUID(id) {
		return "", &orukBad{"id", "must be a UUID"}
	}
	return strings.ToLower(id), nil
}

func (s *Server) orukService(w http.ResponseWriter, r *http.Request) {
	id, err := orukID(r)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	a, err := s.svc.Assets.FindAssetByID(r.Context(), id)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	sv, err := s.newOrgCache(r.Context()).service(a)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, sv)
}

// nestedSAL is a service's service-at-location i with the service (without
// its own service-at-locations) nested in it.
func nestedSAL(sv oruk.Service, i int) oruk.ServiceAtLocation {
	sal := sv.ServiceAtLocations[i]
	sv.ServiceAtLocations = nil
	sal.Service = &sv
	return sal
}

func (s *Server) orukServiceAtLocations(w http.ResponseWriter, r *http.Request) {
	q, err := s.parseORUKQuery(r, true)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	var list []*linkwork.LocationMatch
	var total int
	if !q.none {
		f := q.filter
		f.Offset, f.Limit = (q.page-1)*q.perPage, q.perPage
		if list, total, err = s.svc.Assets.FindLocations(r.Context(), f); err != nil {
			s.orukFail(w, r, err)
			return
		}
	}
	orgs := s.newOrgCache(r.Context())
	items := make([]oruk.ServiceAtLocation, 0, len(list))
	for _, m := range list {
		sv, err := orgs.service(m.Asset)
		if err != nil {
			s.orukFail(w, r, err)
			return
		}
		items = append(items, nestedSAL(sv, m.Location).ListItem())
	}
	writeJSON(w, http.StatusOK, oruk.NewPage(items, q.page, q.perPage, total))
}

func (s *Server) orukServiceAtLocation(w http.ResponseWriter, r *http.Request) {
	id, err := orukID(r)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	// A service-at-location's id is derived from its listing's and
	// location's; the store keeps it with the location.
	all, _, err := s.svc.Assets.FindAssets(r.Context(), linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, ServiceAtLocationID: id, Limit: 2})
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	for _, m := range all {
		for i, l := range m.Asset.Locations {
			if oruk.ServiceAtLocationID(m.Asset.ID, l.ID) != id {
				continue
			}
			sv, err := s.newOrgCache(r.Context()).service(m.Asset)
			if err != nil {
				s.orukFail(w, r, err)
				return
			}
			writeJSON(w, http.StatusOK, nestedSAL(sv, i).Respond())
			return
		}
	}
	s.orukFail(w, r, linkwork.Errorf(linkwork.ENOTFOUND, "There is no service at a location with id %s", id))
}

func (s *Server) orukTaxonomies(w http.ResponseWriter, r *http.Request) {
	page, perPage, err := parseORUKPage(r)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	all := oruk.Taxonomies()
	for i := range all {
		all[i].TaxonomyTerms = nil
	}
	writeJSON(w, http.StatusOK, oruk.NewPage(pageOf(all, page, perPage), page, perPage, len(all)))
}

func (s *Server) orukTaxonomy(w http.ResponseWriter, r *http.Request) {
	id, err := orukID(r)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	t, ok := oruk.FindTaxonomy(id)
	if !ok {
		s.orukFail(w, r, linkwork.Errorf(linkwork.ENOTFOUND, "There is no taxonomy with id %s", id))
		return
	}
	writeJSON(w, http.StatusOK, t)
}

func (s *Server) orukTaxonomyTerms(w http.ResponseWriter, r *http.Request) {
	page, perPage, err := parseORUKPage(r)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	all := oruk.Terms()
	if x := r.URL.Query().Get("taxonomy_id"); x != "" {
		if !orukio.IsUUID(x) {
			s.orukFail(w, r, &orukBad{"taxonomy_id", "must be a UUID"})
			return
		}
		all = slices.DeleteFunc(all, func(t oruk.TaxonomyTerm) bool { return !strings.EqualFold(t.TaxonomyID, x) })
	}
	writeJSON(w, http.StatusOK, oruk.NewPage(pageOf(all, page, perPage), page, perPage, len(all)))
}

func (s *Server) orukTaxonomyTerm(w http.ResponseWriter, r *http.Request) {
	id, err := orukID(r)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	if t, ok := oruk.FindTerm(id); ok {
		writeJSON(w, http.StatusOK, t)
		return
	}
	s.orukFail(w, r, linkwork.Errorf(linkwork.ENOTFOUND, "There is no taxonomy term with id %s", id))
}
