package web

import "net/http"

// caseAllocationArea is the case page's area for: Out of the waiting list and between workers: allocation, taking the next person, waiting-well check-ins, complexity, hand-over.
type caseAllocationArea struct{}

// loadCaseAllocation fills the case page's allocation area for p.Case.
func (s *Server) loadCaseAllocation(r *http.Request, p *casePage) error {
	return nil
}

// routesCaseAllocation registers the allocation area's pages and API routes.
func (s *Server) routesCaseAllocation() {}
