package linkwork

import (
	"context"
	"strings"
	"time"
)

// CaseStatus is where an episode of support is.
type CaseStatus string

// The case statuses: waiting for a link worker, active, ending (contact
// tapering, the ending planned), closed.
const (
	CaseWaiting CaseStatus = "waiting"
	CaseActive  CaseStatus = "active"
	CaseEnding  CaseStatus = "ending"
	CaseClosed  CaseStatus = "closed"
)

var caseTransitions = map[CaseStatus][]CaseStatus{
	CaseWaiting: {CaseActive, CaseClosed},
	CaseActive:  {CaseEnding, CaseClosed},
	CaseEnding:  {CaseActive, CaseClosed},
}

// CanBecome reports whether a case in status s may move to status t. A
// closed case stays closed: coming back opens a new case.
func (s CaseStatus) CanBecome(t CaseStatus) bool {
	for _, x := range caseTransitions[s] {
		if x == t {
			return true
		}
	}
	return false
}

// Label is the status as users read it.
func (s CaseStatus) Label() string {
	switch s {
	case CaseWaiting:
		return "Waiting"
	case CaseActive:
		return "Active"
	case CaseEnding:
		return "Ending"
	case CaseClosed:
		return "Closed"
	}
	return string(s)
}

// ClosureReason records why a case closed.
type ClosureReason string

// The closure reasons.
const (
	ClosedGoalsMet    ClosureReason = "goals_met"
	ClosedConnected   ClosureReason = "connected"  // connected to the community and going on alone
	ClosedOnward      ClosureReason = "onward"     // moved to another service
	ClosedDisengaged  ClosureReason = "disengaged" // stopped taking part
	ClosedDeclined    ClosureReason = "declined"   // decided not to take up support
	ClosedMovedAway   ClosureReason = "moved_away"
	ClosedNotSuitable ClosureReason = "not_suitable" // needs were beyond social prescribing
)

// ClosureReasons lists every reason.
var ClosureReasons = []ClosureReason{ClosedGoalsMet, ClosedConnected, ClosedOnward, ClosedDisengaged, ClosedDeclined, ClosedMovedAway, ClosedNotSuitable}

