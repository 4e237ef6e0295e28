package web

import (
	"math"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// referrerFlowJSON is the referrers' flow over the API.
type referrerFlowJSON struct {
	Months       []string              `json:"months"`
	QuietWeeks   int                   `json:"quiet_weeks"`
	QuietSince   time.Time             `json:"quiet_since"`
	SteadySince  time.Time             `json:"steady_since"`
	Referrers    []referrerFlowRowJSON `json:"referrers"`
	Total        flowCountsJSON        `json:"total"`
	TotalByMonth []flowCountsJSON      `json:"total_by_month"`
}

// referrerFlowRowJSON is one referrer's flow.
type referrerFlowRowJSON struct {
	OrgID        *string          `json:"org_id"`
	Name         string           `json:"name"`
	Kind         string           `json:"kind"`
	ByMonth      []flowCountsJSON `json:"by_month"`
	Total        flowCountsJSON   `json:"total"`
	LastReferral *time.Time       `json:"last_referral"`
	Quiet        bool             `json:"quiet"`
	Recent       int              `json:"recent"`
	Before       int              `json:"before"`
}

// flowCountsJSON are what became of a set of referrals.
type flowCountsJSON struct {
	Referred      int     `json:"referred"`
	Waiting       int     `json:"waiting"`
	Accepted      int     `json:"accepted"`
	Declined      int     `json:"declined"`
	Withdrawn     int     `json:"withdrawn"`
	Supported     int     `json:"supported"`
	ClosedWell    int     `json:"closed_well"`
	ClosedOther   int     `json:"closed_other"`
	DeclinedShare float64 `json:"declined_share"`
}

func flowCountsOut(c linkwork.FlowCounts) flowCountsJSON {
	return flowCountsJSON{Referred: c.Referred, Waiting: c.Waiting, Accepted: c.Accepted, Declined: c.Declined, Withdrawn: c.Withdrawn,
		Supported: c.Supported, ClosedWell: c.ClosedWell, ClosedOther: c.ClosedOther, DeclinedShare: math.Round(c.DeclinedShare()*10) / 10}
}

func referrerFlowOut(f *linkwork.ReferrerFlow) referrerFlowJSON {
	out := referrerFlowJSON{Months: f.Months, QuietWeeks: f.Filter.QuietWeeks, QuietSince: f.QuietSince.UTC(), SteadySince: f.SteadySince.UTC(),
		Referrers: []referrerFlowRowJSON{}, Total: flowCountsOut(f.Total), TotalByMonth: mapSlice(f.TotalByMonth, flowCountsOut)}
	for _, r := range f.Referrers {
		row := referrerFlowRowJSON{Name: r.Name, Kind: string(r.Kind), ByMonth: mapSlice(r.ByMonth, flowCountsOut), Total: flowCountsOut(r.Total),
			Quiet: r.Quiet, Recent: r.Recent, Before: r.Before}
		if r.OrgID != "" {
			id := r.OrgID
			row.OrgID = &id
		}
		if !r.LastReferral.IsZero() {
			last := r.LastReferral.UTC()
			row.LastReferral = &last
		}
		out.Referrers = append(out.Referrers, row)
	}
	return out
}
