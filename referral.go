package linkwork

import (
	"context"
	"strings"
	"time"
)

// Pathway is the door a referral came through.
type Pathway string

// The referral pathways.
const (
	PathwayGP         Pathway = "gp"          // GP practice and primary care staff
	PathwaySchool     Pathway = "school"      // teachers, pastoral and school staff
	PathwayCAMHS      Pathway = "camhs"       // child and adolescent mental health services
	PathwaySocialCare Pathway = "social_care" // social workers, early help
	PathwayHealth     Pathway = "health"      // other health professionals
	PathwayVCS        Pathway = "vcs"         // voluntary and community sector workers
	PathwayFamily     Pathway = "family"      // a parent, guardian or family member
	PathwaySelf       Pathway = "self"        // the person themself, online
	PathwayHub        Pathway = "hub"         // a walk-in or phone call to the hub
)

// Pathways lists every pathway.
var Pathways = []Pathway{PathwayGP, PathwaySchool, PathwayCAMHS, PathwaySocialCare, PathwayHealth, PathwayVCS, PathwayFamily, PathwaySelf, PathwayHub}

// Valid reports whether p is a known pathway.
func (p Pathway) Valid() bool {
	for _, x := range Pathways {
		if p == x {
			return true
		}
	}
	return false
}

// ByReferrer reports whether referrals by the pathway come from an
// organisation that refers (a GP practice, a school, CAMHS, social care,
// health or a community organisation), rather than from the person, their
// family or the hub.
func (p Pathway) ByReferrer() bool {
	switch p {
	case PathwaySelf, PathwayFamily, PathwayHub:
		return false
	}
	return p.Valid()
}

// Label is the pathway's name as users read it.
func (p Pathway) Label() string {
	switch p {
	case PathwayGP:
		return "GP practice"
	case PathwaySchool:
		return "School"
	case PathwayCAMHS:
		return "CAMHS"
	case PathwaySocialCare:
		return "Social care"
	case PathwayHealth:
		return "Health professional"
	case PathwayVCS:
		return "Community organisation"
	case PathwayFamily:
		return "Parent, carer or family"
	case PathwaySelf:
		return "Self-referral"
	case PathwayHub:
		return "Hub walk-in or phone"
	}
	return string(p)
}

// HowItCame says how a referral came to the service, as the people who
// read it say it: who referred and whether it was a referral or
// signposting. A parent's referral of their child came from the family,
// whatever mode the public form records.
func (r *Referral) HowItCame() string {
	from := map[Pathway]string{PathwayGP: "a GP practice", PathwaySchool: "a school", PathwayCAMHS: "CAMHS", PathwaySocialCare: "social care",
		PathwayHealth: "a health professional", PathwayVCS: "a community organisation"}
	switch r.Pathway {
	case PathwaySelf:
		return "They referred themself"
	case PathwayFamily:
		return "A parent, carer or family member referred them"
	case PathwayHub:
		if r.Mode == ModeSelfReferral {
			return "They came to the hub themself, in person or by phone"
		}
		return "Recorded at the hub, in person or by phone"
	}
	if f, ok := from[r.Pathway]; ok {
		if r.Mode == ModeSignposting {
			return "Signposted by " + f
		}
		return "Referred by " + f
	}
	return r.Pathway.Label()
}

// ReferralMode records how the person came: a practitioner-led referral
// (the service makes contact), signposting (the person was told about the
// service and will contact it) or a self-referral.
type ReferralMode string

// The referral modes.
const (
	ModeReferral     ReferralMode = "referral"
	ModeSignposting  ReferralMode = "signposting"
	ModeSelfReferral ReferralMode = "self_referral"
)

// ReferralModes lists every mode.
var ReferralModes = []ReferralMode{ModeReferral, ModeSignposting, ModeSelfReferral}

// Valid reports whether m is a known mode.
func (m ReferralMode) Valid() bool {
	return m == ModeReferral || m == ModeSignposting || m == ModeSelfReferral
}

// Label is the mode as users read it.
func (m ReferralMode) Label() string {
	switch m {
	case ModeReferral:
		return "Referral"
	case ModeSignposting:
		return "Signposting"
	case ModeSelfReferral:
		return "Self-referral"
	}
	return string(m)
}

// Streetlight is the red/amber/green risk screen shared with referrers.
type Streetlight string

// The streetlight ratings.
const (
	StreetlightUnrated Streetlight = ""
	// StreetlightRed: crisis, immediate risk, or a need for specialist
	// clinical care. Social prescribing is not the right service now.
	StreetlightRed Streetlight = "red"
	// StreetlightAmber: needs a team discussion before a decision.
	StreetlightAmber Streetlight = "amber"
	// StreetlightGreen: suitable for social prescribing.
	StreetlightGreen Streetlight = "green"
)

