// Places near a point, from the index of places alone: the count of a
// search for places within a distance, and its nearest page.

package sqlstore

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

// A search for services at locations near a point, with no text and no
// filter (as /oruk/service_at_locations?postcode=… makes it: every status,
// in person), asks how many places lie within the circle and for the
// nearest few. Reading each place's listing cost a seek a place, and in a
// city most places are within 10 km: 0.2 s for the 22,000 places of a
// 20,000-listing city. Every place is in asset_locations_geo, by position,
// so that:
//
//   - the count is made in strips of latitude: in each strip, the places
//     in a band of longitude wholly inside the circle are counted by the
//     index (COUNT(*), no row leaves SQLite), and only those in the
//     strip's edges, between that band and one wholly enclosing the
//     circle, are measured one by one;
//   - the page is found nearest first: the places within a smaller circle,
//     grown until it holds enough listings for the page, whose listings are
//     then the nearest of all, in order.
//
// Both give exactly what measuring every place would: a place is counted
// without being measured only inside a band whose corners are measured,
// with the same haversine, to be within the circle.

// nearStrips is how many strips of latitude a count is made in: more
// strips make their edges, the places measured one by one, thinner.
const nearStrips = 24

// anyPlace reports whether w asks nothing of a listing but, perhaps, that
// it meets in person (which any listing with a place does): the places
// found near a point are then all those asset_locations_geo holds.
func anyPlace(w where) bool {
	for _, c := range w.conds {
		if c != "a.in_person = TRUE" {
			return false
		}
	}
	return true
}

// physical is the condition on asset_locations l that asset_locations_geo
// holds.
const physical = "l.type = 'physical'"

// The statements of a search of places near a point, each read from
// asset_locations_geo alone: the places of a strip of latitude (below its
// upper edge, or up to it for the last strip) in a band of longitude,
// counted; those outside an inner band, measured; the places in a box,
// with their listings' numbers.
const (
	nearStripCount = "SELECT COUNT(*) FROM asset_locations l WHERE " + physical + " AND l.lat >= ? AND l.lat %s ? AND l.lon BETWEEN ? AND ?"
	nearStripEdges = "SELECT l.lat, l.lon FROM asset_locations l WHERE " + physical + " AND l.lat >= ? AND l.lat %s ? AND l.lon BETWEEN ? AND ?"
	nearEdgesOut   = " AND (l.lon < ? OR l.lon > ?)"
	nearBox        = "SELECT l.search_num, l.lat, l.lon FROM asset_locations l WHERE " + physical + " AND l.lat BETWEEN ? AND ? AND l.lon BETWEEN ? AND ?"
)

// halfWidth is the half-width in degrees of longitude of the circle of
// radius metres around (lat0, lon0) at latitude lat, or -1 when the circle
// does not reach that latitude.
func halfWidth(lat0, lat, radius float64) float64 {
	const rad = math.Pi / 180
	s := math.Sin(radius / (2 * ukpostcode.EarthRadius))
	h := s * s
	d := math.Sin((lat - lat0) * rad / 2)
	if d*d > h {
		return -1
	}
	x := (h - d*d) / (math.Cos(lat0*rad) * math.Cos(lat*rad))
	if x >= 1 {
		return 180
	}
	return 2 * math.Asin(math.Sqrt(x)) / rad
}

