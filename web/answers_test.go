package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// personOf is the person of a case the link worker holds.
func (f *fixture) personOf(t *testing.T, caseID string) string {
	t.Helper()
	k, err := f.services.Cases.FindCaseByID(linkwork.NewContext(context.Background(), f.users[linkwork.RoleLinkWorker].Actor()), caseID)
	if err != nil {
		t.Fatal(err)
	}
	return k.PersonID
}

// agreeToShare records that the case's person agrees that their details
// go to the community groups they are referred to, whatever the demo
// recorded of them.
func (f *fixture) agreeToShare(t *testing.T, caseID string) {
	t.Helper()
	lw := linkwork.NewContext(context.Background(), f.users[linkwork.RoleLinkWorker].Actor())
	if err := f.services.People.AddConsent(lw, f.personOf(t, caseID), &linkwork.Consent{Kind: linkwork.ConsentShareCommunity, Given: true, GivenBy: "self"}); err != nil {
		t.Fatal(err)
	}
}

// linkToken is the token of link id, read from the message waiting to
// carry it (the end of the link in its body).
func linkToken(t *testing.T, db *sqlstore.DB, id string) string {
	t.Helper()
	pending, err := sqlstore.NewAnswerLinkService(db).PendingMessages(linkwork.NewContext(context.Background(), linkwork.SystemActor("test")), 500)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range pending {
		if m.ID == id {
			_, token, _ := strings.Cut(m.Body, "/answer/")
			return token
		}
	}
	t.Fatalf("link %s is not waiting to be sent", id)
	return ""
}

// TestGroupsAnswerThroughTheAPI: the link worker records that the person
// agrees to share, sends the group a link, the group reads it and
// accepts without an account, and a used link is gone; every answer as
// documented.
func TestGroupsAnswerThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		id := f.activeCase(t)
		person := f.personOf(t, id)
		lw := linkwork.RoleLinkWorker
		must := func(ac apiCase, status int) apiAnswer {
			t.Helper()
			ans := a.send(t, ac)
			if ans.status != status {
				t.Fatalf("%s %s: %d %s, want %d", ac.method, ac.path, ans.status, ans.body, status)
			}
			if ac.field != "" && !errorNames(ans.v, ac.field) {
				t.Fatalf("%s %s: the error does not name %s: %s", ac.method, ac.path, ac.field, ans.body)
			}
			return ans
		}
		c := must(apiCase{role: lw, method: "POST", path: "/api/v1/cases/" + id + "/connections", body: fmt.Sprintf(`{"asset_id": %q, "level": "refer"}`, communityListing(t, f))}, http.StatusCreated).v
		consents := "/api/v1/people/" + person + "/consents"
		must(apiCase{role: lw, method: "POST", path: consents, body: `{"kind": "gossip", "given": true, "given_by": "self"}`, field: "kind"}, http.StatusUnprocessableEntity)
		must(apiCase{role: linkwork.RoleCommunity, method: "POST", path: consents, body: `{"kind": "share_community", "given": true, "given_by": "self"}`}, http.StatusForbidden)
		must(apiCase{role: lw, method: "POST", path: consents, body: `{"kind": "share_community", "given": false, "given_by": "self"}`}, http.StatusCreated)

		send := "/api/v1/connections/" + c["id"].(string) + "/answer-links"
		must(apiCase{role: lw, method: "POST", path: send, body: `{"channel": "email", "to": "coach@boxing.example"}`, field: "consent"}, http.StatusUnprocessableEntity)
		got := must(apiCase{role: lw, method: "POST", path: consents, body: `{"kind": "share_community", "given": true, "given_by": "parent/guardian", "note": "Mum agreed on the phone"}`}, http.StatusCreated).v
		if got["kind"] != "share_community" || got["given"] != true || got["recorded_at"] == nil {
			t.Fatalf("consent %v", got)
		}
		must(apiCase{role: lw, method: "POST", path: send, body: `{"channel": "pigeon", "to": "coach@boxing.example"}`, field: "channel"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: send, body: `{"channel": "text", "to": "the coach"}`, field: "to"}, http.StatusUnprocessableEntity)
		must(apiCase{role: linkwork.RoleSafeguarding, method: "POST", path: send, body: `{"channel": "email", "to": "coach@boxing.example"}`}, http.StatusForbidden)
		l := must(apiCase{role: lw, method: "POST", path: send, body: `{"channel": "email", "to": "coach@boxing.example"}`}, http.StatusCreated).v
		if l["question"] != "referral" || l["to"] != "coach@boxing.example" || l["sent_by_id"] != f.users[lw].ID {
			t.Fatalf("link %v", l)
		}
		list := must(apiCase{role: linkwork.RoleSafeguarding, method: "GET", path: "/api/v1/cases/" + id + "/answer-links"}, http.StatusOK).v
		if items, _ := list["items"].([]any); len(items) != 1 {
			t.Fatalf("links %v", list)
		}
		must(apiCase{role: linkwork.RoleCommunity, method: "GET", path: "/api/v1/cases/" + id + "/answer-links"}, http.StatusForbidden)

		token := linkToken(t, db, l["id"].(string))
		open := "/api/v1/answer/" + token
		wel := must(apiCase{role: anonymous, method: "GET", path: open}, http.StatusOK)
		if wel.header.Get("Access-Control-Allow-Origin") != "*" {
			t.Errorf("the link's answer may not be read from another site")
		}
		if p, _ := wel.v["person"].(map[string]any); p["first_name"] == "" || wel.v["question"] != "referral" {
			t.Fatalf("welcome %v", wel.v)
		}
		for _, secret := range []string{"date_of_birth", "postcode", "address", "reasons", "note"} {
			if strings.Contains(wel.body, `"`+secret+`"`) {
				t.Fatalf("the group is told the person's %s: %s", secret, wel.body)
			}
		}
		must(apiCase{role: anonymous, method: "POST", path: open, body: `{"answer": "came"}`, field: "answer"}, http.StatusUnprocessableEntity)
		must(apiCase{role: anonymous, method: "POST", path: open, body: `{"answer": "decline"}`, field: "reason"}, http.StatusUnprocessableEntity)
		done := must(apiCase{role: anonymous, method: "POST", path: open, body: `{"answer": "accept", "note": "Tuesdays at six"}`}, http.StatusOK).v
		if done["status"] != "accepted" || done["next_question"] != "attendance" {
			t.Fatalf("answered %v", done)
		}
		must(apiCase{role: anonymous, method: "GET", path: open}, http.StatusGone)
		must(apiCase{role: anonymous, method: "POST", path: open, body: `{"answer": "accept"}`}, http.StatusGone)
		list = must(apiCase{role: lw, method: "GET", path: "/api/v1/cases/" + id + "/answer-links"}, http.StatusOK).v
		items, _ := list["items"].([]any)
		if len(items) != 2 || items[0].(map[string]any)["answer"] != "accept" || items[1].(map[string]any)["question"] != "attendance" {
			t.Fatalf("after the answer, links %v", list)
		}
	})
}

