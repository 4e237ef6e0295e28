package sqlstore

import (
	"context"
	"database/sql"

	linkwork "github.com/linkwork/linkwork"
)

// FindAssetNames returns the page of listings a search finds, by name, id,
// first category and first place: what a list to choose from shows.
//
// Without text or a point, the page is read walking the index of names,
// each listing checked against the filter as it comes, until the page is
// full: the cost is that of the listings read before the page's last one,
// not of every listing the filter matches (as finding them all, sorting
// and counting them would be). In SQLite the walk reads asset_search, the
// narrow copy of the listings, by its index of names and ids. A search
// with text or a point finds its page as FindAssets does. Either way the
// page's categories and places are read by index, listing by listing in
// the same statement: no listing's details, schedules or contacts.
func (s *AssetService) FindAssetNames(ctx context.Context, f linkwork.AssetFilter) ([]linkwork.AssetName, error) {
	out, _, err := find(ctx, s, f, (*Tx).searchAssetNames)
	return out, err
}

// searchAssetNames is FindAssetNames' search in a transaction; the total
// is not counted (-1).
func (tx *Tx) searchAssetNames(q dirQuery) ([]linkwork.AssetName, int, error) {
	if q.byName() {
		stmt, args := tx.db.assetNamesQuery(q.where, q.off, q.lim)
		out, err := tx.scanAssetNames(stmt, args)
		return out, -1, err
	}
	hits, _, err := tx.hitPage(q)
	if err != nil || len(hits) == 0 {
		return nil, -1, err
	}
	ids := make([]any, len(hits))
	for i, h := range hits {
		ids[i] = h.id
	}
	found, err := tx.scanAssetNames("SELECT "+assetNameColumns+" FROM assets a WHERE a.id IN ("+placeholders(len(ids))+")", ids)
	if err != nil {
		return nil, -1, err
	}
	byID := make(map[string]linkwork.AssetName, len(found))
	for _, n := range found {
		byID[n.ID] = n
	}
	out := make([]linkwork.AssetName, 0, len(hits))
	for _, h := range hits {
		if n, ok := byID[h.id]; ok {
			out = append(out, n)
		}
	}
	return out, -1, nil
}

// assetNameColumns are a listing's (a) id and name, its first category
// (in the order Asset.Categories lists them) and the name and postcode
// of its first place, NULL when it has none: each found by index.
const assetNameColumns = `a.id, a.name,
	(SELECT MIN(c.category) FROM asset_categories c WHERE c.asset_id = a.id),
	(SELECT l.name FROM asset_locations l WHERE l.asset_id = a.id AND l.type = 'physical' ORDER BY l.position LIMIT 1),
	(SELECT l.postal_code FROM asset_locations l WHERE l.asset_id = a.id AND l.type = 'physical' ORDER BY l.position LIMIT 1)`

// scanAssetNames runs a query of assetNameColumns.
func (tx *Tx) scanAssetNames(q string, args []any) ([]linkwork.AssetName, error) {
	var out []linkwork.AssetName
	err := tx.eachRow(q, args, func(row scanner) error {
		var n linkwork.AssetName
		var cat, place, postcode sql.NullString
		if err := row.Scan(&n.ID, &n.Name, &cat, &place, &postcode); err != nil {
			return err
		}
		n.Category = linkwork.Category(cat.String)
		n.HasPlace, n.Place, n.PostalCode = place.Valid, place.String, postcode.String
		out = append(out, n)
		return nil
	})
	return out, err
}

// assetNamesQuery is the statement FindAssetNames runs for a page by
// name of the listings w matches, and its arguments.
func (db *DB) assetNamesQuery(w where, off, lim int) (string, []any) {
	from := "assets a"
	if db.dialect.name() == "sqlite" {
		from = "asset_search a" + db.dialect.indexedBy("asset_search_name")
	}
	return "SELECT " + assetNameColumns + " FROM " + from + " WHERE " + w.sql() + " ORDER BY a.name, a.id LIMIT ? OFFSET ?",
		append(append([]any{}, w.args...), lim, off)
}
