package linkwork

import (
	"context"
	"strings"
	"time"
)

// Overdue is something on a case that is late.
type Overdue string

// The things that fall overdue on a caseload: first contact not made
// within the service's target after allocation, no contact for the
// service's quiet weeks, a review whose point has passed, and a
// follow-up after closing whose date has come, and a signposted activity
// whose details were given the service's signpost days ago without
// asking whether they went.
const (
	OverdueFirstContact Overdue = "first_contact"
	OverdueQuiet        Overdue = "no_contact"
	OverdueReview       Overdue = "review"
	OverdueFollowUp     Overdue = "follow_up"
	OverdueSignpost     Overdue = "signpost"
)

// Label is the overdue item as users read it.
func (o Overdue) Label() string {
	switch o {
	case OverdueFirstContact:
		return "First contact overdue"
	case OverdueQuiet:
		return "No contact for too long"
	case OverdueReview:
		return "Review overdue"
	case OverdueFollowUp:
		return "Follow-up due"
	case OverdueSignpost:
		return "Ask if they went"
	}
	return string(o)
}

// CaseloadItem is one case on a link worker's caseload, with what the
// worker needs to see at a glance.
type CaseloadItem struct {
	Case *Case
	// LastContact is the latest contact that has happened (not a booking);
	// NextContact the earliest session booked ahead. Zero when none.
	LastContact time.Time
	NextContact time.Time
	// Sessions is how many sessions the person attended.
	Sessions int
	// FirstContactMade: the person was reached, or attended a session.
	FirstContactMade bool
	// FirstContactDue is when first contact falls overdue, while it has
	// not been made.
	FirstContactDue time.Time
	// ReviewDue is the review point (a session count) reached without a
	// review; 0 when none is due.
	ReviewDue int
	// OpenConnections counts the person's live connections.
	OpenConnections int
	// RiskFlagged: the case's referral is flagged as a possible risk to
	// review today.
	RiskFlagged bool
	// SignpostedAt is when the person was first given the details of a
	// signposted activity they have not yet been asked about
	// (Connection.AwaitsFollowThrough); zero when none.
	SignpostedAt time.Time
	// Overdue lists what is late, in a fixed order.
	Overdue []Overdue
	// MeasuresDue are the mandated measures due
	// (MeasureSettings.MeasuresDue).
	MeasuresDue []MeasureDue

	reviewed int // the most sessions a review was held at
}

// IsOverdue reports whether anything on the case is late.
func (c *CaseloadItem) IsOverdue() bool { return len(c.Overdue) > 0 }

// Assess fills FirstContactDue, ReviewDue and Overdue from the rest, by
// the service's settings, at now (today is now's date in the UK).
func (c *CaseloadItem) Assess(s CaseworkSettings, now time.Time, today Date) {
	c.Overdue, c.ReviewDue, c.FirstContactDue = nil, 0, time.Time{}
	k := c.Case
	open := k.Status == CaseActive || k.Status == CaseEnding
	if open && !c.FirstContactMade && !k.AllocatedAt.IsZero() {
		c.FirstContactDue = k.AllocatedAt.Add(s.FirstContactDue())
		if !now.Before(c.FirstContactDue) {
			c.Overdue = append(c.Overdue, OverdueFirstContact)
		}
	}
	if open && c.FirstContactMade && !c.LastContact.IsZero() && now.Sub(c.LastContact) >= s.QuietFor() {
		c.Overdue = append(c.Overdue, OverdueQuiet)
	}
	if open {
		c.ReviewDue = reviewDue(s.Reviews(), c.Sessions, c.reviewed)
		if c.ReviewDue > 0 && c.Sessions > c.ReviewDue {
			c.Overdue = append(c.Overdue, OverdueReview)
		}
	}
	if open && s.SignpostDue(c.SignpostedAt, now) {
		c.Overdue = append(c.Overdue, OverdueSignpost)
	}
	if k.Status == CaseClosed && !k.FollowUpOn.IsZero() && !today.Before(k.FollowUpOn) && k.FollowedUpAt.IsZero() {
		c.Overdue = append(c.Overdue, OverdueFollowUp)
	}
}

// SetReviewed records the most sessions any review of the case was held
// at, for Assess.
func (c *CaseloadItem) SetReviewed(sessions int) { c.reviewed = sessions }

// reviewDue is the first review point reached by sessions that no review
// (held at reviewed sessions or more) has covered; 0 when none.
func reviewDue(points []int, sessions, reviewed int) int {
	for _, p := range points {
		if sessions >= p && reviewed < p {
			return p
		}
	}
	return 0
}

// The orders of a caseload.
const (
	CaseloadByOverdue     = "overdue"
	CaseloadByName        = "name"
	CaseloadByLastContact = "last_contact"
	CaseloadByNextContact = "next_contact"
)

