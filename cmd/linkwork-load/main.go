// Command linkwork-load is linkwork's load benchmark. It builds (or
// reuses) a demo city, serves it with "linkwork serve" on a loopback
// port, signs in users of every role and drives a mixed workload of
// reads and writes at the concurrencies asked, bounded in requests and
// time. It prints requests a second, latency percentiles overall and per
// route, errors, the server's CPU time a request and its peak memory.
//
//	go run ./cmd/linkwork-load --preset demo --concurrency 1,8,32
//
// Run it with --help for the flags; README.md and BENCHMARKS.md describe
// the workload.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/linkwork/linkwork/demo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// config is what the flags ask for.
type config struct {
	preset       string
	people       int
	assets       int
	db           string // sqlite:PATH or postgres://…
	reuse        bool
	concurrency  []int
	requests     int
	duration     time.Duration
	warmup       time.Duration
	seed         uint64
	serverBinary string
	serveFlags   []string
	skip         []string // routes left out of the workload
	json         bool
	password     string
}

const usage = `Usage: go run ./cmd/linkwork-load [flags]

Builds or opens a demo city, serves it with linkwork serve on 127.0.0.1,
signs in users of every role and drives a mixed workload (85% reads of
pages and the API, 15% writes: new referrals, triage decisions, casework)
at each concurrency asked, and prints requests a second, p50/p90/p99
latency overall and per route, errors, the server's CPU time a request
and its peak memory.

Each run serves a fresh copy of a SQLite city, so runs start alike; on
PostgreSQL the runs of one invocation share the database. The server's
log is kept only when a run fails. Measure another linkwork (an older
commit) with --server-binary and a --db of its own.

Flags:
`

// parseFlags reads the command line.
func parseFlags(args []string, out io.Writer) (*config, error) {
	cfg := &config{password: demo.DefaultPassword}
	fs := flag.NewFlagSet("linkwork-load", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&cfg.preset, "preset", "demo", "the size of city: "+strings.Join(demo.PresetNames(), ", "))
	fs.IntVar(&cfg.people, "people", 0, "how many people the city has referred (overrides the preset)")
	fs.IntVar(&cfg.assets, "assets", 0, "how many activities the city's directory lists (overrides the preset)")
	fs.StringVar(&cfg.db, "db", "", "the city's database: a SQLite file (reused when it holds the city asked for, else built) or a postgres:// URL (built afresh unless --reuse); default linkwork-load-PRESET-PEOPLE-ASSETS.db")
	fs.BoolVar(&cfg.reuse, "reuse", false, "on PostgreSQL, use the city already in the database instead of building it afresh")
	conc := fs.String("concurrency", "32", "how many users send requests at once: a list, like 1,8,32, for one run each")
	fs.IntVar(&cfg.requests, "requests", 100_000, "the most requests a run sends (0 for no limit)")
	fs.DurationVar(&cfg.duration, "duration", 20*time.Second, "the longest a run lasts")
	fs.DurationVar(&cfg.warmup, "warmup", 3*time.Second, "how long the workload runs, unmeasured, before each run")
	fs.Uint64Var(&cfg.seed, "seed", 1, "the seed of the workload's random choices: the same seed sends the same requests")
	fs.StringVar(&cfg.serverBinary, "server-binary", "", "a linkwork binary to serve with, instead of building this tree's (to measure another commit side by side)")
	fs.Func("serve-flag", "a flag for linkwork serve, like \"--sqlite-synchronous normal\" (may be repeated)", func(v string) error {
		cfg.serveFlags = append(cfg.serveFlags, strings.Fields(v)...)
		return nil
	})
	skip := fs.String("skip", "", "routes to leave out of the workload, like caseload,api-contact (to match an older server's mix)")
	fs.BoolVar(&cfg.json, "json", false, "also print the results as JSON on standard output (the tables then go to standard error)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	c, err := city(cfg)
	if err != nil {
		return nil, fmt.Errorf("--preset: %w", err)
	}
	if cfg.people < 0 || cfg.assets < 0 {
		return nil, errors.New("--people and --assets must be positive numbers")
	}
	switch v := strings.TrimSpace(cfg.db); {
	case v == "":
		cfg.db = fmt.Sprintf("sqlite:linkwork-load-%s-%d-%d.db", strings.ToLower(strings.TrimSpace(cfg.preset)), c.People, c.Assets)
	case strings.HasPrefix(v, "postgres://"), strings.HasPrefix(v, "postgresql://"), strings.HasPrefix(v, "sqlite:"):
		cfg.db = v
	case strings.Contains(v, "://"):
		return nil, fmt.Errorf("--db %q: give a SQLite file or a postgres:// URL", v)
	default:
		cfg.db = "sqlite:" + v
	}
	if cfg.reuse && strings.HasPrefix(cfg.db, "sqlite:") {
		return nil, errors.New("--reuse is for PostgreSQL: a SQLite file holding the city asked for is always reused")
	}
	if cfg.concurrency, err = parseConcurrency(*conc); err != nil {
		return nil, err
	}
	if cfg.requests < 0 {
		return nil, errors.New("--requests must be 0 (no limit) or more")
	}
	if cfg.duration <= 0 {
		return nil, errors.New("--duration must be positive, like 20s")
	}
	if cfg.warmup < 0 {
		return nil, errors.New("--warmup must be 0 or more, like 3s")
	}
	if err := checkServeFlags(cfg.serveFlags); err != nil {
		return nil, err
	}
	if cfg.skip, err = parseSkip(*skip); err != nil {
		return nil, err
	}
	return cfg, nil
}

// maxConcurrency is the most concurrent users a run may have.
const maxConcurrency = 4096

// parseConcurrency reads a list of concurrencies, like "1,8,32".
func parseConcurrency(v string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 || n > maxConcurrency {
			return nil, fmt.Errorf("--concurrency %q: give whole numbers from 1 to %d, separated by commas, like 1,8,32", v, maxConcurrency)
		}
		out = append(out, n)
	}
	return out, nil
}

