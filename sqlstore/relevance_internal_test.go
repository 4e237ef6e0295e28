package sqlstore

import (
	"slices"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestRoughStemAndRelevance(t *testing.T) {
	for in, want := range map[string]string{"swimming": "swim", "swim": "swim", "classes": "class", "class": "class", "groups": "group",
		"running": "run", "runners": "run", "parties": "party", "walked": "walk", "football": "football", "art": "art", "arts": "art"} {
		if got := roughStem(in); got != want {
			t.Errorf("roughStem(%q) = %q, want %q", in, got, want)
		}
	}
	group := func(prefix bool, words ...string) spelling {
		g := spelling{words: words, prefix: prefix}
		for _, w := range words {
			g.stems = append(g.stems, roughStem(w))
		}
		return g
	}
	for _, tt := range []struct {
		groups         []spelling
		name, keywords string
		want           float64
	}{
		{[]spelling{group(false, "football")}, "Walking Football", "Sports Social", 10},
		{[]spelling{group(false, "social")}, "Walking Football", "Sports Social", 4},
		{[]spelling{group(false, "tea")}, "Walking Football", "Sports Social", 1},
		{[]spelling{group(false, "swimming")}, "Quiet Swim at Hollin Park", "", 10},
		{[]spelling{group(true, "foot")}, "Walking Football", "", 10},
		{[]spelling{group(false, "foot")}, "Walking Football", "", 1},
		{[]spelling{group(false, "fotball", "football")}, "WALKING FOOTBALL", "", 10},
		{[]spelling{group(false, "youth"), group(true, "club")}, "Youth Club (Tuesdays)", "Social", 20},
		{[]spelling{group(false, "youth"), group(true, "club")}, "Games Night", "Youth club", 8},
	} {
		if got := relevance(tt.groups, tt.name, tt.keywords); got != tt.want {
			t.Errorf("relevance(%v, %q, %q) = %v, want %v", tt.groups, tt.name, tt.keywords, got, tt.want)
		}
	}
}

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
