package linkwork_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// Valid records of each kind, for the tests to spoil one field of.
func validReferral() *linkwork.Referral {
	return &linkwork.Referral{ServiceOrgID: "svc", Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, ReferrerOrgID: "gp",
		Reasons: "Low mood since moving school", PersonAware: new(true), ConsentReferral: true}
}

func validPerson() *linkwork.Person {
	return &linkwork.Person{GivenName: "Robin", FamilyName: "Okafor", Email: "robin@example.org",
		Guardians: []linkwork.Guardian{{Name: "Sam Okafor", Email: "sam@example.org"}}}
}

func validAsset() *linkwork.Asset {
	return &linkwork.Asset{Name: "Saturday football", Categories: []linkwork.Category{linkwork.CategorySports}, Status: linkwork.AssetActive,
		HowToJoin: linkwork.JoinDropIn, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting},
		URL: "https://example.org/football", Email: "football@example.org",
		Locations: []linkwork.Location{{Type: linkwork.LocationPhysical, PostalCode: "LS6 2AA"}, {Type: linkwork.LocationVirtual, URL: "https://meet.example.org/x"}},
		Contacts:  []linkwork.AssetContact{{Name: "Jo", Email: "jo@example.org"}}}
}

func validOrg() *linkwork.Organisation {
	return &linkwork.Organisation{Name: "Millbrook Youth Hub", Kind: linkwork.OrgYouthHub, Email: "hello@example.org"}
}

func validUser() *linkwork.User {
	return &linkwork.User{Name: "Sam Taylor", Email: "sam@example.org", Role: linkwork.RoleReferrer, OrgID: "gp"}
}

