package oruk

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

var printer = message.NewPrinter(language.English)

// EnvSchemaDir names the environment variable that points at the ORUK
// schema directory (the one holding openapi.json and compiled/).
const EnvSchemaDir = "LINKWORK_ORUK_SCHEMAS"

// schemaBase is the URL the published schemas give each other: openapi.json
// refers to "https://raw.githubusercontent.com/openreferral/uk-profile/main/
// schema/compiled/service.json" and taxonomy.json to "taxonomy_term.json".
// Every file is registered under it so those references resolve to the local
// copies; nothing is ever fetched.
const schemaBase = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"

// linkworkRulesURL is where the linkwork rules (linkwork_rules.json) are
// registered.
const linkworkRulesURL = "https://linkwork.invalid/oruk/linkwork_rules.json"

//go:embed linkwork_rules.json
var linkworkRules []byte

// Endpoint is an ORUK API path as the OpenAPI description writes it.
type Endpoint string

// The endpoints of the UK profile.
const (
	EndpointRoot               Endpoint = "/"
	EndpointServices           Endpoint = "/services"
	EndpointService            Endpoint = "/services/{id}"
	EndpointServiceAtLocations Endpoint = "/service_at_locations"
	EndpointServiceAtLocation  Endpoint = "/service_at_locations/{id}"
	EndpointTaxonomies         Endpoint = "/taxonomies"
	EndpointTaxonomy           Endpoint = "/taxonomies/{id}"
	EndpointTaxonomyTerms      Endpoint = "/taxonomy_terms"
	EndpointTaxonomyTerm       Endpoint = "/taxonomy_terms/{id}"
)

// Endpoints lists every endpoint the validator knows, in the order the
// README lists them.
var Endpoints = []Endpoint{
	EndpointRoot,
	EndpointServices, EndpointService,
	EndpointServiceAtLocations, EndpointServiceAtLocation,
	EndpointTaxonomies, EndpointTaxonomy,
	EndpointTaxonomyTerms, EndpointTaxonomyTerm,
}

// openAPIResponse is the JSON pointer, inside openapi.json, of an endpoint's
// 200 response schema.
func openAPIResponse(e Endpoint) string {
	p := strings.ReplaceAll(strings.ReplaceAll(string(e), "~", "~0"), "/", "~1")
	return "openapi.json#/paths/" + p + "/get/responses/200/content/application~1json/schema"
}

// endpointSchemas says which published schema each endpoint's 200 response
// is validated against. The paged endpoints and "/" use the response schema
// written inline in openapi.json (a Page whose contents are items of the
// named schema). The single-record endpoints use the file openapi.json
// refers to, with one exception: openapi.json gives /service_at_locations/{id}
// the *service* schema (compiled/service.json), while the profile wrote
// compiled/service_at_location.json for that response (the published
// example service_at_location_full.json satisfies only the latter). The
// official validator reads the OpenAPI description, so an answer must
// satisfy both: SchemaFor names compiled/service_at_location.json, and
// alsoSchemas adds openapi.json's.
var endpointSchemas = map[Endpoint]string{
	EndpointRoot:               openAPIResponse(EndpointRoot),
	EndpointServices:           openAPIResponse(EndpointServices),
	EndpointService:            "compiled/service.json",
	EndpointServiceAtLocations: openAPIResponse(EndpointServiceAtLocations),
	EndpointServiceAtLocation:  "compiled/service_at_location.json",
	EndpointTaxonomies:         openAPIResponse(EndpointTaxonomies),
	EndpointTaxonomy:           "taxonomy.json",
	EndpointTaxonomyTerms:      openAPIResponse(EndpointTaxonomyTerms),
	EndpointTaxonomyTerm:       "taxonomy_term.json",
}

// alsoSchemas are further published schemas an endpoint's response must
// satisfy (see endpointSchemas).
var alsoSchemas = map[Endpoint]string{
	EndpointServiceAtLocation: openAPIResponse(EndpointServiceAtLocation),
}

