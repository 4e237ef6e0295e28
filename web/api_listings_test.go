package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// listingBody is a complete new listing as the API takes it, with changes:
// a nil value removes the key.
func listingBody(changes map[string]any) string {
	b := map[string]any{
		"name": "Tuesday Test Boxing", "description": "Friendly boxing for 11 to 18 year olds.", "categories": []string{"sports"},
		"status": "active", "how_to_join": "drop_in", "capacity": map[string]any{"status": "accepting", "available": 4, "maximum": 12},
		"minimum_age": 11, "maximum_age": 18, "cost_options": []any{map[string]any{"option": "Per session", "amount": 200}},
		"locations": []any{map[string]any{"location_type": "physical", "name": "Northfield Hall", "address_1": "1 Park Road", "city": "Leeds", "postal_code": "ls6 2aa"}},
		"schedules": []any{map[string]any{"freq": "WEEKLY", "byday": "TU", "opens_at": "18:00", "closes_at": "19:30"}},
		"contacts":  []any{map[string]any{"name": "Sam", "title": "Coach", "email": "sam@example.org"}},
		"languages": []string{"English"}, "service_areas": []string{"LS6"}, "youth_friendly": true, "buddy_welcome": true,
	}
	out, _ := json.Marshal(b)
	return jsonWith(string(out), changes)
}

// monthsOn is the date n months after today in the UK, as the API writes
// dates.
func monthsOn(n int) string {
	return time.Now().In(apiUKTime()).AddDate(0, n, 0).Format(time.DateOnly)
}

