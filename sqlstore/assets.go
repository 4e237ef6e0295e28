package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/ukpostcode"
)

// AssetService implements linkwork.AssetService: the directory.
type AssetService struct {
	db   *DB
	trgm trigramCheck
}

// NewAssetService returns the directory service over db.
func NewAssetService(db *DB) *AssetService { return &AssetService{db: db} }

var _ linkwork.AssetService = (*AssetService)(nil)

// assetColumnList is every column of assets that the store writes, in
// order: INSERT, the loader and SELECT (as assetColumns) share it. free,
// online, in_person, keywords and places are summaries of the listing's
// children (assetSummary, placeCells).
const assetColumnList = `id, org_id, name, description, url, email, phone, status, how_to_join, capacity, capacity_available, capacity_maximum, capacity_updated,
	min_age, max_age, free, online, in_person, keywords, places, accessibility, youth_friendly, buddy_welcome, assured_at, assured_by, verify_by, version, created_at, updated_at`

var assetColumns = "a." + strings.ReplaceAll(assetColumnList, ", ", ", a.")

func scanAsset(row scanner) (*linkwork.Asset, error) {
	var a linkwork.Asset
	var status, join, capacity, keywords, places string
	var free, online, inPerson bool
	err := row.Scan(&a.ID, nullString{&a.OrgID}, &a.Name, &a.Description, &a.URL, &a.Email, &a.Phone, &status, &join,
		&capacity, nullInt{&a.Capacity.Available}, nullInt{&a.Capacity.Maximum}, timeDest{&a.Capacity.Updated},
		&a.MinAge, &a.MaxAge, &free, &online, &inPerson, &keywords, &places, &a.Accessibility, &a.YouthFriendly, &a.BuddyWelcome,
		timeDest{&a.AssuredAt}, &a.AssuredBy, dateDest{&a.VerifyBy}, &a.Version, timeDest{&a.CreatedAt}, timeDest{&a.UpdatedAt})
	a.Status, a.HowToJoin, a.Capacity.Status = linkwork.AssetStatus(status), linkwork.HowToJoin(join), linkwork.CapacityStatus(capacity)
	return &a, err
}

// assetArgs are the values of assetColumnList for a.
func assetArgs(a *linkwork.Asset) []any {
	free, online, inPerson, keywords := assetSummary(a)
	return []any{a.ID, sv(a.OrgID), a.Name, a.Description, a.URL, a.Email, a.Phone, string(a.Status), string(a.HowToJoin),
		string(a.Capacity.Status), intArg(a.Capacity.Available), intArg(a.Capacity.Maximum), tv(a.Capacity.Updated),
		a.MinAge, a.MaxAge, free, online, inPerson, keywords, placeCells(a), a.Accessibility, a.YouthFriendly, a.BuddyWelcome,
		tv(a.AssuredAt), a.AssuredBy, dv(a.VerifyBy), a.Version, tv(a.CreatedAt), tv(a.UpdatedAt)}
}

// assetSummary is what assets keeps of a listing's children, to filter and
// search without joining them: whether it is free, online, in person, and
// the words of its categories, places, languages and areas.
func assetSummary(a *linkwork.Asset) (free, online, inPerson bool, keywords string) {
	var words []string
	for _, c := range a.Categories {
		words = append(words, c.Label())
	}
	for _, l := range a.Locations {
		if l.Physical() {
			words = append(words, l.Name, l.City)
		} else {
			words = append(words, "Online", l.Name)
		}
	}
	words = append(words, a.Languages...)
	words = append(words, a.ServiceAreas...)
	var kept []string
	for _, w := range words {
		if w = strings.TrimSpace(w); w != "" {
			kept = append(kept, w)
		}
	}
	return a.Free(), a.Online(), a.InPerson(), strings.Join(kept, " ")
}

// assetTerms are the words of the listing that search indexes: its name,
// keywords and description.
func assetTerms(a *linkwork.Asset) []string {
	_, _, _, keywords := assetSummary(a)
	return wordsOf(a.Name + " " + keywords + " " + a.Description)
}

// assignAssetIDs gives the listing, and each of its locations, contacts and
// cost options, a UUID when it has none.
func assignAssetIDs(a *linkwork.Asset) {
	if a.ID == "" {
		a.ID = uuid.NewString()
	}
	for i := range a.Locations {
		if a.Locations[i].ID == "" {
			a.Locations[i].ID = uuid.NewString()
		}
	}
	for i := range a.Contacts {
		if a.Contacts[i].ID == "" {
			a.Contacts[i].ID = uuid.NewString()
		}
	}
	for i := range a.CostOptions {
		if a.CostOptions[i].ID == "" {
			a.CostOptions[i].ID = uuid.NewString()
		}
	}
}

