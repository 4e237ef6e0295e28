package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// orukGet fetches path anonymously and returns the status and body,
// failing unless the answer is JSON open to any origin.
func orukGet(t *testing.T, base, path string) (int, []byte) {
	t.Helper()
	req, err := http.NewRequest("GET", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	// As a browser sends it from another website.
	req.Header.Set("Origin", "https://another-directory.example")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		t.Errorf("GET %s: Access-Control-Allow-Origin %q, want *", path, got)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	return resp.StatusCode, body
}

type orukPageJSON struct {
	TotalItems int               `json:"total_items"`
	TotalPages int               `json:"total_pages"`
	PageNumber int               `json:"page_number"`
	Size       int               `json:"size"`
	FirstPage  bool              `json:"first_page"`
	LastPage   bool              `json:"last_page"`
	Empty      bool              `json:"empty"`
	Contents   []json.RawMessage `json:"contents"`
}

func TestORUKEndpoints(t *testing.T) {
	v, err := oruk.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		all, total, err := f.services.Assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		if total < 3 {
			t.Fatalf("the demo city has %d listings", total)
		}
		// A listing with a place, a category, ages and a session, to
		// aim the filters at.
		var a *linkwork.Asset
		for _, m := range all {
			x := m.Asset
			if x.Place() != nil && len(x.Schedules) > 0 && x.MinAge > 0 && x.MaxAge > 0 {
				a = x
				break
			}
		}
		if a == nil {
			t.Fatal("no listing with a place, a session and ages")
		}
		place := a.Place()
		sal := oruk.ServiceAtLocationID(a.ID, place.ID)
		term, _ := oruk.CategoryTerm(string(a.Categories[0]))
		sc := a.Schedules[0]
		day := strings.Split(sc.ByDay, ",")[0]
		day = day[len(day)-2:]
		unknown := "00000000-0000-4000-8000-000000000000"
		pc := url.QueryEscape(place.PostalCode)
		salTotal := 0
		for _, m := range all {
			salTotal += len(m.Asset.Locations)
		}
		lastPage := (total + 9) / 10

		type tc struct {
			path   string
			status int
			ep     oruk.Endpoint
			param  string                             // the parameter a 400 names
			check  func(t *testing.T, p orukPageJSON) // for a page
			// contains is an id the page must hold.
			contains string
		}
		hasItems := func(t *testing.T, p orukPageJSON) {
			if p.Empty || p.Size == 0 {
				t.Error("the page is empty")
			}
		}
		isEmpty := func(t *testing.T, p orukPageJSON) {
			if !p.Empty || p.Size != 0 || len(p.Contents) != 0 {
				t.Errorf("want an empty page, got %d items", p.Size)
			}
		}
		totalIs := func(n int) func(t *testing.T, p orukPageJSON) {
			return func(t *testing.T, p orukPageJSON) {
				if p.TotalItems != n {
					t.Errorf("total_items %d, want %d", p.TotalItems, n)
				}
			}
		}
		cases := []tc{
			{path: "/oruk/", status: 200, ep: oruk.EndpointRoot},
			{path: "/oruk", status: 200, ep: oruk.EndpointRoot},
			{path: "/oruk/services", status: 200, ep: oruk.EndpointServices, check: totalIs(total)},
			{path: "/oruk/services?page=1&per_page=10", status: 200, ep: oruk.EndpointServices, check: func(t *testing.T, p orukPageJSON) {
				if p.Size != 10 || !p.FirstPage || p.LastPage || p.TotalPages != lastPage {
					t.Errorf("first page: %+v", p)
				}
			}},
			{path: "/oruk/services?per_page=10&page=" + itoa(lastPage), status: 200, ep: oruk.EndpointServices, check: func(t *testing.T, p orukPageJSON) {
				if p.Size != total-(lastPage-1)*10 || !p.LastPage || p.PageNumber != lastPage {
					t.Errorf("last page: %+v", p)
				}
			}},
			{path: "/oruk/services?per_page=10&page=" + itoa(lastPage+1), status: 200, ep: oruk.EndpointServices, check: isEmpty},
			{path: "/oruk/services?page=999999", status: 200, ep: oruk.EndpointServices, check: isEmpty},
			{path: "/oruk/services?per_page=100", status: 200, ep: oruk.EndpointServices, check: hasItems},
			{path: "/oruk/services?page=0", status: 400, param: "page"},
			{path: "/oruk/services?page=-1", status: 400, param: "page"},
			{path: "/oruk/services?page=two", status: 400, param: "page"},
			{path: "/oruk/services?per_page=0", status: 400, param: "per_page"},
			{path: "/oruk/services?per_page=101", status: 200, ep: oruk.EndpointServices, check: func(t *testing.T, p orukPageJSON) {
				if p.Size != min(total, 100) || p.TotalPages != (total+99)/100 {
					t.Errorf("per_page=101 is not taken as 100: %+v", p)
				}
			}},
			{path: "/oruk/services?per_page=-5", status: 400, param: "per_page"},
			{path: "/oruk/services?search=" + url.QueryEscape(a.Name), status: 200, ep: oruk.EndpointServices, contains: a.ID},
			{path: "/oruk/services?search=zzqqxxnothing", status: 200, ep: oruk.EndpointServices, check: isEmpty},
			{path: "/oruk/services?per_page=100&taxonomy_term_id=" + term.ID, status: 200, ep: oruk.EndpointServices, contains: a.ID},
			{path: "/oruk/services?taxonomy_term_id=" + unknown, status: 200, ep: oruk.EndpointServices, check: isEmpty},
			{path: "/oruk/services?taxonomy_term_id=sports", status: 400, param: "taxonomy_term_id"},
			{path: "/oruk/services?taxonomy_id=" + oruk.CategoryTaxonomyID, status: 200, ep: oruk.EndpointServices, check: totalIs(total)},
			{path: "/oruk/services?taxonomy_id=" + unknown, status: 200, ep: oruk.EndpointServices, check: isEmpty},
			{path: "/oruk/services?taxonomy_id=x", status: 400, param: "taxonomy_id"},
			{path: "/oruk/services?per_page=100&minimum_age=" + itoa(a.MinAge), status: 200, ep: oruk.EndpointServices, contains: a.ID},
			{path: "/oruk/services?per_page=100&maximum_age=" + itoa(a.MaxAge), status: 200, ep: oruk.EndpointServices, contains: a.ID},
			{path: "/oruk/services?minimum_age=121", status: 400, param: "minimum_age"},
			{path: "/oruk/services?maximum_age=old", status: 400, param: "maximum_age"},
			{path: "/oruk/services?per_page=100&start_time=" + sc.OpensAt + ":00", status: 200, ep: oruk.EndpointServices, contains: a.ID},
			{path: "/oruk/services?per_page=100&end_time=" + sc.ClosesAt, status: 200, ep: oruk.EndpointServices, contains: a.ID},
			{path: "/oruk/services?start_time=25:00", status: 400, param: "start_time"},
			{path: "/oruk/services?end_time=noon", status: 400, param: "end_time"},
			{path: "/oruk/services?per_page=100&day=" + day, status: 200, ep: oruk.EndpointServices, contains: a.ID},
			{path: "/oruk/services?per_page=100&day=" + linkwork.WeekdayName(day), status: 200, ep: oruk.EndpointServices, contains: a.ID},
			{path: "/oruk/services?day=Funday", status: 400, param: "day"},
			{path: "/oruk/services/" + a.ID, status: 200, ep: oruk.EndpointService},
			{path: "/oruk/services/" + unknown, status: 404},
			{path: "/oruk/services/not-a-uuid", status: 400, param: "id"},
			{path: "/oruk/service_at_locations", status: 200, ep: oruk.EndpointServiceAtLocations, check: totalIs(salTotal)},
			{path: "/oruk/service_at_locations?per_page=100&page=999", status: 200, ep: oruk.EndpointServiceAtLocations, check: isEmpty},
			{path: "/oruk/service_at_locations?page=0", status: 400, param: "page"},
			{path: "/oruk/service_at_locations?per_page=1000", status: 200, ep: oruk.EndpointServiceAtLocations, check: func(t *testing.T, p orukPageJSON) {
				if p.Size != min(salTotal, 100) || p.TotalPages != (salTotal+99)/100 {
					t.Errorf("per_page=1000 is not taken as 100: %+v", p)
				}
			}},
			{path: "/oruk/service_at_locations?per_page=100&postcode=" + pc, status: 200, ep: oruk.EndpointServiceAtLocations, contains: sal},
			{path: "/oruk/service_at_locations?per_page=100&postcode=" + pc + "&proximity=5000", status: 200, ep: oruk.EndpointServiceAtLocations, contains: sal},
			{path: "/oruk/service_at_locations?per_page=100&search=" + url.QueryEscape(a.Name) + "&taxonomy_term_id=" + term.ID + "&day=" + day, status: 200, ep: oruk.EndpointServiceAtLocations, contains: sal},
			{path: "/oruk/service_at_locations?per_page=100&minimum_age=" + itoa(a.MinAge) + "&maximum_age=" + itoa(a.MaxAge) + "&start_time=" + sc.OpensAt + "&end_time=" + sc.ClosesAt, status: 200, ep: oruk.EndpointServiceAtLocations, contains: sal},
			{path: "/oruk/service_at_locations?taxonomy_id=" + unknown, status: 200, ep: oruk.EndpointServiceAtLocations, check: isEmpty},
			{path: "/oruk/service_at_locations?postcode=NOTAPOSTCODE", status: 400, param: "postcode"},
			{path: "/oruk/service_at_locations?postcode=ZZ99", status: 400, param: "postcode"},
			{path: "/oruk/service_at_locations?proximity=1000", status: 400, param: "proximity"},
			{path: "/oruk/service_at_locations?postcode=" + pc + "&proximity=far", status: 400, param: "proximity"},
			{path: "/oruk/service_at_locations?postcode=" + pc + "&proximity=-1", status: 400, param: "proximity"},
			{path: "/oruk/service_at_locations/" + sal, status: 200, ep: oruk.EndpointServiceAtLocation},
			{path: "/oruk/service_at_locations/" + unknown, status: 404},
			{path: "/oruk/service_at_locations/123", status: 400, param: "id"},
			{path: "/oruk/taxonomies", status: 200, ep: oruk.EndpointTaxonomies, contains: oruk.CategoryTaxonomyID},
			{path: "/oruk/taxonomies?page=2", status: 200, ep: oruk.EndpointTaxonomies, check: isEmpty},
			{path: "/oruk/taxonomies?per_page=0", status: 400, param: "per_page"},
			{path: "/oruk/taxonomies/" + oruk.CategoryTaxonomyID, status: 200, ep: oruk.EndpointTaxonomy},
			{path: "/oruk/taxonomies/" + unknown, status: 404},
			{path: "/oruk/taxonomies/abc", status: 400, param: "id"},
			{path: "/oruk/taxonomy_terms", status: 200, ep: oruk.EndpointTaxonomyTerms, contains: term.ID, check: totalIs(len(oruk.Terms()))},
			{path: "/oruk/taxonomy_terms?per_page=2&page=2", status: 200, ep: oruk.EndpointTaxonomyTerms, check: func(t *testing.T, p orukPageJSON) {
				if p.Size != 2 || p.FirstPage || p.PageNumber != 2 {
					t.Errorf("page 2: %+v", p)
				}
			}},
			{path: "/oruk/taxonomy_terms?page=50", status: 200, ep: oruk.EndpointTaxonomyTerms, check: isEmpty},
			{path: "/oruk/taxonomy_terms?taxonomy_id=" + unknown, status: 200, ep: oruk.EndpointTaxonomyTerms, check: isEmpty},
			{path: "/oruk/taxonomy_terms?page=-3", status: 400, param: "page"},
			{path: "/oruk/taxonomy_terms/" + term.ID, status: 200, ep: oruk.EndpointTaxonomyTerm},
			{path: "/oruk/taxonomy_terms/" + unknown, status: 404},
			{path: "/oruk/taxonomy_terms/x", status: 400, param: "id"},
			{path: "/oruk/organizations", status: 404},
		}
		for _, c := range cases {
			t.Run(c.path, func(t *testing.T) {
				status, body := orukGet(t, f.ts.URL, c.path)
				if status != c.status {
					t.Fatalf("status %d, want %d: %s", status, c.status, body)
				}
				if status != 200 {
					var e struct {
						Error struct {
							Code    string `json:"code"`
							Message string `json:"message"`
							Fields  []struct {
								Field string `json:"field"`
							} `json:"fields"`
						} `json:"error"`
					}
					if err := json.Unmarshal(body, &e); err != nil || e.Error.Message == "" {
						t.Fatalf("not a JSON error: %s", body)
					}
					if c.param != "" && (len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != c.param || !strings.Contains(e.Error.Message, c.param)) {
						t.Errorf("the error does not name %s: %s", c.param, body)
					}
					return
				}
				if err := v.Validate(c.ep, body); err != nil {
					t.Fatalf("%s does not validate: %v\n%s", c.ep, err, body)
				}
				if c.check == nil && c.contains == "" {
					return
				}
				var p orukPageJSON
				if err := json.Unmarshal(body, &p); err != nil {
					t.Fatal(err)
				}
				if c.check != nil {
					c.check(t, p)
				}
				if c.contains != "" {
					found := false
					for _, item := range p.Contents {
						var x struct {
							ID string `json:"id"`
						}
						_ = json.Unmarshal(item, &x)
						found = found || x.ID == c.contains
					}
					if !found {
						t.Errorf("the page does not hold %s", c.contains)
					}
				}
			})
		}

		// Every listing's full service validates, whatever it holds.
		for _, m := range all {
			status, body := orukGet(t, f.ts.URL, "/oruk/services/"+m.Asset.ID)
			if status != 200 {
				t.Fatalf("%s: status %d", m.Asset.ID, status)
			}
			if err := v.ValidateService(body); err != nil {
				t.Fatalf("service %s (%s) does not validate: %v", m.Asset.ID, m.Asset.Name, err)
			}
			// Contacts are named, never their email or phone: the UK
			// profile has no place for them.
			for _, c := range m.Asset.Contacts {
				for _, x := range []string{c.Email, c.Phone} {
					if x != "" && strings.Contains(string(body), x) {
						t.Errorf("service %s sends a contact's %q", m.Asset.Name, x)
					}
				}
			}
		}
		// Every page of service-at-locations validates.
		for page := 1; page <= (salTotal+99)/100; page++ {
			status, body := orukGet(t, f.ts.URL, "/oruk/service_at_locations?per_page=100&page="+itoa(page))
			if status != 200 {
				t.Fatalf("page %d: status %d", page, status)
			}
			if err := v.ValidateServiceAtLocationPage(body); err != nil {
				t.Fatalf("page %d does not validate: %v", page, err)
			}
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// Every term linkwork publishes finds exactly the listings it describes,
// counted here from the listings themselves; each taxonomy finds those
// filed under any of its terms; and every attribute of every service
// points at a term /oruk/taxonomy_terms lists.
func TestORUKTermsFindTheirListings(t *testing.T) {
	v, err := oruk.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		all, total, err := f.services.Assets.FindAssets(context.Background(), linkwork.AssetFilter{AnyStatus: true, Limit: 500})
		if err != nil || total > 500 {
			t.Fatalf("%d listings, %v", total, err)
		}
		describes := func(m oruk.Meaning, a *linkwork.Asset) bool {
			switch {
			case m.Category != "":
				return slices.Contains(a.Categories, linkwork.Category(m.Category))
			case m.HowToJoin != "":
				return string(a.HowToJoin) == m.HowToJoin
			case m.Welcome == oruk.WelcomeYouth:
				return a.YouthFriendly
			case m.Welcome == oruk.WelcomeBuddy:
				return a.BuddyWelcome
			}
			t.Fatalf("meaning %+v", m)
			return false
		}
		count := func(path string) int {
			t.Helper()
			status, body := orukGet(t, f.ts.URL, path)
			if status != 200 {
				t.Fatalf("%s: status %d: %s", path, status, body)
			}
			if err := v.Validate(oruk.EndpointServices, body); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			var p orukPageJSON
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			return p.TotalItems
		}
		published := map[string]bool{}
		nonzero := 0
		for _, tax := range oruk.Taxonomies() {
			status, body := orukGet(t, f.ts.URL, "/oruk/taxonomies/"+tax.ID)
			if status != 200 {
				t.Fatalf("taxonomy %s: %d", tax.Name, status)
			}
			if err := v.Validate(oruk.EndpointTaxonomy, body); err != nil {
				t.Fatalf("taxonomy %s: %v", tax.Name, err)
			}
			inTax := 0
			for _, m := range all {
				for _, term := range tax.TaxonomyTerms {
					mean, _ := oruk.MeaningOf(term.ID)
					if describes(mean, m.Asset) {
						inTax++
						break
					}
				}
			}
			if got := count("/oruk/services?per_page=1&taxonomy_id=" + tax.ID); got != inTax {
				t.Errorf("taxonomy %s finds %d listings, %d are filed under it", tax.Name, got, inTax)
			}
			for _, term := range tax.TaxonomyTerms {
				published[term.ID] = true
				mean, _ := oruk.MeaningOf(term.ID)
				want := 0
				for _, m := range all {
					if describes(mean, m.Asset) {
						want++
					}
				}
				if want > 0 {
					nonzero++
				}
				if got := count("/oruk/services?per_page=1&taxonomy_term_id=" + term.ID); got != want {
					t.Errorf("term %s (%s) finds %d listings, want %d", term.Name, tax.Name, got, want)
				}
				if got := count("/oruk/services?per_page=1&taxonomy_id=" + tax.ID + "&taxonomy_term_id=" + term.ID); got != want {
					t.Errorf("term %s in its own taxonomy finds %d listings, want %d", term.Name, got, want)
				}
			}
		}
		if nonzero < 8 {
			t.Errorf("only %d terms describe any demo listing: the demo city tests too little", nonzero)
		}
		for _, m := range all {
			_, body := orukGet(t, f.ts.URL, "/oruk/services/"+m.Asset.ID)
			var svc oruk.Service
			if err := json.Unmarshal(body, &svc); err != nil {
				t.Fatal(err)
			}
			if len(svc.Attributes) < 2 {
				t.Errorf("%s: %d attributes; every listing has a category and a way to join", m.Asset.Name, len(svc.Attributes))
			}
			for _, at := range svc.Attributes {
				if !published[at.TaxonomyTermID] {
					t.Errorf("%s: attribute term %s is not published", m.Asset.Name, at.TaxonomyTermID)
				}
			}
		}
	})
}
