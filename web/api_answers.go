package web

import (
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// The API of groups that answer through a link: the link worker records
// the person's answer about sharing, sends a group a link and reads the
// links of a case; whoever holds a link reads it and answers through it.

func (s *Server) apiAddConsent(w http.ResponseWriter, r *http.Request) {
	var in consentJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c := &linkwork.Consent{Kind: in.Kind, Given: in.Given, GivenBy: in.GivenBy, Note: in.Note}
	id := r.PathValue("id")
	if err := s.svc.People.AddConsent(r.Context(), id, c); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/people/"+id)
	writeJSON(w, http.StatusCreated, consentJSON{ID: c.ID, Kind: c.Kind, Given: c.Given, GivenBy: c.GivenBy, RecordedAt: timeOrNil(c.RecordedAt), Note: c.Note})
}

func (s *Server) apiSendAnswerLink(w http.ResponseWriter, r *http.Request) {
	var in answerLinkIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	l, err := s.svc.AnswerLinks.SendAnswerLink(r.Context(), r.PathValue("id"), &linkwork.AnswerLinkRequest{Channel: in.Channel, To: in.To})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+l.CaseID+"/answer-links")
	writeJSON(w, http.StatusCreated, answerLinkOut(l, s.cfg.Now()))
}

func (s *Server) apiAnswerLinks(w http.ResponseWriter, r *http.Request) {
	links, err := s.svc.AnswerLinks.FindAnswerLinks(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := answerLinkListJSON{Items: []answerLinkJSON{}}
	for _, l := range links {
		out.Items = append(out.Items, answerLinkOut(l, s.cfg.Now()))
	}
	writeJSON(w, http.StatusOK, out)
}

// apiAnswerAllowed counts a request to a link to answer against the same
// hourly allowance per address as its page, and answers 429 when it is
// spent. Answers are never cached: the token is the credential.
func (s *Server) apiAnswerAllowed(w http.ResponseWriter, r *http.Request) bool {
	w.Header().Set("Cache-Control", "no-store")
	if s.verifyLimits.allow(clientIP(r), "answer") {
		return true
	}
	s.fail(w, r, true, linkwork.Errorf(linkwork.ERATELIMIT, "Too many links have been opened from this connection. Try again in an hour."))
	return false
}

func (s *Server) apiAnswerLink(w http.ResponseWriter, r *http.Request) {
	if !s.apiAnswerAllowed(w, r) {
		return
	}
	wel, err := s.svc.AnswerLinks.OpenAnswerLink(r.Context(), r.PathValue("token"))
	if err != nil {
		s.verifyError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, welcomeOut(wel))
}

func (s *Server) apiAnswer(w http.ResponseWriter, r *http.Request) {
	if !s.apiAnswerAllowed(w, r) {
		return
	}
	var in groupReplyIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	done, err := s.svc.AnswerLinks.AnswerThroughLink(r.Context(), r.PathValue("token"), &linkwork.GroupReply{Answer: in.Answer, Reason: in.Reason, Note: strings.TrimSpace(in.Note)})
	if err != nil {
		s.verifyError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, answeredJSON{Answer: done.Answer, Status: done.Status, NextQuestion: done.Next, NextAfter: timeOrNil(done.NextAfter)})
}
