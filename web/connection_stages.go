package web

import (
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// Stages are the recorded stages of connection id's phased hand-over, in
// order.
func (a caseConnectionsArea) Stages(id string) []*linkwork.ConnectionStage {
	var out []*linkwork.ConnectionStage
	for _, s := range a.stages {
		if s.ConnectionID == id {
			out = append(out, s)
		}
	}
	return out
}

// View is the person's recorded view of connection id's activity, if any.
func (a caseConnectionsArea) View(id string) *linkwork.ConnectionView {
	for _, v := range a.views {
		if v.ConnectionID == id {
			return v
		}
	}
	return nil
}

// NextStage is the stage connection c's hand-over may record next, and ""
// when the reader may record none (not phased, ended, all done, or not
// theirs to record).
func (a caseConnectionsArea) NextStage(c *linkwork.Connection) linkwork.HandOverStage {
	if !a.CanMove {
		return ""
	}
	var done []linkwork.HandOverStage
	var last linkwork.Date
	for _, s := range a.Stages(c.ID) {
		done, last = append(done, s.Stage), s.On
	}
	next, ok := linkwork.NextStage(done)
	if !ok {
		return ""
	}
	if c.CheckStage(done, last, &linkwork.ConnectionStage{Stage: next, On: last}) != nil {
		return ""
	}
	return next
}

// CanView reports whether the reader may record the person's view of
// connection c's activity: they work the case and the person has been.
func (a caseConnectionsArea) CanView(c *linkwork.Connection) bool {
	return a.CanMove && c.Status.HasGone()
}

// Views are the views to choose from.
func (a caseConnectionsArea) Views() []option {
	var out []option
	for _, v := range linkwork.PersonViews {
		out = append(out, option{Value: string(v), Label: v.Label()})
	}
	return out
}

// loadStagesAndViews fills the stages and views of the case's
// connections.
func (s *Server) loadStagesAndViews(r *http.Request, p *casePage) error {
	if len(p.Connections) == 0 || s.svc.Stages == nil {
		return nil
	}
	var err error
	a := &p.Conn
	if a.stages, err = s.svc.Stages.FindConnectionStages(r.Context(), p.Case.ID); err != nil {
		return err
	}
	a.views, err = s.svc.Stages.FindConnectionViews(r.Context(), p.Case.ID)
	return err
}

func init() {
	caseNotices["conn-stage"] = "Stage of the hand-over recorded"
	caseNotices["conn-view"] = "What they thought has been recorded"
}

// routesConnectionStages registers the forms and API routes that record
// a phased hand-over's stages and the person's view of an activity.
func (s *Server) routesConnectionStages() {
	s.handle("POST", "/cases/{id}/connections/{conn}/stages", may(auth.WorkConnections), s.caseStageSubmit)
	s.handle("POST", "/cases/{id}/connections/{conn}/view", may(auth.WorkConnections), s.caseViewSubmit)
	s.handle("POST", "/api/v1/connections/{id}/stages", may(auth.WorkConnections), s.idempotent(s.apiRecordStage))
	s.handle("PUT", "/api/v1/connections/{id}/view", may(auth.WorkConnections), s.apiRecordView)
}

func (s *Server) caseStageSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("conn")
	names := map[string]string{"stage": "stage-" + id, "on": "on-" + id, "note": "stage_note-" + id}
	on, msg := parseDateParts(dateParts(r, "on"), "The date of the stage")
	if msg != "" {
		s.connProblem(w, r, linkwork.FieldErr("on", msg), names, "stage-"+id, id)
		return
	}
	st := &linkwork.ConnectionStage{Stage: linkwork.HandOverStage(r.PostFormValue("stage")), On: on, Note: strings.TrimSpace(r.PostFormValue("stage_note"))}
	if err := s.svc.Stages.RecordStage(r.Context(), id, st); err != nil {
		s.connProblem(w, r, err, names, "stage-"+id, id)
		return
	}
	http.Redirect(w, r, "/cases/"+r.PathValue("id")+"?done=conn-stage#connections", http.StatusSeeOther)
}

