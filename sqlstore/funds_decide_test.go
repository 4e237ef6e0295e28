package sqlstore_test

import (
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

func TestACoordinatorDecidesARequestThatWaits(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		fx := newFundsFixture(t, w)
		lw, co := w.as(w.linkWorker), w.as(w.coordinator)
		ask := func(amount int) *linkwork.FundRequest {
			t.Helper()
			r := fx.request(amount)
			if err := fx.funds.RequestFund(lw, r); err != nil {
				t.Fatal(err)
			}
			if r.Status != linkwork.FundRequested {
				t.Fatalf("a request for %d was not left waiting: %s", amount, r.Status)
			}
			return r
		}
		fees := ask(6000)
		t.Run("who may not decide", func(t *testing.T) {
			tests := map[string]struct {
				who  *linkwork.User
				code string
			}{
				"the link worker who asked sees it but does not decide": {w.linkWorker, linkwork.EFORBIDDEN},
				"another link worker does not see it":                   {w.otherWorker, linkwork.ENOTFOUND},
				"another service's coordinator does not see it":         {w.foreignCoord, linkwork.ENOTFOUND},
				"the safeguarding lead does not see it":                 {w.safeguarding, linkwork.ENOTFOUND},
				"the community organisation does not see it":            {w.community, linkwork.ENOTFOUND},
				"the commissioner does not see it":                      {w.commissioner, linkwork.ENOTFOUND},
			}
			for name, tt := range tests {
				t.Run(name, func(t *testing.T) {
					_, err := fx.funds.DecideFundRequest(w.as(tt.who), fees.ID, linkwork.FundDecision{To: linkwork.FundApproved})
					wantCode(t, err, tt.code)
				})
			}
		})
		t.Run("a decline needs a reason", func(t *testing.T) {
			_, err := fx.funds.DecideFundRequest(co, fees.ID, linkwork.FundDecision{To: linkwork.FundDeclined})
			wantField(t, err, "reason")
		})
		t.Run("the coordinator approves it, and the fund pays", func(t *testing.T) {
			got, err := fx.funds.DecideFundRequest(co, fees.ID, linkwork.FundDecision{To: linkwork.FundApproved})
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != linkwork.FundApproved || got.DecidedBy != w.coordinator.ID || got.DecidedByName != w.coordinator.Name || got.PersonName == "" {
				t.Fatalf("decided %+v", got)
			}
			if f := fx.fundAs(t, w, w.coordinator); f.SpentPence != 6000 || f.WaitingPence != 0 || f.Balance() != 4000 {
				t.Fatalf("fund %+v", f)
			}
			list, _, err := w.connections.FindConnections(lw, linkwork.ConnectionFilter{CaseID: fx.k.ID})
			if err != nil || list[0].FundPence != 6000 {
				t.Fatalf("the connection's funding: %v %v", list, err)
			}
			if got := auditedActions(t, w, fees.ID); !slices.Contains(got, "fund_request.decide by "+w.coordinator.ID) {
				t.Fatalf("audit %v", got)
			}
			told(t, w, w.linkWorker, linkwork.NoteFundRequestDecided, "Approved: £60.00")
		})
		t.Run("a request is decided once", func(t *testing.T) {
			_, err := fx.funds.DecideFundRequest(co, fees.ID, linkwork.FundDecision{To: linkwork.FundDeclined, Reason: "Changed my mind"})
			wantCode(t, err, linkwork.ECONFLICT)
		})
		t.Run("approval that would overspend is refused, saying what is left, and the request still waits", func(t *testing.T) {
			kit := ask(3000)
			travel := ask(3000)
			if _, err := fx.funds.DecideFundRequest(co, kit.ID, linkwork.FundDecision{To: linkwork.FundApproved}); err != nil {
				t.Fatal(err)
			}
			_, err := fx.funds.DecideFundRequest(co, travel.ID, linkwork.FundDecision{To: linkwork.FundApproved})
			wantField(t, err, "amount_pence")
			if msg := linkwork.ErrorFields(err)[0].Message; !strings.Contains(msg, "£10.00 left") {
				t.Fatalf("message %q", msg)
			}
			waiting, _, err := fx.funds.FindFundRequests(co, linkwork.FundRequestFilter{Status: []linkwork.FundRequestStatus{linkwork.FundRequested}})
			if err != nil || len(waiting) != 1 || waiting[0].ID != travel.ID {
				t.Fatalf("waiting %v %v", waiting, err)
			}
			t.Run("and is declined with the reason, which the link worker is told", func(t *testing.T) {
				got, err := fx.funds.DecideFundRequest(co, travel.ID, linkwork.FundDecision{To: linkwork.FundDeclined, Reason: "The fund is nearly spent: try the bus pass scheme"})
				if err != nil || got.Status != linkwork.FundDeclined || got.Reason == "" {
					t.Fatalf("%+v %v", got, err)
				}
				told(t, w, w.linkWorker, linkwork.NoteFundRequestDecided, "try the bus pass scheme")
			})
			if f := fx.fundAs(t, w, w.coordinator); f.SpentPence != 9000 || f.WaitingPence != 0 {
				t.Fatalf("fund %+v", f)
			}
		})
		t.Run("a request for a connection that has since ended is not paid", func(t *testing.T) {
			everything := &linkwork.Fund{Name: "Decided fund", BudgetPence: 5000, StartsOn: fundStarts, EndsOn: fundEnds}
			if err := fx.funds.CreateFund(co, everything); err != nil {
				t.Fatal(err)
			}
			c := w.connectTo(t, fx.k, &linkwork.Asset{ID: fx.conn.AssetID}, linkwork.ConnContacted)
			r := &linkwork.FundRequest{FundID: everything.ID, ConnectionID: c.ID, Category: linkwork.FundTravel, AmountPence: 800, Note: "Bus fares"}
			if err := fx.funds.RequestFund(lw, r); err != nil || r.Status != linkwork.FundRequested {
				t.Fatalf("with no threshold, a request waits: %+v %v", r, err)
			}
			if _, err := w.connections.MoveConnection(lw, c.ID, linkwork.ConnectionMove{To: linkwork.ConnDropped, Reason: "Lost interest", Version: c.Version}); err != nil {
				t.Fatal(err)
			}
			_, err := fx.funds.DecideFundRequest(co, r.ID, linkwork.FundDecision{To: linkwork.FundApproved})
			wantField(t, err, "connection_id")
		})
	})
}

