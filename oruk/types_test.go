package oruk_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/linkwork/linkwork/oruk"
)

// roundTrip decodes doc into a T, refusing any field T does not have,
// encodes it again and checks nothing changed.
func roundTrip[T any](t *testing.T, doc []byte) {
	t.Helper()
	var x T
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&x); err != nil {
		t.Fatalf("decoding into %T: %v", x, err)
	}
	out, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := generic(t, doc), generic(t, out); !reflect.DeepEqual(a, b) {
		t.Errorf("%T round trip changed the document:\n in: %s\nout: %s", x, compact(t, doc), out)
	}
}

func generic(t *testing.T, doc []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func compact(t *testing.T, doc []byte) string {
	var b bytes.Buffer
	if err := json.Compact(&b, doc); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// Every published example decodes into the Go types with no field left
// over and encodes back to the same JSON.
func TestExamplesRoundTripLosslessly(t *testing.T) {
	cases := map[string]func(*testing.T, []byte){
		"service_full.json":             roundTrip[oruk.Service],
		"service_list.json":             roundTrip[oruk.Page[oruk.Service]],
		"service_at_location_full.json": roundTrip[oruk.ServiceAtLocation],
		"service_at_location_list.json": roundTrip[oruk.Page[oruk.ServiceAtLocation]],
		"taxonomy.json":                 roundTrip[oruk.Taxonomy],
		"taxonomy_list.json":            roundTrip[oruk.Page[oruk.Taxonomy]],
		"taxonomy_term.json":            roundTrip[oruk.TaxonomyTerm],
		"taxonomy_term_list.json":       roundTrip[oruk.Page[oruk.TaxonomyTerm]],
		"organization_full.json":        roundTrip[oruk.Organization],
		"organization_list.json":        roundTrip[oruk.Page[oruk.Organization]],
	}
	entries, err := os.ReadDir(examplesDir(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		f, ok := cases[e.Name()]
		if !ok {
			t.Errorf("no Go type for the example %s", e.Name())
			continue
		}
		t.Run(e.Name(), func(t *testing.T) { f(t, readExample(t, e.Name())) })
	}
}

// The list shapes (ListItem) of the full examples are what the list
// examples hold.
func TestListItemsMatchTheListExamples(t *testing.T) {
	var svc oruk.Service
	mustDecode(t, readExample(t, "service_full.json"), &svc)
	var svcPage oruk.Page[oruk.Service]
	mustDecode(t, readExample(t, "service_list.json"), &svcPage)
	if !reflect.DeepEqual(svc.ListItem(), svcPage.Contents[0]) {
		t.Errorf("Service.ListItem() = %+v\nwant %+v", svc.ListItem(), svcPage.Contents[0])
	}
	var sal oruk.ServiceAtLocation
	mustDecode(t, readExample(t, "service_at_location_full.json"), &sal)
	var salPage oruk.Page[oruk.ServiceAtLocation]
	mustDecode(t, readExample(t, "service_at_location_list.json"), &salPage)
	a, _ := json.Marshal(sal.ListItem())
	b, _ := json.Marshal(salPage.Contents[0])
	if !bytes.Equal(a, b) {
		t.Errorf("ServiceAtLocation.ListItem() = %s\nwant %s", a, b)
	}
}

func mustDecode(t *testing.T, doc []byte, x any) {
	t.Helper()
	if err := json.Unmarshal(doc, x); err != nil {
		t.Fatal(err)
	}
}

// schemaDoc reads a schema file, resolving "$ref": "x.json" to the file x.json
// beside it.
type schemaDoc map[string]any

func loadSchema(t *testing.T, name string) schemaDoc {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(validator(t).Dir(), name))
	if err != nil {
		t.Fatal(err)
	}
	var s schemaDoc
	mustDecode(t, b, &s)
	return s
}

func deref(t *testing.T, s map[string]any) map[string]any {
	if ref, ok := s["$ref"].(string); ok && !strings.HasPrefix(ref, "#") {
		return loadSchema(t, ref)
	}
	return s
}

var numberType = reflect.TypeFor[json.Number]()

// jsonFields maps a struct's JSON names to their fields.
func jsonFields(rt reflect.Type) map[string]reflect.StructField {
	out := map[string]reflect.StructField{}
	for f := range rt.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = f
		}
	}
	return out
}

