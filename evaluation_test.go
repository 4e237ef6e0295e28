package linkwork_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// codesOf are the codes the data dictionary lists for a column.
func codesOf(t *testing.T, column string) []string {
	t.Helper()
	for _, c := range linkwork.EvaluationColumns() {
		if c.Name == column {
			var out []string
			for _, code := range c.Codes {
				out = append(out, code.Code)
			}
			return out
		}
	}
	t.Fatalf("the dictionary has no column %s", column)
	return nil
}

func TestGenderIsCodedFromThePersonsWords(t *testing.T) {
	for words, want := range map[string]string{
		"Female": "female", " woman ": "female", "MALE": "male", "Non-binary": "non_binary", "non binary": "non_binary",
		"Prefer not to say": "not_stated", "": "", "  ": "", "Genderfluid": "other", "Agender, she/they": "other",
	} {
		if got := linkwork.GenderCode(words); got != want {
			t.Errorf("GenderCode(%q) = %q, want %q", words, got, want)
		}
	}
}

func TestEthnicityIsCodedAsAnNHSEthnicCategory(t *testing.T) {
	for words, want := range map[string]string{
		"White: English, Welsh, Scottish, Northern Irish or British": "A",
		"White: Irish":                                          "B",
		"White: Gypsy or Irish Traveller":                       "C",
		"White: other White background":                         "C",
		"Mixed: White and Black Caribbean":                      "D",
		"Mixed: White and Asian":                                "F",
		"Asian or Asian British: Pakistani":                     "J",
		"Asian or Asian British: Indian":                        "H",
		"Asian or Asian British: Bangladeshi":                   "K",
		"Asian or Asian British: Chinese":                       "R",
		"Black, Black British, Caribbean or African: African":   "N",
		"Black, Black British, Caribbean or African: Caribbean": "M",
		"Other ethnic group: Arab":                              "S",
		"Prefer not to say":                                     "Z",
		"":                                                      "99",
		"Yorkshire":                                             "99",
	} {
		if got := linkwork.EthnicCategoryCode(words); got != want {
			t.Errorf("EthnicCategoryCode(%q) = %q, want %q", words, got, want)
		}
	}
}

func TestEvaluationAgeBandsAreAgesWhenReferred(t *testing.T) {
	dob := linkwork.Date{Year: 2010, Month: 5, Day: 14}
	for on, want := range map[linkwork.Date]string{
		{Year: 2023, Month: 5, Day: 13}: "0-12", {Year: 2023, Month: 5, Day: 14}: "13-15", {Year: 2028, Month: 5, Day: 14}: "18-25",
		{Year: 2095, Month: 5, Day: 14}: "85+",
	} {
		if got := linkwork.EvaluationAgeBandOn(dob, on); got != want {
			t.Errorf("born %s, on %s: %q, want %q", dob, on, got, want)
		}
	}
	if got := linkwork.EvaluationAgeBandOn(linkwork.Date{}, linkwork.Date{Year: 2026, Month: 1, Day: 1}); got != "" {
		t.Errorf("no date of birth gives %q", got)
	}
}

func TestMonthsAreUKMonths(t *testing.T) {
	// Half past midnight on 1 June in London is still May in UTC.
	if got := linkwork.MonthOf(time.Date(2026, 5, 31, 23, 30, 0, 0, time.UTC)); got != "2026-06" {
		t.Errorf("MonthOf = %q, want 2026-06", got)
	}
	if got := linkwork.MonthOf(time.Time{}); got != "" {
		t.Errorf("MonthOf(zero) = %q", got)
	}
}

// FuzzEvaluationCodes: whatever words a person's gender or ethnicity was
// recorded in, the dataset holds one of the dictionary's codes, never the
// words.
func FuzzEvaluationCodes(f *testing.F) {
	for _, s := range []string{"Female", "White: Irish", "", "=cmd|' /C calc'!A0", "Asian\x00", "ÅÄÖ non-binary"} {
		f.Add(s)
	}
	genders, ethnic := codesOf(&testing.T{}, "gender"), codesOf(&testing.T{}, "ethnic_category")
	f.Fuzz(func(t *testing.T, s string) {
		if g := linkwork.GenderCode(s); !slices.Contains(genders, g) {
			t.Errorf("GenderCode(%q) = %q, not a code", s, g)
		}
		if e := linkwork.EthnicCategoryCode(s); !slices.Contains(ethnic, e) {
			t.Errorf("EthnicCategoryCode(%q) = %q, not a code", s, e)
		}
	})
}

func TestAnEvaluationRequestNamesWhatIsMissing(t *testing.T) {
	full := linkwork.EvaluationRequest{Agreement: "DSA-1", Recipient: "A university", Purpose: "Evaluation"}
	if err := full.Validate(); err != nil {
		t.Fatalf("a full request: %v", err)
	}
	for field, r := range map[string]linkwork.EvaluationRequest{
		"agreement": {Recipient: "A university", Purpose: "Evaluation"},
		"recipient": {Agreement: "DSA-1", Recipient: " ", Purpose: "Evaluation"},
		"purpose":   {Agreement: "DSA-1", Recipient: "A university", Purpose: strings.Repeat("x", linkwork.MaxText+1)},
	} {
		if fields := linkwork.ErrorFields(r.Validate()); len(fields) != 1 || fields[0].Field != field {
			t.Errorf("missing %s: fields %v", field, fields)
		}
	}
}

func TestPseudonymsDependOnTheRecipient(t *testing.T) {
	secret := []byte(strings.Repeat("s", 32))
	a := linkwork.Pseudonym(linkwork.PseudonymKey(secret, "a university"), "p-1")
	if again := linkwork.Pseudonym(linkwork.PseudonymKey(secret, "a university"), "p-1"); again != a {
		t.Errorf("one recipient's pseudonym of one person changes: %s, %s", a, again)
	}
	if b := linkwork.Pseudonym(linkwork.PseudonymKey(secret, "another"), "p-1"); b == a {
		t.Error("two recipients have the same pseudonym of one person")
	}
	if other := linkwork.Pseudonym(linkwork.PseudonymKey(secret, "a university"), "p-2"); other == a {
		t.Error("two people have one pseudonym")
	}
	if len(a) != 20 || strings.Trim(a, "0123456789abcdef") != "" {
		t.Errorf("pseudonym %q is not 20 hex digits", a)
	}
	if r := (linkwork.EvaluationRequest{Recipient: "  A   University "}); r.RecipientKey() != "a university" {
		t.Errorf("RecipientKey = %q", r.RecipientKey())
	}
}
