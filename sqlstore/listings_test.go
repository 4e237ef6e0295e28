package sqlstore_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// sentLinks runs the verification job and returns the tokens of the links
// it wrote to the outbox, by the email they went to.
func sentLinks(t *testing.T, w *world, ls *sqlstore.ListingService) map[string]string {
	t.Helper()
	if _, err := ls.SendVerificationLinks(w.sys); err != nil {
		t.Fatal(err)
	}
	pending, err := sqlstore.NewNotificationService(w.db).PendingEmails(w.sys, 100)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, n := range pending {
		if n.Kind == linkwork.NoteVerifyListing {
			out[n.Email] = strings.TrimPrefix(n.Link, "/verify/")
		}
	}
	return out
}

func TestVerificationLinks(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ls := sqlstore.NewListingService(w.db)
		today := linkwork.DateOf(w.clock.Now())
		mk := func(name, email string, verifyIn int) *linkwork.Asset {
			a := newAsset(w.vcs, name)
			a.VerifyBy = linkwork.DateOf(today.Time().AddDate(0, 0, verifyIn))
			if email != "" {
				a.Contacts = []linkwork.AssetContact{{Name: "Sam", Email: email}}
			}
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		past := mk("Boxing", "boxing@example.org", -3)
		soon := mk("Football", "football@example.org", 10)
		mk("Chess", "chess@example.org", 60) // not due
		mk("Pottery", "", -10)               // no one to ask
		links := sentLinks(t, w, ls)
		if len(links) != 2 || links["boxing@example.org"] == "" || links["football@example.org"] == "" {
			t.Fatalf("links went to %v, want boxing and football", links)
		}
		if n, err := ls.SendVerificationLinks(w.sys); err != nil || n != 0 {
			t.Fatalf("a second round sent %d (%v), want none so soon", n, err)
		}
		_, err := ls.SendVerificationLinks(w.as(w.coordinator))
		wantCode(t, err, linkwork.EFORBIDDEN)

		t.Run("the link shows the listing and confirms it", func(t *testing.T) {
			v, err := ls.FindVerification(t.Context(), links["boxing@example.org"])
			if err != nil {
				t.Fatal(err)
			}
			if v.Asset.ID != past.ID || v.Email != "boxing@example.org" {
				t.Fatalf("verification %+v", v)
			}
			w.clock.Advance(time.Hour)
			a, err := ls.ConfirmListing(t.Context(), links["boxing@example.org"])
			if err != nil {
				t.Fatal(err)
			}
			want := linkwork.DateOf(today.Time().AddDate(0, linkwork.RecheckMonths, 0))
			got, _ := w.assets.FindAssetByID(w.sys, past.ID)
			if got.VerifyBy != want || got.AssuredBy != linkwork.VerifiedByContact || !got.AssuredAt.Equal(w.clock.Now()) || got.Version != 2 || a.Version != 2 {
				t.Fatalf("after confirming: verify by %v, assured %v by %q, version %d", got.VerifyBy, got.AssuredAt, got.AssuredBy, got.Version)
			}
			if got.Stale(today) {
				t.Fatal("a confirmed listing is stale")
			}
			vs, err := w.assets.FindAssetVersions(w.as(w.coordinator), past.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(vs[0].ChangedBy, "verification:") || vs[0].ChangedByName != linkwork.VerifiedByContact {
				t.Fatalf("version 2 changed by %q (%q)", vs[0].ChangedBy, vs[0].ChangedByName)
			}
			events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{RecordType: "asset", RecordID: past.ID})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range events {
				actions = append(actions, e.Action)
			}
			if !slices.Contains(actions, "asset.confirmed") || !slices.Contains(actions, "asset.verification_sent") {
				t.Fatalf("audit actions %v", actions)
			}
		})
		t.Run("a link works once", func(t *testing.T) {
			_, err := ls.FindVerification(t.Context(), links["boxing@example.org"])
			wantCode(t, err, linkwork.ECONFLICT)
			_, err = ls.ConfirmListing(t.Context(), links["boxing@example.org"])
			wantCode(t, err, linkwork.ECONFLICT)
			_, err = ls.FindVerification(t.Context(), "not-a-token")
			wantCode(t, err, linkwork.ENOTFOUND)
		})
		t.Run("a correction is checked, and nothing is saved until it is right", func(t *testing.T) {
			tok := links["football@example.org"]
			v, err := ls.FindVerification(t.Context(), tok)
			if err != nil {
				t.Fatal(err)
			}
			a := v.Asset
			a.Name = " "
			wantField(t, ls.CorrectListing(t.Context(), tok, a), "name")
			a.Name = "Football on Thursdays"
			a.Schedules[0].ByDay = "TH"
			if err := ls.CorrectListing(t.Context(), tok, a); err != nil {
				t.Fatal(err)
			}
			got, _ := w.assets.FindAssetByID(w.sys, soon.ID)
			if got.Name != "Football on Thursdays" || got.Schedules[0].ByDay != "TH" || got.AssuredBy != linkwork.VerifiedByContact || got.VerifyBy.Before(today) {
				t.Fatalf("after correcting: %+v", got)
			}
			wantCode(t, ls.CorrectListing(t.Context(), tok, a), linkwork.ECONFLICT)
		})
		t.Run("once emailed, the token leaves the outbox", func(t *testing.T) {
			outbox := sqlstore.NewNotificationService(w.db)
			pending, err := outbox.PendingEmails(w.sys, 100)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range pending {
				if err := outbox.RecordEmailAttempt(w.sys, n.ID, nil); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := ls.SendVerificationLinks(w.sys); err != nil {
				t.Fatal(err)
			}
			left, err := w.db.CountRows("SELECT COUNT(*) FROM notifications WHERE link LIKE '/verify/%'")
			if err != nil {
				t.Fatal(err)
			}
			if left != 0 {
				t.Fatalf("%d sent emails still hold their link", left)
			}
		})
		t.Run("a link expires", func(t *testing.T) {
			late := mk("Drama", "drama@example.org", 1)
			tok := sentLinks(t, w, ls)["drama@example.org"]
			if tok == "" {
				t.Fatal("no link for drama")
			}
			w.clock.Advance(linkwork.VerifyLinkDays * 24 * time.Hour)
			_, err := ls.ConfirmListing(t.Context(), tok)
			wantCode(t, err, linkwork.ECONFLICT)
			got, _ := w.assets.FindAssetByID(w.sys, late.ID)
			if got.Version != 1 {
				t.Fatal("an expired link changed the listing")
			}
		})
	})
}

