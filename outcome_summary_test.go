package linkwork_test

import (
	"math"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// The summary's arithmetic on a small dataset worked by hand. Six people's
// SWEMWBS changes, latest minus first: 3.5, 1.0, -2.0, 4.0, 2.5 and 0.0.
//
//	sum = 9.0, so the mean change is 9.0 / 6 = 1.50
//	sum of squares = 12.25 + 1 + 4 + 16 + 6.25 + 0 = 39.5
//	sample variance = (39.5 - 9.0² / 6) / 5 = (39.5 - 13.5) / 5 = 5.2
//	standard error = √(5.2 / 6) = √0.866667 = 0.930949
//	t with 5 degrees of freedom at 97.5% = 2.570582
//	half-width = 2.570582 × 0.930949 = 2.393081
//	95% CI = 1.50 ± 2.39 = (-0.89, 3.89)
//
// Against SWEMWBS's threshold of 2.87: 3.5 and 4.0 are reliable
// improvements, none is a reliable deterioration, four did not change
// reliably.
var handWorked = linkwork.ChangeSums{N: 6, Sum: 9.0, SumSquares: 39.5, Up: 2, Down: 0}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

func TestChangeFiguresOfAGroup(t *testing.T) {
	tests := []struct {
		name                  string
		sums                  linkwork.ChangeSums
		lowerIsBetter         bool
		mean, low, high       float64
		hasInterval           bool
		improved, same, worse int
	}{
		{"six people's changes worked by hand", handWorked, false, 1.50, -0.89, 3.89, true, 2, 4, 0},
		// Loneliness: the same sums read the other way up. A rise of
		// 1.50 on average is a worsening, and the two who rose reliably
		// got worse.
		{"lower is better turns up into worse", handWorked, true, 1.50, -0.89, 3.89, true, 0, 4, 2},
		// Two people, changes 2 and 4: mean 3, s² = 2, se = 1,
		// t(1) = 12.706, CI 3 ± 12.71.
		{"two people have a wide interval", linkwork.ChangeSums{N: 2, Sum: 6, SumSquares: 20, Up: 0}, false, 3, -9.71, 15.71, true, 0, 2, 0},
		{"one person has no interval", linkwork.ChangeSums{N: 1, Sum: 5, SumSquares: 25, Up: 1}, false, 5, 0, 0, false, 1, 0, 0},
		{"everyone changing alike has no spread", linkwork.ChangeSums{N: 3, Sum: 3 * 2.87, SumSquares: 3 * 2.87 * 2.87, Up: 3}, false, 2.87, 2.87, 2.87, true, 3, 0, 0},
		{"nobody has no figures", linkwork.ChangeSums{}, false, 0, 0, 0, false, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := linkwork.ChangeFiguresOf("", "All", tt.sums, tt.lowerIsBetter)
			if round2(f.Mean) != tt.mean || f.HasInterval != tt.hasInterval || round2(f.Low) != tt.low || round2(f.High) != tt.high {
				t.Errorf("mean %.4f (%.4f to %.4f, interval %v), want %.2f (%.2f to %.2f, %v)", f.Mean, f.Low, f.High, f.HasInterval, tt.mean, tt.low, tt.high, tt.hasInterval)
			}
			if f.Improved != tt.improved || f.Same != tt.same || f.Worse != tt.worse {
				t.Errorf("improved/same/worse = %d/%d/%d, want %d/%d/%d", f.Improved, f.Same, f.Worse, tt.improved, tt.same, tt.worse)
			}
		})
	}
}

func TestTCritical95(t *testing.T) {
	tests := []struct {
		df   int
		want float64
	}{
		{1, 12.7062}, {5, 2.5706}, {30, 2.0423},
		// Beyond the table, the expansion: published values.
		{31, 2.0395}, {60, 2.0003}, {120, 1.9799}, {1000, 1.9623},
	}
	for _, tt := range tests {
		if got := math.Round(linkwork.TCritical95(tt.df)*1e4) / 1e4; got != tt.want {
			t.Errorf("t(%d) = %.4f, want %.4f", tt.df, got, tt.want)
		}
	}
	if !math.IsNaN(linkwork.TCritical95(0)) {
		t.Error("t with no degrees of freedom is a number")
	}
}

