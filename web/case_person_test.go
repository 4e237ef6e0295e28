package web_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// personCase finds an open case on the demo link worker's caseload.
func personCase(t *testing.T, f *fixture) (caseID, personID string) {
	t.Helper()
	status, body := f.api(linkwork.RoleLinkWorker, "GET", "/api/v1/cases?limit=500", "")
	if status != http.StatusOK {
		t.Fatalf("cases: %d %s", status, body)
	}
	var raw struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(body), &raw); err != nil {
		t.Fatal(err)
	}
	for _, c := range raw.Items {
		if c["status"] == "active" {
			return c["id"].(string), c["person_id"].(string)
		}
	}
	t.Fatal("the link worker has no active case")
	return "", ""
}

func decodeMap(t *testing.T, body string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not JSON: %v: %s", err, body)
	}
	return v
}

func TestKnowingThePersonThroughTheAPI(t *testing.T) {
	d := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		caseID, personID := personCase(t, f)
		LW := linkwork.RoleLinkWorker
		call := func(role linkwork.Role, method, path, body string, want int) map[string]any {
			t.Helper()
			status, got := f.api(role, method, path, body)
			if status != want {
				t.Fatalf("%s %s as %s: %d, want %d: %s", method, path, role, status, want, got)
			}
			d.checkBody(t, method, path, status, got)
			if got == "" {
				return nil
			}
			return decodeMap(t, got)
		}
		version := func() int {
			return int(call(LW, "GET", "/api/v1/people/"+personID, "", 200)["version"].(float64))
		}
		today := time.Now().In(time.UTC).Format("2006-01-02")

		t.Run("contact preferences are changed at the version read", func(t *testing.T) {
			v := version()
			body := func(v int) string {
				return fmt.Sprintf(`{"version":%d,"given_name":"Jordan","family_name":"Reyes","pronouns":"they/them","contact":{"channels":["text","phone"],"safe_to_leave_message":false,"via":"Mum","best_times":"after 4pm","reminders":true}}`, v)
			}
			got := call(LW, "PUT", "/api/v1/people/"+personID, body(v), 200)
			contact := got["contact"].(map[string]any)
			if got["version"].(float64) != float64(v+1) || contact["reminders"] != true || !reflect.DeepEqual(contact["channels"], []any{"text", "phone"}) {
				t.Fatalf("saved %v", got)
			}
			conflict := call(LW, "PUT", "/api/v1/people/"+personID, body(v), 409)
			if msg := conflict["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "Someone else changed this record") {
				t.Fatalf("conflict message %q", msg)
			}
			call(LW, "PUT", "/api/v1/people/"+personID, `{"given_name":"Jordan"}`, 422)
			call(LW, "PUT", "/api/v1/people/"+personID, `{"version":1,"given_name":"Jordan","guardians":[]}`, 422)
			call(linkwork.RoleSafeguarding, "PUT", "/api/v1/people/"+personID, body(v+1), 403)
		})

		t.Run("parents and carers with coded involvement", func(t *testing.T) {
			call(LW, "POST", "/api/v1/people/"+personID+"/guardians", fmt.Sprintf(`{"version":%d,"name":"Kim Reyes","involvement":"sometimes"}`, version()), 422)
			got := call(LW, "POST", "/api/v1/people/"+personID+"/guardians", fmt.Sprintf(`{"version":%d,"name":"Kim Reyes","relationship":"mother","has_parental_responsibility":true,"involvement":"informed"}`, version()), 201)
			gs := got["guardians"].([]any)
			g := gs[len(gs)-1].(map[string]any)
			if g["involvement"] != "informed" {
				t.Fatalf("guardian %v", g)
			}
			gid := g["id"].(string)
			got = call(LW, "PUT", "/api/v1/guardians/"+gid, fmt.Sprintf(`{"version":%d,"name":"Kim Reyes","involvement":"sessions"}`, version()), 200)
			call(LW, "PUT", "/api/v1/guardians/"+gid, `{"version":1,"name":"Kim Reyes","involvement":"sessions"}`, 409)
			n := len(got["guardians"].([]any))
			got = call(LW, "DELETE", "/api/v1/guardians/"+gid+"?version="+fmt.Sprint(version()), "", 200)
			if len(got["guardians"].([]any)) != n-1 {
				t.Fatalf("after removing: %v", got["guardians"])
			}
		})

		t.Run("the team around the person", func(t *testing.T) {
			call(LW, "POST", "/api/v1/people/"+personID+"/professionals", `{"name":"No Role"}`, 422)
			pr := call(LW, "POST", "/api/v1/people/"+personID+"/professionals", `{"role":"CAMHS","name":"Dr Ali Khan","consent_to_share":true}`, 201)
			id := pr["id"].(string)
			call(LW, "PUT", "/api/v1/professionals/"+id, `{"version":1,"role":"CAMHS","name":"Dr Ali Khan","phone":"0113 496 0000","consent_to_share":true}`, 200)
			call(LW, "PUT", "/api/v1/professionals/"+id, `{"version":1,"role":"CAMHS"}`, 409)
			list := call(linkwork.RoleSafeguarding, "GET", "/api/v1/people/"+personID+"/professionals", "", 200)
			if items := list["items"].([]any); len(items) != 1 || items[0].(map[string]any)["phone"] != "0113 496 0000" {
				t.Fatalf("team %v", list)
			}
			call(LW, "DELETE", "/api/v1/professionals/"+id+"?version=1", "", 409)
			call(LW, "DELETE", "/api/v1/professionals/"+id, "", 422)
			call(LW, "DELETE", "/api/v1/professionals/"+id+"?version=2", "", 204)
		})

		t.Run("capacity decisions and differences", func(t *testing.T) {
			call(LW, "POST", "/api/v1/people/"+personID+"/competence", `{"competent":true,"decided_on":"`+today+`"}`, 422)
			got := call(LW, "POST", "/api/v1/people/"+personID+"/competence", `{"competent":true,"decided_on":"`+today+`","reasoning":"Understands the support"}`, 201)
			if got["by_user_id"] != f.users[LW].ID {
				t.Fatalf("decided by %v, want the caller", got["by_user_id"])
			}
			call(LW, "POST", "/api/v1/people/"+personID+"/differences", `{"on":"`+today+`","differs":"Mum wants to come"}`, 422)
			call(LW, "POST", "/api/v1/people/"+personID+"/differences", `{"on":"`+today+`","differs":"Mum wants to come","agreed":"She joins the end"}`, 201)
			rec := call(LW, "GET", "/api/v1/people/"+personID+"/record", "", 200)
			if len(rec["competence"].([]any)) != 1 || len(rec["differences"].([]any)) != 1 || len(rec["changes"].([]any)) == 0 {
				t.Fatalf("record %v", rec)
			}
		})

		t.Run("what matters and needs by domain", func(t *testing.T) {
			c := call(LW, "GET", "/api/v1/cases/"+caseID, "", 200)
			v := int(c["version"].(float64))
			call(LW, "PUT", "/api/v1/cases/"+caseID, fmt.Sprintf(`{"version":%d,"need_domains":["astrology"]}`, v), 422)
			call(LW, "PUT", "/api/v1/cases/"+caseID, fmt.Sprintf(`{"version":%d,"need_domains":["family"],"need_words":{"money":"x"}}`, v), 422)
			got := call(LW, "PUT", "/api/v1/cases/"+caseID, fmt.Sprintf(`{"version":%d,"what_matters":"Football","needs":"Left out","need_domains":["loneliness","physical_activity"],"need_words":{"loneliness":"nobody to hang out with"},"plan":"Saturday club","planned_sessions":6}`, v), 200)
			if got["case"].(map[string]any)["status"] != "active" || len(got["need_domains"].([]any)) != 2 {
				t.Fatalf("about %v", got)
			}
			call(LW, "PUT", "/api/v1/cases/"+caseID, fmt.Sprintf(`{"version":%d}`, v), 409)
			about := call(linkwork.RoleSafeguarding, "GET", "/api/v1/cases/"+caseID+"/about", "", 200)
			if n := about["need_domains"].([]any)[0].(map[string]any); n["domain"] != "loneliness" || n["words"] != "nobody to hang out with" {
				t.Fatalf("needs %v", about["need_domains"])
			}
		})

		t.Run("people outside the service's staff see nothing of it", func(t *testing.T) {
			for _, role := range []linkwork.Role{linkwork.RoleReferrer, linkwork.RoleCommunity, linkwork.RoleCommissioner, linkwork.RoleAdmin} {
				call(role, "GET", "/api/v1/people/"+personID+"/record", "", 403)
				call(role, "GET", "/api/v1/people/"+personID+"/professionals", "", 403)
			}
		})
	})
}

