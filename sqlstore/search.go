package sqlstore

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

// Directory search.
//
// A search with neither text nor a point lists the matching listings by
// name, a page at a time, in SQL. Any other search runs in two steps:
//
//  1. One query finds every listing that matches: its id, name, text rank
//     and, when searching near a point, the coordinates of each of its
//     places inside the bounding box of the circle (an index range on
//     latitude, then longitude). Text matching uses the engine's own full
//     text index: FTS5 with the Porter stemmer in SQLite, to_tsvector
//     ('english') with a GIN index in PostgreSQL.
//  2. Go measures the exact (haversine) distance to each place, drops the
//     listings with none inside the circle, sorts, counts and cuts the
//     page; a second query reads the page's listings.
//
// Typing mistakes: a word of four letters or more that no listing uses is
// searched for together with the nearest words that listings do use: those
// with the same first letter within one edit (two in a word of six letters
// or more), and in PostgreSQL with pg_trgm installed also the most similar
// by trigrams, which forgives a wrong first letter. The last word, when no
// listing uses it as it is, also matches as a prefix: a word still being
// typed.

// hasTrigram reports whether PostgreSQL has pg_trgm, asking once (and
// again after an error).
func (s *AssetService) hasTrigram(ctx context.Context) (bool, error) {
	if s.db.dialect.name() != "postgres" {
		return false, nil
	}
	s.trgm.mu.Lock()
	defer s.trgm.mu.Unlock()
	if !s.trgm.checked {
		if err := s.db.read.QueryRowContext(ctx, "SELECT COUNT(*) > 0 FROM pg_extension WHERE extname = 'pg_trgm'").Scan(&s.trgm.has); err != nil {
			return false, err
		}
		s.trgm.checked = true
	}
	return s.trgm.has, nil
}

// trigramCheck remembers whether PostgreSQL has pg_trgm.
type trigramCheck struct {
	mu      sync.Mutex
	checked bool
	has     bool
}

// checkAssetFilter reports a filter the search cannot run, naming the
// field as the API does.
func checkAssetFilter(f *linkwork.AssetFilter) error {
	var p linkwork.Problems
	if f.Category != "" && !f.Category.Valid() {
		p.Addf("category", "%q is not a category", f.Category)
	}
	if f.Age < 0 || f.Age > 120 {
		p.Add("age", "must be a whole number from 0 to 120")
	}
	for _, c := range f.AnyCategory {
		if !c.Valid() {
			p.Addf("category", "%q is not a category", c)
		}
	}
	if f.HowToJoin != "" && !f.HowToJoin.Valid() {
		p.Addf("how_to_join", "%q is not a way to join", f.HowToJoin)
	}
	if f.Day != "" && !slices.Contains(linkwork.Weekdays, f.Day) {
		p.Add("day", "must be MO, TU, WE, TH, FR, SA or SU")
	}
	if f.Time != "" && !linkwork.ValidClock(f.Time) {
		p.Add("time", "must be a 24-hour time like 18:30")
	}
	if f.OpensFrom != "" && !linkwork.ValidClock(f.OpensFrom) {
		p.Add("start_time", "must be a 24-hour time like 18:30")
	}
	if f.ClosesBy != "" && !linkwork.ValidClock(f.ClosesBy) {
		p.Add("end_time", "must be a 24-hour time like 18:30")
	}
	if f.MinAgeAtLeast != nil && (*f.MinAgeAtLeast < 0 || *f.MinAgeAtLeast > 120) {
		p.Add("minimum_age", "must be a whole number from 0 to 120")
	}
	if f.MaxAgeAtMost != nil && (*f.MaxAgeAtMost < 0 || *f.MaxAgeAtMost > 120) {
		p.Add("maximum_age", "must be a whole number from 0 to 120")
	}
	switch f.Mode {
	case linkwork.AttendAny, linkwork.AttendOnline, linkwork.AttendInPerson:
	default:
		p.Add("mode", "must be online or in_person")
	}
	switch f.Sort {
	case linkwork.SortDefault, linkwork.SortRelevance, linkwork.SortName:
	case linkwork.SortDistance:
		if f.Near == nil || f.Mode == linkwork.AttendOnline {
			p.Add("sort", "Sorting by distance needs a place to measure from, and activities in person")
		}
	default:
		p.Add("sort", "must be relevance, distance or name")
	}
	if f.Near != nil && (f.Near.Lat < -90 || f.Near.Lat > 90 || f.Near.Lon < -180 || f.Near.Lon > 180) {
		p.Add("near", "Coordinates are out of range")
	}
	if f.Radius < 0 || f.Radius > linkwork.MaxRadius || math.IsNaN(f.Radius) {
		p.Addf("radius", "must be from 0 to %d km", linkwork.MaxRadius/1000)
	}
	return p.Err()
}

