package web

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// supervisionIn is a supervision logged over the API.
type supervisionIn struct {
	Kind         linkwork.SupervisionKind `json:"kind"`
	HeldOn       string                   `json:"held_on"`
	SupervisorID string                   `json:"supervisor_id"`
	WorkerIDs    []string                 `json:"worker_ids"`
	CaseIDs      []string                 `json:"case_ids"`
	Note         string                   `json:"note"`
}

// supervisionCaseJSON is a case discussed at a supervision.
type supervisionCaseJSON struct {
	CaseID     string `json:"case_id"`
	PersonName string `json:"person_name"`
}

// namedJSON is a person taking part, by id and name.
type namedJSON struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// supervisionJSON is a supervision, for those who took part in it.
type supervisionJSON struct {
	ID           string                   `json:"id"`
	ServiceOrgID string                   `json:"service_org_id"`
	Kind         linkwork.SupervisionKind `json:"kind"`
	HeldOn       string                   `json:"held_on"`
	Supervisor   namedJSON                `json:"supervisor"`
	Workers      []namedJSON              `json:"workers"`
	Cases        []supervisionCaseJSON    `json:"cases"`
	Note         string                   `json:"note"`
	ByUserID     string                   `json:"by_user_id"`
	CreatedAt    time.Time                `json:"created_at"`
}

func supervisionOut(s *linkwork.Supervision) supervisionJSON {
	out := supervisionJSON{ID: s.ID, ServiceOrgID: s.ServiceOrgID, Kind: s.Kind, HeldOn: s.HeldOn.String(), Supervisor: namedJSON{ID: s.SupervisorID, Name: s.SupervisorName},
		Workers: []namedJSON{}, Cases: []supervisionCaseJSON{}, Note: s.Note, ByUserID: s.ByUserID, CreatedAt: s.CreatedAt}
	for i, id := range s.WorkerIDs {
		n := namedJSON{ID: id}
		if i < len(s.WorkerNames) {
			n.Name = s.WorkerNames[i]
		}
		out.Workers = append(out.Workers, n)
	}
	if len(s.Cases) > 0 {
		for _, c := range s.Cases {
			out.Cases = append(out.Cases, supervisionCaseJSON(c))
		}
	} else {
		for _, id := range s.CaseIDs {
			out.Cases = append(out.Cases, supervisionCaseJSON{CaseID: id})
		}
	}
	return out
}

// agendaItemJSON is a case note on a worker's supervision agenda.
type agendaItemJSON struct {
	CaseID     string    `json:"case_id"`
	PersonName string    `json:"person_name"`
	ContactID  string    `json:"contact_id"`
	At         time.Time `json:"at"`
	Notes      string    `json:"notes"`
}

// agendaJSON is a worker's supervision agenda.
type agendaJSON struct {
	WorkerID string           `json:"worker_id"`
	Items    []agendaItemJSON `json:"items"`
}

// supervisionTargetIn sets how often a link worker is supervised, and by
// whom.
type supervisionTargetIn struct {
	SupervisorID string `json:"supervisor_id"`
	EveryDays    int    `json:"every_days"`
}

// teamMemberJSON is one link worker's load on the team page.
type teamMemberJSON struct {
	UserID             string `json:"user_id"`
	Name               string `json:"name"`
	ActiveCases        int    `json:"active_cases"`
	Weighted           int    `json:"weighted"`
	Limit              int    `json:"limit"`
	Overdue            int    `json:"overdue"`
	SessionsThisMonth  int    `json:"sessions_this_month"`
	LastSupervision    string `json:"last_supervision,omitempty"`
	SupervisionEvery   int    `json:"supervision_every_days"`
	SupervisionDue     string `json:"supervision_due,omitempty"`
	SupervisionOverdue bool   `json:"supervision_overdue"`
	SupervisorID       string `json:"supervisor_id,omitempty"`
	SupervisorName     string `json:"supervisor_name,omitempty"`
	TrainingDue        int    `json:"training_due"`
	TrainingOverdue    int    `json:"training_overdue"`
	OpenConcerns       int    `json:"open_concerns"`
}

func teamMemberOut(m linkwork.TeamMember) teamMemberJSON {
	return teamMemberJSON{UserID: m.UserID, Name: m.Name, ActiveCases: m.Cases, Weighted: m.Weighted, Limit: m.Limit, Overdue: m.Overdue,
		SessionsThisMonth: m.SessionsThisMonth, LastSupervision: m.LastSupervision.String(), SupervisionEvery: m.SupervisionEvery,
		SupervisionDue: m.SupervisionDue.String(), SupervisionOverdue: m.SupervisionOverdue, SupervisorID: m.SupervisorID, SupervisorName: m.SupervisorName,
		TrainingDue: m.TrainingDue, TrainingOverdue: m.TrainingOverdue, OpenConcerns: m.OpenConcerns}
}

// trainingIn is a completed course recorded over the API.
type trainingIn struct {
	WorkerID    string                  `json:"worker_id"`
	Course      linkwork.TrainingCourse `json:"course"`
	CourseName  string                  `json:"course_name"`
	CompletedOn string                  `json:"completed_on"`
	RenewBy     string                  `json:"renew_by"`
}

// trainingJSON is a training record.
type trainingJSON struct {
	ID          string                  `json:"id"`
	WorkerID    string                  `json:"worker_id"`
	WorkerName  string                  `json:"worker_name"`
	Course      linkwork.TrainingCourse `json:"course"`
	CourseName  string                  `json:"course_name"`
	Title       string                  `json:"title"`
	CompletedOn string                  `json:"completed_on"`
	RenewBy     string                  `json:"renew_by,omitempty"`
	State       linkwork.TrainingState  `json:"state"`
	CreatedAt   time.Time               `json:"created_at"`
}

func trainingOut(t *linkwork.TrainingRecord, today linkwork.Date) trainingJSON {
	return trainingJSON{ID: t.ID, WorkerID: t.WorkerID, WorkerName: t.WorkerName, Course: t.Course, CourseName: t.CourseName, Title: t.Title(),
		CompletedOn: t.CompletedOn.String(), RenewBy: t.RenewBy.String(), State: t.State(today), CreatedAt: t.CreatedAt}
}
