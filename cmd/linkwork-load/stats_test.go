package main

import (
	"math/rand/v2"
	"testing"
	"time"
)

func msList(vs ...int) []time.Duration {
	out := make([]time.Duration, len(vs))
	for i, v := range vs {
		out[i] = time.Duration(v) * time.Millisecond
	}
	return out
}

func upTo(n int) []time.Duration {
	vs := make([]int, n)
	for i := range vs {
		vs[i] = i + 1
	}
	return msList(vs...)
}

func TestSummarise(t *testing.T) {
	d := func(v int) time.Duration { return time.Duration(v) * time.Millisecond }
	for _, tc := range []struct {
		name string
		in   []time.Duration
		want summary
	}{
		{"no latencies give a zero summary", nil, summary{}},
		{"one latency is every percentile", msList(7), summary{Count: 1, P50: d(7), P90: d(7), P99: d(7), Max: d(7)}},
		{"1 to 100 ms: each percentile is its own rank", upTo(100), summary{Count: 100, P50: d(50), P90: d(90), P99: d(99), Max: d(100)}},
		{"1 to 10 ms: the p99 rounds up to the slowest", upTo(10), summary{Count: 10, P50: d(5), P90: d(9), P99: d(10), Max: d(10)}},
		{"1 to 1000 ms", upTo(1000), summary{Count: 1000, P50: d(500), P90: d(900), P99: d(990), Max: d(1000)}},
		{"the order they came in does not matter", msList(9, 1, 5, 3, 7, 2, 8, 4, 10, 6), summary{Count: 10, P50: d(5), P90: d(9), P99: d(10), Max: d(10)}},
		{"a percentile is a latency measured, never between two", msList(1, 100), summary{Count: 2, P50: d(1), P90: d(100), P99: d(100), Max: d(100)}},
		{"one slow request in a hundred is the p99, not the p90", append(msList(1000), upTo(99)...), summary{Count: 100, P50: d(50), P90: d(90), P99: d(99), Max: d(1000)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := summarise(tc.in); got != tc.want {
				t.Errorf("summarise = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestPercentilesAreOrdered(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := 1; n < 300; n += 7 {
		lat := make([]time.Duration, n)
		for i := range lat {
			lat[i] = time.Duration(r.ExpFloat64() * float64(time.Millisecond))
		}
		s := summarise(lat)
		if !(lat[0] <= s.P50 && s.P50 <= s.P90 && s.P90 <= s.P99 && s.P99 <= s.Max) {
			t.Fatalf("%d latencies: min %v, p50 %v, p90 %v, p99 %v, max %v are out of order", n, lat[0], s.P50, s.P90, s.P99, s.Max)
		}
	}
}

func TestTally(t *testing.T) {
	samples := []sample{
		{op: 0, latency: 2 * time.Millisecond},
		{op: 0, latency: 4 * time.Millisecond, failed: true},
		{op: 2, latency: 10 * time.Millisecond},
		{op: 0, latency: 6 * time.Millisecond},
	}
	all, routes := tally(samples, []string{"home", "never sent", "case"}, 2*time.Second)
	if all.Name != "all" || all.Count != 4 || all.Errors != 1 || all.RPS != 2 || all.Share != 1 || all.P50 != 4 || all.Max != 10 {
		t.Errorf("overall = %+v", all)
	}
	if len(routes) != 2 {
		t.Fatalf("routes = %+v, want home and case only: a route never sent has no row", routes)
	}
	home, c := routes[0], routes[1]
	if home.Name != "home" || home.Count != 3 || home.Errors != 1 || home.RPS != 1.5 || home.Share != 0.75 || home.P50 != 4 || home.P99 != 6 {
		t.Errorf("home = %+v", home)
	}
	if c.Name != "case" || c.Count != 1 || c.Errors != 0 || c.Share != 0.25 || c.P50 != 10 {
		t.Errorf("case = %+v", c)
	}
}
