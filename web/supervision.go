package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// supervisionPageSize is how many supervisions the supervision page
// lists a page.
const supervisionPageSize = 20

// routesSupervision registers the supervision pages, the team page, the
// training page and their API routes.
func (s *Server) routesSupervision() {
	s.handle("GET", "/supervision", may(auth.ReadSupervision), s.supervisionPage)
	s.handle("POST", "/supervision", may(auth.LogSupervision), s.supervisionSubmit)
	s.handle("GET", "/supervision/{id}", may(auth.ReadSupervision), s.supervisionRecordPage)
	s.handle("GET", "/team", may(auth.ReadTeam), s.teamPage)
	s.handle("POST", "/team/targets", may(auth.SetSupervisionTargets), s.targetSubmit)
	s.handle("GET", "/training", may(auth.ReadTraining), s.trainingPage)
	s.handle("POST", "/training", may(auth.RecordTraining), s.trainingSubmit)

	s.handle("GET", "/api/v1/supervisions", may(auth.ReadSupervision), s.apiSupervisions)
	s.handle("POST", "/api/v1/supervisions", may(auth.LogSupervision), s.idempotent(s.apiLogSupervision))
	s.handle("GET", "/api/v1/supervisions/{id}", may(auth.ReadSupervision), s.apiSupervision)
	s.handle("GET", "/api/v1/supervision-agenda", may(auth.ReadSupervision), s.apiSupervisionAgenda)
	s.handle("PUT", "/api/v1/team/{id}/supervision-target", may(auth.SetSupervisionTargets), s.apiSetSupervisionTarget)
	s.handle("GET", "/api/v1/team", may(auth.ReadTeam), s.apiTeam)
	s.handle("GET", "/api/v1/training", may(auth.ReadTraining), s.apiTraining)
	s.handle("POST", "/api/v1/training", may(auth.RecordTraining), s.idempotent(s.apiRecordTraining))
}

// supervisionPage is a person's supervision: the sessions they took part
// in, the agenda of the worker chosen (a link worker's own), and the
// form that logs a supervision.
type supervisionPage struct {
	Layout
	Choices *linkwork.SupervisionChoices
	List    []*linkwork.Supervision
	Total   int
	Pager   pager
	Form    map[string]string
	// Workers and Cases are the form's checked boxes.
	Workers, Cases []string
}

// V is the value the form sent, for showing it again.
func (p *supervisionPage) V(name string) string { return p.Form[name] }

// HeldOn is the date input, as sent.
func (p *supervisionPage) HeldOn() fieldData {
	return newField(p, "held_on", "Date it was held", []string{p.Form["held_on-day"], p.Form["held_on-month"], p.Form["held_on-year"]}).WithHint("For example, 27 3 2026")
}

// KindOptions are the kinds, for the radios.
func (p *supervisionPage) KindOptions() []option {
	var out []option
	for _, k := range linkwork.SupervisionKinds {
		out = append(out, option{Value: string(k), Label: k.Label()})
	}
	return out
}

// WorkerOptions are the workers the reader may log for.
func (p *supervisionPage) WorkerOptions() []option {
	var out []option
	for _, n := range p.Choices.Workers {
		out = append(out, option{Value: n.ID, Label: n.Name})
	}
	return out
}

// SupervisorOptions are those who may supervise the chosen worker.
func (p *supervisionPage) SupervisorOptions() []option {
	out := []option{{Value: "", Label: "Choose the supervisor"}}
	for _, n := range p.Choices.Supervisors {
		out = append(out, option{Value: n.ID, Label: n.Name})
	}
	return out
}

// CaseOptions are the chosen worker's open cases, and the agenda's, to
// tick as discussed.
func (p *supervisionPage) CaseOptions() []option {
	var out []option
	seen := map[string]bool{}
	for _, a := range p.Choices.Agenda {
		if !seen[a.CaseID] {
			seen[a.CaseID] = true
			out = append(out, option{Value: a.CaseID, Label: a.PersonName, Hint: "On the agenda"})
		}
	}
	for _, c := range p.Choices.Cases {
		if !seen[c.CaseID] {
			seen[c.CaseID] = true
			out = append(out, option{Value: c.CaseID, Label: c.PersonName})
		}
	}
	return out
}

// WorkerName is the chosen worker's name.
func (p *supervisionPage) WorkerName() string {
	for _, n := range p.Choices.Workers {
		if n.ID == p.Choices.WorkerID {
			return n.Name
		}
	}
	return ""
}

// Own reports whether the agenda shown is the reader's own.
func (p *supervisionPage) Own() bool { return p.User != nil && p.Choices.WorkerID == p.User.ID }

var supervisionNotices = map[string]string{"logged": "Supervision logged: the cases discussed are off the agenda"}

func (s *Server) supervisionPage(w http.ResponseWriter, r *http.Request) {
	p := &supervisionPage{Form: map[string]string{}}
	s.showSupervision(w, r, http.StatusOK, p, r.URL.Query().Get("worker"))
}

