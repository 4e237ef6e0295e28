package outcomes

import (
	"math"
	"strconv"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// Verdict says whether a change passed the instrument's threshold for
// reliable change.
type Verdict string

// The verdicts. An instrument without a threshold has none: its change is
// reported as it is, with no claim about whether it is reliable.
const (
	ReliableImprovement   Verdict = "reliable improvement"
	NoReliableChange      Verdict = "no reliable change"
	ReliableDeterioration Verdict = "reliable deterioration"
)

// VerdictOf is the verdict of a change in a total, and false when the
// instrument has no total or no threshold.
func VerdictOf(c ChangeResult) (Verdict, bool) {
	if !c.HasTotal || !c.HasThreshold {
		return "", false
	}
	switch {
	case c.Reliable && c.Direction == Improved:
		return ReliableImprovement, true
	case c.Reliable && c.Direction == Worsened:
		return ReliableDeterioration, true
	}
	return NoReliableChange, true
}

// Progress is one person's responses to one instrument over time, and the
// change from the first to the latest.
type Progress struct {
	Instrument linkwork.Instrument
	// Responses are the responses, oldest first, each with its result.
	Responses []Scored
	// Lines are what is followed over time: the total for an instrument
	// with one, each item for ONS4 (never summed), each goal for GBO.
	Lines []Line
	// Change is the change in the total from the first response to the
	// latest, and HasChange reports whether there is one (an instrument
	// with a total, answered more than once).
	Change    ChangeResult
	HasChange bool
	// Verdict is Change against the instrument's threshold; empty without
	// a change or a threshold.
	Verdict Verdict
}

// Scored is a response and its result.
type Scored struct {
	Response *linkwork.MeasureResponse
	Result   Result
}

// Line is one thing followed over time: a total, an ONS4 item or a goal.
type Line struct {
	// Label is "Score", the item's label, or "Goal 1" and so on for a
	// goal (GoalID says which; the page shows the goal's words).
	Label  string
	GoalID string
	// Min and Max bound the values; LowerIsBetter for anxiety and
	// loneliness.
	Min, Max      float64
	LowerIsBetter bool
	// Points are the line's values, oldest first; an unanswered item has
	// none.
	Points []Point
	// Difference is the latest value minus the first, rounded to two
	// places, and Direction which way that is; empty with one point.
	Difference float64
	Direction  Direction
}

// Point is one value of a line.
type Point struct {
	At        time.Time
	Timepoint linkwork.Timepoint
	Value     float64
	// Band is the ONS4 band of an item's answer, or the UCLA3 band of a
	// total; empty otherwise.
	Band string
}

// First and Latest are a line's first and latest points; zero without any.
func (l Line) First() Point {
	if len(l.Points) == 0 {
		return Point{}
	}
	return l.Points[0]
}

// Latest is the line's latest point.
func (l Line) Latest() Point {
	if len(l.Points) == 0 {
		return Point{}
	}
	return l.Points[len(l.Points)-1]
}

// ProgressOf groups a person's responses by instrument, in the order of
// linkwork.Instruments, scores each and follows each total, ONS4 item and
// goal from its first value to its latest. Responses that do not score
// (stored before a rule changed) are left out rather than shown wrong.
// threshold gives an instrument's reliable change threshold; an instrument
// not in it uses its default (DefaultThreshold).
func ProgressOf(responses []*linkwork.MeasureResponse, threshold map[linkwork.Instrument]float64) []Progress {
	by := map[linkwork.Instrument]*Progress{}
	for _, m := range responses {
		r, err := ScoreAnswers(m.Instrument, m.Answers)
		if err != nil || (m.Instrument == linkwork.InstrumentGBO && len(m.GoalIDs) != len(r.Items)) {
			continue
		}
		p := by[m.Instrument]
		if p == nil {
			p = &Progress{Instrument: m.Instrument}
			by[m.Instrument] = p
		}
		p.Responses = append(p.Responses, Scored{Response: m, Result: r})
	}
	var out []Progress
	for _, instr := range linkwork.Instruments {
		p := by[instr]
		if p == nil {
			continue
		}
		p.Lines = linesOf(instr, p.Responses)
		if n := len(p.Responses); n > 1 && p.Responses[0].Result.HasTotal {
			c, err := Change(instr, p.Responses[0].Result, p.Responses[n-1].Result, threshold[instr])
			if err == nil {
				p.Change, p.HasChange = c, true
				p.Verdict, _ = VerdictOf(c)
			}
		}
		out = append(out, *p)
	}
	return out
}

func linesOf(instr linkwork.Instrument, responses []Scored) []Line {
	s := specs[instr]
	var lines []Line
	index := map[string]int{}
	line := func(key, label, goal string, lowerIsBetter bool, min, max float64) *Line {
		i, ok := index[key]
		if !ok {
			i = len(lines)
			index[key] = i
			lines = append(lines, Line{Label: label, GoalID: goal, LowerIsBetter: lowerIsBetter, Min: min, Max: max})
		}
		return &lines[i]
	}
	for _, sc := range responses {
		m, r := sc.Response, sc.Result
		pt := Point{At: m.At, Timepoint: m.Timepoint}
		switch {
		case s.HasTotal:
			pt.Value, pt.Band = r.Total, r.Band
			l := line("total", "Score", "", s.LowerIsBetter, s.MinTotal, s.MaxTotal)
			l.Points = append(l.Points, pt)
		case instr == linkwork.InstrumentGBO:
			for i, it := range r.Items {
				l := line(m.GoalIDs[i], "", m.GoalIDs[i], false, float64(s.MinAnswer), float64(s.MaxAnswer))
				pt.Value = float64(it.Answer)
				l.Points = append(l.Points, pt)
			}
		default:
			for i, it := range r.Items {
				l := line(it.Label, it.Label, "", s.Items[i].LowerIsBetter, float64(s.MinAnswer), float64(s.MaxAnswer))
				if it.Missing {
					continue
				}
				pt.Value, pt.Band = float64(it.Answer), it.Band
				l.Points = append(l.Points, pt)
			}
		}
	}
	goal := 0
	for i := range lines {
		l := &lines[i]
		if l.GoalID != "" {
			goal++
			l.Label = "Goal " + strconv.Itoa(goal)
		}
		if len(l.Points) > 1 {
			l.Difference = math.Round((l.Latest().Value-l.First().Value)*100) / 100
			l.Direction = direction(l.Difference, l.LowerIsBetter)
		}
	}
	return lines
}