// coverage records, for each Go type, every schema property seen for it.
type coverage map[reflect.Type]map[string]bool

// check compares a Go struct type with an object schema: every property has
// a field of the same JSON name and kind; a required property's field is
// never omitted and an optional one's always is. It descends into nested
// objects and arrays.
func (cov coverage) check(t *testing.T, where string, rt reflect.Type, s map[string]any) {
	t.Helper()
	s = deref(t, s)
	for rt.Kind() == reflect.Pointer {
		rt = rt.Elem()
	}
	fields := jsonFields(rt)
	if cov[rt] == nil {
		cov[rt] = map[string]bool{}
	}
	var required []string
	for _, r := range s["required"].([]any) {
		required = append(required, r.(string))
	}
	props, _ := s["properties"].(map[string]any)
	for name, p := range props {
		p := deref(t, p.(map[string]any))
		at := where + "." + name
		cov[rt][name] = true
		f, ok := fields[name]
		if !ok {
			t.Errorf("%s: %s has no field for %q", at, rt.Name(), name)
			continue
		}
		omits := strings.Contains(f.Tag.Get("json"), ",omitempty")
		if isReq := slices.Contains(required, name); isReq == omits {
			t.Errorf("%s: required=%v but %s.%s has omitempty=%v", at, isReq, rt.Name(), f.Name, omits)
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		typ, _ := p["type"].(string)
		if typ == "" && p["properties"] != nil {
			typ = "object"
		}
		switch typ {
		case "string":
			if ft.Kind() != reflect.String || ft == numberType {
				t.Errorf("%s: string in the schema, %s in Go", at, ft)
			}
		case "number":
			if ft != numberType {
				t.Errorf("%s: number in the schema, %s in Go", at, ft)
			}
		case "integer":
			if ft.Kind() != reflect.Int {
				t.Errorf("%s: integer in the schema, %s in Go", at, ft)
			}
		case "object":
			if ft.Kind() != reflect.Struct {
				t.Errorf("%s: object in the schema, %s in Go", at, ft)
				continue
			}
			cov.check(t, at, ft, p)
		case "array":
			if ft.Kind() != reflect.Slice {
				t.Errorf("%s: array in the schema, %s in Go", at, ft)
				continue
			}
			cov.check(t, at+"[]", ft.Elem(), p["items"].(map[string]any))
		default:
			t.Errorf("%s: schema type %q not handled", at, typ)
		}
	}
}

// The Go types have exactly the fields the schemas define (plus the one
// documented extension, Service.capacities, and the HSDS fields the
// profile removes, carried unread), with the same names, kinds and
// required/optional split.
func TestTypesMatchTheSchemas(t *testing.T) {
	cov := coverage{}
	cov.check(t, "compiled/service.json", reflect.TypeFor[oruk.Service](), loadSchema(t, "compiled/service.json"))
	cov.check(t, "compiled/service_at_location.json", reflect.TypeFor[oruk.ServiceAtLocation](), loadSchema(t, "compiled/service_at_location.json"))
	// The response of /service_at_locations/{id} adds the service's name and
	// status, as openapi.json's schema for it (compiled/service.json) has them.
	service := loadSchema(t, "compiled/service.json")
	svcProps := service["properties"].(map[string]any)
	cov.check(t, "compiled/service.json (name, status)", reflect.TypeFor[oruk.ServiceAtLocationResponse](), map[string]any{
		"required":   []any{"name", "status"},
		"properties": map[string]any{"name": svcProps["name"], "status": svcProps["status"]},
	})
	cov.check(t, "compiled/organization.json", reflect.TypeFor[oruk.Organization](), loadSchema(t, "compiled/organization.json"))
	cov.check(t, "taxonomy.json", reflect.TypeFor[oruk.Taxonomy](), loadSchema(t, "taxonomy.json"))
	cov.check(t, "phone.json", reflect.TypeFor[oruk.Phone](), loadSchema(t, "phone.json"))

	extensions := map[reflect.Type][]string{reflect.TypeFor[oruk.Service](): {"capacities"}}
	// And the HSDS 3.0 fields the profile removes from a service,
	// organization, location, service-at-location, session or contact,
	// which the types carry as a feed sent them (json.RawMessage), unread.
	around := map[reflect.Type][]string{}
	for rt, file := range map[reflect.Type]string{
		reflect.TypeFor[oruk.Service](): "service.json", reflect.TypeFor[oruk.Organization](): "organization.json",
		reflect.TypeFor[oruk.Location](): "location.json", reflect.TypeFor[oruk.ServiceAtLocation](): "service_at_location.json",
		reflect.TypeFor[oruk.Schedule](): "schedule.json", reflect.TypeFor[oruk.Contact](): "contact.json",
	} {
		b, err := os.ReadFile(filepath.Join(validator(t).Dir(), "..", "profile", file))
		if err != nil {
			t.Fatal(err)
		}
		var overlay struct {
			Properties map[string]any `json:"properties"`
		}
		mustDecode(t, b, &overlay)
		for name, p := range overlay.Properties {
			if p == nil {
				around[rt] = append(around[rt], name)
			}
		}
		if len(around[rt]) == 0 {
			t.Errorf("profile/%s removes nothing", file)
		}
	}
	raw := reflect.TypeFor[json.RawMessage]()
	for rt, seen := range cov {
		fields := jsonFields(rt)
		for name := range fields {
			if !seen[name] && !slices.Contains(extensions[rt], name) && !slices.Contains(around[rt], name) {
				t.Errorf("%s.%s is in no schema", rt.Name(), name)
			}
		}
		for _, name := range around[rt] {
			if f, ok := goField(rt, name); !ok || f.Type != raw {
				t.Errorf("%s.%s, which the profile removes, is not carried as the feed sent it (json.RawMessage)", rt.Name(), name)
			}
		}
	}
	for _, rt := range []reflect.Type{
		reflect.TypeFor[oruk.Service](), reflect.TypeFor[oruk.Organization](), reflect.TypeFor[oruk.OrganizationIdentifier](),
		reflect.TypeFor[oruk.ServiceAtLocation](), reflect.TypeFor[oruk.Location](), reflect.TypeFor[oruk.Address](),
		reflect.TypeFor[oruk.Accessibility](), reflect.TypeFor[oruk.Schedule](), reflect.TypeFor[oruk.ServiceArea](),
		reflect.TypeFor[oruk.Language](), reflect.TypeFor[oruk.Funding](), reflect.TypeFor[oruk.CostOption](),
		reflect.TypeFor[oruk.Contact](), reflect.TypeFor[oruk.Phone](), reflect.TypeFor[oruk.Attribute](),
		reflect.TypeFor[oruk.Taxonomy](), reflect.TypeFor[oruk.TaxonomyTerm](),
	} {
		if cov[rt] == nil {
			t.Errorf("%s was not checked against any schema", rt.Name())
		}
	}
}

// The page fields are openapi.json's Page, all of them always sent.
func TestPageMatchesOpenAPI(t *testing.T) {
	api := loadSchema(t, "openapi.json")
	pageSchema := api["components"].(map[string]any)["schemas"].(map[string]any)["Page"].(map[string]any)
	fields := jsonFields(reflect.TypeFor[oruk.Page[oruk.Service]]())
	props := pageSchema["properties"].(map[string]any)
	if len(fields) != len(props)+1 {
		t.Errorf("Page has %d fields, openapi.json's Page %d (+ contents)", len(fields), len(props))
	}
	for name := range props {
		f, ok := fields[name]
		if !ok {
			t.Errorf("Page has no %s", name)
		} else if strings.Contains(f.Tag.Get("json"), "omitempty") {
			t.Errorf("Page.%s is omitted when empty", f.Name)
		}
	}
}

func TestOptionalFieldsAreOmittedRequiredOnesNeverAre(t *testing.T) {
	cases := []struct {
		v    any
		want string
	}{
		{oruk.Service{ID: "i", Name: "n", Status: oruk.StatusActive}, `{"id":"i","name":"n","status":"active"}`},
		{oruk.Service{}, `{"id":"","name":"","status":""}`},
		{oruk.Organization{}, `{"id":"","name":"","description":""}`},
		{oruk.Address{}, `{"id":"","address_1":"","city":"","state_province":"","postal_code":"","country":"","address_type":""}`},
		{oruk.Location{}, `{"id":"","location_type":""}`},
		{oruk.TaxonomyTerm{}, `{"id":"","name":"","description":""}`},
		{oruk.Taxonomy{}, `{"id":"","name":"","description":""}`},
		{oruk.Schedule{}, `{"id":""}`},
		{oruk.Root{}, `{"version":"","profile":"","openapi_url":""}`},
		{oruk.CostOption{ID: "c", Amount: oruk.Pounds(0)}, `{"id":"c","amount":0}`},
		{oruk.Service{ID: "i", Name: "n", Status: oruk.StatusActive, MinimumAge: oruk.Num(0)}, `{"id":"i","name":"n","status":"active","minimum_age":0}`},
		{oruk.ServiceCapacity{}, `{"id":"","unit":{"id":"","name":""},"available":0,"updated":""}`},
	}
	for _, c := range cases {
		got, err := json.Marshal(c.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != c.want {
			t.Errorf("%T:\n got %s\nwant %s", c.v, got, c.want)
		}
	}
}

func TestNewPage(t *testing.T) {
	cases := []struct {
		name                string
		n, page, per, total int
		pages               int
		first, last, empty  bool
	}{
		{"nothing found", 0, 1, 10, 0, 0, true, true, true},
		{"one short page", 3, 1, 10, 3, 1, true, true, false},
		{"first of three", 10, 1, 10, 25, 3, true, false, false},
		{"middle", 10, 2, 10, 25, 3, false, false, false},
		{"last, partly full", 5, 3, 10, 25, 3, false, true, false},
		{"past the end", 0, 4, 10, 25, 3, false, true, true},
		{"exactly full", 10, 2, 5, 10, 2, false, true, false},
	}
	for _, c := range cases {
		items := make([]int, c.n)
		p := oruk.NewPage(items, c.page, c.per, c.total)
		want := oruk.Page[int]{TotalItems: c.total, TotalPages: c.pages, PageNumber: c.page, Size: c.n,
			FirstPage: c.first, LastPage: c.last, Empty: c.empty, Contents: items}
		if !reflect.DeepEqual(p, want) {
			t.Errorf("%s: got %+v\nwant %+v", c.name, p, want)
		}
	}
	for _, p := range []oruk.Page[oruk.Service]{oruk.NewPage[oruk.Service](nil, 1, 10, 0), {}} {
		b, _ := json.Marshal(p)
		if !strings.Contains(string(b), `"contents":[]`) {
			t.Errorf("an empty page sends %s", b)
		}
	}
}

func TestFormats(t *testing.T) {
	bst := time.FixedZone("BST", 3600)
	when := time.Date(2026, 3, 7, 11, 5, 9, 0, bst)
	if got := oruk.FormatDateTime(when); got != "2026-03-07T10:05:09.000Z" {
		t.Errorf("FormatDateTime = %s", got)
	}
	if got := oruk.FormatDate(when); got != "2026-03-07" {
		t.Errorf("FormatDate = %s", got)
	}
	if got := oruk.FormatTime(10, 0); got != "10:00:00" {
		t.Errorf("FormatTime = %s", got)
	}
	if got := *oruk.Pounds(3.499); got != "3.5" {
		t.Errorf("Pounds(3.499) = %s", got)
	}
	if got := *oruk.Degrees(-1.5114449); got != "-1.511445" {
		t.Errorf("Degrees = %s", got)
	}
}

// goField is the field of the struct type rt whose JSON name is name.
func goField(rt reflect.Type, name string) (reflect.StructField, bool) {
	for i := range rt.NumField() {
		f := rt.Field(i)
		if n, _, _ := strings.Cut(f.Tag.Get("json"), ","); n == name {
			return f, true
		}
	}
	return reflect.StructField{}, false
}