// CreateAsset stores a new listing and its first version.
func (s *AssetService) CreateAsset(ctx context.Context, a *linkwork.Asset) error {
	w := wishesOf(a)
	*a = a.Normalised()
	if err := a.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if a.OrgID == "" && tx.actor.Role == linkwork.RoleCommunity {
			// A community organisation's users add their own listings.
			a.OrgID = tx.actor.OrgID
		}
		if !auth.Can(tx.actor, auth.ActionCreate, auth.AssetRecord(a)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can only add listings for your own organisation")
		}
		if err := tx.checkAssetOrg(a.OrgID); err != nil {
			return err
		}
		if err := tx.settle(a, nil, w); err != nil {
			return err
		}
		return tx.insertAsset(a)
	})
}

// wishes is what a caller left for the store to work out: which places
// came without a point, and whether the listing came without a verify-by
// date (Validate fills both in its own way, without the store's tables
// and settings).
type wishes struct {
	unplaced map[int]bool
	noVerify bool
}

func wishesOf(a *linkwork.Asset) wishes {
	w := wishes{unplaced: map[int]bool{}, noVerify: a.VerifyBy.IsZero()}
	for i, l := range a.Locations {
		if l.Lat == 0 && l.Lon == 0 {
			w.unplaced[i] = true
		}
	}
	return w
}

// settle works out what every door leaves to the store, the same way for
// each: where each place is, and when the listing is next due a check.
func (tx *Tx) settle(a, cur *linkwork.Asset, w wishes) error {
	if w.noVerify {
		// Due one re-check interval (the service's setting) after it was
		// last checked, or from today when it never was.
		months, err := tx.recheckMonths()
		if err != nil {
			return err
		}
		from := tx.db.today().Time()
		if !a.AssuredAt.IsZero() {
			from = a.AssuredAt
		}
		a.VerifyBy = linkwork.DateOf(from.AddDate(0, months, 0))
	}
	if err := tx.checkChildIDs(a); err != nil {
		return err
	}
	return tx.placeLocations(a, cur, w.unplaced)
}

// checkChildIDs refuses a place, contact or cost whose id is another
// listing's, naming it: a client copying rows between listings must leave
// their ids out, as new rows.
func (tx *Tx) checkChildIDs(a *linkwork.Asset) error {
	var p linkwork.Problems
	for _, list := range []struct {
		name, table string
		ids         []string
	}{
		{"locations", "asset_locations", idsOf(a.Locations, func(l linkwork.Location) string { return l.ID })},
		{"contacts", "asset_contacts", idsOf(a.Contacts, func(c linkwork.AssetContact) string { return c.ID })},
		{"cost_options", "asset_cost_options", idsOf(a.CostOptions, func(c linkwork.CostOption) string { return c.ID })},
	} {
		var given []any
		for _, id := range list.ids {
			if id != "" {
				given = append(given, id)
			}
		}
		if len(given) == 0 {
			continue
		}
		taken := map[string]bool{}
		err := tx.eachRow("SELECT id FROM "+list.table+" WHERE asset_id <> ? AND id IN ("+placeholders(len(given))+")", append([]any{a.ID}, given...), func(row scanner) error {
			var id string
			err := row.Scan(&id)
			taken[id] = true
			return err
		})
		if err != nil {
			return err
		}
		for i, id := range list.ids {
			if taken[id] {
				p.Addf(fmt.Sprintf("%s[%d].id", list.name, i), "This id is another listing's: leave it out to add this as a new one")
			}
		}
	}
	return p.Err()
}

func idsOf[T any](rows []T, id func(T) string) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

