package oruk

import (
	"path/filepath"
	"strings"
	"testing"
)

// With no schemas anywhere up the path, the error names the variable to
// set and every place it looked. The path starts at the root and does
// not exist, so nothing above it can hold schemas but the root itself.
func TestSchemaDirNotFoundSaysWhereItLooked(t *testing.T) {
	start := filepath.Join(string(filepath.Separator), "linkwork-no-such-directory", "deeper")
	_, err := schemaDirFrom(start)
	if err == nil {
		t.Fatal("found schemas above a directory that does not exist: the root directory holds shared/standards/oruk/schema")
	}
	for _, want := range []string{EnvSchemaDir, filepath.Join(start, "shared", "standards", "oruk", "schema"),
		filepath.Join(filepath.Dir(start), "shared", "standards", "oruk", "schema")} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
