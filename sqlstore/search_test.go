package sqlstore_test

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/ukpostcode"
)

// Places the directory tests put listings at, and search from.
var (
	sheffieldS2  = linkwork.Point{Lat: 53.3705, Lon: -1.4610} // about 1.6 km south-east of S1's centre
	sheffieldS1  = linkwork.Point{Lat: 53.3807, Lon: -1.4718} // about S1's centre
	sheffieldS10 = linkwork.Point{Lat: 53.3800, Lon: -1.5200} // about 3.2 km west of S1's centre
	leedsLS6     = linkwork.Point{Lat: 53.8200, Lon: -1.5780} // about 3 km north-west of LS1
	leedsLS1     = linkwork.Point{Lat: 53.7970, Lon: -1.5470} // about LS1's centre
	sheffield    = func() linkwork.Point { d, _ := ukpostcode.Lookup("S1"); return linkwork.Point{Lat: d.Lat, Lon: d.Lon} }()
	leeds        = func() linkwork.Point { d, _ := ukpostcode.Lookup("LS1"); return linkwork.Point{Lat: d.Lat, Lon: d.Lon} }()
	farFromBoth  = linkwork.Point{Lat: 51.5072, Lon: -0.1276} // London
)

// at returns a pointer to a copy of p, for a filter's Near.
func at(p linkwork.Point) *linkwork.Point { return &p }

// eachDirectory runs fn on each engine with a fresh world and its small
// directory.
func eachDirectory(t *testing.T, fn func(t *testing.T, w *world, d *directory)) {
	t.Helper()
	eachWorld(t, func(t *testing.T, w *world) {
		fn(t, w, newDirectory(t, w))
	})
}

// searchWay is one way the store can be set to find a page: with pg_trgm
// for typing mistakes or not (PostgreSQL only), and how many matches a
// page by name sorts rather than finding them in name order, and a search
// by words scores in Go rather than in SQL, in SQLite (few; -1 leaves the
// store's own numbers).
type searchWay struct {
	trgm bool
	few  int
}

// eachWay runs fn with the store set to each of the ways in turn, leaving
// out pg_trgm on SQLite. Only when some way asks for pg_trgm does it set
// whether to use it (else the store finds out for itself), and it leaves
// it as the last way set it; it puts back the number of few matches.
func eachWay(w *world, ways []searchWay, fn func(way searchWay)) {
	few := sqlstore.SetSQLiteFewMatches(0)
	sqlstore.SetSQLiteFewMatches(few)
	defer sqlstore.SetSQLiteFewMatches(few)
	fewWords := sqlstore.SetSQLiteFewWordMatches(0)
	sqlstore.SetSQLiteFewWordMatches(fewWords)
	defer sqlstore.SetSQLiteFewWordMatches(fewWords)
	setTrgm := slices.ContainsFunc(ways, func(way searchWay) bool { return way.trgm })
	for _, way := range ways {
		if way.trgm && w.db.Dialect() != "postgres" {
			continue
		}
		if setTrgm {
			w.assets.UseTrigram(way.trgm)
		}
		if way.few >= 0 {
			sqlstore.SetSQLiteFewMatches(way.few)
			sqlstore.SetSQLiteFewWordMatches(way.few)
		} else {
			sqlstore.SetSQLiteFewMatches(few)
			sqlstore.SetSQLiteFewWordMatches(fewWords)
		}
		fn(way)
	}
}

func place(name, postcode string, p linkwork.Point) linkwork.Location {
	return linkwork.Location{Type: linkwork.LocationPhysical, Name: name, Address1: "1 High Street", City: "Millbrook", StateProvince: "South Yorkshire",
		PostalCode: postcode, Lat: p.Lat, Lon: p.Lon}
}

// directory is a small directory with one listing for each thing a search
// can tell apart.
type directory struct {
	boxing, football, pottery, counselling, walking, chess *linkwork.Asset
}

