package web

import "net/http"

// casePersonArea is the case page's area for: Knowing the person: how to contact them safely, pronouns, language and access needs, what matters to them and their needs, the team around them, parents and carers, capacity / Gillick decisions.
type casePersonArea struct{}

// loadCasePerson fills the case page's person area for p.Case.
func (s *Server) loadCasePerson(r *http.Request, p *casePage) error {
	return nil
}

// routesCasePerson registers the person area's pages and API routes.
func (s *Server) routesCasePerson() {}
