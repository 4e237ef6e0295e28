package linkwork

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"
)

// Equity: who a service reaches and who it does not. Social prescribing
// misses whole groups of people (white patients are over-represented;
// few children are referred), and a service sees it by setting its
// referrals, and how far they went, beside the local population: by
// ethnic group, age band, gender and how deprived the area a person lives
// in is (the English Index of Multiple Deprivation 2019 decile of their
// LSOA). The population's shares are the service's to enter, from the
// census or its commissioner's needs assessment. A group whose share of
// the referrals falls well short of its share of the population is
// under-reached, and the gap is said in words.

// EquityDimension is a way of dividing people into groups.
type EquityDimension string

// The equity table's dimensions.
const (
	EquityEthnicity   EquityDimension = "ethnicity"
	EquityAge         EquityDimension = "age"
	EquityGender      EquityDimension = "gender"
	EquityDeprivation EquityDimension = "deprivation"
)

// EquityDimensions are the dimensions in the order the table shows them.
var EquityDimensions = []EquityDimension{EquityEthnicity, EquityAge, EquityGender, EquityDeprivation}

// GroupNotKnown is the group of a person whose ethnicity, age, gender or
// area is not recorded (or, for an area, not in the index). It has no
// population share, and referrals in it are left out of the shares.
const GroupNotKnown = "not_known"

// EquityGroup is one group of a dimension: its key, its label for a table
// and who its people are in a sentence ("Black people").
type EquityGroup struct {
	Key, Label, Who string
}

// Label is the dimension's name, for a heading.
func (d EquityDimension) Label() string {
	switch d {
	case EquityEthnicity:
		return "Ethnic group"
	case EquityAge:
		return "Age band"
	case EquityGender:
		return "Gender"
	case EquityDeprivation:
		return "Deprivation (IMD 2019 decile of the area lived in)"
	}
	return string(d)
}

// Valid reports whether d is one of the equity table's dimensions.
func (d EquityDimension) Valid() bool {
	for _, x := range EquityDimensions {
		if x == d {
			return true
		}
	}
	return false
}

// Groups are the dimension's groups in order, the group not known last.
func (d EquityDimension) Groups() []EquityGroup {
	var out []EquityGroup
	switch d {
	case EquityEthnicity:
		// The 2021 census's five high-level groups, which local population
		// figures come in.
		out = []EquityGroup{
			{"white", "White", "White people"},
			{"mixed", "Mixed or multiple ethnic groups", "People of mixed or multiple ethnic groups"},
			{"asian", "Asian or Asian British", "Asian people"},
			{"black", "Black, Black British, Caribbean or African", "Black people"},
			{"other", "Other ethnic group", "People of another ethnic group"},
		}
	case EquityAge:
		for _, b := range EquityAgeBands {
			who := "People aged " + strconv.Itoa(b.Min) + " to " + strconv.Itoa(b.Max)
			if b.Max == 0 {
				who = "People aged " + strconv.Itoa(b.Min) + " and over"
			} else if b.Max < 16 {
				who = "Children aged " + strconv.Itoa(b.Min) + " to " + strconv.Itoa(b.Max)
			}
			out = append(out, EquityGroup{b.Key, b.Key, who})
		}
	case EquityGender:
		out = []EquityGroup{
			{"female", "Female", "Women and girls"},
			{"male", "Male", "Men and boys"},
			{"another", "Non-binary or another gender", "People who are non-binary or of another gender"},
		}
	case EquityDeprivation:
		for i := 1; i <= 10; i++ {
			n := strconv.Itoa(i)
			label, who := "Decile "+n, "People living in decile "+n+" areas"
			switch i {
			case 1:
				label, who = "Decile 1 (most deprived)", "People living in the most deprived tenth of areas"
			case 10:
				label, who = "Decile 10 (least deprived)", "People living in the least deprived tenth of areas"
			}
			out = append(out, EquityGroup{n, label, who})
		}
	}
	return append(out, EquityGroup{GroupNotKnown, "Not known", "People whose group is not known"})
}

// EquityAgeBand is an age band of the equity table, in whole years on the
// day a referral was received; Max 0 means no upper bound.
type EquityAgeBand struct {
	Key      string
	Min, Max int
}

