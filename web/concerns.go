package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// concernsPageSize is how many concerns the lead's list shows a page.
const concernsPageSize = 25

// routesConcerns registers the safeguarding pages (raising a concern from
// a case or a referral, the lead's list, a concern's page and its forms,
// a case's safety plan) and their API routes.
func (s *Server) routesConcerns() {
	s.handle("GET", "/cases/{id}/concerns/new", may(auth.RaiseConcerns), s.caseConcernNewPage)
	s.handle("POST", "/cases/{id}/concerns", may(auth.RaiseConcerns), s.caseConcernSubmit)
	s.handle("GET", "/referrals/{id}/concerns/new", may(auth.RaiseReferralConcerns), s.referralConcernNewPage)
	s.handle("POST", "/referrals/{id}/concerns", may(auth.RaiseReferralConcerns), s.referralConcernSubmit)
	s.handle("GET", "/concerns", may(auth.ReadConcerns), s.concernsPage)
	s.handle("GET", "/concerns/{id}", may(auth.ReadConcerns), s.concernPage)
	s.handle("POST", "/concerns/{id}/actions", may(auth.ActOnConcerns), s.concernActionSubmit)
	s.handle("POST", "/concerns/{id}/close", may(auth.CloseConcerns), s.concernCloseSubmit)
	s.handle("GET", "/cases/{id}/safety-plan", may(auth.ReadCases), s.safetyPlanPage)
	s.handle("POST", "/cases/{id}/safety-plan", may(auth.WorkCases), s.safetyPlanSubmit)
	s.handle("GET", "/cases/{id}/safety-plan/print", may(auth.ReadCases), s.safetyPlanPrintPage)

	s.handle("POST", "/api/v1/cases/{id}/concerns", may(auth.RaiseConcerns), s.idempotent(s.apiRaiseCaseConcern))
	s.handle("POST", "/api/v1/referrals/{id}/concerns", may(auth.RaiseReferralConcerns), s.idempotent(s.apiRaiseReferralConcern))
	s.handle("GET", "/api/v1/concerns", may(auth.ReadConcerns), s.apiConcerns)
	s.handle("GET", "/api/v1/concerns/{id}", may(auth.ReadConcerns), s.apiConcern)
	s.handle("POST", "/api/v1/concerns/{id}/actions", may(auth.ActOnConcerns), s.idempotent(s.apiConcernAction))
	s.handle("POST", "/api/v1/concerns/{id}/close", may(auth.CloseConcerns), s.apiCloseConcern)
	s.handle("GET", "/api/v1/cases/{id}/safety-plan", may(auth.ReadCases), s.apiSafetyPlan)
	s.handle("PUT", "/api/v1/cases/{id}/safety-plan", may(auth.WorkCases), s.apiSaveSafetyPlan)
}

func init() {
	caseNotices["concern-raised"] = "Concern raised: the safeguarding lead has been told"
	caseNotices["safety-plan"] = "Safety plan saved"
}

// mayReadConcerns reports whether the reader sees any concerns at all,
// so that pages ask about them only for those who may see them.
func mayReadConcerns(u *linkwork.User) bool {
	return u != nil && !auth.ScopeFor(u.Actor(), auth.KindConcern).None()
}

// concernFlags says which of the referrals (and so their cases) have an
// open concern the reader may see: one query for a whole list.
func (s *Server) concernFlags(ctx context.Context, u *linkwork.User, referralIDs []string) (map[string]bool, error) {
	if s.svc.Concerns == nil || !mayReadConcerns(u) || len(referralIDs) == 0 {
		return map[string]bool{}, nil
	}
	return s.svc.Concerns.OpenConcernFlags(ctx, referralIDs)
}

// safeguardingArea is what a case's or a referral's page shows of
// safeguarding: its concerns the reader may see, whether they may raise
// one, and (on a case) the safety plan.
type safeguardingArea struct {
	Concerns  []*linkwork.Concern
	CanRaise  bool
	RaiseHref string
	// On a case only.
	OnCase      bool
	CaseID      string
	SafetyPlan  *linkwork.SafetyPlan
	CanEditPlan bool
}

// OpenConcerns counts the open concerns shown.
func (a safeguardingArea) OpenConcerns() int {
	n := 0
	for _, c := range a.Concerns {
		if c.Open() {
			n++
		}
	}
	return n
}

