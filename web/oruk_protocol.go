package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// The HTTP protocol of the /oruk endpoints, as other directories' browsers
// and harvesters use it: open to any origin (a preflight OPTIONS answers
// 204, and every answer, refusals included, carries
// Access-Control-Allow-Origin: *); GET, HEAD and OPTIONS only (anything
// else is 405 with Allow, or 403 when a browser sent it from another
// site); every 200 carries an ETag (If-None-Match gets 304) and is
// gzipped for a client that accepts it.

// orukAllow is what the /oruk endpoints allow.
const orukAllow = "GET, HEAD, OPTIONS"

// orukMaxAge is how long, in seconds, a reader may keep an /oruk answer
// before asking again (with If-None-Match, for a 304 when it is unchanged).
const orukMaxAge = "60"

// orukGzipMin is the smallest answer worth compressing, in bytes.
const orukGzipMin = 1024

// isORUK reports whether r is for the /oruk endpoints.
func isORUK(r *http.Request) bool {
	p := r.URL.Path
	return p == "/oruk" || strings.HasPrefix(p, "/oruk/")
}

// orukKnown reports whether r's path is one of the /oruk endpoints,
// whatever its method.
func (s *Server) orukKnown(r *http.Request) bool {
	get := &http.Request{Method: http.MethodGet, URL: r.URL, Host: r.Host, Header: http.Header{}}
	_, pattern := s.mux.Handler(get)
	return strings.HasPrefix(pattern, "GET /oruk")
}

// headerList is a list of header names, as a preflight's
// Access-Control-Request-Headers carries it.
var headerList = regexp.MustCompile(`^[A-Za-z0-9!#$%&'*+.^_|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_|~-]+)*$`)

// orukCORS opens the /oruk endpoints to every origin and answers their
// preflight requests. It runs before the protection against cross-site
// requests, so that a refusal carries the header too.
func (s *Server) orukCORS(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isORUK(r) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Expose-Headers", "ETag")
		if r.Method != http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		if !s.orukKnown(r) {
			orukError(w, http.StatusNotFound, "not_found", "", "There is no Open Referral UK endpoint "+r.URL.Path)
			return
		}
		h.Set("Allow", orukAllow)
		h.Set("Access-Control-Allow-Methods", orukAllow)
		if asked := strings.TrimSpace(r.Header.Get("Access-Control-Request-Headers")); asked != "" && len(asked) <= 1000 && headerList.MatchString(asked) {
			h.Set("Access-Control-Allow-Headers", asked)
		}
		h.Add("Vary", "Access-Control-Request-Headers")
		h.Set("Access-Control-Max-Age", "86400")
		h.Set("Cache-Control", "no-store")
		w.WriteHeader(http.StatusNoContent)
	})
}

// orukMethods refuses, with 405 and Allow, a method the /oruk endpoints do
// not take. It runs after the protection against cross-site requests.
func (s *Server) orukMethods(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !isORUK(r) || r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		if !s.orukKnown(r) {
			orukError(w, http.StatusNotFound, "not_found", "", "There is no Open Referral UK endpoint "+r.URL.Path)
			return
		}
		w.Header().Set("Allow", orukAllow)
		orukError(w, http.StatusMethodNotAllowed, "method_not_allowed", "",
			"The Open Referral UK endpoints are read-only: they take "+orukAllow+", not "+r.Method)
	})
}

// orukJSON answers 200 with v as JSON, or 304 when the reader's
// If-None-Match holds the answer's ETag; gzipped when the reader accepts
// it and it is worth it. The ETag is weak (the same for the plain and
// gzipped answer) and made from the JSON itself, so it changes exactly
// when the answer does.
func orukJSON(w http.ResponseWriter, r *http.Request, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		panic(err) // the /oruk types always encode
	}
	body := buf.Bytes()
	sum := sha256.Sum256(body)
	etag := `W/"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Add("Vary", "Accept-Encoding")
	if h.Get("Cache-Control") == "" { // signed-in readers' answers are never kept
		h.Set("Cache-Control", "public, max-age="+orukMaxAge)
	}
	if etagMatch(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	if len(body) >= orukGzipMin && acceptsGzip(r.Header.Get("Accept-Encoding")) {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		_, _ = zw.Write(body)
		_ = zw.Close()
		body = z.Bytes()
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// etagMatch reports whether an If-None-Match header holds etag, by the
// weak comparison RFC 9110 asks of If-None-Match ("*" holds any).
func etagMatch(header, etag string) bool {
	want := strings.TrimPrefix(etag, "W/")
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" || (t != "" && strings.TrimPrefix(t, "W/") == want) {
			return true
		}
	}
	return false
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip: it
// names gzip (or x-gzip, or *) without q=0.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		switch strings.ToLower(strings.TrimSpace(name)) {
		case "gzip", "x-gzip", "*":
		default:
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil || n < 0 || n > 1 {
					n = 0 // a q that is not a weight does not accept
				}
				q = n
			}
		}
		return q > 0
	}
	return false
}

// orukStream answers 200 with every item next gives, one JSON object a
// line (format=ndjson), gzipped for a reader that accepts it. next is
// called with 0, 1, 2, … for one batch at a time until it gives none; the
// first batch is read before anything is sent, so that a bad request is
// still answered with its error. A failure after that cuts the answer
// short (the reader sees a broken stream, never a complete-looking one).
func (s *Server) orukStream(w http.ResponseWriter, r *http.Request, next func(batch int) ([]any, error)) {
	items, err := next(0)
	if err != nil {
		s.orukFail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/x-ndjson; charset=utf-8")
	h.Add("Vary", "Accept-Encoding")
	if h.Get("Cache-Control") == "" {
		h.Set("Cache-Control", "public, max-age="+orukMaxAge)
	}
	var out io.Writer = w
	var zw *gzip.Writer
	if acceptsGzip(r.Header.Get("Accept-Encoding")) {
		h.Set("Content-Encoding", "gzip")
		zw = gzip.NewWriter(w)
		out = zw
	}
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	enc := json.NewEncoder(out)
	for batch := 0; len(items) > 0; {
		for _, it := range items {
			if err := enc.Encode(it); err != nil {
				return // the reader has gone
			}
		}
		if zw != nil {
			_ = zw.Flush()
		}
		_ = rc.Flush()
		batch++
		if items, err = next(batch); err != nil {
			s.cfg.Logger.Error("oruk stream cut short", "route", s.routeOf(r), "code", linkwork.ErrorCode(err), "err", err)
			panic(http.ErrAbortHandler)
		}
	}
	if zw != nil {
		_ = zw.Close()
	}
}
