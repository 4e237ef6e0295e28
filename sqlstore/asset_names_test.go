package sqlstore_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// nameOf is a listing as FindAssetNames gives it: its name, its first
// category and its first place.
func nameOf(a *linkwork.Asset) linkwork.AssetName {
	n := linkwork.AssetName{ID: a.ID, Name: a.Name}
	if len(a.Categories) > 0 {
		n.Category = a.Categories[0]
	}
	if pl := a.Place(); pl != nil {
		n.HasPlace, n.Place, n.PostalCode = true, pl.Name, pl.PostalCode
	}
	return n
}

// FindAssetNames gives the page of listings a search finds, in the
// search's order: by name and then id in a category (active or
// temporarily closed listings only), by relevance for words; each with
// its first category and its first place, or none for a listing online
// only.
func TestFindAssetNames(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := w.as(w.coordinator)
		add := func(name string, cats []linkwork.Category, status linkwork.AssetStatus, places []linkwork.Location) *linkwork.Asset {
			t.Helper()
			a := newAsset(w.vcs, name)
			a.Categories, a.Status, a.Locations = cats, status, places
			a.Schedules = nil
			if err := w.assets.CreateAsset(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		online := []linkwork.Location{{Type: linkwork.LocationVirtual, URL: "https://example.org/meet"}}
		hall := linkwork.Location{Type: linkwork.LocationPhysical, Name: "Hall", Address1: "1 Park Road", City: "Millbrook", PostalCode: "s2 4ht", Lat: 53.37, Lon: -1.46}
		library := linkwork.Location{Type: linkwork.LocationPhysical, Name: "Library", Address1: "2 High Street", City: "Millbrook", PostalCode: "s7 1aa", Lat: 53.35, Lon: -1.49}
		wellbeing := []linkwork.Category{linkwork.CategoryWellbeing, linkwork.CategorySocial}
		var want []linkwork.AssetName
		for _, l := range []struct {
			name   string
			cats   []linkwork.Category
			status linkwork.AssetStatus
			places []linkwork.Location
			listed bool
		}{
			{"Walk and Talk", wellbeing, linkwork.AssetActive, []linkwork.Location{hall}, true},
			{"Anxiety Support Group", wellbeing, linkwork.AssetActive, append(online, library, hall), true},
			{"Anxiety Support Group", wellbeing, linkwork.AssetActive, online, true},
			{"Breathing Space", []linkwork.Category{linkwork.CategoryWellbeing}, linkwork.AssetTempClosed, []linkwork.Location{hall}, true},
			{"Bereavement Café", wellbeing, linkwork.AssetInactive, []linkwork.Location{hall}, false},
			{"Athletics Club", []linkwork.Category{linkwork.CategorySports}, linkwork.AssetActive, []linkwork.Location{hall}, false},
		} {
			a := add(l.name, l.cats, l.status, l.places)
			if l.listed {
				saved, err := w.assets.FindAssetByID(ctx, a.ID)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, nameOf(saved))
			}
		}
		slices.SortFunc(want, func(a, b linkwork.AssetName) int {
			return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
		})
		category := linkwork.AssetFilter{Category: linkwork.CategoryWellbeing, Sort: linkwork.SortName, Limit: 10}
		got, err := w.assets.FindAssetNames(context.Background(), category)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("got %+v, want %+v", got, want)
		}
		placed := 0
		for _, n := range got[:2] {
			if n.Name != "Anxiety Support Group" {
				t.Fatalf("%+v comes before the two listings of one name", n)
			}
			if n.HasPlace {
				placed++
				if n.Place != "Library" || n.PostalCode != "S7 1AA" {
					t.Errorf("%+v: not its first place, the library", n)
				}
			}
		}
		if placed != 1 {
			t.Errorf("of one listing online only and one online and at two places, %d have a place", placed)
		}
		if got, err := w.assets.FindAssetNames(context.Background(), linkwork.AssetFilter{Category: linkwork.CategoryWellbeing, Limit: 2}); err != nil || !slices.Equal(got, want[:2]) {
			t.Fatalf("the first two: %+v, %v", got, err)
		}
		for _, f := range []linkwork.AssetFilter{
			category,
			{Query: "anxiety", Limit: 10},
			{Query: "group", Limit: 10},
			{Query: "anxeity grou", Limit: 10},
			{Query: "walk", Category: linkwork.CategoryWellbeing, Limit: 1, Offset: 0},
		} {
			matches, _, err := w.assets.FindAssets(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := w.assets.FindAssetNames(context.Background(), f)
			if err != nil {
				t.Fatal(err)
			}
			var same []linkwork.AssetName
			for _, m := range matches {
				same = append(same, nameOf(m.Asset))
			}
			if len(same) == 0 || !slices.Equal(got, same) {
				t.Errorf("%+v: the search finds %+v; the names, %+v", f, same, got)
			}
		}
		_, err = w.assets.FindAssetNames(context.Background(), linkwork.AssetFilter{Category: "wellbeing"})
		wantField(t, err, "category")
	})
}