// countNearPlaces counts the places within radius metres of p.
func (tx *Tx) countNearPlaces(p linkwork.Point, radius float64) (int, error) {
	minLat, maxLat, minLon, maxLon := boundingBox(p, radius)
	step := (maxLat - minLat) / nearStrips
	total := 0
	for i := range nearStrips {
		lo, hi := minLat+float64(i)*step, minLat+float64(i+1)*step
		upper := "<"
		if i == nearStrips-1 {
			hi, upper = maxLat, "<="
		}
		// The band wholly inside: no wider than the circle at the strip's
		// edge furthest from the centre, narrowed a little, and kept only
		// when its corners measure inside.
		in := min(halfWidth(p.Lat, lo, radius), halfWidth(p.Lat, hi, radius))
		in = in*(1-1e-6) - 1e-7
		if in > 0 {
			for _, lat := range []float64{lo, hi} {
				for _, lon := range []float64{p.Lon - in, p.Lon + in} {
					if ukpostcode.Distance(p.Lat, p.Lon, lat, lon) > radius {
						in = -1
					}
				}
			}
		}
		// The band that encloses every place of the strip within the
		// circle: as wide as the circle anywhere in the strip, widened a
		// little.
		mid := math.Min(math.Max(p.Lat, lo), hi)
		out := max(halfWidth(p.Lat, lo, radius), halfWidth(p.Lat, hi, radius), halfWidth(p.Lat, mid, radius))
		if out < 0 {
			continue
		}
		outLo, outHi := math.Max(p.Lon-out*1.001-1e-6, minLon), math.Min(p.Lon+out*1.001+1e-6, maxLon)
		edges, args := fmt.Sprintf(nearStripEdges, upper), []any{lo, hi, outLo, outHi}
		if in > 0 {
			n, err := tx.count(fmt.Sprintf(nearStripCount, upper), lo, hi, p.Lon-in, p.Lon+in)
			if err != nil {
				return 0, err
			}
			total += n
			edges += nearEdgesOut
			args = append(args, p.Lon-in, p.Lon+in)
		}
		err := tx.eachRow(edges, args, func(row scanner) error {
			var lat, lon float64
			if err := row.Scan(&lat, &lon); err != nil {
				return err
			}
			if ukpostcode.Distance(p.Lat, p.Lon, lat, lon) <= radius {
				total++
			}
			return nil
		})
		if err != nil {
			return 0, err
		}
	}
	return total, nil
}

