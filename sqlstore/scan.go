package sqlstore

import (
	"fmt"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// tv is a time as a query argument: NULL for the zero time, otherwise UTC
// to the microsecond.
func tv(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Truncate(time.Microsecond)
}

// dv is a date as a query argument: NULL for the zero date.
func dv(d linkwork.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// timeDest scans a nullable time, whatever form the engine returns it in.
type timeDest struct{ t *time.Time }

func (d timeDest) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d.t = time.Time{}
	case time.Time:
		*d.t = x.UTC()
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	default:
		return fmt.Errorf("sqlstore: cannot scan %T as a time", v)
	}
	return nil
}

var timeLayouts = []string{"2006-01-02 15:04:05.999999999-07:00", time.RFC3339Nano, "2006-01-02 15:04:05.999999999", "2006-01-02"}

func (d timeDest) parse(s string) error {
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			*d.t = t.UTC()
			return nil
		}
	}
	return fmt.Errorf("sqlstore: cannot parse time %q", s)
}

// dateDest scans a nullable date.
type dateDest struct{ d *linkwork.Date }

func (d dateDest) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d.d = linkwork.Date{}
		return nil
	case time.Time:
		*d.d = linkwork.DateOf(x.UTC())
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	}
	return fmt.Errorf("sqlstore: cannot scan %T as a date", v)
}

func (d dateDest) parse(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return fmt.Errorf("sqlstore: cannot parse date %q", s)
	}
	*d.d = linkwork.DateOf(v)
	return nil
}

// nullString scans a nullable string as "".
type nullString struct{ s *string }

func (n nullString) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*n.s = ""
	case string:
		*n.s = x
	case []byte:
		*n.s = string(x)
	default:
		return fmt.Errorf("sqlstore: cannot scan %T as text", v)
	}
	return nil
}

// sv is an optional reference as a query argument: NULL for "".
func sv(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// placeholders returns "?, ?, ?" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// page clamps a list's offset and limit: the offset to 0 through
// linkwork.MaxOffset (past the end of any list: an empty page), and the
// limit, which defaults to 50, to at most linkwork.MaxPageSize.
func page(offset, limit int) (int, int) {
	offset = min(max(offset, 0), linkwork.MaxOffset)
	if limit <= 0 {
		limit = 50
	}
	return offset, min(limit, linkwork.MaxPageSize)
}

// likePattern turns a search into a lower-case LIKE pattern matching it
// anywhere; LIKE wildcards typed by the user are dropped.
func likePattern(q string) string {
	q = strings.ToLower(strings.TrimSpace(q))
	q = strings.NewReplacer("%", "", "_", "").Replace(q)
	return "%" + q + "%"
}

// displayName is a person's name as the interface shows it: the preferred
// name when there is one.
func displayName(given, preferred, family string) string {
	p := linkwork.Person{GivenName: given, PreferredName: preferred, FamilyName: family}
	return p.DisplayName()
}

// scanner is a row or rows.
type scanner interface{ Scan(...any) error }

// queryPage counts the rows of a table that match w, and returns one page
// of them in order, each read by scan. table is "FROM table alias": the
// count reads only it, so that joins for display (names) cost nothing
// when counting a million rows. joins adds those for the page itself.
func queryPage[T any](tx *Tx, table, joins string, w where, order string, offset, limit int, scan func(scanner) (T, error), columns string) ([]T, int, error) {
	countSQL, _ := pageQueries(table, joins, w, order, columns)
	return queryPageCounted(tx, countSQL, w.args, table, joins, w, order, offset, limit, scan, columns)
}

// queryPageCounted is queryPage with the count's own statement and
// arguments: a count of kept numbers rather than of the rows.
func queryPageCounted[T any](tx *Tx, countSQL string, countArgs []any, table, joins string, w where, order string, offset, limit int, scan func(scanner) (T, error), columns string) ([]T, int, error) {
	_, pageSQL := pageQueries(table, joins, w, order, columns)
	total, err := tx.count(countSQL, countArgs...)
	if err != nil {
		return nil, 0, err
	}
	off, lim := page(offset, limit)
	rows, err := tx.query(pageSQL, append(w.args, lim, off)...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, v)
	}
	return out, total, rows.Err()
}

// pageQueries are the statements queryPage runs: the count of the rows w
// finds, and a page of them in order (its arguments w's, then the limit
// and the offset).
func pageQueries(table, joins string, w where, order, columns string) (count, list string) {
	return "SELECT COUNT(*) " + table + " WHERE " + w.sql(),
		"SELECT " + columns + " " + table + " " + joins + " WHERE " + w.sql() + " ORDER BY " + order + " LIMIT ? OFFSET ?"
}

// statusArgs turns a list of statuses into query arguments.
func statusArgs[S ~string](ss []S) []any {
	args := make([]any, len(ss))
	for i, s := range ss {
		args[i] = string(s)
	}
	return args
}

// intArg is an optional number as a query argument: NULL for nil.
func intArg(n *int) any {
	if n == nil {
		return nil
	}
	return *n
}

// nullInt scans a nullable integer as nil or a pointer to it.
type nullInt struct{ n **int }

func (d nullInt) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*d.n = nil
	case int64:
		n := int(x)
		*d.n = &n
	case int32:
		n := int(x)
		*d.n = &n
	case float64:
		n := int(x)
		*d.n = &n
	default:
		return fmt.Errorf("sqlstore: cannot scan %T as a number", v)
	}
	return nil
}
