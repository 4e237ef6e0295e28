package sqlstore

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

// TestWordsNearAPointCountedUpToABoundKeepTheirPage checks the search with
// words near a point that stops counting (search_near_words.go) against
// the search that ranks and counts every match: for every size of circle,
// words in names, in keywords and only in descriptions, two words, a typing
// mistake, a word still being typed, filters, both orders, deep pages and
// past the end, the page is the same, in the same order; the total is the
// same, or, when the search stopped early, more than the bound, more than
// the page's end when more follow it, and no more than the true number.
func TestWordsNearAPointCountedUpToABoundKeepTheirPage(t *testing.T) {
	db, centre := wordCity(t)
	ctx := context.Background()
	describe := func(out []*linkwork.AssetMatch) string {
		var s string
		for _, m := range out {
			s += fmt.Sprintf(" %s %.3f", m.Asset.Name, m.Distance)
		}
		return s
	}
	stopped, searches := 0, 0
	for _, words := range []string{"walking", "art", "walking art", "garden", "walkng", "swim", "gard", "pottery"} {
		for _, radius := range []float64{500, 2000, 5000, 10000, 30000} {
			for _, pg := range []struct{ off, lim int }{{0, 25}, {0, 1}, {25, 25}, {37, 13}, {120, 20}, {5000, 25}} {
				for _, f := range []linkwork.AssetFilter{
					{},
					{Sort: linkwork.SortDistance},
					{Sort: linkwork.SortRelevance},
					{FreeOnly: true},
					{Category: linkwork.Categories[0]},
					{Day: "MO", Sort: linkwork.SortDistance},
				} {
					for _, bound := range []int{10, 60} {
						f.Query, f.Near, f.Radius, f.Offset, f.Limit, f.CountUpTo = words, &centre, radius, pg.off, pg.lim, 0
						exact := newDirQuery(f, false)
						f.CountUpTo = bound
						q := newDirQuery(f, false)
						var fast, slow string
						var total, want int
						err := db.viewAs(ctx, publicActor(ctx), func(tx *Tx) error {
							if !tx.boundedNearWords(q) || tx.boundedNearWords(exact) {
								t.Fatalf("%+v: only a search with a bound on its count may stop counting", f)
							}
							out, n, err := tx.searchAssets(q)
							if err != nil {
								return err
							}
							fast, total = describe(out), n
							out, n, err = tx.searchAssets(exact)
							slow, want = describe(out), n
							return err
						})
						if err != nil {
							t.Fatal(err)
						}
						searches++
						name := fmt.Sprintf("%q within %.0f m, offset %d, limit %d, bound %d, %+v", words, radius, pg.off, pg.lim, bound, f)
						if fast != slow {
							t.Errorf("%s:\ncounted up to the bound: %v\nevery match counted:     %v", name, fast, slow)
						}
						if total == want {
							continue
						}
						stopped++
						if total <= bound || total > want || (want > pg.off+pg.lim && total <= pg.off+pg.lim) {
							t.Errorf("%s: total %d, and %d match", name, total, want)
						}
					}
				}
			}
		}
	}
	// The city must be big enough for the search to stop early, and
	// small circles must often hold everything.
	if stopped < searches/20 || stopped > searches*9/10 {
		t.Fatalf("the search stopped counting early in %d of %d searches: the test's city does not tell", stopped, searches)
	}
}