// loadSafeguarding fills the area for a referral's page or a case's.
func (s *Server) loadSafeguarding(ctx context.Context, u *linkwork.User, referralID string, raise auth.Record, raiseHref string) (safeguardingArea, error) {
	a := safeguardingArea{CanRaise: auth.Can(u.Actor(), auth.ActionRaiseConcern, raise), RaiseHref: raiseHref}
	if mayReadConcerns(u) && s.svc.Concerns != nil {
		var err error
		if a.Concerns, _, err = s.svc.Concerns.FindConcerns(ctx, linkwork.ConcernFilter{ReferralID: referralID, Limit: concernsPageSize}); err != nil {
			return a, err
		}
	}
	return a, nil
}

// loadCaseSafeguarding fills the case page's safeguarding area.
func (s *Server) loadCaseSafeguarding(r *http.Request, p *casePage) error {
	u, c := currentUser(r), p.Case
	a, err := s.loadSafeguarding(r.Context(), u, c.ReferralID, auth.Record{Kind: auth.KindCase, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID}, "/cases/"+c.ID+"/concerns/new")
	if err != nil {
		return err
	}
	a.OnCase, a.CaseID, a.CanEditPlan = true, c.ID, p.CanUpdate
	if a.SafetyPlan, err = s.svc.Concerns.FindSafetyPlan(r.Context(), c.ID); err != nil {
		return err
	}
	p.Safeguarding = a
	return nil
}

// sameNames maps each field to itself: forms whose fields are named as
// the store names them.
func sameNames(fields ...string) map[string]string {
	m := map[string]string{}
	for _, f := range fields {
		m[f] = f
	}
	return m
}

// The forms' fields, named as the store names them.
var (
	concernFields       = sameNames("category", "description", "immediate_action", "safe_now")
	concernActionFields = sameNames("action", "on", "reason", "note")
	safetyPlanFields    = sameNames("warning_signs", "what_helps", "who_to_contact", "crisis_numbers")
)

// concernForm is the page that raises a concern, on a case or a
// referral: phone first, one question after another down the page.
type concernForm struct {
	Layout
	PersonName string
	Action     string // where the form posts
	Back       string
	Form       map[string]string
}

// V is the value the form sent, for showing it again.
func (p *concernForm) V(name string) string { return p.Form[name] }

// Categories and SafeNow are the form's choices.
func (p *concernForm) Categories() []option {
	var out []option
	for _, c := range linkwork.ConcernCategories {
		out = append(out, option{Value: string(c), Label: c.Label()})
	}
	return out
}

func (p *concernForm) SafeNow() []option {
	var out []option
	for _, a := range linkwork.Answers {
		out = append(out, option{Value: string(a), Label: a.Label()})
	}
	return out
}

func (s *Server) caseConcernNewPage(w http.ResponseWriter, r *http.Request) {
	s.showCaseConcernForm(w, r, http.StatusOK, &concernForm{})
}

func (s *Server) showCaseConcernForm(w http.ResponseWriter, r *http.Request, status int, p *concernForm) {
	c, err := s.svc.Cases.FindCaseByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if !auth.Can(currentUser(r).Actor(), auth.ActionRaiseConcern, auth.Record{Kind: auth.KindCase, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID}) {
		s.fail(w, r, false, linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this case but not raise a concern on it: tell its link worker or the safeguarding lead"))
		return
	}
	p.Title, p.PersonName, p.Action, p.Back = "Raise a safeguarding concern", c.PersonName, "/cases/"+c.ID+"/concerns", "/cases/"+c.ID
	s.render(w, r, status, "concern_new", p)
}

func (s *Server) referralConcernNewPage(w http.ResponseWriter, r *http.Request) {
	s.showReferralConcernForm(w, r, http.StatusOK, &concernForm{})
}

func (s *Server) showReferralConcernForm(w http.ResponseWriter, r *http.Request, status int, p *concernForm) {
	ref, err := s.svc.Referrals.FindReferralByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if !auth.Can(currentUser(r).Actor(), auth.ActionRaiseConcern, auth.Record{Kind: auth.KindReferral, ServiceOrgID: ref.ServiceOrgID}) {
		s.fail(w, r, false, linkwork.Errorf(linkwork.EFORBIDDEN, "You can see this referral but not raise a concern on it: tell the service"))
		return
	}
	p.Title, p.PersonName, p.Action, p.Back = "Raise a safeguarding concern", ref.PersonName, "/referrals/"+ref.ID+"/concerns", "/referrals/"+ref.ID
	s.render(w, r, status, "concern_new", p)
}

// postedConcern reads the concern form.
func postedConcern(r *http.Request) *linkwork.Concern {
	return &linkwork.Concern{Category: linkwork.ConcernCategory(r.PostFormValue("category")), Description: r.PostFormValue("description"),
		ImmediateAction: r.PostFormValue("immediate_action"), SafeNow: linkwork.Answer(r.PostFormValue("safe_now"))}
}

func (s *Server) caseConcernSubmit(w http.ResponseWriter, r *http.Request) {
	c := postedConcern(r)
	c.CaseID = r.PathValue("id")
	if err := s.svc.Concerns.RaiseConcern(r.Context(), c); err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		s.showCaseConcernForm(w, r, ErrorStatus(err), &concernForm{Layout: Layout{Errors: renamedErrors(err, concernFields, "category")}, Form: postedForm(r)})
		return
	}
	http.Redirect(w, r, "/cases/"+c.CaseID+"?done=concern-raised#safeguarding", http.StatusSeeOther)
}

