package sqlstore_test

import (
	"slices"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// saveRecheck saves a service's listing re-check interval, keeping its
// other settings.
func saveRecheck(t *testing.T, w *world, tr *sqlstore.TriageService, service *linkwork.Organisation, months int) {
	t.Helper()
	st, err := tr.ServiceSettings(w.sys, service.ID)
	if err != nil {
		t.Fatal(err)
	}
	st.ListingRecheckMonths = months
	if err := tr.SaveServiceSettings(w.as(w.admin), st); err != nil {
		t.Fatal(err)
	}
}

// TestListingRecheckSetting: how far a confirmation moves a listing's
// verify-by date is the service's setting, for a link and for a curator.
func TestListingRecheckSetting(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ls := sqlstore.NewListingService(w.db)
		tr := sqlstore.NewTriageService(w.db)
		today := linkwork.DateOf(w.clock.Now())
		monthsOn := func(n int) linkwork.Date { return linkwork.DateOf(today.Time().AddDate(0, n, 0)) }
		mk := func(name, email string) *linkwork.Asset {
			a := newAsset(w.vcs, name)
			a.VerifyBy = linkwork.DateOf(today.Time().AddDate(0, 0, -2))
			a.Contacts = []linkwork.AssetContact{{Name: "Sam", Email: email}}
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
			return a
		}

		st, err := tr.ServiceSettings(w.sys, w.service.ID)
		if err != nil {
			t.Fatal(err)
		}
		if st.ListingRecheckMonths != linkwork.RecheckMonths {
			t.Fatalf("an unsaved service re-checks every %d months, want the default %d", st.ListingRecheckMonths, linkwork.RecheckMonths)
		}

		t.Run("unset, a link's confirmation lasts the default", func(t *testing.T) {
			a := mk("Boxing", "boxing@example.org")
			got, err := ls.ConfirmListing(t.Context(), sentLinks(t, w, ls)["boxing@example.org"])
			if err != nil {
				t.Fatal(err)
			}
			if got.VerifyBy != monthsOn(linkwork.RecheckMonths) {
				t.Fatalf("verify by %v, want %v", got.VerifyBy, monthsOn(linkwork.RecheckMonths))
			}
			if stored, _ := w.assets.FindAssetByID(w.sys, a.ID); stored.VerifyBy != got.VerifyBy {
				t.Fatalf("stored verify by %v, answered %v", stored.VerifyBy, got.VerifyBy)
			}
		})

		t.Run("a saved setting moves a link's confirmation that far", func(t *testing.T) {
			saveRecheck(t, w, tr, w.service, 6)
			saveRecheck(t, w, tr, w.otherService, 12)
			st, _ := tr.ServiceSettings(w.sys, w.service.ID)
			if st.ListingRecheckMonths != 6 {
				t.Fatalf("saved 6, read %d", st.ListingRecheckMonths)
			}
			mk("Chess", "chess@example.org")
			got, err := ls.ConfirmListing(t.Context(), sentLinks(t, w, ls)["chess@example.org"])
			if err != nil {
				t.Fatal(err)
			}
			// Two services share the directory: the shorter interval holds.
			if got.VerifyBy != monthsOn(6) {
				t.Fatalf("verify by %v, want %v (6 months)", got.VerifyBy, monthsOn(6))
			}
		})

		t.Run("a correction through a link also moves it", func(t *testing.T) {
			saveRecheck(t, w, tr, w.service, 1)
			mk("Drama", "drama@example.org")
			tok := sentLinks(t, w, ls)["drama@example.org"]
			v, err := ls.FindVerification(t.Context(), tok)
			if err != nil {
				t.Fatal(err)
			}
			v.Asset.Name = "Drama Club"
			if err := ls.CorrectListing(t.Context(), tok, v.Asset); err != nil {
				t.Fatal(err)
			}
			if v.Asset.VerifyBy != monthsOn(1) || v.Asset.Name != "Drama Club" {
				t.Fatalf("after correcting: %q verify by %v, want %v", v.Asset.Name, v.Asset.VerifyBy, monthsOn(1))
			}
		})

		t.Run("a setting out of range is refused, named", func(t *testing.T) {
			for _, n := range []int{0, -1, 25} {
				st, _ := tr.ServiceSettings(w.sys, w.service.ID)
				st.ListingRecheckMonths = n
				wantField(t, tr.SaveServiceSettings(w.as(w.admin), st), "listing_recheck_months")
			}
		})

		t.Run("settings saved before the setting existed keep the default", func(t *testing.T) {
			if err := w.db.Exec("UPDATE service_settings SET settings = ? WHERE service_org_id = ?",
				`{"min_age":0,"max_age":0,"pathways":[],"areas":[],"practice_ids":[],"red":["r"],"amber":["a"],"green":["g"],"crisis_advice":"Call 999","contact":""}`, w.service.ID); err != nil {
				t.Fatal(err)
			}
			st, err := tr.ServiceSettings(w.sys, w.service.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st.ListingRecheckMonths != linkwork.RecheckMonths {
				t.Fatalf("an old document reads as %d months, want %d", st.ListingRecheckMonths, linkwork.RecheckMonths)
			}
		})
	})
}

