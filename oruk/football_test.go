package oruk_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/linkwork/linkwork/oruk"
)

// A fictional football club for under-18s in Leeds LS9: free, Saturdays
// 10:00-12:00, drop in. Coordinates are the LS9 district centroid from
// shared/data/uk_postcode_district_centroids.csv.
const (
	clubOrgID  = "5b0f6a0e-3c0e-4f63-9d55-2a1f0e8c1d01"
	clubSvcID  = "a4f1c2d3-7e5b-4c69-8a0d-6b2e9f1c3d02"
	clubLocID  = "c7d2e3f4-8a6b-4d7a-9b1e-7c3f0a2d4e03"
	clubSalID  = "e1a2b3c4-9d8e-4f0a-8b2c-3d4e5f6a7b04"
	clubAddrID = "f2b3c4d5-0e9f-4a1b-9c3d-4e5f6a7b8c05"
)

func footballClub() oruk.Service {
	checked := time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	return oruk.Service{
		ID:             clubSvcID,
		OrganizationID: clubOrgID,
		Name:           "Saturday football for under-18s",
		Description:    "Friendly football for young people under 18 of every ability. Drop in: no need to book, just come along in trainers or boots. Coaches are FA-qualified volunteers.",
		URL:            "https://example.org/richmond-hill-juniors",
		Email:          "hello@richmond-hill-juniors.example.org",
		Status:         oruk.StatusActive,
		MaximumAge:     oruk.Num(17),
		AssuredDate:    oruk.FormatDate(checked),
		AssurerEmail:   "directory@linkwork.example.org",
		LastModified:   oruk.FormatDateTime(checked),
		Schedules: []oruk.Schedule{{
			ID:          "0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c06",
			ServiceID:   clubSvcID,
			Freq:        oruk.Weekly,
			Interval:    oruk.Num(1),
			ByDay:       "SA",
			OpensAt:     oruk.FormatTime(10, 0),
			ClosesAt:    oruk.FormatTime(12, 0),
			Description: "Every Saturday, 10am to 12 noon.",
			Notes:       "Drop in: no need to book.",
		}},
		ServiceAreas: []oruk.ServiceArea{{
			ID:          "1b2c3d4e-5f6a-4b7c-9d8e-9f0a1b2c3d07",
			ServiceID:   clubSvcID,
			Name:        "East Leeds",
			ServiceArea: "Young people living in or near Leeds LS9.",
		}},
		ServiceAtLocations: []oruk.ServiceAtLocation{{
			ID:         clubSalID,
			ServiceID:  clubSvcID,
			LocationID: clubLocID,
			Location: &oruk.Location{
				ID:           clubLocID,
				LocationType: oruk.LocationPhysical,
				Name:         "East End Park playing fields",
				Description:  "Grass pitches with a pavilion and changing rooms.",
				Latitude:     oruk.Degrees(53.79862),
				Longitude:    oruk.Degrees(-1.51144),
				Addresses: []oruk.Address{{
					ID:            clubAddrID,
					LocationID:    clubLocID,
					Address1:      "East End Park",
					City:          "Leeds",
					StateProvince: "West Yorkshire",
					PostalCode:    "LS9 9AA",
					Country:       "GB",
					AddressType:   oruk.LocationPhysical,
				}},
				Accessibility: []oruk.Accessibility{{
					ID:            "2c3d4e5f-6a7b-4c8d-8e9f-0a1b2c3d4e08",
					LocationID:    clubLocID,
					Accessibility: "Level path from the car park to the pavilion; accessible toilet in the pavilion.",
				}},
			},
		}},
		Organization: &oruk.Organization{
			ID:          clubOrgID,
			Name:        "Richmond Hill Juniors FC",
			Description: "A volunteer-run junior football club in east Leeds.",
			Website:     "https://example.org/richmond-hill-juniors",
		},
		Funding: []oruk.Funding{{
			ID:        "3d4e5f6a-7b8c-4d9e-9f0a-1b2c3d4e5f09",
			ServiceID: clubSvcID,
			Source:    "Volunteers and a community sports grant.",
		}},
		CostOptions: []oruk.CostOption{{
			ID:                "4e5f6a7b-8c9d-4e0f-8a1b-2c3d4e5f6a10",
			ServiceID:         clubSvcID,
			Option:            "Everyone",
			Amount:            oruk.Pounds(0),
			AmountDescription: "Free",
		}},
		Contacts: []oruk.Contact{{
			ID:        "5f6a7b8c-9d0e-4f1a-9b2c-3d4e5f6a7b11",
			ServiceID: clubSvcID,
			Name:      "Club welfare officer",
			Title:     "Welfare officer",
		}},
		Attributes: []oruk.Attribute{
			mustAttribute(clubSvcID, "sports"),
			mustAttribute(clubSvcID, "social"),
		},
		Capacities: []oruk.ServiceCapacity{{
			ID:          "6a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c12",
			ServiceID:   clubSvcID,
			Unit:        oruk.Unit{ID: "7b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d13", Name: "place"},
			Available:   "6",
			Maximum:     oruk.Num(40),
			Description: "Places this season",
			Updated:     oruk.FormatDateTime(checked),
		}},
	}
}

