package match_test

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/match"
)

// person is a 30-year-old at home, lonely, who said they like walking.
var person = match.Profile{
	Age:   30,
	Near:  &linkwork.Point{Lat: 53.8, Lon: -1.55},
	Needs: []linkwork.CaseNeed{{Domain: linkwork.NeedLoneliness, Words: "likes walking"}},
	Funds: 300, FundsKnown: true,
}

// good is near, taking people, for any age and meets the person's need.
func good(id string) match.Listing {
	return match.Listing{ID: id, Name: id, Categories: []linkwork.Category{linkwork.CategorySocial},
		Distance: 800, HasDistance: true, Capacity: linkwork.CapacityAccepting, HowToJoin: linkwork.JoinReferral}
}

func with(id string, change func(*match.Listing)) match.Listing {
	l := good(id)
	change(&l)
	return l
}

func ids(ss []match.Suggestion) []string {
	var out []string
	for _, s := range ss {
		out = append(out, s.ID)
	}
	return out
}

func TestRankOrdersAListingThatFitsAboveOneThatDoesNot(t *testing.T) {
	tests := []struct {
		name  string
		worse match.Listing
	}{
		{"an ineligible age ranks below an eligible one", with("worse", func(l *match.Listing) { l.MinAge, l.MaxAge = 60, 0 })},
		{"a group for the young ranks below one for their age", with("worse", func(l *match.Listing) { l.MaxAge = 18 })},
		{"a full group ranks below an accepting one", with("worse", func(l *match.Listing) { l.Capacity = linkwork.CapacityFull })},
		{"a closed group ranks below an accepting one", with("worse", func(l *match.Listing) { l.Capacity = linkwork.CapacityClosed })},
		{"a waiting list ranks below an accepting one", with("worse", func(l *match.Listing) { l.Capacity = linkwork.CapacityWaiting })},
		{"a far-away group ranks below a near one", with("worse", func(l *match.Listing) { l.Distance = 40000 })},
		{"a further group ranks below a nearer one", with("worse", func(l *match.Listing) { l.Distance = 3000 })},
		{"one that meets no need ranks below one that does", with("worse", func(l *match.Listing) { l.Categories = []linkwork.Category{linkwork.CategoryVocational} })},
		{"one that costs more than their funds ranks below one that is free", with("worse", func(l *match.Listing) { l.Cost, l.CostKnown = 900, true })},
		{"a stale listing ranks below a fresh one", with("worse", func(l *match.Listing) { l.Stale = true })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			better := good("better")
			if tt.name == "one that costs more than their funds ranks below one that is free" {
				better.Cost, better.CostKnown = 0, true
			}
			// The worse one is given first, so that ties would keep it first.
			got := match.Rank(person, []match.Listing{tt.worse, better}, 2)
			if want := []string{"better", "worse"}; !slices.Equal(ids(got), want) {
				t.Fatalf("order = %v, want %v (scores %d, %d)", ids(got), want, got[0].Score, got[1].Score)
			}
			if got[0].Score <= got[1].Score {
				t.Errorf("scores %d and %d: want the better one strictly higher", got[0].Score, got[1].Score)
			}
		})
	}
}

func TestRankPutsAnIneligibleOrFullGroupBelowAnyThatCanBeTakenUp(t *testing.T) {
	// Even a listing that meets every need is below a plain one the
	// person can join when they are too young for it or it is full.
	perfect := func(id string) match.Listing {
		return with(id, func(l *match.Listing) {
			l.Categories = []linkwork.Category{linkwork.CategorySocial, linkwork.CategoryCreative}
			l.Text = "walking group"
			l.Cost, l.CostKnown, l.BuddyWelcome, l.HowToJoin = 0, true, true, linkwork.JoinDropIn
			l.Uptake = match.Uptake{People: 20, KeptGoing: 20}
		})
	}
	plain := with("plain", func(l *match.Listing) { l.Distance = 4500 })
	tooOld := perfect("ineligible")
	tooOld.MaxAge = 25
	full := perfect("full")
	full.Capacity = linkwork.CapacityFull
	got := ids(match.Rank(person, []match.Listing{tooOld, full, plain}, 3))
	if got[0] != "plain" {
		t.Errorf("order = %v, want plain first", got)
	}
}

func TestUptakeMovesTheRankingOnlyFromTheMinimumCount(t *testing.T) {
	tests := []struct {
		name       string
		uptake     match.Uptake
		wantMoved  bool
		wantReason bool
	}{
		{"no one connected: no effect", match.Uptake{}, false, false},
		{"four of four kept going: too few to count", match.Uptake{People: match.MinUptake - 1, KeptGoing: match.MinUptake - 1}, false, false},
		{"five of five kept going: counts", match.Uptake{People: match.MinUptake, KeptGoing: match.MinUptake}, true, true},
		{"twenty of twenty kept going: counts", match.Uptake{People: 20, KeptGoing: 20}, true, true},
		{"five of five liked it, none continuing yet: counts", match.Uptake{People: match.MinUptake, LikedIt: match.MinUptake}, true, true},
		{"four who liked it of four: too few to count", match.Uptake{People: match.MinUptake - 1, LikedIt: match.MinUptake - 1}, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// "a" is a little nearer, so it leads unless uptake lifts "b".
			a := with("a", func(l *match.Listing) { l.Distance = 500 })
			b := with("b", func(l *match.Listing) { l.Distance = 1000; l.Uptake = tt.uptake })
			got := match.Rank(person, []match.Listing{a, b}, 2)
			if moved := got[0].ID == "b"; moved != tt.wantMoved {
				t.Errorf("order = %v; want b first: %v", ids(got), tt.wantMoved)
			}
			var reasons []string
			for _, s := range got {
				if s.ID == "b" {
					reasons = s.Reasons
				}
			}
			said := strings.Contains(strings.Join(reasons, " "), "kept going")
			if said != tt.wantReason {
				t.Errorf("reasons %q: want uptake said: %v", reasons, tt.wantReason)
			}
		})
	}
}

