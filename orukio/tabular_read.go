package orukio

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/linkwork/linkwork/csvsafe"
)

// The limits on a package read, whatever its size on the wire: a zip of a
// few kilobytes can unpack to gigabytes.
const (
	// TabularMaxFiles is the most entries a zip may hold.
	TabularMaxFiles = 100
	// TabularMaxBytes is the most a package may hold unpacked, all its
	// files together.
	TabularMaxBytes = 64 << 20
	// tabularMaxDescriptor is the most datapackage.json may hold.
	tabularMaxDescriptor = 1 << 20
)

// TabularError is a problem with one cell (or row, or file) of a package.
type TabularError struct {
	File   string
	Row    int    // as a spreadsheet numbers them: the header is row 1; 0 for the whole file
	Column string // "" for the whole row or file
	Err    error
}

func (e *TabularError) Error() string {
	s := e.File
	if e.Row > 0 {
		s += ", row " + strconv.Itoa(e.Row)
	}
	if e.Column != "" {
		s += ", column " + e.Column
	}
	return s + ": " + e.Err.Error()
}

func (e *TabularError) Unwrap() error { return e.Err }

// ReadTabularFile reads a package from a zip file or from a directory
// holding datapackage.json and the CSVs.
func ReadTabularFile(name string) (Package, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return Package{}, err
	}
	if fi.IsDir() {
		return ReadTabular(os.DirFS(name))
	}
	f, err := os.Open(name)
	if err != nil {
		return Package{}, err
	}
	defer f.Close()
	return ReadTabularZip(f, fi.Size())
}

// ReadTabularZip reads a package from a zip of size bytes. The zip may
// hold the package at its top or in one folder. It refuses a zip of more
// than TabularMaxFiles entries or TabularMaxBytes unpacked, counting what
// it unpacks rather than trusting what the zip says of itself.
func ReadTabularZip(r io.ReaderAt, size int64) (Package, error) {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return Package{}, fmt.Errorf("the file is not a zip: %w", err)
	}
	if len(z.File) > TabularMaxFiles {
		return Package{}, fmt.Errorf("the zip holds %d files; a package may hold at most %d", len(z.File), TabularMaxFiles)
	}
	var total uint64
	for _, f := range z.File {
		total += f.UncompressedSize64
		if total > TabularMaxBytes {
			return Package{}, tooBig()
		}
	}
	var root fs.FS = z
	if _, err := fs.Stat(z, "datapackage.json"); err != nil {
		// One folder holding the package, as zipping a folder makes.
		if entries, err := fs.ReadDir(z, "."); err == nil && len(entries) == 1 && entries[0].IsDir() {
			if root, err = fs.Sub(z, entries[0].Name()); err != nil {
				return Package{}, err
			}
		}
	}
	return ReadTabular(root)
}

func tooBig() error {
	return fmt.Errorf("the package holds more than %d MB unpacked, the most linkwork reads", TabularMaxBytes>>20)
}

// budget counts what is read from a package against TabularMaxBytes.
type budget struct{ left int64 }

// read reads all of name, counting it.
func (b *budget) read(fsys fs.FS, name string, most int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	limit := min(b.left, most)
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		if limit == most {
			return nil, fmt.Errorf("%s holds more than %d kB, the most linkwork reads", name, most>>10)
		}
		return nil, tooBig()
	}
	b.left -= int64(len(data))
	return data, nil
}

// tabRead is a package being read: each table's rows, cells in the
// table's column order.
type tabRead struct {
	rows    map[*tabTable][][]string
	ids     map[*tabTable]map[string]int // row index by id
	linked  map[*tabTable]map[string]map[string][]int
	ignored []string
	errs    []error
}

