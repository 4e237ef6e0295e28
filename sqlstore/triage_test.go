package sqlstore_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// triage returns the triage service over the world's database.
func (w *world) triage() *sqlstore.TriageService { return sqlstore.NewTriageService(w.db) }

// anonymous is a context without an actor: the public forms.
var anonymous = context.Background()

// setClock moves the test clock to t.
func setClock(c *clock, t time.Time) { c.Advance(t.Sub(c.Now())) }

// referAs makes a referral as u for a new person, after edit has changed
// the referral and person, and returns it.
func (w *world) referAs(t *testing.T, u *linkwork.User, given, family string, edit func(*linkwork.Referral, *linkwork.Person)) *linkwork.Referral {
	t.Helper()
	r := &linkwork.Referral{
		SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
		Reasons: "Anxious about exams", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true),
	}
	if u.Role == linkwork.RoleReferrer && u.OrgID == w.school.ID {
		r.Pathway = linkwork.PathwaySchool
	}
	p := newPerson(given, family)
	if edit != nil {
		edit(r, p)
	}
	if err := w.referrals.CreateReferral(w.as(u), r, p); err != nil {
		t.Fatalf("refer %s %s: %v", given, family, err)
	}
	return r
}

// decide applies a coordinator's decision and returns the referral after it.
func (w *world) decide(t *testing.T, r *linkwork.Referral, d linkwork.ReferralDecision) *linkwork.Referral {
	t.Helper()
	got, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, r.Version, d)
	if err != nil {
		t.Fatalf("decide %s: %v", d.To, err)
	}
	return got
}

// reread reads a referral as the coordinator.
func (w *world) reread(t *testing.T, id string) *linkwork.Referral {
	t.Helper()
	r, err := w.referrals.FindReferralByID(w.as(w.coordinator), id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// ids returns the referrals' ids.
func ids(rs []*linkwork.Referral) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}

// auditedList reports whether the actor's latest event is action naming
// every id.
func auditedList(t *testing.T, w *world, actor *linkwork.User, action string, want []string) {
	t.Helper()
	events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{ActorID: actor.ID, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 || events[0].Action != action {
		t.Fatalf("latest event of %s is %+v, want %s", actor.Name, events, action)
	}
	for _, id := range want {
		if !strings.Contains(events[0].Detail, id) {
			t.Fatalf("%s does not name %s: %s", action, id, events[0].Detail)
		}
	}
}

// auditEvent returns the newest event of the action about a record.
func auditEvent(t *testing.T, w *world, recordID, action string) *linkwork.AuditEvent {
	t.Helper()
	events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{RecordID: recordID, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if e.Action == action {
			return e
		}
	}
	t.Fatalf("no %s event about %s", action, recordID)
	return nil
}

// youthSettings are settings a coordinator saves in the tests.
func youthSettings(w *world) *linkwork.ServiceSettings {
	s := linkwork.DefaultServiceSettings(w.service.ID)
	s.MinAge, s.MaxAge = 13, 25
	s.Areas = []string{" ls ", "s2"}
	s.PracticeIDs = []string{w.gp.ID}
	s.Pathways = []linkwork.Pathway{linkwork.PathwayGP, linkwork.PathwaySelf}
	s.Contact = "Call 0113 496 0000"
	return s
}

func TestServiceSettingsStore(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ts := w.triage()
		t.Run("a service without saved settings has the defaults, for anyone", func(t *testing.T) {
			s, err := ts.ServiceSettings(anonymous, w.service.ID)
			if err != nil {
				t.Fatal(err)
			}
			if s.Version != 0 || s.ServiceName != w.service.Name || !slices.Equal(s.Red, linkwork.DefaultRed) || s.CrisisAdvice != linkwork.DefaultCrisisAdvice || s.MinAge != 0 {
				t.Fatalf("settings %+v", s)
			}
			all, err := ts.Services(anonymous)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range all {
				names = append(names, s.ServiceName)
			}
			if !slices.Equal(names, []string{w.otherService.Name, w.service.Name}) {
				t.Fatalf("services %v, want the two services by name", names)
			}
		})
		t.Run("only social prescribing services have settings", func(t *testing.T) {
			for _, id := range []string{w.gp.ID, w.vcs.ID, "no-such-org"} {
				_, err := ts.ServiceSettings(anonymous, id)
				wantCode(t, err, linkwork.ENOTFOUND)
			}
		})
		var saved *linkwork.ServiceSettings
		t.Run("the coordinator saves them, and they read back", func(t *testing.T) {
			saved = youthSettings(w)
			if err := ts.SaveServiceSettings(w.as(w.coordinator), saved); err != nil {
				t.Fatal(err)
			}
			if saved.Version != 1 || saved.UpdatedBy != w.coordinator.ID || saved.ServiceName != w.service.Name {
				t.Fatalf("after save: version %d by %q name %q", saved.Version, saved.UpdatedBy, saved.ServiceName)
			}
			got, err := ts.ServiceSettings(w.as(w.referrer), w.service.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.MinAge != 13 || got.MaxAge != 25 || !slices.Equal(got.Areas, []string{"LS", "S2"}) || !slices.Equal(got.PracticeIDs, []string{w.gp.ID}) ||
				!slices.Equal(got.Pathways, saved.Pathways) || got.Contact != "Call 0113 496 0000" || got.Version != 1 || !got.UpdatedAt.Equal(w.clock.Now()) ||
				!slices.Equal(got.Green, linkwork.DefaultGreen) {
				t.Fatalf("read back %+v", got)
			}
			if a := auditedActions(t, w, w.service.ID); !slices.Contains(a, "settings.update by "+w.coordinator.ID) {
				t.Fatalf("audit %v", a)
			}
			other, _ := ts.ServiceSettings(anonymous, w.otherService.ID)
			if other.Version != 0 || other.MinAge != 0 {
				t.Fatal("saving one service's settings changed another's")
			}
		})
		t.Run("an administrator may save them too", func(t *testing.T) {
			s, _ := ts.ServiceSettings(anonymous, w.service.ID)
			s.MaxAge = 30
			if err := ts.SaveServiceSettings(w.as(w.admin), s); err != nil {
				t.Fatal(err)
			}
			if got, _ := ts.ServiceSettings(anonymous, w.service.ID); got.MaxAge != 30 || got.Version != 2 {
				t.Fatalf("max age %d version %d", got.MaxAge, got.Version)
			}
		})
		tests := []struct {
			name  string
			ctx   func() context.Context
			edit  func(s *linkwork.ServiceSettings)
			code  string
			field string
		}{
			{"a link worker cannot", func() context.Context { return w.as(w.linkWorker) }, nil, linkwork.EFORBIDDEN, ""},
			{"the safeguarding lead cannot", func() context.Context { return w.as(w.safeguarding) }, nil, linkwork.EFORBIDDEN, ""},
			{"another service's coordinator cannot", func() context.Context { return w.as(w.foreignCoord) }, nil, linkwork.EFORBIDDEN, ""},
			{"a referrer cannot", func() context.Context { return w.as(w.referrer) }, nil, linkwork.EFORBIDDEN, ""},
			{"a commissioner cannot", func() context.Context { return w.as(w.commissioner) }, nil, linkwork.EFORBIDDEN, ""},
			{"a community organisation cannot", func() context.Context { return w.as(w.community) }, nil, linkwork.EFORBIDDEN, ""},
			{"the public cannot", func() context.Context { return anonymous }, nil, linkwork.EUNAUTHORIZED, ""},
			{"bad ages are named", nil, func(s *linkwork.ServiceSettings) { s.MinAge = 40 }, linkwork.EINVALID, "max_age"},
			{"a bad area is named", nil, func(s *linkwork.ServiceSettings) { s.Areas = []string{"Leeds"} }, linkwork.EINVALID, "areas"},
			{"a school is not a GP practice", nil, func(s *linkwork.ServiceSettings) { s.PracticeIDs = []string{w.gp.ID, w.school.ID} }, linkwork.EINVALID, "practice_ids"},
			{"a practice that does not exist", nil, func(s *linkwork.ServiceSettings) { s.PracticeIDs = []string{"no-such-practice"} }, linkwork.EINVALID, "practice_ids"},
			{"a stale version is a conflict", nil, func(s *linkwork.ServiceSettings) { s.Version = 1 }, linkwork.ECONFLICT, ""},
			{"a first save when one was made is a conflict", nil, func(s *linkwork.ServiceSettings) { s.Version = 0 }, linkwork.ECONFLICT, ""},
			{"a version from the future is a conflict", nil, func(s *linkwork.ServiceSettings) { s.Version = 9 }, linkwork.ECONFLICT, ""},
			{"something that is not a service", nil, func(s *linkwork.ServiceSettings) { s.ServiceOrgID = w.gp.ID }, linkwork.EFORBIDDEN, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				s, _ := ts.ServiceSettings(anonymous, w.service.ID)
				before := s.Version
				s.Contact = "changed"
				if tt.edit != nil {
					tt.edit(s)
				}
				ctx := w.as(w.coordinator)
				if tt.ctx != nil {
					ctx = tt.ctx()
				}
				err := ts.SaveServiceSettings(ctx, s)
				wantCode(t, err, tt.code)
				if tt.field != "" {
					wantField(t, err, tt.field)
				}
				if got, _ := ts.ServiceSettings(anonymous, w.service.ID); got.Version != before || got.Contact == "changed" {
					t.Fatalf("a refused save was stored: version %d contact %q", got.Version, got.Contact)
				}
			})
		}
		t.Run("an administrator saving something that is not a service is told it is not found", func(t *testing.T) {
			s := linkwork.DefaultServiceSettings(w.gp.ID)
			wantCode(t, ts.SaveServiceSettings(w.as(w.admin), s), linkwork.ENOTFOUND)
		})
	})
}