func TestUptakeWhereNoOneKeptGoingRanksBelow(t *testing.T) {
	a := good("a")
	b := with("b", func(l *match.Listing) { l.Uptake = match.Uptake{People: 10, KeptGoing: 0} })
	if got := ids(match.Rank(person, []match.Listing{b, a}, 2)); got[0] != "a" {
		t.Errorf("order = %v, want a first", got)
	}
}

func TestReasonsSayWhyInReadableSentences(t *testing.T) {
	l := with("walk", func(l *match.Listing) {
		l.Text = "walking for health in the park"
		l.Cost, l.CostKnown = 0, true
		l.BuddyWelcome = true
		l.HowToJoin = linkwork.JoinDropIn
	})
	got := match.Rank(person, []match.Listing{l}, 1)[0].Reasons
	want := []string{
		"It can help with " + strings.ToLower(linkwork.NeedLoneliness.Label()) + ".",
		"It mentions “walking”, from what they said about their needs.",
		"It is 800 metres from their home.",
		"It is taking people now.",
		"It is free.",
		"They can just drop in.",
		"A link worker can go with them the first time.",
	}
	if !slices.Equal(got, want) {
		t.Errorf("reasons:\n%q\nwant\n%q", got, want)
	}
}

func TestYouthFriendlinessCountsOnlyForAYoungPerson(t *testing.T) {
	a := good("a")
	b := with("b", func(l *match.Listing) { l.YouthFriendly = true })
	young := person
	young.Youth = true
	if got := ids(match.Rank(young, []match.Listing{a, b}, 2)); got[0] != "b" {
		t.Errorf("young person: order = %v, want the youth-friendly one first", got)
	}
	got := match.Rank(person, []match.Listing{a, b}, 2)
	if got[0].Score != got[1].Score {
		t.Errorf("adult: scores %d and %d, want equal", got[0].Score, got[1].Score)
	}
}

func TestRankReturnsAtMostNBestFirst(t *testing.T) {
	var ls []match.Listing
	for i := range 50 {
		ls = append(ls, with(fmt.Sprint(i), func(l *match.Listing) { l.Distance = float64(i * 90) }))
	}
	got := match.Rank(person, ls, 5)
	if want := []string{"0", "1", "2", "3", "4"}; !slices.Equal(ids(got), want) {
		t.Errorf("order = %v, want %v", ids(got), want)
	}
	if n := len(match.Rank(person, ls[:2], 5)); n != 2 {
		t.Errorf("from two listings got %d", n)
	}
}

// synthetic makes n listings spread over 20 km with every feature varied.
func synthetic(n int) []match.Listing {
	r := rand.New(rand.NewSource(1))
	caps := linkwork.CapacityStatuses
	joins := linkwork.HowToJoins
	ls := make([]match.Listing, n)
	for i := range ls {
		ls[i] = match.Listing{
			ID: fmt.Sprint(i), Name: fmt.Sprintf("Activity %d", i),
			Categories:  []linkwork.Category{linkwork.Categories[r.Intn(len(linkwork.Categories))]},
			Text:        "A friendly weekly group with tea, walking, crafts and a chat for anyone in the area who would like to come along",
			MinAge:      []int{0, 0, 16, 50}[r.Intn(4)],
			Distance:    r.Float64() * 20000,
			HasDistance: r.Intn(10) > 0, Online: r.Intn(5) == 0,
			Cost: r.Intn(3) * 250, CostKnown: r.Intn(2) == 0,
			HowToJoin: joins[r.Intn(len(joins))], Capacity: caps[r.Intn(len(caps))],
			YouthFriendly: r.Intn(2) == 0, BuddyWelcome: r.Intn(2) == 0, Stale: r.Intn(8) == 0,
			Uptake: match.Uptake{People: r.Intn(12), KeptGoing: r.Intn(6)},
		}
	}
	return ls
}

var benchProfile = match.Profile{
	Age: 34, Near: &linkwork.Point{Lat: 53.8, Lon: -1.55},
	Needs: []linkwork.CaseNeed{{Domain: linkwork.NeedLoneliness, Words: "walking, gardening"}, {Domain: linkwork.NeedActivity}},
	Funds: 300, FundsKnown: true,
}

// BenchmarkRank100k ranks 100,000 listings for one person.
func BenchmarkRank100k(b *testing.B) {
	ls := synthetic(100_000)
	b.ReportAllocs()
	var d []time.Duration
	for b.Loop() {
		start := time.Now()
		match.Rank(benchProfile, ls, 5)
		d = append(d, time.Since(start))
	}
	// The target is a percentile, so the benchmark reports the run's
	// median and 99th percentile beside the mean.
	slices.Sort(d)
	b.ReportMetric(float64(d[len(d)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds())/1000, "p99-ms")
}
