package linkwork

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGuardianInvolvementIsCodedButOlderWordsMayStay(t *testing.T) {
	for _, tt := range []struct {
		name, involvement, was string
		ok                     bool
	}{
		{"a code", InvolvementInformed, "", true},
		{"each code", InvolvementNotContacted, "informed of the referral", true},
		{"no choice", "", "", false},
		{"new words", "whenever suits", "", false},
		{"older words kept as they were", "informed of the referral", "informed of the referral", true},
		{"older words changed", "informed of the referral, sometimes", "informed of the referral", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateGuardian(&Guardian{Name: "Kim", Involvement: tt.involvement}, tt.was)
			if (err == nil) != tt.ok {
				t.Fatalf("ValidateGuardian(%q, was %q) = %v, want ok %v", tt.involvement, tt.was, err, tt.ok)
			}
		})
	}
}

func TestInvolvementLabelsShowOlderWordsAsTheyAre(t *testing.T) {
	for _, c := range Involvements {
		if l := InvolvementLabel(c); l == c || l == "" {
			t.Errorf("code %q has no label", c)
		}
	}
	if got := InvolvementLabel("attends sessions"); got != "attends sessions" {
		t.Errorf("older words shown as %q", got)
	}
}

// FuzzCaseAboutNeeds: whatever areas of need and words arrive, what passes
// is each known domain once, with words within their limit.
func FuzzCaseAboutNeeds(f *testing.F) {
	f.Add("loneliness", "nobody to talk to", "family", "")
	f.Add("loneliness", "", "loneliness", "")
	f.Add("astrology", "x", "", "")
	f.Add("other", strings.Repeat("é", MaxShortText+1), "housing", "a")
	f.Fuzz(func(t *testing.T, d1, w1, d2, w2 string) {
		a := CaseAbout{NeedDomains: []CaseNeed{{Domain: NeedDomain(d1), Words: w1}, {Domain: NeedDomain(d2), Words: w2}}}
		if a.Validate() != nil {
			return
		}
		seen := map[NeedDomain]bool{}
		for _, n := range a.NeedDomains {
			if !n.Domain.Valid() || seen[n.Domain] {
				t.Fatalf("accepted %+v", a.NeedDomains)
			}
			seen[n.Domain] = true
			if utf8.RuneCountInString(n.Words) > MaxShortText {
				t.Fatalf("accepted words of %d characters", utf8.RuneCountInString(n.Words))
			}
		}
	})
}