func TestReferralPracticeOutcomeAndMine(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		t.Run("the GP practice is kept, and must be a practice", func(t *testing.T) {
			r := w.referAs(t, w.schoolReferrer, "Ash", "Gray", func(r *linkwork.Referral, p *linkwork.Person) { r.GPPracticeOrgID = w.gp.ID })
			if got := w.reread(t, r.ID); got.GPPracticeOrgID != w.gp.ID {
				t.Fatalf("practice %q", got.GPPracticeOrgID)
			}
			for _, id := range []string{w.school.ID, "no-such-practice"} {
				bad := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwaySchool, Mode: linkwork.ModeReferral, Reasons: "x", PersonAware: new(true), ConsentReferral: true, GPPracticeOrgID: id}
				wantField(t, w.referrals.CreateReferral(w.as(w.schoolReferrer), bad, newPerson("Bo", "Gray")), "gp_practice_org_id")
			}
		})
		t.Run("a referrer lists their own referrals", func(t *testing.T) {
			mine := w.referAs(t, w.referrer, "Mo", "Own", nil)
			// A call from the practice recorded by the coordinator is the
			// practice's referral, but not the referrer's own.
			theirs := w.referAs(t, w.coordinator, "Jo", "Call", func(r *linkwork.Referral, p *linkwork.Person) { r.ReferrerOrgID = w.gp.ID })
			got, total, err := w.referrals.FindReferrals(w.as(w.referrer), linkwork.ReferralFilter{ReferrerUserID: w.referrer.ID})
			if err != nil || total != 1 || got[0].ID != mine.ID {
				t.Fatalf("own referrals %v total %d err %v", ids(got), total, err)
			}
			_, total, _ = w.referrals.FindReferrals(w.as(w.referrer), linkwork.ReferralFilter{ReferrerOrgID: w.gp.ID})
			if total != 2 {
				t.Fatalf("the practice's referrals: %d, want 2", total)
			}
			_, total, _ = w.referrals.FindReferrals(w.as(w.coordinator), linkwork.ReferralFilter{ReferrerUserID: w.coordinator.ID})
			if total != 1 {
				t.Fatalf("the coordinator's own: %d, want 1 (%s)", total, theirs.ID)
			}
			// Scope still applies: another practice's referrer filtering
			// by this referrer sees nothing.
			_, total, _ = w.referrals.FindReferrals(w.as(w.schoolReferrer), linkwork.ReferralFilter{ReferrerUserID: w.referrer.ID})
			if total != 0 {
				t.Fatalf("a school referrer sees %d of a GP's referrals", total)
			}
		})
		t.Run("the outcome is shared only with consent, once the case has closed", func(t *testing.T) {
			shared := w.referAs(t, w.referrer, "Sam", "Shared", nil)
			private := w.referAs(t, w.referrer, "Pip", "Private", func(r *linkwork.Referral, p *linkwork.Person) { r.ConsentSharing = false })
			received := w.referAs(t, w.referrer, "Rae", "Waiting", nil)
			withdrawn := w.referAs(t, w.referrer, "Wes", "Withdrawn", nil)
			var cases []*linkwork.Case
			for _, r := range []*linkwork.Referral{shared, private, withdrawn} {
				cases = append(cases, w.accept(t, r, w.linkWorker))
			}
			read := func(r *linkwork.Referral) (*linkwork.Referral, *linkwork.Referral) {
				one, err := w.referrals.FindReferralByID(w.as(w.referrer), r.ID)
				if err != nil {
					t.Fatal(err)
				}
				list, _, err := w.referrals.FindReferrals(w.as(w.referrer), linkwork.ReferralFilter{Limit: 500})
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range list {
					if x.ID == r.ID {
						return one, x
					}
				}
				t.Fatalf("referral %s not listed", r.ID)
				return nil, nil
			}
			one, listed := read(shared)
			for _, got := range []*linkwork.Referral{one, listed} {
				if got.CaseStatus != linkwork.CaseActive || got.Outcome != "" || !got.ClosedAt.IsZero() {
					t.Fatalf("before closing: case %s outcome %q closed %v", got.CaseStatus, got.Outcome, got.ClosedAt)
				}
			}
			if a, b := read(received); a.CaseStatus != "" || b.CaseStatus != "" {
				t.Fatalf("a referral without a case has case status %q/%q", a.CaseStatus, b.CaseStatus)
			}
			w.clock.Advance(time.Hour)
			p, err := w.people.FindPersonByID(w.as(w.coordinator), withdrawn.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			p.Consents = append(p.Consents, linkwork.Consent{Kind: linkwork.ConsentShareReferrer, Given: false, GivenBy: "self"})
			if err := w.people.UpdatePerson(w.as(w.coordinator), p); err != nil {
				t.Fatal(err)
			}
			for _, c := range cases {
				if _, err := w.cases.CloseCase(w.as(w.linkWorker), c.ID, c.Version, linkwork.CaseClosure{Reason: linkwork.ClosedConnected, OutcomeSummary: "Joined a running club"}); err != nil {
					t.Fatal(err)
				}
			}
			one, listed = read(shared)
			for _, got := range []*linkwork.Referral{one, listed} {
				if got.CaseStatus != linkwork.CaseClosed || got.Outcome != "Joined a running club" || !got.ClosedAt.Equal(w.clock.Now()) {
					t.Fatalf("shared after closing: case %s outcome %q closed %v", got.CaseStatus, got.Outcome, got.ClosedAt)
				}
			}
			one, listed = read(private)
			for _, got := range []*linkwork.Referral{one, listed} {
				if got.CaseStatus != linkwork.CaseClosed || got.Outcome != "" || !got.ClosedAt.IsZero() {
					t.Fatalf("private after closing: case %s outcome %q closed %v", got.CaseStatus, got.Outcome, got.ClosedAt)
				}
			}
			// Wes agreed on the form, then told his link worker not to
			// share: the later answer holds.
			one, listed = read(withdrawn)
			for _, got := range []*linkwork.Referral{one, listed} {
				if got.CaseStatus != linkwork.CaseClosed || got.Outcome != "" || !got.ClosedAt.IsZero() {
					t.Fatalf("withdrawn after closing: case %s outcome %q closed %v", got.CaseStatus, got.Outcome, got.ClosedAt)
				}
			}
		})
	})
}

