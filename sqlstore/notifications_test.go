package sqlstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// notify makes notifyReferral tell about r as it stands, and returns the
// notifications it wrote: in the app, and emails. Those written before
// about r (by the service call that changed it) are removed first, so
// that the test sees what this one change writes.
func (w *world) notify(t *testing.T, r *linkwork.Referral, kind linkwork.NotificationKind) (app, email []*linkwork.Notification) {
	t.Helper()
	if err := w.db.Exec("DELETE FROM notifications WHERE referral_id = ?", r.ID); err != nil {
		t.Fatal(err)
	}
	if err := w.db.NotifyReferral(w.sys, r, kind); err != nil {
		t.Fatalf("notify %s: %v", kind, err)
	}
	return w.notes(t, r.ID, kind)
}

// notes returns the notifications of a kind about a referral.
func (w *world) notes(t *testing.T, referralID string, kind linkwork.NotificationKind) (app, email []*linkwork.Notification) {
	t.Helper()
	all, err := w.db.NotificationsAbout(referralID)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range all {
		if n.Kind != kind {
			continue
		}
		if n.Email != "" {
			if n.UserID != "" || n.OrgID != "" {
				t.Errorf("email %q is also shown in the app (user %q, org %q)", n.Subject, n.UserID, n.OrgID)
			}
			email = append(email, n)
		} else {
			app = append(app, n)
		}
	}
	return app, email
}

// referWith makes a referral as who, for a new person, after changing the
// usual GP referral with fn.
func (w *world) referWith(t *testing.T, who *linkwork.User, p *linkwork.Person, fn func(*linkwork.Referral)) *linkwork.Referral {
	t.Helper()
	r := &linkwork.Referral{
		SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
		Reasons: "Low mood since moving house; isolated", WhatTheyWant: "To meet people", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true),
	}
	if fn != nil {
		fn(r)
	}
	if err := w.referrals.CreateReferral(w.as(who), r, p); err != nil {
		t.Fatalf("refer: %v", err)
	}
	return r
}

// wantSays fails unless s contains each of the phrases.
func wantSays(t *testing.T, what, s string, phrases ...string) {
	t.Helper()
	for _, p := range phrases {
		if !strings.Contains(s, p) {
			t.Errorf("%s does not say %q:\n%s", what, p, s)
		}
	}
}

// wantPrivate fails when an email gives away any of the secrets.
func wantPrivate(t *testing.T, n *linkwork.Notification, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if s != "" && strings.Contains(strings.ToLower(n.Subject+"\n"+n.Body), strings.ToLower(s)) {
			t.Errorf("the email to %s gives away %q:\n%s\n%s", n.Email, s, n.Subject, n.Body)
		}
	}
}

// personSecrets are what an email must never say about newPerson.
func personSecrets(p *linkwork.Person, r *linkwork.Referral) []string {
	return []string{p.GivenName, p.FamilyName, p.DateOfBirth.String(), "14 May", r.Reasons, r.WhatTheyWant, p.Phone, p.Postcode}
}

