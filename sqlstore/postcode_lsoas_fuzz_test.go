package sqlstore_test

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// FuzzImportPostcodeLSOAs: the postcode lookup's loader never panics; a
// file it refuses is EINVALID (never an internal error); what it loads
// adds up (every postcode loaded once, the ranked among them), and every
// postcode in the lookup is a full postcode in its usual form with an
// English or Welsh LSOA.
func FuzzImportPostcodeLSOAs(f *testing.F) {
	b, err := os.ReadFile("testdata/nspl_sample.csv")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	for _, s := range []string{
		"pcds,lsoa11\nLS9 1AA,E01000048\nls91aa,E01000001\n",
		"pcd,lsoa11\n\"LS9  1AA\",\"E01000048\"\n\"LS9 1A\",\"E01000048\"\n",
		"pcds,lsoa11\nLS9 1AA\n", "pcds\n", "", "\ufeffPCDS,LSOA11\nCF10 1AA,W01001234\n",
		"pcds,lsoa11\nLS9 1AA,E0100004X\nLS9 1AB,E02000001\nLS9 1AC,L99999999\n",
	} {
		f.Add([]byte(s))
	}
	db := sqltest.Open(f, "sqlite", sqlstore.Options{})
	sys := linkwork.NewContext(f.Context(), linkwork.SystemActor("fuzz"))
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := sqlstore.ImportPostcodeLSOAs(sys, db, bytes.NewReader(b))
		if err != nil {
			if linkwork.ErrorCode(err) != linkwork.EINVALID {
				t.Fatalf("a bad file is %s: %v", linkwork.ErrorCode(err), err)
			}
			return
		}
		if res.Loaded < 0 || res.Ranked > res.Loaded || res.Skipped != res.NoArea+res.Bad {
			t.Fatalf("load %+v", res)
		}
		count, err := db.QueryString("SELECT CAST(COUNT(*) AS TEXT) FROM postcode_lsoas")
		if err != nil {
			t.Fatal(err)
		}
		if count != strconv.Itoa(res.Loaded) {
			t.Fatalf("%s in the lookup, %d loaded", count, res.Loaded)
		}
		if res.Loaded == 0 {
			return
		}
		row, err := db.QueryString("SELECT MIN(postcode || '|' || lsoa11) FROM postcode_lsoas")
		if err != nil {
			t.Fatal(err)
		}
		pc, lsoa, _ := strings.Cut(row, "|")
		p, err := linkwork.ParsePostcode(pc)
		if err != nil || p.String() != pc || len(lsoa) != 9 || !strings.ContainsAny(lsoa[:1], "EW") {
			t.Fatalf("the lookup holds %q in %q", pc, lsoa)
		}
	})
}
