package linkwork

import (
	"context"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"
)

// ServiceSettings is how a social prescribing service screens referrals:
// who it is contracted for (ages, areas, GP practices, pathways) and its
// streetlight criteria, shown to referrers on every form and as a
// printable guide.
type ServiceSettings struct {
	ServiceOrgID string
	ServiceName  string // filled on read

	// MinAge and MaxAge bound the ages the service is contracted for, in
	// whole years on the day of the referral; 0 means no bound.
	MinAge int
	MaxAge int
	// Pathways the service accepts; empty accepts every pathway.
	Pathways []Pathway
	// Areas are the postcode districts ("LS9") or areas ("LS") covered;
	// empty covers anywhere.
	Areas []string
	// PracticeIDs are the GP practices (organisation ids) covered; empty
	// covers every practice.
	PracticeIDs []string

	// The streetlight criteria, one line each.
	Red   []string
	Amber []string
	Green []string

	// CrisisAdvice tells people what to do in a crisis: the service is not
	// an emergency service.
	CrisisAdvice string
	// Contact is how people reach the service (phone, email, a hub's
	// address), shown on the public forms.
	Contact string
	// ExtraRiskPhrases are the service's own words to screen referrals
	// for, besides DefaultRiskPhrases.
	ExtraRiskPhrases []string

	// ListingRecheckMonths is how long a confirmation of a directory
	// listing lasts (by its contact through a verification link, or by a
	// curator): its verify-by date moves this many months on. 1 to 24;
	// default RecheckMonths.
	ListingRecheckMonths int

	// Casework are the service's rules for supporting people once
	// allocated: targets, planned sessions, review points, goals.
	Casework CaseworkSettings

	// Measures are the service's outcome measures: which for which age
	// band, when, which mandated, and its wording of licensed ones.
	Measures MeasureSettings

	Version   int
	UpdatedAt time.Time
	UpdatedBy string
}

// The default streetlight criteria, from the guide link workers wrote with
// the GPs who refer to them.
var (
	DefaultRed = []string{
		"In crisis now, or at immediate risk of harm to themselves or others",
		"Needs specialist clinical care (for example CAMHS, an eating disorder service or psychiatric care)",
		"A safeguarding concern that has not been passed to the safeguarding lead",
	}
	DefaultAmber = []string{
		"Self-harm in the past, or thoughts of it, without current risk",
		"Already supported by another service, or on a CAMHS waiting list",
		"Needs that may be more than social prescribing can meet: the team will discuss",
	}
	DefaultGreen = []string{
		"Low mood, anxiety, stress or loneliness",
		"Wants to try new activities, meet people or build confidence",
		"Non-medical needs such as school pressure, friendships, family changes or bereavement",
	}
	DefaultCrisisAdvice = "This is not an emergency service. If you or someone else is in danger now, call 999. " +
		"For urgent help with mental health, call NHS 111 and choose option 2. " +
		"You can call Samaritans free on 116 123 or text SHOUT to 85258, day or night, or call Childline on 0800 1111 if you are under 19."
)

// DefaultServiceSettings returns the settings a service starts with: no
// limits on age, area, practice or pathway, and the default criteria.
func DefaultServiceSettings(serviceOrgID string) *ServiceSettings {
	return &ServiceSettings{
		ServiceOrgID: serviceOrgID,
		Red:          slices.Clone(DefaultRed),
		Amber:        slices.Clone(DefaultAmber),
		Green:        slices.Clone(DefaultGreen),
		CrisisAdvice: DefaultCrisisAdvice,

		ListingRecheckMonths: RecheckMonths,
	}
}

// Bounds of ServiceSettings.ListingRecheckMonths.
const (
	MinRecheckMonths = 1
	MaxRecheckMonths = 24
)

