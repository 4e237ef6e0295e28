package orukio_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
)

var made = time.Date(2026, 12, 6, 15, 0, 0, 0, time.UTC)

// tabularZip writes p as a package and returns the zip.
func tabularZip(t testing.TB, p orukio.Package) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := orukio.WriteTabular(&b, p, made); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// roundTrip writes services as a package and reads them back.
func roundTrip(t testing.TB, services []oruk.Service) orukio.Package {
	t.Helper()
	z := tabularZip(t, orukio.Package{Services: services})
	p, err := orukio.ReadTabularZip(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sameJSON fails the test when got and want differ as JSON, showing the
// first difference.
func sameJSON(t *testing.T, got, want any) {
	t.Helper()
	g, _ := json.MarshalIndent(got, "", " ")
	w, _ := json.MarshalIndent(want, "", " ")
	if bytes.Equal(g, w) {
		return
	}
	gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
	for i := range min(len(gl), len(wl)) {
		if gl[i] != wl[i] {
			t.Fatalf("JSON differs at line %d: got %s, want %s", i+1, strings.TrimSpace(gl[i]), strings.TrimSpace(wl[i]))
		}
	}
	t.Fatalf("JSON differs in length: got %d lines, want %d", len(gl), len(wl))
}

// The standard's published examples come back from a package as the same
// JSON, every field of them (each nested object naming its parent).
func TestTabularRoundTripsThePublishedExamples(t *testing.T) {
	for _, name := range []string{"service_full.json", "organization_full.json", "service_at_location_full.json"} {
		t.Run(name, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", "oruk-examples", name))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			services, err := orukio.ReadServices(f)
			if err != nil || len(services) == 0 {
				t.Fatalf("%d services, %v", len(services), err)
			}
			p := roundTrip(t, services)
			sameJSON(t, p.Services, orukio.Linked(services))
			if len(p.Ignored) > 0 {
				t.Errorf("the package it wrote had parts it ignored reading: %q", p.Ignored)
			}
		})
	}
}

// demoSink keeps the demo city's directory and drops the rest.
type demoSink struct {
	orgs   map[string]*linkwork.Organisation
	assets []*linkwork.Asset
}

func (s *demoSink) Organisation(o *linkwork.Organisation) error {
	s.orgs[o.ID] = o
	return nil
}
func (s *demoSink) Asset(a *linkwork.Asset) error          { s.assets = append(s.assets, a); return nil }
func (*demoSink) User(*linkwork.User, string) error        { return nil }
func (*demoSink) Settings(*linkwork.ServiceSettings) error { return nil }
func (*demoSink) Fund(*linkwork.Fund) error                { return nil }
func (*demoSink) Person(*linkwork.Person) error            { return nil }
func (*demoSink) Referral(*linkwork.Referral) error        { return nil }
func (*demoSink) Case(*linkwork.Case) error                { return nil }
func (*demoSink) Goal(*linkwork.Goal) error                { return nil }
func (*demoSink) Contact(*linkwork.Contact) error          { return nil }
func (*demoSink) Connection(*linkwork.Connection) error    { return nil }
func (*demoSink) FundRequest(*linkwork.FundRequest) error  { return nil }
func (*demoSink) Measure(*linkwork.MeasureResponse) error  { return nil }

var _ demo.Sink = (*demoSink)(nil)

// The demo city's directory, as the ORUK API serves it, comes back from a
// package as the same JSON: its services, their organisations (each
// written once, however many services it runs) and places.
func TestTabularRoundTripsTheDemoDirectory(t *testing.T) {
	cfg, err := demo.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Now = made
	sink := &demoSink{orgs: map[string]*linkwork.Organisation{}}
	if _, err := demo.Generate(cfg, sink); err != nil {
		t.Fatal(err)
	}
	var services []oruk.Service
	orgs := map[string]bool{}
	for _, a := range sink.assets {
		services = append(services, orukio.Service(a, sink.orgs[a.OrgID]))
		if a.OrgID != "" {
			orgs[a.OrgID] = true
		}
	}
	if len(services) < 50 || len(orgs) < 2 {
		t.Fatalf("the demo directory has %d services of %d organisations: too few to show anything", len(services), len(orgs))
	}
	z := tabularZip(t, orukio.Package{Services: services})
	p, err := orukio.ReadTabularZip(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, p.Services, orukio.Linked(services))
	if rows := csvRows(t, z, "organization.csv"); len(rows) != len(orgs)+1 {
		t.Errorf("organization.csv has %d rows; want the header and one for each of the %d organisations", len(rows), len(orgs))
	}
}

// csvRows reads one CSV of a package zip.
func csvRows(t *testing.T, z []byte, name string) [][]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// filled sets every field of v that the ORUK JSON carries: each text a
// different value, starting with one of the characters a spreadsheet
// runs as a formula (or an apostrophe and one), each number a negative
// one, each list two objects. It leaves out what the package leaves out
// by design: an organization's list of services and a
// service-at-location's service (the services are the package's top
// level).
func filled(v reflect.Value, n *int) {
	starts := []string{"=", "+", "-", "@", "'=", "\t", "", "''+"}
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		filled(v.Elem(), n)
	case reflect.Struct:
		for i := range v.NumField() {
			f := v.Type().Field(i)
			// The HSDS fields around the UK profile (json.RawMessage, kept
			// as a feed sent them) travel in the JSON feed, not the package.
			if !f.IsExported() || v.Type() == reflect.TypeFor[oruk.Organization]() && f.Name == "Services" ||
				v.Type() == reflect.TypeFor[oruk.ServiceAtLocation]() && f.Name == "Service" || f.Type == reflect.TypeFor[json.RawMessage]() {
				continue
			}
			filled(v.Field(i), n)
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := range 2 {
			filled(v.Index(i), n)
		}
	case reflect.String:
		*n++
		if v.Type() == reflect.TypeFor[json.Number]() {
			v.SetString(fmt.Sprintf("-%d.5", *n))
		} else {
			v.SetString(fmt.Sprintf("%s%d, \"quoted\"\nsecond line", starts[*n%len(starts)], *n))
		}
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64, reflect.Int32:
		*n++
		v.SetInt(int64(-*n))
	}
}

// A service with every field the ORUK types have filled in comes back
// whole: every field is a column, a child table or a table of its own,
// and every text that a spreadsheet would run is neutralised and restored.
func TestTabularCarriesEveryField(t *testing.T) {
	var services []oruk.Service
	n := 0
	for range 2 {
		var s oruk.Service
		filled(reflect.ValueOf(&s).Elem(), &n)
		services = append(services, s)
	}
	p := roundTrip(t, services)
	sameJSON(t, p.Services, orukio.Linked(services))
}

// Every cell of a package linkwork writes is safe to open in a
// spreadsheet: none starts with a character that runs a formula unless it
// is a number.
func TestTabularNeutralisesFormulaCells(t *testing.T) {
	s := oruk.Service{ID: "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e01", Name: "=HYPERLINK(\"https://evil.example\",\"Chess\")", Status: oruk.StatusActive,
		Description: "@SUM(1+1)", MinimumAge: oruk.Num(-1),
		Organization: &oruk.Organization{ID: "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e02", Name: "+44 113 496 0000 trust", Description: "-"}}
	z := tabularZip(t, orukio.Package{Services: []oruk.Service{s}})
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	cells := 0
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".csv") {
			continue
		}
		for _, row := range csvRows(t, z, f.Name) {
			for _, c := range row {
				cells++
				if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && c != "-1" {
					t.Errorf("%s holds the cell %q, which a spreadsheet would run", f.Name, c)
				}
			}
		}
	}
	if cells < 20 {
		t.Fatalf("only %d cells written", cells)
	}
	p, err := orukio.ReadTabularZip(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	sameJSON(t, p.Services, orukio.Linked([]oruk.Service{s}))
}

