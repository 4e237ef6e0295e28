package sqlstore

import (
	"context"

	linkwork "github.com/linkwork/linkwork"
)

// FindAssetNames returns the first listings in a category, open to
// referrals, by name and id only.
//
// They are read walking the index of names, each listing checked against
// the category as it comes, until the limit is reached: the cost is that
// of the listings read before the limit's last one, not of every listing
// in the category (as finding them all, sorting and counting them would
// be). In SQLite the walk reads asset_search, the narrow copy of the
// listings, by its index of names and ids.
func (s *AssetService) FindAssetNames(ctx context.Context, category linkwork.Category, limit int) ([]linkwork.AssetName, error) {
	if !category.Valid() {
		return nil, linkwork.FieldErr("category", "Choose a category from the list")
	}
	_, lim := page(0, limit)
	var out []linkwork.AssetName
	err := s.db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
		q, args := tx.db.assetNamesQuery(category, lim)
		return tx.eachRow(q, args, func(row scanner) error {
			var n linkwork.AssetName
			if err := row.Scan(&n.ID, &n.Name); err != nil {
				return err
			}
			out = append(out, n)
			return nil
		})
	})
	return out, err
}

// assetNamesQuery is the statement FindAssetNames runs, and its arguments.
func (db *DB) assetNamesQuery(category linkwork.Category, limit int) (string, []any) {
	from := "assets a"
	if db.dialect.name() == "sqlite" {
		from = "asset_search a" + db.dialect.indexedBy("asset_search_name")
	}
	return "SELECT a.id, a.name FROM " + from + " WHERE a.status IN (?, ?)" +
			" AND EXISTS (SELECT 1 FROM asset_categories c WHERE c.asset_id = a.id AND c.category = ?) ORDER BY a.name, a.id LIMIT ?",
		[]any{string(linkwork.AssetActive), string(linkwork.AssetTempClosed), string(category), limit}
}