func TestReferralDecisionNotifications(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		in14 := linkwork.DateOf(w.clock.Now().AddDate(0, 0, 14))
		tests := []struct {
			name     string
			d        func() linkwork.ReferralDecision
			appSays  []string
			mailSays []string
			secrets  []string // never in the email
			silent   bool
		}{
			{name: "accepted to the waiting list",
				d:        func() linkwork.ReferralDecision { return linkwork.ReferralDecision{To: linkwork.ReferralAccepted} },
				appSays:  []string{"has accepted your referral for Alexandra", "waiting list"},
				mailSays: []string{"has accepted your referral for A.W.", "waiting list"}},
			{name: "accepted and allocated to a link worker",
				d: func() linkwork.ReferralDecision {
					return linkwork.ReferralDecision{To: linkwork.ReferralAccepted, LinkWorkerID: w.linkWorker.ID}
				},
				appSays:  []string{"has accepted your referral for Alexandra", "linkworker, a link worker, will support Alexandra"},
				mailSays: []string{"has accepted your referral for A.W.", "a link worker will be in touch"}},
			{name: "declined, with the reason and where they were directed instead",
				d: func() linkwork.ReferralDecision {
					return linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "Needs an eating disorder service", OnwardDestination: "CAMHS single point of access"}
				},
				appSays:  []string{"has not accepted your referral for Alexandra", "Why: Needs an eating disorder service", "Where Alexandra was directed instead: CAMHS single point of access"},
				mailSays: []string{"has not accepted your referral for A.W.", "Sign in to read why, and where they were directed instead"},
				secrets:  []string{"eating disorder", "CAMHS"}},
			{name: "deferred, with the date",
				d: func() linkwork.ReferralDecision {
					return linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: in14, Reason: "Exams first, then support"}
				},
				appSays:  []string{"has deferred your referral for Alexandra", "look at it again on Tuesday 24 March 2026", "Why: Exams first"},
				mailSays: []string{"has deferred your referral for A.W.", "Tuesday 24 March 2026"},
				secrets:  []string{"Exams"}},
			{name: "withdrawn, with the reason",
				d: func() linkwork.ReferralDecision {
					return linkwork.ReferralDecision{To: linkwork.ReferralWithdrawn, Reason: "Family moved to Leeds"}
				},
				appSays:  []string{"Your referral for Alexandra", "has been withdrawn", "Why: Family moved to Leeds"},
				mailSays: []string{"Your referral for A.W.", "has been withdrawn"},
				secrets:  []string{"Leeds"}},
			{name: "moving into triage is not a decision",
				d:      func() linkwork.ReferralDecision { return linkwork.ReferralDecision{To: linkwork.ReferralTriage} },
				silent: true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := newPerson("Alexandra", "Whitmore")
				r := w.referWith(t, w.referrer, p, nil)
				got, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, r.Version, tt.d())
				if err != nil {
					t.Fatal(err)
				}
				app, email := w.notify(t, got, linkwork.NoteReferralDecided)
				if tt.silent {
					if len(app)+len(email) != 0 {
						t.Fatalf("wrote %d in the app and %d emails", len(app), len(email))
					}
					return
				}
				if len(app) != 1 || len(email) != 1 {
					t.Fatalf("wrote %d in the app and %d emails, want one of each", len(app), len(email))
				}
				a, m := app[0], email[0]
				if a.UserID != w.referrer.ID || a.OrgID != w.gp.ID || a.Link != "/referrals/"+r.ID || a.ReferralID != r.ID {
					t.Errorf("app notice to user %q org %q link %q referral %q", a.UserID, a.OrgID, a.Link, a.ReferralID)
				}
				wantSays(t, "the app's notice", a.Subject+"\n"+a.Body, append(tt.appSays, r.Reference())...)
				if m.Email != w.referrer.Email {
					t.Errorf("emailed %q, want the referrer's %q", m.Email, w.referrer.Email)
				}
				wantSays(t, "the email", m.Subject+"\n"+m.Body, append(tt.mailSays, r.Reference(), "Millbrook Social Prescribing")...)
				wantPrivate(t, m, append(personSecrets(p, r), tt.secrets...)...)
			})
		}
	})
}

