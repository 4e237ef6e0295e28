package web

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzCanonicalBody: any body has a canonical form without panicking; the
// canonical form of JSON is JSON meaning the same and is its own canonical
// form, so a request sent again however laid out matches itself.
func FuzzCanonicalBody(f *testing.F) {
	for _, s := range []string{`{}`, ``, `{"b":1,"a":[2,{"d":null,"c":"x"}]}`, ` { "a" : 1.50 } `, `{"a":1} {"a":2}`, `[`, `"\ud800"`, `1e400`, `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c := canonicalBody(body)
		if !json.Valid(body) {
			return
		}
		if !json.Valid(c) {
			t.Fatalf("%q: canonical form %q is not JSON", body, c)
		}
		if again := canonicalBody(c); !bytes.Equal(again, c) {
			t.Fatalf("%q: canonical %q, then %q", body, c, again)
		}
		if bodyHash(body) != bodyHash(c) {
			t.Fatalf("%q and its canonical form %q hash differently", body, c)
		}
	})
}
