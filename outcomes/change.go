package outcomes

import (
	"fmt"
	"math"

	linkwork "github.com/linkwork/linkwork"
)

// DefaultWEMWBSThreshold is the default reliable change threshold for WEMWBS,
// in points of the 14-70 total. Reliable individual change is 2.77 × SEM, and
// with SEM 2.4-3.1 that is about 7-9 points (Maheswaran et al. 2012); 8 is
// the middle of that range. Smaller rules of thumb circulate; pass one to
// Change to use it instead.
const DefaultWEMWBSThreshold = 8.0

// DefaultSWEMWBSThreshold is the default reliable change threshold for
// SWEMWBS, in metric score points: 2.77 × SEM = 2.87 (Shah et al. 2018).
const DefaultSWEMWBSThreshold = 2.87

// GBOReliableChange is the reliable change threshold of a Goal Based
// Outcomes rating, in points of the 0-10 scale: a goal whose rating rose by
// 2.45 or more improved reliably, one that fell by as much deteriorated.
// It is the reliable change index CORC (the Child Outcomes Research
// Consortium) publishes for GBO, from Edbrooke-Childs J, Jacob J, Law D,
// Deighton J and Wolpert M (2015), "Interpreting standardized and
// idiographic outcome measures in CAMHS: what does change mean and how does
// it relate to functioning and experience?", Child and Adolescent Mental
// Health 20(3), 142-148. Ratings are whole numbers, so it takes a move of
// three points. The service's figures judge each goal by it; a person's
// case page does not (GBO has no default threshold there, see
// DefaultThreshold).
const GBOReliableChange = 2.45

// DefaultThreshold returns the default change threshold of instr, and reports
// false when the instrument has none (ONS4, GBO, UCLA3).
func DefaultThreshold(instr linkwork.Instrument) (float64, bool) {
	switch instr {
	case linkwork.InstrumentWEMWBS:
		return DefaultWEMWBSThreshold, true
	case linkwork.InstrumentSWEMWBS:
		return DefaultSWEMWBSThreshold, true
	}
	return 0, false
}

// Direction is which way a score moved, taking into account whether lower is
// better.
type Direction string

// The directions.
const (
	Improved  Direction = "improved"
	Worsened  Direction = "worsened"
	Unchanged Direction = "unchanged"
)

// ChangeResult is the change between two responses to one instrument.
type ChangeResult struct {
	// Instrument is the instrument compared.
	Instrument linkwork.Instrument
	// HasTotal reports whether the instrument has a total score, and so
	// whether Difference, Direction and Reliable apply to the total.
	HasTotal bool
	// Difference is the later total minus the earlier one, rounded to two
	// decimal places (the precision of the SWEMWBS metric table). Zero when
	// the instrument has no total.
	Difference float64
	// Direction is which way the total moved, whatever its size. Lower is
	// better for UCLA3. Empty when the instrument has no total.
	Direction Direction
	// Threshold is the threshold applied, and HasThreshold reports whether
	// there was one.
	Threshold    float64
	HasThreshold bool
	// Reliable reports whether the total moved by at least Threshold in
	// either direction. A reliable improvement is Reliable with Direction
	// Improved.
	Reliable bool
	// Items holds the change in each item, in order: for ONS4 each item is
	// reported separately, and for GBO each goal.
	Items []ItemChange
}

// ItemChange is the change in the answer to one item.
type ItemChange struct {
	// Label is the item's short label, as in Spec.
	Label string
	// Before and After are the earlier and later answers.
	Before, After int
	// Difference is After minus Before.
	Difference int
	// Missing reports that the item was unanswered in either response, so
	// it has no change: Difference and Direction are empty.
	Missing bool
	// Direction is which way the answer moved: for ONS4 anxiety and the
	// UCLA3 items a decrease is an improvement.
	Direction Direction
	// Reliable reports whether the answer moved by at least the threshold,
	// for an instrument without a total given a threshold. Always false for
	// an instrument with a total, whose threshold applies to the total.
	Reliable bool
}

