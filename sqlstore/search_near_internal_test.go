package sqlstore

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

// TestNearPlacesFromTheirIndexAreThoseMeasuredOneByOne checks the search
// for services at locations near a point that counts and pages from the
// index of places (search_near.go) against the search that reads and
// measures every place: the same total and the same page, in the same
// order, for circles of every size, deep pages and past the end, with
// places just inside and just outside the circle, listings at the same
// distance (ordered by name), online places, and listings of every status,
// some changed after their places were written.
func TestNearPlacesFromTheirIndexAreThoseMeasuredOneByOne(t *testing.T) {
	db, centre := nearCity(t)
	ctx := context.Background()
	type page struct {
		total int
		items []string
	}
	describe := func(out []*linkwork.LocationMatch, total int) page {
		p := page{total: total}
		for _, m := range out {
			p.items = append(p.items, fmt.Sprintf("%s/%d %.3f", m.Asset.ID, m.Location, m.Distance))
		}
		return p
	}
	for _, radius := range []float64{500, 2000, 5000, 10000, 30000} {
		for _, pg := range []struct{ off, lim int }{{0, 50}, {0, 1}, {50, 50}, {37, 13}, {200, 50}, {5000, 50}} {
			for _, sort := range []linkwork.AssetSort{linkwork.SortDefault, linkwork.SortDistance} {
				f := linkwork.AssetFilter{AnyStatus: true, Near: &centre, Radius: radius, Mode: linkwork.AttendInPerson, Sort: sort, Offset: pg.off, Limit: pg.lim}
				q := newDirQuery(f, false)
				var fast, slow page
				err := db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
					if !anyPlace(q.where) {
						t.Fatalf("a search near a point with no filter is not one of any place: %v", q.where.conds)
					}
					out, total, err := tx.searchLocations(q)
					if err != nil {
						return err
					}
					fast = describe(out, total)
					hits, err := tx.sortedHits(q)
					if err != nil {
						return err
					}
					out, total, err = tx.locationPage(hits, q.near, q.radius, q.off, q.lim, false)
					slow = describe(out, total)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				if fmt.Sprint(fast) != fmt.Sprint(slow) {
					t.Errorf("within %.0f m, offset %d, limit %d, sort %q:\nfrom the index: %v\nmeasured:       %v", radius, pg.off, pg.lim, sort, fast, slow)
				}
				if radius == 10000 && pg.off == 0 && pg.lim == 50 && (slow.total < 100 || len(slow.items) != 50) {
					t.Fatalf("the test's city is too small to tell: %d places within 10 km", slow.total)
				}
			}
		}
	}
}

// TestListedNearAPointFromTheIndexAreThoseMeasuredOneByOne checks the
// directory near a point with no words (search_near.go's nearListed)
// against the search that reads every place with its listing and measures
// it: the same total and page, in the same order, for every size of
// circle, deep pages and past the end, in person or not, with listings of
// every status (one the directory does not know) and at the same
// distance.
func TestListedNearAPointFromTheIndexAreThoseMeasuredOneByOne(t *testing.T) {
	db, centre := nearCity(t)
	ctx := context.Background()
	describe := func(out []*linkwork.AssetMatch, total int) string {
		s := fmt.Sprint(total)
		for _, m := range out {
			s += fmt.Sprintf(" %s %.3f", m.Asset.ID, m.Distance)
		}
		return s
	}
	for _, radius := range []float64{500, 2000, 5000, 10000, 30000} {
		for _, pg := range []struct{ off, lim int }{{0, 25}, {0, 1}, {25, 25}, {37, 13}, {200, 20}, {5000, 25}} {
			for _, f := range []linkwork.AssetFilter{
				{},
				{Sort: linkwork.SortDistance},
				{Sort: linkwork.SortRelevance},
				{Mode: linkwork.AttendInPerson},
			} {
				f.Near, f.Radius, f.Offset, f.Limit = &centre, radius, pg.off, pg.lim
				q := newDirQuery(f, false)
				if !listedPlace(q.where) {
					t.Fatalf("%+v is not a search of listed places: %v", f, q.where.conds)
				}
				var fast, slow string
				var measured int
				err := db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
					out, total, err := tx.searchAssets(q)
					if err != nil {
						return err
					}
					fast = describe(out, total)
					hits, err := tx.sortedHits(q)
					if err != nil {
						return err
					}
					measured = len(hits)
					page := hits[min(q.off, len(hits)):min(q.off+q.lim, len(hits))]
					out, err = tx.loadHits(page)
					slow = describe(out, len(hits))
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
				if fast != slow {
					t.Errorf("within %.0f m, offset %d, limit %d, %+v:\nfrom the index: %v\nmeasured:       %v", radius, pg.off, pg.lim, f, fast, slow)
				}
				if radius == 10000 && measured < 100 {
					t.Fatalf("the test's city is too small to tell: %d listed within 10 km", measured)
				}
			}
		}
	}
}