func newDirectory(t *testing.T, w *world) *directory {
	t.Helper()
	d := &directory{}
	d.boxing = newAsset(w.vcs, "Youth Boxing")
	d.boxing.Description = "Non-contact boxing fitness: pads, skipping and circuits."
	d.boxing.Locations = []linkwork.Location{place("Hall", "S2 4HT", sheffieldS2)}

	d.football = newAsset(w.vcs, "Northfield Youth Football")
	d.football.Description = "Free five-a-side on the floodlit pitch."
	d.football.Categories = []linkwork.Category{linkwork.CategorySports, linkwork.CategorySocial}
	d.football.MinAge, d.football.MaxAge = 11, 17
	d.football.Locations = []linkwork.Location{place("Northfield Community Centre", "LS6 2AA", leedsLS6)}
	d.football.Schedules = []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "WE", OpensAt: "17:00", ClosesAt: "18:30"}}
	d.football.Languages = []string{"English", "Urdu"}

	d.pottery = newAsset(w.otherVCS, "Pottery for adults")
	d.pottery.Description = "Wheel throwing and hand-building; clay and firing included."
	d.pottery.Categories = []linkwork.Category{linkwork.CategoryCreative}
	d.pottery.MinAge, d.pottery.MaxAge = 18, 0
	d.pottery.CostOptions = []linkwork.CostOption{{Option: "Per session", Amount: linkwork.Int(600)}}
	d.pottery.Capacity.Status = linkwork.CapacityFull
	d.pottery.HowToJoin = linkwork.JoinSelfRefer
	d.pottery.Locations = []linkwork.Location{place("Arts Centre", "S1 2HH", sheffieldS1)}
	d.pottery.Schedules = []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "TH", OpensAt: "18:30", ClosesAt: "20:30"}}
	d.pottery.VerifyBy = linkwork.DateOf(w.clock.Now().AddDate(0, 0, -1))

	d.counselling = newAsset(w.otherVCS, "Online Counselling by Video or Text")
	d.counselling.Description = "Counselling by video call or live text chat. Youth workers answer."
	d.counselling.Categories = []linkwork.Category{linkwork.CategoryWellbeing}
	d.counselling.MinAge, d.counselling.MaxAge = 13, 25
	d.counselling.HowToJoin = linkwork.JoinReferral
	d.counselling.Locations = []linkwork.Location{{Type: linkwork.LocationVirtual, Name: "Online chat", URL: "https://example.org/chat"}}
	d.counselling.Schedules = []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "MO,TU,WE,TH,FR", OpensAt: "16:00", ClosesAt: "21:00"}}
	d.counselling.ServiceAreas = []string{"S", "LS"}

	d.walking = newAsset(w.otherVCS, "Walking Football for Over-50s")
	d.walking.Description = "Football at walking pace; tea afterwards."
	d.walking.MinAge, d.walking.MaxAge = 50, 0
	d.walking.CostOptions = []linkwork.CostOption{{Option: "Per session", Amount: linkwork.Int(200)}, {Option: "Over-80s", Amount: linkwork.Int(0)}}
	d.walking.Locations = []linkwork.Location{
		{ID: "6f1c0c7e-54a7-4a59-9d0e-1d8c4c7b7a01", Type: linkwork.LocationPhysical, Name: "Hillsborough Sports Hall", Address1: "2 Park Road", City: "Sheffield", PostalCode: "S10 1AA", Lat: sheffieldS10.Lat, Lon: sheffieldS10.Lon},
		{ID: "6f1c0c7e-54a7-4a59-9d0e-1d8c4c7b7a02", Type: linkwork.LocationPhysical, Name: "City Sports Hall", Address1: "3 Mill Lane", City: "Leeds", PostalCode: "LS1 4AP", Lat: leedsLS1.Lat, Lon: leedsLS1.Lon},
	}
	d.walking.Schedules = []linkwork.Schedule{
		{Freq: "WEEKLY", ByDay: "MO", OpensAt: "10:00", ClosesAt: "11:30", LocationID: "6f1c0c7e-54a7-4a59-9d0e-1d8c4c7b7a01"},
		{Freq: "WEEKLY", ByDay: "FR", OpensAt: "10:00", ClosesAt: "11:30", LocationID: "6f1c0c7e-54a7-4a59-9d0e-1d8c4c7b7a02"},
	}

	d.chess = newAsset(w.vcs, "Chess and football quiz club")
	d.chess.Status = linkwork.AssetInactive
	d.chess.Categories = []linkwork.Category{linkwork.CategoryIndoor}
	d.chess.Locations = []linkwork.Location{place("Library", "S1 1AA", sheffieldS1)}

	for _, a := range []*linkwork.Asset{d.boxing, d.football, d.pottery, d.counselling, d.walking, d.chess} {
		if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
			t.Fatalf("create %s: %v", a.Name, err)
		}
	}
	return d
}

