package web

import (
	"context"
	"errors"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/ukpostcode"
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

// ORUK paging: per_page defaults to orukPerPage; a larger one than
// orukMaxPerPage is taken as orukMaxPerPage (as the official validator
// expects: it is not refused).
const (
	orukPerPage    = 50
	orukMaxPerPage = 100
)

func (s *Server) registerORUK() {
	// orukCORS opens every /oruk answer to any origin.
	h := func(pattern string, f http.HandlerFunc) { s.handle("GET", pattern, public, f) }
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
	orukJSON(w, r, oruk.Root{Version: "3.0", Profile: orukProfile, OpenAPIURL: orukOpenAPIURL})
}

// orukQuery is a list request's parameters.
type orukQuery struct {
	page, perPage int
	filter        linkwork.AssetFilter
	none          bool // a taxonomy no listing is filed under: nothing matches
	ndjson        bool // format=ndjson: every result, one a line
	minimal       bool // minimal=true: every service's id and last_modified
	full          bool // full=true: fully nested items
}

// plain reports whether the query narrows the list at all: no filter but
// the default order, and listings of every status.
func (q *orukQuery) plain() bool {
	return !q.none && reflect.DeepEqual(q.filter, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName})
}

var orukDays = map[string]string{
	"mo": "MO", "monday": "MO", "tu": "TU", "tuesday": "TU", "we": "WE", "wednesday": "WE",
	"th": "TH", "thursday": "TH", "fr": "FR", "friday": "FR", "sa": "SA", "saturday": "SA", "su": "SU", "sunday": "SU",
}

// parseORUKPage reads page (1 to linkwork.MaxPage) and per_page (from 1;
// more than orukMaxPerPage is taken as orukMaxPerPage): any text at all is
// either a page or an orukBad naming the parameter.
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
		if err != nil && errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(strings.TrimSpace(x), "-") {
			n, err = orukMaxPerPage, nil // a huge number is a large one
		}
		if err != nil || n < 1 {
			return 0, 0, &orukBad{"per_page", "must be a whole number from 1 (pages hold at most " + strconv.Itoa(orukMaxPerPage) + ")"}
		}
		perPage = min(n, orukMaxPerPage)
	}
	return page, perPage, nil
}

func (s *Server) parseORUKQuery(r *http.Request, e oruk.Endpoint) (*orukQuery, error) {
	withPlace := e == oruk.EndpointServiceAtLocations
	v := r.URL.Query()
	q := &orukQuery{filter: linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName}}
	var err error
	if err := orukParamsApply(r, e); err != nil {
		return nil, err
	}
	if q.page, q.perPage, err = parseORUKPage(r); err != nil {
		return nil, err
	}
	if q.ndjson, err = parseORUKFormat(r); err != nil {
		return nil, err
	}
	if q.minimal, err = orukBool(r, "minimal"); err != nil {
		return nil, err
	}
	if q.full, err = orukBool(r, "full"); err != nil {
		return nil, err
	}
	if q.minimal {
		// Every service at once, with nothing but its id and date.
		for _, p := range []string{"page", "per_page", "full"} {
			if v.Has(p) {
				return nil, &orukBad{p, "does not apply with minimal=true, which lists every service's id and last_modified"}
			}
		}
	}
	if x := v.Get("modified_after"); x != "" {
		t, ok := parseORUKDateTime(x)
		if !ok {
			return nil, &orukBad{"modified_after", "must be a date-time like 2026-03-02T09:30:00Z, or a date like 2026-03-02"}
		}
		q.filter.ModifiedSince = t
	}
	if x := v.Get("organization_id"); x != "" {
		if !orukio.IsUUID(x) {
			return nil, &orukBad{"organization_id", "must be a UUID"}
		}
		q.filter.OrgID = strings.ToLower(x)
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
		if prox != "" {
			// Within a distance: places only.
			q.filter.Mode = linkwork.AttendInPerson
		} else {
			// A postcode alone: the places near it, then what reaches
			// it from elsewhere (online, or by a service area that
			// names it).
			q.filter.Reaching = postcodeReach(pc)
		}
		if q.filter.Query == "" {
			q.filter.Sort = linkwork.SortDistance
		}
	}
	return q, nil
}

