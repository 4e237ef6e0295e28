package orukio_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
)

func TestIDs(t *testing.T) {
	u := "6B0A7A4E-5D0E-4C52-9A5E-1F2F7D9C0A11"
	if got := orukio.ID("service", u); got != strings.ToLower(u) {
		t.Errorf("a UUID is kept (lower-cased): %s", got)
	}
	a, b := orukio.ID("organisation", "GB-CHC-123"), orukio.ID("organisation", "GB-CHC-123")
	if a != b || !orukio.IsUUID(a) || a == orukio.ID("service", "GB-CHC-123") {
		t.Errorf("derived ids must be stable UUIDs, distinct by kind: %s %s", a, b)
	}
	if x, y := orukio.ServiceAtLocationID("a", "l1"), orukio.ServiceAtLocationID("a", "l1"); x != y || !orukio.IsUUID(x) || x == orukio.ServiceAtLocationID("a", "l2") {
		t.Error("service-at-location ids must be stable and distinct")
	}
	for _, s := range []string{"", "x", "6b0a7a4e5d0e4c529a5e1f2f7d9c0a11", "{6b0a7a4e-5d0e-4c52-9a5e-1f2f7d9c0a11}"} {
		if orukio.IsUUID(s) {
			t.Errorf("%q is not a UUID as ORUK writes them", s)
		}
	}
}

func TestServiceRoundTrip(t *testing.T) {
	a := &linkwork.Asset{
		ID: "6b0a7a4e-5d0e-4c52-9a5e-1f2f7d9c0a11", Name: "Saturday football", Categories: []linkwork.Category{linkwork.CategorySports},
		Status: linkwork.AssetActive, HowToJoin: linkwork.JoinSelfRefer, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting, Available: linkwork.Int(4), Maximum: linkwork.Int(20)},
		MinAge: 11, MaxAge: 16, URL: "not a url", Email: "coach@example.org",
		Locations: []linkwork.Location{
			{ID: "0d7c3b1e-1c1a-4c55-8f6a-0a1b2c3d4e5f", Type: linkwork.LocationPhysical, Name: "Park", Address1: "1 Park Road", City: "Leeds", StateProvince: "West Yorkshire", PostalCode: "LS6 2AA", Lat: 53.8, Lon: -1.57},
			{ID: "1d7c3b1e-1c1a-4c55-8f6a-0a1b2c3d4e5f", Type: linkwork.LocationVirtual, Name: "Online", URL: "https://example.org/join"},
		},
		Schedules:   []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "SA", OpensAt: "10:00", ClosesAt: "12:00", LocationID: "0d7c3b1e-1c1a-4c55-8f6a-0a1b2c3d4e5f"}},
		CostOptions: linkwork.FreeOfCharge(),
	}
	s := orukio.Service(a, &linkwork.Organisation{ID: "org-1", Name: "Leeds FC", Kind: linkwork.OrgVCS})
	if s.URL != "" || s.Email != "coach@example.org" || !orukio.IsUUID(s.OrganizationID) || s.Organization.Description == "" {
		t.Errorf("service: %+v", s)
	}
	if len(s.ServiceAtLocations) != 2 || s.ServiceAtLocations[1].Location.Addresses != nil || len(s.ServiceAtLocations[0].Location.Addresses) != 1 {
		t.Errorf("locations: %+v", s.ServiceAtLocations)
	}
	if len(s.CostOptions) != 1 || s.CostOptions[0].Amount.String() != "0" || !orukio.IsUUID(s.CostOptions[0].ID) {
		t.Errorf("free: %+v", s.CostOptions)
	}
	if s.Schedules[0].OpensAt != "10:00:00" || s.Schedules[0].ServiceAtLocationID != s.ServiceAtLocations[0].ID {
		t.Errorf("schedule: %+v", s.Schedules[0])
	}
	imp, err := orukio.FromService(s, linkwork.CategoryWellbeing)
	if err != nil {
		t.Fatal(err)
	}
	b := imp.Asset
	if b.ID != a.ID || b.Name != a.Name || b.MinAge != 11 || b.MaxAge != 16 || !b.Free() || len(b.Locations) != 2 ||
		b.Categories[0] != linkwork.CategorySports || b.Schedules[0].LocationID != a.Locations[0].ID || *b.Capacity.Available != 4 {
		t.Errorf("back: %+v", b)
	}
	if imp.Org == nil || imp.Org.Name != "Leeds FC" {
		t.Errorf("org: %+v", imp.Org)
	}
}