func TestReportsAndCuration(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ls := sqlstore.NewListingService(w.db)
		today := linkwork.DateOf(w.clock.Now())
		mk := func(org *linkwork.Organisation, name string, verifyIn int) *linkwork.Asset {
			a := newAsset(org, name)
			a.VerifyBy = linkwork.DateOf(today.Time().AddDate(0, 0, verifyIn))
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		stale := mk(w.vcs, "Boxing", -1)
		soon := mk(w.vcs, "Football", 5)
		mk(w.vcs, "Chess", 90)
		otherStale := mk(w.otherVCS, "Pottery", -30)

		_, err := ls.ReportAsset(w.as(w.linkWorker), stale.ID, "  ")
		wantField(t, err, "note")
		for _, u := range []*linkwork.User{w.referrer, w.community, w.commissioner} {
			_, err := ls.ReportAsset(w.as(u), stale.ID, "Moved")
			wantCode(t, err, linkwork.EFORBIDDEN)
		}
		_, err = ls.ReportAsset(w.as(w.linkWorker), "nope", "Moved")
		wantCode(t, err, linkwork.ENOTFOUND)
		r, err := ls.ReportAsset(w.as(w.linkWorker), stale.ID, "It has moved to Tuesdays")
		if err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(time.Minute)
		r2, err := ls.ReportAsset(w.as(w.coordinator), otherStale.ID, "Closed for the summer")
		if err != nil {
			t.Fatal(err)
		}

		t.Run("coordinators see everything", func(t *testing.T) {
			c, err := ls.Curation(w.as(w.coordinator))
			if err != nil {
				t.Fatal(err)
			}
			if c.StaleCount != 2 || c.DueSoonCount != 1 || c.ReportCount != 2 || c.Stale[0].ID != otherStale.ID || c.DueSoon[0].ID != soon.ID {
				t.Fatalf("curation %+v", c)
			}
			if c.Reports[0].Note != "It has moved to Tuesdays" || c.Reports[0].ReportedByName != w.linkWorker.Name || c.Reports[0].AssetName != "Boxing" {
				t.Fatalf("report %+v", c.Reports[0])
			}
		})
		t.Run("a community organisation sees its own", func(t *testing.T) {
			c, err := ls.Curation(w.as(w.community))
			if err != nil {
				t.Fatal(err)
			}
			if !c.OwnOrgOnly || c.StaleCount != 1 || c.Stale[0].ID != stale.ID || c.ReportCount != 1 || c.Reports[0].ID != r.ID {
				t.Fatalf("curation %+v", c)
			}
			for _, u := range []*linkwork.User{w.linkWorker, w.referrer, w.admin} {
				_, err := ls.Curation(w.as(u))
				wantCode(t, err, linkwork.EFORBIDDEN)
			}
		})
		t.Run("the owning organisation or a coordinator resolves a report", func(t *testing.T) {
			wantCode(t, ls.ResolveAssetReport(w.as(w.community), r2.ID), linkwork.EFORBIDDEN)
			wantCode(t, ls.ResolveAssetReport(w.as(w.linkWorker), r.ID), linkwork.EFORBIDDEN)
			wantCode(t, ls.ResolveAssetReport(w.as(w.coordinator), "nope"), linkwork.ENOTFOUND)
			if err := ls.ResolveAssetReport(w.as(w.community), r.ID); err != nil {
				t.Fatal(err)
			}
			if err := ls.ResolveAssetReport(w.as(w.coordinator), r2.ID); err != nil {
				t.Fatal(err)
			}
			c, _ := ls.Curation(w.as(w.coordinator))
			if c.ReportCount != 0 {
				t.Fatalf("%d open reports after resolving both", c.ReportCount)
			}
			reports, err := ls.FindAssetReports(w.as(w.community), stale.ID)
			if err != nil || len(reports) != 1 || !reports[0].Resolved() || reports[0].ResolvedBy != w.community.ID {
				t.Fatalf("reports %+v, %v", reports, err)
			}
			// Link workers see a listing's reports, but only their own
			// with the reporter's name; a referrer sees none.
			for _, c := range []struct {
				who  *linkwork.User
				name string
			}{{w.linkWorker, w.linkWorker.Name}, {w.otherWorker, ""}, {w.community, w.linkWorker.Name}} {
				reports, err := ls.FindAssetReports(w.as(c.who), stale.ID)
				if err != nil || len(reports) != 1 || reports[0].ReportedByName != c.name || reports[0].Note != "It has moved to Tuesdays" {
					t.Fatalf("%s reads %+v, %v; want the reporter's name %q", c.who.Name, reports, err, c.name)
				}
			}
			_, err = ls.FindAssetReports(w.as(w.referrer), stale.ID)
			wantCode(t, err, linkwork.EFORBIDDEN)
			events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{RecordType: "asset", RecordID: stale.ID})
			if err != nil {
				t.Fatal(err)
			}
			var actions []string
			for _, e := range events {
				actions = append(actions, e.Action)
			}
			if !slices.Contains(actions, "asset.report") || !slices.Contains(actions, "asset.report_resolved") {
				t.Fatalf("audit actions %v", actions)
			}
		})
	})
}