// EquityAgeBands are the equity table's age bands: children apart, then
// the bands local population estimates are usually given in.
var EquityAgeBands = []EquityAgeBand{
	{"0-15", 0, 15}, {"16-24", 16, 24}, {"25-34", 25, 34}, {"35-49", 35, 49},
	{"50-64", 50, 64}, {"65-79", 65, 79}, {"80+", 80, 0},
}

// EquityGroupOf is the group of a dimension that a referral's value as
// kept falls in: the ethnicity or gender as recorded (coded as the
// evaluation dataset codes them), the age in whole years ("" not known),
// the decile ("0" not known).
func EquityGroupOf(d EquityDimension, v string) string {
	switch d {
	case EquityEthnicity:
		return EthnicGroupOf(v)
	case EquityGender:
		switch GenderCode(v) {
		case "female":
			return "female"
		case "male":
			return "male"
		case "non_binary", "other":
			return "another"
		}
	case EquityAge:
		age, err := strconv.Atoi(strings.TrimSpace(v))
		if err == nil && age >= 0 {
			for _, b := range EquityAgeBands {
				if age >= b.Min && (b.Max == 0 || age <= b.Max) {
					return b.Key
				}
			}
		}
	case EquityDeprivation:
		if n, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && n >= 1 && n <= 10 {
			return strconv.Itoa(n)
		}
	}
	return GroupNotKnown
}

// EthnicGroupOf is the census high-level group of an ethnicity as
// recorded, through its NHS ethnic category code (EthnicCategoryCode).
// Chinese (R) is in the Asian group, as the 2021 census has it; not
// stated (Z) and not known (99) are not known.
func EthnicGroupOf(s string) string {
	switch EthnicCategoryCode(s) {
	case "A", "B", "C":
		return "white"
	case "D", "E", "F", "G":
		return "mixed"
	case "H", "J", "K", "L", "R":
		return "asian"
	case "M", "N", "P":
		return "black"
	case "S":
		return "other"
	}
	return GroupNotKnown
}

// PopulationShares are the shares of the service's local population in
// each group, in per cent, as the service entered them: a dimension's
// groups need not all be entered (a group left out has no share to set
// beside it), and the group not known has none.
type PopulationShares struct {
	ServiceOrgID string
	// Source says where the figures come from ("Census 2021, Leeds").
	Source string
	Shares map[EquityDimension]map[string]float64
	// Version is the saved version; a save names the one it changes
	// (0 for the first).
	Version   int
	UpdatedAt time.Time
	UpdatedBy string
}

// Share is a group's share, and whether one was entered.
func (p *PopulationShares) Share(d EquityDimension, group string) (float64, bool) {
	if p == nil {
		return 0, false
	}
	v, ok := p.Shares[d][group]
	return v, ok
}

// PopulationShareField is the field that names a group's share, as the
// API and the form name it: "shares.ethnicity.black".
func PopulationShareField(d EquityDimension, group string) string {
	return "shares." + string(d) + "." + group
}

// Validate reports every problem with the shares at once, naming each
// field: a share under 0 or over 100, or not a number; a group or
// dimension the table does not have; a dimension whose shares add up to
// more than 100 (to within rounding: 100.5); a source too long.
func (p PopulationShares) Validate() error {
	var pr Problems
	for d, groups := range p.Shares {
		if !d.Valid() {
			pr.Addf("shares."+string(d), "%q is not a dimension of the equity table: use ethnicity, age, gender or deprivation", string(d))
			continue
		}
		known := map[string]bool{}
		for _, g := range d.Groups() {
			if g.Key != GroupNotKnown {
				known[g.Key] = true
			}
		}
		sum := 0.0
		for _, g := range d.Groups() {
			v, ok := groups[g.Key]
			if !ok {
				continue
			}
			field := PopulationShareField(d, g.Key)
			switch {
			case g.Key == GroupNotKnown:
				pr.Add(field, "A population share cannot be entered for people whose group is not known")
			case math.IsNaN(v) || math.IsInf(v, 0):
				pr.Add(field, "Enter the share as a number of per cent, like 9.5")
			case v < 0 || v > 100:
				pr.Add(field, "The share must be between 0 and 100 per cent")
			default:
				sum += v
			}
		}
		for g := range groups {
			if !known[g] && g != GroupNotKnown {
				pr.Addf(PopulationShareField(d, g), "%q is not a group of %s", g, strings.ToLower(d.Label()))
			}
		}
		if sum > 100.5 {
			pr.Addf("shares."+string(d), "The %s shares add up to %s%%: they can add up to 100%% at most", strings.ToLower(d.Label()), strconv.FormatFloat(math.Round(sum*10)/10, 'f', -1, 64))
		}
	}
	pr.Text("source", p.Source, MaxShortText)
	return pr.Err()
}

