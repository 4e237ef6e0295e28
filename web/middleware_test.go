package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/web"
)

func sqliteFixture(t *testing.T) *fixture {
	return newFixture(t, sqltest.Open(t, "sqlite", sqlstore.Options{}))
}

func TestSecurityHeaders(t *testing.T) {
	f := sqliteFixture(t)
	for _, tt := range []struct {
		name    string
		client  *http.Client
		path    string
		noStore bool
	}{
		{"the public landing page", nil, "/", false},
		{"the sign-in page", nil, "/login", true},
		{"a page with personal data", f.clients[linkwork.RoleLinkWorker], "/referrals", true},
		{"a signed-in home page", f.clients[linkwork.RoleCoordinator], "/", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, _, h := f.do(tt.client, "GET", tt.path, "", "", nil)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			csp := h.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'self'", "script-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("CSP %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") {
				t.Errorf("CSP allows unsafe code: %q", csp)
			}
			if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("X-Frame-Options") != "DENY" || h.Get("Referrer-Policy") == "" {
				t.Errorf("headers %v", h)
			}
			if got := h.Get("Cache-Control") == "no-store"; got != tt.noStore {
				t.Errorf("Cache-Control %q, want no-store %v", h.Get("Cache-Control"), tt.noStore)
			}
		})
	}
}

func TestSessionCookie(t *testing.T) {
	f := sqliteFixture(t)
	resp, err := newClient().PostForm(f.ts.URL+"/login", url.Values{"email": {"coordinator@demo.linkwork.test"}, "password": {f.cfg.Password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	var c *http.Cookie
	for _, x := range resp.Cookies() {
		if x.Name == web.SessionCookie {
			c = x
		}
	}
	if c == nil || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || len(c.Value) < 40 {
		t.Fatalf("session cookie %+v", c)
	}
	t.Run("a stale cookie is cleared and the visitor sent to sign in", func(t *testing.T) {
		status, _, h := f.do(nil, "GET", "/cases", "", "", map[string]string{"Cookie": web.SessionCookie + "=forged"})
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login?next=%2Fcases") {
			t.Fatalf("status %d location %q", status, h.Get("Location"))
		}
		if !strings.Contains(h.Get("Set-Cookie"), web.SessionCookie+"=;") {
			t.Fatalf("cookie not cleared: %q", h.Get("Set-Cookie"))
		}
	})
}

func TestCrossSiteFormsAreRefused(t *testing.T) {
	f := sqliteFixture(t)
	c := f.clients[linkwork.RoleAdmin]
	tests := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"a form from another site", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"an old browser's cross-origin post", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"a form from this site", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusUnprocessableEntity},
		{"a non-browser client", nil, http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := f.do(c, "POST", "/admin/organisations", "application/x-www-form-urlencoded", "name=&kind=", tt.header)
			if status != tt.want {
				t.Fatalf("status %d, want %d", status, tt.want)
			}
			if tt.want == http.StatusForbidden && !strings.Contains(body, "another website") {
				t.Fatalf("the refusal does not say why: %s", body)
			}
		})
	}
	t.Run("the sign-in form is protected too", func(t *testing.T) {
		status, _, _ := f.do(nil, "POST", "/login", "application/x-www-form-urlencoded", "email=a&password=b", map[string]string{"Sec-Fetch-Site": "cross-site"})
		if status != http.StatusForbidden {
			t.Fatalf("status %d", status)
		}
	})
}

