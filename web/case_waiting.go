package web

import (
	"net/http"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// waitingCheckPage is a "waiting well" check-in with someone on the
// waiting list: its form, and the check-ins so far.
type waitingCheckPage struct {
	Layout
	Case   *linkwork.Case
	Checks []*linkwork.WaitingCheck
	Form   waitingCheckForm
	// Declined: the last check-in said they no longer want support; a
	// coordinator (CanClose) may close the case from here.
	Declined bool
	CanClose bool
	Flagged  bool
}

// waitingCheckForm is the check-in form as typed.
type waitingCheckForm struct {
	Contacted, StillWants, Changed, SafeNow, HarmThoughts string
}

func (f waitingCheckForm) check(caseID string) *linkwork.WaitingCheck {
	return &linkwork.WaitingCheck{CaseID: caseID, Contacted: f.Contacted == "yes", StillWants: linkwork.Answer(f.StillWants), Changed: f.Changed,
		SafeNow: linkwork.Answer(f.SafeNow), HarmThoughts: linkwork.Answer(f.HarmThoughts)}
}

func (s *Server) waitingCheckPage(w http.ResponseWriter, r *http.Request) {
	p := &waitingCheckPage{}
	switch r.URL.Query().Get("done") {
	case "checked":
		p.Notice = "Check-in recorded"
	case "flagged":
		p.Notice = "Check-in recorded. It disclosed a possible risk: the referral is flagged for review today and the safeguarding lead has been told."
		p.Flagged = true
	case "declined":
		p.Notice = "Check-in recorded. They no longer want support."
		p.Declined = true
	}
	s.showWaitingCheck(w, r, http.StatusOK, p)
}

func (s *Server) showWaitingCheck(w http.ResponseWriter, r *http.Request, status int, p *waitingCheckPage) {
	ctx := r.Context()
	c, err := s.svc.Allocation.FindWaitingCase(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if p.Checks, err = s.svc.Allocation.FindWaitingChecks(ctx, c.ID); err != nil {
		s.fail(w, r, false, err)
		return
	}
	u := currentUser(r)
	p.Case, p.Title = c, "Check in with "+c.PersonName
	p.CanClose = p.Declined && c.Status == linkwork.CaseWaiting &&
		auth.Can(u.Actor(), auth.ActionClose, auth.Record{Kind: auth.KindCase, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID})
	s.render(w, r, status, "allocation_waiting_check", p)
}

func (s *Server) waitingCheckSubmit(w http.ResponseWriter, r *http.Request) {
	f := waitingCheckForm{Contacted: r.PostFormValue("contacted"), StillWants: r.PostFormValue("still_wants"), Changed: strings.TrimSpace(r.PostFormValue("changed")),
		SafeNow: r.PostFormValue("safe_now"), HarmThoughts: r.PostFormValue("harm_thoughts")}
	p := &waitingCheckPage{Form: f}
	var problems linkwork.Problems
	if f.Contacted != "yes" && f.Contacted != "no" {
		problems.Add("contacted", "Choose whether you reached them")
	}
	c := f.check(r.PathValue("id"))
	// Every problem at once: the service checks the rest again.
	if err := c.Validate(); err != nil {
		problems = append(problems, linkwork.ErrorFields(err)...)
	}
	err := problems.Err()
	if err == nil {
		err = s.svc.Allocation.AddWaitingCheck(r.Context(), c)
	}
	if err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		p.Errors = linkwork.ErrorFields(err)
		s.showWaitingCheck(w, r, ErrorStatus(err), p)
		return
	}
	done := "checked"
	switch {
	case len(c.Flagged) > 0:
		done = "flagged"
	case c.StillWants == linkwork.AnswerNo:
		done = "declined"
	}
	http.Redirect(w, r, "/cases/"+c.CaseID+"/waiting-check?done="+done, http.StatusSeeOther)
}

// waitingCloseSubmit closes a waiting case whose person no longer wants
// support, as the check-in offered.
func (s *Server) waitingCloseSubmit(w http.ResponseWriter, r *http.Request) {
	var problems linkwork.Problems
	version := formVersion(r, &problems)
	if err := problems.Err(); err != nil {
		s.fail(w, r, false, err)
		return
	}
	note := "No longer wants support, said at a waiting well check-in"
	if _, err := s.svc.Cases.CloseCase(r.Context(), r.PathValue("id"), version, linkwork.CaseClosure{Reason: linkwork.ClosedDeclined, Note: note}); err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		p := &waitingCheckPage{Declined: true, Layout: Layout{Errors: []linkwork.FieldError{{Field: "close", Message: linkwork.ErrorMessage(err)}}}}
		s.showWaitingCheck(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/cases/"+r.PathValue("id")+"?done=closed-declined", http.StatusSeeOther)
}

type waitingCheckIn struct {
	Contacted    bool            `json:"contacted"`
	StillWants   linkwork.Answer `json:"still_wants"`
	Changed      string          `json:"changed"`
	SafeNow      linkwork.Answer `json:"safe_now"`
	HarmThoughts linkwork.Answer `json:"harm_thoughts"`
}

type waitingCheckJSON struct {
	ID           string          `json:"id"`
	CaseID       string          `json:"case_id"`
	Contacted    bool            `json:"contacted"`
	StillWants   linkwork.Answer `json:"still_wants,omitempty"`
	Changed      string          `json:"changed"`
	SafeNow      linkwork.Answer `json:"safe_now,omitempty"`
	HarmThoughts linkwork.Answer `json:"harm_thoughts,omitempty"`
	Flagged      []riskMatchJSON `json:"flagged"`
	ByUserID     string          `json:"by_user_id"`
	ByName       string          `json:"by_name,omitempty"`
	At           time.Time       `json:"at"`
}

func waitingCheckOut(c *linkwork.WaitingCheck) waitingCheckJSON {
	out := waitingCheckJSON{ID: c.ID, CaseID: c.CaseID, Contacted: c.Contacted, StillWants: c.StillWants, Changed: c.Changed, SafeNow: c.SafeNow,
		HarmThoughts: c.HarmThoughts, Flagged: []riskMatchJSON{}, ByUserID: c.ByUserID, ByName: c.ByName, At: c.At}
	for _, m := range c.Flagged {
		out.Flagged = append(out.Flagged, riskMatchJSON{Field: m.Field, Text: m.Text})
	}
	return out
}

func (s *Server) apiAddWaitingCheck(w http.ResponseWriter, r *http.Request) {
	var in waitingCheckIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c := &linkwork.WaitingCheck{CaseID: r.PathValue("id"), Contacted: in.Contacted, StillWants: in.StillWants, Changed: in.Changed, SafeNow: in.SafeNow, HarmThoughts: in.HarmThoughts}
	if err := s.svc.Allocation.AddWaitingCheck(r.Context(), c); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusCreated, waitingCheckOut(c))
}

func (s *Server) apiListWaitingChecks(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Allocation.FindWaitingChecks(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := mapSlice(list, waitingCheckOut)
	writeJSON(w, http.StatusOK, listOut[waitingCheckJSON]{Items: nonNil(out), Total: len(out), Limit: len(out)})
}
