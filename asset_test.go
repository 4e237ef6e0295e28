package linkwork_test

import (
	"fmt"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func TestAssetCostsAndPlaces(t *testing.T) {
	place := linkwork.Location{Type: linkwork.LocationPhysical, PostalCode: "LS6 2AA"}
	online := linkwork.Location{Type: linkwork.LocationVirtual}
	for _, tt := range []struct {
		name                   string
		costs                  []linkwork.CostOption
		locations              []linkwork.Location
		free, on, inPerson, ok bool
	}{
		{"free, in person", linkwork.FreeOfCharge(), []linkwork.Location{place}, true, false, true, true},
		{"two free options, online", []linkwork.CostOption{{Amount: linkwork.Int(0)}, {Option: "Under-16s", Amount: linkwork.Int(0)}}, []linkwork.Location{online}, true, true, false, true},
		{"paid with a free concession", []linkwork.CostOption{{Amount: linkwork.Int(200)}, {Amount: linkwork.Int(0)}}, []linkwork.Location{place, online}, false, true, true, true},
		{"a cost only described", []linkwork.CostOption{{AmountDescription: "Pay what you can"}}, []linkwork.Location{place}, false, false, true, true},
		{"no cost stated", nil, []linkwork.Location{place}, false, false, true, true},
	} {
		a := &linkwork.Asset{CostOptions: tt.costs, Locations: tt.locations}
		if a.Free() != tt.free || a.Online() != tt.on || a.InPerson() != tt.inPerson || (a.Place() != nil) != tt.inPerson {
			t.Errorf("%s: free %v online %v in person %v", tt.name, a.Free(), a.Online(), a.InPerson())
		}
	}
}

func TestAssetNormalisedTidiesACopy(t *testing.T) {
	checked := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	a := &linkwork.Asset{Name: "  Youth Boxing ", Categories: []linkwork.Category{linkwork.CategorySports}, Status: linkwork.AssetActive,
		HowToJoin: linkwork.JoinDropIn, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting}, AssuredAt: checked,
		Locations: []linkwork.Location{{Type: linkwork.LocationPhysical, PostalCode: "ls1 4ap"}, {Type: linkwork.LocationVirtual}},
		Schedules: []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "mo, we", OpensAt: "18:00", ClosesAt: "19:00"}},
		Languages: []string{" English", "Urdu", "English", ""}, ServiceAreas: []string{"LS6 ", "LS6"}}
	before := fmt.Sprintf("%+v", *a)
	n := a.Normalised()
	if got := fmt.Sprintf("%+v", *a); got != before {
		t.Errorf("Normalised changed the listing it was given:\n%s\nwas\n%s", got, before)
	}
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	p, v := n.Locations[0], n.Locations[1]
	if n.Name != "Youth Boxing" || p.PostalCode != "LS1 4AP" || p.Country != "GB" || v.Name != "Online" || n.Schedules[0].ByDay != "MO,WE" {
		t.Errorf("not tidied: %q %+v %+v %+v", n.Name, p, v, n.Schedules[0])
	}
	if len(n.Languages) != 2 || n.Languages[1] != "Urdu" || len(n.ServiceAreas) != 1 {
		t.Errorf("lists not tidied: %q %q", n.Languages, n.ServiceAreas)
	}
	if want := linkwork.DateOf(checked.AddDate(0, linkwork.VerifyMonths, 0)); n.VerifyBy != want {
		t.Errorf("verify by %v, want %v", n.VerifyBy, want)
	}
	if !n.Stale(linkwork.DateOf(checked.AddDate(1, 0, 0))) || n.Stale(linkwork.DateOf(checked)) {
		t.Error("staleness is not measured from the verify-by date")
	}
}

func TestAssetValidateChangesNothing(t *testing.T) {
	for _, tt := range []struct {
		name string
		a    linkwork.Asset
	}{
		{"a tidy listing", validAsset().Normalised()},
		{"an untidy listing", linkwork.Asset{Name: " Walk ", Locations: []linkwork.Location{{Type: linkwork.LocationPhysical, PostalCode: "ls1 4ap"}, {Type: linkwork.LocationVirtual, URL: " https://example.org "}},
			Schedules: []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "mo", OpensAt: "18:00", ClosesAt: "19:00"}}, Languages: []string{" English", "English"}, AssuredAt: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := fmt.Sprintf("%+v", tt.a)
			_ = tt.a.Validate()
			if got := fmt.Sprintf("%+v", tt.a); got != before {
				t.Errorf("Validate changed the listing:\n%s\nwas\n%s", got, before)
			}
		})
	}
}

// A listing says where it happens: at a place, online, or across the
// areas it serves (as a feed may place a service by its areas alone).
func TestAssetSaysWhereItHappens(t *testing.T) {
	for _, c := range []struct {
		name   string
		change func(a *linkwork.Asset)
		ok     bool
	}{
		{"a place", func(a *linkwork.Asset) {}, true},
		{"only the areas it serves", func(a *linkwork.Asset) { a.Locations, a.Schedules, a.ServiceAreas = nil, nil, []string{"LS6"} }, true},
		{"nowhere", func(a *linkwork.Asset) { a.Locations, a.Schedules, a.ServiceAreas = nil, nil, nil }, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			a := validAsset()
			c.change(a)
			err := a.Validate()
			if c.ok && err != nil {
				t.Fatal(err)
			}
			if !c.ok {
				fs := linkwork.ErrorFields(err)
				if len(fs) != 1 || fs[0].Field != "locations" {
					t.Fatalf("err %v, want one naming locations", err)
				}
			}
		})
	}
}
