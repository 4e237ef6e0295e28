package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

func TestDirectoryPages(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		visitor := context.Background()
		today := linkwork.DateOf(f.cfg.Now)
		// A stale listing, and one with a bit of everything.
		stale, _, err := f.services.Assets.FindAssets(visitor, linkwork.AssetFilter{StaleOn: today, Limit: 1})
		if err != nil || len(stale) == 0 {
			t.Fatalf("no stale listing in the demo city (%v)", err)
		}
		all, _, err := f.services.Assets.FindAssets(visitor, linkwork.AssetFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		var rich *linkwork.Asset
		for _, m := range all {
			a := m.Asset
			if len(a.Contacts) > 0 && len(a.CostOptions) > 0 && len(a.Locations) > 1 && a.Capacity.Maximum != nil {
				rich = a
				break
			}
		}
		if rich == nil {
			t.Fatal("no listing in the demo city has contacts, costs, two locations and a number of places")
		}
		search := func(q url.Values) string { return "/directory?" + q.Encode() }

		for _, tt := range []struct {
			name   string
			role   linkwork.Role
			path   string
			status int
			want   []string
			not    []string
		}{
			{name: "the public, near a postcode", path: search(url.Values{"postcode": {"ls1"}, "radius_km": {"5"}}), status: http.StatusOK,
				want: []string{"within 5 km of LS1", " away</strong>", "Checked ", "Contains OS data"}, not: []string{"govuk-error-summary"}},
			{name: "a link worker: free football for 15-year-olds within 5 km", role: linkwork.RoleLinkWorker,
				path:   search(url.Values{"q": {"football"}, "age": {"15"}, "free": {"true"}, "postcode": {"LS1"}, "radius_km": {"5"}}),
				status: http.StatusOK, want: []string{"Northfield Youth Football Drop-in (11-17)", " away</strong>", `value="football"`, `value="15"`}},
			{name: "every filter at once", path: search(url.Values{"q": {"club"}, "category": {"social"}, "age": {"16"}, "day": {"WE"}, "time": {"18:00"}, "mode": {"in_person"},
				"how_to_join": {"drop_in"}, "accepting": {"true"}, "free": {"true"}, "sort": {"name"}}), status: http.StatusOK, want: []string{`data-testid="result-count"`}},
			{name: "youth-friendly, where a link worker can come along: the ticks stay ticked", role: linkwork.RoleLinkWorker,
				path: search(url.Values{"youth_friendly": {"true"}, "buddy_welcome": {"true"}}), status: http.StatusOK,
				want: []string{`id="youth_friendly" name="youth_friendly" type="checkbox" value="true" checked`, `id="buddy_welcome" name="buddy_welcome" type="checkbox" value="true" checked`, `data-testid="result-count"`}},
			{name: "a stale listing says so", path: search(url.Values{"q": {stale[0].Asset.Name}}), status: http.StatusOK,
				want: []string{htmlEscape(stale[0].Asset.Name), "May be out of date"}},
			{name: "the filters under Narrow it down start folded away, so results come first on a phone", path: search(url.Values{"q": {"football"}}), status: http.StatusOK,
				want: []string{`<details class="govuk-details govuk-!-margin-bottom-4" data-testid="narrow">`}, not: []string{`data-testid="no-results"`}},
			{name: "a filter in use shows the filters open", path: search(url.Values{"q": {"football"}, "free": {"true"}}), status: http.StatusOK,
				want: []string{`data-testid="narrow" open>`}},
			{name: "a search that finds nothing suggests fewer words, a wider distance and no filters, each a link",
				path: search(url.Values{"q": {"football zzqxv"}, "postcode": {"LS1"}, "radius_km": {"1"}, "free": {"true"}}), status: http.StatusOK,
				want: []string{`data-testid="no-results"`, `href="/directory?free=true&amp;postcode=LS1&amp;q=football&amp;radius_km=1"`, "Use fewer words",
					`href="/directory?free=true&amp;postcode=LS1&amp;q=football&#43;zzqxv&amp;radius_km=10"`, "within 10 km",
					`href="/directory?postcode=LS1&amp;q=football&#43;zzqxv&amp;radius_km=1"`, "Remove the filters"}},
			{name: "a postcode that is not one", path: search(url.Values{"postcode": {"hello"}}), status: http.StatusUnprocessableEntity,
				want: []string{"govuk-error-summary", `id="postcode-error"`, "Enter a real UK postcode", `href="#postcode"`}, not: []string{`data-testid="result-count"`}},
			{name: "a postcode we cannot place", path: search(url.Values{"postcode": {"ZZ99 9ZZ"}}), status: http.StatusUnprocessableEntity,
				want: []string{"We cannot find ZZ99 9ZZ", `id="postcode-error"`}},
			{name: "nearest first needs a postcode", path: search(url.Values{"sort": {"distance"}}), status: http.StatusUnprocessableEntity,
				want: []string{"To sort by distance, enter a postcode"}},
			{name: "an age that is not one", path: search(url.Values{"age": {"teen"}}), status: http.StatusUnprocessableEntity, want: []string{`id="age-error"`}},
			{name: "a time that is not one", path: search(url.Values{"time": {"6pm"}}), status: http.StatusUnprocessableEntity, want: []string{`id="time-error"`}},
			{name: "a listing shows everything it holds", path: "/directory/" + rich.ID, status: http.StatusOK,
				want: []string{htmlEscape(rich.Name), htmlEscape(rich.Locations[0].Name), htmlEscape(rich.Locations[1].Name), htmlEscape(rich.Contacts[0].Name),
					htmlEscape(rich.Contacts[0].Title), "places free", htmlEscape(strings.Join(rich.Languages, ", ")), rich.Locations[0].StateProvince, "Last checked"}},
			{name: "a listing, signed in", role: linkwork.RoleCoordinator, path: "/directory/" + rich.ID, status: http.StatusOK, want: []string{htmlEscape(rich.Name)}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				status, body, _ := f.do(f.clients[tt.role], "GET", tt.path, "", "", nil)
				if status != tt.status {
					t.Fatalf("GET %s: status %d, want %d", tt.path, status, tt.status)
				}
				for _, w := range tt.want {
					if !strings.Contains(body, w) {
						t.Errorf("GET %s does not show %q", tt.path, w)
					}
				}
				for _, w := range tt.not {
					if strings.Contains(body, w) {
						t.Errorf("GET %s shows %q", tt.path, w)
					}
				}
			})
		}
	})
}
