package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// A directory exported as a tabular data package imports into an empty
// database as the same services, and importing it again changes nothing.
func TestImportAndExportTabular(t *testing.T) {
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			dir := t.TempDir()
			from := sqltest.DSN(t, dialect)
			mustImport(t, from, "oruk", filepath.Join("..", "..", "orukio", "testdata", "feed.json"))
			mustImport(t, from, "oruk", filepath.Join("..", "..", "orukio", "testdata", "oruk-examples", "service_full.json"))
			want := exportServices(t, from)
			if len(want) != 2 {
				t.Fatalf("the feed imported %d services", len(want))
			}
			zip := filepath.Join(dir, "directory.zip")
			if code, _, errs := runCLI(t, nil, "export", "tabular", "--db", from, "--out", zip); code != 0 {
				t.Fatal(errs)
			}
			to := sqltest.DSN(t, dialect)
			if out := mustImport(t, to, "tabular", zip); !strings.Contains(out, itoa(len(want))+" services created") {
				t.Errorf("first import: %s", out)
			}
			if out := mustImport(t, to, "tabular", zip); !strings.Contains(out, itoa(len(want))+" unchanged") {
				t.Errorf("second import: %s", out)
			}
			// The package names each nested object's parent (a schedule its
			// service_id), which the feed may not have: compare them linked.
			if got := linkedServices(t, exportServices(t, to)); !reflect.DeepEqual(got, linkedServices(t, want)) {
				t.Errorf("imported from the package as\n%v\nwant\n%v", got, want)
			}
		})
	}
}

// linkedServices is exported services as a tabular package gives them
// back (orukio.Linked).
func linkedServices(t *testing.T, list []map[string]any) []oruk.Service {
	t.Helper()
	b, err := json.Marshal(list)
	if err != nil {
		t.Fatal(err)
	}
	var services []oruk.Service
	if err := json.Unmarshal(b, &services); err != nil {
		t.Fatal(err)
	}
	return orukio.Linked(services)
}

// A package with a broken foreign key imports nothing and says where the
// problem is; a package is exported only to a file.
func TestImportTabularBadPackages(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "lw.db")
	pkg := filepath.Join(dir, "pkg")
	if err := os.Mkdir(pkg, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(pkg, "service.csv"), []byte("id,organization_id,name,status\n6b0a7a4e-5d0e-4c52-9a5e-1f2f7d9c0a11,nobody,Club,active\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errs := runCLI(t, nil, "import", "tabular", pkg, "--db", db)
	if code != 1 || !strings.Contains(errs, `service.csv, row 2, column organization_id: there is no organization with the id "nobody"`) {
		t.Errorf("exit status %d: %s", code, errs)
	}
	if got := exportServices(t, db); len(got) != 0 {
		t.Errorf("%d services imported", len(got))
	}
	if code, _, errs := runCLI(t, nil, "export", "tabular", "--db", db); code != 2 || !strings.Contains(errs, "--out") {
		t.Errorf("export tabular to standard output: %d %s", code, errs)
	}
}
