package sqlstore_test

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// FindAssetNames gives the first listings in a category, active or
// temporarily closed, by name and then id: the listings a search of the
// category lists first.
func TestFindAssetNames(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := w.as(w.coordinator)
		add := func(name string, cat linkwork.Category, status linkwork.AssetStatus) *linkwork.Asset {
			t.Helper()
			a := newAsset(w.vcs, name)
			a.Categories, a.Status = []linkwork.Category{cat, linkwork.CategorySocial}, status
			if err := w.assets.CreateAsset(ctx, a); err != nil {
				t.Fatal(err)
			}
			return a
		}
		var want []linkwork.AssetName
		for _, l := range []struct {
			name   string
			cat    linkwork.Category
			status linkwork.AssetStatus
			listed bool
		}{
			{"Walk and Talk", linkwork.CategoryWellbeing, linkwork.AssetActive, true},
			{"Anxiety Support Group", linkwork.CategoryWellbeing, linkwork.AssetActive, true},
			{"Anxiety Support Group", linkwork.CategoryWellbeing, linkwork.AssetActive, true},
			{"Breathing Space", linkwork.CategoryWellbeing, linkwork.AssetTempClosed, true},
			{"Bereavement Café", linkwork.CategoryWellbeing, linkwork.AssetInactive, false},
			{"Athletics Club", linkwork.CategorySports, linkwork.AssetActive, false},
		} {
			a := add(l.name, l.cat, l.status)
			if l.listed {
				want = append(want, linkwork.AssetName{ID: a.ID, Name: a.Name})
			}
		}
		slices.SortFunc(want, func(a, b linkwork.AssetName) int {
			return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
		})
		got, err := w.assets.FindAssetNames(context.Background(), linkwork.CategoryWellbeing, 10)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		matches, _, err := w.assets.FindAssets(context.Background(), linkwork.AssetFilter{Category: linkwork.CategoryWellbeing, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range matches {
			if i >= len(got) || m.Asset.ID != got[i].ID {
				t.Fatalf("a search of the category lists %s at %d; the names, %v", m.Asset.Name, i, got)
			}
		}
		if got, err := w.assets.FindAssetNames(context.Background(), linkwork.CategoryWellbeing, 2); err != nil || !slices.Equal(got, want[:2]) {
			t.Fatalf("the first two: %v, %v", got, err)
		}
		_, err = w.assets.FindAssetNames(context.Background(), "wellbeing", 10)
		wantField(t, err, "category")
	})
}
