package web_test

import (
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

// TestSupervisionThroughTheAPI marks a case note to discuss, finds it on
// the agenda, logs a supervision discussing the case (bad input naming
// its field), reads it back as the worker, is refused it as anyone else,
// and sees the team's load and training.
func TestSupervisionThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		id := f.activeCase(t)
		lw, co, sg := linkwork.RoleLinkWorker, linkwork.RoleCoordinator, linkwork.RoleSafeguarding
		worker, coord := f.users[lw], f.users[co]
		must := func(ac apiCase, status int) apiAnswer {
			t.Helper()
			ans := a.send(t, ac)
			if ans.status != status {
				t.Fatalf("%s %s as %s: %d %s, want %d", ac.method, ac.path, ac.role, ans.status, ans.body, status)
			}
			if ac.field != "" && !errorNames(ans.v, ac.field) {
				t.Fatalf("%s %s: the error does not name %s: %s", ac.method, ac.path, ac.field, ans.body)
			}
			return ans
		}
		at := time.Now().Add(-2 * time.Hour).UTC().Format(time.RFC3339)
		c := must(apiCase{role: lw, method: "POST", path: "/api/v1/cases/" + id + "/contacts",
			body: fmt.Sprintf(`{"at": %q, "mode": "phone", "outcome": "attended", "notes": "Worried about an ending", "discuss_at_supervision": true}`, at)}, http.StatusCreated).v
		if c["discuss_at_supervision"] != true {
			t.Fatalf("contact %v", c)
		}
		agenda := must(apiCase{role: lw, method: "GET", path: "/api/v1/supervision-agenda"}, http.StatusOK).v
		if items := agenda["items"].([]any); len(items) != 1 || items[0].(map[string]any)["case_id"] != id {
			t.Fatalf("agenda %v", agenda)
		}
		today := time.Now().Format(time.DateOnly)
		body := func(kind, held, supervisor string) string {
			return fmt.Sprintf(`{"kind": %q, "held_on": %q, "supervisor_id": %q, "worker_ids": [%q], "case_ids": [%q], "note": "Endings"}`, kind, held, supervisor, worker.ID, id)
		}
		must(apiCase{role: co, method: "POST", path: "/api/v1/supervisions", body: body("coaching", today, coord.ID), field: "kind"}, http.StatusUnprocessableEntity)
		must(apiCase{role: co, method: "POST", path: "/api/v1/supervisions", body: body("line", "2026-13-40", coord.ID), field: "held_on"}, http.StatusUnprocessableEntity)
		must(apiCase{role: co, method: "POST", path: "/api/v1/supervisions", body: body("line", "2999-01-01", coord.ID), field: "held_on"}, http.StatusUnprocessableEntity)
		s := must(apiCase{role: co, method: "POST", path: "/api/v1/supervisions", body: body("clinical", today, coord.ID)}, http.StatusCreated).v
		sid := s["id"].(string)
		if cases := s["cases"].([]any); len(cases) != 1 || cases[0].(map[string]any)["person_name"] == "" {
			t.Fatalf("supervision %v", s)
		}
		if got := must(apiCase{role: lw, method: "GET", path: "/api/v1/supervisions/" + sid}, http.StatusOK).v; got["note"] != "Endings" {
			t.Fatalf("the worker reads %v", got)
		}
		must(apiCase{role: sg, method: "GET", path: "/api/v1/supervisions/" + sid}, http.StatusNotFound)
		if list := must(apiCase{role: sg, method: "GET", path: "/api/v1/supervisions"}, http.StatusOK).v; list["total"] != float64(0) {
			t.Fatalf("the safeguarding lead lists %v", list)
		}
		if list := must(apiCase{role: lw, method: "GET", path: "/api/v1/supervisions?worker=" + worker.ID}, http.StatusOK).v; list["total"] != float64(1) {
			t.Fatalf("the worker lists %v", list)
		}
		if agenda := must(apiCase{role: lw, method: "GET", path: "/api/v1/supervision-agenda"}, http.StatusOK).v; len(agenda["items"].([]any)) != 0 {
			t.Fatalf("the case is still on the agenda: %v", agenda)
		}
		must(apiCase{role: co, method: "PUT", path: "/api/v1/team/" + worker.ID + "/supervision-target", body: `{"every_days": 400}`, field: "every_days"}, http.StatusUnprocessableEntity)
		m := must(apiCase{role: co, method: "PUT", path: "/api/v1/team/" + worker.ID + "/supervision-target", body: `{"every_days": 14}`}, http.StatusOK).v
		if m["supervision_every_days"] != float64(14) || m["supervision_overdue"] != false || m["last_supervision"] != today {
			t.Fatalf("target %v", m)
		}
		team := must(apiCase{role: co, method: "GET", path: "/api/v1/team"}, http.StatusOK).v
		total := int(team["total"].(float64))
		if len(team["items"].([]any)) == 0 || total != len(team["items"].([]any)) {
			t.Fatalf("team %v", team)
		}
		// A page of one worker at a time, the total still the whole team's.
		for off := range total {
			page := must(apiCase{role: co, method: "GET", path: fmt.Sprintf("/api/v1/team?offset=%d&limit=1", off)}, http.StatusOK).v
			if items := page["items"].([]any); len(items) != 1 || int(page["total"].(float64)) != total ||
				items[0].(map[string]any)["user_id"] != team["items"].([]any)[off].(map[string]any)["user_id"] {
				t.Fatalf("page at %d: %v", off, page)
			}
		}
		must(apiCase{role: co, method: "GET", path: "/api/v1/team?limit=0", field: "limit"}, http.StatusUnprocessableEntity)
		caseloads := must(apiCase{role: co, method: "GET", path: "/api/v1/team-caseloads?limit=1"}, http.StatusOK).v
		if len(caseloads["items"].([]any)) != 1 || int(caseloads["total"].(float64)) != total {
			t.Fatalf("team caseloads %v", caseloads)
		}
		must(apiCase{role: lw, method: "POST", path: "/api/v1/training", body: `{"course": "other", "completed_on": "2026-01-10"}`, field: "course_name"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: "/api/v1/training", body: `{"course": "safeguarding_2", "completed_on": "2020-01-10", "renew_by": "2023-01-10"}`}, http.StatusCreated)
		due := must(apiCase{role: co, method: "GET", path: "/api/v1/training?due=true"}, http.StatusOK).v
		if items := due["items"].([]any); len(items) != 1 || items[0].(map[string]any)["state"] != "overdue" {
			t.Fatalf("training due %v", due)
		}
		must(apiCase{role: co, method: "GET", path: "/api/v1/training?due=maybe", field: "due"}, http.StatusUnprocessableEntity)
	})
}

