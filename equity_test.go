package linkwork_test

import (
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestEquityGroupOfCodesWhatIsRecorded(t *testing.T) {
	for _, c := range []struct {
		dim  linkwork.EquityDimension
		v    string
		want string
	}{
		{linkwork.EquityEthnicity, "White: English, Welsh, Scottish, Northern Irish or British", "white"},
		{linkwork.EquityEthnicity, "Gypsy or Irish Traveller", "white"},
		{linkwork.EquityEthnicity, "Mixed: White and Asian", "mixed"},
		{linkwork.EquityEthnicity, "Chinese", "asian"},
		{linkwork.EquityEthnicity, "Black, Black British, Caribbean or African: Caribbean", "black"},
		{linkwork.EquityEthnicity, "Arab", "other"},
		{linkwork.EquityEthnicity, "Prefer not to say", linkwork.GroupNotKnown},
		{linkwork.EquityEthnicity, "", linkwork.GroupNotKnown},
		{linkwork.EquityGender, "woman", "female"},
		{linkwork.EquityGender, "Boy", "male"},
		{linkwork.EquityGender, "non-binary", "another"},
		{linkwork.EquityGender, "genderfluid", "another"},
		{linkwork.EquityGender, "Prefer not to say", linkwork.GroupNotKnown},
		{linkwork.EquityAge, "0", "0-15"},
		{linkwork.EquityAge, "15", "0-15"},
		{linkwork.EquityAge, "16", "16-24"},
		{linkwork.EquityAge, "79", "65-79"},
		{linkwork.EquityAge, "103", "80+"},
		{linkwork.EquityAge, "", linkwork.GroupNotKnown},
		{linkwork.EquityAge, "-1", linkwork.GroupNotKnown},
		{linkwork.EquityDeprivation, "1", "1"},
		{linkwork.EquityDeprivation, "10", "10"},
		{linkwork.EquityDeprivation, "0", linkwork.GroupNotKnown},
		{linkwork.EquityDeprivation, "11", linkwork.GroupNotKnown},
	} {
		if got := linkwork.EquityGroupOf(c.dim, c.v); got != c.want {
			t.Errorf("EquityGroupOf(%s, %q) = %q, want %q", c.dim, c.v, got, c.want)
		}
	}
}

// TestAGapIsSaidInWordsOnlyWhenAGroupFallsWellShort: a group is
// under-reached when its share of the referrals whose group is known is
// under four-fifths of its population share; the not known are left out
// of the shares.
func TestAGapIsSaidInWordsOnlyWhenAGroupFallsWellShort(t *testing.T) {
	// 100 known (4 black, 80 white, 16 asian) and 20 not known.
	e := &linkwork.Equity{Exact: true, Tables: []linkwork.EquityTable{linkwork.NewEquityTable(linkwork.EquityEthnicity, map[string][4]int{
		"black": {4, 2, 1, 0}, "white": {80, 60, 40, 20}, "asian": {16, 10, 5, 2}, linkwork.GroupNotKnown: {20, 5, 2, 1},
	})}, Population: &linkwork.PopulationShares{Shares: map[linkwork.EquityDimension]map[string]float64{
		linkwork.EquityEthnicity: {"black": 9, "white": 85, "asian": 19.9},
	}}}
	e.Compare()
	gaps := e.Gaps()
	if len(gaps) != 1 || gaps[0] != "Black people are 9% of the area's population but 4% of referrals." {
		t.Errorf("gaps %q", gaps)
	}
	// Asian 16% is not under four-fifths of 19.9% (15.9%); white 80% is
	// not under 68%; mixed has no population share.
	for _, r := range e.Tables[0].Rows {
		if r.Group.Key != "black" && r.UnderReached {
			t.Errorf("%s is under-reached: %+v", r.Group.Key, r)
		}
	}
}

func TestPopulationSharesNameEachBadField(t *testing.T) {
	p := linkwork.PopulationShares{Shares: map[linkwork.EquityDimension]map[string]float64{
		linkwork.EquityEthnicity:   {"white": 100.5, "black": 2},
		linkwork.EquityDeprivation: {"1": -0.1},
	}}
	fields := map[string]bool{}
	for _, f := range linkwork.ErrorFields(p.Validate()) {
		fields[f.Field] = true
	}
	if len(fields) != 2 || !fields["shares.ethnicity.white"] || !fields["shares.deprivation.1"] {
		t.Errorf("fields %v", fields)
	}
	ok := linkwork.PopulationShares{Shares: map[linkwork.EquityDimension]map[string]float64{linkwork.EquityGender: {"female": 50.3, "male": 49.7}}}
	if err := ok.Validate(); err != nil {
		t.Errorf("shares adding up to 100: %v", err)
	}
}