// FindAssets searches the directory: a page of matches, each with its
// distance and whether it is stale, and the total.
func (s *AssetService) FindAssets(ctx context.Context, f linkwork.AssetFilter) ([]*linkwork.AssetMatch, int, error) {
	return find(ctx, s, f, (*Tx).searchAssets)
}

// find checks f and runs a search of the directory (FindAssets' or
// FindLocations') in a read transaction, as the public unless someone is
// signed in.
func find[T any](ctx context.Context, s *AssetService, f linkwork.AssetFilter, search func(*Tx, dirQuery) ([]T, int, error)) ([]T, int, error) {
	if err := checkAssetFilter(&f); err != nil {
		return nil, 0, err
	}
	trgm, err := s.hasTrigram(ctx)
	if err != nil {
		return nil, 0, s.db.wrap(err)
	}
	q := newDirQuery(f, trgm)
	var out []T
	var total int
	err = s.db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
		var err error
		out, total, err = search(tx, q)
		return err
	})
	return out, total, err
}

// dirQuery is a checked filter as both searches run it: the conditions
// on the listing (everything but text and place), the words, the point
// and radius, and the page.
type dirQuery struct {
	where    where
	words    []string
	trigram  bool            // PostgreSQL has pg_trgm, for typing mistakes
	near     *linkwork.Point // nil for no place, and for online activities, which are everywhere
	radius   float64         // metres
	sort     linkwork.AssetSort
	off, lim int
}

func newDirQuery(f linkwork.AssetFilter, trgm bool) dirQuery {
	q := dirQuery{where: assetFilterWhere(f), words: searchWords(f.Query), trigram: trgm, near: f.Near, radius: f.Radius, sort: f.Sort}
	if f.Mode == linkwork.AttendOnline {
		q.near = nil
	}
	if q.radius == 0 {
		q.radius = linkwork.DefaultRadius
	}
	q.off, q.lim = page(f.Offset, f.Limit)
	return q
}

// byName reports whether the search has neither text nor a point, so that
// its page is found in order of name in SQL.
func (q dirQuery) byName() bool { return len(q.words) == 0 && q.near == nil }

// sortedHits is the first step of a search with text or a point: every
// listing that matches, sorted as the search asks.
func (tx *Tx) sortedHits(q dirQuery) ([]*assetHit, error) {
	var groups []spelling
	if len(q.words) > 0 {
		var err error
		if groups, err = tx.spellings(q.words, q.trigram); err != nil {
			return nil, err
		}
	}
	hits, err := tx.assetHits(q.where, groups, q.near, q.radius)
	if err != nil {
		return nil, err
	}
	sortHits(hits, q.sort, len(groups) > 0, q.near != nil)
	return hits, nil
}

