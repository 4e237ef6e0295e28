package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// caseAged makes a case, with the demo link worker, for a new person of
// the age given, and returns its id.
func (f *fixture) caseAged(t *testing.T, family string, age int) string {
	t.Helper()
	ctx := func(r linkwork.Role) context.Context {
		return linkwork.NewContext(context.Background(), f.users[r].Actor())
	}
	ref := &linkwork.Referral{ServiceOrgID: f.users[linkwork.RoleCoordinator].OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
		Reasons: "Low mood", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
	person := &linkwork.Person{GivenName: "Sam", FamilyName: family, DateOfBirth: linkwork.DateOf(time.Now().AddDate(-age, 0, -10)), Postcode: "LS9 1AA", Phone: "07700 900111"}
	if err := f.services.Referrals.CreateReferral(ctx(linkwork.RoleReferrer), ref, person); err != nil {
		t.Fatal(err)
	}
	got, err := f.services.Referrals.DecideReferral(ctx(linkwork.RoleCoordinator), ref.ID, ref.Version,
		linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: f.users[linkwork.RoleLinkWorker].ID})
	if err != nil {
		t.Fatal(err)
	}
	return got.CaseID
}

// TestMeasuresThroughTheAPI records measures for a 14-year-old over the
// API: an unanswered item, an answer that is not a whole number and an
// instrument they are too young for are each named and store nothing;
// answers in give the score out; and the list gives each instrument's
// change, with the verdict where the instrument has a threshold.
func TestMeasuresThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		id := f.caseAged(t, "Apimeasure", 14)
		lw := linkwork.RoleLinkWorker
		path := "/api/v1/cases/" + id + "/measures"
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
		for _, tt := range []struct{ name, body, field string }{
			{"an unanswered SWEMWBS item", `{"instrument": "swemwbs", "timepoint": "baseline", "answers": [3, 3, 3, null, 3, 3, 3]}`, "answers[3]"},
			{"an answer that is not whole", `{"instrument": "swemwbs", "timepoint": "baseline", "answers": [3, 3.5, 3, 3, 3, 3, 3]}`, "answers[1]"},
			{"an answer off the scale", `{"instrument": "swemwbs", "timepoint": "baseline", "answers": [3, 3, 3, 3, 3, 3, 6]}`, "answers[6]"},
			{"ONS personal wellbeing at 14", `{"instrument": "ons4", "timepoint": "baseline", "answers": [5, 5, 5, 5]}`, "instrument"},
			{"an unknown timepoint", `{"instrument": "swemwbs", "timepoint": "later", "answers": [3, 3, 3, 3, 3, 3, 3]}`, "timepoint"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				must(apiCase{role: lw, method: "POST", path: path, body: tt.body, field: tt.field}, http.StatusUnprocessableEntity)
			})
		}
		if got := must(apiCase{role: lw, method: "GET", path: path}, http.StatusOK).v; len(got["responses"].([]any)) != 0 {
			t.Fatalf("a refused response was stored: %v", got)
		}
		first := must(apiCase{role: lw, method: "POST", path: path, body: `{"instrument": "swemwbs", "timepoint": "baseline", "answers": [3, 3, 3, 3, 3, 3, 2], "completed_by": "proxy"}`}, http.StatusCreated).v
		if first["score"] != 18.59 || first["raw"] != float64(20) || first["completed_by"] != "proxy" || first["name"] != "SWEMWBS" || len(first["items"].([]any)) != 7 {
			t.Fatalf("scored %v", first)
		}
		must(apiCase{role: lw, method: "POST", path: path, body: `{"instrument": "swemwbs", "timepoint": "end", "answers": [4, 4, 4, 3, 3, 3, 3], "completed_by": "person"}`}, http.StatusCreated)

		goal := must(apiCase{role: lw, method: "POST", path: "/api/v1/cases/" + id + "/goals", body: `{"text": "Go to the climbing club", "importance": 3}`}, http.StatusCreated).v
		gid := goal["id"].(string)
		must(apiCase{role: lw, method: "POST", path: path, body: `{"instrument": "gbo", "timepoint": "baseline", "answers": [2]}`, field: "goal_ids"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: path, body: fmt.Sprintf(`{"instrument": "gbo", "timepoint": "baseline", "answers": [2], "goal_ids": [%q], "completed_by": "with_link_worker"}`, gid)}, http.StatusCreated)
		g := must(apiCase{role: lw, method: "POST", path: path, body: fmt.Sprintf(`{"instrument": "gbo", "timepoint": "end", "answers": [8], "goal_ids": [%q]}`, gid)}, http.StatusCreated).v
		if item := g["items"].([]any)[0].(map[string]any); item["link_id"] != gid || item["answer"] != float64(8) {
			t.Fatalf("the goal's item: %v", item)
		}

		list := must(apiCase{role: linkwork.RoleSafeguarding, method: "GET", path: path}, http.StatusOK).v
		progress := map[string]map[string]any{}
		for _, p := range list["progress"].([]any) {
			p := p.(map[string]any)
			progress[p["instrument"].(string)] = p
		}
		if sw := progress["swemwbs"]; sw["verdict"] != "reliable improvement" || sw["difference"] != 2.95 || sw["threshold"] != 2.87 {
			t.Fatalf("SWEMWBS progress %v", sw)
		}
		gbo := progress["gbo"]
		line := gbo["lines"].([]any)[0].(map[string]any)
		if _, ok := gbo["verdict"]; ok || line["goal_id"] != gid || line["first"] != float64(2) || line["latest"] != float64(8) || line["direction"] != "improved" {
			t.Fatalf("GBO progress %v", gbo)
		}
	})
}

