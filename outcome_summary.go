package linkwork

import (
	"context"
	"math"
	"sort"
	"strconv"
	"time"
)

// The outcome summary: for each instrument with a total score, how the
// people a service supported changed from their first score in an
// episode of support to their latest, added up. The store adds up the
// changes in SQL (ChangeSums); the arithmetic on those sums, and the rule
// of which small numbers a reader may not see, are here.

// SmallNumber is the smallest count shown to a reader outside the
// service: fewer than this are suppressed ("fewer than 5"), so that
// nobody outside can pick out a person from the figures.
const SmallNumber = 5

// OutcomeFilter narrows an outcome summary to the episodes of support
// whose latest score (or answer, or goal rating) was in a period of whole
// months: from the start of From's month to the end of To's (UK time). An
// episode counts in the month of its latest score, with its change from
// its first score, whenever that was; when a later score comes, it counts
// in that month instead. A zero date leaves that end open.
type OutcomeFilter struct {
	From, To Date
}

// WholeMonths is the period the filter counts: From moved to the first of
// its month, To to the last day of its.
func (f OutcomeFilter) WholeMonths() OutcomeFilter {
	if !f.From.IsZero() {
		f.From.Day = 1
	}
	if !f.To.IsZero() {
		f.To = DateOf(time.Date(f.To.Year, f.To.Month+1, 0, 0, 0, 0, 0, time.UTC))
	}
	return f
}

// Validate reports a period that ends before it starts, naming "to".
func (f OutcomeFilter) Validate() error {
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		return FieldErr("to", "The end of the period must be the same as or after its start")
	}
	return nil
}

// ChangeSums are a group's changes added up: the number of episodes with
// a first and a later score, the sum of their changes (latest minus
// first) and of the changes squared, and how many moved up and down by at
// least the instrument's reliable change threshold (by any amount, for an
// instrument without one). The store computes them in SQL; Add combines
// two groups, so a breakdown's groups add up to the whole.
type ChangeSums struct {
	N               int
	Sum, SumSquares float64
	Up, Down        int
}

// Add returns the sums of both groups.
func (s ChangeSums) Add(o ChangeSums) ChangeSums {
	return ChangeSums{N: s.N + o.N, Sum: s.Sum + o.Sum, SumSquares: s.SumSquares + o.SumSquares, Up: s.Up + o.Up, Down: s.Down + o.Down}
}

// ChangeFigures are one group's figures: the whole service, or one age
// band, pathway or link worker.
type ChangeFigures struct {
	// Key identifies the group (an age band's key, a pathway, a link
	// worker's id; "" for the whole service), Label names it.
	Key, Label string
	// People is the number of episodes of support with a first and a
	// later score.
	People int
	// Mean is the mean change, latest minus first; Low and High bound its
	// 95% confidence interval (Student's t with People-1 degrees of
	// freedom), which needs two people or more (HasInterval).
	Mean, Low, High float64
	HasInterval     bool
	// Improved, Same and Worse count the people whose change passed the
	// instrument's reliable change threshold for the better, did not pass
	// it, or passed it for the worse (for an instrument without a
	// threshold, changed at all).
	Improved, Same, Worse int
	// Hidden says whether the group's figures are shown: a group of
	// fewer than SmallNumber people is Small to a reader outside the
	// service, and the next smallest group is Withheld with it when it is
	// the only one (so that it cannot be worked out from the whole). A
	// hidden group has no figures at all, not even its number of people.
	Hidden Hidden
	// ImprovedHidden, SameHidden and WorseHidden say whether each count
	// is shown: Small under SmallNumber, and the next smallest Withheld
	// when only one would be hidden (the three add up to People). A
	// hidden count is zero.
	ImprovedHidden, SameHidden, WorseHidden Hidden
}

// ChangeFiguresOf works out a group's figures from its sums. Up is an
// improvement unless lower is better for the instrument (loneliness).
func ChangeFiguresOf(key, label string, s ChangeSums, lowerIsBetter bool) ChangeFigures {
	f := ChangeFigures{Key: key, Label: label, People: s.N, Improved: s.Up, Worse: s.Down}
	if lowerIsBetter {
		f.Improved, f.Worse = s.Down, s.Up
	}
	f.Same = s.N - s.Up - s.Down
	if s.N == 0 {
		return f
	}
	n := float64(s.N)
	f.Mean = s.Sum / n
	if s.N >= 2 {
		// The sample variance from the sums; never below zero, which
		// rounding could otherwise make it when every change is equal.
		v := math.Max(0, (s.SumSquares-s.Sum*s.Sum/n)/(n-1))
		half := TCritical95(s.N-1) * math.Sqrt(v/n)
		f.Low, f.High, f.HasInterval = f.Mean-half, f.Mean+half, true
	}
	return f
}

