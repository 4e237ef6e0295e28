package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/web"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// apiPrefix is the server URL of the OpenAPI document: its paths are
// relative to it.
const apiPrefix = "/api/v1"

// openAPIDoc is web/openapi.json: parsed, for the tests that read the
// document itself, and registered with a JSON Schema 2020-12 compiler (the
// dialect of OpenAPI 3.1's schemas), for checking answers and requests
// against the schemas it gives them.
type openAPIDoc struct {
	root map[string]any

	mu       sync.Mutex
	compiler *jsonschema.Compiler
	compiled map[string]*jsonschema.Schema
}

// openAPIURL is where the document is registered with the compiler; its
// "#/components/…" references resolve inside it, and nothing is fetched.
const openAPIURL = "https://linkwork.invalid/api/v1/openapi.json"

// loadOpenAPI reads and parses web/openapi.json.
func loadOpenAPI(t testing.TB) *openAPIDoc {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var root map[string]any
	if err := json.Unmarshal(b, &root); err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("openapi.json is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.RegisterFormat(&jsonschema.Format{Name: "int64", Validate: validateInt64})
	c.UseLoader(refuseLoader{})
	if err := c.AddResource(openAPIURL, doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return &openAPIDoc{root: root, compiler: c, compiled: map[string]*jsonschema.Schema{}}
}

// validateInt64 is OpenAPI's int64 format: an integer a signed 64-bit
// number holds.
func validateInt64(v any) error {
	n, ok := v.(json.Number)
	if !ok {
		return nil
	}
	if _, err := strconv.ParseInt(string(n), 10, 64); err != nil {
		return fmt.Errorf("%s is not a 64-bit integer", n)
	}
	return nil
}

// refuseLoader loads nothing: every schema is in the document.
type refuseLoader struct{}

func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("%s is outside openapi.json, and nothing is fetched", url)
}

// compile compiles the schema at a JSON pointer into the document, such as
// "#/components/schemas/Referral", once.
func (d *openAPIDoc) compile(ptr string) (*jsonschema.Schema, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.compiled[ptr]; ok {
		return s, nil
	}
	s, err := d.compiler.Compile(openAPIURL + ptr)
	if err != nil {
		return nil, err
	}
	d.compiled[ptr] = s
	return s, nil
}

// jsonPointerToken escapes a key for a JSON pointer.
func jsonPointerToken(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

// pointer follows a local JSON pointer such as
// "#/components/schemas/Referral".
func (d *openAPIDoc) pointer(ref string) (any, error) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, fmt.Errorf("%q is not a local reference", ref)
	}
	var cur any = d.root
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%q: %q is not inside an object", ref, tok)
		}
		if cur, ok = m[tok]; !ok {
			return nil, fmt.Errorf("%q: no %q", ref, tok)
		}
	}
	return cur, nil
}

// deref follows $ref until it reaches an object without one.
func (d *openAPIDoc) deref(m map[string]any) map[string]any {
	for i := 0; i < 10; i++ {
		ref, ok := m["$ref"].(string)
		if !ok {
			return m
		}
		v, err := d.pointer(ref)
		if err != nil {
			return map[string]any{}
		}
		if m, ok = v.(map[string]any); !ok {
			return map[string]any{}
		}
	}
	return m
}

func (d *openAPIDoc) paths() map[string]any {
	p, _ := d.root["paths"].(map[string]any)
	return p
}

func (d *openAPIDoc) schema(name string) map[string]any {
	c, _ := d.root["components"].(map[string]any)
	s, _ := c["schemas"].(map[string]any)
	m, _ := s[name].(map[string]any)
	return m
}

// openAPIPath turns a server route pattern into the document's path:
// "/api/v1/referrals/{id}" → "/referrals/{id}".
func openAPIPath(pattern string) string { return strings.TrimPrefix(pattern, apiPrefix) }

// operation finds the documented operation for a request path (with or
// without the /api/v1 prefix and a query), matching {parameters} to single
// segments. It returns the document's path and the operation.
func (d *openAPIDoc) operation(method, path string) (string, map[string]any) {
	if u, err := url.Parse(path); err == nil {
		path = u.Path
	}
	path = strings.TrimPrefix(path, apiPrefix)
	segs := strings.Split(path, "/")
	// As OpenAPI says, a concrete path is matched before a templated one
	// (/reports/referrers before /reports/{table}): of the paths that
	// match, the one with the most literal segments.
	bestTmpl, bestLiteral := "", -1
	var best map[string]any
	for tmpl, item := range d.paths() {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		match, literal := true, 0
		for i := range ts {
			param := strings.HasPrefix(ts[i], "{") && strings.HasSuffix(ts[i], "}")
			if !(param && segs[i] != "") && ts[i] != segs[i] {
				match = false
				break
			}
			if !param {
				literal++
			}
		}
		if !match || literal <= bestLiteral {
			continue
		}
		ops, _ := item.(map[string]any)
		if op, _ := ops[strings.ToLower(method)].(map[string]any); op != nil {
			bestTmpl, bestLiteral, best = tmpl, literal, op
		}
	}
	return bestTmpl, best
}

// response returns the documented response of op for status, resolved.
func (d *openAPIDoc) response(op map[string]any, status int) (map[string]any, bool) {
	rs, _ := op["responses"].(map[string]any)
	r, ok := rs[strconv.Itoa(status)].(map[string]any)
	if !ok {
		return nil, false
	}
	return d.deref(r), true
}

// responseSchema returns the JSON schema of op's response for status.
func (d *openAPIDoc) responseSchema(op map[string]any, status int) (map[string]any, bool) {
	r, ok := d.response(op, status)
	if !ok {
		return nil, false
	}
	c, _ := r["content"].(map[string]any)
	j, _ := c["application/json"].(map[string]any)
	s, _ := j["schema"].(map[string]any)
	return s, s != nil
}

// csvResponse reports whether the operation's answer with status is a
// file download (text/csv, or application/zip for the directory's tabular
// data package, with a string schema): the one kind of success that is
// not JSON.
func (d *openAPIDoc) csvResponse(op map[string]any, status int) bool {
	r, ok := d.response(op, status)
	if !ok {
		return false
	}
	c, _ := r["content"].(map[string]any)
	for _, media := range []string{"text/csv", "application/zip"} {
		file, _ := c[media].(map[string]any)
		if s, _ := file["schema"].(map[string]any); len(c) == 1 && s["type"] == "string" {
			return true
		}
	}
	return false
}

