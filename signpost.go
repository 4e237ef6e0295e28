package linkwork

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Signposting: the person gets an activity's details and goes
// themselves. The link worker gives the details (sent by the person's
// chosen way, or printed and handed over in a session) and, some days
// later, asks whether they went: a signpost nobody follows up is a
// connection that may never have happened.

// DetailsWay is how a person was given an activity's details.
type DetailsWay string

// The ways of giving the details: sent by text, email or letter, the
// first of the person's chosen ways the service can use; or handed over
// (printed, or written down) in a session.
const (
	DetailsSent   DetailsWay = "sent"
	DetailsHanded DetailsWay = "handed"
)

// Label is the way in words.
func (w DetailsWay) Label() string {
	switch w {
	case DetailsSent:
		return "Sent to them"
	case DetailsHanded:
		return "Given to them in person"
	}
	return string(w)
}

// DefaultSignpostCheckDays is how long after a signposted person is given
// an activity's details the link worker is prompted to ask whether they
// went, unless the service sets otherwise.
const DefaultSignpostCheckDays = 14

// ConnectionDetails records that a person was given the details of the
// activity a connection suggests: asked for with Way; recorded with the
// message sent (when sent), who and when.
type ConnectionDetails struct {
	ConnectionID string
	Way          DetailsWay
	// MessageID is the message in the outbox, when sent.
	MessageID string

	ByUserID string
	ByName   string // filled when read
	At       time.Time
}

// Validate reports a way that is not sent or handed, naming the field.
func (d *ConnectionDetails) Validate() error {
	switch d.Way {
	case DetailsSent, DetailsHanded:
		return nil
	case "":
		return FieldErr("way", "Choose whether to send the details or give them in person")
	}
	return FieldErr("way", "Choose sent or handed")
}

// CheckDetails reports whether the details of connection c's activity may
// be given now: not once the connection has ended. The problem names the
// field.
func (c *Connection) CheckDetails() error {
	if c.Status == ConnDeclined || c.Status == ConnDropped {
		return FieldErr("way", "This connection has ended: add the activity again if they want to go after all")
	}
	return nil
}

// AwaitsFollowThrough reports whether connection c is a signpost whose
// person was given the details and has not yet been asked whether they
// went (it is still suggested).
func (c *Connection) AwaitsFollowThrough() bool {
	return c.Level == LevelSignpost && c.Status == ConnSuggested
}

// ActivityDetails is an activity's details as a person reads them in a
// text message, an email or on paper: what it is, when and where, what it
// costs, how to join and whom to ask; with the link worker's name so they
// know who sent it.
func ActivityDetails(a *Asset, personName, linkWorker, service string) (subject, body string) {
	var b strings.Builder
	subject = "Details of " + a.Name
	if personName != "" {
		fmt.Fprintf(&b, "Hello %s,\n\n", personName)
	}
	fmt.Fprintf(&b, "Here are the details of %s", a.Name)
	if linkWorker != "" {
		fmt.Fprintf(&b, ", from %s", linkWorker)
	}
	if service != "" {
		fmt.Fprintf(&b, " at %s", service)
	}
	b.WriteString(".\n")
	if d := strings.TrimSpace(a.Description); d != "" {
		fmt.Fprintf(&b, "\n%s\n", d)
	}
	if len(a.Schedules) > 0 {
		b.WriteString("\nWhen:\n")
		for _, s := range a.Schedules {
			fmt.Fprintf(&b, "- %s\n", s.Label())
		}
	}
	var where []string
	for i := range a.Locations {
		l := &a.Locations[i]
		switch {
		case l.Physical():
			where = append(where, l.Label())
		case l.URL != "":
			where = append(where, "Online: "+l.URL)
		default:
			where = append(where, "Online")
		}
	}
	if len(where) > 0 {
		b.WriteString("\nWhere:\n")
		for _, w := range where {
			fmt.Fprintf(&b, "- %s\n", w)
		}
	}
	if len(a.CostOptions) > 0 {
		b.WriteString("\nCost:\n")
		for _, c := range a.CostOptions {
			fmt.Fprintf(&b, "- %s\n", c.Label())
		}
	}
	if a.HowToJoin != "" {
		fmt.Fprintf(&b, "\nHow to join: %s\n", a.HowToJoin.Label())
	}
	var ask []string
	if a.Phone != "" {
		ask = append(ask, "Phone "+a.Phone)
	}
	if a.Email != "" {
		ask = append(ask, "Email "+a.Email)
	}
	if a.URL != "" {
		ask = append(ask, a.URL)
	}
	if len(ask) > 0 {
		fmt.Fprintf(&b, "\nTo ask about it: %s\n", strings.Join(ask, " · "))
	}
	if linkWorker != "" {
		fmt.Fprintf(&b, "\nI'll ask you how it went. %s\n", linkWorker)
	}
	return subject, strings.TrimRight(b.String(), "\n")
}

// ActivityDetailsText is an activity's details for a case's person, to
// print or hand over: the same words a message would send.
type ActivityDetailsText struct {
	ConnectionID string
	CaseID       string
	AssetID      string
	Subject      string
	Body         string
}

// SignpostService gives people the details of the activities their
// connections suggest, and records that it did. Those who work the case
// give them; those who may read the case see when they were given.
type SignpostService interface {
	// GiveDetails gives the person the details of connection id's
	// activity, d.Way: sent by the first of their chosen ways the
	// service can use (EINVALID naming "way" when there is none: print
	// them instead), or handed over. It returns the message queued when
	// sent. EINVALID for an ended connection; EFORBIDDEN for an actor who
	// may see but not work the case.
	GiveDetails(ctx context.Context, id string, d *ConnectionDetails) (*PersonMessage, error)
	// ActivityDetails is the details of connection id's activity, to
	// print, for those who work its case.
	ActivityDetails(ctx context.Context, id string) (*ActivityDetailsText, error)
	// FindConnectionDetails returns when the details of a case's
	// connections were given, oldest first, for those who may read the
	// case.
	FindConnectionDetails(ctx context.Context, caseID string) ([]*ConnectionDetails, error)
}