// A package linkwork did not write keeps the apostrophes its cells start
// with: only a cell linkwork neutralised has one taken off.
func TestTabularKeepsApostrophesOfOtherPackages(t *testing.T) {
	fsys := fstest.MapFS{
		"service.csv": {Data: []byte("id,name,status\ns1,'=not a formula,active\n")},
	}
	p, err := orukio.ReadTabular(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Services) != 1 || p.Services[0].Name != "'=not a formula" {
		t.Fatalf("read %+v", p.Services)
	}
}

// A package names its tables in datapackage.json, each with its columns,
// primary key and foreign keys, as the Frictionless specification asks.
func TestTabularDescribesItsTables(t *testing.T) {
	z := tabularZip(t, orukio.Package{})
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		t.Fatal(err)
	}
	f, err := zr.Open("datapackage.json")
	if err != nil {
		t.Fatal(err)
	}
	var dp struct {
		Profile   string `json:"profile"`
		Resources []struct {
			Name, Path string
			Schema     struct {
				Fields      []struct{ Name, Type string }
				PrimaryKey  string `json:"primaryKey"`
				ForeignKeys []struct {
					Fields    string
					Reference struct{ Resource, Fields string }
				} `json:"foreignKeys"`
			}
		}
	}
	if err := json.NewDecoder(f).Decode(&dp); err != nil {
		t.Fatal(err)
	}
	if dp.Profile != "tabular-data-package" {
		t.Errorf("profile %q", dp.Profile)
	}
	var names []string
	fks := map[string]string{}
	for _, r := range dp.Resources {
		names = append(names, r.Name)
		if r.Path != r.Name+".csv" || r.Schema.PrimaryKey != "id" {
			t.Errorf("%s: path %q, primary key %q", r.Name, r.Path, r.Schema.PrimaryKey)
		}
		header := csvRows(t, z, r.Path)[0]
		var fields []string
		for _, fl := range r.Schema.Fields {
			fields = append(fields, fl.Name)
		}
		if !slices.Equal(header, fields) {
			t.Errorf("%s: header %q, described as %q", r.Path, header, fields)
		}
		for _, fk := range r.Schema.ForeignKeys {
			fks[r.Name+"."+fk.Fields] = fk.Reference.Resource + "." + fk.Reference.Fields
		}
	}
	for _, want := range []string{"organization", "service", "service_at_location", "location", "address", "schedule", "service_area",
		"cost_option", "language", "accessibility", "contact", "funding", "taxonomy", "taxonomy_term", "attribute"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s table: %q", want, names)
		}
	}
	for from, to := range map[string]string{"service.organization_id": "organization.id", "service_at_location.service_id": "service.id",
		"service_at_location.location_id": "location.id", "address.location_id": "location.id", "schedule.service_id": "service.id",
		"attribute.taxonomy_term_id": "taxonomy_term.id", "taxonomy_term.taxonomy_id": "taxonomy.id"} {
		if fks[from] != to {
			t.Errorf("foreign key %s names %q, want %s", from, fks[from], to)
		}
	}
}

