package linkwork_test

import (
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// TestAReferrersReferralSaysWhetherThePersonKnows: a referral through an
// organisation's pathway must say whether the person knows about it and
// agrees (yes or no); the person's own, their family's and the hub's need
// not.
func TestAReferrersReferralSaysWhetherThePersonKnows(t *testing.T) {
	tests := []struct {
		name    string
		pathway linkwork.Pathway
		aware   *bool
		refused bool
	}{
		{"a GP practice's referral without an answer is refused", linkwork.PathwayGP, nil, true},
		{"a school's referral without an answer is refused", linkwork.PathwaySchool, nil, true},
		{"a CAMHS referral without an answer is refused", linkwork.PathwayCAMHS, nil, true},
		{"a social worker's referral without an answer is refused", linkwork.PathwaySocialCare, nil, true},
		{"a health professional's referral without an answer is refused", linkwork.PathwayHealth, nil, true},
		{"a community organisation's referral without an answer is refused", linkwork.PathwayVCS, nil, true},
		{"a referrer may say the person does not know yet", linkwork.PathwayGP, new(false), false},
		{"a referrer may say the person knows", linkwork.PathwayGP, new(true), false},
		{"a self-referral need not say", linkwork.PathwaySelf, nil, false},
		{"a family member's referral need not say", linkwork.PathwayFamily, nil, false},
		{"a walk-in recorded at the hub need not say", linkwork.PathwayHub, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &linkwork.Referral{ServiceOrgID: "svc", Pathway: tt.pathway, Mode: linkwork.ModeReferral, ReferrerOrgID: "org",
				Reasons: "Low mood", PersonAware: tt.aware, ConsentReferral: true}
			err := r.Validate()
			named := false
			for _, f := range linkwork.ErrorFields(err) {
				if f.Field == "person_aware" {
					named = f.Message == "Say whether the person knows about this referral and agrees to it"
				}
			}
			if named != tt.refused {
				t.Fatalf("Validate() = %v; want person_aware named %v", err, tt.refused)
			}
			if !tt.refused && err != nil {
				t.Fatalf("Validate() = %v, want nil", err)
			}
		})
	}
}
