package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// The service's outcome figures: for coordinators, and for the
// commissioners who fund the service, each instrument's change from first
// to latest score, as a whole and by age band, pathway and link worker.
// The figures and which of them a reader may see are the root package's
// (linkwork.OutcomeSummary); this draws them.

// routesOutcomes registers the outcome figures' page and API route.
func (s *Server) routesOutcomes() {
	s.handle("GET", "/measures", may(auth.ReadOutcomeSummary), s.outcomesPage)
	s.handle("GET", "/api/v1/measures/summary", may(auth.ReadOutcomeSummary), s.apiOutcomeSummary)
}

// outcomesPage shows the figures, with the period they cover.
type outcomesPage struct {
	Layout
	Summary *linkwork.OutcomeSummary
	// From and To are the period's date inputs, as typed.
	From, To    []string
	Instruments []outcomeView
}

// outcomeView is one instrument's figures, ready to show.
type outcomeView struct {
	Instrument linkwork.Instrument
	// ID tells the figures apart: the instrument, or an ONS4 item's
	// ("ons4-anxiety").
	ID   string
	Name string
	// Rule says what counts as improved, the same and worse; the
	// headings name the three columns.
	Rule                       string
	Improved, Same, Worse      string
	All                        figureTable
	Breakdowns                 []breakdownView
	Chart                      whiskerChart
	LowerIsBetter, NoThreshold bool
}

// breakdownView is one breakdown: a table of its groups and a chart.
type breakdownView struct {
	Title string
	// Note says how the groups were chosen, when not all are named.
	Note  string
	Table figureTable
	Chart whiskerChart
}

// figureTable is a table of groups' figures: its caption, the heading of
// its first column and of the three counts, and a row a group.
type figureTable struct {
	TestID, Caption, Column string
	// Count heads the column of the number counted: people, or goals.
	Count                 string
	Improved, Same, Worse string
	Rows                  []figureRow
}

// figureRow is one group's figures in words.
type figureRow struct {
	Label, People, Mean, Interval string
	Improved, Same, Worse         string
	Hidden                        bool
}

func (s *Server) outcomesPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &outcomesPage{Layout: Layout{Title: "Outcome measures"}}
	var f linkwork.OutcomeFilter
	var problems linkwork.Problems
	p.From, p.To, f.From, f.To, problems = periodOf(q)
	status := http.StatusOK
	var err error
	if len(problems) == 0 {
		p.Summary, err = s.svc.Outcomes.OutcomeSummary(r.Context(), f)
		problems = linkwork.ErrorFields(err)
	}
	if len(problems) > 0 {
		p.Errors, p.Message, status = problems, "There is a problem", http.StatusUnprocessableEntity
	} else if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if p.Summary != nil {
		for _, in := range p.Summary.Instruments {
			p.Instruments = append(p.Instruments, outcomeViewOf(in))
		}
	}
	s.render(w, r, status, "outcomes", p)
}