// Hidden says whether a figure is shown to the reader, and if not, why.
type Hidden uint8

// Whether a figure is shown.
const (
	// Shown: the figure is there.
	Shown Hidden = iota
	// Small: fewer than SmallNumber, suppressed outside the service.
	Small
	// Withheld: not small itself, but shown it would give away a small
	// figure beside it.
	Withheld
)

// Words says a hidden figure as the reader sees it: "fewer than 5" or
// "not shown"; "" for a figure shown.
func (h Hidden) Words() string {
	switch h {
	case Small:
		return "fewer than " + strconv.Itoa(SmallNumber)
	case Withheld:
		return "not shown"
	}
	return ""
}

// Share is a count as a percentage of the group's people.
func (f ChangeFigures) Share(count int) float64 {
	if f.People == 0 {
		return 0
	}
	return 100 * float64(count) / float64(f.People)
}

// hide empties the group's figures, for the reason given.
func (f *ChangeFigures) hide(why Hidden) {
	*f = ChangeFigures{Key: f.Key, Label: f.Label, Hidden: why, ImprovedHidden: why, SameHidden: why, WorseHidden: why}
}

// suppress hides the figures a reader outside the service may not see:
// everything of a group under SmallNumber people; in a larger group, each
// count under SmallNumber, and when only one count would be hidden, the
// next smallest as well (the three add up to People).
func (f *ChangeFigures) suppress() {
	if f.People < SmallNumber {
		f.hide(Small)
		return
	}
	counts := []struct {
		n      *int
		hidden *Hidden
	}{{&f.Improved, &f.ImprovedHidden}, {&f.Same, &f.SameHidden}, {&f.Worse, &f.WorseHidden}}
	hidden := 0
	for _, c := range counts {
		if *c.n < SmallNumber {
			*c.hidden = Small
			hidden++
		}
	}
	if hidden == 1 {
		sort.SliceStable(counts, func(i, j int) bool { return *counts[i].n < *counts[j].n })
		for _, c := range counts {
			if *c.hidden == Shown {
				*c.hidden = Withheld
				break
			}
		}
	}
	for _, c := range counts {
		if *c.hidden != Shown {
			*c.n = 0
		}
	}
}

// suppressGroups suppresses each group of a breakdown, and when only one
// group would be hidden, the next smallest as well, so that the hidden
// group cannot be worked out from the whole.
func suppressGroups(groups []ChangeFigures) {
	small, next := 0, -1
	for i := range groups {
		if groups[i].People < SmallNumber {
			small++
		} else if next < 0 || groups[i].People < groups[next].People {
			next = i
		}
	}
	if small == 1 && next >= 0 {
		groups[next].hide(Withheld)
	}
	for i := range groups {
		if groups[i].Hidden == Shown {
			groups[i].suppress()
		}
	}
}

// PeopleWords says a group's number of people as a reader may see it:
// "fewer than 5" or "not shown" when it is hidden.
func (f ChangeFigures) PeopleWords() string {
	if f.Hidden != Shown {
		return f.Hidden.Words()
	}
	return strconv.Itoa(f.People)
}

// InstrumentChange is one instrument's figures for the service, as a
// whole and broken down: of its total score (WEMWBS, SWEMWBS, UCLA-3), of
// one of its items (ONS4, whose four questions are never added together),
// or of every goal (GBO, each goal its own change).
type InstrumentChange struct {
	Instrument Instrument
	// Item is the item the figures are of, for an instrument reported
	// item by item (ONS4): its key (ONS4ItemKeys) and ItemLabel its name;
	// both "" for a total or for goals.
	Item, ItemLabel string
	// ByBand: Improved, Same and Worse count the answers that moved to a
	// better ONS band, stayed in theirs, or moved to a worse one, rather
	// than changes past a threshold (ONS4's items).
	ByBand bool
	// PerGoal: each goal counts on its own, People (and the counts of
	// ChangeFigures) are goals, not people (GBO).
	PerGoal bool
	// Threshold is the reliable change threshold the counts are judged
	// by, when the instrument has one (HasThreshold); LowerIsBetter for
	// loneliness, where a fall is an improvement.
	Threshold     float64
	HasThreshold  bool
	LowerIsBetter bool
	All           ChangeFigures
	// The breakdowns, each group's figures: by age band (on the day of
	// the episode's first score), by the pathway the person was referred
	// through, and by the episode's link worker (the
	// OutcomeTopLinkWorkers with the most people measured, by name, then
	// the rest added up in one group keyed OtherLinkWorkersKey).
	ByAgeBand, ByPathway, ByLinkWorker []ChangeFigures
}

