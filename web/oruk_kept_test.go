package web_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/sqlstore/sqlweb"
	"github.com/linkwork/linkwork/web"
)

// A listing imported from a feed is published by /oruk/services/{id}, and
// in full pages of /oruk/services, as the export writes it: the feed's
// service, its ids, last_modified and fields linkwork does not model
// included.
func TestORUKServicePublishesWhatTheExportDoes(t *testing.T) {
	feed, err := os.ReadFile(filepath.Join("..", "orukio", "testdata", "oruk-examples", "service_full.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := oruk.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := linkwork.NewContext(t.Context(), linkwork.SystemActor("test"))
		svc := sqlweb.Services(db)
		st := orukio.Store{Assets: svc.Assets, Orgs: svc.Organisations, Atomically: db.Atomically, Docs: svc.ORUKDocuments}
		services, err := orukio.ReadServices(bytes.NewReader(feed))
		if err != nil {
			t.Fatal(err)
		}
		if res, err := orukio.Import(ctx, st, services, linkwork.CategoryWellbeing); err != nil || res.Created != 1 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		exported, err := orukio.Export(ctx, st)
		if err != nil || len(exported) != 1 {
			t.Fatalf("export: %d services, %v", len(exported), err)
		}
		if exported[0].LastModified != "2023-03-15T10:30:45.123Z" || len(exported[0].Funding) != 1 {
			t.Fatalf("the export is not the feed's service: last_modified %q, %d funding", exported[0].LastModified, len(exported[0].Funding))
		}
		want, err := json.Marshal(exported[0])
		if err != nil {
			t.Fatal(err)
		}
		srv, err := web.New(web.Config{LoginPerMinute: 1000, Logger: quietLogger()}, svc)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)

		status, body := orukGet(t, ts.URL, "/oruk/services/"+exported[0].ID)
		if status != 200 || !bytes.Equal(bytes.TrimSpace(body), want) {
			t.Errorf("GET /oruk/services/{id}: %d\n%s\nwant\n%s", status, body, want)
		}
		if err := v.Validate(oruk.EndpointService, body); err != nil {
			t.Error(err)
		}
		status, body = orukGet(t, ts.URL, "/oruk/services?full=true")
		var page orukPageJSON
		if err := json.Unmarshal(body, &page); status != 200 || err != nil || len(page.Contents) != 1 {
			t.Fatalf("GET /oruk/services?full=true: %d, %v: %s", status, err, body)
		}
		if !bytes.Equal(page.Contents[0], want) {
			t.Errorf("a full page carries\n%s\nwant\n%s", page.Contents[0], want)
		}
		// minimal=true says when each service changed as the service does.
		status, body = orukGet(t, ts.URL, "/oruk/services?minimal=true")
		var minimal []struct {
			ID           string `json:"id"`
			LastModified string `json:"last_modified"`
		}
		if err := json.Unmarshal(body, &minimal); status != 200 || err != nil || len(minimal) != 1 {
			t.Fatalf("GET /oruk/services?minimal=true: %d, %v: %s", status, err, body)
		}
		if minimal[0].ID != exported[0].ID || minimal[0].LastModified != exported[0].LastModified {
			t.Errorf("minimal=true lists %+v, the service is %s last modified %s", minimal[0], exported[0].ID, exported[0].LastModified)
		}
	})
}