func TestSignInErrors(t *testing.T) {
	f := sqliteFixture(t)
	tests := []struct {
		name, email, password string
		status                int
		says                  []string
	}{
		{"a wrong password", "linkworker@demo.linkwork.test", "not the password", http.StatusUnauthorized, []string{"email address or password is not right", `value="linkworker@demo.linkwork.test"`}},
		{"an unknown email", "nobody@demo.linkwork.test", "whatever password", http.StatusUnauthorized, []string{"email address or password is not right"}},
		{"nothing typed", "", "", http.StatusUnprocessableEntity, []string{"Enter your email address", "Enter your password", `href="#email"`, `href="#password"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, _ := f.do(nil, "POST", "/login", "application/x-www-form-urlencoded", url.Values{"email": {tt.email}, "password": {tt.password}}.Encode(), nil)
			if status != tt.status {
				t.Fatalf("status %d, want %d", status, tt.status)
			}
			for _, s := range tt.says {
				if !strings.Contains(body, s) {
					t.Errorf("page does not say %q", s)
				}
			}
			if strings.Contains(body, tt.password) && tt.password != "" {
				t.Error("the page shows the typed password")
			}
		})
	}
	t.Run("the form only sends people to pages on this site", func(t *testing.T) {
		for next, want := range map[string]string{"/cases": "/cases", "//evil.example": "/", "https://evil.example": "/", "/\\evil.example": "/"} {
			status, _, h := f.do(nil, "POST", "/login", "application/x-www-form-urlencoded",
				url.Values{"email": {"linkworker@demo.linkwork.test"}, "password": {f.cfg.Password}, "next": {next}}.Encode(), nil)
			if status != http.StatusSeeOther || h.Get("Location") != want {
				t.Errorf("next=%q: status %d location %q, want %q", next, status, h.Get("Location"), want)
			}
		}
	})
}

func TestSignInIsRateLimited(t *testing.T) {
	db := sqltest.Open(t, "sqlite", sqlstore.Options{})
	f := newFixture(t, db)
	srv, err := web.New(web.Config{LoginPerMinute: 3}, f.services)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	f.ts.Config.Handler = srv
	form := url.Values{"email": {"referrer@demo.linkwork.test"}, "password": {"wrong password"}}.Encode()
	var statuses []int
	for i := 0; i < 5; i++ {
		status, body, _ := f.do(nil, "POST", "/login", "application/x-www-form-urlencoded", form, nil)
		statuses = append(statuses, status)
		if status == http.StatusTooManyRequests && !strings.Contains(body, "Too many attempts") {
			t.Fatalf("the limit does not say so: %s", body)
		}
	}
	if statuses[0] != http.StatusUnauthorized || statuses[4] != http.StatusTooManyRequests {
		t.Fatalf("statuses %v: want wrong passwords then 429", statuses)
	}
	// The right password is limited too while the limit lasts, so guessing
	// cannot tell it apart.
	status, _, _ := f.do(nil, "POST", "/login", "application/x-www-form-urlencoded", url.Values{"email": {"referrer@demo.linkwork.test"}, "password": {f.cfg.Password}}.Encode(), nil)
	if status != http.StatusTooManyRequests {
		t.Fatalf("status %d after the limit", status)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	f := sqliteFixture(t)
	for path, want := range map[string]string{"/healthz": "ok", "/readyz": "ready"} {
		status, body, _ := f.do(nil, "GET", path, "", "", nil)
		if status != http.StatusOK || strings.TrimSpace(body) != want {
			t.Errorf("%s: %d %q", path, status, body)
		}
	}
	f.do(f.clients[linkwork.RoleLinkWorker], "GET", "/referrals", "", "", nil)
	// The metrics listener's handler (see TestMetricsAreForMonitoringOnly).
	mw := httptest.NewRecorder()
	f.srv.MetricsHandler().ServeHTTP(mw, httptest.NewRequest("GET", "/metrics", nil))
	status, body, h := mw.Code, mw.Body.String(), mw.Header()
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Fatalf("metrics %d %s", status, h.Get("Content-Type"))
	}
	for _, want := range []string{`linkwork_http_requests_total{method="GET",route="/referrals",status="200"} 1`, `linkwork_http_request_duration_seconds_count{route="/referrals"} 1`, "linkwork_goroutines"} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	t.Run("not ready when the database is gone", func(t *testing.T) {
		f.db.Close()
		status, _, _ := f.do(nil, "GET", "/readyz", "", "", nil)
		if status != http.StatusServiceUnavailable {
			t.Fatalf("status %d", status)
		}
	})
}

func TestNotFound(t *testing.T) {
	f := sqliteFixture(t)
	status, body, h := f.do(nil, "GET", "/no/such/page", "", "", nil)
	if status != http.StatusNotFound || !strings.Contains(body, "Page not found") || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("page: %d %s", status, h.Get("Content-Type"))
	}
	status, body = f.api(linkwork.RoleAdmin, "GET", "/api/v1/nothing", "")
	if status != http.StatusNotFound || !strings.Contains(body, `"code": "not_found"`) {
		t.Fatalf("api: %d %s", status, body)
	}
	status, _ = f.api(linkwork.RoleLinkWorker, "GET", "/cases/00000000-0000-4000-8000-000000000000", "")
	if status != http.StatusNotFound {
		t.Fatalf("unknown case: %d", status)
	}
}

func TestPostgreSQLIsConfigured(t *testing.T) { sqltest.ReportPostgres(t) }
