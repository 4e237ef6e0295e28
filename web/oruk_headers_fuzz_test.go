package web

import (
	"strings"
	"testing"
)

// FuzzORUKHeaders: whatever Accept-Encoding and If-None-Match a reader
// sends, they are read without a panic; an explicit q=0 never accepts
// gzip, and an If-None-Match holding the ETag always matches it.
func FuzzORUKHeaders(f *testing.F) {
	for _, s := range []string{"gzip", "gzip;q=0", "br, gzip;q=0.5", "*;q=0", "GZIP;Q=1.0", ";;,,", "gzip;q=nan", "x-gzip", `W/"a", "b"`, "*", ""} {
		f.Add(s)
	}
	const etag = `W/"abc"`
	f.Fuzz(func(t *testing.T, h string) {
		_ = acceptsGzip(h)
		_ = etagMatch(h, etag)
		if acceptsGzip(h+", gzip;q=0") && !acceptsGzip(h) {
			t.Fatalf("%q: a refusal added made gzip acceptable", h)
		}
		if !etagMatch(h+", "+etag, etag) || !etagMatch(etag+","+h, etag) {
			t.Fatalf("%q: the ETag in the list does not match", h)
		}
		if !strings.Contains(h, "abc") && !strings.Contains(h, "*") && etagMatch(h, etag) {
			t.Fatalf("%q matches an ETag it does not hold", h)
		}
	})
}