func TestWhoSeesRequestsAndTheSpendAndThatReadingThemIsAudited(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		fx := newFundsFixture(t, w)
		lw := w.as(w.linkWorker)
		for _, r := range []*linkwork.FundRequest{
			{FundID: fx.fund.ID, ConnectionID: fx.conn.ID, Category: linkwork.FundFees, AmountPence: 2000, Note: "Boxing club fees"},
			{FundID: fx.fund.ID, ConnectionID: fx.conn.ID, Category: linkwork.FundTravel, AmountPence: 500, Note: "Bus fares"},
			{FundID: fx.fund.ID, ConnectionID: fx.conn.ID, Category: linkwork.FundKit, AmountPence: 1500, Note: "Gloves and wraps"},
			{FundID: fx.fund.ID, ConnectionID: fx.conn.ID, Category: linkwork.FundKit, AmountPence: 4000, Note: "Boots, waiting"},
		} {
			if err := fx.funds.RequestFund(lw, r); err != nil {
				t.Fatal(err)
			}
		}
		t.Run("who sees the requests", func(t *testing.T) {
			tests := map[string]struct {
				who  *linkwork.User
				sees int
			}{
				"the link worker sees their own case's":   {w.linkWorker, 4},
				"the coordinator sees the service's":      {w.coordinator, 4},
				"another link worker sees none":           {w.otherWorker, 0},
				"another service's coordinator sees none": {w.foreignCoord, 0},
				"the safeguarding lead sees none":         {w.safeguarding, 0},
				"the community organisation sees none":    {w.community, 0},
				"the commissioner sees none":              {w.commissioner, 0},
				"the referrer sees none":                  {w.referrer, 0},
			}
			for name, tt := range tests {
				t.Run(name, func(t *testing.T) {
					list, total, err := fx.funds.FindFundRequests(w.as(tt.who), linkwork.FundRequestFilter{CaseID: fx.k.ID})
					if err != nil || total != tt.sees || len(list) != tt.sees {
						t.Fatalf("%d requests (%d listed), want %d: %v", total, len(list), tt.sees, err)
					}
				})
			}
		})
		t.Run("a request reads with the names of its fund, person and activity, and the read is audited", func(t *testing.T) {
			list, _, err := fx.funds.FindFundRequests(lw, linkwork.FundRequestFilter{ConnectionID: fx.conn.ID, Status: []linkwork.FundRequestStatus{linkwork.FundRequested}})
			if err != nil || len(list) != 1 {
				t.Fatalf("%v %v", list, err)
			}
			r := list[0]
			if r.FundName != fx.fund.Name || r.PersonName == "" || r.AssetName != "Youth Boxing" || r.RequestedByName != w.linkWorker.Name || r.PersonID != fx.k.PersonID {
				t.Fatalf("request %+v", r)
			}
			listed(t, w, w.linkWorker, "fund_request", "fund_request.list", r.ID)
		})
		t.Run("the spend totals approved requests by category and by person", func(t *testing.T) {
			sum, err := fx.funds.SummariseFundSpend(w.as(w.coordinator), 10)
			if err != nil {
				t.Fatal(err)
			}
			if sum.TotalPence != 4000 || sum.Count != 3 {
				t.Fatalf("total %+v", sum)
			}
			want := []linkwork.FundSpend{{Key: "fees", Label: "Fees", Pence: 2000, Count: 1}, {Key: "kit", Label: "Kit", Pence: 1500, Count: 1}, {Key: "travel", Label: "Travel", Pence: 500, Count: 1}}
			if !slices.Equal(sum.ByCategory, want) {
				t.Fatalf("by category %+v", sum.ByCategory)
			}
			if len(sum.ByPerson) != 1 || sum.ByPerson[0].Key != fx.k.PersonID || sum.ByPerson[0].Pence != 4000 || sum.ByPerson[0].Label == "" {
				t.Fatalf("by person %+v", sum.ByPerson)
			}
			listed(t, w, w.coordinator, "person", "person.fund_spend", fx.k.PersonID)
		})
		t.Run("those who see no requests see no spend", func(t *testing.T) {
			for _, who := range []*linkwork.User{w.otherWorker, w.foreignCoord, w.commissioner, w.community} {
				sum, err := fx.funds.SummariseFundSpend(w.as(who), 10)
				if err != nil || sum.TotalPence != 0 || len(sum.ByPerson) != 0 {
					t.Fatalf("%s sees spend %+v %v", who.Name, sum, err)
				}
			}
		})
	})
}

// listed fails unless u's latest audit event about records of the type
// is the action, naming id among the records read.
func listed(t *testing.T, w *world, u *linkwork.User, recordType, action, id string) {
	t.Helper()
	events, _, err := w.audit.FindAuditEvents(w.as(w.admin), linkwork.AuditFilter{ActorID: u.ID, RecordType: recordType, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Action != action || !strings.Contains(events[0].Detail, id) {
		t.Fatalf("the read is not audited as %s naming %s: %+v", action, id, events)
	}
}

// told fails unless u has a notification of the kind whose subject or
// body says what.
func told(t *testing.T, w *world, u *linkwork.User, kind linkwork.NotificationKind, what string) {
	t.Helper()
	notes, _, _, err := sqlstore.NewNotificationService(w.db).FindNotifications(w.as(u), false, 0, 50)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range notes {
		if n.Kind == kind && strings.Contains(n.Subject+" "+n.Body, what) {
			return
		}
	}
	t.Fatalf("%s was not told %q: %d notifications", u.Name, what, len(notes))
}
