package web

import (
	"net/http"

	linkwork "github.com/linkwork/linkwork"
)

// recordReads keeps the audit events of a request's reads (Services.Defer)
// and has them recorded, in one go, just before its response begins: no
// byte of what was read leaves before the trail of reading it is
// durable, and a page that reads ten things waits for the writer once.
// If they cannot be recorded, the response is an error instead.
func (s *Server) recordReads(next http.Handler) http.Handler {
	if s.svc.Defer == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, record := s.svc.Defer(r.Context())
		tw := &trailWriter{ResponseWriter: w}
		tw.record = func() bool {
			err := record(ctx)
			if err == nil {
				return true
			}
			// What the handler meant to send is not sent: the error is,
			// as for a request whose reads failed.
			for _, h := range []string{"Location", "Set-Cookie", "Content-Disposition", "Content-Length"} {
				w.Header().Del(h)
			}
			s.fail(w, r, isAPI(r), &linkwork.Error{Code: linkwork.EINTERNAL, Err: err,
				Message: "Something went wrong on our side: we could not record that this was looked at, so it is not shown. It has been logged; please try again."})
			return false
		}
		next.ServeHTTP(tw, r.WithContext(ctx))
		tw.begin()
	})
}

// trailWriter records a request's reads before the first byte of its
// response (its status line) is sent, and swallows the response when they
// could not be recorded.
type trailWriter struct {
	http.ResponseWriter
	record func() bool
	// begun: the reads have been recorded (or failed to be); failed: they
	// failed, and the error has been sent.
	begun, failed bool
}

// begin records the reads, once.
func (tw *trailWriter) begin() {
	if tw.begun {
		return
	}
	tw.begun = true
	tw.failed = !tw.record()
}

// WriteHeader records the reads, then sends the status.
func (tw *trailWriter) WriteHeader(status int) {
	tw.begin()
	if tw.failed {
		return
	}
	tw.ResponseWriter.WriteHeader(status)
}

// Write records the reads, then sends p.
func (tw *trailWriter) Write(p []byte) (int, error) {
	tw.begin()
	if tw.failed {
		return len(p), nil
	}
	return tw.ResponseWriter.Write(p)
}

// Flush records the reads, then flushes what has been written.
func (tw *trailWriter) Flush() {
	tw.begin()
	if f, ok := tw.ResponseWriter.(http.Flusher); ok && !tw.failed {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the writer underneath.
func (tw *trailWriter) Unwrap() http.ResponseWriter { return tw.ResponseWriter }
