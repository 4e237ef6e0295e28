package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// maxBody bounds a JSON request body.
const maxBody = 1 << 20

// decodeJSON reads a JSON request body into v, refusing unknown fields,
// and returns EINVALID naming the field at fault, or EMALFORMED naming a
// string that holds a zero byte or bytes that are not UTF-8.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &linkwork.Error{Code: linkwork.EINVALID, Message: "Send the request body as JSON with Content-Type: application/json", Fields: []linkwork.FieldError{{Field: "body", Message: "must be JSON"}}}
	}
	// Read it all: to find where an unknown field sits, and to check its
	// text as sent.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return bodyError(fmt.Sprintf("is larger than %d bytes", maxBody))
	case err != nil:
		return bodyError("could not be read: " + err.Error())
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if dec.More() {
			return bodyError("must hold one JSON object and nothing after it")
		}
		return checkJSONText(body)
	}
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.EOF):
		return bodyError("is empty: send a JSON object")
	case errors.As(err, &syntax):
		return bodyError(fmt.Sprintf("is not valid JSON (at character %d)", syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return bodyError("ends before the JSON is complete")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "body"
		}
		want := jsonKind(typ.Type.Kind().String())
		msg := "must be " + want + ", not " + typ.Value
		if want == "a whole number" && typ.Value == "number" {
			msg = "must be a whole number"
		}
		return &linkwork.Error{Code: linkwork.EINVALID, Message: "There is a problem: " + field + " " + msg,
			Fields: []linkwork.FieldError{{Field: field, Message: msg}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		if path := unknownFieldPath(body, reflect.TypeOf(v), field); path != "" {
			field = path
		}
		return &linkwork.Error{Code: linkwork.EINVALID, Message: "There is a problem: " + field + " is not a field of this request",
			Fields: []linkwork.FieldError{{Field: field, Message: "is not a field of this request"}}}
	}
	return bodyError("could not be read: " + err.Error())
}

func bodyError(msg string) error {
	return &linkwork.Error{Code: linkwork.EINVALID, Message: "There is a problem: the request body " + msg, Fields: []linkwork.FieldError{{Field: "body", Message: msg}}}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "string":
		return "text"
	case "bool":
		return "true or false"
	case "int", "int64":
		return "a whole number"
	case "float64":
		return "a number"
	case "slice":
		return "a list"
	case "struct", "map":
		return "an object"
	}
	return goKind
}

// parseDateField parses an optional ISO date, recording a problem with the
// field.
func parseDateField(p *linkwork.Problems, field, s string) linkwork.Date {
	if strings.TrimSpace(s) == "" {
		return linkwork.Date{}
	}
	d, err := linkwork.ParseDate(strings.TrimSpace(s))
	if err != nil {
		p.Add(field, "must be a date like 2009-04-30")
	}
	return d
}

// listOut is the envelope of every list.
type listOut[T any] struct {
	Items  []T `json:"items"`
	Total  int `json:"total"`
	Offset int `json:"offset"`
	Limit  int `json:"limit"`
}

// assetListOut is a page of a directory search: total_is_at_least says
// that the search stopped counting past linkwork.DirectoryCountUpTo, so
// that at least total match (and more than the page's end, when more
// follow it).
type assetListOut struct {
	Items          []assetJSON `json:"items"`
	Total          int         `json:"total"`
	TotalIsAtLeast bool        `json:"total_is_at_least,omitempty"`
	Offset         int         `json:"offset"`
	Limit          int         `json:"limit"`
}

// listParams reads offset (0 to linkwork.MaxOffset, default 0) and limit
// (1 to linkwork.MaxPageSize, default 50), naming a bad one: any text at
// all is either a page or a clear EINVALID.
func listParams(r *http.Request) (offset, limit int, err error) {
	var p linkwork.Problems
	q := r.URL.Query()
	limit = 50
	if v := q.Get("offset"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 0 || n > linkwork.MaxOffset {
			p.Addf("offset", "must be a whole number from 0 to %d", linkwork.MaxOffset)
		}
		offset = n
	}
	if v := q.Get("limit"); v != "" {
		n, e := strconv.Atoi(v)
		if e != nil || n < 1 || n > linkwork.MaxPageSize {
			p.Addf("limit", "must be a whole number from 1 to %d", linkwork.MaxPageSize)
		}
		limit = n
	}
	return offset, limit, p.Err()
}

func mapSlice[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// unknownFieldPath finds the dotted path of the first key in body that the
// Go type t has no field for, such as "person.bogus"; "" when it cannot.
func unknownFieldPath(body []byte, t reflect.Type, name string) string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	return findUnknown(v, t, "", name)
}

func findUnknown(v any, t reflect.Type, prefix, name string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() == reflect.Slice {
		items, ok := v.([]any)
		if !ok {
			return ""
		}
		for i, item := range items {
			if p := findUnknown(item, t.Elem(), fmt.Sprintf("%s[%d]", prefix, i), name); p != "" {
				return p
			}
		}
		return ""
	}
	obj, ok := v.(map[string]any)
	if !ok || t.Kind() != reflect.Struct {
		return ""
	}
	fields := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "" {
			tag = f.Name
		}
		fields[strings.ToLower(tag)] = f.Type
	}
	for k, val := range obj {
		path := k
		if prefix != "" {
			path = prefix + "." + k
		}
		ft, ok := fields[strings.ToLower(k)]
		if !ok {
			if k == name {
				return path
			}
			continue
		}
		if p := findUnknown(val, ft, path, name); p != "" {
			return p
		}
	}
	return ""
}
