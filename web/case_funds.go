package web

import (
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// caseFunds is what the case page's connections show of the service's
// funds: the requests made towards them, and, for those who may ask, the
// funds open today to ask.
type caseFunds struct {
	// CanAsk: the reader may ask a fund to pay towards this case's
	// connections, as the policy decides, and the case is open.
	CanAsk   bool
	funds    []*linkwork.Fund
	requests []*linkwork.FundRequest
}

// loadCaseFunds fills the case page's funds: the requests towards its
// connections, and the funds open today for those who may ask.
func (s *Server) loadCaseFunds(r *http.Request, p *casePage) error {
	if len(p.Connections) == 0 || s.svc.Funds == nil {
		return nil
	}
	ctx := r.Context()
	a := &p.Conn.Funds
	a.CanAsk = p.Case.Status != linkwork.CaseClosed &&
		auth.Can(currentUser(r).Actor(), auth.ActionCreate, auth.Record{Kind: auth.KindFundRequest, ServiceOrgID: p.Case.ServiceOrgID, LinkWorkerID: p.Case.LinkWorkerID})
	var err error
	if a.requests, _, err = s.svc.Funds.FindFundRequests(ctx, linkwork.FundRequestFilter{CaseID: p.Case.ID, Limit: linkwork.MaxPageSize}); err != nil {
		return err
	}
	if a.CanAsk {
		a.funds, _, err = s.svc.Funds.FindFunds(ctx, linkwork.FundFilter{OpenOn: p.Today, Limit: linkwork.MaxPageSize})
	}
	return err
}

// connectionFunding is one connection's part of the funds: what funds
// have paid towards it, the requests made, and the form that asks a
// fund to pay (nil when the reader may not ask, the connection has
// ended, or no fund is open).
type connectionFunding struct {
	Paid     int
	Requests []*linkwork.FundRequest
	Form     *fundRequestForm
}

// fundRequestForm asks a fund to pay towards one connection, and, when
// it came back with problems, shows what was sent and what is wrong.
type fundRequestForm struct {
	ID, Action                      string
	Funds, Categories               []option
	Fund, Category, Amount, Note    string
	FundErr, CategoryErr, AmountErr string
	NoteErr                         string
}

// Funding is connection c's part of the funds.
func (a caseConnectionsArea) Funding(c *linkwork.Connection) connectionFunding {
	out := connectionFunding{Paid: c.FundPence}
	for _, r := range a.Funds.requests {
		if r.ConnectionID == c.ID {
			out.Requests = append(out.Requests, r)
		}
	}
	if !a.Funds.CanAsk || c.Status.Ended() || len(a.Funds.funds) == 0 {
		return out
	}
	f := &fundRequestForm{ID: c.ID, Action: "/cases/" + c.CaseID + "/connections/" + c.ID + "/fund-requests"}
	for _, fund := range a.Funds.funds {
		f.Funds = append(f.Funds, option{Value: fund.ID, Label: fund.Name + ": " + linkwork.Pounds(fund.Balance()) + " left, pays up to " + linkwork.Pounds(fund.ThresholdPence) + " at once"})
	}
	for _, cat := range linkwork.FundCategories {
		f.Categories = append(f.Categories, option{Value: string(cat), Label: cat.Label()})
	}
	if a.FormConn == c.ID {
		f.Fund, f.Category, f.Amount, f.Note = a.Form["fund_id"], a.Form["fund_category"], a.Form["fund_amount"], a.Form["fund_note"]
		for _, e := range a.errs {
			switch e.Field {
			case "fund_id-" + c.ID:
				f.FundErr = e.Message
			case "fund_category-" + c.ID:
				f.CategoryErr = e.Message
			case "fund_amount-" + c.ID:
				f.AmountErr = e.Message
			case "fund_note-" + c.ID:
				f.NoteErr = e.Message
			}
		}
	}
	out.Form = f
	return out
}

// Open reports whether the form should show open: it came back with a
// problem.
func (f *fundRequestForm) Open() bool {
	return f.FundErr != "" || f.CategoryErr != "" || f.AmountErr != "" || f.NoteErr != ""
}

func (s *Server) fundRequestSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("conn")
	names := map[string]string{"fund_id": "fund_id-" + id, "category": "fund_category-" + id, "amount_pence": "fund_amount-" + id, "note": "fund_note-" + id}
	req := &linkwork.FundRequest{ConnectionID: id, FundID: r.PostFormValue("fund_id"), Category: linkwork.FundCategory(r.PostFormValue("fund_category")),
		Note: strings.TrimSpace(r.PostFormValue("fund_note"))}
	amount, ok := parsePounds(r.PostFormValue("fund_amount"))
	if strings.TrimSpace(r.PostFormValue("fund_amount")) != "" && !ok {
		s.connProblem(w, r, linkwork.FieldErr("amount_pence", "Enter the amount in pounds, like 12.50"), names, "fund_id-"+id, id)
		return
	}
	req.AmountPence = amount
	if err := s.svc.Funds.RequestFund(r.Context(), req); err != nil {
		s.connProblem(w, r, err, names, "fund_id-"+id, id)
		return
	}
	done := "fund-paid"
	if req.Status == linkwork.FundRequested {
		done = "fund-asked"
	}
	http.Redirect(w, r, "/cases/"+r.PathValue("id")+"?done="+done+"#connection-"+id, http.StatusSeeOther)
}