func TestReferralReceiptNotifications(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		colleague := &linkwork.User{Name: "leaver", Email: "leaver@example.org", Role: linkwork.RoleReferrer, OrgID: w.gp.ID}
		if err := w.users.CreateUser(w.sys, colleague, password); err != nil {
			t.Fatal(err)
		}
		t.Run("a referrer is acknowledged in the app and by email", func(t *testing.T) {
			p := newPerson("Bethany", "Okafor")
			r := w.referWith(t, w.referrer, p, nil)
			app, email := w.notify(t, r, linkwork.NoteReferralReceived)
			if len(app) != 1 || len(email) != 1 {
				t.Fatalf("wrote %d in the app and %d emails, want one of each", len(app), len(email))
			}
			if app[0].UserID != w.referrer.ID || app[0].Kind != linkwork.NoteReferralReceived {
				t.Errorf("app notice to %q, kind %s", app[0].UserID, app[0].Kind)
			}
			wantSays(t, "the app's notice", app[0].Body, "has received your referral for Bethany", r.Reference())
			wantSays(t, "the email", email[0].Body, "has received your referral for B.O.", r.Reference())
			wantPrivate(t, email[0], personSecrets(p, r)...)
		})
		t.Run("staff are not told of a walk-in they recorded", func(t *testing.T) {
			r := w.referWith(t, w.linkWorker, newPerson("Cody", "Platt"), func(r *linkwork.Referral) { r.Pathway, r.Mode = linkwork.PathwayHub, linkwork.ModeSelfReferral })
			if app, email := w.notify(t, r, linkwork.NoteReferralReceived); len(app)+len(email) != 0 {
				t.Fatalf("wrote %d in the app and %d emails", len(app), len(email))
			}
			got, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, r.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted})
			if err != nil {
				t.Fatal(err)
			}
			if app, email := w.notify(t, got, linkwork.NoteReferralDecided); len(app)+len(email) != 0 {
				t.Fatalf("decision: wrote %d in the app and %d emails", len(app), len(email))
			}
		})
		t.Run("a practice that phoned a referral in hears, as an organisation, in the app only", func(t *testing.T) {
			r := w.referWith(t, w.coordinator, newPerson("Dana", "Quill"), func(r *linkwork.Referral) { r.ReferrerOrgID = w.gp.ID })
			app, email := w.notify(t, r, linkwork.NoteReferralReceived)
			if len(app) != 1 || len(email) != 0 {
				t.Fatalf("wrote %d in the app and %d emails, want one in the app", len(app), len(email))
			}
			if app[0].UserID != "" || app[0].OrgID != w.gp.ID {
				t.Fatalf("to user %q org %q, want the practice as a whole", app[0].UserID, app[0].OrgID)
			}
			wantSays(t, "the app's notice", app[0].Body, "your organisation's referral for Dana")
		})
		t.Run("a referrer who has left is not emailed; their practice hears instead", func(t *testing.T) {
			r := w.referWith(t, colleague, newPerson("Eli", "Rand"), nil)
			if err := w.users.DisableUser(w.sys, colleague.ID); err != nil {
				t.Fatal(err)
			}
			got, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, r.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted})
			if err != nil {
				t.Fatal(err)
			}
			app, email := w.notify(t, got, linkwork.NoteReferralDecided)
			if len(app) != 1 || len(email) != 0 || app[0].UserID != "" || app[0].OrgID != w.gp.ID {
				t.Fatalf("wrote %d in the app (%+v) and %d emails, want one to the practice", len(app), app, len(email))
			}
		})
	})
}

func TestReturnedReferralTellsTheCoordinators(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		second := &linkwork.User{Name: "second coordinator", Email: "coord2@example.org", Role: linkwork.RoleCoordinator, OrgID: w.service.ID}
		gone := &linkwork.User{Name: "gone coordinator", Email: "coord3@example.org", Role: linkwork.RoleCoordinator, OrgID: w.service.ID}
		for _, u := range []*linkwork.User{second, gone} {
			if err := w.users.CreateUser(w.sys, u, password); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.users.DisableUser(w.sys, gone.ID); err != nil {
			t.Fatal(err)
		}
		r := w.refer(t, "Farah", "Singh")
		got, err := w.referrals.DecideReferral(w.as(w.linkWorker), r.ID, r.Version,
			linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: linkwork.DateOf(w.clock.Now().AddDate(0, 0, 7))})
		if err != nil {
			t.Fatal(err)
		}
		app, email := w.notify(t, got, linkwork.NoteReferralReturned)
		if len(email) != 0 {
			t.Errorf("emailed %d", len(email))
		}
		var to []string
		for _, n := range app {
			to = append(to, n.UserID)
			if n.OrgID != w.service.ID || n.Link != "/referrals/"+r.ID {
				t.Errorf("notice org %q link %q", n.OrgID, n.Link)
			}
			wantSays(t, "the notice", n.Subject+"\n"+n.Body, "Back for review: Farah", "deferred until Tuesday 17 March 2026", "back in the triage queue", r.Reference())
		}
		want := map[string]bool{w.coordinator.ID: true, second.ID: true}
		if len(to) != 2 || !want[to[0]] || !want[to[1]] || to[0] == to[1] {
			t.Fatalf("told %v, want the two enabled coordinators of the service %v", to, want)
		}
		t.Run("only with the referral's id, as a bulk job may give it", func(t *testing.T) {
			app, _ := w.notify(t, &linkwork.Referral{ID: r.ID}, linkwork.NoteReferralReturned)
			if len(app) != 2 || !strings.Contains(app[0].Body, "Farah") {
				t.Fatalf("wrote %d: %+v", len(app), app)
			}
		})
	})
}

