package sqlstore_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// The safety rules of the front door, on both engines: a disclosed risk
// is never left in the queue, and nobody sees more of a person than their
// part in the person's support needs.

func TestADisclosedRiskIsNeverLeftInTheQueue(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		// Ordinary referrals arrive first, so that oldest-first would put
		// the disclosure last.
		for _, n := range []string{"Ann", "Bo", "Cy"} {
			w.refer(t, n, "Early")
			w.clock.Advance(time.Minute)
		}
		r, p := publicReferral(w)
		r.Reasons = "I've been thinking about ending my life and I've hurt myself this week"
		p.Email = "teen@example.org"
		if err := w.referrals.SubmitPublicReferral(anonymous, r, p); err != nil {
			t.Fatal(err)
		}
		t.Run("the public form is flagged for review today with the words that triggered it", func(t *testing.T) {
			got := w.reread(t, r.ID)
			if got.Risk.State != linkwork.RiskReviewToday {
				t.Fatalf("risk state %q, want review_today", got.Risk.State)
			}
			var words []string
			for _, m := range got.Risk.Matched {
				words = append(words, m.Field+": "+m.Text)
			}
			want := []string{"reasons: ending my life", "reasons: hurt myself"}
			if !slices.Equal(words, want) {
				t.Fatalf("matched %q, want %q", words, want)
			}
			if r.Risk.State != linkwork.RiskReviewToday {
				t.Fatalf("the caller was not told the referral was flagged: %+v", r.Risk)
			}
		})
		t.Run("it is first in the queue and in the team meeting", func(t *testing.T) {
			for _, meeting := range []bool{false, true} {
				list, total, err := w.triage().TriageQueue(w.as(w.coordinator), linkwork.TriageFilter{Meeting: meeting, Limit: 2})
				if err != nil {
					t.Fatal(err)
				}
				if len(list) == 0 || list[0].ID != r.ID {
					t.Fatalf("meeting=%v: the flagged referral is not first (%d in the queue)", meeting, total)
				}
				if !meeting && (total != 4 || len(list) != 2 || list[1].PersonName != "Ann Early") {
					t.Fatalf("queue of %d, page %v: the rest must follow oldest first", total, names(list))
				}
			}
			// The second page carries on after the flagged one.
			list, total, err := w.triage().TriageQueue(w.as(w.coordinator), linkwork.TriageFilter{Offset: 2, Limit: 2})
			if err != nil || total != 4 || !slices.Equal(names(list), []string{"Bo Early", "Cy Early"}) {
				t.Fatalf("page 2: %v of %d, %v", names(list), total, err)
			}
			band, _, err := w.triage().TriageQueue(w.as(w.coordinator), linkwork.TriageFilter{AgeBand: "16-17"})
			if err != nil || len(band) == 0 || band[0].ID != r.ID {
				t.Fatalf("the age band does not lead with it: %v %v", names(band), err)
			}
		})
		t.Run("it is counted with red", func(t *testing.T) {
			h, err := w.home.HomeFigures(w.as(w.coordinator))
			if err != nil {
				t.Fatal(err)
			}
			if h.RedAmber != 1 || h.RiskToReview != 1 {
				t.Fatalf("red or amber %d, risks to review %d; want 1 and 1", h.RedAmber, h.RiskToReview)
			}
		})
		t.Run("the safeguarding lead and coordinators are told at once", func(t *testing.T) {
			notes, err := w.db.NotificationsAbout(r.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]bool{}
			for _, n := range notes {
				if n.Kind != linkwork.NoteRiskFlagged {
					continue
				}
				switch {
				case n.UserID != "":
					got[n.UserID] = true
					if !strings.Contains(n.Body, "ending my life") {
						t.Errorf("the app's message does not say what was found: %q", n.Body)
					}
				case n.Email != "":
					got[n.Email] = true
					if strings.Contains(n.Body, "Kai") || strings.Contains(n.Body, "ending my life") {
						t.Errorf("the email names the person or what they wrote: %q", n.Body)
					}
				}
			}
			for _, want := range []string{w.safeguarding.ID, w.coordinator.ID, w.safeguarding.Email, w.coordinator.Email} {
				if !got[want] {
					t.Errorf("no risk notification to %s (got %v)", want, got)
				}
			}
			if got[w.linkWorker.ID] || got[w.foreignCoord.ID] {
				t.Errorf("the risk went to someone it was not for: %v", got)
			}
			list, _, _, err := sqlstore.NewNotificationService(w.db).FindNotifications(w.as(w.safeguarding), false, 0, 10)
			if err != nil || len(list) == 0 || list[0].Kind != linkwork.NoteRiskFlagged {
				t.Fatalf("the safeguarding lead's messages: %v %v", list, err)
			}
		})
		t.Run("no decision until the flag is decided", func(t *testing.T) {
			_, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, 1, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightAmber})
			wantField(t, err, "risk_outcome")
		})
		t.Run("a decision on the flag needs what was done", func(t *testing.T) {
			_, err := w.referrals.ReviewRisk(w.as(w.linkWorker), r.ID, 1, linkwork.RiskReview{Outcome: linkwork.RiskActedOn, Note: " "})
			wantField(t, err, "risk_note")
			_, err = w.referrals.ReviewRisk(w.as(w.linkWorker), r.ID, 1, linkwork.RiskReview{Outcome: "shrug", Note: "x"})
			wantField(t, err, "risk_outcome")
			_, err = w.referrals.ReviewRisk(w.as(w.foreignCoord), r.ID, 1, linkwork.RiskReview{Outcome: linkwork.RiskActedOn, Note: "x"})
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("the safeguarding lead records what was done, audited and shown", func(t *testing.T) {
			got, err := w.referrals.ReviewRisk(w.as(w.safeguarding), r.ID, 1, linkwork.RiskReview{Outcome: linkwork.RiskActedOn, Note: "Phoned Kai within the hour; safety plan agreed; GP informed."})
			if err != nil {
				t.Fatal(err)
			}
			again := w.reread(t, r.ID)
			if again.Risk.State != linkwork.RiskActedOn || !strings.Contains(again.Risk.Note, "safety plan") || again.Risk.DecidedBy != w.safeguarding.ID || again.Risk.DecidedAt.IsZero() || got.Version != 2 {
				t.Fatalf("after the review: %+v (version %d)", again.Risk, got.Version)
			}
			if e := auditEvent(t, w, r.ID, "referral.risk_review"); e.ActorID != w.safeguarding.ID || e.Detail != "acted_on" {
				t.Fatalf("audit %+v", e)
			}
			_, err = w.referrals.ReviewRisk(w.as(w.safeguarding), r.ID, got.Version, linkwork.RiskReview{Outcome: linkwork.RiskNotARisk, Note: "again"})
			wantField(t, err, "risk_outcome")
			if _, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, got.Version, linkwork.ReferralDecision{To: linkwork.ReferralTriage}); err != nil {
				t.Fatalf("the referral can be decided once the flag is: %v", err)
			}
			list, _, _ := w.triage().TriageQueue(w.as(w.coordinator), linkwork.TriageFilter{Limit: 1})
			if len(list) == 1 && list[0].ID == r.ID {
				t.Fatal("a reviewed referral still jumps the queue")
			}
		})
	})
}

