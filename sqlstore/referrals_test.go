package sqlstore_test

import (
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestReferralIntake(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		t.Run("a referrer refers from their own organisation, as themself", func(t *testing.T) {
			r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Anxious",
				PersonAware: new(true), ConsentReferral: true, ReferrerOrgID: w.school.ID, ReferrerUserID: w.admin.ID}
			if err := w.referrals.CreateReferral(w.as(w.referrer), r, newPerson("Alex", "Rowe")); err != nil {
				t.Fatal(err)
			}
			if r.ReferrerOrgID != w.gp.ID || r.ReferrerUserID != w.referrer.ID || r.Status != linkwork.ReferralReceived {
				t.Fatalf("referrer %s/%s status %s", r.ReferrerOrgID, r.ReferrerUserID, r.Status)
			}
		})
		t.Run("every problem with the referral and the person is named", func(t *testing.T) {
			p := newPerson("", "Rowe")
			p.Postcode = "XX"
			p.DateOfBirth = linkwork.Date{Year: 2099, Month: 1, Day: 1}
			err := w.referrals.CreateReferral(w.as(w.referrer), &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: "fax"}, p)
			for _, f := range []string{"pathway", "mode", "reasons", "consent_referral", "person.given_name", "person.postcode", "person.date_of_birth"} {
				wantField(t, err, f)
			}
		})
		t.Run("a referral through a referrer's pathway must say whether the person knows", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.referrer, w.coordinator} {
				r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
					Reasons: "Low mood", ConsentReferral: true, ReferrerOrgID: w.gp.ID}
				wantField(t, w.referrals.CreateReferral(w.as(u), r, newPerson("Una", "Said")), "person_aware")
			}
		})
		t.Run("a referral to something that is not a social prescribing service is refused", func(t *testing.T) {
			r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.vcs.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "x", PersonAware: new(true), ConsentReferral: true}
			wantField(t, w.referrals.CreateReferral(w.as(w.referrer), r, newPerson("Kim", "Lee")), "service_org_id")
		})
		t.Run("someone already known is linked as a possible duplicate, not merged", func(t *testing.T) {
			first := w.refer(t, "Jamie", "Dunn")
			second := w.refer(t, "jamie", "DUNN")
			if second.PossibleDuplicateOf != "" {
				t.Fatal("the referrer was told the service already knows someone matching")
			}
			seen, err := w.referrals.FindReferralByID(w.as(w.coordinator), second.ID)
			if err != nil {
				t.Fatal(err)
			}
			if seen.PossibleDuplicateOf != first.PersonID || second.PersonID == first.PersonID {
				t.Fatalf("duplicate of %q (first person %q, second %q)", seen.PossibleDuplicateOf, first.PersonID, second.PersonID)
			}
			if again, _ := w.referrals.FindReferralByID(w.as(w.referrer), second.ID); again.PossibleDuplicateOf != "" {
				t.Fatal("the referrer reads the duplicate flag back")
			}
			other := w.refer(t, "Jamie", "Different")
			if seen, _ := w.referrals.FindReferralByID(w.as(w.coordinator), other.ID); seen.PossibleDuplicateOf != "" {
				t.Fatalf("a different person was flagged as a duplicate of %s", seen.PossibleDuplicateOf)
			}
		})
		t.Run("commissioners and community organisations cannot refer", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.commissioner, w.community, w.admin, w.foreignCoord} {
				r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayHub, Mode: linkwork.ModeReferral, Reasons: "x", ConsentReferral: true}
				wantCode(t, w.referrals.CreateReferral(w.as(u), r, newPerson("Pat", "Kay")), linkwork.EFORBIDDEN)
			}
		})
		t.Run("the hub records walk-ins, as the service", func(t *testing.T) {
			r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayHub, Mode: linkwork.ModeSelfReferral, Reasons: "Walked in, lonely", ConsentReferral: true}
			if err := w.referrals.CreateReferral(w.as(w.linkWorker), r, newPerson("Robin", "Hale")); err != nil {
				t.Fatal(err)
			}
			if r.ReferrerOrgID != w.service.ID || r.ReferrerUserID != w.linkWorker.ID {
				t.Fatalf("recorded as referred by %s/%s", r.ReferrerOrgID, r.ReferrerUserID)
			}
		})
		t.Run("staff may record a call from a practice, naming it", func(t *testing.T) {
			r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Practice nurse rang", PersonAware: new(false), ConsentReferral: true, ReferrerOrgID: w.gp.ID}
			if err := w.referrals.CreateReferral(w.as(w.coordinator), r, newPerson("Sol", "Vance")); err != nil {
				t.Fatal(err)
			}
			if r.ReferrerOrgID != w.gp.ID {
				t.Fatalf("referrer org %s, want the practice", r.ReferrerOrgID)
			}
			if _, err := w.referrals.FindReferralByID(w.as(w.referrer), r.ID); err != nil {
				t.Fatalf("the practice cannot see the referral made on its behalf: %v", err)
			}
		})
	})
}

