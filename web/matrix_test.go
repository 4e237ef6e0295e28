package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// Who may reach each route: the specification the server must match.
// "public" routes need no sign-in; "anyone" means any signed-in role.
// Records inside a route are further scoped by the services (tested in
// sqlstore); this table is about the doors.
var routeRules = map[string][]string{
	// GET /metrics is for the monitoring system, not people: it is outside
	// the route table (TestMetricsAreForMonitoringOnly).
	"GET /healthz":                            {"public"},
	"GET /readyz":                             {"public"},
	"GET /{$}":                                {"public"},
	"GET /login":                              {"public"},
	"POST /login":                             {"public"},
	"GET /directory":                          {"public"},
	"GET /directory/{id}":                     {"public"},
	"GET /directory/curate":                   {"coordinator", "community_org"},
	"GET /directory/{id}/edit":                {"coordinator", "community_org"},
	"POST /directory/{id}/edit":               {"coordinator", "community_org"},
	"POST /directory/{id}/confirm":            {"coordinator", "community_org"},
	"GET /directory/{id}/report":              {"link_worker", "coordinator"},
	"POST /directory/{id}/report":             {"link_worker", "coordinator"},
	"POST /directory/reports/{id}/resolve":    {"coordinator", "community_org"},
	"GET /verify/{token}":                     {"public"},
	"POST /verify/{token}/confirm":            {"public"},
	"GET /verify/{token}/change":              {"public"},
	"POST /verify/{token}/change":             {"public"},
	"GET /api/v1/openapi.json":                {"public"},
	"GET /api/v1/assets":                      {"public"},
	"GET /api/v1/assets/{id}":                 {"public"},
	"GET /oruk":                               {"public"},
	"GET /oruk/{$}":                           {"public"},
	"GET /oruk/services":                      {"public"},
	"GET /oruk/services/{id}":                 {"public"},
	"GET /oruk/service_at_locations":          {"public"},
	"GET /oruk/service_at_locations/{id}":     {"public"},
	"GET /oruk/taxonomies":                    {"public"},
	"GET /oruk/taxonomies/{id}":               {"public"},
	"GET /oruk/taxonomy_terms":                {"public"},
	"GET /oruk/taxonomy_terms/{id}":           {"public"},
	"GET /api/v1/assets/{id}/versions":        {"coordinator", "community_org"},
	"POST /logout":                            {"anyone"},
	"GET /account":                            {"anyone"},
	"POST /account/tokens":                    {"anyone"},
	"POST /account/password":                  {"anyone"},
	"GET /api/v1/me":                          {"anyone"},
	"GET /api/v1/home":                        {"anyone"},
	"GET /api/v1/organisations":               {"anyone"},
	"GET /api/v1/organisations/{id}":          {"anyone"},
	"GET /api/v1/users/{id}":                  {"anyone"},
	"POST /api/v1/tokens":                     {"anyone"},
	"GET /api/v1/tokens":                      {"anyone"},
	"DELETE /api/v1/tokens/{id}":              {"anyone"},
	"POST /account/tokens/{id}/revoke":        {"anyone"},
	"GET /referrals":                          {"referrer", "link_worker", "coordinator", "safeguarding_lead"},
	"GET /referrals/{id}":                     {"referrer", "link_worker", "coordinator", "safeguarding_lead"},
	"GET /api/v1/referrals":                   {"referrer", "link_worker", "coordinator", "safeguarding_lead"},
	"POST /api/v1/referrals":                  {"referrer", "link_worker", "coordinator"},
	"GET /api/v1/referrals/{id}":              {"referrer", "link_worker", "coordinator", "safeguarding_lead"},
	"POST /api/v1/referrals/{id}/decision":    {"link_worker", "coordinator"},
	"GET /cases":                              {"link_worker", "coordinator", "safeguarding_lead"},
	"GET /cases/{id}":                         {"link_worker", "coordinator", "safeguarding_lead"},
	"GET /api/v1/cases":                       {"link_worker", "coordinator", "safeguarding_lead"},
	"GET /api/v1/cases/{id}":                  {"link_worker", "coordinator", "safeguarding_lead"},
	"GET /connections":                        {"link_worker", "coordinator", "safeguarding_lead", "community_org"},
	"GET /api/v1/connections":                 {"link_worker", "coordinator", "safeguarding_lead", "community_org"},
	"GET /api/v1/people/{id}":                 {"link_worker", "coordinator", "safeguarding_lead", "community_org"},
	"GET /admin/users":                        {"admin", "coordinator"},
	"GET /api/v1/users":                       {"admin", "coordinator"},
	"POST /admin/users":                       {"admin"},
	"POST /admin/users/{id}/disable":          {"admin"},
	"POST /admin/users/{id}/enable":           {"admin"},
	"POST /api/v1/users":                      {"admin"},
	"POST /api/v1/users/{id}/disable":         {"admin"},
	"GET /admin/organisations":                {"admin"},
	"POST /admin/organisations":               {"admin"},
	"POST /api/v1/organisations":              {"admin"},
	"PUT /api/v1/organisations/{id}":          {"admin"},
	"GET /admin/organisations/{id}":           {"admin"},
	"POST /admin/organisations/{id}":          {"admin"},
	"GET /admin/audit":                        {"admin", "safeguarding_lead"},
	"GET /api/v1/audit":                       {"admin", "safeguarding_lead"},
	"POST /admin/audit/verify":                {"admin"},
	"GET /streetlight":                        {"public"},
	"GET /accessibility":                      {"public"},
	"GET /refer":                              {"public"},
	"GET /refer/sent":                         {"public"},
	"GET /refer/{who}":                        {"public"},
	"POST /refer/{who}":                       {"public"},
	"POST /api/v1/public/referrals":           {"public"},
	"GET /api/v1/services":                    {"public"},
	"GET /api/v1/services/{id}":               {"public"},
	"PUT /api/v1/services/{id}":               {"coordinator", "admin"},
	"GET /admin/service":                      {"coordinator", "admin"},
	"POST /admin/service":                     {"coordinator", "admin"},
	"GET /notifications":                      {"anyone"},
	"GET /more":                               {"anyone"},
	"POST /notifications/{id}/read":           {"anyone"},
	"GET /api/v1/notifications":               {"anyone"},
	"POST /api/v1/notifications/{id}/read":    {"anyone"},
	"GET /referrals/new":                      {"referrer", "link_worker", "coordinator"},
	"POST /referrals/new":                     {"referrer", "link_worker", "coordinator"},
	"POST /referrals/{id}/decision":           {"link_worker", "coordinator"},
	"POST /referrals/{id}/duplicate":          {"link_worker", "coordinator"},
	"POST /api/v1/referrals/{id}/duplicate":   {"link_worker", "coordinator"},
	"GET /triage":                             {"link_worker", "coordinator", "safeguarding_lead"},
	"GET /api/v1/triage":                      {"link_worker", "coordinator", "safeguarding_lead"},
	"POST /triage/return-deferrals":           {"coordinator"},
	"POST /api/v1/triage/return-deferrals":    {"coordinator"},
	"GET /waiting-list":                       {"link_worker", "coordinator", "safeguarding_lead"},
	"GET /api/v1/waiting-list":                {"link_worker", "coordinator", "safeguarding_lead"},
	"GET /api/v1/caseloads":                   {"link_worker", "coordinator", "safeguarding_lead"},
	"POST /referrals/{id}/risk":               {"link_worker", "coordinator", "safeguarding_lead"},
	"POST /api/v1/referrals/{id}/risk-review": {"link_worker", "coordinator", "safeguarding_lead"},
	// The directory's maintenance over the API.
	"POST /api/v1/assets":                     {"coordinator", "community_org"},
	"PUT /api/v1/assets/{id}":                 {"coordinator", "community_org"},
	"POST /api/v1/assets/{id}/confirm":        {"coordinator", "community_org"},
	"POST /api/v1/assets/{id}/reports":        {"link_worker", "coordinator"},
	"GET /api/v1/assets/{id}/reports":         {"coordinator", "community_org"},
	"POST /api/v1/asset-reports/{id}/resolve": {"coordinator", "community_org"},
	"GET /api/v1/curation":                    {"coordinator", "community_org"},
	"GET /api/v1/verify/{token}":              {"public"},
	"POST /api/v1/verify/{token}/confirm":     {"public"},
	"PUT /api/v1/verify/{token}":              {"public"},
	// Adding listings: coordinators, and community organisations for themselves.
	"GET /directory/new":  {"coordinator", "community_org"},
	"POST /directory/new": {"coordinator", "community_org"},
}

