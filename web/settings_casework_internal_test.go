package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	linkwork "github.com/linkwork/linkwork"
)

// TestParseCaseworkForm reads the casework fields as typed: blank is the
// default, whole numbers are kept for the service to range-check, and
// anything else is a problem naming the field.
func TestParseCaseworkForm(t *testing.T) {
	tests := []struct {
		name     string
		reviews  string
		limit    string
		want     []int
		limitIs  int
		problems []string
	}{
		{"blank is the default", "", "", nil, 0, nil},
		{"commas and spaces", "3, 6", "25", []int{3, 6}, 25, nil},
		{"semicolons and no spaces", "2;4;8", "", []int{2, 4, 8}, 0, nil},
		{"words", "three, six", "lots", nil, 0, []string{"caseload_limit", "review_sessions"}},
		{"out of order is kept for the service to refuse", "6, 3", "", []int{6, 3}, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var pr linkwork.Problems
			f, c := parseCaseworkForm(caseworkRequest(tt.reviews, tt.limit), &pr)
			var fields []string
			for _, p := range pr {
				fields = append(fields, p.Field)
			}
			slices.Sort(fields)
			if !slices.Equal(c.ReviewSessions, tt.want) || c.CaseloadLimit != tt.limitIs || !slices.Equal(fields, tt.problems) {
				t.Fatalf("reviews %v, limit %d, problems %v; want %v, %d, %v", c.ReviewSessions, c.CaseloadLimit, fields, tt.want, tt.limitIs, tt.problems)
			}
			if f.ReviewSessions != strings.TrimSpace(tt.reviews) {
				t.Errorf("the form keeps %q, typed %q", f.ReviewSessions, tt.reviews)
			}
		})
	}
}

func caseworkRequest(reviews, limit string) *http.Request {
	r := httptest.NewRequest("POST", "/admin/service", strings.NewReader(url.Values{"review_sessions": {reviews}, "caseload_limit": {limit}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// FuzzParseCaseworkForm: whatever is typed, the form is read without
// panicking, and review sessions read without a problem are the numbers
// typed, in order.
func FuzzParseCaseworkForm(f *testing.F) {
	for _, s := range []string{"", "3, 6", "3;6;9", "x", "-1, 0", "99999999999999999999", "1,,2", " ; "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, reviews string) {
		var pr linkwork.Problems
		_, c := parseCaseworkForm(caseworkRequest(reviews, ""), &pr)
		if len(pr) > 0 {
			if c.ReviewSessions != nil {
				t.Fatalf("a problem, yet review sessions %v", c.ReviewSessions)
			}
			return
		}
		var want []int
		for _, part := range strings.FieldsFunc(strings.TrimSpace(reviews), func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) }) {
			n, err := strconv.Atoi(part)
			if err != nil {
				t.Fatalf("%q read without a problem, but %q is not a number", reviews, part)
			}
			want = append(want, n)
		}
		if !slices.Equal(c.ReviewSessions, want) {
			t.Fatalf("%q read as %v, want %v", reviews, c.ReviewSessions, want)
		}
	})
}
