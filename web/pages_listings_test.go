package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/ukpostcode"
)

// listingFormValues is the listing form as the page fills it for a, with
// changes: every part of the listing.
func listingFormValues(a *linkwork.Asset, change map[string]string) url.Values {
	v := url.Values{"version": {strconv.Itoa(a.Version)}, "name": {a.Name}, "description": {a.Description}, "status": {string(a.Status)},
		"how_to_join": {string(a.HowToJoin)}, "capacity.status": {string(a.Capacity.Status)}, "phone": {a.Phone}, "email": {a.Email}, "url": {a.URL},
		"accessibility": {a.Accessibility}, "languages": {strings.Join(a.Languages, ", ")}, "service_areas": {strings.Join(a.ServiceAreas, ", ")},
		"locations": {strconv.Itoa(len(a.Locations))}, "schedules": {strconv.Itoa(len(a.Schedules))}, "contacts": {strconv.Itoa(len(a.Contacts))},
		"cost_options": {strconv.Itoa(len(a.CostOptions))}}
	for _, c := range a.Categories {
		v.Add("categories", string(c))
	}
	if a.MinAge > 0 {
		v.Set("min_age", strconv.Itoa(a.MinAge))
	}
	if a.MaxAge > 0 {
		v.Set("max_age", strconv.Itoa(a.MaxAge))
	}
	if a.Capacity.Available != nil {
		v.Set("capacity.available", strconv.Itoa(*a.Capacity.Available))
	}
	if a.Capacity.Maximum != nil {
		v.Set("capacity.maximum", strconv.Itoa(*a.Capacity.Maximum))
	}
	if a.YouthFriendly {
		v.Set("youth_friendly", "yes")
	}
	if a.BuddyWelcome {
		v.Set("buddy_welcome", "yes")
	}
	for i, l := range a.Locations {
		at := "locations[" + strconv.Itoa(i) + "]."
		for k, x := range map[string]string{"id": l.ID, "type": string(l.Type), "name": l.Name, "address_1": l.Address1, "city": l.City,
			"state_province": l.StateProvince, "postal_code": l.PostalCode, "url": l.URL} {
			v.Set(at+k, x)
		}
	}
	for i, s := range a.Schedules {
		at := "schedules[" + strconv.Itoa(i) + "]."
		for _, d := range strings.Split(s.ByDay, ",") {
			day := d[len(d)-2:]
			if week := d[:len(d)-2]; week != "" {
				v.Set(at+"week", week)
			}
			v.Add(at+"days", day)
		}
		v.Set(at+"opens_at", s.OpensAt)
		v.Set(at+"closes_at", s.ClosesAt)
		v.Set(at+"note", s.Note)
		for j, l := range a.Locations {
			if l.ID == s.LocationID {
				v.Set(at+"place", strconv.Itoa(j))
			}
		}
	}
	for i, c := range a.Contacts {
		at := "contacts[" + strconv.Itoa(i) + "]."
		v.Set(at+"id", c.ID)
		v.Set(at+"name", c.Name)
		v.Set(at+"title", c.Title)
		v.Set(at+"email", c.Email)
		v.Set(at+"phone", c.Phone)
	}
	for i, c := range a.CostOptions {
		at := "cost_options[" + strconv.Itoa(i) + "]."
		v.Set(at+"id", c.ID)
		v.Set(at+"option", c.Option)
		if c.Amount != nil {
			v.Set(at+"amount", fmt.Sprintf("%d.%02d", *c.Amount/100, *c.Amount%100))
		}
		v.Set(at+"amount_description", c.AmountDescription)
	}
	for k, x := range change {
		v.Set(k, x)
	}
	return v
}

