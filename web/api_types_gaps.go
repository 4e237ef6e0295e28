package web

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// gapIn is an unmet need logged over the API. The person's age band and
// district are taken from the case, never sent.
type gapIn struct {
	CaseID   string             `json:"case_id"`
	Category linkwork.Category  `json:"category"`
	Wanted   string             `json:"wanted"`
	Missing  linkwork.GapReason `json:"missing"`
}

// gapJSON is a gap as the API shows it: no case and no person, only the
// age band and district.
type gapJSON struct {
	ID        string             `json:"id"`
	Category  linkwork.Category  `json:"category"`
	Wanted    string             `json:"wanted"`
	Missing   linkwork.GapReason `json:"missing"`
	AgeBand   string             `json:"age_band"`
	District  string             `json:"district"`
	CreatedAt time.Time          `json:"created_at"`
}

func gapOut(g *linkwork.Gap) gapJSON {
	return gapJSON{ID: g.ID, Category: g.Category, Wanted: g.Wanted, Missing: g.Missing, AgeBand: g.AgeBand, District: g.District, CreatedAt: g.CreatedAt}
}

// gapCountJSON is a total of gaps sharing a category or a district.
type gapCountJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// gapSummaryJSON is a service's gaps totalled, with the newest.
type gapSummaryJSON struct {
	Total      int            `json:"total"`
	ByCategory []gapCountJSON `json:"by_category"`
	ByArea     []gapCountJSON `json:"by_area"`
	Newest     []gapJSON      `json:"newest"`
}

func gapSummaryOut(s *linkwork.GapSummary) gapSummaryJSON {
	counts := func(cs []linkwork.GapCount) []gapCountJSON {
		out := make([]gapCountJSON, 0, len(cs))
		for _, c := range cs {
			out = append(out, gapCountJSON{Key: c.Key, Label: c.Label, Count: c.Count})
		}
		return out
	}
	out := gapSummaryJSON{Total: s.Total, ByCategory: counts(s.ByCategory), ByArea: counts(s.ByArea), Newest: make([]gapJSON, 0, len(s.Newest))}
	for _, g := range s.Newest {
		out.Newest = append(out.Newest, gapOut(g))
	}
	return out
}
