package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// A listing's ORUK document is kept by whoever may change the listing and
// read back as it was sent, by anyone; keeping it again replaces it; a
// listing another organisation runs may not be given one, and one that
// does not exist is not found.
func TestORUKDocumentsAreKeptByWhoeverMayChangeTheListing(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		docs := sqlstore.NewORUKDocumentService(w.db)
		own := newAsset(w.vcs, "Youth Boxing")
		theirs := newAsset(w.otherVCS, "Open Studio")
		for _, a := range []*linkwork.Asset{own, theirs} {
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
		}
		doc := func(id, name string) *linkwork.ORUKDocument {
			return &linkwork.ORUKDocument{AssetID: id, Received: []byte(`{"id":"` + id + `","name":"` + name + `","status":"active","funding":[{"id":"x"}]}`), Baseline: []byte(`{"name":"` + name + `"}`)}
		}
		community := w.as(w.community)
		if err := docs.KeepORUKDocument(community, doc(own.ID, "Boxing")); err != nil {
			t.Fatalf("the organisation's own listing: %v", err)
		}
		if err := docs.KeepORUKDocument(community, doc(own.ID, "Boxing club")); err != nil {
			t.Fatalf("kept again: %v", err)
		}
		for _, c := range []struct {
			name string
			ctx  context.Context
			doc  *linkwork.ORUKDocument
			want string
		}{
			{"another organisation's listing", community, doc(theirs.ID, "Studio"), linkwork.EFORBIDDEN},
			{"a listing that does not exist", w.sys, doc("8f0c4c4e-7c0e-4a53-9d0e-3f1d7d3b2a10", "Nowhere"), linkwork.ENOTFOUND},
			{"a document with nothing received", w.sys, &linkwork.ORUKDocument{AssetID: own.ID, Baseline: []byte(`{}`)}, linkwork.EINVALID},
			{"no one signed in", context.Background(), doc(own.ID, "Anon"), linkwork.EUNAUTHORIZED},
		} {
			if err := docs.KeepORUKDocument(c.ctx, c.doc); linkwork.ErrorCode(err) != c.want {
				t.Errorf("%s: %v, want %s", c.name, err, c.want)
			}
		}
		got, err := docs.FindORUKDocuments(context.Background(), []string{own.ID, theirs.ID, "8f0c4c4e-7c0e-4a53-9d0e-3f1d7d3b2a10"})
		if err != nil {
			t.Fatal(err)
		}
		want := doc(own.ID, "Boxing club")
		if len(got) != 1 || got[own.ID] == nil || string(got[own.ID].Received) != string(want.Received) || string(got[own.ID].Baseline) != string(want.Baseline) {
			t.Errorf("read back %+v", got)
		}
	})
}

// The services at locations a kept document publishes at places the
// listing holds no location for are found a page at a time, by listing
// and id, by anyone; one the listing holds a location for is not, and
// stops being unplaced once a location answers to it.
func TestUnplacedServiceAtLocationsAreThoseNoLocationAnswers(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		docs := sqlstore.NewORUKDocumentService(w.db)
		one, two := newAsset(w.vcs, "Youth Boxing"), newAsset(w.otherVCS, "Open Studio")
		one.Locations[0].ServiceAtLocationID = "sal-placed"
		for _, a := range []*linkwork.Asset{one, two} {
			if err := w.assets.CreateAsset(w.as(w.coordinator), a); err != nil {
				t.Fatal(err)
			}
		}
		keep := func(id string, sals ...string) {
			t.Helper()
			received := `{"id":"` + id + `","name":"x","status":"active","service_at_locations":[`
			for i, s := range sals {
				if i > 0 {
					received += ","
				}
				received += `{"id":"` + s + `"}`
			}
			received += "]}"
			if err := docs.KeepORUKDocument(w.sys, &linkwork.ORUKDocument{AssetID: id, Received: []byte(received), Baseline: []byte(`{}`)}); err != nil {
				t.Fatal(err)
			}
		}
		keep(one.ID, "SAL-Placed", "sal-b", "sal-a")
		keep(two.ID, "sal-c")
		want := []linkwork.UnplacedSAL{{ID: "sal-a", AssetID: one.ID}, {ID: "sal-b", AssetID: one.ID}, {ID: "sal-c", AssetID: two.ID}}
		if two.ID < one.ID {
			want = []linkwork.UnplacedSAL{want[2], want[0], want[1]}
		}
		for _, c := range []struct {
			name          string
			offset, limit int
			want          []linkwork.UnplacedSAL
		}{
			{"every one", 0, 10, want},
			{"a page in the middle", 1, 1, want[1:2]},
			{"past the end", 3, 10, nil},
			{"none asked for", 0, 0, nil},
		} {
			got, total, err := docs.FindUnplacedSALs(context.Background(), c.offset, c.limit)
			if err != nil || total != 3 || !slices.Equal(got, c.want) {
				t.Errorf("%s: %v of %d, %v; want %v of 3", c.name, got, total, err, c.want)
			}
		}

		// A location given the id the document publishes places it.
		a, err := w.assets.FindAssetByID(w.sys, one.ID)
		if err != nil {
			t.Fatal(err)
		}
		a.Locations = append(a.Locations, linkwork.Location{Type: linkwork.LocationVirtual, Name: "Online", URL: "https://example.org/live", ServiceAtLocationID: "sal-a"})
		if err := w.assets.UpdateAsset(w.as(w.coordinator), a); err != nil {
			t.Fatal(err)
		}
		got, total, err := docs.FindUnplacedSALs(context.Background(), 0, 10)
		if err != nil || total != 2 || slices.Contains(got, linkwork.UnplacedSAL{ID: "sal-a", AssetID: one.ID}) {
			t.Errorf("after a location answers to sal-a: %v of %d, %v", got, total, err)
		}
	})
}
