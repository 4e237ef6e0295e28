package sqlstore_test

import (
	"context"
	"sync"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// clock is a test clock that moves only when told.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// services bundles every service over one database.
type services struct {
	db          *sqlstore.DB
	orgs        *sqlstore.OrganisationService
	users       *sqlstore.UserService
	auth        *sqlstore.AuthService
	people      *sqlstore.PersonService
	referrals   *sqlstore.ReferralService
	cases       *sqlstore.CaseService
	assets      *sqlstore.AssetService
	connections *sqlstore.ConnectionService
	measures    *sqlstore.MeasureService
	messages    *sqlstore.MessageService
	audit       *sqlstore.AuditService
	home        *sqlstore.HomeService
}

func newServices(db *sqlstore.DB) *services {
	return &services{
		db: db, orgs: sqlstore.NewOrganisationService(db), users: sqlstore.NewUserService(db), auth: sqlstore.NewAuthService(db),
		people: sqlstore.NewPersonService(db), referrals: sqlstore.NewReferralService(db), cases: sqlstore.NewCaseService(db),
		assets: sqlstore.NewAssetService(db), connections: sqlstore.NewConnectionService(db), measures: sqlstore.NewMeasureService(db), messages: sqlstore.NewMessageService(db),
		audit: sqlstore.NewAuditService(db), home: sqlstore.NewHomeService(db),
	}
}

// world is a small service with one user per role, and the organisations
// around it.
type world struct {
	*services
	clock *clock
	sys   context.Context

	service, otherService, gp, school, vcs, otherVCS, icb *linkwork.Organisation

	referrer, schoolReferrer, linkWorker, otherWorker, coordinator, safeguarding, community, commissioner, admin, foreignCoord *linkwork.User
}

// as returns a context acting as u.
func (w *world) as(u *linkwork.User) context.Context {
	return linkwork.NewContext(context.Background(), u.Actor())
}

const password = "a long enough password"

// eachWorld runs fn on each engine with a fresh world.
func eachWorld(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Helper()
	eachWorldWith(t, sqlstore.Options{}, fn)
}

// eachWorldWith is eachWorld with store options. Each engine's world has
// a clock of its own, so that a test moving time on in one engine's run
// finds the next starting where it started.
func eachWorldWith(t *testing.T, opts sqlstore.Options, fn func(t *testing.T, w *world)) {
	t.Helper()
	for _, d := range sqltest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			c := newClock()
			o := opts
			o.Now = c.Now
			fn(t, newWorld(t, sqltest.Open(t, d, o), c))
		})
	}
}

func newWorld(t *testing.T, db *sqlstore.DB, c *clock) *world {
	t.Helper()
	w := &world{services: newServices(db), clock: c, sys: linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))}
	org := func(name string, kind linkwork.OrgKind) *linkwork.Organisation {
		o := &linkwork.Organisation{Name: name, Kind: kind, Postcode: "s1 2hh"}
		if err := w.orgs.CreateOrganisation(w.sys, o); err != nil {
			t.Fatalf("create organisation %s: %v", name, err)
		}
		return o
	}
	w.service = org("Millbrook Social Prescribing", linkwork.OrgSPService)
	w.otherService = org("Eastfield Social Prescribing", linkwork.OrgSPService)
	w.gp = org("Riverside Surgery", linkwork.OrgGPPractice)
	w.school = org("Millbrook Academy", linkwork.OrgSchool)
	w.vcs = org("Northfield Boxing Club", linkwork.OrgVCS)
	w.otherVCS = org("Riverside Arts", linkwork.OrgVCS)
	w.icb = org("Millbrook ICB", linkwork.OrgCommissioner)
	user := func(name string, role linkwork.Role, o *linkwork.Organisation) *linkwork.User {
		u := &linkwork.User{Name: name, Email: name + "@example.org", Role: role, OrgID: o.ID}
		if err := w.users.CreateUser(w.sys, u, password); err != nil {
			t.Fatalf("create user %s: %v", name, err)
		}
		return u
	}
	w.referrer = user("gp", linkwork.RoleReferrer, w.gp)
	w.schoolReferrer = user("teacher", linkwork.RoleReferrer, w.school)
	w.linkWorker = user("linkworker", linkwork.RoleLinkWorker, w.service)
	w.otherWorker = user("otherworker", linkwork.RoleLinkWorker, w.service)
	w.coordinator = user("coordinator", linkwork.RoleCoordinator, w.service)
	w.safeguarding = user("safeguarding", linkwork.RoleSafeguarding, w.service)
	w.community = user("community", linkwork.RoleCommunity, w.vcs)
	w.commissioner = user("commissioner", linkwork.RoleCommissioner, w.icb)
	w.admin = user("admin", linkwork.RoleAdmin, w.service)
	w.foreignCoord = user("foreigncoord", linkwork.RoleCoordinator, w.otherService)
	return w
}

// newPerson returns a valid person for a referral.
func newPerson(given, family string) *linkwork.Person {
	return &linkwork.Person{
		GivenName: given, FamilyName: family, DateOfBirth: linkwork.Date{Year: 2010, Month: 5, Day: 14}, Postcode: "S2 4HT",
		Phone: "07700 900" + itoa3(len(given)*37+len(family)), Contact: linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelText}},
		Guardians: []linkwork.Guardian{{Name: "Jo " + family, Relationship: "mother", HasParentalResponsibility: true, Involvement: "informed"}},
		Consents:  []linkwork.Consent{{Kind: linkwork.ConsentReferral, Given: true, GivenBy: "self"}},
	}
}

func itoa3(n int) string {
	s := []byte{'0', '0', '0'}
	for i := 2; i >= 0; i-- {
		s[i] = byte('0' + n%10)
		n /= 10
	}
	return string(s)
}

// refer makes a GP referral for a new person and returns it.
func (w *world) refer(t *testing.T, given, family string) *linkwork.Referral {
	t.Helper()
	r := &linkwork.Referral{
		SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
		Reasons: "Low mood since moving house; isolated", WhatTheyWant: "To meet people", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true),
	}
	if err := w.referrals.CreateReferral(w.as(w.referrer), r, newPerson(given, family)); err != nil {
		t.Fatalf("refer %s %s: %v", given, family, err)
	}
	return r
}

// accept accepts a referral, allocating it to a link worker when given.
func (w *world) accept(t *testing.T, r *linkwork.Referral, worker *linkwork.User) *linkwork.Case {
	t.Helper()
	d := linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen}
	if worker != nil {
		d.LinkWorkerID = worker.ID
	}
	got, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, r.Version, d)
	if err != nil {
		t.Fatalf("accept: %v", err)
	}
	*r = *got
	c, err := w.cases.FindCaseByID(w.as(w.coordinator), r.CaseID)
	if err != nil {
		t.Fatalf("find case: %v", err)
	}
	return c
}

// wantCode fails unless err carries the code.
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := linkwork.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// wantField fails unless err is EINVALID naming the field.
func wantField(t *testing.T, err error, field string) {
	t.Helper()
	wantCode(t, err, linkwork.EINVALID)
	for _, f := range linkwork.ErrorFields(err) {
		if f.Field == field {
			if f.Message == "" {
				t.Fatalf("field %s has an empty message", field)
			}
			return
		}
	}
	t.Fatalf("error %v does not name field %q (fields %v)", err, field, linkwork.ErrorFields(err))
}
