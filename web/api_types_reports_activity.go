package web

import (
	"math"

	linkwork "github.com/linkwork/linkwork"
)

// activityJSON is the dashboard's activity.
type activityJSON struct {
	FromMonth      string              `json:"from_month"`
	ToMonth        string              `json:"to_month"`
	Unfiltered     []string            `json:"not_narrowed_by"`
	Referrals      figureJSON          `json:"referrals"`
	ByReferrer     []countRowJSON      `json:"by_referrer"`
	ByPractice     []countRowJSON      `json:"by_gp_practice"`
	ByNeed         []countRowJSON      `json:"by_need"`
	Waiting        []countRowJSON      `json:"waiting_at_month_end"`
	Caseloads      []countRowJSON      `json:"caseloads"`
	Caseload       caseloadFiguresJSON `json:"caseload"`
	Sessions       figureJSON          `json:"sessions_attended"`
	SessionModes   []countRowJSON      `json:"sessions_by_mode"`
	SessionPlaces  []countRowJSON      `json:"sessions_by_place"`
	Connections    figureJSON          `json:"connections_made"`
	ByCategory     []uptakeRowJSON     `json:"connections_by_category"`
	ByOrganisation []uptakeRowJSON     `json:"connections_by_organisation"`
	Funds          fundFiguresJSON     `json:"funds"`
}

// caseloadFiguresJSON is the caseloads added up.
type caseloadFiguresJSON struct {
	LinkWorkers int        `json:"link_workers"`
	OpenCases   figureJSON `json:"open_cases"`
	Average     *float64   `json:"average"`
}

// uptakeRowJSON is the connections made in one group.
type uptakeRowJSON struct {
	Key           string     `json:"key"`
	Label         string     `json:"label"`
	Made          figureJSON `json:"made"`
	Went          figureJSON `json:"went"`
	StillGoing    figureJSON `json:"still_going"`
	UptakePercent *float64   `json:"uptake_percent"`
}

// fundFiguresJSON is what the funds paid, in pence; a sum is null when
// withheld.
type fundFiguresJSON struct {
	ByCategory     []fundRowJSON `json:"by_category"`
	People         figureJSON    `json:"people_helped"`
	SpentPence     *int          `json:"spent_pence"`
	PerPersonPence *int          `json:"per_person_pence"`
}

// fundRowJSON is what one kind of request was paid.
type fundRowJSON struct {
	Category   linkwork.FundCategory `json:"category"`
	Label      string                `json:"label"`
	Requests   figureJSON            `json:"requests"`
	SpentPence *int                  `json:"spent_pence"`
}

func activityOut(a *linkwork.Activity) *activityJSON {
	if a == nil {
		return nil
	}
	rows := func(rs []linkwork.CountRow) []countRowJSON {
		out := []countRowJSON{}
		for _, r := range rs {
			out = append(out, countRowJSON{Key: r.Key, Label: r.Label, Count: figureOut(r.Count)})
		}
		return out
	}
	round := func(x float64) *float64 { x = math.Round(x*10) / 10; return &x }
	uptake := func(rs []linkwork.UptakeRow) []uptakeRowJSON {
		out := []uptakeRowJSON{}
		for _, r := range rs {
			j := uptakeRowJSON{Key: r.Key, Label: r.Label, Made: figureOut(r.Made), Went: figureOut(r.Went), StillGoing: figureOut(r.Going)}
			if !r.UptakeHidden {
				j.UptakePercent = round(r.Uptake)
			}
			out = append(out, j)
		}
		return out
	}
	out := &activityJSON{FromMonth: a.FromMonth.String(), ToMonth: a.ToMonth.String(), Unfiltered: nonNilStrings(a.Filter.ActivityUnfiltered(linkwork.ActivityOthers)),
		Referrals: figureOut(a.Referrals), ByReferrer: rows(a.ByReferrer), ByPractice: rows(a.ByPractice), ByNeed: rows(a.ByNeed),
		Waiting: rows(a.Waiting), Caseloads: rows(a.Caseloads), Sessions: figureOut(a.Sessions), SessionModes: rows(a.SessionModes),
		SessionPlaces: rows(a.SessionPlaces), Connections: figureOut(a.ConnectionsMade), ByCategory: uptake(a.ByCategory), ByOrganisation: uptake(a.ByOrganisation)}
	out.Caseload = caseloadFiguresJSON{LinkWorkers: a.Caseload.LinkWorkers, OpenCases: figureOut(a.Caseload.OpenCases)}
	if !a.Caseload.AverageHidden {
		out.Caseload.Average = round(a.Caseload.Average)
	}
	f := a.Funds
	out.Funds = fundFiguresJSON{ByCategory: []fundRowJSON{}, People: figureOut(f.People)}
	for _, r := range f.ByCategory {
		j := fundRowJSON{Category: r.Category, Label: r.Category.Label(), Requests: figureOut(r.Requests)}
		if r.Requests.Hidden == linkwork.Shown {
			j.SpentPence = new(r.SpentPence)
		}
		out.Funds.ByCategory = append(out.Funds.ByCategory, j)
	}
	if !f.SpentHidden() {
		out.Funds.SpentPence = new(f.SpentPence)
	}
	if !f.PerPersonHidden {
		out.Funds.PerPersonPence = new(int(math.Round(f.PerPersonPence)))
	}
	return out
}

// nonNilStrings is a list, empty rather than null.
func nonNilStrings(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
