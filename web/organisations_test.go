package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestChangingAnOrganisationThroughTheAPI sets the service's funding
// commissioner with PUT /api/v1/organisations/{id}: refused without the
// version read, with a stale one, with a parent of the wrong kind, and to
// anyone but an administrator.
func TestChangingAnOrganisationThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		service := f.users[linkwork.RoleCoordinator].OrgID
		funder := f.users[linkwork.RoleCommissioner].OrgID
		group := f.users[linkwork.RoleCommunity].OrgID
		read := a.send(t, apiCase{role: linkwork.RoleAdmin, method: "GET", path: "/api/v1/organisations/" + service})
		if read.status != http.StatusOK {
			t.Fatalf("GET: %d %s", read.status, read.body)
		}
		version := int(read.v["version"].(float64))
		body := func(parent string, version int) string {
			b, _ := json.Marshal(map[string]any{"name": read.v["name"], "kind": "sp_service", "parent_id": parent, "postcode": read.v["postcode"], "version": version})
			return string(b)
		}
		path := "/api/v1/organisations/" + service
		for _, c := range []struct {
			ac     apiCase
			status int
		}{
			{apiCase{name: "without the version", role: linkwork.RoleAdmin, method: "PUT", path: path, body: fmt.Sprintf(`{"name":%q,"kind":"sp_service"}`, read.v["name"]), field: "version"}, http.StatusUnprocessableEntity},
			{apiCase{name: "funded by a community group", role: linkwork.RoleAdmin, method: "PUT", path: path, body: body(group, version), field: "parent_id"}, http.StatusUnprocessableEntity},
			{apiCase{name: "by a coordinator", role: linkwork.RoleCoordinator, method: "PUT", path: path, body: body(funder, version)}, http.StatusForbidden},
			{apiCase{name: "funded by the commissioner", role: linkwork.RoleAdmin, method: "PUT", path: path, body: body(funder, version),
				check: wantJSON(map[string]any{"parent_id": funder, "version": version + 1})}, http.StatusOK},
			{apiCase{name: "at the version read before", role: linkwork.RoleAdmin, method: "PUT", path: path, body: body("", version)}, http.StatusConflict},
			{apiCase{name: "one that is not there", role: linkwork.RoleAdmin, method: "PUT", path: "/api/v1/organisations/00000000-0000-4000-8000-000000000000", body: body("", 1)}, http.StatusNotFound},
		} {
			t.Run(c.ac.name, func(t *testing.T) {
				ans := a.send(t, c.ac)
				if ans.status != c.status {
					t.Fatalf("%d %s, want %d", ans.status, ans.body, c.status)
				}
				if c.ac.field != "" && !errorNames(ans.v, c.ac.field) {
					t.Errorf("the error does not name %s: %s", c.ac.field, ans.body)
				}
				if c.ac.check != nil {
					c.ac.check(t, ans.v)
				}
			})
		}
	})
}