func allowed(rule []string, role linkwork.Role) bool {
	for _, r := range rule {
		if r == "public" || (r == "anyone" && role != "") || r == string(role) {
			return true
		}
	}
	return false
}

var pathParam = regexp.MustCompile(`\{[a-z]+\}`)

// TestAuthorizationMatrix requests every route as every role, and as
// nobody, and checks each door against routeRules. A route with no rule
// fails the test.
func TestAuthorizationMatrix(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		routes := f.srv.Routes()
		seen := map[string]bool{}
		for _, r := range routes {
			key := r.Method + " " + r.Pattern
			seen[key] = true
			if _, ok := routeRules[key]; !ok {
				t.Errorf("route %s has no rule in the authorization matrix", key)
			}
		}
		for key := range routeRules {
			if !seen[key] {
				t.Errorf("the matrix has a rule for %s, which the server does not serve", key)
			}
		}
		sort.Slice(routes, func(i, j int) bool {
			// Sign out last: it ends the session the other requests use.
			return !strings.HasSuffix(routes[i].Pattern, "/logout") && strings.HasSuffix(routes[j].Pattern, "/logout")
		})
		roles := append([]linkwork.Role{""}, linkwork.Roles...)
		for _, r := range routes {
			rule := routeRules[r.Method+" "+r.Pattern]
			// Parameters get an id that matches nothing: allowed callers
			// then see "not found", never "forbidden".
			path := pathParam.ReplaceAllString(strings.TrimSuffix(r.Pattern, "{$}"), "00000000-0000-4000-8000-000000000000")
			for _, role := range roles {
				name := string(role)
				if name == "" {
					name = "anonymous"
				}
				t.Run(r.Method+" "+r.Pattern+" as "+name, func(t *testing.T) {
					var status int
					var body string
					var hdr http.Header
					switch {
					case r.API && role != "":
						body := ""
						if r.Method == "POST" {
							body = "{}"
						}
						status, _ = f.api(role, r.Method, path, body)
					case r.API:
						status, _ = f.api("", r.Method, path, map[bool]string{true: "{}", false: ""}[r.Method == "POST"])
					default:
						var c *http.Client
						if role != "" {
							c = f.clients[role]
						}
						ct := ""
						if r.Method == "POST" {
							ct = "application/x-www-form-urlencoded"
						}
						status, body, hdr = f.do(c, r.Method, path, ct, "", nil)
					}
					_ = body
					// Whoever asks, a door answers: a 5xx is a bug, never
					// a way of keeping someone out or letting them in.
					if status >= 500 {
						t.Fatalf("status %d: a route must never fail, allowed or not", status)
					}
					if allowed(rule, role) {
						if status == http.StatusForbidden || status == http.StatusUnauthorized || (status == http.StatusSeeOther && strings.HasPrefix(hdr.Get("Location"), "/login?")) {
							t.Fatalf("status %d: this role should reach the route", status)
						}
						return
					}
					switch {
					case role != "" && status != http.StatusForbidden:
						t.Fatalf("status %d, want 403 Forbidden", status)
					case role == "" && r.API && status != http.StatusUnauthorized:
						t.Fatalf("status %d, want 401", status)
					case role == "" && !r.API && r.Method == "GET" && (status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/login?next="+url.QueryEscape(path))):
						t.Fatalf("status %d to %q, want a redirect to sign in", status, hdr.Get("Location"))
					case role == "" && !r.API && r.Method == "POST" && status != http.StatusUnauthorized:
						t.Fatalf("status %d, want 401", status)
					}
				})
			}
		}
	})
}
