package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// AssetService implements linkwork.AssetService: the directory.
type AssetService struct{ db *DB }

// NewAssetService returns the directory service over db.
func NewAssetService(db *DB) *AssetService { return &AssetService{db: db} }

var _ linkwork.AssetService = (*AssetService)(nil)

const assetColumns = `a.id, a.org_id, a.name, a.description, a.url, a.email, a.phone, a.status, a.how_to_join, a.capacity, a.min_age, a.max_age,
	a.free, a.cost_note, a.online, a.location_name, a.address, a.town, a.postcode, a.lat, a.lon, a.accessibility, a.languages,
	a.youth_friendly, a.buddy_welcome, a.assured_at, a.assured_by, a.verify_by, a.version, a.created_at, a.updated_at`

func scanAsset(row scanner) (*linkwork.Asset, error) {
	var a linkwork.Asset
	var status, join, capacity string
	err := row.Scan(&a.ID, nullString{&a.OrgID}, &a.Name, &a.Description, &a.URL, &a.Email, &a.Phone, &status, &join, &capacity, &a.MinAge, &a.MaxAge,
		&a.Free, &a.CostNote, &a.Online, &a.Location.Name, &a.Location.Address, &a.Location.Town, &a.Location.Postcode, &a.Location.Lat, &a.Location.Lon,
		&a.Accessibility, &a.Languages, &a.YouthFriendly, &a.BuddyWelcome, timeDest{&a.AssuredAt}, &a.AssuredBy, dateDest{&a.VerifyBy},
		&a.Version, timeDest{&a.CreatedAt}, timeDest{&a.UpdatedAt})
	a.Status, a.HowToJoin, a.Capacity = linkwork.AssetStatus(status), linkwork.HowToJoin(join), linkwork.Capacity(capacity)
	return &a, err
}

func assetRecord(a *linkwork.Asset) auth.Record {
	r := auth.Record{Kind: auth.KindAsset}
	if a.OrgID != "" {
		r.AssetOrgIDs = []string{a.OrgID}
	}
	return r
}

// CreateAsset stores a new listing.
func (s *AssetService) CreateAsset(ctx context.Context, a *linkwork.Asset) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if !auth.Can(tx.actor, auth.ActionCreate, assetRecord(a)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You cannot add listings for this organisation")
		}
		return tx.insertAsset(a)
	})
}

func (tx *Tx) insertAsset(a *linkwork.Asset) error {
	if a.ID == "" {
		a.ID = uuid.NewString()
	}
	a.Version, a.CreatedAt, a.UpdatedAt = 1, tx.now, tx.now
	_, err := tx.exec(`INSERT INTO assets (id, org_id, name, description, url, email, phone, status, how_to_join, capacity, min_age, max_age,
		free, cost_note, online, location_name, address, town, postcode, lat, lon, accessibility, languages,
		youth_friendly, buddy_welcome, assured_at, assured_by, verify_by, version, created_at, updated_at) VALUES (`+placeholders(31)+`)`,
		a.ID, sv(a.OrgID), a.Name, a.Description, a.URL, a.Email, a.Phone, string(a.Status), string(a.HowToJoin), string(a.Capacity), a.MinAge, a.MaxAge,
		a.Free, a.CostNote, a.Online, a.Location.Name, a.Location.Address, a.Location.Town, a.Location.Postcode, a.Location.Lat, a.Location.Lon, a.Accessibility, a.Languages,
		a.YouthFriendly, a.BuddyWelcome, tv(a.AssuredAt), a.AssuredBy, dv(a.VerifyBy), a.Version, a.CreatedAt, a.UpdatedAt)
	if err != nil {
		return err
	}
	if err := tx.writeAssetChildren(a); err != nil {
		return err
	}
	return tx.audit("asset.create", auth.KindAsset, a.ID, a.Name)
}

func (tx *Tx) writeAssetChildren(a *linkwork.Asset) error {
	if _, err := tx.exec("DELETE FROM asset_categories WHERE asset_id = ?", a.ID); err != nil {
		return err
	}
	seen := map[linkwork.Category]bool{}
	for _, c := range a.Categories {
		if seen[c] {
			continue
		}
		seen[c] = true
		if _, err := tx.exec("INSERT INTO asset_categories (asset_id, category) VALUES (?, ?)", a.ID, string(c)); err != nil {
			return err
		}
	}
	if _, err := tx.exec("DELETE FROM asset_schedules WHERE asset_id = ?", a.ID); err != nil {
		return err
	}
	for i, s := range a.Schedules {
		if _, err := tx.exec("INSERT INTO asset_schedules (asset_id, position, freq, by_day, opens_at, closes_at, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
			a.ID, i, s.Freq, s.ByDay, s.OpensAt, s.ClosesAt, s.Note); err != nil {
			return err
		}
	}
	return nil
}

