package web

import (
	"net/http"

	linkwork "github.com/linkwork/linkwork"
)

// caseSessionsArea is the case page's area for: First contact and sessions: contact attempts, sessions, booking the next session and its reminders, and the messages to the person.
type caseSessionsArea struct {
	Contacts []*linkwork.Contact
}

// loadCaseSessions fills the case page's sessions area for p.Case.
func (s *Server) loadCaseSessions(r *http.Request, p *casePage) error {
	var err error
	p.Sessions.Contacts, err = s.svc.Cases.FindContacts(r.Context(), p.Case.ID)
	return err
}

// routesCaseSessions registers the sessions area's pages and API routes.
func (s *Server) routesCaseSessions() {}
