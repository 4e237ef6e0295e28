package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// The navigation is chosen per role for what each does day to day, but it
// never offers a page the policy keeps from the role: every link in a
// role's navigation is a route that role may reach.
func TestNavigationOffersOnlyPagesTheRoleMayReach(t *testing.T) {
	s, err := New(Config{}, Services{})
	if err != nil {
		t.Fatal(err)
	}
	access := func(path string) (Access, bool) {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		_, pattern := s.mux.Handler(r)
		pattern = strings.TrimPrefix(pattern, "GET ")
		for _, ri := range s.Routes() {
			if ri.Method == http.MethodGet && ri.Pattern == pattern {
				return ri.Access, true
			}
		}
		return Access{}, false
	}
	for _, role := range linkwork.Roles {
		items := navFor(&linkwork.User{Role: role}, "/")
		if len(items) < 2 {
			t.Errorf("%s: navigation %v", role, items)
		}
		for _, it := range items {
			path, _, _ := strings.Cut(it.Href, "?")
			a, ok := access(path)
			if !ok {
				t.Errorf("%s: %q links to %s, which is no page", role, it.Label, it.Href)
				continue
			}
			if !a.Allows(role) {
				t.Errorf("%s: %q links to %s, which the policy keeps from %s", role, it.Label, it.Href, role)
			}
		}
	}
}

// TestMoreOffersEachPageOnlyToRolesThatMayOpenIt: every link under More
// names the capability of the route it opens, so the policy decides who
// sees it.
func TestMoreOffersEachPageOnlyToRolesThatMayOpenIt(t *testing.T) {
	s, err := New(Config{}, Services{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range moreLinks {
		found := false
		for _, ri := range s.Routes() {
			if ri.Method == http.MethodGet && ri.Pattern == m.Href {
				found = true
				if ri.Access.Capability != m.cap {
					t.Errorf("More's %q names %s, but %s needs %s", m.Label, m.cap, m.Href, ri.Access.Capability)
				}
			}
		}
		if !found {
			t.Errorf("More's %q links to %s, which is no page", m.Label, m.Href)
		}
	}
	if got := len(moreFor(linkwork.RoleCoordinator)); got != len(moreLinks) {
		t.Errorf("a coordinator sees %d of More's %d pages", got, len(moreLinks))
	}
	if got := moreFor(linkwork.RoleReferrer); len(got) != 0 {
		t.Errorf("a referrer sees %v under More", got)
	}
}