// assetFilterWhere is the filter's conditions on assets a, apart from text
// and place.
func assetFilterWhere(f linkwork.AssetFilter) where {
	var w where
	if !f.AnyStatus {
		w.add("a.status IN (?, ?)", string(linkwork.AssetActive), string(linkwork.AssetTempClosed))
	}
	if f.Category != "" {
		w.add("EXISTS (SELECT 1 FROM asset_categories c WHERE c.asset_id = a.id AND c.category = ?)", string(f.Category))
	}
	if len(f.AnyCategory) > 0 {
		cats := make([]any, len(f.AnyCategory))
		for i, c := range f.AnyCategory {
			cats[i] = string(c)
		}
		w.add("EXISTS (SELECT 1 FROM asset_categories c WHERE c.asset_id = a.id AND c.category IN ("+placeholders(len(cats))+"))", cats...)
	}
	// Whom a listing welcomes is read from assets itself (a by primary
	// key), not from SQLite's narrow asset_search: these filters come
	// with others, or from /oruk's taxonomy filters.
	if f.YouthFriendly {
		w.add("EXISTS (SELECT 1 FROM assets y WHERE y.id = a.id AND y.youth_friendly = TRUE)")
	}
	if f.BuddyWelcome {
		w.add("EXISTS (SELECT 1 FROM assets y WHERE y.id = a.id AND y.buddy_welcome = TRUE)")
	}
	if f.AnyWelcome {
		w.add("EXISTS (SELECT 1 FROM assets y WHERE y.id = a.id AND (y.youth_friendly = TRUE OR y.buddy_welcome = TRUE))")
	}
	if f.Age > 0 {
		w.add("a.min_age <= ? AND (a.max_age = 0 OR a.max_age >= ?)", f.Age, f.Age)
	}
	if f.FreeOnly {
		w.add("a.free = TRUE")
	}
	if f.Accepting {
		w.add("a.capacity = ? AND a.status = ?", string(linkwork.CapacityAccepting), string(linkwork.AssetActive))
	}
	if f.HowToJoin != "" {
		w.add("a.how_to_join = ?", string(f.HowToJoin))
	}
	switch f.Mode {
	case linkwork.AttendOnline:
		w.add("a.online = TRUE")
	case linkwork.AttendInPerson:
		w.add("a.in_person = TRUE")
	}
	if f.MinAgeAtLeast != nil {
		w.add("a.min_age >= ?", *f.MinAgeAtLeast)
	}
	if f.MaxAgeAtMost != nil {
		w.add("a.max_age > 0 AND a.max_age <= ?", *f.MaxAgeAtMost)
	}
	if f.ServiceAtLocationID != "" {
		w.add("a.id IN (SELECT sl.asset_id FROM asset_locations sl WHERE sl.sal_id = ?)", strings.ToLower(f.ServiceAtLocationID))
	}
	if f.Day != "" || f.Time != "" || f.OpensFrom != "" || f.ClosesBy != "" {
		// One session must satisfy them all.
		cond := "EXISTS (SELECT 1 FROM asset_schedules sc WHERE sc.asset_id = a.id"
		var args []any
		if f.Day != "" {
			// "MO", "MO,WE" and "1MO" (the first Monday) all run on Mondays;
			// no day's code is inside another's.
			cond += " AND sc.by_day LIKE ?"
			args = append(args, "%"+f.Day+"%")
		}
		if f.Time != "" {
			cond += " AND sc.opens_at <= ? AND sc.closes_at > ?"
			args = append(args, f.Time, f.Time)
		}
		if f.OpensFrom != "" {
			cond += " AND sc.opens_at >= ?"
			args = append(args, f.OpensFrom)
		}
		if f.ClosesBy != "" {
			cond += " AND sc.closes_at <= ?"
			args = append(args, f.ClosesBy)
		}
		w.add(cond+")", args...)
	}
	if f.OrgID != "" {
		w.add("a.org_id = ?", f.OrgID)
	}
	if !f.StaleOn.IsZero() {
		w.add("a.verify_by < ?", dv(f.StaleOn))
	}
	return w
}

// sqliteFewMatches is how many matches a page by name always sorts
// rather than finding them in name order (on both engines: the name is
// historical).
var sqliteFewMatches = 2000

