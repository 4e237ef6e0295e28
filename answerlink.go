package linkwork

import (
	"context"
	"strings"
	"time"
)

// Groups that answer through a one-time link. A group with an account
// answers a referral on its own page in linkwork; a group without one is
// sent a link (by email or text, no account needed) that opens a page
// with what it needs to welcome the person and one question: can you
// take them; once they have been, did they come; and, some weeks after,
// are they still coming. Each answer moves the connection on, recorded
// as made by the group through its link.

// AnswerLinkDays is how long a link to answer works once it is sent: as
// long as a listing's verification link.
const AnswerLinkDays = VerifyLinkDays

// StillComingDays is how long after a group says the person came it is
// asked whether they are still coming.
const StillComingDays = 28

// AnswerActorPrefix marks what a group did through its link, in a
// connection's moves and the audit trail: "answer-link:" and the link's
// id.
const AnswerActorPrefix = "answer-link:"

// AnswerQuestion is what a link asks the group.
type AnswerQuestion string

// The questions a link asks: whether the group can take the person (a
// referral), whether they came (once they have been), and whether they
// are still coming.
const (
	AskReferral    AnswerQuestion = "referral"
	AskAttendance  AnswerQuestion = "attendance"
	AskStillComing AnswerQuestion = "still_coming"
)

// AnswerQuestions are the questions, in the order a group is asked them.
var AnswerQuestions = []AnswerQuestion{AskReferral, AskAttendance, AskStillComing}

// Awaits is the connection status in which the question is waiting for
// its answer: a link whose connection has moved on has nothing to ask.
func (q AnswerQuestion) Awaits() ConnectionStatus {
	switch q {
	case AskReferral:
		return ConnContacted
	case AskAttendance:
		return ConnAccepted
	case AskStillComing:
		return ConnAttended
	}
	return ""
}

// QuestionFor is the question a link sent now about a connection in
// status s would ask, and false when there is none to ask (the
// connection has ended, or they keep going). A suggestion is asked about
// as a referral: sending the link is contacting the group.
func QuestionFor(s ConnectionStatus) (AnswerQuestion, bool) {
	switch s {
	case ConnSuggested, ConnContacted:
		return AskReferral, true
	case ConnAccepted:
		return AskAttendance, true
	case ConnAttended:
		return AskStillComing, true
	}
	return "", false
}

// Label is the question in the link worker's words.
func (q AnswerQuestion) Label() string {
	switch q {
	case AskReferral:
		return "Can they take them?"
	case AskAttendance:
		return "Did they come?"
	case AskStillComing:
		return "Are they still coming?"
	}
	return string(q)
}

// Ask is the question as the group reads it, about the person called
// name at the activity.
func (q AnswerQuestion) Ask(name, activity string) string {
	switch q {
	case AskReferral:
		return "Can you take " + name + " at " + activity + "?"
	case AskAttendance:
		return "Did " + name + " come to " + activity + "?"
	case AskStillComing:
		return "Is " + name + " still coming to " + activity + "?"
	}
	return string(q)
}

// Answers are the answers to q, in the order offered.
func (q AnswerQuestion) Answers() []GroupAnswer {
	switch q {
	case AskReferral:
		return []GroupAnswer{AnswerAccept, AnswerDecline}
	case AskAttendance:
		return []GroupAnswer{AnswerCame, AnswerDidNotCome}
	case AskStillComing:
		return []GroupAnswer{AnswerStillComing, AnswerStopped}
	}
	return nil
}

// GroupAnswer is a group's answer through its link.
type GroupAnswer string

// The answers a group gives through its link.
const (
	AnswerAccept      GroupAnswer = "accept"
	AnswerDecline     GroupAnswer = "decline"
	AnswerCame        GroupAnswer = "came"
	AnswerDidNotCome  GroupAnswer = "did_not_come"
	AnswerStillComing GroupAnswer = "still_coming"
	AnswerStopped     GroupAnswer = "stopped_coming"
)

// GroupAnswers are every answer, in the order of the journey.
var GroupAnswers = []GroupAnswer{AnswerAccept, AnswerDecline, AnswerCame, AnswerDidNotCome, AnswerStillComing, AnswerStopped}

