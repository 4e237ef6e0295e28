package web

import (
	"math"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// equityJSON is the equity table: a table a dimension, and the gaps.
type equityJSON struct {
	From          string            `json:"from"`
	To            string            `json:"to"`
	Pathway       *string           `json:"pathway"`
	AgeBand       *string           `json:"age_band"`
	LinkWorkerID  *string           `json:"link_worker_id"`
	ReferrerOrgID *string           `json:"referrer_org_id"`
	Exact         bool              `json:"exact"`
	Population    *populationJSON   `json:"population"`
	Tables        []equityTableJSON `json:"tables"`
	Gaps          []string          `json:"gaps"`
}

// equityTableJSON is one dimension's table.
type equityTableJSON struct {
	Dimension   string          `json:"dimension"`
	Label       string          `json:"label"`
	Referrals   figureJSON      `json:"referrals"`
	Accepted    figureJSON      `json:"accepted"`
	Engaged     figureJSON      `json:"first_session"`
	ClosedWell  figureJSON      `json:"closed_well"`
	Known       figureJSON      `json:"known"`
	SharesOfAll bool            `json:"shares_of_all"`
	Rows        []equityRowJSON `json:"rows"`
}

// equityRowJSON is one group's row.
type equityRowJSON struct {
	Group               string     `json:"group"`
	Label               string     `json:"label"`
	Referrals           figureJSON `json:"referrals"`
	Accepted            figureJSON `json:"accepted"`
	Engaged             figureJSON `json:"first_session"`
	ClosedWell          figureJSON `json:"closed_well"`
	PercentOfReferrals  *float64   `json:"percent_of_referrals"`
	PercentOfPopulation *float64   `json:"percent_of_population"`
	UnderReached        bool       `json:"under_reached"`
	Gap                 *string    `json:"gap"`
}

// populationJSON is a service's population shares, read and written.
type populationJSON struct {
	ServiceID string                        `json:"service_id,omitempty"`
	Version   int                           `json:"version"`
	Source    string                        `json:"source"`
	Shares    map[string]map[string]float64 `json:"shares"`
	UpdatedAt *string                       `json:"updated_at,omitempty"`
}

func populationOut(p *linkwork.PopulationShares) *populationJSON {
	if p == nil {
		return nil
	}
	out := &populationJSON{ServiceID: p.ServiceOrgID, Version: p.Version, Source: p.Source, Shares: map[string]map[string]float64{}}
	for d, groups := range p.Shares {
		m := map[string]float64{}
		for g, v := range groups {
			m[g] = v
		}
		out.Shares[string(d)] = m
	}
	if !p.UpdatedAt.IsZero() {
		s := p.UpdatedAt.UTC().Format(time.RFC3339)
		out.UpdatedAt = &s
	}
	return out
}

// shares is the request as the root package's shares.
func (in populationJSON) shares() *linkwork.PopulationShares {
	p := &linkwork.PopulationShares{Version: in.Version, Source: in.Source, Shares: map[linkwork.EquityDimension]map[string]float64{}}
	for d, groups := range in.Shares {
		m := map[string]float64{}
		for g, v := range groups {
			m[g] = v
		}
		p.Shares[linkwork.EquityDimension(d)] = m
	}
	return p
}

func equityOut(e *linkwork.Equity) equityJSON {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	round := func(x float64) *float64 { x = math.Round(x*10) / 10; return &x }
	out := equityJSON{From: e.From.String(), To: e.To.String(), Pathway: opt(string(e.Filter.Pathway)), AgeBand: opt(e.Filter.AgeBand),
		LinkWorkerID: opt(e.Filter.LinkWorkerID), ReferrerOrgID: opt(e.Filter.ReferrerOrgID), Exact: e.Exact,
		Population: populationOut(e.Population), Tables: []equityTableJSON{}, Gaps: []string{}}
	if out.Population != nil {
		// The service is the reader's own or one it funds; its id is
		// already in the dashboard's scope, but the figures need no id.
		out.Population.ServiceID = ""
	}
	out.Gaps = append(out.Gaps, e.Gaps()...)
	for _, t := range e.Tables {
		j := equityTableJSON{Dimension: string(t.Dimension), Label: t.Dimension.Label(), Referrals: figureOut(t.Total), Accepted: figureOut(t.Accepted),
			Engaged: figureOut(t.Engaged), ClosedWell: figureOut(t.ClosedWell), Known: figureOut(t.Known), SharesOfAll: t.SharesOfAll, Rows: []equityRowJSON{}}
		for _, r := range t.Rows {
			row := equityRowJSON{Group: r.Group.Key, Label: r.Group.Label, Referrals: figureOut(r.Referrals), Accepted: figureOut(r.Accepted),
				Engaged: figureOut(r.Engaged), ClosedWell: figureOut(r.ClosedWell), UnderReached: r.UnderReached, Gap: opt(r.Gap)}
			if !r.ShareHidden && (r.Group.Key != linkwork.GroupNotKnown || t.SharesOfAll) {
				row.PercentOfReferrals = round(r.ReferralShare)
			}
			if r.HasPopulation {
				row.PercentOfPopulation = round(r.PopulationShare)
			}
			j.Rows = append(j.Rows, row)
		}
		out.Tables = append(out.Tables, j)
	}
	return out
}
