package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestImportPostcodesCommand(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "lw.db")
	file := filepath.Join("testdata", "onspd_sample.csv")
	for range 2 {
		// Running it again replaces what it loaded: still three.
		code, out, errs := runCLI(t, nil, "import", "postcodes", "--db", db, file)
		if code != 0 || !strings.Contains(out, "Loaded 3 postcodes") || !strings.Contains(out, "skipped 1 terminated and 1 without coordinates") {
			t.Fatalf("exit %d, out %q, err %q", code, out, errs)
		}
	}
	if code, out, _ := runCLI(t, nil, "import", "postcodes", file, "--db", db); code != 0 || !strings.Contains(out, "Loaded 3") {
		t.Fatalf("the file before the flags: exit %d, %q", code, out)
	}
	for _, tt := range []struct {
		args []string
		says string
	}{
		{[]string{"import"}, "say what to import: linkwork import oruk"},
		{[]string{"import", "postcodes", "--db", db}, "give one file"},
		{[]string{"import", "postcodes", "--db", db, "a.csv", "b.csv"}, "give one file"},
		{[]string{"import", "postcodes", "--db", db, filepath.Join("testdata", "nothing.csv")}, "no such file"},
		{[]string{"import", "postcodes", "--db", db, "main.go"}, `no "pcds" column`},
	} {
		code, _, errs := runCLI(t, nil, tt.args...)
		if code == 0 || !strings.Contains(errs, tt.says) {
			t.Errorf("%v: exit %d, %q; want it to say %q", tt.args, code, errs, tt.says)
		}
	}
}