// placeLocations puts each place on the map whose caller gave no point, or
// gave the point it had at another postcode: at its full postcode's centre
// from the loaded postcode table, else at its district's. A place whose
// postcode has not changed keeps its point. A place that cannot be put on
// the map would never be found by a search nearby: it is refused, naming
// its postcode.
func (tx *Tx) placeLocations(a, cur *linkwork.Asset, unplaced map[int]bool) error {
	var p linkwork.Problems
	for i := range a.Locations {
		l := &a.Locations[i]
		if !l.Physical() {
			continue
		}
		var was *linkwork.Location
		if cur != nil {
			was = cur.Location(l.ID)
		}
		samePostcode := was != nil && was.Physical() && linkwork.NormalisePostcode(was.PostalCode) == l.PostalCode && (was.Lat != 0 || was.Lon != 0)
		switch {
		case unplaced[i] && samePostcode:
			l.Lat, l.Lon = was.Lat, was.Lon
			continue
		case !unplaced[i] && (was == nil || samePostcode || l.Lat != was.Lat || l.Lon != was.Lon):
			continue // a point the caller chose
		}
		err := tx.queryRow("SELECT lat, lon FROM postcodes WHERE postcode = ?", l.PostalCode).Scan(&l.Lat, &l.Lon)
		if err == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		pc, _ := linkwork.ParsePostcode(l.PostalCode) // Validate has checked it
		if d, ok := ukpostcode.Lookup(pc.Outward); ok {
			l.Lat, l.Lon = d.Lat, d.Lon
			continue
		}
		l.Lat, l.Lon = 0, 0
		p.Addf(fmt.Sprintf("locations[%d].postal_code", i), "We cannot find the postcode %s. Check it, or make this an online place", l.PostalCode)
	}
	return p.Err()
}

// checkAssetOrg checks that a listing's organisation exists: EINVALID
// naming organization_id (the API's name) when it does not.
func (tx *Tx) checkAssetOrg(orgID string) error {
	if orgID == "" {
		return nil
	}
	if _, err := tx.findOrg(orgID); linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
		var p linkwork.Problems
		p.Add("organization_id", "There is no organisation with this id")
		return p.Err()
	} else if err != nil {
		return err
	}
	return nil
}

func (tx *Tx) insertAsset(a *linkwork.Asset) error {
	assignAssetIDs(a)
	a.Version, a.CreatedAt, a.UpdatedAt = 1, tx.now, tx.now
	if a.Capacity.Updated.IsZero() {
		a.Capacity.Updated = tx.now
	}
	if _, err := tx.exec(`INSERT INTO assets (`+assetColumnList+`) VALUES (`+placeholders(29)+`)`, assetArgs(a)...); err != nil {
		return err
	}
	if err := tx.writeAssetChildren(a); err != nil {
		return err
	}
	if err := tx.writeAssetVersion(a); err != nil {
		return err
	}
	if err := tx.addTerms(assetTerms(a)); err != nil {
		return err
	}
	return tx.audit("asset.create", auth.KindAsset, a.ID, a.Name)
}

// assetChildren are the rows of a listing's child tables, table by table,
// in the loader's order: what writeAssetChildren and the loader insert.
func assetChildren(a *linkwork.Asset) []struct {
	table string
	rows  [][]any
} {
	type part = struct {
		table string
		rows  [][]any
	}
	var cats, scheds, locs, contacts, costs, langs, areas [][]any
	seen := map[linkwork.Category]bool{}
	for _, c := range a.Categories {
		if !seen[c] {
			seen[c] = true
			cats = append(cats, []any{a.ID, string(c)})
		}
	}
	for i, s := range a.Schedules {
		scheds = append(scheds, []any{a.ID, i, s.Freq, s.ByDay, s.OpensAt, s.ClosesAt, s.Note, s.LocationID})
	}
	for i, l := range a.Locations {
		locs = append(locs, []any{l.ID, a.ID, i, string(l.Type), l.Name, l.Address1, l.City, l.StateProvince, l.PostalCode, l.Country, l.URL, l.Lat, l.Lon, locationSALID(a.ID, l, i)})
	}
	for i, c := range a.Contacts {
		contacts = append(contacts, []any{c.ID, a.ID, i, c.Name, c.Title, c.Email, c.Phone})
	}
	for i, c := range a.CostOptions {
		costs = append(costs, []any{c.ID, a.ID, i, c.Option, intArg(c.Amount), c.AmountDescription})
	}
	for i, l := range a.Languages {
		langs = append(langs, []any{a.ID, i, l})
	}
	for i, ar := range a.ServiceAreas {
		areas = append(areas, []any{a.ID, i, ar})
	}
	return []part{
		{"asset_categories", cats}, {"asset_schedules", scheds}, {"asset_locations", locs}, {"asset_contacts", contacts},
		{"asset_cost_options", costs}, {"asset_languages", langs}, {"asset_service_areas", areas},
	}
}