// Validate reports every problem with the settings as EINVALID and
// normalises the areas to upper case.
func (s *ServiceSettings) Validate() error {
	var p Problems
	if s.MinAge < 0 || s.MinAge > 120 {
		p.Add("min_age", "Youngest age must be between 0 and 120")
	}
	if s.MaxAge < 0 || s.MaxAge > 120 {
		p.Add("max_age", "Oldest age must be between 0 and 120")
	}
	if s.MinAge > 0 && s.MaxAge > 0 && s.MinAge > s.MaxAge {
		p.Add("max_age", "Oldest age must be the same as or older than the youngest age")
	}
	for _, pw := range s.Pathways {
		if !pw.Valid() {
			p.Addf("pathways", "%q is not a referral pathway", pw)
		}
	}
	for i, a := range s.Areas {
		if !p.Text("areas", a, MaxShortText) {
			continue
		}
		a = strings.ToUpper(strings.Join(strings.Fields(a), ""))
		if !validArea(a) {
			p.Addf("areas", "%q is not a postcode area or district, like LS or LS9", s.Areas[i])
		}
		s.Areas[i] = a
	}
	s.Casework.validate(&p)
	s.Measures = s.Measures.Normalised()
	s.Measures.validate(&p)
	s.Red, s.Amber, s.Green = cleanLines(s.Red), cleanLines(s.Amber), cleanLines(s.Green)
	if len(s.Red) == 0 {
		p.Add("red", "Give at least one red criterion")
	}
	if len(s.Amber) == 0 {
		p.Add("amber", "Give at least one amber criterion")
	}
	if len(s.Green) == 0 {
		p.Add("green", "Give at least one green criterion")
	}
	if strings.TrimSpace(s.CrisisAdvice) == "" {
		p.Add("crisis_advice", "Say what to do in a crisis: the forms must show it")
	}
	p.Text("crisis_advice", s.CrisisAdvice, MaxAdviceLength)
	p.Text("contact", s.Contact, MaxAdviceLength)
	for _, c := range []struct {
		name  string
		lines []string
	}{{"red", s.Red}, {"amber", s.Amber}, {"green", s.Green}} {
		for _, l := range c.lines {
			if !p.Text(c.name, l, MaxShortText) {
				break
			}
		}
	}
	for _, id := range s.PracticeIDs {
		if !p.Text("practice_ids", id, MaxIDLength) {
			break
		}
	}
	s.ExtraRiskPhrases = cleanLines(s.ExtraRiskPhrases)
	validateRiskPhrases(&p, s.ExtraRiskPhrases)
	if s.ListingRecheckMonths < MinRecheckMonths || s.ListingRecheckMonths > MaxRecheckMonths {
		p.Addf("listing_recheck_months", "Listings must be checked every %d to %d months", MinRecheckMonths, MaxRecheckMonths)
	}
	return p.Err()
}

// areaRe is a postcode area: one or two letters, such as LS.
var areaRe = regexp.MustCompile(`^[A-Z]{1,2}$`)

// validArea reports whether a is a postcode area (letters) or district
// (letters, a digit, then an optional digit or letter).
func validArea(a string) bool { return areaRe.MatchString(a) || outwardRe.MatchString(a) }