// TestTheMeasureForm records a SWEMWBS from the phone-sized form as a
// browser without JavaScript would: only the instruments that suit the
// person's age are offered; a question left unanswered is named, linked
// from the error summary, and nothing is stored; a complete form goes
// back to the case, which shows the measure as a chart and a table.
func TestTheMeasureForm(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		id := f.caseAged(t, "Formmeasure", 14)
		c := f.clients[linkwork.RoleLinkWorker]
		get := func(path string) string {
			t.Helper()
			status, body, _ := f.do(c, "GET", path, "", "", nil)
			if status != http.StatusOK {
				t.Fatalf("GET %s: %d", path, status)
			}
			return body
		}
		choose := get("/cases/" + id + "/measures/new")
		if !strings.Contains(choose, "instrument=swemwbs") || !strings.Contains(choose, "instrument=gbo") || strings.Contains(choose, "instrument=ons4") || strings.Contains(choose, "instrument=ucla3") {
			t.Fatalf("the choices for a 14-year-old: %s", choose)
		}
		if body := get("/cases/" + id + "/measures/new?instrument=ons4"); strings.Contains(body, `name="answers[0]"`) {
			t.Fatal("ONS personal wellbeing is offered to a 14-year-old")
		}
		if body := get("/cases/" + id + "/measures/new?instrument=swemwbs"); !strings.Contains(body, `name="answers[6]"`) || strings.Contains(body, `name="answers[7]"`) {
			t.Fatal("the SWEMWBS form does not have seven questions")
		}
		if body := get("/cases/" + id + "/measures/new?instrument=gbo"); !strings.Contains(body, `data-testid="no-goals"`) {
			t.Fatal("goal-based outcomes are offered without goals")
		}
		form := url.Values{"instrument": {"swemwbs"}, "timepoint": {"baseline"}, "completed_by": {"with_link_worker"}}
		for i, v := range []string{"3", "3", "3", "", "3", "3", "2"} {
			form.Set(fmt.Sprintf("answers[%d]", i), v)
		}
		status, body, _ := f.do(c, "POST", "/cases/"+id+"/measures", "application/x-www-form-urlencoded", form.Encode(), nil)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#answers[3]"`) || !strings.Contains(body, "Answer question 4: the score needs every answer") || !strings.Contains(body, `value="2" checked`) {
			t.Fatalf("an unanswered question: %d", status)
		}
		if page := get("/cases/" + id); !strings.Contains(page, `data-testid="no-measures"`) {
			t.Fatal("a response with an unanswered question was stored")
		}
		form.Set("answers[3]", "3")
		form.Del("completed_by")
		if status, body, _ := f.do(c, "POST", "/cases/"+id+"/measures", "application/x-www-form-urlencoded", form.Encode(), nil); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#completed_by"`) {
			t.Fatalf("who answered not said: %d", status)
		}
		form.Set("completed_by", "with_link_worker")
		status, _, hdr := f.do(c, "POST", "/cases/"+id+"/measures", "application/x-www-form-urlencoded", form.Encode(), nil)
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=measure") {
			t.Fatalf("a complete form: %d %v", status, hdr)
		}
		page := get("/cases/" + id + "?done=measure")
		for _, want := range []string{"Measure recorded", `data-testid="measure-swemwbs"`, `role="img"`, "<title id=\"chart-swemwbs-title\">SWEMWBS over time</title>", "18.59", "The person, with their link worker", "lw-responsive-table"} {
			if !strings.Contains(page, want) {
				t.Errorf("the case page does not show %q", want)
			}
		}
		if status, _, _ := f.do(f.clients[linkwork.RoleSafeguarding], "POST", "/cases/"+id+"/measures", "application/x-www-form-urlencoded", form.Encode(), nil); status != http.StatusForbidden {
			t.Errorf("a safeguarding lead recorded a measure: %d", status)
		}
	})
}