func TestListingPages(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
		community := f.users[linkwork.RoleCommunity]
		all, _, err := f.services.Assets.FindAssets(sys, linkwork.AssetFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		var ours, theirs *linkwork.Asset
		for _, m := range all {
			switch {
			case ours == nil && m.Asset.OrgID == community.OrgID && len(m.Asset.Schedules) > 0:
				ours = m.Asset
			case theirs == nil && m.Asset.OrgID != community.OrgID:
				theirs = m.Asset
			}
		}
		if ours == nil || theirs == nil {
			t.Fatal("the demo city needs a listing of the community user's organisation and one of another")
		}
		form := "application/x-www-form-urlencoded"
		post := func(role linkwork.Role, path string, v url.Values) (int, string, http.Header) {
			var c *http.Client
			if role != "" {
				c = f.clients[role]
			}
			return f.do(c, "POST", path, form, v.Encode(), nil)
		}
		get := func(role linkwork.Role, path string) (int, string) {
			var c *http.Client
			if role != "" {
				c = f.clients[role]
			}
			status, body, _ := f.do(c, "GET", path, "", "", nil)
			return status, body
		}

		t.Run("a community organisation edits its own listing, with field-level errors", func(t *testing.T) {
			for _, tt := range []struct {
				role   linkwork.Role
				a      *linkwork.Asset
				status int
			}{
				{linkwork.RoleCommunity, ours, http.StatusOK}, {linkwork.RoleCoordinator, theirs, http.StatusOK},
				{linkwork.RoleCommunity, theirs, http.StatusForbidden}, {linkwork.RoleLinkWorker, ours, http.StatusForbidden},
			} {
				if status, _ := get(tt.role, "/directory/"+tt.a.ID+"/edit"); status != tt.status {
					t.Errorf("%s editing %s: status %d, want %d", tt.role, tt.a.Name, status, tt.status)
				}
			}
			if status, _ := get(linkwork.RoleCoordinator, "/directory/00000000-0000-4000-8000-000000000000/edit"); status != http.StatusNotFound {
				t.Errorf("editing no listing: %d", status)
			}
			status, body, _ := post(linkwork.RoleCommunity, "/directory/"+ours.ID+"/edit", listingFormValues(ours, map[string]string{
				"name": "", "description": "Kept as typed", "capacity.available": "lots", "schedules[0].opens_at": "25:00"}))
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("bad form: status %d", status)
			}
			for _, want := range []string{`id="name-error"`, `id="capacity.available-error"`, `id="schedules[0].opens_at-error"`, "Kept as typed", `value="lots"`, `value="25:00"`} {
				if !strings.Contains(body, want) {
					t.Errorf("the form with errors lacks %q", want)
				}
			}
			status, _, hdr := post(linkwork.RoleCommunity, "/directory/"+ours.ID+"/edit", listingFormValues(ours, map[string]string{"name": ours.Name + " (renamed)", "capacity.status": "waiting_list"}))
			if status != http.StatusSeeOther || hdr.Get("Location") != "/directory/"+ours.ID+"?done=saved" {
				t.Fatalf("good form: status %d to %q", status, hdr.Get("Location"))
			}
			got, _ := f.services.Assets.FindAssetByID(sys, ours.ID)
			if got.Name != ours.Name+" (renamed)" || got.Capacity.Status != linkwork.CapacityWaiting || got.Version != ours.Version+1 || len(got.Schedules) != len(ours.Schedules) {
				t.Fatalf("after saving: %q, %s, version %d, %d sessions", got.Name, got.Capacity.Status, got.Version, len(got.Schedules))
			}
			if status, _, _ := post(linkwork.RoleCommunity, "/directory/"+theirs.ID+"/edit", listingFormValues(theirs, nil)); status != http.StatusForbidden {
				t.Fatalf("saving another organisation's listing: %d", status)
			}
			*ours = *got
		})

		t.Run("an editor who says it is all right today moves its Checked date; one who does not leaves it", func(t *testing.T) {
			cur, _ := f.services.Assets.FindAssetByID(sys, ours.ID)
			_, body := get(linkwork.RoleCommunity, "/directory/"+cur.ID+"/edit")
			if !strings.Contains(body, `name="confirm_current"`) {
				t.Fatal("the edit form does not ask whether everything in the listing is right today")
			}
			if status, _, _ := post(linkwork.RoleCommunity, "/directory/"+cur.ID+"/edit", listingFormValues(cur, map[string]string{"description": cur.Description + " Now on Fridays too."})); status != http.StatusSeeOther {
				t.Fatalf("save: %d", status)
			}
			got, _ := f.services.Assets.FindAssetByID(sys, cur.ID)
			if !got.AssuredAt.Equal(cur.AssuredAt) {
				t.Errorf("saved without saying it is all right, the listing shows checked %v, not %v as before", got.AssuredAt, cur.AssuredAt)
			}
			before := time.Now().Add(-time.Second)
			if status, _, _ := post(linkwork.RoleCommunity, "/directory/"+cur.ID+"/edit", listingFormValues(got, map[string]string{"confirm_current": "yes"})); status != http.StatusSeeOther {
				t.Fatalf("save: %d", status)
			}
			got, _ = f.services.Assets.FindAssetByID(sys, cur.ID)
			if got.AssuredAt.Before(before) || got.AssuredBy != community.ID || !linkwork.DateOf(time.Now()).Before(got.VerifyBy) {
				t.Errorf("confirmed as right today, the listing shows checked %v by %q, due %s", got.AssuredAt, got.AssuredBy, got.VerifyBy)
			}
			*ours = *got
		})

		t.Run("a curator who checked a listing confirms it is still right", func(t *testing.T) {
			cur, _ := f.services.Assets.FindAssetByID(sys, ours.ID)
			_, body := get(linkwork.RoleCommunity, "/directory/"+cur.ID+"/edit")
			if !strings.Contains(body, `data-testid="confirm-listing"`) || !strings.Contains(body, `name="version" value="`+strconv.Itoa(cur.Version)+`"`) {
				t.Fatal("the edit page has no confirm button at the listing's version")
			}
			// Someone else saved in between: the confirmation is refused.
			status, body, _ := post(linkwork.RoleCommunity, "/directory/"+cur.ID+"/confirm", url.Values{"version": {strconv.Itoa(cur.Version - 1)}})
			if status != http.StatusConflict || !strings.Contains(body, "changed this listing since you opened it") {
				t.Fatalf("a stale confirmation: %d", status)
			}
			if status, _, _ := post(linkwork.RoleCommunity, "/directory/"+theirs.ID+"/confirm", url.Values{"version": {strconv.Itoa(theirs.Version)}}); status != http.StatusForbidden {
				t.Fatalf("confirming another organisation's listing: %d", status)
			}
			status, _, hdr := post(linkwork.RoleCommunity, "/directory/"+cur.ID+"/confirm", url.Values{"version": {strconv.Itoa(cur.Version)}})
			if status != http.StatusSeeOther || hdr.Get("Location") != "/directory/"+cur.ID+"?done=confirmed" {
				t.Fatalf("confirming: %d to %q", status, hdr.Get("Location"))
			}
			got, _ := f.services.Assets.FindAssetByID(sys, cur.ID)
			// The demo service keeps the default re-check interval.
			due := linkwork.DateOf(time.Now().AddDate(0, linkwork.RecheckMonths, 0))
			if got.Version != cur.Version+1 || got.AssuredAt.IsZero() || got.VerifyBy != due {
				t.Fatalf("after confirming: version %d, assured %v, verify by %v (was %v)", got.Version, got.AssuredAt, got.VerifyBy, cur.VerifyBy)
			}
			_, body = get(linkwork.RoleCommunity, "/directory/"+cur.ID+"?done=confirmed")
			if !strings.Contains(body, "marked as checked, next due") {
				t.Error("the listing page does not say it was confirmed")
			}
			*ours = *got
		})

		var reportID string
		t.Run("a link worker reports a listing; the owner resolves it on the dashboard", func(t *testing.T) {
			if status, body := get(linkwork.RoleLinkWorker, "/directory/"+ours.ID); status != http.StatusOK || !strings.Contains(body, "/directory/"+ours.ID+"/report") || strings.Contains(body, "Edit this listing") {
				t.Fatalf("listing page for a link worker: %d", status)
			}
			if status, body, _ := post(linkwork.RoleLinkWorker, "/directory/"+ours.ID+"/report", url.Values{"note": {" "}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="note-error"`) {
				t.Fatalf("an empty report: %d", status)
			}
			status, _, hdr := post(linkwork.RoleLinkWorker, "/directory/"+ours.ID+"/report", url.Values{"note": {"Moved to the library on Tuesdays"}})
			if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=reported") {
				t.Fatalf("report: %d %q", status, hdr.Get("Location"))
			}
			if _, body := get(linkwork.RoleCommunity, "/directory/"+ours.ID); !strings.Contains(body, `data-testid="open-reports"`) || !strings.Contains(body, "Moved to the library on Tuesdays") {
				t.Fatal("the listing page does not show its owner the open report")
			}
			if _, body := get("", "/directory/"+ours.ID); strings.Contains(body, "Moved to the library") {
				t.Fatal("the public sees a report")
			}
			c, err := f.services.Listings.Curation(linkwork.NewContext(context.Background(), community.Actor()))
			if err != nil || c.ReportCount != 1 {
				t.Fatalf("curation %+v, %v", c, err)
			}
			reportID = c.Reports[0].ID
			for _, role := range []linkwork.Role{linkwork.RoleCommunity, linkwork.RoleCoordinator} {
				status, body := get(role, "/directory/curate")
				if status != http.StatusOK || !strings.Contains(body, "Moved to the library on Tuesdays") || !strings.Contains(body, `data-testid="count-stale"`) {
					t.Fatalf("dashboard as %s: %d", role, status)
				}
			}
			status, _, hdr = post(linkwork.RoleCommunity, "/directory/reports/"+reportID+"/resolve", nil)
			if status != http.StatusSeeOther {
				t.Fatalf("resolve: %d", status)
			}
			if _, body := get(linkwork.RoleCommunity, hdr.Get("Location")); !strings.Contains(body, "No open reports") || !strings.Contains(body, "marked resolved") {
				t.Fatal("the dashboard still shows the report")
			}
		})

		t.Run("a verification link confirms or corrects, once", func(t *testing.T) {
			if _, err := f.services.Listings.SendVerificationLinks(sys); err != nil {
				t.Fatal(err)
			}
			pending, err := f.services.Notifications.PendingEmails(sys, 500)
			if err != nil {
				t.Fatal(err)
			}
			var links []string
			for _, n := range pending {
				if n.Kind == linkwork.NoteVerifyListing {
					links = append(links, n.Link)
				}
			}
			if len(links) < 2 {
				t.Fatalf("%d verification links in the outbox, want at least 2 from the demo city", len(links))
			}
			status, body := get("", links[0])
			if status != http.StatusOK || !strings.Contains(body, "Yes, this is still right") || !strings.Contains(body, "Something has changed") {
				t.Fatalf("the link's page: %d", status)
			}
			status, body, _ = post("", links[0]+"/confirm", nil)
			if status != http.StatusOK || !strings.Contains(body, `data-testid="verify-done"`) {
				t.Fatalf("confirm: %d", status)
			}
			for _, p := range []string{links[0], links[0] + "/change"} {
				if status, body := get("", p); status != http.StatusGone || !strings.Contains(body, "already been used") {
					t.Errorf("%s after use: %d", p, status)
				}
			}
			if status, _, _ := post("", links[0]+"/confirm", nil); status != http.StatusGone {
				t.Errorf("a second confirm: %d", status)
			}
			if status, _ := get("", "/verify/nonsense"); status != http.StatusNotFound {
				t.Errorf("a made-up link: %d", status)
			}

			// A curator saves the listing while its contact is correcting
			// it: the contact's corrections come back to check, and save
			// on a second try.
			if len(links) < 3 {
				t.Fatalf("%d verification links, want 3", len(links))
			}
			tok3 := strings.TrimPrefix(links[2], "/verify/")
			v3, err := f.services.Listings.FindVerification(context.Background(), tok3)
			if err != nil {
				t.Fatal(err)
			}
			meanwhile := *v3.Asset
			meanwhile.Accessibility = "Step-free entrance at the side"
			if err := f.services.Assets.UpdateAsset(linkwork.NewContext(context.Background(), linkwork.Actor{UserID: f.users[linkwork.RoleCoordinator].ID, OrgID: f.users[linkwork.RoleCoordinator].OrgID, Role: linkwork.RoleCoordinator}), &meanwhile); err != nil {
				t.Fatal(err)
			}
			status, body, _ = post("", links[2]+"/change", listingFormValues(v3.Asset, map[string]string{"description": "Typed while someone else saved"}))
			if status != http.StatusConflict || !strings.Contains(body, "changed this listing while you were correcting it") || !strings.Contains(body, "Typed while someone else saved") ||
				!strings.Contains(body, `name="version" value="`+strconv.Itoa(v3.Asset.Version+1)+`"`) {
				t.Fatalf("a correction crossing a curator's save: %d", status)
			}
			status, _, _ = post("", links[2]+"/change", listingFormValues(&meanwhile, map[string]string{"description": "Typed while someone else saved"}))
			if got, _ := f.services.Assets.FindAssetByID(sys, v3.Asset.ID); status != http.StatusOK || got.Description != "Typed while someone else saved" || got.Accessibility != meanwhile.Accessibility {
				t.Fatalf("the second try: %d, %q / %q", status, got.Description, got.Accessibility)
			}

			tok := strings.TrimPrefix(links[1], "/verify/")
			v, err := f.services.Listings.FindVerification(context.Background(), tok)
			if err != nil {
				t.Fatal(err)
			}
			if status, body := get("", links[1]+"/change"); status != http.StatusOK || !strings.Contains(body, htmlEscape(v.Asset.Name)) {
				t.Fatalf("the change form: %d", status)
			}
			status, body, _ = post("", links[1]+"/change", listingFormValues(v.Asset, map[string]string{"contacts": "1", "contacts[0].name": "Sam", "contacts[0].email": "not an email"}))
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="contacts[0].email-error"`) || !strings.Contains(body, `value="not an email"`) {
				t.Fatalf("a bad correction: %d", status)
			}
			status, body, _ = post("", links[1]+"/change", listingFormValues(v.Asset, map[string]string{"description": "Now on Thursdays"}))
			if status != http.StatusOK || !strings.Contains(body, "Your changes to") {
				t.Fatalf("a correction: %d", status)
			}
			got, _ := f.services.Assets.FindAssetByID(sys, v.Asset.ID)
			if got.Description != "Now on Thursdays" || got.AssuredBy != linkwork.VerifiedByContact || got.Version != v.Asset.Version+1 {
				t.Fatalf("after the correction: %q by %q, version %d", got.Description, got.AssuredBy, got.Version)
			}
		})

		t.Run("a full postcode loaded from the ONS file is preferred to its district", func(t *testing.T) {
			var place *linkwork.Location
			for _, m := range all {
				if p := m.Asset.Place(); p != nil && m.Asset.Status == linkwork.AssetActive {
					place = p
					break
				}
			}
			nearest := func(postcode string) int {
				t.Helper()
				status, body := f.api("", "GET", "/api/v1/assets?"+url.Values{"postcode": {postcode}, "sort": {"distance"}, "radius_km": {"200"}, "limit": {"1"}}.Encode(), "")
				if status != http.StatusOK {
					t.Fatalf("search near %s: %d %s", postcode, status, body)
				}
				var out struct {
					Items []struct {
						Distance *int `json:"distance"`
					} `json:"items"`
				}
				if err := json.Unmarshal([]byte(body), &out); err != nil || len(out.Items) == 0 || out.Items[0].Distance == nil {
					t.Fatalf("search near %s: %s", postcode, body)
				}
				return *out.Items[0].Distance
			}
			pc, _ := linkwork.ParsePostcode(place.PostalCode)
			full := pc.Outward + " 9XZ"
			before := nearest(full)
			csv := fmt.Sprintf("pcds,doterm,lat,long\n%q,,%f,%f\n", full, place.Lat, place.Lon)
			if _, err := sqlstore.ImportPostcodes(sys, db, strings.NewReader(csv)); err != nil {
				t.Fatal(err)
			}
			if after := nearest(full); after != 0 || before == 0 {
				t.Fatalf("nearest listing %d m from the district's centre, %d m from the postcode's own; want the postcode's own, 0 m", before, after)
			}
			if status, body := get("", "/directory?"+url.Values{"postcode": {full}}.Encode()); status != http.StatusOK || !strings.Contains(body, full) {
				t.Fatalf("the directory page near %s: %d", full, status)
			}
			// /oruk measures from the same point: within 50 m of the
			// postcode's own centre is the place at it.
			status, body := get("", "/oruk/service_at_locations?"+url.Values{"postcode": {full}, "proximity": {"50"}, "per_page": {"100"}}.Encode())
			if status != http.StatusOK || !strings.Contains(body, `"location_id":"`+place.ID+`"`) {
				t.Fatalf("/oruk near %s within 50 m: %d, without the place at it: %.600s", full, status, body)
			}
		})

		t.Run("one address cannot try link after link", func(t *testing.T) {
			limited := false
			for range 70 {
				if status, _ := get("", "/verify/guess"); status == http.StatusTooManyRequests {
					limited = true
					break
				}
			}
			if !limited {
				t.Fatal("70 guesses at a verification link from one address were all answered")
			}
		})
	})
}

