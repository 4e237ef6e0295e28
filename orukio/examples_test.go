package orukio_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/ukpostcode"
)

// The examples published with the Open Referral UK profile, feeds linkwork
// did not write, import without a service skipped. Each places its one
// service at "1-30 Main Street, MyCity", postcode "ABC 1234", which no UK
// map holds, and describes the area it serves: the service imports with
// that area and no place, and importing it again changes nothing.
func TestPublishedExamplesImport(t *testing.T) {
	for _, name := range []string{"service_full.json", "organization_full.json", "service_at_location_full.json"} {
		t.Run(name, func(t *testing.T) {
			sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
				ctx := sysContext(t)
				st := csvStore(db)
				f, err := os.Open(filepath.Join("testdata", "oruk-examples", name))
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				services, err := orukio.ReadServices(f)
				if err != nil || len(services) != 1 {
					t.Fatalf("%d services, %v", len(services), err)
				}
				for round, want := range []orukio.Result{{Created: 1, OrgsCreated: 1}, {Unchanged: 1}} {
					res, err := orukio.Import(ctx, st, services, linkwork.CategoryWellbeing)
					if err != nil || len(res.Skipped) > 0 || res.Created != want.Created || res.Unchanged != want.Unchanged || res.OrgsCreated != want.OrgsCreated {
						t.Fatalf("import %d: %+v, %v", round+1, res, err)
					}
				}
				a, err := st.Assets.FindAssetByID(ctx, "ac148810-d857-441c-9679-408f346de14b")
				if err != nil {
					t.Fatal(err)
				}
				if a.Name != "Community Counselling" || len(a.Locations) != 0 || len(a.ServiceAreas) != 1 || !strings.Contains(a.ServiceAreas[0], "MyCity area") {
					t.Errorf("imported as %q, %d places, areas %q", a.Name, len(a.Locations), a.ServiceAreas)
				}
				if a.MinAge != 12 || a.MaxAge != 100 || len(a.Schedules) != 1 || len(a.CostOptions) != 1 {
					t.Errorf("ages %d-%d, %d sessions, %d costs", a.MinAge, a.MaxAge, len(a.Schedules), len(a.CostOptions))
				}
				// A search for it finds it, and its ORUK service is valid.
				list, _, err := st.Assets.FindAssets(ctx, linkwork.AssetFilter{Query: "counselling"})
				if err != nil || len(list) != 1 || list[0].Asset.ID != a.ID {
					t.Errorf("a search for counselling: %d, %v", len(list), err)
				}
				v, err := oruk.DefaultValidator()
				if err != nil {
					t.Fatal(err)
				}
				if err := v.ValidateValue(oruk.EndpointService, orukio.Service(a, nil)); err != nil {
					t.Error(err)
				}
			})
		})
	}
}

// Services placed in ways linkwork's places cannot hold import with what
// they have, and searches that cover them find them: one placed only by
// the districts it serves, one online only, one at a postcode outside the
// table of districts with no coordinates (kept as the areas of its town
// and district), one at a place with a postcode that is not a UK one and
// nothing else (kept as its town). One that says nowhere is skipped,
// naming the field.
func TestFeedsPlacedOtherwiseImport(t *testing.T) {
	if _, known := ukpostcode.Lookup("ZZ99"); known {
		t.Fatal("ZZ99 is a district now: choose another postcode outside the table")
	}
	feed := `[
	 {"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e01", "name": "Benefits advice by phone", "status": "active",
	  "service_areas": [{"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e11", "name": "LS6"}, {"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e12", "name": "LS7"}]},
	 {"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e02", "name": "Online peer support", "status": "active",
	  "service_at_locations": [{"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e21", "location": {"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e22", "location_type": "virtual", "name": "Zoom"}}]},
	 {"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e03", "name": "Island walking group", "status": "active",
	  "service_at_locations": [{"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e31", "location": {"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e32", "location_type": "physical", "name": "Harbour",
	   "addresses": [{"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e33", "address_1": "1 Quay", "city": "Zedport", "state_province": "Zed", "postal_code": "ZZ99 9ZZ", "country": "GB", "address_type": "physical"}]}}]},
	 {"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e04", "name": "Overseas club", "status": "active",
	  "service_at_locations": [{"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e41", "location": {"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e42", "location_type": "physical", "name": "Hall",
	   "addresses": [{"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e43", "address_1": "1 Main Street", "city": "Springfield", "state_province": "OR", "postal_code": "97403", "country": "US", "address_type": "physical"}]}}]},
	 {"id": "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e05", "name": "Nowhere at all", "status": "active"}
	]`
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := sysContext(t)
		st := csvStore(db)
		services, err := orukio.ReadServices(strings.NewReader(feed))
		if err != nil {
			t.Fatal(err)
		}
		res, err := orukio.Import(ctx, st, services, linkwork.CategoryWellbeing)
		if err != nil || res.Created != 4 || len(res.Skipped) != 1 || !strings.Contains(res.Skipped[0], "Nowhere at all") || !strings.Contains(res.Skipped[0], "service_at_locations") {
			t.Fatalf("%+v, %v", res, err)
		}
		areas := func(id string) []string {
			a, err := st.Assets.FindAssetByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return a.ServiceAreas
		}
		if got := areas("0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e03"); !slices.Equal(got, []string{"ZZ99", "Zedport"}) {
			t.Errorf("the place outside the table is kept as the areas %q", got)
		}
		if got := areas("0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e04"); !slices.Equal(got, []string{"Springfield"}) {
			t.Errorf("the place with no UK postcode is kept as the area %q", got)
		}
		names := func(f linkwork.AssetFilter) []string {
			list, _, err := st.Assets.FindAssets(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range list {
				out = append(out, m.Asset.Name)
			}
			return out
		}
		ls6, _ := ukpostcode.Lookup("LS6")
		near := &linkwork.Point{Lat: ls6.Lat, Lon: ls6.Lon}
		if got := names(linkwork.AssetFilter{Near: near, Reaching: []string{"LS6 1AA", "LS6 1", "LS6", "LS", "Leeds"}}); !slices.Equal(got, []string{"Benefits advice by phone", "Online peer support"}) {
			t.Errorf("a search covering LS6 finds %q", got)
		}
		if got := names(linkwork.AssetFilter{Mode: linkwork.AttendOnline}); !slices.Equal(got, []string{"Online peer support"}) {
			t.Errorf("online: %q", got)
		}
		if got := names(linkwork.AssetFilter{Near: near, Reaching: []string{"zedport"}}); !slices.Contains(got, "Island walking group") {
			t.Errorf("a search covering Zedport finds %q", got)
		}
	})
}
