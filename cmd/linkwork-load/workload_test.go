package main

import (
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestChooserAt(t *testing.T) {
	c := newChooser([]int{3, 0, 2, 5})
	if c.total() != 10 {
		t.Fatalf("total = %d, want 10", c.total())
	}
	for _, tc := range []struct {
		name string
		x    int
		want int
	}{
		{"the first draw is the first operation", 0, 0},
		{"the last draw within the first weight", 2, 0},
		{"a weight of zero is skipped", 3, 2},
		{"the end of the third weight", 4, 2},
		{"the start of the fourth weight", 5, 3},
		{"the last draw is the last operation", 9, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := c.at(tc.x); got != tc.want {
				t.Errorf("at(%d) = %d, want %d", tc.x, got, tc.want)
			}
		})
	}
}

func TestChooserPicksInProportion(t *testing.T) {
	weights := []int{500, 0, 300, 150, 50}
	c := newChooser(weights)
	r := rand.New(rand.NewPCG(7, 11))
	const n = 200_000
	got := make([]int, len(weights))
	for range n {
		got[c.pick(r)]++
	}
	for i, w := range weights {
		want := float64(w) / 1000
		share := float64(got[i]) / n
		if math.Abs(share-want) > 0.005 {
			t.Errorf("operation %d: chosen %.4f of the time, want %.3f", i, share, want)
		}
	}
	if got[1] != 0 {
		t.Errorf("an operation of weight 0 was chosen %d times", got[1])
	}
}

func TestTheWorkloadIsEightyFivePercentReads(t *testing.T) {
	reads, writes := 0, 0
	names := map[string]bool{}
	for _, op := range operations() {
		if names[op.name] {
			t.Errorf("two operations are named %q: the report could not tell them apart", op.name)
		}
		names[op.name] = true
		if op.weight <= 0 {
			t.Errorf("%s has weight %d", op.name, op.weight)
		}
		if op.write {
			writes += op.weight
		} else {
			reads += op.weight
		}
	}
	if reads != 850 || writes != 150 {
		t.Errorf("reads %d‰ and writes %d‰, want 850 and 150", reads, writes)
	}
}

func TestDecisionsAreOnesTheServiceAccepts(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	for _, from := range []linkwork.ReferralStatus{linkwork.ReferralReceived, linkwork.ReferralTriage, linkwork.ReferralDeferred} {
		seen := map[linkwork.ReferralStatus]bool{}
		for range 500 {
			d := decision(openReferral{id: "r", version: 2, status: from}, r)
			to := d["to"].(linkwork.ReferralStatus)
			seen[to] = true
			if !from.CanBecome(to) {
				t.Fatalf("a %s referral cannot become %s", from, to)
			}
			if d["version"] != 2 {
				t.Fatalf("the decision does not send the version read: %v", d)
			}
			if to == linkwork.ReferralDeclined && (d["reason"] == nil || d["onward_destination"] == nil) {
				t.Fatalf("a decline without a reason and an onward destination: %v", d)
			}
			if to == linkwork.ReferralDeferred && d["defer_until"] == nil {
				t.Fatalf("a deferral without a date: %v", d)
			}
		}
		if len(seen) < 3 {
			t.Errorf("from %s the decisions were only %v", from, seen)
		}
	}
}

func TestParseFlags(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string // in the error; "" for none
	}{
		{"the defaults", nil, ""},
		{"a list of concurrencies", []string{"--concurrency", "1, 8,32"}, ""},
		{"a serve flag", []string{"--serve-flag", "--jobs-interval 5m"}, ""},
		{"concurrency must be a positive number", []string{"--concurrency", "0"}, "--concurrency"},
		{"concurrency must be numbers", []string{"--concurrency", "8,many"}, "--concurrency"},
		{"an unknown preset", []string{"--preset", "atlantis"}, "--preset"},
		{"serve's address is the benchmark's to choose", []string{"--serve-flag", "--addr=0.0.0.0:80"}, "127.0.0.1"},
		{"serve's database is the benchmark's to choose", []string{"--serve-flag", "--db other.db"}, "database"},
		{"no metrics listener beyond loopback", []string{"--serve-flag", "--metrics-addr :9090"}, "loopback"},
		{"reuse is for PostgreSQL", []string{"--db", "city.db", "--reuse"}, "--reuse"},
		{"a database that is neither", []string{"--db", "mysql://x"}, "--db"},
		{"the time must be positive", []string{"--duration", "0s"}, "--duration"},
		{"no negative bound on requests", []string{"--requests", "-1"}, "--requests"},
		{"routes to leave out", []string{"--skip", "caseload, api-contact"}, ""},
		{"only the workload's routes can be left out", []string{"--skip", "caseload,dashboard"}, "dashboard"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseFlags(tc.args, &strings.Builder{})
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Fatalf("error %v, want one naming %q", err, tc.want)
			case tc.want == "" && len(cfg.concurrency) == 0:
				t.Fatalf("no concurrency: %+v", cfg)
			}
		})
	}
	cfg, err := parseFlags([]string{"--concurrency", "1, 8,32", "--serve-flag", "--jobs-interval 5m"}, &strings.Builder{})
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.concurrency; len(got) != 3 || got[0] != 1 || got[1] != 8 || got[2] != 32 {
		t.Errorf("concurrency = %v", got)
	}
	if got := strings.Join(cfg.serveFlags, " "); got != "--jobs-interval 5m" {
		t.Errorf("serve flags = %q", got)
	}
	if cfg.db != "sqlite:linkwork-load-demo-400-320.db" {
		t.Errorf("the default database is %q", cfg.db)
	}
}

// TestBenchmarksDescribesTheWorkload checks BENCHMARKS.md's table of the
// workload against the workload: the same routes, in the same shares.
func TestBenchmarksDescribesTheWorkload(t *testing.T) {
	b, err := os.ReadFile("../../BENCHMARKS.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Load benchmark\n")
	if !ok {
		t.Fatal("BENCHMARKS.md has no section \"Load benchmark\"")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	documented := map[string]string{}
	for _, line := range strings.Split(section, "\n") {
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		if len(cells) == 4 && strings.HasSuffix(cells[3], "%") {
			documented[cells[0]] = cells[3]
		}
	}
	for _, op := range operations() {
		want := strconv.FormatFloat(float64(op.weight)/10, 'f', -1, 64) + "%"
		if got, ok := documented[op.name]; !ok {
			t.Errorf("BENCHMARKS.md does not describe %s", op.name)
		} else if got != want {
			t.Errorf("BENCHMARKS.md gives %s %s of the requests, the workload %s", op.name, got, want)
		}
		delete(documented, op.name)
	}
	for name := range documented {
		t.Errorf("BENCHMARKS.md describes %s, which the workload does not send", name)
	}
}
