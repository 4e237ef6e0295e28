package web

import (
	"slices"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// testListing is a valid listing with one place and the sessions.
func testListing(scheds ...linkwork.Schedule) *linkwork.Asset {
	a := &linkwork.Asset{ID: "a", Version: 3, Name: "Club", Categories: []linkwork.Category{linkwork.CategorySocial}, Status: linkwork.AssetActive,
		HowToJoin: linkwork.JoinDropIn, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting},
		Locations: []linkwork.Location{{ID: "p", Type: linkwork.LocationPhysical, Name: "Hall", PostalCode: "LS6 2AA", Lat: 53.8, Lon: -1.5}}}
	for _, s := range scheds {
		s.LocationID = "p"
		a.Schedules = append(a.Schedules, s)
	}
	return a
}

func TestTheListingFormKeepsWhatASessionMeans(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []linkwork.Schedule
		want []string // freq byday
	}{
		{"weekly on two days", []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "MO,WE", OpensAt: "18:00", ClosesAt: "19:00"}}, []string{"WEEKLY MO,WE"}},
		{"days in any order come back Monday first", []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "FR,TU", OpensAt: "18:00", ClosesAt: "19:00"}}, []string{"WEEKLY TU,FR"}},
		{"the last Friday of the month", []linkwork.Schedule{{Freq: "MONTHLY", ByDay: "-1FR", OpensAt: "10:00", ClosesAt: "12:00"}}, []string{"MONTHLY -1FR"}},
		{"the first and third Monday become a row each", []linkwork.Schedule{{Freq: "MONTHLY", ByDay: "1MO,3MO", OpensAt: "10:00", ClosesAt: "12:00"}},
			[]string{"MONTHLY 1MO", "MONTHLY 3MO"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			a := testListing(tt.in...)
			ap, problems := formOf(a).apply(a, nil)
			if len(problems) > 0 {
				t.Fatalf("problems: %v", problems)
			}
			var got []string
			for _, s := range ap.Asset.Schedules {
				got = append(got, s.Freq+" "+s.ByDay)
				if s.LocationID != "p" || s.OpensAt != tt.in[0].OpensAt {
					t.Errorf("session %+v lost its place or time", s)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestListingFormProblemsNameTheFormsRows(t *testing.T) {
	a := testListing()
	f := formOf(a)
	// Row 0 is the place; row 1 blank; row 2 a new place with no postcode.
	f.Places = append(f.Places, placeRow{Type: "physical", Name: "Library"})
	// Session rows: a removed one, a blank one, then one with a bad time.
	f.Schedules = []scheduleRow{{Days: []string{"MO"}, OpensAt: "18:00", ClosesAt: "19:00", Remove: true}, {}, {Days: []string{"TU"}, OpensAt: "7pm", ClosesAt: "20:00", Place: "2"}}
	f.Categories = nil
	_, problems := f.apply(a, nil)
	for _, want := range []string{"categories", "locations[2].postal_code", "schedules[2].opens_at"} {
		if !problems.Has(want) {
			t.Errorf("no problem named %s in %v", want, problems)
		}
	}
	if len(problems) != 3 {
		t.Errorf("problems %v, want 3", problems)
	}
}

func TestSplitList(t *testing.T) {
	if got := splitList(" English, Urdu;\nBritish Sign Language,, English "); !slices.Equal(got, []string{"English", "Urdu", "British Sign Language"}) {
		t.Errorf("got %q", got)
	}
}
