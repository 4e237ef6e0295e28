package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// parseInt reads a whole number typed by a person.
func parseInt(s string) (int, error) {
	return strconv.Atoi(strings.TrimSpace(strings.ReplaceAll(s, ",", "")))
}

// pageNumber reads a 1-based page number, defaulting to 1, and at most
// linkwork.MaxPage (an empty page past the end of any list), so that
// (page-1) × size is an offset the store can go to.
func pageNumber(s string) int {
	n, err := parseInt(s)
	if err != nil || n < 1 {
		return 1
	}
	return min(n, linkwork.MaxPage)
}

// pager describes a page of a list.
type pager struct {
	Page, Pages, Total, Size int
	Prev, Next               string
	// AtLeast says that Total is only a lower bound (a search that stopped
	// counting), so Pages is too.
	AtLeast bool
}

func newPager(page, size, total int, link func(page int) string) pager {
	pages := (total + size - 1) / size
	p := pager{Page: page, Pages: pages, Total: total, Size: size}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < pages {
		p.Next = link(page + 1)
	}
	return p
}

// referralStatuses turns the status filter of the referrals page into
// statuses: "open" is received and in triage; "" and "all" are every status.
func referralStatuses(v string) []linkwork.ReferralStatus {
	switch v {
	case "open":
		return []linkwork.ReferralStatus{linkwork.ReferralReceived, linkwork.ReferralTriage}
	case "", "all":
		return nil
	}
	s := linkwork.ReferralStatus(v)
	if s.Valid() {
		return []linkwork.ReferralStatus{s}
	}
	return nil
}

// fieldData is one form field for the templates in fields.html, made by
// the "field" template function and refined with its chainable methods:
//
//	{{template "text" ((field $ "person.given_name" "First name" .Form.GivenName).Auto "given-name")}}
type fieldData struct {
	ID, Name, Label, Hint, Error, Type, Autocomplete, Class string
	Value                                                   string
	Values                                                  []string
	Options                                                 []option
	Rows                                                    int
	Bold, Small, Inline, Numeric, NoSpell, Birthday         bool
}

// newField makes a field named name on page p, showing p's error for it.
// value is a string, a []string (checkboxes; a date's day, month, year)
// or a bool ("yes"/"no" radios).
func newField(p page, name, label string, value any) fieldData {
	f := fieldData{ID: name, Name: name, Label: label, Type: "text", Rows: 4}
	if p != nil {
		f.Error = p.layout().FieldError(name)
	}
	switch v := value.(type) {
	case string:
		f.Value = v
	case []string:
		f.Values = v
		for len(f.Values) < 3 {
			f.Values = append(f.Values, "")
		}
	case bool:
		f.Value = map[bool]string{true: "yes", false: ""}[v]
	case nil:
	default:
		f.Value = fmt.Sprint(v)
	}
	return f
}

func (f fieldData) WithHint(h string) fieldData  { f.Hint = h; return f }
func (f fieldData) Auto(a string) fieldData      { f.Autocomplete = a; return f }
func (f fieldData) InputType(t string) fieldData { f.Type = t; return f }
func (f fieldData) Width(c string) fieldData     { f.Class = c; return f }
func (f fieldData) Strong() fieldData            { f.Bold = true; return f }
func (f fieldData) Compact() fieldData           { f.Small = true; return f }
func (f fieldData) InRow() fieldData             { f.Inline = true; return f }
func (f fieldData) Digits() fieldData            { f.Numeric = true; f.NoSpell = true; return f }
func (f fieldData) Tall(rows int) fieldData      { f.Rows = rows; return f }
func (f fieldData) DOB() fieldData               { f.Birthday = true; return f }
func (f fieldData) With(o []option) fieldData    { f.Options = o; return f }
func (f fieldData) Code() fieldData              { f.NoSpell = true; return f }
func (f fieldData) Choices(pairs ...string) fieldData {
	for i := 0; i+1 < len(pairs); i += 2 {
		f.Options = append(f.Options, option{Value: pairs[i], Label: pairs[i+1]})
	}
	return f
}

// Has reports whether a checkbox value is ticked.
func (f fieldData) Has(v string) bool {
	return slices.Contains(f.Values, v) || (f.Value != "" && f.Value == v)
}

// dateParts reads a GOV.UK date input (name-day, name-month, name-year).
func dateParts(r *http.Request, name string) []string {
	return []string{strings.TrimSpace(r.PostFormValue(name + "-day")), strings.TrimSpace(r.PostFormValue(name + "-month")), strings.TrimSpace(r.PostFormValue(name + "-year"))}
}

// periodOf reads a period's "from" and "to" date inputs from a query: the
// parts as sent, for showing the form again, the dates (zero when blank),
// and a problem for each date that is not a real day.
func periodOf(q url.Values) (fromParts, toParts []string, from, to linkwork.Date, problems linkwork.Problems) {
	parts := func(name string) []string {
		return []string{strings.TrimSpace(q.Get(name + "-day")), strings.TrimSpace(q.Get(name + "-month")), strings.TrimSpace(q.Get(name + "-year"))}
	}
	fromParts, toParts = parts("from"), parts("to")
	var msg string
	if from, msg = parseDateParts(fromParts, "The start of the period"); msg != "" {
		problems.Add("from", msg)
	}
	if to, msg = parseDateParts(toParts, "The end of the period"); msg != "" {
		problems.Add("to", msg)
	}
	return fromParts, toParts, from, to, problems
}

// parseDateParts turns a date input into a Date; a blank input is the zero
// Date. The error message says what is wrong in the Design System's words.
func parseDateParts(parts []string, what string) (linkwork.Date, string) {
	if parts[0] == "" && parts[1] == "" && parts[2] == "" {
		return linkwork.Date{}, ""
	}
	var missing []string
	for i, n := range []string{"day", "month", "year"} {
		if parts[i] == "" {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		return linkwork.Date{}, what + " must include a " + strings.Join(missing, " and a ")
	}
	d, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	y, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || !digits(parts[0]+parts[1]+parts[2]) || len(parts[2]) != 4 || y < 1000 {
		return linkwork.Date{}, what + " must be a real date, like 27 3 2011"
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d || int(t.Month()) != m || t.Year() != y {
		return linkwork.Date{}, what + " must be a real date"
	}
	return linkwork.DateOf(t), ""
}