// Valid reports whether s is a rating or unrated.
func (s Streetlight) Valid() bool {
	return s == StreetlightUnrated || s == StreetlightRed || s == StreetlightAmber || s == StreetlightGreen
}

// Label is the rating as users read it.
func (s Streetlight) Label() string {
	switch s {
	case StreetlightRed:
		return "Red"
	case StreetlightAmber:
		return "Amber"
	case StreetlightGreen:
		return "Green"
	}
	return "Not rated"
}

// ReferralStatus is where a referral is in triage.
type ReferralStatus string

// The referral statuses. A referral is received, screened in triage, and
// then accepted (to the waiting list or straight to a link worker),
// declined (with where the person was directed instead), deferred (it
// returns to the queue on a date) or withdrawn.
const (
	ReferralReceived  ReferralStatus = "received"
	ReferralTriage    ReferralStatus = "triage"
	ReferralAccepted  ReferralStatus = "accepted"
	ReferralDeclined  ReferralStatus = "declined"
	ReferralDeferred  ReferralStatus = "deferred"
	ReferralWithdrawn ReferralStatus = "withdrawn"
)

// ReferralStatuses lists every status in journey order.
var ReferralStatuses = []ReferralStatus{ReferralReceived, ReferralTriage, ReferralDeferred, ReferralAccepted, ReferralDeclined, ReferralWithdrawn}

var referralTransitions = map[ReferralStatus][]ReferralStatus{
	ReferralReceived: {ReferralTriage, ReferralAccepted, ReferralDeclined, ReferralDeferred, ReferralWithdrawn},
	ReferralTriage:   {ReferralAccepted, ReferralDeclined, ReferralDeferred, ReferralWithdrawn},
	ReferralDeferred: {ReferralTriage, ReferralAccepted, ReferralDeclined, ReferralWithdrawn},
	// An accepted referral has a case; the person may still withdraw
	// before support starts.
	ReferralAccepted: {ReferralWithdrawn},
}

// Valid reports whether s is a known status.
func (s ReferralStatus) Valid() bool {
	for _, x := range ReferralStatuses {
		if s == x {
			return true
		}
	}
	return false
}

// CanBecome reports whether a referral in status s may move to status t.
func (s ReferralStatus) CanBecome(t ReferralStatus) bool {
	for _, x := range referralTransitions[s] {
		if x == t {
			return true
		}
	}
	return false
}

// Open reports whether the referral still awaits a decision.
func (s ReferralStatus) Open() bool {
	return s == ReferralReceived || s == ReferralTriage || s == ReferralDeferred
}

// Label is the status as users read it.
func (s ReferralStatus) Label() string {
	switch s {
	case ReferralReceived:
		return "Received"
	case ReferralTriage:
		return "In triage"
	case ReferralAccepted:
		return "Accepted"
	case ReferralDeclined:
		return "Declined"
	case ReferralDeferred:
		return "Deferred"
	case ReferralWithdrawn:
		return "Withdrawn"
	}
	return string(s)
}

// Referral is a request for support for one person, from one pathway.
type Referral struct {
	ID           string
	ServiceOrgID string // the social prescribing service it was sent to
	PersonID     string
	Pathway      Pathway
	Mode         ReferralMode

	// Who referred. ReferrerOrgID and ReferrerUserID are empty for
	// self-referrals and referrals by family; ReferrerName and
	// ReferrerContact then hold what they gave.
	ReferrerOrgID   string
	ReferrerUserID  string
	ReferrerName    string
	ReferrerRole    string // "Head of Year 10", "mother", "practice nurse"
	ReferrerContact string

	// GPPracticeOrgID is the person's registered GP practice, checked
	// against the practices a service covers.
	GPPracticeOrgID string

	Reasons      string // why now
	WhatTheyWant string // what the person wants, in their words where possible
	Risks        string // known risks
	// SafeNow answers "is the person safe right now?" and HarmThoughts
	// "have they thought about harming themselves or ending their life?":
	// every referral form asks both.
	SafeNow      Answer
	HarmThoughts Answer
	// Risk is the referral's risk screen, set by the service when the
	// referral arrives (ScreenRisk) and decided by a triager.
	Risk            RiskFlag
	YearGroup       string // school pathway
	PersonAware     *bool  // the person knows about and agrees to the referral; nil when not said (a referrer's pathway must say; read back as false)
	ConsentReferral bool
	ConsentSharing  bool // to share progress and outcome with the referrer

	// PossibleDuplicateOf is another person record that matches this
	// referral's person; triage decides whether they are the same.
	PossibleDuplicateOf string

	Status            ReferralStatus
	Streetlight       Streetlight
	StatusReason      string
	OnwardDestination string // where a declined person was directed
	DeferUntil        Date
	CaseID            string // the case opened when accepted

	ReceivedAt time.Time
	DecidedAt  time.Time
	// ReturnedAt is when a deferred referral came back to the queue; the
	// team meeting sees those first.
	ReturnedAt  time.Time
	Transitions []ReferralTransition

	// CaseStatus and Outcome are filled when a referral is read: the status
	// of the case it opened, and, once that case has closed, the outcome
	// summary the person agreed to share with the referrer (empty without
	// their consent to share).
	CaseStatus CaseStatus
	Outcome    string
	// CaseAllocatedAt is when the person got a link worker: all the
	// referrer learns of who supports them.
	CaseAllocatedAt time.Time
	ClosedAt        time.Time

	// PersonName and PersonDateOfBirth are filled when a referral is read,
	// for lists; the person's record itself is read through PersonService.
	PersonName        string
	PersonDateOfBirth Date

	Version   int
	UpdatedAt time.Time
}

