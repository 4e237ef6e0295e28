package orukio

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/linkwork/linkwork/oruk"
)

// The HSDS tabular data package: the directory as a Frictionless Data
// Package, the layout the Open Referral specification's examples use. A
// package is datapackage.json, which describes each table (its columns,
// their types, its primary key and its foreign keys), and one CSV per
// table: organization.csv, service.csv, service_at_location.csv,
// location.csv, address.csv, schedule.csv, cost_option.csv, attribute.csv,
// taxonomy_term.csv and so on.
//
// The tables are made from the ORUK types themselves (package oruk), so
// whatever a service carries, its tables carry:
//
//   - each type's fields that hold one value (text, a number, a date) are
//     its table's columns, named as in the JSON;
//   - each list of objects (a service's schedules, a location's
//     addresses) is a child table whose rows name their parent in the
//     column parent_id (service_id, location_id): a child row belongs to
//     the row it names, whatever its own JSON field said;
//   - an attribute (a taxonomy term attached to something) names its
//     parent in link_id and the parent's table in link_entity, as HSDS 3.0
//     does, since services, organisations, locations and more have them;
//   - an object that several may share (a service's organization, a
//     service-at-location's location, an attribute's taxonomy term, a
//     capacity's unit) is a table of its own, written once, that its users
//     name by id in organization_id, location_id, taxonomy_term_id and
//     unit_id.
//
// Reading a package checks every one of those foreign keys, and that
// every id is there and unique in its table; a problem is named by file,
// row (as a spreadsheet numbers them, the header being row 1) and column.

// tabTable is one table of the package: an ORUK type.
type tabTable struct {
	name    string
	typ     reflect.Type
	columns []tabColumn
	byName  map[string]int
	idField int
	// children are the type's lists of objects: child tables.
	children []tabRelation
	// refs are the type's single objects held in tables of their own.
	refs []tabRef
	// parents are, for each column that names a parent, the tables it
	// may name.
	parents map[string][]*tabTable
	// shared reports whether other rows name this table's rows by id
	// (a ref target): such a row may stand alone.
	shared bool
}

// tabColumn is one column: a field of the type, or (field -1) a column
// naming a parent that the type has no field for.
type tabColumn struct {
	name     string
	field    int
	kind     string // "string", "number", "integer" or "boolean", as datapackage.json types them
	required bool
}

type tabRelation struct {
	field int
	child *tabTable
	link  string // the child's column naming the parent
}

type tabRef struct {
	field  int
	target *tabTable
	column string // this table's column naming the target
}

// tabularTables names the table of each ORUK type the package carries,
// in the order the package lists them.
var tabularTables = []struct {
	name string
	typ  reflect.Type
}{
	{"organization", reflect.TypeFor[oruk.Organization]()},
	{"organization_identifier", reflect.TypeFor[oruk.OrganizationIdentifier]()},
	{"service", reflect.TypeFor[oruk.Service]()},
	{"service_at_location", reflect.TypeFor[oruk.ServiceAtLocation]()},
	{"location", reflect.TypeFor[oruk.Location]()},
	{"address", reflect.TypeFor[oruk.Address]()},
	{"accessibility", reflect.TypeFor[oruk.Accessibility]()},
	{"phone", reflect.TypeFor[oruk.Phone]()},
	{"schedule", reflect.TypeFor[oruk.Schedule]()},
	{"service_area", reflect.TypeFor[oruk.ServiceArea]()},
	{"language", reflect.TypeFor[oruk.Language]()},
	{"funding", reflect.TypeFor[oruk.Funding]()},
	{"cost_option", reflect.TypeFor[oruk.CostOption]()},
	{"contact", reflect.TypeFor[oruk.Contact]()},
	{"service_capacity", reflect.TypeFor[oruk.ServiceCapacity]()},
	{"unit", reflect.TypeFor[oruk.Unit]()},
	{"attribute", reflect.TypeFor[oruk.Attribute]()},
	{"taxonomy", reflect.TypeFor[oruk.Taxonomy]()},
	{"taxonomy_term", reflect.TypeFor[oruk.TaxonomyTerm]()},
}

// tabularSkipped are the fields the tables leave out on purpose: the
// package's services are its top level, so an organization does not list
// them again, nor does a service-at-location name its service but by id.
var tabularSkipped = map[reflect.Type]string{
	reflect.TypeFor[oruk.Organization]():      "services",
	reflect.TypeFor[oruk.ServiceAtLocation](): "service",
}