func TestKnowingThePersonOnTheCasePage(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		caseID, personID := personCase(t, f)
		lw := f.clients[linkwork.RoleLinkWorker]
		page := func(path string) string {
			t.Helper()
			status, body, _ := f.do(lw, "GET", path, "", "", nil)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, status)
			}
			return body
		}
		post := func(path string, form url.Values) (int, string, http.Header) {
			t.Helper()
			return f.do(lw, "POST", path, "application/x-www-form-urlencoded", form.Encode(), nil)
		}

		t.Run("how to contact them safely comes first", func(t *testing.T) {
			body := page("/cases/" + caseID)
			at := strings.Index(body, "How to contact")
			if at < 0 || at > strings.Index(body, `data-testid="case-allocation"`) || at < strings.Index(body, "<h1") {
				t.Fatalf("the contact details are not right under the heading")
			}
		})

		t.Run("saving the record at a stale version says someone else changed it", func(t *testing.T) {
			status, _, _ := f.do(lw, "GET", "/cases/"+caseID+"/person", "", "", nil)
			if status != http.StatusOK {
				t.Fatalf("edit page: %d", status)
			}
			p, err := f.services.People.FindPersonByID(linkwork.NewContext(t.Context(), f.users[linkwork.RoleLinkWorker].Actor()), personID)
			if err != nil {
				t.Fatal(err)
			}
			form := url.Values{"version": {fmt.Sprint(p.Version)}, "given_name": {p.GivenName}, "family_name": {p.FamilyName},
				"contact.channels": {"text", "", "phone"}, "contact.safe_to_leave_message": {"no"}, "contact.reminders": {"yes"}, "contact.via": {"Mum"}}
			status, _, hdr := post("/cases/"+caseID+"/person", form)
			if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=person-saved") {
				t.Fatalf("save: %d %s", status, hdr.Get("Location"))
			}
			body := page("/cases/" + caseID)
			if !strings.Contains(body, "Agreed to reminders") || !strings.Contains(body, "<li>Text message</li><li>Phone call</li>") {
				t.Fatalf("the case page does not show the saved preferences")
			}
			status, body, _ = post("/cases/"+caseID+"/person", form)
			if status != http.StatusConflict || !strings.Contains(body, "Someone else changed this record") {
				t.Fatalf("stale save: %d", status)
			}
			form.Set("version", fmt.Sprint(p.Version+1))
			form["contact.channels"] = []string{"text", "text"}
			if status, body, _ = post("/cases/"+caseID+"/person", form); status != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose each way to contact them once") {
				t.Fatalf("a channel twice: %d", status)
			}
		})

		t.Run("a capacity decision without reasoning is refused on the case page", func(t *testing.T) {
			now := time.Now().UTC()
			status, body, _ := post("/cases/"+caseID+"/competence", url.Values{"competence.competent": {"yes"},
				"competence.decided_on-day": {fmt.Sprint(now.Day())}, "competence.decided_on-month": {fmt.Sprint(int(now.Month()))}, "competence.decided_on-year": {fmt.Sprint(now.Year())}})
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#competence.reasoning"`) {
				t.Fatalf("no reasoning: %d", status)
			}
		})

		t.Run("parents, the team, differences and needs are changed on their pages", func(t *testing.T) {
			ctx := linkwork.NewContext(t.Context(), f.users[linkwork.RoleLinkWorker].Actor())
			// An older record's own words for a parent's involvement, on a
			// case in the service, as its coordinator sees it.
			coord := f.clients[linkwork.RoleCoordinator]
			cctx := linkwork.NewContext(t.Context(), f.users[linkwork.RoleCoordinator].Actor())
			cases, _, err := f.services.Cases.FindCases(cctx, linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseActive}, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			var old *linkwork.Person
			var oldCase string
			var g linkwork.Guardian
			for _, c := range cases {
				p, err := f.services.People.FindPersonByID(cctx, c.PersonID)
				if err != nil {
					t.Fatal(err)
				}
				for _, x := range p.Guardians {
					if x.Involvement != "" && !linkwork.ValidInvolvement(x.Involvement) && old == nil {
						old, oldCase, g = p, c.ID, x
					}
				}
			}
			if old == nil {
				t.Fatal("no parent in the demo has an older record's own words")
			}
			status, body, _ := f.do(coord, "GET", "/cases/"+oldCase, "", "", nil)
			if status != http.StatusOK || !strings.Contains(body, g.Involvement) {
				t.Fatalf("the older words %q are not shown as they are (%d)", g.Involvement, status)
			}
			status, body, _ = f.do(coord, "GET", "/cases/"+oldCase+"/guardians/"+g.ID, "", "", nil)
			if status != http.StatusOK || !strings.Contains(body, "As recorded before: "+g.Involvement) {
				t.Fatalf("the edit page does not offer the older words (%d)", status)
			}
			gpath := "/cases/" + oldCase + "/guardians/" + g.ID
			form := url.Values{"version": {fmt.Sprint(old.Version)}, "guardian.name": {g.Name}, "guardian.involvement": {"something new"}}
			if status, _, _ := f.do(coord, "POST", gpath, "application/x-www-form-urlencoded", form.Encode(), nil); status != http.StatusUnprocessableEntity {
				t.Fatalf("new words for a parent's involvement: %d", status)
			}
			form.Set("guardian.involvement", linkwork.InvolvementNotContacted)
			if status, _, _ := f.do(coord, "POST", gpath, "application/x-www-form-urlencoded", form.Encode(), nil); status != http.StatusSeeOther {
				t.Fatalf("change a parent: %d", status)
			}
			if status, body, _ := f.do(coord, "POST", gpath, "application/x-www-form-urlencoded", form.Encode(), nil); status != http.StatusConflict || !strings.Contains(body, "Someone else changed this record") {
				t.Fatalf("change a parent at a stale version: %d", status)
			}
			if status, _, _ := f.do(coord, "POST", gpath+"/remove", "application/x-www-form-urlencoded", url.Values{"version": {fmt.Sprint(old.Version + 1)}}.Encode(), nil); status != http.StatusSeeOther {
				t.Fatalf("remove a parent: %d", status)
			}

			if status, body, _ := post("/cases/"+caseID+"/professionals", url.Values{"professional.name": {"No Role"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#professional.role"`) {
				t.Fatalf("a professional without a role: %d", status)
			}
			if status, _, _ := post("/cases/"+caseID+"/professionals", url.Values{"professional.role": {"Social worker"}, "professional.consent_to_share": {"no"}}); status != http.StatusSeeOther {
				t.Fatalf("add a professional: %d", status)
			}
			rec, err := f.services.People.FindPersonRecord(ctx, personID)
			if err != nil || len(rec.Professionals) == 0 {
				t.Fatalf("team %+v %v", rec, err)
			}
			pr := rec.Professionals[len(rec.Professionals)-1]
			if body := page("/cases/" + caseID + "/professionals/" + pr.ID); !strings.Contains(body, "Social worker") {
				t.Fatal("the edit page does not show the professional")
			}
			edit := url.Values{"version": {"1"}, "professional.role": {"Social worker"}, "professional.name": {"Sam"}}
			if status, _, _ := post("/cases/"+caseID+"/professionals/"+pr.ID, edit); status != http.StatusSeeOther {
				t.Fatalf("change a professional: %d", status)
			}
			if status, _, _ := post("/cases/"+caseID+"/professionals/"+pr.ID, edit); status != http.StatusConflict {
				t.Fatalf("change a professional at a stale version: %d", status)
			}
			if status, _, _ := post("/cases/"+caseID+"/professionals/"+pr.ID+"/remove", url.Values{"version": {"2"}}); status != http.StatusSeeOther {
				t.Fatalf("remove a professional: %d", status)
			}

			now := time.Now().UTC()
			day := url.Values{"difference.on-day": {fmt.Sprint(now.Day())}, "difference.on-month": {fmt.Sprint(int(now.Month()))}, "difference.on-year": {fmt.Sprint(now.Year())},
				"difference.differs": {"Dad wants weekly updates"}}
			if status, body, _ := post("/cases/"+caseID+"/differences", day); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#difference.agreed"`) {
				t.Fatalf("a difference without what was agreed: %d", status)
			}
			day.Set("difference.agreed", "A call every fortnight")
			if status, _, _ := post("/cases/"+caseID+"/differences", day); status != http.StatusSeeOther {
				t.Fatalf("record a difference: %d", status)
			}

			c, err := f.services.Cases.FindCaseByID(ctx, caseID)
			if err != nil {
				t.Fatal(err)
			}
			if body := page("/cases/" + caseID + "/about"); !strings.Contains(body, "Loneliness and isolation") {
				t.Fatal("the needs page does not offer the areas of need")
			}
			about := url.Values{"version": {fmt.Sprint(c.Version)}, "what_matters": {"Music"}, "need_domains": {"loneliness", "housing"},
				"need_words.loneliness": {"no one to talk to"}, "planned_sessions": {"eight"}}
			if status, body, _ := post("/cases/"+caseID+"/about", about); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#planned_sessions"`) {
				t.Fatalf("planned sessions in words: %d", status)
			}
			about.Set("planned_sessions", "8")
			if status, _, _ := post("/cases/"+caseID+"/about", about); status != http.StatusSeeOther {
				t.Fatalf("save what matters: %d", status)
			}
			body = page("/cases/" + caseID)
			if !strings.Contains(body, "Loneliness and isolation: “no one to talk to”") || !strings.Contains(body, "Housing") || !strings.Contains(body, "A call every fortnight") {
				t.Fatal("the case page does not show the needs and the difference")
			}
			if status, _, _ := post("/cases/"+caseID+"/about", about); status != http.StatusConflict {
				t.Fatalf("save what matters at a stale version: %d", status)
			}
		})

		t.Run("another person's parent cannot be reached through this case", func(t *testing.T) {
			status, _, _ := f.do(lw, "GET", "/cases/"+caseID+"/guardians/00000000-0000-4000-8000-000000000000", "", "", nil)
			if status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", status)
			}
		})
	})
}

// TestNeedDomainsAreDocumented checks the document's enumeration of need
// domains, and the involvement codes it names, against the root package's.
func TestNeedDomainsAreDocumented(t *testing.T) {
	d := loadOpenAPI(t)
	var got []string
	for _, v := range d.schema("NeedDomain")["enum"].([]any) {
		got = append(got, v.(string))
	}
	var want []string
	for _, n := range linkwork.NeedDomains {
		want = append(want, string(n))
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("NeedDomain enum %v, want %v", got, want)
	}
	for _, c := range linkwork.Involvements {
		if !strings.Contains(d.schema("GuardianInput")["properties"].(map[string]any)["involvement"].(map[string]any)["description"].(string), c) {
			t.Errorf("GuardianInput.involvement does not name %q", c)
		}
	}
}
