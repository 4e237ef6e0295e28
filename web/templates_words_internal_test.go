package web

import (
	"io/fs"
	"regexp"
	"testing"
)

// rawCode finds a template printing a stored code as it is stored, with
// only its underscores made spaces ("declined by asset"), or a
// connection's level or a measure's instrument as its code ("swemwbs"):
// each has a Label in words.
var rawCode = regexp.MustCompile(`\{\{words \(print [^}]*\}\}|\{\{\.Level\}\}|>\{\{\.Instrument\}\}<`)

// TestTemplatesShowStatesInWordsPeopleUse: no page shows a status, level
// or channel as its stored code.
func TestTemplatesShowStatesInWordsPeopleUse(t *testing.T) {
	err := fs.WalkDir(templateFS, "templates", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, path)
		if err != nil {
			return err
		}
		for _, m := range rawCode.FindAll(b, -1) {
			t.Errorf("%s prints a stored code, not its words: %s", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
