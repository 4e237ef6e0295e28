package linkwork_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// fields returns the fields an error names.
func fields(err error) []string {
	var out []string
	for _, f := range linkwork.ErrorFields(err) {
		out = append(out, f.Field)
	}
	return out
}

func TestServiceSettingsValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(s *linkwork.ServiceSettings)
		fields []string // nil: valid
	}{
		{"the defaults are valid", func(s *linkwork.ServiceSettings) {}, nil},
		{"an age range", func(s *linkwork.ServiceSettings) { s.MinAge, s.MaxAge = 13, 25 }, nil},
		{"one age the same at both ends", func(s *linkwork.ServiceSettings) { s.MinAge, s.MaxAge = 16, 16 }, nil},
		{"a negative youngest age", func(s *linkwork.ServiceSettings) { s.MinAge = -1 }, []string{"min_age"}},
		{"an oldest age past 120", func(s *linkwork.ServiceSettings) { s.MaxAge = 121 }, []string{"max_age"}},
		{"the ages the wrong way round", func(s *linkwork.ServiceSettings) { s.MinAge, s.MaxAge = 25, 13 }, []string{"max_age"}},
		{"a pathway that does not exist", func(s *linkwork.ServiceSettings) { s.Pathways = []linkwork.Pathway{linkwork.PathwayGP, "fax"} }, []string{"pathways"}},
		{"areas and districts", func(s *linkwork.ServiceSettings) { s.Areas = []string{"LS", "ls9", "S1", "SW1A", "M14"} }, nil},
		{"a full postcode is not an area", func(s *linkwork.ServiceSettings) { s.Areas = []string{"LS9 1AA"} }, []string{"areas"}},
		{"digits first is not an area", func(s *linkwork.ServiceSettings) { s.Areas = []string{"9LS"} }, []string{"areas"}},
		{"three letters is not an area", func(s *linkwork.ServiceSettings) { s.Areas = []string{"ABC"} }, []string{"areas"}},
		{"an empty area", func(s *linkwork.ServiceSettings) { s.Areas = []string{" "} }, []string{"areas"}},
		{"no red criteria (blank lines do not count)", func(s *linkwork.ServiceSettings) { s.Red = []string{" ", ""} }, []string{"red"}},
		{"no amber criteria", func(s *linkwork.ServiceSettings) { s.Amber = nil }, []string{"amber"}},
		{"no green criteria", func(s *linkwork.ServiceSettings) { s.Green = nil }, []string{"green"}},
		{"no crisis advice", func(s *linkwork.ServiceSettings) { s.CrisisAdvice = "  " }, []string{"crisis_advice"}},
		{"a contact too long", func(s *linkwork.ServiceSettings) { s.Contact = strings.Repeat("x", 2001) }, []string{"contact"}},
		{"crisis advice too long", func(s *linkwork.ServiceSettings) { s.CrisisAdvice = strings.Repeat("x", 2001) }, []string{"crisis_advice"}},
		{"a criterion too long", func(s *linkwork.ServiceSettings) { s.Amber = []string{"ok", strings.Repeat("x", 201)} }, []string{"amber"}},
		{"a criterion with a zero byte", func(s *linkwork.ServiceSettings) { s.Green = []string{"lonely\x00"} }, []string{"green"}},
		{"an area that is not UTF-8", func(s *linkwork.ServiceSettings) { s.Areas = []string{"LS\xff"} }, []string{"areas"}},
		{"listings checked every month", func(s *linkwork.ServiceSettings) { s.ListingRecheckMonths = 1 }, nil},
		{"listings checked every two years", func(s *linkwork.ServiceSettings) { s.ListingRecheckMonths = 24 }, nil},
		{"listings never checked", func(s *linkwork.ServiceSettings) { s.ListingRecheckMonths = 0 }, []string{"listing_recheck_months"}},
		{"listings checked less than every two years", func(s *linkwork.ServiceSettings) { s.ListingRecheckMonths = 25 }, []string{"listing_recheck_months"}},
		{"every problem at once", func(s *linkwork.ServiceSettings) {
			s.MinAge, s.Pathways, s.Areas, s.Red, s.Amber, s.Green, s.CrisisAdvice = 200, []linkwork.Pathway{"x"}, []string{"1"}, nil, nil, nil, ""
		}, []string{"min_age", "pathways", "areas", "red", "amber", "green", "crisis_advice"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := linkwork.DefaultServiceSettings("svc")
			tt.edit(s)
			err := s.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if linkwork.ErrorCode(err) != linkwork.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			got := fields(err)
			for _, f := range tt.fields {
				if !slices.Contains(got, f) {
					t.Errorf("fields %v do not name %q", got, f)
				}
			}
		})
	}
	t.Run("areas and criteria are tidied", func(t *testing.T) {
		s := linkwork.DefaultServiceSettings("svc")
		s.Areas = []string{" ls 9", "s1"}
		s.Red = []string{"  In crisis  ", "", "Needs CAMHS"}
		if err := s.Validate(); err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(s.Areas, []string{"LS9", "S1"}) || !slices.Equal(s.Red, []string{"In crisis", "Needs CAMHS"}) {
			t.Fatalf("areas %q, red %q", s.Areas, s.Red)
		}
	})
	t.Run("the defaults are copies", func(t *testing.T) {
		s := linkwork.DefaultServiceSettings("svc")
		s.Red[0] = "changed"
		if linkwork.DefaultRed[0] == "changed" {
			t.Fatal("changing one service's settings changed the defaults")
		}
	})
}