// postcodeReach is the names a service area covering a postcode may give:
// the postcode, its sector, district and area, and the area's town ("LS6
// 1AA", "LS6 1", "LS6", "LS", "Leeds").
func postcodeReach(raw string) []string {
	pc, err := linkwork.ParsePostcode(raw)
	if err != nil {
		return nil
	}
	var out []string
	if pc.Inward != "" {
		out = append(out, pc.String(), pc.Outward+" "+pc.Inward[:1])
	}
	out = append(out, pc.Outward)
	area := pc.Outward
	if i := strings.IndexAny(area, "0123456789"); i > 0 {
		area = area[:i] // the letters: "LS" of "LS6"
	}
	if area != pc.Outward {
		out = append(out, area)
	}
	if town := ukpostcode.AreaName(area); town != "" {
		out = append(out, town)
	}
	return out
}

// orukListParams are the HSDS list parameters, and the endpoints of the
// UK profile each applies to. A request naming one where it does not
// apply is refused, naming it: none is ever silently ignored. (Parameters
// HSDS does not define, such as a cache-buster, are left alone.)
var orukListParams = map[string][]oruk.Endpoint{
	"search":           {oruk.EndpointServices, oruk.EndpointServiceAtLocations},
	"page":             {oruk.EndpointServices, oruk.EndpointServiceAtLocations, oruk.EndpointTaxonomies, oruk.EndpointTaxonomyTerms},
	"per_page":         {oruk.EndpointServices, oruk.EndpointServiceAtLocations, oruk.EndpointTaxonomies, oruk.EndpointTaxonomyTerms},
	"format":           {oruk.EndpointServices, oruk.EndpointServiceAtLocations, oruk.EndpointTaxonomies, oruk.EndpointTaxonomyTerms},
	"taxonomy_term_id": {oruk.EndpointServices, oruk.EndpointServiceAtLocations},
	"taxonomy_id":      {oruk.EndpointServices, oruk.EndpointServiceAtLocations, oruk.EndpointTaxonomyTerms},
	"minimum_age":      {oruk.EndpointServices, oruk.EndpointServiceAtLocations},
	"maximum_age":      {oruk.EndpointServices, oruk.EndpointServiceAtLocations},
	"start_time":       {oruk.EndpointServices, oruk.EndpointServiceAtLocations},
	"end_time":         {oruk.EndpointServices, oruk.EndpointServiceAtLocations},
	"day":              {oruk.EndpointServices, oruk.EndpointServiceAtLocations},
	"modified_after":   {oruk.EndpointServices, oruk.EndpointServiceAtLocations},
	"organization_id":  {oruk.EndpointServices, oruk.EndpointServiceAtLocations},
	"full":             {oruk.EndpointServices, oruk.EndpointServiceAtLocations},
	"minimal":          {oruk.EndpointServices},
	"postcode":         {oruk.EndpointServiceAtLocations},
	"proximity":        {oruk.EndpointServiceAtLocations},
	"full_service":     nil, // for /organizations, which the UK profile leaves out
}

// orukParamsApply refuses an HSDS list parameter that does not apply to
// endpoint e.
func orukParamsApply(r *http.Request, e oruk.Endpoint) error {
	v := r.URL.Query()
	names := make([]string, 0, len(v))
	for name := range v {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		eps, known := orukListParams[name]
		if !known || slices.Contains(eps, e) {
			continue
		}
		if len(eps) == 0 {
			return &orukBad{name, "is not supported: it applies to /organizations, which linkwork does not publish"}
		}
		where := make([]string, len(eps))
		for i, x := range eps {
			where[i] = string(x)
		}
		return &orukBad{name, "does not apply to " + string(e) + ": only to " + strings.Join(where, " and ")}
	}
	return nil
}

