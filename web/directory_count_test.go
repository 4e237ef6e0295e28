package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/ukpostcode"
)

// A search near a postcode that matches more listings than the directory
// counts (linkwork.DirectoryCountUpTo) says "More than 100 activities" on
// the page, numbers its pages without claiming how many there are, and
// still offers the next page; the API says that its total is a lower
// bound. Where the engine counts every match, both give the exact number.
// Either way the number shown is true.
func TestDirectorySaysHonestlyWhenItStoppedCounting(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
		// 150 listings about quoits within 2 km of LS6, and 450 more in
		// Manchester, loaded as the demo city is.
		some, _, err := f.services.Assets.FindAssets(ctx, linkwork.AssetFilter{Limit: 1})
		if err != nil || len(some) == 0 {
			t.Fatalf("no listing to take an organisation from (%v)", err)
		}
		l := sqlstore.NewLoader(ctx, db)
		for i := range 600 {
			lat, lon := 53.81+float64(i%10)*0.001, -1.57+float64(i/10%15)*0.001
			if i >= 150 {
				lat, lon = 53.48, -2.24
			}
			a := &linkwork.Asset{OrgID: some[0].Asset.OrgID, Name: fmt.Sprintf("Quoits club %03d", i), Description: "Throwing quoits, for all.",
				Categories: []linkwork.Category{linkwork.CategoryWellbeing}, Status: linkwork.AssetActive,
				HowToJoin: linkwork.JoinSelfRefer, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting},
				Locations: []linkwork.Location{{Type: linkwork.LocationPhysical, Name: "Hall", PostalCode: "LS6 1AA", Lat: lat, Lon: lon}}}
			if err := l.Asset(a); err != nil {
				t.Fatal(err)
			}
		}
		if err := l.Close("test"); err != nil {
			t.Fatal(err)
		}
		ls6, _ := ukpostcode.Lookup("LS6")
		_, exact, err := f.services.Assets.FindAssets(ctx, linkwork.AssetFilter{Query: "quoits", Near: &linkwork.Point{Lat: ls6.Lat, Lon: ls6.Lon}, Radius: 10000, Limit: 1})
		if err != nil || exact != 150 {
			t.Fatalf("%d listings about quoits within 10 km of LS6, want 150 (%v)", exact, err)
		}
		q := url.Values{"q": {"quoits"}, "postcode": {"LS6"}, "radius_km": {"10"}}

		status, body, _ := f.do(nil, "GET", "/directory?"+q.Encode(), "", "", nil)
		if status != 200 {
			t.Fatalf("the directory: %d", status)
		}
		capped := strings.Contains(body, `data-testid="result-count">More than 100 activities within 10 km of LS6</p>`)
		if !capped && !strings.Contains(body, `data-testid="result-count">150 activities within 10 km of LS6</p>`) {
			t.Errorf("the count is neither the number nor more than the bound:\n%s", between(body, `data-testid="result-count"`, "</p>"))
		}
		if db.Dialect() == "sqlite" && !capped {
			t.Error("SQLite counted every match of a search near a postcode")
		}
		if got := strings.Count(body, `data-testid="result"`); got != 25 {
			t.Errorf("%d results on the first page, want 25", got)
		}
		if !strings.Contains(body, `rel="next"`) {
			t.Error("no link to the next page")
		}
		if capped && strings.Contains(body, "Page 1 of") {
			t.Error("the pager claims a number of pages the search did not count")
		}
		if !capped && !strings.Contains(body, "Page 1 of 6") {
			t.Error("the pager does not say how many pages an exact count makes")
		}

		status, body, _ = f.do(nil, "GET", "/api/v1/assets?"+q.Encode()+"&limit=20&offset=100", "", "", nil)
		if status != 200 {
			t.Fatalf("the API: %d %s", status, body)
		}
		var v struct {
			Items          []json.RawMessage `json:"items"`
			Total          int               `json:"total"`
			TotalIsAtLeast *bool             `json:"total_is_at_least"`
		}
		if err := json.Unmarshal([]byte(body), &v); err != nil {
			t.Fatal(err)
		}
		if len(v.Items) != 20 {
			t.Errorf("%d items at offset 100, want 20", len(v.Items))
		}
		switch {
		case v.TotalIsAtLeast == nil:
			if v.Total != 150 || db.Dialect() == "sqlite" {
				t.Errorf("an exact total of %d, want 150 and a bound on SQLite", v.Total)
			}
		case !*v.TotalIsAtLeast:
			t.Error("total_is_at_least is false: it is left out when the total is exact")
		case v.Total <= 120 || v.Total > 150:
			t.Errorf("at least %d, which is not more than the page's end (120) and at most the 150 that match", v.Total)
		}
	})
}

// between is the text of s from the first start to the end after it.
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		return s[i:]
	}
	return s[i : i+j+len(end)]
}
