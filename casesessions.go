package linkwork

import (
	"errors"
	"strings"
	"time"
)

// SessionPlace is where a session took place, coded so that a service
// can count its places; older records hold free text, still shown as
// written.
type SessionPlace string

// The coded places of sessions.
const (
	PlaceSchool          SessionPlace = "school"
	PlaceGPSurgery       SessionPlace = "gp_surgery"
	PlaceCommunityCentre SessionPlace = "community_centre"
	PlaceLeisureCentre   SessionPlace = "leisure_centre"
	PlaceYouthHub        SessionPlace = "youth_hub"
	PlaceHome            SessionPlace = "home"
	PlaceOutdoors        SessionPlace = "outdoors"
	PlaceOnline          SessionPlace = "online"
	PlaceOther           SessionPlace = "other"
)

// SessionPlaces lists the coded places in the order users choose them.
var SessionPlaces = []SessionPlace{PlaceSchool, PlaceGPSurgery, PlaceCommunityCentre, PlaceLeisureCentre, PlaceYouthHub,
	PlaceHome, PlaceOutdoors, PlaceOnline, PlaceOther}

// Valid reports whether l is one of the coded places.
func (l SessionPlace) Valid() bool {
	for _, x := range SessionPlaces {
		if l == x {
			return true
		}
	}
	return false
}

// Label is the place as users read it; an older record's free text is
// shown as written.
func (l SessionPlace) Label() string {
	switch l {
	case PlaceSchool:
		return "School"
	case PlaceGPSurgery:
		return "GP surgery"
	case PlaceCommunityCentre:
		return "Community centre"
	case PlaceLeisureCentre:
		return "Leisure centre"
	case PlaceYouthHub:
		return "Youth hub"
	case PlaceHome:
		return "Home"
	case PlaceOutdoors:
		return "Outdoors"
	case PlaceOnline:
		return "Online"
	case PlaceOther:
		return "Somewhere else"
	}
	return string(l)
}

// Where is the contact's place as users read it.
func (c *Contact) Where() string { return SessionPlace(c.LocationType).Label() }

// AttemptModes are the ways of trying to reach a person.
var AttemptModes = []ContactMode{ContactPhone, ContactText, ContactLetter, ContactEmail, ContactVia}

// SessionModes are the ways a session takes place.
var SessionModes = []ContactMode{ContactFaceToFace, ContactPhone, ContactVideo, ContactText}

// AttemptOutcomes are what an attempt to reach a person came to.
var AttemptOutcomes = []ContactOutcome{ContactReached, ContactNoAnswer, ContactMessageLeft}

// SessionOutcomes are what a session that has happened (or not) came to.
// ContactCancelled, older records' "cancelled" without saying by whom, is
// read but no longer written.
var SessionOutcomes = []ContactOutcome{ContactAttended, ContactDNA, ContactCancelledByPerson, ContactCancelledByService}

// Label is the mode as users read it.
func (m ContactMode) Label() string {
	switch m {
	case ContactFaceToFace:
		return "Face to face"
	case ContactPhone:
		return "Phone"
	case ContactVideo:
		return "Video"
	case ContactText:
		return "Text message"
	case ContactEmail:
		return "Email"
	case ContactLetter:
		return "Letter"
	case ContactVia:
		return "Through a parent, partner or carer"
	}
	return string(m)
}

// Label is the outcome as users read it.
func (o ContactOutcome) Label() string {
	switch o {
	case ContactAttended:
		return "Attended"
	case ContactDNA:
		return "Did not attend"
	case ContactCancelled:
		return "Cancelled"
	case ContactCancelledByPerson:
		return "Cancelled by the person"
	case ContactCancelledByService:
		return "Cancelled by the service"
	case ContactBooked:
		return "Booked"
	case ContactReached:
		return "Reached"
	case ContactNoAnswer:
		return "No answer"
	case ContactMessageLeft:
		return "Message left"
	}
	return string(o)
}

// Label is the kind as users read it.
func (k ContactKind) Label() string {
	if k == ContactAttempt {
		return "Contact attempt"
	}
	return "Session"
}

func hasMode(list []ContactMode, m ContactMode) bool {
	for _, x := range list {
		if x == m {
			return true
		}
	}
	return false
}

func hasOutcome(list []ContactOutcome, o ContactOutcome) bool {
	for _, x := range list {
		if x == o {
			return true
		}
	}
	return false
}

