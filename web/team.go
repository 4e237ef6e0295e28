package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// trainingPageSize is how many training records the training page lists
// a page.
const trainingPageSize = 50

// teamStaffShown is the most users of a service the team and training
// forms offer to choose from.
const teamStaffShown = 500

// teamPage is a coordinator's view of the team's load: each link
// worker's cases, weighted load, overdue work, sessions this month,
// supervision against target and training due; and the form that sets a
// worker's supervision target.
type teamPage struct {
	Layout
	Members     []linkwork.TeamMember
	Workers     []linkwork.WorkerLoad // every link worker, for the target form
	Supervisors []option
	Form        map[string]string
	Pager       pager
}

// V is the value the form sent, for showing it again.
func (p *teamPage) V(name string) string { return p.Form[name] }

// WorkerOptions are the team's link workers, for the target form.
func (p *teamPage) WorkerOptions() []option {
	out := []option{{Value: "", Label: "Choose the link worker"}}
	for _, m := range p.Workers {
		out = append(out, option{Value: m.UserID, Label: m.Name})
	}
	return out
}

// OverdueCount is how many link workers of the page are past their
// supervision target.
func (p *teamPage) OverdueCount() int {
	n := 0
	for _, m := range p.Members {
		if m.SupervisionOverdue {
			n++
		}
	}
	return n
}

var teamNotices = map[string]string{"target-set": "Supervision target saved"}

// staffOptions lists the enabled users of the reader's service with one
// of the roles, by name: one read.
func (s *Server) staffOptions(ctx context.Context, first string, roles ...linkwork.Role) ([]option, error) {
	enabled := false
	a, _ := linkwork.ActorFrom(ctx)
	users, _, err := s.svc.Users.FindUsers(ctx, linkwork.UserFilter{OrgID: a.OrgID, Disabled: &enabled, Limit: teamStaffShown})
	if err != nil {
		return nil, err
	}
	out := []option{{Value: "", Label: first}}
	for _, u := range users {
		if slices.Contains(roles, u.Role) {
			out = append(out, option{Value: u.ID, Label: u.Name + " (" + strings.ToLower(u.Role.Label()) + ")"})
		}
	}
	return out, nil
}

func (s *Server) teamPage(w http.ResponseWriter, r *http.Request) {
	p := &teamPage{Layout: Layout{Notice: teamNotices[r.URL.Query().Get("done")]}, Form: map[string]string{}}
	s.showTeam(w, r, http.StatusOK, p)
}

func (s *Server) showTeam(w http.ResponseWriter, r *http.Request, status int, p *teamPage) {
	p.Title = "Team's load"
	page := pageNumber(r.URL.Query().Get("page"))
	err := s.batch(r.Context(), func(ctx context.Context) error {
		members, total, err := s.svc.Team.Team(ctx, linkwork.TeamQuery{Offset: (page - 1) * linkwork.TeamPageSize})
		if err != nil {
			return err
		}
		p.Members = members
		p.Pager = newPager(page, linkwork.TeamPageSize, total, func(n int) string { return "/team?page=" + strconv.Itoa(n) + "#team" })
		if p.Workers, err = s.svc.Allocation.WorkerChoices(ctx); err != nil {
			return err
		}
		p.Supervisors, err = s.staffOptions(ctx, "The coordinators", linkwork.RoleCoordinator, linkwork.RoleLinkWorker, linkwork.RoleSafeguarding)
		return err
	})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, status, "team", p)
}

func (s *Server) targetSubmit(w http.ResponseWriter, r *http.Request) {
	var problems linkwork.Problems
	t := linkwork.SupervisionTarget{WorkerID: r.PostFormValue("worker_id"), SupervisorID: r.PostFormValue("supervisor_id")}
	if v := strings.TrimSpace(r.PostFormValue("every_days")); v != "" {
		n, err := parseInt(v)
		if err != nil {
			problems.Add("every_days", "Enter a number of days, like 28, or leave it blank for the service's default")
		}
		t.EveryDays = n
	}
	if t.WorkerID == "" {
		problems.Add("worker_id", "Choose the link worker")
	}
	err := problems.Err()
	if err == nil {
		err = s.svc.Supervision.SetSupervisionTarget(r.Context(), t)
	}
	if err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID && linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
			s.fail(w, r, false, err)
			return
		}
		p := &teamPage{Layout: Layout{Errors: renamedErrors(err, map[string]string{"worker_id": "worker_id", "supervisor_id": "supervisor_id", "every_days": "every_days"}, "worker_id")}, Form: postedForm(r)}
		s.showTeam(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/team?done=target-set#team", http.StatusSeeOther)
}