// wordCity is a directory of 600 listings within 25 km of its centre,
// named from a few words so that searches match many, with those words in
// names, in categories and only in descriptions; free and paid, with
// sessions on different days, in every status, and some listings at the
// same place (their names order them).
func wordCity(t *testing.T) (*DB, linkwork.Point) {
	t.Helper()
	db := openForWriter(t)
	ctx := context.Background()
	centre := linkwork.Point{Lat: 53.7997, Lon: -1.5492}
	r := rand.New(rand.NewPCG(3, 5))
	at := func(d, bearing float64) (float64, float64) {
		const rad = math.Pi / 180
		φ1, λ1, δ, θ := centre.Lat*rad, centre.Lon*rad, d/ukpostcode.EarthRadius, bearing*rad
		φ2 := math.Asin(math.Sin(φ1)*math.Cos(δ) + math.Cos(φ1)*math.Sin(δ)*math.Cos(θ))
		λ2 := λ1 + math.Atan2(math.Sin(θ)*math.Sin(δ)*math.Cos(φ1), math.Cos(δ)-math.Sin(φ1)*math.Sin(φ2))
		return φ2 / rad, λ2 / rad
	}
	firsts := []string{"Walking", "Art", "Garden", "Swimming", "Community", "Coffee", "Walkers'", "Pottery"}
	seconds := []string{"group", "club", "art", "walking", "morning", "gardeners", "circle"}
	descs := []string{"A friendly weekly meeting.", "We go walking in the park.", "Bring your own art materials.",
		"Garden tools provided.", "Open to everyone.", "Tea and a chat."}
	err := db.updateAs(ctx, linkwork.SystemActor("test"), func(tx *Tx) error {
		for i := range 600 {
			a := &linkwork.Asset{Name: fmt.Sprintf("%s %s %d", firsts[r.IntN(len(firsts))], seconds[r.IntN(len(seconds))], r.IntN(40)),
				Description: descs[r.IntN(len(descs))], Status: linkwork.AssetActive,
				Categories: []linkwork.Category{linkwork.Categories[r.IntN(len(linkwork.Categories))]},
				HowToJoin:  linkwork.JoinSelfRefer, Capacity: linkwork.Capacity{Status: linkwork.CapacityAccepting},
				Schedules: []linkwork.Schedule{{Freq: "WEEKLY", ByDay: linkwork.Weekdays[r.IntN(7)], OpensAt: "10:00", ClosesAt: "11:00"}}}
			if r.IntN(2) == 0 {
				a.CostOptions = linkwork.FreeOfCharge()
			}
			switch i % 10 {
			case 1:
				a.Status = linkwork.AssetInactive
			case 2:
				a.Status = linkwork.AssetTempClosed
			}
			for range 1 + r.IntN(2) {
				lat, lon := at(25000*math.Sqrt(r.Float64()), 360*r.Float64())
				a.Locations = append(a.Locations, linkwork.Location{Type: linkwork.LocationPhysical, Name: "Hall", Lat: lat, Lon: lon})
			}
			if i%9 == 0 {
				a.Locations = append(a.Locations, linkwork.Location{Type: linkwork.LocationPhysical, Name: "Shared", Lat: 53.80, Lon: -1.55})
			}
			if err := tx.insertAsset(a); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, centre
}

// TestPlacesMatchingWordsAreReadFromIndexes checks the plans of the
// statements that find the places of listings matching words near a
// point, each way round: the places are read from their indexes alone,
// and no table is scanned.
func TestPlacesMatchingWordsAreReadFromIndexes(t *testing.T) {
	db := openForWriter(t)
	for _, tt := range []struct {
		name, q, index string
		args           []any
	}{
		{"from the box", nearWordsBox, "asset_locations_geo", []any{53.7, 53.9, -1.6, -1.5, `("walking")`}},
		{"from the matches", nearWordsMatches, "asset_locations_num", []any{53.7, 53.9, -1.6, -1.5, `("walking")`}},
		{"the box's count", nearBoxCount, "asset_locations_geo", []any{53.7, 53.9, -1.6, -1.5, 100}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p, err := db.PlanOf(tt.q, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			// The full-text index is read as FTS5 reads it, and the
			// count's subquery as it is made.
			scans := 0
			for _, s := range p.FullScans {
				if s != "asset_fts" && !strings.HasPrefix(s, "(subquery") {
					scans++
				}
			}
			if !strings.Contains(p.Text, "USING COVERING INDEX "+tt.index) || scans > 0 {
				t.Errorf("plan:\n%s", p.Text)
			}
		})
	}
}
