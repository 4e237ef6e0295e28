package sqlstore

import (
	"context"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
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
		for _, c := range homeCounts(tx.db.dialect, tx.actor, dv(s.db.today()), tx.now) {
			n, err := tx.count(c.q, c.args...)
			if err != nil {
				return err
			}
			*c.dst(h) = n
		}
		a := tx.actor
		switch a.Role {
		case linkwork.RoleCoordinator, linkwork.RoleSafeguarding:
			// Each link worker's open cases, as kept (migration 27).
			rows, err := tx.query(`SELECT u.id, u.name, CAST(COALESCE(SUM(k.n), 0) AS BIGINT) FROM users u
				LEFT JOIN case_counts k ON k.link_worker_id = u.id AND k.status IN (?, ?)
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
			var rc where
			rc.scope(a, auth.KindReport, "referral_counts")
			rows, err := tx.query("SELECT pathway, CAST(SUM(n) AS BIGINT) FROM referral_counts WHERE "+rc.sql()+" GROUP BY pathway HAVING SUM(n) > 0 ORDER BY SUM(n) DESC, pathway", rc.args...)
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

// keptSum totals the kept numbers a count of referral_counts or
// case_counts selects: 0 when it selects none (and a whole number on
// PostgreSQL, whose SUM of BIGINT is NUMERIC).
const keptSum = "CAST(COALESCE(SUM(n), 0) AS BIGINT)"

// homeCount is one count of a home page: the figure it fills, and the
// statement that counts it.
type homeCount struct {
	dst  func(*linkwork.HomeFigures) *int
	q    string
	args []any
}

// homeCounts are the counts of a's home page, each answered from an index
// (or a kept number) without reading a row of the table it counts. today
// is the day's date as stored, now the clock. The numbers of referrals
// and cases by organisation, link worker and status are kept by triggers
// (referral_counts and case_counts, migration 27): a few rows, however
// many referrals and cases there are.
func homeCounts(d dialect, a linkwork.Actor, today any, now time.Time) []homeCount {
	open := []any{string(linkwork.ReferralReceived), string(linkwork.ReferralTriage)}
	var counts []homeCount
	add := func(dst func(*linkwork.HomeFigures) *int, q string, args ...any) {
		counts = append(counts, homeCount{dst, q, args})
	}
	// Kept by triggers as listings come and go (migration 24): one row,
	// however large the directory.
	add(func(h *linkwork.HomeFigures) *int { return &h.Assets }, "SELECT listed FROM directory_counts WHERE id = 1")
	// Kept by triggers by verify-by date (migration 33): a row a date.
	add(func(h *linkwork.HomeFigures) *int { return &h.StaleAssets }, "SELECT "+keptSum+" FROM directory_checks WHERE verify_by < ?", today)
	switch a.Role {
	case linkwork.RoleReferrer:
		add(func(h *linkwork.HomeFigures) *int { return &h.MyReferralsOpen }, "SELECT "+keptSum+" FROM referral_counts WHERE referrer_org_id = ? AND status IN (?, ?, ?)", a.OrgID, open[0], open[1], string(linkwork.ReferralDeferred))
		add(func(h *linkwork.HomeFigures) *int { return &h.MyReferralsAccepted }, "SELECT "+keptSum+" FROM referral_counts WHERE referrer_org_id = ? AND status = ?", a.OrgID, string(linkwork.ReferralAccepted))
		add(func(h *linkwork.HomeFigures) *int { return &h.MyReferralsDeclined }, "SELECT "+keptSum+" FROM referral_counts WHERE referrer_org_id = ? AND status = ?", a.OrgID, string(linkwork.ReferralDeclined))
	case linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding:
		add(func(h *linkwork.HomeFigures) *int { return &h.AwaitingTriage }, "SELECT "+keptSum+" FROM referral_counts WHERE service_org_id = ? AND status IN (?, ?)", a.OrgID, open[0], open[1])
		// Back in the queue: deferred until a day that has come, whether
		// or not ReturnDueDeferrals has moved it yet, or moved back and
		// not yet decided. referrals_open holds every column asked; the
		// queue's statuses as literals let the planners prove it applies
		// (without them SQLite read every referral of the service).
		add(func(h *linkwork.HomeFigures) *int { return &h.DeferredDueBack },
			"SELECT COUNT(*) FROM referrals r WHERE r.service_org_id = ? AND "+queueStatuses+" AND ((r.status = ? AND r.defer_until <= ?) OR (r.status IN (?, ?) AND r.returned_at IS NOT NULL))",
			a.OrgID, string(linkwork.ReferralDeferred), today, open[0], open[1])
		add(func(h *linkwork.HomeFigures) *int { return &h.WaitingList }, "SELECT "+keptSum+" FROM case_counts WHERE service_org_id = ? AND status = ?", a.OrgID, string(linkwork.CaseWaiting))
		// The open referrals' partial indexes (the statuses written as
		// literals so that the planners can prove they apply) hold the
		// streetlight and the risk state: counting reads them alone.
		add(func(h *linkwork.HomeFigures) *int { return &h.RedAmber }, "SELECT COUNT(*) FROM referrals r WHERE r.service_org_id = ? AND "+queueStatuses+" AND (r.streetlight IN ('red', 'amber') OR "+flaggedSQL+")", a.OrgID)
		add(func(h *linkwork.HomeFigures) *int { return &h.RiskToReview }, "SELECT COUNT(*) FROM referrals r"+d.indexedBy("referrals_risk_review")+" WHERE r.service_org_id = ? AND "+queueStatuses+" AND "+flaggedSQL, a.OrgID)
		add(func(h *linkwork.HomeFigures) *int { return &h.OpenCases }, "SELECT "+keptSum+" FROM case_counts WHERE service_org_id = ? AND status IN (?, ?)", a.OrgID, string(linkwork.CaseActive), string(linkwork.CaseEnding))
		if a.Role == linkwork.RoleLinkWorker {
			add(func(h *linkwork.HomeFigures) *int { return &h.MyCaseload }, "SELECT "+keptSum+" FROM case_counts WHERE link_worker_id = ? AND status IN (?, ?)", a.UserID, string(linkwork.CaseActive), string(linkwork.CaseEnding))
			add(func(h *linkwork.HomeFigures) *int { return &h.MyContactsWeek }, "SELECT COUNT(*) FROM contacts WHERE by_user_id = ? AND at >= ?", a.UserID, now.AddDate(0, 0, -7))
		}
	case linkwork.RoleCommunity:
		add(func(h *linkwork.HomeFigures) *int { return &h.MyListings }, "SELECT COUNT(*) FROM assets WHERE org_id = ?", a.OrgID)
		// assets_org_verify holds the date (migration 24).
		add(func(h *linkwork.HomeFigures) *int { return &h.MyStaleListings }, "SELECT COUNT(*) FROM assets WHERE org_id = ? AND verify_by < ?", a.OrgID, today)
		// The hand-overs waiting for the organisation's answer, from their
		// own partial index (migration 24), its condition written as
		// literals so that both planners can prove it applies.
		add(func(h *linkwork.HomeFigures) *int { return &h.ConnectionsToMe }, "SELECT COUNT(*) FROM connections n WHERE n.asset_org_id = ? AND n.level IN ("+quoted(linkwork.HandOverLevels)+") AND n.status = '"+string(linkwork.ConnContacted)+"'", a.OrgID)
	case linkwork.RoleCommissioner:
		// The figures of the services it funds, as the dashboard's are
		// (the policy's report scope).
		var rc, cc where
		rc.scope(a, auth.KindReport, "referral_counts")
		cc.scope(a, auth.KindReport, "case_counts")
		add(func(h *linkwork.HomeFigures) *int { return &h.ReferralsTotal }, "SELECT "+keptSum+" FROM referral_counts WHERE "+rc.sql(), rc.args...)
		accepted := rc.with("referral_counts.status = ?", string(linkwork.ReferralAccepted))
		add(func(h *linkwork.HomeFigures) *int { return &h.AcceptedTotal }, "SELECT "+keptSum+" FROM referral_counts WHERE "+accepted.sql(), accepted.args...)
		closed := cc.with("case_counts.status = ?", string(linkwork.CaseClosed))
		add(func(h *linkwork.HomeFigures) *int { return &h.ClosedCases }, "SELECT "+keptSum+" FROM case_counts WHERE "+closed.sql(), closed.args...)
	case linkwork.RoleAdmin:
		add(func(h *linkwork.HomeFigures) *int { return &h.Users }, "SELECT COUNT(*) FROM users")
		add(func(h *linkwork.HomeFigures) *int { return &h.DisabledUsers }, "SELECT COUNT(*) FROM users WHERE disabled = TRUE")
		add(func(h *linkwork.HomeFigures) *int { return &h.Organisations }, "SELECT COUNT(*) FROM organisations")
	}
	return counts
}
