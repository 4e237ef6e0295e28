package linkwork_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// FuzzValidateIdempotencyKey: a key is accepted exactly when it is 1 to 255
// printable ASCII characters; a refusal is EINVALID naming the header.
func FuzzValidateIdempotencyKey(f *testing.F) {
	for _, s := range []string{"3f2b7c1e-8a4d-4e2b-9c61-0d5f2a7b9e10", "", " ", "a\x00b", "clé", "\x7f", strings.Repeat("k", 255), strings.Repeat("k", 256)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		want := len(key) >= 1 && len(key) <= 255
		for i := 0; i < len(key); i++ {
			want = want && key[i] >= ' ' && key[i] <= '~'
		}
		err := linkwork.ValidateIdempotencyKey(key)
		if (err == nil) != want {
			t.Fatalf("%q: accepted %v, want %v", key, err == nil, want)
		}
		if err != nil {
			fs := linkwork.ErrorFields(err)
			if linkwork.ErrorCode(err) != linkwork.EINVALID || len(fs) != 1 || fs[0].Field != linkwork.IdempotencyKeyHeader || fs[0].Message == "" {
				t.Fatalf("%q: %v does not name the header", key, err)
			}
		}
	})
}