func TestRiskScreenAtEveryDoor(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		set, err := w.triage().ServiceSettings(w.sys, w.service.ID)
		if err != nil {
			t.Fatal(err)
		}
		set.ExtraRiskPhrases = []string{"county lines"}
		if err := w.triage().SaveServiceSettings(w.as(w.coordinator), set); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name    string
			as      *linkwork.User // nil: the public form
			edit    func(*linkwork.Referral, *linkwork.Person)
			flagged bool
			fields  []string
		}{
			{"nothing disclosed", nil, nil, false, nil},
			{"not safe now, on the public form", nil, func(r *linkwork.Referral, p *linkwork.Person) { r.SafeNow = linkwork.AnswerNo }, true, []string{"safe_now"}},
			{"not sure whether they are safe", &linkwork.User{}, func(r *linkwork.Referral, p *linkwork.Person) { r.SafeNow = linkwork.AnswerNotSure }, true, []string{"safe_now"}},
			{"thoughts of harm, from a GP", &linkwork.User{}, func(r *linkwork.Referral, p *linkwork.Person) { r.HarmThoughts = linkwork.AnswerYes }, true, []string{"harm_thoughts"}},
			{"a phrase in the known risks, from a GP", &linkwork.User{}, func(r *linkwork.Referral, p *linkwork.Person) { r.Risks = "Took an OVERDOSE last month." }, true, []string{"risks"}},
			{"a phrase in the contact notes", nil, func(r *linkwork.Referral, p *linkwork.Person) {
				p.Contact.Notes = "Don't ring home, I'm not safe at home"
			}, true, []string{"person.contact.notes"}},
			{"the service's own phrase", nil, func(r *linkwork.Referral, p *linkwork.Person) {
				r.WhatTheyWant = "To get away from County-Lines people"
			}, true, []string{"what_they_want"}},
			{"a walk-in recorded by staff", &linkwork.User{Role: linkwork.RoleLinkWorker}, func(r *linkwork.Referral, p *linkwork.Person) {
				r.Pathway, r.Mode, r.Reasons = linkwork.PathwayHub, linkwork.ModeSelfReferral, "Says they self-harm"
			}, true, []string{"reasons"}},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r, p := publicReferral(w)
				p.GivenName, p.Email = "Door"+string(rune('A'+i)), ""
				p.Phone = "07700 900" + itoa3(500+i)
				if tt.edit != nil {
					tt.edit(r, p)
				}
				if tt.as == nil {
					err = w.referrals.SubmitPublicReferral(anonymous, r, p)
				} else {
					u := w.referrer
					if tt.as.Role == linkwork.RoleLinkWorker {
						u = w.linkWorker
					} else {
						r.Pathway, r.Mode = linkwork.PathwayGP, linkwork.ModeReferral
					}
					err = w.referrals.CreateReferral(w.as(u), r, p)
				}
				if err != nil {
					t.Fatal(err)
				}
				got := w.reread(t, r.ID)
				if (got.Risk.State == linkwork.RiskReviewToday) != tt.flagged {
					t.Fatalf("risk state %q, want flagged=%v", got.Risk.State, tt.flagged)
				}
				var fields []string
				for _, m := range got.Risk.Matched {
					fields = append(fields, m.Field)
				}
				if !slices.Equal(fields, tt.fields) {
					t.Fatalf("matched fields %v, want %v", fields, tt.fields)
				}
			})
		}
		t.Run("both questions must be answered at every door", func(t *testing.T) {
			r, p := publicReferral(w)
			r.SafeNow, r.HarmThoughts = "", "maybe"
			err := w.referrals.SubmitPublicReferral(anonymous, r, p)
			wantField(t, err, "safe_now")
			wantField(t, err, "harm_thoughts")
			r, p = publicReferral(w)
			r.Pathway, r.Mode, r.SafeNow = linkwork.PathwayGP, linkwork.ModeReferral, ""
			wantField(t, w.referrals.CreateReferral(w.as(w.referrer), r, p), "safe_now")
		})
		t.Run("the referrer sees that it was flagged, not what the service did", func(t *testing.T) {
			r := w.referAs(t, w.referrer, "Flag", "Seen", func(r *linkwork.Referral, p *linkwork.Person) { r.HarmThoughts = linkwork.AnswerYes })
			if _, err := w.referrals.ReviewRisk(w.as(w.coordinator), r.ID, r.Version, linkwork.RiskReview{Outcome: linkwork.RiskActedOn, Note: "Called the police about the father"}); err != nil {
				t.Fatal(err)
			}
			got, err := w.referrals.FindReferralByID(w.as(w.referrer), r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Risk.State != linkwork.RiskActedOn || got.Risk.Note != "" || got.Risk.DecidedBy != "" {
				t.Fatalf("the referrer reads %+v", got.Risk)
			}
		})
	})
}

