package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// benchmark builds or opens the city, then makes one run for each
// concurrency asked: each serves the city afresh, signs in, finds the
// records to work on, warms up and measures. Progress goes to log; the
// results are printed to out as each run ends, and returned.
func benchmark(ctx context.Context, cfg *config, log, out io.Writer) (*report, error) {
	tmp, err := os.MkdirTemp("", "linkwork-load-")
	if err != nil {
		return nil, err
	}
	keep := false // the server's log, when something went wrong
	defer func() {
		if !keep {
			os.RemoveAll(tmp)
		}
	}()
	bin, server := cfg.serverBinary, "linkwork built from this tree"
	if bin == "" {
		fmt.Fprintln(log, "Building linkwork…")
		if bin, err = buildServer(ctx, tmp); err != nil {
			return nil, err
		}
		if commit, err := exec.CommandContext(ctx, "git", "describe", "--always", "--dirty").Output(); err == nil {
			server += " at " + strings.TrimSpace(string(commit))
		}
	} else {
		if bin, err = filepath.Abs(bin); err != nil {
			return nil, err
		}
		if _, err := os.Stat(bin); err != nil {
			return nil, fmt.Errorf("--server-binary: %w", err)
		}
		server = bin
	}
	ds, err := prepareDataset(ctx, cfg, bin, log)
	if err != nil {
		return nil, err
	}
	rep := &report{Date: time.Now().UTC().Format(time.RFC3339), Preset: cfg.preset, People: ds.people, Assets: ds.assets, Engine: ds.engine(),
		Server: server, Seed: cfg.seed}
	for _, op := range operations() {
		rep.Workload = append(rep.Workload, workloadEntry{Route: op.name, Weight: op.weight, Write: op.write})
	}
	fmt.Fprintf(out, "linkwork load benchmark, %s\ncity: %s preset, %d people, %d activities, on %s\nserver: %s\nworkload: seed %d; each run at most %d requests (0: no limit) and %s, after %s of warm-up\n",
		rep.Date, rep.Preset, rep.People, rep.Assets, rep.Engine, rep.Server, cfg.seed, cfg.requests, cfg.duration, cfg.warmup)
	for i, conc := range cfg.concurrency {
		logPath := filepath.Join(tmp, fmt.Sprintf("server-%d.log", i+1))
		fmt.Fprintf(log, "Run %d of %d: %d concurrent users…\n", i+1, len(cfg.concurrency), conc)
		r, err := runOnce(ctx, cfg, ds, bin, conc, logPath)
		if err != nil {
			if ctx.Err() == nil {
				keep = true
				err = fmt.Errorf("%w\n(the server's log is %s)", err, logPath)
			}
			return rep, err
		}
		if r.Errors > 0 || r.WarmupErrors > 0 {
			keep = true
			r.ServerLog = logPath
		}
		rep.Runs = append(rep.Runs, *r)
		printRun(out, r)
	}
	return rep, nil
}