// loadAssetChildren fills categories and schedules for a page of assets in
// two queries.
func (tx *Tx) loadAssetChildren(assets []*linkwork.Asset) error {
	if len(assets) == 0 {
		return nil
	}
	byID := make(map[string]*linkwork.Asset, len(assets))
	ids := make([]any, len(assets))
	for i, a := range assets {
		byID[a.ID] = a
		ids[i] = a.ID
		a.Categories, a.Schedules = nil, nil
	}
	in := "(" + placeholders(len(ids)) + ")"
	rows, err := tx.query("SELECT asset_id, category FROM asset_categories WHERE asset_id IN "+in+" ORDER BY asset_id, category", ids...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, c string
		if err := rows.Scan(&id, &c); err != nil {
			rows.Close()
			return err
		}
		byID[id].Categories = append(byID[id].Categories, linkwork.Category(c))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.query("SELECT asset_id, freq, by_day, opens_at, closes_at, note FROM asset_schedules WHERE asset_id IN "+in+" ORDER BY asset_id, position", ids...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var s linkwork.Schedule
		if err := rows.Scan(&id, &s.Freq, &s.ByDay, &s.OpensAt, &s.ClosesAt, &s.Note); err != nil {
			return err
		}
		byID[id].Schedules = append(byID[id].Schedules, s)
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

// FindAssets returns a page of listings matching the filter, by name.
func (s *AssetService) FindAssets(ctx context.Context, f linkwork.AssetFilter) ([]*linkwork.Asset, int, error) {
	var out []*linkwork.Asset
	var total int
	err := s.db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
		var w where
		if !f.AnyStatus {
			w.add("a.status IN (?, ?)", string(linkwork.AssetActive), string(linkwork.AssetTempClosed))
		}
		if f.Query != "" {
			pat := likePattern(f.Query)
			w.add("(lower(a.name) LIKE ? OR lower(a.description) LIKE ?)", pat, pat)
		}
		if f.Category != "" {
			w.add("EXISTS (SELECT 1 FROM asset_categories c WHERE c.asset_id = a.id AND c.category = ?)", string(f.Category))
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
		if f.OrgID != "" {
			w.add("a.org_id = ?", f.OrgID)
		}
		if !f.StaleOn.IsZero() {
			w.add("a.verify_by < ?", dv(f.StaleOn))
		}
		var err error
		if out, total, err = queryPage(tx, "FROM assets a", "", w, "a.name, a.id", f.Offset, f.Limit, scanAsset, assetColumns); err != nil {
			return err
		}
		return tx.loadAssetChildren(out)
	})
	return out, total, err
}

// UpdateAsset saves changes to a listing at its version.
func (s *AssetService) UpdateAsset(ctx context.Context, a *linkwork.Asset) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		cur, err := tx.findAsset(a.ID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, assetRecord(cur)) || !auth.Can(tx.actor, auth.ActionUpdate, assetRecord(a)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can only change your own organisation's listings")
		}
		res, err := tx.exec(`UPDATE assets SET org_id = ?, name = ?, description = ?, url = ?, email = ?, phone = ?, status = ?, how_to_join = ?, capacity = ?,
			min_age = ?, max_age = ?, free = ?, cost_note = ?, online = ?, location_name = ?, address = ?, town = ?, postcode = ?, lat = ?, lon = ?,
			accessibility = ?, languages = ?, youth_friendly = ?, buddy_welcome = ?, assured_at = ?, assured_by = ?, verify_by = ?,
			version = version + 1, updated_at = ? WHERE id = ? AND version = ?`,
			sv(a.OrgID), a.Name, a.Description, a.URL, a.Email, a.Phone, string(a.Status), string(a.HowToJoin), string(a.Capacity),
			a.MinAge, a.MaxAge, a.Free, a.CostNote, a.Online, a.Location.Name, a.Location.Address, a.Location.Town, a.Location.Postcode, a.Location.Lat, a.Location.Lon,
			a.Accessibility, a.Languages, a.YouthFriendly, a.BuddyWelcome, tv(a.AssuredAt), a.AssuredBy, dv(a.VerifyBy), tx.now, a.ID, a.Version)
		if err != nil {
			return err
		}
		if err := tx.mustAffect(res, "assets", a.ID, "Listing"); err != nil {
			return err
		}
		if err := tx.writeAssetChildren(a); err != nil {
			return err
		}
		a.Version++
		a.UpdatedAt = tx.now
		return tx.audit("asset.update", auth.KindAsset, a.ID, "")
	})
}
