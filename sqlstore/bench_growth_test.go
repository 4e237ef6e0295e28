package sqlstore_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

// BenchmarkSearchGrowth is what the load benchmark's searching routes ask
// of the store (cmd/linkwork-load/workload.go), so that their growth from
// the demo city to a large one can be measured a statement at a time:
// words from listings' names and places where listings meet, searched as
// the directory page, /api/v1/assets and /oruk search them. It reports the
// median and the 99th percentile, and the process's CPU time a search
// (which a shared machine stretches far less than the wall time).
//
//	go test -run '^$' -bench SearchGrowth -benchtime 200x ./sqlstore/
//	LINKWORK_BENCH_DB=sqlite:city50k.db go test -run '^$' -bench SearchGrowth -benchtime 200x ./sqlstore/
func BenchmarkSearchGrowth(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	var words []string
	var places []*linkwork.Point
	seenWord, seenPlace := map[string]bool{}, map[string]bool{}
	named := map[string]int{} // how many sampled names have each word
	_, total, err := s.assets.FindAssets(ctx, linkwork.AssetFilter{Sort: linkwork.SortName, Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	// A sample from all through the directory, in order of name.
	for off := 0; off < total; off += max(total/40, 1) {
		list, _, err := s.assets.FindAssets(ctx, linkwork.AssetFilter{Sort: linkwork.SortName, Offset: off, Limit: 25})
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range list {
			for _, w := range strings.FieldsFunc(strings.ToLower(m.Asset.Name), func(r rune) bool { return !unicode.IsLetter(r) }) {
				if len(w) >= 4 && !slices.Contains([]string{"with", "from", "your", "club", "group", "millbrook"}, w) {
					named[w]++
					if !seenWord[w] {
						seenWord[w] = true
						words = append(words, w)
					}
				}
			}
			for _, l := range m.Asset.Locations {
				pc, err := linkwork.ParsePostcode(l.PostalCode)
				if l.PostalCode == "" || err != nil || seenPlace[pc.Outward] {
					continue
				}
				if d, ok := ukpostcode.Lookup(pc.Outward); ok {
					seenPlace[pc.Outward] = true
					places = append(places, &linkwork.Point{Lat: d.Lat, Lon: d.Lon})
				}
			}
		}
	}
	if len(words) == 0 || len(places) == 0 {
		b.Fatal("no listings to search for")
	}
	b.Logf("%d listings, %d words, %d districts", total, len(words), len(places))
	// The words most names have: searches whose matches crowd around
	// any point.
	common := slices.Clone(words)
	slices.SortStableFunc(common, func(a, b string) int { return named[b] - named[a] })
	common = common[:min(5, len(common))]
	radii := []float64{2000, 5000, 10000}
	directory := func(r *rand.Rand, limit int) linkwork.AssetFilter {
		// Counted as the directory page and /api/v1/assets count.
		f := linkwork.AssetFilter{Query: words[r.IntN(len(words))], Near: places[r.IntN(len(places))], Radius: radii[r.IntN(3)], Limit: limit,
			CountUpTo: linkwork.DirectoryCountUpTo}
		switch r.IntN(5) {
		case 0:
			f.Category = linkwork.Categories[r.IntN(len(linkwork.Categories))]
		case 1:
			f.FreeOnly = true
		case 2:
			f.YouthFriendly = true
		case 3:
			f.Day = linkwork.Weekdays[r.IntN(len(linkwork.Weekdays))]
		}
		return f
	}
	for _, tt := range []struct {
		name      string
		locations bool
		filter    func(r *rand.Rand) linkwork.AssetFilter
	}{
		{"directory", false, func(r *rand.Rand) linkwork.AssetFilter { return directory(r, 25) }},
		{"api-directory", false, func(r *rand.Rand) linkwork.AssetFilter { return directory(r, 20) }},
		// A word most names have, near a point, no filter: counted up to
		// the directory's bound, and every match counted.
		{"directory-common-word", false, func(r *rand.Rand) linkwork.AssetFilter {
			return linkwork.AssetFilter{Query: common[r.IntN(len(common))], Near: places[r.IntN(len(places))], Radius: radii[r.IntN(3)], Limit: 25, CountUpTo: linkwork.DirectoryCountUpTo}
		}},
		{"directory-common-word-counted", false, func(r *rand.Rand) linkwork.AssetFilter {
			return linkwork.AssetFilter{Query: common[r.IntN(len(common))], Near: places[r.IntN(len(places))], Radius: radii[r.IntN(3)], Limit: 25}
		}},
		{"oruk-services", false, func(r *rand.Rand) linkwork.AssetFilter {
			return linkwork.AssetFilter{AnyStatus: true, Query: words[r.IntN(len(words))], Offset: 50 * r.IntN(2), Limit: 50}
		}},
		{"oruk-locations", true, func(r *rand.Rand) linkwork.AssetFilter {
			return linkwork.AssetFilter{AnyStatus: true, Near: places[r.IntN(len(places))], Radius: radii[r.IntN(3)], Mode: linkwork.AttendInPerson, Sort: linkwork.SortDistance, Limit: 50}
		}},
		{"10km", false, func(r *rand.Rand) linkwork.AssetFilter {
			return linkwork.AssetFilter{Near: places[r.IntN(len(places))], Radius: 10000, Limit: 25}
		}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			var times []time.Duration
			cpu := processCPU()
			for b.Loop() {
				f := tt.filter(r)
				start := time.Now()
				var err error
				if tt.locations {
					_, _, err = s.assets.FindLocations(ctx, f)
				} else {
					_, _, err = s.assets.FindAssets(ctx, f)
				}
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(percentile(times, 0.5))/float64(time.Millisecond), "p50-ms")
			b.ReportMetric(float64(percentile(times, 0.99))/float64(time.Millisecond), "p99-ms")
		})
	}
}
