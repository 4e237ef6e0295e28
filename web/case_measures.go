package web

import (
	"fmt"
	"math"
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/outcomes"
)

// caseMeasuresArea is the case page's measures: each instrument's
// responses over time as a chart with its numbers in a table, and the
// change from the first to the latest.
type caseMeasuresArea struct {
	Instruments []measureView
	// Due are the mandated measures due, each linking to its form.
	Due []linkwork.MeasureDue
	// Send is the links sent to the person to answer on their own, and
	// the form to send one.
	Send caseMeasureLinks
}

// measureView is one instrument's progress, ready to draw.
type measureView struct {
	Instrument linkwork.Instrument
	Name       string
	// Columns are the lines followed (the score, each ONS4 item, each
	// goal), and Rows each response with its value for each column.
	Columns []string
	Rows    []measureRow
	// Changes say each line's change from first to latest.
	Changes []string
	Verdict outcomes.Verdict
	Chart   measureChart
}

type measureRow struct {
	When, Timepoint, By string
	Values              []string
}

// measureChart is an SVG line chart whose viewBox scales to the column:
// one polyline a line, a dot and value at each point.
type measureChart struct {
	Title, Desc string
	Lines       []chartLine
	Grid        []chartGrid
	Ticks       []chartTick
}

type chartLine struct {
	Label, Colour, Dash string
	Points              string // the polyline's points
	Dots                []chartDot
}

type chartDot struct {
	X, Y  float64
	Value string
}

type chartGrid struct {
	Y, LabelY float64
	Label     string
}

type chartTick struct {
	X     float64
	Label string
}

// The chart's drawing area in its viewBox (320 × 180).
const (
	chartLeft, chartRight, chartTop, chartBottom = 34.0, 306.0, 14.0, 150.0
)

var chartColours = []struct{ colour, dash string }{{"#1d70b8", ""}, {"#d4351c", "6 3"}, {"#00703c", "2 3"}, {"#4c2c92", "8 3 2 3"}}

// loadCaseMeasures fills the case page's measures area for p.Case.
func (s *Server) loadCaseMeasures(r *http.Request, p *casePage) error {
	list, err := s.svc.Measures.FindMeasures(r.Context(), p.Case.ID)
	if err != nil {
		return err
	}
	goalText := map[string]string{}
	for _, g := range p.Plan.Goals {
		goalText[g.ID] = g.Text
	}
	send := p.Measures.Send // what a form sent back with problems
	p.Measures = caseMeasuresArea{Send: caseMeasureLinks{Instrument: send.Instrument, Timepoint: send.Timepoint}}
	if err := s.loadMeasureLinks(r, p); err != nil {
		return err
	}
	if band, ok := linkwork.BandOf(p.Person, p.Today); ok {
		p.Measures.Due = p.Settings.Measures.MeasuresDue(band, p.Case, p.Plan.Attended, p.Settings.Casework.Reviews(), linkwork.TakenOf(list), p.Today)
	}
	for _, pr := range outcomes.ProgressOf(list, nil) {
		p.Measures.Instruments = append(p.Measures.Instruments, viewOf(pr, goalText))
	}
	return nil
}

func viewOf(pr outcomes.Progress, goalText map[string]string) measureView {
	v := measureView{Instrument: pr.Instrument, Name: pr.Instrument.Label(), Verdict: pr.Verdict}
	spec, _ := outcomes.Spec(pr.Instrument)
	for _, l := range pr.Lines {
		name := l.Label
		if t := goalText[l.GoalID]; t != "" {
			name = l.Label + ": " + t
		}
		v.Columns = append(v.Columns, name)
	}
	// One row a response; a line's value in it, where it has one.
	for _, sc := range pr.Responses {
		row := measureRow{When: sc.Response.At.In(ukTime).Format("2 Jan 2006"), Timepoint: sc.Response.Timepoint.Label(), By: sc.Response.CompletedBy.Label()}
		for _, l := range pr.Lines {
			cell := "Not answered"
			if pr.Instrument == linkwork.InstrumentGBO {
				cell = "Not rated"
			}
			for _, pt := range l.Points {
				if pt.At.Equal(sc.Response.At) {
					cell = valueWords(pt.Value, spec.HasTotal, pt.Band)
				}
			}
			row.Values = append(row.Values, cell)
		}
		v.Rows = append(v.Rows, row)
	}
	for i, l := range pr.Lines {
		if len(l.Points) < 2 {
			continue
		}
		words := changeWords(v.Columns[i], l, spec.HasTotal)
		if pr.Instrument == linkwork.InstrumentGBO {
			words += ": " + goalVerdict(l.Difference)
		}
		v.Changes = append(v.Changes, words)
	}
	v.Chart = chartOf(pr, v.Columns, spec)
	return v
}