// TestSupervisionPagesLogAndShowIt logs a supervision from the
// supervision page's form (a missing kind named in the error summary),
// shows it to the worker, and shows the coordinator's team page a worker
// never supervised as overdue.
func TestSupervisionPagesLogAndShowIt(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		id := f.activeCase(t)
		worker, coord := f.users[linkwork.RoleLinkWorker], f.users[linkwork.RoleCoordinator]
		co := f.clients[linkwork.RoleCoordinator]
		now := time.Now()
		form := url.Values{"worker": {worker.ID}, "held_on-day": {fmt.Sprint(now.Day())}, "held_on-month": {fmt.Sprint(int(now.Month()))}, "held_on-year": {fmt.Sprint(now.Year())},
			"supervisor_id": {coord.ID}, "worker_ids": {worker.ID}, "case_ids": {id}, "note": {"Talked through the risk plan"}}
		status, body, _ := f.do(co, "POST", "/supervision", "application/x-www-form-urlencoded", form.Encode(), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#kind"`) {
			t.Fatalf("no kind: %d", status)
		}
		form.Set("kind", "line")
		status, _, hdr := f.do(co, "POST", "/supervision", "application/x-www-form-urlencoded", form.Encode(), nil)
		if status != http.StatusSeeOther || !strings.HasPrefix(hdr.Get("Location"), "/supervision/") {
			t.Fatalf("log: %d %v", status, hdr)
		}
		record, _, _ := strings.Cut(hdr.Get("Location"), "?")
		if status, body, _ := f.do(f.clients[linkwork.RoleLinkWorker], "GET", record, "", "", nil); status != http.StatusOK || !strings.Contains(body, "Talked through the risk plan") {
			t.Fatalf("the worker's view: %d", status)
		}
		if status, _, _ := f.do(f.clients[linkwork.RoleSafeguarding], "GET", record, "", "", nil); status != http.StatusNotFound {
			t.Fatalf("the safeguarding lead's view: %d", status)
		}
		status, body, _ = f.do(co, "GET", "/team", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="supervision-overdue"`) || !strings.Contains(body, "past their supervision target") {
			t.Fatalf("the team page shows nobody overdue: %d", status)
		}
	})
}

// TestTheSupervisionVocabularyIsTheDocuments: the enumerations in the
// API document are the root package's.
func TestTheSupervisionVocabularyIsTheDocuments(t *testing.T) {
	d := loadOpenAPI(t)
	for name, want := range map[string][]string{
		"SupervisionKind": strs(linkwork.SupervisionKinds),
		"TrainingCourse":  strs(linkwork.TrainingCourses),
		"TrainingState":   {string(linkwork.TrainingCurrent), string(linkwork.TrainingDue), string(linkwork.TrainingOverdue)},
	} {
		var got []string
		for _, v := range d.schema(name)["enum"].([]any) {
			got = append(got, v.(string))
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s enum = %v, want %v", name, got, want)
		}
	}
}

func strs[S ~string](xs []S) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}
