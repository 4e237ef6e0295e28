package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// report is the benchmark's results: one run for each concurrency.
type report struct {
	Date     string          `json:"date"`
	Preset   string          `json:"preset"`
	People   int             `json:"people"`
	Assets   int             `json:"assets"`
	Engine   string          `json:"engine"`
	Server   string          `json:"server"`
	Seed     uint64          `json:"seed"`
	Workload []workloadEntry `json:"workload"`
	Runs     []runResult     `json:"runs"`
}

// workloadEntry is one operation of the workload and its share.
type workloadEntry struct {
	Route  string `json:"route"`
	Weight int    `json:"weight"` // in thousandths
	Write  bool   `json:"write"`
}

// runResult is what one run measured.
type runResult struct {
	Concurrency    int     `json:"concurrency"`
	Requests       int     `json:"requests"`
	Seconds        float64 `json:"seconds"`
	RPS            float64 `json:"requests_per_second"`
	Errors         int     `json:"errors"`
	WarmupRequests int     `json:"warmup_requests"`
	WarmupErrors   int     `json:"warmup_errors"`
	// The server's CPU time (user and system) over the run, per request
	// and as cores kept busy; its peak resident memory since the run
	// started ("run"), or since it started where the kernel cannot reset
	// the peak ("server start").
	ServerCPUPerRequest float64 `json:"server_cpu_ms_per_request"`
	ServerCores         float64 `json:"server_cpu_cores"`
	PeakRSS             int64   `json:"server_peak_rss_bytes"`
	PeakRSSSince        string  `json:"server_peak_rss_since"`
	// The load generator's own CPU time per request: on a small machine
	// it competes with the server.
	ClientCPUPerRequest float64       `json:"load_generator_cpu_ms_per_request"`
	Overall             routeResult   `json:"overall"`
	Routes              []routeResult `json:"routes"`
	// Skipped names the operations this server or city could not run.
	Skipped       []string `json:"skipped"`
	ErrorExamples []string `json:"error_examples"`
	ServerLog     string   `json:"server_log,omitempty"`
}

// printRun prints a run's results as a table.
func printRun(w io.Writer, r *runResult) {
	fmt.Fprintf(w, "\nconcurrency %d: %d requests in %.1f s, %.1f req/s, %d errors (warm-up: %d requests, %d errors)\n",
		r.Concurrency, r.Requests, r.Seconds, r.RPS, r.Errors, r.WarmupRequests, r.WarmupErrors)
	fmt.Fprintf(w, "server: %.2f ms CPU a request (%.2f cores busy), peak RSS %.1f MB since the %s; load generator: %.2f ms CPU a request\n",
		r.ServerCPUPerRequest, r.ServerCores, float64(r.PeakRSS)/(1<<20), r.PeakRSSSince, r.ClientCPUPerRequest)
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "not run: %s\n", s)
	}
	fmt.Fprintf(w, "%-18s %9s %8s %7s %8s %8s %8s %8s %7s\n", "route", "requests", "req/s", "share", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors")
	row := func(x routeResult) {
		fmt.Fprintf(w, "%-18s %9d %8.1f %6.1f%% %8s %8s %8s %8s %7d\n", x.Name, x.Count, x.RPS, 100*x.Share,
			millis(x.P50), millis(x.P90), millis(x.P99), millis(x.Max), x.Errors)
	}
	row(r.Overall)
	for _, x := range r.Routes {
		row(x)
	}
	if len(r.ErrorExamples) > 0 {
		fmt.Fprintf(w, "examples of errors:\n")
		for _, e := range r.ErrorExamples[:min(len(r.ErrorExamples), 10)] {
			fmt.Fprintf(w, "  %s\n", e)
		}
		if n := len(r.ErrorExamples) - 10; n > 0 {
			fmt.Fprintf(w, "  … and %d more examples (--json shows them all)\n", n)
		}
	}
	if r.ServerLog != "" {
		fmt.Fprintf(w, "the server's log: %s\n", r.ServerLog)
	}
}

// millis formats milliseconds with three significant figures or so.
func millis(v float64) string {
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// printJSON prints the report as indented JSON.
func printJSON(w io.Writer, rep *report) error {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return err
	}
	_, err := io.WriteString(w, b.String())
	return err
}