func TestPublicReferralAcknowledgement(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		tests := []struct {
			name     string
			pathway  linkwork.Pathway
			email    string
			channels []linkwork.Channel
			contact  string
			to       string // "" for no email
			says     []string
		}{
			{name: "self, with an email and no channels chosen", pathway: linkwork.PathwaySelf, email: "gabi@example.net", to: "gabi@example.net",
				says: []string{"Hello,", "We have received your referral", "get in touch with you, in the way you asked"}},
			{name: "self, who asked to be texted", pathway: linkwork.PathwaySelf, email: "gabi@example.net", channels: []linkwork.Channel{linkwork.ChannelText}},
			{name: "self, who chose text or email", pathway: linkwork.PathwaySelf, email: "gabi@example.net", channels: []linkwork.Channel{linkwork.ChannelText, linkwork.ChannelEmail}, to: "gabi@example.net"},
			{name: "self, with no email", pathway: linkwork.PathwaySelf},
			{name: "family, with an email to reply to", pathway: linkwork.PathwayFamily, contact: "jo.parent@example.net", to: "jo.parent@example.net",
				says: []string{"Hello Jo Parent,", "Thank you for your referral for G.H."}},
			{name: "family, with a name and address", pathway: linkwork.PathwayFamily, contact: "Jo Parent <jo.parent@example.net>", to: "jo.parent@example.net"},
			{name: "family, with a phone number", pathway: linkwork.PathwayFamily, contact: "07700 900123"},
			{name: "family, with an address inside other words", pathway: linkwork.PathwayFamily, contact: "call or email jo@example.net after 5"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				p := newPerson("Gabriella", "Hartley")
				p.Email, p.Contact.Channels, p.Phone = tt.email, tt.channels, ""
				r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: tt.pathway, Mode: linkwork.ModeSelfReferral, Reasons: "Panic attacks at school",
					ConsentReferral: true, ReferrerContact: tt.contact}
				if tt.pathway == linkwork.PathwayFamily {
					r.ReferrerName, r.ReferrerRole = "Jo Parent", "mother"
				}
				if err := w.db.InsertPublicReferral(w.sys, r, p); err != nil {
					t.Fatal(err)
				}
				app, email := w.notify(t, r, linkwork.NoteReferralReceived)
				if len(app) != 0 {
					t.Errorf("wrote %d in the app: nobody signs in for a public referral", len(app))
				}
				if tt.to == "" {
					if len(email) != 0 {
						t.Fatalf("emailed %q", email[0].Email)
					}
					return
				}
				if len(email) != 1 || email[0].Email != tt.to {
					t.Fatalf("emails %+v, want one to %s", email, tt.to)
				}
				m := email[0]
				wantSays(t, "the acknowledgement", m.Subject+"\n"+m.Body, append(tt.says, r.Reference(), "not an emergency service", "call 999", "Millbrook Social Prescribing")...)
				wantPrivate(t, m, personSecrets(p, r)...)
				if m.Link != "" {
					t.Errorf("links to %q: the public cannot sign in", m.Link)
				}
				t.Run("and is not emailed about the decision", func(t *testing.T) {
					got, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, 1,
						linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "Needs CAMHS", OnwardDestination: "CAMHS"})
					if err != nil {
						t.Fatal(err)
					}
					if app, email := w.notify(t, got, linkwork.NoteReferralDecided); len(app)+len(email) != 0 {
						t.Fatalf("wrote %d in the app and %d emails", len(app), len(email))
					}
				})
			})
		}
		t.Run("the service's own crisis advice and contact details", func(t *testing.T) {
			if err := w.db.Exec("INSERT INTO service_settings (service_org_id, settings, version, updated_at) VALUES (?, ?, 1, ?)", w.service.ID,
				`{"crisis_advice": "If you are in danger now, call 999 or go to A&E.", "contact": "Call 0113 496 0000 on weekdays", "min_age": 13}`, w.clock.Now()); err != nil {
				t.Fatal(err)
			}
			p := newPerson("Ira", "Jones")
			p.Email, p.Contact.Channels = "ira@example.net", nil
			r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwaySelf, Mode: linkwork.ModeSelfReferral, Reasons: "Lonely", ConsentReferral: true}
			if err := w.db.InsertPublicReferral(w.sys, r, p); err != nil {
				t.Fatal(err)
			}
			_, email := w.notify(t, r, linkwork.NoteReferralReceived)
			if len(email) != 1 {
				t.Fatalf("%d emails", len(email))
			}
			wantSays(t, "the acknowledgement", email[0].Body, "This is not an emergency service. If you are in danger now, call 999 or go to A&E.", "To contact us: Call 0113 496 0000 on weekdays")
		})
	})
}

