package orukio_test

import (
	"fmt"
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
	if x, y := oruk.ServiceAtLocationID("a", "l1"), oruk.ServiceAtLocationID("a", "l1"); x != y || !orukio.IsUUID(x) || x == oruk.ServiceAtLocationID("a", "l2") {
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

// What link workers need and the UK profile leaves out (how to join, youth-
// friendliness, whether a link worker may come along) travels as terms of
// linkwork's own taxonomies, so an export imported again keeps it; a sport
// listing also carries the LGA Services List's term for sports clubs.
func TestListingDetailsTravelAsTerms(t *testing.T) {
	base := func() *linkwork.Asset {
		return &linkwork.Asset{
			ID: "7b0a7a4e-5d0e-4c52-9a5e-1f2f7d9c0a11", Name: "Youth choir", Status: linkwork.AssetActive,
			Capacity:  linkwork.Capacity{Status: linkwork.CapacityAccepting},
			Locations: []linkwork.Location{{ID: "0d7c3b1e-1c1a-4c55-8f6a-0a1b2c3d4e5f", Type: linkwork.LocationVirtual, Name: "Online", URL: "https://example.org/sing"}},
		}
	}
	for _, c := range []struct {
		name  string
		edit  func(a *linkwork.Asset)
		terms int
	}{
		{"drop in, youth-friendly, buddy welcome, creative", func(a *linkwork.Asset) {
			a.HowToJoin, a.YouthFriendly, a.BuddyWelcome = linkwork.JoinDropIn, true, true
			a.Categories = []linkwork.Category{linkwork.CategoryCreative}
		}, 5}, // creative, its LGA term, drop in, youth, buddy
		{"via a link worker, neither, two categories", func(a *linkwork.Asset) {
			a.HowToJoin = linkwork.JoinViaLinkWorker
			a.Categories = []linkwork.Category{linkwork.CategoryWellbeing, linkwork.CategorySocial}
		}, 3}, // two categories, no LGA term, how to join
		{"referral needed, youth only, sports", func(a *linkwork.Asset) {
			a.HowToJoin, a.YouthFriendly = linkwork.JoinReferral, true
			a.Categories = []linkwork.Category{linkwork.CategorySports}
		}, 4},
	} {
		a := base()
		c.edit(a)
		s := orukio.Service(a, &linkwork.Organisation{ID: "org-1", Name: "Choirs", Kind: linkwork.OrgVCS})
		if len(s.Attributes) != c.terms {
			t.Errorf("%s: %d attributes, want %d: %+v", c.name, len(s.Attributes), c.terms, s.Attributes)
		}
		imp, err := orukio.FromService(s, linkwork.CategoryIndoor)
		if err != nil {
			t.Fatal(err)
		}
		b := imp.Asset
		if b.HowToJoin != a.HowToJoin || b.YouthFriendly != a.YouthFriendly || b.BuddyWelcome != a.BuddyWelcome || fmt.Sprint(b.Categories) != fmt.Sprint(a.Categories) {
			t.Errorf("%s: back %v %v %v %v, want %v %v %v %v", c.name, b.HowToJoin, b.YouthFriendly, b.BuddyWelcome, b.Categories,
				a.HowToJoin, a.YouthFriendly, a.BuddyWelcome, a.Categories)
		}
	}
}

// Another directory's feed tagged with the LGA Services List is filed
// under linkwork's matching categories; its own terms are left alone.
func TestImportFilesLGATermsUnderCategories(t *testing.T) {
	place := []oruk.ServiceAtLocation{{ID: "x", Location: &oruk.Location{ID: "y", LocationType: oruk.LocationVirtual, Name: "Online", Description: "https://example.org"}}}
	s := oruk.Service{ID: "their-9", Name: "Talking space", ServiceAtLocations: place, Attributes: []oruk.Attribute{
		{ID: "a1", TaxonomyTermID: "t1", TaxonomyTerm: &oruk.TaxonomyTerm{ID: "t1", Name: "Counselling", TermURI: "http://id.esd.org.uk/service/163"}},
		{ID: "a2", TaxonomyTermID: "t2", TaxonomyTerm: &oruk.TaxonomyTerm{ID: "t2", Name: "Volunteering", Term: "esdServiceType:1113"}},
		{ID: "a3", TaxonomyTermID: "t3", TaxonomyTerm: &oruk.TaxonomyTerm{ID: "t3", Name: "Hull: talking therapies", Term: "78", Taxonomy: "Hull service types"}},
		{ID: "a4", TaxonomyTermID: "t4", TaxonomyTerm: &oruk.TaxonomyTerm{ID: "t4", Name: "Mental health support", TermURI: "http://id.esd.org.uk/service/1284"}},
	}}
	imp, err := orukio.FromService(s, linkwork.CategorySocial)
	if err != nil {
		t.Fatal(err)
	}
	want := []linkwork.Category{linkwork.CategoryWellbeing, linkwork.CategoryVocational}
	if fmt.Sprint(imp.Asset.Categories) != fmt.Sprint(want) || imp.Asset.HowToJoin != linkwork.JoinSelfRefer {
		t.Errorf("categories %v, how to join %v; want %v, self_refer", imp.Asset.Categories, imp.Asset.HowToJoin, want)
	}
}