// Label is the answer as the group reads it.
func (a GroupAnswer) Label() string {
	switch a {
	case AnswerAccept:
		return "Yes, we can take them"
	case AnswerDecline:
		return "No, we cannot take them"
	case AnswerCame:
		return "Yes, they came"
	case AnswerDidNotCome:
		return "No, they did not come"
	case AnswerStillComing:
		return "Yes, they are still coming"
	case AnswerStopped:
		return "No, they have stopped coming"
	}
	return string(a)
}

// The reasons a connection is dropped when a group answers that the
// person did not come, or stopped coming.
const (
	ReasonDidNotCome = "did not come"
	ReasonStopped    = "stopped coming"
)

// Move is the connection's status after the answer, and the move's
// reason: the decline's code, or why a connection was dropped.
func (a GroupAnswer) Move(decline DeclineReason) (ConnectionStatus, string) {
	switch a {
	case AnswerAccept:
		return ConnAccepted, ""
	case AnswerDecline:
		return ConnDeclined, string(decline)
	case AnswerCame:
		return ConnAttended, ""
	case AnswerDidNotCome:
		return ConnDropped, ReasonDidNotCome
	case AnswerStillComing:
		return ConnContinuing, ""
	case AnswerStopped:
		return ConnDropped, ReasonStopped
	}
	return "", ""
}

// Next is the question the group is asked after answering a, and false
// when there is none: once they can take the person, whether they came;
// once they came, whether they are still coming.
func (a GroupAnswer) Next() (AnswerQuestion, bool) {
	switch a {
	case AnswerAccept:
		return AskAttendance, true
	case AnswerCame:
		return AskStillComing, true
	}
	return "", false
}

// GroupReply is a group's reply through its link: the answer, why it
// cannot take the person when it declines, and a note for the link
// worker.
type GroupReply struct {
	Answer GroupAnswer
	Reason DeclineReason
	Note   string
}

// Validate reports every problem with a reply to question q as EINVALID:
// one of the question's answers, a known reason for a decline and none
// otherwise, and a note of at most MaxText characters.
func (r *GroupReply) Validate(q AnswerQuestion) error {
	var p Problems
	ok := false
	for _, a := range q.Answers() {
		ok = ok || r.Answer == a
	}
	if !ok {
		var labels []string
		for _, a := range q.Answers() {
			labels = append(labels, strings.ToLower(a.Label()))
		}
		p.Add("answer", "Choose "+strings.Join(labels, " or "))
	}
	switch {
	case r.Answer == AnswerDecline:
		switch r.Reason {
		case DeclineFull, DeclineNotSuitable, DeclineNotRunning, DeclineOther:
		case "":
			p.Add("reason", "Choose why you cannot take them")
		default:
			p.Add("reason", "Choose full, not suitable, not running or other")
		}
	case r.Reason != "":
		p.Add("reason", "Only a decline has a reason: put anything else in the note")
	}
	p.Text("note", r.Note, MaxText)
	return p.Err()
}

// Move is the connection move the reply makes, at the connection's
// version.
func (r *GroupReply) Move(version int) ConnectionMove {
	to, reason := r.Answer.Move(r.Reason)
	return ConnectionMove{To: to, Reason: reason, Note: strings.TrimSpace(r.Note), Version: version}
}

// LinkChannel is how a link reaches a group.
type LinkChannel string

// The channels a link goes by.
const (
	LinkEmail LinkChannel = "email"
	LinkText  LinkChannel = "text"
)

// LinkChannels are the channels, in the order offered.
var LinkChannels = []LinkChannel{LinkEmail, LinkText}

// Label is the channel as users read it.
func (c LinkChannel) Label() string {
	switch c {
	case LinkEmail:
		return "Email"
	case LinkText:
		return "Text message"
	}
	return string(c)
}

// AnswerLinkRequest is a link worker's request to send a group a link:
// by which channel, and to which address or number.
type AnswerLinkRequest struct {
	Channel LinkChannel
	To      string
}

// Normalised returns the request with the address trimmed.
func (r AnswerLinkRequest) Normalised() AnswerLinkRequest {
	r.To = strings.TrimSpace(r.To)
	return r
}

