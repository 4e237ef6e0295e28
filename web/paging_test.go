package web_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// The numbers a client may send as a page or an offset: the largest and
// smallest 64-bit integers, one past them, and the bounds.
const (
	maxInt64     = "9223372036854775807"
	pastMaxInt64 = "9223372036854775808"
	minInt64     = "-9223372036854775808"
)

// TestPagingAnyInteger: on both engines, every paged endpoint answers any
// integer as a page number or offset with a page (empty past the end) or a
// clear 400-class error naming the parameter; never a 500 or a panic.
func TestPagingAnyInteger(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		maxPage, pastMaxPage := strconv.Itoa(linkwork.MaxPage), strconv.Itoa(linkwork.MaxPage+1)

		t.Run("Open Referral UK", func(t *testing.T) {
			for _, ep := range []string{"/oruk/services", "/oruk/service_at_locations", "/oruk/taxonomies", "/oruk/taxonomy_terms"} {
				for _, tt := range []struct {
					query string
					param string // "": an empty page; "capped": page 1 of at most 100
				}{
					{"page=" + maxInt64, "page"},
					{"page=" + pastMaxInt64, "page"},
					{"page=" + minInt64, "page"},
					{"page=" + pastMaxPage, "page"},
					{"page=" + maxPage, ""},
					{"page=" + maxPage + "&per_page=100", ""},
					{"per_page=" + maxInt64, "capped"},
					{"per_page=" + minInt64, "per_page"},
					{"page=" + maxInt64 + "&per_page=" + maxInt64, "page"},
				} {
					t.Run(ep+"?"+tt.query, func(t *testing.T) {
						status, body := orukGet(t, f.ts.URL, ep+"?"+tt.query)
						if tt.param == "capped" {
							var p orukPageJSON
							if status != http.StatusOK || json.Unmarshal(body, &p) != nil {
								t.Fatalf("status %d: %s", status, body)
							}
							if p.PageNumber != 1 || p.Size != min(p.TotalItems, 100) || p.TotalPages != (p.TotalItems+99)/100 {
								t.Fatalf("per_page past 100 is not taken as 100: %+v", p)
							}
							return
						}
						if tt.param != "" {
							if status != http.StatusBadRequest || !strings.Contains(string(body), `"field": "`+tt.param+`"`) {
								t.Fatalf("status %d, want 400 naming %s: %s", status, tt.param, body)
							}
							return
						}
						var p orukPageJSON
						if status != http.StatusOK || json.Unmarshal(body, &p) != nil {
							t.Fatalf("status %d: %s", status, body)
						}
						if !p.Empty || len(p.Contents) != 0 || p.PageNumber != linkwork.MaxPage || !p.LastPage || p.TotalItems == 0 {
							t.Fatalf("page past the end: %+v", p)
						}
					})
				}
			}
		})

		t.Run("the JSON API", func(t *testing.T) {
			for _, ep := range []struct {
				role linkwork.Role
				path string
			}{
				{linkwork.RoleCoordinator, "/api/v1/referrals"}, {linkwork.RoleCoordinator, "/api/v1/cases"}, {linkwork.RoleCoordinator, "/api/v1/connections"},
				{"", "/api/v1/assets"}, {linkwork.RoleReferrer, "/api/v1/organisations"}, {linkwork.RoleAdmin, "/api/v1/users"},
				{linkwork.RoleAdmin, "/api/v1/audit"}, {linkwork.RoleCoordinator, "/api/v1/triage"}, {linkwork.RoleCoordinator, "/api/v1/waiting-list"},
				{linkwork.RoleCoordinator, "/api/v1/notifications"},
			} {
				for _, tt := range []struct {
					query string
					param string // "": an empty page
				}{
					{"offset=" + maxInt64, "offset"},
					{"offset=" + pastMaxInt64, "offset"},
					{"offset=" + minInt64, "offset"},
					{"offset=" + strconv.Itoa(linkwork.MaxOffset+1), "offset"},
					{"offset=" + strconv.Itoa(linkwork.MaxOffset), ""},
					{"offset=" + strconv.Itoa(linkwork.MaxOffset) + "&limit=500", ""},
					{"limit=" + maxInt64, "limit"},
					{"limit=" + minInt64, "limit"},
				} {
					t.Run(ep.path+"?"+tt.query, func(t *testing.T) {
						status, body := f.api(ep.role, "GET", ep.path+"?"+tt.query, "")
						if tt.param != "" {
							if status != http.StatusUnprocessableEntity || !strings.Contains(body, `"field": "`+tt.param+`"`) {
								t.Fatalf("status %d, want 422 naming %s: %s", status, tt.param, body)
							}
							return
						}
						var page struct {
							Items  []json.RawMessage `json:"items"`
							Offset int               `json:"offset"`
						}
						if status != http.StatusOK || json.Unmarshal([]byte(body), &page) != nil || len(page.Items) != 0 || page.Offset != linkwork.MaxOffset {
							t.Fatalf("status %d, want an empty page at offset %d: %.300s", status, linkwork.MaxOffset, body)
						}
					})
				}
			}
		})

		t.Run("pages", func(t *testing.T) {
			for _, ep := range []struct {
				role linkwork.Role
				path string
			}{
				{"", "/directory"}, {linkwork.RoleReferrer, "/referrals"}, {linkwork.RoleCoordinator, "/triage"}, {linkwork.RoleCoordinator, "/waiting-list"},
				{linkwork.RoleCoordinator, "/notifications"}, {linkwork.RoleCoordinator, "/cases"}, {linkwork.RoleCoordinator, "/connections"},
				{linkwork.RoleAdmin, "/admin/users"}, {linkwork.RoleAdmin, "/admin/organisations"}, {linkwork.RoleAdmin, "/admin/audit"},
			} {
				for _, pg := range []string{maxInt64, pastMaxInt64, minInt64, pastMaxPage} {
					t.Run(ep.path+"?page="+pg, func(t *testing.T) {
						var c *http.Client
						if ep.role != "" {
							c = f.clients[ep.role]
						}
						status, body, _ := f.do(c, "GET", ep.path+"?page="+pg, "", "", nil)
						if status != http.StatusOK {
							t.Fatalf("status %d: %.300s", status, body)
						}
					})
				}
			}
		})
	})
}