// linkworkRuleFor names the linkwork rule (a definition in
// linkwork_rules.json) each endpoint must also satisfy, if any.
var linkworkRuleFor = map[Endpoint]string{
	EndpointRoot:               "root",
	EndpointServices:           "page",
	EndpointService:            "service",
	EndpointServiceAtLocations: "page",
	EndpointTaxonomies:         "page",
	EndpointTaxonomyTerms:      "page",
}

// Validator checks JSON documents against the Open Referral UK schemas, one
// endpoint's 200 response at a time. It is safe for concurrent use.
type Validator struct {
	dir      string
	standard map[Endpoint]*jsonschema.Schema
	also     map[Endpoint]*jsonschema.Schema
	rules    map[Endpoint]*jsonschema.Schema
	// extra holds schemas compiled on demand by ValidateAgainst.
	mu       sync.Mutex
	compiler *jsonschema.Compiler
	extra    map[string]*jsonschema.Schema
}

// NewValidator loads and compiles the schemas in dir: the directory holding
// openapi.json, the table schemas (service.json, taxonomy.json, …) and
// compiled/. Format assertions (uuid, uri, email, date-time) are on, as they
// are in the ORUK validator.
func NewValidator(dir string) (*Validator, error) {
	for _, need := range []string{"openapi.json", "taxonomy.json", "taxonomy_term.json", "compiled/service.json"} {
		if _, err := os.Stat(filepath.Join(dir, need)); err != nil {
			return nil, fmt.Errorf("oruk: %s is not the ORUK schema directory: %w", dir, err)
		}
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	c.UseLoader(refuseLoader{})
	files, err := schemaFiles(dir)
	if err != nil {
		return nil, err
	}
	for _, rel := range files {
		doc, err := readJSON(filepath.Join(dir, rel))
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(schemaBase+filepath.ToSlash(rel), doc); err != nil {
			return nil, fmt.Errorf("oruk: %s: %w", rel, err)
		}
	}
	rules, err := jsonschema.UnmarshalJSON(bytes.NewReader(linkworkRules))
	if err != nil {
		return nil, fmt.Errorf("oruk: linkwork_rules.json: %w", err)
	}
	if err := c.AddResource(linkworkRulesURL, rules); err != nil {
		return nil, err
	}
	v := &Validator{
		dir:      dir,
		standard: map[Endpoint]*jsonschema.Schema{},
		also:     map[Endpoint]*jsonschema.Schema{},
		rules:    map[Endpoint]*jsonschema.Schema{},
		compiler: c,
		extra:    map[string]*jsonschema.Schema{},
	}
	for _, e := range Endpoints {
		s, err := c.Compile(schemaBase + endpointSchemas[e])
		if err != nil {
			return nil, fmt.Errorf("oruk: compiling the schema for %s (%s): %w", e, endpointSchemas[e], err)
		}
		v.standard[e] = s
		if a, ok := alsoSchemas[e]; ok {
			s, err := c.Compile(schemaBase + a)
			if err != nil {
				return nil, fmt.Errorf("oruk: compiling the schema for %s (%s): %w", e, a, err)
			}
			v.also[e] = s
		}
		if r, ok := linkworkRuleFor[e]; ok {
			s, err := c.Compile(linkworkRulesURL + "#/$defs/" + r)
			if err != nil {
				return nil, fmt.Errorf("oruk: compiling linkwork rule %q: %w", r, err)
			}
			v.rules[e] = s
		}
	}
	return v, nil
}

// schemaFiles lists the .json files in dir and dir/compiled, relative to dir.
func schemaFiles(dir string) ([]string, error) {
	var out []string
	for _, sub := range []string{".", "compiled"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			return nil, fmt.Errorf("oruk: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".json") {
				out = append(out, filepath.Join(sub, e.Name()))
			}
		}
	}
	return out, nil
}

func readJSON(path string) (any, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("oruk: %w", err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, fmt.Errorf("oruk: %s: %w", path, err)
	}
	return doc, nil
}

// refuseLoader makes sure a reference to anything not registered fails
// instead of reaching for the network or the file system.
type refuseLoader struct{}