// Change compares the later result after with the earlier result before,
// both results of instr (normally from Score). The results are scored again
// from their answers, so a total or band that does not match the answers
// counts for nothing.
//
// threshold is the size of change that counts as reliable. Zero uses the
// instrument's default (see DefaultThreshold); an instrument without one then
// reports no reliable change. For WEMWBS, SWEMWBS and UCLA3 the threshold
// applies to the total; for ONS4 and GBO to each item. A change exactly the
// size of the threshold counts.
//
// For GBO, change is reported per goal as the later rating minus the first:
// pass the ratings of the same goals in the same order (pair them by
// linkwork.MeasureResponse.GoalIDs). Change returns a *linkwork.Error with Code
// linkwork.EINVALID when a result is of another instrument or has invalid
// answers, when the results have different numbers of items, or when
// threshold is negative or not a finite number.
func Change(instr linkwork.Instrument, before, after Result, threshold float64) (ChangeResult, error) {
	var p linkwork.Problems
	if _, ok := specs[instr]; !ok {
		p.Add("instrument", "Choose one of the outcome measures")
		return ChangeResult{}, p.Err()
	}
	if math.IsNaN(threshold) || math.IsInf(threshold, 0) || threshold < 0 {
		p.Add("threshold", "Threshold must be a number of points, zero or more")
	}
	if before.Instrument != instr {
		p.Add("before", "The earlier response is of a different outcome measure")
	}
	if after.Instrument != instr {
		p.Add("after", "The later response is of a different outcome measure")
	}
	if err := p.Err(); err != nil {
		return ChangeResult{}, err
	}
	b, errB := score(instr, answersOf(before), "before.answers")
	a, errA := score(instr, answersOf(after), "after.answers")
	p = append(p, linkwork.ErrorFields(errB)...)
	p = append(p, linkwork.ErrorFields(errA)...)
	if len(p) == 0 && len(b.Items) != len(a.Items) {
		p.Add("after", fmt.Sprintf("Compare the same goals: the earlier response has %d and the later %d", len(b.Items), len(a.Items)))
	}
	if err := p.Err(); err != nil {
		return ChangeResult{}, err
	}

	s := specs[instr]
	c := ChangeResult{Instrument: instr, HasTotal: s.HasTotal, Threshold: threshold, HasThreshold: threshold > 0}
	if threshold == 0 {
		c.Threshold, c.HasThreshold = DefaultThreshold(instr)
	}
	if s.HasTotal {
		c.Difference = math.Round((a.Total-b.Total)*100) / 100
		c.Direction = direction(c.Difference, s.LowerIsBetter)
		c.Reliable = c.HasThreshold && meets(c.Difference, c.Threshold)
	}
	c.Items = make([]ItemChange, len(a.Items))
	for i := range a.Items {
		if a.Items[i].Missing || b.Items[i].Missing {
			c.Items[i] = ItemChange{Label: a.Items[i].Label, Before: b.Items[i].Answer, After: a.Items[i].Answer, Missing: true}
			continue
		}
		d := a.Items[i].Answer - b.Items[i].Answer
		c.Items[i] = ItemChange{
			Label:      a.Items[i].Label,
			Before:     b.Items[i].Answer,
			After:      a.Items[i].Answer,
			Difference: d,
			Direction:  direction(float64(d), s.Items[i].LowerIsBetter),
			Reliable:   !s.HasTotal && c.HasThreshold && meets(float64(d), c.Threshold),
		}
	}
	return c, nil
}

func answersOf(r Result) []*int {
	answers := make([]*int, len(r.Items))
	for i, it := range r.Items {
		if !it.Missing {
			answers[i] = &r.Items[i].Answer
		}
	}
	return answers
}

func direction(d float64, lowerIsBetter bool) Direction {
	if lowerIsBetter {
		d = -d
	}
	switch {
	case d > 0:
		return Improved
	case d < 0:
		return Worsened
	}
	return Unchanged
}

// Tolerance is the floating-point error allowed when a difference of
// two-decimal metric scores is held against a threshold: a change of
// threshold-Tolerance or more meets it. The service's figures, added up in
// SQL, use the same.
const Tolerance = 1e-9

// meets reports whether a difference is at least threshold in size, allowing
// for floating-point error in differences of two-decimal metric scores.
func meets(d, threshold float64) bool {
	return math.Abs(d) >= threshold-Tolerance
}