// TestListingsAPI covers the directory's maintenance over the API: every
// answer checked against the OpenAPI document as TestAPI does.
func TestListingsAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		ownOrg := f.users[linkwork.RoleCommunity].OrgID
		service := f.users[linkwork.RoleCoordinator].OrgID
		sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))

		// A listing of another organisation, from the demo city.
		var otherOrg, otherListing string
		for _, x := range listItems(a.send(t, apiCase{method: "GET", path: "/api/v1/assets?limit=500"}).v) {
			if org := jsonStr(x, "organization_id"); org != "" && org != ownOrg && otherListing == "" {
				otherOrg, otherListing = org, jsonStr(x, "id")
			}
		}
		if otherListing == "" {
			t.Fatal("the demo city has no listing of another organisation")
		}

		must := func(c apiCase, status int) apiAnswer {
			t.Helper()
			ans := a.send(t, c)
			if ans.status != status {
				t.Fatalf("%s %s as %q: status %d, want %d\n%s", c.method, c.path, c.role, ans.status, status, ans.body)
			}
			return ans
		}
		get := func(id string) apiAnswer {
			t.Helper()
			return must(apiCase{method: "GET", path: "/api/v1/assets/" + id}, http.StatusOK)
		}

		// The community organisation adds its own listing; left out, the
		// organisation is theirs.
		created := must(apiCase{role: linkwork.RoleCommunity, method: "POST", path: "/api/v1/assets", body: listingBody(nil)}, http.StatusCreated)
		own := jsonStr(created.v, "id")
		t.Run("a created listing reads back as it was answered and as it was sent", func(t *testing.T) {
			if loc := created.header.Get("Location"); loc != "/api/v1/assets/"+own {
				t.Errorf("Location %q", loc)
			}
			got := get(own)
			if !reflect.DeepEqual(created.v, got.v) {
				t.Errorf("POST answered\n%s\nGET answers\n%s", created.body, got.body)
			}
			wantJSON(map[string]any{"organization_id": ownOrg, "name": "Tuesday Test Boxing", "version": 1, "minimum_age": 11, "maximum_age": 18,
				"capacity.available": 4, "capacity.maximum": 12, "free": false, "in_person": true, "stale": false, "verify_by": monthsOn(linkwork.RecheckMonths)})(t, got.v)
			locs := got.v["locations"].([]any)
			if l := locs[0].(map[string]any); l["postal_code"] != "LS6 2AA" || l["id"] == "" || l["latitude"] == nil {
				t.Errorf("location %v: want the postcode tidied, an id and a place on the map", l)
			}
			if s := got.v["schedules"].([]any)[0].(map[string]any); s["byday"] != "TU" || s["opens_at"] != "18:00" {
				t.Errorf("schedule %v", s)
			}
			if c := got.v["contacts"].([]any)[0].(map[string]any); c["email"] != "sam@example.org" || c["id"] == "" {
				t.Errorf("contact %v", c)
			}
		})

		t.Run("201", func(t *testing.T) {
			a.runTable(t, http.StatusCreated, []apiCase{
				{name: "a coordinator adds another organisation's listing", role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/assets",
					body: listingBody(map[string]any{"organization_id": otherOrg, "name": "Coordinator's listing"}), check: wantJSON(map[string]any{"organization_id": otherOrg})},
				{name: "a community user names their own organisation", role: linkwork.RoleCommunity, method: "POST", path: "/api/v1/assets",
					body: listingBody(map[string]any{"organization_id": ownOrg, "name": "Own again"}), check: wantJSON(map[string]any{"organization_id": ownOrg})},
				{name: "an online listing", role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/assets",
					body:  listingBody(map[string]any{"locations": []any{map[string]any{"location_type": "virtual", "url": "https://example.org/join"}}}),
					check: wantJSON(map[string]any{"online": true, "in_person": false})},
			})
		})

		t.Run("403", func(t *testing.T) {
			a.runTable(t, http.StatusForbidden, []apiCase{
				{name: "a community user adds another organisation's listing", role: linkwork.RoleCommunity, method: "POST", path: "/api/v1/assets",
					body: listingBody(map[string]any{"organization_id": otherOrg})},
				{name: "a community user changes another organisation's listing", role: linkwork.RoleCommunity, method: "PUT", path: "/api/v1/assets/" + otherListing,
					body: jsonWith(get(otherListing).body, nil)},
				{name: "a community user moves their listing to another organisation", role: linkwork.RoleCommunity, method: "PUT", path: "/api/v1/assets/" + own,
					body: jsonWith(get(own).body, map[string]any{"organization_id": otherOrg})},
				{name: "a link worker adds a listing", role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/assets", body: listingBody(nil)},
				{name: "a community user confirms another organisation's listing", role: linkwork.RoleCommunity, method: "POST", path: "/api/v1/assets/" + otherListing + "/confirm",
					body: `{"version": 1}`},
				{name: "a community user reports a listing", role: linkwork.RoleCommunity, method: "POST", path: "/api/v1/assets/" + own + "/reports", body: `{"note": "Moved"}`},
				{name: "a community user reads another organisation's reports", role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/assets/" + otherListing + "/reports"},
				{name: "a link worker reads the dashboard", role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/curation"},
			})
		})

		t.Run("422", func(t *testing.T) {
			post := func(name, field string, changes map[string]any) apiCase {
				return apiCase{name: name, role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/assets", body: listingBody(changes), field: field}
			}
			loc := func(kv map[string]any) map[string]any {
				l := map[string]any{"location_type": "physical", "name": "Hall", "postal_code": "LS6 2AA"}
				for k, v := range kv {
					l[k] = v
				}
				return map[string]any{"locations": []any{l}}
			}
			a.runTable(t, http.StatusUnprocessableEntity, []apiCase{
				post("no name", "name", map[string]any{"name": " "}),
				post("no category", "categories", map[string]any{"categories": []string{}}),
				post("a category that does not exist", "categories", map[string]any{"categories": []string{"knitting"}}),
				post("a bad status", "status", map[string]any{"status": "open"}),
				post("no way to join", "how_to_join", map[string]any{"how_to_join": nil}),
				post("a bad capacity", "capacity.status", map[string]any{"capacity": map[string]any{"status": "maybe"}}),
				post("more places free than in all", "capacity.available", map[string]any{"capacity": map[string]any{"status": "accepting", "available": 5, "maximum": 2}}),
				post("ages the wrong way round", "minimum_age", map[string]any{"minimum_age": 18, "maximum_age": 11}),
				post("nowhere", "locations", map[string]any{"locations": []any{}, "schedules": []any{}, "service_areas": []string{}}),
				post("a postcode that is not one", "locations[0].postal_code", loc(map[string]any{"postal_code": "LS99 ZZZ9"})),
				post("a place without a postcode", "locations[0].postal_code", loc(map[string]any{"postal_code": nil})),
				post("a location neither a place nor online", "locations[0].location_type", loc(map[string]any{"location_type": "astral"})),
				post("a schedule that ends before it starts", "schedules[0].closes_at", map[string]any{"schedules": []any{map[string]any{"freq": "WEEKLY", "byday": "TU", "opens_at": "19:00", "closes_at": "18:00"}}}),
				post("a schedule on no day", "schedules[0].byday", map[string]any{"schedules": []any{map[string]any{"freq": "WEEKLY", "byday": "Tuesday", "opens_at": "18:00", "closes_at": "19:00"}}}),
				post("a contact's email that is not one", "contacts[0].email", map[string]any{"contacts": []any{map[string]any{"name": "Sam", "email": "sam at example"}}}),
				post("a cost below nothing", "cost_options[0].amount", map[string]any{"cost_options": []any{map[string]any{"amount": -5}}}),
				post("an organisation that does not exist", "organization_id", map[string]any{"organization_id": missingID}),
				post("an id chosen by the client", "id", map[string]any{"id": missingID}),
				post("an unknown field", "bogus", map[string]any{"bogus": 1}),
				post("an unknown field in a location", "locations[0].bogus", loc(map[string]any{"bogus": 1})),
				post("a number as text", "minimum_age", map[string]any{"minimum_age": "eleven"}),
				post("an age no one is", "maximum_age", map[string]any{"maximum_age": 500}),
				post("two contacts with one id", "contacts[1].id", map[string]any{"contacts": []any{
					map[string]any{"id": "00000000-0000-4000-8000-00000000c0c0", "name": "Sam"}, map[string]any{"id": "00000000-0000-4000-8000-00000000c0c0", "name": "Ali"}}}),
				{name: "another listing's place", role: linkwork.RoleCoordinator, method: "PUT", path: "/api/v1/assets/" + own, field: "locations[0].id",
					body: jsonWith(get(own).body, map[string]any{"locations": []any{map[string]any{"id": jsonStr(listItems(map[string]any{"items": get(otherListing).v["locations"]})[0], "id"),
						"location_type": "physical", "name": "Hall", "postal_code": "LS6 2AA"}}})},
				{name: "a change without the version read", role: linkwork.RoleCommunity, method: "PUT", path: "/api/v1/assets/" + own,
					body: jsonWith(get(own).body, map[string]any{"version": nil}), field: "version"},
				{name: "a change with bad fields names each", role: linkwork.RoleCommunity, method: "PUT", path: "/api/v1/assets/" + own,
					body:  jsonWith(get(own).body, map[string]any{"name": "", "schedules": []any{map[string]any{"freq": "DAILY", "byday": "TU", "opens_at": "18:00", "closes_at": "19:00"}}}),
					field: "schedules[0].freq", check: func(t *testing.T, v map[string]any) {
						if fs := apiErrorFields(v); !slices.Contains(fs, "name") {
							t.Errorf("fields %v do not name name", fs)
						}
					}},
				{name: "a report without a note", role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/assets/" + own + "/reports", body: `{"note": "  "}`, field: "note"},
				{name: "a confirmation without the version", role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/assets/" + own + "/confirm", body: `{}`, field: "version"},
			})
		})

		t.Run("404", func(t *testing.T) {
			a.runTable(t, http.StatusNotFound, []apiCase{
				{name: "a change to a listing that does not exist", role: linkwork.RoleCoordinator, method: "PUT", path: "/api/v1/assets/" + missingID, body: listingBody(map[string]any{"version": 1})},
				{name: "a report on a listing that does not exist", role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/assets/" + missingID + "/reports", body: `{"note": "Gone"}`},
				{name: "resolving a report that does not exist", role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/asset-reports/" + missingID + "/resolve"},
				{name: "a verification link never sent", method: "GET", path: "/api/v1/verify/not-a-token"},
				{name: "confirming through a link never sent", method: "POST", path: "/api/v1/verify/not-a-token/confirm"},
				{name: "correcting through a link never sent", method: "PUT", path: "/api/v1/verify/not-a-token", body: listingBody(map[string]any{"version": 1})},
			})
		})

		t.Run("a change at the version read is saved; at a stale one, refused", func(t *testing.T) {
			read := get(own)
			put := must(apiCase{role: linkwork.RoleCommunity, method: "PUT", path: "/api/v1/assets/" + own,
				body: jsonWith(read.body, map[string]any{"name": "Thursday Test Boxing", "minimum_age": 12})}, http.StatusOK)
			wantJSON(map[string]any{"name": "Thursday Test Boxing", "minimum_age": 12, "version": 2, "organization_id": ownOrg})(t, put.v)
			if after := get(own); !reflect.DeepEqual(after.v, put.v) {
				t.Errorf("PUT answered\n%s\nGET answers\n%s", put.body, after.body)
			}
			// The same body again: version 1 is stale now.
			stale := must(apiCase{role: linkwork.RoleCommunity, method: "PUT", path: "/api/v1/assets/" + own,
				body: jsonWith(read.body, map[string]any{"name": "Lost change"})}, http.StatusConflict)
			if msg := jsonStr(stale.v, "error.message"); !strings.Contains(msg, "changed") {
				t.Errorf("the conflict says %q; want it to say the listing changed", msg)
			}
			if got := get(own); jsonStr(got.v, "name") != "Thursday Test Boxing" {
				t.Errorf("a stale change was saved: %s", jsonStr(got.v, "name"))
			}
			// A coordinator changes another organisation's listing.
			must(apiCase{role: linkwork.RoleCoordinator, method: "PUT", path: "/api/v1/assets/" + otherListing,
				body: jsonWith(get(otherListing).body, map[string]any{"accessibility": "Step-free entrance"})}, http.StatusOK)
		})

		t.Run("a report appears on the dashboard until it is resolved", func(t *testing.T) {
			rep := must(apiCase{role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/assets/" + own + "/reports", body: `{"note": "It has moved to Thursdays"}`}, http.StatusCreated)
			id := jsonStr(rep.v, "id")
			wantJSON(map[string]any{"asset_id": own, "note": "It has moved to Thursdays", "resolved": false, "reported_by": f.users[linkwork.RoleLinkWorker].ID})(t, rep.v)
			reportIDs := func(v map[string]any) []string {
				var out []string
				for _, r := range v["reports"].([]any) {
					out = append(out, r.(map[string]any)["id"].(string))
				}
				return out
			}
			for _, role := range []linkwork.Role{linkwork.RoleCoordinator, linkwork.RoleCommunity} {
				c := must(apiCase{role: role, method: "GET", path: "/api/v1/curation"}, http.StatusOK)
				if !slices.Contains(reportIDs(c.v), id) || c.v["report_count"].(float64) < 1 {
					t.Errorf("as %s the dashboard's reports are %v, want %s", role, reportIDs(c.v), id)
				}
				if own := c.v["own_organization_only"] == true; own != (role == linkwork.RoleCommunity) {
					t.Errorf("as %s own_organization_only = %v", role, own)
				}
			}
			community := must(apiCase{role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/curation"}, http.StatusOK)
			for _, list := range []string{"stale", "due_soon"} {
				for _, x := range community.v[list].([]any) {
					if org := x.(map[string]any)["organization_id"]; org != ownOrg {
						t.Errorf("a community user's %s list has another organisation's listing (%v)", list, org)
					}
				}
			}
			list := must(apiCase{role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/assets/" + own + "/reports"}, http.StatusOK)
			if items := listItems(list.v); len(items) != 1 || items[0]["id"] != id {
				t.Errorf("the listing's reports are %v", items)
			}
			// Another organisation's users may not resolve it.
			other := must(apiCase{role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/assets/" + otherListing + "/reports", body: `{"note": "Closed"}`}, http.StatusCreated)
			must(apiCase{role: linkwork.RoleCommunity, method: "POST", path: "/api/v1/asset-reports/" + jsonStr(other.v, "id") + "/resolve"}, http.StatusForbidden)

			ans := a.send(t, apiCase{role: linkwork.RoleCommunity, method: "POST", path: "/api/v1/asset-reports/" + id + "/resolve"})
			if ans.status != http.StatusNoContent {
				t.Fatalf("resolve: %d %s", ans.status, ans.body)
			}
			c := must(apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/curation"}, http.StatusOK)
			if slices.Contains(reportIDs(c.v), id) {
				t.Error("a resolved report is still on the dashboard")
			}
			list = must(apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/assets/" + own + "/reports"}, http.StatusOK)
			wantJSON(map[string]any{"resolved": true, "resolved_by": f.users[linkwork.RoleCommunity].ID})(t, listItems(list.v)[0])
		})

		// The service checks listings every 5 months from now on.
		settings := must(apiCase{method: "GET", path: "/api/v1/services/" + service}, http.StatusOK)
		if settings.v["listing_recheck_months"] != float64(linkwork.RecheckMonths) {
			t.Fatalf("listing_recheck_months = %v before any is saved, want %d", settings.v["listing_recheck_months"], linkwork.RecheckMonths)
		}
		saveSettings := func(changes map[string]any) apiAnswer {
			cur := must(apiCase{method: "GET", path: "/api/v1/services/" + service}, http.StatusOK)
			body := jsonWith(cur.body, map[string]any{"service_org_id": nil, "service_name": nil, "updated_at": nil})
			return a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "PUT", path: "/api/v1/services/" + service, body: jsonWith(body, changes)})
		}
		t.Run("a bad re-check interval is named", func(t *testing.T) {
			for _, n := range []any{0, 25, -3, "six"} {
				ans := saveSettings(map[string]any{"listing_recheck_months": n})
				if ans.status != http.StatusUnprocessableEntity || !slices.Contains(apiErrorFields(ans.v), "listing_recheck_months") {
					t.Errorf("listing_recheck_months %v: %d %s", n, ans.status, ans.body)
				}
			}
		})
		if ans := saveSettings(map[string]any{"listing_recheck_months": 5}); ans.status != http.StatusOK || ans.v["listing_recheck_months"] != float64(5) {
			t.Fatalf("saving 5 months: %d %s", ans.status, ans.body)
		}
		t.Run("left out, the re-check interval stays", func(t *testing.T) {
			ans := saveSettings(map[string]any{"listing_recheck_months": nil, "contact": "0113 496 0001"})
			if ans.status != http.StatusOK || ans.v["listing_recheck_months"] != float64(5) {
				t.Fatalf("%d %s", ans.status, ans.body)
			}
		})

		t.Run("a curator's confirmation moves verify_by by the service's setting", func(t *testing.T) {
			cur := get(own)
			v := cur.v["version"].(float64)
			ans := must(apiCase{role: linkwork.RoleCommunity, method: "POST", path: "/api/v1/assets/" + own + "/confirm", body: `{"version": ` + jsonNum(v) + `}`}, http.StatusOK)
			wantJSON(map[string]any{"verify_by": monthsOn(5), "assured_date": time.Now().In(apiUKTime()).Format(time.DateOnly), "version": v + 1})(t, ans.v)
			must(apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/assets/" + own + "/confirm", body: `{"version": ` + jsonNum(v) + `}`}, http.StatusConflict)
		})

		// Two listings whose contacts get a verification link: due long
		// ago, so that they are first in the round.
		links := map[string]string{}
		ids := map[string]string{}
		coord := linkwork.NewContext(context.Background(), f.users[linkwork.RoleCoordinator].Actor())
		for _, who := range []string{"confirm", "correct"} {
			email := who + "@listing.example.org"
			ans := must(apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/assets",
				body: listingBody(map[string]any{"name": "Verify " + who, "organization_id": ownOrg, "contacts": []any{map[string]any{"name": "Alex", "email": email}}})}, http.StatusCreated)
			ids[who] = jsonStr(ans.v, "id")
			l, err := f.services.Assets.FindAssetByID(coord, ids[who])
			if err != nil {
				t.Fatal(err)
			}
			l.VerifyBy = linkwork.DateOf(time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC))
			if err := f.services.Assets.UpdateAsset(coord, l); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := f.services.Listings.SendVerificationLinks(sys); err != nil {
			t.Fatal(err)
		}
		pending, err := f.services.Notifications.PendingEmails(sys, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range pending {
			if n.Kind == linkwork.NoteVerifyListing && strings.HasSuffix(n.Email, "@listing.example.org") {
				links[strings.TrimSuffix(n.Email, "@listing.example.org")] = strings.TrimPrefix(n.Link, "/verify/")
			}
		}
		if links["confirm"] == "" || links["correct"] == "" {
			t.Fatalf("verification links went to %v", links)
		}

		t.Run("a verification link shows its listing and nothing about people", func(t *testing.T) {
			ans := must(apiCase{method: "GET", path: "/api/v1/verify/" + links["confirm"]}, http.StatusOK)
			if jsonStr(ans.v, "asset.id") != ids["confirm"] || jsonStr(ans.v, "expires_at") == "" {
				t.Errorf("the link shows %s", ans.body)
			}
			if ans.header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", ans.header.Get("Cache-Control"))
			}
			if len(ans.v) != 2 {
				t.Errorf("the answer has %d keys, want the listing and its expiry only: %s", len(ans.v), ans.body)
			}
		})
		t.Run("confirming through the link moves verify_by by the service's setting; the link then is gone", func(t *testing.T) {
			ans := must(apiCase{method: "POST", path: "/api/v1/verify/" + links["confirm"] + "/confirm"}, http.StatusOK)
			wantJSON(map[string]any{"id": ids["confirm"], "verify_by": monthsOn(5), "stale": false})(t, ans.v)
			wantJSON(map[string]any{"verify_by": monthsOn(5)})(t, get(ids["confirm"]).v)
			for _, c := range []apiCase{
				{method: "GET", path: "/api/v1/verify/" + links["confirm"]},
				{method: "POST", path: "/api/v1/verify/" + links["confirm"] + "/confirm"},
				{method: "PUT", path: "/api/v1/verify/" + links["confirm"], body: jsonWith(get(ids["confirm"]).body, nil)},
			} {
				ans := must(c, http.StatusGone)
				if jsonStr(ans.v, "error.code") != "gone" || !strings.Contains(jsonStr(ans.v, "error.message"), "already been used") {
					t.Errorf("%s %s: %s", c.method, c.path, ans.body)
				}
			}
		})
		t.Run("a correction through the link is checked, then saved and confirmed", func(t *testing.T) {
			tok := links["correct"]
			read := must(apiCase{method: "GET", path: "/api/v1/verify/" + tok}, http.StatusOK)
			var body map[string]any
			_ = json.Unmarshal([]byte(read.body), &body)
			listing, _ := json.Marshal(body["asset"])
			bad := must(apiCase{method: "PUT", path: "/api/v1/verify/" + tok, body: jsonWith(string(listing), map[string]any{"locations": []any{map[string]any{"location_type": "physical", "postal_code": "nowhere"}}})}, http.StatusUnprocessableEntity)
			if fs := apiErrorFields(bad.v); !slices.Contains(fs, "locations[0].postal_code") {
				t.Errorf("fields %v", fs)
			}
			must(apiCase{method: "PUT", path: "/api/v1/verify/" + tok, body: jsonWith(string(listing), map[string]any{"organization_id": otherOrg})}, http.StatusUnprocessableEntity)
			must(apiCase{method: "PUT", path: "/api/v1/verify/" + tok, body: jsonWith(string(listing), map[string]any{"version": 99})}, http.StatusConflict)
			ans := must(apiCase{method: "PUT", path: "/api/v1/verify/" + tok, body: jsonWith(string(listing), map[string]any{"name": "Verify corrected"})}, http.StatusOK)
			wantJSON(map[string]any{"name": "Verify corrected", "verify_by": monthsOn(5), "organization_id": jsonStr(read.v, "asset.organization_id")})(t, ans.v)
			must(apiCase{method: "GET", path: "/api/v1/verify/" + tok}, http.StatusGone)
		})
		t.Run("one address cannot sit guessing tokens", func(t *testing.T) {
			var last apiAnswer
			for i := 0; i < 70 && last.status != http.StatusTooManyRequests; i++ {
				last = a.send(t, apiCase{method: "GET", path: "/api/v1/verify/guess-" + jsonNum(float64(i))})
				if last.status != http.StatusNotFound && last.status != http.StatusTooManyRequests {
					t.Fatalf("guess %d: %d %s", i, last.status, last.body)
				}
			}
			if last.status != http.StatusTooManyRequests || jsonStr(last.v, "error.code") != "rate_limited" {
				t.Fatalf("70 guesses from one address: the last answered %d %s, want 429", last.status, last.body)
			}
			// The pages count against the same allowance.
			if status, _, _ := f.do(nil, "GET", "/verify/"+links["correct"], "", "", nil); status != http.StatusTooManyRequests {
				t.Errorf("the verification page after the API's allowance: %d, want 429", status)
			}
		})
		t.Run("changes are audited", func(t *testing.T) {
			ans := must(apiCase{role: linkwork.RoleAdmin, method: "GET", path: "/api/v1/audit?record_type=asset&record_id=" + own + "&limit=500"}, http.StatusOK)
			var actions []string
			for _, e := range listItems(ans.v) {
				actions = append(actions, jsonStr(e, "action"))
			}
			for _, want := range []string{"asset.create", "asset.update", "asset.report", "asset.report_resolved", "asset.confirmed"} {
				if !slices.Contains(actions, want) {
					t.Errorf("the audit trail of the listing has %v, want %s", actions, want)
				}
			}
		})
	})
}

func jsonNum(v float64) string { b, _ := json.Marshal(v); return string(b) }

// TestListingRecheckSettingPage: the service settings page shows and saves
// how often listings are checked, and names a bad value.
func TestListingRecheckSettingPage(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		coord := f.clients[linkwork.RoleCoordinator]
		form := func(v url.Values) string { return v.Encode() }
		_, page, _ := f.do(coord, "GET", "/admin/service", "", "", nil)
		if !strings.Contains(page, `name="listing_recheck_months"`) || !strings.Contains(page, `value="3"`) {
			t.Fatal("the settings page does not show the re-check interval, 3 by default")
		}
		version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
		fields := url.Values{"version": {version}, "red": {"Danger now"}, "amber": {"Talk first"}, "green": {"Lonely"}, "crisis_advice": {"Ring 999."}}
		for _, bad := range []string{"30", "0", "six"} {
			fields.Set("listing_recheck_months", bad)
			status, body, _ := f.do(coord, "POST", "/admin/service", "application/x-www-form-urlencoded", form(fields), nil)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#listing_recheck_months"`) || !strings.Contains(body, `value="`+bad+`"`) {
				t.Errorf("%q months: status %d; want 422 naming the field and keeping what was typed", bad, status)
			}
		}
		fields.Set("listing_recheck_months", "7")
		if status, _, _ := f.do(coord, "POST", "/admin/service", "application/x-www-form-urlencoded", form(fields), nil); status != http.StatusSeeOther {
			t.Fatalf("saving 7 months: status %d", status)
		}
		st, err := f.services.Triage.ServiceSettings(context.Background(), f.users[linkwork.RoleCoordinator].OrgID)
		if err != nil || st.ListingRecheckMonths != 7 {
			t.Fatalf("saved %v (%v), want 7", st.ListingRecheckMonths, err)
		}
		_, page, _ = f.do(coord, "GET", "/admin/service", "", "", nil)
		if !strings.Contains(page, `value="7"`) {
			t.Error("the page does not show the saved 7 months")
		}
		// A confirmation by a curator now lasts 7 months.
		status, body := f.api(linkwork.RoleCoordinator, "POST", "/api/v1/assets", listingBody(nil))
		if status != http.StatusCreated {
			t.Fatalf("create: %d %s", status, body)
		}
		var created map[string]any
		_ = json.Unmarshal([]byte(body), &created)
		if created["verify_by"] != monthsOn(7) {
			t.Errorf("a new listing is due a check on %v, want %s", created["verify_by"], monthsOn(7))
		}
		status, body = f.api(linkwork.RoleCoordinator, "POST", "/api/v1/assets/"+created["id"].(string)+"/confirm", `{"version": 1}`)
		var confirmed map[string]any
		_ = json.Unmarshal([]byte(body), &confirmed)
		if status != http.StatusOK || confirmed["verify_by"] != monthsOn(7) {
			t.Errorf("confirmed: %d, verify_by %v, want %s", status, confirmed["verify_by"], monthsOn(7))
		}
	})
}
