package linkwork

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// The plan: goals in the person's own words, rated 0-10 for how close they
// feel; actions (who does what by when); reviews at the service's review
// points; the ending, closing, the follow-up and coming back.

// Importance is how much a goal matters to the person: 1 a little, 2
// quite a lot, 3 very much. 0 is not said.
type Importance int

// The importances.
const (
	ImportanceNotSaid Importance = 0
	ImportanceLittle  Importance = 1
	ImportanceQuite   Importance = 2
	ImportanceVery    Importance = 3
)

// Label is the importance as users read it.
func (i Importance) Label() string {
	switch i {
	case ImportanceLittle:
		return "Matters a little"
	case ImportanceQuite:
		return "Matters quite a lot"
	case ImportanceVery:
		return "Matters very much"
	}
	return "Not said"
}

// RatingScale is the scale a goal was rated on. Both give the same
// numbers, 0 (not close at all) to 10 (there): the emoji scale shows a
// face for each number, for young people.
type RatingScale string

// The scales.
const (
	ScaleNumbers RatingScale = "numbers"
	ScaleEmoji   RatingScale = "emoji"
)

// MaxRating is the top of the goal rating scale.
const MaxRating = 10

var ratingEmoji = [MaxRating + 1]string{"😣", "😖", "😟", "🙁", "😕", "😐", "🙂", "😊", "😀", "😄", "🤩"}

var ratingWords = [MaxRating + 1]string{
	"not close at all", "very far", "far", "quite far", "a little way", "halfway",
	"a bit closer", "closer", "quite close", "very close", "there",
}

// RatingEmoji is the emoji scale's face for a rating.
func RatingEmoji(n int) string {
	if n < 0 || n > MaxRating {
		return ""
	}
	return ratingEmoji[n]
}

