package linkwork

import (
	"context"
	"time"
)

// A person answers an outcome measure on their own phone through a
// one-time link: the link worker sends it from the case by text or email
// (the first of the person's chosen ways that can carry a link); the
// person opens it with no account, sees only their first name and the
// questions, and answers once. The response is recorded as answered by
// the person, with the link as the one who recorded it, and the link
// worker is told.

// MeasureLinkDays is how long a measure link works once sent: as long as
// the links groups answer through.
const MeasureLinkDays = AnswerLinkDays

// MeasureActorPrefix marks what a person did through their measure link in
// the audit trail and as a response's recorder: "measure-link:" and the
// link's id.
const MeasureActorPrefix = "measure-link:"

// MeasureLinkRequest asks for a link to a measure at a timepoint.
type MeasureLinkRequest struct {
	Instrument Instrument
	Timepoint  Timepoint
}

// Validate reports every problem with the request as EINVALID. Goals
// are rated with the link worker, who knows them: a link carries a
// measure whose questions stand on their own.
func (r MeasureLinkRequest) Validate() error {
	var p Problems
	switch {
	case !r.Instrument.Valid():
		p.Add("instrument", "Choose one of the outcome measures")
	case r.Instrument == InstrumentGBO:
		p.Add("instrument", "Goals are rated with their link worker in a session: choose another measure to send")
	}
	if !r.Timepoint.Valid() {
		p.Add("timepoint", "Choose when this is: the start, a review, the end or a follow-up")
	}
	return p.Err()
}

// MeasureLinkChannelFor chooses how a measure link reaches p: the first
// of their chosen ways that carries a link and that the service has the
// details for (a text needs a phone number, an email an address). It
// reports false when there is none.
func MeasureLinkChannelFor(p *Person) (LinkChannel, string, bool) {
	for _, c := range p.Contact.Channels {
		switch c {
		case ChannelText:
			if p.Phone != "" {
				return LinkText, p.Phone, true
			}
		case ChannelEmail:
			if p.Email != "" {
				return LinkEmail, p.Email, true
			}
		}
	}
	return "", "", false
}

// NoLinkChannel is the message refusing a measure link to a person with no
// chosen way that carries one.
const NoLinkChannel = "They have not chosen to be contacted by text or email, or their record has no number or address for it: record how they want to be contacted first"

// MeasureLink is a link sent to a person to answer a measure.
type MeasureLink struct {
	ID         string
	CaseID     string
	PersonID   string
	Instrument Instrument
	Timepoint  Timepoint
	Channel    LinkChannel
	To         string
	SentByID   string
	SentByName string

	CreatedAt   time.Time
	ExpiresAt   time.Time
	SentAt      time.Time
	Attempts    int
	LastError   string
	UsedAt      time.Time
	WithdrawnAt time.Time
	// MeasureID is the response recorded through the link, once used.
	MeasureID string
}

// Status is the link's state as the link worker reads it, at now.
func (l *MeasureLink) Status(now time.Time) string {
	switch {
	case !l.UsedAt.IsZero():
		return "Answered"
	case !l.WithdrawnAt.IsZero():
		return "Replaced by a newer link"
	case !now.Before(l.ExpiresAt):
		return "Expired unanswered"
	case l.SentAt.IsZero() && l.Attempts >= MaxEmailAttempts:
		return "Not sent: " + l.LastError
	case l.SentAt.IsZero():
		return "Waiting to send"
	}
	return "Sent, not yet answered"
}

// MeasureInvite is what a measure link shows the person: their first name
// and the measure's questions, in the service's wording where the
// measure's wording is licensed to it.
type MeasureInvite struct {
	FirstName  string
	Instrument Instrument
	Timepoint  Timepoint
	// Wording is the service's wording of the items; nil where the
	// instrument's own is shipped or the service has none.
	Wording []string
	// Emoji: the person is under 18, and the 0-10 items show faces.
	Emoji     bool
	Service   string
	ExpiresAt time.Time
}

// MeasureLinkService sends people links to answer measures on their own
// phone, and records their answers.
type MeasureLinkService interface {
	// SendMeasureLink queues a link to the case's person by the first of
	// their chosen ways that carries one; earlier open links for the same
	// measure and timepoint stop working. EINVALID for a request
	// r.Validate refuses, an instrument not offered at their age
	// ("instrument"), or a person with no way to reach them ("contact");
	// EFORBIDDEN for those who may see the case but not work it; ENOTFOUND
	// for the rest.
	SendMeasureLink(ctx context.Context, caseID string, r *MeasureLinkRequest) (*MeasureLink, error)
	// FindMeasureLinks lists a case's measure links, oldest first.
	FindMeasureLinks(ctx context.Context, caseID string) ([]*MeasureLink, error)
	// OpenMeasureLink returns what the link with the token shows. Anyone
	// holding the token may. ENOTFOUND when there is no such link (or it
	// is not yet sent); ECONFLICT, saying who to contact, when it was used,
	// replaced or has expired, or the case has closed.
	OpenMeasureLink(ctx context.Context, token string) (*MeasureInvite, error)
	// AnswerMeasureLink checks, scores and records the person's answers
	// and uses the link up; the link worker is told. EINVALID naming the
	// item for a missing or out-of-range answer (the link stays open); the
	// errors of OpenMeasureLink otherwise.
	AnswerMeasureLink(ctx context.Context, token string, answers []*int) (*MeasureResponse, error)
}
