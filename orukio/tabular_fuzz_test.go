package orukio_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/linkwork/linkwork/orukio"
)

// FuzzReadTabular: reading a package's tables never panics; every
// problem it finds names the file it is in; and what it reads, written
// as a package and read again, reads back to the same services.
func FuzzReadTabular(f *testing.F) {
	f.Add([]byte("id,organization_id,name,status,minimum_age\n"+svcID+","+orgID+",\"=Chess, \"\"club\"\"\",active,12\n"),
		[]byte("id,name,description\n"+orgID+",Club,'+44\n"),
		[]byte("id,service_id,freq,byday,opens_at\nsc1,"+svcID+",WEEKLY,SA,10:00:00\n"),
		[]byte("id,link_id,link_entity,taxonomy_term_id\na1,"+svcID+",service,\na2,"+orgID+",organization,\n"))
	f.Add([]byte("id,name\n,\n"), []byte(""), []byte("id\nx\nx\n"), []byte("id,link_id\na,b\n"))
	f.Add([]byte("\ufeffid,name,status\r\ns,\"a\nb\",active\r\n"), []byte("id,name,description\n"), []byte("id,service_id\n"), []byte("id,link_id,link_entity\n"))
	f.Fuzz(func(t *testing.T, service, organization, schedule, attribute []byte) {
		fsys := fstest.MapFS{
			"datapackage.json": {Data: []byte(`{"linkwork_formula_cells_escaped": true, "resources": [
				{"name": "service", "path": "service.csv"}, {"name": "organization", "path": "organization.csv"},
				{"name": "schedule", "path": "schedule.csv"}, {"name": "attribute", "path": "attribute.csv"}]}`)},
			"service.csv":      {Data: service},
			"organization.csv": {Data: organization},
			"schedule.csv":     {Data: schedule},
			"attribute.csv":    {Data: attribute},
		}
		p, err := orukio.ReadTabular(fsys)
		if err != nil {
			if len(p.Services)+len(p.Organizations) > 0 {
				t.Fatalf("refused with %d services read: %v", len(p.Services), err)
			}
			for _, e := range leaves(err) {
				var te *orukio.TabularError
				if !errors.As(e, &te) && !strings.HasPrefix(e.Error(), "(stopped after") {
					t.Fatalf("a problem that names no file: %v", e)
				}
				if te != nil && !strings.HasSuffix(te.File, ".csv") {
					t.Fatalf("a problem in %q", te.File)
				}
			}
			return
		}
		again := roundTrip(t, p.Services)
		g, _ := json.Marshal(again.Services)
		w, _ := json.Marshal(p.Services)
		if !bytes.Equal(g, w) {
			t.Fatalf("read back as\n%s\nwant\n%s", g, w)
		}
	})
}

// FuzzReadTabularZip: reading a zip never panics, and a zip it reads
// holds a package it reads again the same.
func FuzzReadTabularZip(f *testing.F) {
	for _, name := range []string{"service_full.json", "organization_full.json"} {
		b, err := os.Open(filepath.Join("testdata", "oruk-examples", name))
		if err != nil {
			f.Fatal(err)
		}
		services, err := orukio.ReadServices(b)
		b.Close()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tabularZip(f, orukio.Package{Services: services}))
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, z []byte) {
		p, err := orukio.ReadTabularZip(bytes.NewReader(z), int64(len(z)))
		if err != nil {
			return
		}
		again := roundTrip(t, p.Services)
		g, _ := json.Marshal(again.Services)
		w, _ := json.Marshal(p.Services)
		if !bytes.Equal(g, w) {
			t.Fatalf("read back as\n%s\nwant\n%s", g, w)
		}
	})
}
