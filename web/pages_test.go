package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestEveryPageRendersWithRealData opens every page each role may reach,
// with real records from the demo city, on both engines: a template that
// fails on some field, or a page that shows the wrong record, fails here.
// Each role's lists are sure to hold a record: the demo referrer's
// practice refers someone, whom the demo link worker takes on and
// connects to the demo community organisation's listing.
func TestEveryPageRendersWithRealData(t *testing.T) {
	// sees says which lists of people's records each role has, by the
	// policy: the directory everyone has.
	type sees struct{ referrals, cases, connections bool }
	roles := map[linkwork.Role]sees{
		linkwork.RoleReferrer:     {referrals: true},
		linkwork.RoleLinkWorker:   {referrals: true, cases: true, connections: true},
		linkwork.RoleCoordinator:  {referrals: true, cases: true, connections: true},
		linkwork.RoleSafeguarding: {referrals: true, cases: true, connections: true},
		linkwork.RoleCommunity:    {connections: true},
		linkwork.RoleCommissioner: {},
		linkwork.RoleAdmin:        {},
	}
	if len(roles) != len(linkwork.Roles) {
		t.Fatalf("the test names %d roles, linkwork has %d", len(roles), len(linkwork.Roles))
	}
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		growService(t, f, 1)
		for _, role := range linkwork.Roles {
			t.Run(string(role), func(t *testing.T) {
				u := f.users[role]
				has, ok := roles[role]
				if !ok {
					t.Fatalf("the test does not say what %s sees", role)
				}
				ctx := linkwork.NewContext(context.Background(), u.Actor())
				pages := map[string]string{"/": "Welcome, " + u.Name, "/directory": "Community directory", "/account": u.Email}
				refs, _, err := f.services.Referrals.FindReferrals(ctx, linkwork.ReferralFilter{Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				if got := len(refs) > 0; got != has.referrals {
					t.Fatalf("%s sees referrals: %v, want %v", role, got, has.referrals)
				}
				if has.referrals {
					pages["/referrals"] = refs[0].PersonName
					pages["/referrals/"+refs[0].ID] = refs[0].PersonName
				}
				cases, _, err := f.services.Cases.FindCases(ctx, linkwork.CaseFilter{Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				if got := len(cases) > 0; got != has.cases {
					t.Fatalf("%s sees cases: %v, want %v", role, got, has.cases)
				}
				if has.cases {
					pages["/cases?status=all"] = cases[0].PersonName
					pages["/cases/"+cases[0].ID] = cases[0].PersonName
				}
				conns, _, err := f.services.Connections.FindConnections(ctx, linkwork.ConnectionFilter{Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				if got := len(conns) > 0; got != has.connections {
					t.Fatalf("%s sees connections: %v, want %v", role, got, has.connections)
				}
				if has.connections {
					pages["/connections"] = conns[0].AssetName
				}
				assets, _, err := f.services.Assets.FindAssets(ctx, linkwork.AssetFilter{Limit: 1})
				if err != nil {
					t.Fatal(err)
				}
				if len(assets) == 0 {
					t.Fatalf("%s sees an empty directory", role)
				}
				pages["/directory/"+assets[0].Asset.ID] = assets[0].Asset.Name
				switch role {
				case linkwork.RoleAdmin:
					pages["/admin/users"] = "Add a user"
					pages["/admin/organisations"] = "Add an organisation"
					pages["/admin/audit"] = "Verify the chain"
				case linkwork.RoleCoordinator:
					pages["/admin/users"] = u.Email
				case linkwork.RoleSafeguarding:
					pages["/admin/audit"] = "Audit trail"
				}
				for path, want := range pages {
					status, body, _ := f.do(f.clients[role], "GET", path, "", "", nil)
					if status != http.StatusOK {
						t.Errorf("%s: status %d", path, status)
						continue
					}
					if !strings.Contains(body, htmlEscape(want)) {
						t.Errorf("%s does not show %q", path, want)
					}
				}
			})
		}
	})
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "'", "&#39;", "<", "&lt;", ">", "&gt;", `"`, "&#34;").Replace(s)
}