func names(rs []*linkwork.Referral) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.PersonName
	}
	return out
}

func TestWithdrawingNeedsTheRightToCloseTheCase(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		withdraw := linkwork.ReferralDecision{To: linkwork.ReferralWithdrawn, Reason: "They moved away"}
		r := w.refer(t, "Theo", "Other")
		k := w.accept(t, r, w.otherWorker)
		t.Run("a link worker cannot close another worker's case by withdrawing its referral", func(t *testing.T) {
			_, err := w.referrals.DecideReferral(w.as(w.linkWorker), r.ID, r.Version, withdraw)
			wantCode(t, err, linkwork.EFORBIDDEN)
			got, err := w.cases.FindCaseByID(w.as(w.coordinator), k.ID)
			if err != nil || got.Status != linkwork.CaseActive {
				t.Fatalf("the case is %s (%v), want still active", got.Status, err)
			}
			if w.reread(t, r.ID).Status != linkwork.ReferralAccepted {
				t.Fatal("the referral was withdrawn")
			}
		})
		t.Run("the case's own link worker can", func(t *testing.T) {
			if _, err := w.referrals.DecideReferral(w.as(w.otherWorker), r.ID, r.Version, withdraw); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("and a coordinator can", func(t *testing.T) {
			r2 := w.refer(t, "Uma", "Other")
			w.accept(t, r2, w.otherWorker)
			if _, err := w.referrals.DecideReferral(w.as(w.coordinator), r2.ID, r2.Version, withdraw); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("withdrawing before a case opens is a triage decision", func(t *testing.T) {
			r3 := w.refer(t, "Vic", "Other")
			if _, err := w.referrals.DecideReferral(w.as(w.linkWorker), r3.ID, r3.Version, withdraw); err != nil {
				t.Fatal(err)
			}
		})
	})
}

func TestACommunityGroupSeesAPersonOnlyWhileItHelpsThem(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		boxing := newAsset(w.vcs, "Youth Boxing")
		if err := w.assets.CreateAsset(w.as(w.coordinator), boxing); err != nil {
			t.Fatal(err)
		}
		// The path to each status from suggested, as the link worker and
		// the group move it.
		paths := map[linkwork.ConnectionStatus][]linkwork.ConnectionStatus{
			linkwork.ConnSuggested:  nil,
			linkwork.ConnContacted:  {linkwork.ConnContacted},
			linkwork.ConnAccepted:   {linkwork.ConnContacted, linkwork.ConnAccepted},
			linkwork.ConnDeclined:   {linkwork.ConnContacted, linkwork.ConnDeclined},
			linkwork.ConnAttended:   {linkwork.ConnContacted, linkwork.ConnAccepted, linkwork.ConnAttended},
			linkwork.ConnContinuing: {linkwork.ConnContacted, linkwork.ConnAccepted, linkwork.ConnAttended, linkwork.ConnContinuing},
			linkwork.ConnDropped:    {linkwork.ConnContacted, linkwork.ConnAccepted, linkwork.ConnDropped},
		}
		endReasons := map[linkwork.ConnectionStatus]string{linkwork.ConnDeclined: string(linkwork.DeclineFull), linkwork.ConnDropped: "Stopped going"}
		levels := []linkwork.ConnectionLevel{linkwork.LevelSignpost, linkwork.LevelRefer, linkwork.LevelBuddy, linkwork.LevelPhased}
		statuses := []linkwork.ConnectionStatus{linkwork.ConnSuggested, linkwork.ConnContacted, linkwork.ConnAccepted, linkwork.ConnDeclined,
			linkwork.ConnAttended, linkwork.ConnContinuing, linkwork.ConnDropped}
		n := 0
		for _, level := range levels {
			for _, status := range statuses {
				want := level != linkwork.LevelSignpost && (status == linkwork.ConnContacted || status == linkwork.ConnAccepted ||
					status == linkwork.ConnAttended || status == linkwork.ConnContinuing)
				name := string(level) + " " + string(status)
				t.Run(name, func(t *testing.T) {
					n++
					k := w.accept(t, w.refer(t, "Conn", "Person"+itoa3(n)), w.linkWorker)
					w.agreeToShare(t, k.PersonID)
					c := &linkwork.Connection{CaseID: k.ID, AssetID: boxing.ID, Level: level, Note: "Mum's partner is not to know where they go"}
					if err := w.connections.CreateConnection(w.as(w.linkWorker), c); err != nil {
						t.Fatal(err)
					}
					for _, to := range paths[status] {
						got, err := w.connections.MoveConnection(w.as(w.linkWorker), c.ID, linkwork.ConnectionMove{To: to, Version: c.Version, Reason: endReasons[to]})
						if err != nil {
							t.Fatalf("move to %s: %v", to, err)
						}
						c = got
					}
					p, err := w.people.FindPersonByID(w.as(w.community), k.PersonID)
					if want {
						if err != nil {
							t.Fatalf("the group cannot see the person it is helping: %v", err)
						}
						if !p.DateOfBirth.IsZero() || p.Address != "" || p.Postcode != "" || p.Contact.Notes != "" || len(p.Guardians) != 0 {
							t.Fatalf("the group sees more than it needs to welcome them: %+v", p)
						}
					} else {
						wantCode(t, err, linkwork.ENOTFOUND)
					}
					list, _, err := w.connections.FindConnections(w.as(w.community), linkwork.ConnectionFilter{CaseID: k.ID})
					if err != nil {
						t.Fatal(err)
					}
					if (len(list) == 1) != want {
						t.Fatalf("the group sees %d connections, want %v", len(list), want)
					}
					for _, x := range list {
						if x.Note != "" {
							t.Fatalf("the group reads the link worker's note %q", x.Note)
						}
					}
				})
			}
		}
	})
}