// Validate reports every problem with the request as EINVALID: a known
// channel, and an email address for an email or a mobile number for a
// text.
func (r *AnswerLinkRequest) Validate() error {
	var p Problems
	switch r.Channel {
	case LinkEmail:
		if r.To == "" {
			p.Add("to", "Enter the email address to send the link to")
		} else {
			p.Email("to", r.To)
		}
	case LinkText:
		switch {
		case r.To == "":
			p.Add("to", "Enter the mobile number to text the link to")
		case p.Text("to", r.To, MaxShortText) && !ValidMobile(r.To):
			p.Add("to", "Enter a mobile number to text, like 07700 900123")
		}
	default:
		p.Add("channel", "Choose email or text message")
		p.Text("to", r.To, MaxShortText)
	}
	return p.Err()
}

// ValidMobile reports whether s looks like a phone number a text can go
// to: digits (10 to 15 of them), with spaces, dashes or brackets between
// them and perhaps a + in front.
func ValidMobile(s string) bool {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-' || r == '(' || r == ')':
		default:
			return false
		}
	}
	return digits >= 10 && digits <= 15
}

// AnswerLink is a one-time link sent to the group running a connection's
// activity: what it asks, how and to whom it went, when it was sent and
// until when it works, and the group's answer once given. The link's
// token is kept only as a hash.
type AnswerLink struct {
	ID           string
	ConnectionID string
	CaseID       string
	Question     AnswerQuestion
	Channel      LinkChannel
	To           string
	// Group is the organisation (or, without one, the activity) the link
	// was sent to; Activity the activity's name. Filled when read.
	Group, Activity string
	// SentByID is the user who sent the link; empty when the service sent
	// it after an answer. SentByName is filled when read.
	SentByID, SentByName string
	CreatedAt            time.Time
	// SendAfter holds a link back: a "still coming?" link waits
	// StillComingDays after the person came.
	SendAfter time.Time
	ExpiresAt time.Time
	SentAt    time.Time
	Attempts  int
	LastError string
	// UsedAt is when the group answered; WithdrawnAt when a newer link
	// for the connection replaced it.
	UsedAt      time.Time
	WithdrawnAt time.Time
	Answer      GroupAnswer
	Reason      string
}

// Status is where the link stands, as the link worker reads it, at now.
func (l *AnswerLink) Status(now time.Time) string {
	switch {
	case !l.UsedAt.IsZero():
		return "Answered: " + strings.ToLower(l.Answer.Label())
	case !l.WithdrawnAt.IsZero():
		return "Replaced by a newer link"
	case !now.Before(l.ExpiresAt):
		return "Expired without an answer"
	case !l.SentAt.IsZero():
		return "Sent, waiting for an answer"
	case l.Attempts >= MaxEmailAttempts:
		return "Could not be sent: " + l.LastError
	case l.LastError != "":
		return "Not sent yet: " + l.LastError
	case now.Before(l.SendAfter):
		return "To be sent"
	}
	return "Waiting to send"
}

// WelcomeContact is one way the group may reach the person: the channel
// they chose and its detail (a number, an address, or who to go
// through).
type WelcomeContact struct {
	Channel Channel
	Detail  string
}

// Welcome is what a group sees through its link: the person's name, how
// they chose to be contacted, their access needs, who at the service to
// talk to, and the question. Nothing else about them: no reasons for
// the referral, notes, date of birth or address.
type Welcome struct {
	Question  AnswerQuestion
	ExpiresAt time.Time
	Activity  string
	Group     string

	FirstName, LastName string
	Contact             []WelcomeContact
	BestTimes           string
	SafeToLeaveMessage  bool
	AccessNeeds         string
	Languages           string
	NeedsInterpreter    bool

	LinkWorker, LinkWorkerEmail string
	Service                     string
	ServicePhone, ServiceEmail  string
}

// Name is the person's name as the group reads it.
func (w *Welcome) Name() string { return strings.TrimSpace(w.FirstName + " " + w.LastName) }

// Ask is the link's question about the person.
func (w *Welcome) Ask() string { return w.Question.Ask(w.FirstName, w.Activity) }