func TestCaseClosedNotification(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		closure := linkwork.CaseClosure{Reason: linkwork.ClosedConnected, OutcomeSummary: "Goes to the boxing club every week and feels more confident"}
		closeCase := func(t *testing.T, r *linkwork.Referral) (app, email []*linkwork.Notification) {
			t.Helper()
			c := w.accept(t, r, w.linkWorker)
			if _, err := w.cases.CloseCase(w.as(w.linkWorker), c.ID, c.Version, closure); err != nil {
				t.Fatal(err)
			}
			return w.notes(t, r.ID, linkwork.NoteCaseClosed)
		}
		t.Run("with consent to share, the referrer reads the outcome in the app", func(t *testing.T) {
			p := newPerson("Jordan", "Keane")
			r := w.referWith(t, w.referrer, p, nil)
			app, email := closeCase(t, r)
			if len(app) != 1 || len(email) != 1 || app[0].UserID != w.referrer.ID || email[0].Email != w.referrer.Email {
				t.Fatalf("app %+v, email %+v", app, email)
			}
			wantSays(t, "the app's notice", app[0].Subject+"\n"+app[0].Body, "Support ended: Jordan", "Why it ended: Connected to the community", closure.OutcomeSummary, r.Reference())
			wantSays(t, "the email", email[0].Body, "The support Millbrook Social Prescribing gave J.K.", "has ended", r.Reference())
			wantPrivate(t, email[0], append(personSecrets(p, r), "boxing", "Connected")...)
		})
		t.Run("without consent, the referrer hears that it ended and no more", func(t *testing.T) {
			r := w.referWith(t, w.referrer, newPerson("Kit", "Lowe"), func(r *linkwork.Referral) { r.ConsentSharing = false })
			app, _ := closeCase(t, r)
			if len(app) != 1 {
				t.Fatalf("%d in the app", len(app))
			}
			wantSays(t, "the app's notice", app[0].Body, "has ended", "Kit did not agree to share details of their support")
			wantPrivate(t, app[0], "boxing", "Connected")
		})
		t.Run("consent withdrawn since the referral is respected", func(t *testing.T) {
			r := w.referWith(t, w.referrer, newPerson("Lee", "Marsh"), nil)
			w.clock.Advance(time.Hour)
			p, err := w.people.FindPersonByID(w.as(w.coordinator), r.PersonID)
			if err != nil {
				t.Fatal(err)
			}
			p.Consents = append(p.Consents, linkwork.Consent{Kind: linkwork.ConsentShareReferrer, Given: false, GivenBy: "self"})
			if err := w.people.UpdatePerson(w.as(w.coordinator), p); err != nil {
				t.Fatal(err)
			}
			app, _ := closeCase(t, r)
			if len(app) != 1 {
				t.Fatalf("%d in the app", len(app))
			}
			wantSays(t, "the app's notice", app[0].Body, "Lee did not agree to share")
			wantPrivate(t, app[0], "boxing")
		})
		t.Run("a walk-in's case closes without telling anyone", func(t *testing.T) {
			r := w.referWith(t, w.linkWorker, newPerson("Max", "Nash"), func(r *linkwork.Referral) { r.Pathway, r.Mode = linkwork.PathwayHub, linkwork.ModeSelfReferral })
			if app, email := closeCase(t, r); len(app)+len(email) != 0 {
				t.Fatalf("wrote %d in the app and %d emails", len(app), len(email))
			}
		})
	})
}