// Aware reports whether the referral says the person knows about it and
// agrees to it.
func (r *Referral) Aware() bool { return r.PersonAware != nil && *r.PersonAware }

// Reference is the short reference given to the person or referrer, to
// quote when they get in touch.
func (r *Referral) Reference() string {
	id := strings.ReplaceAll(r.ID, "-", "")
	if len(id) > 8 {
		id = id[:8]
	}
	return "LW-" + strings.ToUpper(id)
}

// ReferralTransition is one change of a referral's status: waiting times
// are computed from them.
type ReferralTransition struct {
	From   ReferralStatus
	To     ReferralStatus
	At     time.Time
	ByID   string // the user, or "system"
	Reason string
}

// Validate reports every problem with a new referral as an EINVALID error.
func (r *Referral) Validate() error {
	var p Problems
	if !r.Pathway.Valid() {
		p.Add("pathway", "Choose how the referral came to us")
	}
	if !r.Mode.Valid() {
		p.Add("mode", "Choose referral, signposting or self-referral")
	}
	if r.ServiceOrgID == "" {
		p.Add("service_org_id", "Choose the social prescribing service to refer to")
	}
	if strings.TrimSpace(r.Reasons) == "" {
		p.Add("reasons", "Say why this referral is being made now")
	}
	r.validateText(&p)
	if r.PersonAware == nil && r.Pathway.ByReferrer() {
		p.Add("person_aware", "Say whether the person knows about this referral and agrees to it")
	}
	if !r.ConsentReferral {
		if r.Pathway == PathwaySelf {
			// Said to the person themself, whatever their age.
			p.Add("consent_referral", "Tick the box to agree to a link worker contacting you")
		} else {
			p.Add("consent_referral", "The person (or their parent or guardian) must agree to the referral")
		}
	}
	if !r.Streetlight.Valid() {
		p.Add("streetlight", "Streetlight must be red, amber or green")
	}
	if r.ReferrerOrgID == "" && r.Pathway.ByReferrer() {
		p.Add("referrer_org_id", "Say which organisation is referring")
	}
	return p.Err()
}

// validateText holds each of a referral's text fields to its limit:
// MaxText for the reasons, what the person wants and the risks;
// MaxNameLength for the referrer's name; MaxShortText for the rest.
func (r *Referral) validateText(p *Problems) {
	for _, f := range []struct {
		name, v string
		max     int
	}{
		{"id", r.ID, MaxIDLength}, {"service_org_id", r.ServiceOrgID, MaxIDLength}, {"person_id", r.PersonID, MaxIDLength},
		{"referrer_org_id", r.ReferrerOrgID, MaxIDLength}, {"referrer_user_id", r.ReferrerUserID, MaxIDLength},
		{"gp_practice_org_id", r.GPPracticeOrgID, MaxIDLength},
		{"referrer_name", r.ReferrerName, MaxNameLength}, {"referrer_role", r.ReferrerRole, MaxShortText},
		{"referrer_contact", r.ReferrerContact, MaxShortText}, {"year_group", r.YearGroup, MaxShortText},
		{"reasons", r.Reasons, MaxText}, {"what_they_want", r.WhatTheyWant, MaxText}, {"risks", r.Risks, MaxText},
	} {
		p.Text(f.name, f.v, f.max)
	}
}