// CaseloadQuery asks for a caseload: a link worker's own, or, for a
// coordinator, any worker's of their service.
type CaseloadQuery struct {
	WorkerID    string // empty: the actor's own
	Stage       CaseStatus
	OverdueOnly bool
	Sort        string // CaseloadBy…; empty means overdue first
}

// Whole reports whether the query asks for the whole caseload, not
// narrowed by stage or to what is overdue.
func (q CaseloadQuery) Whole() bool { return q.Stage == "" && !q.OverdueOnly }

// Count adds a caseload item to the load: an open case counts, weighted
// by its complexity; anything overdue is counted too.
func (l *WorkerLoad) Count(it *CaseloadItem) {
	if st := it.Case.Status; st == CaseActive || st == CaseEnding {
		l.Cases++
		l.Weighted += max(it.Case.Complexity, 1)
	}
	if it.IsOverdue() {
		l.Overdue++
	}
}

// CountFollowUpsDue adds n closed cases whose follow-up is due and not
// made: each is in the caseload for that alone, and overdue for it, as
// Assess finds.
func (l *WorkerLoad) CountFollowUpsDue(n int) { l.Overdue += n }

// Validate reports every problem with the query as EINVALID.
func (q CaseloadQuery) Validate() error {
	var p Problems
	switch q.Stage {
	case "", CaseActive, CaseEnding, CaseClosed:
	default:
		p.Add("stage", "Choose active, ending or closed")
	}
	switch q.Sort {
	case "", CaseloadByOverdue, CaseloadByName, CaseloadByLastContact, CaseloadByNextContact:
	default:
		p.Add("sort", "Sort by overdue, name, last_contact or next_contact")
	}
	p.Text("worker", q.WorkerID, MaxIDLength)
	return p.Err()
}

// TeamPageSize is how many link workers a page of the team's load shows.
// What is overdue is worked out case by case, so a page bounds what one
// request reads however many workers the service has.
const TeamPageSize = 50

// TeamQuery asks for the team's load: a page of the service's enabled
// link workers by name, or the one with WorkerID.
type TeamQuery struct {
	WorkerID string
	Offset   int // clamped to MaxOffset
	Limit    int // 0: TeamPageSize
}

// Validate reports every problem with the query as EINVALID.
func (q TeamQuery) Validate() error {
	var p Problems
	p.Text("worker", q.WorkerID, MaxIDLength)
	if q.Offset < 0 {
		p.Add("offset", "must be 0 or more")
	}
	if q.Limit < 0 || q.Limit > MaxPageSize {
		p.Addf("limit", "must be a whole number from 1 to %d", MaxPageSize)
	}
	return p.Err()
}

// Size is how many workers a page of the query holds.
func (q TeamQuery) Size() int {
	if q.Limit <= 0 {
		return TeamPageSize
	}
	return q.Limit
}

// WorkerLoad is one link worker's caseload in size: their open (active
// and ending) cases, the sum of those cases' complexity against the
// service's limit, and how many cases have something overdue.
type WorkerLoad struct {
	UserID   string
	Name     string
	Cases    int
	Weighted int
	Limit    int
	Overdue  int
}

// Full reports whether the worker has no room for another person.
func (w WorkerLoad) Full() bool { return w.Weighted >= w.Limit }

// Handover records a case passing from one link worker to another.
type Handover struct {
	ID           string
	CaseID       string
	FromWorkerID string
	FromName     string
	ToWorkerID   string
	ToName       string
	Note         string
	ByUserID     string
	At           time.Time
}

// MaxComplexity is the heaviest a case weighs in a caseload.
const MaxComplexity = 3

