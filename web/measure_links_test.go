package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// caseTexted makes a case, with the demo link worker, for a new person of
// the age given who chose to be contacted by text, and returns its id.
func (f *fixture) caseTexted(t *testing.T, family string, age int) string {
	t.Helper()
	ctx := func(r linkwork.Role) context.Context {
		return linkwork.NewContext(context.Background(), f.users[r].Actor())
	}
	ref := &linkwork.Referral{ServiceOrgID: f.users[linkwork.RoleCoordinator].OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
		Reasons: "Low mood", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
	person := &linkwork.Person{GivenName: "Rae", FamilyName: family, DateOfBirth: linkwork.DateOf(time.Now().AddDate(-age, 0, -10)), Postcode: "LS9 1AA", Phone: "07700 900222",
		Contact: linkwork.ContactPreferences{Channels: []linkwork.Channel{linkwork.ChannelText}}}
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

// pendingMeasureToken is the token of the newest measure link waiting to
// be sent.
func pendingMeasureToken(t *testing.T, db *sqlstore.DB) string {
	t.Helper()
	pending, err := sqlstore.NewMeasureLinkService(db).PendingMessages(linkwork.NewContext(context.Background(), linkwork.SystemActor("test")), 100)
	if err != nil || len(pending) == 0 {
		t.Fatalf("no measure link waiting to be sent (%v)", err)
	}
	_, token, _ := strings.Cut(pending[len(pending)-1].Body, "/measure/")
	return token
}

// TestAMeasureThroughTheLink sends a 14-year-old a SWEMWBS link from the
// case page and another through the API; the person answers the first on
// its page (an item left out is named and nothing stored) and the second
// through the link's API; each link works once; and the case page shows
// both answered.
func TestAMeasureThroughTheLink(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		coordCtx := linkwork.NewContext(context.Background(), f.users[linkwork.RoleCoordinator].Actor())
		set, err := f.services.Triage.ServiceSettings(coordCtx, f.users[linkwork.RoleCoordinator].OrgID)
		if err != nil {
			t.Fatal(err)
		}
		set.Measures.Wording = map[linkwork.Instrument][]string{linkwork.InstrumentSWEMWBS: {"Q one", "Q two", "Q three", "Q four", "Q five", "Q six", "Q seven"}}
		if err := f.services.Triage.SaveServiceSettings(coordCtx, set); err != nil {
			t.Fatal(err)
		}
		id := f.caseTexted(t, "Linkmeasure", 14)
		lw := f.clients[linkwork.RoleLinkWorker]
		form := func(c *http.Client, path string, v url.Values) (int, string) {
			status, body, _ := f.do(c, "POST", path, "application/x-www-form-urlencoded", v.Encode(), nil)
			return status, body
		}
		if status, body := form(lw, "/cases/"+id+"/measure-links", url.Values{"link_instrument": {"swemwbs"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#link_timepoint"`) {
			t.Fatalf("sending without a timepoint: %d", status)
		}
		if status, body := form(lw, "/cases/"+id+"/measure-links", url.Values{"link_instrument": {"swemwbs"}, "link_timepoint": {"baseline"}}); status != http.StatusSeeOther {
			t.Fatalf("sending a link: %d\n%s", status, body)
		}
		token := pendingMeasureToken(t, db)
		anon := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		status, page, _ := f.do(anon, "GET", "/measure/"+token, "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, "Hi Rae,") || strings.Contains(page, "Linkmeasure") || !strings.Contains(page, "7. Q seven") {
			t.Fatalf("the person's page: %d", status)
		}
		answers := url.Values{}
		for i, a := range []string{"3", "3", "", "3", "3", "3", "3"} {
			answers.Set("answers["+string(rune('0'+i))+"]", a)
		}
		if status, body := form(anon, "/measure/"+token, answers); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#answers[2]"`) {
			t.Fatalf("answering with question 3 left out: %d", status)
		}
		if list, _ := f.services.Measures.FindMeasures(linkwork.NewContext(context.Background(), f.users[linkwork.RoleLinkWorker].Actor()), id); len(list) != 0 {
			t.Fatal("a response with a question left out was stored")
		}
		answers.Set("answers[2]", "4")
		if status, body := form(anon, "/measure/"+token, answers); status != http.StatusOK || !strings.Contains(body, `data-testid="measure-link-done"`) {
			t.Fatalf("answering: %d", status)
		}
		if status, _ := form(anon, "/measure/"+token, answers); status != http.StatusGone {
			t.Fatalf("answering twice: %d, want 410", status)
		}

		a := &apiTester{f: f, doc: doc}
		sent := a.send(t, apiCase{role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/cases/" + id + "/measure-links", body: `{"instrument":"swemwbs","timepoint":"end"}`})
		if sent.status != http.StatusCreated || sent.v["channel"] != "text" {
			t.Fatalf("POST a measure link: %d %s", sent.status, sent.body)
		}
		if gbo := a.send(t, apiCase{role: linkwork.RoleLinkWorker, method: "POST", path: "/api/v1/cases/" + id + "/measure-links", body: `{"instrument":"gbo","timepoint":"end"}`}); gbo.status != http.StatusUnprocessableEntity {
			t.Fatalf("POST a goals link: %d", gbo.status)
		}
		token = pendingMeasureToken(t, db)
		inv := a.send(t, apiCase{method: "GET", path: "/api/v1/measure-links/" + token})
		if inv.status != http.StatusOK || inv.v["first_name"] != "Rae" || inv.v["emoji"] != false || len(inv.v["items"].([]any)) != 7 {
			t.Fatalf("GET the link: %d %s", inv.status, inv.body)
		}
		if bad := a.send(t, apiCase{method: "POST", path: "/api/v1/measure-links/" + token, body: `{"answers":[4,4,4,4,4,4,9]}`}); bad.status != http.StatusUnprocessableEntity || !errorNames(bad.v, "answers[6]") {
			t.Fatalf("POST an answer out of range: %d %s", bad.status, bad.body)
		}
		done := a.send(t, apiCase{method: "POST", path: "/api/v1/measure-links/" + token, body: `{"answers":[4,4,4,4,4,4,4]}`})
		if done.status != http.StatusOK || done.v["score"] == nil {
			t.Fatalf("POST the answers: %d %s", done.status, done.body)
		}
		if again := a.send(t, apiCase{method: "GET", path: "/api/v1/measure-links/" + token}); again.status != http.StatusGone {
			t.Fatalf("GET a used link: %d", again.status)
		}
		if missing := a.send(t, apiCase{method: "GET", path: "/api/v1/measure-links/not-a-token"}); missing.status != http.StatusNotFound {
			t.Fatalf("GET a link never sent: %d", missing.status)
		}
		list := a.send(t, apiCase{role: linkwork.RoleLinkWorker, method: "GET", path: "/api/v1/cases/" + id + "/measure-links"})
		if items := list.v["items"].([]any); len(items) != 2 || items[1].(map[string]any)["status"] != "Answered" {
			t.Fatalf("the case's links: %s", list.body)
		}
		_, casePage, _ := f.do(lw, "GET", "/cases/"+id, "", "", nil)
		if strings.Count(casePage, `data-testid="measure-link-status">Answered`) != 2 || !strings.Contains(casePage, `data-testid="measure-swemwbs"`) {
			t.Error("the case page does not show both links answered and the SWEMWBS responses")
		}
	})
}
