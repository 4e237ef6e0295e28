package sqlstore

import (
	"context"
	"math"
	"slices"
	"strings"
	"sync"

	linkwork "github.com/linkwork/linkwork"
)

// Directory search.
//
// A search with neither text nor a point lists the matching listings by
// name, a page at a time, in SQL. A search with text and no point is one
// statement too (rankedPage): the engine's full text index finds the
// matches, the database scores each (scoreSQL), sorts and counts them, and
// returns the page alone; in SQLite, a search with few matches
// (sqliteFewWordMatches) reads them and scores them in Go (relevance)
// instead. A search near a point runs in two steps:
//
//  1. One query finds every listing that matches: its id, name, relevance
//     (in SQLite scored in Go, for the listings inside the circle) and,
//     when searching near a point, the coordinates of each of its
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
	if len(f.Reaching) > 0 && f.Near == nil {
		p.Add("reaching", "needs a place to measure from")
	}
	if len(f.Reaching) > maxReaching {
		p.Addf("reaching", "may name at most %d areas", maxReaching)
	}
	for _, r := range f.Reaching {
		if len(r) > 100 {
			p.Add("reaching", "An area's name is at most 100 characters")
			break
		}
	}
	if f.Radius < 0 || f.Radius > linkwork.MaxRadius || math.IsNaN(f.Radius) {
		p.Addf("radius", "must be from 0 to %d km", linkwork.MaxRadius/1000)
	}
	return p.Err()
}

// maxReaching bounds AssetFilter.Reaching.
const maxReaching = 10

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
	where   where
	words   []string
	trigram bool            // PostgreSQL has pg_trgm, for typing mistakes
	near    *linkwork.Point // nil for no place, and for online activities, which are everywhere
	radius  float64         // metres
	// reaching, with near, are the upper-case names of the areas around
	// the point that a listing's service area may name
	// (AssetFilter.Reaching): such listings, and those online, are found
	// too.
	reaching []string
	sort     linkwork.AssetSort
	off, lim int
	// countUpTo is AssetFilter.CountUpTo: 0 to count every match.
	countUpTo int
}

func newDirQuery(f linkwork.AssetFilter, trgm bool) dirQuery {
	q := dirQuery{where: assetFilterWhere(f), words: searchWords(f.Query), trigram: trgm, near: f.Near, radius: f.Radius, sort: f.Sort}
	if f.Mode == linkwork.AttendOnline {
		q.near = nil
	}
	if q.near != nil {
		for _, r := range f.Reaching {
			if r = strings.ToUpper(strings.Join(strings.Fields(r), " ")); r != "" && !slices.Contains(q.reaching, r) {
				q.reaching = append(q.reaching, r)
			}
		}
	}
	if q.radius == 0 {
		q.radius = linkwork.DefaultRadius
	}
	q.off, q.lim = page(f.Offset, f.Limit)
	q.countUpTo = max(f.CountUpTo, 0)
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
	if len(q.reaching) > 0 {
		if hits, err = tx.reachingHits(q, groups, hits); err != nil {
			return nil, err
		}
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
		// A location's, or one a kept feed document publishes.
		id := strings.ToLower(f.ServiceAtLocationID)
		w.add("(a.id IN (SELECT sl.asset_id FROM asset_locations sl WHERE sl.sal_id = ?) OR a.id IN (SELECT ds.asset_id FROM oruk_document_sals ds WHERE ds.sal_id = ?))", id, id)
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
	if !f.ModifiedSince.IsZero() {
		// Read from assets itself, as the welcome filters are.
		w.add("EXISTS (SELECT 1 FROM assets y WHERE y.id = a.id AND y.updated_at >= ?)", tv(f.ModifiedSince))
	}
	if !f.StaleOn.IsZero() {
		w.add("a.verify_by < ?", dv(f.StaleOn))
	}
	return w
}

// sqliteFewWordMatches is how many matches of a search by words SQLite
// scores and sorts in Go (relevance) rather than in SQL (scoreSQL).
var sqliteFewWordMatches = 500

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
	id, name string
	score    float64 // text relevance: higher is better
	dist     float64 // metres to the nearest place in the circle
	hasDist  bool
	places   int // how many of its places are in the circle
	// In a search that reaches beyond the circle (dirQuery.reaching),
	// covers says that one of the listing's service areas covers the point
	// (all its locations are found), and online that it can be joined
	// online and does not cover the point (its places in the circle and
	// its online locations are found).
	online, covers bool
}