func TestImportPostcodes(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		csv := `pcd,pcd2,pcds,dointr,doterm,lat,long
"LS1  4AP","LS1  4AP","LS1 4AP","199806","","53.796000","-1.548000"
"LS6  2AA","LS6  2AA","LS6 2AA","198001","","53.820500","-1.577900"
"LS2  7XX","LS2  7XX","LS2 7XX","198001","200012","53.800000","-1.550000"
"ZZ99 9ZZ","ZZ99 9ZZ","ZZ99 9ZZ","198001","","99.999999","0.000000"
"LS7  1AA","LS7  1AA","LS7 1AA","198001","","NaN","-1.5"
`
		res, err := sqlstore.ImportPostcodes(w.sys, w.db, strings.NewReader(csv))
		if err != nil {
			t.Fatal(err)
		}
		if res.Loaded != 2 || res.Terminated != 1 || res.NoPlace != 2 {
			t.Fatalf("import %+v", res)
		}
		ls := sqlstore.NewListingService(w.db)
		p, ok, err := ls.PostcodePoint(t.Context(), "ls64 2aa")
		if err != nil || ok {
			t.Fatalf("LS64 2AA found (%v, %v)", p, err)
		}
		p, ok, err = ls.PostcodePoint(t.Context(), "ls6 2aa")
		if err != nil || !ok || p.Lat != 53.8205 || p.Lon != -1.5779 {
			t.Fatalf("LS6 2AA = %v %v %v", p, ok, err)
		}
		if _, ok, _ := ls.PostcodePoint(t.Context(), "LS2 7XX"); ok {
			t.Fatal("a terminated postcode was loaded")
		}
		// Again, with one postcode fewer: the table is replaced.
		res, err = sqlstore.ImportPostcodes(w.sys, w.db, strings.NewReader(strings.Join(strings.Split(csv, "\n")[:2], "\n")+"\n"))
		if err != nil || res.Loaded != 1 {
			t.Fatalf("second import %+v, %v", res, err)
		}
		if _, ok, _ := ls.PostcodePoint(t.Context(), "LS6 2AA"); ok {
			t.Fatal("a second import kept a postcode it did not have")
		}
		_, err = sqlstore.ImportPostcodes(w.as(w.coordinator), w.db, strings.NewReader(csv))
		wantCode(t, err, linkwork.EFORBIDDEN)
		_, err = sqlstore.ImportPostcodes(w.sys, w.db, strings.NewReader("postcode,x,y\n"))
		if err == nil || !strings.Contains(err.Error(), "pcds") {
			t.Fatalf("a file without pcds: %v", err)
		}
	})
}

