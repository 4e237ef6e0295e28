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
func TestEveryPageRendersWithRealData(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		for _, role := range linkwork.Roles {
			t.Run(string(role), func(t *testing.T) {
				u := f.users[role]
				ctx := linkwork.NewContext(context.Background(), u.Actor())
				pages := map[string]string{"/": "Welcome, " + u.Name, "/directory": "Community directory", "/account": u.Email}
				if refs, _, _ := f.services.Referrals.FindReferrals(ctx, linkwork.ReferralFilter{Limit: 1}); len(refs) > 0 {
					pages["/referrals"] = refs[0].PersonName
					pages["/referrals/"+refs[0].ID] = refs[0].PersonName
				}
				if cases, _, _ := f.services.Cases.FindCases(ctx, linkwork.CaseFilter{Limit: 1}); len(cases) > 0 {
					pages["/cases?status=all"] = cases[0].PersonName
					pages["/cases/"+cases[0].ID] = cases[0].PersonName
				}
				if conns, _, _ := f.services.Connections.FindConnections(ctx, linkwork.ConnectionFilter{Limit: 1}); len(conns) > 0 {
					pages["/connections"] = conns[0].AssetName
				}
				if assets, _, _ := f.services.Assets.FindAssets(ctx, linkwork.AssetFilter{Limit: 1}); len(assets) > 0 {
					pages["/directory/"+assets[0].Asset.ID] = assets[0].Asset.Name
				}
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
				if role == linkwork.RoleReferrer || role == linkwork.RoleLinkWorker || role == linkwork.RoleCoordinator || role == linkwork.RoleSafeguarding {
					if _, ok := pages["/referrals"]; !ok {
						t.Fatalf("the demo city gives %s no referrals to show", role)
					}
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