// AllocationService moves people off the waiting list and between link
// workers, and shows caseloads. Coordinators allocate, set complexity
// and hand over; a link worker with room takes the next person.
type AllocationService interface {
	// TakeNextCase gives the oldest waiting case of the actor's service
	// to the actor, a link worker whose weighted caseload is below the
	// service's limit. EINVALID when the caseload is full or nobody is
	// waiting.
	TakeNextCase(ctx context.Context) (*Case, error)
	// Caseload lists a link worker's open cases and closed cases with a
	// follow-up due, each with its contacts, reviews and what is overdue.
	Caseload(ctx context.Context, q CaseloadQuery) ([]*CaseloadItem, error)
	// WorkerLoads lists a page of the enabled link workers of the
	// actor's service, by name, with the size of their caseloads and
	// what is overdue in them, and how many such workers there are.
	WorkerLoads(ctx context.Context, q TeamQuery) ([]WorkerLoad, int, error)
	// WorkerChoices is WorkerLoads without what is overdue, at a cost
	// that does not grow with the caseloads: for choosing whom to
	// allocate or hand over to.
	WorkerChoices(ctx context.Context) ([]WorkerLoad, error)
	// AnyoneWaiting reports whether anyone is on the service's waiting
	// list, at a cost that does not grow with it.
	AnyoneWaiting(ctx context.Context) (bool, error)
	// WorkerLoad is one link worker's open cases and weighted load, as
	// WorkerChoices counts them. ENOTFOUND when they are not an enabled
	// link worker of the actor's service.
	WorkerLoad(ctx context.Context, workerID string) (*WorkerLoad, error)
	// SetComplexity sets an open case's complexity, 1 to 3. Coordinators
	// only; ECONFLICT when version is stale.
	SetComplexity(ctx context.Context, id string, version, complexity int) (*Case, error)
	// HandOverCase passes an open case to another link worker of the
	// service, with a note. Coordinators only.
	HandOverCase(ctx context.Context, id string, version int, toWorkerID, note string) (*Case, error)
	// HandOverCaseload passes every open case of one worker to another,
	// with a note, and reports how many. Coordinators only.
	HandOverCaseload(ctx context.Context, fromWorkerID, toWorkerID, note string) (int, error)
	// FindHandovers lists a case's hand-overs, newest first.
	FindHandovers(ctx context.Context, caseID string) ([]*Handover, error)

	WaitingWellService
}

// WaitingCheck is a "waiting well" check-in with someone on the waiting
// list: whether they were reached, whether they still want support, what
// has changed, and the two safety questions asked again.
type WaitingCheck struct {
	ID         string
	CaseID     string
	Contacted  bool
	StillWants Answer // yes, no or not sure
	Changed    string
	// SafeNow and HarmThoughts are asked as on the referral form; left
	// empty when the person was not reached.
	SafeNow      Answer
	HarmThoughts Answer
	// Flagged is what re-screening found: the answers and the risk
	// phrases in what has changed. Not empty means the referral was
	// flagged for review today again.
	Flagged []RiskMatch

	ByUserID string
	ByName   string // filled when read
	At       time.Time
}

// Validate reports every problem with a check-in as EINVALID: when the
// person was reached, whether they still want support and both safety
// questions are answered.
func (c *WaitingCheck) Validate() error {
	var p Problems
	c.Changed = strings.TrimSpace(c.Changed)
	if c.Contacted {
		if !c.StillWants.Valid() {
			p.Add("still_wants", "Choose whether they still want support")
		}
		if !c.SafeNow.Valid() {
			p.Add("safe_now", "Choose whether they are safe right now")
		}
		if !c.HarmThoughts.Valid() {
			p.Add("harm_thoughts", "Choose whether they have had thoughts of harming themselves or ending their life")
		}
	} else {
		for _, a := range []struct {
			name string
			v    Answer
		}{{"still_wants", c.StillWants}, {"safe_now", c.SafeNow}, {"harm_thoughts", c.HarmThoughts}} {
			if a.v != "" && !a.v.Valid() {
				p.Add(a.name, "Choose yes, no or not sure")
			}
		}
	}
	p.Text("changed", c.Changed, MaxText)
	p.Text("case_id", c.CaseID, MaxIDLength)
	return p.Err()
}

// ScreenWaitingCheck screens a check-in as a referral is screened: not
// safe now (no, or not sure), thoughts of harm (yes, or not sure), and
// every phrase found in what has changed.
func ScreenWaitingCheck(c *WaitingCheck, phrases []string) []RiskMatch {
	return ScreenRisk(&Referral{SafeNow: c.SafeNow, HarmThoughts: c.HarmThoughts, Reasons: c.Changed}, nil, phrases)
}

// WaitingWellService keeps in touch with the people waiting: check-ins,
// and the flagged ones at the top of triage.
type WaitingWellService interface {
	// AddWaitingCheck records a check-in on a waiting case of the actor's
	// service (link workers and coordinators). A check-in that discloses
	// a possible risk flags the case's referral for review today again,
	// and tells the safeguarding leads and coordinators.
	AddWaitingCheck(ctx context.Context, c *WaitingCheck) error
	// FindWaitingChecks lists a waiting case's check-ins, newest first.
	FindWaitingChecks(ctx context.Context, caseID string) ([]*WaitingCheck, error)
	// FindWaitingCase returns a waiting case of the actor's service, for
	// a check-in: a link worker may check in with someone not (yet) on
	// their caseload.
	FindWaitingCase(ctx context.Context, id string) (*Case, error)
	// FlaggedWhileWaiting lists the referrals of the service whose
	// person is waiting and was flagged as a possible risk at a check-in,
	// until someone records the risk review.
	FlaggedWhileWaiting(ctx context.Context) ([]*Referral, error)
}
