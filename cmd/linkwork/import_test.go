package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/web"
)

// exportServices exports the database's services as ORUK JSON.
func exportServices(t *testing.T, db string) []map[string]any {
	t.Helper()
	code, out, errs := runCLI(t, nil, "export", "oruk", "--db", db)
	if code != 0 {
		t.Fatalf("export: %s", errs)
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	for _, s := range list {
		delete(s, "last_modified")
	}
	return list
}

func mustImport(t *testing.T, db string, args ...string) string {
	t.Helper()
	code, out, errs := runCLI(t, nil, append(append([]string{"import"}, args...), "--db", db)...)
	if code != 0 {
		t.Fatalf("import %v: %d %s %s", args, code, out, errs)
	}
	return out
}

func TestImportAndExport(t *testing.T) {
	v, err := oruk.DefaultValidator()
	if err != nil {
		t.Fatal(err)
	}
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			dir := t.TempDir()
			city := sqltest.DSN(t, dialect)
			if code, out, errs := runCLI(t, nil, "demo", "--db", city, "--preset", "small", "--no-serve"); code != 0 {
				t.Fatalf("demo: %s %s", out, errs)
			}
			feed := filepath.Join(dir, "feed.json")
			if code, _, errs := runCLI(t, nil, "export", "oruk", "--db", city, "--out", feed); code != 0 {
				t.Fatal(errs)
			}
			b, err := os.ReadFile(feed)
			if err != nil {
				t.Fatal(err)
			}
			var raw []json.RawMessage
			if err := json.Unmarshal(b, &raw); err != nil {
				t.Fatal(err)
			}
			if len(raw) < 10 {
				t.Fatalf("the export holds %d services", len(raw))
			}
			for i, s := range raw {
				if err := v.ValidateService(s); err != nil {
					t.Fatalf("exported service %d does not validate: %v", i, err)
				}
			}
			want := exportServices(t, city)

			t.Run("importing the city's own feed changes nothing", func(t *testing.T) {
				out := mustImport(t, city, "oruk", feed)
				if !strings.Contains(out, "0 services created, 0 updated") {
					t.Errorf("re-import: %s", out)
				}
				if got := exportServices(t, city); len(got) != len(want) {
					t.Errorf("%d services after re-import, want %d", len(got), len(want))
				}
			})

			t.Run("a changed feed updates the listing, versioned and audited as the system", func(t *testing.T) {
				var list []map[string]any
				if err := json.Unmarshal(b, &list); err != nil {
					t.Fatal(err)
				}
				id := list[0]["id"].(string)
				list[0]["name"] = "Renamed by the feed"
				changed, _ := json.Marshal(list)
				file := filepath.Join(dir, "changed.json")
				if err := os.WriteFile(file, changed, 0o600); err != nil {
					t.Fatal(err)
				}
				out := mustImport(t, city, "oruk", file)
				if !strings.Contains(out, "0 services created, 1 updated, "+itoa(len(list)-1)+" unchanged") {
					t.Errorf("import: %s", out)
				}
				ctx := context.Background()
				db, err := sqlstore.Open(ctx, city, sqlstore.Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				vs, err := sqlstore.NewAssetService(db).FindAssetVersions(linkwork.NewContext(ctx, linkwork.SystemActor("test")), id)
				if err != nil {
					t.Fatal(err)
				}
				if len(vs) < 2 || vs[0].Asset.Name != "Renamed by the feed" || !strings.HasPrefix(vs[0].ChangedBy, "system") {
					t.Errorf("versions: %d, newest %q by %q", len(vs), vs[0].Asset.Name, vs[0].ChangedBy)
				}
				if code, out, errs := runCLI(t, nil, "audit", "verify", "--db", city); code != 0 {
					t.Errorf("audit: %s %s", out, errs)
				}
				mustImport(t, city, "oruk", feed) // put it back
			})

			t.Run("export then import into an empty database gives the same services, twice", func(t *testing.T) {
				empty := sqltest.DSN(t, dialect)
				out := mustImport(t, empty, "oruk", feed)
				if !strings.Contains(out, itoa(len(want))+" services created") {
					t.Errorf("first import: %s", out)
				}
				out = mustImport(t, empty, "oruk", feed)
				if !strings.Contains(out, "0 services created, 0 updated, "+itoa(len(want))+" unchanged") {
					t.Errorf("second import: %s", out)
				}
				got := exportServices(t, empty)
				if len(got) != len(want) {
					t.Fatalf("%d services, want %d", len(got), len(want))
				}
				for i := range want {
					g, _ := json.Marshal(got[i])
					w, _ := json.Marshal(want[i])
					if string(g) != string(w) {
						t.Errorf("service %d differs:\n got %s\nwant %s", i, g, w)
					}
				}
			})

			t.Run("a feed crawled from an ORUK API", func(t *testing.T) {
				ctx := context.Background()
				db, err := sqlstore.Open(ctx, city, sqlstore.Options{})
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				srv, err := web.New(web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, web.Services{
					Assets: sqlstore.NewAssetService(db), Organisations: sqlstore.NewOrganisationService(db), Auth: sqlstore.NewAuthService(db),
				})
				if err != nil {
					t.Fatal(err)
				}
				ts := httptest.NewServer(srv)
				defer ts.Close()
				empty := sqltest.DSN(t, dialect)
				for range 2 {
					mustImport(t, empty, "oruk", ts.URL+"/oruk/")
				}
				if got := exportServices(t, empty); len(got) != len(want) {
					t.Errorf("%d services crawled, want %d", len(got), len(want))
				}
			})

			t.Run("the standard's example service", func(t *testing.T) {
				empty := sqltest.DSN(t, dialect)
				example := filepath.Join(schemaDir(t), "..", "examples", "service_full.json")
				// As published it is placed in "MyCity", postcode "ABC
				// 1234", which no UK map holds: it imports with what it
				// has, the area it serves, and no place; exported, it is
				// the feed's service again, its place included.
				if out := mustImport(t, empty, "oruk", example); !strings.Contains(out, "1 services created") {
					t.Errorf("the US example: %s", out)
				}
				got := exportServices(t, empty)
				if len(got) != 1 || got[0]["service_areas"] == nil {
					t.Fatalf("the US example, exported: %v", got)
				}
				if sals, _ := got[0]["service_at_locations"].([]any); len(sals) != 1 || sals[0].(map[string]any)["id"] != "e94c9f38-1e8f-4564-91d4-d53501ab1765" {
					t.Errorf("the US example's place, exported: %v", got[0]["service_at_locations"])
				}
				// Moved to Leeds, it imports, and importing it again
				// leaves one service.
				b, err := os.ReadFile(example)
				if err != nil {
					t.Fatal(err)
				}
				s := strings.NewReplacer(`"ABC 1234"`, `"LS1 4AP"`, `"latitude": 100`, `"latitude": 53.8`, `"longitude": 101`, `"longitude": -1.55`).Replace(string(b))
				uk := filepath.Join(dir, "example.json")
				if err := os.WriteFile(uk, []byte(s), 0o600); err != nil {
					t.Fatal(err)
				}
				if out := mustImport(t, empty, "oruk", uk); !strings.Contains(out, "1 updated") {
					t.Errorf("moved to Leeds: %s", out)
				}
				out := mustImport(t, empty, "oruk", uk)
				if !strings.Contains(out, "1 unchanged") {
					t.Errorf("second import: %s", out)
				}
				got = exportServices(t, empty)
				if len(got) != 1 || got[0]["id"] != "ac148810-d857-441c-9679-408f346de14b" || got[0]["name"] != "Community Counselling" {
					t.Fatalf("got %v", got)
				}
				if org, _ := got[0]["organization"].(map[string]any); org == nil || org["name"] != "Example Organization Inc." {
					t.Errorf("organization: %v", got[0]["organization"])
				}
			})

			t.Run("CSV round trip", func(t *testing.T) {
				code, first, errs := runCLI(t, nil, "export", "csv", "--db", city)
				if code != 0 {
					t.Fatal(errs)
				}
				file := filepath.Join(dir, "dir.csv")
				if err := os.WriteFile(file, []byte(first), 0o600); err != nil {
					t.Fatal(err)
				}
				empty := sqltest.DSN(t, dialect)
				mustImport(t, empty, "csv", file)
				out := mustImport(t, empty, "csv", file)
				if !strings.Contains(out, "0 services created, 0 updated") {
					t.Errorf("second CSV import: %s", out)
				}
				_, again, _ := runCLI(t, nil, "export", "csv", "--db", empty)
				if again != first {
					t.Errorf("the CSV changed on the round trip:\n%s\n---\n%s", first, again)
				}
			})
		})
	}
}

