package web_test

import (
	"cmp"
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/ukpostcode"
)

// orukIDs walks every page of an /oruk list with per_page items, and
// returns the items' ids in order, failing unless every page gives the
// same total, which is the number of ids.
func orukIDs(t *testing.T, base, path string, perPage int) []string {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	var ids []string
	total := -1
	for page := 1; ; page++ {
		status, body := orukGet(t, base, path+sep+"per_page="+itoa(perPage)+"&page="+itoa(page))
		if status != 200 {
			t.Fatalf("GET %s page %d: %d %s", path, page, status, body)
		}
		var p orukPageJSON
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		if total >= 0 && p.TotalItems != total {
			t.Fatalf("GET %s: page %d says %d items, page 1 said %d", path, page, p.TotalItems, total)
		}
		total = p.TotalItems
		for _, item := range p.Contents {
			var x struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(item, &x)
			ids = append(ids, x.ID)
		}
		if len(p.Contents) == 0 || len(ids) >= total {
			if len(ids) != total {
				t.Fatalf("GET %s: %d items on the pages, total_items %d", path, len(ids), total)
			}
			return ids
		}
	}
}

// The lists the store pages and filters (services by ages and session
// times, services at locations) give, page by page, exactly what reading
// every listing and filtering and paging in Go by the ORUK definitions
// gives.
func TestORUKPagesMatchTheDefinitions(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		every := func(filter linkwork.AssetFilter) []*linkwork.AssetMatch {
			var out []*linkwork.AssetMatch
			for filter.Offset = 0; ; filter.Offset += 500 {
				filter.Limit = 500
				list, total, err := f.services.Assets.FindAssets(ctx, filter)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, list...)
				if len(list) == 0 || len(out) >= total {
					return out
				}
			}
		}
		all := every(linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName})
		var a *linkwork.Asset
		for _, m := range all {
			if x := m.Asset; x.Place() != nil && len(x.Schedules) > 0 && x.MinAge > 0 && x.MaxAge > 0 {
				a = x
				break
			}
		}
		if a == nil {
			t.Fatal("no listing with a place, a session and ages")
		}
		sc := a.Schedules[0]
		day := strings.Split(sc.ByDay, ",")[0]
		day = day[len(day)-2:]

		// Services: the ORUK definitions, in Go.
		type svcCase struct {
			query          string
			minAge, maxAge float64 // -1: none
			start, end     string
			day            string
		}
		for _, c := range []svcCase{
			{"minimum_age=" + itoa(a.MinAge), float64(a.MinAge), -1, "", "", ""},
			{"maximum_age=" + itoa(a.MaxAge), -1, float64(a.MaxAge), "", "", ""},
			{"minimum_age=4.5&maximum_age=17.5", 4.5, 17.5, "", "", ""},
			{"maximum_age=0", -1, 0, "", "", ""},
			{"start_time=" + sc.OpensAt + ":00", -1, -1, sc.OpensAt, "", ""},
			{"end_time=" + sc.ClosesAt, -1, -1, "", sc.ClosesAt, ""},
			{"start_time=" + sc.OpensAt + "&end_time=" + sc.ClosesAt + "&day=" + day, -1, -1, sc.OpensAt, sc.ClosesAt, day},
			{"minimum_age=" + itoa(a.MinAge) + "&start_time=09:00&end_time=21:00", float64(a.MinAge), -1, "09:00", "21:00", ""},
		} {
			t.Run("services?"+c.query, func(t *testing.T) {
				var want []string
				for _, m := range all {
					x := m.Asset
					if c.minAge >= 0 && float64(x.MinAge) < c.minAge {
						continue
					}
					if c.maxAge >= 0 && (x.MaxAge == 0 || float64(x.MaxAge) > c.maxAge) {
						continue
					}
					if c.start != "" || c.end != "" || c.day != "" {
						if !slices.ContainsFunc(x.Schedules, func(s linkwork.Schedule) bool {
							return (c.day == "" || strings.Contains(s.ByDay, c.day)) &&
								(c.start == "" || s.OpensAt >= c.start) && (c.end == "" || s.ClosesAt <= c.end)
						}) {
							continue
						}
					}
					want = append(want, x.ID)
				}
				got := orukIDs(t, f.ts.URL, "/oruk/services?"+c.query, 100)
				if !slices.Equal(got, want) {
					t.Errorf("got %d services, want %d:\n got %v\nwant %v", len(got), len(want), got, want)
				}
			})
		}

		// Services at locations: each listing's locations in turn, in
		// the listing's order; near a postcode only its places within the
		// radius.
		place := a.Place()
		pc, err := linkwork.ParsePostcode(place.PostalCode)
		if err != nil {
			t.Fatal(err)
		}
		d, ok := ukpostcode.Lookup(pc.Outward)
		if !ok {
			t.Fatalf("no district %s", pc.Outward)
		}
		pt := linkwork.Point{Lat: d.Lat, Lon: d.Lon}
		if p, ok, err := f.services.Listings.PostcodePoint(ctx, place.PostalCode); err == nil && ok {
			pt = p
		}
		type salCase struct {
			query  string
			filter linkwork.AssetFilter
			near   bool
			// reach: a postcode alone also finds what reaches it from
			// elsewhere (online, or a service area naming it).
			reach bool
		}
		any := linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName}
		with := func(fn func(*linkwork.AssetFilter)) linkwork.AssetFilter {
			x := any
			fn(&x)
			return x
		}
		nearBy := func(radius float64, query string) linkwork.AssetFilter {
			return with(func(x *linkwork.AssetFilter) {
				x.Near, x.Radius, x.Mode, x.Sort = &pt, radius, linkwork.AttendInPerson, linkwork.SortDistance
				if query != "" {
					x.Query, x.Sort = query, linkwork.SortRelevance
				}
			})
		}
		word := strings.Fields(strings.ToLower(a.Name))[0]
		pcq := "postcode=" + url.QueryEscape(place.PostalCode)
		for _, c := range []salCase{
			{"", any, false, false},
			{"search=" + url.QueryEscape(word), with(func(x *linkwork.AssetFilter) { x.Query, x.Sort = word, linkwork.SortRelevance }), false, false},
			{"minimum_age=" + itoa(a.MinAge) + "&day=" + day, with(func(x *linkwork.AssetFilter) { x.MinAgeAtLeast, x.Day = linkwork.Int(a.MinAge), day }), false, false},
			{pcq, with(func(x *linkwork.AssetFilter) { x.Near, x.Radius = &pt, linkwork.DefaultRadius }), true, true},
			{pcq + "&proximity=1500", nearBy(1500, ""), true, false},
			{pcq + "&proximity=20000&search=" + url.QueryEscape(word), nearBy(20000, word), true, false},
		} {
			t.Run("service_at_locations?"+c.query, func(t *testing.T) {
				var want []string
				if c.reach {
					want = reachingSALs(all, pt, c.filter.Radius, reachNames(pc))
					inCircle := 0
					for _, m := range all {
						for _, l := range m.Asset.Locations {
							if l.Physical() && ukpostcode.Distance(pt.Lat, pt.Lon, l.Lat, l.Lon) <= c.filter.Radius {
								inCircle++
							}
						}
					}
					if len(want) == inCircle {
						t.Fatal("nothing reaches the postcode from outside the circle: the case tests too little")
					}
				}
				for _, m := range every(c.filter) {
					if c.reach {
						break
					}
					for _, l := range m.Asset.Locations {
						if c.near && (!l.Physical() || ukpostcode.Distance(pt.Lat, pt.Lon, l.Lat, l.Lon) > c.filter.Radius) {
							continue
						}
						want = append(want, oruk.ServiceAtLocationID(m.Asset.ID, l.ID))
					}
				}
				if len(want) == 0 {
					t.Fatal("the case finds nothing: aim it better")
				}
				for _, per := range []int{1, 7, 100} {
					got := orukIDs(t, f.ts.URL, "/oruk/service_at_locations?"+c.query, per)
					if !slices.Equal(got, want) {
						t.Errorf("per_page=%d: got %d, want %d:\n got %v\nwant %v", per, len(got), len(want), got, want)
					}
				}
			})
		}
	})
}

