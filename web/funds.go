package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// fundsPageSize is how many funds the funds page lists a page, and
// fundsWaitingShown how many requests waiting for a decision it shows.
const (
	fundsPageSize     = 25
	fundsWaitingShown = 50
	fundsPeopleShown  = 20
)

// routesFunds registers the funds page, its forms, the case page's form
// that asks a fund to pay, and their API routes.
func (s *Server) routesFunds() {
	s.handle("GET", "/funds", may(auth.ReadFunds), s.fundsPage)
	s.handle("POST", "/funds", may(auth.CreateFunds), s.fundCreateSubmit)
	s.handle("POST", "/funds/requests/{id}/decision", may(auth.DecideFundRequests), s.fundDecisionSubmit)
	s.handle("POST", "/cases/{id}/connections/{conn}/fund-requests", may(auth.RequestFunds), s.fundRequestSubmit)
	s.handle("GET", "/api/v1/funds", may(auth.ReadFunds), s.apiFunds)
	s.handle("POST", "/api/v1/funds", may(auth.CreateFunds), s.idempotent(s.apiCreateFund))
	s.handle("POST", "/api/v1/connections/{id}/fund-requests", may(auth.RequestFunds), s.idempotent(s.apiRequestFund))
	s.handle("GET", "/api/v1/fund-requests", may(auth.ReadFundRequests), s.apiFundRequests)
	s.handle("POST", "/api/v1/fund-requests/{id}/decision", may(auth.DecideFundRequests), s.apiDecideFundRequest)
	s.handle("GET", "/api/v1/fund-spend", may(auth.ReadFundRequests), s.apiFundSpend)
}

// fundsPage is the service's funds: what each holds, has spent and has
// left; the requests waiting for a coordinator's decision; the spend by
// category and by person; and, for coordinators, the form that adds a
// fund. A link worker sees the funds, and the requests and spend of
// their own cases.
type fundsPage struct {
	Layout
	Today linkwork.Date
	Funds []*linkwork.Fund
	Pager pager
	// Waiting are the requests waiting for a decision (at most
	// fundsWaitingShown of WaitingTotal).
	Waiting      []*linkwork.FundRequest
	WaitingTotal int
	Spend        *linkwork.FundSpendSummary
	// CanCreate and CanDecide: what the reader may do, as the policy
	// decides.
	CanCreate, CanDecide bool
	// Form is what the add form sent back with problems; DecisionFor the
	// request whose decision came back with them.
	Form        map[string]string
	DecisionFor string
}

// V is the value the add form sent, for showing it again.
func (p *fundsPage) V(name string) string { return p.Form[name] }

// Date is the date input name as the add form sent it.
func (p *fundsPage) Date(name, label string) fieldData {
	f := newField(p, name, label, []string{p.Form[name+"-day"], p.Form[name+"-month"], p.Form[name+"-year"]})
	return f.WithHint("For example, 1 4 2026")
}

// Reason is the decline reason sent back for request id.
func (p *fundsPage) Reason(id string) string {
	if p.DecisionFor != id {
		return ""
	}
	return p.Form["reason"]
}

// More is how many more requests wait than are shown.
func (p *fundsPage) More() int { return p.WaitingTotal - len(p.Waiting) }

func init() {
	caseNotices["fund-paid"] = "The fund has paid: it is recorded against the fund and shown on the connection"
	caseNotices["fund-asked"] = "Request sent: it is more than the fund pays at once, so a coordinator will decide"
}

var fundsNotices = map[string]string{
	"fund-added": "Fund added: link workers can now ask it to pay",
	"approved":   "Approved: the fund has paid, and the link worker has been told",
	"declined":   "Declined: the link worker has been told why",
}

func (s *Server) fundsPage(w http.ResponseWriter, r *http.Request) {
	p := &fundsPage{Layout: Layout{Notice: fundsNotices[r.URL.Query().Get("done")]}}
	s.showFunds(w, r, http.StatusOK, p)
}

