package web

import (
	"net/http"

	linkwork "github.com/linkwork/linkwork"
)

// casePlanArea is the case page's area for: The plan and the ending: goals and their ratings, actions, the social prescription, "my plan", reviews, the ending, closing, the message back, follow-up and reopening.
type casePlanArea struct {
	Goals []*linkwork.Goal
}

// loadCasePlan fills the case page's plan area for p.Case.
func (s *Server) loadCasePlan(r *http.Request, p *casePage) error {
	var err error
	p.Plan.Goals, err = s.svc.Cases.FindGoals(r.Context(), p.Case.ID)
	return err
}

// routesCasePlan registers the plan area's pages and API routes.
func (s *Server) routesCasePlan() {}