// publicReferral is a valid self-referral to the world's service.
func publicReferral(w *world) (*linkwork.Referral, *linkwork.Person) {
	r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwaySelf, Reasons: "I feel lonely since I moved here",
		WhatTheyWant: "Meet people my age", ConsentReferral: true, PersonAware: new(true)}
	p := &linkwork.Person{GivenName: "Kai", FamilyName: "Public", DateOfBirth: linkwork.Date{Year: 2008, Month: 9, Day: 1}, Postcode: "ls9 1aa", Email: "kai@example.org"}
	return r, p
}

func TestPublicReferral(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		var first *linkwork.Referral
		t.Run("a self-referral needs no account and is recorded as from the public form", func(t *testing.T) {
			r, p := publicReferral(w)
			r.Mode, r.ReferrerOrgID, r.ReferrerUserID, r.Streetlight = linkwork.ModeReferral, w.gp.ID, w.referrer.ID, linkwork.StreetlightGreen
			if err := w.referrals.SubmitPublicReferral(anonymous, r, p); err != nil {
				t.Fatal(err)
			}
			if r.ID == "" || p.ID == "" || r.PersonID != p.ID || r.Status != linkwork.ReferralReceived || r.Version != 1 {
				t.Fatalf("stored %+v", r)
			}
			got := w.reread(t, r.ID)
			if got.Mode != linkwork.ModeSelfReferral || got.ReferrerOrgID != "" || got.ReferrerUserID != "" || got.PersonName != "Kai Public" {
				t.Fatalf("mode %s referrer %q/%q person %q", got.Mode, got.ReferrerOrgID, got.ReferrerUserID, got.PersonName)
			}
			if got.Streetlight != linkwork.StreetlightUnrated {
				t.Fatalf("the public rated their own referral %s", got.Streetlight)
			}
			if _, err := w.referrals.FindReferralByID(w.as(w.referrer), r.ID); linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
				t.Fatalf("the practice named on the form sees the self-referral: %v", err)
			}
			if e := auditEvent(t, w, r.ID, "referral.create"); e.ActorID != "system" || e.Purpose != "public referral form" || e.Detail != "public:self" {
				t.Fatalf("audit %+v", e)
			}
			first = r
		})
		t.Run("a parent may refer their child", func(t *testing.T) {
			r, p := publicReferral(w)
			r.Pathway, r.ReferrerName, r.ReferrerRole, r.ReferrerContact = linkwork.PathwayFamily, "Lee Parent", "father", "07700 900123"
			p.GivenName, p.Email = "Ola", ""
			if err := w.referrals.SubmitPublicReferral(anonymous, r, p); err != nil {
				t.Fatal(err)
			}
			if got := w.reread(t, r.ID); got.Pathway != linkwork.PathwayFamily || got.ReferrerName != "Lee Parent" || got.ReferrerContact != "07700 900123" {
				t.Fatalf("stored %+v", got)
			}
		})
		t.Run("someone already known is flagged for triage, not told", func(t *testing.T) {
			r, p := publicReferral(w)
			if err := w.referrals.SubmitPublicReferral(anonymous, r, p); err != nil {
				t.Fatal(err)
			}
			if r.PossibleDuplicateOf != "" {
				t.Fatal("the public form was told the service already knows someone matching")
			}
			if got := w.reread(t, r.ID); got.PossibleDuplicateOf != first.PersonID {
				t.Fatalf("flagged as a duplicate of %q, want %q", got.PossibleDuplicateOf, first.PersonID)
			}
		})
		tests := []struct {
			name   string
			edit   func(r *linkwork.Referral, p *linkwork.Person)
			fields []string
		}{
			{"a professional pathway", func(r *linkwork.Referral, p *linkwork.Person) { r.Pathway = linkwork.PathwayGP }, []string{"pathway"}},
			{"the hub's pathway is for staff", func(r *linkwork.Referral, p *linkwork.Person) { r.Pathway = linkwork.PathwayHub }, []string{"pathway"}},
			{"no pathway", func(r *linkwork.Referral, p *linkwork.Person) { r.Pathway = "" }, []string{"pathway"}},
			{"every problem with the referral and the person is named", func(r *linkwork.Referral, p *linkwork.Person) {
				r.Reasons, r.ConsentReferral = " ", false
				p.GivenName, p.Postcode, p.DateOfBirth = "", "XX", linkwork.Date{Year: 2099, Month: 1, Day: 1}
			}, []string{"reasons", "consent_referral", "person.given_name", "person.postcode", "person.date_of_birth"}},
			{"an existing person cannot be named", func(r *linkwork.Referral, p *linkwork.Person) { p.ID = first.PersonID }, []string{"person.id"}},
			{"the public cannot record consents or competence", func(r *linkwork.Referral, p *linkwork.Person) {
				p.Consents = []linkwork.Consent{{Kind: linkwork.ConsentEvaluation, Given: true, GivenBy: "parent"}}
				p.Competence = &linkwork.Competence{Competent: true}
			}, []string{"person.consents", "person.competence"}},
			{"no service", func(r *linkwork.Referral, p *linkwork.Person) { r.ServiceOrgID = "" }, []string{"service_org_id"}},
			{"a community organisation is not a service", func(r *linkwork.Referral, p *linkwork.Person) { r.ServiceOrgID = w.vcs.ID }, []string{"service_org_id"}},
			{"a service that does not exist", func(r *linkwork.Referral, p *linkwork.Person) { r.ServiceOrgID = "no-such-service" }, []string{"service_org_id"}},
			{"a GP practice that is a school", func(r *linkwork.Referral, p *linkwork.Person) { r.GPPracticeOrgID = w.school.ID }, []string{"gp_practice_org_id"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, before, _ := w.referrals.FindReferrals(w.as(w.coordinator), linkwork.ReferralFilter{})
				r, p := publicReferral(w)
				tt.edit(r, p)
				err := w.referrals.SubmitPublicReferral(anonymous, r, p)
				for _, f := range tt.fields {
					wantField(t, err, f)
				}
				if _, after, _ := w.referrals.FindReferrals(w.as(w.coordinator), linkwork.ReferralFilter{}); after != before {
					t.Fatalf("a refused referral was stored: %d referrals, was %d", after, before)
				}
			})
		}
		t.Run("someone referring themself knows about it, whatever the request says", func(t *testing.T) {
			r, p := publicReferral(w)
			r.PersonAware = new(false)
			p.GivenName, p.Email = "Ola", "ola@example.org"
			if err := w.referrals.SubmitPublicReferral(anonymous, r, p); err != nil {
				t.Fatal(err)
			}
			if got := w.reread(t, r.ID); !got.Aware() {
				t.Fatal("a self-referral stored as without the person's knowledge")
			}
		})
		t.Run("no person at all", func(t *testing.T) {
			r, _ := publicReferral(w)
			wantField(t, w.referrals.SubmitPublicReferral(anonymous, r, nil), "person")
		})
		t.Run("a service that does not take the pathway says so", func(t *testing.T) {
			ts := w.triage()
			s := youthSettings(w) // GP and self-referrals only
			if err := ts.SaveServiceSettings(w.as(w.coordinator), s); err != nil {
				t.Fatal(err)
			}
			r, p := publicReferral(w)
			r.Pathway = linkwork.PathwayFamily
			r.ReferrerName, r.ReferrerContact = "Jo Parent", "07700 900123"
			err := w.referrals.SubmitPublicReferral(anonymous, r, p)
			wantField(t, err, "service_org_id")
			if msg := linkwork.ErrorFields(err)[0].Message; !strings.Contains(msg, "does not take referrals from parents, carers or family") || !strings.Contains(msg, "0113 496 0000") {
				t.Fatalf("message %q does not say why or how to get in touch", msg)
			}
			r, p = publicReferral(w)
			p.GivenName = "Una"
			if err := w.referrals.SubmitPublicReferral(anonymous, r, p); err != nil {
				t.Fatalf("a self-referral the service takes: %v", err)
			}
		})
	})
}