// showFunds loads what the funds page shows and renders it, with the
// state of a form that came back with problems.
func (s *Server) showFunds(w http.ResponseWriter, r *http.Request, status int, p *fundsPage) {
	ctx := r.Context()
	u := currentUser(r)
	p.Title = "Funds"
	p.Today = linkwork.DateOf(s.cfg.Now().In(ukTime))
	p.CanCreate = auth.Can(u.Actor(), auth.ActionCreate, auth.Record{Kind: auth.KindFund, ServiceOrgID: u.OrgID})
	p.CanDecide = auth.Can(u.Actor(), auth.ActionDecide, auth.Record{Kind: auth.KindFundRequest, ServiceOrgID: u.OrgID})
	page := pageNumber(r.URL.Query().Get("page"))
	err := s.batch(ctx, func(ctx context.Context) error {
		funds, total, err := s.svc.Funds.FindFunds(ctx, linkwork.FundFilter{Offset: (page - 1) * fundsPageSize, Limit: fundsPageSize})
		if err != nil {
			return err
		}
		p.Funds = funds
		p.Pager = newPager(page, fundsPageSize, total, func(n int) string { return "/funds?page=" + strconv.Itoa(n) })
		if p.Waiting, p.WaitingTotal, err = s.svc.Funds.FindFundRequests(ctx, linkwork.FundRequestFilter{Status: []linkwork.FundRequestStatus{linkwork.FundRequested}, Limit: fundsWaitingShown}); err != nil {
			return err
		}
		p.Spend, err = s.svc.Funds.SummariseFundSpend(ctx, fundsPeopleShown)
		return err
	})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, status, "funds", p)
}

// fundFieldNames are the add form's fields by the store's names, and by
// their own (for what the form could not read).
var fundFieldNames = map[string]string{"name": "name", "purpose": "purpose", "budget_pence": "budget", "threshold_pence": "threshold",
	"starts_on": "starts", "ends_on": "ends", "min_age": "min_age", "max_age": "max_age",
	"budget": "budget", "threshold": "threshold", "starts": "starts", "ends": "ends"}

// postedFund reads the add form: amounts in pounds, the period as two
// date inputs, ages as whole numbers (blank for no limit). What cannot be
// read is a problem named after the form's field.
func postedFund(r *http.Request) (*linkwork.Fund, linkwork.Problems) {
	var p linkwork.Problems
	f := &linkwork.Fund{Name: strings.TrimSpace(r.PostFormValue("name")), Purpose: strings.TrimSpace(r.PostFormValue("purpose"))}
	pounds := func(field, what string, dst *int) {
		v := strings.TrimSpace(r.PostFormValue(field))
		if v == "" {
			return
		}
		n, ok := parsePounds(v)
		if !ok {
			p.Add(field, "Enter "+what+" in pounds, like 2000 or 12.50")
			return
		}
		*dst = n
	}
	pounds("budget", "the budget", &f.BudgetPence)
	pounds("threshold", "the amount paid at once", &f.ThresholdPence)
	for _, d := range []struct {
		field, what string
		dst         *linkwork.Date
	}{{"starts", "The first day", &f.StartsOn}, {"ends", "The last day", &f.EndsOn}} {
		v, msg := parseDateParts(dateParts(r, d.field), d.what)
		if msg != "" {
			p.Add(d.field, msg)
		}
		*d.dst = v
	}
	for _, a := range []struct {
		field string
		dst   *int
	}{{"min_age", &f.MinAge}, {"max_age", &f.MaxAge}} {
		v := strings.TrimSpace(r.PostFormValue(a.field))
		if v == "" {
			continue
		}
		n, err := parseInt(v)
		if err != nil {
			p.Add(a.field, "Enter an age in whole years, like 11, or leave it blank")
			continue
		}
		*a.dst = n
	}
	return f, p
}

// postedForm is what a form sent, for showing it again.
func postedForm(r *http.Request) map[string]string {
	form := map[string]string{}
	for k, v := range r.PostForm {
		if len(v) > 0 {
			form[k] = v[0]
		}
	}
	return form
}

func (s *Server) fundCreateSubmit(w http.ResponseWriter, r *http.Request) {
	f, problems := postedFund(r)
	err := problems.Err()
	if err == nil {
		err = s.svc.Funds.CreateFund(r.Context(), f)
	}
	if err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		p := &fundsPage{Layout: Layout{Errors: renamedErrors(err, fundFieldNames, "name")}, Form: postedForm(r)}
		s.showFunds(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/funds?done=fund-added#fund-"+f.ID, http.StatusSeeOther)
}

func (s *Server) fundDecisionSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	d := linkwork.FundDecision{To: linkwork.FundRequestStatus(r.PostFormValue("decision")), Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	if _, err := s.svc.Funds.DecideFundRequest(r.Context(), id, d); err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		errs := renamedErrors(err, map[string]string{"reason": "reason-" + id}, "decision-"+id)
		p := &fundsPage{Layout: Layout{Errors: errs}, Form: postedForm(r), DecisionFor: id}
		s.showFunds(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/funds?done="+string(d.To)+"#waiting", http.StatusSeeOther)
}

// fundTag is the tag colour of a request's status.
func fundTag(s linkwork.FundRequestStatus) string {
	switch s {
	case linkwork.FundApproved:
		return "govuk-tag--green"
	case linkwork.FundDeclined:
		return "govuk-tag--grey"
	}
	return "govuk-tag--yellow"
}
