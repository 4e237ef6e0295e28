package web

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// FuzzDecodeConcern: whatever body arrives, decoding a concern either
// works, leaving only text the store can hold and a concern that
// Validate either accepts or refuses naming a field, or is an EINVALID
// or EMALFORMED error naming a field; it never panics.
func FuzzDecodeConcern(f *testing.F) {
	for _, s := range []string{
		`{}`, ``, `{"category":"self_harm","description":"x","immediate_action":"y","safe_now":"yes"}`, `{"category":1}`,
		`{"safe_now":["yes"]}`, `{"description":"a\u0000b"}`, "{\"description\":\"\xff\"}", `{"category":"other","extra":true}`,
		`{"category":"other"} {"category":"other"}`, `{"description":` + strings.Repeat("[", 100),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/cases/x/concerns", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var in concernIn
		err := decodeJSON(httptest.NewRecorder(), r, &in)
		if err != nil {
			if code := linkwork.ErrorCode(err); (code != linkwork.EINVALID && code != linkwork.EMALFORMED) || len(linkwork.ErrorFields(err)) == 0 {
				t.Fatalf("body %q: error %v names no field", body, err)
			}
			return
		}
		if s, ok := badString(reflect.ValueOf(in)); ok {
			t.Fatalf("body %q decoded with %q in it", body, s)
		}
		c := linkwork.Concern{CaseID: "x", Category: in.Category, Description: in.Description, ImmediateAction: in.ImmediateAction, SafeNow: in.SafeNow}
		if err := c.Normalised().Validate(); err != nil && len(linkwork.ErrorFields(err)) == 0 {
			t.Fatalf("body %q: the concern is refused naming no field: %v", body, err)
		}
	})
}
