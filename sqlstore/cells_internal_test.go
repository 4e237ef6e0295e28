package sqlstore

import (
	"slices"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// Every place inside a search's box is in one of the cells the search
// asks for.
func TestCellsCoverTheBox(t *testing.T) {
	for _, tt := range []struct {
		lat, lon, radius float64
		cells            bool
	}{
		{53.7997, -1.5492, 5000, true}, {51.5014, -0.1419, 10000, true}, {57.48, -4.22, 25000, true},
		{50.12, -5.53, 10000, true}, {53.7997, -1.5492, 60000, false}, {0.001, -0.001, 3000, true},
	} {
		minLat, maxLat, minLon, maxLon := boundingBox(linkwork.Point{Lat: tt.lat, Lon: tt.lon}, tt.radius)
		cells := cellsOf(minLat, maxLat, minLon, maxLon)
		if (len(cells) > 0) != tt.cells {
			t.Errorf("%+v: %d cells", tt, len(cells))
			continue
		}
		if !tt.cells {
			continue
		}
		for i := 0; i <= 40; i++ {
			for j := 0; j <= 40; j++ {
				lat, lon := minLat+(maxLat-minLat)*float64(i)/40, minLon+(maxLon-minLon)*float64(j)/40
				if !slices.Contains(cells, cellOf(lat, lon)) {
					t.Fatalf("%+v: the point %v,%v is in cell %s, not among %v", tt, lat, lon, cellOf(lat, lon), cells)
				}
			}
		}
	}
	a := &linkwork.Asset{Locations: []linkwork.Location{
		{Type: linkwork.LocationPhysical, Lat: 53.8, Lon: -1.55}, {Type: linkwork.LocationPhysical, Lat: 53.8001, Lon: -1.5501},
		{Type: linkwork.LocationVirtual}, {Type: linkwork.LocationPhysical, Lat: 51.5, Lon: -0.14}}}
	if got, want := placeCells(a), cellOf(53.8, -1.55)+" "+cellOf(51.5, -0.14); got != want {
		t.Errorf("placeCells = %q, want %q", got, want)
	}
}
