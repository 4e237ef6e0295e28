package web_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// orukDo sends a request to an /oruk path with the headers given, and
// returns the response with its body read as sent (not decompressed).
func orukDo(t *testing.T, base, method, path string, headers map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Without this, Go's client asks for gzip itself and hides it.
	req.Header.Set("Accept-Encoding", "identity")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

// orukErrorField reads the parameter an /oruk error names.
func orukErrorField(t *testing.T, body []byte) string {
	t.Helper()
	var e struct {
		Error struct {
			Message string `json:"message"`
			Fields  []struct {
				Field string `json:"field"`
			} `json:"fields"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Message == "" {
		t.Fatalf("not a JSON error: %s", body)
	}
	if len(e.Error.Fields) == 0 {
		return ""
	}
	return e.Error.Fields[0].Field
}

// The HTTP a browser on another directory's site and a harvester use:
// preflight, methods, cross-site refusals, ETags and gzip.
func TestORUKProtocol(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		all, _, err := f.services.Assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Limit: 1})
		if err != nil || len(all) == 0 {
			t.Fatal(err)
		}
		a := all[0].Asset
		sal := oruk.ServiceAtLocationID(a.ID, a.Locations[0].ID)
		term := oruk.Terms()[0]
		paths := []string{"/oruk", "/oruk/", "/oruk/services", "/oruk/services/" + a.ID, "/oruk/service_at_locations",
			"/oruk/service_at_locations/" + sal, "/oruk/taxonomies", "/oruk/taxonomies/" + term.TaxonomyID,
			"/oruk/taxonomy_terms", "/oruk/taxonomy_terms/" + term.ID}

		t.Run("a preflight is answered 204 with what may be asked", func(t *testing.T) {
			for _, p := range paths {
				resp, body := orukDo(t, f.ts.URL, "OPTIONS", p, map[string]string{
					"Origin": "https://another-directory.example", "Access-Control-Request-Method": "GET",
					"Access-Control-Request-Headers": "if-none-match, x-requested-with",
				})
				h := resp.Header
				if resp.StatusCode != http.StatusNoContent || len(body) != 0 {
					t.Fatalf("OPTIONS %s: %d %s", p, resp.StatusCode, body)
				}
				if h.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(h.Get("Access-Control-Allow-Methods"), "GET") ||
					h.Get("Access-Control-Allow-Headers") != "if-none-match, x-requested-with" || h.Get("Access-Control-Max-Age") == "" || h.Get("Allow") != "GET, HEAD, OPTIONS" {
					t.Errorf("OPTIONS %s: headers %v", p, h)
				}
			}
			resp, body := orukDo(t, f.ts.URL, "OPTIONS", "/oruk/organizations", nil)
			if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("OPTIONS of no endpoint: %d %s", resp.StatusCode, body)
			}
		})

		t.Run("another method is 405 with Allow", func(t *testing.T) {
			for _, p := range paths {
				for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
					resp, body := orukDo(t, f.ts.URL, m, p, nil)
					if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "GET, HEAD, OPTIONS" ||
						resp.Header.Get("Access-Control-Allow-Origin") != "*" {
						t.Errorf("%s %s: %d, Allow %q: %s", m, p, resp.StatusCode, resp.Header.Get("Allow"), body)
					}
					orukErrorField(t, body)
				}
			}
			resp, _ := orukDo(t, f.ts.URL, "POST", "/oruk/organizations", nil)
			if resp.StatusCode != http.StatusNotFound {
				t.Errorf("POST to no endpoint: %d", resp.StatusCode)
			}
		})

		t.Run("a browser's POST from another site is refused, open to any origin", func(t *testing.T) {
			resp, body := orukDo(t, f.ts.URL, "POST", "/oruk/services", map[string]string{
				"Origin": "https://another-directory.example", "Sec-Fetch-Site": "cross-site"})
			if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
				t.Errorf("%d, Access-Control-Allow-Origin %q: %s", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"), body)
			}
			orukErrorField(t, body)
		})

		t.Run("every answer has an ETag; If-None-Match gets 304", func(t *testing.T) {
			for _, p := range paths {
				resp, body := orukDo(t, f.ts.URL, "GET", p, nil)
				etag := resp.Header.Get("ETag")
				if resp.StatusCode != 200 || etag == "" || resp.Header.Get("Access-Control-Expose-Headers") != "ETag" {
					t.Fatalf("GET %s: %d, ETag %q", p, resp.StatusCode, etag)
				}
				again, _ := orukDo(t, f.ts.URL, "GET", p, nil)
				if again.Header.Get("ETag") != etag {
					t.Errorf("GET %s: the ETag changed with nothing else: %s, %s", p, etag, again.Header.Get("ETag"))
				}
				for _, inm := range []string{etag, `"x", ` + etag, strings.TrimPrefix(etag, "W/"), "*"} {
					resp, b := orukDo(t, f.ts.URL, "GET", p, map[string]string{"If-None-Match": inm})
					if resp.StatusCode != http.StatusNotModified || len(b) != 0 || resp.Header.Get("ETag") != etag {
						t.Errorf("GET %s If-None-Match %s: %d, %d bytes", p, inm, resp.StatusCode, len(b))
					}
				}
				resp, b := orukDo(t, f.ts.URL, "GET", p, map[string]string{"If-None-Match": `W/"something-else"`})
				if resp.StatusCode != 200 || !bytes.Equal(b, body) {
					t.Errorf("GET %s with another ETag: %d", p, resp.StatusCode)
				}
			}
			// A change to a listing changes its answers' ETags.
			resp, _ := orukDo(t, f.ts.URL, "GET", "/oruk/services/"+a.ID, nil)
			a.Description += " Now on Sundays too."
			if err := f.services.Assets.UpdateAsset(linkwork.NewContext(ctx, linkwork.SystemActor("test")), a); err != nil {
				t.Fatal(err)
			}
			after, _ := orukDo(t, f.ts.URL, "GET", "/oruk/services/"+a.ID, map[string]string{"If-None-Match": resp.Header.Get("ETag")})
			if after.StatusCode != 200 || after.Header.Get("ETag") == resp.Header.Get("ETag") {
				t.Errorf("after a change: %d, ETag %s", after.StatusCode, after.Header.Get("ETag"))
			}
		})

		t.Run("gzip for a reader that accepts it", func(t *testing.T) {
			for _, p := range []string{"/oruk/services?per_page=100", "/oruk/service_at_locations?per_page=100", "/oruk/services/" + a.ID, "/oruk/taxonomy_terms"} {
				_, plain := orukDo(t, f.ts.URL, "GET", p, nil)
				for _, ae := range []string{"gzip", "br, gzip;q=0.8", "*", "GZIP, deflate"} {
					resp, zipped := orukDo(t, f.ts.URL, "GET", p, map[string]string{"Accept-Encoding": ae})
					if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
						t.Fatalf("GET %s Accept-Encoding %s: Content-Encoding %q", p, ae, resp.Header.Get("Content-Encoding"))
					}
					zr, err := gzip.NewReader(bytes.NewReader(zipped))
					if err != nil {
						t.Fatal(err)
					}
					got, err := io.ReadAll(zr)
					if err != nil || !bytes.Equal(got, plain) {
						t.Fatalf("GET %s: the gzipped answer is not the plain one (%v)", p, err)
					}
					if len(zipped) >= len(plain) {
						t.Errorf("GET %s: gzipped %d bytes, plain %d", p, len(zipped), len(plain))
					}
				}
				for _, ae := range []string{"identity", "gzip;q=0", "br"} {
					resp, _ := orukDo(t, f.ts.URL, "GET", p, map[string]string{"Accept-Encoding": ae})
					if resp.Header.Get("Content-Encoding") != "" {
						t.Errorf("GET %s Accept-Encoding %s: Content-Encoding %q", p, ae, resp.Header.Get("Content-Encoding"))
					}
				}
			}
		})
	})
}

// The optional HSDS parameters: each works, or is refused naming it.
func TestORUKOptionalParameters(t *testing.T) {
	v, err := oruk.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		all, total, err := f.services.Assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, Limit: 500})
		if err != nil || total > 500 {
			t.Fatal(total, err)
		}
		salTotal := 0
		for _, m := range all {
			salTotal += len(m.Asset.Locations)
		}
		page := func(t *testing.T, path string, ep oruk.Endpoint) orukPageJSON {
			t.Helper()
			status, body := orukGet(t, f.ts.URL, path)
			if status != 200 {
				t.Fatalf("GET %s: %d %s", path, status, body)
			}
			if err := v.Validate(ep, body); err != nil {
				t.Fatalf("GET %s: %v", path, err)
			}
			var p orukPageJSON
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		ids := func(p orukPageJSON, field string) []string {
			var out []string
			for _, c := range p.Contents {
				var x map[string]any
				_ = json.Unmarshal(c, &x)
				s, _ := x[field].(string)
				out = append(out, s)
			}
			return out
		}

		t.Run("modified_after", func(t *testing.T) {
			// The median change: about half are on or after it.
			times := make([]time.Time, 0, len(all))
			for _, m := range all {
				times = append(times, m.Asset.UpdatedAt)
			}
			slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })
			since := times[len(times)/2]
			want := 0
			for _, m := range all {
				if !m.Asset.UpdatedAt.Before(since) {
					want++
				}
			}
			if want == 0 || want == total {
				t.Fatalf("%d of %d: aim better", want, total)
			}
			for _, form := range []string{oruk.FormatDateTime(since), since.Format(time.RFC3339Nano), since.UTC().Format("2006-01-02T15:04:05.000000")} {
				p := page(t, "/oruk/services?per_page=100&modified_after="+url.QueryEscape(form), oruk.EndpointServices)
				if p.TotalItems != want {
					t.Errorf("modified_after=%s: %d, want %d", form, p.TotalItems, want)
				}
			}
			p := page(t, "/oruk/service_at_locations?per_page=100&modified_after="+url.QueryEscape(oruk.FormatDateTime(since)), oruk.EndpointServiceAtLocations)
			if p.TotalItems == 0 || p.TotalItems >= salTotal {
				t.Errorf("service_at_locations modified_after: %d of %d", p.TotalItems, salTotal)
			}
			day := page(t, "/oruk/services?modified_after=2000-01-01", oruk.EndpointServices)
			if day.TotalItems != total {
				t.Errorf("modified_after a date long ago: %d of %d", day.TotalItems, total)
			}
		})

		t.Run("organization_id", func(t *testing.T) {
			org := all[0].Asset.OrgID
			want := 0
			for _, m := range all {
				if m.Asset.OrgID == org {
					want++
				}
			}
			p := page(t, "/oruk/services?per_page=100&organization_id="+strings.ToUpper(org), oruk.EndpointServices)
			if p.TotalItems != want || len(p.Contents) != want {
				t.Errorf("organization_id: %d, want %d", p.TotalItems, want)
			}
			for _, got := range ids(p, "organization_id") {
				if got != org {
					t.Errorf("a service of organisation %s", got)
				}
			}
			if p := page(t, "/oruk/services?organization_id=00000000-0000-4000-8000-000000000000", oruk.EndpointServices); p.TotalItems != 0 {
				t.Errorf("an unknown organisation has %d services", p.TotalItems)
			}
			if p := page(t, "/oruk/service_at_locations?per_page=100&organization_id="+org, oruk.EndpointServiceAtLocations); p.TotalItems < want {
				t.Errorf("service_at_locations of the organisation: %d", p.TotalItems)
			}
		})

		t.Run("minimal: every service's id and last_modified at once", func(t *testing.T) {
			status, body := orukGet(t, f.ts.URL, "/oruk/services?minimal=true")
			if status != 200 {
				t.Fatalf("%d %s", status, body)
			}
			var list []map[string]string
			if err := json.Unmarshal(body, &list); err != nil {
				t.Fatal(err)
			}
			if len(list) != total {
				t.Fatalf("%d services, want %d", len(list), total)
			}
			for i, m := range all {
				want := map[string]string{"id": m.Asset.ID, "last_modified": oruk.FormatDateTime(m.Asset.UpdatedAt)}
				if len(list[i]) != 2 || list[i]["id"] != want["id"] || list[i]["last_modified"] != want["last_modified"] {
					t.Errorf("item %d: %v, want %v", i, list[i], want)
				}
			}
			p := page(t, "/oruk/services?minimal=false&per_page=5", oruk.EndpointServices)
			if p.Size != 5 {
				t.Errorf("minimal=false: %d items", p.Size)
			}
		})

		t.Run("full: fully nested items on a page", func(t *testing.T) {
			p := page(t, "/oruk/services?full=true&per_page=100", oruk.EndpointServices)
			nested := 0
			for _, c := range p.Contents {
				if err := v.Validate(oruk.EndpointService, c); err != nil {
					t.Fatal(err)
				}
				var x oruk.Service
				_ = json.Unmarshal(c, &x)
				if len(x.ServiceAtLocations) > 0 && len(x.Attributes) > 0 {
					nested++
				}
			}
			if nested != len(p.Contents) || nested == 0 {
				t.Errorf("%d of %d services are nested", nested, len(p.Contents))
			}
			sp := page(t, "/oruk/service_at_locations?full=1&per_page=5", oruk.EndpointServiceAtLocations)
			for _, c := range sp.Contents {
				var x oruk.ServiceAtLocation
				_ = json.Unmarshal(c, &x)
				if x.Service == nil || len(x.Service.Attributes) == 0 {
					t.Errorf("service_at_location %s is not nested fully", x.ID)
				}
			}
		})

		t.Run("format=ndjson streams every result, one a line", func(t *testing.T) {
			for _, c := range []struct {
				path, schema string
				want         int
			}{
				{"/oruk/services?format=ndjson", "compiled/service_list.json", total},
				{"/oruk/services?format=ndjson&full=true", "compiled/service.json", total},
				{"/oruk/service_at_locations?format=ndjson", "compiled/service_at_location_list.json", salTotal},
				{"/oruk/taxonomies?format=ndjson", "taxonomy.json", len(oruk.Taxonomies())},
				{"/oruk/taxonomy_terms?format=ndjson", "taxonomy_term.json", len(oruk.Terms())},
			} {
				for _, ae := range []string{"identity", "gzip"} {
					resp, body := orukDo(t, f.ts.URL, "GET", c.path, map[string]string{"Accept-Encoding": ae})
					if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-ndjson") || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
						t.Fatalf("GET %s: %d %s", c.path, resp.StatusCode, resp.Header.Get("Content-Type"))
					}
					var r io.Reader = bytes.NewReader(body)
					if ae == "gzip" {
						if resp.Header.Get("Content-Encoding") != "gzip" {
							t.Fatalf("GET %s: not gzipped", c.path)
						}
						zr, err := gzip.NewReader(r)
						if err != nil {
							t.Fatal(err)
						}
						r = zr
					}
					sc := bufio.NewScanner(r)
					sc.Buffer(make([]byte, 0, 1<<20), 1<<22)
					seen := map[string]bool{}
					for sc.Scan() {
						line := sc.Bytes()
						if err := v.ValidateAgainst(c.schema, line); err != nil {
							t.Fatalf("GET %s: line %d: %v", c.path, len(seen)+1, err)
						}
						var x struct {
							ID string `json:"id"`
						}
						_ = json.Unmarshal(line, &x)
						seen[x.ID] = true
					}
					if err := sc.Err(); err != nil {
						t.Fatal(err)
					}
					if len(seen) != c.want {
						t.Errorf("GET %s (%s): %d distinct items, want %d", c.path, ae, len(seen), c.want)
					}
				}
			}
		})

		t.Run("refused, naming the parameter", func(t *testing.T) {
			for _, c := range []struct{ path, param string }{
				{"/oruk/services?modified_after=yesterday", "modified_after"},
				{"/oruk/services?modified_after=2026-13-01", "modified_after"},
				{"/oruk/service_at_locations?modified_after=1", "modified_after"},
				{"/oruk/services?organization_id=acme", "organization_id"},
				{"/oruk/services?minimal=yes", "minimal"},
				{"/oruk/services?minimal=true&page=2", "page"},
				{"/oruk/services?minimal=1&full=true", "full"},
				{"/oruk/service_at_locations?minimal=true", "minimal"},
				{"/oruk/services?full=please", "full"},
				{"/oruk/services?full_service=true", "full_service"},
				{"/oruk/services?format=xml", "format"},
				{"/oruk/services?format=ndjson&page=2", "page"},
				{"/oruk/service_at_locations?format=ndjson&per_page=10", "per_page"},
				{"/oruk/taxonomies?format=csv", "format"},
				{"/oruk/services?postcode=LS1+4AP", "postcode"},
				{"/oruk/services?proximity=100", "proximity"},
				{"/oruk/taxonomies?search=sport", "search"},
				{"/oruk/taxonomy_terms?modified_after=2026-01-01", "modified_after"},
			} {
				status, body := orukGet(t, f.ts.URL, c.path)
				if status != http.StatusBadRequest {
					t.Errorf("GET %s: %d, want 400: %.200s", c.path, status, body)
					continue
				}
				if got := orukErrorField(t, body); got != c.param || !strings.Contains(string(body), c.param+":") {
					t.Errorf("GET %s: the error names %q, want %s: %s", c.path, got, c.param, body)
				}
			}
			// A parameter HSDS does not define, such as a cache-buster, is
			// no business of the feed's.
			if status, _ := orukGet(t, f.ts.URL, "/oruk/services?_=12345"); status != 200 {
				t.Errorf("a cache-buster: %d", status)
			}
		})
	})
}