func (tx *Tx) searchAssets(q dirQuery) ([]*linkwork.AssetMatch, int, error) {
	hits, total, err := tx.hitPage(q)
	if err != nil || len(hits) == 0 {
		return nil, total, err
	}
	out, err := tx.loadHits(hits)
	return out, total, err
}

// hitPage finds the listings of a search's page, in order, and how many
// the search finds in all.
func (tx *Tx) hitPage(q dirQuery) ([]*assetHit, int, error) {
	if q.byName() {
		return tx.assetPageByName(q.where, q.off, q.lim)
	}
	if q.near != nil && len(q.words) == 0 && len(q.reaching) == 0 && q.sort != linkwork.SortName && listedPlace(q.where) && tx.db.dialect.name() == "sqlite" {
		// The listed activities near a point: counted, and the nearest
		// found, from the index of places (search_near.go).
		hits, total, err := tx.nearListed(*q.near, q.radius, q.off+q.lim)
		if err != nil || q.off >= total {
			return nil, total, err
		}
		return hits[q.off:min(q.off+q.lim, len(hits))], total, nil
	}
	if q.near == nil {
		return tx.rankedPage(q)
	}
	if tx.boundedNearWords(q) {
		// Words near a point, counted up to a bound (search_near_words.go).
		return tx.nearWordsPage(q)
	}
	hits, err := tx.sortedHits(q)
	if err != nil {
		return nil, 0, err
	}
	total := len(hits)
	if q.off >= total {
		return nil, total, nil
	}
	return hits[q.off:min(q.off+q.lim, total)], total, nil
}

// rankedPage finds the page of a search with text and no point, and how
// many match, in one statement: the database finds the matches in its
// full-text index, scores each (scoreSQL), sorts and counts them, and
// returns only the page, best first (then by name and id), or by name.
func (tx *Tx) rankedPage(q dirQuery) ([]*assetHit, int, error) {
	groups, err := tx.spellings(q.words, q.trigram)
	if err != nil {
		return nil, 0, err
	}
	if tx.db.dialect.name() == "sqlite" {
		// Few matches are read and scored in Go: for them, the full text
		// index's reads of each word by column cost more than the scoring.
		// How many the words match, up to the limit, is counted from the
		// index alone, before any filter.
		n, err := tx.count("SELECT COUNT(*) FROM (SELECT 1 FROM asset_fts WHERE asset_fts MATCH ? LIMIT ?)", ftsQuery(groups), sqliteFewWordMatches+1)
		if err != nil {
			return nil, 0, err
		}
		if n <= sqliteFewWordMatches {
			hits, err := tx.sqliteWordHits(q.where, groups)
			if err != nil {
				return nil, 0, err
			}
			sortHits(hits, q.sort, true, false)
			total := len(hits)
			return hits[min(q.off, total):min(q.off+q.lim, total)], total, nil
		}
	}
	score, args := tx.scoreSQL(groups)
	from := "assets a WHERE a.search @@ to_tsquery('english', ?)"
	match := tsQuery(groups)
	if tx.db.dialect.name() == "sqlite" {
		from = "asset_fts JOIN asset_search a ON a.num = asset_fts.rowid WHERE asset_fts MATCH ?"
		match = ftsQuery(groups)
	}
	from += " AND " + q.where.sql()
	order := "score DESC, name, id"
	if q.sort == linkwork.SortName {
		order = "name, id"
	}
	args = append(append(append(args, match), q.where.args...), q.lim, q.off)
	var hits []*assetHit
	total := -1
	// The matches are scored first, so that counting them carries only
	// their ids, names and scores (in PostgreSQL, not their words too,
	// which spilled to disk).
	err = tx.eachRow("WITH m AS MATERIALIZED (SELECT a.id, a.name, "+score+" AS score FROM "+from+
		") SELECT id, score, COUNT(*) OVER () FROM m ORDER BY "+order+" LIMIT ? OFFSET ?", args, func(row scanner) error {
		h := &assetHit{}
		hits = append(hits, h)
		return row.Scan(&h.id, &h.score, &total)
	})
	if err != nil || total >= 0 {
		return hits, total, err
	}
	// Past the end: no row said how many there are.
	total, err = tx.count("SELECT COUNT(*) FROM "+from, append([]any{match}, q.where.args...)...)
	return nil, total, err
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
