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

// fundedConnection is a connection of the demo link worker's active case
// that is going ahead (contacted), for a fund to pay towards.
func (f *fixture) fundedConnection(t *testing.T) *linkwork.Connection {
	t.Helper()
	ctx := linkwork.NewContext(context.Background(), f.users[linkwork.RoleLinkWorker].Actor())
	found, _, err := f.services.Assets.FindAssets(ctx, linkwork.AssetFilter{Limit: 1})
	if err != nil || len(found) == 0 {
		t.Fatalf("no listing: %v", err)
	}
	caseID := f.activeCase(t)
	// A referral on hands their details over: they agree to that first,
	// whatever the demo recorded of them.
	f.agreeToShare(t, caseID)
	c := &linkwork.Connection{CaseID: caseID, AssetID: found[0].Asset.ID, Level: linkwork.LevelRefer}
	if err := f.services.Connections.CreateConnection(ctx, c); err != nil {
		t.Fatal(err)
	}
	c, err = f.services.Connections.MoveConnection(ctx, c.ID, linkwork.ConnectionMove{To: linkwork.ConnContacted, Version: c.Version})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// thisYear is a fund's period around today, as the API writes it.
func thisYear() (string, string) {
	now := time.Now()
	return now.AddDate(0, -1, 0).Format(time.DateOnly), now.AddDate(0, 11, 0).Format(time.DateOnly)
}

// TestFundsThroughTheAPI adds a fund, asks it to pay towards a
// connection, decides what waits, and reads the spend: bad input names
// its field, a request within the threshold is paid at once, a larger one
// waits for a coordinator, and more than is left is refused saying what
// is left.
func TestFundsThroughTheAPI(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		conn := f.fundedConnection(t)
		lw, co := linkwork.RoleLinkWorker, linkwork.RoleCoordinator
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
		starts, ends := thisYear()
		fund := func(budget, threshold int, from, to string) string {
			return fmt.Sprintf(`{"name": "Test fund", "budget_pence": %d, "threshold_pence": %d, "starts_on": %q, "ends_on": %q}`, budget, threshold, from, to)
		}
		must(apiCase{role: co, method: "POST", path: "/api/v1/funds", body: fund(0, 0, starts, ends), field: "budget_pence"}, http.StatusUnprocessableEntity)
		must(apiCase{role: co, method: "POST", path: "/api/v1/funds", body: fund(5000, 0, starts, "last week"), field: "ends_on"}, http.StatusUnprocessableEntity)
		must(apiCase{role: co, method: "POST", path: "/api/v1/funds", body: fund(5000, 6000, starts, ends), field: "threshold_pence"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: "/api/v1/funds", body: fund(5000, 2500, starts, ends)}, http.StatusForbidden)
		created := must(apiCase{role: co, method: "POST", path: "/api/v1/funds", body: fund(10000, 2500, starts, ends)}, http.StatusCreated).v
		fundID := created["id"].(string)
		if created["balance_pence"] != float64(10000) || created["open"] != true {
			t.Fatalf("fund %v", created)
		}
		list := must(apiCase{role: lw, method: "GET", path: "/api/v1/funds?open_on=" + starts}, http.StatusOK).v
		if !listHas(list, fundID) {
			t.Fatalf("the link worker does not see the fund: %v", list)
		}
		must(apiCase{role: lw, method: "GET", path: "/api/v1/funds?open_on=soon", field: "open_on"}, http.StatusUnprocessableEntity)

		ask := func(amount int) string {
			return fmt.Sprintf(`{"fund_id": %q, "category": "fees", "amount_pence": %d, "note": "Ten weeks of boxing club"}`, fundID, amount)
		}
		path := "/api/v1/connections/" + conn.ID + "/fund-requests"
		must(apiCase{role: lw, method: "POST", path: path, body: `{"fund_id": "` + fundID + `", "category": "food", "amount_pence": 100, "note": "x"}`, field: "category"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: path, body: `{"fund_id": "nope", "category": "fees", "amount_pence": 100, "note": "x"}`, field: "fund_id"}, http.StatusUnprocessableEntity)
		must(apiCase{role: lw, method: "POST", path: "/api/v1/connections/nope/fund-requests", body: ask(100)}, http.StatusNotFound)
		paid := must(apiCase{role: lw, method: "POST", path: path, body: ask(2500)}, http.StatusCreated).v
		if paid["status"] != "approved" || paid["decided_at"] == nil {
			t.Fatalf("a request within the threshold was not paid at once: %v", paid)
		}
		waiting := must(apiCase{role: lw, method: "POST", path: path, body: ask(3000)}, http.StatusCreated).v
		if waiting["status"] != "requested" || waiting["decided_at"] != nil {
			t.Fatalf("a request above the threshold did not wait: %v", waiting)
		}
		over := must(apiCase{role: lw, method: "POST", path: path, body: ask(7501), field: "amount_pence"}, http.StatusUnprocessableEntity)
		if !strings.Contains(over.body, "£75.00 left") {
			t.Fatalf("the refusal does not say what is left: %s", over.body)
		}
		// Two more paid at once leave £25, less than the request waiting.
		must(apiCase{role: lw, method: "POST", path: path, body: ask(2500)}, http.StatusCreated)
		must(apiCase{role: co, method: "POST", path: path, body: ask(2500)}, http.StatusCreated)

		queue := must(apiCase{role: co, method: "GET", path: "/api/v1/fund-requests?status=requested&case_id=" + conn.CaseID}, http.StatusOK).v
		if !listHas(queue, waiting["id"].(string)) || queue["total"] != float64(1) {
			t.Fatalf("the coordinator's queue %v", queue)
		}
		must(apiCase{role: co, method: "GET", path: "/api/v1/fund-requests?status=maybe", field: "status"}, http.StatusUnprocessableEntity)
		decide := "/api/v1/fund-requests/" + waiting["id"].(string) + "/decision"
		must(apiCase{role: lw, method: "POST", path: decide, body: `{"decision": "approved"}`}, http.StatusForbidden)
		must(apiCase{role: co, method: "POST", path: decide, body: `{"decision": "declined"}`, field: "reason"}, http.StatusUnprocessableEntity)
		must(apiCase{role: co, method: "POST", path: decide, body: `{"decision": "maybe"}`, field: "decision"}, http.StatusUnprocessableEntity)
		must(apiCase{role: co, method: "POST", path: decide, body: `{"decision": "approved"}`, field: "amount_pence"}, http.StatusUnprocessableEntity)
		declined := must(apiCase{role: co, method: "POST", path: decide, body: `{"decision": "declined", "reason": "Try the free taster first"}`}, http.StatusOK).v
		if declined["status"] != "declined" || declined["decided_by"] != f.users[co].ID {
			t.Fatalf("declined %v", declined)
		}
		must(apiCase{role: co, method: "POST", path: decide, body: `{"decision": "approved"}`}, http.StatusConflict)

		spend := must(apiCase{role: co, method: "GET", path: "/api/v1/fund-spend"}, http.StatusOK).v
		if spend["total_pence"].(float64) < 7500 || len(spend["by_category"].([]any)) == 0 || len(spend["by_person"].([]any)) == 0 {
			t.Fatalf("spend %v", spend)
		}
		conns := must(apiCase{role: lw, method: "GET", path: "/api/v1/connections?case_id=" + conn.CaseID}, http.StatusOK).v
		for _, x := range conns["items"].([]any) {
			if c := x.(map[string]any); c["id"] == conn.ID && c["fund_pence"] != float64(7500) {
				t.Fatalf("the connection's funding %v", c)
			}
		}
	})
}

