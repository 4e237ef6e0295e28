package web

import (
	"math"

	linkwork "github.com/linkwork/linkwork"
)

// outcomeSummaryJSON is a service's outcome figures.
type outcomeSummaryJSON struct {
	From        *string                `json:"from"`
	To          *string                `json:"to"`
	Exact       bool                   `json:"exact"`
	Instruments []instrumentChangeJSON `json:"instruments"`
}

// instrumentChangeJSON is one instrument's figures, or one ONS4 item's.
type instrumentChangeJSON struct {
	Instrument    linkwork.Instrument `json:"instrument"`
	Name          string              `json:"name"`
	Item          *string             `json:"item"`
	ItemLabel     *string             `json:"item_label"`
	Counts        string              `json:"counts"`
	JudgedBy      string              `json:"judged_by"`
	Threshold     *float64            `json:"reliable_change_threshold"`
	LowerIsBetter bool                `json:"lower_is_better"`
	All           changeFiguresJSON   `json:"all"`
	ByAgeBand     []changeFiguresJSON `json:"by_age_band"`
	ByPathway     []changeFiguresJSON `json:"by_pathway"`
	ByLinkWorker  []changeFiguresJSON `json:"by_link_worker"`
}

// changeFiguresJSON is one group's figures; a hidden figure is null, with
// its visibility saying why.
type changeFiguresJSON struct {
	Key        string          `json:"key"`
	Label      string          `json:"label"`
	Visibility string          `json:"visibility"`
	People     *int            `json:"people"`
	MeanChange *float64        `json:"mean_change"`
	CILow      *float64        `json:"ci_low"`
	CIHigh     *float64        `json:"ci_high"`
	Improved   changeCountJSON `json:"improved"`
	Same       changeCountJSON `json:"same"`
	Worse      changeCountJSON `json:"worse"`
}

// changeCountJSON is a count of people and its share of the group, in
// percent to one place.
type changeCountJSON struct {
	Count      *int     `json:"count"`
	Share      *float64 `json:"share"`
	Visibility string   `json:"visibility"`
}

// visibilityOf names whether a figure is shown: "shown", "small" (fewer
// than 5) or "withheld".
func visibilityOf(h linkwork.Hidden) string {
	switch h {
	case linkwork.Small:
		return "small"
	case linkwork.Withheld:
		return "withheld"
	}
	return "shown"
}

func round(x float64, places int) *float64 {
	p := math.Pow(10, float64(places))
	v := math.Round(x*p) / p
	return &v
}

func changeFiguresOut(f linkwork.ChangeFigures) changeFiguresJSON {
	out := changeFiguresJSON{Key: f.Key, Label: f.Label, Visibility: visibilityOf(f.Hidden)}
	count := func(n int, h linkwork.Hidden) changeCountJSON {
		c := changeCountJSON{Visibility: visibilityOf(h)}
		if h == linkwork.Shown {
			c.Count, c.Share = &n, round(f.Share(n), 1)
		}
		return c
	}
	out.Improved, out.Same, out.Worse = count(f.Improved, f.ImprovedHidden), count(f.Same, f.SameHidden), count(f.Worse, f.WorseHidden)
	if f.Hidden != linkwork.Shown {
		return out
	}
	n := f.People
	out.People, out.MeanChange = &n, round(f.Mean, 2)
	if f.HasInterval {
		out.CILow, out.CIHigh = round(f.Low, 2), round(f.High, 2)
	}
	return out
}

func outcomeSummaryOut(s *linkwork.OutcomeSummary) outcomeSummaryJSON {
	out := outcomeSummaryJSON{Exact: s.Exact, Instruments: []instrumentChangeJSON{}}
	if !s.Filter.From.IsZero() {
		d := s.Filter.From.String()
		out.From = &d
	}
	if !s.Filter.To.IsZero() {
		d := s.Filter.To.String()
		out.To = &d
	}
	groups := func(fs []linkwork.ChangeFigures) []changeFiguresJSON {
		out := make([]changeFiguresJSON, 0, len(fs))
		for _, f := range fs {
			out = append(out, changeFiguresOut(f))
		}
		return out
	}
	for _, in := range s.Instruments {
		ic := instrumentChangeJSON{Instrument: in.Instrument, Name: in.Instrument.Label(), LowerIsBetter: in.LowerIsBetter, All: changeFiguresOut(in.All),
			ByAgeBand: groups(in.ByAgeBand), ByPathway: groups(in.ByPathway), ByLinkWorker: groups(in.ByLinkWorker)}
		ic.Counts, ic.JudgedBy = "people", "any_change"
		if in.PerGoal {
			ic.Counts = "goals"
		}
		if in.Item != "" {
			item, label := in.Item, in.ItemLabel
			ic.Item, ic.ItemLabel = &item, &label
		}
		if in.HasThreshold {
			t := in.Threshold
			ic.Threshold, ic.JudgedBy = &t, "reliable_change"
		}
		if in.ByBand {
			ic.JudgedBy = "ons_band"
		}
		out.Instruments = append(out.Instruments, ic)
	}
	return out
}