// assetPageByName finds the page at off, lim of the listings w matches, in
// order of name and id, and how many match; only their ids are read (in
// SQLite from asset_search, the narrow copy), and loadHits reads the page.
func (tx *Tx) assetPageByName(w where, off, lim int) ([]*assetHit, int, error) {
	table := "assets"
	if tx.db.dialect.name() == "sqlite" {
		table = "asset_search"
	}
	args := append(append([]any{}, w.args...), lim, off)
	// sort is the query of a page found through the filter's own index and
	// sorted; count adds the number of matches to each row.
	sort := func(count string) string {
		if table == "asset_search" {
			// "+a.name" is no column: no index can give the order, so the
			// filter's own index finds the listings, which are then sorted.
			return "SELECT a.id" + count + " FROM asset_search a WHERE " + w.sql() + " ORDER BY +a.name, a.id LIMIT ? OFFSET ?"
		}
		// MATERIALIZED keeps the planner from walking the index of names.
		return "WITH m AS MATERIALIZED (SELECT a.id, a.name FROM assets a WHERE " + w.sql() + ") SELECT id" + count + " FROM m ORDER BY name, id LIMIT ? OFFSET ?"
	}
	sure, err := tx.sortCertain(table, len(w.conds), off, lim)
	if err != nil {
		return nil, 0, err
	}
	if sure {
		// The query that sorts counts too, instead of a query of its own.
		var hits []*assetHit
		total := -1
		err := tx.eachRow(sort(", COUNT(*) OVER ()"), args, func(row scanner) error {
			h := &assetHit{}
			hits = append(hits, h)
			return row.Scan(&h.id, &total)
		})
		if err != nil || total >= 0 {
			return hits, total, err
		}
		// Past the end: no row said how many there are.
	}
	total, err := tx.count("SELECT COUNT(*) FROM "+table+" a WHERE "+w.sql(), w.args...)
	if err != nil || off >= total {
		return nil, total, err
	}
	walk, err := tx.walkInOrder(table, len(w.conds), total, off, lim)
	if err != nil {
		return nil, 0, err
	}
	q := "SELECT a.id FROM " + table + " a WHERE " + w.sql() + " ORDER BY a.name, a.id LIMIT ? OFFSET ?"
	if !walk {
		q = sort("")
	}
	var hits []*assetHit
	err = tx.eachRow(q, args, func(row scanner) error {
		h := &assetHit{}
		hits = append(hits, h)
		return row.Scan(&h.id)
	})
	return hits, total, err
}

// walkInOrder reports whether the page at off, lim of the total rows of
// table that a filter of conds conditions matches is best found walking an
// index in the page's order, filtering each row, rather than finding every
// match through the filter's own indexes and sorting them. Neither planner
// can tell, as they do not know how many match. If the matches were spread
// evenly, a walk would read about (off+lim) × all / total rows and a sort
// about total. They seldom are: in the generated national directory the
// first 6,700 locations in order of name hold 50 of those of listings for
// people up to 65 with an evening session, against one in five overall; and
// each row a walk reads costs a seek into the table, where a sort reads
// indexes. So the walk is taken only when it should read walkMargin times
// fewer rows: an early page of a broad filter. Without a filter, the walk
// is an offset over the index alone; with few matches (sqliteFewMatches),
// a sort is always cheap.
func (tx *Tx) walkInOrder(table string, conds, total, off, lim int) (bool, error) {
	if conds == 0 {
		return true, nil
	}
	if total <= sqliteFewMatches {
		return false, nil
	}
	all, err := tx.rowsAbout(table)
	if err != nil {
		return false, err
	}
	all = max(all, total)
	return walkMargin*int64(off+lim)*int64(all) <= int64(total)*int64(total), nil
}

// walkMargin is how many times fewer rows a walk must expect to read than a
// sort, to be chosen (walkInOrder).
const walkMargin = 16

// sortCertain reports whether walkInOrder will choose a sort for the page
// at off, lim of a filter of conds conditions on table however many rows
// match: a page so deep that a walk would not be chosen even if every row
// matched. Its query can then count the matches as it sorts them.
func (tx *Tx) sortCertain(table string, conds, off, lim int) (bool, error) {
	if conds == 0 {
		return false, nil
	}
	all, err := tx.rowsAbout(table)
	return walkMargin*int64(off+lim) > int64(all), err
}

// rowsAbout is about how many rows table has, read cheaply: PostgreSQL's
// estimate (counted when the table has never been analysed); in SQLite
// the largest rowid, which deletes leave above the count.
func (tx *Tx) rowsAbout(table string) (int, error) {
	if tx.db.dialect.name() == "sqlite" {
		return tx.count("SELECT COALESCE(MAX(rowid), 0) FROM " + table)
	}
	var n float64
	if err := tx.queryRow("SELECT reltuples FROM pg_class WHERE oid = to_regclass(?)", table).Scan(&n); err != nil {
		return 0, err
	}
	if n < 0 {
		return tx.count("SELECT COUNT(*) FROM " + table)
	}
	return int(n), nil
}