// Every place a listing is saved with is on the map, whichever door it
// came through: at its coordinates, its full postcode from the loaded
// table, or its district; a postcode none of them knows is refused,
// naming the place's postcode, and nothing is saved.
func TestEveryPlaceIsOnTheMap(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		csv := "pcd,pcd2,pcds,dointr,doterm,lat,long\n\"BT1  1AA\",\"BT1  1AA\",\"BT1 1AA\",\"198001\",\"\",\"54.600000\",\"-5.930000\"\n" +
			"\"LS6  2AA\",\"LS6  2AA\",\"LS6 2AA\",\"198001\",\"\",\"53.820500\",\"-1.577900\"\n"
		if _, err := sqlstore.ImportPostcodes(w.sys, w.db, strings.NewReader(csv)); err != nil {
			t.Fatal(err)
		}
		ctx := w.as(w.coordinator)
		place := func(pc string, lat, lon float64) linkwork.Location {
			return linkwork.Location{Type: linkwork.LocationPhysical, Name: "Hall", Address1: "1 Road", City: "Town", PostalCode: pc, Lat: lat, Lon: lon}
		}
		cases := []struct {
			name     string
			places   []linkwork.Location
			bad      string // the field refused, or ""
			lat, lon float64
		}{
			{"coordinates given", []linkwork.Location{place("ZZ99 9ZZ", 51.5, -0.1)}, "", 51.5, -0.1},
			{"a loaded full postcode outside the district table", []linkwork.Location{place("bt1 1aa", 0, 0)}, "", 54.6, -5.93},
			{"a district", []linkwork.Location{place("S2 4HT", 0, 0)}, "", 0, 0},
			{"a loaded full postcode is preferred to its district", []linkwork.Location{place("ls6 2aa", 0, 0)}, "", 53.8205, -1.5779},
			{"nowhere known, second place", []linkwork.Location{place("S2 4HT", 0, 0), place("ZZ99 9ZZ", 0, 0)}, "locations[1].postal_code", 0, 0},
		}
		for _, c := range cases {
			a := newAsset(w.vcs, c.name)
			a.Locations = c.places
			err := w.assets.CreateAsset(ctx, a)
			if c.bad != "" {
				wantField(t, err, c.bad)
				if n := countAssetsNamed(t, w, c.name); n != 0 {
					t.Errorf("%s: %d saved", c.name, n)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got, err := w.assets.FindAssetByID(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			l := got.Locations[0]
			if l.Lat == 0 && l.Lon == 0 || c.lat != 0 && (l.Lat != c.lat || l.Lon != c.lon) {
				t.Errorf("%s: placed at %v,%v, want %v,%v", c.name, l.Lat, l.Lon, c.lat, c.lon)
			}
			// Changing it to a postcode nowhere known is refused too.
			bad := *got
			bad.Locations = []linkwork.Location{place("ZZ98 8ZZ", 0, 0)}
			bad.Locations[0].ID = l.ID
			wantField(t, w.assets.UpdateAsset(ctx, &bad), "locations[0].postal_code")
			// Moving it, with the point it had at the old postcode (as a
			// client that read it and changed the postcode sends it),
			// puts it at the new one; a point of the caller's own stays.
			got.Locations[0].PostalCode = "LS6 2AA"
			if err := w.assets.UpdateAsset(ctx, got); err != nil {
				t.Fatalf("%s: moving: %v", c.name, err)
			}
			moved, _ := w.assets.FindAssetByID(ctx, a.ID)
			if ml := moved.Locations[0]; ml.Lat != 53.8205 || ml.Lon != -1.5779 {
				t.Errorf("%s: moved to LS6 2AA but placed at %v,%v", c.name, ml.Lat, ml.Lon)
			}
			moved.Locations[0].PostalCode, moved.Locations[0].Lat, moved.Locations[0].Lon = "S2 4HT", 53.1, -1.1
			if err := w.assets.UpdateAsset(ctx, moved); err != nil {
				t.Fatal(err)
			}
			if again, _ := w.assets.FindAssetByID(ctx, a.ID); again.Locations[0].Lat != 53.1 || again.Locations[0].Lon != -1.1 {
				t.Errorf("%s: a point of the caller's own was replaced: %v,%v", c.name, again.Locations[0].Lat, again.Locations[0].Lon)
			}
		}
	})
}

func countAssetsNamed(t *testing.T, w *world, name string) int {
	t.Helper()
	_, n, err := w.assets.FindAssets(w.sys, linkwork.AssetFilter{AnyStatus: true, Query: name, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A new listing is due its next check one re-check interval (the service's
// setting) after it was checked, whichever door it came through: checked
// when added (as the listing form says), or never (as the API may send it).
func TestNewListingsAreDueByTheServiceSetting(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := w.as(w.coordinator)
		today := linkwork.DateOf(w.clock.Now())
		checked := newAsset(w.vcs, "Checked when added")
		checked.AssuredAt = w.clock.Now().Add(-48 * time.Hour)
		never := newAsset(w.vcs, "Never checked")
		given := newAsset(w.vcs, "Its own date")
		given.VerifyBy = linkwork.DateOf(w.clock.Now().AddDate(0, 0, 10))
		for _, c := range []struct {
			a    *linkwork.Asset
			want linkwork.Date
		}{
			{checked, linkwork.DateOf(checked.AssuredAt.AddDate(0, linkwork.RecheckMonths, 0))},
			{never, linkwork.DateOf(today.Time().AddDate(0, linkwork.RecheckMonths, 0))},
			{given, given.VerifyBy},
		} {
			if err := w.assets.CreateAsset(ctx, c.a); err != nil {
				t.Fatal(err)
			}
			got, _ := w.assets.FindAssetByID(ctx, c.a.ID)
			if got.VerifyBy != c.want {
				t.Errorf("%s: due %v, want %v", c.a.Name, got.VerifyBy, c.want)
			}
		}
	})
}
