package sqlstore

// A search near a point that reaches beyond the circle
// (AssetFilter.Reaching): Open Referral UK's /service_at_locations with a
// postcode and no proximity. Besides the listings with a place in the
// circle, it finds those that reach the point from elsewhere: every
// listing that can be joined online, and those whose service areas name
// the point's postcode, district, area or town.

// reachingHits adds to near, the hits with a place in the circle, the
// listings that match the filter and the words (groups) and are online or
// cover the point, and marks every hit that is either. One query finds
// them, and one the listings whose service areas cover the point.
func (tx *Tx) reachingHits(q dirQuery, groups []spelling, near []*assetHit) ([]*assetHit, error) {
	in := placeholders(len(q.reaching))
	areas := make([]any, len(q.reaching))
	for i, r := range q.reaching {
		areas[i] = r
	}
	covering := map[string]bool{}
	err := tx.eachRow("SELECT DISTINCT asset_id FROM asset_service_areas WHERE UPPER(area) IN ("+in+")", areas, func(row scanner) error {
		var id string
		if err := row.Scan(&id); err != nil {
			return err
		}
		covering[id] = true
		return nil
	})
	if err != nil {
		return nil, err
	}
	w := q.where.with("(a.online = TRUE OR EXISTS (SELECT 1 FROM asset_service_areas sa WHERE sa.asset_id = a.id AND UPPER(sa.area) IN ("+in+")))", areas...)
	more, err := tx.assetHits(w, groups, nil, q.radius)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*assetHit, len(near))
	for _, h := range near {
		byID[h.id] = h
	}
	for _, m := range more {
		h := byID[m.id]
		if h == nil {
			h = m
			near = append(near, h)
			byID[h.id] = h
		}
		h.covers = covering[h.id]
		h.online = !h.covers // counted by location type: see countReachedLocations
	}
	return near, nil
}
