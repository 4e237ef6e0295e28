package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/web"
)

// The JSON API, endpoint by endpoint, in tables grouped by the status code
// each case expects. Every answer is also checked against web/openapi.json
// (the status must be documented for the operation and the body must match
// its schema), and so is every JSON body a request sent when the server
// took it (it must match the operation's request schema). Error bodies
// must have the one error shape and no internal detail, and answers to
// signed-in callers must not be cached.

// anonymous is the zero role: a request with no credentials.
const anonymous linkwork.Role = ""

// missingID matches no record.
const missingID = "00000000-0000-4000-8000-000000000000"

// apiCase is one request and what it must answer.
type apiCase struct {
	name   string
	role   linkwork.Role // who sends it; anonymous for no Authorization header
	method string
	path   string
	body   string
	// header overrides request headers (such as Authorization); a
	// Content-Type here replaces application/json.
	header map[string]string
	// field, for 422, is the field the error must name; "" means the
	// error names no field.
	field string
	// check, when set, checks the decoded body of the answer.
	check func(t *testing.T, v map[string]any)
}

// apiAnswer is a response, decoded.
type apiAnswer struct {
	status int
	body   string
	header http.Header
	v      map[string]any
}

// apiTester sends requests to a fixture and checks what every answer must
// satisfy.
type apiTester struct {
	f   *fixture
	doc *openAPIDoc
}

// send sends c and checks the answer's shape, headers and documentation.
func (a *apiTester) send(t *testing.T, c apiCase) apiAnswer {
	t.Helper()
	h := map[string]string{}
	if c.role != anonymous {
		h["Authorization"] = "Bearer " + a.f.tokens[c.role]
	}
	ct := ""
	if c.body != "" {
		ct = "application/json"
	}
	for k, v := range c.header {
		if http.CanonicalHeaderKey(k) == "Content-Type" {
			ct = v
			continue
		}
		h[k] = v
	}
	status, body, hdr := a.f.do(nil, c.method, c.path, ct, c.body, h)
	ans := apiAnswer{status: status, body: body, header: hdr}
	if strings.HasPrefix(body, "{") {
		if err := json.Unmarshal([]byte(body), &ans.v); err != nil {
			t.Errorf("%s %s: the body is not JSON: %v\n%s", c.method, c.path, err, body)
		}
	}
	if got := hdr.Get("Content-Type"); got != "application/json; charset=utf-8" && !(status == http.StatusNoContent && body == "") {
		t.Errorf("%s %s: Content-Type %q, want JSON", c.method, c.path, got)
	}
	authenticated := c.role != anonymous || h["Authorization"] != ""
	if (authenticated || status >= 400) && hdr.Get("Cache-Control") != "no-store" {
		t.Errorf("%s %s answered %d with Cache-Control %q, want no-store", c.method, c.path, status, hdr.Get("Cache-Control"))
	}
	if status >= 400 {
		checkAPIErrorBody(t, c, ans)
	}
	a.doc.checkBody(t, c.method, c.path, status, body)
	if status >= 200 && status < 300 && c.body != "" && ct == "application/json" {
		a.doc.checkRequest(t, c.method, c.path, c.body)
	}
	return ans
}

// internalWords are words no error may show: the store's engines and queries,
// Go's panics and stacks.
var internalWords = []string{"sql", "pgx", "pgconn", "sqlite", "SELECT", "INSERT", "UPDATE ", "constraint", "violates", "duplicate key",
	"goroutine", "panic", "runtime/", ".go:", "no rows", "database", "driver"}

// checkAPIErrorBody checks the one error shape, that its code fits the
// status, and that it tells nothing of our insides.
func checkAPIErrorBody(t *testing.T, c apiCase, ans apiAnswer) {
	t.Helper()
	e, _ := ans.v["error"].(map[string]any)
	if e == nil {
		t.Errorf("%s %s answered %d without an error object: %s", c.method, c.path, ans.status, ans.body)
		return
	}
	code, _ := e["code"].(string)
	if got := web.ErrorStatus(linkwork.Errorf(code, "")); got != ans.status {
		t.Errorf("%s %s answered %d with code %q, which means %d", c.method, c.path, ans.status, code, got)
	}
	if msg, _ := e["message"].(string); strings.TrimSpace(msg) == "" {
		t.Errorf("%s %s: the error has no message", c.method, c.path)
	}
	lower := strings.ToLower(ans.body)
	for _, w := range internalWords {
		if strings.Contains(ans.body, w) || (strings.ToLower(w) == w && strings.Contains(lower, w)) {
			t.Errorf("%s %s: the error shows internal detail %q: %s", c.method, c.path, w, ans.body)
		}
	}
}

// apiErrorFields returns the fields an error names.
func apiErrorFields(v map[string]any) []string {
	e, _ := v["error"].(map[string]any)
	fs, _ := e["fields"].([]any)
	var out []string
	for _, x := range fs {
		if m, ok := x.(map[string]any); ok {
			out = append(out, fmt.Sprint(m["field"]))
		}
	}
	return out
}

// runTable runs each case as a subtest, expecting status.
func (a *apiTester) runTable(t *testing.T, status int, cases []apiCase) {
	t.Helper()
	names := map[string]bool{}
	for _, c := range cases {
		name := c.name
		if name == "" {
			name = c.method + " " + c.path
		}
		if c.role != anonymous {
			name += " as " + string(c.role)
		}
		if names[name] {
			t.Errorf("two cases are named %q", name)
		}
		names[name] = true
		t.Run(name, func(t *testing.T) {
			ans := a.send(t, c)
			if ans.status != status {
				t.Fatalf("%s %s: status %d, want %d\n%s", c.method, c.path, ans.status, status, ans.body)
			}
			if status == http.StatusUnprocessableEntity {
				fields := apiErrorFields(ans.v)
				switch {
				case c.field == "" && len(fields) != 0:
					t.Errorf("the error names %v, want no field", fields)
				case c.field != "" && !slices.Contains(fields, c.field):
					t.Errorf("the error names %v, want %q", fields, c.field)
				}
			}
			if c.check != nil {
				c.check(t, ans.v)
			}
		})
	}
}

// jsonStr reads a string at a dotted path in a decoded body.
func jsonStr(v map[string]any, path string) string {
	var cur any = v
	for _, k := range strings.Split(path, ".") {
		m, _ := cur.(map[string]any)
		cur = m[k]
	}
	s, _ := cur.(string)
	return s
}

// listItems returns a list answer's items.
func listItems(v map[string]any) []map[string]any {
	xs, _ := v["items"].([]any)
	out := make([]map[string]any, 0, len(xs))
	for _, x := range xs {
		out = append(out, x.(map[string]any))
	}
	return out
}

// wantJSON checks fields of a decoded body: each key a dotted path, each value
// what must be there (a string, bool or number as JSON decodes it).
func wantJSON(kv map[string]any) func(*testing.T, map[string]any) {
	return func(t *testing.T, v map[string]any) {
		t.Helper()
		for path, w := range kv {
			var cur any = v
			for _, k := range strings.Split(path, ".") {
				m, _ := cur.(map[string]any)
				cur = m[k]
			}
			if fmt.Sprint(cur) != fmt.Sprint(w) {
				t.Errorf("%s = %v, want %v", path, cur, w)
			}
		}
	}
}

// eachItem checks that each item of a list answer satisfies ok, and that the
// list is not empty.
func eachItem(what string, ok func(map[string]any) bool) func(*testing.T, map[string]any) {
	return func(t *testing.T, v map[string]any) {
		t.Helper()
		its := listItems(v)
		if len(its) == 0 {
			t.Fatalf("the list is empty; want some %s", what)
		}
		for _, it := range its {
			if !ok(it) {
				t.Errorf("item %v is not %s", it["id"], what)
			}
		}
	}
}

