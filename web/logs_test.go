package web_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/web"
)

// logBuffer is a log that tests read back.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// brokenListings is a listing service whose verification links fail: with
// an internal error, or by panicking.
type brokenListings struct {
	linkwork.ListingService
	panics bool
}

func (b brokenListings) FindVerification(ctx context.Context, token string) (*linkwork.Verification, error) {
	if b.panics {
		panic("the listings store fell over")
	}
	return nil, linkwork.Internal(errors.New("the listings store fell over"))
}

func TestLogsNameTheRouteNeverATokenInThePath(t *testing.T) {
	f := sqliteFixture(t)
	const token = "Zq8sT0kenThatMustNeverBeLogged"
	for _, tt := range []struct {
		name     string
		listings linkwork.ListingService
		path     string
		route    string
		status   int
	}{
		{"a page a verification link opens", f.services.Listings, "/verify/" + token + "/change", "/verify/{token}/change", http.StatusNotFound},
		{"the API a verification link opens", f.services.Listings, "/api/v1/verify/" + token, "/api/v1/verify/{token}", http.StatusNotFound},
		{"a path no route serves", f.services.Listings, "/verify/" + token + "/nonsense", "/", http.StatusNotFound},
		{"an internal error on a link's page", brokenListings{ListingService: f.services.Listings}, "/verify/" + token, "/verify/{token}", http.StatusInternalServerError},
		{"a panic on a link's page", brokenListings{ListingService: f.services.Listings, panics: true}, "/verify/" + token + "/change", "/verify/{token}/change", http.StatusInternalServerError},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var log logBuffer
			svc := f.services
			svc.Listings = tt.listings
			srv, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(&log, nil))}, svc)
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest("GET", tt.path, nil))
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			got := log.String()
			if strings.Contains(got, token) {
				t.Fatalf("the log holds the token:\n%s", got)
			}
			if !strings.Contains(got, "route="+tt.route+" ") {
				t.Fatalf("the log does not name the route %s:\n%s", tt.route, got)
			}
		})
	}
}