// assetChildColumns are the columns of each child table, in the order
// assetChildren gives the values.
var assetChildColumns = map[string]string{
	"asset_categories":    "asset_id, category",
	"asset_schedules":     "asset_id, position, freq, by_day, opens_at, closes_at, note, location_id",
	"asset_locations":     "id, asset_id, position, type, name, address_1, city, state_province, postal_code, country, url, lat, lon, sal_id",
	"asset_contacts":      "id, asset_id, position, name, title, email, phone",
	"asset_cost_options":  "id, asset_id, position, option, amount, amount_description",
	"asset_languages":     "asset_id, position, language",
	"asset_service_areas": "asset_id, position, area",
}

// keepSALIDs gives each of a's locations that was cur's, by id, the
// service-at-location id a feed gave it, when a's says none: an edit (a
// form knows nothing of it) leaves the id consumers hold as it was.
func keepSALIDs(a, cur *linkwork.Asset) {
	feeds := map[string]string{}
	for _, l := range cur.Locations {
		if l.ServiceAtLocationID != "" {
			feeds[l.ID] = l.ServiceAtLocationID
		}
	}
	for i := range a.Locations {
		if l := &a.Locations[i]; l.ServiceAtLocationID == "" {
			l.ServiceAtLocationID = feeds[l.ID]
		}
	}
}

// locationSALID is the service-at-location id kept beside a listing's
// location i: the one a feed gave it, else salID's.
func locationSALID(assetID string, l linkwork.Location, i int) string {
	if l.ServiceAtLocationID != "" {
		return strings.ToLower(l.ServiceAtLocationID)
	}
	return salID(assetID, l.ID, i)
}

// writeAssetChildren replaces the listing's rows in every child table.
func (tx *Tx) writeAssetChildren(a *linkwork.Asset) error {
	for _, part := range assetChildren(a) {
		if _, err := tx.exec("DELETE FROM "+part.table+" WHERE asset_id = ?", a.ID); err != nil {
			return err
		}
		cols := assetChildColumns[part.table]
		for _, row := range part.rows {
			if _, err := tx.exec("INSERT INTO "+part.table+" ("+cols+") VALUES ("+placeholders(len(row))+")", row...); err != nil {
				return err
			}
		}
	}
	return nil
}

// assetSnapshot is the listing as asset_versions keeps it: the Asset
// encoded by encoding/json, so with Go's field names.
func assetSnapshot(a *linkwork.Asset) (string, error) {
	b, err := json.Marshal(a)
	return string(b), err
}

// writeAssetVersion records the listing as saved now, by the actor.
func (tx *Tx) writeAssetVersion(a *linkwork.Asset) error {
	snap, err := assetSnapshot(a)
	if err != nil {
		return err
	}
	_, err = tx.exec("INSERT INTO asset_versions (asset_id, version, changed_at, changed_by, snapshot) VALUES (?, ?, ?, ?, ?)",
		a.ID, a.Version, tx.now, tx.actor.ID(), snap)
	return err
}