func TestTriageQueue(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ts := w.triage()
		start := w.clock.Now()
		next := func() { w.clock.Advance(time.Minute) }
		light := func(s linkwork.Streetlight) func(*linkwork.Referral, *linkwork.Person) {
			return func(r *linkwork.Referral, p *linkwork.Person) { r.Streetlight = s }
		}
		green := w.referAs(t, w.referrer, "Gia", "Green", light(linkwork.StreetlightGreen))
		next()
		amber1 := w.referAs(t, w.referrer, "Al", "Amberone", light(linkwork.StreetlightAmber))
		next()
		red := w.referAs(t, w.referrer, "Red", "Adult", func(r *linkwork.Referral, p *linkwork.Person) {
			r.Streetlight, p.DateOfBirth = linkwork.StreetlightRed, linkwork.Date{Year: 1990, Month: 1, Day: 1}
		})
		next()
		unrated := w.referAs(t, w.schoolReferrer, "Uma", "Unrated", nil)
		next()
		amber2 := w.referAs(t, w.referrer, "Aziz", "Ambertwo", func(r *linkwork.Referral, p *linkwork.Person) {
			r.Streetlight, p.DateOfBirth = linkwork.StreetlightAmber, linkwork.Date{}
		})
		next()
		returned := w.referAs(t, w.referrer, "Reg", "Returned", light(linkwork.StreetlightGreen))
		next()
		due := w.referAs(t, w.referrer, "Dee", "Due", nil)
		next()
		notDue := w.referAs(t, w.referrer, "Nat", "Notdue", nil)
		next()
		accepted := w.referAs(t, w.referrer, "Ace", "Accepted", nil)
		next()
		declined := w.referAs(t, w.referrer, "Dex", "Declined", nil)
		in := func(days int) linkwork.Date { return linkwork.DateOf(start.AddDate(0, 0, days)) }
		w.decide(t, returned, linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: in(7), Reason: "Exams first"})
		w.decide(t, due, linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: in(8)})
		w.decide(t, notDue, linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: in(60)})
		w.accept(t, accepted, nil)
		w.decide(t, declined, linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "Needs CAMHS", OnwardDestination: "CAMHS single point of access"})
		// A week on, the job returns one deferral; a day later another is
		// due but the job has not run.
		w.clock.Advance(7 * 24 * time.Hour)
		if n, err := ts.ReturnDueDeferrals(w.sys); err != nil || n != 1 {
			t.Fatalf("returned %d, err %v", n, err)
		}
		w.clock.Advance(24 * time.Hour)
		// Another service's referral never shows.
		foreign := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.otherService.ID, Pathway: linkwork.PathwayHub, Mode: linkwork.ModeSelfReferral, Reasons: "Walked in", ConsentReferral: true}
		if err := w.referrals.CreateReferral(w.as(w.foreignCoord), foreign, newPerson("Fay", "Foreign")); err != nil {
			t.Fatal(err)
		}

		normal := []string{green.ID, amber1.ID, red.ID, unrated.ID, amber2.ID, returned.ID, due.ID}
		meeting := []string{returned.ID, due.ID, amber1.ID, amber2.ID, red.ID, unrated.ID}
		tests := []struct {
			name  string
			f     linkwork.TriageFilter
			want  []string
			total int
		}{
			{"oldest first: received, in triage and deferred ones that are due", linkwork.TriageFilter{}, normal, 7},
			{"a page", linkwork.TriageFilter{Offset: 2, Limit: 2}, normal[2:4], 7},
			{"the team meeting: back from deferral, amber, red, then unrated; no greens", linkwork.TriageFilter{Meeting: true}, meeting, 6},
			{"a page of the meeting", linkwork.TriageFilter{Meeting: true, Offset: 1, Limit: 2}, meeting[1:3], 6},
			{"by pathway", linkwork.TriageFilter{Pathway: linkwork.PathwaySchool}, []string{unrated.ID}, 1},
			{"by age band, leaving out people without a date of birth", linkwork.TriageFilter{AgeBand: "13-15"}, []string{green.ID, amber1.ID, unrated.ID, returned.ID, due.ID}, 5},
			{"an adult band", linkwork.TriageFilter{AgeBand: "26-plus"}, []string{red.ID}, 1},
			{"a band nobody is in", linkwork.TriageFilter{AgeBand: "18-25"}, nil, 0},
			{"meeting, pathway and band together", linkwork.TriageFilter{Meeting: true, Pathway: linkwork.PathwayGP, AgeBand: "13-15"}, []string{returned.ID, due.ID, amber1.ID}, 3},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := ts.TriageQueue(w.as(w.coordinator), tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(got), tt.want) || total != tt.total {
					t.Fatalf("queue %v total %d, want %v total %d", ids(got), total, tt.want, tt.total)
				}
				if len(got) > 0 {
					auditedList(t, w, w.coordinator, "referral.list", tt.want)
				}
			})
		}
		t.Run("names and dates of birth are filled for the list", func(t *testing.T) {
			got, _, _ := ts.TriageQueue(w.as(w.linkWorker), linkwork.TriageFilter{Limit: 1})
			if got[0].PersonName != "Gia Green" || got[0].PersonDateOfBirth.IsZero() {
				t.Fatalf("first %+v", got[0])
			}
			if got, _, _ := ts.TriageQueue(w.as(w.linkWorker), linkwork.TriageFilter{Meeting: true, Limit: 1}); got[0].ReturnedAt.IsZero() {
				t.Fatal("the returned referral does not say when it came back")
			}
		})
		t.Run("a corrected date of birth moves the referral between bands", func(t *testing.T) {
			ctx := w.as(w.coordinator)
			p, err := w.people.FindPersonByID(ctx, red.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			p.DateOfBirth = linkwork.DateOf(w.clock.Now().AddDate(-20, 0, 0))
			if err := w.people.UpdatePerson(ctx, p); err != nil {
				t.Fatal(err)
			}
			for band, want := range map[string][]string{"18-25": {red.ID}, "26-plus": nil} {
				got, _, err := ts.TriageQueue(ctx, linkwork.TriageFilter{AgeBand: band})
				if err != nil || !slices.Equal(ids(got), want) {
					t.Errorf("band %s: %v %v, want %v", band, ids(got), err, want)
				}
			}
		})
		t.Run("a bad filter is named", func(t *testing.T) {
			_, _, err := ts.TriageQueue(w.as(w.coordinator), linkwork.TriageFilter{AgeBand: "teens"})
			wantField(t, err, "age_band")
			_, _, err = ts.TriageQueue(w.as(w.coordinator), linkwork.TriageFilter{Pathway: "fax"})
			wantField(t, err, "pathway")
		})
		who := []struct {
			u     *linkwork.User
			code  string
			total int
		}{
			{w.linkWorker, "", 7}, {w.coordinator, "", 7}, {w.safeguarding, "", 7}, {w.foreignCoord, "", 1},
			{w.referrer, linkwork.EFORBIDDEN, 0}, {w.schoolReferrer, linkwork.EFORBIDDEN, 0}, {w.community, linkwork.EFORBIDDEN, 0},
			{w.commissioner, linkwork.EFORBIDDEN, 0}, {w.admin, linkwork.EFORBIDDEN, 0},
		}
		for _, tt := range who {
			t.Run("as "+string(tt.u.Role)+" "+tt.u.Name, func(t *testing.T) {
				got, total, err := ts.TriageQueue(w.as(tt.u), linkwork.TriageFilter{})
				wantCode(t, err, tt.code)
				if total != tt.total || len(got) != tt.total {
					t.Fatalf("%d listed, total %d; want %d", len(got), total, tt.total)
				}
				if tt.u == w.foreignCoord && got[0].ID != foreign.ID {
					t.Fatalf("another service's coordinator sees %v", ids(got))
				}
			})
		}
		t.Run("the public", func(t *testing.T) {
			_, _, err := ts.TriageQueue(anonymous, linkwork.TriageFilter{})
			wantCode(t, err, linkwork.EUNAUTHORIZED)
		})
	})
}

