package sqlstore

import (
	"math"
	"slices"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

// Map cells: each place is in a cell of a grid of 0.1° of latitude by
// 0.15° of longitude (about 11 by 10 km in Great Britain), named by its
// row and column, "g1415x1199". A listing's places column holds the
// cells of its places; PostgreSQL indexes it as words, so that "near a
// point" is an index search for the cells the circle's box touches.
const (
	cellLat = 0.1
	cellLon = 0.15
	// maxCells is the most cells a search asks for: a box of about 50 km
	// each way. A bigger circle uses the index of places.
	maxCells = 48
)

// cellOf names the cell of a point. (lat+90) and (lon+180) are never
// negative, so that the engines' floor and Go's agree, and so does the
// migration that fills in the cells of listings already there.
func cellOf(lat, lon float64) string {
	return "g" + strconv.Itoa(int(math.Floor((lat+90)/cellLat))) + "x" + strconv.Itoa(int(math.Floor((lon+180)/cellLon)))
}

// cellsOf names the cells a box touches, or none when there are more than
// maxCells.
func cellsOf(minLat, maxLat, minLon, maxLon float64) []string {
	r0, r1 := int(math.Floor((minLat+90)/cellLat)), int(math.Floor((maxLat+90)/cellLat))
	c0, c1 := int(math.Floor((minLon+180)/cellLon)), int(math.Floor((maxLon+180)/cellLon))
	if (r1-r0+1)*(c1-c0+1) > maxCells {
		return nil
	}
	var out []string
	for r := r0; r <= r1; r++ {
		for c := c0; c <= c1; c++ {
			out = append(out, "g"+strconv.Itoa(r)+"x"+strconv.Itoa(c))
		}
	}
	return out
}

// placeCells is a listing's places column: the cells of its places.
func placeCells(a *linkwork.Asset) string {
	var cells []string
	for _, l := range a.Locations {
		if c := cellOf(l.Lat, l.Lon); l.Physical() && !slices.Contains(cells, c) {
			cells = append(cells, c)
		}
	}
	return strings.Join(cells, " ")
}

// boundingBox returns the latitudes and longitudes that enclose the circle
// of radius metres around p.
func boundingBox(p linkwork.Point, radius float64) (minLat, maxLat, minLon, maxLon float64) {
	const metresPerDegree = ukpostcode.EarthRadius * math.Pi / 180
	dLat := radius / metresPerDegree
	// Longitude degrees are shortest at the edge furthest from the
	// equator.
	edge := math.Min(math.Abs(p.Lat)+dLat, 89.9)
	dLon := radius / (metresPerDegree * math.Cos(edge*math.Pi/180))
	return p.Lat - dLat, p.Lat + dLat, p.Lon - dLon, p.Lon + dLon
}
