package linkwork_test

import (
	"go/build"
	"os"
	"strings"
	"testing"
)

// TestRootImportsNothingFromTheProject holds the package to its doc: the
// store, the policy, the web front doors and every other package of the
// module depend on it, never the reverse. The module's path is read from
// go.mod, so a renamed module is still checked.
func TestRootImportsNothingFromTheProject(t *testing.T) {
	mod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var module string
	for _, line := range strings.Split(string(mod), "\n") {
		if m, ok := strings.CutPrefix(line, "module "); ok {
			module = strings.TrimSpace(m)
		}
	}
	if module == "" {
		t.Fatal("go.mod names no module")
	}
	pkg, err := build.ImportDir(".", 0)
	if err != nil {
		t.Fatal(err)
	}
	if pkg.Name != "linkwork" {
		t.Fatalf("read package %q, want linkwork", pkg.Name)
	}
	for _, imp := range append(pkg.Imports, pkg.TestImports...) {
		if imp == module || strings.HasPrefix(imp, module+"/") {
			t.Errorf("the root package imports %s: it must import nothing from the project", imp)
		}
	}
}