// RatingWords says a rating in words: "5, halfway".
func RatingWords(n int) string {
	if n < 0 || n > MaxRating {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d, %s", n, ratingWords[n])
}

// EmojiScaleFor reports whether a person should be offered the emoji
// scale: they are under 18 on the day.
func EmojiScaleFor(p *Person, today Date) bool {
	return p != nil && !p.DateOfBirth.IsZero() && p.DateOfBirth.AgeOn(today) < 18
}

// GoalRating is one rating of how close the person feels to a goal.
type GoalRating struct {
	ID       string
	GoalID   string
	CaseID   string
	Rating   int
	Scale    RatingScale
	At       time.Time
	ByUserID string
}

// ValidateRating reports a problem with a rating on the field named.
func ValidateRating(p *Problems, field string, n int, scale RatingScale) {
	if n < 0 || n > MaxRating {
		p.Addf(field, "Rating must be a whole number from 0 to %d", MaxRating)
	}
	if scale != ScaleNumbers && scale != ScaleEmoji {
		p.Add("scale", "Choose the number scale or the emoji scale")
	}
}

// First is the goal's first rating, and whether it has one.
func (g *Goal) First() (GoalRating, bool) {
	if len(g.Ratings) == 0 {
		return GoalRating{}, false
	}
	return g.Ratings[0], true
}

// Latest is the goal's latest rating, and whether it has one.
func (g *Goal) Latest() (GoalRating, bool) {
	if len(g.Ratings) == 0 {
		return GoalRating{}, false
	}
	return g.Ratings[len(g.Ratings)-1], true
}

// ActionWho is who does an action.
type ActionWho string

// Who does actions.
const (
	ActionByPerson     ActionWho = "person"
	ActionByLinkWorker ActionWho = "link_worker"
	ActionByParent     ActionWho = "parent"
	ActionByOther      ActionWho = "other"
)

// Label is who, as users read it.
func (w ActionWho) Label() string {
	switch w {
	case ActionByPerson:
		return "The person"
	case ActionByLinkWorker:
		return "The link worker"
	case ActionByParent:
		return "A parent or carer"
	case ActionByOther:
		return "Someone else"
	}
	return string(w)
}

// CaseAction is a step of the plan: who does what by when.
type CaseAction struct {
	ID       string
	CaseID   string
	Who      ActionWho
	WhoName  string // the parent's or other person's name, when not the person or link worker
	What     string
	DueOn    Date
	DoneAt   time.Time
	ByUserID string

	Version   int
	CreatedAt time.Time
}

// Done reports whether the action was done.
func (a *CaseAction) Done() bool { return !a.DoneAt.IsZero() }

// Validate reports every problem with a new action as EINVALID.
func (a *CaseAction) Validate() error {
	var p Problems
	switch a.Who {
	case ActionByPerson, ActionByLinkWorker, ActionByParent, ActionByOther:
	default:
		p.Add("who", "Choose who will do it")
	}
	a.What = strings.TrimSpace(a.What)
	if a.What == "" {
		p.Add("what", "Say what will be done")
	}
	if a.Who == ActionByOther && strings.TrimSpace(a.WhoName) == "" {
		p.Add("who_name", "Say who will do it")
	}
	p.Text("what", a.What, MaxShortText)
	p.Text("who_name", a.WhoName, MaxShortText)
	p.Text("case_id", a.CaseID, MaxIDLength)
	return p.Err()
}

// Validate reports every problem with a review as EINVALID.
func (r *Review) Validate() error {
	var p Problems
	switch r.Engaged {
	case EngagedYes, EngagedPartly, EngagedNo:
	default:
		p.Add("engaged", "Say whether they have engaged")
	}
	if (r.Engaged == EngagedNo || r.Engaged == EngagedPartly) && strings.TrimSpace(r.WhyNot) == "" {
		p.Add("why_not", "Say why they have not engaged, as far as you know")
	}
	switch r.Decision {
	case ReviewContinue, ReviewStartEnding, ReviewClose:
	default:
		p.Add("decision", "Choose continue, start the ending or close")
	}
	for i, g := range r.Ratings {
		ValidateRating(&p, fmt.Sprintf("ratings[%d].rating", i), g.Rating, g.Scale)
	}
	p.Text("why_not", r.WhyNot, MaxText)
	p.Text("notes", r.Notes, MaxText)
	p.Text("case_id", r.CaseID, MaxIDLength)
	return p.Err()
}

// Label is the engagement as users read it.
func (e Engagement) Label() string {
	switch e {
	case EngagedYes:
		return "Yes"
	case EngagedPartly:
		return "Partly"
	case EngagedNo:
		return "No"
	}
	return string(e)
}

// Label is the decision as users read it.
func (d ReviewDecision) Label() string {
	switch d {
	case ReviewContinue:
		return "Continue"
	case ReviewStartEnding:
		return "Start planning the ending"
	case ReviewClose:
		return "Close"
	}
	return string(d)
}

// ReviewDue is the review point (a count of attended sessions) at which a
// review is due, or 0 when none is: the highest point the attended
// sessions have reached with no review held at or after it.
func ReviewDue(points []int, attended int, reviews []*Review) int {
	due := 0
	for _, n := range points {
		if attended >= n {
			due = n
		}
	}
	for _, r := range reviews {
		if due > 0 && r.Sessions >= due {
			return 0
		}
	}
	return due
}

// CaseOutcome is the message back to a referrer when a case closes, built
// from the case, within what the person agreed to share. When Shared is
// false it says only that the support ended.
type CaseOutcome struct {
	CaseID     string
	ReferralID string
	Service    string
	PersonName string
	ClosedOn   Date
	Shared     bool

	// Within consent only.
	ReferredOn     Date
	FirstSessionOn Date
	Sessions       int // attended
	Reason         ClosureReason
	Destination    string
	Summary        string
	Connections    []string // activity names
	Goals          []GoalChange
	Measures       []MeasureChange
	LinkWorkerName string
}

// GoalChange is how close the person felt to a goal first and last.
type GoalChange struct {
	Text          string
	First, Latest int
	Rated         bool
	Achieved      bool
}

// MeasureChange is a measure's first and latest score.
type MeasureChange struct {
	Instrument    Instrument
	First, Latest float64
	Times         int
}

// MyPlan is the person's own copy of their plan, in plain words, to print
// or to send them.
type MyPlan struct {
	PersonName   string
	WhatMatters  string
	Plan         string
	Goals        []*Goal
	Actions      []*CaseAction
	NextSession  time.Time
	LinkWorker   string
	Service      string
	Contact      string
	CrisisAdvice string
}

// Text is the plan as a text message or email says it.
func (p *MyPlan) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s, this is your plan with %s.\n", p.PersonName, p.Service)
	if s := strings.TrimSpace(p.WhatMatters); s != "" {
		fmt.Fprintf(&b, "\nWhat matters to you: %s\n", s)
	}
	if len(p.Goals) > 0 {
		b.WriteString("\nYour goals:\n")
		for _, g := range p.Goals {
			fmt.Fprintf(&b, "- %s", g.Text)
			if g.Achieved {
				b.WriteString(" (done!)")
			} else if r, ok := g.Latest(); ok {
				fmt.Fprintf(&b, " (you said %d out of 10)", r.Rating)
			}
			b.WriteString("\n")
		}
	}
	if s := strings.TrimSpace(p.Plan); s != "" {
		fmt.Fprintf(&b, "\nThe plan: %s\n", s)
	}
	var todo []*CaseAction
	for _, a := range p.Actions {
		if !a.Done() {
			todo = append(todo, a)
		}
	}
	if len(todo) > 0 {
		b.WriteString("\nWhat happens next:\n")
		for _, a := range todo {
			who := a.Who.Label()
			switch a.Who {
			case ActionByPerson:
				who = "You"
			case ActionByLinkWorker:
				who = orName(p.LinkWorker, who)
			default:
				who = orName(a.WhoName, who)
			}
			fmt.Fprintf(&b, "- %s: %s", who, a.What)
			if !a.DueOn.IsZero() {
				fmt.Fprintf(&b, " by %s", a.DueOn.Time().Format("2 January"))
			}
			b.WriteString("\n")
		}
	}
	if !p.NextSession.IsZero() {
		fmt.Fprintf(&b, "\nYour next session: %s\n", p.NextSession.Format("Monday 2 January at 15:04"))
	}
	if p.LinkWorker != "" {
		fmt.Fprintf(&b, "\nYour link worker: %s\n", p.LinkWorker)
	}
	if s := strings.TrimSpace(p.Contact); s != "" {
		fmt.Fprintf(&b, "To contact us: %s\n", s)
	}
	if s := strings.TrimSpace(p.CrisisAdvice); s != "" {
		fmt.Fprintf(&b, "\n%s\n", s)
	}
	return b.String()
}

