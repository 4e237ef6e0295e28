package web

import (
	"fmt"
	"net/http"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

// metrics counts requests by route and status and times them, written in
// the Prometheus text format at /metrics. Labels are route patterns, never
// paths, so no identifier reaches the metrics.
type metrics struct {
	mu       sync.Mutex
	start    time.Time
	requests map[[3]string]uint64 // method, route, status
	duration map[string]*histogram
}

var buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5}

type histogram struct {
	counts []uint64
	sum    float64
	n      uint64
}

func newMetrics() *metrics {
	return &metrics{start: time.Now(), requests: map[[3]string]uint64{}, duration: map[string]*histogram{}}
}

func (m *metrics) instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(sw, r)
		m.observe(r.Method, route, sw.status, time.Since(start).Seconds())
	})
}

func (m *metrics) observe(method, route string, status int, secs float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[3]string{method, route, fmt.Sprint(status)}]++
	h := m.duration[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(buckets))}
		m.duration[route] = h
	}
	for i, b := range buckets {
		if secs <= b {
			h.counts[i]++
		}
	}
	h.sum += secs
	h.n++
}

func (m *metrics) write(b *strings.Builder) {
	m.mu.Lock()
	defer m.mu.Unlock()
	b.WriteString("# HELP linkwork_http_requests_total HTTP requests by method, route and status.\n# TYPE linkwork_http_requests_total counter\n")
	keys := make([][3]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return strings.Join(keys[i][:], " ") < strings.Join(keys[j][:], " ") })
	for _, k := range keys {
		fmt.Fprintf(b, "linkwork_http_requests_total{method=%q,route=%q,status=%q} %d\n", k[0], k[1], k[2], m.requests[k])
	}
	b.WriteString("# HELP linkwork_http_request_duration_seconds Time to answer, by route.\n# TYPE linkwork_http_request_duration_seconds histogram\n")
	routes := make([]string, 0, len(m.duration))
	for r := range m.duration {
		routes = append(routes, r)
	}
	sort.Strings(routes)
	for _, r := range routes {
		h := m.duration[r]
		for i, le := range buckets {
			fmt.Fprintf(b, "linkwork_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", r, le, h.counts[i])
		}
		fmt.Fprintf(b, "linkwork_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", r, h.n)
		fmt.Fprintf(b, "linkwork_http_request_duration_seconds_sum{route=%q} %g\n", r, h.sum)
		fmt.Fprintf(b, "linkwork_http_request_duration_seconds_count{route=%q} %d\n", r, h.n)
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Fprintf(b, "# HELP linkwork_goroutines Goroutines now.\n# TYPE linkwork_goroutines gauge\nlinkwork_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintf(b, "# HELP linkwork_heap_bytes Heap in use.\n# TYPE linkwork_heap_bytes gauge\nlinkwork_heap_bytes %d\n", ms.HeapInuse)
	fmt.Fprintf(b, "# HELP linkwork_uptime_seconds Seconds since the server started.\n# TYPE linkwork_uptime_seconds gauge\nlinkwork_uptime_seconds %g\n", time.Since(m.start).Seconds())
}
