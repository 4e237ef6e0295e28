package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// GapService implements linkwork.GapService.
type GapService struct{ db *DB }

// NewGapService returns the gap service over db.
func NewGapService(db *DB) *GapService { return &GapService{db: db} }

var _ linkwork.GapService = (*GapService)(nil)

// LogGap records an unmet need for a case the actor works, with the
// person's age band and district as their record says today.
func (s *GapService) LogGap(ctx context.Context, g *linkwork.Gap) error {
	if err := g.Validate(); err != nil {
		return err
	}
	return s.db.update(ctx, func(tx *Tx) error {
		k, err := tx.visibleCase(g.CaseID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionCreate, auth.Record{Kind: auth.KindGap, ServiceOrgID: k.ServiceOrgID, LinkWorkerID: k.LinkWorkerID}) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this case but not log gaps for it")
		}
		var dob linkwork.Date
		var postcode string
		err = tx.queryRow("SELECT date_of_birth, postcode FROM people WHERE id = ?", k.PersonID).Scan(dateDest{&dob}, &postcode)
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Case not found")
		}
		if err != nil {
			return err
		}
		g.ID = uuid.NewString()
		g.ServiceOrgID = k.ServiceOrgID
		g.AgeBand = linkwork.AgeBandOn(dob, linkwork.DateOf(tx.now.In(ukTime)))
		g.District = linkwork.PostcodeDistrict(postcode)
		g.ByUserID = tx.actor.UserID
		g.CreatedAt = tx.now
		if _, err := tx.exec(`INSERT INTO gaps (id, service_org_id, case_id, category, wanted, missing, age_band, district, by_user_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, g.ID, g.ServiceOrgID, g.CaseID, string(g.Category), g.Wanted, string(g.Missing), g.AgeBand, g.District, g.ByUserID, g.CreatedAt); err != nil {
			return err
		}
		return tx.audit("gap.create", auth.KindGap, g.ID, string(g.Category)+" "+string(g.Missing))
	})
}

// SummariseGaps totals the gaps the actor may see by category and by
// district, most first, with the newest of them. Each total is one
// grouped query over the service's gaps (gaps_service).
func (s *GapService) SummariseGaps(ctx context.Context, newest int) (*linkwork.GapSummary, error) {
	if newest <= 0 || newest > 100 {
		newest = 20
	}
	out := &linkwork.GapSummary{}
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.scope(tx.actor, auth.KindGap, "g")
		count := func(col string) ([]linkwork.GapCount, error) {
			rows, err := tx.query("SELECT g."+col+", COUNT(*) FROM gaps g WHERE "+w.sql()+" GROUP BY g."+col+" ORDER BY COUNT(*) DESC, g."+col, w.args...)
			if err != nil {
				return nil, err
			}
			defer rows.Close()
			var cs []linkwork.GapCount
			for rows.Next() {
				var c linkwork.GapCount
				if err := rows.Scan(&c.Key, &c.Count); err != nil {
					return nil, err
				}
				cs = append(cs, c)
			}
			return cs, rows.Err()
		}
		var err error
		if out.ByCategory, err = count("category"); err != nil {
			return err
		}
		for i, c := range out.ByCategory {
			out.ByCategory[i].Label = linkwork.Category(c.Key).Label()
			out.Total += c.Count
		}
		if out.ByArea, err = count("district"); err != nil {
			return err
		}
		for i, c := range out.ByArea {
			out.ByArea[i].Label = c.Key
			if c.Key == "" {
				out.ByArea[i].Label = "Area not known"
			}
		}
		rows, err := tx.query("SELECT g.id, g.service_org_id, g.case_id, g.category, g.wanted, g.missing, g.age_band, g.district, g.by_user_id, g.created_at FROM gaps g WHERE "+w.sql()+" ORDER BY g.created_at DESC, g.id LIMIT ?", append(w.args, newest)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var g linkwork.Gap
			var category, missing string
			if err := rows.Scan(&g.ID, &g.ServiceOrgID, &g.CaseID, &category, &g.Wanted, &missing, &g.AgeBand, &g.District, &g.ByUserID, timeDest{&g.CreatedAt}); err != nil {
				return err
			}
			g.Category, g.Missing = linkwork.Category(category), linkwork.GapReason(missing)
			out.Newest = append(out.Newest, &g)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		return tx.audit("gap.summary", auth.KindGap, "", "")
	})
	return out, err
}