// TestALinkNeverSentIsNotFoundForAnyone: whoever asks, signed in or not,
// a token never sent is 404 on the page and through the API.
func TestALinkNeverSentIsNotFoundForAnyone(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		for _, role := range append([]linkwork.Role{anonymous}, linkwork.Roles...) {
			name := string(role)
			if role == anonymous {
				name = "anonymous"
			}
			t.Run(name, func(t *testing.T) {
				for _, ac := range []apiCase{
					{role: role, method: "GET", path: "/api/v1/answer/never-sent"},
					{role: role, method: "POST", path: "/api/v1/answer/never-sent", body: `{"answer": "accept"}`},
				} {
					if ans := a.send(t, ac); ans.status != http.StatusNotFound {
						t.Errorf("%s %s: %d, want 404", ac.method, ac.path, ans.status)
					}
				}
				var c *http.Client
				if role != anonymous {
					c = f.clients[role]
				}
				if status, _, _ := f.do(c, "GET", "/answer/never-sent", "", "", nil); status != http.StatusNotFound {
					t.Errorf("GET /answer/never-sent: %d, want 404", status)
				}
				form := url.Values{"answer": {"accept"}}.Encode()
				if status, _, _ := f.do(c, "POST", "/answer/never-sent", "application/x-www-form-urlencoded", form, nil); status != http.StatusNotFound {
					t.Errorf("POST /answer/never-sent: %d, want 404", status)
				}
			})
		}
	})
}