func TestDirectorySearch(t *testing.T) {
	eachDirectory(t, func(t *testing.T, w *world, d *directory) {
		name := map[string]string{}
		for _, a := range []*linkwork.Asset{d.boxing, d.football, d.pottery, d.counselling, d.walking, d.chess} {
			name[a.ID] = a.Name
		}
		type want struct {
			names []string // in order, when ordered; else as a set
			order bool
		}
		set := func(as ...*linkwork.Asset) want {
			w := want{}
			for _, a := range as {
				w.names = append(w.names, a.Name)
			}
			return w
		}
		ordered := func(as ...*linkwork.Asset) want { w := set(as...); w.order = true; return w }
		tests := []struct {
			name string
			f    linkwork.AssetFilter
			want want
		}{
			{"everything, by name", linkwork.AssetFilter{}, ordered(d.football, d.counselling, d.pottery, d.walking, d.boxing)},
			{"any status", linkwork.AssetFilter{AnyStatus: true}, set(d.walking, d.counselling, d.football, d.pottery, d.boxing, d.chess)},
			{"a word", linkwork.AssetFilter{Query: "boxing"}, set(d.boxing)},
			{"a word in the description", linkwork.AssetFilter{Query: "clay"}, set(d.pottery)},
			{"a stem: 'throw' finds throwing", linkwork.AssetFilter{Query: "throw clay"}, set(d.pottery)},
			// Relevance: the name, then the keywords, then the description;
			// ties by name. The same on both engines.
			{"the name ranks above the description", linkwork.AssetFilter{Query: "youth"}, ordered(d.football, d.boxing, d.counselling)},
			{"the keywords rank above the description", linkwork.AssetFilter{Query: "sports"}, ordered(d.football, d.walking, d.boxing)},
			{"every word counts", linkwork.AssetFilter{Query: "football walking"}, ordered(d.walking)},
			{"every word must match", linkwork.AssetFilter{Query: "youth football"}, set(d.football)},
			{"common words are left out", linkwork.AssetFilter{Query: "the football for walking"}, set(d.walking)},
			{"the last word is a prefix", linkwork.AssetFilter{Query: "foot"}, set(d.walking, d.football)},
			{"a typing mistake", linkwork.AssetFilter{Query: "fotball"}, set(d.walking, d.football)},
			{"two typing mistakes in a long word", linkwork.AssetFilter{Query: "councellng"}, set(d.counselling)},
			{"a swap", linkwork.AssetFilter{Query: "boxnig"}, set(d.boxing)},
			{"keywords: a category", linkwork.AssetFilter{Query: "wellbeing"}, set(d.counselling)},
			{"keywords: a place", linkwork.AssetFilter{Query: "hillsborough"}, set(d.walking)},
			{"keywords: a language", linkwork.AssetFilter{Query: "urdu"}, set(d.football)},
			{"nothing like it", linkwork.AssetFilter{Query: "zzyzx"}, set()},
			{"only common words: everything", linkwork.AssetFilter{Query: "the"}, set(d.walking, d.counselling, d.football, d.pottery, d.boxing)},
			{"a category", linkwork.AssetFilter{Category: linkwork.CategoryCreative}, set(d.pottery)},
			{"text and a category", linkwork.AssetFilter{Query: "football", Category: linkwork.CategorySocial}, set(d.football)},
			{"a 15-year-old", linkwork.AssetFilter{Age: 15}, set(d.boxing, d.football, d.counselling)},
			{"a 60-year-old", linkwork.AssetFilter{Age: 60}, set(d.pottery, d.walking)},
			{"free only", linkwork.AssetFilter{FreeOnly: true}, set(d.boxing, d.football, d.counselling)},
			{"taking people now", linkwork.AssetFilter{Accepting: true}, set(d.boxing, d.football, d.counselling, d.walking)},
			{"referral needed", linkwork.AssetFilter{HowToJoin: linkwork.JoinReferral}, set(d.counselling)},
			{"online", linkwork.AssetFilter{Mode: linkwork.AttendOnline}, set(d.counselling)},
			{"in person", linkwork.AssetFilter{Mode: linkwork.AttendInPerson}, set(d.boxing, d.football, d.pottery, d.walking)},
			{"on Wednesdays", linkwork.AssetFilter{Day: "WE"}, set(d.football, d.counselling)},
			{"on Fridays", linkwork.AssetFilter{Day: "FR"}, set(d.counselling, d.walking)},
			{"open at 18:15", linkwork.AssetFilter{Time: "18:15"}, set(d.boxing, d.football, d.counselling)},
			{"on Tuesdays at 20:00", linkwork.AssetFilter{Day: "TU", Time: "20:00"}, set(d.counselling)},
			{"on Tuesdays at 19:30, when boxing ends", linkwork.AssetFilter{Day: "TU", Time: "19:30"}, set(d.counselling)},
			{"stale", linkwork.AssetFilter{StaleOn: linkwork.DateOf(w.clock.Now())}, set(d.pottery)},
			{"one organisation", linkwork.AssetFilter{OrgID: w.vcs.ID}, set(d.boxing, d.football)},
			{"within 5 km of Sheffield, nearest first", linkwork.AssetFilter{Near: at(sheffield), Radius: 5000}, ordered(d.pottery, d.boxing, d.walking)},
			{"within 2 km of Sheffield", linkwork.AssetFilter{Near: at(sheffield), Radius: 2000}, ordered(d.pottery, d.boxing)},
			{"within 5 km of Leeds", linkwork.AssetFilter{Near: at(leeds), Radius: 5000}, ordered(d.walking, d.football)},
			{"the default radius is 10 km", linkwork.AssetFilter{Near: at(leeds)}, ordered(d.walking, d.football)},
			{"nothing near London", linkwork.AssetFilter{Near: at(farFromBoth), Radius: 50000}, set()},
			{"text near a point, by relevance", linkwork.AssetFilter{Query: "football", Near: at(leeds), Radius: 5000, Sort: linkwork.SortRelevance}, set(d.walking, d.football)},
			{"text near a point, by distance", linkwork.AssetFilter{Query: "football", Near: at(leeds), Radius: 5000, Sort: linkwork.SortDistance}, ordered(d.walking, d.football)},
			{"other text near another point, by distance", linkwork.AssetFilter{Query: "youth", Near: at(sheffield), Radius: 60000, Sort: linkwork.SortDistance}, ordered(d.boxing, d.football)},
			{"text near a point, by name", linkwork.AssetFilter{Query: "football", Near: at(sheffield), Radius: 60000, Sort: linkwork.SortName}, ordered(d.football, d.walking)},
			{"near a point, with filters", linkwork.AssetFilter{Near: at(sheffield), Radius: 5000, FreeOnly: true, Age: 15}, set(d.boxing)},
			{"online ignores the point", linkwork.AssetFilter{Near: at(farFromBoth), Radius: 1000, Mode: linkwork.AttendOnline}, set(d.counselling)},
		}
		eachWay(w, []searchWay{{false, -1}, {false, 0}, {true, -1}}, func(way searchWay) {
			trgm := way.trgm
			// A mistake in the first letter needs trigrams.
			first := set()
			if trgm {
				first = set(d.walking, d.football)
			}
			tests := append(tests, struct {
				name string
				f    linkwork.AssetFilter
				want want
			}{"a mistake in the first letter", linkwork.AssetFilter{Query: "gootball"}, first})
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					list, total, err := w.assets.FindAssets(t.Context(), tt.f)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, m := range list {
						got = append(got, m.Asset.Name)
					}
					want := tt.want.names
					if !tt.want.order {
						slices.Sort(got)
						want = slices.Sorted(slices.Values(want))
					}
					if total != len(tt.want.names) || !slices.Equal(got, want) {
						t.Errorf("pg_trgm %v: got %q (total %d), want %q", trgm, got, total, want)
					}
				})
			}
		})

		t.Run("each match carries its distance and freshness", func(t *testing.T) {
			list, _, err := w.assets.FindAssets(t.Context(), linkwork.AssetFilter{Near: &sheffield, Radius: 5000})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range list {
				var nearest float64 = math.MaxFloat64
				for _, l := range m.Asset.Locations {
					if l.Physical() {
						nearest = min(nearest, ukpostcode.Distance(sheffield.Lat, sheffield.Lon, l.Lat, l.Lon))
					}
				}
				if !m.HasDistance || math.Abs(m.Distance-nearest) > 1 {
					t.Errorf("%s: distance %v (%v), want %.0f m", m.Asset.Name, m.Distance, m.HasDistance, nearest)
				}
				if m.Stale != (m.Asset.ID == d.pottery.ID) {
					t.Errorf("%s: stale %v", m.Asset.Name, m.Stale)
				}
				if len(m.Asset.Locations) == 0 || len(m.Asset.CostOptions) == 0 || len(m.Asset.Categories) == 0 {
					t.Errorf("%s came without its children: %+v", m.Asset.Name, m.Asset)
				}
			}
			plain, _, err := w.assets.FindAssets(t.Context(), linkwork.AssetFilter{Query: "football"})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range plain {
				if m.HasDistance {
					t.Errorf("%s has a distance from no point", m.Asset.Name)
				}
			}
		})
		t.Run("pages", func(t *testing.T) {
			for _, f := range []linkwork.AssetFilter{
				{Offset: 1, Limit: 2},
				{Near: &sheffield, Radius: 60000, Offset: 1, Limit: 2},
				{Query: "football", Offset: 1, Limit: 2},
			} {
				all, total, err := w.assets.FindAssets(t.Context(), linkwork.AssetFilter{Query: f.Query, Near: f.Near, Radius: f.Radius, Limit: 100})
				if err != nil {
					t.Fatal(err)
				}
				got, gotTotal, err := w.assets.FindAssets(t.Context(), f)
				if err != nil {
					t.Fatal(err)
				}
				want := all[min(1, len(all)):min(3, len(all))]
				if gotTotal != total || len(got) != len(want) {
					t.Fatalf("%+v: %d of %d, want %d of %d", f, len(got), gotTotal, len(want), total)
				}
				for i := range got {
					if got[i].Asset.ID != want[i].Asset.ID {
						t.Errorf("%+v: item %d is %s, want %s", f, i, got[i].Asset.Name, want[i].Asset.Name)
					}
				}
			}
			past, total, err := w.assets.FindAssets(t.Context(), linkwork.AssetFilter{Query: "football", Offset: 10})
			if err != nil || len(past) != 0 || total != 2 {
				t.Errorf("past the end: %d items of %d (%v)", len(past), total, err)
			}
		})
		t.Run("bad filters are named", func(t *testing.T) {
			for field, f := range map[string]linkwork.AssetFilter{
				"sort":        {Sort: linkwork.SortDistance},
				"radius":      {Near: &sheffield, Radius: linkwork.MaxRadius + 1},
				"near":        {Near: &linkwork.Point{Lat: 91}},
				"day":         {Day: "Monday"},
				"time":        {Time: "6pm"},
				"mode":        {Mode: "hybrid"},
				"how_to_join": {HowToJoin: "carrier pigeon"},
				"category":    {Category: "knitting"},
				"age":         {Age: -1},
			} {
				_, _, err := w.assets.FindAssets(t.Context(), f)
				wantField(t, err, field)
			}
		})
		t.Run("an update is found by its new words only", func(t *testing.T) {
			a, err := w.assets.FindAssetByID(w.sys, d.boxing.ID)
			if err != nil {
				t.Fatal(err)
			}
			a.Name = "Youth Kickboxing"
			a.Description = "Kicks and punches on pads."
			if err := w.assets.UpdateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
			for q, n := range map[string]int{"kickboxing": 1, "punches": 1, "skipping": 0} {
				if _, total, err := w.assets.FindAssets(t.Context(), linkwork.AssetFilter{Query: q}); err != nil || total != n {
					t.Errorf("%q finds %d (%v), want %d", q, total, err, n)
				}
			}
		})
	})
}

