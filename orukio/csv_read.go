package orukio

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// A RowError is a problem with a row of a CSV file (at line 1, with its
// header), naming its line and, when the problem is with one cell, its
// column as the header names it.
type RowError struct {
	Line   int
	Column string
	Err    error
}

func (e *RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %v", e.Line, e.Err)
	}
	return fmt.Sprintf("line %d, column %s: %v", e.Line, e.Column, e.Err)
}

func (e *RowError) Unwrap() error { return e.Err }

// maxRowErrors is how many wrong rows a refused import names.
const maxRowErrors = 20

// ReadCSV reads the directory CSV (the header row first; columns may come
// in any order, and unknown ones are an error), and checks every row as the
// store would. If any row is wrong it returns no rows and an error naming
// each wrong row (up to 20) by its line and column: each a *RowError.
func ReadCSV(r io.Reader) ([]Imported, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	layout, err := readLayout(cr)
	if err != nil {
		return nil, err
	}
	var out []Imported
	var errs []error
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(errs) >= maxRowErrors {
			continue
		}
		imp, err := layout.imported(rec)
		if err != nil {
			re, ok := err.(*RowError)
			if !ok {
				re = &RowError{Err: err}
			}
			re.Line = line
			errs = append(errs, re)
			if len(errs) == maxRowErrors {
				errs = append(errs, fmt.Errorf("(stopped checking after %d wrong rows)", maxRowErrors))
			}
			continue
		}
		imp.origin.line = line
		out = append(out, imp)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// readLayout reads the header row: which columns the file has, and where.
func readLayout(cr *csv.Reader) (csvLayout, error) {
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return csvLayout{}, &RowError{Line: 1, Err: fmt.Errorf("the file is empty: it needs a header row of %s", strings.Join(CSVHeader(1, 1), ","))}
		}
		return csvLayout{}, err
	}
	col := map[string]int{}
	locs, costs := map[int]bool{}, map[int]bool{}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !knownColumn(h) {
			return csvLayout{}, &RowError{Line: 1, Err: fmt.Errorf("%q is not a column; the columns are %s, then %s, … for each place and %s, … for each cost option (or the one-place layout's %s)",
				h, strings.Join(CSVColumns, ","), strings.Join(groupColumns(LocationColumn, LocationColumns), ","), strings.Join(groupColumns(CostColumn, CostColumns), ","), strings.Join(LegacyCSVColumns, ","))}
		}
		if _, dup := col[h]; dup {
			return csvLayout{}, &RowError{Line: 1, Err: fmt.Errorf("the column %s comes twice", h)}
		}
		col[h] = i
		if m := groupRe.FindStringSubmatch(h); m != nil {
			n, _ := strconv.Atoi(m[2])
			if m[1] == "location" {
				locs[n] = true
			} else {
				costs[n] = true
			}
		}
	}
	if _, ok := col["name"]; !ok {
		return csvLayout{}, &RowError{Line: 1, Err: errors.New("there is no name column")}
	}
	return csvLayout{col: col, locations: sortedKeys(locs), costs: sortedKeys(costs)}, nil
}

func groupColumns(name func(int, string) string, cols []string) []string {
	out := make([]string, len(cols))
	for i, c := range cols {
		out[i] = name(1, c)
	}
	return out
}

func sortedKeys(m map[int]bool) []int {
	var out []int
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// csvLayout is where a file's columns are.
type csvLayout struct {
	col       map[string]int
	locations []int // the numbers of its location groups, in order
	costs     []int // and of its cost groups
}

// source names the columns a place or cost option came from, so that the
// store's checks can be reported against them.
type source struct{ cols map[string]string }

func (s source) column(field, fallback string) string {
	if c, ok := s.cols[field]; ok {
		return c
	}
	return s.cols[fallback]
}

func or(x, y string) string {
	if x != "" {
		return x
	}
	return y
}

func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ";") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}