func TestFindNotifications(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		colleague := &linkwork.User{Name: "practice nurse", Email: "nurse@example.org", Role: linkwork.RoleReferrer, OrgID: w.gp.ID}
		if err := w.users.CreateUser(w.sys, colleague, password); err != nil {
			t.Fatal(err)
		}
		own := w.referWith(t, w.referrer, newPerson("Nia", "Owen"), nil)
		phoned := w.referWith(t, w.coordinator, newPerson("Oli", "Park"), func(r *linkwork.Referral) { r.ReferrerOrgID = w.gp.ID })
		school := w.referWith(t, w.schoolReferrer, newPerson("Pip", "Quinn"), func(r *linkwork.Referral) { r.Pathway, r.ReferrerOrgID = linkwork.PathwaySchool, w.school.ID })
		if err := w.db.Exec("DELETE FROM notifications"); err != nil {
			t.Fatal(err)
		}
		for _, r := range []*linkwork.Referral{own, phoned, school} {
			w.clock.Advance(time.Minute)
			w.notify(t, r, linkwork.NoteReferralReceived)
		}
		list := func(t *testing.T, u *linkwork.User, unreadOnly bool) ([]*linkwork.Notification, int, int) {
			t.Helper()
			l, total, unread, err := sqlstore.NewNotificationService(w.db).FindNotifications(w.as(u), unreadOnly, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(l) != total {
				t.Fatalf("%d listed of %d", len(l), total)
			}
			return l, total, unread
		}
		svc := sqlstore.NewNotificationService(w.db)
		var ownNote, orgNote *linkwork.Notification
		t.Run("a referrer sees their own and their organisation's, newest first", func(t *testing.T) {
			l, total, unread := list(t, w.referrer, false)
			if total != 2 || unread != 2 || l[0].ReferralID != phoned.ID || l[1].ReferralID != own.ID {
				t.Fatalf("total %d unread %d: %+v", total, unread, l)
			}
			orgNote, ownNote = l[0], l[1]
			for _, n := range l {
				if n.Email != "" {
					t.Errorf("an email is listed in the app: %q", n.Subject)
				}
			}
			events, _, err := w.audit.FindAuditEvents(w.sys, linkwork.AuditFilter{ActorID: w.referrer.ID, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) != 1 || events[0].Action != "notification.list" || !strings.Contains(events[0].Detail, "count=2") || !strings.Contains(events[0].Detail, own.ID) {
				t.Fatalf("last audit event %+v, want notification.list with the count", events)
			}
		})
		tests := []struct {
			who  *linkwork.User
			sees []string // referral ids
		}{
			{colleague, []string{phoned.ID}},
			{w.schoolReferrer, []string{school.ID}},
			{w.coordinator, nil},
			{w.commissioner, nil},
			{w.admin, nil},
		}
		for _, tt := range tests {
			t.Run(tt.who.Name+" sees only theirs", func(t *testing.T) {
				l, total, _ := list(t, tt.who, false)
				if total != len(tt.sees) {
					t.Fatalf("sees %d, want %d: %+v", total, len(tt.sees), l)
				}
				for i, n := range l {
					if n.ReferralID != tt.sees[i] {
						t.Errorf("sees a notice about %s", n.ReferralID)
					}
				}
			})
		}
		t.Run("the system has no notifications, and no one signed out has any", func(t *testing.T) {
			l, total, unread, err := svc.FindNotifications(w.sys, false, 0, 10)
			if err != nil || total != 0 || unread != 0 || len(l) != 0 {
				t.Fatalf("%v %d %d %d", err, total, unread, len(l))
			}
			_, _, _, err = svc.FindNotifications(context.Background(), false, 0, 10)
			wantCode(t, err, linkwork.EUNAUTHORIZED)
		})
		t.Run("no one marks read a notification that is not theirs", func(t *testing.T) {
			emails, err := svc.PendingEmails(w.sys, 10)
			if err != nil || len(emails) == 0 {
				t.Fatalf("pending %d, %v", len(emails), err)
			}
			for _, c := range []struct {
				who *linkwork.User
				id  string
			}{{colleague, ownNote.ID}, {w.schoolReferrer, ownNote.ID}, {w.schoolReferrer, orgNote.ID}, {w.coordinator, ownNote.ID}, {w.referrer, emails[0].ID}, {w.referrer, "no-such-id"}} {
				wantCode(t, svc.MarkNotificationRead(w.as(c.who), c.id), linkwork.ENOTFOUND)
			}
			if _, _, unread := list(t, w.referrer, false); unread != 2 {
				t.Fatalf("unread %d after others tried", unread)
			}
		})
		t.Run("marking read", func(t *testing.T) {
			if err := svc.MarkNotificationRead(w.as(w.referrer), ownNote.ID); err != nil {
				t.Fatal(err)
			}
			l, total, unread := list(t, w.referrer, true)
			if total != 1 || unread != 1 || l[0].ID != orgNote.ID {
				t.Fatalf("unread only: total %d unread %d %+v", total, unread, l)
			}
			if l, total, _ := list(t, w.referrer, false); total != 2 || l[1].ReadAt.IsZero() {
				t.Fatalf("all: total %d, read at %v", total, l[1].ReadAt)
			}
			if err := svc.MarkNotificationRead(w.as(w.referrer), ownNote.ID); err != nil {
				t.Fatalf("marking read again: %v", err)
			}
			// A notice to the practice is read for the whole practice.
			if err := svc.MarkNotificationRead(w.as(colleague), orgNote.ID); err != nil {
				t.Fatal(err)
			}
			if _, _, unread := list(t, w.referrer, false); unread != 0 {
				t.Fatalf("unread %d after a colleague read the practice's notice", unread)
			}
		})
	})
}