func (s *Server) referralConcernSubmit(w http.ResponseWriter, r *http.Request) {
	c := postedConcern(r)
	c.ReferralID = r.PathValue("id")
	if err := s.svc.Concerns.RaiseConcern(r.Context(), c); err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		s.showReferralConcernForm(w, r, ErrorStatus(err), &concernForm{Layout: Layout{Errors: renamedErrors(err, concernFields, "category")}, Form: postedForm(r)})
		return
	}
	http.Redirect(w, r, "/referrals/"+c.ReferralID+"?done=concern-raised#safeguarding", http.StatusSeeOther)
}

// concernsPage is the service's concerns, open first and newest first:
// the safeguarding lead's list.
type concernsPage struct {
	Layout
	Concerns []*linkwork.Concern
	Total    int
	Pager    pager
}

func (s *Server) concernsPage(w http.ResponseWriter, r *http.Request) {
	pg := pageNumber(r.URL.Query().Get("page"))
	list, total, err := s.svc.Concerns.FindConcerns(r.Context(), linkwork.ConcernFilter{Offset: (pg - 1) * concernsPageSize, Limit: concernsPageSize})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &concernsPage{Layout: Layout{Title: "Safeguarding concerns"}, Concerns: list, Total: total}
	p.Pager = newPager(pg, concernsPageSize, total, func(n int) string { return "/concerns?page=" + strconv.Itoa(n) })
	s.render(w, r, http.StatusOK, "concerns", p)
}

// concernPage is one concern, what was done about it, and the forms that
// record an action and close it, for those who may.
type concernPage struct {
	Layout
	Concern  *linkwork.Concern
	Today    linkwork.Date
	CanAct   bool
	CanClose bool
	Form     map[string]string
}

// V is the value a form sent, for showing it again.
func (p *concernPage) V(name string) string { return p.Form[name] }

// Date is the action's date input as the form sent it, today to begin
// with.
func (p *concernPage) Date(name, label string) fieldData {
	v := []string{p.Form[name+"-day"], p.Form[name+"-month"], p.Form[name+"-year"]}
	if p.Form == nil {
		v = []string{strconv.Itoa(p.Today.Day), strconv.Itoa(int(p.Today.Month)), strconv.Itoa(p.Today.Year)}
	}
	return newField(p, name, label, v).WithHint("For example, 27 3 2026")
}

// Actions are the actions to choose from.
func (p *concernPage) Actions() []option {
	var out []option
	for _, a := range linkwork.ConcernActionKinds {
		o := option{Value: string(a), Label: a.Label()}
		if a == linkwork.ConcernNoFurtherAction {
			o.Hint = "Say why below"
		}
		out = append(out, o)
	}
	return out
}

var concernNotices = map[string]string{
	"action": "Action recorded",
	"closed": "Concern closed",
}

func (s *Server) concernPage(w http.ResponseWriter, r *http.Request) {
	s.showConcern(w, r, http.StatusOK, &concernPage{Layout: Layout{Notice: concernNotices[r.URL.Query().Get("done")]}})
}