// TestAGroupDeclinesOnItsPage: the link worker sends the link from the
// case page (the consent asked first, named at its question), the group
// opens the page with no account, is told what it left out, declines
// ("no places"), and the case page shows the answer, by the group,
// through its link.
func TestAGroupDeclinesOnItsPage(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		id := f.activeCase(t)
		lw := f.clients[linkwork.RoleLinkWorker]
		post := func(c *http.Client, path string, form url.Values) (int, string, http.Header) {
			t.Helper()
			return f.do(c, "POST", path, "application/x-www-form-urlencoded", form.Encode(), nil)
		}
		if status, _, _ := post(lw, "/cases/"+id+"/connections", url.Values{"asset_id": {communityListing(t, f)}, "level": {"refer"}}); status != http.StatusSeeOther {
			t.Fatalf("connect: %d", status)
		}
		ctx := linkwork.NewContext(context.Background(), f.users[linkwork.RoleLinkWorker].Actor())
		list, _, err := f.services.Connections.FindConnections(ctx, linkwork.ConnectionFilter{CaseID: id})
		if err != nil || len(list) == 0 {
			t.Fatal(err)
		}
		conn := list[0]
		send := "/cases/" + id + "/connections/" + conn.ID + "/answer-links"

		if status, body, _ := post(lw, "/cases/"+id+"/consents", url.Values{"share_consent": {"no"}}); status != http.StatusSeeOther {
			t.Fatalf("record that they do not agree: %d %s", status, body)
		}
		status, body, _ := post(lw, send, url.Values{"link_channel": {"email"}, "link_email": {"coach@boxing.example"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#share_consent"`) || !strings.Contains(body, "They have not agreed") {
			t.Fatalf("a link without consent: %d", status)
		}
		moves := "/cases/" + id + "/connections/" + conn.ID + "/moves"
		if status, body, _ := post(lw, moves, url.Values{"to": {"contacted"}, "version": {"1"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#share_consent"`) {
			t.Fatalf("contacting the group without consent: %d", status)
		}
		if status, body, _ := post(lw, "/cases/"+id+"/consents", url.Values{}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#share_consent"`) {
			t.Fatalf("no answer about sharing: %d %s", status, body)
		}
		if status, _, _ := post(lw, "/cases/"+id+"/consents", url.Values{"share_consent": {"self"}}); status != http.StatusSeeOther {
			t.Fatalf("record that they agree: %d", status)
		}
		if status, body, _ := post(lw, send, url.Values{"link_channel": {"email"}, "link_email": {"not an address"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#link_email-`+conn.ID+`"`) {
			t.Fatalf("a bad address: %d", status)
		}
		if status, _, hdr := post(lw, send, url.Values{"link_channel": {"email"}, "link_email": {"coach@boxing.example"}}); status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=link-sent") {
			t.Fatalf("send the link: %d", status)
		}
		links, err := f.services.AnswerLinks.FindAnswerLinks(ctx, id)
		if err != nil || len(links) != 1 {
			t.Fatalf("links %v %v", links, err)
		}
		page := "/answer/" + linkToken(t, db, links[0].ID)

		status, body, _ = f.do(nil, "GET", page, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="answer-welcome"`) || !strings.Contains(body, conn.PersonName) {
			t.Fatalf("the group's page: %d", status)
		}
		if debugDir := os.Getenv("LINKWORK_DUMP"); debugDir != "" {
			os.WriteFile(debugDir+"/answer.html", []byte(body), 0o644)
		}
		if status, body, _ := post(nil, page, url.Values{"answer": {"decline"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#reason"`) {
			t.Fatalf("a decline without a reason: %d", status)
		}
		status, body, _ = post(nil, page, url.Values{"answer": {"decline"}, "reason": {"full"}, "note": {"Full until September"}})
		if status != http.StatusOK || !strings.Contains(body, `data-testid="answer-done"`) {
			t.Fatalf("decline: %d", status)
		}
		if status, body, _ := f.do(nil, "GET", page, "", "", nil); status != http.StatusGone || !strings.Contains(body, "already been used") {
			t.Fatalf("the used link: %d", status)
		}
		status, body, _ = f.do(lw, "GET", "/cases/"+id, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, "answered by "+links[0].Group+" through its link") {
			t.Fatalf("the case page does not say the group answered through its link: %d", status)
		}
		if !strings.Contains(body, "Answered: no, we cannot take them") {
			t.Fatalf("the case page does not show the link's answer")
		}
		if debugDir := os.Getenv("LINKWORK_DUMP"); debugDir != "" {
			os.WriteFile(debugDir+"/case.html", []byte(body), 0o644)
		}
	})
}