func TestReferralVisibility(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Casey", "Moss")
		tests := []struct {
			who  *linkwork.User
			sees bool
		}{
			{w.referrer, true}, {w.schoolReferrer, false}, {w.linkWorker, true}, {w.otherWorker, true}, {w.coordinator, true},
			{w.safeguarding, true}, {w.community, false}, {w.commissioner, false}, {w.admin, false}, {w.foreignCoord, false},
		}
		for _, tt := range tests {
			t.Run(string(tt.who.Role)+" "+tt.who.Name, func(t *testing.T) {
				_, err := w.referrals.FindReferralByID(w.as(tt.who), r.ID)
				_, total, lerr := w.referrals.FindReferrals(w.as(tt.who), linkwork.ReferralFilter{})
				_, perr := w.people.FindPersonByID(w.as(tt.who), r.PersonID)
				if lerr != nil {
					t.Fatal(lerr)
				}
				if tt.sees {
					if err != nil || total != 1 || perr != nil {
						t.Fatalf("should see: get %v, list %d, person %v", err, total, perr)
					}
				} else {
					wantCode(t, err, linkwork.ENOTFOUND)
					wantCode(t, perr, linkwork.ENOTFOUND)
					if total != 0 {
						t.Fatalf("listed %d referrals it may not see", total)
					}
				}
			})
		}
	})
}

func TestTriageDecisions(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		today := linkwork.DateOf(w.clock.Now())
		tests := []struct {
			name   string
			who    func() *linkwork.User
			d      linkwork.ReferralDecision
			code   string
			field  string
			status linkwork.ReferralStatus
		}{
			{"accept to the waiting list", func() *linkwork.User { return w.linkWorker }, linkwork.ReferralDecision{To: linkwork.ReferralAccepted}, "", "", linkwork.ReferralAccepted},
			{"move into triage", func() *linkwork.User { return w.coordinator }, linkwork.ReferralDecision{To: linkwork.ReferralTriage, Streetlight: linkwork.StreetlightAmber}, "", "", linkwork.ReferralTriage},
			{"decline with a reason and a destination", func() *linkwork.User { return w.coordinator }, linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "Needs specialist care", OnwardDestination: "CAMHS single point of access"}, "", "", linkwork.ReferralDeclined},
			{"decline without a destination leaves someone in limbo", func() *linkwork.User { return w.coordinator }, linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "Not for us"}, linkwork.EINVALID, "onward_destination", linkwork.ReferralReceived},
			{"decline without a reason", func() *linkwork.User { return w.coordinator }, linkwork.ReferralDecision{To: linkwork.ReferralDeclined, OnwardDestination: "GP"}, linkwork.EINVALID, "reason", linkwork.ReferralReceived},
			{"defer to a future date", func() *linkwork.User { return w.coordinator }, linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: linkwork.DateOf(w.clock.Now().AddDate(0, 0, 14))}, "", "", linkwork.ReferralDeferred},
			{"defer to today is refused", func() *linkwork.User { return w.coordinator }, linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: today}, linkwork.EINVALID, "defer_until", linkwork.ReferralReceived},
			{"defer without a date", func() *linkwork.User { return w.coordinator }, linkwork.ReferralDecision{To: linkwork.ReferralDeferred}, linkwork.EINVALID, "defer_until", linkwork.ReferralReceived},
			{"withdraw needs a reason", func() *linkwork.User { return w.coordinator }, linkwork.ReferralDecision{To: linkwork.ReferralWithdrawn}, linkwork.EINVALID, "reason", linkwork.ReferralReceived},
			{"allocate to someone who is not a link worker", func() *linkwork.User { return w.coordinator }, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, LinkWorkerID: w.coordinator.ID}, linkwork.EINVALID, "link_worker_id", linkwork.ReferralReceived},
			{"the safeguarding lead sees but does not decide", func() *linkwork.User { return w.safeguarding }, linkwork.ReferralDecision{To: linkwork.ReferralAccepted}, linkwork.EFORBIDDEN, "", linkwork.ReferralReceived},
			{"the referrer does not decide", func() *linkwork.User { return w.referrer }, linkwork.ReferralDecision{To: linkwork.ReferralAccepted}, linkwork.EFORBIDDEN, "", linkwork.ReferralReceived},
			{"another service cannot see it", func() *linkwork.User { return w.foreignCoord }, linkwork.ReferralDecision{To: linkwork.ReferralAccepted}, linkwork.ENOTFOUND, "", linkwork.ReferralReceived},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := w.refer(t, "Taylor", "Case"+itoa3(i))
				got, err := w.referrals.DecideReferral(w.as(tt.who()), r.ID, r.Version, tt.d)
				if tt.code != "" {
					wantCode(t, err, tt.code)
					if tt.field != "" {
						wantField(t, err, tt.field)
					}
				} else if err != nil {
					t.Fatal(err)
				} else if got.Status != tt.status || len(got.Transitions) != 1 || got.Version != r.Version+1 {
					t.Fatalf("status %s, %d transitions, version %d", got.Status, len(got.Transitions), got.Version)
				}
				stored, err := w.referrals.FindReferralByID(w.as(w.coordinator), r.ID)
				if err != nil {
					t.Fatal(err)
				}
				if stored.Status != tt.status {
					t.Fatalf("stored status %s, want %s", stored.Status, tt.status)
				}
			})
		}
	})
}

