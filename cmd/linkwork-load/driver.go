package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"
)

// driver drives the workload against the server: concurrent users, each
// request's operation chosen at random by weight.
type driver struct {
	c    *client
	w    *world
	ops  []operation
	pick chooser
	seed uint64
}

// bounds end a run: whichever comes first, the number of requests or the
// time.
type bounds struct {
	requests int // 0 for no limit
	duration time.Duration
}

// outcome is what a run measured.
type outcome struct {
	samples  []sample
	elapsed  time.Duration
	examples []string // a few of the failures, "route: why"
}

// maxExamples is how many failures of each route are kept to show.
const maxExamples = 3

// drive runs the workload with conc concurrent users within the bounds.
// Request k of a run chooses its operation and its records with a random
// source seeded by (seed + stream, k), so that the same seed sends the
// same requests in the same proportions whatever the timing; only the
// referrals decided and the waiting cases checked in with come from pools
// the run itself changes. A request in flight when the time is up is
// finished and counted; one cut short by ctx is not.
func (d *driver) drive(ctx context.Context, conc int, b bounds, stream uint64) outcome {
	var (
		next     atomic.Int64
		mu       sync.Mutex
		out      outcome
		perRoute = map[int]int{}
		wg       sync.WaitGroup
	)
	start := time.Now()
	deadline := start.Add(b.duration)
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []sample
			defer func() {
				mu.Lock()
				out.samples = append(out.samples, mine...)
				mu.Unlock()
			}()
			for {
				k := next.Add(1) - 1
				if (b.requests > 0 && k >= int64(b.requests)) || ctx.Err() != nil || !time.Now().Before(deadline) {
					return
				}
				r := rand.New(rand.NewPCG(d.seed+stream, uint64(k)))
				op, c := d.choose(r)
				t0 := time.Now()
				_, err := d.c.do(ctx, c)
				lat := time.Since(t0)
				if ctx.Err() != nil {
					return
				}
				mine = append(mine, sample{op: op, latency: lat, failed: err != nil})
				if err != nil {
					mu.Lock()
					if perRoute[op] < maxExamples {
						perRoute[op]++
						out.examples = append(out.examples, fmt.Sprintf("%s: %s %s: %v", d.ops[op].name, c.method, c.path, err))
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	out.elapsed = time.Since(start)
	return out
}

// choose picks an operation and makes its request, choosing again while
// the one picked has nothing to do.
func (d *driver) choose(r *rand.Rand) (int, call) {
	for {
		op := d.pick.pick(r)
		if c, ok := d.ops[op].next(d.w, r); ok {
			return op, c
		}
	}
}
