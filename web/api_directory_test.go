package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/ukpostcode"
)

// num reads a number from a decoded body, -1 when it is not there.
func num(v map[string]any, key string) float64 {
	n, ok := v[key].(float64)
	if !ok {
		return -1
	}
	return n
}

// fitsAge reports whether a listing takes someone of the age.
func fitsAge(x map[string]any, age float64) bool {
	lo, hi := num(x, "minimum_age"), num(x, "maximum_age")
	return (lo < 0 || lo <= age) && (hi < 0 || hi >= age)
}

// anySchedule reports whether one of a listing's sessions satisfies ok.
func anySchedule(x map[string]any, ok func(map[string]any) bool) bool {
	ss, _ := x["schedules"].([]any)
	for _, s := range ss {
		if ok(s.(map[string]any)) {
			return true
		}
	}
	return false
}

// names are the names of a list answer's items.
func names(v map[string]any) []string {
	var out []string
	for _, it := range listItems(v) {
		out = append(out, jsonStr(it, "name"))
	}
	return out
}

func TestDirectoryAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		ls1, _ := ukpostcode.Lookup("LS1")
		near := func(km float64) func(map[string]any) bool {
			return func(x map[string]any) bool { d := num(x, "distance"); return d >= 0 && d <= km*1000 }
		}
		total := func(path string) int {
			t.Helper()
			ans := a.send(t, apiCase{method: "GET", path: path})
			if ans.status != http.StatusOK {
				t.Fatalf("GET %s: %d %s", path, ans.status, ans.body)
			}
			return int(num(ans.v, "total"))
		}

		// fewerThan checks a filter leaves some listings out.
		fewerThan := func(all int) func(*testing.T, map[string]any) {
			return func(t *testing.T, v map[string]any) {
				if n := int(num(v, "total")); n >= all {
					t.Errorf("the filter finds %d of %d: it leaves none out", n, all)
				}
			}
		}

		t.Run("200", func(t *testing.T) {
			a.runTable(t, http.StatusOK, []apiCase{
				{name: "free football for a 15-year-old within 5 km of LS1", method: "GET", path: "/api/v1/assets?q=football&age=15&free=true&postcode=LS1&radius_km=5",
					check: eachItem("free, for 15-year-olds, within 5 km, about football", func(x map[string]any) bool {
						return x["free"] == true && fitsAge(x, 15) && near(5)(x) &&
							strings.Contains(strings.ToLower(jsonStr(x, "name")+" "+jsonStr(x, "description")), "football")
					})},
				{name: "the fixed free football drop-in is found", method: "GET", path: "/api/v1/assets?q=football&age=15&free=true&postcode=ls1&radius_km=5",
					check: func(t *testing.T, v map[string]any) {
						if !slices.Contains(names(v), "Northfield Youth Football Drop-in (11-17)") {
							t.Errorf("found %q", names(v))
						}
					}},
				{name: "nearest first", method: "GET", path: "/api/v1/assets?postcode=LS6+2AA&radius_km=3&sort=distance&limit=500",
					check: checkAll(eachItem("within 3 km", near(3)), func(t *testing.T, v map[string]any) {
						var ds []float64
						for _, it := range listItems(v) {
							ds = append(ds, num(it, "distance"))
						}
						if !sort.Float64sAreSorted(ds) {
							t.Errorf("distances %v are not nearest first", ds)
						}
					})},
				{name: "a point instead of a postcode", method: "GET", path: fmt.Sprintf("/api/v1/assets?lat=%v&lon=%v&radius_km=2", ls1.Lat, ls1.Lon),
					check: checkAll(eachItem("within 2 km", near(2)), wantJSON(map[string]any{"total": total("/api/v1/assets?postcode=LS1&radius_km=2")}))},
				{name: "online", method: "GET", path: "/api/v1/assets?mode=online&postcode=LS1",
					check: eachItem("online, with no distance", func(x map[string]any) bool { return x["online"] == true && num(x, "distance") < 0 })},
				{name: "in person", method: "GET", path: "/api/v1/assets?mode=in_person",
					check: eachItem("in person", func(x map[string]any) bool { return x["in_person"] == true })},
				{name: "on Wednesdays", method: "GET", path: "/api/v1/assets?day=WE&limit=500",
					check: eachItem("on a Wednesday", func(x map[string]any) bool {
						return anySchedule(x, func(s map[string]any) bool { return strings.Contains(jsonStr(s, "byday"), "WE") })
					})},
				{name: "open on Tuesdays at 18:00", method: "GET", path: "/api/v1/assets?day=TU&time=18:00&limit=500",
					check: eachItem("open then", func(x map[string]any) bool {
						return anySchedule(x, func(s map[string]any) bool {
							return strings.Contains(jsonStr(s, "byday"), "TU") && jsonStr(s, "opens_at") <= "18:00" && jsonStr(s, "closes_at") > "18:00"
						})
					})},
				{name: "referral needed", method: "GET", path: "/api/v1/assets?how_to_join=referral_required",
					check: eachItem("needing a referral", func(x map[string]any) bool { return x["how_to_join"] == "referral_required" })},
				{name: "taking people now", method: "GET", path: "/api/v1/assets?accepting=true&limit=500",
					check: eachItem("accepting", func(x map[string]any) bool {
						return jsonStr(x, "capacity.status") == "accepting" && x["status"] == "active"
					})},
				{name: "youth-friendly", method: "GET", path: "/api/v1/assets?youth_friendly=true&limit=500",
					check: checkAll(eachItem("youth-friendly", func(x map[string]any) bool { return x["youth_friendly"] == true }),
						fewerThan(total("/api/v1/assets?limit=500")))},
				{name: "a link worker can come along, near LS1", method: "GET", path: "/api/v1/assets?buddy_welcome=true&postcode=LS1&radius_km=10&limit=500",
					check: checkAll(eachItem("welcoming a link worker, within 10 km", func(x map[string]any) bool { return x["buddy_welcome"] == true && near(10)(x) }),
						fewerThan(total("/api/v1/assets?postcode=LS1&radius_km=10&limit=500")))},
				{name: "by name", method: "GET", path: "/api/v1/assets?q=club&sort=name&limit=500",
					check: func(t *testing.T, v map[string]any) {
						if n := names(v); len(n) < 2 || !slices.IsSorted(n) {
							t.Errorf("names %q are not in order", n)
						}
					}},
				{name: "a typing mistake", method: "GET", path: "/api/v1/assets?q=fotball&limit=500",
					check: func(t *testing.T, v map[string]any) {
						right := a.send(t, apiCase{method: "GET", path: "/api/v1/assets?q=football&limit=500"}).v
						if got, want := names(v), names(right); len(got) == 0 || !slices.Equal(got, want) {
							t.Errorf("fotball finds %d: %q; football finds %d", len(got), got, len(want))
						}
					}},
				{name: "a small radius", method: "GET", path: "/api/v1/assets?postcode=LS1&radius_km=0.5", check: func(t *testing.T, v map[string]any) {
					for _, it := range listItems(v) {
						if !near(0.5)(it) {
							t.Errorf("%s is %v m away", jsonStr(it, "name"), it["distance"])
						}
					}
				}},
				{name: "nothing near a postcode far away", method: "GET", path: "/api/v1/assets?postcode=TR19&radius_km=5", check: wantJSON(map[string]any{"total": 0})},
			})
		})

		t.Run("422", func(t *testing.T) {
			var cases []apiCase
			for _, q := range []struct{ query, field string }{
				{"postcode=hello", "postcode"},
				{"postcode=ZZ99+9ZZ", "postcode"},
				{"radius_km=0&postcode=LS1", "radius_km"},
				{"radius_km=-1&postcode=LS1", "radius_km"},
				{"radius_km=201&postcode=LS1", "radius_km"},
				{"radius_km=far&postcode=LS1", "radius_km"},
				{"sort=distance", "sort"},
				{"sort=distance&mode=online&postcode=LS1", "sort"},
				{"sort=nearest", "sort"},
				{"day=Monday", "day"},
				{"time=6pm", "time"},
				{"mode=hybrid", "mode"},
				{"how_to_join=carrier_pigeon", "how_to_join"},
				{"youth_friendly=yes", "youth_friendly"},
				{"buddy_welcome=1", "buddy_welcome"},
				{"lat=100&lon=0", "lat"},
				{"lat=53.8", "lon"},
			} {
				cases = append(cases, apiCase{method: "GET", path: "/api/v1/assets?" + q.query, field: q.field})
			}
			a.runTable(t, http.StatusUnprocessableEntity, cases)
			ans := a.send(t, apiCase{method: "GET", path: "/api/v1/assets?postcode=" + url.QueryEscape("ZZ99 9ZZ")})
			if msg := jsonStr(ans.v, "error.message"); !strings.Contains(msg, "ZZ99 9ZZ") {
				t.Errorf("the error %q does not say which postcode it could not find", msg)
			}
		})

		t.Run("versions", func(t *testing.T) {
			community := f.users[linkwork.RoleCommunity]
			all := listItems(a.send(t, apiCase{method: "GET", path: "/api/v1/assets?limit=500"}).v)
			var own, other string
			for _, it := range all {
				if jsonStr(it, "organization_id") == community.OrgID {
					own = jsonStr(it, "id")
				} else {
					other = jsonStr(it, "id")
				}
			}
			if own == "" || other == "" {
				t.Fatal("the demo city has no listing of the community login's organisation, or none of others")
			}
			first := func(t *testing.T, v map[string]any) {
				its := listItems(v)
				if len(its) != 1 || num(its[0], "version") != 1 || jsonStr(its[0], "changed_by") != "system" || jsonStr(its[0], "asset.id") == "" {
					t.Errorf("versions %v, want the loaded version 1", its)
				}
			}
			a.runTable(t, http.StatusOK, []apiCase{
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/assets/" + other + "/versions", check: first},
				{role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/assets/" + own + "/versions", check: first},
			})
			a.runTable(t, http.StatusForbidden, []apiCase{
				{name: "another organisation's listing", role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/assets/" + other + "/versions"},
				{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/assets/" + own + "/versions"},
			})
			a.runTable(t, http.StatusUnauthorized, []apiCase{{method: "GET", path: "/api/v1/assets/" + own + "/versions"}})
			a.runTable(t, http.StatusNotFound, []apiCase{{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/assets/" + missingID + "/versions"}})
		})
	})
}
