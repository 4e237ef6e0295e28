package sqlstore_test

import (
	"slices"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// fundsFixture is a case of the link worker's with a connection that is
// going ahead (contacted), and the service's activity fund for 11-18s.
type fundsFixture struct {
	funds *sqlstore.FundService
	k     *linkwork.Case
	conn  *linkwork.Connection
	fund  *linkwork.Fund
}

// thisYear is a fund's period around the worlds' clock (10 March 2026).
var (
	fundStarts = linkwork.Date{Year: 2026, Month: 1, Day: 1}
	fundEnds   = linkwork.Date{Year: 2026, Month: 12, Day: 31}
)

func newFundsFixture(t *testing.T, w *world) *fundsFixture {
	t.Helper()
	fx := &fundsFixture{funds: sqlstore.NewFundService(w.db)}
	boxing := newAsset(w.vcs, "Youth Boxing")
	if err := w.assets.CreateAsset(w.as(w.coordinator), boxing); err != nil {
		t.Fatal(err)
	}
	fx.k = w.accept(t, w.refer(t, "Eli", "Ward"), w.linkWorker)
	fx.conn = w.connectTo(t, fx.k, boxing, linkwork.ConnContacted)
	fx.fund = &linkwork.Fund{Name: "Activity fund for 11-18s", BudgetPence: 10000, ThresholdPence: 2500, StartsOn: fundStarts, EndsOn: fundEnds, MinAge: 11, MaxAge: 18}
	if err := fx.funds.CreateFund(w.as(w.coordinator), fx.fund); err != nil {
		t.Fatal(err)
	}
	return fx
}

// connectTo connects the case's person to an activity at the level refer
// and moves the connection on to status to (suggested, contacted or
// dropped).
func (w *world) connectTo(t *testing.T, k *linkwork.Case, a *linkwork.Asset, to linkwork.ConnectionStatus) *linkwork.Connection {
	t.Helper()
	ctx := w.as(w.linkWorker)
	c := &linkwork.Connection{CaseID: k.ID, AssetID: a.ID, Level: linkwork.LevelRefer}
	if err := w.connections.CreateConnection(ctx, c); err != nil {
		t.Fatal(err)
	}
	if to != linkwork.ConnSuggested {
		if to.Live() {
			// A group learns who the person is only once they agree.
			w.agreeToShare(t, k.PersonID)
		}
		var err error
		m := linkwork.ConnectionMove{To: to, Version: c.Version}
		if to == linkwork.ConnDropped {
			m.Reason = "Moved away"
		}
		if c, err = w.connections.MoveConnection(ctx, c.ID, m); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// request is a request for amount pence of fees from the fixture's fund
// towards its connection.
func (fx *fundsFixture) request(amount int) *linkwork.FundRequest {
	return &linkwork.FundRequest{FundID: fx.fund.ID, ConnectionID: fx.conn.ID, Category: linkwork.FundFees, AmountPence: amount, Note: "Ten weeks of boxing club"}
}

// fundAs reads the fixture's fund as u sees it.
func (fx *fundsFixture) fundAs(t *testing.T, w *world, u *linkwork.User) *linkwork.Fund {
	t.Helper()
	return fx.find(t, w, u, fx.fund.ID)
}

// find reads fund id as u sees it.
func (fx *fundsFixture) find(t *testing.T, w *world, u *linkwork.User, id string) *linkwork.Fund {
	t.Helper()
	list, _, err := fx.funds.FindFunds(w.as(u), linkwork.FundFilter{Limit: linkwork.MaxPageSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range list {
		if f.ID == id {
			return f
		}
	}
	t.Fatalf("%s does not see the fund", u.Name)
	return nil
}

func TestFundsAreHeldByTheServiceAndKnownToItsLinkWorkers(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		fx := newFundsFixture(t, w)
		t.Run("the coordinator adds a fund to their service, and it is audited", func(t *testing.T) {
			if fx.fund.ServiceOrgID != w.service.ID || fx.fund.CreatedBy != w.coordinator.ID || fx.fund.Balance() != 10000 {
				t.Fatalf("fund %+v", fx.fund)
			}
			if got := auditedActions(t, w, fx.fund.ID); !slices.Contains(got, "fund.create by "+w.coordinator.ID) {
				t.Fatalf("audit %v", got)
			}
		})
		t.Run("bad input names the field", func(t *testing.T) {
			bad := &linkwork.Fund{Name: "Travel", BudgetPence: 5000, ThresholdPence: 6000, StartsOn: fundStarts, EndsOn: fundEnds}
			wantField(t, fx.funds.CreateFund(w.as(w.coordinator), bad), "threshold_pence")
		})
		t.Run("who may not add a fund", func(t *testing.T) {
			for name, who := range map[string]*linkwork.User{
				"a link worker":         w.linkWorker,
				"the safeguarding lead": w.safeguarding,
				"the administrator":     w.admin,
				"the commissioner":      w.commissioner,
				"another service's coordinator, to this service": w.foreignCoord,
			} {
				t.Run(name, func(t *testing.T) {
					f := &linkwork.Fund{ServiceOrgID: w.service.ID, Name: "Kit fund", BudgetPence: 5000, StartsOn: fundStarts, EndsOn: fundEnds}
					wantCode(t, fx.funds.CreateFund(w.as(who), f), linkwork.EFORBIDDEN)
				})
			}
		})
		t.Run("who sees the service's funds", func(t *testing.T) {
			tests := map[string]struct {
				who  *linkwork.User
				sees bool
			}{
				"the coordinator":                        {w.coordinator, true},
				"the link worker, to know what is there": {w.linkWorker, true},
				"another link worker of the service":     {w.otherWorker, true},
				"another service's coordinator":          {w.foreignCoord, false},
				"the safeguarding lead":                  {w.safeguarding, false},
				"the community organisation":             {w.community, false},
				"the referrer":                           {w.referrer, false},
				"the commissioner":                       {w.commissioner, false},
				"the administrator":                      {w.admin, false},
			}
			for name, tt := range tests {
				t.Run(name, func(t *testing.T) {
					list, total, err := fx.funds.FindFunds(w.as(tt.who), linkwork.FundFilter{})
					if err != nil {
						t.Fatal(err)
					}
					if got := total == 1 && len(list) == 1 && list[0].ID == fx.fund.ID; got != tt.sees {
						t.Fatalf("sees the fund = %v (%d funds), want %v", got, total, tt.sees)
					}
				})
			}
		})
		t.Run("only funds open on a day, when asked", func(t *testing.T) {
			next := &linkwork.Fund{Name: "Next year's fund", BudgetPence: 5000, StartsOn: linkwork.Date{Year: 2027, Month: 1, Day: 1}, EndsOn: linkwork.Date{Year: 2027, Month: 12, Day: 31}}
			if err := fx.funds.CreateFund(w.as(w.coordinator), next); err != nil {
				t.Fatal(err)
			}
			all, total, err := fx.funds.FindFunds(w.as(w.linkWorker), linkwork.FundFilter{})
			if err != nil || total != 2 || all[0].ID != next.ID {
				t.Fatalf("%d funds, the one ending last not first: %v", total, err)
			}
			open, total, err := fx.funds.FindFunds(w.as(w.linkWorker), linkwork.FundFilter{OpenOn: linkwork.Date{Year: 2026, Month: 3, Day: 10}})
			if err != nil || total != 1 || open[0].ID != fx.fund.ID {
				t.Fatalf("%d funds open today: %v", total, err)
			}
		})
	})
}

func TestARequestIsPaidAtOnceUpToTheThresholdAndOtherwiseWaits(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		fx := newFundsFixture(t, w)
		lw := w.as(w.linkWorker)
		small := fx.request(2500)
		t.Run("the link worker's request at the threshold is paid at once", func(t *testing.T) {
			if err := fx.funds.RequestFund(lw, small); err != nil {
				t.Fatal(err)
			}
			if small.Status != linkwork.FundApproved || small.CaseID != fx.k.ID || small.RequestedBy != w.linkWorker.ID || small.DecidedAt.IsZero() {
				t.Fatalf("request %+v", small)
			}
			if f := fx.fundAs(t, w, w.linkWorker); f.SpentPence != 2500 || f.Balance() != 7500 || f.WaitingPence != 0 {
				t.Fatalf("fund %+v", f)
			}
			if got := auditedActions(t, w, small.ID); !slices.Contains(got, "fund_request.create by "+w.linkWorker.ID) {
				t.Fatalf("audit %v", got)
			}
		})
		t.Run("what it paid is the connection's funding", func(t *testing.T) {
			list, _, err := w.connections.FindConnections(lw, linkwork.ConnectionFilter{CaseID: fx.k.ID})
			if err != nil || len(list) != 1 || list[0].FundPence != 2500 {
				t.Fatalf("connections %v %v", list, err)
			}
			theirs, _, err := w.connections.FindConnections(w.as(w.community), linkwork.ConnectionFilter{})
			if err != nil || len(theirs) != 1 || theirs[0].FundPence != 0 {
				t.Fatalf("the activity's organisation sees what the service's funds paid: %+v %v", theirs, err)
			}
		})
		big := fx.request(4000)
		t.Run("a request above the threshold waits, and the coordinators are told", func(t *testing.T) {
			if err := fx.funds.RequestFund(lw, big); err != nil {
				t.Fatal(err)
			}
			if big.Status != linkwork.FundRequested || !big.DecidedAt.IsZero() {
				t.Fatalf("request %+v", big)
			}
			if f := fx.fundAs(t, w, w.coordinator); f.SpentPence != 2500 || f.WaitingPence != 4000 {
				t.Fatalf("fund %+v", f)
			}
			told(t, w, w.coordinator, linkwork.NoteFundRequestWaiting, "for £40.00 (fees) towards")
		})
		t.Run("the rules name the field", func(t *testing.T) {
			boxing := fx.conn.AssetID
			dropped := w.connectTo(t, fx.k, &linkwork.Asset{ID: boxing}, linkwork.ConnDropped)
			suggested := w.connectTo(t, fx.k, &linkwork.Asset{ID: boxing}, linkwork.ConnSuggested)
			later := &linkwork.Fund{Name: "Next year's fund", BudgetPence: 5000, StartsOn: linkwork.Date{Year: 2027, Month: 1, Day: 1}, EndsOn: linkwork.Date{Year: 2027, Month: 12, Day: 31}}
			adults := &linkwork.Fund{Name: "Fund for 18-25s", BudgetPence: 5000, ThresholdPence: 5000, StartsOn: fundStarts, EndsOn: fundEnds, MinAge: 18, MaxAge: 25}
			other := &linkwork.Fund{ServiceOrgID: w.otherService.ID, Name: "Eastfield fund", BudgetPence: 5000, StartsOn: fundStarts, EndsOn: fundEnds}
			for _, f := range []*linkwork.Fund{later, adults} {
				if err := fx.funds.CreateFund(w.as(w.coordinator), f); err != nil {
					t.Fatal(err)
				}
			}
			if err := fx.funds.CreateFund(w.as(w.foreignCoord), other); err != nil {
				t.Fatal(err)
			}
			tests := map[string]struct {
				change  func(r *linkwork.FundRequest)
				field   string
				message string
			}{
				"more than is left is refused, saying what is left": {func(r *linkwork.FundRequest) { r.AmountPence = 7501 }, "amount_pence", "£75.00 left"},
				"a dropped connection takes no requests":            {func(r *linkwork.FundRequest) { r.ConnectionID = dropped.ID }, "connection_id", "ended"},
				"a fund outside its period takes no requests":       {func(r *linkwork.FundRequest) { r.FundID = later.ID }, "fund_id", "opens on"},
				"a fund for other ages takes no requests":           {func(r *linkwork.FundRequest) { r.FundID = adults.ID }, "fund_id", "they are 15"},
				"another service's fund is not one to choose":       {func(r *linkwork.FundRequest) { r.FundID = other.ID }, "fund_id", ""},
				"a fund that does not exist is not one to choose":   {func(r *linkwork.FundRequest) { r.FundID = "nope" }, "fund_id", ""},
				"an unknown category":                               {func(r *linkwork.FundRequest) { r.Category = "food" }, "category", ""},
				"no amount":                                         {func(r *linkwork.FundRequest) { r.AmountPence = 0 }, "amount_pence", ""},
			}
			for name, tt := range tests {
				t.Run(name, func(t *testing.T) {
					r := fx.request(100)
					tt.change(r)
					err := fx.funds.RequestFund(lw, r)
					wantField(t, err, tt.field)
					if !strings.Contains(linkwork.ErrorFields(err)[0].Message, tt.message) {
						t.Fatalf("%q does not say %q", linkwork.ErrorFields(err)[0].Message, tt.message)
					}
				})
			}
			t.Run("a suggestion may be paid towards", func(t *testing.T) {
				r := fx.request(100)
				r.ConnectionID = suggested.ID
				if err := fx.funds.RequestFund(lw, r); err != nil || r.Status != linkwork.FundApproved {
					t.Fatalf("%+v %v", r, err)
				}
			})
			if f := fx.fundAs(t, w, w.coordinator); f.SpentPence != 2600 {
				t.Fatalf("a refused request spent: %+v", f)
			}
		})
		t.Run("who may not ask", func(t *testing.T) {
			tests := map[string]struct {
				who  *linkwork.User
				code string
			}{
				"another link worker does not see the connection":            {w.otherWorker, linkwork.ENOTFOUND},
				"another service's coordinator does not see it":              {w.foreignCoord, linkwork.ENOTFOUND},
				"the safeguarding lead sees it but does not ask":             {w.safeguarding, linkwork.EFORBIDDEN},
				"the community organisation sees its referral but not funds": {w.community, linkwork.EFORBIDDEN},
				"the commissioner does not see it":                           {w.commissioner, linkwork.ENOTFOUND},
				"the referrer does not see it":                               {w.referrer, linkwork.ENOTFOUND},
			}
			for name, tt := range tests {
				t.Run(name, func(t *testing.T) {
					wantCode(t, fx.funds.RequestFund(w.as(tt.who), fx.request(100)), tt.code)
				})
			}
			t.Run("the coordinator asks for any case of the service", func(t *testing.T) {
				if err := fx.funds.RequestFund(w.as(w.coordinator), fx.request(100)); err != nil {
					t.Fatal(err)
				}
			})
		})
		t.Run("a closed case's connections take no requests", func(t *testing.T) {
			k, err := w.cases.FindCaseByID(lw, fx.k.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.cases.CloseCase(lw, k.ID, k.Version, linkwork.CaseClosure{Reason: linkwork.ClosedGoalsMet}); err != nil {
				t.Fatal(err)
			}
			wantField(t, fx.funds.RequestFund(lw, fx.request(100)), "connection_id")
		})
	})
}