const (
	orgID = "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e0a"
	svcID = "0f5e8a3c-1d2b-4c6d-8e9f-0a1b2c3d4e0b"
)

// A package with a problem is refused, naming the file, row and column.
func TestTabularNamesEachProblem(t *testing.T) {
	services := "id,organization_id,name,status\n" + svcID + "," + orgID + ",Chess,active\n"
	orgs := "id,name,description\n" + orgID + ",Club,A club\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"a service names an organization the package does not have", map[string]string{"service.csv": services},
			`service.csv, row 2, column organization_id: there is no organization with the id "` + orgID + `" in organization.csv`},
		{"a schedule names a service the package does not have", map[string]string{"service.csv": services, "organization.csv": orgs,
			"schedule.csv": "id,service_id,freq\nsc1,nobody,WEEKLY\n"}, `schedule.csv, row 2, column service_id: there is no service with the id "nobody"`},
		{"a schedule names no service", map[string]string{"service.csv": services, "organization.csv": orgs,
			"schedule.csv": "id,service_id,freq\nsc1,,WEEKLY\n"}, `schedule.csv, row 2, column service_id: the row names no service it belongs to`},
		{"an attribute names a table that has none", map[string]string{"service.csv": services, "organization.csv": orgs,
			"attribute.csv": "id,link_id,link_entity\na1," + svcID + ",phone\n"}, `attribute.csv, row 2, column link_entity: "phone" is not a table whose rows have attributes`},
		{"an attribute names a taxonomy term the package does not have", map[string]string{"service.csv": services, "organization.csv": orgs,
			"attribute.csv": "id,link_id,link_entity,taxonomy_term_id\na1," + svcID + ",service,t9\n"}, `attribute.csv, row 2, column taxonomy_term_id: there is no taxonomy_term with the id "t9"`},
		{"two rows have the same id", map[string]string{"organization.csv": orgs + orgID + ",Club again,\n"},
			`organization.csv, row 3, column id: the id "` + orgID + `" is on row 2 too`},
		{"a row has no id", map[string]string{"organization.csv": orgs + ",Nameless,\n"}, `organization.csv, row 3, column id: the id is blank`},
		{"a number is not one", map[string]string{"service.csv": "id,name,status,minimum_age\ns1,Chess,active,twelve\n"},
			`service.csv, row 2, column minimum_age: "twelve" is not a number`},
		{"a table has no id column", map[string]string{"service.csv": "name,status\nChess,active\n"}, `service.csv, row 1, column id: the header has no id column`},
		{"a column is in the header twice", map[string]string{"service.csv": "id,name,name\ns1,Chess,Chess\n"}, `service.csv, row 1, column name: the column is in the header twice`},
		{"a row has too many cells", map[string]string{"service.csv": "id,name\ns1,Chess,active\n"}, `service.csv, row 2: wrong number of fields`},
		{"a table is empty", map[string]string{"service.csv": ""}, `service.csv: the file is empty`},
		{"there is no service or organization table", map[string]string{"location.csv": "id\n"}, `the package has no service table`},
		{"datapackage.json names a file outside the package", map[string]string{"datapackage.json": `{"resources":[{"name":"service","path":"../service.csv"}]}`},
			`datapackage.json, column resources[0].path: "../service.csv" is not the path of a file in the package`},
		{"datapackage.json names a file that is not there", map[string]string{"datapackage.json": `{"resources":[{"name":"service","path":"services.csv"}]}`},
			`services.csv: open services.csv: file does not exist`},
		{"datapackage.json is not JSON", map[string]string{"datapackage.json": `{"resources":`}, `datapackage.json: `},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tc.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			p, err := orukio.ReadTabular(fsys)
			if err == nil {
				t.Fatalf("read %d services with no error", len(p.Services))
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant it to say %q", err, tc.want)
			}
		})
	}
}

