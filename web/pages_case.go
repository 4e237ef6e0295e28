package web

import (
	"context"
	"net/http"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// casePage is a person's case: who they are and how to reach them
// safely first, then the areas of the link worker's work on it, each
// built by its own file (case_*.go) with its template in
// templates/parts.
type casePage struct {
	Layout
	Case     *linkwork.Case
	Person   *linkwork.Person
	Settings *linkwork.ServiceSettings
	Now      time.Time
	Today    linkwork.Date

	// What the reader may do, as the policy decides.
	CanUpdate   bool // work on the case: contacts, plan, person's record
	CanAllocate bool
	CanClose    bool

	// The areas of the page.
	PersonArea casePersonArea
	Allocation caseAllocationArea
	Sessions   caseSessionsArea
	Plan       casePlanArea
	Conn       caseConnectionsArea

	Measures caseMeasuresArea
	// Safeguarding is the case's concerns and its safety plan.
	Safeguarding safeguardingArea

	Connections []*linkwork.Connection

	// CloseNow: a review has just decided to close the case, so the
	// closing form is shown unfolded.
	CloseNow bool
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request) {
	p := &casePage{}
	p.Notice = caseNotices[r.URL.Query().Get("done")]
	p.CloseNow = r.URL.Query().Get("done") == "review-close"
	s.showCase(w, r, http.StatusOK, p)
}

// caseNotices are the notices shown after a change on the case page, by
// the done parameter of the redirect. Each area adds its own in an init.
var caseNotices = map[string]string{}

// showCase loads the case named by the path's id, and everything its
// areas show, and renders the page. Handlers of the areas' forms call it
// with their form's state and problems set, and status 422.
func (s *Server) showCase(w http.ResponseWriter, r *http.Request, status int, p *casePage) {
	err := s.batch(r.Context(), func(ctx context.Context) error { return s.loadCase(r.WithContext(ctx), p) })
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, status, "case", p)
}

// loadCase fills p with the case named by the path's id and everything
// its areas show.
func (s *Server) loadCase(r *http.Request, p *casePage) error {
	ctx := r.Context()
	c, err := s.svc.Cases.FindCaseByID(ctx, r.PathValue("id"))
	if err != nil {
		return err
	}
	u := currentUser(r)
	rec := auth.Record{Kind: auth.KindCase, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID}
	p.Case, p.Now = c, s.cfg.Now()
	p.Today = linkwork.DateOf(s.cfg.Now().In(ukTime))
	p.Title = "Support for " + c.PersonName
	p.CanUpdate = auth.Can(u.Actor(), auth.ActionUpdate, rec)
	p.CanAllocate = auth.Can(u.Actor(), auth.ActionAllocate, rec)
	p.CanClose = auth.Can(u.Actor(), auth.ActionClose, rec)
	if p.Person, err = s.svc.People.FindPersonByID(ctx, c.PersonID); err != nil {
		return err
	}
	if p.Settings, err = s.svc.Triage.ServiceSettings(ctx, c.ServiceOrgID); err != nil {
		return err
	}
	for _, load := range []func(*http.Request, *casePage) error{s.loadCasePerson, s.loadCaseAllocation, s.loadCaseSessions, s.loadCasePlan, s.loadCaseConnections, s.loadCaseMeasures, s.loadCaseSafeguarding} {
		if err := load(r, p); err != nil {
			return err
		}
	}
	return nil
}

// batch runs fn with the services' calls joined in one transaction when
// the services can (Services.Batch), so that a page reading many things
// waits for one commit.
func (s *Server) batch(ctx context.Context, fn func(context.Context) error) error {
	if s.svc.Batch == nil {
		return fn(ctx)
	}
	return s.svc.Batch(ctx, fn)
}
