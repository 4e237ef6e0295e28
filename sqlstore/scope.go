package sqlstore

import (
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// where builds a WHERE clause from conditions joined by AND.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// with returns a copy of w with one more condition, leaving w as it was.
func (w where) with(cond string, args ...any) where {
	w.conds = append(w.conds[:len(w.conds):len(w.conds)], cond)
	w.args = append(w.args[:len(w.args):len(w.args)], args...)
	return w
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return "1=1"
	}
	return strings.Join(w.conds, " AND ")
}

// scope adds the policy's visibility rule for kind k, about the table
// aliased as alias, to w. This is the only place visibility becomes SQL.
func (w *where) scope(a linkwork.Actor, k auth.Kind, alias string) {
	s := auth.ScopeFor(a, k)
	if s.All {
		return
	}
	if s.None() {
		w.add("1=0")
		return
	}
	col := func(c string) string { return alias + "." + c }
	switch k {
	case auth.KindReferral:
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.ReferrerOrgID != "" {
			w.add(col("referrer_org_id")+" = ?", s.ReferrerOrgID)
		}
	case auth.KindPerson:
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.ReferrerOrgID != "" {
			w.add("EXISTS (SELECT 1 FROM referrals sr WHERE sr.person_id = "+col("id")+" AND sr.referrer_org_id = ?)", s.ReferrerOrgID)
		}
		if s.AssetOrgID != "" {
			w.add("EXISTS (SELECT 1 FROM connections sc WHERE sc.person_id = "+col("id")+" AND sc.asset_org_id = ? AND "+liveHandOver("sc")+")", s.AssetOrgID)
		}
		if s.LinkWorkerID != "" {
			w.add("EXISTS (SELECT 1 FROM cases sk WHERE sk.person_id = "+col("id")+" AND sk.link_worker_id = ?)", s.LinkWorkerID)
		}
	case auth.KindCase:
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.LinkWorkerID != "" {
			w.add(col("link_worker_id")+" = ?", s.LinkWorkerID)
		}
	case auth.KindConnection:
		// Each scope is found by index from what it is scoped to, never by
		// asking of every connection in the database whether it is in
		// scope: a link worker's connections through their cases, a
		// service's by its own column (the service of the connection's
		// case, which never changes), an organisation's through its
		// listings (the organisation each connection records).
		switch {
		case s.LinkWorkerID != "":
			cond := col("case_id") + " IN (SELECT sk.id FROM cases sk WHERE sk.link_worker_id = ?"
			args := []any{s.LinkWorkerID}
			if s.ServiceOrgID != "" {
				cond += " AND sk.service_org_id = ?"
				args = append(args, s.ServiceOrgID)
			}
			w.add(cond+")", args...)
		case s.ServiceOrgID != "":
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.AssetOrgID != "" {
			// Each connection records the organisation running its
			// activity; connections_asset_org_live holds the live
			// hand-overs by it, newest first.
			w.add(col("asset_org_id")+" = ?", s.AssetOrgID)
			w.add(liveHandOver(alias))
		}
	case auth.KindUser:
		if s.OrgID != "" {
			w.add(col("org_id")+" = ?", s.OrgID)
		}
		if s.UserID != "" {
			w.add(col("id")+" = ?", s.UserID)
		}
	case auth.KindGap:
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
	case auth.KindFund:
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
	case auth.KindFundRequest:
		// A request records its service and its case: a link worker's
		// are found through their cases, as their connections are.
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.LinkWorkerID != "" {
			w.add(col("case_id")+" IN (SELECT sk.id FROM cases sk WHERE sk.link_worker_id = ?)", s.LinkWorkerID)
		}
	case auth.KindSupervision:
		// Found from the participant's own rows (supervision_people_user),
		// never by asking of every supervision whether they were in it.
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.ParticipantID != "" {
			w.add(col("id")+" IN (SELECT sp.supervision_id FROM supervision_people sp WHERE sp.user_id = ?)", s.ParticipantID)
		}
	case auth.KindTraining:
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.UserID != "" {
			w.add(col("worker_id")+" = ?", s.UserID)
		}
	case auth.KindConcern:
		// A link worker's concerns are those they raised and those on
		// the referrals of their cases, each found by an index.
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.RaisedOrWorkedBy != "" {
			w.add("("+col("raised_by")+" = ? OR "+col("referral_id")+" IN (SELECT sk.referral_id FROM cases sk WHERE sk.link_worker_id = ?))", s.RaisedOrWorkedBy, s.RaisedOrWorkedBy)
		}
	case auth.KindAudit:
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
	case auth.KindEvaluationExport:
		// The dataset is made from a service's referrals (alias).
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
	case auth.KindReferrerFlow:
		// The flow is added up over referrals (alias).
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.ReferrerOrgID != "" {
			w.add(col("referrer_org_id")+" = ?", s.ReferrerOrgID)
		}
	case auth.KindGroupEvidence:
		// The pack is added up over connections (alias): a service's, or
		// every service's to an organisation's activities.
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.AssetOrgID != "" {
			w.add(col("asset_org_id")+" = ?", s.AssetOrgID)
		}
	case auth.KindOutcomeSummary, auth.KindReport:
		// Figures are added up over cases or referrals (alias): a service's, or those
		// of the services an organisation funds (their parent).
		if s.ServiceOrgID != "" {
			w.add(col("service_org_id")+" = ?", s.ServiceOrgID)
		}
		if s.FunderOrgID != "" {
			w.add(col("service_org_id")+" IN (SELECT so.id FROM organisations so WHERE so.parent_id = ? AND so.kind = ?)", s.FunderOrgID, string(linkwork.OrgSPService))
		}
	default:
		// A kind with a scope but no translation here sees nothing, so a
		// new kind fails closed.
		w.add("1=0")
	}
}

// liveHandOver is true of a connection (aliased as alias) that hands its
// person over to the activity's organisation and is live: the only
// connections that show an organisation a person (auth.Scope.AssetOrgID).
func liveHandOver(alias string) string {
	return alias + ".level IN (" + quoted(linkwork.HandOverLevels) + ") AND " + alias + ".status IN (" + quoted(linkwork.LiveStatuses) + ")"
}

// quoted lists fixed vocabulary as SQL string literals. The values are the
// package's own constants, never input.
func quoted[S ~string](xs []S) string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = "'" + string(x) + "'"
	}
	return strings.Join(out, ", ")
}
