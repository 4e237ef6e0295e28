package web

import (
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

func (s *Server) apiFunds(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	var p linkwork.Problems
	if err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	openOn := parseDateField(&p, "open_on", r.URL.Query().Get("open_on"))
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Funds.FindFunds(r.Context(), linkwork.FundFilter{OpenOn: openOn, Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	today := linkwork.DateOf(s.cfg.Now().In(ukTime))
	writeJSON(w, http.StatusOK, listOut[fundJSON]{Items: mapSlice(list, func(f *linkwork.Fund) fundJSON { return fundOut(f, today) }), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiCreateFund(w http.ResponseWriter, r *http.Request) {
	var in fundIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	f := &linkwork.Fund{Name: strings.TrimSpace(in.Name), Purpose: strings.TrimSpace(in.Purpose), BudgetPence: in.BudgetPence, ThresholdPence: in.ThresholdPence,
		StartsOn: parseDateField(&p, "starts_on", in.StartsOn), EndsOn: parseDateField(&p, "ends_on", in.EndsOn), MinAge: in.MinAge, MaxAge: in.MaxAge}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.svc.Funds.CreateFund(r.Context(), f); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/funds")
	writeJSON(w, http.StatusCreated, fundOut(f, linkwork.DateOf(s.cfg.Now().In(ukTime))))
}

func (s *Server) apiRequestFund(w http.ResponseWriter, r *http.Request) {
	var in fundRequestIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	req := &linkwork.FundRequest{ConnectionID: r.PathValue("id"), FundID: in.FundID, Category: in.Category, AmountPence: in.AmountPence, Note: strings.TrimSpace(in.Note)}
	if err := s.svc.Funds.RequestFund(r.Context(), req); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/fund-requests?connection_id="+req.ConnectionID)
	writeJSON(w, http.StatusCreated, fundRequestOut(req))
}

func (s *Server) apiFundRequests(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	var p linkwork.Problems
	if err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	q := r.URL.Query()
	f := linkwork.FundRequestFilter{CaseID: q.Get("case_id"), ConnectionID: q.Get("connection_id"), FundID: q.Get("fund_id"), Offset: off, Limit: lim}
	if v := q.Get("status"); v != "" {
		st := linkwork.FundRequestStatus(v)
		if !st.Valid() {
			p.Add("status", "must be requested, approved or declined")
		}
		f.Status = []linkwork.FundRequestStatus{st}
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Funds.FindFundRequests(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[fundRequestJSON]{Items: mapSlice(list, fundRequestOut), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiDecideFundRequest(w http.ResponseWriter, r *http.Request) {
	var in fundDecisionIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	got, err := s.svc.Funds.DecideFundRequest(r.Context(), r.PathValue("id"), linkwork.FundDecision{To: linkwork.FundRequestStatus(in.Decision), Reason: in.Reason})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, fundRequestOut(got))
}

func (s *Server) apiFundSpend(w http.ResponseWriter, r *http.Request) {
	sum, err := s.svc.Funds.SummariseFundSpend(r.Context(), fundsPeopleShown)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, fundSpendSummaryOut(sum))
}
