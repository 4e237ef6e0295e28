package linkwork

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Channel is a way of getting in touch with someone.
type Channel string

// The contact channels. Some people cannot use the phone or the internet;
// texts may work when calls do not.
const (
	ChannelPhone  Channel = "phone"
	ChannelText   Channel = "text"
	ChannelEmail  Channel = "email"
	ChannelLetter Channel = "letter"
	ChannelVia    Channel = "via_someone" // through a parent, partner or worker
)

// Channels lists every channel.
var Channels = []Channel{ChannelPhone, ChannelText, ChannelEmail, ChannelLetter, ChannelVia}

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool {
	for _, x := range Channels {
		if c == x {
			return true
		}
	}
	return false
}

// Label is the channel as users read it.
func (c Channel) Label() string {
	switch c {
	case ChannelPhone:
		return "Phone call"
	case ChannelText:
		return "Text message"
	case ChannelEmail:
		return "Email"
	case ChannelLetter:
		return "Letter"
	case ChannelVia:
		return "Through someone else"
	}
	return string(c)
}

// ContactPreferences says how to get in touch with a person safely.
type ContactPreferences struct {
	Channels           []Channel // in order of preference
	SafeToLeaveMessage bool
	// Via names who makes contact for the person when they cannot, such as
	// a parent or a support worker.
	Via       string
	BestTimes string
	Notes     string // anything else, e.g. "do not call while at school"
	// Reminders: the person agreed to be reminded of booked sessions by
	// message (text, email or letter, by their chosen channel).
	Reminders bool
}

// Guardian is a parent, guardian or carer of a person under 18, or someone
// else involved in their support.
type Guardian struct {
	ID                        string
	Name                      string
	Relationship              string // "mother", "foster carer", "grandparent"
	Phone                     string
	Email                     string
	HasParentalResponsibility bool
	// Involvement says how the guardian takes part: informed of the
	// referral, attends sessions, to be contacted first, not to be
	// contacted.
	Involvement string
}

// InvolvementLabel is the guardian's involvement as users read it.
func (g Guardian) InvolvementLabel() string { return InvolvementLabel(g.Involvement) }

// ConsentKind is what a consent is for.
type ConsentKind string

// The kinds of consent the service records.
const (
	ConsentReferral       ConsentKind = "referral"        // to be referred to the service
	ConsentShareReferrer  ConsentKind = "share_referrer"  // to share progress and outcome with the referrer
	ConsentShareCommunity ConsentKind = "share_community" // to share details with community organisations
	ConsentContactGuard   ConsentKind = "contact_guardian"
	ConsentEvaluation     ConsentKind = "evaluation" // anonymised data used in evaluation
)

// ConsentKinds lists every kind of consent.
var ConsentKinds = []ConsentKind{ConsentReferral, ConsentShareReferrer, ConsentShareCommunity, ConsentContactGuard, ConsentEvaluation}

// Consent records that a person (or their guardian) agreed, or did not, to
// something, when, and who recorded it. A later Consent of the same kind
// replaces an earlier one.
type Consent struct {
	ID         string
	Kind       ConsentKind
	Given      bool
	GivenBy    string // "self", "parent/guardian", …
	RecordedAt time.Time
	RecordedBy string
	Note       string
}

// Validate reports every problem with a consent being recorded as
// EINVALID: a known kind, who gave it (or refused it), and a note of at
// most MaxText characters.
func (c *Consent) Validate() error {
	var p Problems
	if !validConsent(c.Kind) {
		p.Add("kind", "Choose what they agreed to: referral, share_referrer, share_community, contact_guardian or evaluation")
	}
	if strings.TrimSpace(c.GivenBy) == "" {
		p.Add("given_by", "Say who answered: the person themself, or their parent or carer")
	}
	p.Text("given_by", c.GivenBy, MaxShortText)
	p.Text("note", c.Note, MaxText)
	return p.Err()
}

// ConsentFor is the latest consent of the kind recorded for p, and false
// when none is.
func (p *Person) ConsentFor(kind ConsentKind) (Consent, bool) {
	var latest *Consent
	for i := range p.Consents {
		c := &p.Consents[i]
		if c.Kind == kind && (latest == nil || !c.RecordedAt.Before(latest.RecordedAt)) {
			latest = c
		}
	}
	if latest == nil {
		return Consent{}, false
	}
	return *latest, true
}

