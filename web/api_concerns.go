package web

import (
	"net/http"

	linkwork "github.com/linkwork/linkwork"
)

func (s *Server) apiRaiseCaseConcern(w http.ResponseWriter, r *http.Request) {
	s.apiRaiseConcern(w, r, &linkwork.Concern{CaseID: r.PathValue("id")})
}

func (s *Server) apiRaiseReferralConcern(w http.ResponseWriter, r *http.Request) {
	s.apiRaiseConcern(w, r, &linkwork.Concern{ReferralID: r.PathValue("id")})
}

// apiRaiseConcern raises c, on the case or referral it names, with what
// the body says.
func (s *Server) apiRaiseConcern(w http.ResponseWriter, r *http.Request, c *linkwork.Concern) {
	var in concernIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c.Category, c.Description, c.ImmediateAction, c.SafeNow = in.Category, in.Description, in.ImmediateAction, in.SafeNow
	if err := s.svc.Concerns.RaiseConcern(r.Context(), c); err != nil {
		s.fail(w, r, true, err)
		return
	}
	got, err := s.svc.Concerns.FindConcern(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/concerns/"+c.ID)
	writeJSON(w, http.StatusCreated, concernOut(got))
}

func (s *Server) apiConcerns(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	var p linkwork.Problems
	if err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	q := r.URL.Query()
	f := linkwork.ConcernFilter{ReferralID: q.Get("referral_id"), Offset: off, Limit: lim}
	switch st := linkwork.ConcernStatus(q.Get("status")); st {
	case "", linkwork.ConcernOpen, linkwork.ConcernClosed:
		f.Status = st
	default:
		p.Add("status", "must be open or closed")
	}
	p.Text("referral_id", f.ReferralID, linkwork.MaxIDLength)
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Concerns.FindConcerns(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[concernJSON]{Items: mapSlice(list, concernOut), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiConcern(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Concerns.FindConcern(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, concernOut(c))
}

func (s *Server) apiConcernAction(w http.ResponseWriter, r *http.Request) {
	var in concernActionIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	a := &linkwork.ConcernAction{Action: in.Action, On: parseDateField(&p, "on", in.On), Reason: in.Reason, Note: in.Note}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	id := r.PathValue("id")
	if err := s.svc.Concerns.RecordConcernAction(r.Context(), id, a); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/concerns/"+id)
	writeJSON(w, http.StatusCreated, concernActionOut(a))
}

func (s *Server) apiCloseConcern(w http.ResponseWriter, r *http.Request) {
	var in concernCloseIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c, err := s.svc.Concerns.CloseConcern(r.Context(), r.PathValue("id"), in.Version, in.Outcome)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, concernOut(c))
}

func (s *Server) apiSafetyPlan(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.Concerns.FindSafetyPlan(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, safetyPlanOut(p))
}

func (s *Server) apiSaveSafetyPlan(w http.ResponseWriter, r *http.Request) {
	var in safetyPlanIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	p := &linkwork.SafetyPlan{CaseID: r.PathValue("id"), WarningSigns: in.WarningSigns, WhatHelps: in.WhatHelps, WhoToContact: in.WhoToContact,
		CrisisNumbers: in.CrisisNumbers, Version: in.Version}
	if err := s.svc.Concerns.SaveSafetyPlan(r.Context(), p); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, safetyPlanOut(p))
}
