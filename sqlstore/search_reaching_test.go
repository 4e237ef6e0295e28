package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// A search near a point that reaches beyond the circle finds, after the
// listings with a place in it (nearest first), those that reach the point
// from elsewhere (by name): online ones, and those whose service areas
// name the point's postcode, district, area or town. Its services at
// locations are the places in the circle, the online locations, and every
// location of a listing whose area covers the point.
func TestSearchReachingBeyondTheCircle(t *testing.T) {
	eachDirectory(t, func(t *testing.T, w *world, d *directory) {
		// Visits people at home across LS1, from an office in Sheffield.
		visits := newAsset(w.otherVCS, "Home visits in Leeds")
		visits.Locations = []linkwork.Location{place("Office", "S10 1AA", sheffieldS10)}
		visits.ServiceAreas = []string{"ls1"}
		// Covers LS6 only.
		elsewhere := newAsset(w.otherVCS, "Befriending in Headingley")
		elsewhere.Locations = []linkwork.Location{place("Office", "S10 1AA", sheffieldS10)}
		elsewhere.ServiceAreas = []string{"LS6"}
		for _, a := range []*linkwork.Asset{visits, elsewhere} {
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
		}
		reaching := []string{"LS1 4AP", "LS1 4", "LS1", "LS", "Leeds"}
		names := func(list []*linkwork.AssetMatch) []string {
			var out []string
			for _, m := range list {
				out = append(out, m.Asset.Name)
			}
			return out
		}
		tests := []struct {
			name string
			f    linkwork.AssetFilter
			want []string
		}{
			{"within 2 km of LS1: its place only", linkwork.AssetFilter{Near: at(leedsLS1), Radius: 2000}, []string{d.walking.Name}},
			{"reaching: then online and covering listings, by name", linkwork.AssetFilter{Near: at(leedsLS1), Radius: 2000, Reaching: reaching},
				[]string{d.walking.Name, visits.Name, d.counselling.Name}},
			{"reaching, with text", linkwork.AssetFilter{Near: at(leedsLS1), Radius: 2000, Reaching: reaching, Query: "counselling"}, []string{d.counselling.Name}},
			{"reaching, with a filter none meets", linkwork.AssetFilter{Near: at(leedsLS1), Radius: 2000, Reaching: reaching, Category: linkwork.CategoryCreative}, nil},
			{"reaching the area by its town alone", linkwork.AssetFilter{Near: at(farFromBoth), Radius: 1000, Reaching: []string{"leeds"}}, []string{d.counselling.Name}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				list, total, err := w.assets.FindAssets(t.Context(), tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if got := names(list); !slices.Equal(got, tt.want) || total != len(tt.want) {
					t.Errorf("got %q (total %d), want %q", got, total, tt.want)
				}
				for _, m := range list {
					if m.HasDistance != (m.Asset.ID == d.walking.ID) {
						t.Errorf("%s: has a distance %v", m.Asset.Name, m.HasDistance)
					}
				}
			})
		}

		t.Run("services at locations", func(t *testing.T) {
			f := linkwork.AssetFilter{Near: at(leedsLS1), Radius: 2000, Reaching: reaching}
			type sal struct{ asset, loc string }
			want := []sal{
				{d.walking.Name, "City Sports Hall"}, // not its Sheffield hall
				{visits.Name, "Office"},              // its area covers the point
				{d.counselling.Name, "Online chat"},
			}
			for _, pg := range []struct{ off, lim int }{{0, 10}, {0, 1}, {1, 1}, {2, 1}, {1, 5}, {3, 5}} {
				f.Offset, f.Limit = pg.off, pg.lim
				list, total, err := w.assets.FindLocations(t.Context(), f)
				if err != nil {
					t.Fatal(err)
				}
				var got []sal
				for _, m := range list {
					got = append(got, sal{m.Asset.Name, m.Asset.Locations[m.Location].Name})
				}
				end := min(pg.off+pg.lim, len(want))
				if total != len(want) || !slices.Equal(got, want[min(pg.off, end):end]) {
					t.Errorf("offset %d limit %d: got %v (total %d), want %v of %v", pg.off, pg.lim, got, total, want[min(pg.off, end):end], want)
				}
			}
		})

		t.Run("reaching needs a point", func(t *testing.T) {
			_, _, err := w.assets.FindAssets(t.Context(), linkwork.AssetFilter{Reaching: []string{"LS1"}})
			if linkwork.ErrorCode(err) != linkwork.EINVALID || len(linkwork.ErrorFields(err)) == 0 || linkwork.ErrorFields(err)[0].Field != "reaching" {
				t.Errorf("err %v, want EINVALID naming reaching", err)
			}
		})
	})
}

// ModifiedSince finds the listings changed at or after it.
func TestSearchModifiedSince(t *testing.T) {
	eachDirectory(t, func(t *testing.T, w *world, d *directory) {
		before := w.clock.Now()
		w.clock.Advance(time.Hour)
		changed := w.clock.Now()
		d.pottery.Description = "Wheel throwing; glazes included."
		if err := w.assets.UpdateAsset(w.as(w.coordinator), d.pottery); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name  string
			since time.Time
			want  int
		}{
			{"since before every change", before, 6},
			{"since the change, to the microsecond", changed, 1},
			{"since just after it", changed.Add(time.Millisecond), 0},
		} {
			t.Run(c.name, func(t *testing.T) {
				list, total, err := w.assets.FindAssets(t.Context(), linkwork.AssetFilter{AnyStatus: true, ModifiedSince: c.since})
				if err != nil {
					t.Fatal(err)
				}
				if total != c.want || len(list) != c.want {
					t.Fatalf("%d listings (total %d), want %d", len(list), total, c.want)
				}
				if c.want == 1 && list[0].Asset.ID != d.pottery.ID {
					t.Errorf("found %s", list[0].Asset.Name)
				}
			})
		}
	})
}
