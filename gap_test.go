package linkwork_test

import (
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestGapValidateNamesEachField(t *testing.T) {
	good := func() linkwork.Gap {
		return linkwork.Gap{CaseID: "c1", Category: linkwork.CategorySports, Wanted: "Girls' football", Missing: linkwork.GapNoneNearby}
	}
	tests := map[string]struct {
		change func(*linkwork.Gap)
		field  string
	}{
		"a complete gap is accepted":        {func(*linkwork.Gap) {}, ""},
		"a gap needs its case":              {func(g *linkwork.Gap) { g.CaseID = " " }, "case_id"},
		"a gap needs a category":            {func(g *linkwork.Gap) { g.Category = "" }, "category"},
		"an unknown category is refused":    {func(g *linkwork.Gap) { g.Category = "knitting" }, "category"},
		"a gap says what was wanted":        {func(g *linkwork.Gap) { g.Wanted = "  " }, "wanted"},
		"what was wanted is a line of text": {func(g *linkwork.Gap) { g.Wanted = string(make([]byte, linkwork.MaxShortText+1)) }, "wanted"},
		"a gap says what was missing":       {func(g *linkwork.Gap) { g.Missing = "" }, "missing"},
		"an unknown reason is refused":      {func(g *linkwork.Gap) { g.Missing = "weather" }, "missing"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			g := good()
			tt.change(&g)
			before := g
			err := g.Validate()
			if g != before {
				t.Error("Validate changed the gap")
			}
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if p := linkwork.Problems(linkwork.ErrorFields(err)); linkwork.ErrorCode(err) != linkwork.EINVALID || !p.Has(tt.field) {
				t.Fatalf("Validate = %v, want a problem with %s", err, tt.field)
			}
		})
	}
}

func TestAgeBandOnAndDistrictCarryNoIdentity(t *testing.T) {
	today := linkwork.Date{Year: 2026, Month: 6, Day: 1}
	tests := map[string]struct {
		dob  linkwork.Date
		want string
	}{
		"a 14-year-old is 13 to 15":          {linkwork.Date{Year: 2012, Month: 1, Day: 1}, "13-15"},
		"on their 16th birthday, 16 and 17":  {linkwork.Date{Year: 2010, Month: 6, Day: 1}, "16-17"},
		"the day before, still 13 to 15":     {linkwork.Date{Year: 2010, Month: 6, Day: 2}, "13-15"},
		"a 30-year-old is 26 and over":       {linkwork.Date{Year: 1996, Month: 1, Day: 1}, "26-plus"},
		"no date of birth gives no age band": {linkwork.Date{}, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			if got := linkwork.AgeBandOn(tt.dob, today); got != tt.want {
				t.Errorf("AgeBandOn = %q, want %q", got, tt.want)
			}
		})
	}
	for in, want := range map[string]string{"s1 2hh": "S1", "SW1A 1AA": "SW1A", "S1": "S1", "not a postcode": "", "": ""} {
		if got := linkwork.PostcodeDistrict(in); got != want {
			t.Errorf("PostcodeDistrict(%q) = %q, want %q", in, got, want)
		}
	}
}
