package web

import (
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// loginLimits slows down password guessing without handing a stranger a
// way to lock the owner of an account out. Each attempt to sign in (or to
// give the current password) spends a token from three buckets, and goes
// ahead only when all three have one:
//
//   - the address and account together: perMin at once, then perMin a
//     quarter of an hour (one each 90 s at the default 10). This is what
//     slows guessing at one account from one place.
//   - the address: perMin a minute, at once or spread out. This slows one
//     place trying many accounts.
//   - the account, from every address together: perMin×60 an hour (600 at
//     the default). This caps guessing spread over many addresses, and is
//     high enough that nobody without hundreds of addresses' worth of
//     allowance can use it up.
//
// An attempt one bucket refuses spends nothing from the others, so a
// stranger hammering from one address only ever blocks that address and
// account pair, never the owner signing in from theirs.
//
// Limits live in each server's memory; behind several servers, the proxy
// should limit too, and clientIP is then the proxy's address.
type loginLimits struct {
	mu        sync.Mutex
	now       func() time.Time
	perMin    int
	byPair    map[string]*limiterEntry
	byIP      map[string]*limiterEntry
	byAccount map[string]*limiterEntry
	lastSwept time.Time
}

type limiterEntry struct {
	l    *rate.Limiter
	seen time.Time
}

// accountLimitFactor is how many times perMin one account may be tried in
// an hour from every address together.
const accountLimitFactor = 60

func newLoginLimits(perMinute int, now func() time.Time) *loginLimits {
	return &loginLimits{now: now, perMin: perMinute,
		byPair: map[string]*limiterEntry{}, byIP: map[string]*limiterEntry{}, byAccount: map[string]*limiterEntry{}}
}

// allow reports whether another attempt from ip for the account named by
// email may go ahead, and if so counts it against all three limits.
func (l *loginLimits) allow(ip, email string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	account := strings.ToLower(strings.TrimSpace(email))
	get := func(m map[string]*limiterEntry, key string, n int, per time.Duration) *rate.Limiter {
		e := m[key]
		if e == nil {
			e = &limiterEntry{l: rate.NewLimiter(rate.Every(per/time.Duration(n)), n)}
			m[key] = e
		}
		e.seen = now
		return e.l
	}
	buckets := []*rate.Limiter{
		get(l.byPair, ip+"\x00"+account, l.perMin, 15*time.Minute),
		get(l.byIP, ip, l.perMin, time.Minute),
		get(l.byAccount, account, l.perMin*accountLimitFactor, time.Hour),
	}
	for _, b := range buckets {
		if b.TokensAt(now) < 1 {
			return false
		}
	}
	for _, b := range buckets {
		b.AllowN(now, 1)
	}
	return true
}

// sweep forgets, every ten minutes, the buckets that have filled up again:
// they hold nothing a new bucket would not.
func (l *loginLimits) sweep(now time.Time) {
	if now.Sub(l.lastSwept) < 10*time.Minute {
		return
	}
	for _, m := range []map[string]*limiterEntry{l.byPair, l.byIP, l.byAccount} {
		for k, e := range m {
			if e.l.TokensAt(now) >= float64(e.l.Burst()) {
				delete(m, k)
			}
		}
	}
	l.lastSwept = now
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