func outcomeViewOf(in linkwork.InstrumentChange) outcomeView {
	v := outcomeView{Instrument: in.Instrument, ID: in.Key(), Name: in.Instrument.Label(), LowerIsBetter: in.LowerIsBetter, NoThreshold: !in.HasThreshold,
		Improved: "Improved reliably", Same: "No reliable change", Worse: "Worse reliably"}
	count := "People"
	switch {
	case in.ByBand:
		v.Name += ": " + strings.ToLower(in.ItemLabel)
		v.Rule = "Each of the four questions is reported on its own, never added up. Better and worse mean the answer moved into another of the ONS's bands: " + ons4Bands(in.LowerIsBetter) + "."
		v.Improved, v.Same, v.Worse = "Better band", "Same band", "Worse band"
	case in.PerGoal:
		count = "Goals"
		v.Rule = fmt.Sprintf("Each goal counts on its own: its change is its latest rating minus its first, on the scale of 0 to 10. A reliable change is one of %s points or more, up or down (so 3 points, ratings being whole numbers), the threshold published for goal-based outcomes by the Child Outcomes Research Consortium.", trimNumber(in.Threshold))
	case in.HasThreshold:
		v.Rule = fmt.Sprintf("A reliable change is one of %s points or more, up or down: smaller changes are within what the measure would vary by anyway.", trimNumber(in.Threshold))
	default:
		v.Rule = "This measure has no published reliable change threshold, so any change counts as better or worse."
		v.Improved, v.Same, v.Worse = "Better", "No change", "Worse"
	}
	if in.LowerIsBetter && !in.ByBand {
		v.Rule += " Lower scores are better: a fall is an improvement."
	}
	table := func(id, caption, column string, groups []linkwork.ChangeFigures) figureTable {
		t := figureTable{TestID: fmt.Sprintf("outcome-%s-%s", id, in.Key()), Caption: caption, Column: column, Count: count, Improved: v.Improved, Same: v.Same, Worse: v.Worse}
		for _, g := range groups {
			t.Rows = append(t.Rows, figureRowOf(g))
		}
		return t
	}
	v.All = table("all", v.Name+": everyone", "Who", []linkwork.ChangeFigures{in.All})
	lo, hi := scaleOf(in)
	for _, b := range []struct {
		id, title, column string
		groups            []linkwork.ChangeFigures
	}{
		{"age", "By age band", "Age band at first score", in.ByAgeBand},
		{"pathway", "By pathway", "Referred through", in.ByPathway},
		{"worker", "By link worker", "Link worker", in.ByLinkWorker},
	} {
		bv := breakdownView{Title: b.title, Table: table(b.id, v.Name+": "+strings.ToLower(b.title), b.column, b.groups)}
		if n := len(b.groups); b.id == "worker" && n > 0 && b.groups[n-1].Key == linkwork.OtherLinkWorkersKey {
			most := "people measured"
			if in.PerGoal {
				most = "goals rated"
			}
			bv.Note = fmt.Sprintf("The %d link workers with the most %s are named; the rest are added up in the last row.", linkwork.OutcomeTopLinkWorkers, most)
		}
		bv.Chart = whiskerChartOf(fmt.Sprintf("%s-%s", in.Key(), b.id), fmt.Sprintf("%s: mean change %s, with 95%% confidence intervals", v.Name, strings.ToLower(b.title)), append([]linkwork.ChangeFigures{in.All}, b.groups...), lo, hi)
		v.Breakdowns = append(v.Breakdowns, bv)
	}
	v.Chart = whiskerChartOf(in.Key(), fmt.Sprintf("%s: mean change for everyone, with its 95%% confidence interval", v.Name), []linkwork.ChangeFigures{in.All}, lo, hi)
	return v
}

// ons4Bands says an ONS4 item's bands, and for anxiety that lower is
// better.
func ons4Bands(anxiety bool) string {
	if anxiety {
		return "0 to 1 very low, 2 to 3 low, 4 to 5 medium, 6 to 10 high; lower is better, so a move to a lower band is an improvement"
	}
	return "0 to 4 low, 5 to 6 medium, 7 to 8 high, 9 to 10 very high"
}

// figureRowOf says a group's figures in words: hidden figures as the
// reader may see them ("fewer than 5", "not shown").
func figureRowOf(f linkwork.ChangeFigures) figureRow {
	row := figureRow{Label: f.Label, People: f.PeopleWords(), Hidden: f.Hidden != linkwork.Shown}
	if row.Hidden {
		row.Mean, row.Interval = f.Hidden.Words(), ""
		row.Improved, row.Same, row.Worse = f.Hidden.Words(), f.Hidden.Words(), f.Hidden.Words()
		return row
	}
	row.Mean = signed(f.Mean)
	if f.HasInterval {
		row.Interval = fmt.Sprintf("%s to %s", signed(f.Low), signed(f.High))
	}
	count := func(n int, h linkwork.Hidden) string {
		if h != linkwork.Shown {
			return h.Words()
		}
		return fmt.Sprintf("%d (%.0f%%)", n, f.Share(n))
	}
	row.Improved, row.Same, row.Worse = count(f.Improved, f.ImprovedHidden), count(f.Same, f.SameHidden), count(f.Worse, f.WorseHidden)
	return row
}

// signed is a change to two places with its sign.
func signed(x float64) string {
	x = math.Round(x*100) / 100
	if x == 0 {
		return "0.00"
	}
	return fmt.Sprintf("%+.2f", x)
}

// trimNumber is a number without trailing zeros: 8, 2.87.
func trimNumber(x float64) string { return fmt.Sprintf("%g", x) }

