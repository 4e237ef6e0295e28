package sqlstore

import (
	"context"

	linkwork "github.com/linkwork/linkwork"
)

// HomeService implements linkwork.HomeService: counts from indexed
// aggregate queries, never loops in Go.
type HomeService struct{ db *DB }

// NewHomeService returns the home figures service over db.
func NewHomeService(db *DB) *HomeService { return &HomeService{db: db} }

var _ linkwork.HomeService = (*HomeService)(nil)

// HomeFigures returns the figures for the actor's role.
func (s *HomeService) HomeFigures(ctx context.Context) (*linkwork.HomeFigures, error) {
	h := &linkwork.HomeFigures{}
	err := s.db.view(ctx, func(tx *Tx) error {
		a := tx.actor
		today := dv(s.db.today())
		open := []any{string(linkwork.ReferralReceived), string(linkwork.ReferralTriage)}
		counts := []struct {
			dst  *int
			q    string
			args []any
		}{
			{&h.Assets, "SELECT COUNT(*) FROM assets WHERE status IN ('active', 'temporarily closed')", nil},
			{&h.StaleAssets, "SELECT COUNT(*) FROM assets WHERE status IN ('active', 'temporarily closed') AND verify_by < ?", []any{today}},
		}
		add := func(dst *int, q string, args ...any) {
			counts = append(counts, struct {
				dst  *int
				q    string
				args []any
			}{dst, q, args})
		}
		switch a.Role {
		case linkwork.RoleReferrer:
			add(&h.MyReferralsOpen, "SELECT COUNT(*) FROM referrals WHERE referrer_org_id = ? AND status IN (?, ?, ?)", a.OrgID, open[0], open[1], string(linkwork.ReferralDeferred))
			add(&h.MyReferralsAccepted, "SELECT COUNT(*) FROM referrals WHERE referrer_org_id = ? AND status = ?", a.OrgID, string(linkwork.ReferralAccepted))
			add(&h.MyReferralsDeclined, "SELECT COUNT(*) FROM referrals WHERE referrer_org_id = ? AND status = ?", a.OrgID, string(linkwork.ReferralDeclined))
		case linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding:
			add(&h.AwaitingTriage, "SELECT COUNT(*) FROM referrals WHERE service_org_id = ? AND status IN (?, ?)", a.OrgID, open[0], open[1])
			add(&h.DeferredDueBack, "SELECT COUNT(*) FROM referrals WHERE service_org_id = ? AND status = ? AND defer_until <= ?", a.OrgID, string(linkwork.ReferralDeferred), today)
			add(&h.WaitingList, "SELECT COUNT(*) FROM cases WHERE service_org_id = ? AND status = ?", a.OrgID, string(linkwork.CaseWaiting))
			// The open referrals' partial indexes (the statuses written as
			// literals so that the planners can prove they apply) hold the
			// streetlight and the risk state: counting reads them alone.
			add(&h.RedAmber, "SELECT COUNT(*) FROM referrals r WHERE r.service_org_id = ? AND "+queueStatuses+" AND (r.streetlight IN ('red', 'amber') OR "+flaggedSQL+")", a.OrgID)
			add(&h.RiskToReview, "SELECT COUNT(*) FROM referrals r"+tx.db.dialect.indexedBy("referrals_risk_review")+" WHERE r.service_org_id = ? AND "+queueStatuses+" AND "+flaggedSQL, a.OrgID)
			add(&h.OpenCases, "SELECT COUNT(*) FROM cases WHERE service_org_id = ? AND status IN (?, ?)", a.OrgID, string(linkwork.CaseActive), string(linkwork.CaseEnding))
			if a.Role == linkwork.RoleLinkWorker {
				add(&h.MyCaseload, "SELECT COUNT(*) FROM cases WHERE link_worker_id = ? AND status IN (?, ?)", a.UserID, string(linkwork.CaseActive), string(linkwork.CaseEnding))
				add(&h.MyContactsWeek, "SELECT COUNT(*) FROM contacts WHERE by_user_id = ? AND at >= ?", a.UserID, tx.now.AddDate(0, 0, -7))
			}
		case linkwork.RoleCommunity:
			add(&h.MyListings, "SELECT COUNT(*) FROM assets WHERE org_id = ?", a.OrgID)
			add(&h.MyStaleListings, "SELECT COUNT(*) FROM assets WHERE org_id = ? AND verify_by < ?", a.OrgID, today)
			// The hand-overs waiting for the organisation's answer, from
			// the index of its live hand-overs.
			add(&h.ConnectionsToMe, "SELECT COUNT(*) FROM connections n WHERE n.asset_org_id = ? AND "+liveHandOver("n")+" AND n.status = ?", a.OrgID, string(linkwork.ConnContacted))
		case linkwork.RoleCommissioner:
			add(&h.ReferralsTotal, "SELECT COUNT(*) FROM referrals")
			add(&h.AcceptedTotal, "SELECT COUNT(*) FROM referrals WHERE status = ?", string(linkwork.ReferralAccepted))
			add(&h.ClosedCases, "SELECT COUNT(*) FROM cases WHERE status = ?", string(linkwork.CaseClosed))
		case linkwork.RoleAdmin:
			add(&h.Users, "SELECT COUNT(*) FROM users")
			add(&h.DisabledUsers, "SELECT COUNT(*) FROM users WHERE disabled = TRUE")
			add(&h.Organisations, "SELECT COUNT(*) FROM organisations")
		}
		for _, c := range counts {
			n, err := tx.count(c.q, c.args...)
			if err != nil {
				return err
			}
			*c.dst = n
		}
		switch a.Role {
		case linkwork.RoleCoordinator, linkwork.RoleSafeguarding:
			// COUNT(k.status) reads only the index, not each case's row.
			rows, err := tx.query(`SELECT u.id, u.name, COUNT(k.status) FROM users u
				LEFT JOIN cases k ON k.link_worker_id = u.id AND k.status IN (?, ?)
				WHERE u.org_id = ? AND u.role = ? AND u.disabled = FALSE GROUP BY u.id, u.name ORDER BY u.name`,
				string(linkwork.CaseActive), string(linkwork.CaseEnding), a.OrgID, string(linkwork.RoleLinkWorker))
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var c linkwork.Caseload
				if err := rows.Scan(&c.UserID, &c.Name, &c.Active); err != nil {
					return err
				}
				h.Caseloads = append(h.Caseloads, c)
			}
			return rows.Err()
		case linkwork.RoleCommissioner:
			rows, err := tx.query("SELECT pathway, COUNT(*) FROM referrals GROUP BY pathway ORDER BY COUNT(*) DESC, pathway")
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var c linkwork.Count
				if err := rows.Scan(&c.Key, &c.N); err != nil {
					return err
				}
				c.Label = linkwork.Pathway(c.Key).Label()
				h.ReferralsByPathway = append(h.ReferralsByPathway, c)
			}
			return rows.Err()
		case linkwork.RoleAdmin:
			var n int64
			if err := tx.queryRow("SELECT seq FROM audit_head WHERE id = 1").Scan(&n); err != nil {
				return err
			}
			h.AuditEvents = n
		}
		return nil
	})
	return h, err
}