// In ORUK several services share a location (and may share contacts);
// linkwork keeps a copy with each listing, so the copies need ids of their
// own.
func TestImportSharedLocations(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "lw.db")
	loc := `{"id":"3a19ff88-4620-4d17-9830-ac1d859eb5d5","location_type":"physical","name":"Civic Centre",
		"addresses":[{"id":"74706e55-df26-4b84-80fe-ecc30b5befb4","address_1":"1 Main Street","city":"Leeds","state_province":"West Yorkshire","postal_code":"LS1 4AP","country":"GB","address_type":"physical"}]}`
	svc := func(id, name string) string {
		return `{"id":"` + id + `","name":"` + name + `","status":"active",
			"organization":{"id":"1d5f5a3e-8d6c-4e44-9a0b-2a7d3c9e1f00","name":"Civic Trust","description":"A trust"},
			"contacts":[{"id":"9c1e2d3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f","name":"Sam"}],
			"schedules":[{"id":"` + id[:8] + `-0000-4000-8000-000000000001","service_at_location_id":"` + id[:8] + `-0000-4000-8000-000000000002","freq":"WEEKLY","byday":"MO","opens_at":"10:00:00","closes_at":"11:00:00"}],
			"service_at_locations":[{"id":"` + id[:8] + `-0000-4000-8000-000000000002","location":` + loc + `}]}`
	}
	feed := filepath.Join(dir, "shared.json")
	doc := "[" + svc("11111111-2222-4333-8444-555555555555", "Coffee morning") + "," + svc("66666666-7777-4888-8999-aaaaaaaaaaaa", "Chess club") + "]"
	if err := os.WriteFile(feed, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := mustImport(t, db, "oruk", feed); !strings.Contains(out, "2 services created") || !strings.Contains(out, "1 organisations created") {
		t.Errorf("first import: %s", out)
	}
	if out := mustImport(t, db, "oruk", feed); !strings.Contains(out, "2 unchanged") {
		t.Errorf("second import: %s", out)
	}
	// The same organisation under another id is matched by its name.
	other := strings.Replace(svc("bbbbbbbb-cccc-4ddd-8eee-ffffffffffff", "Book club"), "1d5f5a3e-8d6c-4e44-9a0b-2a7d3c9e1f00", "2d5f5a3e-8d6c-4e44-9a0b-2a7d3c9e1f00", 1)
	if err := os.WriteFile(feed, []byte("["+other+"]"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := mustImport(t, db, "oruk", feed); !strings.Contains(out, "1 services created") || !strings.Contains(out, "0 organisations created") {
		t.Errorf("import by name: %s", out)
	}
	got := exportServices(t, db)
	if len(got) != 3 {
		t.Fatalf("%d services, want 3", len(got))
	}
	for _, s := range got {
		if s["organization_id"] != "1d5f5a3e-8d6c-4e44-9a0b-2a7d3c9e1f00" {
			t.Errorf("%s is run by %v", s["name"], s["organization_id"])
		}
	}
	for _, s := range got {
		sched := s["schedules"].([]any)[0].(map[string]any)
		sal := s["service_at_locations"].([]any)[0].(map[string]any)
		if sched["service_at_location_id"] != sal["id"] {
			t.Errorf("%s: the session is not at its place: %v %v", s["name"], sched, sal)
		}
	}
}

func TestImportBadFiles(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "lw.db")
	write := func(name, s string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	header := "id,name,categories,postcode,minimum_age\n"
	tests := []struct {
		name string
		args []string
		code int
		says []string
	}{
		{"broken JSON", []string{"oruk", write("bad.json", "[\n{\"id\": \"x\",\n\"name\": }\n]")}, 1, []string{"line 3"}},
		{"a field of the wrong type", []string{"oruk", write("type.json", "[\n{\"id\": \"x\", \"name\": 3}]")}, 1, []string{"line 2", "name"}},
		{"an empty feed", []string{"oruk", write("empty.json", "")}, 1, []string{"empty"}},
		{"a missing file", []string{"oruk", filepath.Join(dir, "nope.json")}, 1, []string{"nope.json"}},
		{"a service without a place", []string{"oruk", write("noplace.json", `[{"id":"6b0a7a4e-5d0e-4c52-9a5e-1f2f7d9c0a11","name":"Nowhere club","status":"active"}]`)}, 1, []string{"Nowhere club", "service_at_locations"}},
		{"a bad age", []string{"oruk", write("age.json", `[{"id":"6b0a7a4e-5d0e-4c52-9a5e-1f2f7d9c0a12","name":"Old","status":"active","minimum_age":200}]`)}, 1, []string{"minimum_age"}},
		{"an unknown CSV column", []string{"csv", write("col.csv", "id,name,colour\n")}, 1, []string{"line 1", `"colour" is not a column`}},
		{"a bad CSV age", []string{"csv", write("age.csv", header+",Club,sports,LS1 4AP,10\n,Club 2,sports,LS1 4AP,ten\n")}, 1, []string{"line 3, column minimum_age", `"ten"`}},
		{"a bad CSV postcode", []string{"csv", write("pc.csv", header+",Club,sports,NOWHERE,\n")}, 1, []string{"line 2, column postcode"}},
		{"a bad CSV category", []string{"csv", write("cat.csv", header+",Club,knitting,LS1 4AP,\n")}, 1, []string{"line 2, column categories", "knitting"}},
		{"a CSV row without a name", []string{"csv", write("name.csv", header+"x,,sports,LS1 4AP,\n")}, 1, []string{"line 2, column name"}},
		{"an empty CSV", []string{"csv", write("empty.csv", "")}, 1, []string{"line 1", "header"}},
		{"no file", []string{"oruk"}, 2, []string{"say which file"}},
		{"an unknown kind", []string{"xml", "f"}, 2, []string{`"xml" is not a kind of import`}},
		{"an unknown category", []string{"oruk", "f.json", "--category", "knitting"}, 2, []string{"--category"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, nil, append(append([]string{"import"}, tt.args...), "--db", db)...)
			if code != tt.code {
				t.Errorf("exit status %d, want %d: %s", code, tt.code, errs)
			}
			for _, s := range tt.says {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr %q does not say %q", errs, s)
				}
			}
		})
	}
	if code, _, errs := runCLI(t, nil, "export", "json", "--db", db); code != 2 || !strings.Contains(errs, `"json" is not a kind of export`) {
		t.Errorf("export json: %d %s", code, errs)
	}
	for _, args := range [][]string{{"import", "--help"}, {"export", "--help"}} {
		code, out, _ := runCLI(t, nil, args...)
		if code != 0 || !strings.Contains(out, "Usage") {
			t.Errorf("%v: %d %s", args, code, out)
		}
	}
	if _, out, _ := runCLI(t, nil, "import", "--help"); !strings.Contains(out, "cost_pence") {
		t.Errorf("import --help does not list the CSV columns: %s", out)
	}
}

