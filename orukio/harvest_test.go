package orukio_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/linkwork/linkwork/orukio"
)

const oneService = `[{"id": "svc-1", "name": "Health walks", "status": "active", "service_areas": [{"id": "a", "name": "Leeds"}]}]`

func TestFetchFeed(t *testing.T) {
	var gotETag, gotSince string
	mux := http.NewServeMux()
	mux.HandleFunc("/doc", func(w http.ResponseWriter, r *http.Request) {
		gotETag, gotSince = r.Header.Get("If-None-Match"), r.Header.Get("If-Modified-Since")
		if gotETag == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Last-Modified", "Sun, 06 Dec 2026 10:00:00 GMT")
		fmt.Fprint(w, oneService)
	})
	mux.HandleFunc("/api", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{"version": "3.0"}`) })
	mux.HandleFunc("/api/services", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"total_items": 1, "total_pages": 1, "page_number": 1, "size": 1, "first_page": true, "last_page": true, "empty": false, "contents": [{"id": "svc-1", "name": "Health walks", "status": "active"}]}`)
	})
	mux.HandleFunc("/api/services/svc-1", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, strings.Trim(oneService, "[]")) })
	mux.HandleFunc("/to-file", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c := orukio.NewFeedClient(5 * time.Second)

	t.Run("a document: read whole, with its ETag and Last-Modified", func(t *testing.T) {
		got, err := orukio.FetchFeed(t.Context(), c, srv.URL+"/doc", "", "", 0)
		if err != nil || got.NotModified || len(got.Services) != 1 || got.ETag != `"v1"` || got.LastModified == "" {
			t.Fatalf("%+v %v", got, err)
		}
	})
	t.Run("asked with its ETag and date, the feed answers nothing changed", func(t *testing.T) {
		got, err := orukio.FetchFeed(t.Context(), c, srv.URL+"/doc", `"v1"`, "Sun, 06 Dec 2026 10:00:00 GMT", 0)
		if err != nil || !got.NotModified || len(got.Services) != 0 || gotSince == "" {
			t.Fatalf("%+v %v (If-Modified-Since %q)", got, err, gotSince)
		}
	})
	t.Run("an ORUK API is crawled page by page", func(t *testing.T) {
		got, err := orukio.FetchFeed(t.Context(), c, srv.URL+"/api", "", "", 0)
		if err != nil || len(got.Services) != 1 || got.Services[0].Name != "Health walks" {
			t.Fatalf("%+v %v", got, err)
		}
	})
	for _, tt := range []struct {
		name, path string
		max        int64
		timeout    time.Duration
		want       string
	}{
		{"larger than the limit", "/doc", 20, 5 * time.Second, "larger than"},
		{"a redirect to a file", "/to-file", 0, 5 * time.Second, "only http and https"},
		{"a feed that does not answer in time", "/slow", 0, 200 * time.Millisecond, "did not answer in time"},
		{"not found", "/missing", 0, 5 * time.Second, "404"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := orukio.FetchFeed(t.Context(), orukio.NewFeedClient(tt.timeout), srv.URL+tt.path, "", "", tt.max)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an error saying %q", err, tt.want)
			}
		})
	}
	t.Run("a scheme other than http and https is never fetched", func(t *testing.T) {
		if _, err := orukio.FetchFeed(t.Context(), c, "file:///etc/passwd", "", "", 0); err == nil {
			t.Error("a file: address was fetched")
		}
	})
}
