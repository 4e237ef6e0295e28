package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestListPagesRunAFixedNumberOfQueries: the pages every role opens most
// (home, the triage queue, a referral's page, the connections list) and a
// new referral through the API cost the same number of statements when
// the service holds many more people, referrals, cases and connections,
// and the directory many more listings: a page whose cost grows with its
// rows has a loop of queries. (That each statement finds its rows by
// index, rather than by reading whole tables, the store's plan tests
// show.)
func TestListPagesRunAFixedNumberOfQueries(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		as := func(role linkwork.Role) context.Context { return linkwork.NewContext(ctx, f.users[role].Actor()) }
		queue, _, err := f.services.Triage.TriageQueue(as(linkwork.RoleCoordinator), linkwork.TriageFilter{Limit: 1})
		if err != nil || len(queue) == 0 {
			t.Fatalf("nothing awaits triage: %v", err)
		}
		service := f.users[linkwork.RoleCoordinator].OrgID
		n := 0
		// intake is a new referral for someone the service does not know.
		intake := func() string {
			n++
			b, _ := json.Marshal(map[string]any{"service_org_id": service, "pathway": "self", "mode": "self_referral", "reasons": "Isolated since moving.",
				"what_they_want": "Something to do.", "person_aware": true, "consent_referral": true, "consent_sharing": true, "safe_now": "yes", "harm_thoughts": "no",
				"person": map[string]any{"given_name": "Robin", "family_name": fmt.Sprintf("Newcomer %d", n), "date_of_birth": "2001-04-30", "postcode": "ls7 6sx",
					"phone": fmt.Sprintf("07700 91%04d", n), "email": fmt.Sprintf("robin.%d@example.org", n), "contact": map[string]any{"channels": []string{"phone"}}}})
			return string(b)
		}
		routes := []struct {
			role         linkwork.Role
			method, path string
		}{
			{linkwork.RoleLinkWorker, "GET", "/"},
			{linkwork.RoleCoordinator, "GET", "/"},
			{linkwork.RoleCommunity, "GET", "/"},
			{linkwork.RoleReferrer, "GET", "/"},
			{linkwork.RoleCommissioner, "GET", "/"},
			{linkwork.RoleCoordinator, "GET", "/api/v1/home"},
			{linkwork.RoleCoordinator, "GET", "/referrals"},
			{linkwork.RoleCoordinator, "GET", "/referrals?status=accepted"},
			{linkwork.RoleReferrer, "GET", "/referrals"},
			{linkwork.RoleLinkWorker, "GET", "/api/v1/referrals?status=received,triage&limit=25"},
			{linkwork.RoleLinkWorker, "GET", "/triage"},
			{linkwork.RoleCoordinator, "GET", "/triage"},
			{linkwork.RoleLinkWorker, "GET", "/referrals/" + queue[0].ID},
			// The decline form's onward destinations: the first wellbeing
			// listings, or those a search finds, by name and place.
			{linkwork.RoleCoordinator, "GET", "/referrals/" + queue[0].ID},
			{linkwork.RoleCoordinator, "GET", "/referrals/" + queue[0].ID + "?onward_q=wellbeing+group"},
			{linkwork.RoleLinkWorker, "GET", "/connections"},
			{linkwork.RoleCoordinator, "GET", "/connections"},
			{linkwork.RoleCommunity, "GET", "/connections"},
			{linkwork.RoleCoordinator, "GET", "/team"},
			{linkwork.RoleLinkWorker, "GET", "/supervision"},
			{linkwork.RoleCoordinator, "GET", "/training?due=1"},
			{linkwork.RoleLinkWorker, "POST", "/api/v1/referrals"},
			// Safeguarding: the lead's list, and the lists that flag an
			// open concern.
			{linkwork.RoleSafeguarding, "GET", "/concerns"},
			{linkwork.RoleLinkWorker, "GET", "/caseload"},
			{linkwork.RoleCoordinator, "GET", "/cases"},
			{linkwork.RoleCoordinator, "GET", "/measures"},
			{linkwork.RoleCommissioner, "GET", "/measures"},
			{linkwork.RoleCoordinator, "GET", "/reports"},
			{linkwork.RoleCommissioner, "GET", "/reports?pathway=gp"},
			// The audit trail, naming its events' people and records
			// in one lookup per kind.
			{linkwork.RoleSafeguarding, "GET", "/admin/audit"},
			{linkwork.RoleAdmin, "GET", "/admin/audit"},
			// Figures added up in the database, whatever the number of
			// referrals and connections behind them.
			{linkwork.RoleCoordinator, "GET", "/reports/referrers"},
			{linkwork.RoleReferrer, "GET", "/reports/referrers"},
			{linkwork.RoleCommunity, "GET", "/reports/groups/" + f.users[linkwork.RoleCommunity].OrgID},
			{linkwork.RoleCoordinator, "GET", "/reports/groups/" + f.users[linkwork.RoleCommunity].OrgID},
			{linkwork.RoleCoordinator, "GET", "/reports/equity"},
			{linkwork.RoleCommissioner, "GET", "/reports/equity?pathway=gp&age_band=26-plus"},
		}
		count := func() []int64 {
			t.Helper()
			var out []int64
			for _, r := range routes {
				before := db.Queries()
				var status int
				var body string
				if r.method == "POST" {
					status, body = f.api(r.role, r.method, r.path, intake())
				} else {
					status, body, _ = f.do(f.clients[r.role], r.method, r.path, "", "", nil)
				}
				if status != http.StatusOK && status != http.StatusCreated {
					t.Fatalf("%s %s as %s: %d %s", r.method, r.path, r.role, status, body)
				}
				out = append(out, db.Queries()-before)
			}
			return out
		}
		raiseConcernsOnFirstPages(t, f)
		count() // once first, for what a server does once (such as marking a token used)
		few := count()
		grown := growService(t, f, 30)
		many := count()
		for i, r := range routes {
			if few[i] != many[i] {
				t.Errorf("%s %s as %s ran %d statements with %s more, %d before", r.method, r.path, r.role, many[i], grown, few[i])
			}
		}
	})
}

