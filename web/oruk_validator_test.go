package web_test

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestORUKValidatorProcedure does what the official Open Referral UK
// validator does with a feed's base URL: it reads "/", then each paged
// endpoint's first page, the page in the middle and the last, checking
// each against the published schema and the paging against itself; then
// up to ten ids from those pages at each single-record endpoint. Every
// answer must validate against the published schemas (for
// /service_at_locations/{id}, both the profile's schema and the one the
// OpenAPI description names).
func TestORUKValidatorProcedure(t *testing.T) {
	v, err := oruk.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		get := func(t *testing.T, path string, e oruk.Endpoint) []byte {
			t.Helper()
			status, body := orukGet(t, f.ts.URL, path)
			if status != 200 {
				t.Fatalf("GET %s: %d %.300s", path, status, body)
			}
			if err := v.Validate(e, body); err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
			return body
		}
		get(t, "/oruk", oruk.EndpointRoot)

		lists := []struct {
			list, item oruk.Endpoint
			path       string
			min        int // the least the demo city must have, for the pages to differ
		}{
			{oruk.EndpointServices, oruk.EndpointService, "/oruk/services", 21},
			{oruk.EndpointServiceAtLocations, oruk.EndpointServiceAtLocation, "/oruk/service_at_locations", 21},
			{oruk.EndpointTaxonomies, oruk.EndpointTaxonomy, "/oruk/taxonomies", 3},
			{oruk.EndpointTaxonomyTerms, oruk.EndpointTaxonomyTerm, "/oruk/taxonomy_terms", 3},
		}
		for _, l := range lists {
			t.Run(string(l.list), func(t *testing.T) {
				// The default page size, and a small one so that first,
				// middle and last are three different pages.
				for _, per := range []string{"", "10", "1"} {
					q := url.Values{}
					if per != "" {
						q.Set("per_page", per)
					}
					read := func(page int) orukPageJSON {
						q.Set("page", itoa(page))
						var p orukPageJSON
						if err := json.Unmarshal(get(t, l.path+"?"+q.Encode(), l.list), &p); err != nil {
							t.Fatal(err)
						}
						if p.PageNumber != page {
							t.Errorf("page %d says it is page %d", page, p.PageNumber)
						}
						return p
					}
					first := read(1)
					if first.TotalItems < l.min {
						t.Fatalf("%d items: the demo city is too small to test paging", first.TotalItems)
					}
					if !first.FirstPage || first.TotalPages < 1 {
						t.Errorf("page 1: %+v", first)
					}
					last := first.TotalPages
					pages := map[int]orukPageJSON{1: first}
					for _, n := range []int{(last + 1) / 2, last} {
						pages[n] = read(n)
					}
					seen := map[string]bool{}
					var ids []string
					for n, p := range pages {
						if p.TotalItems != first.TotalItems || p.TotalPages != last {
							t.Errorf("page %d: %d items in %d pages, page 1 said %d in %d", n, p.TotalItems, p.TotalPages, first.TotalItems, last)
						}
						if p.LastPage != (n == last) || p.FirstPage != (n == 1) || p.Empty || p.Size != len(p.Contents) {
							t.Errorf("page %d of %d: %+v", n, last, p)
						}
						if n < last && p.Size != first.Size {
							t.Errorf("page %d holds %d, page 1 %d", n, p.Size, first.Size)
						}
						for _, c := range p.Contents {
							var x struct {
								ID string `json:"id"`
							}
							_ = json.Unmarshal(c, &x)
							if seen[x.ID] {
								t.Errorf("%s is on two pages", x.ID)
							}
							seen[x.ID] = true
							ids = append(ids, x.ID)
						}
					}
					if per != "" && last >= 3 && len(pages) != 3 {
						t.Errorf("first, middle and last are not three pages: %d", len(pages))
					}
					// Ten ids (or all there are) at the item endpoint.
					item := strings.TrimSuffix(l.path, "/") + "/"
					for i, id := range ids {
						if i == 10 {
							break
						}
						body := get(t, item+id, l.item)
						var x struct {
							ID string `json:"id"`
						}
						if err := json.Unmarshal(body, &x); err != nil || x.ID != id {
							t.Errorf("GET %s%s answers with %s", item, id, x.ID)
						}
					}
				}
			})
		}

		// A listing with every kind of thing the validator may meet:
		// the fullest of the demo city, read at every endpoint.
		all, _, err := f.services.Assets.FindAssets(context.Background(), linkwork.AssetFilter{AnyStatus: true, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range all {
			get(t, "/oruk/services/"+m.Asset.ID, oruk.EndpointService)
			for _, loc := range m.Asset.Locations {
				get(t, "/oruk/service_at_locations/"+oruk.ServiceAtLocationID(m.Asset.ID, loc.ID), oruk.EndpointServiceAtLocation)
			}
		}
	})
}
