package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/web/static"
)

func staticHandler() http.Handler { return static.Handler() }

// healthz answers while the process is alive.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// readyz answers 200 when the database is ready for work (Services.Ready),
// and 503 otherwise, with the reason: an application error's message (it
// is safe to show), else that the database does not answer. The cause is
// logged.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if s.svc.Ready != nil {
		if err := s.svc.Ready(ctx); err != nil {
			s.cfg.Logger.Error("not ready", "err", err)
			why := "the database does not answer"
			var e *linkwork.Error
			if errors.As(err, &e) {
				why = e.Message
			}
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %s\n", why)
			return
		}
	}
	w.Write([]byte("ready\n"))
}

// MetricsHandler serves the Prometheus metrics at GET /metrics, for a
// listener of its own that only the monitoring system can reach. The
// metrics name routes and count requests; they hold no identifiers, but
// they tell an outsider how the service is used, so they are not public.
func (s *Server) MetricsHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", s.metricsPage)
	mux.HandleFunc("/", http.NotFound)
	return mux
}

// metricsByToken serves the metrics to a request bearing the metrics
// token, and answers 401 to any other.
func (s *Server) metricsByToken() http.Handler {
	want := sha256.Sum256([]byte(s.cfg.MetricsToken))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		scheme, token, _ := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
		got := sha256.Sum256([]byte(strings.TrimSpace(token)))
		if !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="linkwork metrics"`)
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, "The metrics need the metrics token: Authorization: Bearer TOKEN", http.StatusUnauthorized)
			return
		}
		s.metricsPage(w, r)
	})
}

// metricsPage writes the Prometheus metrics.
func (s *Server) metricsPage(w http.ResponseWriter, r *http.Request) {
	var b strings.Builder
	s.metrics.write(&b)
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte(b.String()))
}