func TestAssetModel(t *testing.T) {
	eachDirectory(t, func(t *testing.T, w *world, d *directory) {
		t.Run("every part of a listing is kept", func(t *testing.T) {
			got, err := w.assets.FindAssetByID(t.Context(), d.walking.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Locations) != 2 || got.Locations[1].Name != "City Sports Hall" || got.Locations[1].PostalCode != "LS1 4AP" ||
				got.Locations[0].Country != "GB" || got.Locations[0].ID != d.walking.Locations[0].ID {
				t.Errorf("locations %+v", got.Locations)
			}
			if len(got.Schedules) != 2 || got.Schedules[1].LocationID != got.Locations[1].ID {
				t.Errorf("schedules %+v", got.Schedules)
			}
			if got.Free() || len(got.CostOptions) != 2 || *got.CostOptions[0].Amount != 200 || *got.CostOptions[1].Amount != 0 || got.CostOptions[1].ID == "" {
				t.Errorf("cost options %+v", got.CostOptions)
			}
			c, err := w.assets.FindAssetByID(t.Context(), d.counselling.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !c.Online() || c.InPerson() || c.Place() != nil || c.Locations[0].URL != "https://example.org/chat" || !slices.Equal(c.ServiceAreas, []string{"S", "LS"}) {
				t.Errorf("online listing %+v", c)
			}
		})
		t.Run("contacts, languages and capacity", func(t *testing.T) {
			a, _ := w.assets.FindAssetByID(w.sys, d.football.ID)
			a.Contacts = []linkwork.AssetContact{{Name: "Sam Patel", Title: "Youth worker", Email: "sam@example.org", Phone: "0113 496 0000"}, {Title: "Reception"}}
			a.Languages = []string{" Polish ", "English", "Polish", ""}
			a.Capacity = linkwork.Capacity{Status: linkwork.CapacityWaiting, Available: linkwork.Int(0), Maximum: linkwork.Int(20)}
			if err := w.assets.UpdateAsset(w.as(w.community), a); err != nil {
				t.Fatal(err)
			}
			got, _ := w.assets.FindAssetByID(w.sys, d.football.ID)
			if len(got.Contacts) != 2 || got.Contacts[0] != a.Contacts[0] || got.Contacts[0].ID == "" || got.Contacts[1].Title != "Reception" {
				t.Errorf("contacts %+v", got.Contacts)
			}
			if !slices.Equal(got.Languages, []string{"Polish", "English"}) {
				t.Errorf("languages %q", got.Languages)
			}
			c := got.Capacity
			if c.Status != linkwork.CapacityWaiting || c.Available == nil || *c.Available != 0 || *c.Maximum != 20 || !c.Updated.Equal(w.clock.Now()) {
				t.Errorf("capacity %+v", c)
			}
		})
		t.Run("a place without coordinates is put at its district", func(t *testing.T) {
			a := newAsset(w.vcs, "Somewhere in S1")
			a.Locations = []linkwork.Location{{Type: linkwork.LocationPhysical, PostalCode: "s1 2hh"}}
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
			got, _ := w.assets.FindAssetByID(w.sys, a.ID)
			if l := got.Locations[0]; l.Lat != sheffield.Lat || l.Lon != sheffield.Lon || l.PostalCode != "S1 2HH" {
				t.Errorf("location %+v, want at %+v", l, sheffield)
			}
		})
		t.Run("bad parts are named", func(t *testing.T) {
			a := newAsset(w.vcs, "Bad")
			a.Locations = append(a.Locations, linkwork.Location{Type: "boat"}, linkwork.Location{Type: linkwork.LocationVirtual, URL: "zoom"})
			a.Schedules = []linkwork.Schedule{{Freq: "DAILY", ByDay: "Monday", OpensAt: "9am", ClosesAt: "25:00"}, {Freq: "WEEKLY", ByDay: "MO", OpensAt: "10:00", ClosesAt: "09:00", LocationID: "nowhere"}}
			a.Contacts = []linkwork.AssetContact{{Email: "not an address"}}
			a.CostOptions = []linkwork.CostOption{{Amount: linkwork.Int(-1)}, {Option: "Sometimes"}}
			a.Capacity = linkwork.Capacity{Status: "maybe", Available: linkwork.Int(5), Maximum: linkwork.Int(2)}
			err := w.assets.CreateAsset(w.as(w.coordinator), a)
			for _, f := range []string{"locations[1].type", "locations[2].url", "schedules[0].freq", "schedules[0].byday", "schedules[0].opens_at",
				"schedules[0].closes_at", "schedules[1].closes_at", "schedules[1].location_id", "contacts[0].name", "contacts[0].email",
				"cost_options[0].amount", "cost_options[1].amount", "capacity.status", "capacity.available"} {
				wantField(t, err, f)
			}
			none := newAsset(w.vcs, "Nowhere")
			none.Locations = nil
			wantField(t, w.assets.CreateAsset(w.as(w.coordinator), none), "locations")
		})
	})
}

func TestAssetVersions(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := newAsset(w.vcs, "Youth Boxing")
		if err := w.assets.CreateAsset(w.as(w.community), a); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(24 * time.Hour)
		a.Capacity.Status = linkwork.CapacityFull
		if err := w.assets.UpdateAsset(w.as(w.coordinator), a); err != nil {
			t.Fatal(err)
		}
		stale := *a
		stale.Version = 1
		wantCode(t, w.assets.UpdateAsset(w.as(w.coordinator), &stale), linkwork.ECONFLICT)

		t.Run("each save is kept, newest first, with who and when", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.community, w.coordinator, w.foreignCoord} {
				vs, err := w.assets.FindAssetVersions(w.as(u), a.ID)
				if err != nil {
					t.Fatalf("as %s: %v", u.Name, err)
				}
				if len(vs) != 2 {
					t.Fatalf("as %s: %d versions, want 2 (a refused update keeps none)", u.Name, len(vs))
				}
				v2, v1 := vs[0], vs[1]
				if v2.Version != 2 || v2.ChangedBy != w.coordinator.ID || v2.ChangedByName != w.coordinator.Name || v2.Asset.Capacity.Status != linkwork.CapacityFull {
					t.Errorf("version 2: %+v", v2)
				}
				if v1.Version != 1 || v1.ChangedBy != w.community.ID || v1.Asset.Capacity.Status != linkwork.CapacityAccepting || !v1.ChangedAt.Before(v2.ChangedAt) {
					t.Errorf("version 1: %+v", v1)
				}
				if v1.AssetID != a.ID || v1.Asset.Name != "Youth Boxing" || v1.Asset.Locations[0].PostalCode != "S2 4HT" || !v1.Asset.Free() {
					t.Errorf("version 1's listing: %+v", v1.Asset)
				}
			}
		})
		t.Run("only those who may change it see its history", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.referrer, w.commissioner, w.admin, w.safeguarding} {
				_, err := w.assets.FindAssetVersions(w.as(u), a.ID)
				wantCode(t, err, linkwork.EFORBIDDEN)
			}
			other := newAsset(w.otherVCS, "Not theirs")
			if err := w.assets.CreateAsset(w.as(w.coordinator), other); err != nil {
				t.Fatal(err)
			}
			_, err := w.assets.FindAssetVersions(w.as(w.community), other.ID)
			wantCode(t, err, linkwork.EFORBIDDEN)
			_, err = w.assets.FindAssetVersions(t.Context(), a.ID)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
			_, err = w.assets.FindAssetVersions(w.as(w.coordinator), "nope")
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("every save is audited", func(t *testing.T) {
			events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{RecordType: "asset", RecordID: a.ID})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range events {
				actions = append(actions, e.Action)
			}
			slices.Sort(actions)
			if !slices.Equal(actions, []string{"asset.create", "asset.update"}) {
				t.Errorf("audit actions %v", actions)
			}
		})
	})
}