// Normalised is the shares with the source trimmed and each share rounded
// to a tenth of a per cent, and no empty dimension.
func (p PopulationShares) Normalised() PopulationShares {
	out := p
	out.Source = strings.TrimSpace(p.Source)
	out.Shares = map[EquityDimension]map[string]float64{}
	for d, groups := range p.Shares {
		if len(groups) == 0 {
			continue
		}
		m := map[string]float64{}
		for g, v := range groups {
			m[g] = math.Round(v*10) / 10
		}
		out.Shares[d] = m
	}
	return out
}

// UnderReachedRatio is how far short of its population share a group's
// share of referrals must fall to be under-reached: under four-fifths of
// it.
const UnderReachedRatio = 0.8

// EquityRow is one group's referrals and how far they went.
type EquityRow struct {
	Group EquityGroup
	// Referrals received; of them, Accepted (a case opened), Engaged (a
	// first session attended) and ClosedWell (closed with goals met or
	// connected).
	Referrals, Accepted, Engaged, ClosedWell Figure
	// ReferralShare is the group's share of the referrals whose group is
	// known, in per cent; ShareHidden when its count is hidden.
	ReferralShare float64
	ShareHidden   bool
	// PopulationShare is the group's share of the local population, when
	// HasPopulation.
	PopulationShare float64
	HasPopulation   bool
	// UnderReached: the group's share of referrals is under
	// UnderReachedRatio of its share of the population. Gap says it in
	// words.
	UnderReached bool
	Gap          string
}

// EquityTable is the referrals divided by one dimension.
type EquityTable struct {
	Dimension EquityDimension
	Rows      []EquityRow
	// Total is every referral in the table (the same for every
	// dimension); Known those whose group is known.
	Total, Accepted, Engaged, ClosedWell Figure
	Known                                Figure
	// SharesOfAll: the shares are of every referral, not of those whose
	// group is known, because the number not known is hidden from the
	// reader (the known would give it away).
	SharesOfAll bool
}

// base is the number the shares are of.
func (t *EquityTable) base() Figure {
	if t.SharesOfAll {
		return t.Total
	}
	return t.Known
}

// Equity is a service's referrals over a period divided by ethnic group,
// age band, gender and deprivation, beside the local population.
type Equity struct {
	Filter   ReportFilter
	From, To Date
	// Exact: the reader is one of the service's own staff; otherwise
	// small numbers are suppressed.
	Exact  bool
	Tables []EquityTable
	// Population is the local population's shares, when the figures are
	// one service's and it has entered them.
	Population *PopulationShares
}

// Table is the equity table of a dimension; nil when there is none.
func (e *Equity) Table(d EquityDimension) *EquityTable {
	for i := range e.Tables {
		if e.Tables[i].Dimension == d {
			return &e.Tables[i]
		}
	}
	return nil
}

// Gaps are the under-reached groups' gaps in words, every dimension's.
func (e *Equity) Gaps() []string {
	var out []string
	for _, t := range e.Tables {
		for _, r := range t.Rows {
			if r.UnderReached {
				out = append(out, r.Gap)
			}
		}
	}
	return out
}

// NewEquityTable makes a dimension's table from each group's counts
// (keyed by group; a group without any has a row of noughts).
func NewEquityTable(d EquityDimension, counts map[string][4]int) EquityTable {
	t := EquityTable{Dimension: d}
	for _, g := range d.Groups() {
		c := counts[g.Key]
		t.Rows = append(t.Rows, EquityRow{Group: g, Referrals: Figure{N: c[0]}, Accepted: Figure{N: c[1]}, Engaged: Figure{N: c[2]}, ClosedWell: Figure{N: c[3]}})
		t.Total.N += c[0]
		t.Accepted.N += c[1]
		t.Engaged.N += c[2]
		t.ClosedWell.N += c[3]
		if g.Key != GroupNotKnown {
			t.Known.N += c[0]
		}
	}
	return t
}