func mustAttribute(serviceID, category string) oruk.Attribute {
	a, ok := oruk.CategoryAttribute(serviceID, category)
	if !ok {
		panic("no category " + category)
	}
	return a
}

// Documents built from the Go types with realistic data pass the validator
// for every endpoint.
func TestFootballClubValidatesForEveryEndpoint(t *testing.T) {
	v := validator(t)
	svc := footballClub()

	// GET /service_at_locations/{id} sends the service-at-location with its
	// service, which in that response carries no service_at_locations.
	sal := svc.ServiceAtLocations[0]
	inner := svc
	inner.ServiceAtLocations = nil
	sal.Service = &inner

	tax := oruk.CategoryTaxonomy()
	taxListItem := tax
	taxListItem.TaxonomyTerms = nil
	term, _ := oruk.CategoryTerm("sports")

	docs := map[oruk.Endpoint]any{
		oruk.EndpointRoot: oruk.Root{
			Version:    "3.0",
			Profile:    "https://github.com/OpenReferralUK/uk-profile",
			OpenAPIURL: "https://linkwork.example.org/oruk/openapi.json",
		},
		oruk.EndpointService:            svc,
		oruk.EndpointServices:           oruk.NewPage([]oruk.Service{svc.ListItem()}, 1, 20, 1),
		oruk.EndpointServiceAtLocation:  sal.Respond(),
		oruk.EndpointServiceAtLocations: oruk.NewPage([]oruk.ServiceAtLocation{sal.ListItem()}, 1, 20, 1),
		oruk.EndpointTaxonomy:           tax,
		oruk.EndpointTaxonomies:         oruk.NewPage([]oruk.Taxonomy{taxListItem}, 1, 20, 1),
		oruk.EndpointTaxonomyTerm:       term,
		oruk.EndpointTaxonomyTerms:      oruk.NewPage(tax.TaxonomyTerms, 1, 20, len(tax.TaxonomyTerms)),
	}
	for _, e := range oruk.Endpoints {
		doc, ok := docs[e]
		if !ok {
			t.Errorf("no document for %s", e)
			continue
		}
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.Validate(e, b); err != nil {
			t.Errorf("%s: %v\n%s", e, err, b)
		}
		if strings.Contains(string(b), "null") {
			t.Errorf("%s sends a null: %s", e, b)
		}
	}

	// An empty page is valid too.
	if err := v.ValidateValue(oruk.EndpointServices, oruk.NewPage[oruk.Service](nil, 1, 20, 0)); err != nil {
		t.Error(err)
	}
}

// The club's JSON says what the directory must say: free, Saturday
// 10:00-12:00, for under-18s, in LS9, filed under sports.
func TestFootballClubJSON(t *testing.T) {
	b, err := json.Marshal(footballClub())
	if err != nil {
		t.Fatal(err)
	}
	sports, _ := oruk.CategoryTerm("sports")
	for _, want := range []string{
		`"status":"active"`,
		`"maximum_age":17`,
		`"amount":0`,
		`"freq":"WEEKLY"`, `"byday":"SA"`, `"opens_at":"10:00:00"`, `"closes_at":"12:00:00"`,
		`"postal_code":"LS9 9AA"`, `"latitude":53.79862`, `"longitude":-1.51144`,
		`"assured_date":"2026-03-02"`, `"last_modified":"2026-03-02T09:30:00.000Z"`,
		`"taxonomy_term_id":"` + sports.ID + `"`,
		`"capacities":[{`, `"available":6`,
	} {
		if !strings.Contains(string(b), want) {
			t.Errorf("missing %s in %s", want, b)
		}
	}
	for _, absent := range []string{`"minimum_age"`, `"fees"`, `"languages"`} {
		if strings.Contains(string(b), absent) {
			t.Errorf("%s should be omitted: %s", absent, b)
		}
	}
}
