package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func fileHash(t *testing.T, path string) [32]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(b)
}

// TestTheLoadBenchmarkOnTheDemoCity builds this tree's linkwork and the
// demo city, then runs the whole benchmark on it with a small bound: every
// route of the workload is exercised without an error, the figures are in
// order, the server's CPU and memory are measured, and the city itself is
// left as it was built.
func TestTheLoadBenchmarkOnTheDemoCity(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	bin, err := buildServer(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "city.db")
	cfg, err := parseFlags([]string{"--preset", "demo", "--db", db, "--concurrency", "4", "--requests", "300", "--duration", "2m", "--warmup", "0s"}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	if _, err := prepareDataset(ctx, cfg, bin, &log); err != nil {
		t.Fatalf("%v\n%s", err, &log)
	}
	if !strings.Contains(log.String(), "Building the demo city") {
		t.Fatalf("no city was built:\n%s", &log)
	}
	built := fileHash(t, db)

	cfg.serverBinary = bin
	log.Reset()
	var out bytes.Buffer
	rep, err := benchmark(ctx, cfg, &log, &out)
	if err != nil {
		t.Fatalf("%v\n%s\n%s", err, &log, &out)
	}
	t.Logf("\n%s", &out)
	if !strings.Contains(log.String(), "Using the demo city already in") {
		t.Errorf("the city built was not reused:\n%s", &log)
	}
	if fileHash(t, db) != built {
		t.Errorf("the run changed the city's file: runs must serve a copy")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*.run.db*")); len(left) > 0 {
		t.Errorf("the run's copy of the city is left behind: %v", left)
	}

	if len(rep.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(rep.Runs))
	}
	r := rep.Runs[0]
	if r.Concurrency != 4 || r.Requests != 300 {
		t.Errorf("concurrency %d and %d requests, want 4 and 300", r.Concurrency, r.Requests)
	}
	if r.Errors != 0 {
		t.Errorf("%d errors:\n%s", r.Errors, strings.Join(r.ErrorExamples, "\n"))
	}
	if len(r.Skipped) > 0 {
		t.Errorf("operations skipped on this tree's server and the demo city: %v", r.Skipped)
	}
	var ran []string
	for _, x := range r.Routes {
		ran = append(ran, x.Name)
	}
	for _, op := range operations() {
		if !slices.Contains(ran, op.name) {
			t.Errorf("route %s was not exercised", op.name)
		}
	}
	sum := 0
	for _, x := range append([]routeResult{r.Overall}, r.Routes...) {
		if !(0 < x.P50 && x.P50 <= x.P90 && x.P90 <= x.P99 && x.P99 <= x.Max) {
			t.Errorf("%s: p50 %.2f, p90 %.2f, p99 %.2f, max %.2f ms are not in order", x.Name, x.P50, x.P90, x.P99, x.Max)
		}
		if x.Name != "all" {
			sum += x.Count
		}
	}
	if sum != r.Requests {
		t.Errorf("the routes' requests add up to %d, not %d", sum, r.Requests)
	}
	if r.RPS <= 0 || r.Seconds <= 0 {
		t.Errorf("%.1f req/s over %.2f s", r.RPS, r.Seconds)
	}
	if r.ServerCPUPerRequest <= 0 || r.ServerCores <= 0 {
		t.Errorf("the server's CPU was not measured: %.3f ms a request, %.2f cores", r.ServerCPUPerRequest, r.ServerCores)
	}
	if r.PeakRSS <= 0 {
		t.Errorf("the server's peak memory was not measured: %d bytes", r.PeakRSS)
	}
	if r.ClientCPUPerRequest <= 0 {
		t.Errorf("the load generator's CPU was not measured: %.3f ms a request", r.ClientCPUPerRequest)
	}
	for _, want := range []string{"concurrency 4: 300 requests", "api-decision", "p99 ms", "ms CPU a request"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the table lacks %q", want)
		}
	}

	var js bytes.Buffer
	if err := printJSON(&js, rep); err != nil {
		t.Fatal(err)
	}
	var back report
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatalf("the JSON does not read back: %v", err)
	}
	if len(back.Runs) != 1 || back.Runs[0].Requests != 300 || len(back.Runs[0].Routes) != len(r.Routes) || back.People != 400 {
		t.Errorf("the JSON says %+v", back)
	}
}