// parseORUKFormat reads format: json (the default) or ndjson, which sends
// every result, one JSON object a line, and takes no page.
func parseORUKFormat(r *http.Request) (ndjson bool, err error) {
	v := r.URL.Query()
	switch strings.ToLower(strings.TrimSpace(v.Get("format"))) {
	case "", "json":
		return false, nil
	case "ndjson":
		for _, p := range []string{"page", "per_page"} {
			if v.Has(p) {
				return false, &orukBad{p, "does not apply with format=ndjson, which sends every result"}
			}
		}
		return true, nil
	}
	return false, &orukBad{"format", "must be json or ndjson"}
}

// orukBool reads a boolean parameter: true or false (also 1 or 0).
func orukBool(r *http.Request, name string) (bool, error) {
	x := r.URL.Query().Get(name)
	if x == "" {
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(x)) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, &orukBad{name, "must be true or false"}
}

// parseORUKDateTime reads a date-time (RFC 3339, or without a zone, taken
// as UTC) or a date (its start, UTC).
func parseORUKDateTime(x string) (time.Time, bool) {
	x = strings.TrimSpace(x)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, x); err == nil {
			if t.Year() < 1 || t.Year() > 9999 {
				return time.Time{}, false
			}
			return t.UTC(), true
		}
	}
	return time.Time{}, false
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

// published maps listings to the services /oruk/services publishes:
// an imported listing as its feed sent it, with what was changed in
// linkwork since (orukio.Published), its kept documents read in one call.
func (c *orgCache) published(as []*linkwork.Asset) ([]oruk.Service, error) {
	return orukio.PublishedAll(c.ctx, c.s.svc.ORUKDocuments, as, c.of)
}

