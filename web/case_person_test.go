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