func cleanLines(in []string) []string {
	var out []string
	for _, l := range in {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// AgeRange says which ages the service takes, as people read it.
func (s *ServiceSettings) AgeRange() string {
	switch {
	case s.MinAge > 0 && s.MaxAge > 0:
		return fmt.Sprintf("%d to %d", s.MinAge, s.MaxAge)
	case s.MinAge > 0:
		return fmt.Sprintf("%d and over", s.MinAge)
	case s.MaxAge > 0:
		return fmt.Sprintf("%d and under", s.MaxAge)
	}
	return "any age"
}

// Accepts reports whether the service takes referrals by the pathway.
func (s *ServiceSettings) Accepts(p Pathway) bool {
	return len(s.Pathways) == 0 || slices.Contains(s.Pathways, p)
}

// EligibilityCheck is one rule of a service's eligibility applied to one
// referral, with the reason shown to the triager.
type EligibilityCheck struct {
	Rule string // "age", "area", "practice", "pathway"
	// OK is true when the referral meets the rule; Unknown when it could
	// not be checked (no date of birth, no postcode).
	OK      bool
	Unknown bool
	Reason  string
}

// Eligibility checks a referral and its person against the settings on a
// day. practiceName names the person's GP practice for the reason, and
// place reads a postcode area or district as a place ("Leeds (LS)"), so
// that a reason names where the service works as a person reads it; a nil
// place leaves the codes as they are.
func (s *ServiceSettings) Eligibility(r *Referral, p *Person, today Date, practiceName string, place func(code string) string) []EligibilityCheck {
	var out []EligibilityCheck
	// Age.
	age := -1
	if p != nil {
		age = p.AgeOn(today)
	}
	switch {
	case s.MinAge == 0 && s.MaxAge == 0:
		out = append(out, EligibilityCheck{Rule: "age", OK: true, Reason: "The service takes people of any age"})
	case age < 0:
		out = append(out, EligibilityCheck{Rule: "age", Unknown: true, Reason: "No date of birth: check the age is " + s.AgeRange()})
	case (s.MinAge > 0 && age < s.MinAge) || (s.MaxAge > 0 && age > s.MaxAge):
		out = append(out, EligibilityCheck{Rule: "age", Reason: fmt.Sprintf("Aged %d: the service is for ages %s", age, s.AgeRange())})
	default:
		out = append(out, EligibilityCheck{Rule: "age", OK: true, Reason: fmt.Sprintf("Aged %d: within %s", age, s.AgeRange())})
	}
	// Area.
	if len(s.Areas) > 0 {
		areas := make([]string, len(s.Areas))
		for i, a := range s.Areas {
			areas[i] = a
			if place != nil {
				areas[i] = place(a)
			}
		}
		covered := strings.Join(areas, ", ")
		pc := ""
		if p != nil {
			pc = p.Postcode
		}
		if pc == "" {
			out = append(out, EligibilityCheck{Rule: "area", Unknown: true, Reason: "No postcode: check they live in " + covered})
		} else if s.CoversPostcode(pc) {
			out = append(out, EligibilityCheck{Rule: "area", OK: true, Reason: pc + " is in the area covered"})
		} else {
			out = append(out, EligibilityCheck{Rule: "area", Reason: pc + " is outside the area covered (" + covered + ")"})
		}
	}
	// GP practice.
	if len(s.PracticeIDs) > 0 {
		switch {
		case r.GPPracticeOrgID == "":
			out = append(out, EligibilityCheck{Rule: "practice", Unknown: true, Reason: "GP practice not given: the service covers named practices only"})
		case slices.Contains(s.PracticeIDs, r.GPPracticeOrgID):
			out = append(out, EligibilityCheck{Rule: "practice", OK: true, Reason: practiceName + " is covered"})
		default:
			out = append(out, EligibilityCheck{Rule: "practice", Reason: practiceName + " is not one of the practices the service covers"})
		}
	}
	// Pathway.
	if s.Accepts(r.Pathway) {
		out = append(out, EligibilityCheck{Rule: "pathway", OK: true, Reason: r.Pathway.Label() + " referrals are accepted"})
	} else {
		out = append(out, EligibilityCheck{Rule: "pathway", Reason: "The service does not take " + strings.ToLower(r.Pathway.Label()) + " referrals"})
	}
	return out
}

// CoversPostcode reports whether a postcode is in the areas covered.
func (s *ServiceSettings) CoversPostcode(postcode string) bool {
	if len(s.Areas) == 0 {
		return true
	}
	pc, err := ParsePostcode(postcode)
	if err != nil {
		return false
	}
	// An outward code is its area's letters, then a digit.
	district := pc.Outward
	letters := district[:strings.IndexAny(district, "0123456789")]
	for _, a := range s.Areas {
		if a == district || a == letters {
			return true
		}
	}
	return false
}

// Eligibility is a referral checked against its service's settings: each
// rule with its reason, and whether it meets them all.
type Eligibility struct {
	Checks   []EligibilityCheck
	Eligible bool
}

// Eligible reports whether every check passed (unknowns do not fail).
func Eligible(checks []EligibilityCheck) bool {
	for _, c := range checks {
		if !c.OK && !c.Unknown {
			return false
		}
	}
	return true
}

// AgeBand is a range of ages the triage queue can be filtered by.
type AgeBand struct {
	Key      string
	Label    string
	Min, Max int // inclusive; Max 0 means no upper bound
}

// AgeBands are the triage queue's age filters, matching the bands
// services are contracted for (13-25, 16+, 18+).
var AgeBands = []AgeBand{
	{"under-13", "Under 13", 0, 12},
	{"13-15", "13 to 15", 13, 15},
	{"16-17", "16 and 17", 16, 17},
	{"18-25", "18 to 25", 18, 25},
	{"26-plus", "26 and over", 26, 0},
}

// FindAgeBand returns the band with the key.
func FindAgeBand(key string) (AgeBand, bool) {
	for _, b := range AgeBands {
		if b.Key == key {
			return b, true
		}
	}
	return AgeBand{}, false
}

// Births returns the range of dates of birth of people in the band on a
// day: born on or after from and on or before to (to is zero for no bound).
func (b AgeBand) Births(today Date) (from, to Date) {
	if b.Max > 0 {
		from = DateOf(yearsBefore(today, b.Max+1).Time().AddDate(0, 0, 1))
	}
	return from, yearsBefore(today, b.Min)
}

// yearsBefore is the same day n years before d. From the 29th of February
// into a year without one it is the 28th, as Date.AgeOn counts birthdays.
func yearsBefore(d Date, n int) Date {
	y := Date{Year: d.Year - n, Month: d.Month, Day: d.Day}
	if DateOf(y.Time()) != y {
		y.Day--
	}
	return y
}

// TriageFilter narrows the triage queue.
type TriageFilter struct {
	// Meeting selects the team-meeting view: referrals back from deferral
	// first, then ambers, then reds and unrated referrals awaiting
	// discussion; green referrals a link worker can decide alone are left
	// out.
	Meeting bool
	Pathway Pathway
	AgeBand string // an AgeBand key
	Offset  int
	Limit   int
}

// WaitingEntry is one person on the waiting list.
type WaitingEntry struct {
	Case     *Case
	Position int // 1 is next
	// Waited is how long they have waited so far.
	Waited time.Duration
	// ExpectedWeeks is how many more weeks they are likely to wait, from
	// recent throughput; ExpectedKnown is false when nobody has been
	// allocated recently to judge by.
	ExpectedWeeks float64
	ExpectedKnown bool
}

// WaitingList is a page of the waiting list with the throughput the
// expected waits come from.
type WaitingList struct {
	Entries []WaitingEntry
	Total   int
	// AllocatedPerWeek is how many people left the waiting list for a link
	// worker each week over the last ThroughputWeeks weeks.
	AllocatedPerWeek float64
	ThroughputWeeks  int
}

// ThroughputWeeks is the window of allocations the expected wait is
// computed from.
const ThroughputWeeks = 12

// ExpectedWait is how many weeks the person at a position is likely to
// wait, at a throughput of perWeek allocations a week, and whether it can
// be known at all.
func ExpectedWait(position int, perWeek float64) (weeks float64, known bool) {
	if perWeek <= 0 || position < 1 {
		return 0, false
	}
	// Rounded up to a tenth of a week, less a hair for the error of
	// floating point: 65 people at 13 in 12 weeks wait 60 weeks, not 60.1.
	return math.Ceil(float64(position)/perWeek*10-1e-9) / 10, true
}

// WaitLabel says an expected wait as people read it.
func WaitLabel(weeks float64, known bool) string {
	switch {
	case !known:
		return "not known yet"
	case weeks <= 1:
		return "about a week"
	case weeks < 8:
		return fmt.Sprintf("about %d weeks", int(math.Ceil(weeks)))
	}
	return fmt.Sprintf("about %d months", int(math.Round(weeks/4.345)))
}

// TriageService runs the service's triage: settings, the queue, the
// waiting list and the jobs that keep them moving.
type TriageService interface {
	// Services lists every social prescribing service with its settings
	// (defaults where none are saved). Anyone may read them: the public
	// forms show the ages, areas, criteria and crisis advice.
	Services(ctx context.Context) ([]*ServiceSettings, error)
	// ServiceSettings returns one service's settings, or ENOTFOUND when it
	// is not a social prescribing service. Anyone may read them.
	ServiceSettings(ctx context.Context, serviceOrgID string) (*ServiceSettings, error)
	// SaveServiceSettings saves a service's settings at s.Version (0 for
	// the first save). Coordinators of the service and administrators
	// only; EINVALID for bad settings; ECONFLICT when the version is stale.
	SaveServiceSettings(ctx context.Context, s *ServiceSettings) error
	// TriageQueue returns a page of the referrals awaiting a decision in
	// the actor's service (received, in triage, and deferred ones whose
	// date has come), oldest first, or in team-meeting order. Link
	// workers, coordinators and safeguarding leads only.
	TriageQueue(ctx context.Context, f TriageFilter) ([]*Referral, int, error)
	// WaitingList returns a page of the actor's service's waiting list in
	// order, with each person's position and expected wait.
	WaitingList(ctx context.Context, offset, limit int) (*WaitingList, error)
	// Caseloads lists the enabled link workers of the actor's service with
	// their current active caseloads, smallest first, for allocation.
	Caseloads(ctx context.Context) ([]Caseload, error)
	// ReturnDueDeferrals moves every deferred referral whose date has come
	// back to triage (the system, or a coordinator for their service), and
	// returns how many moved.
	ReturnDueDeferrals(ctx context.Context) (int, error)
	// ResolveDuplicate settles a referral flagged as a possible duplicate:
	// same moves the referral to the person already known (the new record
	// made for it is removed); otherwise the flag is cleared. Triagers
	// only; ECONFLICT when version is stale; EINVALID when not flagged.
	ResolveDuplicate(ctx context.Context, referralID string, version int, same bool) (*Referral, error)
}

// NotificationKind is what a notification is about.
type NotificationKind string

// The notification kinds.
const (
	NoteReferralReceived NotificationKind = "referral_received"
	NoteReferralDecided  NotificationKind = "referral_decided"
	NoteReferralReturned NotificationKind = "referral_returned" // back from deferral
	NoteCaseClosed       NotificationKind = "case_closed"
	// NoteRiskFlagged tells a service's safeguarding leads and coordinators
	// at once that a referral disclosed a possible risk.
	NoteRiskFlagged NotificationKind = "risk_flagged"
	// NoteCaseAllocated tells the referrer the person has a link worker.
	NoteCaseAllocated NotificationKind = "case_allocated"
	// NoteCaseHandedOver tells a link worker a case is now theirs.
	NoteCaseHandedOver NotificationKind = "case_handed_over"
	// NoteConnectionDeclined tells the link worker that a group could
	// not take the person they referred, and points them to ranked
	// alternatives.
	NoteConnectionDeclined NotificationKind = "connection_declined"
	// NoteMeasureCompleted tells the link worker that the person answered
	// a measure through the link sent to them.
	NoteMeasureCompleted NotificationKind = "measure_completed"
)

// Notification is a message in the outbox: always visible in the app to
// its recipient (a user, or everyone in an organisation), and emailed
// when it has an address and SMTP is configured. It is written in the same
// transaction as the change it reports, so none is lost.
type Notification struct {
	ID         string
	Kind       NotificationKind
	UserID     string // the recipient, or empty for OrgID's users
	OrgID      string
	Email      string // where to email it; empty for in-app only
	Subject    string
	Body       string
	Link       string // a path in the app
	ReferralID string

	CreatedAt time.Time
	ReadAt    time.Time
	SentAt    time.Time
	Attempts  int
	LastError string
}

// MaxEmailAttempts is how many times an email is tried before it is left
// for someone to look at.
const MaxEmailAttempts = 5

// NotificationService is the outbox.
type NotificationService interface {
	// FindNotifications returns a page of the actor's notifications (to
	// them, or to their organisation), newest first, and the total and
	// unread counts.
	FindNotifications(ctx context.Context, unreadOnly bool, offset, limit int) (list []*Notification, total, unread int, err error)
	// MarkNotificationRead marks one of the actor's notifications read;
	// ENOTFOUND when it is not theirs.
	MarkNotificationRead(ctx context.Context, id string) error
	// PendingEmails returns up to limit notifications still to be emailed
	// (not sent, fewer than MaxEmailAttempts tries), oldest first. System
	// only.
	PendingEmails(ctx context.Context, limit int) ([]*Notification, error)
	// RecordEmailAttempt records a try at emailing a notification: sent
	// when sendErr is nil, otherwise the error is kept. System only.
	RecordEmailAttempt(ctx context.Context, id string, sendErr error) error
}
