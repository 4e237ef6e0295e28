package sqlstore_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"os"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// FuzzImportPostcodes: ImportPostcodes never panics; a file it refuses is
// EINVALID (never an internal error); and every postcode of a file it
// takes is either left out or placed within the UK's bounds.
func FuzzImportPostcodes(f *testing.F) {
	b, err := os.ReadFile("../cmd/linkwork/testdata/onspd_sample.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	for _, s := range []string{
		"pcd,pcd2,pcds,dointr,doterm,lat,long\n\"LS1  4AP\",\"LS1  4AP\",\"LS1 4AP\",\"199806\",\"\",\"53.796000\",\"-1.548000\"\n" +
			"\"ZZ99 9ZZ\",\"ZZ99 9ZZ\",\"ZZ99 9ZZ\",\"198001\",\"\",\"99.999999\",\"0.000000\"\n",
		"pcds,lat,long\nLS6 2AA,53.82,-1.58\nLS6 2AA,53.82,-1.58\n",
		"pcds,lat\n", "", "pcds,lat,long\nLS6 2AA,53.82\n", "pcds,lat,long\nLS6 2AA,NaN,-1.58\n",
	} {
		f.Add([]byte(s))
	}
	db := sqltest.Open(f, "sqlite", sqlstore.Options{})
	sys := linkwork.NewContext(f.Context(), linkwork.SystemActor("fuzz"))
	listings := sqlstore.NewListingService(db)
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := sqlstore.ImportPostcodes(sys, db, bytes.NewReader(b))
		if err != nil {
			if linkwork.ErrorCode(err) != linkwork.EINVALID {
				t.Fatalf("a bad file is %s: %v", linkwork.ErrorCode(err), err)
			}
			return
		}
		if res.Loaded < 0 || res.Terminated < 0 || res.NoPlace < 0 {
			t.Fatalf("import %+v", res)
		}
		rows, _ := csv.NewReader(bytes.NewReader(b)).ReadAll()
		pcds := -1
		for i, row := range rows {
			if i == 0 {
				for j, h := range row {
					if strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))) == "pcds" {
						pcds = j
					}
				}
				continue
			}
			if pcds < 0 || pcds >= len(row) {
				continue
			}
			p, ok, err := listings.PostcodePoint(sys, row[pcds])
			if err != nil {
				t.Fatalf("%q after the import: %v", row[pcds], err)
			}
			if ok && (math.IsNaN(p.Lat) || math.IsNaN(p.Lon) || p.Lat < 49 || p.Lat > 61 || p.Lon < -9 || p.Lon > 2.5) {
				t.Fatalf("%q was placed at %v", row[pcds], p)
			}
		}
	})
}
