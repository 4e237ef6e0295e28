package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// FuzzDecodeJSON: whatever body arrives, decoding a referral either works
// or is an EINVALID error that names at least one field; it never panics.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, ``, `{"person":{"bogus":1}}`, `{"consent_referral":"yes"}`, `{"person":{"guardians":[{"x":1}]}}`,
		`[1,2]`, `{"reasons":"a"} {"reasons":"b"}`, `{"person":{"date_of_birth":12}}`, `{"pathway":` + strings.Repeat("[", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/referrals", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var in referralIn
		err := decodeJSON(httptest.NewRecorder(), r, &in)
		if err == nil {
			return
		}
		if linkwork.ErrorCode(err) != linkwork.EINVALID || len(linkwork.ErrorFields(err)) == 0 {
			t.Fatalf("body %q: error %v names no field", body, err)
		}
	})
}
