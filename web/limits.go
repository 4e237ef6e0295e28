package web

import (
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// loginLimits slows down password guessing: a token bucket per client
// address and per account. Limits live in each server's memory; behind
// several servers, the proxy should limit too.
type loginLimits struct {
	mu       sync.Mutex
	now      func() time.Time
	perMin   int
	byIP     map[string]*limiterEntry
	byEmail  map[string]*limiterEntry
	lastSwep time.Time
}

type limiterEntry struct {
	l    *rate.Limiter
	seen time.Time
}

func newLoginLimits(perMinute int, now func() time.Time) *loginLimits {
	return &loginLimits{now: now, perMin: perMinute, byIP: map[string]*limiterEntry{}, byEmail: map[string]*limiterEntry{}}
}

// allow reports whether another attempt from ip for email may go ahead.
// Addresses get perMin attempts a minute (with that burst); accounts get
// perMin attempts a quarter hour.
func (l *loginLimits) allow(ip, email string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.lastSwep) > 10*time.Minute {
		for _, m := range []map[string]*limiterEntry{l.byIP, l.byEmail} {
			for k, e := range m {
				if now.Sub(e.seen) > time.Hour {
					delete(m, k)
				}
			}
		}
		l.lastSwep = now
	}
	get := func(m map[string]*limiterEntry, key string, every time.Duration) *rate.Limiter {
		e := m[key]
		if e == nil {
			e = &limiterEntry{l: rate.NewLimiter(rate.Every(every/time.Duration(l.perMin)), l.perMin)}
			m[key] = e
		}
		e.seen = now
		return e.l
	}
	ipOK := get(l.byIP, ip, time.Minute).AllowN(now, 1)
	emailOK := get(l.byEmail, strings.ToLower(strings.TrimSpace(email)), 15*time.Minute).AllowN(now, 1)
	return ipOK && emailOK
}

// keyLimits allows n events a period per key (a client address), with a
// burst of n; keys unseen for a day are forgotten.
type keyLimits struct {
	mu     sync.Mutex
	now    func() time.Time
	n      int
	period time.Duration
	byKey  map[string]*limiterEntry
	swept  time.Time
}

func newKeyLimits(n int, period time.Duration, now func() time.Time) *keyLimits {
	return &keyLimits{now: now, n: n, period: period, byKey: map[string]*limiterEntry{}}
}

// allow reports whether another event for key may go ahead, and counts it.
func (l *keyLimits) allow(key, kind string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if now.Sub(l.swept) > time.Hour {
		for k, e := range l.byKey {
			if now.Sub(e.seen) > 24*time.Hour {
				delete(l.byKey, k)
			}
		}
		l.swept = now
	}
	k := kind + "\x00" + key
	e := l.byKey[k]
	if e == nil {
		e = &limiterEntry{l: rate.NewLimiter(rate.Every(l.period/time.Duration(l.n)), l.n)}
		l.byKey[k] = e
	}
	e.seen = now
	return e.l.AllowN(now, 1)
}