// reachNames are the names a service area reaching a postcode may give it:
// the postcode, its sector, district, area and the area's town.
func reachNames(pc linkwork.Postcode) []string {
	out := []string{pc.String()}
	if pc.Inward != "" {
		out = append(out, pc.Outward+" "+pc.Inward[:1])
	}
	area := pc.Outward
	for i, r := range pc.Outward {
		if r >= '0' && r <= '9' {
			area = pc.Outward[:i]
			break
		}
	}
	out = append(out, pc.Outward, area)
	if town := ukpostcode.AreaName(area); town != "" {
		out = append(out, town)
	}
	return out
}

// reachingSALs is, by the definition, what /service_at_locations with a
// postcode alone lists, of every listing (all, by name): first the
// listings with a place within radius of pt, nearest first, then those
// online or whose service area names the postcode (names), by name; of
// each, its places within the radius, its online locations, and, when
// its service area names the postcode, every location.
func reachingSALs(all []*linkwork.AssetMatch, pt linkwork.Point, radius float64, names []string) []string {
	type hit struct {
		a      *linkwork.Asset
		dist   float64
		near   bool
		covers bool
	}
	var hits []hit
	for _, m := range all {
		h := hit{a: m.Asset}
		for _, l := range m.Asset.Locations {
			if d := ukpostcode.Distance(pt.Lat, pt.Lon, l.Lat, l.Lon); l.Physical() && d <= radius && (!h.near || d < h.dist) {
				h.dist, h.near = d, true
			}
		}
		for _, ar := range m.Asset.ServiceAreas {
			h.covers = h.covers || slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(strings.Join(strings.Fields(ar), " "), n) })
		}
		if h.near || h.covers || m.Asset.Online() {
			hits = append(hits, h)
		}
	}
	slices.SortStableFunc(hits, func(x, y hit) int {
		switch {
		case x.near && !y.near:
			return -1
		case y.near && !x.near:
			return 1
		case x.near && x.dist != y.dist:
			return cmp.Compare(x.dist, y.dist)
		}
		return cmp.Or(strings.Compare(x.a.Name, y.a.Name), strings.Compare(x.a.ID, y.a.ID))
	})
	var out []string
	for _, h := range hits {
		for _, l := range h.a.Locations {
			if h.covers || !l.Physical() || ukpostcode.Distance(pt.Lat, pt.Lon, l.Lat, l.Lon) <= radius {
				out = append(out, oruk.ServiceAtLocationID(h.a.ID, l.ID))
			}
		}
	}
	return out
}