func (s *Server) apiTeam(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := listParams(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	members, total, err := s.svc.Team.Team(r.Context(), linkwork.TeamQuery{Offset: offset, Limit: limit})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := mapSlice(members, teamMemberOut)
	writeJSON(w, http.StatusOK, listOut[teamMemberJSON]{Items: nonNil(out), Total: total, Offset: offset, Limit: limit})
}

// trainingPage lists training records: a link worker's own, or the
// service's for a coordinator (only those due or overdue with ?due=1),
// with the form that records a course.
type trainingPage struct {
	Layout
	Today   linkwork.Date
	Records []*linkwork.TrainingRecord
	Total   int
	Pager   pager
	DueOnly bool
	// Workers, for a coordinator, are whom they may record for.
	Workers []option
	Form    map[string]string
}

// V is the value the form sent, for showing it again.
func (p *trainingPage) V(name string) string { return p.Form[name] }

// Date is a date input, as sent.
func (p *trainingPage) Date(name, label, hint string) fieldData {
	return newField(p, name, label, []string{p.Form[name+"-day"], p.Form[name+"-month"], p.Form[name+"-year"]}).WithHint(hint)
}

// CourseOptions are the courses, for the radios.
func (p *trainingPage) CourseOptions() []option {
	var out []option
	for _, c := range linkwork.TrainingCourses {
		out = append(out, option{Value: string(c), Label: c.Label()})
	}
	return out
}

// trainingTag is the tag of a course's state.
func trainingTag(s linkwork.TrainingState) string {
	switch s {
	case linkwork.TrainingOverdue:
		return "govuk-tag--red"
	case linkwork.TrainingDue:
		return "govuk-tag--yellow"
	}
	return "govuk-tag--green"
}

var trainingNotices = map[string]string{"recorded": "Training recorded"}

func (s *Server) trainingPage(w http.ResponseWriter, r *http.Request) {
	p := &trainingPage{Layout: Layout{Notice: trainingNotices[r.URL.Query().Get("done")]}, Form: map[string]string{}}
	s.showTraining(w, r, http.StatusOK, p)
}

func (s *Server) showTraining(w http.ResponseWriter, r *http.Request, status int, p *trainingPage) {
	u := currentUser(r)
	p.Title = "Training"
	p.Today = linkwork.DateOf(s.cfg.Now().In(ukTime))
	p.DueOnly = r.URL.Query().Get("due") == "1"
	page := pageNumber(r.URL.Query().Get("page"))
	forAnyone := u.Role == linkwork.RoleCoordinator && auth.Can(u.Actor(), auth.ActionCreate, auth.Record{Kind: auth.KindTraining, ServiceOrgID: u.OrgID})
	err := s.batch(r.Context(), func(ctx context.Context) error {
		var err error
		if p.Records, p.Total, err = s.svc.Training.FindTraining(ctx, linkwork.TrainingFilter{DueOnly: p.DueOnly, Offset: (page - 1) * trainingPageSize, Limit: trainingPageSize}); err != nil {
			return err
		}
		due := ""
		if p.DueOnly {
			due = "due=1&"
		}
		p.Pager = newPager(page, trainingPageSize, p.Total, func(n int) string { return "/training?" + due + "page=" + strconv.Itoa(n) })
		if forAnyone {
			p.Workers, err = s.staffOptions(ctx, "Yourself", linkwork.RoleLinkWorker, linkwork.RoleCoordinator)
		}
		return err
	})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, status, "training", p)
}

func (s *Server) trainingSubmit(w http.ResponseWriter, r *http.Request) {
	var problems linkwork.Problems
	completed, msg := parseDateParts(dateParts(r, "completed_on"), "The date it was completed")
	if msg != "" {
		problems.Add("completed_on", msg)
	}
	renew, msg := parseDateParts(dateParts(r, "renew_by"), "The renewal date")
	if msg != "" {
		problems.Add("renew_by", msg)
	}
	t := &linkwork.TrainingRecord{WorkerID: r.PostFormValue("worker_id"), Course: linkwork.TrainingCourse(r.PostFormValue("course")),
		CourseName: r.PostFormValue("course_name"), CompletedOn: completed, RenewBy: renew}
	err := problems.Err()
	if err == nil {
		err = s.svc.Training.RecordTraining(r.Context(), t)
	}
	if err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		names := map[string]string{"course": "course", "course_name": "course_name", "completed_on": "completed_on", "renew_by": "renew_by", "worker_id": "worker_id"}
		p := &trainingPage{Layout: Layout{Errors: renamedErrors(err, names, "course")}, Form: postedForm(r)}
		s.showTraining(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/training?done=recorded", http.StatusSeeOther)
}

func (s *Server) apiTraining(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	var p linkwork.Problems
	if err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	due := false
	switch v := r.URL.Query().Get("due"); v {
	case "", "false":
	case "true":
		due = true
	default:
		p.Add("due", "must be true or false")
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Training.FindTraining(r.Context(), linkwork.TrainingFilter{WorkerID: r.URL.Query().Get("worker"), DueOnly: due, Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	today := linkwork.DateOf(s.cfg.Now().In(ukTime))
	writeJSON(w, http.StatusOK, listOut[trainingJSON]{Items: mapSlice(list, func(t *linkwork.TrainingRecord) trainingJSON { return trainingOut(t, today) }), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiRecordTraining(w http.ResponseWriter, r *http.Request) {
	var in trainingIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	completed := parseDateField(&p, "completed_on", in.CompletedOn)
	renew := parseDateField(&p, "renew_by", in.RenewBy)
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	t := &linkwork.TrainingRecord{WorkerID: in.WorkerID, Course: in.Course, CourseName: in.CourseName, CompletedOn: completed, RenewBy: renew}
	if err := s.svc.Training.RecordTraining(r.Context(), t); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/training")
	writeJSON(w, http.StatusCreated, trainingOut(t, linkwork.DateOf(s.cfg.Now().In(ukTime))))
}