// assetChildQueries read each child table for a page of listings; fill
// adds one row to its listing.
var assetChildQueries = []struct {
	query string
	fill  func(row scanner, byID map[string]*linkwork.Asset) error
}{
	{"SELECT asset_id, category FROM asset_categories WHERE asset_id IN %s ORDER BY asset_id, category", func(row scanner, byID map[string]*linkwork.Asset) error {
		var id, c string
		if err := row.Scan(&id, &c); err != nil {
			return err
		}
		byID[id].Categories = append(byID[id].Categories, linkwork.Category(c))
		return nil
	}},
	{"SELECT asset_id, freq, by_day, opens_at, closes_at, note, location_id FROM asset_schedules WHERE asset_id IN %s ORDER BY asset_id, position", func(row scanner, byID map[string]*linkwork.Asset) error {
		var id string
		var s linkwork.Schedule
		if err := row.Scan(&id, &s.Freq, &s.ByDay, &s.OpensAt, &s.ClosesAt, &s.Note, &s.LocationID); err != nil {
			return err
		}
		byID[id].Schedules = append(byID[id].Schedules, s)
		return nil
	}},
	{"SELECT asset_id, id, type, name, address_1, city, state_province, postal_code, country, url, lat, lon, COALESCE(sal_id, '') FROM asset_locations WHERE asset_id IN %s ORDER BY asset_id, position", func(row scanner, byID map[string]*linkwork.Asset) error {
		var id, typ, sal string
		var l linkwork.Location
		if err := row.Scan(&id, &l.ID, &typ, &l.Name, &l.Address1, &l.City, &l.StateProvince, &l.PostalCode, &l.Country, &l.URL, &l.Lat, &l.Lon, &sal); err != nil {
			return err
		}
		l.Type = linkwork.LocationType(typ)
		if sal != salID(id, l.ID, len(byID[id].Locations)) {
			l.ServiceAtLocationID = sal // a feed's own
		}
		byID[id].Locations = append(byID[id].Locations, l)
		return nil
	}},
	{"SELECT asset_id, id, name, title, email, phone FROM asset_contacts WHERE asset_id IN %s ORDER BY asset_id, position", func(row scanner, byID map[string]*linkwork.Asset) error {
		var id string
		var c linkwork.AssetContact
		if err := row.Scan(&id, &c.ID, &c.Name, &c.Title, &c.Email, &c.Phone); err != nil {
			return err
		}
		byID[id].Contacts = append(byID[id].Contacts, c)
		return nil
	}},
	{"SELECT asset_id, id, option, amount, amount_description FROM asset_cost_options WHERE asset_id IN %s ORDER BY asset_id, position", func(row scanner, byID map[string]*linkwork.Asset) error {
		var id string
		var c linkwork.CostOption
		if err := row.Scan(&id, &c.ID, &c.Option, nullInt{&c.Amount}, &c.AmountDescription); err != nil {
			return err
		}
		byID[id].CostOptions = append(byID[id].CostOptions, c)
		return nil
	}},
	{"SELECT asset_id, language FROM asset_languages WHERE asset_id IN %s ORDER BY asset_id, position", func(row scanner, byID map[string]*linkwork.Asset) error {
		var id, l string
		if err := row.Scan(&id, &l); err != nil {
			return err
		}
		byID[id].Languages = append(byID[id].Languages, l)
		return nil
	}},
	{"SELECT asset_id, area FROM asset_service_areas WHERE asset_id IN %s ORDER BY asset_id, position", func(row scanner, byID map[string]*linkwork.Asset) error {
		var id, ar string
		if err := row.Scan(&id, &ar); err != nil {
			return err
		}
		byID[id].ServiceAreas = append(byID[id].ServiceAreas, ar)
		return nil
	}},
}

// loadAssetChildren fills the child records of a page of listings, one
// query per child table.
func (tx *Tx) loadAssetChildren(assets []*linkwork.Asset) error {
	if len(assets) == 0 {
		return nil
	}
	byID := make(map[string]*linkwork.Asset, len(assets))
	ids := make([]any, len(assets))
	for i, a := range assets {
		byID[a.ID] = a
		ids[i] = a.ID
		a.Categories, a.Schedules, a.Locations, a.Contacts, a.CostOptions, a.Languages, a.ServiceAreas = nil, nil, nil, nil, nil, nil, nil
	}
	in := "(" + placeholders(len(ids)) + ")"
	for _, q := range assetChildQueries {
		if err := tx.eachRow(fmt.Sprintf(q.query, in), ids, func(row scanner) error { return q.fill(row, byID) }); err != nil {
			return err
		}
	}
	return nil
}

// eachRow runs a query and calls fn with each row.
func (tx *Tx) eachRow(q string, args []any, fn func(scanner) error) error {
	rows, err := tx.query(q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (tx *Tx) findAsset(id string) (*linkwork.Asset, error) {
	a, err := scanAsset(tx.queryRow("SELECT "+assetColumns+" FROM assets a WHERE a.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "Listing not found")
	}
	if err != nil {
		return nil, err
	}
	return a, tx.loadAssetChildren([]*linkwork.Asset{a})
}

// FindAssetByID returns one listing. Anyone may read the directory.
func (s *AssetService) FindAssetByID(ctx context.Context, id string) (*linkwork.Asset, error) {
	var a *linkwork.Asset
	err := s.db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
		var err error
		a, err = tx.findAsset(id)
		return err
	})
	return a, err
}

// publicActor is the caller's actor, or an anonymous reader of public data.
func publicActor(ctx context.Context) linkwork.Actor {
	if a, ok := linkwork.ActorFrom(ctx); ok {
		return a
	}
	return linkwork.Actor{Name: "public"}
}

// UpdateAsset saves changes to a listing at its version, and keeps the new
// version.
func (s *AssetService) UpdateAsset(ctx context.Context, a *linkwork.Asset) error {
	w := wishesOf(a)
	*a = a.Normalised()
	if err := a.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.findAsset(a.ID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, auth.AssetRecord(cur)) || !auth.Can(tx.actor, auth.ActionUpdate, auth.AssetRecord(a)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can only change your own organisation's listings")
		}
		if a.OrgID != cur.OrgID {
			if err := tx.checkAssetOrg(a.OrgID); err != nil {
				return err
			}
		}
		if err := tx.settle(a, cur, w); err != nil {
			return err
		}
		return tx.saveAsset(cur, a, "asset.update", "")
	})
}