func (s *Server) showConcern(w http.ResponseWriter, r *http.Request, status int, p *concernPage) {
	c, err := s.svc.Concerns.FindConcern(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	u := currentUser(r)
	rec := auth.Record{Kind: auth.KindConcern, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID, RaisedBy: c.RaisedBy}
	p.Title, p.Concern, p.Today = "Safeguarding concern: "+c.PersonName, c, linkwork.DateOf(s.cfg.Now().In(ukTime))
	p.CanAct = c.Open() && auth.Can(u.Actor(), auth.ActionUpdate, rec)
	p.CanClose = c.Open() && auth.Can(u.Actor(), auth.ActionClose, rec)
	s.render(w, r, status, "concern", p)
}

func (s *Server) concernActionSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var p linkwork.Problems
	on, msg := parseDateParts(dateParts(r, "on"), "The date it was done")
	if msg != "" {
		p.Add("on", msg)
	}
	a := &linkwork.ConcernAction{Action: linkwork.ConcernActionKind(r.PostFormValue("action")), On: on, Reason: r.PostFormValue("reason"), Note: r.PostFormValue("note")}
	err := p.Err()
	if err == nil {
		err = s.svc.Concerns.RecordConcernAction(r.Context(), id, a)
	}
	if err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		s.showConcern(w, r, ErrorStatus(err), &concernPage{Layout: Layout{Errors: renamedErrors(err, concernActionFields, "action")}, Form: postedForm(r)})
		return
	}
	http.Redirect(w, r, "/concerns/"+id+"?done=action#actions", http.StatusSeeOther)
}

func (s *Server) concernCloseSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	if _, err := s.svc.Concerns.CloseConcern(r.Context(), id, version, r.PostFormValue("outcome")); err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		s.showConcern(w, r, ErrorStatus(err), &concernPage{Layout: Layout{Errors: renamedErrors(err, map[string]string{"action": "outcome"}, "outcome")}, Form: postedForm(r)})
		return
	}
	http.Redirect(w, r, "/concerns/"+id+"?done=closed", http.StatusSeeOther)
}

// safetyPlanPage is a case's safety plan: the form for those who work
// the case, what it says for those who only read it, and the print view.
type safetyPlanPage struct {
	Layout
	Case    *linkwork.Case
	Plan    *linkwork.SafetyPlan
	CanEdit bool
	Service string
}

func (s *Server) safetyPlanPage(w http.ResponseWriter, r *http.Request) {
	s.showSafetyPlan(w, r, http.StatusOK, "safety_plan", nil)
}

func (s *Server) safetyPlanPrintPage(w http.ResponseWriter, r *http.Request) {
	s.showSafetyPlan(w, r, http.StatusOK, "safety_plan_print", nil)
}

// showSafetyPlan renders the plan; sent, when not nil, is a plan the form
// sent back with problems.
func (s *Server) showSafetyPlan(w http.ResponseWriter, r *http.Request, status int, tmpl string, sent *safetyPlanPage) {
	p := &safetyPlanPage{}
	if sent != nil {
		p = sent
	}
	err := s.batch(r.Context(), func(ctx context.Context) error {
		c, err := s.svc.Cases.FindCaseByID(ctx, r.PathValue("id"))
		if err != nil {
			return err
		}
		p.Case = c
		if p.Plan == nil {
			if p.Plan, err = s.svc.Concerns.FindSafetyPlan(ctx, c.ID); err != nil {
				return err
			}
		}
		o, err := s.svc.Organisations.FindOrganisationByID(ctx, c.ServiceOrgID)
		if err == nil {
			p.Service = o.Name
		}
		return err
	})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	c := p.Case
	p.Title = "Safety plan: " + c.PersonName
	p.CanEdit = auth.Can(currentUser(r).Actor(), auth.ActionUpdate, auth.Record{Kind: auth.KindCase, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID})
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = "Safety plan saved"
	}
	s.render(w, r, status, tmpl, p)
}

func (s *Server) safetyPlanSubmit(w http.ResponseWriter, r *http.Request) {
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	plan := &linkwork.SafetyPlan{CaseID: r.PathValue("id"), WarningSigns: r.PostFormValue("warning_signs"), WhatHelps: r.PostFormValue("what_helps"),
		WhoToContact: r.PostFormValue("who_to_contact"), CrisisNumbers: r.PostFormValue("crisis_numbers"), Version: version}
	if err := s.svc.Concerns.SaveSafetyPlan(r.Context(), plan); err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		sent := &safetyPlanPage{Layout: Layout{Errors: renamedErrors(err, safetyPlanFields, "warning_signs")}, Plan: plan}
		if linkwork.ErrorCode(err) == linkwork.ECONFLICT {
			// Someone else saved it first: show theirs, to make the
			// changes again on top of it.
			sent.Plan = nil
		}
		s.showSafetyPlan(w, r, ErrorStatus(err), "safety_plan", sent)
		return
	}
	http.Redirect(w, r, "/cases/"+plan.CaseID+"/safety-plan?done=saved", http.StatusSeeOther)
}

// Lines splits text into its non-blank lines, for showing a list written
// one to a line.
func (p *safetyPlanPage) Lines(s string) []string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