// TestMigrationMovesListingsIntoTheirTables builds a database as linkwork
// left it before the directory had several locations, then migrates it.
func TestMigrationMovesListingsIntoTheirTables(t *testing.T) {
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			db := openAtVersion(t, dialect, "before_directory", 3)
			for _, q := range []string{
				`INSERT INTO organisations (id, name, kind, created_at, updated_at) VALUES ('00000000-0000-4000-8000-000000000001', 'Northfield Boxing Club', 'vcs', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
				`INSERT INTO assets (id, org_id, name, description, status, how_to_join, capacity, free, cost_note, online, location_name, address, town, postcode, lat, lon, languages, created_at, updated_at)
				 VALUES ('00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-000000000001', 'Youth Boxing', 'Pads and skipping', 'active', 'drop_in', 'accepting',
				 FALSE, '£2 a session', FALSE, 'Northfield Hall', '1 Park Road', 'Millbrook', 'LS6 2AA', 53.82, -1.578, 'English, Urdu', '2026-01-01 00:00:00', '2026-01-02 00:00:00')`,
				`INSERT INTO assets (id, org_id, name, description, status, how_to_join, capacity, free, cost_note, online, languages, created_at, updated_at)
				 VALUES ('00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-000000000001', 'Online Peer Support', 'Chat with others', 'active', 'self_refer', 'waiting_list',
				 TRUE, '', TRUE, '', '2026-01-01 00:00:00', '2026-01-01 00:00:00')`,
				`INSERT INTO asset_categories (asset_id, category) VALUES ('00000000-0000-4000-8000-0000000000a1', 'sports'), ('00000000-0000-4000-8000-0000000000a2', 'wellbeing_support')`,
			} {
				if err := db.Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			s := sqlstore.NewAssetService(db)
			boxing, err := s.FindAssetByID(ctx, "00000000-0000-4000-8000-0000000000a1")
			if err != nil {
				t.Fatal(err)
			}
			l := boxing.Locations
			if len(l) != 1 || l[0].Type != linkwork.LocationPhysical || l[0].Name != "Northfield Hall" || l[0].Address1 != "1 Park Road" || l[0].City != "Millbrook" ||
				l[0].PostalCode != "LS6 2AA" || l[0].Country != "GB" || l[0].Lat != 53.82 || l[0].Lon != -1.578 || len(l[0].ID) != 36 {
				t.Errorf("locations %+v", l)
			}
			if c := boxing.CostOptions; len(c) != 1 || c[0].Amount != nil || c[0].AmountDescription != "£2 a session" || boxing.Free() {
				t.Errorf("cost options %+v", c)
			}
			if !slices.Equal(boxing.Languages, []string{"English", "Urdu"}) {
				t.Errorf("languages %q", boxing.Languages)
			}
			if boxing.Capacity.Status != linkwork.CapacityAccepting || boxing.Capacity.Updated.IsZero() {
				t.Errorf("capacity %+v", boxing.Capacity)
			}
			peer, err := s.FindAssetByID(ctx, "00000000-0000-4000-8000-0000000000a2")
			if err != nil {
				t.Fatal(err)
			}
			if !peer.Online() || peer.InPerson() || !peer.Free() || len(peer.Languages) != 0 {
				t.Errorf("online listing %+v", peer)
			}
			for _, tt := range []struct {
				f    linkwork.AssetFilter
				want string
			}{
				{linkwork.AssetFilter{Query: "urdu"}, boxing.ID},
				{linkwork.AssetFilter{Query: "northfield hall"}, boxing.ID},
				{linkwork.AssetFilter{Query: "wellbeing"}, peer.ID},
				{linkwork.AssetFilter{Query: "pads"}, boxing.ID},
				{linkwork.AssetFilter{Mode: linkwork.AttendOnline}, peer.ID},
				{linkwork.AssetFilter{Mode: linkwork.AttendInPerson}, boxing.ID},
				{linkwork.AssetFilter{FreeOnly: true}, peer.ID},
				{linkwork.AssetFilter{Near: &leedsLS6, Radius: 1000}, boxing.ID},
			} {
				list, total, err := s.FindAssets(ctx, tt.f)
				if err != nil || total != 1 || list[0].Asset.ID != tt.want {
					t.Errorf("%+v: %d found (%v), want %s", tt.f, total, err, tt.want)
				}
			}
		})
	}
}

// TestSearchRanksEachWordByWhereItIs: for each word of a search, a listing
// scores 10 when its name has it (by stem, or as a prefix when the word is
// still being typed), else 4 when its keywords do (here a place), else 1
// (its description); the best come first, ties by name. The database
// ranks and returns the page (SQLite scores few matches in Go), the same
// on both engines.
func TestSearchRanksEachWordByWhereItIs(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := w.as(w.coordinator)
		add := func(name, place, description string, cat linkwork.Category) string {
			t.Helper()
			a := newAsset(w.vcs, name)
			a.Categories, a.Description = []linkwork.Category{cat}, description
			a.Locations[0].Name = place
			if err := w.assets.CreateAsset(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a.Name
		}
		youthClub := add("Youth Club (Tuesdays)", "Hall", "Games and chat.", linkwork.CategorySocial)
		gamesNight := add("Games Night", "Youth Club Hall", "Board games.", linkwork.CategorySocial)
		boardGames := add("Board Games Café", "Hall", "Run by the youth club.", linkwork.CategorySocial)
		swim := add("Quiet Swim at Hollin Park", "Pool", "Lengths for adults.", linkwork.CategorySports)
		tea := add("Tea and Chat", "Hall", "Swimming afterwards for those who like it.", linkwork.CategorySocial)
		tests := []struct {
			name  string
			f     linkwork.AssetFilter
			want  []string
			total int
		}{
			{"both words in the name, then both in a place, then in the description", linkwork.AssetFilter{Query: "youth club"}, []string{youthClub, gamesNight, boardGames}, 3},
			{"a stem in the name before the word in the description", linkwork.AssetFilter{Query: "swimming"}, []string{swim, tea}, 2},
			{"ties by name", linkwork.AssetFilter{Query: "games"}, []string{boardGames, gamesNight, youthClub}, 3},
			{"a word still being typed, in the name first", linkwork.AssetFilter{Query: "gam"}, []string{boardGames, gamesNight, youthClub}, 3},
			{"only the page, counted in full", linkwork.AssetFilter{Query: "games", Offset: 1, Limit: 1}, []string{gamesNight}, 3},
			{"past the end, counted in full", linkwork.AssetFilter{Query: "games", Offset: 5, Limit: 1}, nil, 3},
			{"by name when asked", linkwork.AssetFilter{Query: "youth club", Sort: linkwork.SortName}, []string{boardGames, gamesNight, youthClub}, 3},
		}
		// SQLite scores few matches in Go, many in SQL: both ways.
		eachWay(w, []searchWay{{false, -1}, {false, 0}}, func(way searchWay) {
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					list, total, err := w.assets.FindAssets(t.Context(), tt.f)
					if err != nil {
						t.Fatal(err)
					}
					var got []string
					for _, m := range list {
						got = append(got, m.Asset.Name)
					}
					if total != tt.total || !slices.Equal(got, tt.want) {
						t.Errorf("few %d: got %q (total %d), want %q (total %d)", way.few, got, total, tt.want, tt.total)
					}
				})
			}
		})
	})
}
