package sqlstore_test

import (
	"context"
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
