package web

import linkwork "github.com/linkwork/linkwork"

// groupEvidenceJSON is a community organisation's evidence pack.
type groupEvidenceJSON struct {
	OrgID     string          `json:"org_id"`
	OrgName   string          `json:"org_name"`
	Months    []string        `json:"months"`
	All       groupRowJSON    `json:"all"`
	ByMonth   []groupRowJSON  `json:"by_month"`
	ByAgeBand []groupRowJSON  `json:"by_age_band"`
	Views     []groupViewJSON `json:"views"`
	Said      groupFigureJSON `json:"said"`
}

// groupRowJSON is one group of the pack.
type groupRowJSON struct {
	Key        string          `json:"key"`
	Label      string          `json:"label"`
	Connected  groupFigureJSON `json:"connected"`
	Referred   groupFigureJSON `json:"referred"`
	Attended   groupFigureJSON `json:"attended"`
	StillGoing groupFigureJSON `json:"still_going"`
}

// groupViewJSON is how many people said one thing of the activity.
type groupViewJSON struct {
	View   string          `json:"view"`
	People groupFigureJSON `json:"people"`
}

// groupFigureJSON is a count, or why it is not shown.
type groupFigureJSON struct {
	N          *int   `json:"n"`
	Visibility string `json:"visibility"`
}

func groupFigureOut(f linkwork.GroupFigure) groupFigureJSON {
	out := groupFigureJSON{Visibility: visibilityOf(f.Hidden)}
	if f.Hidden == linkwork.Shown {
		n := f.N
		out.N = &n
	}
	return out
}

func groupRowOut(r linkwork.GroupEvidenceRow) groupRowJSON {
	return groupRowJSON{Key: r.Key, Label: r.Label, Connected: groupFigureOut(r.Connected), Referred: groupFigureOut(r.Referred),
		Attended: groupFigureOut(r.Attended), StillGoing: groupFigureOut(r.StillGoing)}
}

func groupEvidenceOut(g *linkwork.GroupEvidence) groupEvidenceJSON {
	out := groupEvidenceJSON{OrgID: g.OrgID, OrgName: g.OrgName, Months: g.Months, All: groupRowOut(g.All),
		ByMonth: mapSlice(g.ByMonth, groupRowOut), ByAgeBand: mapSlice(g.ByAgeBand, groupRowOut), Said: groupFigureOut(g.Said)}
	if out.ByAgeBand == nil {
		out.ByAgeBand = []groupRowJSON{}
	}
	for _, v := range g.Views {
		out.Views = append(out.Views, groupViewJSON{View: string(v.View), People: groupFigureOut(v.People)})
	}
	return out
}