func TestReturnDueDeferrals(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ts := w.triage()
		start := w.clock.Now()
		in := func(days int) linkwork.Date { return linkwork.DateOf(start.AddDate(0, 0, days)) }
		week := w.decide(t, w.refer(t, "Wes", "Week"), linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: in(7), Reason: "After half term"})
		fortnight := w.decide(t, w.refer(t, "Fen", "Fortnight"), linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: in(14)})
		queued := func() []string {
			got, _, err := ts.TriageQueue(w.as(w.coordinator), linkwork.TriageFilter{})
			if err != nil {
				t.Fatal(err)
			}
			return ids(got)
		}
		t.Run("nothing comes back before its date", func(t *testing.T) {
			w.clock.Advance(6 * 24 * time.Hour)
			if n, err := ts.ReturnDueDeferrals(w.sys); err != nil || n != 0 {
				t.Fatalf("returned %d, err %v", n, err)
			}
			if q := queued(); len(q) != 0 {
				t.Fatalf("queue %v before any date", q)
			}
		})
		t.Run("on its date it is in the queue, and the job moves it to triage", func(t *testing.T) {
			w.clock.Advance(24 * time.Hour)
			if q := queued(); !slices.Equal(q, []string{week.ID}) {
				t.Fatalf("queue %v, want the referral due today", q)
			}
			if n, err := ts.ReturnDueDeferrals(w.sys); err != nil || n != 1 {
				t.Fatalf("returned %d, err %v", n, err)
			}
			got := w.reread(t, week.ID)
			last := got.Transitions[len(got.Transitions)-1]
			if got.Status != linkwork.ReferralTriage || !got.ReturnedAt.Equal(w.clock.Now()) || got.Version != week.Version+1 || got.DeferUntil != in(7) {
				t.Fatalf("status %s returned %v version %d (was %d) defer until %s", got.Status, got.ReturnedAt, got.Version, week.Version, got.DeferUntil)
			}
			if len(got.Transitions) != 2 || last.From != linkwork.ReferralDeferred || last.To != linkwork.ReferralTriage || last.ByID != "system" ||
				last.Reason != "Deferred until "+in(7).String()+": back for review" {
				t.Fatalf("transitions %+v", got.Transitions)
			}
			if a := auditedActions(t, w, week.ID); !slices.Contains(a, "referral.return by system") {
				t.Fatalf("audit %v", a)
			}
			if q := queued(); !slices.Equal(q, []string{week.ID}) {
				t.Fatalf("queue %v after the job", q)
			}
		})
		t.Run("running it again moves nothing", func(t *testing.T) {
			if n, err := ts.ReturnDueDeferrals(w.sys); err != nil || n != 0 {
				t.Fatalf("returned %d, err %v", n, err)
			}
			if got := w.reread(t, week.ID); len(got.Transitions) != 2 || got.Version != week.Version+1 {
				t.Fatalf("a second run changed it: %d transitions, version %d", len(got.Transitions), got.Version)
			}
		})
		t.Run("a decision made on the version before the return is stale", func(t *testing.T) {
			_, err := w.referrals.DecideReferral(w.as(w.coordinator), week.ID, week.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted})
			wantCode(t, err, linkwork.ECONFLICT)
		})
		for _, u := range []*linkwork.User{w.linkWorker, w.safeguarding, w.referrer, w.community, w.commissioner, w.admin} {
			t.Run(string(u.Role)+" cannot run it", func(t *testing.T) {
				_, err := ts.ReturnDueDeferrals(w.as(u))
				wantCode(t, err, linkwork.EFORBIDDEN)
			})
		}
		t.Run("the public cannot run it", func(t *testing.T) {
			_, err := ts.ReturnDueDeferrals(anonymous)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
		})
		t.Run("a coordinator returns their own service's only", func(t *testing.T) {
			w.clock.Advance(7 * 24 * time.Hour)
			if n, err := ts.ReturnDueDeferrals(w.as(w.foreignCoord)); err != nil || n != 0 {
				t.Fatalf("another service's coordinator returned %d, err %v", n, err)
			}
			if n, err := ts.ReturnDueDeferrals(w.as(w.coordinator)); err != nil || n != 1 {
				t.Fatalf("returned %d, err %v", n, err)
			}
			got := w.reread(t, fortnight.ID)
			if got.Status != linkwork.ReferralTriage || got.Transitions[len(got.Transitions)-1].ByID != w.coordinator.ID {
				t.Fatalf("status %s transitions %+v", got.Status, got.Transitions)
			}
		})
	})
}