// wantPage checks the list envelope's offset and limit.
func wantPage(offset, limit int) func(*testing.T, map[string]any) {
	return wantJSON(map[string]any{"offset": offset, "limit": limit})
}

// checkAll runs each check in turn.
func checkAll(fs ...func(*testing.T, map[string]any)) func(*testing.T, map[string]any) {
	return func(t *testing.T, v map[string]any) {
		t.Helper()
		for _, f := range fs {
			f(t, v)
		}
	}
}

// hasKeys checks that a body holds the keys and not the others.
func hasKeys(keys []string, not []string) func(*testing.T, map[string]any) {
	return func(t *testing.T, v map[string]any) {
		t.Helper()
		for _, k := range keys {
			if _, ok := v[k]; !ok {
				t.Errorf("no %q in %v", k, v)
			}
		}
		for _, k := range not {
			if _, ok := v[k]; ok {
				t.Errorf("%q should not be there: %v", k, v)
			}
		}
	}
}

// apiWorld is what the tests find in the demo city to point requests at.
type apiWorld struct {
	service        string // the social prescribing service
	referrerOrg    string
	gpPractice     string // an organisation that is not a service
	gpName         string // its name
	ownReferral    string // a referral by the demo referrer's organisation
	otherReferral  string // one by another organisation
	otherStatus    string // its status
	otherPathway   string // and pathway
	ownCase        string // a case of the demo link worker
	ownCaseStatus  string
	otherCase      string // a case of someone else
	otherCaseState string // its status
	organisations  int    // how many there are, from the admin's home page
	users          int    // how many users, likewise
	servicePerson  string // a person of the service, in ownCase
	connected      string // a person connected to the demo community organisation
	unconnected    string // a person who is not
	connectionCase string // the case of one of the demo link worker's connections
	asset          string
	sameOrgUser    string // a user of the coordinator's organisation
	otherOrgUser   string // a user of another organisation
}

func discoverAPIWorld(t *testing.T, a *apiTester) apiWorld {
	t.Helper()
	get := func(role linkwork.Role, path string) map[string]any {
		t.Helper()
		ans := a.send(t, apiCase{role: role, method: "GET", path: path})
		if ans.status != http.StatusOK {
			t.Fatalf("GET %s as %s: %d %s", path, role, ans.status, ans.body)
		}
		return ans.v
	}
	f := a.f
	w := apiWorld{service: f.users[linkwork.RoleCoordinator].OrgID, referrerOrg: f.users[linkwork.RoleReferrer].OrgID}
	lw := f.users[linkwork.RoleLinkWorker].ID
	gp := listItems(get(linkwork.RoleAdmin, "/api/v1/organisations?kind=gp_practice"))[0]
	w.gpPractice, w.gpName = jsonStr(gp, "id"), jsonStr(gp, "name")
	home := get(linkwork.RoleAdmin, "/api/v1/home")
	w.organisations, w.users = int(home["organisations"].(float64)), int(home["users"].(float64))
	w.ownReferral = jsonStr(listItems(get(linkwork.RoleReferrer, "/api/v1/referrals"))[0], "id")
	for _, r := range listItems(get(linkwork.RoleCoordinator, "/api/v1/referrals?limit=500")) {
		if org := jsonStr(r, "referrer_org_id"); org != "" && org != w.referrerOrg && w.otherReferral == "" {
			w.otherReferral, w.otherStatus, w.otherPathway = jsonStr(r, "id"), jsonStr(r, "status"), jsonStr(r, "pathway")
		}
	}
	for _, c := range listItems(get(linkwork.RoleCoordinator, "/api/v1/cases?limit=500")) {
		switch jsonStr(c, "link_worker_id") {
		case lw:
			if w.ownCase == "" {
				w.ownCase, w.servicePerson, w.ownCaseStatus = jsonStr(c, "id"), jsonStr(c, "person_id"), jsonStr(c, "status")
			}
		default:
			if w.otherCase == "" {
				w.otherCase, w.otherCaseState = jsonStr(c, "id"), jsonStr(c, "status")
			}
		}
	}
	connected := map[string]bool{}
	for _, c := range listItems(get(linkwork.RoleCommunity, "/api/v1/connections?limit=500")) {
		connected[jsonStr(c, "person_id")] = true
		w.connected = jsonStr(c, "person_id")
	}
	// A person neither connected to the community organisation nor
	// referred by the referrer's organisation: neither may see them.
	referred := map[string]bool{}
	all := listItems(get(linkwork.RoleCoordinator, "/api/v1/referrals?limit=500"))
	for _, r := range all {
		if jsonStr(r, "referrer_org_id") == w.referrerOrg || jsonStr(r, "gp_practice_org_id") == w.referrerOrg {
			referred[jsonStr(r, "person_id")] = true
		}
	}
	for _, r := range all {
		if p := jsonStr(r, "person_id"); !connected[p] && !referred[p] {
			w.unconnected = p
		}
	}
	w.connectionCase = jsonStr(listItems(get(linkwork.RoleLinkWorker, "/api/v1/connections"))[0], "case_id")
	w.asset = jsonStr(listItems(get(anonymous, "/api/v1/assets"))[0], "id")
	for _, u := range listItems(get(linkwork.RoleAdmin, "/api/v1/users?limit=500")) {
		switch {
		case jsonStr(u, "org_id") == w.service && jsonStr(u, "id") != f.users[linkwork.RoleCoordinator].ID && w.sameOrgUser == "":
			w.sameOrgUser = jsonStr(u, "id")
		case jsonStr(u, "org_id") != w.service && w.otherOrgUser == "":
			w.otherOrgUser = jsonStr(u, "id")
		}
	}
	for name, v := range map[string]string{"gp practice": w.gpPractice, "other case status": w.otherCaseState, "own referral": w.ownReferral, "other referral": w.otherReferral,
		"own case": w.ownCase, "other case": w.otherCase, "service person": w.servicePerson, "connected person": w.connected,
		"unconnected person": w.unconnected, "connection case": w.connectionCase, "asset": w.asset, "same-org user": w.sameOrgUser,
		"other-org user": w.otherOrgUser} {
		if v == "" {
			t.Fatalf("the demo city has no %s to test with", name)
		}
	}
	return w
}

// apiReferralBody is a complete new referral, with a person, as JSON.
func apiReferralBody(service, pathway, mode, given string, person map[string]any) string {
	p := map[string]any{"given_name": given, "family_name": "Testperson", "date_of_birth": "2009-04-30", "postcode": "ls7 6sx",
		"phone": "07700 900999", "contact": map[string]any{"channels": []string{"text", "phone"}, "safe_to_leave_message": true, "best_times": "after 4pm"},
		"guardians": []any{map[string]any{"name": "Alex Testperson", "relationship": "mother", "has_parental_responsibility": true}},
		"consents":  []any{map[string]any{"kind": "referral", "given": true, "given_by": "parent/guardian"}}}
	for k, v := range person {
		if v == nil {
			delete(p, k)
		} else {
			p[k] = v
		}
	}
	b, _ := json.Marshal(map[string]any{"service_org_id": service, "pathway": pathway, "mode": mode, "reasons": "Isolated since moving schools.",
		"what_they_want": "Something to do after school.", "person_aware": true, "consent_referral": true, "consent_sharing": true,
		"safe_now": "yes", "harm_thoughts": "no", "person": p})
	return string(b)
}