// saveAsset writes a over cur at a.Version, keeps the new version and
// audits the change as action. The caller has checked who may.
func (tx *Tx) saveAsset(cur, a *linkwork.Asset, action, detail string) error {
	assignAssetIDs(a)
	if a.Capacity.Updated.IsZero() || a.Capacity.Status != cur.Capacity.Status ||
		!sameInt(a.Capacity.Available, cur.Capacity.Available) || !sameInt(a.Capacity.Maximum, cur.Capacity.Maximum) {
		a.Capacity.Updated = tx.now
	}
	free, online, inPerson, keywords := assetSummary(a)
	res, err := tx.exec(`UPDATE assets SET org_id = ?, name = ?, description = ?, url = ?, email = ?, phone = ?, status = ?, how_to_join = ?,
		capacity = ?, capacity_available = ?, capacity_maximum = ?, capacity_updated = ?, min_age = ?, max_age = ?,
		free = ?, online = ?, in_person = ?, keywords = ?, places = ?, accessibility = ?, youth_friendly = ?, buddy_welcome = ?,
		assured_at = ?, assured_by = ?, verify_by = ?, version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
		sv(a.OrgID), a.Name, a.Description, a.URL, a.Email, a.Phone, string(a.Status), string(a.HowToJoin),
		string(a.Capacity.Status), intArg(a.Capacity.Available), intArg(a.Capacity.Maximum), tv(a.Capacity.Updated), a.MinAge, a.MaxAge,
		free, online, inPerson, keywords, placeCells(a), a.Accessibility, a.YouthFriendly, a.BuddyWelcome,
		tv(a.AssuredAt), a.AssuredBy, dv(a.VerifyBy), tx.now, a.ID, a.Version)
	if err != nil {
		return err
	}
	if err := tx.mustAffect(res, "assets", a.ID, "Listing"); err != nil {
		return err
	}
	if a.OrgID != cur.OrgID {
		// The listing changes hands: so do the people handed over to it.
		if _, err := tx.exec("UPDATE connections SET asset_org_id = ? WHERE asset_id = ?", sv(a.OrgID), a.ID); err != nil {
			return err
		}
	}
	keepSALIDs(a, cur)
	if err := tx.writeAssetChildren(a); err != nil {
		return err
	}
	a.Version++
	a.CreatedAt, a.UpdatedAt = cur.CreatedAt, tx.now
	if err := tx.writeAssetVersion(a); err != nil {
		return err
	}
	if err := tx.addTerms(assetTerms(a)); err != nil {
		return err
	}
	return tx.audit(action, auth.KindAsset, a.ID, detail)
}

func sameInt(a, b *int) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// FindAssetVersions returns a listing's saved versions, newest first, to
// those who may change it.
func (s *AssetService) FindAssetVersions(ctx context.Context, id string) ([]*linkwork.AssetVersion, error) {
	var out []*linkwork.AssetVersion
	err := s.db.view(ctx, func(tx *Tx) error {
		var orgID string
		if err := tx.queryRow("SELECT org_id FROM assets WHERE id = ?", id).Scan(nullString{&orgID}); errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Listing not found")
		} else if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, auth.AssetRecord(&linkwork.Asset{OrgID: orgID})) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only coordinators and the organisation that runs it can see a listing's history")
		}
		return tx.eachRow(`SELECT v.version, v.changed_at, v.changed_by, u.name, v.snapshot FROM asset_versions v
			LEFT JOIN users u ON u.id = v.changed_by WHERE v.asset_id = ? ORDER BY v.version DESC`, []any{id}, func(row scanner) error {
			v := &linkwork.AssetVersion{AssetID: id, Asset: &linkwork.Asset{}}
			var snap string
			if err := row.Scan(&v.Version, timeDest{&v.ChangedAt}, &v.ChangedBy, nullString{&v.ChangedByName}, nullString{&snap}); err != nil {
				return err
			}
			if v.ChangedByName == "" && strings.HasPrefix(v.ChangedBy, verifyActorPrefix) {
				v.ChangedByName = linkwork.VerifiedByContact
			}
			if err := json.Unmarshal([]byte(snap), v.Asset); err != nil {
				return fmt.Errorf("asset %s version %d: %w", id, v.Version, err)
			}
			out = append(out, v)
			return nil
		})
	})
	return out, err
}