// OutcomeTopLinkWorkers is how many link workers the outcome figures name,
// those with the most people measured; the rest are added up in one group
// keyed OtherLinkWorkersKey, so that a service of hundreds of link
// workers has a breakdown a person can read (and a page a phone can
// load), whose groups still add up to everyone.
const OutcomeTopLinkWorkers = 30

// OtherLinkWorkersKey is the key of the group adding up the link workers
// past the first OutcomeTopLinkWorkers. Link workers' keys are ids, and
// "" is not allocated, so it names none of them.
const OtherLinkWorkersKey = "other"

// OtherLinkWorkersLabel labels the group adding up n link workers.
func OtherLinkWorkersLabel(n int) string { return othersLabel(n, "link worker") }

// ONS4ItemKeys name ONS4's four items in their order, as the summary's
// figures of each are keyed.
var ONS4ItemKeys = [4]string{"life_satisfaction", "worthwhile", "happiness", "anxiety"}

// Key identifies the figures among a summary's: the instrument, and the
// item for an item's ("ons4-anxiety").
func (c InstrumentChange) Key() string {
	if c.Item == "" {
		return string(c.Instrument)
	}
	return string(c.Instrument) + "-" + c.Item
}

// OutcomeSummary is a service's outcome figures.
type OutcomeSummary struct {
	// Filter is the period counted, in whole months (WholeMonths).
	Filter OutcomeFilter
	// Exact: the reader is one of the service's own staff and sees every
	// figure; otherwise small numbers are suppressed.
	Exact bool
	// Instruments are the figures of each instrument (and each ONS4
	// item) that anyone has a first and a later score or answer of, in
	// the order of Instruments, ONS4's items in theirs.
	Instruments []InstrumentChange
}

// Suppress hides the small numbers of every group, for a reader outside
// the service, and marks the summary not Exact.
func (s *OutcomeSummary) Suppress() {
	s.Exact = false
	for i := range s.Instruments {
		in := &s.Instruments[i]
		in.All.suppress()
		suppressGroups(in.ByAgeBand)
		suppressGroups(in.ByPathway)
		suppressGroups(in.ByLinkWorker)
	}
}

// OutcomeSummaryService adds up outcome measures for a service.
type OutcomeSummaryService interface {
	// OutcomeSummary returns the figures of the services the actor may
	// see them for (their own service for a coordinator, the services
	// it funds for a commissioner), suppressed for readers outside the
	// service. EFORBIDDEN for anyone else; EINVALID, naming the field,
	// for a period that ends before it starts.
	OutcomeSummary(ctx context.Context, f OutcomeFilter) (*OutcomeSummary, error)
}

// t975 are the 97.5th percentiles of Student's t distribution with 1 to
// 30 degrees of freedom, to nine decimals.
var t975 = [...]float64{
	12.706204736, 4.302652730, 3.182446305, 2.776445105, 2.570581836,
	2.446911851, 2.364624252, 2.306004135, 2.262157163, 2.228138852,
	2.200985160, 2.178812830, 2.160368656, 2.144786688, 2.131449546,
	2.119905299, 2.109815578, 2.100922040, 2.093024054, 2.085963447,
	2.079613845, 2.073873068, 2.068657610, 2.063898562, 2.059538553,
	2.055529439, 2.051830516, 2.048407142, 2.045229642, 2.042272456,
}

// TCritical95 is the two-sided 95% critical value of Student's t with df
// degrees of freedom: from the table up to 30, and beyond it from the
// Cornish-Fisher expansion about the normal's 1.959964, which is within
// 0.00001 of the exact value from 30 on.
func TCritical95(df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	if df <= len(t975) {
		return t975[df-1]
	}
	z, v := 1.959963985, float64(df)
	z3, z5, z7, z9 := z*z*z, math.Pow(z, 5), math.Pow(z, 7), math.Pow(z, 9)
	return z + (z3+z)/(4*v) + (5*z5+16*z3+3*z)/(96*v*v) + (3*z7+19*z5+17*z3-15*z)/(384*v*v*v) +
		(79*z9+776*z7+1482*z5-1920*z3-945*z)/(92160*v*v*v*v)
}