// jsonWith returns a JSON object with keys removed or replaced: a nil value
// removes the key.
func jsonWith(body string, changes map[string]any) string {
	var m map[string]any
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		panic(err)
	}
	for k, v := range changes {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		w := discoverAPIWorld(t, a)
		u := f.users
		lw, coord, adminID := u[linkwork.RoleLinkWorker].ID, u[linkwork.RoleCoordinator].ID, u[linkwork.RoleAdmin].ID
		today := time.Now().In(apiUKTime())
		future := today.AddDate(0, 1, 0).Format(time.DateOnly)
		newReferral := apiReferralBody(w.service, "gp", "referral", "Robin", nil)

		t.Run("200", func(t *testing.T) {
			var cases []apiCase
			home := map[linkwork.Role][2][]string{
				linkwork.RoleReferrer:     {{"my_referrals_open", "my_referrals_accepted", "my_referrals_declined", "assets"}, {"awaiting_triage", "users", "referrals_total"}},
				linkwork.RoleLinkWorker:   {{"my_caseload", "my_contacts_week", "awaiting_triage", "waiting_list", "assets"}, {"caseloads", "my_referrals_open", "users"}},
				linkwork.RoleCoordinator:  {{"awaiting_triage", "waiting_list", "red_amber", "open_cases", "caseloads"}, {"my_caseload", "users", "referrals_total"}},
				linkwork.RoleSafeguarding: {{"awaiting_triage", "open_cases", "caseloads"}, {"my_caseload", "users"}},
				linkwork.RoleCommunity:    {{"my_listings", "my_stale_listings", "connections_to_me", "assets"}, {"awaiting_triage", "my_referrals_open"}},
				linkwork.RoleCommissioner: {{"referrals_total", "accepted_total", "closed_cases", "referrals_by_pathway"}, {"awaiting_triage", "caseloads", "users"}},
				linkwork.RoleAdmin:        {{"users", "disabled_users", "organisations", "audit_events", "assets"}, {"awaiting_triage", "caseloads", "referrals_total"}},
			}
			for _, role := range linkwork.Roles {
				cases = append(cases,
					apiCase{role: role, method: "GET", path: "/api/v1/me", check: wantJSON(map[string]any{"id": u[role].ID, "role": role, "org_id": u[role].OrgID, "disabled": false})},
					apiCase{role: role, method: "GET", path: "/api/v1/home", check: hasKeys(home[role][0], home[role][1])},
					apiCase{role: role, method: "GET", path: "/api/v1/organisations", check: checkAll(wantPage(0, 50), wantJSON(map[string]any{"total": w.organisations}))},
				)
			}
			cases = append(cases, []apiCase{
				{name: "openapi.json", method: "GET", path: "/api/v1/openapi.json", check: wantJSON(map[string]any{"openapi": "3.1.0"})},
				// Referrals.
				{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/referrals",
					check: eachItem("made by the referrer's organisation", func(r map[string]any) bool { return jsonStr(r, "referrer_org_id") == w.referrerOrg })},
				{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/referrals?limit=10", check: wantPage(0, 10)},
				{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/referrals?offset=5&limit=5", check: wantPage(5, 5)},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/referrals?status=" + w.otherStatus + ",withdrawn&pathway=" + w.otherPathway,
					check: eachItem("in the status and pathway", func(r map[string]any) bool {
						return (r["status"] == w.otherStatus || r["status"] == "withdrawn") && r["pathway"] == w.otherPathway
					})},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/referrals?person_id=" + w.servicePerson,
					check: eachItem("for the person", func(r map[string]any) bool { return jsonStr(r, "person_id") == w.servicePerson })},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/referrals?offset=100000", check: func(t *testing.T, v map[string]any) {
					if len(listItems(v)) != 0 || v["total"].(float64) == 0 {
						t.Errorf("past the end: %d items of %v", len(listItems(v)), v["total"])
					}
				}},
				{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/referrals/" + w.ownReferral, check: wantJSON(map[string]any{"id": w.ownReferral, "referrer_org_id": w.referrerOrg})},
				{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/referrals/" + w.otherReferral, check: wantJSON(map[string]any{"id": w.otherReferral})},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/referrals/" + w.otherReferral, check: wantJSON(map[string]any{"id": w.otherReferral})},
				{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/referrals/" + w.otherReferral, check: wantJSON(map[string]any{"id": w.otherReferral})},
				// Cases.
				{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/cases",
					check: eachItem("the link worker's own", func(c map[string]any) bool { return jsonStr(c, "link_worker_id") == lw })},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/cases?status=" + w.otherCaseState,
					check: eachItem("in the status", func(c map[string]any) bool { return c["status"] == w.otherCaseState })},
				{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/cases?status=waiting,closed," + w.ownCaseStatus + "&person_id=" + w.servicePerson,
					check: eachItem("the person's open cases", func(c map[string]any) bool { return jsonStr(c, "person_id") == w.servicePerson })},
				{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/cases/" + w.ownCase, check: wantJSON(map[string]any{"id": w.ownCase, "link_worker_id": lw})},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/cases/" + w.otherCase, check: wantJSON(map[string]any{"id": w.otherCase})},
				{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/cases/" + w.otherCase, check: wantJSON(map[string]any{"id": w.otherCase})},
				// People.
				{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/people/" + w.servicePerson, check: wantJSON(map[string]any{"id": w.servicePerson})},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/people/" + w.unconnected, check: wantJSON(map[string]any{"id": w.unconnected})},
				{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/people/" + w.servicePerson, check: wantJSON(map[string]any{"id": w.servicePerson})},
				{name: "a connected person, redacted", role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/people/" + w.connected,
					check: checkAll(wantJSON(map[string]any{"id": w.connected}), hasKeys([]string{"given_name", "contact"}, []string{"address", "postcode", "ethnicity", "gender", "school_or_work"}),
						func(t *testing.T, v map[string]any) {
							if len(v["guardians"].([]any))+len(v["consents"].([]any)) != 0 {
								t.Errorf("a community organisation sees guardians or consents: %v %v", v["guardians"], v["consents"])
							}
						})},
				// Connections.
				{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/connections?case_id=" + w.connectionCase,
					check: eachItem("for the case", func(c map[string]any) bool { return jsonStr(c, "case_id") == w.connectionCase })},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/connections?offset=1&limit=3", check: wantPage(1, 3)},
				{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/connections"},
				{role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/connections",
					check: eachItem("connected to the organisation's listings", func(c map[string]any) bool { return c["asset_name"] != "" })},
				// The directory.
				{method: "GET", path: "/api/v1/assets", check: wantPage(0, 50)},
				{method: "GET", path: "/api/v1/assets?q=a&category=social&age=15&free=true&accepting=true&offset=0&limit=20",
					check: eachItem("free social listings for 15-year-olds, taking people", func(x map[string]any) bool {
						cats, _ := x["categories"].([]any)
						minAge, _ := x["minimum_age"].(float64)
						maxAge, _ := x["maximum_age"].(float64)
						return slices.Contains(cats, any("social")) && x["free"] == true && jsonStr(x, "capacity.status") == "accepting" && x["status"] == "active" &&
							minAge <= 15 && (maxAge == 0 || maxAge >= 15)
					})},
				{method: "GET", path: "/api/v1/assets?free=false&accepting=false&age=0"},
				{role: linkwork.RoleCommissioner, method: "GET", path: "/api/v1/assets"},
				{method: "GET", path: "/api/v1/assets/" + w.asset, check: wantJSON(map[string]any{"id": w.asset})},
				{role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/assets/" + w.asset, check: wantJSON(map[string]any{"id": w.asset})},
				// Organisations.
				{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/organisations?kind=sp_service",
					check: eachItem("a service", func(o map[string]any) bool { return o["kind"] == "sp_service" })},
				{role: linkwork.RoleCommissioner, method: "GET", path: "/api/v1/organisations?q=millbrook&limit=3", check: wantPage(0, 3)},
				// Users.
				{role: linkwork.RoleAdmin, method: "GET", path: "/api/v1/users", check: wantJSON(map[string]any{"total": w.users})},
				{role: linkwork.RoleAdmin, method: "GET", path: "/api/v1/users?role=link_worker&org_id=" + w.service,
					check: eachItem("a link worker of the service", func(x map[string]any) bool { return x["role"] == "link_worker" && jsonStr(x, "org_id") == w.service })},
				{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/users",
					check: eachItem("of the coordinator's organisation", func(x map[string]any) bool { return jsonStr(x, "org_id") == w.service })},
				// The audit trail.
				{role: linkwork.RoleAdmin, method: "GET", path: "/api/v1/audit", check: wantPage(0, 50)},
				{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/audit?record_type=referral&record_id=" + w.otherReferral,
					check: eachItem("about the referral", func(e map[string]any) bool { return jsonStr(e, "record_id") == w.otherReferral })},
				{role: linkwork.RoleAdmin, method: "GET", path: "/api/v1/audit?actor_id=" + coord + "&limit=5",
					check: eachItem("by the coordinator", func(e map[string]any) bool { return jsonStr(e, "actor_id") == coord })},
			}...)
			a.runTable(t, http.StatusOK, cases)
		})

		t.Run("201", func(t *testing.T) {
			a.runTable(t, http.StatusCreated, []apiCase{
				{name: "a referral by a referrer", role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/referrals", body: newReferral,
					check: wantJSON(map[string]any{"status": "received", "pathway": "gp", "referrer_org_id": w.referrerOrg, "referrer_user_id": u[linkwork.RoleReferrer].ID,
						"person_name": "Robin Testperson", "version": 1, "consent_referral": true})},
				{name: "a hub walk-in recorded by a coordinator", role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals",
					body:  apiReferralBody(w.service, "hub", "referral", "Walkin", map[string]any{"phone": "07700 900111", "date_of_birth": nil}),
					check: wantJSON(map[string]any{"status": "received", "pathway": "hub", "referrer_org_id": w.service})},
				{name: "a referral by a referrer saying the person does not know yet", role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/referrals",
					body:  jsonWith(apiReferralBody(w.service, "gp", "referral", "Notyet", map[string]any{"phone": "07700 900113"}), map[string]any{"person_aware": false}),
					check: wantJSON(map[string]any{"status": "received", "person_aware": false})},
				{name: "a hub walk-in need not say whether the person knows", role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals",
					body:  jsonWith(apiReferralBody(w.service, "hub", "referral", "Unasked", map[string]any{"phone": "07700 900114", "date_of_birth": nil}), map[string]any{"person_aware": nil}),
					check: wantJSON(map[string]any{"status": "received", "pathway": "hub", "person_aware": false})},
				{name: "a self-referral recorded by a link worker", role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/referrals",
					body:  apiReferralBody(w.service, "self", "self_referral", "Selfie", map[string]any{"phone": "07700 900112", "guardians": []any{}, "consents": nil}),
					check: wantJSON(map[string]any{"status": "received", "mode": "self_referral"})},
				{name: "a second referral for a person the referrer already referred", role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/referrals",
					body:  jsonWith(newReferral, map[string]any{"person": map[string]any{"id": jsonStr(a.send(t, apiCase{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/referrals/" + w.ownReferral}).v, "person_id")}}),
					check: wantJSON(map[string]any{"status": "received"})},
				{role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/organisations",
					body:  `{"name":"Northfield Chess Club","kind":"vcs","code":"VCS-123","address":"1 High Street","postcode":"ls7 6sx","phone":"0113 496 0000","email":"chess@example.org"}`,
					check: wantJSON(map[string]any{"name": "Northfield Chess Club", "kind": "vcs", "postcode": "LS7 6SX", "version": 1})},
				{name: "an organisation under a parent", role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/organisations",
					body:  fmt.Sprintf(`{"name":"Northfield Branch Surgery","kind":"gp_practice","parent_id":%q}`, w.gpPractice),
					check: wantJSON(map[string]any{"parent_id": w.gpPractice})},
				{role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/users",
					body:  fmt.Sprintf(`{"org_id":%q,"email":" New.Worker@Example.org ","name":"New Worker","role":"link_worker","age_min":16,"age_max":25,"password":"a long enough passphrase"}`, w.service),
					check: wantJSON(map[string]any{"email": "new.worker@example.org", "role": "link_worker", "age_min": 16, "age_max": 25, "disabled": false, "version": 1})},
				{name: "a token for oneself", role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/tokens", body: `{"name":"practice system"}`,
					check: func(t *testing.T, v map[string]any) {
						wantJSON(map[string]any{"user_id": u[linkwork.RoleReferrer].ID, "name": "practice system"})(t, v)
						if !strings.HasPrefix(jsonStr(v, "token"), "lw_") {
							t.Errorf("token %q does not start lw_", jsonStr(v, "token"))
						}
						if exp, _ := time.Parse(time.RFC3339, jsonStr(v, "expires_at")); time.Until(exp) < 89*24*time.Hour {
							t.Errorf("expires_at %v: want 90 days by default", exp)
						}
					}},
				{name: "a token with an expiry", role: linkwork.RoleCommissioner, method: "POST", path: "/api/v1/tokens",
					body:  `{"name":"dashboard","expires_at":"` + today.AddDate(0, 0, 30).UTC().Format(time.RFC3339) + `"}`,
					check: wantJSON(map[string]any{"expires_at": today.AddDate(0, 0, 30).UTC().Format(time.RFC3339)})},
				{name: "a token for oneself by id", role: linkwork.RoleCommunity, method: "POST", path: "/api/v1/tokens",
					body: fmt.Sprintf(`{"name":"listings","user_id":%q}`, u[linkwork.RoleCommunity].ID), check: wantJSON(map[string]any{"user_id": u[linkwork.RoleCommunity].ID})},
			})
			// Tokens are for their holder only: what a token does is
			// recorded against them. Not even an administrator issues one
			// for someone else over the API.
			a.runTable(t, http.StatusForbidden, []apiCase{
				{name: "a token for another user by an admin", role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/tokens",
					body: fmt.Sprintf(`{"name":"for them","user_id":%q}`, lw)},
			})
		})

		t.Run("referral journey", func(t *testing.T) {
			// A referrer refers; the coordinator triages, then declines
			// with a reason and a destination; the referrer reads the
			// outcome; a decision on the old version is refused.
			send := func(c apiCase, status int) apiAnswer {
				t.Helper()
				ans := a.send(t, c)
				if ans.status != status {
					t.Fatalf("%s %s as %s: status %d, want %d\n%s", c.method, c.path, c.role, ans.status, status, ans.body)
				}
				return ans
			}
			created := send(apiCase{role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/referrals",
				body: apiReferralBody(w.service, "gp", "referral", "Journey", map[string]any{"phone": "07700 900222"})}, http.StatusCreated)
			id := jsonStr(created.v, "id")
			if loc := created.header.Get("Location"); loc != "/api/v1/referrals/"+id {
				t.Errorf("Location %q, want /api/v1/referrals/%s", loc, id)
			}
			if created.v["status"] != "received" {
				t.Errorf("status %v, want received", created.v["status"])
			}
			read := send(apiCase{role: linkwork.RoleReferrer, method: "GET", path: created.header.Get("Location")}, http.StatusOK)
			wantJSON(map[string]any{"id": id, "status": "received", "version": 1, "reasons": "Isolated since moving schools."})(t, read.v)

			person := send(apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/people/" + jsonStr(read.v, "person_id")}, http.StatusOK)
			wantJSON(map[string]any{"given_name": "Journey", "date_of_birth": "2009-04-30", "postcode": "LS7 6SX", "contact.best_times": "after 4pm"})(t, person.v)
			if g := person.v["guardians"].([]any); len(g) != 1 || g[0].(map[string]any)["name"] != "Alex Testperson" {
				t.Errorf("guardians %v", g)
			}
			if c := person.v["consents"].([]any); len(c) != 1 || c[0].(map[string]any)["kind"] != "referral" || c[0].(map[string]any)["recorded_at"] == nil {
				t.Errorf("consents %v", c)
			}

			triage := send(apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals/" + id + "/decision",
				body: `{"version":1,"to":"triage","streetlight":"amber"}`}, http.StatusOK)
			wantJSON(map[string]any{"status": "triage", "streetlight": "amber", "version": 2})(t, triage.v)
			declined := send(apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals/" + id + "/decision",
				body: `{"version":2,"to":"declined","reason":"Needs specialist support first.","onward_destination":"Back to the GP for a CAMHS referral."}`}, http.StatusOK)
			wantJSON(map[string]any{"status": "declined", "status_reason": "Needs specialist support first.", "onward_destination": "Back to the GP for a CAMHS referral.",
				"streetlight": "amber", "version": 3})(t, declined.v)
			if jsonStr(declined.v, "decided_at") == "" {
				t.Error("no decided_at")
			}

			back := send(apiCase{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/referrals/" + id}, http.StatusOK)
			wantJSON(map[string]any{"status": "declined", "onward_destination": "Back to the GP for a CAMHS referral.", "version": 3})(t, back.v)
			tr, _ := back.v["transitions"].([]any)
			if len(tr) != 2 {
				t.Fatalf("transitions %v, want 2", tr)
			}
			wantJSON(map[string]any{"from": "received", "to": "triage", "by": coord})(t, tr[0].(map[string]any))
			wantJSON(map[string]any{"from": "triage", "to": "declined", "by": coord, "reason": "Needs specialist support first."})(t, tr[1].(map[string]any))
			mine := send(apiCase{role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/referrals?status=declined"}, http.StatusOK)
			if !slices.ContainsFunc(listItems(mine.v), func(r map[string]any) bool { return jsonStr(r, "id") == id }) {
				t.Error("the declined referral is not in the referrer's list of declined referrals")
			}
			stale := send(apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals/" + id + "/decision",
				body: `{"version":2,"to":"withdrawn","reason":"Moved away."}`}, http.StatusConflict)
			if jsonStr(stale.v, "error.code") != linkwork.ECONFLICT {
				t.Errorf("code %q, want conflict", jsonStr(stale.v, "error.code"))
			}
			after := send(apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/referrals/" + id}, http.StatusOK)
			wantJSON(map[string]any{"status": "declined", "version": 3})(t, after.v)

			// Accepted straight to a link worker: a case opens on their
			// caseload.
			r2 := send(apiCase{role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/referrals",
				body: apiReferralBody(w.service, "gp", "referral", "Accepted", map[string]any{"phone": "07700 900223"})}, http.StatusCreated)
			acc := send(apiCase{role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/referrals/" + jsonStr(r2.v, "id") + "/decision",
				body: fmt.Sprintf(`{"version":1,"to":"accepted","streetlight":"green","link_worker_id":%q}`, lw)}, http.StatusOK)
			wantJSON(map[string]any{"status": "accepted", "streetlight": "green"})(t, acc.v)
			caseID := jsonStr(acc.v, "case_id")
			if caseID == "" {
				t.Fatal("accepting opened no case")
			}
			c := send(apiCase{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/cases/" + caseID}, http.StatusOK)
			wantJSON(map[string]any{"referral_id": jsonStr(r2.v, "id"), "link_worker_id": lw, "person_id": jsonStr(r2.v, "person_id")})(t, c.v)

			// Deferred to a date, then withdrawn.
			r3 := send(apiCase{role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/referrals",
				body: apiReferralBody(w.service, "gp", "referral", "Deferred", map[string]any{"phone": "07700 900224"})}, http.StatusCreated)
			def := send(apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals/" + jsonStr(r3.v, "id") + "/decision",
				body: fmt.Sprintf(`{"version":1,"to":"deferred","reason":"Exams first.","defer_until":%q}`, future)}, http.StatusOK)
			wantJSON(map[string]any{"status": "deferred", "defer_until": future})(t, def.v)
			wd := send(apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals/" + jsonStr(r3.v, "id") + "/decision",
				body: `{"version":2,"to":"withdrawn","reason":"The family moved away."}`}, http.StatusOK)
			wantJSON(map[string]any{"status": "withdrawn", "status_reason": "The family moved away."})(t, wd.v)
			if _, ok := wd.v["defer_until"]; ok {
				t.Error("a withdrawn referral still has defer_until")
			}
		})

		// Validation: each case names the exact field at fault.
		t.Run("422", func(t *testing.T) {
			ref := func(changes map[string]any) string { return jsonWith(newReferral, changes) }
			person := func(changes map[string]any) string {
				var m map[string]any
				_ = json.Unmarshal([]byte(newReferral), &m)
				p := m["person"].(map[string]any)
				for k, v := range changes {
					if v == nil {
						delete(p, k)
					} else {
						p[k] = v
					}
				}
				b, _ := json.Marshal(m)
				return string(b)
			}
			R := linkwork.RoleReferrer
			post := func(name, path, body, field string) apiCase {
				return apiCase{name: name, role: R, method: "POST", path: path, body: body, field: field}
			}
			cases := []apiCase{
				// The body as a whole.
				post("malformed JSON", "/api/v1/referrals", `{"person":{"given_name":"A",}}`, "body"),
				post("not JSON", "/api/v1/referrals", `referral please`, "body"),
				post("truncated JSON", "/api/v1/referrals", `{"person":`, "body"),
				post("an empty body", "/api/v1/referrals", ``, "body"),
				post("two objects", "/api/v1/referrals", `{}{}`, "body"),
				post("an array", "/api/v1/referrals", `[]`, "body"),
				post("a string", "/api/v1/referrals", `"referral"`, "body"),
				{name: "a form, not JSON", role: R, method: "POST", path: "/api/v1/referrals", body: "reasons=x",
					header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, field: "body"},
				{name: "a body over 1 MiB", role: R, method: "POST", path: "/api/v1/referrals", body: `{"reasons":"` + strings.Repeat("a", 1<<20) + `"}`, field: "body"},
				// Unknown fields and wrong types.
				post("an unknown field", "/api/v1/referrals", ref(map[string]any{"urgent": true}), "urgent"),
				post("a read-only field", "/api/v1/referrals", ref(map[string]any{"status": "accepted"}), "status"),
				post("a boolean as text", "/api/v1/referrals", ref(map[string]any{"consent_referral": "yes"}), "consent_referral"),
				post("text as a number", "/api/v1/referrals", ref(map[string]any{"reasons": 42}), "reasons"),
				post("the person as a list", "/api/v1/referrals", ref(map[string]any{"person": []any{}}), "person"),
				post("a nested wrong type", "/api/v1/referrals", person(map[string]any{"date_of_birth": 20090430}), "person.date_of_birth"),
				post("channels as text", "/api/v1/referrals", person(map[string]any{"contact": map[string]any{"channels": "phone"}}), "person.contact.channels"),
				post("a guardian's name as a number", "/api/v1/referrals", person(map[string]any{"guardians": []any{map[string]any{"name": 7}}}), "person.guardians.name"),
				// Missing required fields.
				post("no person", "/api/v1/referrals", ref(map[string]any{"person": nil}), "person"),
				post("a null person", "/api/v1/referrals", `{"person":null}`, "person"),
				post("no service", "/api/v1/referrals", ref(map[string]any{"service_org_id": nil}), "service_org_id"),
				post("no pathway", "/api/v1/referrals", ref(map[string]any{"pathway": nil}), "pathway"),
				post("no mode", "/api/v1/referrals", ref(map[string]any{"mode": nil}), "mode"),
				post("no reasons", "/api/v1/referrals", ref(map[string]any{"reasons": "   "}), "reasons"),
				post("no consent", "/api/v1/referrals", ref(map[string]any{"consent_referral": false}), "consent_referral"),
				post("a referrer's referral not saying whether the person knows", "/api/v1/referrals", ref(map[string]any{"person_aware": nil}), "person_aware"),
				{name: "staff recording a school's referral not saying whether the person knows", role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals",
					body: jsonWith(apiReferralBody(w.service, "school", "referral", "Unsaid", nil), map[string]any{"person_aware": nil, "referrer_org_id": w.referrerOrg}), field: "person_aware"},
				post("no given name", "/api/v1/referrals", person(map[string]any{"given_name": nil}), "person.given_name"),
				post("a guardian without a name", "/api/v1/referrals", person(map[string]any{"guardians": []any{map[string]any{"relationship": "aunt"}}}), "person.guardians"),
				// Invalid values.
				post("an unknown pathway", "/api/v1/referrals", ref(map[string]any{"pathway": "carrier_pigeon"}), "pathway"),
				post("an unknown mode", "/api/v1/referrals", ref(map[string]any{"mode": "telepathy"}), "mode"),
				post("an unknown channel", "/api/v1/referrals", person(map[string]any{"contact": map[string]any{"channels": []string{"fax"}}}), "person.contact.channels"),
				post("an unknown consent kind", "/api/v1/referrals", person(map[string]any{"consents": []any{map[string]any{"kind": "marketing", "given": true}}}), "person.consents"),
				post("a UK-style date of birth", "/api/v1/referrals", person(map[string]any{"date_of_birth": "30/04/2009"}), "person.date_of_birth"),
				post("an impossible date of birth", "/api/v1/referrals", person(map[string]any{"date_of_birth": "2009-02-30"}), "person.date_of_birth"),
				post("a date of birth in the future", "/api/v1/referrals", person(map[string]any{"date_of_birth": today.AddDate(1, 0, 0).Format(time.DateOnly)}), "person.date_of_birth"),
				post("a date of birth too long ago", "/api/v1/referrals", person(map[string]any{"date_of_birth": "1890-01-01"}), "person.date_of_birth"),
				post("a bad postcode", "/api/v1/referrals", person(map[string]any{"postcode": "NOT A POSTCODE"}), "person.postcode"),
				post("a given name too long", "/api/v1/referrals", person(map[string]any{"given_name": strings.Repeat("x", 101)}), "person.given_name"),
				post("a service that does not exist", "/api/v1/referrals", ref(map[string]any{"service_org_id": missingID}), "service_org_id"),
				post("a GP practice as the service", "/api/v1/referrals", ref(map[string]any{"service_org_id": w.gpPractice}), "service_org_id"),
			}
			// Decisions.
			dec := func(name, body, field string) apiCase {
				return apiCase{name: "decision: " + name, role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals/" + w.otherReferral + "/decision", body: body, field: field}
			}
			open := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/referrals?status=received&limit=1"})
			openID := jsonStr(listItems(open.v)[0], "id")
			decOpen := func(name, body, field string) apiCase {
				c := dec(name, body, field)
				c.path = "/api/v1/referrals/" + openID + "/decision"
				return c
			}
			cases = append(cases,
				dec("malformed", `{"version":1,`, "body"),
				dec("no version", `{"to":"declined","reason":"x","onward_destination":"y"}`, "version"),
				dec("version 0", `{"version":0,"to":"triage"}`, "version"),
				dec("version as text", `{"version":"1","to":"triage"}`, "version"),
				dec("a fractional version", `{"version":1.5,"to":"triage"}`, "version"),
				dec("an unknown field", `{"version":1,"to":"triage","urgent":true}`, "urgent"),
				dec("a bad defer date", `{"version":1,"to":"deferred","defer_until":"next week"}`, "defer_until"),
				decOpen("no decision", `{"version":1}`, "to"),
				decOpen("an unknown status", `{"version":1,"to":"maybe"}`, "to"),
				decOpen("back to received", `{"version":1,"to":"received"}`, "to"),
				decOpen("declined without a reason", `{"version":1,"to":"declined","onward_destination":"GP"}`, "reason"),
				decOpen("declined without a destination", `{"version":1,"to":"declined","reason":"Not suitable"}`, "onward_destination"),
				decOpen("deferred without a date", `{"version":1,"to":"deferred"}`, "defer_until"),
				decOpen("deferred to the past", `{"version":1,"to":"deferred","defer_until":"2020-01-01"}`, "defer_until"),
				decOpen("withdrawn without a reason", `{"version":1,"to":"withdrawn"}`, "reason"),
				decOpen("an unknown streetlight", `{"version":1,"to":"triage","streetlight":"blue"}`, "streetlight"),
				decOpen("a link worker on a decline", fmt.Sprintf(`{"version":1,"to":"declined","reason":"x","onward_destination":"y","link_worker_id":%q}`, lw), "link_worker_id"),
				decOpen("a coordinator as the link worker", fmt.Sprintf(`{"version":1,"to":"accepted","link_worker_id":%q}`, coord), "link_worker_id"),
				decOpen("an unknown link worker", fmt.Sprintf(`{"version":1,"to":"accepted","link_worker_id":%q}`, missingID), "link_worker_id"),
			)
			// Organisations, users and tokens.
			adm := func(name, path, body, field string) apiCase {
				return apiCase{name: name, role: linkwork.RoleAdmin, method: "POST", path: path, body: body, field: field}
			}
			newUser := func(changes map[string]any) string {
				return jsonWith(fmt.Sprintf(`{"org_id":%q,"email":"valid.user@example.org","name":"Valid User","role":"link_worker","password":"a long enough passphrase"}`, w.service), changes)
			}
			cases = append(cases,
				adm("organisation: no name", "/api/v1/organisations", `{"kind":"vcs"}`, "name"),
				adm("organisation: no kind", "/api/v1/organisations", `{"name":"Kindless"}`, "kind"),
				adm("organisation: an unknown kind", "/api/v1/organisations", `{"name":"Odd","kind":"guild"}`, "kind"),
				adm("organisation: a bad postcode", "/api/v1/organisations", `{"name":"Lost","kind":"vcs","postcode":"12345"}`, "postcode"),
				adm("organisation: a name too long", "/api/v1/organisations", `{"name":"`+strings.Repeat("n", 201)+`","kind":"vcs"}`, "name"),
				adm("organisation: an unknown field", "/api/v1/organisations", `{"name":"X","kind":"vcs","charity_number":"123"}`, "charity_number"),
				adm("organisation: kind as a number", "/api/v1/organisations", `{"name":"X","kind":3}`, "kind"),
				adm("user: no name", "/api/v1/users", newUser(map[string]any{"name": nil}), "name"),
				adm("user: no email", "/api/v1/users", newUser(map[string]any{"email": nil}), "email"),
				adm("user: a bad email", "/api/v1/users", newUser(map[string]any{"email": "not an email"}), "email"),
				adm("user: no role", "/api/v1/users", newUser(map[string]any{"role": nil}), "role"),
				adm("user: an unknown role", "/api/v1/users", newUser(map[string]any{"role": "superuser"}), "role"),
				adm("user: a role that does not fit the organisation", "/api/v1/users", newUser(map[string]any{"role": "referrer"}), "role"),
				adm("user: no organisation", "/api/v1/users", newUser(map[string]any{"org_id": nil}), "org_id"),
				adm("user: an organisation that does not exist", "/api/v1/users", newUser(map[string]any{"org_id": missingID}), "org_id"),
				adm("user: a short password", "/api/v1/users", newUser(map[string]any{"password": "short"}), "password"),
				adm("user: ages the wrong way round", "/api/v1/users", newUser(map[string]any{"age_min": 25, "age_max": 13}), "age_min"),
				adm("user: age as text", "/api/v1/users", newUser(map[string]any{"age_min": "13"}), "age_min"),
				adm("user: an unknown field", "/api/v1/users", newUser(map[string]any{"is_admin": true}), "is_admin"),
				adm("disabling yourself", "/api/v1/users/"+adminID+"/disable", "", "id"),
				adm("token: no name", "/api/v1/tokens", `{}`, "name"),
				adm("token: a name too long", "/api/v1/tokens", `{"name":"`+strings.Repeat("t", 101)+`"}`, "name"),
				adm("token: an expiry that is not a time", "/api/v1/tokens", `{"name":"t","expires_at":"31/01/2027"}`, "expires_at"),
				adm("token: an expiry as a number", "/api/v1/tokens", `{"name":"t","expires_at":1800000000}`, "expires_at"),
				adm("token: an unknown field", "/api/v1/tokens", `{"name":"t","scope":"read"}`, "scope"),
			)
			// Query parameters.
			lists := []struct {
				role linkwork.Role
				path string
			}{
				{linkwork.RoleReferrer, "/api/v1/referrals"}, {linkwork.RoleCoordinator, "/api/v1/cases"}, {linkwork.RoleLinkWorker, "/api/v1/connections"},
				{anonymous, "/api/v1/assets"}, {linkwork.RoleCommissioner, "/api/v1/organisations"}, {linkwork.RoleAdmin, "/api/v1/users"},
				{linkwork.RoleSafeguarding, "/api/v1/audit"},
			}
			for _, l := range lists {
				for _, q := range []struct{ query, field string }{
					{"offset=-1", "offset"}, {"offset=ten", "offset"}, {"offset=1.5", "offset"},
					{"limit=0", "limit"}, {"limit=501", "limit"}, {"limit=-5", "limit"}, {"limit=lots", "limit"},
				} {
					cases = append(cases, apiCase{name: "GET " + l.path + "?" + q.query, role: l.role, method: "GET", path: l.path + "?" + q.query, field: q.field})
				}
			}
			for _, q := range []struct {
				role         linkwork.Role
				path, field  string
				anotherField string
			}{
				{linkwork.RoleCoordinator, "/api/v1/referrals?status=open", "status", ""},
				{linkwork.RoleCoordinator, "/api/v1/referrals?status=received,maybe", "status", ""},
				{linkwork.RoleCoordinator, "/api/v1/referrals?status=received,", "status", ""},
				{linkwork.RoleCoordinator, "/api/v1/referrals?pathway=carrier_pigeon", "pathway", ""},
				{linkwork.RoleCoordinator, "/api/v1/referrals?pathway=GP", "pathway", ""},
				{linkwork.RoleCoordinator, "/api/v1/referrals?limit=0&pathway=x", "pathway", "limit"},
				{linkwork.RoleCoordinator, "/api/v1/cases?status=open", "status", ""},
				{linkwork.RoleCoordinator, "/api/v1/cases?status=waiting,paused", "status", ""},
				{anonymous, "/api/v1/assets?category=knitting", "category", ""},
				{anonymous, "/api/v1/assets?age=-1", "age", ""},
				{anonymous, "/api/v1/assets?age=121", "age", ""},
				{anonymous, "/api/v1/assets?age=teen", "age", ""},
				{anonymous, "/api/v1/assets?free=yes", "free", ""},
				{anonymous, "/api/v1/assets?accepting=1", "accepting", ""},
				{anonymous, "/api/v1/assets?limit=0&category=x&age=x", "category", "age"},
				{linkwork.RoleCommissioner, "/api/v1/organisations?kind=club", "kind", ""},
			} {
				c := apiCase{role: q.role, method: "GET", path: q.path, field: q.field}
				if q.anotherField != "" {
					c.check = func(t *testing.T, v map[string]any) {
						if !slices.Contains(apiErrorFields(v), q.anotherField) {
							t.Errorf("the error names %v, want %q too", apiErrorFields(v), q.anotherField)
						}
					}
				}
				cases = append(cases, c)
			}
			// Refused is not stored: a client that retries after a 422
			// must not leave a referral behind for each try.
			total := func() float64 {
				return num(a.send(t, apiCase{role: R, method: "GET", path: "/api/v1/referrals?limit=1"}).v, "total")
			}
			before := total()
			a.runTable(t, http.StatusUnprocessableEntity, cases)
			if after := total(); after != before {
				t.Errorf("refused referrals were stored: %v before, %v after", before, after)
			}
		})

		t.Run("401", func(t *testing.T) {
			var cases []apiCase
			// No credentials on every route that needs them.
			for _, r := range f.srv.Routes() {
				if !r.API || r.Access.Public {
					continue
				}
				path := pathParam.ReplaceAllString(r.Pattern, missingID)
				body := ""
				if r.Method == "POST" {
					body = "{}"
				}
				cases = append(cases, apiCase{name: "no token: " + r.Method + " " + r.Pattern, method: r.Method, path: path, body: body})
			}
			bad := func(name, header string) apiCase {
				return apiCase{name: name, method: "GET", path: "/api/v1/me", header: map[string]string{"Authorization": header}}
			}
			cases = append(cases,
				bad("an unknown token", "Bearer lw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
				bad("a token without the lw_ prefix", "Bearer "+strings.TrimPrefix(f.tokens[linkwork.RoleAdmin], "lw_")),
				bad("a token with one character changed", "Bearer "+changeLast(f.tokens[linkwork.RoleAdmin])),
				bad("Basic authentication", "Basic YWRtaW46cGFzc3dvcmQ="),
				bad("Bearer without a token", "Bearer"),
				bad("Bearer and a space", "Bearer "),
				bad("another scheme", "Token "+f.tokens[linkwork.RoleAdmin]),
				bad("the token alone", f.tokens[linkwork.RoleAdmin]),
				bad("a session cookie value as a token", "Bearer not-a-token"),
				apiCase{name: "a bad token on a public endpoint", method: "GET", path: "/api/v1/assets", header: map[string]string{"Authorization": "Bearer lw_nope"}},
				apiCase{name: "a bad token on the document", method: "GET", path: "/api/v1/openapi.json", header: map[string]string{"Authorization": "Basic x"}},
				apiCase{name: "a bad token on a POST", method: "POST", path: "/api/v1/tokens", body: `{"name":"x"}`, header: map[string]string{"Authorization": "Bearer lw_nope"}},
			)
			a.runTable(t, http.StatusUnauthorized, cases)

			t.Run("a disabled user's token", func(t *testing.T) {
				created := a.send(t, apiCase{role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/users",
					body: fmt.Sprintf(`{"org_id":%q,"email":"leaver@example.org","name":"Soon Gone","role":"coordinator","password":"a long enough passphrase"}`, w.service)})
				if created.status != http.StatusCreated {
					t.Fatalf("create user: %d %s", created.status, created.body)
				}
				id := jsonStr(created.v, "id")
				// The leaver issues their own token (as from their account
				// page) before they go.
				ctx := context.Background()
				leaver, err := f.services.Users.FindUserByID(linkwork.NewContext(ctx, linkwork.SystemActor("test")), id)
				if err != nil {
					t.Fatal(err)
				}
				tok, err := f.services.Auth.CreateAPIToken(linkwork.NewContext(ctx, leaver.Actor()), id, "leaver", time.Time{})
				if err != nil {
					t.Fatalf("create token: %v", err)
				}
				as := map[string]string{"Authorization": "Bearer " + tok.Token}
				if ans := a.send(t, apiCase{method: "GET", path: "/api/v1/me", header: as}); ans.status != http.StatusOK || jsonStr(ans.v, "id") != id {
					t.Fatalf("before disabling: %d %s", ans.status, ans.body)
				}
				dis := a.send(t, apiCase{role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/users/" + id + "/disable"})
				if dis.status != http.StatusOK || dis.v["disabled"] != true {
					t.Fatalf("disable: %d %s", dis.status, dis.body)
				}
				for _, c := range []apiCase{
					{method: "GET", path: "/api/v1/me", header: as},
					{method: "GET", path: "/api/v1/users", header: as},
					{method: "POST", path: "/api/v1/tokens", body: `{"name":"again"}`, header: as},
				} {
					if ans := a.send(t, c); ans.status != http.StatusUnauthorized {
						t.Errorf("%s %s after disabling: %d, want 401", c.method, c.path, ans.status)
					}
				}
				// Disabling twice is harmless; the user stays disabled.
				if again := a.send(t, apiCase{role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/users/" + id + "/disable"}); again.status != http.StatusOK || again.v["disabled"] != true {
					t.Errorf("disable again: %d %s", again.status, again.body)
				}
			})
		})

		t.Run("403", func(t *testing.T) {
			var cases []apiCase
			// Every role a route excludes.
			for _, r := range f.srv.Routes() {
				if !r.API || len(r.Access.Roles()) == 0 {
					continue
				}
				path := pathParam.ReplaceAllString(r.Pattern, missingID)
				for _, role := range linkwork.Roles {
					if r.Access.Allows(role) {
						continue
					}
					body := ""
					if r.Method == "POST" {
						body = "{}"
					}
					cases = append(cases, apiCase{name: r.Method + " " + r.Pattern, role: role, method: r.Method, path: path, body: body})
				}
			}
			// Roles the route admits but the policy refuses.
			cases = append(cases,
				apiCase{name: "a safeguarding lead deciding", role: linkwork.RoleSafeguarding, method: "POST", path: "/api/v1/referrals/" + w.otherReferral + "/decision",
					body: `{"version":1,"to":"triage"}`},
				apiCase{name: "a safeguarding lead referring", role: linkwork.RoleSafeguarding, method: "POST", path: "/api/v1/referrals",
					body: apiReferralBody(w.service, "hub", "referral", "Guarded", map[string]any{"phone": "07700 900333"})},
				apiCase{name: "a coordinator issuing a token to a colleague", role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/tokens",
					body: fmt.Sprintf(`{"name":"theirs","user_id":%q}`, w.sameOrgUser)},
				apiCase{name: "a cross-site browser request", role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/tokens", body: `{"name":"csrf"}`,
					header: map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://attacker.example"}},
			)
			a.runTable(t, http.StatusForbidden, cases)
		})

		t.Run("404", func(t *testing.T) {
			C := linkwork.RoleCoordinator
			a.runTable(t, http.StatusNotFound, []apiCase{
				// No such record.
				{role: C, method: "GET", path: "/api/v1/referrals/" + missingID},
				{name: "an id that is not a UUID", role: C, method: "GET", path: "/api/v1/referrals/not-an-id"},
				{role: C, method: "POST", path: "/api/v1/referrals/" + missingID + "/decision", body: `{"version":1,"to":"triage"}`},
				{role: C, method: "GET", path: "/api/v1/cases/" + missingID},
				{role: C, method: "GET", path: "/api/v1/people/" + missingID},
				{method: "GET", path: "/api/v1/assets/" + missingID},
				{role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/users/" + missingID + "/disable"},
				{name: "a token for anonymous", role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/tokens", body: fmt.Sprintf(`{"name":"x","user_id":%q}`, missingID)},
				{name: "a referral for a person who does not exist", role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/referrals",
					body: jsonWith(newReferral, map[string]any{"person": map[string]any{"id": missingID}})},
				// Records outside the caller's view are not found, never
				// forbidden.
				{name: "another organisation's referral", role: linkwork.RoleReferrer, method: "GET", path: "/api/v1/referrals/" + w.otherReferral},
				{name: "another link worker's case", role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/cases/" + w.otherCase},
				{name: "a person not connected to the organisation", role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/people/" + w.unconnected},
				{name: "a referral for a person the referrer may not see", role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/referrals",
					body: jsonWith(newReferral, map[string]any{"person": map[string]any{"id": w.unconnected}})},
				{name: "a token for someone else", role: linkwork.RoleReferrer, method: "POST", path: "/api/v1/tokens", body: fmt.Sprintf(`{"name":"x","user_id":%q}`, adminID)},
				{name: "a token for another organisation's user", role: C, method: "POST", path: "/api/v1/tokens", body: fmt.Sprintf(`{"name":"x","user_id":%q}`, w.otherOrgUser)},
				// No such endpoint.
				{role: C, method: "GET", path: "/api/v1/nothing"},
				{role: C, method: "GET", path: "/api/v2/referrals"},
				{name: "a trailing slash", role: C, method: "GET", path: "/api/v1/referrals/"},
				{name: "a method the path does not answer", role: C, method: "DELETE", path: "/api/v1/referrals/" + w.otherReferral},
				{name: "no endpoint, no token", method: "GET", path: "/api/v1/nothing"},
			})
		})

		t.Run("409", func(t *testing.T) {
			a.runTable(t, http.StatusConflict, []apiCase{
				{name: "a decision on a stale version", role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals/" + w.ownReferral + "/decision",
					body: `{"version":99,"to":"withdrawn","reason":"x"}`},
				{name: "an organisation's name taken", role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/organisations", body: fmt.Sprintf(`{"name":%q,"kind":"gp_practice"}`, w.gpName),
					check: func(t *testing.T, v map[string]any) {
						if !slices.Contains(apiErrorFields(v), "name") {
							t.Errorf("fields %v, want name", apiErrorFields(v))
						}
					}},
				{name: "an email taken", role: linkwork.RoleAdmin, method: "POST", path: "/api/v1/users",
					body: fmt.Sprintf(`{"org_id":%q,"email":"COORDINATOR@demo.linkwork.test","name":"Twin","role":"coordinator","password":"a long enough passphrase"}`, w.service),
					check: func(t *testing.T, v map[string]any) {
						if !slices.Contains(apiErrorFields(v), "email") {
							t.Errorf("fields %v, want email", apiErrorFields(v))
						}
					}},
			})
		})

		t.Run("cross-origin reads of the directory", func(t *testing.T) {
			for _, c := range []apiCase{
				{method: "GET", path: "/api/v1/assets"},
				{method: "GET", path: "/api/v1/assets/" + w.asset},
				{method: "GET", path: "/api/v1/openapi.json"},
				{role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/assets"},
			} {
				ans := a.send(t, c)
				if ans.status != http.StatusOK || ans.header.Get("Access-Control-Allow-Origin") != "*" {
					t.Errorf("%s %s: status %d, Access-Control-Allow-Origin %q, want 200 and *", c.method, c.path, ans.status, ans.header.Get("Access-Control-Allow-Origin"))
				}
				if c.role == anonymous && c.path != "/api/v1/openapi.json" && ans.header.Get("Cache-Control") == "no-store" {
					t.Errorf("%s %s: the public directory should be cacheable for anonymous readers", c.method, c.path)
				}
			}
			// Signed-in work is not shared with other sites.
			ans := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "GET", path: "/api/v1/referrals"})
			if got := ans.header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("GET /api/v1/referrals: Access-Control-Allow-Origin %q, want none", got)
			}
		})

		t.Run("audited", func(t *testing.T) {
			// A read of personal data through the API appears in the trail.
			a.send(t, apiCase{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/people/" + w.servicePerson})
			ans := a.send(t, apiCase{role: linkwork.RoleAdmin, method: "GET", path: "/api/v1/audit?record_type=person&record_id=" + w.servicePerson})
			if !slices.ContainsFunc(listItems(ans.v), func(e map[string]any) bool {
				return e["action"] == "person.read" && jsonStr(e, "actor_id") == u[linkwork.RoleSafeguarding].ID
			}) {
				t.Errorf("the safeguarding lead's read of the person is not in the audit trail: %v", listItems(ans.v))
			}
		})
	})
}

// changeLast returns s with its last character changed.
func changeLast(s string) string {
	if strings.HasSuffix(s, "x") {
		return s[:len(s)-1] + "y"
	}
	return s[:len(s)-1] + "x"
}

// apiUKTime is the service's time zone, for "today".
func apiUKTime() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}
