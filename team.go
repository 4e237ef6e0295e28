package linkwork

import (
	"context"
	"strings"
	"time"
)

// TrainingCourse is a course a link worker has done.
type TrainingCourse string

// The courses: youth mental health first aid, safeguarding at levels 1
// to 3, managing endings, and any other, named.
const (
	CourseYouthMHFA       TrainingCourse = "youth_mhfa"
	CourseSafeguarding1   TrainingCourse = "safeguarding_1"
	CourseSafeguarding2   TrainingCourse = "safeguarding_2"
	CourseSafeguarding3   TrainingCourse = "safeguarding_3"
	CourseManagingEndings TrainingCourse = "managing_endings"
	CourseOther           TrainingCourse = "other"
)

// TrainingCourses are the courses, in the order offered.
var TrainingCourses = []TrainingCourse{CourseYouthMHFA, CourseSafeguarding1, CourseSafeguarding2, CourseSafeguarding3, CourseManagingEndings, CourseOther}

// Valid reports whether c is a known course.
func (c TrainingCourse) Valid() bool {
	for _, x := range TrainingCourses {
		if c == x {
			return true
		}
	}
	return false
}

// Label is the course in words.
func (c TrainingCourse) Label() string {
	switch c {
	case CourseYouthMHFA:
		return "Youth mental health first aid"
	case CourseSafeguarding1:
		return "Safeguarding level 1"
	case CourseSafeguarding2:
		return "Safeguarding level 2"
	case CourseSafeguarding3:
		return "Safeguarding level 3"
	case CourseManagingEndings:
		return "Managing endings"
	case CourseOther:
		return "Other"
	}
	return string(c)
}

// TrainingDueWithin is how many days before its renewal a course shows
// as due.
const TrainingDueWithin = 30

// TrainingRecord is a course a worker of the service completed, and when
// it is to be renewed (the zero Date: it is not renewed).
type TrainingRecord struct {
	ID           string
	ServiceOrgID string
	WorkerID     string
	WorkerName   string // filled when read
	Course       TrainingCourse
	CourseName   string // for CourseOther: what it was
	CompletedOn  Date
	RenewBy      Date

	ByUserID  string
	CreatedAt time.Time
}

// Title is the course as users read it: its name when it is another
// course.
func (t *TrainingRecord) Title() string {
	if t.Course == CourseOther && t.CourseName != "" {
		return t.CourseName
	}
	return t.Course.Label()
}

// Validate reports every problem with a training record to be made on
// today as EINVALID: a known course (named when other), completed on a
// day not in the future, and renewal after completion.
func (t *TrainingRecord) Validate(today Date) error {
	var p Problems
	t.CourseName = strings.TrimSpace(t.CourseName)
	switch {
	case t.Course == "":
		p.Add("course", "Choose the course")
	case !t.Course.Valid():
		p.Add("course", "Choose a course from the list")
	case t.Course == CourseOther && t.CourseName == "":
		p.Add("course_name", "Enter the name of the course")
	}
	p.Text("course_name", t.CourseName, MaxShortText)
	p.Text("worker_id", t.WorkerID, MaxIDLength)
	switch {
	case t.CompletedOn.IsZero():
		p.Add("completed_on", "Enter the date the course was completed")
	case today.Before(t.CompletedOn):
		p.Add("completed_on", "The date the course was completed must be today or in the past")
	}
	if !t.RenewBy.IsZero() && !t.CompletedOn.IsZero() && !t.CompletedOn.Before(t.RenewBy) {
		p.Add("renew_by", "The renewal date must be after the date the course was completed")
	}
	return p.Err()
}

// TrainingState is where a course stands against its renewal.
type TrainingState string

// The states: current, due within TrainingDueWithin days, or overdue.
const (
	TrainingCurrent TrainingState = "current"
	TrainingDue     TrainingState = "due"
	TrainingOverdue TrainingState = "overdue"
)

// State is where the course stands on today.
func (t *TrainingRecord) State(today Date) TrainingState {
	switch {
	case t.RenewBy.IsZero():
		return TrainingCurrent
	case t.RenewBy.Before(today):
		return TrainingOverdue
	case t.RenewBy.Before(DateOf(today.Time().AddDate(0, 0, TrainingDueWithin+1))):
		return TrainingDue
	}
	return TrainingCurrent
}

// TrainingFilter narrows a list of training records: one worker's (empty:
// all the actor may see), only those due or overdue for renewal (and not
// since renewed), paged.
type TrainingFilter struct {
	WorkerID string
	DueOnly  bool
	Limit    int
	Offset   int
}

// Validate reports every problem with the filter as EINVALID.
func (f TrainingFilter) Validate() error {
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

// TrainingService keeps the team's training records. A link worker
// records and sees their own; a coordinator records for anyone in the
// service and sees all of its records.
type TrainingService interface {
	// RecordTraining records a completed course (the actor's own when
	// WorkerID is empty).
	RecordTraining(ctx context.Context, t *TrainingRecord) error
	// FindTraining lists training records, renewal soonest first, with
	// the total.
	FindTraining(ctx context.Context, f TrainingFilter) ([]*TrainingRecord, int, error)
}

// TeamMember is one link worker's load, as a coordinator sees it on the
// team page: their caseload (WorkerLoad, whose weight is each open case's
// complexity, 1 to 3, and whose overdue count is the caseload's rules),
// sessions attended this month, when they were last supervised against
// their target, and their training due.
type TeamMember struct {
	WorkerLoad
	SessionsThisMonth  int
	LastSupervision    Date // zero: never
	SupervisionEvery   int  // days, the target in force
	SupervisorID       string
	SupervisorName     string
	SupervisionDue     Date // zero: due now (never supervised)
	SupervisionOverdue bool
	// TrainingDue and TrainingOverdue count the worker's courses due for
	// renewal within TrainingDueWithin days, and past it, not since
	// renewed.
	TrainingDue     int
	TrainingOverdue int
	// OpenConcerns counts the open safeguarding concerns about the people
	// of the worker's cases.
	OpenConcerns int
}

// TeamService is a coordinator's view of the team's load.
type TeamService interface {
	// Team lists a page of the enabled link workers of the actor's
	// service with their load, by name, and how many such workers there
	// are, in a fixed number of statements that read the page's workers'
	// cases alone. Coordinators only.
	Team(ctx context.Context, q TeamQuery) ([]TeamMember, int, error)
}
