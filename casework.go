package linkwork

import (
	"context"
	"fmt"
	"time"
)

// CaseworkSettings are a service's rules for the support half of the
// journey: how soon first contact is due, how long silence may last,
// how many sessions a case plans, when reviews fall, how many goals a
// plan holds, when a follow-up is due, and how full a caseload is. A zero
// field means the default (the method of the same name gives the value
// in force).
type CaseworkSettings struct {
	// FirstContactDays: first contact with a newly allocated person is
	// overdue after this many days. Default 5.
	FirstContactDays int
	// QuietWeeks: an open case with no contact for this many weeks is
	// overdue. Default 3.
	QuietWeeks int
	// PlannedSessions is what a new case plans. Default 6.
	PlannedSessions int
	// ReviewSessions are the session counts at which a review is due.
	// Default 3 and 6.
	ReviewSessions []int
	// MaxGoals is how many goals a plan works on at once. Default 3.
	MaxGoals int
	// FollowUpWeeks is how long after closing a follow-up is suggested.
	// Default 12.
	FollowUpWeeks int
	// CaseloadLimit is the weighted caseload (each case counts its
	// complexity, 1 to 3) at which a link worker has no room to take the
	// next person. Default 30.
	CaseloadLimit int
	// SignpostCheckDays is how many days after a signposted person is
	// given an activity's details the link worker is prompted to ask
	// whether they went. Default DefaultSignpostCheckDays.
	SignpostCheckDays int
	// SupervisionDays is how often a link worker is supervised when their
	// own target does not say. Default DefaultSupervisionDays.
	SupervisionDays int
}

// The casework defaults and bounds.
const (
	DefaultFirstContactDays = 5
	DefaultQuietWeeks       = 3
	DefaultPlannedSessions  = 6
	DefaultMaxGoals         = 3
	DefaultFollowUpWeeks    = 12
	DefaultCaseloadLimit    = 30
	MaxGoalsLimit           = 10
	MaxCaseloadLimit        = 200
)

// DefaultReviewSessions are the sessions after which a review is due.
var DefaultReviewSessions = []int{3, 6}

func orDefault(v, d int) int {
	if v > 0 {
		return v
	}
	return d
}

// FirstContactDue is how long after allocation first contact is overdue.
func (c CaseworkSettings) FirstContactDue() time.Duration {
	return time.Duration(orDefault(c.FirstContactDays, DefaultFirstContactDays)) * 24 * time.Hour
}

// QuietFor is how long an open case may go without contact.
func (c CaseworkSettings) QuietFor() time.Duration {
	return time.Duration(orDefault(c.QuietWeeks, DefaultQuietWeeks)) * 7 * 24 * time.Hour
}

// Sessions is how many sessions a new case plans.
func (c CaseworkSettings) Sessions() int { return orDefault(c.PlannedSessions, DefaultPlannedSessions) }

// Reviews are the session counts at which a review is due, ascending.
func (c CaseworkSettings) Reviews() []int {
	if len(c.ReviewSessions) == 0 {
		return DefaultReviewSessions
	}
	return c.ReviewSessions
}

// Goals is how many goals a plan works on at once.
func (c CaseworkSettings) Goals() int { return orDefault(c.MaxGoals, DefaultMaxGoals) }

// FollowUpAfter is how many weeks after closing a follow-up is suggested.
func (c CaseworkSettings) FollowUpAfter() int {
	return orDefault(c.FollowUpWeeks, DefaultFollowUpWeeks)
}

// Limit is the weighted caseload at which a link worker is full.
func (c CaseworkSettings) Limit() int { return orDefault(c.CaseloadLimit, DefaultCaseloadLimit) }

// SignpostCheck is how many days after the details of a signposted
// activity are given the link worker asks whether the person went.
func (c CaseworkSettings) SignpostCheck() int {
	return orDefault(c.SignpostCheckDays, DefaultSignpostCheckDays)
}

// SignpostDue reports whether, at now, it is time to ask a person who
// was given a signposted activity's details at since whether they went.
func (c CaseworkSettings) SignpostDue(since, now time.Time) bool {
	return !since.IsZero() && now.Sub(since) >= time.Duration(c.SignpostCheck())*24*time.Hour
}

// SupervisionEvery is how many days may pass between a link worker's
// supervisions, unless their own target says.
func (c CaseworkSettings) SupervisionEvery() int {
	return orDefault(c.SupervisionDays, DefaultSupervisionDays)
}