// Competence records the decision on whether a young person has the
// capacity to make their own decisions about their support (Gillick
// competence), with the reasoning.
type Competence struct {
	Competent bool
	Reasoning string
	DecidedBy string
	DecidedAt time.Time
}

// Person is someone referred to or supported by the service. One person may
// be referred many times; duplicates are found on name and date of birth or
// contact details and flagged, never silently merged.
type Person struct {
	ID           string
	ServiceOrgID string // the social prescribing service holding the record

	GivenName     string
	FamilyName    string
	PreferredName string
	Pronouns      string
	DateOfBirth   Date
	Gender        string
	Ethnicity     string

	Address  string
	Postcode string
	Phone    string
	Email    string
	Contact  ContactPreferences

	SchoolOrWork       string
	Languages          string
	NeedsInterpreter   bool
	AccessibilityNeeds string

	Guardians  []Guardian
	Consents   []Consent
	Competence *Competence

	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// DisplayName is the name to use: the preferred name when there is one.
func (p *Person) DisplayName() string {
	given := p.GivenName
	if p.PreferredName != "" {
		given = p.PreferredName
	}
	return strings.TrimSpace(given + " " + p.FamilyName)
}

// AgeOn returns the person's age on a day, or -1 when the date of birth is
// not known.
func (p *Person) AgeOn(on Date) int {
	if p.DateOfBirth.IsZero() {
		return -1
	}
	return p.DateOfBirth.AgeOn(on)
}

// Consented reports whether the latest consent of the kind was given.
func (p *Person) Consented(kind ConsentKind) bool {
	c, ok := p.ConsentFor(kind)
	return ok && c.Given
}

// Validate reports every problem with p as an EINVALID error. today is used
// to reject dates of birth in the future.
func (p *Person) Validate(today Date) error {
	var pr Problems
	p.GivenName = strings.TrimSpace(p.GivenName)
	p.FamilyName = strings.TrimSpace(p.FamilyName)
	if p.GivenName == "" {
		pr.Add("given_name", "Enter a first name")
	}
	p.validateText(&pr)
	if !p.DateOfBirth.IsZero() {
		if today.Before(p.DateOfBirth) {
			pr.Add("date_of_birth", "Date of birth must be in the past")
		} else if p.DateOfBirth.AgeOn(today) > 120 {
			pr.Add("date_of_birth", "Date of birth must be within the last 120 years")
		}
	}
	if p.Postcode != "" && pr.Text("postcode", p.Postcode, MaxShortText) {
		if pc, err := ParsePostcode(p.Postcode); err != nil {
			pr.Add("postcode", ErrorMessage(err))
		} else {
			p.Postcode = pc.String()
		}
	}
	for i, c := range p.Contact.Channels {
		if !c.Valid() {
			pr.Addf("contact.channels", "Channel %d is not a way we can make contact", i+1)
		}
	}
	for i, g := range p.Guardians {
		if strings.TrimSpace(g.Name) == "" {
			pr.Addf("guardians", "Enter the name of parent or guardian %d", i+1)
		}
	}
	for _, c := range p.Consents {
		if !validConsent(c.Kind) {
			pr.Addf("consents", "%q is not a kind of consent we record", c.Kind)
		}
	}
	return pr.Err()
}

// validateText holds each of a person's text fields to its limit
// (MaxNameLength for names, MaxAddressLength for the address, MaxText for
// notes and needs, MaxShortText for the rest) and checks their email
// addresses.
func (p *Person) validateText(pr *Problems) {
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"id", p.ID, MaxIDLength}, {"service_org_id", p.ServiceOrgID, MaxIDLength},
		{"given_name", p.GivenName, MaxNameLength}, {"family_name", p.FamilyName, MaxNameLength}, {"preferred_name", p.PreferredName, MaxNameLength},
		{"pronouns", p.Pronouns, MaxShortText}, {"gender", p.Gender, MaxShortText}, {"ethnicity", p.Ethnicity, MaxShortText},
		{"address", p.Address, MaxAddressLength}, {"phone", p.Phone, MaxShortText},
		{"contact.via", p.Contact.Via, MaxShortText}, {"contact.best_times", p.Contact.BestTimes, MaxShortText}, {"contact.notes", p.Contact.Notes, MaxText},
		{"school_or_work", p.SchoolOrWork, MaxShortText}, {"languages", p.Languages, MaxShortText}, {"accessibility_needs", p.AccessibilityNeeds, MaxText},
	} {
		pr.Text(f.name, f.v, f.max)
	}
	p.Email = strings.TrimSpace(p.Email)
	pr.Email("email", p.Email)
	for i := range p.Guardians {
		g := &p.Guardians[i]
		g.Email = strings.TrimSpace(g.Email)
		at := fmt.Sprintf("guardians[%d].", i)
		pr.Text(at+"id", g.ID, MaxIDLength)
		pr.Text(at+"name", g.Name, MaxNameLength)
		pr.Text(at+"relationship", g.Relationship, MaxShortText)
		pr.Text(at+"phone", g.Phone, MaxShortText)
		pr.Email(at+"email", g.Email)
		pr.Text(at+"involvement", g.Involvement, MaxShortText)
	}
	for i, c := range p.Consents {
		at := fmt.Sprintf("consents[%d].", i)
		pr.Text(at+"id", c.ID, MaxIDLength)
		pr.Text(at+"given_by", c.GivenBy, MaxShortText)
		pr.Text(at+"note", c.Note, MaxText)
	}
	if c := p.Competence; c != nil {
		pr.Text("competence.reasoning", c.Reasoning, MaxText)
	}
}

