// Words near a point, counted up to a bound: the directory's search as
// people make it (words, a postcode and a radius), found in growing
// circles so that its cost follows the page, not the directory.

package sqlstore

import (
	"math"
	"slices"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

// A search with words near a point ranks every listing that matches and
// has a place in the circle, and counts them: in a city most listings lie
// within 10 km of any postcode, so the work grew with the directory. When
// the caller needs the number only up to a bound (AssetFilter.CountUpTo:
// "more than 100 activities"), the search instead reads the places in a
// circle that starts small and grows, keeping those whose listing matches
// the words (found in the full-text index), and reads only
// those listings, for the filter and the relevance. It stops as soon as
// the circle holds enough listings to say that more than the bound match
// and to fill the page, and the page is then certain:
//
//   - nearest first, every listing outside the circle is further away
//     than every one inside;
//   - by relevance (then distance), the page is certain when each of its
//     listings has the highest score a listing can have (the name has
//     every word): one outside may score as much but is further away.
//
// Otherwise the circle grows to the whole radius, and the search is exact,
// as the other path's.

// The places in a box whose listings match the words, with their
// listings' numbers, read either way round: from the index of places,
// probing the set of full-text matches; or from the full-text matches,
// seeking each one's places (asset_locations_num). Both read indexes
// alone.
const (
	nearWordsBox = "SELECT l.search_num, l.lat, l.lon FROM asset_locations l INDEXED BY asset_locations_geo WHERE " + physical +
		" AND l.lat BETWEEN ? AND ? AND l.lon BETWEEN ? AND ? AND l.search_num IN (SELECT rowid FROM asset_fts WHERE asset_fts MATCH ?)"
	nearWordsMatches = "SELECT l.search_num, l.lat, l.lon FROM asset_locations l INDEXED BY asset_locations_num WHERE " + physical +
		" AND l.lat BETWEEN ? AND ? AND l.lon BETWEEN ? AND ? AND l.search_num IN (SELECT rowid FROM asset_fts WHERE asset_fts MATCH ?)"
	// nearBoxCount counts the places in a box, up to a limit.
	nearBoxCount = "SELECT COUNT(*) FROM (SELECT 1 FROM asset_locations l INDEXED BY asset_locations_geo WHERE " + physical +
		" AND l.lat BETWEEN ? AND ? AND l.lon BETWEEN ? AND ? LIMIT ?)"
)

// seekPerMatch is how many places of the box a scan of the index of places
// reads in the time it takes to seek one listing's places: a search reads
// the matches' places when the box holds more than this many times as many
// places as the words match listings.
const seekPerMatch = 8

// fewMatches is how many matches are always read from the matches, without
// counting the box's places first: seeking them costs less than the count.
const fewMatches = 40

// eachMatchingPlace calls fn with each place within the box whose listing
// matches the words (match, which m listings match): from the matches
// when they are few, or fewer than the box's places, else from the box.
func (tx *Tx) eachMatchingPlace(minLat, maxLat, minLon, maxLon float64, match string, m int, fn func(num int64, lat, lon float64) error) error {
	q := nearWordsMatches
	if m > fewMatches {
		box, err := tx.count(nearBoxCount, minLat, maxLat, minLon, maxLon, seekPerMatch*m+1)
		if err != nil {
			return err
		}
		if box <= seekPerMatch*m {
			q = nearWordsBox
		}
	}

	return tx.eachRow(q, []any{minLat, maxLat, minLon, maxLon, match}, func(row scanner) error {
		var num int64
		var lat, lon float64
		if err := row.Scan(&num, &lat, &lon); err != nil {
			return err
		}
		return fn(num, lat, lon)
	})
}

// boundedNearWords reports whether the search near a point with words
// may stop counting (nearWordsPage): SQLite, a bound on the count, a sort
// by relevance or distance, and no areas reached beyond the circle.
func (tx *Tx) boundedNearWords(q dirQuery) bool {
	return tx.db.dialect.name() == "sqlite" && q.countUpTo > 0 && q.near != nil && len(q.words) > 0 &&
		len(q.reaching) == 0 && q.sort != linkwork.SortName
}

// nearWordsPage finds the page of a search with words near a point in
// growing circles, and how many match: exactly, or, when more than
// q.countUpTo match and the page is certain, at least that many and more
// than the page's end.
func (tx *Tx) nearWordsPage(q dirQuery) ([]*assetHit, int, error) {
	groups, err := tx.spellings(q.words, q.trigram)
	if err != nil {
		return nil, 0, err
	}
	// How many listings the words match, anywhere: with too few to stop
	// early, the search is the exact one.
	match := ftsQuery(groups)
	need := max(q.off+q.lim, q.countUpTo) + 1
	m, err := tx.count("SELECT COUNT(*) FROM asset_fts WHERE asset_fts MATCH ?", match)
	if err != nil || m < need {
		if err != nil {
			return nil, 0, err
		}
		hits, err := tx.sqliteNearWordHits(q.where, groups, *q.near, q.radius, m)
		if err != nil {
			return nil, 0, err
		}
		sortHits(hits, q.sort, true, true)
		return hits[min(q.off, len(hits)):min(q.off+q.lim, len(hits))], len(hits), nil
	}
	best := float64(10 * len(groups))
	p := *q.near
	// Listings read so far: a hit, or nil when the filter leaves it out.
	read := map[int64]*assetHit{}
	// The first circle: were every match inside the search's circle and
	// spread evenly, one that holds enough twice over.
	r := nearWordsNext(q.radius, q.radius*math.Sqrt(2*float64(need)/float64(m)))
	for {
		// The matching listings' places within r, each listing at its
		// nearest.
		dist := map[int64]float64{}
		minLat, maxLat, minLon, maxLon := boundingBox(p, r)
		err := tx.eachMatchingPlace(minLat, maxLat, minLon, maxLon, match, m, func(num int64, lat, lon float64) error {
			if d := ukpostcode.Distance(p.Lat, p.Lon, lat, lon); d <= r {
				if cur, ok := dist[num]; !ok || d < cur {
					dist[num] = d
				}
			}
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
		var fresh []any
		for num := range dist {
			if _, ok := read[num]; !ok {
				read[num] = nil
				fresh = append(fresh, num)
			}
		}
		slices.SortFunc(fresh, func(a, b any) int { return int(a.(int64) - b.(int64)) })
		err = inChunks(fresh, func(in string, chunk []any) error {
			return tx.eachRow("SELECT a.num, a.id, a.name, a.keywords FROM asset_search a WHERE a.num IN "+in+" AND "+q.where.sql(), append(chunk, q.where.args...), func(row scanner) error {
				var num int64
				var id, name, keywords string
				if err := row.Scan(&num, &id, &name, &keywords); err != nil {
					return err
				}
				read[num] = &assetHit{id: id, name: name, score: relevance(groups, name, keywords)}
				return nil
			})
		})
		if err != nil {
			return nil, 0, err
		}
		hits := make([]*assetHit, 0, len(dist))
		for num, d := range dist {
			if h := read[num]; h != nil {
				h.dist, h.hasDist = d, true
				hits = append(hits, h)
			}
		}
		sortHits(hits, q.sort, true, true)
		whole := r >= q.radius

		if whole || (len(hits) >= need && (q.sort == linkwork.SortDistance || hits[q.off+q.lim-1].score == best)) {
			total := len(hits)
			return hits[min(q.off, total):min(q.off+q.lim, total)], total, nil
		}
		// Grow the circle: as if the matches were spread evenly, to
		// half as much again as the area that should hold enough, at
		// least twice as wide.
		grow := 2.0
		if len(hits) > 0 {
			grow = math.Max(grow, math.Sqrt(1.5*float64(need)/float64(len(hits))))
		} else {
			grow = 4
		}
		r = nearWordsNext(q.radius, r*grow)
	}
}

// nearWordsNext is the next circle's radius: r, or the search's own when r
// comes near it (a circle of 70% of the radius covers half the area, and
// reading it first would only be repeated).
func nearWordsNext(radius, r float64) float64 {
	if r >= 0.7*radius {
		return radius
	}
	return r
}