// growService adds n people to the demo service, each referred, accepted,
// allocated (to the demo link worker and to others in turn) and connected
// to a listing of the demo community organisation, which is told of it;
// and n wellbeing listings to the directory. It says what it added.
func growService(t *testing.T, f *fixture, n int) string {
	t.Helper()
	ctx := context.Background()
	as := func(role linkwork.Role) context.Context { return linkwork.NewContext(ctx, f.users[role].Actor()) }
	co := as(linkwork.RoleCoordinator)
	community := f.users[linkwork.RoleCommunity]
	theirs, _, err := f.services.Assets.FindAssets(co, linkwork.AssetFilter{OrgID: community.OrgID, Limit: 1})
	if err != nil || len(theirs) == 0 {
		t.Fatalf("the community organisation has no listing: %v", err)
	}
	loads, _, err := f.services.Allocation.WorkerLoads(co, linkwork.TeamQuery{})
	if err != nil {
		t.Fatal(err)
	}
	workers := []string{f.users[linkwork.RoleLinkWorker].ID}
	for _, l := range loads {
		if l.UserID != workers[0] && len(workers) < 4 {
			workers = append(workers, l.UserID)
		}
	}
	for i := range n {
		r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: f.users[linkwork.RoleCoordinator].OrgID,
			Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral, Reasons: "Low mood since moving house", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true)}
		p := &linkwork.Person{GivenName: "Grown", FamilyName: fmt.Sprintf("Person %d", i), DateOfBirth: linkwork.Date{Year: 1990, Month: time.Month(1 + i%12), Day: 1 + i%28},
			Postcode: "LS7 6SX", Phone: fmt.Sprintf("07700 92%04d", i), Contact: linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelPhone}}}
		if err := f.services.Referrals.CreateReferral(as(linkwork.RoleReferrer), r, p); err != nil {
			t.Fatalf("refer %d: %v", i, err)
		}
		r, err := f.services.Referrals.DecideReferral(co, r.ID, r.Version, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: workers[i%len(workers)]})
		if err != nil {
			t.Fatalf("accept %d: %v", i, err)
		}
		if err := f.services.People.AddConsent(co, r.PersonID, &linkwork.Consent{Kind: linkwork.ConsentShareCommunity, Given: true, GivenBy: "self"}); err != nil {
			t.Fatalf("agree to share %d: %v", i, err)
		}
		if i%3 == 0 {
			// A safeguarding concern on every third case, for the lists
			// that show or flag them.
			if err := f.services.Concerns.RaiseConcern(co, &linkwork.Concern{CaseID: r.CaseID, Category: linkwork.ConcernBullying,
				Description: "Said they are picked on at work", ImmediateAction: "Listened", SafeNow: linkwork.AnswerYes}); err != nil {
				t.Fatalf("concern %d: %v", i, err)
			}
		}
		c := &linkwork.Connection{CaseID: r.CaseID, AssetID: theirs[0].Asset.ID, Level: linkwork.LevelRefer}
		if err := f.services.Connections.CreateConnection(co, c); err != nil {
			t.Fatalf("connect %d: %v", i, err)
		}
		if _, err := f.services.Connections.MoveConnection(co, c.ID, linkwork.ConnectionMove{To: linkwork.ConnContacted, Version: c.Version}); err != nil {
			t.Fatalf("contact %d: %v", i, err)
		}
		a := *theirs[0].Asset
		a.ID, a.Name, a.Categories, a.Version = "", fmt.Sprintf("Grown wellbeing group %d", i), []linkwork.Category{linkwork.CategoryWellbeing}, 0
		a.Locations = append([]linkwork.Location(nil), a.Locations...)
		for j := range a.Locations {
			a.Locations[j].ID = ""
		}
		a.Contacts = append([]linkwork.AssetContact(nil), a.Contacts...)
		for j := range a.Contacts {
			a.Contacts[j].ID = ""
		}
		a.CostOptions = append([]linkwork.CostOption(nil), a.CostOptions...)
		for j := range a.CostOptions {
			a.CostOptions[j].ID = ""
		}
		if err := f.services.Assets.CreateAsset(co, &a); err != nil {
			t.Fatalf("listing %d: %v", i, err)
		}
	}
	return fmt.Sprintf("%d people, referrals, cases and connections, and %d listings", n, n)
}

// raiseConcernsOnFirstPages raises a safeguarding concern on each case of
// the first pages of the coordinator's cases and the demo link worker's
// caseload, so that the lists flag (and audit) concerns before the
// service grows as after.
func raiseConcernsOnFirstPages(t *testing.T, f *fixture) {
	t.Helper()
	ctx := context.Background()
	co := linkwork.NewContext(ctx, f.users[linkwork.RoleCoordinator].Actor())
	cases, _, err := f.services.Cases.FindCases(co, linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseActive, linkwork.CaseEnding}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	load, err := f.services.Allocation.Caseload(linkwork.NewContext(ctx, f.users[linkwork.RoleLinkWorker].Actor()), linkwork.CaseloadQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range load {
		cases = append(cases, it.Case)
	}
	for _, c := range cases {
		if err := f.services.Concerns.RaiseConcern(co, &linkwork.Concern{CaseID: c.ID, Category: linkwork.ConcernOther,
			Description: "Seemed worried about home", ImmediateAction: "Listened", SafeNow: linkwork.AnswerYes}); err != nil {
			t.Fatalf("concern on %s: %v", c.ID, err)
		}
	}
}