// A package from elsewhere reads with what linkwork keeps, saying what it
// left out: tables and columns it has no place for, and rows nothing
// links to. Its files may be in any folder datapackage.json names.
func TestTabularSaysWhatItIgnores(t *testing.T) {
	fsys := fstest.MapFS{
		"datapackage.json": {Data: []byte(`{"resources":[{"name":"service","path":"data/service.csv"},{"name":"organization","path":"data/organization.csv"},
			{"name":"program","path":"data/program.csv"},{"name":"location","path":"data/location.csv"}]}`)},
		"data/service.csv":      {Data: []byte("\ufeffid,organization_id,name,status,alternate_name\n" + svcID + "," + orgID + ",Chess,active,Chess club\n")},
		"data/organization.csv": {Data: []byte("id,name,description\n" + orgID + ",Club,A club\n")},
		"data/location.csv":     {Data: []byte("id,location_type,name\nl1,physical,Hall\n")},
	}
	p, err := orukio.ReadTabular(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Services) != 1 || p.Services[0].Organization == nil || p.Services[0].Organization.Name != "Club" || p.Services[0].OrganizationID != orgID {
		t.Fatalf("read %+v", p.Services)
	}
	want := []string{`the table "program" (data/program.csv), which linkwork does not keep`,
		"the column alternate_name of service.csv, which linkwork does not keep",
		"1 rows of location.csv that no service, organization or taxonomy links to"}
	if !slices.Equal(p.Ignored, want) {
		t.Errorf("ignored %q\nwant %q", p.Ignored, want)
	}
}

// A zip is read whether the package is at its top or in a folder, and one
// that would unpack to too much, or holds too many files, is refused
// before it is unpacked.
func TestTabularZipLimits(t *testing.T) {
	services := []oruk.Service{{ID: svcID, Name: "Chess", Status: oruk.StatusActive}}
	inFolder := func() []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		zr, _ := zip.NewReader(bytes.NewReader(tabularZip(t, orukio.Package{Services: services})), int64(len(tabularZip(t, orukio.Package{Services: services}))))
		for _, f := range zr.File {
			w, _ := zw.Create("export/" + f.Name)
			r, _ := f.Open()
			_, _ = io.Copy(w, r)
		}
		_ = zw.Close()
		return b.Bytes()
	}()
	p, err := orukio.ReadTabularZip(bytes.NewReader(inFolder), int64(len(inFolder)))
	if err != nil || len(p.Services) != 1 {
		t.Fatalf("a package in a folder: %d services, %v", len(p.Services), err)
	}
	zipOf := func(files int, size int) []byte {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for i := range files {
			w, err := zw.Create(fmt.Sprintf("f%d.csv", i))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(make([]byte, size)); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	for _, tc := range []struct {
		name string
		zip  []byte
		want string
	}{
		{"too many files", zipOf(orukio.TabularMaxFiles+1, 1), "the zip holds 101 files; a package may hold at most 100"},
		{"too much unpacked", zipOf(2, orukio.TabularMaxBytes/2+1), "the package holds more than 64 MB unpacked"},
		{"not a zip", []byte("id,name\n"), "the file is not a zip"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := orukio.ReadTabularZip(bytes.NewReader(tc.zip), int64(len(tc.zip)))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
