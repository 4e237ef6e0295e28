// How each engine finds a search's hits: SQLite by its narrow copy and
// places index, PostgreSQL by GIN indexes of words and map cells.

package sqlstore

import (
	"slices"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

// assetHits runs the first step: every listing matching the filter, the
// text (each group of spellings must match) and, near a point, with a place
// within radius metres. Text matches carry their relevance, computed by
// the database (scoreSQL).
func (tx *Tx) assetHits(filter where, groups []spelling, near *linkwork.Point, radius float64) ([]*assetHit, error) {
	if tx.db.dialect.name() == "sqlite" {
		return tx.sqliteHits(filter, groups, near, radius)
	}
	return tx.postgresHits(filter, groups, near, radius)
}

// hitSet gathers hits by listing, keeping each one's nearest place.
type hitSet struct {
	hits  []*assetHit
	byKey map[string]*assetHit
}

func (s *hitSet) add(id, name string, score float64) *assetHit {
	if s.byKey == nil {
		s.byKey = map[string]*assetHit{}
	}
	h := s.byKey[id]
	if h == nil {
		h = &assetHit{id: id, name: name, score: score}
		s.byKey[id] = h
		s.hits = append(s.hits, h)
	}
	return h
}

// near records a place d metres away.
func (h *assetHit) near(d float64) {
	h.places++
	if !h.hasDist || d < h.dist {
		h.dist, h.hasDist = d, true
	}
}

// sqliteHits finds the hits in SQLite. Filters read asset_search, the
// narrow copy of each listing's filtered columns keyed by the number FTS5
// and the places index use. A search near a point starts from the places
// in the box (keeping, when there is text, those whose listing matches
// it: the matches found once, as a set of numbers) and within the circle;
// only then does it read those listings.
func (tx *Tx) sqliteHits(filter where, groups []spelling, near *linkwork.Point, radius float64) ([]*assetHit, error) {
	var set hitSet
	if near != nil {
		// Without text: the places in the box with their listings.
		// With text: the places in the box whose listings match it, from
		// the index alone; then the listings of those within the circle.
		minLat, maxLat, minLon, maxLon := boundingBox(*near, radius)
		if len(groups) == 0 {
			err := tx.eachRow(`SELECT a.id, a.name, l.lat, l.lon FROM asset_locations l JOIN asset_search a ON a.num = l.search_num
				WHERE l.type = 'physical' AND l.lat BETWEEN ? AND ? AND l.lon BETWEEN ? AND ? AND `+filter.sql(),
				append([]any{minLat, maxLat, minLon, maxLon}, filter.args...), func(row scanner) error {
					var id, name string
					var lat, lon float64
					if err := row.Scan(&id, &name, &lat, &lon); err != nil {
						return err
					}
					if d := ukpostcode.Distance(near.Lat, near.Lon, lat, lon); d <= radius {
						set.add(id, name, 0).near(d)
					}
					return nil
				})
			return set.hits, err
		}
		return tx.sqliteNearWordHits(filter, groups, *near, radius, -1)
	}
	return tx.sqliteWordHits(filter, groups)
}

// sqliteNearWordHits finds in SQLite the listings matching the filter and
// the words (which m listings match anywhere; -1 when not yet counted)
// with a place within radius metres of p: the places of the matches in
// the circle's box, then those listings inside the circle, scored in Go
// (relevance).
func (tx *Tx) sqliteNearWordHits(filter where, groups []spelling, p linkwork.Point, radius float64, m int) ([]*assetHit, error) {
	minLat, maxLat, minLon, maxLon := boundingBox(p, radius)
	// The places from the box, or from the matches when they are the
	// fewer (search_near_words.go).
	match := ftsQuery(groups)
	if m < 0 {
		var err error
		if m, err = tx.count("SELECT COUNT(*) FROM asset_fts WHERE asset_fts MATCH ?", match); err != nil {
			return nil, err
		}
	}
	if m == 0 {
		return nil, nil
	}
	var set hitSet
	dist := map[int64]float64{}
	places := map[int64]int{}
	err := tx.eachMatchingPlace(minLat, maxLat, minLon, maxLon, match, m, func(num int64, lat, lon float64) error {
		if d := ukpostcode.Distance(p.Lat, p.Lon, lat, lon); d <= radius {
			places[num]++
			if cur, ok := dist[num]; !ok || d < cur {
				dist[num] = d
			}
		}
		return nil
	})
	if err != nil || len(dist) == 0 {
		return nil, err
	}
	nums := make([]int64, 0, len(dist))
	for n := range dist {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	in := make([]any, len(nums))
	for i, n := range nums {
		in[i] = n
	}
	err = inChunks(in, func(list string, chunk []any) error {
		// The listings inside the circle are scored in Go (relevance).
		return tx.eachRow("SELECT a.num, a.id, a.name, a.keywords FROM asset_search a WHERE a.num IN "+list+" AND "+filter.sql(), append(chunk, filter.args...), func(row scanner) error {
			var num int64
			var id, name, keywords string
			if err := row.Scan(&num, &id, &name, &keywords); err != nil {
				return err
			}
			h := set.add(id, name, relevance(groups, name, keywords))
			h.near(dist[num])
			h.places = places[num]
			return nil
		})
	})
	return set.hits, err
}

// sqliteWordHits finds every listing matching the filter and the words
// in SQLite, scored in Go (relevance).
func (tx *Tx) sqliteWordHits(filter where, groups []spelling) ([]*assetHit, error) {
	q := "SELECT a.id, a.name, a.keywords FROM asset_fts JOIN asset_search a ON a.num = asset_fts.rowid WHERE asset_fts MATCH ? AND " + filter.sql()
	args := append([]any{ftsQuery(groups)}, filter.args...)
	if len(groups) == 0 {
		// No words and no point: the filter alone (a search reaching
		// beyond a circle, search_reaching.go).
		q, args = "SELECT a.id, a.name, a.keywords FROM asset_search a WHERE "+filter.sql(), filter.args
	}
	var set hitSet
	err := tx.eachRow(q, args, func(row scanner) error {
		var id, name, keywords string
		if err := row.Scan(&id, &name, &keywords); err != nil {
			return err
		}
		set.add(id, name, relevance(groups, name, keywords))
		return nil
	})
	return set.hits, err
}

// inChunks calls fn with the values a few thousand at a time, and the
// placeholders for them: "(?, ?, …)". SQLite allows 32,766 bound values
// in a statement.
func inChunks(values []any, fn func(in string, chunk []any) error) error {
	const size = 5000
	for start := 0; start < len(values); start += size {
		chunk := values[start:min(start+size, len(values))]
		if err := fn("("+placeholders(len(chunk))+")", chunk); err != nil {
			return err
		}
	}
	return nil
}

// postgresHits finds the hits in PostgreSQL. Near a point, the map cells
// around it and the text (when there is any) are both GIN index searches
// on assets, which the planner ANDs as bitmaps before it reads a listing;
// then the places of those listings are read for their exact distances.
// A circle too big for a few dozen cells is found through the index of
// places instead.
func (tx *Tx) postgresHits(filter where, groups []spelling, near *linkwork.Point, radius float64) ([]*assetHit, error) {
	var w where
	if len(groups) > 0 {
		w.add("a.search @@ to_tsquery('english', ?)", tsQuery(groups))
	}
	var cells []string
	var minLat, maxLat, minLon, maxLon float64
	if near != nil {
		minLat, maxLat, minLon, maxLon = boundingBox(*near, radius)
		cells = cellsOf(minLat, maxLat, minLon, maxLon)
		if len(cells) > 0 {
			w.add("a.places_search @@ to_tsquery('simple', ?)", strings.Join(cells, " | "))
		}
	}
	w.conds = append(w.conds, filter.conds...)
	w.args = append(w.args, filter.args...)

	score, scoreArgs := tx.scoreSQL(groups)
	var set hitSet
	if near == nil || len(cells) > 0 {
		err := tx.eachRow("SELECT a.id, a.name, "+score+" FROM assets a WHERE "+w.sql(), append(scoreArgs, w.args...), func(row scanner) error {
			var id, name string
			var score float64
			if err := row.Scan(&id, &name, &score); err != nil {
				return err
			}
			set.add(id, name, score)
			return nil
		})
		if err != nil || near == nil || len(set.hits) == 0 {
			return set.hits, err
		}
		// One array parameter rather than thousands: the statement is
		// planned as quickly for a city as for a village.
		ids := make([]string, len(set.hits))
		for i, h := range set.hits {
			ids[i] = h.id
		}
		err = tx.eachRow("SELECT asset_id, lat, lon FROM asset_locations WHERE asset_id = ANY(?) AND type = 'physical'", []any{ids}, func(row scanner) error {
			var id string
			var lat, lon float64
			if err := row.Scan(&id, &lat, &lon); err != nil {
				return err
			}
			if d := ukpostcode.Distance(near.Lat, near.Lon, lat, lon); d <= radius {
				set.byKey[id].near(d)
			}
			return nil
		})
		var out []*assetHit
		for _, h := range set.hits {
			if h.hasDist {
				out = append(out, h)
			}
		}
		return out, err
	}
	w.add("l.type = 'physical' AND l.lat BETWEEN ? AND ? AND l.lon BETWEEN ? AND ?", minLat, maxLat, minLon, maxLon)
	err := tx.eachRow("SELECT a.id, a.name, "+score+", l.lat, l.lon FROM assets a JOIN asset_locations l ON l.asset_id = a.id WHERE "+w.sql(), append(scoreArgs, w.args...), func(row scanner) error {
		var id, name string
		var score, lat, lon float64
		if err := row.Scan(&id, &name, &score, &lat, &lon); err != nil {
			return err
		}
		if d := ukpostcode.Distance(near.Lat, near.Lon, lat, lon); d <= radius {
			set.add(id, name, score).near(d)
		}
		return nil
	})
	return set.hits, err
}
