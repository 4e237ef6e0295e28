package web

import (
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// The group's door: the page a link to answer opens, with no account. It
// shows what the group needs to welcome the person and one question; a
// link that was used, replaced or has expired says so, and who to talk
// to instead.

// answerPage is what a group's link opens.
type answerPage struct {
	Layout
	Token   string
	Welcome *linkwork.Welcome
	// Gone says why the link does not work, and who to contact.
	Gone string
	// Done is the answer given, and what happens next.
	Done *linkwork.Answered
	// Answer, Reason and Note are what the form sent back with problems.
	Answer, Reason, Note string
}

// Answers are the answers to the link's question, as radios.
func (p *answerPage) Answers() []option {
	var out []option
	for _, a := range p.Welcome.Question.Answers() {
		out = append(out, option{Value: string(a), Label: a.Label()})
	}
	return out
}

// Declines reports whether the question may be answered with a decline,
// which needs a reason.
func (p *answerPage) Declines() bool { return p.Welcome.Question == linkwork.AskReferral }

// Reasons are the reasons for a decline, as radios.
func (p *answerPage) Reasons() []option {
	var out []option
	for _, r := range linkwork.DeclineReasons {
		out = append(out, option{Value: string(r), Label: r.Label()})
	}
	return out
}

// answerAllowed counts a request to a link to answer against the same
// hourly allowance per address as the verification links (its own
// count), and answers 429 when it is spent.
func (s *Server) answerAllowed(w http.ResponseWriter, r *http.Request) bool {
	w.Header().Set("Cache-Control", "no-store")
	if s.verifyLimits.allow(clientIP(r), "answer") {
		return true
	}
	s.render(w, r, http.StatusTooManyRequests, "answer", &answerPage{Layout: Layout{Title: "Too many tries"},
		Gone: "Too many links have been opened from this connection. Try again in an hour."})
	return false
}

// answerGone shows why a link does not work: 404 for one we never sent,
// 410 for one used, replaced or expired.
func (s *Server) answerGone(w http.ResponseWriter, r *http.Request, err error) {
	switch linkwork.ErrorCode(err) {
	case linkwork.ECONFLICT, linkwork.ENOTFOUND:
		status := http.StatusGone
		if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
			status = http.StatusNotFound
		}
		s.render(w, r, status, "answer", &answerPage{Layout: Layout{Title: "This link no longer works"}, Gone: linkwork.ErrorMessage(err)})
	default:
		s.fail(w, r, false, err)
	}
}

// answerTitle is the page's title: the activity, never the person (a
// title is kept in the browser's history).
func answerTitle(w *linkwork.Welcome) string {
	return "Your answer for " + w.Service + " about " + w.Activity
}

func (s *Server) groupAnswerPage(w http.ResponseWriter, r *http.Request) {
	if !s.answerAllowed(w, r) {
		return
	}
	token := r.PathValue("token")
	wel, err := s.svc.AnswerLinks.OpenAnswerLink(r.Context(), token)
	if err != nil {
		s.answerGone(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "answer", &answerPage{Layout: Layout{Title: answerTitle(wel)}, Token: token, Welcome: wel})
}

func (s *Server) groupAnswerSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.answerAllowed(w, r) {
		return
	}
	token := r.PathValue("token")
	reply := &linkwork.GroupReply{Answer: linkwork.GroupAnswer(r.PostFormValue("answer")), Note: strings.TrimSpace(r.PostFormValue("note"))}
	if reply.Answer == linkwork.AnswerDecline {
		reply.Reason = linkwork.DeclineReason(r.PostFormValue("reason"))
	}
	done, err := s.svc.AnswerLinks.AnswerThroughLink(r.Context(), token, reply)
	if err == nil {
		s.render(w, r, http.StatusOK, "answer", &answerPage{Layout: Layout{Title: "Thank you"}, Done: done})
		return
	}
	if linkwork.ErrorCode(err) != linkwork.EINVALID {
		s.answerGone(w, r, err)
		return
	}
	wel, oerr := s.svc.AnswerLinks.OpenAnswerLink(r.Context(), token)
	if oerr != nil {
		s.answerGone(w, r, oerr)
		return
	}
	p := &answerPage{Layout: Layout{Title: answerTitle(wel), Errors: linkwork.ErrorFields(err)}, Token: token, Welcome: wel,
		Answer: string(reply.Answer), Reason: r.PostFormValue("reason"), Note: reply.Note}
	s.render(w, r, http.StatusUnprocessableEntity, "answer", p)
}