// responseSchemaPointer is the JSON pointer of the schema of the
// operation's JSON answer with status, following the response's $ref; ""
// when it has none.
func (d *openAPIDoc) responseSchemaPointer(tmpl, method string, status int) string {
	at := "#/paths/" + jsonPointerToken(tmpl) + "/" + strings.ToLower(method) + "/responses/" + strconv.Itoa(status)
	v, err := d.pointer(at)
	if err != nil {
		return ""
	}
	if ref, ok := v.(map[string]any)["$ref"].(string); ok {
		at = ref
	}
	at += "/content/application~1json/schema"
	if _, err := d.pointer(at); err != nil {
		return ""
	}
	return at
}

// requestSchemaPointer is the JSON pointer of the schema of the
// operation's JSON request body; "" when it takes none.
func requestSchemaPointer(tmpl, method string) string {
	return "#/paths/" + jsonPointerToken(tmpl) + "/" + strings.ToLower(method) + "/requestBody/content/application~1json/schema"
}

func openAPITypes(s map[string]any) []string {
	switch t := s["type"].(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if xs, ok := x.(string); ok {
				out = append(out, xs)
			}
		}
		return out
	}
	return nil
}

// validateJSON checks a JSON text against the schema at ptr with the full
// validator: types, enums, formats, bounds, lengths, patterns, required
// and unknown properties. It returns a description of every problem, or
// "".
func (d *openAPIDoc) validateJSON(ptr, body string) string {
	sch, err := d.compile(ptr)
	if err != nil {
		return fmt.Sprintf("the schema %s does not compile: %v", ptr, err)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
	if err != nil {
		return fmt.Sprintf("not JSON: %v", err)
	}
	if err := sch.Validate(v); err != nil {
		return err.Error()
	}
	return ""
}

// checkBody validates a response body against the document's schema for
// the operation and status. It reports a status the document does not
// list for the operation.
func (d *openAPIDoc) checkBody(t *testing.T, method, path string, status int, body string) {
	t.Helper()
	tmpl, op := d.operation(method, path)
	if op == nil {
		return
	}
	ptr := d.responseSchemaPointer(tmpl, method, status)
	if ptr == "" {
		if _, listed := d.response(op, status); !listed {
			t.Errorf("%s %s answered %d, which the document does not list for %s %s", method, path, status, strings.ToUpper(method), tmpl)
		}
		return
	}
	if problem := d.validateJSON(ptr, body); problem != "" {
		t.Errorf("%s %s answered %d, which does not match %s %s's schema: %s\n%s", method, path, status, strings.ToUpper(method), tmpl, problem, body)
	}
}

// checkRequest validates a request body the server took against the
// document's schema for the operation's request: what the server accepts,
// the document must describe.
func (d *openAPIDoc) checkRequest(t *testing.T, method, path, body string) {
	t.Helper()
	tmpl, op := d.operation(method, path)
	if op == nil || op["requestBody"] == nil {
		return
	}
	if problem := d.validateJSON(requestSchemaPointer(tmpl, method), body); problem != "" {
		t.Errorf("%s %s took a body that does not match %s %s's request schema: %s\n%s", method, path, strings.ToUpper(method), tmpl, problem, body)
	}
}

// walkOpenAPIRefs calls fn with the location and target of every $ref.
func walkOpenAPIRefs(at string, v any, fn func(at, ref string)) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if k == "$ref" {
				if s, ok := x.(string); ok {
					fn(at, s)
				}
				continue
			}
			walkOpenAPIRefs(at+"/"+k, x, fn)
		}
	case []any:
		for i, x := range v {
			walkOpenAPIRefs(fmt.Sprintf("%s/%d", at, i), x, fn)
		}
	}
}

var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// TestOpenAPIDocument checks the document against itself and against the
// server's routes: every API route is documented, nothing else is, every
// reference resolves, and every operation says who may call it and what it
// answers.
func TestOpenAPIDocument(t *testing.T) {
	d := loadOpenAPI(t)
	if d.root["openapi"] != "3.1.0" {
		t.Errorf("openapi = %v, want 3.1.0", d.root["openapi"])
	}
	info, _ := d.root["info"].(map[string]any)
	if info["title"] != "linkwork API" || info["version"] != "1" {
		t.Errorf("info = %v %v, want linkwork API 1", info["title"], info["version"])
	}
	desc, _ := info["description"].(string)
	for _, want := range []string{"error", "audited", "lw_"} {
		if !strings.Contains(desc, want) {
			t.Errorf("info.description does not mention %q", want)
		}
	}
	if servers, _ := d.root["servers"].([]any); len(servers) != 1 || servers[0].(map[string]any)["url"] != apiPrefix {
		t.Errorf("servers = %v, want one with url %s", d.root["servers"], apiPrefix)
	}
	bearer, err := d.pointer("#/components/securitySchemes/bearerAuth")
	if b, _ := bearer.(map[string]any); err != nil || b["type"] != "http" || b["scheme"] != "bearer" {
		t.Errorf("bearerAuth = %v (%v), want an HTTP bearer scheme", bearer, err)
	}

	walkOpenAPIRefs("#", d.root, func(at, ref string) {
		if _, err := d.pointer(ref); err != nil {
			t.Errorf("%s: $ref does not resolve: %v", at, err)
		}
	})

	// Every schema is used.
	used := map[string]bool{}
	walkOpenAPIRefs("#", d.root, func(_, ref string) { used[ref] = true })
	comps, _ := d.root["components"].(map[string]any)
	for name := range comps["schemas"].(map[string]any) {
		if !used["#/components/schemas/"+name] {
			t.Errorf("schema %s is not used", name)
		}
	}

	// The server's routes, and the document's operations.
	srv, err := web.New(web.Config{}, web.Services{})
	if err != nil {
		t.Fatal(err)
	}
	routes := map[string]web.RouteInfo{}
	for _, r := range srv.Routes() {
		if !r.API {
			continue
		}
		key := strings.ToLower(r.Method) + " " + openAPIPath(r.Pattern)
		routes[key] = r
		item, _ := d.paths()[openAPIPath(r.Pattern)].(map[string]any)
		if item == nil {
			t.Errorf("the document has no path %s for route %s %s", openAPIPath(r.Pattern), r.Method, r.Pattern)
			continue
		}
		if item[strings.ToLower(r.Method)] == nil {
			t.Errorf("the document has no %s operation on %s", r.Method, openAPIPath(r.Pattern))
		}
	}
	opIDs := map[string]string{}
	for path, v := range d.paths() {
		if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, apiPrefix) {
			t.Errorf("path %s must be relative to the server URL %s", path, apiPrefix)
		}
		item := v.(map[string]any)
		for _, m := range openAPIMethods {
			opv, ok := item[m]
			if !ok {
				continue
			}
			op := opv.(map[string]any)
			key := m + " " + path
			r, real := routes[key]
			if !real {
				t.Errorf("the document describes %s %s, which the server does not serve", strings.ToUpper(m), path)
				continue
			}
			checkOpenAPIOperation(t, d, key, path, op, r, opIDs)
		}
	}
}