func TestSmallNumbersAreSuppressedOutsideTheService(t *testing.T) {
	groups := func() linkwork.InstrumentChange {
		return linkwork.InstrumentChange{
			Instrument: linkwork.InstrumentSWEMWBS,
			All:        linkwork.ChangeFiguresOf("", "All", linkwork.ChangeSums{N: 20, Sum: 30, SumSquares: 100, Up: 8, Down: 2}, false),
			ByLinkWorker: []linkwork.ChangeFigures{
				linkwork.ChangeFiguresOf("a", "A", linkwork.ChangeSums{N: 12, Sum: 20, SumSquares: 60, Up: 6, Down: 1}, false),
				linkwork.ChangeFiguresOf("b", "B", linkwork.ChangeSums{N: 5, Sum: 8, SumSquares: 30, Up: 1, Down: 1}, false),
				linkwork.ChangeFiguresOf("c", "C", linkwork.ChangeSums{N: 3, Sum: 2, SumSquares: 10, Up: 1, Down: 0}, false),
			},
			ByPathway: []linkwork.ChangeFigures{
				linkwork.ChangeFiguresOf("gp", "GP", linkwork.ChangeSums{N: 14, Sum: 20, SumSquares: 60, Up: 5, Down: 1}, false),
				linkwork.ChangeFiguresOf("school", "School", linkwork.ChangeSums{N: 6, Sum: 10, SumSquares: 40, Up: 3, Down: 1}, false),
			},
		}
	}
	s := &linkwork.OutcomeSummary{Exact: true, Instruments: []linkwork.InstrumentChange{groups()}}
	s.Suppress()
	in := s.Instruments[0]
	tests := []struct {
		name string
		got  linkwork.ChangeFigures
		// group: the whole group; counts: improved, same, worse.
		group  linkwork.Hidden
		counts [3]linkwork.Hidden
	}{
		// 8 improved, 10 the same, 2 worse: the 2 is hidden, and so the
		// next smallest (8), or 2 = 20 - 8 - 10.
		{"the whole service hides a count and the next smallest", in.All, linkwork.Shown, [3]linkwork.Hidden{linkwork.Withheld, linkwork.Shown, linkwork.Small}},
		// A: 6 improved, 5 the same, 1 worse: the 1, and the 5 with it.
		{"a large group hides its small counts", in.ByLinkWorker[0], linkwork.Shown, [3]linkwork.Hidden{linkwork.Shown, linkwork.Withheld, linkwork.Small}},
		// B has 5, C has 3: C is small, and as the only small group, B,
		// the next smallest, is withheld with it, so that C is not the
		// whole less A and B.
		{"the next smallest group hides with the only small one", in.ByLinkWorker[1], linkwork.Withheld, [3]linkwork.Hidden{linkwork.Withheld, linkwork.Withheld, linkwork.Withheld}},
		{"a group under five shows nothing", in.ByLinkWorker[2], linkwork.Small, [3]linkwork.Hidden{linkwork.Small, linkwork.Small, linkwork.Small}},
		// School: 3, 2 and 1 of 6: every count hidden, the group shown.
		{"a group of five or more shows though its counts are hidden", in.ByPathway[1], linkwork.Shown, [3]linkwork.Hidden{linkwork.Small, linkwork.Small, linkwork.Small}},
		// GP: 5, 8 and 1 of 14: the 1 and the 5.
		{"a group hides its one small count with the next smallest", in.ByPathway[0], linkwork.Shown, [3]linkwork.Hidden{linkwork.Withheld, linkwork.Shown, linkwork.Small}},
	}
	if s.Exact {
		t.Error("a suppressed summary says it is exact")
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.got
			if got := [3]linkwork.Hidden{f.ImprovedHidden, f.SameHidden, f.WorseHidden}; f.Hidden != tt.group || got != tt.counts {
				t.Errorf("hidden %v, counts %v; want %v, %v", f.Hidden, got, tt.group, tt.counts)
			}
			if f.Hidden != linkwork.Shown && (f.People != 0 || f.Mean != 0 || f.HasInterval || f.PeopleWords() != f.Hidden.Words()) {
				t.Errorf("a hidden group shows %+v", f)
			}
			if f.ImprovedHidden != linkwork.Shown && f.Improved != 0 || f.SameHidden != linkwork.Shown && f.Same != 0 || f.WorseHidden != linkwork.Shown && f.Worse != 0 {
				t.Errorf("a hidden count is still there: %+v", f)
			}
		})
	}
	// Inside the service nothing is hidden.
	exact := groups()
	if exact.ByLinkWorker[2].Hidden != linkwork.Shown || exact.ByLinkWorker[2].PeopleWords() != "3" || exact.All.Worse != 2 {
		t.Errorf("exact figures hidden: %+v", exact.ByLinkWorker[2])
	}
}

func TestAnOutcomePeriodEndsAfterItStarts(t *testing.T) {
	day := func(d int) linkwork.Date { return linkwork.Date{Year: 2026, Month: 3, Day: d} }
	tests := []struct {
		name string
		f    linkwork.OutcomeFilter
		ok   bool
	}{
		{"no period", linkwork.OutcomeFilter{}, true},
		{"from only", linkwork.OutcomeFilter{From: day(1)}, true},
		{"one day", linkwork.OutcomeFilter{From: day(3), To: day(3)}, true},
		{"ending before it starts", linkwork.OutcomeFilter{From: day(3), To: day(2)}, false},
	}
	for _, tt := range tests {
		err := tt.f.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%s: %v", tt.name, err)
		}
		if err != nil && linkwork.ErrorFields(err)[0].Field != "to" {
			t.Errorf("%s: names %v", tt.name, linkwork.ErrorFields(err))
		}
	}
}

func TestAPeriodCountsWholeMonths(t *testing.T) {
	d := func(y int, m time.Month, day int) linkwork.Date { return linkwork.Date{Year: y, Month: m, Day: day} }
	tests := []struct {
		name     string
		f, whole linkwork.OutcomeFilter
	}{
		{"open at both ends stays open", linkwork.OutcomeFilter{}, linkwork.OutcomeFilter{}},
		{"days within months widen to the months", linkwork.OutcomeFilter{From: d(2026, 2, 15), To: d(2026, 3, 3)}, linkwork.OutcomeFilter{From: d(2026, 2, 1), To: d(2026, 3, 31)}},
		{"February of a leap year ends on the 29th", linkwork.OutcomeFilter{To: d(2028, 2, 1)}, linkwork.OutcomeFilter{To: d(2028, 2, 29)}},
		{"December ends the year", linkwork.OutcomeFilter{From: d(2025, 12, 31), To: d(2025, 12, 1)}, linkwork.OutcomeFilter{From: d(2025, 12, 1), To: d(2025, 12, 31)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f.WholeMonths(); got != tt.whole {
				t.Errorf("%+v.WholeMonths() = %+v, want %+v", tt.f, got, tt.whole)
			}
		})
	}
}
