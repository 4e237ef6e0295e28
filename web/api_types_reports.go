package web

import (
	"math"

	linkwork "github.com/linkwork/linkwork"
)

// figureJSON is a count, null when hidden with its visibility saying why.
type figureJSON struct {
	Value      *int   `json:"value"`
	Visibility string `json:"visibility"`
}

func figureOut(c linkwork.Figure) figureJSON {
	out := figureJSON{Visibility: visibilityOf(c.Hidden)}
	if c.Hidden == linkwork.Shown {
		out.Value = new(c.N)
	}
	return out
}

// countRowJSON is one group of a breakdown.
type countRowJSON struct {
	Key   string     `json:"key"`
	Label string     `json:"label"`
	Count figureJSON `json:"count"`
}

// funnelStepJSON is one step of the funnel.
type funnelStepJSON struct {
	Key                  string     `json:"key"`
	Label                string     `json:"label"`
	People               figureJSON `json:"people"`
	PercentOfPrevious    *float64   `json:"percent_of_previous"`
	PercentOfAllReferred *float64   `json:"percent_of_referred"`
}

// waitJSON is a month's waits of one kind, in days.
type waitJSON struct {
	Count      figureJSON `json:"count"`
	MedianDays *float64   `json:"median_days"`
	P90Days    *float64   `json:"p90_days"`
}

// waitRowJSON is a month's waits.
type waitRowJSON struct {
	Month        string   `json:"month"`
	Decision     waitJSON `json:"decision"`
	FirstContact waitJSON `json:"first_contact"`
}

// dashboardJSON is the dashboard.
type dashboardJSON struct {
	From            string           `json:"from"`
	To              string           `json:"to"`
	Pathway         *string          `json:"pathway"`
	AgeBand         *string          `json:"age_band"`
	LinkWorkerID    *string          `json:"link_worker_id"`
	ReferrerOrgID   *string          `json:"referrer_org_id"`
	Exact           bool             `json:"exact"`
	Referrals       figureJSON       `json:"referrals"`
	ByMonth         []countRowJSON   `json:"by_month"`
	ByPathway       []countRowJSON   `json:"by_pathway"`
	ByMode          []countRowJSON   `json:"by_mode"`
	Funnel          []funnelStepJSON `json:"funnel"`
	Leaving         []countRowJSON   `json:"leaving"`
	Waits           []waitRowJSON    `json:"waits"`
	Sessions        sessionsJSON     `json:"sessions"`
	Connections     []levelRowJSON   `json:"connections"`
	ConnectionsMade figureJSON       `json:"connections_made"`
	// Activity is the service's activity beside the referral figures.
	Activity *activityJSON `json:"activity,omitempty"`
}

// sessionsJSON is the sessions of the people accepted.
type sessionsJSON struct {
	People              figureJSON `json:"people"`
	Attended            figureJSON `json:"attended"`
	DidNotAttend        figureJSON `json:"did_not_attend"`
	PerPerson           *float64   `json:"attended_per_person"`
	DidNotAttendPercent *float64   `json:"did_not_attend_percent"`
}

// levelRowJSON is the connections made at one level.
type levelRowJSON struct {
	Level         linkwork.ConnectionLevel `json:"level"`
	Label         string                   `json:"label"`
	Made          figureJSON               `json:"made"`
	Went          figureJSON               `json:"went"`
	StillGoing    figureJSON               `json:"still_going"`
	UptakePercent *float64                 `json:"uptake_percent"`
}

func dashboardOut(d *linkwork.Dashboard) dashboardJSON {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	out := dashboardJSON{From: d.From.String(), To: d.To.String(), Pathway: opt(string(d.Filter.Pathway)), AgeBand: opt(d.Filter.AgeBand),
		LinkWorkerID: opt(d.Filter.LinkWorkerID), ReferrerOrgID: opt(d.Filter.ReferrerOrgID), Exact: d.Exact, Referrals: figureOut(d.Referrals),
		ByMonth: []countRowJSON{}, ByPathway: []countRowJSON{}, ByMode: []countRowJSON{}, Funnel: []funnelStepJSON{}, Leaving: []countRowJSON{}, Waits: []waitRowJSON{}}
	rows := func(rs []linkwork.CountRow) []countRowJSON {
		out := []countRowJSON{}
		for _, r := range rs {
			out = append(out, countRowJSON{Key: r.Key, Label: r.Label, Count: figureOut(r.Count)})
		}
		return out
	}
	out.ByMonth, out.ByPathway, out.ByMode, out.Leaving = rows(d.ByMonth), rows(d.ByPathway), rows(d.ByMode), rows(d.Leaving)
	round := func(x float64) *float64 { x = math.Round(x*10) / 10; return &x }
	for i, s := range d.Funnel {
		j := funnelStepJSON{Key: s.Key, Label: s.Label, People: figureOut(s.People)}
		if !s.RatesHidden {
			j.PercentOfAllReferred = round(s.FromReferred)
			if i > 0 {
				j.PercentOfPrevious = round(s.FromPrevious)
			}
		}
		out.Funnel = append(out.Funnel, j)
	}
	wait := func(x linkwork.Wait) waitJSON {
		j := waitJSON{Count: figureOut(x.N)}
		if x.Shown() {
			j.MedianDays, j.P90Days = round(x.Median), round(x.P90)
		}
		return j
	}
	ss := d.Sessions
	out.Sessions = sessionsJSON{People: figureOut(ss.People), Attended: figureOut(ss.Attended), DidNotAttend: figureOut(ss.DidNotAttend)}
	if !ss.RatesHidden {
		out.Sessions.PerPerson, out.Sessions.DidNotAttendPercent = round(ss.PerPerson), round(ss.DNARate)
	}
	out.Connections, out.ConnectionsMade = []levelRowJSON{}, figureOut(d.ConnectionsMade)
	for _, c := range d.Connections {
		j := levelRowJSON{Level: c.Level, Label: c.Level.Label(), Made: figureOut(c.Made), Went: figureOut(c.Went), StillGoing: figureOut(c.Going)}
		if !c.UptakeHidden {
			j.UptakePercent = round(c.Uptake)
		}
		out.Connections = append(out.Connections, j)
	}
	for _, w := range d.Waits {
		out.Waits = append(out.Waits, waitRowJSON{Month: w.Month.String(), Decision: wait(w.Decision), FirstContact: wait(w.FirstContact)})
	}
	return out
}