// TestValidateRefusesTextNoDoorCanStore: every Validate of the vocabulary
// names a field that holds a zero byte or bytes that are not UTF-8, or is
// longer than its documented maximum, and accepts text at the limit, counted
// in characters, not bytes.
func TestValidateRefusesTextNoDoorCanStore(t *testing.T) {
	today := linkwork.Date{Year: 2026, Month: 3, Day: 1}
	long := func(n int) string { return strings.Repeat("é", n) } // two bytes a character
	tests := []struct {
		name     string
		validate func() error
		field    string // "": valid
	}{
		{"a referral's reasons of 900 KB", func() error { r := validReferral(); r.Reasons = strings.Repeat("x", 900<<10); return r.Validate() }, "reasons"},
		{"a referral's reasons of exactly 5,000 characters", func() error { r := validReferral(); r.Reasons = long(5000); return r.Validate() }, ""},
		{"a referral's reasons of 5,001 characters", func() error { r := validReferral(); r.Reasons = long(5001); return r.Validate() }, "reasons"},
		{"a zero byte in a referral's risks", func() error { r := validReferral(); r.Risks = "none\x00"; return r.Validate() }, "risks"},
		{"bytes that are not UTF-8 in what the person wants", func() error { r := validReferral(); r.WhatTheyWant = "to \xff sing"; return r.Validate() }, "what_they_want"},
		{"a referrer's name past 100 characters", func() error { r := validReferral(); r.ReferrerName = long(101); return r.Validate() }, "referrer_name"},
		{"a zero byte in the service's id", func() error { r := validReferral(); r.ServiceOrgID = "svc\x00"; return r.Validate() }, "service_org_id"},
		{"a decline's reason past 5,000 characters", func() error {
			return linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: long(5001), OnwardDestination: "GP"}.Validate(linkwork.ReferralReceived, today)
		}, "reason"},
		{"a zero byte in an onward destination", func() error {
			return linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "Too old", OnwardDestination: "GP\x00"}.Validate(linkwork.ReferralReceived, today)
		}, "onward_destination"},

		{"a valid person", func() error { return validPerson().Validate(today) }, ""},
		{"a first name of 100 characters", func() error { p := validPerson(); p.GivenName = long(100); return p.Validate(today) }, ""},
		{"a first name past 100 characters", func() error { p := validPerson(); p.GivenName = long(101); return p.Validate(today) }, "given_name"},
		{"a zero byte in a last name", func() error { p := validPerson(); p.FamilyName = "O\x00kafor"; return p.Validate(today) }, "family_name"},
		{"a person's contact notes past 5,000 characters", func() error { p := validPerson(); p.Contact.Notes = long(5001); return p.Validate(today) }, "contact.notes"},
		{"an address past 500 characters", func() error { p := validPerson(); p.Address = long(501); return p.Validate(today) }, "address"},
		{"a person's email that is any text", func() error { p := validPerson(); p.Email = "ring me"; return p.Validate(today) }, "email"},
		{"a guardian's email with a name", func() error {
			p := validPerson()
			p.Guardians[0].Email = "Sam <sam@example.org>"
			return p.Validate(today)
		}, "guardians[0].email"},
		{"a postcode that is not UTF-8", func() error { p := validPerson(); p.Postcode = "LS6\xff"; return p.Validate(today) }, "postcode"},

		{"a valid listing", func() error { return validAsset().Validate() }, ""},
		{"a listing's url of javascript:", func() error { a := validAsset(); a.URL = "javascript:alert(1)"; return a.Validate() }, "url"},
		{"a listing's url without a scheme", func() error { a := validAsset(); a.URL = "www.example.org"; return a.Validate() }, "url"},
		{"a listing's url without a host", func() error { a := validAsset(); a.URL = "https:///path"; return a.Validate() }, "url"},
		{"a listing's email that is any text", func() error { a := validAsset(); a.Email = "call us"; return a.Validate() }, "email"},
		{"a contact's email with a name", func() error { a := validAsset(); a.Contacts[0].Email = "Jo <jo@example.org>"; return a.Validate() }, "contacts[0].email"},
		{"an online location at a data: address", func() error { a := validAsset(); a.Locations[1].URL = "data:text/html,hi"; return a.Validate() }, "locations[1].url"},
		{"a listing's name past 200 characters", func() error { a := validAsset(); a.Name = long(201); return a.Validate() }, "name"},
		{"a listing's description past 5,000 characters", func() error { a := validAsset(); a.Description = long(5001); return a.Validate() }, "description"},
		{"a zero byte in a place's city", func() error { a := validAsset(); a.Locations[0].City = "Leeds\x00"; return a.Validate() }, "locations[0].city"},
		{"a language that is not UTF-8", func() error { a := validAsset(); a.Languages = []string{"Urdu\xfe"}; return a.Validate() }, "languages"},
		{"a session note past 200 characters", func() error {
			a := validAsset()
			a.Schedules = []linkwork.Schedule{{Freq: "WEEKLY", ByDay: "SA", OpensAt: "10:00", ClosesAt: "12:00", Note: long(201)}}
			return a.Validate()
		}, "schedules[0].note"},
		{"a cost described past 200 characters", func() error {
			a := validAsset()
			a.CostOptions = []linkwork.CostOption{{AmountDescription: long(201)}}
			return a.Validate()
		}, "cost_options[0].amount_description"},
		{"a cost past £1,000,000", func() error {
			a := validAsset()
			a.CostOptions = []linkwork.CostOption{{Amount: linkwork.Int(linkwork.MaxPence + 1)}}
			return a.Validate()
		}, "cost_options[0].amount"},
		{"a cost of exactly £1,000,000", func() error {
			a := validAsset()
			a.CostOptions = []linkwork.CostOption{{Amount: linkwork.Int(linkwork.MaxPence)}}
			return a.Validate()
		}, ""},

		{"a valid organisation", func() error { return validOrg().Validate() }, ""},
		{"an organisation's name with a zero byte", func() error { o := validOrg(); o.Name = "Hub\x00"; return o.Validate() }, "name"},
		{"an organisation's email that is any text", func() error { o := validOrg(); o.Email = "see website"; return o.Validate() }, "email"},
		{"an organisation's address past 500 characters", func() error { o := validOrg(); o.Address = long(501); return o.Validate() }, "address"},

		{"a valid user", func() error { return validUser().Validate("", false) }, ""},
		{"a user's name past 200 characters", func() error { u := validUser(); u.Name = long(201); return u.Validate("", false) }, "name"},
		{"a user's email with a zero byte", func() error { u := validUser(); u.Email = "sam\x00@example.org"; return u.Validate("", false) }, "email"},
		{"a password that is not UTF-8", func() error { return validUser().Validate("correct horse \xff battery", true) }, "password"},

		{"a session's notes past 5,000 characters", func() error {
			c := &linkwork.Contact{Mode: linkwork.ContactPhone, Outcome: linkwork.ContactAttended, At: time.Now(), Notes: long(5001)}
			return c.Validate()
		}, "notes"},
		{"a closure's outcome summary with a zero byte", func() error {
			return linkwork.CaseClosure{Reason: linkwork.ClosedGoalsMet, OutcomeSummary: "Joined a club\x00"}.Validate()
		}, "outcome_summary"},
		{"a case's plan past 5,000 characters", func() error { return (&linkwork.Case{Plan: long(5001)}).Validate() }, "plan"},
		{"a case's planned sessions past 52", func() error { return (&linkwork.Case{PlannedSessions: 53}).Validate() }, "planned_sessions"},
		{"a goal past 200 characters", func() error { return (&linkwork.Goal{Text: long(201)}).Validate() }, "text"},
		{"a goal with nothing in it", func() error { return (&linkwork.Goal{Text: "  "}).Validate() }, "text"},
		{"a connection's note that is not UTF-8", func() error {
			return (&linkwork.Connection{Level: linkwork.LevelSignpost, AssetID: "a", Note: "\xc3"}).Validate()
		}, "note"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.validate()
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if linkwork.ErrorCode(err) != linkwork.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			if got := fields(err); !slices.Contains(got, tt.field) {
				t.Fatalf("fields %v do not name %q (%v)", got, tt.field, err)
			}
		})
	}
}

// TestTooLongNamesTheLimit: the message says what the limit is and how
// long the text was.
func TestTooLongNamesTheLimit(t *testing.T) {
	var p linkwork.Problems
	p.Text("reasons", strings.Repeat("x", 900<<10), linkwork.MaxText)
	if len(p) != 1 || p[0].Message != "Keep this to 5,000 characters or fewer: it has 921,600" {
		t.Fatalf("problems %v", p)
	}
}

func TestValidWebURL(t *testing.T) {
	for s, want := range map[string]bool{
		"https://example.org": true, "http://example.org/join?x=1#top": true, "https://meet.example.org:8443/room": true,
		"javascript:alert(1)": false, "JAVASCRIPT:alert(1)": false, "data:text/html,hi": false, "ftp://example.org": false,
		"www.example.org": false, "/join": false, "https://": false, "https:///path": false, "mailto:a@example.org": false,
		"https://exa mple.org": false, "https://example.org/a b": false, "": false,
	} {
		if got := linkwork.ValidWebURL(s); got != want {
			t.Errorf("ValidWebURL(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"name@example.org": true, "first.last+tag@sub.example.org": true,
		"Name <name@example.org>": false, "name@example.org, other@example.org": false, "any text": false,
		"name": false, "@example.org": false, "": false, "name@example.org\x00": false,
	} {
		if got := linkwork.ValidEmail(s); got != want {
			t.Errorf("ValidEmail(%q) = %v, want %v", s, got, want)
		}
	}
}