func TestReturnDueDeferralsOnTheUKDate(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ts := w.triage()
		setClock(w.clock, time.Date(2026, 6, 20, 12, 0, 0, 0, time.UTC))
		r := w.decide(t, w.refer(t, "Bea", "Summer"), linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: linkwork.Date{Year: 2026, Month: 7, Day: 1}})
		// 22:30 UTC on the 30th of June is 23:30 in London: not yet.
		setClock(w.clock, time.Date(2026, 6, 30, 22, 30, 0, 0, time.UTC))
		if n, err := ts.ReturnDueDeferrals(w.sys); err != nil || n != 0 {
			t.Fatalf("returned %d at 23:30 BST the day before, err %v", n, err)
		}
		// 23:30 UTC is half past midnight on the 1st of July in London.
		w.clock.Advance(time.Hour)
		if n, err := ts.ReturnDueDeferrals(w.sys); err != nil || n != 1 {
			t.Fatalf("returned %d at 00:30 BST on the day, err %v", n, err)
		}
		if got := w.reread(t, r.ID); got.Status != linkwork.ReferralTriage {
			t.Fatalf("status %s", got.Status)
		}
	})
}

func TestReturnDueDeferralsConcurrently(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ts := w.triage()
		tomorrow := linkwork.DateOf(w.clock.Now().AddDate(0, 0, 1))
		var deferred []*linkwork.Referral
		for i := range 6 {
			r := w.refer(t, "Con", "Current"+itoa3(i))
			deferred = append(deferred, w.decide(t, r, linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: tomorrow}))
		}
		w.clock.Advance(24 * time.Hour)
		var wg sync.WaitGroup
		var mu sync.Mutex
		moved, declined := 0, 0
		var errs []error
		for range 4 {
			wg.Go(func() {
				n, err := ts.ReturnDueDeferrals(w.sys)
				mu.Lock()
				defer mu.Unlock()
				moved += n
				if err != nil {
					errs = append(errs, err)
				}
			})
		}
		// A decision on one of them at the same time: whichever goes
		// first wins, and the other does not undo it.
		wg.Go(func() {
			_, err := w.referrals.DecideReferral(w.as(w.coordinator), deferred[3].ID, deferred[3].Version,
				linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "Moved away", OnwardDestination: "Their new GP"})
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				declined++
			} else if linkwork.ErrorCode(err) != linkwork.ECONFLICT {
				errs = append(errs, err)
			}
		})
		wg.Wait()
		if len(errs) > 0 {
			t.Fatalf("errors: %v", errs)
		}
		if moved+declined != len(deferred) {
			t.Fatalf("moved %d and declined %d of %d", moved, declined, len(deferred))
		}
		for _, r := range deferred {
			got := w.reread(t, r.ID)
			returns := 0
			for _, tr := range got.Transitions {
				if tr.From == linkwork.ReferralDeferred {
					returns++
				}
			}
			if returns != 1 || (got.Status != linkwork.ReferralTriage && got.Status != linkwork.ReferralDeclined) {
				t.Fatalf("%s: status %s after %d moves out of deferral", r.ID, got.Status, returns)
			}
		}
	})
}