func TestFromServiceDefaultsAndErrors(t *testing.T) {
	place := []oruk.ServiceAtLocation{{ID: "x", Location: &oruk.Location{ID: "y", LocationType: oruk.LocationPhysical,
		Addresses: []oruk.Address{{Address1: "1 Road", City: "Leeds", StateProvince: "West Yorkshire", PostalCode: "LS1 4AP", Country: "GB"}}}}}
	imp, err := orukio.FromService(oruk.Service{ID: "their-id-7", Name: "Club", ServiceAtLocations: place}, linkwork.CategorySocial)
	if err != nil {
		t.Fatal(err)
	}
	if !orukio.IsUUID(imp.Asset.ID) || imp.Asset.Categories[0] != linkwork.CategorySocial || imp.Asset.Status != linkwork.AssetActive || imp.Asset.Locations[0].Name != "1 Road" {
		t.Errorf("defaults: %+v", imp.Asset)
	}
	for _, tt := range []struct {
		s    oruk.Service
		says string
	}{
		{oruk.Service{Name: "No id"}, "id"},
		{oruk.Service{ID: "a", Name: "Old", MinimumAge: oruk.Num(300), ServiceAtLocations: place}, "minimum_age"},
		{oruk.Service{ID: "a", Name: "When", AssuredDate: "yesterday", ServiceAtLocations: place}, "assured_date"},
		{oruk.Service{ID: "a", Name: "Nowhere"}, "service_at_locations"},
	} {
		if _, err := orukio.FromService(tt.s, linkwork.CategorySocial); err == nil || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: %v, want an error naming %s", tt.s.Name, err, tt.says)
		}
	}
}

func TestReadServices(t *testing.T) {
	for _, doc := range []string{
		`[{"id":"a","name":"A","status":"active"}]`,
		`{"total_items":1,"contents":[{"id":"a","name":"A","status":"active"}]}`,
		`{"id":"a","name":"A","status":"active"}`,
	} {
		list, err := orukio.ReadServices(strings.NewReader(doc))
		if err != nil || len(list) != 1 || list[0].Name != "A" {
			t.Errorf("%s: %v %v", doc, list, err)
		}
	}
}

func TestChildIDsAreTheListings(t *testing.T) {
	place := func(id string) []oruk.ServiceAtLocation {
		return []oruk.ServiceAtLocation{{ID: "sal-" + id, Location: &oruk.Location{ID: id, LocationType: oruk.LocationPhysical,
			Addresses: []oruk.Address{{Address1: "1 Road", City: "Leeds", StateProvince: "West Yorkshire", PostalCode: "LS1 4AP", Country: "GB"}}}}}
	}
	a, _ := orukio.FromService(oruk.Service{ID: "a", Name: "A", ServiceAtLocations: place("loc"), Contacts: []oruk.Contact{{ID: "c1", Name: "Jo"}}}, linkwork.CategorySocial)
	b, _ := orukio.FromService(oruk.Service{ID: "b", Name: "B", ServiceAtLocations: place("loc"), Contacts: []oruk.Contact{{ID: "c1", Name: "Jo"}}}, linkwork.CategorySocial)
	if a.Asset.Contacts[0].ID == b.Asset.Contacts[0].ID || a.Asset.Locations[0].ID == b.Asset.Locations[0].ID {
		t.Error("two listings' copies of a feed's contact or place must have ids of their own")
	}
}