// checkOpenAPIOperation checks one operation against its route.
func checkOpenAPIOperation(t *testing.T, d *openAPIDoc, key, path string, op map[string]any, r web.RouteInfo, opIDs map[string]string) {
	t.Helper()
	id, _ := op["operationId"].(string)
	if id == "" {
		t.Errorf("%s has no operationId", key)
	} else if other, dup := opIDs[id]; dup {
		t.Errorf("%s and %s share the operationId %s", key, other, id)
	}
	opIDs[id] = key
	if s, _ := op["summary"].(string); s == "" {
		t.Errorf("%s has no summary", key)
	}
	responses, _ := op["responses"].(map[string]any)
	has := func(code string) bool { _, ok := responses[code]; return ok }
	ok2xx := false
	for code := range responses {
		if strings.HasPrefix(code, "2") {
			ok2xx = true
			if _, hasSchema := d.responseSchema(op, mustOK(strconv.Atoi(code))); !hasSchema && code != "204" && !d.csvResponse(op, mustOK(strconv.Atoi(code))) {
				t.Errorf("%s: the %s response has no application/json schema", key, code)
			}
		}
	}
	if !ok2xx {
		t.Errorf("%s documents no 2xx response", key)
	}
	for code, rv := range responses {
		if _, err := strconv.Atoi(code); err != nil {
			t.Errorf("%s: response %q is not a status code", key, code)
		}
		if code >= "400" {
			if s, _ := d.responseSchema(op, mustOK(strconv.Atoi(code))); s == nil || s["$ref"] != "#/components/schemas/Error" {
				t.Errorf("%s: the %s response does not use the Error schema (%v)", key, code, rv)
			}
		}
	}
	if !has("500") {
		t.Errorf("%s does not document 500", key)
	}
	sec, hasSec := op["security"].([]any)
	if !hasSec {
		t.Errorf("%s has no security of its own", key)
	}
	switch {
	case r.Access.Public:
		if len(sec) != 0 {
			t.Errorf("%s is public, so its security must be []", key)
		}
	default:
		if len(sec) != 1 || sec[0].(map[string]any)["bearerAuth"] == nil {
			t.Errorf("%s needs sign-in, so its security must be bearerAuth, not %v", key, sec)
		}
		if !has("401") {
			t.Errorf("%s needs sign-in but does not document 401", key)
		}
	}
	var roles []string
	for _, x := range r.Access.Roles() {
		roles = append(roles, string(x))
	}
	var docRoles []string
	if xs, ok := op["x-roles"].([]any); ok {
		for _, x := range xs {
			docRoles = append(docRoles, x.(string))
		}
	}
	if !reflect.DeepEqual(roles, docRoles) {
		t.Errorf("%s: x-roles = %v, but the route admits %v", key, docRoles, roles)
	}
	if len(roles) > 0 && !has("403") {
		t.Errorf("%s admits only some roles but does not document 403", key)
	}
	// Path parameters are declared, and only those.
	want := pathParam.FindAllString(path, -1)
	var got []string
	params, _ := op["parameters"].([]any)
	for _, pv := range params {
		p := d.deref(pv.(map[string]any))
		if p["in"] == "path" {
			got = append(got, "{"+p["name"].(string)+"}")
			if p["required"] != true {
				t.Errorf("%s: path parameter %v must be required", key, p["name"])
			}
		}
		if p["schema"] == nil {
			t.Errorf("%s: parameter %v has no schema", key, p["name"])
		}
	}
	if !reflect.DeepEqual(want, got) {
		t.Errorf("%s: path parameters %v, want %v", key, got, want)
	}
	if strings.HasPrefix(key, "post ") && !bodyless[path] {
		rb, _ := op["requestBody"].(map[string]any)
		c, _ := rb["content"].(map[string]any)
		if j, _ := c["application/json"].(map[string]any); j == nil || j["schema"] == nil {
			t.Errorf("%s has no JSON request body", key)
		}
		if !has("422") {
			t.Errorf("%s takes a body but does not document 422", key)
		}
	}
}