func (s *Server) caseViewSubmit(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("conn")
	v := &linkwork.ConnectionView{View: linkwork.PersonView(r.PostFormValue("view")), Why: strings.TrimSpace(r.PostFormValue("why"))}
	if err := s.svc.Stages.RecordView(r.Context(), id, v); err != nil {
		s.connProblem(w, r, err, map[string]string{"view": "view-" + id, "why": "why-" + id}, "view-"+id, id)
		return
	}
	http.Redirect(w, r, "/cases/"+r.PathValue("id")+"?done=conn-view#connections", http.StatusSeeOther)
}

func (s *Server) apiRecordStage(w http.ResponseWriter, r *http.Request) {
	var in connectionStageIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	on := parseDateField(&p, "on", in.On)
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	st := &linkwork.ConnectionStage{Stage: in.Stage, On: on, Note: strings.TrimSpace(in.Note)}
	if err := s.svc.Stages.RecordStage(r.Context(), r.PathValue("id"), st); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusCreated, connectionStageOut(st))
}

func (s *Server) apiRecordView(w http.ResponseWriter, r *http.Request) {
	var in connectionViewIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	v := &linkwork.ConnectionView{View: in.View, Why: strings.TrimSpace(in.Why)}
	if err := s.svc.Stages.RecordView(r.Context(), r.PathValue("id"), v); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, connectionViewOut(v))
}

// stageForm is the form that records the next stage of a phased
// hand-over, and, when it came back with problems, what was sent and
// what is wrong.
type stageForm struct {
	ID, Action, Note         string
	Next                     linkwork.HandOverStage
	NextLabel                string
	On                       fieldData
	StageErr, OnErr, NoteErr string
}

// StageForm is the stage form for connection c.
func (a caseConnectionsArea) StageForm(c *linkwork.Connection) stageForm {
	next := a.NextStage(c)
	f := stageForm{ID: c.ID, Action: "/cases/" + c.CaseID + "/connections/" + c.ID + "/stages", Next: next, NextLabel: next.Label()}
	f.On = fieldData{ID: "on-" + c.ID, Name: "on", Label: "When (leave blank for today)", Values: []string{"", "", ""}}
	if a.FormConn != c.ID {
		return f
	}
	f.Note = a.Form["stage_note"]
	f.On.Values = []string{a.Form["on-day"], a.Form["on-month"], a.Form["on-year"]}
	for _, e := range a.errs {
		switch e.Field {
		case "stage-" + c.ID:
			f.StageErr = e.Message
		case "on-" + c.ID:
			f.OnErr, f.On.Error = e.Message, e.Message
		case "stage_note-" + c.ID:
			f.NoteErr = e.Message
		}
	}
	return f
}

// viewForm is the form that records the person's view of an activity.
type viewForm struct {
	ID, Action, View, Why string
	Views                 []option
	ViewErr, WhyErr       string
}

// ViewForm is the view form for connection c, showing the view recorded
// before, if any.
func (a caseConnectionsArea) ViewForm(c *linkwork.Connection) viewForm {
	f := viewForm{ID: c.ID, Action: "/cases/" + c.CaseID + "/connections/" + c.ID + "/view", Views: a.Views()}
	if v := a.View(c.ID); v != nil {
		f.View, f.Why = string(v.View), v.Why
	}
	if a.FormConn != c.ID {
		return f
	}
	f.View, f.Why = a.Form["view"], a.Form["why"]
	for _, e := range a.errs {
		switch e.Field {
		case "view-" + c.ID:
			f.ViewErr = e.Message
		case "why-" + c.ID:
			f.WhyErr = e.Message
		}
	}
	return f
}

// MinViews is how many views an activity needs before its numbers show.
func (connectionsPage) MinViews() int { return linkwork.MinViewsShown }