// ValidateNew reports every problem with a contact about to be recorded
// as EINVALID: what Validate checks, and that a session's outcome says
// who cancelled and its place is one of SessionPlaces. (Older records,
// with "cancelled" and free-text places, stay valid to read.)
func (c *Contact) ValidateNew() error {
	var p Problems
	if c.Kind == "" {
		c.Kind = c.Outcome.Kind()
	}
	if err := c.Validate(); err != nil {
		p = append(p, ErrorFields(err)...)
	}
	if c.Outcome == ContactCancelled {
		p.Add("outcome", "Say who cancelled: the person or the service")
	}
	if c.LocationType != "" && !SessionPlace(c.LocationType).Valid() {
		p.Add("location_type", "Choose where the session takes place from the list")
	}
	if c.Kind == ContactAttempt && c.LocationType != "" {
		p.Add("location_type", "A contact attempt has no place: leave it empty")
	}
	return p.Err()
}

// Sessions counts the sessions attended among contacts.
func SessionsAttended(contacts []*Contact) int {
	n := 0
	for _, c := range contacts {
		if c.Outcome == ContactAttended {
			n++
		}
	}
	return n
}

// FirstContact is where a case stands against its service's first
// contact target: made (when the person was first reached or attended a
// session), or due by a time with some attempts so far.
type FirstContact struct {
	Made     bool
	MadeAt   time.Time
	DueBy    time.Time
	Attempts int
	Overdue  bool
}

// FirstContactOf works out a case's first contact from its contacts and
// the service's settings, at now. A case not yet allocated has no target
// (zero DueBy).
func FirstContactOf(c *Case, contacts []*Contact, s CaseworkSettings, now time.Time) FirstContact {
	var f FirstContact
	for _, ct := range contacts {
		switch ct.Outcome {
		case ContactReached, ContactAttended:
			if !f.Made || ct.At.Before(f.MadeAt) {
				f.Made, f.MadeAt = true, ct.At
			}
		case ContactNoAnswer, ContactMessageLeft:
			f.Attempts++
		}
	}
	if !c.AllocatedAt.IsZero() {
		f.DueBy = c.AllocatedAt.Add(s.FirstContactDue())
	}
	f.Overdue = !f.Made && !f.DueBy.IsZero() && now.After(f.DueBy)
	return f
}

// PlannedOf is the sessions a case plans: its own number, or the
// service's default when it has none.
func PlannedOf(c *Case, s CaseworkSettings) int {
	if c.PlannedSessions > 0 {
		return c.PlannedSessions
	}
	return s.Sessions()
}

// ReminderText is the plain words of a reminder of a booked session:
// the service, the day and time (UK time) and the kind of place, and
// how to change it, with nothing about why the person is supported.
func ReminderText(service string, at time.Time, place string) (subject, body string) {
	uk := at.In(ukLocation)
	when := uk.Format("Monday 2 January") + " at " + strings.ToLower(uk.Format("3:04pm"))
	subject = "Reminder of your appointment with " + service
	body = "This is a reminder of your appointment with " + service + " on " + when
	if place != "" {
		body += ", " + place
	}
	body += ".\n\nIf you cannot make it or want to change it, please reply or contact " + service + "."
	return subject, body
}

var ukLocation = func() *time.Location {
	if l, err := time.LoadLocation("Europe/London"); err == nil {
		return l
	}
	return time.UTC
}()

// ReminderAhead is how long before a booked session its reminder goes.
const ReminderAhead = 24 * time.Hour

// ReminderPlace says where or how a session takes place, in a reminder's
// words: the kind of place only, never its address.
func ReminderPlace(mode ContactMode, place SessionPlace) string {
	switch mode {
	case ContactPhone:
		return "by phone"
	case ContactVideo:
		return "by video call"
	case ContactText:
		return "by text message"
	}
	switch place {
	case PlaceHome:
		return "at home"
	case PlaceOutdoors:
		return "outdoors"
	case PlaceOnline:
		return "online"
	case "", PlaceOther:
		return ""
	}
	if place.Valid() {
		l := place.Label()
		if place != PlaceGPSurgery {
			l = strings.ToLower(l)
		}
		return "at the " + l
	}
	return ""
}

// ErrNotConfigured is wrapped by the error of a message whose channel
// has no service to send it (no text message service, say): it waits in
// the outbox without using up its tries.
var ErrNotConfigured = errors.New("not configured")