func TestAReferrerSeesThePersonAsTheirReferralGaveThem(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		gp := w.referAs(t, w.referrer, "Mia", "Stone", func(r *linkwork.Referral, p *linkwork.Person) {
			p.Phone = "07700 900111"
			p.Guardians = []linkwork.Guardian{{Name: "Jo Stone", Relationship: "mother", Phone: "07700 900222"}}
			p.Contact.Notes = "Mother and child in refuge, never contact father"
		})
		school := w.referAs(t, w.schoolReferrer, "Mia", "Stone", func(r *linkwork.Referral, p *linkwork.Person) {
			p.Phone, p.Guardians, p.Contact.Notes, p.PreferredName = "", nil, "", "Mimi"
			p.SchoolOrWork = "Millbrook Academy, Year 10"
		})
		if w.reread(t, school.ID).PossibleDuplicateOf != gp.PersonID {
			t.Fatal("the school's referral is not flagged as the GP's person")
		}
		if _, err := w.triage().ResolveDuplicate(w.as(w.coordinator), school.ID, school.Version, true); err != nil {
			t.Fatal(err)
		}
		t.Run("after linking, the school still sees only what it sent", func(t *testing.T) {
			got, err := w.referrals.FindReferralByID(w.as(w.schoolReferrer), school.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.PersonID != gp.PersonID {
				t.Fatalf("the referral is linked to %s, want %s", got.PersonID, gp.PersonID)
			}
			p, err := w.people.FindPersonByID(w.as(w.schoolReferrer), got.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Phone != "" || len(p.Guardians) != 0 || p.Contact.Notes != "" || p.PreferredName != "Mimi" || p.SchoolOrWork != "Millbrook Academy, Year 10" {
				t.Fatalf("the school sees the merged record: %+v", p)
			}
			if got.PersonName != "Mimi Stone" {
				t.Fatalf("the school's referral names %q", got.PersonName)
			}
			list, _, err := w.referrals.FindReferrals(w.as(w.schoolReferrer), linkwork.ReferralFilter{})
			if err != nil || len(list) != 1 || list[0].PersonName != "Mimi Stone" {
				t.Fatalf("the school's list: %v %v", names(list), err)
			}
		})
		t.Run("the GP still sees what the GP sent", func(t *testing.T) {
			p, err := w.people.FindPersonByID(w.as(w.referrer), gp.PersonID)
			if err != nil || p.Phone != "07700 900111" || len(p.Guardians) != 1 || p.SchoolOrWork != "" {
				t.Fatalf("the GP sees %+v %v", p, err)
			}
		})
		t.Run("staff see the whole record", func(t *testing.T) {
			p, err := w.people.FindPersonByID(w.as(w.coordinator), gp.PersonID)
			if err != nil || p.Phone != "07700 900111" || len(p.Guardians) != 1 {
				t.Fatalf("the coordinator sees %+v %v", p, err)
			}
		})
		t.Run("a later change by the service is not shown to referrers", func(t *testing.T) {
			p, err := w.people.FindPersonByID(w.as(w.coordinator), gp.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			p.Address = "Flat 3, Safe House Road"
			if err := w.people.UpdatePerson(w.as(w.coordinator), p); err != nil {
				t.Fatal(err)
			}
			for _, u := range []*linkwork.User{w.referrer, w.schoolReferrer} {
				got, err := w.people.FindPersonByID(w.as(u), gp.PersonID)
				if err != nil || got.Address != "" {
					t.Fatalf("%s sees address %q (%v)", u.Name, got.Address, err)
				}
			}
		})
	})
}

func TestOnlyReferringOrganisationsReferAndHearAboutPeople(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		t.Run("a commissioner cannot be named as the referrer", func(t *testing.T) {
			for _, org := range []*linkwork.Organisation{w.icb, w.otherService} {
				r, p := publicReferral(w)
				r.Pathway, r.Mode, r.ReferrerOrgID = linkwork.PathwayGP, linkwork.ModeReferral, org.ID
				wantField(t, w.referrals.CreateReferral(w.as(w.coordinator), r, p), "referrer_org_id")
			}
		})
		t.Run("a notification to an organisation reaches only those who may see the referral", func(t *testing.T) {
			vcsReferrer := &linkwork.User{Name: "vcsworker", Email: "vcsworker@example.org", Role: linkwork.RoleReferrer, OrgID: w.vcs.ID}
			if err := w.users.CreateUser(w.sys, vcsReferrer, password); err != nil {
				t.Fatal(err)
			}
			// Staff record a referral the boxing club phoned in: the club
			// as a whole hears that it arrived.
			r, p := publicReferral(w)
			r.Pathway, r.Mode, r.ReferrerOrgID = linkwork.PathwayVCS, linkwork.ModeReferral, w.vcs.ID
			if err := w.referrals.CreateReferral(w.as(w.coordinator), r, p); err != nil {
				t.Fatal(err)
			}
			notes := sqlstore.NewNotificationService(w.db)
			about := func(u *linkwork.User) int {
				list, _, _, err := notes.FindNotifications(w.as(u), false, 0, 50)
				if err != nil {
					t.Fatal(err)
				}
				n := 0
				for _, x := range list {
					if x.ReferralID == r.ID {
						n++
					}
				}
				return n
			}
			if about(vcsReferrer) == 0 {
				t.Fatal("the club's referrer did not hear about the referral")
			}
			if n := about(w.community); n != 0 {
				t.Fatalf("the club's community worker, who may not see referrals, read %d notifications about one", n)
			}
		})
	})
}
