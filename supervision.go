package linkwork

import (
	"context"
	"strings"
	"time"
)

// SupervisionKind is the kind of supervision a link worker has.
type SupervisionKind string

// The kinds of supervision: one-to-one line management, clinical
// supervision, and a group reflective space.
const (
	SupervisionLine     SupervisionKind = "line"
	SupervisionClinical SupervisionKind = "clinical"
	SupervisionGroup    SupervisionKind = "group"
)

// SupervisionKinds are the kinds, in the order offered.
var SupervisionKinds = []SupervisionKind{SupervisionLine, SupervisionClinical, SupervisionGroup}

// Valid reports whether k is a known kind.
func (k SupervisionKind) Valid() bool {
	for _, x := range SupervisionKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label is the kind in words.
func (k SupervisionKind) Label() string {
	switch k {
	case SupervisionLine:
		return "One-to-one line supervision"
	case SupervisionClinical:
		return "Clinical supervision"
	case SupervisionGroup:
		return "Group reflective space"
	}
	return string(k)
}

// The bounds of a supervision record.
const (
	// MaxSupervisionWorkers is how many link workers a group session
	// holds.
	MaxSupervisionWorkers = 20
	// MaxSupervisionCases is how many cases one session discusses.
	MaxSupervisionCases = 30
	// DefaultSupervisionDays is how often a link worker is supervised
	// when neither the service nor the worker's target says.
	DefaultSupervisionDays = 28
	// MaxSupervisionDays is the longest a target may be.
	MaxSupervisionDays = 365
)

// SupervisionCase is a case discussed at a supervision, with the name of
// its person for those who took part.
type SupervisionCase struct {
	CaseID     string
	PersonName string
}

// Supervision is one supervision session: its kind, the day it was held,
// the supervisor, the link worker or workers supervised (a group
// reflective space has several), the cases discussed, and a note. It is
// seen only by the supervisor and the workers in it: not by other
// coordinators, who see only when each worker was last supervised.
type Supervision struct {
	ID             string
	ServiceOrgID   string
	Kind           SupervisionKind
	HeldOn         Date
	SupervisorID   string
	SupervisorName string // filled when read
	WorkerIDs      []string
	WorkerNames    []string // filled when read, in the order of WorkerIDs
	CaseIDs        []string
	Cases          []SupervisionCase // filled when read
	Note           string

	ByUserID  string
	CreatedAt time.Time
}

// Normalised returns a copy with the note trimmed and each worker and
// case listed once, in the order given.
func (s Supervision) Normalised() Supervision {
	s.Note = strings.TrimSpace(s.Note)
	s.WorkerIDs = uniqueTrimmed(s.WorkerIDs)
	s.CaseIDs = uniqueTrimmed(s.CaseIDs)
	return s
}

func uniqueTrimmed(xs []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x == "" || seen[x] {
			continue
		}
		seen[x] = true
		out = append(out, x)
	}
	return out
}

// Validate reports every problem with a supervision to be logged on
// today as EINVALID: a known kind, a day not in the future, a supervisor
// who is not also supervised, one worker for a one-to-one session and at
// least one for a group, and the cases and note within their bounds.
func (s *Supervision) Validate(today Date) error {
	var p Problems
	switch {
	case s.Kind == "":
		p.Add("kind", "Choose the kind of supervision")
	case !s.Kind.Valid():
		p.Add("kind", "Choose one-to-one line supervision, clinical supervision or group reflective space")
	}
	switch {
	case s.HeldOn.IsZero():
		p.Add("held_on", "Enter the date the supervision was held")
	case today.Before(s.HeldOn):
		p.Add("held_on", "The date the supervision was held must be today or in the past")
	}
	if strings.TrimSpace(s.SupervisorID) == "" {
		p.Add("supervisor_id", "Choose who gave the supervision")
	}
	p.Text("supervisor_id", s.SupervisorID, MaxIDLength)
	switch n := len(s.WorkerIDs); {
	case n == 0:
		p.Add("worker_ids", "Choose the link worker supervised")
	case n > 1 && s.Kind != SupervisionGroup:
		p.Add("worker_ids", "A one-to-one or clinical supervision is for one link worker: choose group reflective space for more")
	case n > MaxSupervisionWorkers:
		p.Addf("worker_ids", "A group reflective space holds at most %d link workers", MaxSupervisionWorkers)
	}
	for _, id := range s.WorkerIDs {
		if id == s.SupervisorID && id != "" {
			p.Add("worker_ids", "The supervisor cannot also be the link worker supervised")
			break
		}
		if !p.Text("worker_ids", id, MaxIDLength) {
			break
		}
	}
	if len(s.CaseIDs) > MaxSupervisionCases {
		p.Addf("case_ids", "List at most %d cases discussed", MaxSupervisionCases)
	}
	for _, id := range s.CaseIDs {
		if !p.Text("case_ids", id, MaxIDLength) {
			break
		}
	}
	p.Text("note", s.Note, MaxText)
	return p.Err()
}