// Compare fills each row's share of the referrals, sets it beside the
// population's share, and marks and words the groups under-reached.
// Call it after Suppress, when the reader's figures are final.
func (e *Equity) Compare() {
	for i := range e.Tables {
		t := &e.Tables[i]
		t.SharesOfAll = t.Known.Hidden != Shown
		base := t.base()
		for j := range t.Rows {
			r := &t.Rows[j]
			r.ReferralShare, r.ShareHidden, r.UnderReached, r.Gap = 0, false, false, ""
			r.PopulationShare, r.HasPopulation = e.Population.Share(t.Dimension, r.Group.Key)
			if r.Group.Key == GroupNotKnown {
				// Not part of the shares, which are of the known: no share.
				r.HasPopulation = false
				if !t.SharesOfAll {
					continue
				}
			}
			r.ShareHidden = r.Referrals.Hidden != Shown || base.Hidden != Shown
			if !r.ShareHidden && base.N > 0 {
				r.ReferralShare = 100 * float64(r.Referrals.N) / float64(base.N)
			}
			if r.Group.Key == GroupNotKnown || !r.HasPopulation || r.PopulationShare <= 0 || base.Hidden != Shown || base.N == 0 {
				continue
			}
			switch {
			case !r.ShareHidden:
				r.UnderReached = r.ReferralShare < UnderReachedRatio*r.PopulationShare
				if r.UnderReached {
					r.Gap = r.Group.Who + " are " + Percent(r.PopulationShare) + " of the area's population but " + Percent(r.ReferralShare) + " of referrals."
				}
			case r.Referrals.Hidden == Small:
				// Fewer than SmallNumber referrals: the reader knows that
				// much, and it is under-reached if even SmallNumber would be.
				if 100*float64(SmallNumber)/float64(base.N) < UnderReachedRatio*r.PopulationShare {
					r.UnderReached = true
					r.Gap = r.Group.Who + " are " + Percent(r.PopulationShare) + " of the area's population but fewer than " + strconv.Itoa(SmallNumber) + " of the " + strconv.Itoa(base.N) + " referrals."
				}
			}
		}
	}
}

// Suppress hides the small numbers for a reader outside the service, and
// marks the figures not Exact: in each table, each column's counts under
// SmallNumber, and more withheld so that a hidden one cannot be worked
// out from the column's total (SuppressRows); the referrals whose group
// is known are a total shown beside the not known, so are suppressed
// with them.
func (e *Equity) Suppress() {
	e.Exact = false
	for i := range e.Tables {
		t := &e.Tables[i]
		for _, col := range []struct {
			total *Figure
			cell  func(r *EquityRow) *Figure
		}{
			{&t.Total, func(r *EquityRow) *Figure { return &r.Referrals }},
			{&t.Accepted, func(r *EquityRow) *Figure { return &r.Accepted }},
			{&t.Engaged, func(r *EquityRow) *Figure { return &r.Engaged }},
			{&t.ClosedWell, func(r *EquityRow) *Figure { return &r.ClosedWell }},
		} {
			hideSmall(col.total)
			rows := make([]CountRow, len(t.Rows))
			for j := range t.Rows {
				rows[j].Count = *col.cell(&t.Rows[j])
			}
			SuppressRows(rows, *col.total)
			for j := range t.Rows {
				*col.cell(&t.Rows[j]) = rows[j].Count
			}
		}
		// The known are the total less the not known: hidden with it.
		hideSmall(&t.Known)
		if n := len(t.Rows); n > 0 && t.Rows[n-1].Referrals.Hidden != Shown && t.Known.Hidden == Shown {
			t.Known = Figure{Hidden: Withheld}
		}
	}
}

// EquityService adds up a service's referrals by group, and holds the
// local population's shares.
type EquityService interface {
	// Equity returns the equity tables of the services the actor reads
	// figures for (the dashboard's readers: their own service for a
	// coordinator, those it funds for a commissioner), suppressed for
	// readers outside the service, with the population's shares when
	// the figures are one service's. EFORBIDDEN for anyone else;
	// EINVALID, naming the field, for a filter that does not validate.
	Equity(ctx context.Context, f ReportFilter) (*Equity, error)
	// PopulationShares returns the shares a service entered (none yet:
	// empty, Version 0). ENOTFOUND for a service the actor may not
	// configure.
	PopulationShares(ctx context.Context, serviceOrgID string) (*PopulationShares, error)
	// SavePopulationShares replaces a service's shares, for its own
	// coordinators: EFORBIDDEN otherwise, EINVALID naming each field,
	// ECONFLICT when Version is not the saved one.
	SavePopulationShares(ctx context.Context, p *PopulationShares) error
}