// assetHit is a listing the first step of a search found.
type assetHit struct {
	id, name, keywords string
	score              float64 // text relevance: higher is better
	dist               float64 // metres to the nearest place in the circle
	hasDist            bool
	places             int // how many of its places are in the circle
}

func (tx *Tx) searchAssets(q dirQuery) ([]*linkwork.AssetMatch, int, error) {
	if q.byName() {
		hits, total, err := tx.assetPageByName(q.where, q.off, q.lim)
		if err != nil || len(hits) == 0 {
			return nil, total, err
		}
		out, err := tx.loadHits(hits)
		return out, total, err
	}
	hits, err := tx.sortedHits(q)
	if err != nil {
		return nil, 0, err
	}
	total := len(hits)
	if q.off >= total {
		return nil, total, nil
	}
	out, err := tx.loadHits(hits[q.off:min(q.off+q.lim, total)])
	return out, total, err
}

// loadHits reads the listings of hits, in order, as matches.
func (tx *Tx) loadHits(hits []*assetHit) ([]*linkwork.AssetMatch, error) {
	today := tx.db.today()
	ids := make([]any, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	byID := make(map[string]*linkwork.Asset, len(hits))
	var list []*linkwork.Asset
	err := tx.eachRow("SELECT "+assetColumns+" FROM assets a WHERE a.id IN ("+placeholders(len(ids))+")", ids, func(row scanner) error {
		a, err := scanAsset(row)
		if err != nil {
			return err
		}
		byID[a.ID] = a
		list = append(list, a)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := tx.loadAssetChildren(list); err != nil {
		return nil, err
	}
	out := make([]*linkwork.AssetMatch, 0, len(hits))
	for _, h := range hits {
		if a := byID[h.id]; a != nil {
			out = append(out, &linkwork.AssetMatch{Asset: a, Distance: h.dist, HasDistance: h.hasDist, Stale: a.Stale(today)})
		}
	}
	return out, nil
}

// assetHits runs the first step: every listing matching the filter, the
// text (each group of spellings must match) and, near a point, with a place
// within radius metres. Text matches are ranked by relevance.
func (tx *Tx) assetHits(filter where, groups []spelling, near *linkwork.Point, radius float64) ([]*assetHit, error) {
	var hits []*assetHit
	var err error
	if tx.db.dialect.name() == "sqlite" {
		hits, err = tx.sqliteHits(filter, groups, near, radius)
	} else {
		hits, err = tx.postgresHits(filter, groups, near, radius)
	}
	if len(groups) > 0 {
		for _, h := range hits {
			h.score = relevance(groups, h.name, h.keywords)
		}
	}
	return hits, err
}

// hitSet gathers hits by listing, keeping each one's nearest place.
type hitSet struct {
	hits  []*assetHit
	byKey map[string]*assetHit
}

func (s *hitSet) add(id, name, keywords string) *assetHit {
	if s.byKey == nil {
		s.byKey = map[string]*assetHit{}
	}
	h := s.byKey[id]
	if h == nil {
		h = &assetHit{id: id, name: name, keywords: keywords}
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
	const cols = "a.num, a.id, a.name, a.keywords"
	if near != nil {
		// Without text: the places in the box with their listings.
		// With text: the places in the box whose listings match it, from
		// the index alone; then the listings of those within the circle.
		minLat, maxLat, minLon, maxLon := boundingBox(*near, radius)
		if len(groups) == 0 {
			err := tx.eachRow("SELECT "+cols+`, l.lat, l.lon FROM asset_locations l JOIN asset_search a ON a.num = l.search_num
				WHERE l.type = 'physical' AND l.lat BETWEEN ? AND ? AND l.lon BETWEEN ? AND ? AND `+filter.sql(),
				append([]any{minLat, maxLat, minLon, maxLon}, filter.args...), func(row scanner) error {
					var num int64
					var id, name, keywords string
					var lat, lon float64
					if err := row.Scan(&num, &id, &name, &keywords, &lat, &lon); err != nil {
						return err
					}
					if d := ukpostcode.Distance(near.Lat, near.Lon, lat, lon); d <= radius {
						set.add(id, name, keywords).near(d)
					}
					return nil
				})
			return set.hits, err
		}
		q := `SELECT l.search_num, l.lat, l.lon FROM asset_locations l
			WHERE l.type = 'physical' AND l.lat BETWEEN ? AND ? AND l.lon BETWEEN ? AND ?
			AND l.search_num IN (SELECT rowid FROM asset_fts WHERE asset_fts MATCH ?)`
		args := []any{minLat, maxLat, minLon, maxLon, ftsQuery(groups)}
		dist := map[int64]float64{}
		places := map[int64]int{}
		err := tx.eachRow(q, args, func(row scanner) error {
			var num int64
			var lat, lon float64
			if err := row.Scan(&num, &lat, &lon); err != nil {
				return err
			}
			if d := ukpostcode.Distance(near.Lat, near.Lon, lat, lon); d <= radius {
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
			return tx.eachRow("SELECT "+cols+" FROM asset_search a WHERE a.num IN "+list+" AND "+filter.sql(), append(chunk, filter.args...), func(row scanner) error {
				var num int64
				var id, name, keywords string
				if err := row.Scan(&num, &id, &name, &keywords); err != nil {
					return err
				}
				h := set.add(id, name, keywords)
				h.near(dist[num])
				h.places = places[num]
				return nil
			})
		})
		return set.hits, err
	}
	err := tx.eachRow("SELECT "+cols+" FROM asset_fts JOIN asset_search a ON a.num = asset_fts.rowid WHERE asset_fts MATCH ? AND "+filter.sql(),
		append([]any{ftsQuery(groups)}, filter.args...), func(row scanner) error {
			var num int64
			var id, name, keywords string
			if err := row.Scan(&num, &id, &name, &keywords); err != nil {
				return err
			}
			set.add(id, name, keywords)
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

	var set hitSet
	if near == nil || len(cells) > 0 {
		err := tx.eachRow("SELECT a.id, a.name, a.keywords FROM assets a WHERE "+w.sql(), w.args, func(row scanner) error {
			var id, name, keywords string
			if err := row.Scan(&id, &name, &keywords); err != nil {
				return err
			}
			set.add(id, name, keywords)
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
	err := tx.eachRow("SELECT a.id, a.name, a.keywords, l.lat, l.lon FROM assets a JOIN asset_locations l ON l.asset_id = a.id WHERE "+w.sql(), w.args, func(row scanner) error {
		var id, name, keywords string
		var lat, lon float64
		if err := row.Scan(&id, &name, &keywords, &lat, &lon); err != nil {
			return err
		}
		if d := ukpostcode.Distance(near.Lat, near.Lon, lat, lon); d <= radius {
			set.add(id, name, keywords).near(d)
		}
		return nil
	})
	return set.hits, err
}

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

// relevance scores a listing that matched a search: for each word of the
// search, 10 when the name has it, else 4 when the keywords (categories,
// places, languages, areas) have it, else 1 (the description must). Each
// engine's full-text index decides what matches; this decides the order,
// the same on both. Words are compared by a rough English stem, so that
// "swimming" in a name counts for "swim".
func relevance(groups []spelling, name, keywords string) float64 {
	name, keywords = strings.ToLower(name), strings.ToLower(keywords)
	var score float64
	for _, g := range groups {
		switch {
		case g.in(name):
			score += 10
		case g.in(keywords):
			score += 4
		default:
			score++
		}
	}
	return score
}

// in reports whether a word of the lower-case text matches one of the
// group's spellings.
func (g spelling) in(text string) bool {
	for start := 0; start < len(text); {
		r, n := utf8.DecodeRuneInString(text[start:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			start += n
			continue
		}
		end := start + n
		for end < len(text) {
			r, n := utf8.DecodeRuneInString(text[end:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				break
			}
			end += n
		}
		w := text[start:end]
		start = end
		stem := roughStem(w)
		for i, s := range g.words {
			if stem == g.stems[i] || (i == 0 && g.prefix && strings.HasPrefix(w, s)) {
				return true
			}
		}
	}
	return false
}

// roughStem takes the commonest English endings off a word: swimming →
// swim, classes → class, groups → group.
func roughStem(w string) string {
	for _, end := range []string{"ing", "ers", "er", "ies", "es", "ed", "s"} {
		if len(w) > len(end)+2 && strings.HasSuffix(w, end) && !strings.HasSuffix(w, "ss") {
			w = strings.TrimSuffix(w, end)
			if end == "ies" {
				w += "y"
			}
			if n := len(w); n > 3 && w[n-1] == w[n-2] && !strings.ContainsRune("aeiousl", rune(w[n-1])) {
				w = w[:n-1] // swimm → swim
			}
			return w
		}
	}
	return w
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

// sortHits orders the hits: by relevance (then distance, then name), by
// distance (then relevance, then name) or by name. The default is
// relevance when there is text, else distance when there is a point.
func sortHits(hits []*assetHit, by linkwork.AssetSort, text, near bool) {
	if by == linkwork.SortDefault {
		switch {
		case text:
			by = linkwork.SortRelevance
		case near:
			by = linkwork.SortDistance
		default:
			by = linkwork.SortName
		}
	}
	byName := func(a, b *assetHit) int { return cmp.Or(strings.Compare(a.name, b.name), strings.Compare(a.id, b.id)) }
	byScore := func(a, b *assetHit) int { return cmp.Compare(b.score, a.score) }
	byDist := func(a, b *assetHit) int { return cmp.Compare(a.dist, b.dist) }
	slices.SortFunc(hits, func(a, b *assetHit) int {
		switch by {
		case linkwork.SortRelevance:
			return cmp.Or(byScore(a, b), byDist(a, b), byName(a, b))
		case linkwork.SortDistance:
			return cmp.Or(byDist(a, b), byScore(a, b), byName(a, b))
		}
		return byName(a, b)
	})
}

// maxSearchWords bounds the words of a search.
const maxSearchWords = 8

// searchWords splits a search into lower-case words of letters and digits,
// leaving out common English words that say nothing about an activity
// ("the", "for") and repeats.
func searchWords(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if utf8.RuneCountInString(w) > 40 || stopWords[w] || slices.Contains(out, w) {
			continue
		}
		out = append(out, w)
		if len(out) == maxSearchWords {
			break
		}
	}
	return out
}

// stopWords are the Snowball English stop words, which PostgreSQL's
// english configuration leaves out of its index: left out of every search,
// so that both engines find the same listings.
var stopWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`i me my myself we our ours ourselves you your yours yourself yourselves he him his himself
		she her hers herself it its itself they them their theirs themselves what which who whom this that these those am is are
		was were be been being have has had having do does did doing a an the and but if or because as until while of at by for
		with about against between into through during before after above below to from up down in out on off over under again
		further then once here there when where why how all any both each few more most other some such no nor not only own same
		so than too very s t can will just don should now`) {
		m[w] = true
	}
	return m
}()

// spelling is what one word of a search looks for: the word and the
// words it may have been meant as, and whether the word may be the start
// of a longer one.
type spelling struct {
	words  []string
	stems  []string // roughStem of each word, for ranking
	prefix bool
}

// spellings returns, for each word, what to search for: the word, and
// when no listing uses it, the nearest words that listings do use. The
// last word also matches as a prefix, unless listings use it as it is: a
// word still being typed.
func (tx *Tx) spellings(words []string, trgm bool) ([]spelling, error) {
	out := make([]spelling, len(words))
	for i, w := range words {
		out[i].words = []string{w}
		known, err := tx.knownWord(w)
		if err != nil {
			return nil, err
		}
		out[i].prefix = i == len(words)-1 && !known
		if known || utf8.RuneCountInString(w) < 4 || strings.IndexFunc(w, unicode.IsLetter) < 0 {
			continue
		}
		alts, err := tx.similarWords(w, trgm)
		if err != nil {
			return nil, err
		}
		out[i].words = append(out[i].words, alts...)
	}
	for i := range out {
		for _, w := range out[i].words {
			out[i].stems = append(out[i].stems, roughStem(w))
		}
	}
	return out, nil
}

// knownWord reports whether a listing uses the word.
func (tx *Tx) knownWord(w string) (bool, error) {
	n, err := tx.count("SELECT COUNT(*) FROM asset_terms WHERE term = ?", w)
	return n > 0, err
}

// wordsOf splits text into its distinct lower-case words of letters and
// digits, as searches and the vocabulary (asset_terms) both do, leaving
// out single letters.
func wordsOf(text string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if n := utf8.RuneCountInString(w); n < 2 || n > 40 || seen[w] {
			continue
		}
		seen[w] = true
		out = append(out, w)
	}
	return out
}

// addTerms adds words to the vocabulary, leaving those it has.
func (tx *Tx) addTerms(words []string) error {
	args := make([]any, len(words))
	for i, w := range words {
		args[i] = w
	}
	return inChunks(args, func(_ string, chunk []any) error {
		_, err := tx.exec("INSERT INTO asset_terms (term) VALUES "+strings.TrimSuffix(strings.Repeat("(?), ", len(chunk)), ", ")+" ON CONFLICT DO NOTHING", chunk...)
		return err
	})
}

// maxAlternatives bounds the corrections searched for one word.
const maxAlternatives = 3

// similarWords returns the words listings use that are nearest to w, a
// word they do not use: by edit distance, and by trigram similarity when
// trgm is set.
func (tx *Tx) similarWords(w string, trgm bool) ([]string, error) {
	// Words with the same first letter, within a few edits.
	var out []string
	first, _ := utf8.DecodeRuneInString(w)
	limit := editLimit(w)
	best := limit + 1
	err := tx.eachRow("SELECT term FROM asset_terms WHERE term >= ? AND term < ?", []any{string(first), string(first + 1)}, func(row scanner) error {
		var t string
		if err := row.Scan(&t); err != nil {
			return err
		}
		switch d := editDistance(w, t, limit); {
		case d > limit:
		case d < best:
			best, out = d, []string{t}
		case d == best && len(out) < maxAlternatives:
			out = append(out, t)
		}
		return nil
	})
	if err != nil || !trgm || len(out) >= maxAlternatives {
		return out, err
	}
	// Then the most similar by trigrams, which forgives a wrong first
	// letter too.
	err = tx.eachRow("SELECT term FROM asset_terms WHERE term % ? ORDER BY similarity(term, ?) DESC, term LIMIT ?", []any{w, w, maxAlternatives}, func(row scanner) error {
		var t string
		if err := row.Scan(&t); err != nil {
			return err
		}
		if !slices.Contains(out, t) && len(out) < maxAlternatives {
			out = append(out, t)
		}
		return nil
	})
	return out, err
}

// editLimit is how many typing mistakes a word may hold: one in a word of
// up to five letters, two in a longer one.
func editLimit(w string) int {
	if utf8.RuneCountInString(w) <= 5 {
		return 1
	}
	return 2
}

// editDistance is the optimal string alignment distance between a and b
// (insertions, deletions, substitutions and swaps of neighbours), or
// limit+1 when their lengths alone differ by more than limit.
func editDistance(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	if d := len(ra) - len(rb); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// ftsQuery is an FTS5 query: each group of spellings in brackets, joined
// by AND, a prefix marked with *. Words hold only letters and digits, so
// quoting them is enough.
func ftsQuery(groups []spelling) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		alts := make([]string, len(g.words))
		for j, w := range g.words {
			alts[j] = `"` + w + `"`
			if j == 0 && g.prefix {
				alts[j] += "*"
			}
		}
		parts[i] = "(" + strings.Join(alts, " OR ") + ")"
	}
	return strings.Join(parts, " AND ")
}

// tsQuery is the same query for PostgreSQL's to_tsquery.
func tsQuery(groups []spelling) string {
	parts := make([]string, len(groups))
	for i, g := range groups {
		alts := make([]string, len(g.words))
		for j, w := range g.words {
			alts[j] = w
			if j == 0 && g.prefix {
				alts[j] += ":*"
			}
		}
		parts[i] = "(" + strings.Join(alts, " | ") + ")"
	}
	return strings.Join(parts, " & ")
}