// WelcomeOf fills w with what a group needs of p to welcome them: their
// first name (the one they use) and last name; each way of contacting
// them they chose, with its detail (a call or text goes to their phone,
// an email to their address, contact through someone names who; a
// letter is the service's to send, so no address); when to call and
// whether a message may be left; and their access and language needs.
func (w *Welcome) WelcomeOf(p *Person) {
	w.FirstName = p.GivenName
	if p.PreferredName != "" {
		w.FirstName = p.PreferredName
	}
	w.LastName = p.FamilyName
	w.Contact = nil
	for _, c := range p.Contact.Channels {
		var detail string
		switch c {
		case ChannelPhone, ChannelText:
			detail = p.Phone
		case ChannelEmail:
			detail = p.Email
		case ChannelVia:
			detail = p.Contact.Via
		}
		if detail != "" {
			w.Contact = append(w.Contact, WelcomeContact{Channel: c, Detail: detail})
		}
	}
	w.BestTimes, w.SafeToLeaveMessage = p.Contact.BestTimes, p.Contact.SafeToLeaveMessage
	w.AccessNeeds, w.Languages, w.NeedsInterpreter = p.AccessibilityNeeds, p.Languages, p.NeedsInterpreter
}

// Answered is what happens after a group's answer through its link:
// the connection's new status, and the next question, if any, with when
// its link goes.
type Answered struct {
	Answer    GroupAnswer
	Status    ConnectionStatus
	Next      AnswerQuestion // "" when nothing more is asked
	NextAfter time.Time
	Welcome   *Welcome
}

// ShareConsentMessage is the problem when a connection would tell a group
// who a person is, and the person has not agreed to that.
const ShareConsentMessage = "They have not agreed that we share their details with community groups. Ask them first, and record their answer under “Sharing with groups”."

// SharesWith reports whether moving connection c to status t tells the
// activity's group who the person is for the first time: a hand-over
// (refer, buddy, phased) that was not live becomes live. That needs the
// person's ConsentShareCommunity.
func (c *Connection) SharesWith(t ConnectionStatus) bool {
	return c.Level.HandsOver() && !c.Status.Live() && t.Live()
}

// GroupContact is where a link about a connection would go: the group
// running its activity, and the listing's contact email and mobile
// number (its first named contact's, else the listing's, else its
// organisation's), "" when it has none.
type GroupContact struct {
	ConnectionID string
	Group        string
	Email        string
	Mobile       string
}

// AnswerLinkService sends groups links to answer, and takes their
// answers. Link workers send links for the hand-over connections of the
// cases they work; whoever holds a link's token answers through it,
// once, while it is open, and sees the person only then.
type AnswerLinkService interface {
	// SendAnswerLink sends the group running connection id's activity a
	// link asking the question the connection's status calls for
	// (QuestionFor); a suggested connection becomes contacted. Earlier
	// open links for the connection stop working. EINVALID for a request
	// r.Validate refuses, for a connection that does not hand the person
	// over or has nothing to ask ("connection_id"), and, naming
	// "consent", when the person has not agreed to share their details
	// with community groups; EFORBIDDEN for those who may see the case
	// but not work it; ENOTFOUND for the rest.
	SendAnswerLink(ctx context.Context, connectionID string, r *AnswerLinkRequest) (*AnswerLink, error)
	// FindAnswerLinks lists the links sent about a case's connections,
	// oldest first, to those who may see the case.
	FindAnswerLinks(ctx context.Context, caseID string) ([]*AnswerLink, error)
	// FindGroupContacts returns, for each of a case's connections the
	// actor may see, where a link to its group would go.
	FindGroupContacts(ctx context.Context, caseID string) ([]GroupContact, error)
	// OpenAnswerLink returns what the link with the token shows: the
	// welcome and its question. Anyone holding the token may. ENOTFOUND
	// when there is no such link; ECONFLICT, saying who to contact, when
	// it was used, has expired, was replaced, or has nothing left to ask
	// (the connection moved on, or the person withdrew their consent).
	OpenAnswerLink(ctx context.Context, token string) (*Welcome, error)
	// AnswerThroughLink records the group's reply and uses the link up.
	// The connection moves as the answer says, recorded as made by the
	// group through its link; a decline tells the link worker; an
	// acceptance sends a link to say whether they came, and "came" one,
	// StillComingDays later, to say whether they are still coming.
	// EINVALID for a reply r.Validate refuses (the link stays open); the
	// errors of OpenAnswerLink otherwise.
	AnswerThroughLink(ctx context.Context, token string, r *GroupReply) (*Answered, error)
}