// newListingValues is the add form filled in by a community group: an
// online place and a place with the postcode, a session at that place and
// a free cost.
func newListingValues(postcode string) url.Values {
	return url.Values{"name": {"Thursday Youth Art Club"}, "description": {"Drawing, painting and clay for young people"},
		"status": {"active"}, "categories": {"creative", "social"}, "min_age": {"11"}, "max_age": {"18"},
		"how_to_join": {"drop_in"}, "capacity.status": {"accepting"}, "capacity.available": {"6"}, "capacity.maximum": {"12"},
		"youth_friendly": {"yes"}, "buddy_welcome": {"yes"}, "accessibility": {"Step-free entrance"},
		"languages": {"English, Urdu"}, "service_areas": {"LS6, Headingley"}, "phone": {"0113 496 0000"}, "email": {"art@example.org"},
		"locations":         {"3"},
		"locations[0].type": {"virtual"}, "locations[0].url": {"https://meet.example.org/art"},
		"locations[1].type": {"physical"}, "locations[1].name": {"Headingley Library"}, "locations[1].address_1": {"North Lane"},
		"locations[1].city": {"Leeds"}, "locations[1].postal_code": {postcode},
		"locations[2].type": {"physical"},
		"schedules":         {"2"}, "schedules[0].days": {"TH"}, "schedules[0].opens_at": {"16:00"}, "schedules[0].closes_at": {"17:30"}, "schedules[0].place": {"1"},
		"cost_options": {"2"}, "cost_options[0].option": {"Everyone"}, "cost_options[0].amount": {"0"},
		"contacts": {"2"}, "contacts[0].name": {"Priya"}, "contacts[0].title": {"Art tutor"}}
}