// runOnce serves a fresh copy of the city and measures one run at
// concurrency conc.
func runOnce(ctx context.Context, cfg *config, ds *dataset, bin string, conc int, logPath string) (res *runResult, err error) {
	dsn, removeCopy, err := ds.workingCopy()
	if err != nil {
		return nil, err
	}
	defer removeCopy()
	srv, err := startServer(ctx, bin, dsn, cfg.serveFlags, logPath)
	if err != nil {
		return nil, err
	}
	defer func() {
		if stopErr := srv.stop(); err == nil && stopErr != nil {
			res, err = nil, stopErr
		}
	}()
	c := newClient(srv.url, conc)
	defer c.close()
	routes, safety, err := apiRoutes(ctx, c)
	if err != nil {
		return nil, err
	}
	w, err := signInAll(ctx, c, cfg.password)
	if err != nil {
		return nil, err
	}
	w.safetyQuestions = safety
	ops := operations()
	if err := w.discover(ctx, c, routes["POST /goals/{id}/ratings"]); err != nil {
		return nil, fmt.Errorf("finding the records to work on: %w", err)
	}
	res = &runResult{Concurrency: conc}
	weights := make([]int, len(ops))
	for i, op := range ops {
		why := ""
		switch {
		case slices.Contains(cfg.skip, op.name):
			why = "left out by --skip"
		case op.needs != "" && !routes[op.needs]:
			why = "this server has no " + op.needs
		case op.missing != nil:
			why = op.missing(w)
		}
		if why != "" {
			res.Skipped = append(res.Skipped, op.name+": "+why)
			continue
		}
		weights[i] = op.weight
	}
	d := &driver{c: c, w: w, ops: ops, pick: newChooser(weights), seed: cfg.seed}
	if d.pick.total() == 0 {
		return nil, errors.New("no operation of the workload can run on this server")
	}
	if cfg.warmup > 0 {
		warm := d.drive(ctx, conc, bounds{duration: cfg.warmup}, 1)
		res.WarmupRequests = len(warm.samples)
		for _, s := range warm.samples {
			if s.failed {
				res.WarmupErrors++
			}
		}
		res.ErrorExamples = append(res.ErrorExamples, prefix("warm-up: ", warm.examples)...)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	pid := srv.pid()
	cpu0, cpuErr0 := cpuTime(pid)
	self0, selfErr0 := cpuTime("self")
	res.PeakRSSSince = "run"
	if resetPeakRSS(pid) != nil {
		res.PeakRSSSince = "server start"
	}
	o := d.drive(ctx, conc, bounds{requests: cfg.requests, duration: cfg.duration}, 0)
	cpu1, cpuErr1 := cpuTime(pid)
	self1, selfErr1 := cpuTime("self")
	rss, rssErr := peakRSS(pid)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}

	names := make([]string, len(ops))
	for i, op := range ops {
		names[i] = op.name
	}
	res.Overall, res.Routes = tally(o.samples, names, o.elapsed)
	res.Requests, res.Errors, res.Seconds, res.RPS = res.Overall.Count, res.Overall.Errors, o.elapsed.Seconds(), res.Overall.RPS
	res.ErrorExamples = append(res.ErrorExamples, o.examples...)
	if n := res.Requests; n > 0 {
		if errors.Join(cpuErr0, cpuErr1) == nil {
			res.ServerCPUPerRequest = ms(cpu1-cpu0) / float64(n)
			res.ServerCores = (cpu1 - cpu0).Seconds() / o.elapsed.Seconds()
		}
		if errors.Join(selfErr0, selfErr1) == nil {
			res.ClientCPUPerRequest = ms(self1-self0) / float64(n)
		}
	}
	if rssErr == nil {
		res.PeakRSS = rss
	}
	return res, nil
}

// apiRoutes lists the API routes the server describes in its OpenAPI
// document, as "METHOD /path", and says whether its referrals ask the
// safety questions (a server from before they were asked refuses them).
func apiRoutes(ctx context.Context, c *client) (map[string]bool, bool, error) {
	var raw json.RawMessage
	if err := c.getJSON(ctx, nil, "/api/v1/openapi.json", &raw); err != nil {
		return nil, false, err
	}
	var doc struct {
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
		Schemas struct {
			Schemas map[string]struct {
				Properties map[string]json.RawMessage `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, false, fmt.Errorf("the server's OpenAPI document: %w", err)
	}
	safety := false
	for _, sc := range doc.Schemas.Schemas {
		if _, ok := sc.Properties["harm_thoughts"]; ok {
			safety = true
		}
	}
	out := map[string]bool{}
	for path, methods := range doc.Paths {
		for m := range methods {
			out[strings.ToUpper(m)+" "+path] = true
		}
	}
	return out, safety, nil
}

func prefix(p string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = p + x
	}
	return out
}