func TestTriageJourney(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Morgan", "Fry")
		ctx := w.as(w.coordinator)
		t.Run("a stale decision is a conflict", func(t *testing.T) {
			if _, err := w.referrals.DecideReferral(ctx, r.ID, r.Version, linkwork.ReferralDecision{To: linkwork.ReferralTriage}); err != nil {
				t.Fatal(err)
			}
			_, err := w.referrals.DecideReferral(ctx, r.ID, r.Version, linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: linkwork.DateOf(w.clock.Now().AddDate(0, 1, 0))})
			wantCode(t, err, linkwork.ECONFLICT)
		})
		cur, _ := w.referrals.FindReferralByID(ctx, r.ID)
		t.Run("a disallowed move is named", func(t *testing.T) {
			_, err := w.referrals.DecideReferral(ctx, r.ID, cur.Version, linkwork.ReferralDecision{To: linkwork.ReferralReceived})
			wantField(t, err, "to")
		})
		var c *linkwork.Case
		t.Run("accepting with a link worker opens an active case", func(t *testing.T) {
			c = w.accept(t, cur, w.linkWorker)
			if c.Status != linkwork.CaseActive || c.LinkWorkerID != w.linkWorker.ID || c.ReferralID != r.ID || c.PersonID != r.PersonID {
				t.Fatalf("case %+v", c)
			}
			if len(cur.Transitions) != 2 || cur.Transitions[0].To != linkwork.ReferralTriage || cur.Transitions[1].From != linkwork.ReferralTriage || cur.Transitions[1].ByID != w.coordinator.ID {
				t.Fatalf("transitions %+v", cur.Transitions)
			}
		})
		t.Run("an accepted referral cannot be declined", func(t *testing.T) {
			_, err := w.referrals.DecideReferral(ctx, r.ID, cur.Version, linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "x", OnwardDestination: "y"})
			wantField(t, err, "to")
		})
		t.Run("withdrawing after acceptance closes the case", func(t *testing.T) {
			if _, err := w.referrals.DecideReferral(ctx, r.ID, cur.Version, linkwork.ReferralDecision{To: linkwork.ReferralWithdrawn, Reason: "Moved away"}); err != nil {
				t.Fatal(err)
			}
			k, err := w.cases.FindCaseByID(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if k.Status != linkwork.CaseClosed || k.ClosureReason != linkwork.ClosedDeclined {
				t.Fatalf("case %s %s", k.Status, k.ClosureReason)
			}
		})
	})
}
