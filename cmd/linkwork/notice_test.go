package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestNoticeNamesEveryModuleInTheBinary keeps NOTICE honest: every module
// compiled into linkwork (not the tests) is named there, with the
// licence it comes under, and LICENSE is the Apache License.
func TestNoticeNamesEveryModuleInTheBinary(t *testing.T) {
	notice, err := os.ReadFile("../../NOTICE")
	if err != nil {
		t.Fatalf("NOTICE: %v", err)
	}
	licence, err := os.ReadFile("../../LICENSE")
	if err != nil {
		t.Fatalf("LICENSE: %v", err)
	}
	if !strings.Contains(string(licence), "Apache License") || !strings.Contains(string(licence), "Version 2.0, January 2004") {
		t.Errorf("LICENSE is not the Apache License 2.0")
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{with .Module}}{{.Path}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	seen := map[string]bool{}
	for _, m := range strings.Fields(string(out)) {
		if m == "github.com/linkwork/linkwork" || seen[m] {
			continue
		}
		seen[m] = true
		if !strings.Contains(string(notice), m) {
			t.Errorf("NOTICE does not name %s, which the binary contains", m)
		}
	}
	if len(seen) == 0 {
		t.Fatal("go list named no modules: the check would pass vacuously")
	}
}
