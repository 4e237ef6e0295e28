package csvsafe_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/linkwork/linkwork/csvsafe"
)

func TestNeutralise(t *testing.T) {
	for _, tt := range []struct{ name, in, want string }{
		{"a formula", `=HYPERLINK("http://evil.example","Click")`, `'=HYPERLINK("http://evil.example","Click")`},
		{"a sum behind a plus", "+SUM(1+1)", "'+SUM(1+1)"},
		{"a minus that is not a number", "-2+3", "'-2+3"},
		{"an at sign", "@cmd", "'@cmd"},
		{"a tab first", "\t=1", "'\t=1"},
		{"a carriage return first", "\r=1", "'\r=1"},
		{"a phone number with spaces", "+44 113 496 0000", "'+44 113 496 0000"},
		{"a negative number", "-1.5", "-1.5"},
		{"a longitude", "-1.5741", "-1.5741"},
		{"a phone number that is only digits", "+441134960000", "+441134960000"},
		{"a number with a point first", "-.5", "-.5"},
		{"an apostrophe before a formula", "'=1", "''=1"},
		{"an apostrophe before a word", "'Twas", "'Twas"},
		{"an apostrophe alone", "'", "'"},
		{"an apostrophe before a new line", "'\nx", "''\nx"},
		{"a new line first", "\nx", "\nx"},
		{"plain text", "Saturday football", "Saturday football"},
		{"nothing", "", ""},
		{"a plus alone", "+", "'+"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := csvsafe.Neutralise(tt.in); got != tt.want {
				t.Fatalf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if back := csvsafe.Restore(csvsafe.Neutralise(tt.in)); back != tt.in {
				t.Fatalf("Restore(Neutralise(%q)) = %q", tt.in, back)
			}
		})
	}
}

// TestWriterReadsBack: what Writer writes, csv.Reader and Restore read
// back exactly, and no cell of it starts as a formula.
func TestWriterReadsBack(t *testing.T) {
	rows := [][]string{{"name", "phone", "latitude"}, {"=1+1", "+SUM(A1)", "-1.5"}, {"'@x", "\r\n=2", "plain, with a comma"}}
	var b bytes.Buffer
	w := csvsafe.NewWriter(&b)
	for _, r := range rows {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		t.Fatal(err)
	}
	got, err := csv.NewReader(strings.NewReader(b.String())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range got {
		for j, c := range r {
			if c != "" && strings.ContainsRune("=+@\t\r", rune(c[0])) || c != "" && c[0] == '-' && c != "-1.5" {
				t.Errorf("row %d cell %d starts as a formula: %q", i, j, c)
			}
			if back := csvsafe.Restore(c); back != strings.ReplaceAll(rows[i][j], "\r\n", "\n") {
				t.Errorf("row %d cell %d read back as %q, want %q", i, j, back, rows[i][j])
			}
		}
	}
}

// FuzzNeutralise: any cell comes back from Restore as it was, and the
// spreadsheet never sees it start as a formula unless it is a number.
func FuzzNeutralise(f *testing.F) {
	for _, s := range []string{"", "=1", "'=1", "''+x", "-1.5", "+44 113", "@", "'", "\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := csvsafe.Neutralise(s)
		if csvsafe.Restore(n) != s {
			t.Fatalf("Restore(Neutralise(%q)) = %q", s, csvsafe.Restore(n))
		}
		if n != "" && strings.IndexByte("=+-@\t\r", n[0]) >= 0 && n != s {
			t.Fatalf("Neutralise(%q) = %q starts as a formula", s, n)
		}
		if n != "" && strings.IndexByte("=+-@\t\r", n[0]) >= 0 {
			for _, c := range n[1:] {
				if (c < '0' || c > '9') && c != '.' {
					t.Fatalf("Neutralise(%q) = %q, which is not a number, starts as a formula", s, n)
				}
			}
		}
	})
}