// Each service-at-location a feed's service is published with answers at
// /oruk/service_at_locations/{id}, before and after a curator edits the
// listing: a consumer following the ids of /oruk/services/{id} never meets
// a 404. /oruk/service_at_locations lists those at places linkwork holds
// under the feed's ids, then those it could not place (the example
// service's place has no postcode, so linkwork holds the service by its
// service area alone); a narrowed list leaves those out.
func TestORUKServiceAtLocationsKeepTheFeedsIDs(t *testing.T) {
	const neighbours = "0b9c6a2e-6f0e-4d7f-9a51-3f6a2d9c8e11" // a SAL id linkwork did not make
	var services []oruk.Service
	for _, name := range []string{filepath.Join("oruk-examples", "service_full.json"), "feed.json"} {
		b, err := os.ReadFile(filepath.Join("..", "orukio", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		svs, err := orukio.ReadServices(bytes.NewReader(b))
		if err != nil || len(svs) != 1 || len(svs[0].ServiceAtLocations) != 1 {
			t.Fatalf("%s: %d services, %v", name, len(svs), err)
		}
		services = append(services, svs[0])
	}
	services[1].ServiceAtLocations[0].ID = neighbours
	for i := range services[1].Schedules {
		services[1].Schedules[i].ServiceAtLocationID = neighbours
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := linkwork.NewContext(t.Context(), linkwork.SystemActor("test"))
		svc := sqlweb.Services(db)
		st := orukio.Store{Assets: svc.Assets, Orgs: svc.Organisations, Atomically: db.Atomically, Docs: svc.ORUKDocuments}
		if res, err := orukio.Import(ctx, st, services, linkwork.CategoryWellbeing); err != nil || res.Created != 2 {
			t.Fatalf("import: %+v, %v", res, err)
		}
		srv, err := web.New(web.Config{LoginPerMinute: 1000, Logger: quietLogger()}, svc)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		all, _, err := svc.Assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Limit: 10})
		if err != nil || len(all) != 2 {
			t.Fatalf("listings: %d, %v", len(all), err)
		}

		follow := func(t *testing.T, when string) {
			t.Helper()
			var published []string
			for _, m := range all {
				status, body := orukGet(t, ts.URL, "/oruk/services/"+m.Asset.ID)
				var sv oruk.Service
				if err := json.Unmarshal(body, &sv); status != 200 || err != nil {
					t.Fatalf("%s: GET /oruk/services/{id}: %d, %v", when, status, err)
				}
				for _, sal := range sv.ServiceAtLocations {
					published = append(published, sal.ID)
					status, body := orukGet(t, ts.URL, "/oruk/service_at_locations/"+sal.ID)
					var got oruk.ServiceAtLocation
					if err := json.Unmarshal(body, &got); status != 200 || err != nil {
						t.Errorf("%s: GET /oruk/service_at_locations/%s: %d, %v: %s", when, sal.ID, status, err, body)
						continue
					}
					if got.ID != sal.ID || got.Location == nil || sal.Location == nil || got.Location.ID != sal.Location.ID ||
						got.Service == nil || got.Service.ID != sv.ID {
						t.Errorf("%s: /oruk/service_at_locations/%s answers %s at %v, the service lists it at %v", when, sal.ID, got.ID, got.Location, sal.Location)
					}
				}
			}
			for _, s := range services {
				if !slices.Contains(published, s.ServiceAtLocations[0].ID) {
					t.Errorf("%s: the services publish service-at-locations %v, not the feed's %s", when, published, s.ServiceAtLocations[0].ID)
				}
			}
			status, body := orukGet(t, ts.URL, "/oruk/service_at_locations")
			var page orukPageJSON
			if err := json.Unmarshal(body, &page); status != 200 || err != nil {
				t.Fatalf("%s: GET /oruk/service_at_locations: %d, %v", when, status, err)
			}
			var listed []string
			for _, raw := range page.Contents {
				var item oruk.ServiceAtLocation
				if err := json.Unmarshal(raw, &item); err != nil {
					t.Fatal(err)
				}
				listed = append(listed, item.ID)
			}
			// The place linkwork holds first, then the one it could not
			// place, as the example service publishes it.
			if want := []string{neighbours, services[0].ServiceAtLocations[0].ID}; !slices.Equal(listed, want) || page.TotalItems != len(want) {
				t.Errorf("%s: /oruk/service_at_locations lists %v of %d, want %v", when, listed, page.TotalItems, want)
			}
			for _, narrowed := range []string{"?organization_id=" + all[0].Asset.OrgID, "?search=zzzz"} {
				status, body := orukGet(t, ts.URL, "/oruk/service_at_locations"+narrowed)
				var page orukPageJSON
				if err := json.Unmarshal(body, &page); status != 200 || err != nil {
					t.Fatalf("%s: GET /oruk/service_at_locations%s: %d, %v", when, narrowed, status, err)
				}
				for _, raw := range page.Contents {
					var item oruk.ServiceAtLocation
					if err := json.Unmarshal(raw, &item); err != nil {
						t.Fatal(err)
					}
					if item.ID == services[0].ServiceAtLocations[0].ID {
						t.Errorf("%s: GET /oruk/service_at_locations%s lists the place linkwork could not place", when, narrowed)
					}
				}
			}
		}
		follow(t, "as imported")

		for _, m := range all {
			a, err := svc.Assets.FindAssetByID(ctx, m.Asset.ID)
			if err != nil {
				t.Fatal(err)
			}
			for i := range a.Locations {
				a.Locations[i].ServiceAtLocationID = "" // as a form sends it
				a.Locations[i].Name += " (main hall)"
			}
			a.Description = "Edited by the curator."
			if err := svc.Assets.UpdateAsset(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		follow(t, "after an edit")
	})
}