// TestOnlySearchesWithoutFiltersNearAPointCountPlacesByIndex checks which
// filters the index of places can answer: none but meeting in person.
func TestOnlySearchesWithoutFiltersNearAPointCountPlacesByIndex(t *testing.T) {
	p := &linkwork.Point{Lat: 53.8, Lon: -1.55}
	for _, tt := range []struct {
		name string
		f    linkwork.AssetFilter
		want bool
	}{
		{"near a point, any status", linkwork.AssetFilter{Near: p, AnyStatus: true}, true},
		{"in person, any status", linkwork.AssetFilter{Near: p, AnyStatus: true, Mode: linkwork.AttendInPerson}, true},
		{"listed only", linkwork.AssetFilter{Near: p}, false},
		{"free", linkwork.AssetFilter{Near: p, AnyStatus: true, FreeOnly: true}, false},
		{"a category", linkwork.AssetFilter{Near: p, AnyStatus: true, Category: linkwork.Categories[0]}, false},
		{"an age", linkwork.AssetFilter{Near: p, AnyStatus: true, MinAgeAtLeast: linkwork.Int(16)}, false},
		{"a day", linkwork.AssetFilter{Near: p, AnyStatus: true, Day: "MO"}, false},
		{"online", linkwork.AssetFilter{Near: p, AnyStatus: true, Mode: linkwork.AttendOnline}, false},
		{"youth friendly", linkwork.AssetFilter{Near: p, AnyStatus: true, YouthFriendly: true}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := anyPlace(newDirQuery(tt.f, false).where); got != tt.want {
				t.Errorf("anyPlace = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestNearPlacesAreReadFromTheirIndexAlone checks the plans of the
// statements of a search of places near a point: each reads
// asset_locations_geo, covering, and no table.
func TestNearPlacesAreReadFromTheirIndexAlone(t *testing.T) {
	db := openForWriter(t)
	for _, tt := range []struct {
		name string
		q    string
		args []any
	}{
		{"a strip's count", fmt.Sprintf(nearStripCount, "<"), []any{53.7, 53.71, -1.6, -1.5}},
		{"a strip's edges", fmt.Sprintf(nearStripEdges, "<=") + nearEdgesOut, []any{53.7, 53.71, -1.6, -1.5, -1.58, -1.52}},
		{"the places in a box", nearBox, []any{53.7, 53.9, -1.6, -1.5}},
		{"the listings not listed", unlistedNums, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := db.PlanOf(tt.q, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			index := "asset_locations_geo"
			if tt.q == unlistedNums {
				index = "asset_search_status"
			}
			if !strings.Contains(p.Text, "USING COVERING INDEX "+index) || len(p.FullScans) > 0 {
				t.Errorf("plan:\n%s", p.Text)
			}
		})
	}
}

// nearCity is a directory of 400 listings of every status within 22 km
// of its centre: some with several places, some online as well, places a
// centimetre either side of 2, 5 and 10 km, listings at the same place,
// statuses changed after their places were written, and a place added to
// a closed listing.
func nearCity(t *testing.T) (*DB, linkwork.Point) {
	t.Helper()
	db := openForWriter(t)
	ctx := context.Background()
	centre := linkwork.Point{Lat: 53.7997, Lon: -1.5492}
	r := rand.New(rand.NewPCG(7, 11))
	// A point d metres from the centre on a bearing.
	at := func(d, bearing float64) (float64, float64) {
		const rad = math.Pi / 180
		φ1, λ1, δ, θ := centre.Lat*rad, centre.Lon*rad, d/ukpostcode.EarthRadius, bearing*rad
		φ2 := math.Asin(math.Sin(φ1)*math.Cos(δ) + math.Cos(φ1)*math.Sin(δ)*math.Cos(θ))
		λ2 := λ1 + math.Atan2(math.Sin(θ)*math.Sin(δ)*math.Cos(φ1), math.Cos(δ)-math.Sin(φ1)*math.Sin(φ2))
		return φ2 / rad, λ2 / rad
	}
	var ids []string
	err := db.updateAs(ctx, linkwork.SystemActor("test"), func(tx *Tx) error {
		for i := range 400 {
			a := &linkwork.Asset{Name: fmt.Sprintf("Activity %03d", r.IntN(150)), Status: linkwork.AssetActive,
				HowToJoin: linkwork.JoinSelfRefer, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting}}
			switch {
			case i%10 == 1:
				a.Status = linkwork.AssetInactive
			case i%10 == 2:
				a.Status = linkwork.AssetTempClosed
			case i%10 == 3:
				a.Status = linkwork.AssetDefunct
			}
			for range 1 + r.IntN(3) {
				lat, lon := at(22000*math.Sqrt(r.Float64()), 360*r.Float64())
				a.Locations = append(a.Locations, linkwork.Location{Type: linkwork.LocationPhysical, Name: "Hall", Lat: lat, Lon: lon})
			}
			switch i % 7 {
			case 0: // online as well
				a.Locations = append(a.Locations, linkwork.Location{Type: linkwork.LocationVirtual, Name: "Online", URL: "https://example.org"})
			case 1: // a hair inside or outside 5 km, 2 km or 10 km
				// East and west are where the bands counted unmeasured end.
				radius := []float64{2000, 5000, 10000}[r.IntN(3)]
				bearing := []float64{90, 270, 89.9, 270.1, 0, 180, 360 * r.Float64()}[r.IntN(7)]
				lat, lon := at(radius+[]float64{-0.01, 0.01}[r.IntN(2)], bearing)
				a.Locations = append(a.Locations, linkwork.Location{Type: linkwork.LocationPhysical, Name: "Edge", Lat: lat, Lon: lon})
			case 2: // at the same place as another listing
				a.Locations = append(a.Locations, linkwork.Location{Type: linkwork.LocationPhysical, Name: "Shared", Lat: 53.81, Lon: -1.56})
			}
			if err := tx.insertAsset(a); err != nil {
				return err
			}
			ids = append(ids, a.ID)
		}
		// Closed and reopened after their places were written; a place
		// added to a closed listing.
		for i, id := range ids[:60] {
			status := []string{"inactive", "active", "temporarily closed"}[i%3]
			if _, err := tx.exec("UPDATE assets SET status = ? WHERE id = ?", status, id); err != nil {
				return err
			}
		}
		// A status the directory does not list, nor know.
		if _, err := tx.exec("UPDATE assets SET status = 'archived' WHERE id = ?", ids[70]); err != nil {
			return err
		}
		_, err := tx.exec("INSERT INTO asset_locations (id, asset_id, position, type, name, lat, lon, sal_id) VALUES ('l-closed', ?, 9, 'physical', 'Late', ?, ?, 'sal-closed')",
			ids[1], centre.Lat, centre.Lon)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, centre
}