// nearestListings returns, nearest first (then by name and id), at least
// the first need listings with a place within radius metres of p (all of
// them when there are fewer), each with its distance and how many of its
// places are within the circle. total is how many places the circle
// holds, to guess the first smaller circle that has enough.
func (tx *Tx) nearestListings(p linkwork.Point, radius float64, need, total int) ([]*assetHit, error) {
	r := radius
	if total > 0 && need < total {
		// As if places were spread evenly, twice the area that holds
		// enough.
		r = math.Min(radius, radius*math.Sqrt(2*float64(need)/float64(total)))
	}
	var found map[int64]float64
	for {
		found = map[int64]float64{}
		minLat, maxLat, minLon, maxLon := boundingBox(p, r)
		err := tx.eachRow(nearBox, []any{minLat, maxLat, minLon, maxLon}, func(row scanner) error {
			var num int64
			var lat, lon float64
			if err := row.Scan(&num, &lat, &lon); err != nil {
				return err
			}
			if d := ukpostcode.Distance(p.Lat, p.Lon, lat, lon); d <= r {
				if cur, ok := found[num]; !ok || d < cur {
					found[num] = d
				}
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		// Every listing with a place within r is found, at its distance:
		// they are the nearest of all.
		if len(found) >= need || r >= radius {
			break
		}
		r = math.Min(radius, r*2)
	}
	if len(found) == 0 {
		return nil, nil
	}
	nums := make([]any, 0, len(found))
	for n := range found {
		nums = append(nums, n)
	}
	slices.SortFunc(nums, func(a, b any) int { return int(a.(int64) - b.(int64)) })
	var set hitSet
	byNum := map[int64]*assetHit{}
	err := inChunks(nums, func(in string, chunk []any) error {
		return tx.eachRow("SELECT a.num, a.id, a.name FROM asset_search a WHERE a.num IN "+in, chunk, func(row scanner) error {
			var num int64
			var id, name string
			if err := row.Scan(&num, &id, &name); err != nil {
				return err
			}
			h := set.add(id, name, 0)
			h.dist, h.hasDist = found[num], true
			byNum[num] = h
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	sortHits(set.hits, linkwork.SortDistance, false, true)
	hits := set.hits[:min(need, len(set.hits))]
	// How many of each one's places are within the whole circle.
	ids := make([]any, len(hits))
	byID := make(map[string]*assetHit, len(hits))
	for i, h := range hits {
		ids[i], byID[h.id] = h.id, h
	}
	err = inChunks(ids, func(in string, chunk []any) error {
		return tx.eachRow("SELECT l.asset_id, l.lat, l.lon FROM asset_locations l WHERE l.asset_id IN "+in+" AND "+physical, chunk, func(row scanner) error {
			var id string
			var lat, lon float64
			if err := row.Scan(&id, &lat, &lon); err != nil {
				return err
			}
			if ukpostcode.Distance(p.Lat, p.Lon, lat, lon) <= radius {
				byID[id].places++
			}
			return nil
		})
	})
	return hits, err
}

// The directory near a point with no words and no filter but the one it
// always has (listed: active or temporarily closed; perhaps in person),
// nearest first, counts listings rather than places, so the strips cannot
// count it. It read every place in the circle's box with its listing's
// narrow row (name, keywords and all: 3 MB for the 22,000 places of a
// 20,000-listing city, 0.2-0.5 s). Now the places are read from
// asset_locations_geo alone and measured, giving each listing's distance;
// the listings not listed, a small part of any directory, are read from
// asset_search_status; and only the page's listings (with those at the
// same distance as its last, whose names decide the order) are read.

// listedStatus is the condition assetFilterWhere puts on a search that
// does not ask for every status.
const listedStatus = "a.status IN (?, ?)"

// listedPlace reports whether w asks nothing of a listing but that it is
// listed and, perhaps, that it meets in person.
func listedPlace(w where) bool {
	listed := false
	for _, c := range w.conds {
		switch c {
		case listedStatus:
			listed = true
		case "a.in_person = TRUE":
		default:
			return false
		}
	}
	return listed
}

// unlistedNums is the statement that finds the listings not listed: every
// status but the two, as ranges of asset_search_status.
const unlistedNums = "SELECT a.num FROM asset_search a WHERE a.status < 'active' OR (a.status > 'active' AND a.status < 'temporarily closed') OR a.status > 'temporarily closed'"

// nearListed returns the listed listings with a place within radius
// metres of p, nearest first (then by name and id), as many as need (all
// when fewer), and how many there are.
func (tx *Tx) nearListed(p linkwork.Point, radius float64, need int) ([]*assetHit, int, error) {
	minLat, maxLat, minLon, maxLon := boundingBox(p, radius)
	dist := map[int64]float64{}
	err := tx.eachRow(nearBox, []any{minLat, maxLat, minLon, maxLon}, func(row scanner) error {
		var num int64
		var lat, lon float64
		if err := row.Scan(&num, &lat, &lon); err != nil {
			return err
		}
		if d := ukpostcode.Distance(p.Lat, p.Lon, lat, lon); d <= radius {
			if cur, ok := dist[num]; !ok || d < cur {
				dist[num] = d
			}
		}
		return nil
	})
	if err != nil || len(dist) == 0 {
		return nil, 0, err
	}
	err = tx.eachRow(unlistedNums, nil, func(row scanner) error {
		var num int64
		if err := row.Scan(&num); err != nil {
			return err
		}
		delete(dist, num)
		return nil
	})
	if err != nil || len(dist) == 0 {
		return nil, 0, err
	}
	total := len(dist)
	type near struct {
		num int64
		d   float64
	}
	all := make([]near, 0, total)
	for n, d := range dist {
		all = append(all, near{n, d})
	}
	slices.SortFunc(all, func(a, b near) int { return cmp.Compare(a.d, b.d) })
	// The page's listings, and every one as near as its last: names order
	// those at the same distance.
	cut := min(need, total)
	for cut > 0 && cut < total && all[cut].d == all[cut-1].d {
		cut++
	}
	nums := make([]any, cut)
	for i := range cut {
		nums[i] = all[i].num
	}
	var set hitSet
	err = inChunks(nums, func(in string, chunk []any) error {
		return tx.eachRow("SELECT a.num, a.id, a.name FROM asset_search a WHERE a.num IN "+in, chunk, func(row scanner) error {
			var num int64
			var id, name string
			if err := row.Scan(&num, &id, &name); err != nil {
				return err
			}
			set.add(id, name, 0).near(dist[num])
			return nil
		})
	})
	if err != nil {
		return nil, 0, err
	}
	sortHits(set.hits, linkwork.SortDistance, false, true)
	return set.hits[:min(need, len(set.hits))], total, nil
}
