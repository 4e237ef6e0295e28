package web

import (
	"fmt"
	"testing"
	"time"
)

// testClock is a clock that moves only when told.
type testClock struct{ t time.Time }

func (c *testClock) now() time.Time          { return c.t }
func (c *testClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestSignInLimits(t *testing.T) {
	const owner, stranger = "198.51.100.7", "203.0.113.9"
	const account = "sam@example.org"
	tries := func(l *loginLimits, ip, email string, n int) (allowed int) {
		for range n {
			if l.allow(ip, email) {
				allowed++
			}
		}
		return allowed
	}
	for _, tt := range []struct {
		name string
		test func(t *testing.T, l *loginLimits, c *testClock)
	}{
		{"one address gets ten tries at one account, then one each 90 seconds", func(t *testing.T, l *loginLimits, c *testClock) {
			if got := tries(l, stranger, account, 50); got != 10 {
				t.Fatalf("%d of 50 quick tries allowed, want 10", got)
			}
			c.advance(89 * time.Second)
			if l.allow(stranger, account) {
				t.Fatal("a try after 89 seconds was allowed")
			}
			c.advance(time.Second)
			if got := tries(l, stranger, account, 5); got != 1 {
				t.Fatalf("%d tries allowed after 90 seconds, want 1", got)
			}
		}},
		{"a stranger's guesses from another address never stop the owner", func(t *testing.T, l *loginLimits, c *testClock) {
			for range 12 { // an hour of hammering, a thousand tries a minute
				tries(l, stranger, account, 5000)
				if !l.allow(owner, account) {
					t.Fatal("the owner was refused while a stranger guessed from another address")
				}
				c.advance(5 * time.Minute)
			}
		}},
		{"one address trying many accounts is slowed to ten a minute", func(t *testing.T, l *loginLimits, c *testClock) {
			allowed := 0
			for i := range 30 {
				if l.allow(stranger, fmt.Sprintf("user%d@example.org", i)) {
					allowed++
				}
			}
			if allowed != 10 {
				t.Fatalf("%d of 30 accounts tried, want 10", allowed)
			}
			c.advance(time.Minute)
			if !l.allow(stranger, "another@example.org") {
				t.Fatal("the address was still refused a minute later")
			}
		}},
		{"guessing spread over many addresses is capped per account", func(t *testing.T, l *loginLimits, c *testClock) {
			allowed := 0
			for i := range 100 {
				allowed += tries(l, fmt.Sprintf("192.0.2.%d", i), account, 10)
			}
			if allowed != 600 {
				t.Fatalf("%d of 1000 tries from 100 addresses allowed, want 600 an hour", allowed)
			}
			c.advance(6 * time.Second) // 600 an hour is one each 6 s
			if got := tries(l, "192.0.2.200", account, 5); got != 1 {
				t.Fatalf("%d tries allowed 6 s later, want 1", got)
			}
		}},
		{"the account name is matched whatever its case and spaces", func(t *testing.T, l *loginLimits, c *testClock) {
			tries(l, stranger, account, 10)
			if l.allow(stranger, " SAM@Example.org ") {
				t.Fatal("a different spelling of the same account got more tries")
			}
		}},
		{"buckets that have filled again are forgotten", func(t *testing.T, l *loginLimits, c *testClock) {
			tries(l, stranger, account, 20)
			c.advance(time.Hour)
			l.allow(owner, "other@example.org")
			if len(l.byPair) != 1 || len(l.byIP) != 1 || len(l.byAccount) != 1 {
				t.Fatalf("remembered %d pairs, %d addresses, %d accounts; want only the last try's", len(l.byPair), len(l.byIP), len(l.byAccount))
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := &testClock{t: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
			tt.test(t, newLoginLimits(10, c.now), c)
		})
	}
}