func orName(name, otherwise string) string {
	if strings.TrimSpace(name) != "" {
		return name
	}
	return otherwise
}

// CasePlanService holds the plan of a case and its ending. Who may do
// what is as for the case: its link worker (and coordinators) work on it,
// those who may see the case read it. Every read and change is audited.
type CasePlanService interface {
	// RateGoal records how close the person feels to a goal, 0-10.
	RateGoal(ctx context.Context, goalID string, rating int, scale RatingScale) (*GoalRating, error)
	// AchieveGoal marks a goal achieved. ECONFLICT when version is stale.
	AchieveGoal(ctx context.Context, goalID string, version int) (*Goal, error)
	// AddAction adds a step to the plan.
	AddAction(ctx context.Context, a *CaseAction) error
	// FindActions lists a case's actions, oldest first.
	FindActions(ctx context.Context, caseID string) ([]*CaseAction, error)
	// CompleteAction marks an action done, or not done.
	CompleteAction(ctx context.Context, id string, version int, done bool) (*CaseAction, error)
	// AddReview records a review, with any goals re-rated in it, and acts
	// on its decision: start ending moves the case to ending.
	AddReview(ctx context.Context, r *Review) error
	// FindReviews lists a case's reviews, oldest first.
	FindReviews(ctx context.Context, caseID string) ([]*Review, error)
	// PlanEnding moves an active case to ending with its tapering steps.
	PlanEnding(ctx context.Context, id string, version int, steps string) (*Case, error)
	// RecordFollowUp records the follow-up contact after a case closed.
	RecordFollowUp(ctx context.Context, id string, version int, note string) (*Case, error)
	// ReopenCase opens a new case for the person of a closed case, linked
	// to it, with a new referral for the return.
	ReopenCase(ctx context.Context, id string) (*Case, error)
	// MyPlan is the person's own copy of the plan.
	MyPlan(ctx context.Context, caseID string) (*MyPlan, error)
	// SendMyPlan queues the plan to the person by their chosen channel;
	// false when they have none a message can take.
	SendMyPlan(ctx context.Context, caseID string) (*PersonMessage, bool, error)
	// FindCaseOutcome is the message back on a referral the actor may see:
	// nil when its case has not closed.
	FindCaseOutcome(ctx context.Context, referralID string) (*CaseOutcome, error)
	// AttendedSessions counts the sessions a case's person attended.
	AttendedSessions(ctx context.Context, caseID string) (int, error)
}

// Text is the message back as the app and a letter say it, within
// consent: empty when the person did not agree to share.
func (o *CaseOutcome) Text() string {
	if !o.Shared {
		return ""
	}
	day := func(d Date) string {
		if d.IsZero() {
			return "none"
		}
		return d.Time().Format("2 January 2006")
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Referred: %s\nFirst session: %s\nSupport ended: %s\nSessions attended: %d\n", day(o.ReferredOn), day(o.FirstSessionOn), day(o.ClosedOn), o.Sessions)
	fmt.Fprintf(&b, "Why it ended: %s", o.Reason.Label())
	if o.Destination != "" {
		fmt.Fprintf(&b, " (%s)", o.Destination)
	}
	b.WriteString(".\n")
	if len(o.Connections) > 0 {
		fmt.Fprintf(&b, "Connections made: %s.\n", strings.Join(o.Connections, ", "))
	}
	for i, g := range o.Goals {
		if i == 0 {
			b.WriteString("Goals (how close they felt, 0 to 10, first and last):\n")
		}
		fmt.Fprintf(&b, "- %s: ", g.Text)
		if g.Rated {
			fmt.Fprintf(&b, "%d to %d", g.First, g.Latest)
		} else {
			b.WriteString("not rated")
		}
		if g.Achieved {
			b.WriteString(", achieved")
		}
		b.WriteString("\n")
	}
	for i, m := range o.Measures {
		if i == 0 {
			b.WriteString("Measures (first and latest score):\n")
		}
		if m.Times > 1 {
			fmt.Fprintf(&b, "- %s: %.1f to %.1f\n", m.Instrument, m.First, m.Latest)
		} else {
			fmt.Fprintf(&b, "- %s: %.1f (recorded once)\n", m.Instrument, m.First)
		}
	}
	if s := strings.TrimSpace(o.Summary); s != "" {
		fmt.Fprintf(&b, "\nWhat they agreed to share with you:\n%s\n", s)
	}
	return strings.TrimRight(b.String(), "\n")
}