// ReadTabular reads a package: datapackage.json, then the CSV of each
// table it lists that linkwork knows (or, with no datapackage.json, each
// table's CSV by its usual name, table.csv). It checks every id and
// foreign key, and returns the services, organizations and taxonomies,
// fully nested as the ORUK JSON nests them. A cell with an apostrophe
// before a formula's first character has it taken off only when
// datapackage.json says linkwork wrote the package. The error names each
// problem (up to 20) by file, row and column.
func ReadTabular(fsys fs.FS) (Package, error) {
	s := tabular()
	b := &budget{left: TabularMaxBytes}
	rd := &tabRead{rows: map[*tabTable][][]string{}}
	paths := map[*tabTable]string{}
	var dp dpPackage
	desc, err := b.read(fsys, "datapackage.json", tabularMaxDescriptor)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		for _, tb := range s.tables {
			if _, err := fs.Stat(fsys, tb.name+".csv"); err == nil {
				paths[tb] = tb.name + ".csv"
			}
		}
	case err != nil:
		return Package{}, &TabularError{File: "datapackage.json", Err: err}
	default:
		if err := json.Unmarshal(desc, &dp); err != nil {
			return Package{}, &TabularError{File: "datapackage.json", Err: jsonErr(desc, err)}
		}
		for i, r := range dp.Resources {
			tb := s.byName[r.Name]
			where := func(err error) error {
				return &TabularError{File: "datapackage.json", Column: fmt.Sprintf("resources[%d].path", i), Err: err}
			}
			switch {
			case tb == nil:
				rd.ignored = append(rd.ignored, fmt.Sprintf("the table %q (%s), which linkwork does not keep", r.Name, r.Path))
				continue
			case paths[tb] != "":
				return Package{}, where(fmt.Errorf("the table %q is listed twice", r.Name))
			case r.Path == "" || !fs.ValidPath(r.Path) || r.Path == ".":
				return Package{}, where(fmt.Errorf("%q is not the path of a file in the package", r.Path))
			}
			paths[tb] = r.Path
		}
	}
	if paths[s.byName["service"]] == "" && paths[s.byName["organization"]] == "" {
		return Package{}, errors.New("the package has no service table (service.csv) and no organization table")
	}
	for _, tb := range s.tables {
		if p := paths[tb]; p != "" {
			data, err := b.read(fsys, p, TabularMaxBytes)
			if err != nil {
				return Package{}, &TabularError{File: p, Err: err}
			}
			if err := rd.table(tb, path.Base(p), data, dp.Escaped); err != nil {
				return Package{}, err
			}
		}
	}
	rd.check(paths)
	if len(rd.errs) > 0 {
		return Package{}, errors.Join(rd.errs...)
	}
	return rd.build(paths), nil
}

// maxTabularErrors is how many problems a read reports before it stops.
const maxTabularErrors = 20

func (rd *tabRead) problem(file string, row int, column string, format string, args ...any) {
	if len(rd.errs) < maxTabularErrors {
		rd.errs = append(rd.errs, &TabularError{File: file, Row: row, Column: column, Err: fmt.Errorf(format, args...)})
	} else if len(rd.errs) == maxTabularErrors {
		rd.errs = append(rd.errs, fmt.Errorf("(stopped after %d problems)", maxTabularErrors))
	}
}