func TestWaitingList(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ts := w.triage()
		first := w.accept(t, w.refer(t, "Wyn", "First"), nil)
		t.Run("with nobody allocated lately, the wait is not known", func(t *testing.T) {
			wl, err := ts.WaitingList(w.as(w.coordinator), 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			if wl.Total != 1 || len(wl.Entries) != 1 || wl.Entries[0].Case.ID != first.ID || wl.AllocatedPerWeek != 0 || wl.Entries[0].ExpectedKnown {
				t.Fatalf("waiting list %+v", wl)
			}
		})
		// Allocated thirteen weeks ago: outside the twelve weeks the
		// throughput is counted over.
		if _, err := w.cases.AllocateCase(w.as(w.coordinator), first.ID, first.Version, w.linkWorker.ID); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(13 * 7 * 24 * time.Hour)
		w.accept(t, w.refer(t, "Al", "Located"), w.linkWorker)
		w.accept(t, w.refer(t, "Ali", "Located"), w.otherWorker)
		var waiting []*linkwork.Case
		for i, name := range []string{"Ava", "Ben", "Cy"} {
			if i > 0 {
				w.clock.Advance(time.Hour)
			}
			waiting = append(waiting, w.accept(t, w.refer(t, name, "Waiting"), nil))
		}
		w.clock.Advance(3 * 24 * time.Hour)
		t.Run("in order, with positions, waits so far and expected waits", func(t *testing.T) {
			wl, err := ts.WaitingList(w.as(w.coordinator), 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			perWeek := 2.0 / 12
			if wl.Total != 3 || len(wl.Entries) != 3 || wl.ThroughputWeeks != 12 || wl.AllocatedPerWeek != perWeek {
				t.Fatalf("total %d entries %d throughput %v over %d weeks", wl.Total, len(wl.Entries), wl.AllocatedPerWeek, wl.ThroughputWeeks)
			}
			for i, e := range wl.Entries {
				weeks, _ := linkwork.ExpectedWait(i+1, perWeek)
				if e.Case.ID != waiting[i].ID || e.Position != i+1 || e.Waited != w.clock.Now().Sub(waiting[i].OpenedAt) || !e.ExpectedKnown || e.ExpectedWeeks != weeks {
					t.Fatalf("entry %d: %+v", i, e)
				}
				if e.Case.PersonName == "" {
					t.Fatalf("entry %d has no name", i)
				}
			}
			if wl.Entries[0].ExpectedWeeks != 6 || wl.Entries[0].Waited != 3*24*time.Hour+2*time.Hour {
				t.Fatalf("first waits %v weeks, waited %v", wl.Entries[0].ExpectedWeeks, wl.Entries[0].Waited)
			}
			auditedList(t, w, w.coordinator, "case.list", []string{waiting[0].ID, waiting[1].ID, waiting[2].ID})
		})
		t.Run("a page keeps its positions", func(t *testing.T) {
			wl, err := ts.WaitingList(w.as(w.linkWorker), 1, 1)
			if err != nil {
				t.Fatal(err)
			}
			if wl.Total != 3 || len(wl.Entries) != 1 || wl.Entries[0].Case.ID != waiting[1].ID || wl.Entries[0].Position != 2 {
				t.Fatalf("page %+v", wl)
			}
		})
		t.Run("allocating from it moves everyone up", func(t *testing.T) {
			if _, err := w.cases.AllocateCase(w.as(w.coordinator), waiting[0].ID, waiting[0].Version, w.otherWorker.ID); err != nil {
				t.Fatal(err)
			}
			wl, err := ts.WaitingList(w.as(w.safeguarding), 0, 50)
			if err != nil {
				t.Fatal(err)
			}
			if wl.Total != 2 || wl.Entries[0].Case.ID != waiting[1].ID || wl.Entries[0].Position != 1 || wl.AllocatedPerWeek != 3.0/12 {
				t.Fatalf("after allocating: %+v", wl)
			}
		})
		t.Run("another service's coordinator sees their own, empty, list", func(t *testing.T) {
			wl, err := ts.WaitingList(w.as(w.foreignCoord), 0, 50)
			if err != nil || wl.Total != 0 || len(wl.Entries) != 0 || wl.AllocatedPerWeek != 0 {
				t.Fatalf("%+v %v", wl, err)
			}
		})
		for _, u := range []*linkwork.User{w.referrer, w.community, w.commissioner, w.admin} {
			t.Run(string(u.Role)+" cannot see it", func(t *testing.T) {
				_, err := ts.WaitingList(w.as(u), 0, 50)
				wantCode(t, err, linkwork.EFORBIDDEN)
			})
		}
	})
}

func TestCaseloads(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ts := w.triage()
		w.accept(t, w.refer(t, "Lu", "One"), w.linkWorker)
		w.accept(t, w.refer(t, "Lu", "Two"), w.linkWorker)
		w.accept(t, w.refer(t, "Ot", "One"), w.otherWorker)
		closed := w.accept(t, w.refer(t, "Ot", "Closed"), w.otherWorker)
		if _, err := w.cases.CloseCase(w.as(w.otherWorker), closed.ID, closed.Version, linkwork.CaseClosure{Reason: linkwork.ClosedConnected}); err != nil {
			t.Fatal(err)
		}
		w.accept(t, w.refer(t, "Wa", "Iting"), nil)
		newWorker := func(name string) *linkwork.User {
			u := &linkwork.User{Name: name, Email: name + "@example.org", Role: linkwork.RoleLinkWorker, OrgID: w.service.ID}
			if err := w.users.CreateUser(w.sys, u, password); err != nil {
				t.Fatal(err)
			}
			return u
		}
		fresh := newWorker("anna")
		gone := newWorker("aaron")
		if err := w.users.DisableUser(w.sys, gone.ID); err != nil {
			t.Fatal(err)
		}
		want := []linkwork.Caseload{{UserID: fresh.ID, Name: "anna", Active: 0}, {UserID: w.otherWorker.ID, Name: "otherworker", Active: 1}, {UserID: w.linkWorker.ID, Name: "linkworker", Active: 2}}
		for _, u := range []*linkwork.User{w.coordinator, w.linkWorker, w.safeguarding} {
			t.Run(string(u.Role)+" sees the smallest first", func(t *testing.T) {
				got, err := ts.Caseloads(w.as(u))
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(got, want) {
					t.Fatalf("caseloads %+v, want %+v", got, want)
				}
			})
		}
		t.Run("another service's coordinator sees their own link workers only", func(t *testing.T) {
			got, err := ts.Caseloads(w.as(w.foreignCoord))
			if err != nil || len(got) != 0 {
				t.Fatalf("%+v %v", got, err)
			}
		})
		for _, u := range []*linkwork.User{w.referrer, w.community, w.commissioner, w.admin} {
			t.Run(string(u.Role)+" cannot see them", func(t *testing.T) {
				_, err := ts.Caseloads(w.as(u))
				wantCode(t, err, linkwork.EFORBIDDEN)
			})
		}
	})
}

