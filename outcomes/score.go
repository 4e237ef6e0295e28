package outcomes

import (
	"fmt"

	linkwork "github.com/linkwork/linkwork"
)

// The bands an ONS4 item or a UCLA3 total falls in.
const (
	BandVeryLow   = "very low"   // ONS4 anxiety 0-1
	BandLow       = "low"        // ONS4 0-4, anxiety 2-3
	BandMedium    = "medium"     // ONS4 5-6, anxiety 4-5
	BandHigh      = "high"       // ONS4 7-8, anxiety 6-10
	BandVeryHigh  = "very high"  // ONS4 9-10
	BandLonely    = "lonely"     // UCLA3 total 6-9
	BandNotLonely = "not lonely" // UCLA3 total 3-5
)

// UCLA3LonelyFrom is the lowest UCLA3 total commonly grouped as lonely.
const UCLA3LonelyFrom = 6

// Result is a scored response to an instrument.
type Result struct {
	// Instrument is the instrument that was scored.
	Instrument linkwork.Instrument
	// Total is the score to report when HasTotal: the WEMWBS sum (14-70), the
	// SWEMWBS metric score from the published table (7-35), or the UCLA3 sum
	// (3-9). It is zero for ONS4, whose items are never summed, and for GBO,
	// whose goals are rated separately.
	Total float64
	// HasTotal reports whether the instrument has a total score.
	HasTotal bool
	// Raw is the sum of the answers when HasTotal. It differs from Total
	// only for SWEMWBS, where it is the raw sum (7-35) before conversion.
	Raw int
	// Band is the UCLA3 band, BandLonely or BandNotLonely; empty for the
	// other instruments.
	Band string
	// Items holds each answer in order.
	Items []ItemResult
}

// ItemResult is the answer to one item.
type ItemResult struct {
	// Label is the item's short label, as in Spec.
	Label string
	// Answer is the answer given; zero when Missing.
	Answer int
	// Missing reports that the item was left unanswered, which only an
	// instrument whose items stand alone accepts (Instrument.MissingAllowed).
	Missing bool
	// Band is the ONS4 band of the answer (BandVeryLow to BandVeryHigh);
	// empty for the other instruments.
	Band string
}

// Score validates and scores answers to instr. Each answer must be a whole
// number in the instrument's range, and there must be as many answers as the
// instrument has items (one to three for GBO). Otherwise Score returns a
// *linkwork.Error with Code linkwork.EINVALID whose Fields name the problem:
// "instrument" for an unknown instrument, "answers" for the wrong number of
// answers, and "answers[i]" for each answer out of range, with a message
// counting items from 1, such as "Answer 4 must be a whole number from 1 to 5".
func Score(instr linkwork.Instrument, answers []int) (Result, error) {
	given := make([]*int, len(answers))
	for i := range answers {
		given[i] = &answers[i]
	}
	return score(instr, given, "answers")
}

// ScoreAnswers is Score for answers that may leave items unanswered (nil).
// An instrument whose items stand alone (ONS4: Instrument.MissingAllowed)
// reports the answered items and marks the others Missing, as long as one
// is answered. Every other instrument's score needs every answer, as
// published, so an unanswered item is a problem naming it ("answers[2]",
// "Answer question 3: the score needs every answer") and no score is made,
// rather than a wrong one.
func ScoreAnswers(instr linkwork.Instrument, answers []*int) (Result, error) {
	return score(instr, answers, "answers")
}

