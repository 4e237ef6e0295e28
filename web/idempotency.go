package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	linkwork "github.com/linkwork/linkwork"
)

// ReplayedHeader marks an answer sent again for a request's
// Idempotency-Key: the first request's status, Location and body.
const ReplayedHeader = "Idempotent-Replayed"

// idempotent makes a creating API route honour the Idempotency-Key header:
// the first request with a key is done and its successful answer kept for a
// day; the same request sent again with the key gets that answer again,
// marked Idempotent-Replayed: true, and creates nothing more. The rules
// (who a key belongs to, a key reused with another body, a request still in
// flight) are the IdempotencyService's. Requests without the header are
// untouched.
func (s *Server) idempotent(h http.HandlerFunc) http.HandlerFunc {
	return s.withIdempotency(h, false)
}

// idempotentSecret is idempotent for a route whose answer holds a secret
// (a new API token): the answer is not kept, so sending the request again
// with its key is refused (409) instead of making a second one.
func (s *Server) idempotentSecret(h http.HandlerFunc) http.HandlerFunc {
	return s.withIdempotency(h, true)
}

func (s *Server) withIdempotency(h http.HandlerFunc, secret bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		keys := r.Header.Values(linkwork.IdempotencyKeyHeader)
		if len(keys) == 0 || s.svc.Idempotency == nil {
			h(w, r)
			return
		}
		if len(keys) > 1 {
			s.fail(w, r, true, &linkwork.Error{Code: linkwork.EINVALID, Message: "There is a problem: send the Idempotency-Key header once",
				Fields: []linkwork.FieldError{{Field: linkwork.IdempotencyKeyHeader, Message: fmt.Sprintf("was sent %d times; send it once", len(keys))}}})
			return
		}
		if err := linkwork.ValidateIdempotencyKey(keys[0]); err != nil {
			s.fail(w, r, true, err)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				s.fail(w, r, true, bodyError(fmt.Sprintf("is larger than %d bytes", maxBody)))
				return
			}
			s.fail(w, r, true, bodyError("could not be read"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		req := linkwork.IdempotentRequest{Key: keys[0], Route: r.Method + " " + r.URL.Path, BodyHash: bodyHash(body), Address: clientIP(r)}
		claim, err := s.svc.Idempotency.BeginRequest(r.Context(), req)
		if err != nil {
			s.fail(w, r, true, err)
			return
		}
		if a := claim.Replay; a != nil {
			hd := w.Header()
			if a.ContentType != "" {
				hd.Set("Content-Type", a.ContentType)
			}
			if a.Location != "" {
				hd.Set("Location", a.Location)
			}
			hd.Set(ReplayedHeader, "true")
			w.WriteHeader(a.Status)
			w.Write(a.Body)
			return
		}
		// The key is settled even when the caller has gone: the work is
		// done, and its answer is what a retry should get.
		ctx := context.WithoutCancel(r.Context())
		rec := &answerRecorder{header: w.Header()}
		func() {
			defer func() {
				if v := recover(); v != nil {
					// A panic answers 500 (see recoverer), which is
					// not kept: the key is freed for the request to be
					// sent again.
					if err := s.svc.Idempotency.ReleaseRequest(ctx, req); err != nil {
						s.cfg.Logger.Warn("idempotency key: not released", "route", req.Route, "err", err)
					}
					panic(v)
				}
			}()
			h(rec, r)
		}()
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		if rec.status >= 200 && rec.status <= 299 {
			a := linkwork.StoredAnswer{Status: rec.status, Location: w.Header().Get("Location"), ContentType: w.Header().Get("Content-Type"), Body: rec.body.Bytes(), Secret: secret}
			if err := s.svc.Idempotency.FinishRequest(ctx, req, a); err != nil {
				s.cfg.Logger.Warn("idempotency key: the answer was not kept", "route", req.Route, "err", err)
			}
		} else if err := s.svc.Idempotency.ReleaseRequest(ctx, req); err != nil {
			s.cfg.Logger.Warn("idempotency key: not released", "route", req.Route, "err", err)
		}
		w.WriteHeader(rec.status)
		w.Write(rec.body.Bytes())
	}
}

// answerRecorder holds a handler's answer so that it can be kept before
// it is sent. Headers go straight to the real response.
type answerRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (a *answerRecorder) Header() http.Header { return a.header }

func (a *answerRecorder) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

func (a *answerRecorder) Write(b []byte) (int, error) {
	if a.status == 0 {
		a.status = http.StatusOK
	}
	return a.body.Write(b)
}

// bodyHash is the hex SHA-256 of a request body in canonical form.
func bodyHash(body []byte) string {
	sum := sha256.Sum256(canonicalBody(body))
	return hex.EncodeToString(sum[:])
}

// canonicalBody returns a JSON body with its object keys sorted and no
// spaces, numbers as written, so that the same request sent again matches
// however a client laid it out. A body that is not one JSON value is
// returned as it is.
func canonicalBody(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return body
	}
	if _, err := dec.Token(); err != io.EOF {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}