// ReferralDecision is a triage decision on a referral.
type ReferralDecision struct {
	To                ReferralStatus
	Reason            string
	OnwardDestination string // required when declining
	DeferUntil        Date   // required when deferring
	// LinkWorkerID allocates an accepted referral straight to a link
	// worker; empty puts the person on the waiting list.
	LinkWorkerID string
	Streetlight  Streetlight
}

// Validate checks the decision against the referral's current status and
// reports every problem as EINVALID.
func (d ReferralDecision) Validate(from ReferralStatus, today Date) error {
	var p Problems
	if !d.To.Valid() {
		p.Add("to", "Choose a decision")
		return p.Err()
	}
	if !from.CanBecome(d.To) {
		p.Addf("to", "A referral that is %s cannot be %s", strings.ToLower(from.Label()), strings.ToLower(d.To.Label()))
	}
	if !d.Streetlight.Valid() {
		p.Add("streetlight", "Streetlight must be red, amber or green")
	}
	switch d.To {
	case ReferralDeclined:
		if strings.TrimSpace(d.Reason) == "" {
			p.Add("reason", "Give the reason for declining")
		}
		if strings.TrimSpace(d.OnwardDestination) == "" {
			p.Add("onward_destination", "Say where the person was directed instead, so no one is left in limbo")
		}
	case ReferralDeferred:
		if d.DeferUntil.IsZero() {
			p.Add("defer_until", "Enter the date the referral comes back to the queue")
		} else if !today.Before(d.DeferUntil) {
			p.Add("defer_until", "The date to come back must be in the future")
		}
	case ReferralWithdrawn:
		if strings.TrimSpace(d.Reason) == "" {
			p.Add("reason", "Give the reason the referral was withdrawn")
		}
	}
	if d.LinkWorkerID != "" && d.To != ReferralAccepted {
		p.Add("link_worker_id", "Only an accepted referral can be allocated to a link worker")
	}
	p.Text("reason", d.Reason, MaxText)
	p.Text("onward_destination", d.OnwardDestination, MaxText)
	p.Text("link_worker_id", d.LinkWorkerID, MaxIDLength)
	return p.Err()
}

// ReferralFilter narrows a list of referrals.
type ReferralFilter struct {
	Status   []ReferralStatus
	Pathway  Pathway
	PersonID string
	// ReferrerOrgID narrows to one referring organisation, ReferrerUserID
	// to one referrer's own referrals ("my referrals").
	ReferrerOrgID  string
	ReferrerUserID string
	// ReceivedAfter and ReceivedBefore bound the received time.
	ReceivedAfter  time.Time
	ReceivedBefore time.Time
	Offset         int
	Limit          int
}

// ReferralService takes referrals in and records triage decisions.
// Referrers create referrals and see their own organisation's; link
// workers, coordinators and safeguarding leads of the receiving service see
// and decide all of the service's; commissioners see none (they read
// aggregates). Every read and change is audited.
type ReferralService interface {
	// CreateReferral stores a new referral and the person it is for (a new
	// person record, or p.ID of one the actor may see). EINVALID for bad
	// fields of either.
	CreateReferral(ctx context.Context, r *Referral, p *Person) error
	// FindReferralByID returns one referral with its transitions, or
	// ENOTFOUND.
	FindReferralByID(ctx context.Context, id string) (*Referral, error)
	// FindReferrals returns a page of referrals the actor may see, newest
	// first, and the total.
	FindReferrals(ctx context.Context, f ReferralFilter) ([]*Referral, int, error)
	// ReviewRisk records a triager's decision on a referral flagged as a
	// possible risk (RiskReviewToday): acted on, saying what was done, or
	// not a risk, saying why. Link workers, coordinators and safeguarding
	// leads of the service; EINVALID for a referral not awaiting review or
	// a missing note; ECONFLICT when version is stale.
	ReviewRisk(ctx context.Context, id string, version int, v RiskReview) (*Referral, error)
	// DecideReferral applies a triage decision to the referral at version.
	// Accepting opens a Case (waiting, or allocated to d.LinkWorkerID).
	// EINVALID for a decision the status does not allow, a missing
	// reason, destination or date, or a possible risk still awaiting
	// review (ReviewRisk first); ECONFLICT when version is stale;
	// EFORBIDDEN for actors who may see but not decide, and for
	// withdrawing a referral whose case the actor may not close.
	DecideReferral(ctx context.Context, id string, version int, d ReferralDecision) (*Referral, error)
	// ReferralEligibility checks the referral with the id against its
	// service's settings (ages, areas, GP practices, pathways) on today's
	// date, for the service's own people; nil, and no error, for a reader
	// who may see the referral but not how the service screens it (its
	// referrer). ENOTFOUND when the actor may not see the referral. The
	// read of the person's age and postcode is audited.
	ReferralEligibility(ctx context.Context, id string) (*Eligibility, error)
	// SubmitPublicReferral takes a referral from the public form, from
	// someone without an account: a young person or adult referring
	// themself (PathwaySelf) or a parent, carer or family member
	// (PathwayFamily). It needs no actor; the person is always a new
	// record (flagged if they may already be known), and the referral is
	// audited as made by the public. EINVALID for bad fields, naming each.
	SubmitPublicReferral(ctx context.Context, r *Referral, p *Person) error
}