func TestEmailOutbox(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		svc := sqlstore.NewNotificationService(w.db)
		var refs []*linkwork.Referral
		for i := range 3 {
			refs = append(refs, w.refer(t, "Quentin", "Rees"+itoa3(i)))
		}
		if err := w.db.Exec("DELETE FROM notifications"); err != nil {
			t.Fatal(err)
		}
		for _, r := range refs {
			w.clock.Advance(time.Minute)
			w.notify(t, r, linkwork.NoteReferralReceived)
		}
		t.Run("only the system reads and records emails", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.admin, w.coordinator, w.referrer} {
				_, err := svc.PendingEmails(w.as(u), 10)
				wantCode(t, err, linkwork.EFORBIDDEN)
				wantCode(t, svc.RecordEmailAttempt(w.as(u), "x", nil), linkwork.EFORBIDDEN)
			}
		})
		pending := func(t *testing.T) []*linkwork.Notification {
			t.Helper()
			l, err := svc.PendingEmails(w.sys, 50)
			if err != nil {
				t.Fatal(err)
			}
			return l
		}
		l := pending(t)
		if len(l) != 3 || l[0].ReferralID != refs[0].ID || l[2].ReferralID != refs[2].ID {
			t.Fatalf("pending %+v, want the three emails oldest first", l)
		}
		if one, err := svc.PendingEmails(w.sys, 1); err != nil || len(one) != 1 || one[0].ID != l[0].ID {
			t.Fatalf("limit 1: %v %+v", err, one)
		}
		sent, failing := l[0], l[1]
		t.Run("a sent email is not sent again", func(t *testing.T) {
			if err := svc.RecordEmailAttempt(w.sys, sent.ID, nil); err != nil {
				t.Fatal(err)
			}
			for _, n := range pending(t) {
				if n.ID == sent.ID {
					t.Fatal("still pending after it was sent")
				}
			}
			wantCode(t, svc.RecordEmailAttempt(w.sys, sent.ID, nil), linkwork.ECONFLICT)
		})
		t.Run("a failing email is tried up to the limit, keeping the error", func(t *testing.T) {
			for i := 1; i <= linkwork.MaxEmailAttempts; i++ {
				if err := svc.RecordEmailAttempt(w.sys, failing.ID, errors.New("451 try again later "+itoa3(i))); err != nil {
					t.Fatalf("attempt %d: %v", i, err)
				}
				var got *linkwork.Notification
				for _, n := range pending(t) {
					if n.ID == failing.ID {
						got = n
					}
				}
				if i < linkwork.MaxEmailAttempts {
					if got == nil || got.Attempts != i || got.LastError != "451 try again later "+itoa3(i) || !got.SentAt.IsZero() {
						t.Fatalf("after %d failures: %+v", i, got)
					}
				} else if got != nil {
					t.Fatalf("still pending after %d tries", i)
				}
			}
			wantCode(t, svc.RecordEmailAttempt(w.sys, failing.ID, errors.New("again")), linkwork.ECONFLICT)
		})
		t.Run("a long error is cut short", func(t *testing.T) {
			last := pending(t)[0]
			if err := svc.RecordEmailAttempt(w.sys, last.ID, errors.New(strings.Repeat("é", 400))); err != nil {
				t.Fatal(err)
			}
			got := pending(t)[0]
			if len(got.LastError) > 500 || len(got.LastError) < 400 || !strings.HasPrefix(got.LastError, "éé") {
				t.Fatalf("kept %d bytes: %q", len(got.LastError), got.LastError)
			}
		})
		t.Run("a mail server's answer with a zero byte is kept as text", func(t *testing.T) {
			last := pending(t)[0]
			if err := svc.RecordEmailAttempt(w.sys, last.ID, errors.New("550 no\x00such \xffuser")); err != nil {
				t.Fatal(err)
			}
			if got := pending(t)[0]; got.LastError != "550 no?such ?user" {
				t.Fatalf("kept %q", got.LastError)
			}
		})
		t.Run("only emails are recorded", func(t *testing.T) {
			wantCode(t, svc.RecordEmailAttempt(w.sys, "no-such-id", nil), linkwork.ENOTFOUND)
			l, _, _, err := svc.FindNotifications(w.as(w.referrer), false, 0, 1)
			if err != nil || len(l) != 1 {
				t.Fatal(err)
			}
			wantCode(t, svc.RecordEmailAttempt(w.sys, l[0].ID, nil), linkwork.ENOTFOUND)
		})
	})
}

func TestOutboxDispatchIsExclusive(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		svc := sqlstore.NewNotificationService(w.db)
		other, err := w.db.Reopen(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer other.Close()
		otherSvc := sqlstore.NewNotificationService(other)
		ran, err := svc.Exclusive(context.Background(), func(ctx context.Context) error {
			inner, err := svc.Exclusive(ctx, func(context.Context) error { return errors.New("ran twice at once") })
			if err != nil || inner {
				t.Errorf("a second dispatcher in the process ran: %v %v", inner, err)
			}
			if w.db.Dialect() == "postgres" {
				inner, err := otherSvc.Exclusive(ctx, func(context.Context) error { return errors.New("ran twice at once") })
				if err != nil || inner {
					t.Errorf("a second server ran: %v %v", inner, err)
				}
			}
			return nil
		})
		if err != nil || !ran {
			t.Fatalf("ran %v: %v", ran, err)
		}
		for _, s := range []*sqlstore.NotificationService{svc, otherSvc} {
			if ran, err := s.Exclusive(context.Background(), func(context.Context) error { return nil }); err != nil || !ran {
				t.Fatalf("after release: ran %v, %v", ran, err)
			}
		}
	})
}