// showSupervision loads what the supervision page shows for the worker
// chosen and renders it, with the state of a form that came back with
// problems.
func (s *Server) showSupervision(w http.ResponseWriter, r *http.Request, status int, p *supervisionPage, worker string) {
	u := currentUser(r)
	p.Title = "Supervision"
	page := pageNumber(r.URL.Query().Get("page"))
	err := s.batch(r.Context(), func(ctx context.Context) error {
		var err error
		if p.Choices, err = s.svc.Supervision.SupervisionChoices(ctx, worker); err != nil {
			return err
		}
		var total int
		if p.List, total, err = s.svc.Supervision.FindSupervisions(ctx, linkwork.SupervisionFilter{Offset: (page - 1) * supervisionPageSize, Limit: supervisionPageSize}); err != nil {
			return err
		}
		p.Total = total
		p.Pager = newPager(page, supervisionPageSize, total, func(n int) string { return "/supervision?page=" + strconv.Itoa(n) })
		return nil
	})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if p.Workers == nil && p.Choices.WorkerID != "" {
		p.Workers = []string{p.Choices.WorkerID}
	}
	if _, sent := p.Form["supervisor_id"]; !sent {
		for _, n := range p.Choices.Supervisors {
			if n.ID == u.ID {
				p.Form["supervisor_id"] = u.ID
			}
		}
	}
	s.render(w, r, status, "supervision", p)
}

// supervisionFieldNames are the form's fields by the store's names.
var supervisionFieldNames = map[string]string{"kind": "kind", "held_on": "held_on", "supervisor_id": "supervisor_id", "worker_ids": "worker_ids", "case_ids": "case_ids", "note": "note"}

func (s *Server) supervisionSubmit(w http.ResponseWriter, r *http.Request) {
	var problems linkwork.Problems
	held, msg := parseDateParts(dateParts(r, "held_on"), "The date it was held")
	if msg != "" {
		problems.Add("held_on", msg)
	}
	sv := &linkwork.Supervision{Kind: linkwork.SupervisionKind(r.PostFormValue("kind")), HeldOn: held, SupervisorID: r.PostFormValue("supervisor_id"),
		WorkerIDs: r.PostForm["worker_ids"], CaseIDs: r.PostForm["case_ids"], Note: r.PostFormValue("note")}
	err := problems.Err()
	if err == nil {
		err = s.svc.Supervision.LogSupervision(r.Context(), sv)
	}
	if err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		p := &supervisionPage{Layout: Layout{Errors: renamedErrors(err, supervisionFieldNames, "kind")}, Form: postedForm(r),
			Workers: nonNil(r.PostForm["worker_ids"]), Cases: r.PostForm["case_ids"]}
		s.showSupervision(w, r, ErrorStatus(err), p, r.PostFormValue("worker"))
		return
	}
	http.Redirect(w, r, "/supervision/"+url.PathEscape(sv.ID)+"?done=logged", http.StatusSeeOther)
}

// supervisionRecordPage is one supervision, for those in it.
type supervisionRecordPage struct {
	Layout
	S *linkwork.Supervision
}

func (s *Server) supervisionRecordPage(w http.ResponseWriter, r *http.Request) {
	sv, err := s.svc.Supervision.FindSupervision(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, http.StatusOK, "supervision_record", &supervisionRecordPage{Layout: Layout{Title: sv.Kind.Label() + " on " + sv.HeldOn.Time().Format("2 January 2006"),
		Notice: supervisionNotices[r.URL.Query().Get("done")]}, S: sv})
}

// API

func (s *Server) apiSupervisions(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Supervision.FindSupervisions(r.Context(), linkwork.SupervisionFilter{WorkerID: r.URL.Query().Get("worker"), Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[supervisionJSON]{Items: mapSlice(list, supervisionOut), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiSupervision(w http.ResponseWriter, r *http.Request) {
	sv, err := s.svc.Supervision.FindSupervision(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, supervisionOut(sv))
}

func (s *Server) apiLogSupervision(w http.ResponseWriter, r *http.Request) {
	var in supervisionIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	held := parseDateField(&p, "held_on", in.HeldOn)
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	sv := &linkwork.Supervision{Kind: in.Kind, HeldOn: held, SupervisorID: in.SupervisorID, WorkerIDs: in.WorkerIDs, CaseIDs: in.CaseIDs, Note: in.Note}
	if err := s.svc.Supervision.LogSupervision(r.Context(), sv); err != nil {
		s.fail(w, r, true, err)
		return
	}
	// Read back, for the names of those in it and of the cases' people.
	got, err := s.svc.Supervision.FindSupervision(r.Context(), sv.ID)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/supervisions/"+sv.ID)
	writeJSON(w, http.StatusCreated, supervisionOut(got))
}

func (s *Server) apiSupervisionAgenda(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Supervision.SupervisionChoices(r.Context(), r.URL.Query().Get("worker"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if c.WorkerID == "" {
		s.fail(w, r, true, linkwork.FieldErr("worker", "Choose whose agenda to see"))
		return
	}
	out := agendaJSON{WorkerID: c.WorkerID, Items: []agendaItemJSON{}}
	for _, it := range c.Agenda {
		out.Items = append(out.Items, agendaItemJSON{CaseID: it.CaseID, PersonName: it.PersonName, ContactID: it.ContactID, At: it.At, Notes: it.Notes})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiSetSupervisionTarget(w http.ResponseWriter, r *http.Request) {
	var in supervisionTargetIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	id := r.PathValue("id")
	if err := s.svc.Supervision.SetSupervisionTarget(r.Context(), linkwork.SupervisionTarget{WorkerID: id, SupervisorID: strings.TrimSpace(in.SupervisorID), EveryDays: in.EveryDays}); err != nil {
		s.fail(w, r, true, err)
		return
	}
	members, _, err := s.svc.Team.Team(r.Context(), linkwork.TeamQuery{WorkerID: id})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	for _, m := range members {
		if m.UserID == id {
			writeJSON(w, http.StatusOK, teamMemberOut(m))
			return
		}
	}
	s.fail(w, r, true, linkwork.Errorf(linkwork.ENOTFOUND, "Link worker not found"))
}