// jsonNumber is a number as JSON writes it.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// table reads one CSV into tb's rows, its columns in the table's order.
func (rd *tabRead) table(tb *tabTable, file string, data []byte, escaped bool) error {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(data))
	header, err := cr.Read()
	if err == io.EOF {
		return &TabularError{File: file, Err: errors.New("the file is empty: it needs at least its header row")}
	}
	if err != nil {
		return &TabularError{File: file, Row: 1, Err: csvErr(err)}
	}
	at := make([]int, len(header)) // the table's column of each of the file's
	seen := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		at[i] = -1
		if seen[h] {
			return &TabularError{File: file, Row: 1, Column: h, Err: errors.New("the column is in the header twice")}
		}
		seen[h] = true
		if c, ok := tb.byName[h]; ok {
			at[i] = c
		} else {
			rd.ignored = append(rd.ignored, fmt.Sprintf("the column %s of %s, which linkwork does not keep", h, file))
		}
	}
	if !seen["id"] {
		return &TabularError{File: file, Row: 1, Column: "id", Err: errors.New("the header has no id column")}
	}
	for row := 2; ; row++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return &TabularError{File: file, Row: row, Err: csvErr(err)}
		}
		cells := make([]string, len(tb.columns))
		for i, v := range rec {
			if at[i] < 0 {
				continue
			}
			if escaped {
				v = csvsafe.Restore(v)
			}
			c := tb.columns[at[i]]
			switch c.kind {
			case "number":
				if v != "" && !jsonNumber.MatchString(v) {
					rd.problem(file, row, c.name, "%q is not a number", v)
				}
			case "integer":
				if _, err := strconv.ParseInt(v, 10, 64); v != "" && err != nil {
					rd.problem(file, row, c.name, "%q is not a whole number", v)
				}
			case "boolean":
				if v != "" && v != "true" && v != "false" {
					rd.problem(file, row, c.name, "%q is not true or false", v)
				}
			}
			cells[at[i]] = v
		}
		rd.rows[tb] = append(rd.rows[tb], cells)
	}
}