func (refuseLoader) Load(url string) (any, error) {
	return nil, fmt.Errorf("oruk: schema %s is not in the local schema directory", url)
}

// FindSchemaDir returns the ORUK schema directory: $LINKWORK_ORUK_SCHEMAS
// when set, otherwise the first shared/standards/oruk/schema found in the
// working directory or one of its parents (from a worktree such as
// /work/wt-oruk/oruk that finds /work/shared/standards/oruk/schema). The
// error says everywhere it looked.
func FindSchemaDir() (string, error) {
	if d := os.Getenv(EnvSchemaDir); d != "" {
		if _, err := os.Stat(filepath.Join(d, "openapi.json")); err != nil {
			return "", fmt.Errorf("oruk: %s=%s holds no openapi.json: %w", EnvSchemaDir, d, err)
		}
		return d, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("oruk: %w", err)
	}
	return schemaDirFrom(wd)
}

// schemaDirFrom looks for shared/standards/oruk/schema in wd and each of
// its parents.
func schemaDirFrom(wd string) (string, error) {
	var tried []string
	for d := wd; ; d = filepath.Dir(d) {
		cand := filepath.Join(d, "shared", "standards", "oruk", "schema")
		if _, err := os.Stat(filepath.Join(cand, "openapi.json")); err == nil {
			return cand, nil
		}
		tried = append(tried, cand)
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", fmt.Errorf("oruk: the Open Referral UK schemas were not found; set %s to the directory holding openapi.json and compiled/ (looked in %s)",
		EnvSchemaDir, strings.Join(tried, ", "))
}

var (
	defaultOnce      sync.Once
	defaultValidator *Validator
	defaultErr       error
)

// DefaultValidator returns a Validator for FindSchemaDir's directory,
// compiled once per process. Tests anywhere in the module use it:
//
//	v, err := oruk.DefaultValidator()
//	if err != nil {
//		t.Fatal(err)
//	}
//	if err := v.ValidateService(body); err != nil {
//		t.Error(err)
//	}
func DefaultValidator() (*Validator, error) {
	defaultOnce.Do(func() {
		dir, err := FindSchemaDir()
		if err != nil {
			defaultErr = err
			return
		}
		defaultValidator, defaultErr = NewValidator(dir)
	})
	return defaultValidator, defaultErr
}

// Dir is the schema directory the validator was loaded from.
func (v *Validator) Dir() string { return v.dir }

// SchemaFor names the published schema an endpoint's response is validated
// against, relative to the schema directory (a JSON pointer into
// openapi.json for the paged endpoints and "/"). A response of
// /service_at_locations/{id} must also satisfy the schema openapi.json
// gives it (AlsoSchemaFor).
func SchemaFor(e Endpoint) string { return endpointSchemas[e] }

// AlsoSchemaFor names the further published schema an endpoint's response
// must satisfy, or "".
func AlsoSchemaFor(e Endpoint) string { return alsoSchemas[e] }

// Problem is one way a document fails: where (a JSON Pointer, RFC 6901, into
// the document; "" is the whole document), what is wrong, and which rules
// say so ("ORUK" for the published schemas, "ORUK OpenAPI" for the schema
// openapi.json gives /service_at_locations/{id}, "linkwork" for linkwork's own
// additions in linkwork_rules.json).
type Problem struct {
	Path    string
	Message string
	Rules   string
}

func (p Problem) String() string {
	path := p.Path
	if path == "" {
		path = "(document)"
	}
	return fmt.Sprintf("%s: %s [%s]", path, p.Message, p.Rules)
}

// ValidationError lists every problem with a document, sorted by path.
type ValidationError struct {
	Endpoint Endpoint
	Schema   string
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "oruk: not a valid %s response (schema %s): ", e.Endpoint, e.Schema)
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return b.String()
}