func TestAddingAndEditingEveryPartOfAListing(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
		community := f.users[linkwork.RoleCommunity]
		form := "application/x-www-form-urlencoded"
		post := func(role linkwork.Role, path string, v url.Values) (int, string, http.Header) {
			t.Helper()
			return f.do(f.clients[role], "POST", path, form, v.Encode(), nil)
		}
		get := func(role linkwork.Role, path string) (int, string) {
			t.Helper()
			status, body, _ := f.do(f.clients[role], "GET", path, "", "", nil)
			return status, body
		}
		countOf := func(orgID string) int {
			t.Helper()
			_, n, err := f.services.Assets.FindAssets(sys, linkwork.AssetFilter{OrgID: orgID, AnyStatus: true, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		orgs, _, err := f.services.Organisations.FindOrganisations(sys, linkwork.OrganisationFilter{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		var other *linkwork.Organisation
		for _, o := range orgs {
			if o.ID != community.OrgID {
				other = o
				break
			}
		}
		idOf := func(hdr http.Header) string {
			t.Helper()
			loc := hdr.Get("Location")
			id, ok := strings.CutPrefix(loc, "/directory/")
			id, done, _ := strings.Cut(id, "?")
			if !ok || done != "done=added" {
				t.Fatalf("after adding, sent to %q", loc)
			}
			return id
		}

		var added *linkwork.Asset
		t.Run("adding with mistakes names each one and keeps everything typed", func(t *testing.T) {
			for role, want := range map[linkwork.Role]int{linkwork.RoleCommunity: 200, linkwork.RoleCoordinator: 200, linkwork.RoleLinkWorker: 403, linkwork.RoleReferrer: 403} {
				if status, _ := get(role, "/directory/new"); status != want {
					t.Errorf("the add page for %s: %d, want %d", role, status, want)
				}
			}
			for role, want := range map[linkwork.Role]bool{linkwork.RoleCommunity: true, linkwork.RoleCoordinator: true, linkwork.RoleLinkWorker: false, "": false} {
				var c *http.Client
				if role != "" {
					c = f.clients[role]
				}
				_, body, _ := f.do(c, "GET", "/directory", "", "", nil)
				if got := strings.Contains(body, `href="/directory/new"`); got != want {
					t.Errorf("the directory page offers %q a link to add a listing: %v, want %v", role, got, want)
				}
			}
			if _, body := get(linkwork.RoleCommunity, "/directory/curate"); !strings.Contains(body, `href="/directory/new"`) {
				t.Error("the curator's dashboard has no link to add a listing")
			}
			if _, body := get(linkwork.RoleCommunity, "/directory/new"); !strings.Contains(body, "shown to anyone who looks at the listing") {
				t.Error("the form does not say the contact details it asks for are public")
			}
			// A community organisation's dashboard lists each of its listings to edit.
			own, n, err := f.services.Assets.FindAssets(sys, linkwork.AssetFilter{OrgID: community.OrgID, AnyStatus: true, Limit: 100})
			if err != nil || n == 0 {
				t.Fatalf("the community organisation has %d listings: %v", n, err)
			}
			_, body := get(linkwork.RoleCommunity, "/directory/curate")
			for _, m := range own {
				if !strings.Contains(body, `href="/directory/`+m.Asset.ID+`/edit"`) {
					t.Errorf("the dashboard does not offer to edit %s", m.Asset.Name)
				}
			}
			if _, body := get(linkwork.RoleCoordinator, "/directory/curate"); strings.Contains(body, `data-testid="own-listings"`) {
				t.Error("a coordinator's dashboard lists one organisation's listings")
			}
			before := countOf(community.OrgID)
			v := newListingValues("ZZ99 9ZZ")
			v.Del("categories")
			v.Set("schedules[0].closes_at", "15:00")
			status, body, _ := post(linkwork.RoleCommunity, "/directory/new", v)
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("a form with mistakes: status %d", status)
			}
			for _, want := range []string{
				// Each mistake, in the summary and at its field.
				`href="#categories"`, `id="categories-error"`, "Choose at least one category",
				`href="#locations[1].postal_code"`, `id="locations[1].postal_code-error"`, "We cannot find the postcode ZZ99 9ZZ",
				`href="#schedules[0].closes_at"`, `id="schedules[0].closes_at-error"`,
				// Everything typed, kept.
				`value="Thursday Youth Art Club"`, "Drawing, painting and clay for young people", `value="ZZ99 9ZZ"`, `value="Headingley Library"`,
				`value="https://meet.example.org/art"`, `value="16:00"`, `value="15:00"`, `value="English, Urdu"`, `value="LS6, Headingley"`,
				`value="6"`, `value="12"`, `value="Priya"`, `value="Art tutor"`, "Step-free entrance", `value="0113 496 0000"`,
			} {
				if !strings.Contains(body, htmlAttr(want)) {
					t.Errorf("the form with mistakes lacks %s", want)
				}
			}
			for _, checked := range []string{`id="place-0-online"`, `id="schedules-0-TH"`, `id="youth_friendly"`, `id="buddy_welcome"`, `value="drop_in"`, `value="accepting"`} {
				if !regexp.MustCompile(regexp.QuoteMeta(checked) + `[^>]*checked`).MatchString(body) {
					t.Errorf("%s is not ticked any more", checked)
				}
			}
			if !strings.Contains(body, `<option value="1" selected>Place 2: Headingley Library</option>`) {
				t.Error("the session's place is not kept")
			}
			if n := countOf(community.OrgID); n != before {
				t.Fatalf("a form with mistakes added a listing: %d listings, was %d", n, before)
			}

			// The fix: a category, a postcode that exists, and a later end.
			v = newListingValues("LS6 2AA")
			v.Set("org_id", other.ID)                    // not the community user's to choose
			v.Set("locations[0].postal_code", "LS1 4AP") // typed before choosing online: hidden, still sent
			status, _, hdr := post(linkwork.RoleCommunity, "/directory/new", v)
			if status != http.StatusSeeOther {
				t.Fatalf("the fixed form: status %d", status)
			}
			added, err = f.services.Assets.FindAssetByID(sys, idOf(hdr))
			if err != nil {
				t.Fatal(err)
			}
			a := added
			if a.OrgID != community.OrgID {
				t.Errorf("a community organisation's new listing belongs to %q, want its own %q", a.OrgID, community.OrgID)
			}
			if len(a.Locations) != 2 || a.Locations[0].Physical() || a.Locations[0].URL != "https://meet.example.org/art" || a.Locations[0].PostalCode != "" || a.Locations[1].PostalCode != "LS6 2AA" {
				t.Fatalf("places: %+v", a.Locations)
			}
			if pl := a.Locations[1]; pl.Lat == 0 || ukpostcode.Distance(pl.Lat, pl.Lon, 53.82, -1.58) > 5000 {
				t.Errorf("the library is placed at %f,%f, not in LS6", pl.Lat, pl.Lon)
			}
			if len(a.Schedules) != 1 || a.Schedules[0].ByDay != "TH" || a.Schedules[0].LocationID != a.Locations[1].ID || a.Schedules[0].Freq != "WEEKLY" {
				t.Errorf("sessions: %+v", a.Schedules)
			}
			if !a.Free() || len(a.Contacts) != 1 || a.MinAge != 11 || a.MaxAge != 18 || a.HowToJoin != linkwork.JoinDropIn || !a.YouthFriendly || !a.BuddyWelcome ||
				*a.Capacity.Available != 6 || strings.Join(a.Languages, "|") != "English|Urdu" || strings.Join(a.ServiceAreas, "|") != "LS6|Headingley" ||
				len(a.Categories) != 2 || a.Accessibility != "Step-free entrance" || a.AssuredAt.IsZero() || a.AssuredBy != community.ID {
				t.Errorf("the new listing: %+v", a)
			}
			versions, err := f.services.Assets.FindAssetVersions(linkwork.NewContext(context.Background(), community.Actor()), a.ID)
			if err != nil || len(versions) != 1 || versions[0].ChangedBy != community.ID {
				t.Fatalf("the first version: %v, %v", versions, err)
			}
			if _, body := get(linkwork.RoleCommunity, hdr.Get("Location")); !strings.Contains(body, "Your listing is added") {
				t.Error("the listing page has no notice")
			}
			near, _, err := f.services.Assets.FindAssets(sys, linkwork.AssetFilter{Query: "Youth Art Club", Near: &linkwork.Point{Lat: 53.82, Lon: -1.58}, Radius: 5000, Limit: 5})
			if err != nil || len(near) == 0 || near[0].Asset.ID != a.ID {
				t.Errorf("a search near LS6 does not find the new listing: %v", err)
			}
		})

		t.Run("a coordinator chooses who runs a new listing", func(t *testing.T) {
			v := newListingValues("LS6 2AA")
			status, body, _ := post(linkwork.RoleCoordinator, "/directory/new", v)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="org_id-error"`) {
				t.Fatalf("no organisation chosen: status %d", status)
			}
			v.Set("org_id", other.ID)
			status, _, hdr := post(linkwork.RoleCoordinator, "/directory/new", v)
			if status != http.StatusSeeOther {
				t.Fatalf("with an organisation: status %d", status)
			}
			a, err := f.services.Assets.FindAssetByID(sys, idOf(hdr))
			if err != nil || a.OrgID != other.ID {
				t.Fatalf("the coordinator's listing belongs to %q (%v), want %q", a.OrgID, err, other.ID)
			}
			// Which the community organisation may not edit.
			if status, _ := get(linkwork.RoleCommunity, "/directory/"+a.ID+"/edit"); status != http.StatusForbidden {
				t.Errorf("another organisation's edit page: %d", status)
			}
			if status, _, _ := post(linkwork.RoleCommunity, "/directory/"+a.ID+"/edit", listingFormValues(a, nil)); status != http.StatusForbidden {
				t.Errorf("saving another organisation's listing: %d", status)
			}
		})

		t.Run("saving the form unchanged keeps every part", func(t *testing.T) {
			status, _, _ := post(linkwork.RoleCommunity, "/directory/"+added.ID+"/edit", listingFormValues(added, nil))
			if status != http.StatusSeeOther {
				t.Fatalf("status %d", status)
			}
			got, _ := f.services.Assets.FindAssetByID(sys, added.ID)
			want := *added
			want.Version, want.UpdatedAt = got.Version, got.UpdatedAt
			if !reflect.DeepEqual(got, &want) {
				t.Errorf("saved unchanged:\n got %+v\nwant %+v", got, &want)
			}
			*added = *got
		})

		t.Run("a second place is added, a session removed, and problems name the form's rows", func(t *testing.T) {
			a := added
			v := listingFormValues(a, map[string]string{
				"locations": "3", "locations[2].type": "physical", "locations[2].name": "Hyde Park Community Centre", "locations[2].city": "Leeds",
				"locations[2].postal_code": "LS6 1AB",
				// The first session goes; a new one, at the new place, has a mistake.
				"schedules": "2", "schedules[0].remove": "yes", "schedules[1].days": "SA", "schedules[1].opens_at": "9.30", "schedules[1].closes_at": "11:00", "schedules[1].place": "2",
			})
			status, body, _ := post(linkwork.RoleCommunity, "/directory/"+a.ID+"/edit", v)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="schedules[1].opens_at-error"`) || strings.Contains(body, `id="schedules[0].opens_at-error"`) {
				t.Fatalf("a bad new session after a removed one: status %d", status)
			}
			if !regexp.MustCompile(`id="schedules\[0\]\.remove"[^>]*checked`).MatchString(body) || !strings.Contains(body, `value="Hyde Park Community Centre"`) {
				t.Error("the form lost the remove tick or the new place")
			}
			v.Set("schedules[1].opens_at", "09:30")
			if status, _, _ := post(linkwork.RoleCommunity, "/directory/"+a.ID+"/edit", v); status != http.StatusSeeOther {
				t.Fatalf("saving: status %d", status)
			}
			got, _ := f.services.Assets.FindAssetByID(sys, a.ID)
			if len(got.Locations) != 3 || got.Locations[2].Name != "Hyde Park Community Centre" || got.Locations[2].Lat == 0 {
				t.Fatalf("places after adding one: %+v", got.Locations)
			}
			if len(got.Schedules) != 1 || got.Schedules[0].ByDay != "SA" || got.Schedules[0].LocationID != got.Locations[2].ID {
				t.Fatalf("sessions after removing one and adding one: %+v", got.Schedules)
			}
			if got.Locations[1] != a.Locations[1] {
				t.Errorf("the unchanged place changed: %+v, was %+v", got.Locations[1], a.Locations[1])
			}

			// No category is a named error on the edit page too.
			v = listingFormValues(got, nil)
			v.Del("categories")
			if status, body, _ := post(linkwork.RoleCommunity, "/directory/"+a.ID+"/edit", v); status != http.StatusUnprocessableEntity || !strings.Contains(body, `id="categories-error"`) {
				t.Fatalf("no category: status %d", status)
			}

			// Removing a place takes it away.
			v = listingFormValues(got, map[string]string{"locations[0].remove": "yes"})
			if status, _, _ := post(linkwork.RoleCommunity, "/directory/"+a.ID+"/edit", v); status != http.StatusSeeOther {
				t.Fatalf("removing the online place: status %d", status)
			}
			got, _ = f.services.Assets.FindAssetByID(sys, a.ID)
			if len(got.Locations) != 2 || got.Online() || len(got.Schedules) != 1 || got.Schedules[0].LocationID != got.Locations[1].ID {
				t.Fatalf("after removing the online place: %+v, %+v", got.Locations, got.Schedules)
			}

			// The edit page shows who changed what.
			_, body = get(linkwork.RoleCoordinator, "/directory/"+a.ID+"/edit")
			if !strings.Contains(body, `data-testid="history"`) || !strings.Contains(body, htmlEscape(community.Name)) || !strings.Contains(body, "Places and sessions") || !strings.Contains(body, "Added") {
				t.Error("the edit page does not show the listing's history")
			}
		})
	})
}

// htmlAttr is s as html/template writes it in a page.
func htmlAttr(s string) string { return strings.ReplaceAll(s, "'", "&#39;") }
