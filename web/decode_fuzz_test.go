package web

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	linkwork "github.com/linkwork/linkwork"
)

// FuzzDecodeJSON: whatever body arrives, decoding a referral either works,
// leaving only text the store can hold (no zero byte, nothing that is not
// UTF-8), or is an EINVALID or EMALFORMED error that names at least one
// field; it never panics.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{
		`{}`, ``, `{"person":{"bogus":1}}`, `{"consent_referral":"yes"}`, `{"person":{"guardians":[{"x":1}]}}`,
		`[1,2]`, `{"reasons":"a"} {"reasons":"b"}`, `{"person":{"date_of_birth":12}}`, `{"pathway":` + strings.Repeat("[", 100),
		`{"reasons":"a\u0000b"}`, "{\"reasons\":\"\xff\"}", `{"person":{"guardians":[{"name":"x"},{"name":"\u0000"}]}}`,
		"{\"re\xffasons\":\"a\"}", `{"reasons":"\ud800"}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/referrals", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var in referralIn
		err := decodeJSON(httptest.NewRecorder(), r, &in)
		if err == nil {
			if s, ok := badString(reflect.ValueOf(in)); ok {
				t.Fatalf("body %q decoded with %q in it", body, s)
			}
			return
		}
		if code := linkwork.ErrorCode(err); (code != linkwork.EINVALID && code != linkwork.EMALFORMED) || len(linkwork.ErrorFields(err)) == 0 {
			t.Fatalf("body %q: error %v names no field", body, err)
		}
	})
}

// badString finds a string in v that is not linkwork.ValidText.
func badString(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return v.String(), !linkwork.ValidText(v.String())
	case reflect.Pointer:
		if !v.IsNil() {
			return badString(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if s, ok := badString(v.Field(i)); ok {
				return s, ok
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			if s, ok := badString(v.Index(i)); ok {
				return s, ok
			}
		}
	}
	return "", false
}

// FuzzCheckJSONText: for any JSON body, the text check names one field
// exactly when a string in it (a key or a value) is not valid text as
// sent: bytes that are not UTF-8, or a \u0000; it never panics.
func FuzzCheckJSONText(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":["x","\u0000"]}`, "{\"a\":{\"b\":\"\xc3\"}}", `[{"a":1},{"b":"\u0000"}]`, `"x"`, `{"a":[[],[{}],"ok"]}`, `{"a":"\u0000","a":"x"}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		if !json.Valid([]byte(body)) {
			return
		}
		err := checkJSONText([]byte(body))
		if err != nil && (linkwork.ErrorCode(err) != linkwork.EMALFORMED || len(linkwork.ErrorFields(err)) != 1 || linkwork.ErrorFields(err)[0].Field == "") {
			t.Fatalf("body %q: %v", body, err)
		}
		if want := !utf8.ValidString(body) || decodesNUL(body); (err != nil) != want {
			t.Fatalf("body %q: error %v, want one %v", body, err, want)
		}
	})
}

// decodesNUL reports whether a string of a JSON body decodes to one
// holding a zero byte.
func decodesNUL(body string) bool {
	dec := json.NewDecoder(strings.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if s, ok := tok.(string); ok && strings.Contains(s, "\x00") {
			return true
		}
	}
}