func TestResolveDuplicate(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ts := w.triage()
		known := w.refer(t, "Jamie", "Dunn")
		phone := newPerson("Jamie", "Dunn").Phone
		flagged := func(t *testing.T, given string) *linkwork.Referral {
			t.Helper()
			w.clock.Advance(time.Minute) // Jamie Dunn stays the oldest match
			r := w.referAs(t, w.referrer, given, "DUNN", func(r *linkwork.Referral, p *linkwork.Person) { p.Phone = phone })
			got := w.reread(t, r.ID)
			if got.PossibleDuplicateOf != known.PersonID {
				t.Fatalf("not flagged: %q", got.PossibleDuplicateOf)
			}
			return got
		}
		consents := func(t *testing.T, personID string) int {
			t.Helper()
			p, err := w.people.FindPersonByID(w.as(w.coordinator), personID)
			if err != nil {
				t.Fatal(err)
			}
			return len(p.Consents)
		}
		t.Run("the same person: the referral moves to the record already held", func(t *testing.T) {
			r := flagged(t, "jamie")
			made := r.PersonID
			before := consents(t, known.PersonID)
			got, err := ts.ResolveDuplicate(w.as(w.linkWorker), r.ID, r.Version, true)
			if err != nil {
				t.Fatal(err)
			}
			if got.PersonID != known.PersonID || got.PossibleDuplicateOf != "" || got.Version != r.Version+1 || got.PersonName != "Jamie Dunn" {
				t.Fatalf("after: person %s flag %q version %d name %q", got.PersonID, got.PossibleDuplicateOf, got.Version, got.PersonName)
			}
			if _, err := w.people.FindPersonByID(w.as(w.coordinator), made); linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
				t.Fatalf("the record made for the referral is still there: %v", err)
			}
			if after := consents(t, known.PersonID); after != before+1 {
				t.Fatalf("consents %d, want the referral's moved over to make %d", after, before+1)
			}
			if e := auditEvent(t, w, r.ID, "referral.duplicate"); e.ActorID != w.linkWorker.ID || e.Detail != "same" {
				t.Fatalf("audit %+v", e)
			}
			// The known person's record gained a referral and consents:
			// that is in their own history too.
			if e := auditEvent(t, w, known.PersonID, "person.update"); e.ActorID != w.linkWorker.ID || !strings.Contains(e.Detail, made) {
				t.Fatalf("the known person's audit %+v", e)
			}
		})
		t.Run("different people: only the flag goes", func(t *testing.T) {
			r := flagged(t, "Jamey")
			got, err := ts.ResolveDuplicate(w.as(w.coordinator), r.ID, r.Version, false)
			if err != nil {
				t.Fatal(err)
			}
			if got.PersonID != r.PersonID || got.PossibleDuplicateOf != "" || got.Version != r.Version+1 {
				t.Fatalf("after: %+v", got)
			}
			if _, err := w.people.FindPersonByID(w.as(w.coordinator), r.PersonID); err != nil {
				t.Fatalf("the new person went: %v", err)
			}
			if e := auditEvent(t, w, r.ID, "referral.duplicate"); e.ActorID != w.coordinator.ID || e.Detail != "different" {
				t.Fatalf("audit %+v", e)
			}
			_, err = ts.ResolveDuplicate(w.as(w.coordinator), r.ID, got.Version, true)
			wantField(t, err, "possible_duplicate_of")
		})
		t.Run("a record something else still refers to is kept", func(t *testing.T) {
			r := flagged(t, "Jaimie")
			// The hub records a second referral for the new record.
			again := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayHub, Mode: linkwork.ModeSelfReferral, Reasons: "Came in", ConsentReferral: true}
			if err := w.referrals.CreateReferral(w.as(w.linkWorker), again, &linkwork.Person{ID: r.PersonID}); err != nil {
				t.Fatal(err)
			}
			if _, err := ts.ResolveDuplicate(w.as(w.coordinator), r.ID, r.Version, true); err != nil {
				t.Fatal(err)
			}
			if _, err := w.people.FindPersonByID(w.as(w.coordinator), r.PersonID); err != nil {
				t.Fatalf("a record another referral is for was removed: %v", err)
			}
		})
		t.Run("an accepted referral takes its case with it", func(t *testing.T) {
			r := flagged(t, "Jamee")
			c := w.accept(t, r, w.linkWorker)
			got, err := ts.ResolveDuplicate(w.as(w.coordinator), r.ID, r.Version, true)
			if err != nil {
				t.Fatal(err)
			}
			k, err := w.cases.FindCaseByID(w.as(w.coordinator), c.ID)
			if err != nil || k.PersonID != known.PersonID || got.PersonID != known.PersonID {
				t.Fatalf("case person %s, referral person %s, err %v", k.PersonID, got.PersonID, err)
			}
		})
		errs := []struct {
			name  string
			who   func() *linkwork.User
			stale bool
			code  string
			field string
		}{
			{"a stale version", func() *linkwork.User { return w.coordinator }, true, linkwork.ECONFLICT, ""},
			{"the safeguarding lead sees but does not decide", func() *linkwork.User { return w.safeguarding }, false, linkwork.EFORBIDDEN, ""},
			{"the referrer does not decide", func() *linkwork.User { return w.referrer }, false, linkwork.EFORBIDDEN, ""},
			{"another service cannot see it", func() *linkwork.User { return w.foreignCoord }, false, linkwork.ENOTFOUND, ""},
			{"a commissioner cannot see it", func() *linkwork.User { return w.commissioner }, false, linkwork.ENOTFOUND, ""},
		}
		for i, tt := range errs {
			t.Run(tt.name, func(t *testing.T) {
				r := flagged(t, "Jami"+strings.Repeat("e", i+3))
				v := r.Version
				if tt.stale {
					v--
				}
				_, err := ts.ResolveDuplicate(w.as(tt.who()), r.ID, v, true)
				wantCode(t, err, tt.code)
				if got := w.reread(t, r.ID); got.PossibleDuplicateOf == "" || got.PersonID != r.PersonID {
					t.Fatal("a refused resolution changed the referral")
				}
			})
		}
		t.Run("a referral never flagged", func(t *testing.T) {
			r := w.refer(t, "Quinn", "Unique")
			_, err := ts.ResolveDuplicate(w.as(w.coordinator), r.ID, r.Version, false)
			wantField(t, err, "possible_duplicate_of")
		})
	})
}

// TestRulesHoldAtEveryDoor checks the rules the web forms rely on hold in
// the store itself, so the API and imports cannot skip them.
func TestRulesHoldAtEveryDoor(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		t.Run("a referrer refers through their organisation's pathway", func(t *testing.T) {
			r := w.referAs(t, w.referrer, "Path", "Way", func(r *linkwork.Referral, _ *linkwork.Person) { r.Pathway = linkwork.PathwaySchool })
			if r.Pathway != linkwork.PathwayGP || r.GPPracticeOrgID != w.gp.ID || r.ReferrerName != w.referrer.Name {
				t.Fatalf("pathway %s, practice %q, referrer %q: want the GP practice's own", r.Pathway, r.GPPracticeOrgID, r.ReferrerName)
			}
		})
		tests := []struct {
			name  string
			edit  func(*linkwork.Referral, *linkwork.Person)
			field string
		}{
			{"no date of birth", func(_ *linkwork.Referral, p *linkwork.Person) { p.DateOfBirth = linkwork.Date{} }, "person.date_of_birth"},
			{"no way to get in touch", func(_ *linkwork.Referral, p *linkwork.Person) { p.Email, p.Phone = "", "" }, "person.phone"},
			{"a family member without their name", func(r *linkwork.Referral, _ *linkwork.Person) { r.Pathway = linkwork.PathwayFamily }, "referrer_name"},
		}
		for _, tt := range tests {
			t.Run("the public door refuses "+tt.name, func(t *testing.T) {
				r, p := publicReferral(w)
				tt.edit(r, p)
				wantField(t, w.referrals.SubmitPublicReferral(anonymous, r, p), tt.field)
			})
		}
	})
}