// docs reads the kept ORUK documents of listings, in one call.
func (c *orgCache) docs(as []*linkwork.Asset) (map[string]*linkwork.ORUKDocument, error) {
	if c.s.svc.ORUKDocuments == nil || len(as) == 0 {
		return nil, nil
	}
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	return c.s.svc.ORUKDocuments.FindORUKDocuments(c.ctx, ids)
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

// orukBatch is how many listings a stream (format=ndjson, minimal=true)
// reads at a time.
const orukBatch = 200

// orukMinimal is a service as minimal=true lists it: its id and when it
// last changed, for a harvester to tell what it must read again.
type orukMinimal struct {
	ID           string `json:"id"`
	LastModified string `json:"last_modified,omitempty"`
}

func (s *Server) orukServices(w http.ResponseWriter, r *http.Request) {
	q, err := s.parseORUKQuery(r, oruk.EndpointServices)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	orgs := s.newOrgCache(r.Context())
	// minimal is a listing as minimal=true carries it, with the
	// last_modified its full service has.
	minimal := func(a *linkwork.Asset, doc *linkwork.ORUKDocument) (orukMinimal, error) {
		o, err := orgs.of(a)
		if err != nil {
			return orukMinimal{}, err
		}
		return orukMinimal{ID: a.ID, LastModified: orukio.LastModified(a, o, doc)}, nil
	}
	// find reads the items at off, lim.
	find := func(off, lim int) ([]any, int, error) {
		if q.none {
			return nil, 0, nil
		}
		f := q.filter
		f.Offset, f.Limit = off, lim
		list, total, err := s.svc.Assets.FindAssets(r.Context(), f)
		if err != nil {
			return nil, 0, err
		}
		out := make([]any, 0, len(list))
		as := make([]*linkwork.Asset, len(list))
		for i, m := range list {
			as[i] = m.Asset
		}
		if q.minimal {
			docs, err := orgs.docs(as)
			if err != nil {
				return nil, 0, err
			}
			for _, a := range as {
				m, err := minimal(a, docs[a.ID])
				if err != nil {
					return nil, 0, err
				}
				out = append(out, m)
			}
			return out, total, nil
		}
		svs, err := orgs.published(as)
		if err != nil {
			return nil, 0, err
		}
		for _, sv := range svs {
			if q.full {
				out = append(out, sv)
			} else {
				out = append(out, sv.ListItem())
			}
		}
		return out, total, nil
	}
	switch {
	case q.ndjson:
		s.orukStream(w, r, func(batch int) ([]any, error) {
			items, _, err := find(batch*orukBatch, orukBatch)
			return items, err
		})
	case q.minimal:
		// Every service at once, as HSDS asks of minimal.
		all := []any{}
		for off := 0; ; off += orukBatch {
			items, total, err := find(off, orukBatch)
			if err != nil {
				s.orukFail(w, r, err)
				return
			}
			all = append(all, items...)
			if len(items) == 0 || off+orukBatch >= total {
				break
			}
		}
		orukJSON(w, r, all)
	default:
		items, total, err := find((q.page-1)*q.perPage, q.perPage)
		if err != nil {
			s.orukFail(w, r, err)
			return
		}
		orukJSON(w, r, oruk.NewPage(items, q.page, q.perPage, total))
	}
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
	svs, err := s.newOrgCache(r.Context()).published([]*linkwork.Asset{a})
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	orukJSON(w, r, svs[0])
}

// nestedSAL is the service-at-location of the listing's location i, as
// the service publishes it (found by its id: a feed's service may list
// places linkwork does not hold), with the service (without its own
// service-at-locations) nested in it.
func nestedSAL(sv oruk.Service, a *linkwork.Asset, i int) oruk.ServiceAtLocation {
	id := orukio.ServiceAtLocationID(a, i)
	if sal, ok := nestedSALByID(sv, id); ok {
		return sal
	}
	sv.ServiceAtLocations = nil
	return oruk.ServiceAtLocation{ID: id, ServiceID: sv.ID, Service: &sv}
}

// nestedSALByID is the service's service-at-location with this id, with
// the service nested in it as nestedSAL does.
func nestedSALByID(sv oruk.Service, id string) (oruk.ServiceAtLocation, bool) {
	for _, sal := range sv.ServiceAtLocations {
		if strings.EqualFold(sal.ID, id) {
			sv.ServiceAtLocations = nil
			sal.Service = &sv
			return sal, true
		}
	}
	return oruk.ServiceAtLocation{}, false
}

func (s *Server) orukServiceAtLocations(w http.ResponseWriter, r *http.Request) {
	q, err := s.parseORUKQuery(r, oruk.EndpointServiceAtLocations)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	orgs := s.newOrgCache(r.Context())
	find := func(off, lim int) ([]any, int, error) {
		if q.none {
			return nil, 0, nil
		}
		f := q.filter
		f.Offset, f.Limit = off, lim
		list, total, err := s.svc.Assets.FindLocations(r.Context(), f)
		if err != nil {
			return nil, 0, err
		}
		// Each as /oruk/services/{id} publishes its service.
		as := make([]*linkwork.Asset, len(list))
		for i, m := range list {
			as[i] = m.Asset
		}
		svs, err := orgs.published(as)
		if err != nil {
			return nil, 0, err
		}
		items := make([]any, 0, len(list))
		for i, m := range list {
			sal := nestedSAL(svs[i], m.Asset, m.Location)
			if !q.full {
				sal = sal.ListItem()
			}
			items = append(items, sal)
		}
		if !q.plain() || s.svc.ORUKDocuments == nil {
			return items, total, nil
		}
		// The whole list goes on, after the places linkwork holds, with
		// those a feed's service is published at that linkwork could not
		// place (no postcode it knows): GET /oruk/services/{id} lists
		// them, and a consumer reading every service at a location meets
		// them here too. A narrowed list leaves them out: they have no
		// place to be near, and linkwork did not file them by the
		// listing's terms.
		unplaced, more, err := s.svc.ORUKDocuments.FindUnplacedSALs(r.Context(), max(0, off-total), lim-len(items))
		if err != nil {
			return nil, 0, err
		}
		rest, err := unplacedItems(r, orgs, unplaced, q.full)
		if err != nil {
			return nil, 0, err
		}
		return append(items, rest...), total + more, nil
	}
	if q.ndjson {
		s.orukStream(w, r, func(batch int) ([]any, error) {
			items, _, err := find(batch*orukBatch, orukBatch)
			return items, err
		})
		return
	}
	items, total, err := find((q.page-1)*q.perPage, q.perPage)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	orukJSON(w, r, oruk.NewPage(items, q.page, q.perPage, total))
}

// unplacedItems are the services at locations of kept documents that
// linkwork holds no location for, each as /oruk/services/{id} publishes
// it; one whose listing has gone since is left out.
func unplacedItems(r *http.Request, orgs *orgCache, unplaced []linkwork.UnplacedSAL, full bool) ([]any, error) {
	var as []*linkwork.Asset
	index := map[string]int{}
	for _, u := range unplaced {
		if _, ok := index[u.AssetID]; ok {
			continue
		}
		a, err := orgs.s.svc.Assets.FindAssetByID(r.Context(), u.AssetID)
		if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		index[u.AssetID] = len(as)
		as = append(as, a)
	}
	svs, err := orgs.published(as)
	if err != nil {
		return nil, err
	}
	var items []any
	for _, u := range unplaced {
		i, ok := index[u.AssetID]
		if !ok {
			continue
		}
		if sal, ok := nestedSALByID(svs[i], u.ID); ok {
			if !full {
				sal = sal.ListItem()
			}
			items = append(items, sal)
		}
	}
	return items, nil
}

func (s *Server) orukServiceAtLocation(w http.ResponseWriter, r *http.Request) {
	id, err := orukID(r)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	// The store finds the listing by the id, kept beside each location
	// (its feed's, or one made from the listing's and location's ids) and
	// beside a feed's document; the service as published holds it.
	all, _, err := s.svc.Assets.FindAssets(r.Context(), linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, ServiceAtLocationID: id, Limit: 2})
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	as := make([]*linkwork.Asset, len(all))
	for i, m := range all {
		as[i] = m.Asset
	}
	svs, err := s.newOrgCache(r.Context()).published(as)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	for _, sv := range svs {
		if sal, ok := nestedSALByID(sv, id); ok {
			orukJSON(w, r, sal.Respond())
			return
		}
	}
	s.orukFail(w, r, linkwork.Errorf(linkwork.ENOTFOUND, "There is no service at a location with id %s", id))
}

