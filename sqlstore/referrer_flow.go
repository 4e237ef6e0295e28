package sqlstore

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// ReferrerFlowService implements linkwork.ReferrerFlowService.
type ReferrerFlowService struct{ db *DB }

// NewReferrerFlowService returns the referrers' flow over db.
func NewReferrerFlowService(db *DB) *ReferrerFlowService {
	return &ReferrerFlowService{db: db}
}

var _ linkwork.ReferrerFlowService = (*ReferrerFlowService)(nil)

// ReferrerFlow adds up the referrals in two aggregate statements, each
// reading the actor's referrals by index over a range of time (a
// service's by referrals_service_received, a referrer's by
// referrals_referrer): what became of each referrer's referrals month by
// month, and how many each sent in the quiet weeks and the steady weeks
// before them. Months are UK calendar months, their bounds worked out
// here and written into the statement.
func (s *ReferrerFlowService) ReferrerFlow(ctx context.Context, f linkwork.ReferrerFlowFilter) (*linkwork.ReferrerFlow, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	f = f.WithDefaults()
	out := &linkwork.ReferrerFlow{Filter: f}
	err := s.db.audited(ctx, func(tx *Tx) error {
		if auth.ScopeFor(tx.actor, auth.KindReferrerFlow).None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only referrers, for their own referrals, and a service's coordinators see the referrers' flow")
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
		out.QuietSince = tx.now.AddDate(0, 0, -7*f.QuietWeeks)
		out.SteadySince = out.QuietSince.AddDate(0, 0, -7*linkwork.SteadyWeeks)
		rows := map[string]*linkwork.ReferrerFlowRow{}
		row := func(org, name, kind string) *linkwork.ReferrerFlowRow {
			r := rows[org]
			if r == nil {
				r = &linkwork.ReferrerFlowRow{OrgID: org, Name: name, Kind: linkwork.OrgKind(kind), ByMonth: make([]linkwork.FlowCounts, f.Months)}
				if org == "" {
					r.Name = "No referring organisation"
				}
				rows[org] = r
			}
			return r
		}
		if err := s.months(tx, starts, row); err != nil {
			return err
		}
		if err := s.quiet(tx, out, row); err != nil {
			return err
		}
		out.TotalByMonth = make([]linkwork.FlowCounts, f.Months)
		for _, r := range rows {
			for i, c := range r.ByMonth {
				r.Total = r.Total.Add(c)
				out.TotalByMonth[i] = out.TotalByMonth[i].Add(c)
			}
			out.Total = out.Total.Add(r.Total)
			r.Quiet = r.OrgID != "" && r.Recent == 0 && r.Before >= linkwork.SteadyReferrals
			out.Referrers = append(out.Referrers, *r)
		}
		sort.Slice(out.Referrers, func(i, j int) bool {
			a, b := out.Referrers[i], out.Referrers[j]
			if (a.OrgID == "") != (b.OrgID == "") {
				return b.OrgID == ""
			}
			if a.Total.Referred != b.Total.Referred {
				return a.Total.Referred > b.Total.Referred
			}
			if a.Name != b.Name {
				return a.Name < b.Name
			}
			return a.OrgID < b.OrgID
		})
		return tx.audit("referrer_flow.read", auth.KindReferrerFlow, "", fmt.Sprintf("%d months, quiet after %d weeks", f.Months, f.QuietWeeks))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// months adds up what became of the referrals of each referrer, month by
// month, from the start of the first month to the end of the last.
func (s *ReferrerFlowService) months(tx *Tx, starts []time.Time, row func(org, name, kind string) *linkwork.ReferrerFlowRow) error {
	var month strings.Builder
	var args []any
	month.WriteString("CASE")
	for i := 0; i+1 < len(starts); i++ {
		month.WriteString(" WHEN r.received_at < ? THEN " + fmt.Sprint(i))
		args = append(args, tv(starts[i+1]))
	}
	month.WriteString(" END")
	var w where
	w.scope(tx.actor, auth.KindReferrerFlow, "r")
	w.add("r.received_at >= ?", tv(starts[0]))
	w.add("r.received_at < ?", tv(starts[len(starts)-1]))
	args = append(args, w.args...)
	q := `SELECT g.org, g.name, g.kind, g.month, COUNT(*),
	SUM(CASE WHEN g.status IN ('received', 'triage', 'deferred') THEN 1 ELSE 0 END),
	SUM(CASE WHEN g.status = 'accepted' THEN 1 ELSE 0 END),
	SUM(CASE WHEN g.status = 'declined' THEN 1 ELSE 0 END),
	SUM(CASE WHEN g.status = 'withdrawn' THEN 1 ELSE 0 END),
	SUM(CASE WHEN g.status = 'accepted' AND (g.case_status IS NULL OR g.case_status <> 'closed') THEN 1 ELSE 0 END),
	SUM(CASE WHEN g.status = 'accepted' AND g.case_status = 'closed' AND g.reason IN ('goals_met', 'connected') THEN 1 ELSE 0 END),
	SUM(CASE WHEN g.status = 'accepted' AND g.case_status = 'closed' AND g.reason NOT IN ('goals_met', 'connected') THEN 1 ELSE 0 END),
	MAX(g.received_at)
FROM (
	SELECT COALESCE(r.referrer_org_id, '') AS org, COALESCE(o.name, '') AS name, COALESCE(o.kind, '') AS kind, ` + month.String() + ` AS month,
		r.status, k.status AS case_status, k.closure_reason AS reason, r.received_at
	FROM referrals r
	LEFT JOIN organisations o ON o.id = r.referrer_org_id
	LEFT JOIN cases k ON k.referral_id = r.id
	WHERE ` + w.sql() + `
) g
GROUP BY g.org, g.name, g.kind, g.month`
	rows, err := tx.query(q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var org, name, kind string
		var m int
		var c linkwork.FlowCounts
		var last time.Time
		if err := rows.Scan(&org, &name, &kind, &m, &c.Referred, &c.Waiting, &c.Accepted, &c.Declined, &c.Withdrawn, &c.Supported, &c.ClosedWell, &c.ClosedOther, timeDest{&last}); err != nil {
			return err
		}
		r := row(org, name, kind)
		r.ByMonth[m] = r.ByMonth[m].Add(c)
		if last.After(r.LastReferral) {
			r.LastReferral = last
		}
	}
	return rows.Err()
}

// quiet counts each referrer's referrals in the quiet weeks and in the
// steady weeks before them, and finds its latest.
func (s *ReferrerFlowService) quiet(tx *Tx, out *linkwork.ReferrerFlow, row func(org, name, kind string) *linkwork.ReferrerFlowRow) error {
	var w where
	w.scope(tx.actor, auth.KindReferrerFlow, "r")
	w.add("r.received_at >= ?", tv(out.SteadySince))
	q := `SELECT COALESCE(r.referrer_org_id, ''), COALESCE(o.name, ''), COALESCE(o.kind, ''),
	SUM(CASE WHEN r.received_at >= ? THEN 1 ELSE 0 END), SUM(CASE WHEN r.received_at < ? THEN 1 ELSE 0 END), MAX(r.received_at)
FROM referrals r
LEFT JOIN organisations o ON o.id = r.referrer_org_id
WHERE ` + w.sql() + `
GROUP BY COALESCE(r.referrer_org_id, ''), COALESCE(o.name, ''), COALESCE(o.kind, '')`
	rows, err := tx.query(q, append([]any{tv(out.QuietSince), tv(out.QuietSince)}, w.args...)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var org, name, kind string
		var recent, before int
		var last time.Time
		if err := rows.Scan(&org, &name, &kind, &recent, &before, timeDest{&last}); err != nil {
			return err
		}
		r := row(org, name, kind)
		r.Recent, r.Before = recent, before
		if last.After(r.LastReferral) {
			r.LastReferral = last
		}
	}
	return rows.Err()
}