func schemaDir(t *testing.T) string {
	t.Helper()
	d, err := oruk.FindSchemaDir()
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// A CSV file is imported whole or not at all: a row the store refuses when
// it comes to save it (a postcode that is well formed but in no lookup)
// leaves the directory as it was, even the row before it that was good,
// and the error names the wrong row's line and column.
func TestImportCSVIsAllOrNothing(t *testing.T) {
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			db := sqltest.DSN(t, dialect)
			file := filepath.Join(t.TempDir(), "two.csv")
			csv := "id,name,organisation,categories,postcode\n" +
				",Good club,Civic Trust,sports,LS1 4AP\n" +
				",Lost club,Civic Trust,sports,ZZ99 9ZZ\n"
			if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
				t.Fatal(err)
			}
			code, out, errs := runCLI(t, nil, "import", "csv", file, "--db", db)
			if code != 1 {
				t.Errorf("exit status %d, want 1: %s %s", code, out, errs)
			}
			for _, s := range []string{"line 3, column postcode", "ZZ99 9ZZ", "nothing"} {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr %q does not say %q", errs, s)
				}
			}
			if got := exportServices(t, db); len(got) != 0 {
				t.Errorf("%d services imported from a refused file, want none: %v", len(got), got)
			}
			ctx := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
			store, err := sqlstore.Open(ctx, db, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			if orgs, _, err := sqlstore.NewOrganisationService(store).FindOrganisations(ctx, linkwork.OrganisationFilter{Query: "Civic Trust", Limit: 10}); err != nil || len(orgs) != 0 {
				t.Errorf("the refused file's organisation was kept: %d (%v)", len(orgs), err)
			}
		})
	}
}
