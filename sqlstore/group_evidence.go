package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// GroupEvidenceService implements linkwork.GroupEvidenceService.
type GroupEvidenceService struct{ db *DB }

// NewGroupEvidenceService returns the evidence packs over db.
func NewGroupEvidenceService(db *DB) *GroupEvidenceService {
	return &GroupEvidenceService{db: db}
}

var _ linkwork.GroupEvidenceService = (*GroupEvidenceService)(nil)

// GroupEvidence adds up the pack in one statement: the connections to
// the organisation's activities in the period, found by index from its
// listings (assets by organisation, connections by asset), each with the
// person's age band today and whether they went; then people counted
// once each, for everyone, each month and each age band, and what they
// said. Small numbers are suppressed here, for every reader.
func (s *GroupEvidenceService) GroupEvidence(ctx context.Context, f linkwork.GroupEvidenceFilter) (*linkwork.GroupEvidence, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if f.Months == 0 {
		f.Months = linkwork.DefaultFlowMonths
	}
	out := &linkwork.GroupEvidence{OrgID: f.OrgID}
	err := s.db.audited(ctx, func(tx *Tx) error {
		scope := auth.ScopeFor(tx.actor, auth.KindGroupEvidence)
		if scope.None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only a community organisation, for its own activities, and a service's coordinators see evidence packs")
		}
		if scope.AssetOrgID != "" && scope.AssetOrgID != f.OrgID {
			return linkwork.Errorf(linkwork.ENOTFOUND, "Not found")
		}
		if err := tx.queryRow("SELECT name FROM organisations WHERE id = ?", f.OrgID).Scan(&out.OrgName); err != nil {
			return err
		}
		now := tx.now.In(ukTime)
		this := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, ukTime)
		starts := make([]time.Time, f.Months+1)
		for i := range starts {
			starts[i] = this.AddDate(0, i-f.Months+1, 0)
			if i < f.Months {
				out.Months = append(out.Months, starts[i].Format("2006-01"))
			}
		}
		today := linkwork.DateOf(now)
		q, args := groupEvidenceQuery(tx.actor, f.OrgID, starts, today)
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		byMonth, byBand := map[string]linkwork.GroupCounts{}, map[string]linkwork.GroupCounts{}
		views := map[linkwork.PersonView]int{}
		var all linkwork.GroupCounts
		for rows.Next() {
			var part, key string
			var c linkwork.GroupCounts
			if err := rows.Scan(&part, &key, &c.Connected, &c.Referred, &c.Attended, &c.StillGoing); err != nil {
				return err
			}
			switch part {
			case "all":
				all = c
			case "month":
				byMonth[key] = c
			case "band":
				byBand[key] = c
			case "view":
				views[linkwork.PersonView(key)] = c.Connected
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		out.All = linkwork.GroupRowOf("", "Everyone", all)
		for _, m := range out.Months {
			out.ByMonth = append(out.ByMonth, linkwork.GroupRowOf(m, m, byMonth[m]))
		}
		for _, b := range linkwork.AgeBands {
			if c, ok := byBand[b.Key]; ok {
				out.ByAgeBand = append(out.ByAgeBand, linkwork.GroupRowOf(b.Key, b.Label, c))
			}
		}
		if c, ok := byBand[""]; ok {
			out.ByAgeBand = append(out.ByAgeBand, linkwork.GroupRowOf("", linkwork.AgeBandLabel(""), c))
		}
		linkwork.WithholdSecondary(out.ByMonth)
		linkwork.WithholdSecondary(out.ByAgeBand)
		out.Views, out.Said = linkwork.GroupViewsOf(views)
		return tx.audit("group_evidence.read", auth.KindGroupEvidence, "", fmt.Sprintf("organisation %s, %d months", f.OrgID, f.Months))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// groupEvidenceQuery is the pack's one statement: its parts ('all',
// 'month', 'band', 'view') each a row a group, with the people connected,
// referred, who went and who are still going (for 'view', the people who
// said it, in the first count).
func groupEvidenceQuery(a linkwork.Actor, orgID string, starts []time.Time, today linkwork.Date) (string, []any) {
	var args []any
	var q strings.Builder
	write := func(sql string, a ...any) {
		q.WriteString(sql)
		args = append(args, a...)
	}
	write("WITH g AS MATERIALIZED (\nSELECT c.person_id, c.level, c.status, CASE")
	for i := 0; i+1 < len(starts); i++ {
		write(" WHEN c.created_at < ? THEN ?", tv(starts[i+1]), starts[i].Format("2006-01"))
	}
	write(" END AS month, CASE WHEN COALESCE(r.person_dob, p.date_of_birth) IS NULL THEN ''")
	for _, b := range linkwork.AgeBands {
		from, to := b.Births(today)
		if from.IsZero() {
			write(" WHEN COALESCE(r.person_dob, p.date_of_birth) <= ? THEN ?", dv(to), b.Key)
			continue
		}
		write(" WHEN COALESCE(r.person_dob, p.date_of_birth) >= ? AND COALESCE(r.person_dob, p.date_of_birth) <= ? THEN ?", dv(from), dv(to), b.Key)
	}
	write(` ELSE '' END AS band,
	CASE WHEN c.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = c.case_id AND m.connection_id = c.id AND m.to_status IN ('attended', 'continuing')) THEN 1 ELSE 0 END AS went,
	v.person_view
FROM assets a
JOIN connections c ON c.asset_id = a.id
JOIN people p ON p.id = c.person_id
LEFT JOIN cases k ON k.id = c.case_id
LEFT JOIN referrals r ON r.id = k.referral_id
LEFT JOIN connection_views v ON v.connection_id = c.id
WHERE `)
	var w where
	w.add("a.org_id = ?", orgID)
	w.scope(a, auth.KindGroupEvidence, "c")
	w.add("c.created_at >= ?", tv(starts[0]))
	w.add("c.created_at < ?", tv(starts[len(starts)-1]))
	write(w.sql()+"\n)\n", w.args...)
	counts := `COUNT(DISTINCT person_id),
	COUNT(DISTINCT CASE WHEN level IN ('refer', 'buddy', 'phased') THEN person_id END),
	COUNT(DISTINCT CASE WHEN went = 1 THEN person_id END),
	COUNT(DISTINCT CASE WHEN status = 'continuing' THEN person_id END)
FROM g`
	write("SELECT 'all', '', " + counts + "\nUNION ALL SELECT 'month', month, " + counts + " GROUP BY month\nUNION ALL SELECT 'band', band, " + counts + " GROUP BY band\n" +
		"UNION ALL SELECT 'view', person_view, COUNT(DISTINCT person_id), 0, 0, 0 FROM g WHERE person_view IS NOT NULL GROUP BY person_view")
	return q.String(), args
}

// EvidenceGroups lists the organisations whose packs the actor may read:
// a community organisation its own; a coordinator those running an
// activity their service connected anyone to, found from the service's
// connections by index.
func (s *GroupEvidenceService) EvidenceGroups(ctx context.Context) ([]*linkwork.Organisation, error) {
	var out []*linkwork.Organisation
	err := s.db.view(ctx, func(tx *Tx) error {
		scope := auth.ScopeFor(tx.actor, auth.KindGroupEvidence)
		if scope.None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only a community organisation, for its own activities, and a service's coordinators see evidence packs")
		}
		q := "SELECT o.id, o.name, o.kind FROM organisations o WHERE o.id = ?"
		args := []any{scope.AssetOrgID}
		if scope.AssetOrgID == "" {
			var w where
			w.scope(tx.actor, auth.KindGroupEvidence, "c")
			q = "SELECT o.id, o.name, o.kind FROM organisations o WHERE o.id IN (SELECT c.asset_org_id FROM connections c WHERE " + w.sql() + ") ORDER BY o.name, o.id"
			args = w.args
		}
		rows, err := tx.query(q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			o := &linkwork.Organisation{}
			var kind string
			if err := rows.Scan(&o.ID, &o.Name, &kind); err != nil {
				return err
			}
			o.Kind = linkwork.OrgKind(kind)
			out = append(out, o)
		}
		return rows.Err()
	})
	return out, err
}