func TestCoversPostcode(t *testing.T) {
	tests := []struct {
		areas    []string
		postcode string
		want     bool
	}{
		{nil, "anything at all", true},
		{[]string{"LS"}, "LS9 1AA", true},
		{[]string{"LS"}, "ls12 3ab", true},
		{[]string{"LS"}, "L1 8JQ", false}, // Liverpool is not Leeds
		{[]string{"LS"}, "S1 2HH", false},
		{[]string{"LS1"}, "LS1 4AP", true},
		{[]string{"LS1"}, "LS12 3AB", false}, // a district is not a prefix
		{[]string{"LS12"}, "LS12 3AB", true},
		{[]string{"SW1A"}, "SW1A 1AA", true},
		{[]string{"SW"}, "SW1A 1AA", true},
		{[]string{"S"}, "SW1A 1AA", false},
		{[]string{"S1", "M14"}, "M14 5RA", true},
		{[]string{"LS"}, "LS9", true}, // a district on its own
		{[]string{"LS"}, "not a postcode", false},
		{[]string{"LS"}, "", false},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.areas, ",")+" "+tt.postcode, func(t *testing.T) {
			s := &linkwork.ServiceSettings{Areas: tt.areas}
			if got := s.CoversPostcode(tt.postcode); got != tt.want {
				t.Fatalf("CoversPostcode = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEligibility(t *testing.T) {
	today := linkwork.Date{Year: 2026, Month: 3, Day: 10}
	aged := func(years int) linkwork.Date { return linkwork.Date{Year: 2026 - years, Month: 1, Day: 1} }
	youth := &linkwork.ServiceSettings{MinAge: 13, MaxAge: 25, Areas: []string{"LS"}, PracticeIDs: []string{"gp1"}, Pathways: []linkwork.Pathway{linkwork.PathwayGP, linkwork.PathwaySelf}}
	type want struct {
		rule        string
		ok, unknown bool
		reason      string // a part of the reason
	}
	tests := []struct {
		name     string
		s        *linkwork.ServiceSettings
		r        linkwork.Referral
		p        *linkwork.Person
		eligible bool
		want     []want
	}{
		{"no limits: only age and pathway are said", linkwork.DefaultServiceSettings("svc"),
			linkwork.Referral{Pathway: linkwork.PathwayHub}, &linkwork.Person{}, true,
			[]want{{"age", true, false, "any age"}, {"pathway", true, false, "Hub walk-in or phone referrals are accepted"}}},
		{"everything met", youth,
			linkwork.Referral{Pathway: linkwork.PathwayGP, GPPracticeOrgID: "gp1"}, &linkwork.Person{DateOfBirth: aged(16), Postcode: "LS9 1AA"}, true,
			[]want{{"age", true, false, "Aged 16: within 13 to 25"}, {"area", true, false, "LS9 1AA is in the area"}, {"practice", true, false, "Riverside Surgery is covered"}, {"pathway", true, false, "accepted"}}},
		{"too young", youth,
			linkwork.Referral{Pathway: linkwork.PathwayGP, GPPracticeOrgID: "gp1"}, &linkwork.Person{DateOfBirth: aged(12), Postcode: "LS9 1AA"}, false,
			[]want{{"age", false, false, "Aged 12: the service is for ages 13 to 25"}}},
		{"too old", youth,
			linkwork.Referral{Pathway: linkwork.PathwayGP, GPPracticeOrgID: "gp1"}, &linkwork.Person{DateOfBirth: aged(26), Postcode: "LS9 1AA"}, false,
			[]want{{"age", false, false, "Aged 26"}}},
		{"outside the area, another practice, a pathway not taken", youth,
			linkwork.Referral{Pathway: linkwork.PathwaySchool, GPPracticeOrgID: "gp2"}, &linkwork.Person{DateOfBirth: aged(16), Postcode: "S1 2HH"}, false,
			[]want{{"area", false, false, "S1 2HH is outside the area covered (LS)"}, {"practice", false, false, "Riverside Surgery is not one of"}, {"pathway", false, false, "does not take school referrals"}}},
		{"unknowns do not fail", youth,
			linkwork.Referral{Pathway: linkwork.PathwaySelf}, &linkwork.Person{}, true,
			[]want{{"age", false, true, "No date of birth: check the age is 13 to 25"}, {"area", false, true, "No postcode"}, {"practice", false, true, "GP practice not given"}, {"pathway", true, false, "Self-referral referrals are accepted"}}},
		{"no person at all is unknown", &linkwork.ServiceSettings{MinAge: 18, Areas: []string{"LS"}},
			linkwork.Referral{Pathway: linkwork.PathwayGP}, nil, true,
			[]want{{"age", false, true, "18 and over"}, {"area", false, true, "No postcode"}}},
		{"an upper bound only", &linkwork.ServiceSettings{MaxAge: 18},
			linkwork.Referral{Pathway: linkwork.PathwayGP}, &linkwork.Person{DateOfBirth: aged(19)}, false,
			[]want{{"age", false, false, "18 and under"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checks := tt.s.Eligibility(&tt.r, tt.p, today, "Riverside Surgery", nil)
			if got := linkwork.Eligible(checks); got != tt.eligible {
				t.Errorf("Eligible = %v, want %v (%+v)", got, tt.eligible, checks)
			}
			for _, w := range tt.want {
				i := slices.IndexFunc(checks, func(c linkwork.EligibilityCheck) bool { return c.Rule == w.rule })
				if i < 0 {
					t.Errorf("no %s check in %+v", w.rule, checks)
					continue
				}
				c := checks[i]
				if c.OK != w.ok || c.Unknown != w.unknown || !strings.Contains(c.Reason, w.reason) {
					t.Errorf("%s check %+v, want ok %v unknown %v reason containing %q", w.rule, c, w.ok, w.unknown, w.reason)
				}
			}
		})
	}
	t.Run("the areas covered are named as places when a namer is given", func(t *testing.T) {
		place := func(code string) string { return "Leeds (" + code + ")" }
		s := &linkwork.ServiceSettings{Areas: []string{"LS"}}
		for _, tt := range []struct {
			postcode, reason string
		}{
			{"", "No postcode: check they live in Leeds (LS)"},
			{"S1 2HH", "S1 2HH is outside the area covered (Leeds (LS))"},
		} {
			checks := s.Eligibility(&linkwork.Referral{Pathway: linkwork.PathwayGP}, &linkwork.Person{Postcode: tt.postcode}, today, "", place)
			i := slices.IndexFunc(checks, func(c linkwork.EligibilityCheck) bool { return c.Rule == "area" })
			if i < 0 || checks[i].Reason != tt.reason {
				t.Errorf("postcode %q: checks %+v, want the area's reason %q", tt.postcode, checks, tt.reason)
			}
		}
	})
	t.Run("rules that do not apply are not listed", func(t *testing.T) {
		checks := linkwork.DefaultServiceSettings("svc").Eligibility(&linkwork.Referral{Pathway: linkwork.PathwayGP}, &linkwork.Person{}, today, "", nil)
		for _, c := range checks {
			if c.Rule == "area" || c.Rule == "practice" {
				t.Errorf("a service covering everywhere and every practice checked %s", c.Rule)
			}
		}
	})
}

// TestAgeBandBirths checks the dates of birth of each band against the
// ages people are on the day, for every day of birth over thirty years and
// days that include the 29th of February.
func TestAgeBandBirths(t *testing.T) {
	days := []linkwork.Date{
		{Year: 2026, Month: 3, Day: 10},
		{Year: 2024, Month: 2, Day: 29},
		{Year: 2025, Month: 2, Day: 28},
		{Year: 2025, Month: 3, Day: 1},
		{Year: 2025, Month: 12, Day: 31},
		{Year: 2026, Month: 1, Day: 1},
	}
	for _, today := range days {
		for _, b := range linkwork.AgeBands {
			from, to := b.Births(today)
			if b.Max == 0 && !from.IsZero() {
				t.Errorf("%s on %s: from %s, want no lower bound on the date of birth", b.Key, today, from)
			}
			for born := today.Time().AddDate(-30, 0, 0); !born.After(today.Time()); born = born.Add(24 * time.Hour) {
				dob := linkwork.DateOf(born)
				age := dob.AgeOn(today)
				want := age >= b.Min && (b.Max == 0 || age <= b.Max)
				got := !dob.Before(from) && !to.Before(dob)
				if from.IsZero() {
					got = !to.Before(dob)
				}
				if got != want {
					t.Fatalf("%s on %s: born %s (aged %d) in the band = %v, want %v (births %s to %s)", b.Key, today, dob, age, got, want, from, to)
				}
			}
		}
	}
	if _, ok := linkwork.FindAgeBand("13-15"); !ok {
		t.Error("FindAgeBand cannot find 13-15")
	}
	if _, ok := linkwork.FindAgeBand("13-25"); ok {
		t.Error("FindAgeBand found a band that does not exist")
	}
}

func TestExpectedWait(t *testing.T) {
	tests := []struct {
		position int
		perWeek  float64
		weeks    float64
		known    bool
		label    string
	}{
		{1, 2, 0.5, true, "about a week"},
		{2, 2, 1, true, "about a week"},
		{3, 2, 1.5, true, "about 2 weeks"},
		{10, 3, 3.4, true, "about 4 weeks"}, // rounded up to a tenth: never promise sooner
		{40, 1, 40, true, "about 9 months"},
		{65, 13.0 / 12, 60, true, "about 14 months"}, // a throughput from a count over 12 weeks
		{5, 0, 0, false, "not known yet"},            // nobody allocated recently
		{0, 2, 0, false, "not known yet"},
		{1, -1, 0, false, "not known yet"},
	}
	for _, tt := range tests {
		weeks, known := linkwork.ExpectedWait(tt.position, tt.perWeek)
		if weeks != tt.weeks || known != tt.known {
			t.Errorf("ExpectedWait(%d, %v) = %v, %v; want %v, %v", tt.position, tt.perWeek, weeks, known, tt.weeks, tt.known)
		}
		if got := linkwork.WaitLabel(weeks, known); got != tt.label {
			t.Errorf("WaitLabel(%v, %v) = %q, want %q", weeks, known, got, tt.label)
		}
	}
}

func TestAgeRangeAndAccepts(t *testing.T) {
	tests := []struct {
		min, max int
		want     string
	}{{0, 0, "any age"}, {13, 25, "13 to 25"}, {16, 0, "16 and over"}, {0, 18, "18 and under"}}
	for _, tt := range tests {
		s := &linkwork.ServiceSettings{MinAge: tt.min, MaxAge: tt.max}
		if got := s.AgeRange(); got != tt.want {
			t.Errorf("AgeRange(%d, %d) = %q, want %q", tt.min, tt.max, got, tt.want)
		}
	}
	all := &linkwork.ServiceSettings{}
	some := &linkwork.ServiceSettings{Pathways: []linkwork.Pathway{linkwork.PathwaySelf}}
	if !all.Accepts(linkwork.PathwayCAMHS) || !some.Accepts(linkwork.PathwaySelf) || some.Accepts(linkwork.PathwayFamily) {
		t.Error("Accepts: no pathways should accept every one; a list only those in it")
	}
}
