package orukio_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
)

// seedFiles adds each file to the corpus.
func seedFiles(f *testing.F, paths ...string) {
	f.Helper()
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// orukExamples are the standard's published example services.
func orukExamples(f *testing.F) []string {
	f.Helper()
	dir, err := oruk.FindSchemaDir()
	if err != nil {
		f.Fatal(err)
	}
	paths, err := filepath.Glob(filepath.Join(dir, "..", "examples", "service*.json"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no example services beside %s: %v", dir, err)
	}
	return paths
}

// leaves are the errors err joins, or err.
func leaves(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, leaves(e)...)
		}
		return out
	}
	return []error{err}
}

// csvColumnRe matches a column of the directory CSV, in either layout.
var csvColumnRe = regexp.MustCompile(`^(` + strings.Join(slices.Concat(orukio.CSVColumns, orukio.LegacyCSVColumns), "|") +
	`|location_[1-9][0-9]{0,2}_(` + strings.Join(orukio.LocationColumns, "|") + `)|cost_[1-9][0-9]{0,2}_(` + strings.Join(orukio.CostColumns, "|") + `))$`)

// FuzzReadCSV: ReadCSV never panics; a file it refuses gives no rows and
// names, for each problem, the line (and the column, one of the CSV's) or
// where the CSV itself is broken; every row it accepts is a listing the
// store's checks accept.
func FuzzReadCSV(f *testing.F) {
	seedFiles(f, "testdata/directory.csv")
	for _, s := range []string{
		"id,name,categories,cost_pence,cost_description,location_name,address_1,city,county,postcode,online,online_url,schedules\n" +
			",Chess club,social,0,,Library,1 Main Street,Leeds,West Yorkshire,ls1 4ap,yes,https://example.org/chess,WEEKLY TU 18:00-20:00\n",
		"cost_2_pence,location_3_url,location_3_type,name,categories,location_1_postcode\n0,https://example.org,online,Club,sports,\n",
		"id,name,categories,location_1_type,location_1_postcode,location_2_type,location_2_postcode,location_2_latitude,location_2_longitude,schedules\n" +
			",Club,sports,,LS1 4AP,,LS6 2AA,53.8,-1.5,WEEKLY MO 10:00-11:00 @2\n,Club 2,sports,,LS1 4AP,,NOWHERE,,,\n",
		"name,categories,url,email,online_url\n=HYPERLINK(\"x\"),sports,javascript:alert(1),a@b,https://example.org\n",
		"", "name\n", "\ufeffname,name\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		rows, err := orukio.ReadCSV(bytes.NewReader(b))
		if err != nil {
			if rows != nil {
				t.Fatalf("%d rows with the error %v", len(rows), err)
			}
			for _, e := range leaves(err) {
				var re *orukio.RowError
				var pe *csv.ParseError
				switch {
				case errors.As(e, &re):
					if re.Line < 1 || re.Err == nil || re.Column != "" && !csvColumnRe.MatchString(re.Column) {
						t.Fatalf("a row error that names no line or column of the CSV: %#v (%v)", re, re)
					}
				case errors.As(e, &pe):
				case strings.HasPrefix(e.Error(), "(stopped checking after"):
				default:
					t.Fatalf("an error that names no line: %T %v", e, e)
				}
			}
			return
		}
		for i, r := range rows {
			if err := r.Asset.Validate(); err != nil {
				t.Fatalf("row %d was accepted but the store refuses it: %v", i+1, err)
			}
			if !orukio.IsUUID(r.Asset.ID) {
				t.Fatalf("row %d has the id %q", i+1, r.Asset.ID)
			}
		}
	})
}

// FuzzReadServices: ReadServices never panics, and what it reads, written
// out again, reads back the same.
func FuzzReadServices(f *testing.F) {
	seedFiles(f, append(orukExamples(f), "testdata/feed.json")...)
	for _, s := range []string{`{"contents": []}`, `[]`, `{"id": "x"}`, "[\n{\"id\": \"x\",\n\"name\": }\n]", "",
		// Fields around the UK profile, kept as sent (oruk.Extra).
		`{"id": "x", "phones": [{"id": "p", "number": "0113 496 0000"}], "alternate_name": "X", "Name": "y", "": null,
			"organization": {"id": "o", "legal_status": "charity"}, "schedules": [null, {"until": "2027-01-01", "wkst": "MO"}],
			"contacts": [{"email": "a@example.org"}], "service_at_locations": [{"id": "s", "location": {"transportation": "bus 6"}}]}`,
		`{"id": "x", "phones": 1, "phones": 2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		services, err := orukio.ReadServices(bytes.NewReader(b))
		if err != nil {
			if services != nil || err.Error() == "" {
				t.Fatalf("%d services with the error %q", len(services), err)
			}
			return
		}
		once, err := json.Marshal(services)
		if err != nil {
			t.Fatal(err)
		}
		again, err := orukio.ReadServices(bytes.NewReader(once))
		if err != nil {
			t.Fatalf("what was read does not read back: %v\n%s", err, once)
		}
		if twice, _ := json.Marshal(again); !bytes.Equal(once, twice) {
			t.Fatalf("read back differently:\n%s\n%s", once, twice)
		}
	})
}

// FuzzFromService: FromService never panics; a service it refuses is
// EINVALID naming one field; one it takes has a UUID, a category, a
// place, ages from 0 to 120 and no negative cost.
func FuzzFromService(f *testing.F) {
	for _, p := range append(orukExamples(f), "testdata/feed.json") {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		services, err := orukio.ReadServices(bytes.NewReader(b))
		if err != nil {
			f.Fatalf("%s: %v", p, err)
		}
		for _, s := range services {
			one, _ := json.Marshal(s)
			f.Add(one)
		}
	}
	f.Add([]byte(`{"id":"x","name":"Club","cost_options":[{"id":"c","amount":1e300}],"service_at_locations":[{"id":"s","location":{"id":"l","location_type":"virtual","name":"Online"}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s oruk.Service
		if json.Unmarshal(b, &s) != nil {
			return
		}
		imp, err := orukio.FromService(s, linkwork.CategoryWellbeing)
		if err != nil {
			if fs := linkwork.ErrorFields(err); linkwork.ErrorCode(err) != linkwork.EINVALID || len(fs) != 1 || !strings.HasPrefix(err.Error(), fs[0].Field+": ") {
				t.Fatalf("error %q is not EINVALID naming its field (%v)", err, fs)
			}
			return
		}
		a := imp.Asset
		if !orukio.IsUUID(a.ID) || len(a.Categories) == 0 || len(a.Locations)+len(a.ServiceAreas) == 0 {
			t.Fatalf("id %q, %d categories, %d places, %d areas", a.ID, len(a.Categories), len(a.Locations), len(a.ServiceAreas))
		}
		if a.MinAge < 0 || a.MinAge > linkwork.MaxAge || a.MaxAge < 0 || a.MaxAge > linkwork.MaxAge {
			t.Fatalf("ages %d to %d", a.MinAge, a.MaxAge)
		}
		for _, c := range a.CostOptions {
			if c.Amount != nil && *c.Amount < 0 {
				t.Fatalf("a cost of %d pence from %s", *c.Amount, b)
			}
		}
	})
}
