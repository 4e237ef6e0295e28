package orukio

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"reflect"
	"strconv"
	"time"

	"github.com/linkwork/linkwork/csvsafe"
	"github.com/linkwork/linkwork/oruk"
)

// Package is what a tabular data package holds: services, with their
// organizations, places, schedules, costs and the taxonomy terms attached
// to them; organizations and taxonomies in their own right.
type Package struct {
	Services      []oruk.Service
	Organizations []oruk.Organization
	Taxonomies    []oruk.Taxonomy
	// Ignored, after reading, names what the package held that linkwork
	// has no place for: tables and columns it does not know, and rows
	// that nothing it reads links to.
	Ignored []string
}

// WriteTabular writes p as a zip holding datapackage.json and one CSV per
// table (each with its header, even when it has no rows). Each row is
// written once, however many services share it. A cell a spreadsheet
// would run as a formula is written with an apostrophe before it
// (csvsafe), and datapackage.json says so, for ReadTabular to take it off.
func WriteTabular(w io.Writer, p Package, made time.Time) error {
	rows := tabRows(p)
	z := zip.NewWriter(w)
	desc, err := json.MarshalIndent(descriptor(made), "", "  ")
	if err != nil {
		return err
	}
	if err := zipFile(z, "datapackage.json", made, append(desc, '\n')); err != nil {
		return err
	}
	for _, tb := range tabular().tables {
		var buf bytes.Buffer
		cw := csvsafe.NewWriter(&buf)
		if err := cw.Write(tb.header()); err != nil {
			return err
		}
		for _, r := range rows[tb] {
			if err := cw.Write(r); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		if err := zipFile(z, tb.name+".csv", made, buf.Bytes()); err != nil {
			return err
		}
	}
	return z.Close()
}

func zipFile(z *zip.Writer, name string, made time.Time, b []byte) error {
	f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: made.UTC()})
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	return err
}

// tabWriter gathers the rows of each table, each id once.
type tabWriter struct {
	rows map[*tabTable][][]string
	seen map[*tabTable]map[string]bool
}

// tabRows lays p out as the rows of each table.
func tabRows(p Package) map[*tabTable][][]string {
	s := tabular()
	w := &tabWriter{rows: map[*tabTable][][]string{}, seen: map[*tabTable]map[string]bool{}}
	for _, sv := range p.Services {
		w.add(s.byName["service"], reflect.ValueOf(sv), nil)
	}
	for _, o := range p.Organizations {
		w.add(s.byName["organization"], reflect.ValueOf(o), nil)
	}
	for _, t := range p.Taxonomies {
		w.add(s.byName["taxonomy"], reflect.ValueOf(t), nil)
	}
	// A term may name a taxonomy the package was not given: the package
	// gets a row for it, so that taxonomy_term.taxonomy_id always names a
	// taxonomy in it.
	terms, taxonomies := s.byName["taxonomy_term"], s.byName["taxonomy"]
	taxID, taxName := terms.byName["taxonomy_id"], terms.byName["taxonomy"]
	for _, r := range w.rows[terms] {
		if id := r[taxID]; id != "" && !w.seen[taxonomies][id] {
			w.add(taxonomies, reflect.ValueOf(oruk.Taxonomy{ID: id, Name: or(r[taxName], id)}), nil)
		}
	}
	return w.rows
}

// add writes v as a row of tb, with the columns in link naming its
// parent, then what it holds. A row whose id is written already is not
// written again.
func (w *tabWriter) add(tb *tabTable, v reflect.Value, link map[string]string) {
	id := v.Field(tb.idField).String()
	if w.seen[tb] == nil {
		w.seen[tb] = map[string]bool{}
	}
	if id != "" {
		if w.seen[tb][id] {
			return
		}
		w.seen[tb][id] = true
	}
	row := make([]string, len(tb.columns))
	for i, c := range tb.columns {
		if c.field >= 0 {
			row[i] = cellOf(v.Field(c.field))
		}
	}
	for c, val := range link {
		row[tb.byName[c]] = val
	}
	for _, r := range tb.refs {
		fv := v.Field(r.field)
		if fv.Kind() == reflect.Pointer {
			if fv.IsNil() {
				continue
			}
			fv = fv.Elem()
		}
		if fv.IsZero() {
			continue
		}
		row[tb.byName[r.column]] = fv.Field(r.target.idField).String()
		w.add(r.target, fv, nil)
	}
	w.rows[tb] = append(w.rows[tb], row)
	for _, rel := range tb.children {
		list := v.Field(rel.field)
		for i := range list.Len() {
			child := map[string]string{rel.link: id}
			if rel.link == "link_id" {
				child["link_entity"] = tb.name
			}
			w.add(rel.child, list.Index(i), child)
		}
	}
}