// csvErr says what is wrong with a CSV without repeating the line the
// error names already.
func csvErr(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// check indexes the rows by id and by the columns naming their parents,
// and checks that every id is there and unique and every foreign key names
// a row that is there.
func (rd *tabRead) check(paths map[*tabTable]string) {
	s := tabular()
	file := func(tb *tabTable) string { return path.Base(or(paths[tb], tb.name+".csv")) }
	rd.ids = map[*tabTable]map[string]int{}
	rd.linked = map[*tabTable]map[string]map[string][]int{}
	for _, tb := range s.tables {
		ids := map[string]int{}
		id := tb.byName["id"]
		for i, r := range rd.rows[tb] {
			switch first, dup := ids[r[id]]; {
			case r[id] == "":
				rd.problem(file(tb), i+2, "id", "the id is blank")
			case dup:
				rd.problem(file(tb), i+2, "id", "the id %q is on row %d too", r[id], first+2)
			default:
				ids[r[id]] = i
			}
		}
		rd.ids[tb] = ids
	}
	for _, tb := range s.tables {
		rd.linked[tb] = map[string]map[string][]int{}
		for link := range tb.parents {
			rd.linked[tb][link] = map[string][]int{}
		}
		entity, hasEntity := tb.byName["link_entity"]
		for i, r := range rd.rows[tb] {
			row := i + 2
			for _, ref := range tb.refs {
				if v := r[tb.byName[ref.column]]; v != "" {
					if _, ok := rd.ids[ref.target][v]; !ok {
						rd.problem(file(tb), row, ref.column, "there is no %s with the id %q in %s", ref.target.name, v, file(ref.target))
					}
				}
			}
			named := false
			for link, parents := range tb.parents {
				v := r[tb.byName[link]]
				if v == "" {
					continue
				}
				if hasEntity && r[entity] != "" {
					// An attribute says which table its link_id names.
					i := slices.IndexFunc(parents, func(p *tabTable) bool { return p.name == r[entity] })
					if i < 0 {
						rd.problem(file(tb), row, "link_entity", "%q is not a table whose rows have attributes", r[entity])
						continue
					}
					parents = parents[i : i+1]
				}
				found := slices.ContainsFunc(parents, func(p *tabTable) bool { _, ok := rd.ids[p][v]; return ok })
				if !found {
					rd.problem(file(tb), row, link, "there is no %s with the id %q", parentNames(parents), v)
					continue
				}
				named = true
				rd.linked[tb][link][v] = append(rd.linked[tb][link][v], i)
			}
			if !named && !tb.root() && !tb.shared && len(tb.parents) > 0 {
				rd.problem(file(tb), row, slices.Sorted(maps.Keys(tb.parents))[0], "the row names no %s it belongs to", parentNames(slices.Concat(slices.Collect(maps.Values(tb.parents))...)))
			}
		}
	}
}

func parentNames(ps []*tabTable) string {
	var names []string
	for _, p := range ps {
		if !slices.Contains(names, p.name) {
			names = append(names, p.name)
		}
	}
	if len(names) > 1 {
		return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
	}
	return strings.Join(names, "")
}

// build makes the package's services, organizations and taxonomies from
// the checked rows, and notes the rows nothing reached.
func (rd *tabRead) build(paths map[*tabTable]string) Package {
	s := tabular()
	reached := map[*tabTable][]bool{}
	for _, tb := range s.tables {
		reached[tb] = make([]bool, len(rd.rows[tb]))
	}
	p := Package{}
	roots := []struct {
		name string
		into reflect.Value
	}{
		{"service", reflect.ValueOf(&p.Services).Elem()},
		{"organization", reflect.ValueOf(&p.Organizations).Elem()},
		{"taxonomy", reflect.ValueOf(&p.Taxonomies).Elem()},
	}
	for _, root := range roots {
		tb := s.byName[root.name]
		for i := range rd.rows[tb] {
			root.into.Set(reflect.Append(root.into, rd.value(tb, i, reached)))
		}
	}
	p.Ignored = rd.ignored
	for _, tb := range s.tables {
		n := 0
		for _, r := range reached[tb] {
			if !r {
				n++
			}
		}
		if n > 0 {
			p.Ignored = append(p.Ignored, fmt.Sprintf("%d rows of %s that no service, organization or taxonomy links to", n, path.Base(or(paths[tb], tb.name+".csv"))))
		}
	}
	return p
}

// value makes row i of tb, with what it holds.
func (rd *tabRead) value(tb *tabTable, i int, reached map[*tabTable][]bool) reflect.Value {
	reached[tb][i] = true
	r := rd.rows[tb][i]
	v := reflect.New(tb.typ).Elem()
	for c, col := range tb.columns {
		if col.field >= 0 && r[c] != "" {
			setCell(v.Field(col.field), r[c])
		}
	}
	for _, ref := range tb.refs {
		id := r[tb.byName[ref.column]]
		j, ok := rd.ids[ref.target][id]
		if id == "" || !ok {
			continue
		}
		x := rd.value(ref.target, j, reached)
		f := v.Field(ref.field)
		if f.Kind() == reflect.Pointer {
			ptr := reflect.New(x.Type())
			ptr.Elem().Set(x)
			x = ptr
		}
		f.Set(x)
	}
	id := r[tb.byName["id"]]
	for _, rel := range tb.children {
		entity, hasEntity := rel.child.byName["link_entity"]
		list := v.Field(rel.field)
		for _, j := range rd.linked[rel.child][rel.link][id] {
			if hasEntity {
				if e := rd.rows[rel.child][j][entity]; e != "" && e != tb.name {
					continue
				}
			}
			list.Set(reflect.Append(list, rd.value(rel.child, j, reached)))
		}
	}
	return v
}

// setCell sets a field from a checked cell.
func setCell(f reflect.Value, cell string) {
	if f.Kind() == reflect.Pointer {
		f.Set(reflect.New(f.Type().Elem()))
		f = f.Elem()
	}
	switch f.Kind() {
	case reflect.String:
		f.SetString(cell)
	case reflect.Bool:
		f.SetBool(cell == "true")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, _ := strconv.ParseInt(cell, 10, 64)
		f.SetInt(n)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, _ := strconv.ParseUint(cell, 10, 64)
		f.SetUint(n)
	case reflect.Float32, reflect.Float64:
		n, _ := strconv.ParseFloat(cell, 64)
		f.SetFloat(n)
	}
}
