package sqlstore_test

import (
	"math"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// TestOffsetsPastTheEnd: on both engines, any offset a caller passes, up
// to the largest integer, gives an empty page and the true total, never an
// error or a panic.
func TestOffsetsPastTheEnd(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		for _, name := range []string{"Youth Boxing", "Open Studio"} {
			if err := w.assets.CreateAsset(w.as(w.coordinator), newAsset(w.vcs, name)); err != nil {
				t.Fatal(err)
			}
		}
		w.refer(t, "Eli", "Ward")
		for _, off := range []int{math.MaxInt, math.MaxInt - 1, linkwork.MaxOffset + 1, math.MinInt} {
			for _, lim := range []int{1, math.MaxInt} {
				t.Run("listings", func(t *testing.T) {
					list, total, err := w.assets.FindAssets(anonymous, linkwork.AssetFilter{Offset: off, Limit: lim})
					if err != nil || total != 2 || (off > 0 && len(list) != 0) {
						t.Fatalf("offset %d limit %d: %d of %d, %v", off, lim, len(list), total, err)
					}
				})
				t.Run("listings by name and near a point", func(t *testing.T) {
					list, total, err := w.assets.FindAssets(anonymous, linkwork.AssetFilter{Query: "boxing", Near: &linkwork.Point{Lat: 53.37, Lon: -1.46}, Offset: off, Limit: lim})
					if err != nil || total != 1 || (off > 0 && len(list) != 0) {
						t.Fatalf("offset %d limit %d: %d of %d, %v", off, lim, len(list), total, err)
					}
				})
				t.Run("locations", func(t *testing.T) {
					list, total, err := w.assets.FindLocations(anonymous, linkwork.AssetFilter{Offset: off, Limit: lim})
					if err != nil || total != 2 || (off > 0 && len(list) != 0) {
						t.Fatalf("offset %d limit %d: %d of %d, %v", off, lim, len(list), total, err)
					}
				})
				t.Run("referrals", func(t *testing.T) {
					list, total, err := w.referrals.FindReferrals(w.as(w.coordinator), linkwork.ReferralFilter{Offset: off, Limit: lim})
					if err != nil || total != 1 || (off > 0 && len(list) != 0) {
						t.Fatalf("offset %d limit %d: %d of %d, %v", off, lim, len(list), total, err)
					}
				})
				t.Run("the waiting list", func(t *testing.T) {
					wl, err := w.triage().WaitingList(w.as(w.coordinator), off, lim)
					if err != nil || (off > 0 && len(wl.Entries) != 0) {
						t.Fatalf("offset %d limit %d: %+v, %v", off, lim, wl, err)
					}
				})
			}
		}
	})
}