// Valid reports whether r is a known reason.
func (r ClosureReason) Valid() bool {
	for _, x := range ClosureReasons {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the reason as users read it.
func (r ClosureReason) Label() string {
	switch r {
	case ClosedGoalsMet:
		return "Goals met"
	case ClosedConnected:
		return "Connected to the community"
	case ClosedOnward:
		return "Moved to another service"
	case ClosedDisengaged:
		return "Disengaged"
	case ClosedDeclined:
		return "Declined support"
	case ClosedMovedAway:
		return "Moved away"
	case ClosedNotSuitable:
		return "Not suitable for social prescribing"
	}
	return string(r)
}

// Case is an episode of support for one person by a link worker, opened
// when a referral is accepted.
type Case struct {
	ID           string
	PersonID     string
	ReferralID   string
	ServiceOrgID string
	LinkWorkerID string // empty while waiting
	Status       CaseStatus

	PlannedSessions int // typically 6 to 12
	WhatMatters     string
	Needs           string
	Plan            string

	ClosureReason ClosureReason
	ClosureNote   string
	// OutcomeSummary is what the person agreed may be shared with their
	// referrer when the case closes.
	OutcomeSummary string

	OpenedAt    time.Time // when the referral was accepted: the waiting list's order
	AllocatedAt time.Time
	ClosedAt    time.Time
	FollowUpOn  Date

	// PersonName and LinkWorkerName are filled when a case is read.
	PersonName     string
	LinkWorkerName string

	// Complexity weights the case in its link worker's caseload: 1 to 3,
	// set by a coordinator.
	Complexity int
	// PreviousCaseID links a returning person's case to their last one.
	PreviousCaseID string
	// FollowedUpAt is when the follow-up contact after closing was made.
	FollowedUpAt time.Time

	// EndingSteps are the tapering steps planned when the case moved to
	// ending.
	EndingSteps     string
	EndingPlannedAt time.Time
	// ClosureDestination is the service the person moved to, or where
	// they were directed when social prescribing was not suitable.
	ClosureDestination string
	// ShareOutcome: the person agreed, on closing, to share the outcome
	// with their referrer.
	ShareOutcome bool
	FollowUpNote string

	Version   int
	UpdatedAt time.Time
}

// CaseFilter narrows a list of cases.
type CaseFilter struct {
	Status       []CaseStatus
	LinkWorkerID string
	PersonID     string
	Offset       int
	Limit        int
}

// Goal is something the person wants to work towards, in their own words,
// with how much it matters to them. Progress is rated 0-10 for how close
// they feel (Ratings, oldest first).
type Goal struct {
	ID         string
	CaseID     string
	Text       string
	Importance Importance
	CreatedAt  time.Time
	Achieved   bool
	AchievedAt time.Time
	Version    int

	Ratings []GoalRating
}

// ContactKind says whether a contact was an attempt to reach the person
// or a session with them.
type ContactKind string

// The kinds of contact.
const (
	ContactAttempt ContactKind = "attempt"
	ContactSession ContactKind = "session"
)

// ContactMode is how a session or contact took place.
type ContactMode string

// The contact modes. Sessions are face to face, by phone, video or text
// message; attempts to reach someone are also by email, letter or through
// someone (a parent, a partner, a worker).
const (
	ContactFaceToFace ContactMode = "face_to_face"
	ContactPhone      ContactMode = "phone"
	ContactVideo      ContactMode = "video"
	ContactText       ContactMode = "text"
	ContactEmail      ContactMode = "email"
	ContactLetter     ContactMode = "letter"
	ContactVia        ContactMode = "via_someone"
)

// ContactOutcome says whether the contact happened.
type ContactOutcome string

// The contact outcomes. A session is attended, not attended, cancelled
// (by the person or the service; "cancelled" alone is older records'),
// or booked ahead. An attempt reached the person, got no answer, or left
// a message.
const (
	ContactAttended           ContactOutcome = "attended"
	ContactDNA                ContactOutcome = "did_not_attend"
	ContactCancelled          ContactOutcome = "cancelled"
	ContactCancelledByPerson  ContactOutcome = "cancelled_by_person"
	ContactCancelledByService ContactOutcome = "cancelled_by_service"
	ContactBooked             ContactOutcome = "booked"
	ContactReached            ContactOutcome = "reached"
	ContactNoAnswer           ContactOutcome = "no_answer"
	ContactMessageLeft        ContactOutcome = "message_left"
)

// Kind is the kind of contact an outcome belongs to.
func (o ContactOutcome) Kind() ContactKind {
	switch o {
	case ContactReached, ContactNoAnswer, ContactMessageLeft:
		return ContactAttempt
	}
	return ContactSession
}

// Contact is one session or contact between a link worker and a person.
type Contact struct {
	ID           string
	CaseID       string
	Kind         ContactKind
	At           time.Time
	Mode         ContactMode
	LocationType string // "school", "community centre", "youth hub", "home", "outdoors", …
	Outcome      ContactOutcome
	Minutes      int
	Notes        string
	// DiscussAtSupervision puts the note on its worker's supervision
	// agenda until a supervision discussing the case is logged.
	DiscussAtSupervision bool
	ByUserID             string

	Version   int
	CreatedAt time.Time
}

// Validate reports every problem with c as EINVALID. A contact's kind
// (derived from its outcome when empty) decides the modes and outcomes
// it may have: an attempt is a call, text, letter, email or a message
// through someone, that reached the person, got no answer or left a
// message; a session is face to face, by phone, video or text, and was
// attended, not attended, cancelled or is booked. Older records'
// "cancelled" stays valid (ValidateNew refuses it for new records).
func (c *Contact) Validate() error {
	var p Problems
	kind := c.Kind
	if kind == "" {
		kind = c.Outcome.Kind()
	}
	switch kind {
	case ContactAttempt:
		if !hasMode(AttemptModes, c.Mode) {
			p.Add("mode", "Choose how you tried to reach them: phone call, text, letter, email or through someone")
		}
		if !hasOutcome(AttemptOutcomes, c.Outcome) {
			p.Add("outcome", "Choose reached, no answer or message left")
		}
	case ContactSession:
		if !hasMode(SessionModes, c.Mode) {
			p.Add("mode", "Choose face to face, phone, video or text")
		}
		if !hasOutcome(SessionOutcomes, c.Outcome) && c.Outcome != ContactBooked && c.Outcome != ContactCancelled {
			p.Add("outcome", "Choose attended, did not attend, cancelled by the person or cancelled by the service")
		}
	default:
		p.Add("kind", "Choose attempt or session")
	}
	if c.Kind != "" && c.Outcome != "" && c.Outcome.Kind() != c.Kind && !p.Has("outcome") {
		p.Add("outcome", "That outcome belongs to "+strings.ToLower(c.Outcome.Kind().Label())+"s, not "+strings.ToLower(c.Kind.Label())+"s")
	}
	if c.At.IsZero() {
		p.Add("at", "Enter when the contact took place")
	}
	if c.Minutes < 0 || c.Minutes > 24*60 {
		p.Add("minutes", "Length must be between 0 and 1440 minutes")
	}
	p.Text("id", c.ID, MaxIDLength)
	p.Text("case_id", c.CaseID, MaxIDLength)
	p.Text("location_type", c.LocationType, MaxShortText)
	p.Text("notes", c.Notes, MaxText)
	return p.Err()
}

// Engagement is a review's answer to "have they engaged?".
type Engagement string

// The answers.
const (
	EngagedYes    Engagement = "yes"
	EngagedPartly Engagement = "partly"
	EngagedNo     Engagement = "no"
)

// ReviewDecision is what a review decided.
type ReviewDecision string

// The decisions: carry on, start planning the ending, or close.
const (
	ReviewContinue    ReviewDecision = "continue"
	ReviewStartEnding ReviewDecision = "start_ending"
	ReviewClose       ReviewDecision = "close"
)

// Review is a planned review of a case at one of the service's review
// points (after session 3 and 6, say).
type Review struct {
	ID       string
	CaseID   string
	At       time.Time
	Sessions int // sessions attended when the review was held
	Engaged  Engagement
	WhyNot   string // when they have not engaged, or only partly
	Notes    string
	Decision ReviewDecision
	ByUserID string
	// Ratings are the goals re-rated in the review (GoalID, Rating, Scale).
	Ratings []GoalRating

	CreatedAt time.Time
}

// CaseClosure closes a case.
type CaseClosure struct {
	Reason         ClosureReason
	Note           string
	OutcomeSummary string
	// FollowUpOn defaults to the service's follow-up weeks after today.
	FollowUpOn Date
	// Destination is which service the person moved to (onward), or where
	// they were directed (not suitable).
	Destination string
	// ShareOutcome is whether the person, asked on closing, agreed to
	// share the outcome with their referrer: recorded as their consent to
	// share with the referrer. Nil when not asked: what they agreed before
	// stands.
	ShareOutcome *bool
}

// Validate reports every problem with the closure as EINVALID.
func (c CaseClosure) Validate() error {
	var p Problems
	if !c.Reason.Valid() {
		p.Add("reason", "Choose why the case is closing")
	}
	if c.Reason == ClosedNotSuitable && strings.TrimSpace(c.Note) == "" && strings.TrimSpace(c.Destination) == "" {
		p.Add("destination", "Say where the person was directed instead")
	}
	if c.Reason == ClosedOnward && strings.TrimSpace(c.Destination) == "" {
		p.Add("destination", "Say which service the person moved to")
	}
	p.Text("destination", c.Destination, MaxShortText)
	p.Text("note", c.Note, MaxText)
	p.Text("outcome_summary", c.OutcomeSummary, MaxText)
	return p.Err()
}

// MaxPlannedSessions is the most sessions a case may plan.
const MaxPlannedSessions = 52

// Validate reports every problem with what a case's link worker writes
// (UpdateCase) as EINVALID: planned sessions from 0 to
// MaxPlannedSessions, and what matters, needs and the plan each at most
// MaxText characters.
func (c *Case) Validate() error {
	var p Problems
	if c.PlannedSessions < 0 || c.PlannedSessions > MaxPlannedSessions {
		p.Addf("planned_sessions", "Planned sessions must be between 0 and %d", MaxPlannedSessions)
	}
	p.Text("id", c.ID, MaxIDLength)
	p.Text("what_matters", c.WhatMatters, MaxText)
	p.Text("needs", c.Needs, MaxText)
	p.Text("plan", c.Plan, MaxText)
	return p.Err()
}

// Validate reports every problem with a new goal as EINVALID: the text,
// trimmed, is required and at most MaxShortText characters.
func (g *Goal) Validate() error {
	var p Problems
	g.Text = strings.TrimSpace(g.Text)
	if g.Text == "" {
		p.Add("text", "Enter the goal in the person's own words")
	}
	p.Text("text", g.Text, MaxShortText)
	if g.Importance < ImportanceNotSaid || g.Importance > ImportanceVery {
		p.Add("importance", "Importance must be 1 (a little), 2 (quite a lot) or 3 (very much)")
	}
	for _, r := range g.Ratings {
		ValidateRating(&p, "rating", r.Rating, r.Scale)
	}
	p.Text("id", g.ID, MaxIDLength)
	p.Text("case_id", g.CaseID, MaxIDLength)
	return p.Err()
}

// CaseService manages episodes of support. A link worker sees and works on
// their own caseload; coordinators and safeguarding leads see every case in
// their service; coordinators allocate. Every read and change is audited.
type CaseService interface {
	// FindCaseByID returns one case, or ENOTFOUND.
	FindCaseByID(ctx context.Context, id string) (*Case, error)
	// FindCases returns a page of the cases the actor may see, and the
	// total. Waiting cases come oldest first (the waiting list's order),
	// others newest first.
	FindCases(ctx context.Context, f CaseFilter) ([]*Case, int, error)
	// AllocateCase gives a waiting case to a link worker of the service.
	// Coordinators only; EINVALID when the user is not a link worker of the
	// service or the case is not waiting; ECONFLICT when version is stale.
	AllocateCase(ctx context.Context, id string, version int, linkWorkerID string) (*Case, error)
	// UpdateCase saves what matters, needs, plan and planned sessions.
	UpdateCase(ctx context.Context, c *Case) error
	// CloseCase ends a case with a reason. EINVALID without a reason.
	CloseCase(ctx context.Context, id string, version int, cl CaseClosure) (*Case, error)
	// AddContact records a session or contact on a case.
	AddContact(ctx context.Context, c *Contact) error
	// FindContacts lists a case's contacts, newest first.
	FindContacts(ctx context.Context, caseID string) ([]*Contact, error)
	// RecordSession records what happened to a booked session (attended,
	// did not attend, cancelled by the person or the service), withdrawing
	// its reminder if unsent. ECONFLICT when version is stale.
	RecordSession(ctx context.Context, id string, version int, outcome ContactOutcome, minutes int, notes string) (*Contact, error)
	// AddGoal records a goal on a case, with its first rating when it
	// has one (g.Ratings). EINVALID when the case already works on the
	// service's most open goals (CaseworkSettings.Goals) or the text is
	// empty.
	AddGoal(ctx context.Context, g *Goal) error
	// FindGoals lists a case's goals, oldest first, with their ratings.
	FindGoals(ctx context.Context, caseID string) ([]*Goal, error)
	// UpdateCaseAbout saves what matters, needs (in words and by domain),
	// the plan and planned sessions at the case's version; it never
	// changes the case's status or complexity.
	UpdateCaseAbout(ctx context.Context, caseID string, a CaseAbout) (*Case, error)
	// FindCaseNeeds lists a case's needs by domain.
	FindCaseNeeds(ctx context.Context, caseID string) ([]CaseNeed, error)

	CasePlanService
}
