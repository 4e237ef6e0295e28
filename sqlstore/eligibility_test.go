package sqlstore_test

import (
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// TestReferralEligibility: the service checks a referral against its own
// settings, on the person's age today, their postcode, their GP practice
// and the pathway, and says why for each rule. (Gus is 15 on the test
// clock's day, lives in S2 and is registered at Riverside Surgery, the
// referring practice.)
func TestReferralEligibility(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		otherGP := &linkwork.Organisation{Name: "Hillside Practice", Kind: linkwork.OrgGPPractice, Postcode: "s1 2hh"}
		if err := w.orgs.CreateOrganisation(w.sys, otherGP); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name     string
			set      func(s *linkwork.ServiceSettings)
			eligible bool
			rule     string // the rule whose reason is checked
			reason   string // a part of that reason
		}{
			{"a referral within every rule is eligible", func(s *linkwork.ServiceSettings) {
				s.MinAge, s.MaxAge, s.Areas, s.PracticeIDs, s.Pathways = 11, 18, []string{"S2"}, []string{w.gp.ID}, []linkwork.Pathway{linkwork.PathwayGP}
			}, true, "practice", "Riverside Surgery is covered"},
			{"a person older than the service takes is not eligible", func(s *linkwork.ServiceSettings) { s.MaxAge = 14 }, false, "age", "Aged 15: the service is for ages 14 and under"},
			{"a postcode outside the areas covered is not eligible", func(s *linkwork.ServiceSettings) { s.Areas = []string{"LS"} }, false, "area", "S2 4HT is outside the area covered (Leeds (LS))"},
			{"a practice the service does not cover is not eligible", func(s *linkwork.ServiceSettings) { s.PracticeIDs = []string{otherGP.ID} }, false, "practice", "Riverside Surgery is not one of the practices"},
			{"a pathway the service does not take is not eligible", func(s *linkwork.ServiceSettings) { s.Pathways = []linkwork.Pathway{linkwork.PathwaySchool} }, false, "pathway", "does not take gp practice referrals"},
			{"a service without limits takes anyone", func(s *linkwork.ServiceSettings) {}, true, "age", "The service takes people of any age"},
		}
		r := w.refer(t, "Gus", "Eligible")
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				set, err := w.triage().ServiceSettings(w.as(w.coordinator), w.service.ID)
				if err != nil {
					t.Fatal(err)
				}
				set.MinAge, set.MaxAge, set.Areas, set.PracticeIDs, set.Pathways = 0, 0, nil, nil, nil
				tt.set(set)
				if err := w.triage().SaveServiceSettings(w.as(w.coordinator), set); err != nil {
					t.Fatal(err)
				}
				got, err := w.referrals.ReferralEligibility(w.as(w.linkWorker), r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if got == nil || got.Eligible != tt.eligible {
					t.Fatalf("eligibility = %+v, want eligible %v", got, tt.eligible)
				}
				i := slices.IndexFunc(got.Checks, func(c linkwork.EligibilityCheck) bool { return c.Rule == tt.rule })
				if i < 0 || !strings.Contains(got.Checks[i].Reason, tt.reason) {
					t.Errorf("checks %+v: no %s rule saying %q", got.Checks, tt.rule, tt.reason)
				}
			})
		}
	})
}

// TestWhoSeesAReferralsEligibility: the service's own people see how a
// referral meets its rules; its referrer sees the referral but not that;
// anyone who cannot see the referral finds nothing.
func TestWhoSeesAReferralsEligibility(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Ada", "Screened")
		tests := []struct {
			name   string
			reader *linkwork.User
			shown  bool
			code   string
		}{
			{"a link worker of the service sees it", w.linkWorker, true, ""},
			{"a coordinator of the service sees it", w.coordinator, true, ""},
			{"the safeguarding lead of the service sees it", w.safeguarding, true, ""},
			{"the referrer sees the referral without it", w.referrer, false, ""},
			{"another service's coordinator finds no referral", w.foreignCoord, false, linkwork.ENOTFOUND},
			{"a commissioner finds no referral", w.commissioner, false, linkwork.ENOTFOUND},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := w.referrals.ReferralEligibility(w.as(tt.reader), r.ID)
				wantCode(t, err, tt.code)
				if (got != nil) != tt.shown {
					t.Fatalf("eligibility = %+v, want shown %v", got, tt.shown)
				}
				if got != nil && len(got.Checks) == 0 {
					t.Error("eligibility shown without a check")
				}
			})
		}
	})
}