// TestConfirmAsset: a curator confirms a listing is still right.
func TestConfirmAsset(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ls := sqlstore.NewListingService(w.db)
		tr := sqlstore.NewTriageService(w.db)
		today := linkwork.DateOf(w.clock.Now())
		a := newAsset(w.vcs, "Boxing")
		a.VerifyBy = linkwork.DateOf(today.Time().AddDate(0, 0, -2))
		if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
			t.Fatal(err)
		}
		other := newAsset(w.otherVCS, "Pottery")
		if err := w.assets.CreateAsset(w.as(w.coordinator), other); err != nil {
			t.Fatal(err)
		}

		for _, u := range []*linkwork.User{w.linkWorker, w.referrer, w.admin, w.commissioner} {
			_, err := ls.ConfirmAsset(w.as(u), a.ID, a.Version)
			wantCode(t, err, linkwork.EFORBIDDEN)
		}
		_, err := ls.ConfirmAsset(w.as(w.community), other.ID, other.Version)
		wantCode(t, err, linkwork.EFORBIDDEN)
		_, err = ls.ConfirmAsset(w.as(w.coordinator), "nope", 1)
		wantCode(t, err, linkwork.ENOTFOUND)
		_, err = ls.ConfirmAsset(w.as(w.community), a.ID, a.Version+1)
		wantCode(t, err, linkwork.ECONFLICT)

		saveRecheck(t, w, tr, w.service, 2)
		saveRecheck(t, w, tr, w.otherService, 2)
		w.clock.Advance(time.Hour)
		got, err := ls.ConfirmAsset(w.as(w.community), a.ID, a.Version)
		if err != nil {
			t.Fatal(err)
		}
		want := linkwork.DateOf(today.Time().AddDate(0, 2, 0))
		stored, _ := w.assets.FindAssetByID(w.sys, a.ID)
		if stored.VerifyBy != want || got.VerifyBy != want || stored.AssuredBy != w.community.ID || !stored.AssuredAt.Equal(w.clock.Now()) || stored.Version != 2 {
			t.Fatalf("after confirming: verify by %v (want %v), assured %v by %q, version %d", stored.VerifyBy, want, stored.AssuredAt, stored.AssuredBy, stored.Version)
		}
		if stored.Name != a.Name || len(stored.Schedules) != 1 {
			t.Fatalf("confirming changed the listing: %+v", stored)
		}
		_, err = ls.ConfirmAsset(w.as(w.coordinator), a.ID, 1)
		wantCode(t, err, linkwork.ECONFLICT)
		events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{RecordType: "asset", RecordID: a.ID})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if !slices.Contains(actions, "asset.confirmed") {
			t.Fatalf("audit actions %v, want asset.confirmed", actions)
		}
	})
}

// TestCreateAssetScope: a community organisation's users add and change
// their own organisation's listings only; coordinators any organisation's
// that exists.
func TestCreateAssetScope(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		own := newAsset(w.vcs, "Boxing")
		own.OrgID = ""
		if err := w.assets.CreateAsset(w.as(w.community), own); err != nil {
			t.Fatal(err)
		}
		if own.OrgID != w.vcs.ID {
			t.Fatalf("a community user's listing without an organisation went to %q, want their own %q", own.OrgID, w.vcs.ID)
		}
		if want := linkwork.DateOf(linkwork.DateOf(w.clock.Now()).Time().AddDate(0, linkwork.RecheckMonths, 0)); own.VerifyBy != want {
			t.Fatalf("a new listing is due a check on %v, want %v", own.VerifyBy, want)
		}
		wantCode(t, w.assets.CreateAsset(w.as(w.community), newAsset(w.otherVCS, "Pottery")), linkwork.EFORBIDDEN)
		for _, u := range []*linkwork.User{w.linkWorker, w.referrer, w.admin, w.safeguarding} {
			wantCode(t, w.assets.CreateAsset(w.as(u), newAsset(w.vcs, "Chess")), linkwork.EFORBIDDEN)
		}
		if err := w.assets.CreateAsset(w.as(w.coordinator), newAsset(w.otherVCS, "Pottery")); err != nil {
			t.Fatal(err)
		}
		ghost := newAsset(w.vcs, "Ghost")
		ghost.OrgID = "00000000-0000-4000-8000-000000000000"
		wantField(t, w.assets.CreateAsset(w.as(w.coordinator), ghost), "organization_id")

		// Moving a listing to another organisation: not by its own
		// users, and only to one that exists.
		moved := *own
		moved.OrgID = w.otherVCS.ID
		wantCode(t, w.assets.UpdateAsset(w.as(w.community), &moved), linkwork.EFORBIDDEN)
		moved.OrgID = "00000000-0000-4000-8000-000000000000"
		wantField(t, w.assets.UpdateAsset(w.as(w.coordinator), &moved), "organization_id")
	})
}