func mustOK[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// openAPIStructure is the shape of an OpenAPI 3.1 document, as far as this
// one uses it: each object's fixed fields and no others (save x-
// extensions), what each requires, and where a $ref may stand. The schemas
// themselves are checked by compiling them against JSON Schema 2020-12.
const openAPIStructure = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$ref": "#/$defs/document",
  "$defs": {
    "document": {"type": "object", "required": ["openapi", "info", "paths"],
      "properties": {
        "openapi": {"type": "string", "pattern": "^3\\.1\\.[0-9]+$"},
        "info": {"$ref": "#/$defs/info"},
        "jsonSchemaDialect": {"type": "string"},
        "servers": {"type": "array", "items": {"$ref": "#/$defs/server"}},
        "paths": {"$ref": "#/$defs/paths"},
        "components": {"$ref": "#/$defs/components"},
        "security": {"$ref": "#/$defs/security"},
        "tags": {"type": "array", "items": {"$ref": "#/$defs/tag"}},
        "externalDocs": {"$ref": "#/$defs/externalDocs"}},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "info": {"type": "object", "required": ["title", "version"],
      "properties": {"title": {"type": "string"}, "summary": {"type": "string"}, "description": {"type": "string"},
        "termsOfService": {"type": "string"}, "contact": {"type": "object"}, "license": {"type": "object"}, "version": {"type": "string"}},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "server": {"type": "object", "required": ["url"],
      "properties": {"url": {"type": "string"}, "description": {"type": "string"}, "variables": {"type": "object"}},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "tag": {"type": "object", "required": ["name"],
      "properties": {"name": {"type": "string"}, "description": {"type": "string"}, "externalDocs": {"$ref": "#/$defs/externalDocs"}},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "externalDocs": {"type": "object", "required": ["url"],
      "properties": {"url": {"type": "string"}, "description": {"type": "string"}},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "security": {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}},
    "ref": {"type": "object", "required": ["$ref"],
      "properties": {"$ref": {"type": "string", "pattern": "^#/components/"}, "summary": {"type": "string"}, "description": {"type": "string"}},
      "additionalProperties": false},
    "schema": {"type": ["object", "boolean"]},
    "paths": {"type": "object",
      "patternProperties": {"^/": {"$ref": "#/$defs/pathItem"}, "^x-": true}, "additionalProperties": false},
    "pathItem": {"type": "object",
      "properties": {"summary": {"type": "string"}, "description": {"type": "string"},
        "get": {"$ref": "#/$defs/operation"}, "put": {"$ref": "#/$defs/operation"}, "post": {"$ref": "#/$defs/operation"},
        "delete": {"$ref": "#/$defs/operation"}, "options": {"$ref": "#/$defs/operation"}, "head": {"$ref": "#/$defs/operation"},
        "patch": {"$ref": "#/$defs/operation"}, "trace": {"$ref": "#/$defs/operation"},
        "servers": {"type": "array", "items": {"$ref": "#/$defs/server"}},
        "parameters": {"$ref": "#/$defs/parameters"}},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "operation": {"type": "object", "required": ["responses"],
      "properties": {"tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": true},
        "summary": {"type": "string"}, "description": {"type": "string"}, "externalDocs": {"$ref": "#/$defs/externalDocs"},
        "operationId": {"type": "string"}, "parameters": {"$ref": "#/$defs/parameters"},
        "requestBody": {"oneOf": [{"$ref": "#/$defs/ref"}, {"$ref": "#/$defs/requestBody"}]},
        "responses": {"$ref": "#/$defs/responses"}, "callbacks": {"type": "object"}, "deprecated": {"type": "boolean"},
        "security": {"$ref": "#/$defs/security"}, "servers": {"type": "array", "items": {"$ref": "#/$defs/server"}}},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "parameters": {"type": "array", "items": {"oneOf": [{"$ref": "#/$defs/ref"}, {"$ref": "#/$defs/parameter"}]}},
    "parameter": {"type": "object", "required": ["name", "in"],
      "properties": {"name": {"type": "string"}, "in": {"enum": ["query", "header", "path", "cookie"]},
        "description": {"type": "string"}, "required": {"type": "boolean"}, "deprecated": {"type": "boolean"},
        "allowEmptyValue": {"type": "boolean"}, "style": {"type": "string"}, "explode": {"type": "boolean"},
        "allowReserved": {"type": "boolean"}, "schema": {"$ref": "#/$defs/schema"}, "example": true,
        "examples": {"type": "object"}, "content": {"$ref": "#/$defs/content"}},
      "if": {"properties": {"in": {"const": "path"}}}, "then": {"required": ["required"], "properties": {"required": {"const": true}}},
      "oneOf": [{"required": ["schema"]}, {"required": ["content"]}],
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "requestBody": {"type": "object", "required": ["content"],
      "properties": {"description": {"type": "string"}, "content": {"$ref": "#/$defs/content"}, "required": {"type": "boolean"}},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "content": {"type": "object", "additionalProperties": {"$ref": "#/$defs/mediaType"}},
    "mediaType": {"type": "object",
      "properties": {"schema": {"$ref": "#/$defs/schema"}, "example": true, "examples": {"type": "object"}, "encoding": {"type": "object"}},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "responses": {"type": "object", "minProperties": 1,
      "patternProperties": {"^([1-5][0-9][0-9]|[1-5]XX|default)$": {"oneOf": [{"$ref": "#/$defs/ref"}, {"$ref": "#/$defs/response"}]}, "^x-": true},
      "additionalProperties": false},
    "response": {"type": "object", "required": ["description"],
      "properties": {"description": {"type": "string"},
        "headers": {"type": "object", "additionalProperties": {"oneOf": [{"$ref": "#/$defs/ref"}, {"$ref": "#/$defs/header"}]}},
        "content": {"$ref": "#/$defs/content"}, "links": {"type": "object"}},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "header": {"type": "object",
      "properties": {"description": {"type": "string"}, "required": {"type": "boolean"}, "deprecated": {"type": "boolean"},
        "style": {"const": "simple"}, "explode": {"type": "boolean"}, "schema": {"$ref": "#/$defs/schema"},
        "example": true, "examples": {"type": "object"}, "content": {"$ref": "#/$defs/content"}},
      "oneOf": [{"required": ["schema"]}, {"required": ["content"]}],
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "securityScheme": {"type": "object", "required": ["type"],
      "properties": {"type": {"enum": ["apiKey", "http", "mutualTLS", "oauth2", "openIdConnect"]}, "description": {"type": "string"},
        "name": {"type": "string"}, "in": {"enum": ["query", "header", "cookie"]}, "scheme": {"type": "string"},
        "bearerFormat": {"type": "string"}, "flows": {"type": "object"}, "openIdConnectUrl": {"type": "string"}},
      "if": {"properties": {"type": {"const": "http"}}}, "then": {"required": ["scheme"]},
      "patternProperties": {"^x-": true}, "additionalProperties": false},
    "componentMap": {"type": "object", "propertyNames": {"pattern": "^[a-zA-Z0-9._-]+$"}},
    "components": {"type": "object",
      "properties": {
        "schemas": {"$ref": "#/$defs/componentMap", "additionalProperties": {"$ref": "#/$defs/schema"}},
        "responses": {"$ref": "#/$defs/componentMap", "additionalProperties": {"oneOf": [{"$ref": "#/$defs/ref"}, {"$ref": "#/$defs/response"}]}},
        "parameters": {"$ref": "#/$defs/componentMap", "additionalProperties": {"oneOf": [{"$ref": "#/$defs/ref"}, {"$ref": "#/$defs/parameter"}]}},
        "examples": {"$ref": "#/$defs/componentMap"},
        "requestBodies": {"$ref": "#/$defs/componentMap", "additionalProperties": {"oneOf": [{"$ref": "#/$defs/ref"}, {"$ref": "#/$defs/requestBody"}]}},
        "headers": {"$ref": "#/$defs/componentMap", "additionalProperties": {"oneOf": [{"$ref": "#/$defs/ref"}, {"$ref": "#/$defs/header"}]}},
        "securitySchemes": {"$ref": "#/$defs/componentMap", "additionalProperties": {"oneOf": [{"$ref": "#/$defs/ref"}, {"$ref": "#/$defs/securityScheme"}]}},
        "links": {"$ref": "#/$defs/componentMap"}, "callbacks": {"$ref": "#/$defs/componentMap"}, "pathItems": {"$ref": "#/$defs/componentMap"}},
      "patternProperties": {"^x-": true}, "additionalProperties": false}
  }
}`

// TestOpenAPIDocumentIsValid checks the document as a document: its
// objects have OpenAPI 3.1's shape (openAPIStructure), every schema in it
// is a valid JSON Schema 2020-12 schema, every example matches its schema,
// every operation's tags are declared, and every object schema that lists
// its properties is closed (additionalProperties false) and requires only
// properties it lists. A closed schema is what lets the answers' checks
// find a property the document does not describe.
func TestOpenAPIDocumentIsValid(t *testing.T) {
	d := loadOpenAPI(t)
	const structureURL = "https://linkwork.invalid/openapi-structure.json"
	structure, err := jsonschema.UnmarshalJSON(strings.NewReader(openAPIStructure))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(structureURL, structure); err != nil {
		t.Fatal(err)
	}
	shape, err := c.Compile(structureURL)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := shape.Validate(doc); err != nil {
		t.Errorf("openapi.json is not an OpenAPI 3.1 document: %v", err)
	}

	// Every schema compiles: the compiler checks each against the 2020-12
	// meta-schema. Every example matches the schema beside it.
	comps, _ := d.root["components"].(map[string]any)
	for name := range comps["schemas"].(map[string]any) {
		if _, err := d.compile("#/components/schemas/" + jsonPointerToken(name)); err != nil {
			t.Errorf("schema %s: %v", name, err)
		}
	}
	declared := map[string]bool{}
	tags, _ := d.root["tags"].([]any)
	for _, tag := range tags {
		declared[tag.(map[string]any)["name"].(string)] = true
	}
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if _, ok := v["schema"].(map[string]any); ok {
				ptr := at + "/schema"
				if _, err := d.compile(ptr); err != nil {
					t.Errorf("%s: %v", ptr, err)
				} else if ex, ok := v["example"]; ok {
					b, _ := json.Marshal(ex)
					if problem := d.validateJSON(ptr, string(b)); problem != "" {
						t.Errorf("%s/example does not match its schema: %s", at, problem)
					}
				}
			}
			if strings.Count(at, "/") == 3 && strings.HasPrefix(at, "#/paths/") {
				ts, _ := v["tags"].([]any)
				for _, tag := range ts {
					if !declared[tag.(string)] {
						t.Errorf("%s: the tag %q is not declared in the document's tags", at, tag)
					}
				}
			}
			for k, x := range v {
				if k != "schema" && k != "example" {
					walk(at+"/"+jsonPointerToken(k), x)
				}
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s/%d", at, i), x)
			}
		}
	}
	walk("#/paths", d.root["paths"])
	for _, part := range []string{"parameters", "headers", "responses", "requestBodies"} {
		walk("#/components/"+part, comps[part])
	}

	// Object schemas are closed and require what they list.
	walkOpenAPISchemas("#", d.root, func(at string, s map[string]any) {
		props, hasProps := s["properties"].(map[string]any)
		if !hasProps {
			return
		}
		if s["additionalProperties"] != false {
			t.Errorf("%s lists its properties but does not close the object (additionalProperties: false)", at)
		}
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := props[r.(string)]; !ok {
				t.Errorf("%s requires %q, which it does not list", at, r)
			}
		}
	})
}

// walkOpenAPISchemas calls fn with every schema object in the document
// that has properties, wherever it is: in components, in a parameter, a
// body or an answer, or nested in another schema.
func walkOpenAPISchemas(at string, v any, fn func(at string, s map[string]any)) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["properties"].(map[string]any); ok {
			fn(at, v)
		}
		for k, x := range v {
			walkOpenAPISchemas(at+"/"+jsonPointerToken(k), x, fn)
		}
	case []any:
		for i, x := range v {
			walkOpenAPISchemas(fmt.Sprintf("%s/%d", at, i), x, fn)
		}
	}
}

// TestOpenAPIEnums checks every enumeration in the document against the
// root package's constants.
func TestOpenAPIEnums(t *testing.T) {
	d := loadOpenAPI(t)
	strs := func(xs any) []string {
		v := reflect.ValueOf(xs)
		out := make([]string, v.Len())
		for i := range out {
			out[i] = v.Index(i).String()
		}
		return out
	}
	want := map[string][]string{
		"Pathway":           strs(linkwork.Pathways),
		"ReferralMode":      strs([]linkwork.ReferralMode{linkwork.ModeReferral, linkwork.ModeSignposting, linkwork.ModeSelfReferral}),
		"ReferralStatus":    strs(linkwork.ReferralStatuses),
		"Streetlight":       strs([]linkwork.Streetlight{linkwork.StreetlightRed, linkwork.StreetlightAmber, linkwork.StreetlightGreen}),
		"CaseStatus":        strs([]linkwork.CaseStatus{linkwork.CaseWaiting, linkwork.CaseActive, linkwork.CaseEnding, linkwork.CaseClosed}),
		"ClosureReason":     strs(linkwork.ClosureReasons),
		"Category":          strs(linkwork.Categories),
		"AssetStatus":       strs([]linkwork.AssetStatus{linkwork.AssetActive, linkwork.AssetInactive, linkwork.AssetDefunct, linkwork.AssetTempClosed}),
		"HowToJoin":         strs([]linkwork.HowToJoin{linkwork.JoinDropIn, linkwork.JoinSelfRefer, linkwork.JoinReferral, linkwork.JoinViaLinkWorker}),
		"CapacityStatus":    strs(linkwork.CapacityStatuses),
		"LocationType":      strs([]linkwork.LocationType{linkwork.LocationPhysical, linkwork.LocationVirtual}),
		"Role":              strs(linkwork.Roles),
		"OrgKind":           strs(linkwork.OrgKinds),
		"ConnectionLevel":   strs([]linkwork.ConnectionLevel{linkwork.LevelSignpost, linkwork.LevelRefer, linkwork.LevelBuddy, linkwork.LevelPhased}),
		"ConnectionStatus":  strs([]linkwork.ConnectionStatus{linkwork.ConnSuggested, linkwork.ConnContacted, linkwork.ConnAccepted, linkwork.ConnDeclined, linkwork.ConnAttended, linkwork.ConnContinuing, linkwork.ConnDropped}),
		"HandOverStage":     strs(linkwork.HandOverStages),
		"PersonView":        strs(linkwork.PersonViews),
		"FundCategory":      strs(linkwork.FundCategories),
		"FundRequestStatus": strs(linkwork.FundRequestStatuses),
		"ConsentKind":       strs(linkwork.ConsentKinds),
		"Channel":           strs(linkwork.Channels),
		"DeclineReason":     strs(linkwork.DeclineReasons),
		"AnswerQuestion":    strs(linkwork.AnswerQuestions),
		"GroupAnswer":       strs(linkwork.GroupAnswers),
		"LinkChannel":       strs(linkwork.LinkChannels),
		"ErrorCode":         {linkwork.EINVALID, linkwork.EMALFORMED, linkwork.ENOTFOUND, linkwork.EFORBIDDEN, linkwork.ECONFLICT, linkwork.EGONE, linkwork.EUNAUTHORIZED, linkwork.ERATELIMIT, linkwork.EINTERNAL},
	}
	for name, values := range want {
		s := d.schema(name)
		if s == nil {
			t.Errorf("no schema %s", name)
			continue
		}
		var got []string
		for _, v := range s["enum"].([]any) {
			got = append(got, v.(string))
		}
		if !reflect.DeepEqual(got, values) {
			t.Errorf("%s enum = %v, want %v", name, got, values)
		}
	}
	// Each error code documents its status.
	for code, status := range map[string]string{linkwork.EINVALID: "422", linkwork.EMALFORMED: "400", linkwork.ENOTFOUND: "404", linkwork.EFORBIDDEN: "403", linkwork.ECONFLICT: "409", linkwork.EGONE: "410",
		linkwork.EUNAUTHORIZED: "401", linkwork.ERATELIMIT: "429", linkwork.EINTERNAL: "500"} {
		if got := web.ErrorStatus(linkwork.Errorf(code, "x")); strconv.Itoa(got) != status {
			t.Errorf("%s answers %d, want %s", code, got, status)
		}
		if !strings.Contains(d.schema("ErrorCode")["description"].(string), code+" "+status) {
			t.Errorf("the ErrorCode description does not say %s is %s", code, status)
		}
	}
}

// bodyless are the POST operations that take no request body: the path
// says it all.
var bodyless = map[string]bool{"/users/{id}/disable": true, "/triage/return-deferrals": true, "/notifications/{id}/read": true,
	"/asset-reports/{id}/resolve": true, "/verify/{token}/confirm": true}

// goShapes maps each JSON shape in api_types*.go, api_json.go and
// errors.go to the schemas that document it. A new shape without an entry fails the test.
var goShapes = map[string][]string{
	"contactPrefsJSON":     {"ContactPreferences"},
	"guardianJSON":         {"Guardian"},
	"consentJSON":          {"Consent"},
	"personJSON":           {"Person", "PersonInput"},
	"transitionJSON":       {"Transition"},
	"referralJSON":         {"Referral"},
	"referralIn":           {"ReferralInput"},
	"decisionIn":           {"DecisionInput"},
	"riskFlagJSON":         {"RiskFlag"},
	"riskMatchJSON":        {"RiskMatch"},
	"riskReviewIn":         {"RiskReviewInput"},
	"caseJSON":             {"Case"},
	"connectionJSON":       {"Connection"},
	"suggestionJSON":       {"Suggestion"},
	"suggestionListJSON":   {"SuggestionList"},
	"connectionIn":         {"ConnectionInput"},
	"connectionMoveIn":     {"ConnectionMoveInput"},
	"gapIn":                {"GapInput"},
	"measureIn":            {"MeasureInput"},
	"measureJSON":          {"Measure"},
	"measureItemJSON":      {"MeasureItem"},
	"measuresJSON":         {"MeasureList"},
	"progressJSON":         {"MeasureProgress"},
	"lineJSON":             {"MeasureLine"},
	"gapJSON":              {"Gap"},
	"gapCountJSON":         {"GapCount"},
	"gapSummaryJSON":       {"GapSummary"},
	"fundIn":               {"FundInput"},
	"fundJSON":             {"Fund"},
	"fundRequestIn":        {"FundRequestInput"},
	"fundDecisionIn":       {"FundDecisionInput"},
	"fundRequestJSON":      {"FundRequest"},
	"fundSpendJSON":        {"FundSpend"},
	"fundSpendSummaryJSON": {"FundSpendSummary"},
	"connectionStageIn":    {"ConnectionStageInput"},
	"answerLinkIn":         {"AnswerLinkInput"},
	"answerLinkJSON":       {"AnswerLink"},
	"answerLinkListJSON":   {"AnswerLinkList"},
	"welcomeContactJSON":   {"WelcomeContact"},
	"welcomePersonJSON":    {"WelcomePerson"},
	"welcomeServiceJSON":   {"WelcomeService"},
	"welcomeJSON":          {"Welcome"},
	"groupReplyIn":         {"GroupReplyInput"},
	"answeredJSON":         {"Answered"},
	"connectionStageJSON":  {"ConnectionStage"},
	"connectionViewIn":     {"ConnectionViewInput"},
	"connectionViewJSON":   {"ConnectionView"},
	"detailsIn":            {"DetailsInput"},
	"detailsGivenJSON":     {"DetailsGiven"},
	"activityDetailsJSON":  {"ActivityDetails"},
	"scheduleJSON":         {"Schedule"},
	"locationJSON":         {"Location"},
	"contactJSON":          {"AssetContact"},
	"costOptionJSON":       {"CostOption"},
	"capacityJSON":         {"Capacity"},
	"assetJSON":            {"Asset"},
	"assetVersionJSON":     {"AssetVersion"},
	"assetVersionListJSON": {"AssetVersionList"},
	"organisationJSON":     {"Organisation"},
	"userJSON":             {"User"},
	"userIn":               {"UserInput"},
	"tokenIn":              {"TokenInput"},
	"tokenJSON":            {"Token"},
	"tokenInfoJSON":        {"TokenInfo"},
	"auditJSON":            {"AuditEvent"},
	"countJSON":            {"Count"},
	"caseloadJSON":         {"Caseload"},
	"homeJSON":             {"Home"},
	"apiError":             {"Error"},
	"apiErrorBody":         {"Error/error"},
	"listOut":              {"ReferralList", "CaseList", "ConnectionList", "FundList", "FundRequestList", "OrganisationList", "UserList", "AuditEventList", "ServiceSettingsList", "CaseloadList", "TokenList"},
	"settingsJSON":         {"ServiceSettings"},
	"settingsIn":           {"ServiceSettingsInput"},
	"waitingJSON":          {"WaitingEntry"},
	"waitingListJSON":      {"WaitingList"},
	"duplicateIn":          {"DuplicateInput"},
	"notificationJSON":     {"Notification"},
	"notificationListJSON": {"NotificationList"},
	"publicReferralIn":     {"PublicReferralInput"},
	"publicReferralOut":    {"PublicReferralReceipt"},
	// The directory's maintenance.
	"assetIn":             {"AssetInput"},
	"versionIn":           {"VersionInput"},
	"assetReportIn":       {"AssetReportInput"},
	"assetReportJSON":     {"AssetReport"},
	"assetReportListJSON": {"AssetReportList"},
	"listingDueJSON":      {"ListingDue"},
	"assetListOut":        {"AssetList"},
	"curationJSON":        {"Curation"},
	"verificationJSON":    {"Verification"},
}

// goOutputOnly are the shapes only ever written: every field they always
// write (no omitempty) must be required in the schema.
var goOutputOnly = map[string]bool{"transitionJSON": true, "referralJSON": true, "caseJSON": true, "connectionJSON": true, "suggestionJSON": true, "suggestionListJSON": true, "scheduleJSON": true,
	"locationJSON": true, "assetJSON": true, "contactJSON": true, "costOptionJSON": true, "capacityJSON": true, "assetVersionJSON": true, "assetVersionListJSON": true, "userJSON": true, "tokenJSON": true, "tokenInfoJSON": true, "auditJSON": true, "countJSON": true, "caseloadJSON": true,
	"homeJSON": true, "apiError": true, "apiErrorBody": true, "listOut": true, "settingsJSON": true, "waitingJSON": true, "waitingListJSON": true,
	"notificationJSON": true, "notificationListJSON": true, "publicReferralOut": true,
	"assetReportJSON": true, "assetReportListJSON": true, "listingDueJSON": true, "curationJSON": true, "verificationJSON": true,
	"answerLinkJSON": true, "answerLinkListJSON": true, "welcomeContactJSON": true, "welcomePersonJSON": true, "welcomeServiceJSON": true, "welcomeJSON": true, "answeredJSON": true, "assetListOut": true}

// TestOpenAPISchemasMatchGoShapes reads the JSON shapes' source and checks
// that each schema has exactly the struct's JSON properties, with the
// matching type and, for the root package's string types, the enumeration
// of that name.
func TestOpenAPISchemasMatchGoShapes(t *testing.T) {
	d := loadOpenAPI(t)
	fset := token.NewFileSet()
	seen := map[string]bool{}
	files, err := filepath.Glob("api_types*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no api_types*.go: %v", err)
	}
	for _, file := range append(files, "api_json.go", "errors.go") {
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			ts, ok := n.(*ast.TypeSpec)
			if !ok {
				return true
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok || !hasJSONTags(st) {
				return true
			}
			name := ts.Name.Name
			seen[name] = true
			schemaNames, ok := goShapes[name]
			if !ok {
				t.Errorf("%s: the JSON shape %s is not mapped to a schema in goShapes", file, name)
				return true
			}
			for _, sn := range schemaNames {
				var s map[string]any
				if top, sub, nested := strings.Cut(sn, "/"); nested {
					s = d.deref(d.schema(top)["properties"].(map[string]any)[sub].(map[string]any))
				} else {
					s = d.schema(sn)
				}
				if s == nil {
					t.Errorf("no schema %s for %s", sn, name)
					continue
				}
				compareGoShape(t, d, name, sn, st, s)
			}
			return true
		})
	}
	for name := range goShapes {
		if !seen[name] {
			t.Errorf("goShapes maps %s, which is no longer a JSON shape", name)
		}
	}
}

func hasJSONTags(st *ast.StructType) bool {
	for _, f := range st.Fields.List {
		if f.Tag != nil && strings.Contains(f.Tag.Value, `json:"`) {
			return true
		}
	}
	return false
}

func compareGoShape(t *testing.T, d *openAPIDoc, goName, schemaName string, st *ast.StructType, s map[string]any) {
	t.Helper()
	props, _ := s["properties"].(map[string]any)
	required := map[string]bool{}
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			required[r.(string)] = true
		}
	}
	goProps := map[string]bool{}
	for _, f := range st.Fields.List {
		if f.Tag == nil {
			continue
		}
		tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("json")
		jname, opts, _ := strings.Cut(tag, ",")
		if jname == "" || jname == "-" {
			continue
		}
		goProps[jname] = true
		p, ok := props[jname].(map[string]any)
		if !ok {
			t.Errorf("%s.%s (json %q) is not a property of schema %s", goName, f.Names[0].Name, jname, schemaName)
			continue
		}
		if goOutputOnly[goName] && !strings.Contains(opts, "omitempty") && !required[jname] {
			t.Errorf("%s always writes %q, so schema %s must require it", goName, jname, schemaName)
		}
		kind, enum := goJSONKind(f.Type)
		ps := d.deref(p)
		if enum != "" {
			target := p
			if kind == "array" {
				target, _ = d.deref(p)["items"].(map[string]any)
			}
			if target["$ref"] != "#/components/schemas/"+enum {
				t.Errorf("%s.%s is a linkwork.%s, so %s.%s must refer to schema %s", goName, jname, enum, schemaName, jname, enum)
			}
		}
		if kind != "" && !slices.Contains(openAPITypes(ps), kind) {
			t.Errorf("%s.%s is JSON %s, but %s.%s has type %v", goName, jname, kind, schemaName, jname, openAPITypes(ps))
		}
	}
	for name := range props {
		if !goProps[name] {
			t.Errorf("schema %s documents %q, which %s does not have", schemaName, name, goName)
		}
	}
}

// goJSONKind returns the JSON type a Go field type encodes as, and the
// name of the root package string type it holds, if any.
func goJSONKind(e ast.Expr) (kind, enum string) {
	switch e := e.(type) {
	case *ast.StarExpr:
		return goJSONKind(e.X)
	case *ast.ArrayType:
		_, enum := goJSONKind(e.Elt)
		return "array", enum
	case *ast.SelectorExpr:
		pkg, _ := e.X.(*ast.Ident)
		switch {
		case pkg != nil && pkg.Name == "time" && e.Sel.Name == "Time":
			return "string", ""
		case pkg != nil && pkg.Name == "linkwork" && e.Sel.Name == "FieldError":
			return "object", ""
		case pkg != nil && pkg.Name == "linkwork":
			return "string", e.Sel.Name
		}
	case *ast.Ident:
		switch e.Name {
		case "string":
			return "string", ""
		case "bool":
			return "boolean", ""
		case "int", "int64":
			return "integer", ""
		case "float64":
			return "number", ""
		case "T":
			return "", ""
		}
		return "object", ""
	}
	return "", ""
}

// TestOpenAPIResponsesMatchSchemas reads every list and item as roles that
// see data and checks each answer against its documented schema: every
// property it holds is documented, every required one is there.
func TestOpenAPIResponsesMatchSchemas(t *testing.T) {
	d := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		get := func(role linkwork.Role, path string) map[string]any {
			t.Helper()
			status, body := f.api(role, "GET", path, "")
			if status != 200 {
				t.Fatalf("GET %s as %q: status %d: %s", path, role, status, body)
			}
			d.checkBody(t, "GET", path, status, body)
			var v map[string]any
			if err := json.Unmarshal([]byte(body), &v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		first := func(list map[string]any, key string) string {
			t.Helper()
			items, _ := list["items"].([]any)
			if len(items) == 0 {
				t.Fatalf("the list is empty: no %s to read", key)
			}
			return items[0].(map[string]any)[key].(string)
		}

		f.everyStatus(t)
		for _, role := range linkwork.Roles {
			get(role, "/api/v1/me")
			get(role, "/api/v1/home")
			get(role, "/api/v1/organisations?limit=500")
			get(role, "/api/v1/tokens")
		}
		for _, role := range []linkwork.Role{linkwork.RoleReferrer, linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding} {
			refs := get(role, "/api/v1/referrals?limit=500")
			get(role, "/api/v1/referrals/"+first(refs, "id"))
		}
		for _, status := range []string{"accepted", "declined", "deferred", "withdrawn", "received", "triage"} {
			refs := get(linkwork.RoleCoordinator, "/api/v1/referrals?status="+status)
			get(linkwork.RoleCoordinator, "/api/v1/referrals/"+first(refs, "id"))
		}
		for _, role := range []linkwork.Role{linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding} {
			cases := get(role, "/api/v1/cases?limit=500")
			get(role, "/api/v1/cases/"+first(cases, "id"))
			get(role, "/api/v1/people/"+first(cases, "person_id"))
		}
		for _, status := range []string{"waiting", "active", "ending", "closed"} {
			cases := get(linkwork.RoleCoordinator, "/api/v1/cases?status="+status)
			get(linkwork.RoleCoordinator, "/api/v1/cases/"+first(cases, "id"))
		}
		for _, role := range []linkwork.Role{linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding, linkwork.RoleCommunity} {
			conns := get(role, "/api/v1/connections?limit=500")
			get(role, "/api/v1/people/"+first(conns, "person_id"))
		}
		for _, role := range []linkwork.Role{"", linkwork.RoleCommunity} {
			assets := get(role, "/api/v1/assets?limit=500")
			for _, it := range assets["items"].([]any) {
				get(role, "/api/v1/assets/"+it.(map[string]any)["id"].(string))
			}
		}
		get("", "/api/v1/assets?q=football&postcode=LS1&radius_km=10&limit=500")
		assets := get(linkwork.RoleCoordinator, "/api/v1/assets?limit=500")
		for _, it := range assets["items"].([]any) {
			get(linkwork.RoleCoordinator, "/api/v1/assets/"+it.(map[string]any)["id"].(string)+"/versions")
		}
		get(linkwork.RoleAdmin, "/api/v1/users?limit=500")
		get(linkwork.RoleCoordinator, "/api/v1/users?limit=500")
		get(linkwork.RoleAdmin, "/api/v1/audit?limit=500")
		get(linkwork.RoleSafeguarding, "/api/v1/audit?limit=500")

		// The served document is this file.
		status, body := f.api("", "GET", "/api/v1/openapi.json", "")
		file, _ := os.ReadFile("openapi.json")
		if status != 200 || body != string(file) {
			t.Errorf("GET /api/v1/openapi.json: status %d, and the body is not web/openapi.json", status)
		}
	})
}

// everyStatus refers people through the API and moves them on, as the
// referrer, the coordinator and the link worker would, until there is a
// referral in every status and a case in every status: the demo city's
// mix depends on the moment it is generated for.
func (f *fixture) everyStatus(t *testing.T) {
	t.Helper()
	send := func(role linkwork.Role, method, path string, body any) map[string]any {
		t.Helper()
		b, _ := json.Marshal(body)
		status, answer := f.api(role, method, path, string(b))
		if status != http.StatusOK && status != http.StatusCreated {
			t.Fatalf("%s %s as %s: status %d: %s", method, path, role, status, answer)
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(answer), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	service := f.users[linkwork.RoleCoordinator].OrgID
	refer := func(given string) map[string]any {
		var body any
		_ = json.Unmarshal([]byte(apiReferralBody(service, "gp", "referral", given, nil)), &body)
		return send(linkwork.RoleReferrer, "POST", "/api/v1/referrals", body)
	}
	decide := func(given string, d map[string]any) map[string]any {
		r := refer(given)
		d["version"] = r["version"]
		if d["streetlight"] == nil {
			d["streetlight"] = "green"
		}
		return send(linkwork.RoleCoordinator, "POST", "/api/v1/referrals/"+jsonStr(r, "id")+"/decision", d)
	}
	refer("Received")
	decide("Triage", map[string]any{"to": "triage"})
	decide("Deferred", map[string]any{"to": "deferred", "reason": "Exams first", "defer_until": time.Now().AddDate(0, 0, 28).Format(time.DateOnly)})
	decide("Declined", map[string]any{"to": "declined", "reason": "Needs CAMHS", "onward_destination": "CAMHS single point of access"})
	decide("Withdrawn", map[string]any{"to": "withdrawn", "reason": "No longer wants support"})
	decide("Waiting", map[string]any{"to": "accepted"})
	lw := f.users[linkwork.RoleLinkWorker].ID
	decide("Active", map[string]any{"to": "accepted", "link_worker_id": lw})
	caseOf := func(given string) map[string]any {
		r := decide(given, map[string]any{"to": "accepted", "link_worker_id": lw})
		return send(linkwork.RoleLinkWorker, "GET", "/api/v1/cases/"+jsonStr(r, "case_id"), nil)
	}
	c := caseOf("Ending")
	send(linkwork.RoleLinkWorker, "POST", "/api/v1/cases/"+jsonStr(c, "id")+"/ending", map[string]any{"version": c["version"], "steps": "A last session"})
	c = caseOf("Closed")
	send(linkwork.RoleLinkWorker, "POST", "/api/v1/cases/"+jsonStr(c, "id")+"/close", map[string]any{"version": c["version"], "reason": "connected", "share_outcome": false})
}