// TestMeasuresDueShowOnTheCaseloadAndTheCase mandates SWEMWBS at the
// start for 13- to 15-year-olds: a 14-year-old's case shows it due on the
// caseload and the case page, whose link opens the form at the start,
// and an adult's case shows nothing due.
func TestMeasuresDueShowOnTheCaseloadAndTheCase(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		ctx := linkwork.NewContext(context.Background(), f.users[linkwork.RoleCoordinator].Actor())
		set, err := f.services.Triage.ServiceSettings(ctx, f.users[linkwork.RoleCoordinator].OrgID)
		if err != nil {
			t.Fatal(err)
		}
		set.Measures.Uses = []linkwork.MeasureUse{{Band: "13-15", Instrument: linkwork.InstrumentSWEMWBS, Timepoints: []linkwork.Timepoint{linkwork.TimepointBaseline, linkwork.TimepointEnd}, Mandated: true}}
		if err := f.services.Triage.SaveServiceSettings(ctx, set); err != nil {
			t.Fatal(err)
		}
		young, grown := f.caseAged(t, "Youngdue", 14), f.caseAged(t, "Growndue", 40)
		lw := f.clients[linkwork.RoleLinkWorker]
		_, caseload, _ := f.do(lw, "GET", "/caseload?sort=name", "", "", nil)
		if !strings.Contains(caseload, "Measures due: SWEMWBS at the start") {
			t.Error("the caseload does not show the young person's SWEMWBS due")
		}
		_, page, _ := f.do(lw, "GET", "/cases/"+young, "", "", nil)
		link := "/cases/" + young + "/measures/new?instrument=swemwbs&amp;timepoint=baseline"
		if !strings.Contains(page, `data-testid="measures-due"`) || !strings.Contains(page, link) {
			t.Fatal("the case page does not link to the SWEMWBS due at the start")
		}
		_, form, _ := f.do(lw, "GET", strings.ReplaceAll(link, "&amp;", "&"), "", "", nil)
		if !strings.Contains(form, `value="baseline" checked`) {
			t.Error("the form opened from a measure due does not have its timepoint chosen")
		}
		if _, page, _ := f.do(lw, "GET", "/cases/"+grown, "", "", nil); strings.Contains(page, `data-testid="measures-due"`) {
			t.Error("an adult's case shows a measure mandated for 13- to 15-year-olds as due")
		}
	})
}
