package web_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/web"
)

func TestMetricsAreForMonitoringOnly(t *testing.T) {
	f := sqliteFixture(t)
	const metricsToken = "a-long-random-metrics-token-0123456789"
	withToken, err := web.New(web.Config{MetricsToken: metricsToken, Logger: quietLogger()}, f.services)
	if err != nil {
		t.Fatal(err)
	}
	// A request to count, with a token in its path that must not show.
	f.do(nil, "GET", "/verify/SecretLinkToken123", "", "", nil)
	get := func(h http.Handler, header map[string]string) (int, string) {
		r := httptest.NewRequest("GET", "/metrics", nil)
		for k, v := range header {
			r.Header.Set(k, v)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		b, _ := io.ReadAll(w.Result().Body)
		return w.Code, string(b)
	}
	userToken := map[string]string{"Authorization": "Bearer " + f.tokens[linkwork.RoleAdmin]}
	for _, tt := range []struct {
		name    string
		handler http.Handler
		header  map[string]string
		status  int
	}{
		{"the main server, by default, to anyone", f.srv, nil, http.StatusNotFound},
		{"the main server, by default, to an administrator's API token", f.srv, userToken, http.StatusNotFound},
		{"the main server with a metrics token, to a request without it", withToken, nil, http.StatusUnauthorized},
		{"the main server with a metrics token, to an administrator's API token", withToken, userToken, http.StatusUnauthorized},
		{"the main server with a metrics token, to a wrong one", withToken, map[string]string{"Authorization": "Bearer " + metricsToken + "x"}, http.StatusUnauthorized},
		{"the main server with a metrics token, to the token", withToken, map[string]string{"Authorization": "Bearer " + metricsToken}, http.StatusOK},
		{"the metrics listener", f.srv.MetricsHandler(), nil, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(tt.handler, tt.header)
			if status != tt.status {
				t.Fatalf("status %d, want %d", status, tt.status)
			}
			if status == http.StatusOK && !strings.Contains(body, "linkwork_http_requests_total") {
				t.Fatalf("no metrics in:\n%s", body)
			}
			if status != http.StatusOK && strings.Contains(body, "linkwork_http_requests_total") {
				t.Fatal("metrics served anyway")
			}
		})
	}
	_, body := get(f.srv.MetricsHandler(), nil)
	if !strings.Contains(body, `route="/verify/{token}"`) || strings.Contains(body, "SecretLinkToken123") {
		t.Errorf("the metrics should count routes, never paths:\n%s", body)
	}
}