// SupervisionTarget is how often a link worker is to be supervised, and
// by whom: set by a coordinator. EveryDays 0 means the service's default
// (CaseworkSettings.SupervisionEvery); SupervisorID empty means the
// service's coordinators supervise them.
type SupervisionTarget struct {
	WorkerID     string
	SupervisorID string
	EveryDays    int
}

// Validate reports every problem with a target as EINVALID.
func (t SupervisionTarget) Validate() error {
	var p Problems
	if strings.TrimSpace(t.WorkerID) == "" {
		p.Add("worker_id", "Choose the link worker")
	}
	p.Text("worker_id", t.WorkerID, MaxIDLength)
	p.Text("supervisor_id", t.SupervisorID, MaxIDLength)
	if t.SupervisorID != "" && t.SupervisorID == t.WorkerID {
		p.Add("supervisor_id", "A link worker cannot supervise themself")
	}
	if t.EveryDays < 0 || t.EveryDays > MaxSupervisionDays {
		p.Addf("every_days", "Supervision frequency must be between 1 and %d days", MaxSupervisionDays)
	}
	return p.Err()
}

// SupervisionDueOn is the day a worker last supervised on last is next
// due, supervised every so many days; the zero Date when they have never
// been supervised (due at once).
func SupervisionDueOn(last Date, every int) Date {
	if last.IsZero() {
		return Date{}
	}
	return DateOf(last.Time().AddDate(0, 0, every))
}

// SupervisionOverdue reports whether, on today, a worker last supervised
// on last (zero: never) is past a target of every days. A worker never
// supervised is overdue: the target has no session to count from.
func SupervisionOverdue(last Date, every int, today Date) bool {
	if last.IsZero() {
		return true
	}
	return SupervisionDueOn(last, every).Before(today)
}

// AgendaItem is a case note marked "discuss at supervision", on its
// worker's agenda until a supervision that discusses its case is logged.
type AgendaItem struct {
	CaseID     string
	PersonName string
	ContactID  string
	At         time.Time
	Notes      string
}

// SupervisionFilter narrows a list of supervisions: those of one worker
// (empty: every one the actor took part in), paged.
type SupervisionFilter struct {
	WorkerID string
	Limit    int
	Offset   int
}

// Validate reports every problem with the filter as EINVALID.
func (f SupervisionFilter) Validate() error {
	var p Problems
	p.Text("worker", f.WorkerID, MaxIDLength)
	if f.Limit < 0 || f.Limit > MaxPageSize {
		p.Addf("limit", "Limit must be between 1 and %d", MaxPageSize)
	}
	if f.Offset < 0 {
		p.Add("offset", "Offset must be 0 or more")
	}
	return p.Err()
}

// SupervisionChoices is what a form logging a supervision offers: the
// link workers the actor may log a supervision for, those who may
// supervise, and, for the worker chosen, their open cases and their
// agenda.
type SupervisionChoices struct {
	Workers     []Named
	Supervisors []Named
	WorkerID    string
	Cases       []SupervisionCase
	Agenda      []*AgendaItem
}

// Named is a user's id and name, for a choice.
type Named struct {
	ID   string
	Name string
}

// SupervisionService records supervision. A supervision is seen only by
// its supervisor and the workers in it (ENOTFOUND for anyone else);
// every read and change is audited.
type SupervisionService interface {
	// LogSupervision records a supervision. The actor is its supervisor
	// or one of its workers, or a coordinator of the service; the
	// supervisor is a coordinator or the supervisor named for each
	// worker; the workers are enabled link workers of the service; each
	// case discussed is a case of one of them.
	LogSupervision(ctx context.Context, s *Supervision) error
	// FindSupervision returns a supervision the actor took part in.
	FindSupervision(ctx context.Context, id string) (*Supervision, error)
	// FindSupervisions lists the supervisions the actor took part in,
	// newest first, with the total.
	FindSupervisions(ctx context.Context, f SupervisionFilter) ([]*Supervision, int, error)
	// SupervisionChoices is what the form to log a supervision for the
	// worker offers (the actor's own agenda when workerID is empty and
	// the actor is a link worker).
	SupervisionChoices(ctx context.Context, workerID string) (*SupervisionChoices, error)
	// SetSupervisionTarget sets how often a link worker of the service
	// is supervised, and by whom. Coordinators only.
	SetSupervisionTarget(ctx context.Context, t SupervisionTarget) error
}