// whiskerChart is a dot-and-whisker chart of mean changes: one row a
// group, its label above a line from the interval's low to its high and a
// dot at the mean, on a shared scale with a line at no change.
type whiskerChart struct {
	ID, Title, Desc string
	Height          float64
	ZeroX           float64
	AxisY           float64
	Ticks           []whiskerTick
	Rows            []whiskerRow
}

// whiskerTick labels the scale: its ends, anchored inside the chart, and
// no change.
type whiskerTick struct {
	X             float64
	Label, Anchor string
}

type whiskerRow struct {
	Label                 string
	LabelY, Y, X, X1, X2  float64
	CapTop, CapBottom     float64
	Value                 string
	HasInterval, NotShown bool
}

// The whisker chart's drawing area in its viewBox, 320 wide.
const (
	whiskerLeft, whiskerRight, whiskerRowHeight = 12.0, 308.0, 34.0
)

// scaleOf is the range every chart of an instrument shares: no change,
// and the intervals of the groups of SmallNumber people or more (a
// smaller group's interval can be wider than the scale itself; it is
// drawn to the chart's edge), with a margin.
func scaleOf(in linkwork.InstrumentChange) (lo, hi float64) {
	all := append(append(append([]linkwork.ChangeFigures{in.All}, in.ByAgeBand...), in.ByPathway...), in.ByLinkWorker...)
	for _, f := range all {
		if f.Hidden != linkwork.Shown || f.People < linkwork.SmallNumber {
			continue
		}
		low, high := f.Mean, f.Mean
		if f.HasInterval {
			low, high = f.Low, f.High
		}
		lo, hi = math.Min(lo, low), math.Max(hi, high)
	}
	if hi-lo < 1 {
		lo, hi = lo-0.5, hi+0.5
	}
	pad := (hi - lo) * 0.05
	return lo - pad, hi + pad
}

func whiskerChartOf(id, title string, groups []linkwork.ChangeFigures, lo, hi float64) whiskerChart {
	c := whiskerChart{ID: "chart-" + id, Title: title}
	xOf := func(v float64) float64 {
		v = math.Max(lo, math.Min(hi, v))
		return math.Round((whiskerLeft+(v-lo)/(hi-lo)*(whiskerRight-whiskerLeft))*10) / 10
	}
	c.ZeroX = xOf(0)
	var desc []string
	for i, g := range groups {
		top := float64(i) * whiskerRowHeight
		row := whiskerRow{Label: g.Label, LabelY: top + 12, Y: top + 24, CapTop: top + 19, CapBottom: top + 29}
		switch {
		case g.Hidden != linkwork.Shown:
			row.NotShown, row.Value = true, g.Hidden.Words()
			desc = append(desc, fmt.Sprintf("%s: %s", g.Label, g.Hidden.Words()))
		default:
			row.X, row.Value = xOf(g.Mean), signed(g.Mean)
			if g.HasInterval {
				row.X1, row.X2, row.HasInterval = xOf(g.Low), xOf(g.High), true
				desc = append(desc, fmt.Sprintf("%s: %s (%s to %s)", g.Label, signed(g.Mean), signed(g.Low), signed(g.High)))
			} else {
				desc = append(desc, fmt.Sprintf("%s: %s", g.Label, signed(g.Mean)))
			}
		}
		c.Rows = append(c.Rows, row)
	}
	c.AxisY = float64(len(groups))*whiskerRowHeight + 6
	c.Height = c.AxisY + 18
	// The ends are labelled where they leave room for "no change".
	c.Ticks = []whiskerTick{{c.ZeroX, "no change", "middle"}}
	if c.ZeroX-whiskerLeft > 60 {
		c.Ticks = append(c.Ticks, whiskerTick{whiskerLeft, fmt.Sprintf("%+.1f", lo), "start"})
	}
	if whiskerRight-c.ZeroX > 60 {
		c.Ticks = append(c.Ticks, whiskerTick{whiskerRight, fmt.Sprintf("%+.1f", hi), "end"})
	}
	c.Desc = "Mean change from first to latest score, and its 95% confidence interval. " + strings.Join(desc, ". ") + "."
	return c
}

func (s *Server) apiOutcomeSummary(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var p linkwork.Problems
	f := linkwork.OutcomeFilter{From: parseDateField(&p, "from", q.Get("from")), To: parseDateField(&p, "to", q.Get("to"))}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	sum, err := s.svc.Outcomes.OutcomeSummary(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, outcomeSummaryOut(sum))
}
