package linkwork_test

import (
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

func TestAssetValidateTidies(t *testing.T) {
	checked := time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)
	a := &linkwork.Asset{Name: "  Youth Boxing ", Categories: []linkwork.Category{linkwork.CategorySports}, Status: linkwork.AssetActive,
		HowToJoin: linkwork.JoinDropIn, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting}, AssuredAt: checked,
		Locations: []linkwork.Location{{Type: linkwork.LocationPhysical, PostalCode: "ls1 4ap"}, {Type: linkwork.LocationVirtual}},
		Languages: []string{" English", "Urdu", "English", ""}, ServiceAreas: []string{"LS6 ", "LS6"}}
	if err := a.Validate(); err != nil {
		t.Fatal(err)
	}
	p, v := a.Locations[0], a.Locations[1]
	if a.Name != "Youth Boxing" || p.PostalCode != "LS1 4AP" || p.Country != "GB" || p.Lat < 53.7 || p.Lat > 53.9 || p.Lon > -1.4 || v.Name != "Online" {
		t.Errorf("not tidied: %q %+v %+v", a.Name, p, v)
	}
	if len(a.Languages) != 2 || a.Languages[1] != "Urdu" || len(a.ServiceAreas) != 1 {
		t.Errorf("lists not tidied: %q %q", a.Languages, a.ServiceAreas)
	}
	if want := linkwork.DateOf(checked.AddDate(0, linkwork.VerifyMonths, 0)); a.VerifyBy != want {
		t.Errorf("verify by %v, want %v", a.VerifyBy, want)
	}
	if !a.Stale(linkwork.DateOf(checked.AddDate(1, 0, 0))) || a.Stale(linkwork.DateOf(checked)) {
		t.Error("staleness is not measured from the verify-by date")
	}
}
