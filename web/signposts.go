package web

import (
	"net/http"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// Details are the times the person was given connection id's activity
// details, oldest first.
func (a caseConnectionsArea) Details(id string) []*linkwork.ConnectionDetails {
	var out []*linkwork.ConnectionDetails
	for _, d := range a.details {
		if d.ConnectionID == id {
			out = append(out, d)
		}
	}
	return out
}

// CanGiveDetails reports whether the reader may give the person the
// details of connection c's activity: they work the case and it has not
// ended.
func (a caseConnectionsArea) CanGiveDetails(c *linkwork.Connection) bool {
	return a.CanMove && c.CheckDetails() == nil
}

// followThrough is the prompt to ask a signposted person whether they
// went: since when they had the details, and whether it is time to ask.
type followThrough struct {
	Since time.Time
	Due   bool
}

// FollowThrough is the prompt for connection c, and nil when there is
// none: it is not a signpost awaiting an answer, or no details were
// given.
func (a caseConnectionsArea) FollowThrough(c *linkwork.Connection, now time.Time) *followThrough {
	d := a.Details(c.ID)
	if !c.AwaitsFollowThrough() || len(d) == 0 {
		return nil
	}
	since := d[0].At
	return &followThrough{Since: since, Due: a.casework.SignpostDue(since, now)}
}

// loadDetails fills when the case's connections' details were given.
func (s *Server) loadDetails(r *http.Request, p *casePage) error {
	if len(p.Connections) == 0 || s.svc.Signposts == nil {
		return nil
	}
	p.Conn.casework = p.Settings.Casework
	if ch, _, ok := linkwork.MessageChannelFor(p.Person); ok {
		p.Conn.SendBy = strings.ToLower(ch.Label())
	}
	var err error
	p.Conn.details, err = s.svc.Signposts.FindConnectionDetails(r.Context(), p.Case.ID)
	return err
}

func init() {
	caseNotices["details-sent"] = "The details are in their messages, to go by their chosen way"
	caseNotices["details-handed"] = "Recorded that you gave them the details"
}

// routesSignposts registers the forms, page and API routes that give a
// person an activity's details.
func (s *Server) routesSignposts() {
	s.handle("POST", "/cases/{id}/connections/{conn}/details", may(auth.WorkConnections), s.caseDetailsSubmit)
	s.handle("GET", "/cases/{id}/connections/{conn}/details", may(auth.WorkConnections), s.detailsPage)
	s.handle("GET", "/api/v1/connections/{id}/details", may(auth.WorkConnections), s.apiActivityDetails)
	s.handle("POST", "/api/v1/connections/{id}/details", may(auth.WorkConnections), s.idempotent(s.apiGiveDetails))
}

func (s *Server) caseDetailsSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("conn")
	d := &linkwork.ConnectionDetails{Way: linkwork.DetailsWay(r.PostFormValue("way"))}
	if _, err := s.svc.Signposts.GiveDetails(r.Context(), id, d); err != nil {
		s.connProblem(w, r, err, map[string]string{"way": "details-" + id}, "details-"+id, id)
		return
	}
	done := "details-handed"
	if d.Way == linkwork.DetailsSent {
		done = "details-sent"
	}
	http.Redirect(w, r, "/cases/"+r.PathValue("id")+"?done="+done+"#connection-"+id, http.StatusSeeOther)
}

// detailsPage is an activity's details to print and hand to the person.
type detailsPage struct {
	Layout
	Details *linkwork.ActivityDetailsText
}

func (s *Server) detailsPage(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.Signposts.ActivityDetails(r.Context(), r.PathValue("conn"))
	if err == nil && d.CaseID != r.PathValue("id") {
		err = linkwork.Errorf(linkwork.ENOTFOUND, "Connection not found")
	}
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &detailsPage{Details: d}
	p.Title = d.Subject
	s.render(w, r, http.StatusOK, "connection_details", p)
}

func (s *Server) apiActivityDetails(w http.ResponseWriter, r *http.Request) {
	d, err := s.svc.Signposts.ActivityDetails(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, activityDetailsJSON{ConnectionID: d.ConnectionID, Subject: d.Subject, Body: d.Body})
}

func (s *Server) apiGiveDetails(w http.ResponseWriter, r *http.Request) {
	var in detailsIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	d := &linkwork.ConnectionDetails{Way: in.Way}
	m, err := s.svc.Signposts.GiveDetails(r.Context(), r.PathValue("id"), d)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := detailsGivenJSON{ConnectionID: d.ConnectionID, Way: d.Way, At: d.At}
	if m != nil {
		msg := personMessageOut(m)
		out.Message = &msg
	}
	writeJSON(w, http.StatusCreated, out)
}
