// Package csvsafe writes CSV files that a spreadsheet opens as the text
// they hold, and reads back what it wrote.
//
// A spreadsheet runs a cell that starts with =, +, -, @, a tab or a
// carriage return as a formula: a listing named =HYPERLINK(…), or a
// phone number +SUM(…), would become a live formula in the council
// officer's copy of the directory (CSV injection). Writer puts an
// apostrophe before such a cell, as OWASP advises, so the spreadsheet
// shows it as text. A cell that is only a number (-1.5, +441134960000)
// cannot be a formula and is left as it is, so coordinates and amounts
// stay numbers. A cell that already starts with apostrophes followed by
// one of those characters (or a line feed) gets one more, so that
// Restore, which takes one off such a cell, gives back exactly what was
// written.
//
// Every CSV linkwork writes goes through Writer; every CSV it reads back
// passes its cells through Restore.
package csvsafe

import (
	"encoding/csv"
	"io"
	"regexp"
	"strings"
)

// triggers are the characters that make a spreadsheet read a cell as a
// formula.
const triggers = "=+-@\t\r"

// number is a cell that is only a number, which no spreadsheet runs.
var number = regexp.MustCompile(`^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$`)

// escaped reports whether s is apostrophes followed by a trigger, or by a
// line feed (csv.Reader reads a carriage return and line feed inside a
// cell as a line feed alone).
func escaped(s string) bool {
	rest := strings.TrimLeft(s, "'")
	return len(rest) < len(s) && rest != "" && strings.IndexByte(triggers+"\n", rest[0]) >= 0
}

// Neutralise returns cell as a spreadsheet should be given it: with an
// apostrophe before it when it starts with =, +, -, @, a tab or a carriage
// return and is not just a number, or when it is apostrophes followed by
// one of those or a line feed.
func Neutralise(cell string) string {
	if cell == "" {
		return cell
	}
	if strings.IndexByte(triggers, cell[0]) >= 0 && !number.MatchString(cell) || escaped(cell) {
		return "'" + cell
	}
	return cell
}

// Restore undoes Neutralise: it takes the first apostrophe off a cell
// that is apostrophes followed by =, +, -, @, a tab, a carriage return or
// a line feed, and leaves any other cell as it is.
func Restore(cell string) string {
	if escaped(cell) {
		return cell[1:]
	}
	return cell
}

// Writer is a csv.Writer that writes every cell through Neutralise.
type Writer struct {
	w   *csv.Writer
	buf []string
}

// NewWriter returns a Writer writing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: csv.NewWriter(w)} }

// Write writes one record, each cell neutralised.
func (w *Writer) Write(record []string) error {
	w.buf = w.buf[:0]
	for _, c := range record {
		w.buf = append(w.buf, Neutralise(c))
	}
	return w.w.Write(w.buf)
}

// Flush writes any buffered data to the underlying writer; Error reports
// whether it, or an earlier Write, failed.
func (w *Writer) Flush() { w.w.Flush() }

// Error reports any error from an earlier Write or Flush.
func (w *Writer) Error() error { return w.w.Error() }
