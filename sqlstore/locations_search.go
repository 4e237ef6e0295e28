package sqlstore

import (
	"context"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

// Searching for locations rather than listings: Open Referral UK's
// services at locations, a listing's location each. A search with neither
// text nor a point counts and pages the listing × location pairs in SQL,
// reading their ids first (locationPageQuery: an offset over an index of
// the order, or a sort of the filter's matches) and then only the
// listings the page reaches. Any other search finds its hits as FindAssets
// does (the first step already measures each place, and counts those in
// the circle), counts each hit's locations, and reads only the listings
// the page reaches.

// FindLocations searches the directory and returns a page of the found
// listings' locations, and how many there are.
func (s *AssetService) FindLocations(ctx context.Context, f linkwork.AssetFilter) ([]*linkwork.LocationMatch, int, error) {
	return find(ctx, s, f, (*Tx).searchLocations)
}

func (tx *Tx) searchLocations(q dirQuery) ([]*linkwork.LocationMatch, int, error) {
	w, near, radius, off, lim := q.where, q.near, q.radius, q.off, q.lim
	if q.byName() {
		pairs, total, err := tx.locationPairs(w, off, lim)
		if err != nil || len(pairs) == 0 {
			return nil, total, err
		}
		var hits []*assetHit
		for i, p := range pairs {
			if i == 0 || pairs[i-1].asset != p.asset {
				hits = append(hits, &assetHit{id: p.asset})
			}
		}
		matches, err := tx.loadHits(hits)
		if err != nil {
			return nil, 0, err
		}
		byID := make(map[string]*linkwork.AssetMatch, len(matches))
		for _, m := range matches {
			byID[m.Asset.ID] = m
		}
		out := make([]*linkwork.LocationMatch, 0, len(pairs))
		for _, p := range pairs {
			m := byID[p.asset]
			if m == nil {
				continue
			}
			for i, l := range m.Asset.Locations {
				if l.ID == p.loc {
					out = append(out, &linkwork.LocationMatch{AssetMatch: m, Location: i})
					break
				}
			}
		}
		return out, total, nil
	}

	if near != nil && len(q.words) == 0 && len(q.reaching) == 0 && q.sort != linkwork.SortName && anyPlace(w) && tx.db.dialect.name() == "sqlite" {
		// Any place near a point: counted, and the nearest found, from
		// the index of places (search_near.go).
		total, err := tx.countNearPlaces(*near, radius)
		if err != nil || off >= total {
			return nil, total, err
		}
		hits, err := tx.nearestListings(*near, radius, off+lim, total)
		if err != nil {
			return nil, 0, err
		}
		out, _, err := tx.locationPage(hits, near, radius, off, lim, false)
		return out, total, err
	}
	hits, err := tx.sortedHits(q)
	if err != nil {
		return nil, 0, err
	}
	if near == nil {
		if err := tx.countLocations(hits); err != nil {
			return nil, 0, err
		}
	}
	if len(q.reaching) > 0 {
		if err := tx.countReachedLocations(hits); err != nil {
			return nil, 0, err
		}
	}
	return tx.locationPage(hits, near, radius, off, lim, len(q.reaching) > 0)
}

// locationPage cuts the page at off, lim from the locations of hits, in
// order (each hit's places are how many of its locations the search
// found), and counts them all. Near a point, a location is found when it
// is a place in the circle; in a search that reaches beyond the circle,
// also when it is online, or its listing's service area covers the point.
func (tx *Tx) locationPage(hits []*assetHit, near *linkwork.Point, radius float64, off, lim int, reaching bool) ([]*linkwork.LocationMatch, int, error) {
	total, start, skip := 0, -1, 0
	var pageHits []*assetHit
	for i, h := range hits {
		if start < 0 && total+h.places > off {
			start, skip = i, off-total
		}
		if start >= 0 && total < off+lim && h.places > 0 {
			pageHits = append(pageHits, h)
		}
		total += h.places
	}
	if len(pageHits) == 0 {
		return nil, total, nil
	}
	matches, err := tx.loadHits(pageHits)
	if err != nil {
		return nil, 0, err
	}
	covers := map[string]bool{}
	for _, h := range pageHits {
		covers[h.id] = h.covers
	}
	out := make([]*linkwork.LocationMatch, 0, lim)
	for _, m := range matches {
		for i, l := range m.Asset.Locations {
			inCircle := near == nil || (l.Physical() && ukpostcode.Distance(near.Lat, near.Lon, l.Lat, l.Lon) <= radius)
			if !inCircle && !(reaching && (!l.Physical() || covers[m.Asset.ID])) {
				continue
			}
			if skip > 0 {
				skip--
				continue
			}
			if len(out) < lim {
				out = append(out, &linkwork.LocationMatch{AssetMatch: m, Location: i})
			}
		}
	}
	return out, total, nil
}

// countReachedLocations sets the places of each hit of a search that
// reaches beyond the circle: all its locations when its service area
// covers the point, else the places in the circle (counted already) and
// its online locations.
func (tx *Tx) countReachedLocations(hits []*assetHit) error {
	byID := make(map[string]*assetHit, len(hits))
	ids := make([]any, 0, len(hits))
	for _, h := range hits {
		if h.covers || h.online {
			byID[h.id] = h
			ids = append(ids, h.id)
			if h.covers {
				h.places = 0
			}
		}
	}
	return inChunks(ids, func(in string, chunk []any) error {
		return tx.eachRow("SELECT asset_id, type, COUNT(*) FROM asset_locations WHERE asset_id IN "+in+" GROUP BY asset_id, type", chunk, func(row scanner) error {
			var id, typ string
			var n int
			if err := row.Scan(&id, &typ, &n); err != nil {
				return err
			}
			if h := byID[id]; h != nil && (h.covers || typ != string(linkwork.LocationPhysical)) {
				h.places += n
			}
			return nil
		})
	})
}

// countLocations sets each hit's places to its number of locations.
func (tx *Tx) countLocations(hits []*assetHit) error {
	byID := make(map[string]*assetHit, len(hits))
	ids := make([]any, len(hits))
	for i, h := range hits {
		byID[h.id], ids[i] = h, h.id
	}
	return inChunks(ids, func(in string, chunk []any) error {
		return tx.eachRow("SELECT asset_id, COUNT(*) FROM asset_locations WHERE asset_id IN "+in+" GROUP BY asset_id", chunk, func(row scanner) error {
			var id string
			var n int
			if err := row.Scan(&id, &n); err != nil {
				return err
			}
			if h := byID[id]; h != nil {
				h.places = n
			}
			return nil
		})
	})
}

// locPair is a listing's location, by their ids.
type locPair struct{ asset, loc string }

// locationPairs finds the page at off, lim of the listing x location pairs
// that w matches, in order of the listing's name and id and the location's
// position, and how many match.
//
// Each location keeps its listing's name (0008_oruk_pages.sql), and
// asset_locations_order holds that order. Without a filter the page is an
// offset over that index alone. With one, there are two ways: walk the
// index, reading each pair's listing to filter it, until the page is
// full; or find the matching listings through the filter's own index, read
// their pairs from asset_locations_asset (which covers them) and sort
// them. walkInOrder chooses, once it knows how many match; a page deep
// enough is sorted whatever the number (sortCertain), and then the query
// that sorts counts them too, instead of a query of its own.
func (tx *Tx) locationPairs(w where, off, lim int) ([]locPair, int, error) {
	args := append(append([]any{}, w.args...), lim, off)
	sure, err := tx.sortCertain("asset_locations", len(w.conds), off, lim)
	if err != nil {
		return nil, 0, err
	}
	if sure {
		var pairs []locPair
		total := -1
		err := tx.eachRow(tx.locationSortQuery(w, true), args, func(row scanner) error {
			var p locPair
			pairs = append(pairs, p)
			return row.Scan(&pairs[len(pairs)-1].asset, &pairs[len(pairs)-1].loc, &total)
		})
		if err != nil || total >= 0 {
			return pairs, total, err
		}
		// Past the end: no row said how many there are.
	}

	// In SQLite, filters read asset_search, the narrow copy. Every
	// location is a listing's: with no filter, count them alone.
	count := "SELECT COUNT(*) FROM assets a JOIN asset_locations l ON l.asset_id = a.id WHERE " + w.sql()
	if tx.db.dialect.name() == "sqlite" {
		count = "SELECT COUNT(*) FROM asset_search a JOIN asset_locations l ON l.asset_id = a.id WHERE " + w.sql()
	}
	if len(w.conds) == 0 {
		count = "SELECT COUNT(*) FROM asset_locations"
	}
	total, err := tx.count(count, w.args...)
	if err != nil || off >= total {
		return nil, total, err
	}
	const cols = "SELECT l.asset_id, l.id "
	const order = " ORDER BY l.asset_name, l.asset_id, l.position LIMIT ? OFFSET ?"
	var query string
	walk, err := tx.walkInOrder("asset_locations", len(w.conds), total, off, lim)
	switch {
	case err != nil:
		return nil, 0, err
	case len(w.conds) == 0:
		query = cols + "FROM asset_locations l" + order
	case !walk:
		query = tx.locationSortQuery(w, false)
	case tx.db.dialect.name() == "sqlite":
		// CROSS JOIN keeps asset_locations the outer loop.
		query = cols + "FROM asset_locations l CROSS JOIN asset_search a ON a.id = l.asset_id WHERE " + w.sql() + order
	default:
		query = cols + "FROM asset_locations l JOIN assets a ON a.id = l.asset_id WHERE " + w.sql() + order
	}
	var pairs []locPair
	err = tx.eachRow(query, args, func(row scanner) error {
		pairs = append(pairs, locPair{})
		return row.Scan(&pairs[len(pairs)-1].asset, &pairs[len(pairs)-1].loc)
	})
	return pairs, total, err
}

// locationSortQuery is the query of a page of the pairs w matches found
// through the filter's own index and sorted, reading the listing's and
// location's ids, and with count the number of matches; its arguments are
// w's, the limit and the offset.
func (tx *Tx) locationSortQuery(w where, count bool) string {
	cols := "SELECT l.asset_id, l.id"
	if count {
		cols += ", COUNT(*) OVER ()"
	}
	if tx.db.dialect.name() == "sqlite" {
		// "+l.asset_name" is no column: no index can give the order, so
		// the filter's own index finds the listings.
		return cols + " FROM asset_search a JOIN asset_locations l ON l.asset_id = a.id WHERE " + w.sql() +
			" ORDER BY +l.asset_name, l.asset_id, l.position LIMIT ? OFFSET ?"
	}
	// MATERIALIZED keeps the planner from walking the order's index.
	return "WITH l AS MATERIALIZED (SELECT l.asset_name, l.asset_id, l.position, l.id FROM assets a JOIN asset_locations l ON l.asset_id = a.id WHERE " + w.sql() + ") " +
		cols + " FROM l ORDER BY l.asset_name, l.asset_id, l.position LIMIT ? OFFSET ?"
}
