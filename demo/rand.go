package demo

import (
	"math"
	"math/rand/v2"
	"sort"
	"time"
)

// rng is the generator's source of randomness: a PCG stream seeded from the
// configuration, never the global source, so that the same Config always
// gives the same city.
type rng struct {
	r *rand.Rand
}

// The streams: each part of the city draws from its own stream, so that,
// for example, changing the number of people leaves the directory as it was.
const (
	streamOrgs   = 0x6f726773 // "orgs"
	streamAssets = 0x61737374 // "asst"
	streamPeople = 0x70706c65 // "pple"
	streamFunds  = 0x66756e64 // "fund"
)

func newRNG(seed int64, stream uint64) *rng {
	return &rng{r: rand.New(rand.NewPCG(uint64(seed), stream*0x9e3779b97f4a7c15+1))}
}

// intn returns an int in [0, n).
func (g *rng) intn(n int) int { return g.r.IntN(n) }

// between returns an int in [lo, hi].
func (g *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

// chance reports true with probability p.
func (g *rng) chance(p float64) bool { return g.r.Float64() < p }

func (g *rng) float() float64 { return g.r.Float64() }

// normal returns a normally distributed value.
func (g *rng) normal(mean, sd float64) float64 { return mean + sd*g.r.NormFloat64() }

// pick returns a random element of xs.
func pick[T any](g *rng, xs []T) T { return xs[g.r.IntN(len(xs))] }

// weighted is a table for choosing among options with given weights.
type weighted[T any] struct {
	items []T
	cum   []float64
}

func newWeighted[T any](items []T, weights []float64) weighted[T] {
	if len(items) != len(weights) || len(items) == 0 {
		panic("demo: weighted table with mismatched items and weights")
	}
	w := weighted[T]{items: items, cum: make([]float64, len(weights))}
	total := 0.0
	for i, x := range weights {
		total += x
		w.cum[i] = total
	}
	return w
}

func (w weighted[T]) pick(g *rng) T {
	x := g.r.Float64() * w.cum[len(w.cum)-1]
	i := sort.SearchFloat64s(w.cum, x)
	if i >= len(w.items) {
		i = len(w.items) - 1
	}
	return w.items[i]
}

const hexDigits = "0123456789abcdef"

// uuidPos is where each byte of a UUID goes in its text form.
var uuidPos = [16]uint8{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}

// uuid returns a random (version 4) UUID in lower-case hex with dashes.
func (g *rng) uuid() string {
	x, y := g.r.Uint64(), g.r.Uint64()
	x = x&^(0xf0<<48) | 0x40<<48 // byte 6: version 4
	y = y&^0xc0 | 0x80           // byte 8: the RFC 4122 variant
	s := [36]byte{8: '-', 13: '-', 18: '-', 23: '-'}
	for i, p := range uuidPos {
		var c byte
		if i < 8 {
			c = byte(x >> (8 * i))
		} else {
			c = byte(y >> (8 * (i - 8)))
		}
		s[p] = hexDigits[c>>4]
		s[p+1] = hexDigits[c&0x0f]
	}
	return string(s[:])
}

const day = 24 * time.Hour

// clock turns offsets into times relative to the configured now. Every time
// the generator produces is now minus or plus a whole number of minutes, so
// it is in UTC and already truncated to microseconds.
type clock struct {
	now      time.Time // UTC, truncated to the microsecond
	midnight time.Time // the start of now's day
}

func newClock(now time.Time) clock {
	now = now.UTC().Truncate(time.Microsecond)
	y, m, d := now.Date()
	return clock{now: now, midnight: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// daysAgo returns a time on the day that many days before today, at a time
// of day between fromHour and toHour; it never returns a time after now.
func (c clock) daysAgo(g *rng, days int, fromHour, toHour int) time.Time {
	t := c.midnight.Add(-time.Duration(days)*day + time.Duration(g.between(fromHour*60, toHour*60-1))*time.Minute)
	if t.After(c.now) {
		t = c.now.Add(-time.Duration(g.between(1, 90)) * time.Minute)
	}
	return t
}

// workingTime moves t forward, if it needs to, into working hours (09:00 to
// 17:00, Monday to Friday), keeping the minutes so that times stay varied.
// It never moves a time backwards, so the order of events is kept.
func workingTime(t time.Time) time.Time {
	h := t.Hour()
	switch {
	case h < 9:
		t = t.Add(time.Duration(9-h) * time.Hour)
	case h >= 17:
		t = t.Add(time.Duration(24-h+9) * time.Hour)
	}
	switch t.Weekday() {
	case time.Saturday:
		t = t.Add(2 * day)
	case time.Sunday:
		t = t.Add(day)
	}
	return t
}

// after returns a time between minDays and maxDays after t (and at least
// ten minutes after it), in working hours.
func after(g *rng, t time.Time, minDays, maxDays int) time.Time {
	return workingTime(t.Add(time.Duration(g.between(max(10, minDays*24*60), maxDays*24*60)) * time.Minute))
}

// afterMinutes returns a time between lo and hi minutes after t.
func afterMinutes(g *rng, t time.Time, lo, hi int) time.Time {
	return t.Add(time.Duration(g.between(lo, hi)) * time.Minute)
}

// clampInt keeps an int in [lo, hi].
func clampInt(x, lo, hi int) int {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// roundInt rounds a float to the nearest int.
func roundInt(x float64) int { return int(math.Round(x)) }