// tabSchema is the package's tables, in order, and each by name.
type tabSchema struct {
	tables []*tabTable
	byName map[string]*tabTable
	byType map[reflect.Type]*tabTable
}

var tabular = sync.OnceValue(func() *tabSchema {
	s := &tabSchema{byName: map[string]*tabTable{}, byType: map[reflect.Type]*tabTable{}}
	names := map[reflect.Type]string{}
	for _, t := range tabularTables {
		names[t.typ] = t.name
	}
	var build func(t reflect.Type) *tabTable
	build = func(t reflect.Type) *tabTable {
		if tb, ok := s.byType[t]; ok {
			return tb
		}
		tb := &tabTable{name: names[t], typ: t, byName: map[string]int{}, idField: -1, parents: map[string][]*tabTable{}}
		s.byType[t] = tb
		for i := range t.NumField() {
			f := t.Field(i)
			name, required := jsonName(f)
			if name == "" || tabularSkipped[t] == name {
				continue
			}
			if kind := scalarKind(f.Type); kind != "" {
				tb.addColumn(tabColumn{name: name, field: i, kind: kind, required: required && f.Type.Kind() != reflect.Pointer})
				if name == "id" {
					tb.idField = i
				}
				continue
			}
			elem, isList := f.Type, false
			if elem.Kind() == reflect.Slice {
				elem, isList = elem.Elem(), true
			}
			if elem.Kind() == reflect.Pointer {
				elem = elem.Elem()
			}
			if _, known := names[elem]; !known {
				continue
			}
			target := build(elem)
			if isList {
				link := tb.name + "_id"
				if target.name == "attribute" {
					link = "link_id"
					target.addColumn(tabColumn{name: "link_entity", field: -1, kind: "string"})
				}
				target.addColumn(tabColumn{name: link, field: -1, kind: "string"})
				target.parents[link] = append(target.parents[link], tb)
				tb.children = append(tb.children, tabRelation{field: i, child: target, link: link})
				continue
			}
			column := target.name + "_id"
			tb.addColumn(tabColumn{name: column, field: -1, kind: "string"})
			target.shared = true
			tb.refs = append(tb.refs, tabRef{field: i, target: target, column: column})
		}
		return tb
	}
	for _, root := range []reflect.Type{reflect.TypeFor[oruk.Service](), reflect.TypeFor[oruk.Organization](), reflect.TypeFor[oruk.Taxonomy]()} {
		build(root)
	}
	for _, t := range tabularTables {
		if tb, ok := s.byType[t.typ]; ok {
			s.tables = append(s.tables, tb)
			s.byName[tb.name] = tb
		}
	}
	return s
})

// addColumn adds c unless the table has a column of that name already;
// a field takes the place of a link column of its name added before it.
func (tb *tabTable) addColumn(c tabColumn) {
	if i, ok := tb.byName[c.name]; ok {
		if tb.columns[i].field < 0 && c.field >= 0 {
			tb.columns[i] = c
		}
		return
	}
	tb.byName[c.name] = len(tb.columns)
	tb.columns = append(tb.columns, c)
}

// header is the table's column names.
func (tb *tabTable) header() []string {
	out := make([]string, len(tb.columns))
	for i, c := range tb.columns {
		out[i] = c.name
	}
	return out
}

// root reports whether the table's rows are the package's top level.
func (tb *tabTable) root() bool {
	return tb.name == "service" || tb.name == "organization" || tb.name == "taxonomy"
}

// jsonName is a field's name in the JSON, and whether the JSON always
// carries it (no omitempty); "" for a field the JSON leaves out.
func jsonName(f reflect.StructField) (string, bool) {
	if !f.IsExported() {
		return "", false
	}
	tag := f.Tag.Get("json")
	if tag == "-" {
		return "", false
	}
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, !slices.Contains(strings.Split(opts, ","), "omitempty")
}

var numberType = reflect.TypeFor[json.Number]()

// scalarKind is the datapackage.json type of a field holding one value,
// or "" for any other field.
func scalarKind(t reflect.Type) string {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == numberType:
		return "number"
	case t.Kind() == reflect.String:
		return "string"
	case t.Kind() == reflect.Bool:
		return "boolean"
	case t.Kind() >= reflect.Int && t.Kind() <= reflect.Uint64:
		return "integer"
	case t.Kind() == reflect.Float32 || t.Kind() == reflect.Float64:
		return "number"
	}
	return ""
}
