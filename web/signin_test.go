package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/linkwork/linkwork/web"
)

func TestSignInSendsPeopleOnlyToThisSite(t *testing.T) {
	f := sqliteFixture(t)
	// The server's answer itself, not what an HTTP client makes of it.
	send := func(r *http.Request) (int, string) {
		w := httptest.NewRecorder()
		f.srv.ServeHTTP(w, r)
		return w.Code, w.Header().Get("Location")
	}
	for _, tt := range []struct {
		name, next, want string
	}{
		{"a page on this site", "/referrals?mine=true", "/referrals?mine=true"},
		{"a TAB between the slashes", "/\t/evil.example", "/"},
		{"an escaped TAB between the slashes", "/%09/evil.example", "/"},
		{"a backslash", "/\\evil.example", "/"},
		{"escaped slashes", "/%2F%2Fevil.example", "/"},
		{"an escaped backslash", "/%5Cevil.example", "/"},
		{"CR and LF", "/\r\n/evil.example", "/"},
		{"another site", "https://evil.example/", "/"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", "/login?next="+url.QueryEscape(tt.next), nil)
			r.Header.Set("Authorization", "Bearer "+f.tokens["coordinator"])
			if status, loc := send(r); status != http.StatusSeeOther || loc != tt.want {
				t.Errorf("signed in: GET /login?next=%q answers %d to %q, want 303 to %q", tt.next, status, loc, tt.want)
			}
			r = httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"email": {"coordinator@demo.linkwork.test"}, "password": {f.cfg.Password}, "next": {tt.next}}.Encode()))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if status, loc := send(r); status != http.StatusSeeOther || loc != tt.want {
				t.Errorf("signing in with next=%q answers %d to %q, want 303 to %q", tt.next, status, loc, tt.want)
			}
		})
	}
}

func TestAStrangerCannotLockTheOwnerOut(t *testing.T) {
	f := sqliteFixture(t)
	clock := &testClock{t: time.Now()}
	// The server's own limits: the fixture's are raised for other tests.
	srv, err := web.New(web.Config{Now: clock.now, Logger: quietLogger()}, f.services)
	if err != nil {
		t.Fatal(err)
	}
	const email = "coordinator@demo.linkwork.test"
	signIn := func(from, password string) int {
		r := httptest.NewRequest("POST", "/login", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = from + ":40000"
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		return w.Code
	}
	const stranger, owner = "203.0.113.9", "198.51.100.7"
	for i := range 10 {
		if got := signIn(stranger, "a wrong guess 2026"); got != http.StatusUnauthorized {
			t.Fatalf("guess %d: status %d, want 401", i+1, got)
		}
	}
	for range 5 {
		if got := signIn(stranger, "a wrong guess 2026"); got != http.StatusTooManyRequests {
			t.Fatalf("the eleventh quick guess: status %d, want 429", got)
		}
	}
	if got := signIn(owner, f.cfg.Password); got != http.StatusSeeOther {
		t.Fatalf("the owner, from their own address, while the stranger is held back: status %d, want 303 (signed in)", got)
	}
	clock.add(90 * time.Second)
	if got := signIn(stranger, "a wrong guess 2026"); got != http.StatusUnauthorized {
		t.Fatalf("a guess 90 s later: status %d, want 401", got)
	}
	if got := signIn(stranger, "a wrong guess 2026"); got != http.StatusTooManyRequests {
		t.Fatalf("another straight after: status %d, want 429", got)
	}
	if got := signIn(owner, f.cfg.Password); got != http.StatusSeeOther {
		t.Fatalf("the owner again: status %d, want 303", got)
	}
}
