package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestPostcodesLSOACommand(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "lw.db")
	file := filepath.Join("..", "..", "sqlstore", "testdata", "nspl_sample.csv")
	for range 2 {
		// Running it again replaces what it loaded: still three.
		code, out, errs := runCLI(t, nil, "postcodes", "lsoa", "--db", db, "--file", file)
		if code != 0 || !strings.Contains(out, "Loaded 3 postcodes") || !strings.Contains(out, "2 of them in an English area") ||
			!strings.Contains(out, "skipped 2 without an English or Welsh LSOA and 1 that are not full postcodes") {
			t.Fatalf("exit %d, out %q, err %q", code, out, errs)
		}
	}
	for _, tt := range []struct {
		args []string
		says string
	}{
		{[]string{"postcodes"}, "say what to load"},
		{[]string{"postcodes", "lsoa", "--db", db}, "give the lookup's file"},
		{[]string{"postcodes", "lsoa", "--db", db, "--file", filepath.Join("testdata", "nothing.csv")}, "no such file"},
		{[]string{"postcodes", "lsoa", "--db", db, "--file", "main.go"}, "no pcds or pcd column"},
	} {
		code, _, errs := runCLI(t, nil, tt.args...)
		if code == 0 || !strings.Contains(errs, tt.says) {
			t.Errorf("%v: exit %d, %q; want it to say %q", tt.args, code, errs, tt.says)
		}
	}
}