// listHas reports whether a list answer holds an item with the id.
func listHas(list map[string]any, id string) bool {
	for _, x := range list["items"].([]any) {
		if x.(map[string]any)["id"] == id {
			return true
		}
	}
	return false
}

// TestAFundPaysFromTheCasePageAfterACoordinatorApprovesOnTheFundsPage
// adds a fund on the funds page, asks it from a connection on the case
// page for more than it pays at once, and approves it on the funds page:
// each form shows its problems linked from the error summary, and the
// case page shows what the fund paid.
func TestAFundPaysFromTheCasePageAfterACoordinatorApprovesOnTheFundsPage(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		conn := f.fundedConnection(t)
		co, lw := f.clients[linkwork.RoleCoordinator], f.clients[linkwork.RoleLinkWorker]
		post := func(c *http.Client, path string, form url.Values) (int, string, http.Header) {
			t.Helper()
			return f.do(c, "POST", path, "application/x-www-form-urlencoded", form.Encode(), nil)
		}
		now := time.Now()
		fund := url.Values{"name": {"Kit fund"}, "budget": {"300"}, "threshold": {"25"},
			"starts-day": {"1"}, "starts-month": {fmt.Sprint(int(now.Month()))}, "starts-year": {fmt.Sprint(now.Year())},
			"ends-day": {"1"}, "ends-month": {fmt.Sprint(int(now.Month()))}, "ends-year": {fmt.Sprint(now.Year() + 1)}}
		bad := url.Values{}
		for k, v := range fund {
			bad[k] = v
		}
		bad.Set("budget", "lots")
		if status, body, _ := post(co, "/funds", bad); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#budget"`) {
			t.Fatalf("a budget that is not money: %d", status)
		}
		if status, _, _ := post(lw, "/funds", fund); status != http.StatusForbidden {
			t.Fatalf("a link worker added a fund: %d", status)
		}
		status, _, hdr := post(co, "/funds", fund)
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=fund-added") {
			t.Fatalf("add the fund: %d %v", status, hdr)
		}
		funds, _, err := f.services.Funds.FindFunds(linkwork.NewContext(context.Background(), f.users[linkwork.RoleCoordinator].Actor()), linkwork.FundFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var kit *linkwork.Fund
		for _, x := range funds {
			if x.Name == "Kit fund" {
				kit = x
			}
		}
		if kit == nil || kit.BudgetPence != 30000 || kit.ThresholdPence != 2500 {
			t.Fatalf("the fund added: %+v", kit)
		}

		casePath := "/cases/" + conn.CaseID
		if status, body, _ := f.do(lw, "GET", casePath, "", "", nil); status != http.StatusOK || !strings.Contains(body, "Ask a fund to pay") || !strings.Contains(body, "Kit fund: £300.00 left") {
			t.Fatalf("the case page has no form to ask the fund: %d", status)
		}
		ask := "/cases/" + conn.CaseID + "/connections/" + conn.ID + "/fund-requests"
		if status, body, _ := post(lw, ask, url.Values{"fund_id": {kit.ID}, "fund_category": {"kit"}, "fund_amount": {"forty"}, "fund_note": {"Boots"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#fund_amount-`+conn.ID+`"`) {
			t.Fatalf("an amount that is not money: %d", status)
		}
		if status, body, _ := post(lw, ask, url.Values{"fund_id": {kit.ID}, "fund_category": {"kit"}, "fund_amount": {"400"}, "fund_note": {"Boots"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "£300.00 left") {
			t.Fatalf("more than the fund has: %d", status)
		}
		status, _, hdr = post(lw, ask, url.Values{"fund_id": {kit.ID}, "fund_category": {"kit"}, "fund_amount": {"40.50"}, "fund_note": {"Boots and gloves"}})
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=fund-asked") {
			t.Fatalf("ask the fund: %d %v", status, hdr)
		}
		status, body, _ := f.do(lw, "GET", "/funds", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, "Kit fund") || !strings.Contains(body, "Boots and gloves") ||
			strings.Contains(body, `data-testid="fund-form"`) || strings.Contains(body, `data-testid="approve-form"`) {
			t.Fatalf("the link worker's funds page should show the funds and their request waiting, and no way to add or decide: %d", status)
		}
		status, body, _ = f.do(co, "GET", "/funds", "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, "£40.50 for kit from Kit fund") || !strings.Contains(body, "Boots and gloves") {
			t.Fatalf("the funds page does not show the request waiting: %d", status)
		}
		waiting, _, err := f.services.Funds.FindFundRequests(linkwork.NewContext(context.Background(), f.users[linkwork.RoleCoordinator].Actor()),
			linkwork.FundRequestFilter{FundID: kit.ID, Status: []linkwork.FundRequestStatus{linkwork.FundRequested}})
		if err != nil || len(waiting) != 1 {
			t.Fatalf("waiting %v %v", waiting, err)
		}
		decide := "/funds/requests/" + waiting[0].ID + "/decision"
		if status, body, _ := post(co, decide, url.Values{"decision": {"declined"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#reason-`+waiting[0].ID+`"`) {
			t.Fatalf("a decline without a reason: %d", status)
		}
		if status, _, _ := post(lw, decide, url.Values{"decision": {"approved"}}); status != http.StatusForbidden {
			t.Fatalf("a link worker decided: %d", status)
		}
		status, _, hdr = post(co, decide, url.Values{"decision": {"approved"}})
		if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "done=approved") {
			t.Fatalf("approve: %d %v", status, hdr)
		}
		status, body, _ = f.do(lw, "GET", casePath, "", "", nil)
		if status != http.StatusOK || !strings.Contains(body, "Funds have paid £40.50") || !strings.Contains(body, "Kit fund: £259.50 left") {
			t.Fatalf("the case page does not show what the fund paid: %d", status)
		}
		if status, body, _ := f.do(co, "GET", "/funds", "", "", nil); status != http.StatusOK || !strings.Contains(body, "£259.50") || strings.Contains(body, "Boots and gloves") {
			t.Fatalf("the funds page does not show the balance fall: %d", status)
		}
	})
}