func validConsent(k ConsentKind) bool {
	for _, x := range ConsentKinds {
		if k == x {
			return true
		}
	}
	return false
}

// PersonFilter narrows a list of people.
type PersonFilter struct {
	Query       string // matches names
	DateOfBirth Date
	Offset      int
	Limit       int
}

// PersonService manages the records of people referred to the service.
// Link workers, coordinators and safeguarding leads of the holding service
// read them; referrers see people only through their own referrals;
// community organisations only through connections made to them;
// commissioners and administrators never. Every read and change is audited.
type PersonService interface {
	// CreatePerson stores p, assigning its ID. EINVALID for bad fields.
	CreatePerson(ctx context.Context, p *Person) error
	// FindPersonByID returns one person, or ENOTFOUND when there is no
	// such person or the actor may not see them.
	FindPersonByID(ctx context.Context, id string) (*Person, error)
	// FindPeople returns a page of the people the actor may see.
	FindPeople(ctx context.Context, f PersonFilter) ([]*Person, int, error)
	// UpdatePerson saves changes to p; ECONFLICT when p.Version is stale.
	// A snapshot of the record is kept with each change.
	UpdatePerson(ctx context.Context, p *Person) error

	// FindPersonRecord returns the team around a person, the decisions on
	// their competence, where they and their parents differ and the last
	// changes to their record. Only staff of the holding service see it:
	// ENOTFOUND for anyone else.
	FindPersonRecord(ctx context.Context, personID string) (*PersonRecord, error)
	// AddGuardian, UpdateGuardian (g.ID) and RemoveGuardian change a
	// person's parents, guardians and carers one at a time, at the
	// person's record's version (ECONFLICT when stale), and return the
	// record as saved. Involvement is one of Involvements (or, on a
	// change, unchanged older words).
	AddGuardian(ctx context.Context, personID string, version int, g *Guardian) (*Person, error)
	UpdateGuardian(ctx context.Context, version int, g *Guardian) (*Person, error)
	RemoveGuardian(ctx context.Context, guardianID string, version int) (*Person, error)
	// FindProfessional, AddProfessional, UpdateProfessional (at its
	// version) and RemoveProfessional manage the team around a person.
	FindProfessional(ctx context.Context, id string) (*Professional, error)
	AddProfessional(ctx context.Context, pr *Professional) error
	UpdateProfessional(ctx context.Context, pr *Professional) error
	RemoveProfessional(ctx context.Context, id string, version int) error
	// DecideCompetence records a capacity (Gillick competence) decision
	// by the signed-in user, with its reasoning; it becomes the person's
	// Competence and moves the record on a version.
	DecideCompetence(ctx context.Context, d *CompetenceDecision) (*Person, error)
	// AddDifference records where the young person and a parent or carer
	// want different things, and what was agreed.
	AddDifference(ctx context.Context, d *Difference) error
	// AddConsent records a person's answer to a consent question (c
	// replaces any earlier answer of its kind: consents are a history,
	// never changed). Those who may change the person's record; EINVALID
	// for a consent c.Validate refuses.
	AddConsent(ctx context.Context, personID string, c *Consent) error
}