// valueWords is a value as the table says it: a total to two places, an
// answer whole, with its band.
func valueWords(x float64, total bool, band string) string {
	s := fmt.Sprintf("%g", x)
	if total && x != math.Trunc(x) {
		s = fmt.Sprintf("%.2f", x)
	}
	if band != "" {
		s += " (" + band + ")"
	}
	return s
}

// changeWords says a line's change from first to latest.
func changeWords(name string, l outcomes.Line, total bool) string {
	first, latest := l.First(), l.Latest()
	how := "no change"
	switch {
	case l.Difference > 0:
		how = "up " + valueWords(l.Difference, total, "")
	case l.Difference < 0:
		how = "down " + valueWords(-l.Difference, total, "")
	}
	s := fmt.Sprintf("%s: %s to %s, %s", name, valueWords(first.Value, total, first.Band), valueWords(latest.Value, total, latest.Band), how)
	if l.Direction == outcomes.Improved && l.LowerIsBetter {
		s += " (lower is better)"
	}
	return s
}

// goalVerdict says whether a goal's change from its first rating to its
// latest passes the goal-based outcomes' reliable change threshold
// (outcomes.GBOReliableChange), as the service's figures judge it.
func goalVerdict(difference float64) string {
	switch {
	case difference >= outcomes.GBOReliableChange:
		return "reliable improvement"
	case difference <= -outcomes.GBOReliableChange:
		return "reliable deterioration"
	}
	return "no reliable change"
}

func chartOf(pr outcomes.Progress, names []string, spec outcomes.Instrument) measureChart {
	c := measureChart{Title: fmt.Sprintf("%s over time", pr.Instrument.Label())}
	n := len(pr.Responses)
	xOf := func(i int) float64 {
		if n == 1 {
			return (chartLeft + chartRight) / 2
		}
		return chartLeft + float64(i)*(chartRight-chartLeft)/float64(n-1)
	}
	lo, hi := float64(spec.MinAnswer), float64(spec.MaxAnswer)
	if spec.HasTotal {
		lo, hi = spec.MinTotal, spec.MaxTotal
	}
	yOf := func(v float64) float64 { return chartBottom - (v-lo)/(hi-lo)*(chartBottom-chartTop) }
	c.Grid = []chartGrid{{Y: yOf(lo), LabelY: yOf(lo) + 4, Label: valueWords(lo, false, "")}, {Y: yOf(hi), LabelY: yOf(hi) + 4, Label: valueWords(hi, false, "")}}
	if pr.Instrument == linkwork.InstrumentONS4 {
		// The ONS bands of life satisfaction, worthwhile and happiness:
		// low to 4, medium to 6, high to 8, very high above.
		for _, b := range []float64{4.5, 6.5, 8.5} {
			c.Grid = append(c.Grid, chartGrid{Y: yOf(b)})
		}
	}
	index := map[string]int{}
	for i, sc := range pr.Responses {
		index[sc.Response.At.String()] = i
		c.Ticks = append(c.Ticks, chartTick{X: xOf(i), Label: sc.Response.At.In(ukTime).Format("2 Jan")})
	}
	var desc []string
	for li, l := range pr.Lines {
		style := chartColours[li%len(chartColours)]
		cl := chartLine{Label: names[li], Colour: style.colour, Dash: style.dash}
		var pts, vals []string
		for _, pt := range l.Points {
			x, y := math.Round(xOf(index[pt.At.String()])*10)/10, math.Round(yOf(pt.Value)*10)/10
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
			vals = append(vals, valueWords(pt.Value, spec.HasTotal, ""))
			cl.Dots = append(cl.Dots, chartDot{X: x, Y: y, Value: valueWords(pt.Value, spec.HasTotal, "")})
		}
		cl.Points = strings.Join(pts, " ")
		c.Lines = append(c.Lines, cl)
		desc = append(desc, fmt.Sprintf("%s: %s", names[li], strings.Join(vals, ", then ")))
	}
	c.Desc = fmt.Sprintf("From %s to %s. ", valueWords(lo, false, ""), valueWords(hi, false, "")) + strings.Join(desc, ". ") + "."
	return c
}