// cellOf writes one value as a cell: blank for a pointer to nothing.
func cellOf(v reflect.Value) string {
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return ""
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return v.String()
	case reflect.Bool:
		return strconv.FormatBool(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(v.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	}
	return ""
}

// The descriptor's JSON (datapackage.json), after the Frictionless Tabular
// Data Package specification.
type (
	dpPackage struct {
		Profile string `json:"profile"`
		Name    string `json:"name"`
		Title   string `json:"title,omitempty"`
		Created string `json:"created,omitempty"`
		// Escaped says the CSVs' cells were written through csvsafe, so
		// that a reader takes the apostrophe off a cell linkwork
		// neutralised and leaves every other package's cells as they are.
		Escaped   bool         `json:"linkwork_formula_cells_escaped,omitempty"`
		Resources []dpResource `json:"resources"`
	}
	dpResource struct {
		Profile   string    `json:"profile,omitempty"`
		Name      string    `json:"name"`
		Path      string    `json:"path"`
		Format    string    `json:"format,omitempty"`
		MediaType string    `json:"mediatype,omitempty"`
		Encoding  string    `json:"encoding,omitempty"`
		Schema    *dpSchema `json:"schema,omitempty"`
	}
	dpSchema struct {
		Fields      []dpField      `json:"fields"`
		PrimaryKey  string         `json:"primaryKey,omitempty"`
		ForeignKeys []dpForeignKey `json:"foreignKeys,omitempty"`
	}
	dpField struct {
		Name        string         `json:"name"`
		Type        string         `json:"type"`
		Constraints *dpConstraints `json:"constraints,omitempty"`
	}
	dpConstraints struct {
		Required bool `json:"required,omitempty"`
		Unique   bool `json:"unique,omitempty"`
	}
	dpForeignKey struct {
		Fields    string      `json:"fields"`
		Reference dpReference `json:"reference"`
	}
	dpReference struct {
		Resource string `json:"resource"`
		Fields   string `json:"fields"`
	}
)

// descriptor is datapackage.json for the package's tables.
func descriptor(made time.Time) dpPackage {
	p := dpPackage{Profile: "tabular-data-package", Name: "hsds-directory", Title: "Directory of services (HSDS 3.0, Open Referral UK)", Escaped: true}
	if !made.IsZero() {
		p.Created = made.UTC().Format(time.RFC3339)
	}
	for _, tb := range tabular().tables {
		sc := &dpSchema{PrimaryKey: "id"}
		for _, c := range tb.columns {
			f := dpField{Name: c.name, Type: c.kind}
			if c.name == "id" {
				f.Constraints = &dpConstraints{Required: true, Unique: true}
			} else if c.required {
				f.Constraints = &dpConstraints{Required: true}
			}
			sc.Fields = append(sc.Fields, f)
		}
		for _, r := range tb.refs {
			sc.ForeignKeys = append(sc.ForeignKeys, dpForeignKey{r.column, dpReference{r.target.name, "id"}})
		}
		for _, c := range tb.columns {
			// A column that may name one table only is a foreign key; an
			// attribute's link_id names a row of the table in link_entity.
			if ps := tb.parents[c.name]; len(ps) == 1 {
				sc.ForeignKeys = append(sc.ForeignKeys, dpForeignKey{c.name, dpReference{ps[0].name, "id"}})
			}
		}
		p.Resources = append(p.Resources, dpResource{Profile: "tabular-data-resource", Name: tb.name, Path: tb.name + ".csv",
			Format: "csv", MediaType: "text/csv", Encoding: "utf-8", Schema: sc})
	}
	return p
}