// Validate checks doc, a JSON document, as the 200 response of endpoint e:
// against the published schema (SchemaFor) and linkwork's rules. It returns
// nil or a *ValidationError naming the path of every problem.
func (v *Validator) Validate(e Endpoint, doc []byte) error {
	std, ok := v.standard[e]
	if !ok {
		return fmt.Errorf("oruk: unknown endpoint %q", e)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return &ValidationError{Endpoint: e, Schema: endpointSchemas[e],
			Problems: []Problem{{Message: "not JSON: " + err.Error(), Rules: "JSON"}}}
	}
	var probs []Problem
	probs = append(probs, problems(std.Validate(inst), "ORUK")...)
	if a := v.also[e]; a != nil {
		probs = append(probs, problems(a.Validate(inst), "ORUK OpenAPI")...)
	}
	if r := v.rules[e]; r != nil {
		probs = append(probs, problems(r.Validate(inst), "linkwork")...)
	}
	if len(probs) == 0 {
		return nil
	}
	return &ValidationError{Endpoint: e, Schema: endpointSchemas[e], Problems: sortProblems(probs)}
}

// ValidateAgainst checks doc against any schema in the directory, named
// relative to it ("compiled/organization.json", "service.json"). Use it for
// documents that are not an endpoint's response, such as the organization
// examples. Only the published schema is applied.
func (v *Validator) ValidateAgainst(schema string, doc []byte) error {
	v.mu.Lock()
	s, ok := v.extra[schema]
	if !ok {
		var err error
		s, err = v.compiler.Compile(schemaBase + schema)
		if err != nil {
			v.mu.Unlock()
			return fmt.Errorf("oruk: compiling %s: %w", schema, err)
		}
		v.extra[schema] = s
	}
	v.mu.Unlock()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return &ValidationError{Schema: schema, Problems: []Problem{{Message: "not JSON: " + err.Error(), Rules: "JSON"}}}
	}
	if probs := problems(s.Validate(inst), "ORUK"); len(probs) > 0 {
		return &ValidationError{Endpoint: Endpoint("(" + schema + ")"), Schema: schema, Problems: sortProblems(probs)}
	}
	return nil
}

// ValidateValue marshals x to JSON and validates it as endpoint e's response.
func (v *Validator) ValidateValue(e Endpoint, x any) error {
	b, err := json.Marshal(x)
	if err != nil {
		return fmt.Errorf("oruk: %w", err)
	}
	return v.Validate(e, b)
}

// ValidateService checks a response of GET /services/{id}.
func (v *Validator) ValidateService(doc []byte) error { return v.Validate(EndpointService, doc) }

// ValidateServiceAtLocationPage checks a response of GET /service_at_locations.
func (v *Validator) ValidateServiceAtLocationPage(doc []byte) error {
	return v.Validate(EndpointServiceAtLocations, doc)
}

// ValidateServiceAtLocation checks a response of GET /service_at_locations/{id}.
func (v *Validator) ValidateServiceAtLocation(doc []byte) error {
	return v.Validate(EndpointServiceAtLocation, doc)
}

// problems flattens a jsonschema error into its leaves: the individual
// keyword failures, each at its own place in the document. A missing
// required property is reported at the path it should have had.
func problems(err error, rules string) []Problem {
	if err == nil {
		return nil
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return []Problem{{Message: err.Error(), Rules: rules}}
	}
	var out []Problem
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) > 0 {
			for _, c := range e.Causes {
				walk(c)
			}
			return
		}
		path := pointer(e.InstanceLocation)
		if req, ok := e.ErrorKind.(*kind.Required); ok {
			for _, m := range req.Missing {
				out = append(out, Problem{Path: pointer(append(slices.Clone(e.InstanceLocation), m)),
					Message: "required property is missing", Rules: rules})
			}
			return
		}
		out = append(out, Problem{Path: path, Message: e.ErrorKind.LocalizedString(printer), Rules: rules})
	}
	walk(ve)
	return out
}

func pointer(tokens []string) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.ReplaceAll(strings.ReplaceAll(t, "~", "~0"), "/", "~1"))
	}
	return b.String()
}

func sortProblems(ps []Problem) []Problem {
	sort.SliceStable(ps, func(i, j int) bool { return ps[i].Path < ps[j].Path })
	return slices.CompactFunc(ps, func(a, b Problem) bool { return a == b })
}
