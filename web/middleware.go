package web

import (
	"context"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "linkwork_session"

type userKey struct{}

// currentUser returns the signed-in user of the request, or nil.
func currentUser(r *http.Request) *linkwork.User {
	u, _ := r.Context().Value(userKey{}).(*linkwork.User)
	return u
}

// authenticate finds the user from an API bearer token or the session
// cookie and puts them, and their actor, in the request's context. A bad
// bearer token is refused outright; a stale session cookie is cleared and
// the request goes on anonymously.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The metrics token is not a user's: /metrics checks it itself.
		if strings.HasPrefix(r.URL.Path, "/static/") || (r.URL.Path == "/metrics" && s.cfg.MetricsToken != "") {
			next.ServeHTTP(w, r)
			return
		}
		var u *linkwork.User
		if h := r.Header.Get("Authorization"); h != "" {
			scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") {
				s.fail(w, r, true, linkwork.Errorf(linkwork.EUNAUTHORIZED, "The Authorization header must be \"Bearer\" followed by an API token"))
				return
			}
			var err error
			if u, err = s.svc.Auth.TokenUser(r.Context(), strings.TrimSpace(token)); err != nil {
				s.fail(w, r, true, err)
				return
			}
		} else if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			if u, err = s.svc.Auth.SessionUser(r.Context(), c.Value); err != nil {
				if linkwork.ErrorCode(err) != linkwork.EUNAUTHORIZED {
					s.fail(w, r, isAPI(r), err)
					return
				}
				s.clearSessionCookie(w)
				u = nil
			}
		}
		if u != nil {
			ctx := context.WithValue(r.Context(), userKey{}, u)
			ctx = linkwork.NewContext(ctx, u.Actor())
			r = r.WithContext(ctx)
		}
		next.ServeHTTP(w, r)
	})
}

func (s *Server) setSessionCookie(w http.ResponseWriter, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", Expires: expires,
		HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode,
	})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.cfg.SecureCookies, SameSite: http.SameSiteLaxMode})
}

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// crossOrigin refuses state-changing requests a browser sends from another
// site (CSRF), using the browser's Sec-Fetch-Site and Origin headers.
func (s *Server) crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isORUK(r) {
			// Open to any origin (orukCORS has said so), and read-only.
			orukError(w, http.StatusForbidden, linkwork.EFORBIDDEN, "", "A browser sent this "+r.Method+" from another website, so it was refused. The Open Referral UK endpoints are read-only: use GET.")
			return
		}
		if isAPI(r) {
			s.fail(w, r, true, linkwork.Errorf(linkwork.EFORBIDDEN, "A browser sent this request from another website, so it was refused. Call the API from a server, or from linkwork's own pages."))
			return
		}
		s.fail(w, r, false, linkwork.Errorf(linkwork.EFORBIDDEN, "This form was sent from another website, so it was refused. Go back to linkwork, reload the page and try again."))
	}))
	return cop.Handler(next)
}

// contentSecurityPolicy allows our own scripts and styles only: no inline
// script, no third parties, no framing.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		if s.cfg.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.status, w.wrote = http.StatusOK, true
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one line for each request: the method, the route
// that served it, the status and how long it took.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := s.cfg.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if strings.HasPrefix(r.URL.Path, "/static/") {
			return
		}
		s.cfg.Logger.Info("request", "method", r.Method, "route", s.routeOf(r), "status", sw.status, "ms", s.cfg.Now().Sub(start).Milliseconds())
	})
}

// routeOf returns the pattern of the route that serves r, such as
// "/verify/{token}/change", or "(none)". Logs name routes, never paths: a
// path can carry a secret (a listing's one-time verification link) or a
// person's record id.
func (s *Server) routeOf(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	if _, p, ok := strings.Cut(pattern, " "); ok {
		pattern = p // without the method
	}
	if pattern == "" {
		return "(none)"
	}
	return pattern
}

// recoverer turns a panic in one request into a 500 for that request,
// never the end of the process.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.cfg.Logger.Error("panic", "method", r.Method, "route", s.routeOf(r), "panic", v, "stack", string(debug.Stack()))
				s.fail(w, r, isAPI(r), linkwork.Internal(nil))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// clientIP is the address a request came from (the proxy's address when
// behind one: configure rate limits at the proxy there).
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