// orukList answers a list the server holds whole (the taxonomies and
// their terms): a page of it, or every item with format=ndjson.
func orukList[T any](s *Server, w http.ResponseWriter, r *http.Request, all []T) {
	page, perPage, err := parseORUKPage(r)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	ndjson, err := parseORUKFormat(r)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	if ndjson {
		s.orukStream(w, r, func(batch int) ([]any, error) {
			if batch > 0 {
				return nil, nil
			}
			items := make([]any, len(all))
			for i, x := range all {
				items[i] = x
			}
			return items, nil
		})
		return
	}
	orukJSON(w, r, oruk.NewPage(pageOf(all, page, perPage), page, perPage, len(all)))
}

func (s *Server) orukTaxonomies(w http.ResponseWriter, r *http.Request) {
	if err := orukParamsApply(r, oruk.EndpointTaxonomies); err != nil {
		s.orukFail(w, r, err)
		return
	}
	all := oruk.Taxonomies()
	for i := range all {
		all[i].TaxonomyTerms = nil
	}
	orukList(s, w, r, all)
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
	orukJSON(w, r, t)
}

func (s *Server) orukTaxonomyTerms(w http.ResponseWriter, r *http.Request) {
	if err := orukParamsApply(r, oruk.EndpointTaxonomyTerms); err != nil {
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
	orukList(s, w, r, all)
}

func (s *Server) orukTaxonomyTerm(w http.ResponseWriter, r *http.Request) {
	id, err := orukID(r)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	if t, ok := oruk.FindTerm(id); ok {
		orukJSON(w, r, t)
		return
	}
	s.orukFail(w, r, linkwork.Errorf(linkwork.ENOTFOUND, "There is no taxonomy term with id %s", id))
}
