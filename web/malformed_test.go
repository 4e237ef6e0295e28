package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// TestMalformedText: on both engines, every door refuses a zero byte or
// bytes that are not UTF-8 (in a path value, a query parameter, a form
// field or a JSON string) with 400 naming the field, never a 500; and
// text past its limit is refused naming the field.
func TestMalformedText(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		service := f.users[linkwork.RoleCoordinator].OrgID
		referrer, coordinator := f.clients[linkwork.RoleReferrer], f.clients[linkwork.RoleCoordinator]
		bearer := func(role linkwork.Role) map[string]string {
			return map[string]string{"Authorization": "Bearer " + f.tokens[role]}
		}
		form := func(kv ...string) string {
			v := url.Values{}
			for i := 0; i+1 < len(kv); i += 2 {
				v.Set(kv[i], kv[i+1])
			}
			return v.Encode()
		}
		const formType, jsonType = "application/x-www-form-urlencoded", "application/json"
		referral := apiReferralBody(service, "gp", "referral", "Robin", nil)
		public := publicBody(service, "self", nil, nil)
		tests := []struct {
			name         string
			client       *http.Client
			method, path string
			contentType  string
			body         string
			header       map[string]string
			field        string
		}{
			// Pages.
			{name: "sign-in with a zero byte in the email", method: "POST", path: "/login", contentType: formType,
				body: form("email", "referrer@demo.linkwork.test\x00", "password", "x"), field: "email"},
			{name: "sign-in with an email that is not UTF-8", method: "POST", path: "/login", contentType: formType,
				body: "email=referrer%ff%40demo.linkwork.test&password=x", field: "email"},
			{name: "a public referral with a zero byte in the name", method: "POST", path: "/refer/self", contentType: formType,
				body: form("person.given_name", "No\x00or", "reasons", "Lonely"), field: "person.given_name"},
			{name: "a public referral to a who that is not UTF-8", method: "POST", path: "/refer/%ff", contentType: formType, body: form("reasons", "x"), field: "who"},
			{name: "a referral page for id %00", client: referrer, method: "GET", path: "/referrals/%00", field: "id"},
			{name: "a decision on referral %00", client: coordinator, method: "POST", path: "/referrals/%00/decision", contentType: formType, body: form("to", "triage"), field: "id"},
			{name: "a listing page for id %ff", method: "GET", path: "/directory/%ff", field: "id"},
			{name: "a directory search for %00", method: "GET", path: "/directory?q=%00", field: "q"},
			{name: "a listing whose name holds a zero byte", client: coordinator, method: "POST", path: "/directory/new", contentType: formType,
				body: form("name", "Box\x00ing"), field: "name"},
			{name: "a verification link whose token is not UTF-8", method: "GET", path: "/verify/%c3", field: "token"},
			// The JSON API.
			{name: "an API referral for id %00", method: "GET", path: "/api/v1/referrals/%00", header: bearer(linkwork.RoleReferrer), field: "id"},
			{name: "an API listing for id %ff", method: "GET", path: "/api/v1/assets/%ff", field: "id"},
			{name: "an API search for text that is not UTF-8", method: "GET", path: "/api/v1/assets?q=foot%ffball", field: "q"},
			{name: "an API list with a zero byte in a filter", method: "GET", path: "/api/v1/referrals?person_id=%00", header: bearer(linkwork.RoleCoordinator), field: "person_id"},
			{name: "a public referral whose name holds \\u0000", method: "POST", path: "/api/v1/public/referrals", contentType: jsonType,
				body: publicBody(service, "self", map[string]any{"given_name": "No\x00or"}, nil), field: "person.given_name"},
			{name: "a public referral whose reasons are not UTF-8", method: "POST", path: "/api/v1/public/referrals", contentType: jsonType,
				body: strings.Replace(public, "Worried all the time", "Worried \xff all the time", 1), field: "reasons"},
			{name: "a referral whose guardian's name holds \\u0000", method: "POST", path: "/api/v1/referrals", contentType: jsonType, header: bearer(linkwork.RoleReferrer),
				body: apiReferralBody(service, "gp", "referral", "Robin", map[string]any{"guardians": []any{map[string]any{"name": "Alex\x00"}}}), field: "person.guardians[0].name"},
			{name: "a referral's reasons that are not UTF-8", method: "POST", path: "/api/v1/referrals", contentType: jsonType, header: bearer(linkwork.RoleReferrer),
				body: strings.Replace(referral, "Isolated since", "Isolated \xc3 since", 1), field: "reasons"},
			{name: "service settings whose second red line holds \\u0000", method: "PUT", path: "/api/v1/services/" + service, contentType: jsonType, header: bearer(linkwork.RoleCoordinator),
				body: `{"version": 0, "red": ["In crisis", "Danger\u0000"], "amber": ["a"], "green": ["g"], "crisis_advice": "Call 999"}`, field: "red[1]"},
			// Open Referral UK.
			{name: "an ORUK service for id %00", method: "GET", path: "/oruk/services/%00", field: "id"},
			{name: "an ORUK search for text that is not UTF-8", method: "GET", path: "/oruk/services?text=%ff", field: "text"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				status, body, h := f.do(tt.client, tt.method, tt.path, tt.contentType, tt.body, tt.header)
				if status != http.StatusBadRequest {
					t.Fatalf("status %d, want 400: %.300s", status, body)
				}
				if !strings.Contains(body, tt.field) {
					t.Fatalf("the answer does not name %s: %.500s", tt.field, body)
				}
				if strings.HasPrefix(h.Get("Content-Type"), "application/json") {
					var e struct {
						Error struct {
							Code   string                `json:"code"`
							Fields []linkwork.FieldError `json:"fields"`
						} `json:"error"`
					}
					if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != linkwork.EMALFORMED || len(e.Error.Fields) != 1 || e.Error.Fields[0].Field != tt.field {
						t.Fatalf("error %+v (%v), want code malformed naming %s", e.Error, err, tt.field)
					}
				}
			})
		}

		t.Run("every route with a path value", func(t *testing.T) {
			for _, r := range f.srv.Routes() {
				if !strings.Contains(r.Pattern, "{") || strings.Contains(r.Pattern, "{$}") {
					continue
				}
				path, name := r.Pattern, ""
				for strings.Contains(path, "{") {
					i, j := strings.Index(path, "{"), strings.Index(path, "}")
					if name == "" {
						name = path[i+1 : j]
						path = path[:i] + "%00" + path[j+1:]
					} else {
						path = path[:i] + "x" + path[j+1:]
					}
				}
				// Someone the route admits.
				role := linkwork.Role("")
				if !r.Access.Public {
					role = linkwork.RoleAdmin
					if len(r.Access.Roles()) > 0 {
						role = r.Access.Roles()[0]
					}
				}
				t.Run(r.Method+" "+r.Pattern, func(t *testing.T) {
					var c *http.Client
					h := map[string]string{}
					switch {
					case role != "" && r.API:
						h["Authorization"] = "Bearer " + f.tokens[role]
					case role != "":
						c = f.clients[role]
					}
					ct := ""
					if r.Method != "GET" {
						ct = formType
						if r.API {
							ct = jsonType
						}
					}
					status, body, _ := f.do(c, r.Method, path, ct, "", h)
					if status != http.StatusBadRequest || !strings.Contains(body, name) {
						t.Fatalf("%s %s: status %d, want 400 naming %s: %.300s", r.Method, path, status, name, body)
					}
				})
			}
		})
		t.Run("a 900 KB reasons through the API is refused naming reasons", func(t *testing.T) {
			body := strings.Replace(referral, "Isolated since moving schools.", strings.Repeat("x", 900<<10), 1)
			status, ans := f.api(linkwork.RoleReferrer, "POST", "/api/v1/referrals", body)
			if status != http.StatusUnprocessableEntity || !strings.Contains(ans, `"field": "reasons"`) || !strings.Contains(ans, "5,000 characters") {
				t.Fatalf("status %d: %.500s", status, ans)
			}
		})
		t.Run("credentials that are not text are simply not signed in", func(t *testing.T) {
			status, body, _ := f.do(nil, "GET", "/api/v1/me", "", "", map[string]string{"Authorization": "Bearer lw_\xff\xfe"})
			if status != http.StatusUnauthorized {
				t.Fatalf("bearer token: status %d: %s", status, body)
			}
			status, body, _ = f.do(nil, "GET", "/account", "", "", map[string]string{"Cookie": "linkwork_session=abc\xff"})
			if status != http.StatusSeeOther {
				t.Fatalf("session cookie: status %d: %.300s", status, body)
			}
		})
	})
}
