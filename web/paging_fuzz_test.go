package web

import (
	"net/http/httptest"
	"net/url"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// FuzzPaging: whatever page and per_page (or offset and limit) a client
// sends, the parsers give numbers within their bounds, whose page of any
// list can be cut without a panic, or name the parameter at fault.
func FuzzPaging(f *testing.F) {
	for _, s := range [][2]string{{"1", "50"}, {"9223372036854775807", "100"}, {"-9223372036854775808", "1"}, {"0", "0"}, {"1000000", "100"},
		{"9223372036854775808", ""}, {"", "9223372036854775807"}, {"two", "x"}, {"+5", " 5"}, {"1e3", "0x10"}} {
		f.Add(s[0], s[1])
	}
	list := make([]int, 1234)
	f.Fuzz(func(t *testing.T, a, b string) {
		r := httptest.NewRequest("GET", "/oruk/services?"+url.Values{"page": {a}, "per_page": {b}}.Encode(), nil)
		page, perPage, err := parseORUKPage(r)
		if err != nil {
			if bad, ok := err.(*orukBad); !ok || (bad.param != "page" && bad.param != "per_page") {
				t.Fatalf("page %q per_page %q: %v names no parameter", a, b, err)
			}
		} else {
			if page < 1 || page > linkwork.MaxPage || perPage < 1 || perPage > orukMaxPerPage {
				t.Fatalf("page %q per_page %q parsed to %d, %d", a, b, page, perPage)
			}
			got := pageOf(list, page, perPage)
			if start := (page - 1) * perPage; start < len(list) && (len(got) == 0 || &got[0] != &list[start]) {
				t.Fatalf("page %d of %d: %d items from the wrong place", page, perPage, len(got))
			}
		}
		r = httptest.NewRequest("GET", "/api/v1/assets?"+url.Values{"offset": {a}, "limit": {b}}.Encode(), nil)
		off, lim, err := listParams(r)
		if err != nil {
			fs := linkwork.ErrorFields(err)
			if linkwork.ErrorCode(err) != linkwork.EINVALID || len(fs) == 0 || (fs[0].Field != "offset" && fs[0].Field != "limit") {
				t.Fatalf("offset %q limit %q: %v names no parameter", a, b, err)
			}
		} else if off < 0 || off > linkwork.MaxOffset || lim < 1 || lim > linkwork.MaxPageSize || off+lim < off {
			t.Fatalf("offset %q limit %q parsed to %d, %d", a, b, off, lim)
		}
	})
}

// TestPageOf: any numbers cut a list without a panic.
func TestPageOf(t *testing.T) {
	list := []int{1, 2, 3, 4, 5}
	for _, tt := range []struct {
		page, per int
		want      int
	}{{1, 2, 2}, {3, 2, 1}, {4, 2, 0}, {0, 2, 0}, {-1, 2, 0}, {1, 0, 0}, {1 << 62, 1 << 62, 0}, {int(^uint(0) >> 1), 100, 0}, {2, int(^uint(0) >> 1), 0}, {1, int(^uint(0) >> 1), 5}} {
		if got := pageOf(list, tt.page, tt.per); len(got) != tt.want {
			t.Errorf("pageOf(page %d, per %d) = %v, want %d items", tt.page, tt.per, got, tt.want)
		}
	}
}