func score(instr linkwork.Instrument, answers []*int, field string) (Result, error) {
	s, ok := specs[instr]
	if !ok {
		var p linkwork.Problems
		p.Add("instrument", "Choose one of the outcome measures")
		return Result{}, p.Err()
	}
	var p linkwork.Problems
	if n := len(answers); n < s.MinItems || n > s.MaxItems {
		p.Add(field, countMessage(s, n))
	}
	answered := 0
	for i, a := range answers {
		switch {
		case a == nil && !s.MissingAllowed:
			p.Add(fmt.Sprintf("%s[%d]", field, i), missingMessage(s, i))
		case a == nil:
		case *a < s.MinAnswer || *a > s.MaxAnswer:
			p.Addf(fmt.Sprintf("%s[%d]", field, i), "Answer %d must be a whole number from %d to %d", i+1, s.MinAnswer, s.MaxAnswer)
		default:
			answered++
		}
	}
	if len(p) == 0 && answered == 0 {
		p.Add(field, "Answer at least one question")
	}
	if err := p.Err(); err != nil {
		return Result{}, err
	}

	r := Result{Instrument: instr, HasTotal: s.HasTotal, Items: make([]ItemResult, len(answers))}
	sum := 0
	for i, a := range answers {
		r.Items[i] = ItemResult{Label: s.Items[i].Label}
		if a == nil {
			r.Items[i].Missing = true
			continue
		}
		sum += *a
		r.Items[i].Answer = *a
		if instr == linkwork.InstrumentONS4 {
			r.Items[i].Band = ons4Band(*a, s.Items[i].LowerIsBetter)
		}
	}
	switch instr {
	case linkwork.InstrumentWEMWBS:
		r.Raw, r.Total = sum, float64(sum)
	case linkwork.InstrumentSWEMWBS:
		r.Raw = sum
		r.Total, _ = SWEMWBSMetric(sum)
	case linkwork.InstrumentUCLA3:
		r.Raw, r.Total = sum, float64(sum)
		r.Band = BandNotLonely
		if sum >= UCLA3LonelyFrom {
			r.Band = BandLonely
		}
	}
	return r, nil
}

// missingMessage names an unanswered item that the score needs.
func missingMessage(s Instrument, i int) string {
	if s.MinItems != s.MaxItems {
		return fmt.Sprintf("Rate goal %d", i+1)
	}
	return fmt.Sprintf("Answer question %d: the score needs every answer", i+1)
}

func countMessage(s Instrument, n int) string {
	noun := "answer"
	if s.MinItems != s.MaxItems {
		noun = "rating"
	}
	given := fmt.Sprintf("%d %ss were given", n, noun)
	if n == 1 {
		given = fmt.Sprintf("1 %s was given", noun)
	}
	if s.MinItems == s.MaxItems {
		return fmt.Sprintf("Answer all %d questions (%s)", s.MaxItems, given)
	}
	return fmt.Sprintf("Rate from %d to %d goals (%s)", s.MinItems, s.MaxItems, given)
}

// ons4Band returns the ONS band of an ONS4 answer. Anxiety, where lower is
// better, has its own thresholds.
func ons4Band(a int, anxiety bool) string {
	if anxiety {
		switch {
		case a <= 1:
			return BandVeryLow
		case a <= 3:
			return BandLow
		case a <= 5:
			return BandMedium
		default:
			return BandHigh
		}
	}
	switch {
	case a <= 4:
		return BandLow
	case a <= 6:
		return BandMedium
	case a <= 8:
		return BandHigh
	default:
		return BandVeryHigh
	}
}

// ONS4BandFloors are the lowest answers of an ONS4 item's second, third
// and fourth bands, in the order of the answers (the first band starts at
// 0): 5, 7 and 9 (medium, high, very high), and for anxiety 2, 4 and 6
// (low, medium, high). The service's figures count moves between bands
// by them, in SQL; ons4Band is the same rule in words.
func ONS4BandFloors(anxiety bool) [3]int {
	if anxiety {
		return [3]int{2, 4, 6}
	}
	return [3]int{5, 7, 9}
}

// swemwbsMetric is the SWEMWBS raw-to-metric conversion table published by
// Warwick Medical School, indexed by raw score minus 7.
var swemwbsMetric = [...]float64{
	7.00, 9.51, 11.25, 12.40, 13.33, 14.08, 14.75, 15.32, 15.84, 16.36, // 7-16
	16.88, 17.43, 17.98, 18.59, 19.25, 19.98, 20.73, 21.54, 22.35, 23.21, // 17-26
	24.11, 25.03, 26.02, 27.03, 28.13, 29.31, 30.70, 32.55, 35.00, // 27-35
}

// SWEMWBSMetric converts a SWEMWBS raw score (7-35) to its metric score with
// the published table, and reports false for a raw score out of range.
func SWEMWBSMetric(raw int) (float64, bool) {
	if raw < 7 || raw > 35 {
		return 0, false
	}
	return swemwbsMetric[raw-7], true
}
