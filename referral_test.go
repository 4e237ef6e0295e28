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

// TestThePublicFormSpeaksToWhoeverFillsItIn: a person referring themself,
// adult or young, is spoken to as "you", never told that "the person (or
// their parent or guardian)" must agree.
func TestThePublicFormSpeaksToWhoeverFillsItIn(t *testing.T) {
	for _, tt := range []struct {
		name    string
		pathway linkwork.Pathway
		want    map[string]string
	}{
		{"someone referring themself", linkwork.PathwaySelf, map[string]string{
			"consent_referral":     "Tick the box to agree to a link worker contacting you",
			"person.date_of_birth": "Enter your date of birth, so we can check our service is right for you"}},
		{"a family member referring someone", linkwork.PathwayFamily, map[string]string{
			"consent_referral":     "The person (or their parent or guardian) must agree to the referral",
			"person.date_of_birth": "Enter their date of birth, so we can check our service is right for them"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &linkwork.Referral{ServiceOrgID: "svc", Pathway: tt.pathway, Mode: linkwork.ModeSelfReferral, Reasons: "Low mood"}
			p := &linkwork.Person{GivenName: "Ada", FamilyName: "Lane", Phone: "07700 900111"}
			got := map[string]string{}
			for _, err := range []error{r.Validate(), r.ValidatePublic(p)} {
				for _, f := range linkwork.ErrorFields(err) {
					got[f.Field] = f.Message
				}
			}
			for field, msg := range tt.want {
				if got[field] != msg {
					t.Errorf("%s: %q, want %q", field, got[field], msg)
				}
			}
		})
	}
}

// TestThePublicFormRefusesAWayToGetInTouchWithoutItsDetails: a phone call
// or text needs a phone number, an email an email address; the problem
// is named at the question that asks how to get in touch.
func TestThePublicFormRefusesAWayToGetInTouchWithoutItsDetails(t *testing.T) {
	for _, tt := range []struct {
		name         string
		phone, email string
		channels     []linkwork.Channel
		want         string // "" for no problem
	}{
		{"a phone call with only an email address", "", "ada@example.org", []linkwork.Channel{linkwork.ChannelPhone},
			"To be contacted by phone call, give your phone number, or choose a way you have given details for"},
		{"a text with only an email address", "", "ada@example.org", []linkwork.Channel{linkwork.ChannelEmail, linkwork.ChannelText},
			"To be contacted by text message, give your phone number, or choose a way you have given details for"},
		{"an email with only a phone number", "07700 900111", "", []linkwork.Channel{linkwork.ChannelEmail},
			"To be contacted by email, give your email address, or choose a way you have given details for"},
		{"a phone call with a phone number", "07700 900111", "", []linkwork.Channel{linkwork.ChannelPhone}, ""},
		{"email and phone with both", "07700 900111", "ada@example.org", []linkwork.Channel{linkwork.ChannelPhone, linkwork.ChannelEmail}, ""},
		{"through someone else needs neither", "", "ada@example.org", []linkwork.Channel{linkwork.ChannelVia}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &linkwork.Referral{ServiceOrgID: "svc", Pathway: linkwork.PathwaySelf, Mode: linkwork.ModeSelfReferral, Reasons: "Low mood", ConsentReferral: true}
			p := &linkwork.Person{GivenName: "Ada", FamilyName: "Lane", DateOfBirth: linkwork.Date{Year: 1990, Month: 1, Day: 2},
				Phone: tt.phone, Email: tt.email, Contact: linkwork.ContactPreferences{Channels: tt.channels}}
			got := ""
			for _, f := range linkwork.ErrorFields(r.ValidatePublic(p)) {
				if f.Field == "person.contact.channels" {
					got = f.Message
				}
			}
			if got != tt.want {
				t.Errorf("person.contact.channels: %q, want %q", got, tt.want)
			}
		})
	}
}

// TestAReferralSaysHowItCame: who referred, in words, whatever mode the
// form recorded; a parent's referral of their child is not a
// self-referral.
func TestAReferralSaysHowItCame(t *testing.T) {
	for _, tt := range []struct {
		pathway linkwork.Pathway
		mode    linkwork.ReferralMode
		want    string
	}{
		{linkwork.PathwayFamily, linkwork.ModeSelfReferral, "A parent, carer or family member referred them"},
		{linkwork.PathwaySelf, linkwork.ModeSelfReferral, "They referred themself"},
		{linkwork.PathwayGP, linkwork.ModeReferral, "Referred by a GP practice"},
		{linkwork.PathwaySchool, linkwork.ModeSignposting, "Signposted by a school"},
		{linkwork.PathwayHub, linkwork.ModeSelfReferral, "They came to the hub themself, in person or by phone"},
	} {
		r := &linkwork.Referral{Pathway: tt.pathway, Mode: tt.mode}
		if got := r.HowItCame(); got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.pathway, tt.mode, got, tt.want)
		}
	}
}
