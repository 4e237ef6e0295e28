package main

import (
	"math"
	"slices"
	"time"
)

// sample is one request as the load generator saw it.
type sample struct {
	op      int           // index into the operations
	latency time.Duration // from sending the request to the end of the answer's body
	failed  bool          // an answer the route should not give, or no answer
}

// summary is what a set of latencies comes to. Percentiles are exact:
// every latency is kept and sorted.
type summary struct {
	Count int
	P50   time.Duration
	P90   time.Duration
	P99   time.Duration
	Max   time.Duration
}

// summarise sorts the latencies in place and returns their summary; an
// empty set has a zero summary.
func summarise(lat []time.Duration) summary {
	if len(lat) == 0 {
		return summary{}
	}
	slices.Sort(lat)
	return summary{Count: len(lat), P50: percentile(lat, 50), P90: percentile(lat, 90), P99: percentile(lat, 99), Max: lat[len(lat)-1]}
}

// percentile returns the p-th percentile (0 < p <= 100) of sorted
// latencies by the nearest-rank method: the smallest latency that at
// least p percent of the latencies do not exceed. It is always one of
// the latencies measured, never an interpolation.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// routeResult is one route's figures in a run.
type routeResult struct {
	Name   string  `json:"route"`
	Count  int     `json:"requests"`
	RPS    float64 `json:"requests_per_second"`
	Share  float64 `json:"share"` // of all requests in the run, 0 to 1
	P50    float64 `json:"p50_ms"`
	P90    float64 `json:"p90_ms"`
	P99    float64 `json:"p99_ms"`
	Max    float64 `json:"max_ms"`
	Errors int     `json:"errors"`
}

// tally turns a run's samples into figures overall and per route, in the
// order of names; elapsed is the run's wall time.
func tally(samples []sample, names []string, elapsed time.Duration) (overall routeResult, routes []routeResult) {
	all := make([]time.Duration, 0, len(samples))
	per := make([][]time.Duration, len(names))
	errs := make([]int, len(names))
	for _, s := range samples {
		all = append(all, s.latency)
		per[s.op] = append(per[s.op], s.latency)
		if s.failed {
			errs[s.op]++
		}
	}
	secs := elapsed.Seconds()
	result := func(name string, lat []time.Duration, errors int) routeResult {
		sum := summarise(lat)
		r := routeResult{Name: name, Count: sum.Count, P50: ms(sum.P50), P90: ms(sum.P90), P99: ms(sum.P99), Max: ms(sum.Max), Errors: errors}
		if secs > 0 {
			r.RPS = float64(sum.Count) / secs
		}
		if len(samples) > 0 {
			r.Share = float64(sum.Count) / float64(len(samples))
		}
		return r
	}
	total := 0
	for i, name := range names {
		total += errs[i]
		if len(per[i]) > 0 {
			routes = append(routes, result(name, per[i], errs[i]))
		}
	}
	return result("all", all, total), routes
}

// ms is a duration in milliseconds.
func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