// PathwayFor is the pathway referrals from an organisation of the kind
// come through.
func PathwayFor(k OrgKind) Pathway {
	switch k {
	case OrgGPPractice, OrgPCN:
		return PathwayGP
	case OrgSchool:
		return PathwaySchool
	case OrgCAMHS:
		return PathwayCAMHS
	case OrgSocialCare:
		return PathwaySocialCare
	case OrgHealth:
		return PathwayHealth
	case OrgVCS, OrgYouthHub:
		return PathwayVCS
	}
	return PathwayHub
}

// ValidatePublic adds to Validate what a referral from the public form
// needs: a date of birth (to check the service is for them), a way to get
// in touch, and for a family referral the name and contact details of the
// person referring.
func (r *Referral) ValidatePublic(p *Person) error {
	var pr Problems
	if r.Pathway != PathwaySelf && r.Pathway != PathwayFamily {
		pr.Add("pathway", "The public form is for referring yourself or someone in your family")
	}
	if p != nil {
		if p.DateOfBirth.IsZero() {
			if r.Pathway == PathwaySelf {
				pr.Add("person.date_of_birth", "Enter your date of birth, so we can check our service is right for you")
			} else {
				pr.Add("person.date_of_birth", "Enter their date of birth, so we can check our service is right for them")
			}
		}
		if strings.TrimSpace(p.Phone) == "" && strings.TrimSpace(p.Email) == "" && strings.TrimSpace(p.Contact.Via) == "" && r.Pathway == PathwaySelf {
			pr.Add("person.phone", "Give a phone number or email address, so we can get in touch")
		}
		// Someone referring themself gives their own details; a family
		// member's referral may be reached through the one referring.
		if msg := p.channelsWithoutDetails(); msg != "" && r.Pathway == PathwaySelf {
			pr.Add("person.contact.channels", msg)
		}
	}
	if r.Pathway == PathwayFamily {
		if strings.TrimSpace(r.ReferrerName) == "" {
			pr.Add("referrer_name", "Enter your name")
		}
		if strings.TrimSpace(r.ReferrerContact) == "" {
			pr.Add("referrer_contact", "Give a phone number or email address, so we can get in touch with you")
		}
	}
	// The limits on its text are Validate's, the same for every door.
	return pr.Err()
}

// ValidateNewReferral checks a new referral and its person as every door
// must: the referral's own rules, and a new person's (problems named
// person.*). A person with an ID is already known and not checked again.
func ValidateNewReferral(r *Referral, p *Person, today Date) Problems {
	var problems Problems
	if err := r.Validate(); err != nil {
		problems = append(problems, ErrorFields(err)...)
	}
	if !r.SafeNow.Valid() {
		problems.Add("safe_now", "Say whether the person is safe right now: yes, no or not sure")
	}
	if !r.HarmThoughts.Valid() {
		problems.Add("harm_thoughts", "Say whether the person has thought about harming themselves or ending their life: yes, no or not sure")
	}
	switch {
	case p == nil:
		problems.Add("person", "Say who the referral is for")
	case p.ID == "":
		if err := p.Validate(today); err != nil {
			for _, f := range ErrorFields(err) {
				problems.Add("person."+f.Field, f.Message)
			}
		}
	}
	return problems
}

// channelsWithoutDetails says, to a person asking to be contacted a way
// they gave no details for (a phone call or text with no number, an email
// with no address), what to do; "" when every way chosen can be used.
func (p *Person) channelsWithoutDetails() string {
	phone, email := strings.TrimSpace(p.Phone) != "", strings.TrimSpace(p.Email) != ""
	const your = "your"
	for _, c := range p.Contact.Channels {
		switch {
		case (c == ChannelPhone || c == ChannelText) && !phone:
			return "To be contacted by " + strings.ToLower(c.Label()) + ", give " + your + " phone number, or choose a way you have given details for"
		case c == ChannelEmail && !email:
			return "To be contacted by email, give " + your + " email address, or choose a way you have given details for"
		}
	}
	return ""
}
