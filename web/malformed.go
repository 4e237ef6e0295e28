package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	linkwork "github.com/linkwork/linkwork"
)

// Text that no door accepts. A zero byte, or bytes that are not UTF-8,
// cannot be stored (PostgreSQL refuses both), shown or searched for, so
// every route refuses a request holding them in a path value, a query
// parameter or a form field before its handler runs (checkRequestText),
// and every JSON body is checked as it is decoded (checkJSONText). The
// answer is 400 with the code malformed, naming the field; the services
// check the same again (linkwork.Problems.Text), for the doors that are
// not HTTP.

// malformed is the error for a field of a request that holds text no door
// accepts.
func malformed(field string) error {
	return &linkwork.Error{Code: linkwork.EMALFORMED,
		Message: "There is a problem: " + field + " holds a character that cannot be read (a zero byte, or bytes that are not UTF-8); remove it and send the request again",
		Fields:  []linkwork.FieldError{{Field: field, Message: linkwork.BadTextMessage}}}
}

// checkRequestText returns a malformed error naming the first path value
// of pattern, query parameter or (with form) form field that is not
// linkwork.ValidText, and nil when every one is fine. A form that cannot
// be read at all is malformed too, naming body.
func checkRequestText(r *http.Request, pattern string, form bool) error {
	for _, name := range patternWildcards(pattern) {
		if !linkwork.ValidText(r.PathValue(name)) {
			return malformed(name)
		}
	}
	if err := checkValues(r.URL.Query()); err != nil {
		return err
	}
	if !form {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return &linkwork.Error{Code: linkwork.EMALFORMED, Message: "The form could not be read; go back and send it again",
			Fields: []linkwork.FieldError{{Field: "body", Message: "The form could not be read"}}, Err: err}
	}
	return checkValues(r.PostForm)
}

// checkValues names the first key or value that is not valid text.
func checkValues(vs map[string][]string) error {
	for k, list := range vs {
		if !linkwork.ValidText(k) {
			return malformed(strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", ""), "?"))
		}
		for _, v := range list {
			if !linkwork.ValidText(v) {
				return malformed(k)
			}
		}
	}
	return nil
}

// patternWildcards returns the names of a route pattern's wildcards:
// "id" for "/referrals/{id}/decision".
func patternWildcards(pattern string) []string {
	var out []string
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(pattern[i:], '}')
		if j < 0 {
			return out
		}
		name := strings.TrimSuffix(pattern[i+1:i+j], "...")
		if name != "$" {
			out = append(out, name)
		}
		pattern = pattern[i+j+1:]
	}
}

// checkJSONText returns a malformed error naming, by its dotted path
// (person.given_name, locations[0].name), the first string of a JSON body
// that is not valid text: bytes that are not UTF-8 (which encoding/json
// would quietly turn into U+FFFD), or a \u0000 (which it would decode to a
// zero byte). body must be JSON that decodes.
func checkJSONText(body []byte) error {
	type frame struct {
		object  bool
		key     string
		index   int
		wantKey bool
	}
	var stack []*frame
	path := func(last string) string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			}
		}
		if last != "" {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(last)
		}
		if b.Len() == 0 {
			return "body"
		}
		return b.String()
	}
	begin := func() {
		if n := len(stack); n > 0 && !stack[n-1].object {
			stack[n-1].index++
		}
	}
	end := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var prev int64
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			// Not JSON after all: the decoder has said so already.
			return nil
		}
		raw := body[prev:dec.InputOffset()]
		prev = dec.InputOffset()
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				begin()
				stack = append(stack, &frame{object: t == '{', index: -1, wantKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				end()
			}
		case string:
			bad := !utf8.Valid(raw) || !linkwork.ValidText(t)
			if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
				f := stack[n-1]
				f.key, f.wantKey = strings.ToValidUTF8(strings.ReplaceAll(t, "\x00", ""), "?"), false
				if bad {
					return malformed(path(""))
				}
				continue
			}
			begin()
			if bad {
				return malformed(path(""))
			}
			end()
		default:
			begin()
			end()
		}
	}
}