// parseSkip reads a list of routes to leave out, which must be the
// workload's.
func parseSkip(v string) ([]string, error) {
	if strings.TrimSpace(v) == "" {
		return nil, nil
	}
	var names []string
	for _, op := range operations() {
		names = append(names, op.name)
	}
	var out []string
	for _, f := range strings.Split(v, ",") {
		f = strings.TrimSpace(f)
		if !slices.Contains(names, f) {
			return nil, fmt.Errorf("--skip: %q is not a route of the workload; they are %s", f, strings.Join(names, ", "))
		}
		out = append(out, f)
	}
	return out, nil
}

// checkServeFlags refuses serve flags the benchmark sets itself, and any
// that would listen beyond loopback.
func checkServeFlags(flags []string) error {
	for _, f := range flags {
		name, _, _ := strings.Cut(strings.TrimLeft(f, "-"), "=")
		if !strings.HasPrefix(f, "-") {
			continue // a value
		}
		switch name {
		case "addr", "db":
			return fmt.Errorf("--serve-flag %s: the load benchmark chooses the address (on 127.0.0.1) and the database itself", f)
		case "metrics-addr":
			return fmt.Errorf("--serve-flag %s: the load benchmark serves on loopback only and does not read metrics", f)
		}
	}
	return nil
}

// run runs the command and returns its exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "linkwork-load: %v\nRun \"go run ./cmd/linkwork-load --help\" for the flags.\n", err)
		return 2
	}
	tables := stdout
	if cfg.json {
		tables = stderr
	}
	rep, err := benchmark(ctx, cfg, stderr, tables)
	if err != nil {
		if ctx.Err() != nil {
			fmt.Fprintln(stderr, "linkwork-load: interrupted")
			return 130
		}
		fmt.Fprintf(stderr, "linkwork-load: %v\n", err)
		return 1
	}
	if cfg.json {
		if err := printJSON(stdout, rep); err != nil {
			fmt.Fprintf(stderr, "linkwork-load: %v\n", err)
			return 1
		}
	}
	return 0
}