// validate adds every problem with the casework settings to p.
func (c CaseworkSettings) validate(p *Problems) {
	if c.FirstContactDays < 0 || c.FirstContactDays > 90 {
		p.Add("first_contact_days", "First contact target must be between 1 and 90 days")
	}
	if c.QuietWeeks < 0 || c.QuietWeeks > 52 {
		p.Add("quiet_weeks", "Weeks without contact must be between 1 and 52")
	}
	if c.PlannedSessions < 0 || c.PlannedSessions > MaxPlannedSessions {
		p.Addf("planned_sessions", "Planned sessions must be between 1 and %d", MaxPlannedSessions)
	}
	last := 0
	for i, n := range c.ReviewSessions {
		if n < 1 || n > MaxPlannedSessions {
			p.Addf("review_sessions", "Review %d must fall after a session between 1 and %d", i+1, MaxPlannedSessions)
			break
		}
		if n <= last {
			p.Add("review_sessions", "List the review sessions in order, each once, like 3, 6")
			break
		}
		last = n
	}
	if len(c.ReviewSessions) > 12 {
		p.Add("review_sessions", "List at most 12 review points")
	}
	if c.MaxGoals < 0 || c.MaxGoals > MaxGoalsLimit {
		p.Addf("max_goals", "Goals at once must be between 1 and %d", MaxGoalsLimit)
	}
	if c.FollowUpWeeks < 0 || c.FollowUpWeeks > 104 {
		p.Add("follow_up_weeks", "Follow-up must be between 1 and 104 weeks after closing")
	}
	if c.CaseloadLimit < 0 || c.CaseloadLimit > MaxCaseloadLimit {
		p.Addf("caseload_limit", "Caseload limit must be between 1 and %d", MaxCaseloadLimit)
	}
	if c.SignpostCheckDays < 0 || c.SignpostCheckDays > 90 {
		p.Add("signpost_check_days", "Asking whether they went must be between 1 and 90 days after the details are given")
	}
	if c.SupervisionDays < 0 || c.SupervisionDays > MaxSupervisionDays {
		p.Addf("supervision_days", "Supervision frequency must be between 1 and %d days", MaxSupervisionDays)
	}
}

// MessageChannel is how a message reaches a person supported by the
// service.
type MessageChannel string

// The channels of messages to people: a text message, an email, or a
// letter the service prints and posts (for people without a phone or the
// internet).
const (
	MessageText   MessageChannel = "text"
	MessageEmail  MessageChannel = "email"
	MessageLetter MessageChannel = "letter"
)

// Label is the channel as users read it.
func (c MessageChannel) Label() string {
	switch c {
	case MessageText:
		return "Text message"
	case MessageEmail:
		return "Email"
	case MessageLetter:
		return "Letter (to print and post)"
	}
	return string(c)
}

// MessageKind is what a message to a person is about.
type MessageKind string

// The kinds of message to a person.
const (
	MessageAllocated  MessageKind = "allocated" // a link worker will be in touch
	MessageHandedOver MessageKind = "handed_over"
	MessageReminder   MessageKind = "reminder" // of a booked session
	MessagePlan       MessageKind = "plan"     // "my plan"
	MessageActivity   MessageKind = "activity" // an activity's details, for a signpost
)

// PersonMessage is a message to a person the service supports, in the
// service's outbox: sent by text or email (GOV.UK Notify or SMTP), or
// printed as a letter. Every message is visible on the person's case.
type PersonMessage struct {
	ID       string
	PersonID string
	CaseID   string
	Kind     MessageKind
	Channel  MessageChannel
	To       string // phone number or email address; the address for a letter
	Subject  string
	Body     string
	// SendAfter holds a reminder back until shortly before its session.
	SendAfter time.Time

	CreatedAt time.Time
	SentAt    time.Time
	Attempts  int
	LastError string
	// ProviderID is the sending service's id for the message (GOV.UK
	// Notify's notification id), once sent.
	ProviderID string
}

// Status is the message's state as users read it.
func (m *PersonMessage) Status() string {
	switch {
	case !m.SentAt.IsZero() && m.Channel == MessageLetter:
		return "Printed"
	case !m.SentAt.IsZero():
		return "Sent"
	case m.Attempts >= MaxEmailAttempts:
		return fmt.Sprintf("Failed after %d tries: %s", m.Attempts, m.LastError)
	case m.Attempts > 0:
		return fmt.Sprintf("Not sent yet (%d tries): %s", m.Attempts, m.LastError)
	case m.Channel == MessageLetter:
		return "To print"
	case m.LastError != "":
		return "Waiting: " + m.LastError
	}
	return "Waiting to send"
}

// MessageChannelFor chooses how to reach p: the first of their chosen
// channels that the service can use with the details it holds (a text
// needs a phone number, an email an address, a letter a postal address).
// It reports false when none can be used: the person has chosen to be
// contacted only by phone call or through someone else, or has given no
// details for the channels they chose.
func MessageChannelFor(p *Person) (MessageChannel, string, bool) {
	for _, c := range p.Contact.Channels {
		switch c {
		case ChannelText:
			if p.Phone != "" {
				return MessageText, p.Phone, true
			}
		case ChannelEmail:
			if p.Email != "" {
				return MessageEmail, p.Email, true
			}
		case ChannelLetter:
			if p.Address != "" {
				return MessageLetter, p.Address + "\n" + p.Postcode, true
			}
		}
	}
	return "", "", false
}

// MessageService is the outbox of messages to the people the service
// supports. Those who may see a case see its messages. Every read is
// audited.
type MessageService interface {
	// FindMessages lists the messages about a case, newest first.
	FindMessages(ctx context.Context, caseID string) ([]*PersonMessage, error)
	// MarkPrinted records that a letter in the outbox was printed to be
	// posted, by someone who may work on its case. EINVALID for a message
	// that is not a letter; ECONFLICT when it was already printed.
	MarkPrinted(ctx context.Context, id string) (*PersonMessage, error)
}
