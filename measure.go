package linkwork

import (
	"context"
	"time"
)

// Instrument is a standard outcome measure.
type Instrument string

// The instruments. Scoring is exact, as published, in package outcomes.
const (
	InstrumentONS4    Instrument = "ons4"    // ONS personal wellbeing, four items 0-10, never summed
	InstrumentWEMWBS  Instrument = "wemwbs"  // Warwick-Edinburgh, 14 items 1-5, 14-70
	InstrumentSWEMWBS Instrument = "swemwbs" // short form, 7 items 1-5, metric score 7-35
	InstrumentGBO     Instrument = "gbo"     // goal-based outcomes, up to 3 goals rated 0-10
	InstrumentUCLA3   Instrument = "ucla3"   // 3-item loneliness, 3-9
)

// Instruments lists the instruments in the order they are offered: the
// person's own goals first, then wellbeing, then loneliness.
var Instruments = []Instrument{InstrumentGBO, InstrumentSWEMWBS, InstrumentWEMWBS, InstrumentONS4, InstrumentUCLA3}

// Valid reports whether i is a known instrument.
func (i Instrument) Valid() bool {
	for _, x := range Instruments {
		if i == x {
			return true
		}
	}
	return false
}

// Label is the instrument's name as people read it.
func (i Instrument) Label() string {
	switch i {
	case InstrumentONS4:
		return "ONS personal wellbeing"
	case InstrumentWEMWBS:
		return "WEMWBS"
	case InstrumentSWEMWBS:
		return "SWEMWBS"
	case InstrumentGBO:
		return "Goal-based outcomes"
	case InstrumentUCLA3:
		return "Loneliness (UCLA 3-item)"
	}
	return string(i)
}

// MinAge is the youngest age the instrument is offered at. WEMWBS and
// SWEMWBS are validated from 13 (Clarke et al. 2011, in schools); ONS asks
// its personal wellbeing questions, and recommends the UCLA 3-item
// loneliness questions, from 16. Goals are for everyone. This is the rule
// in an age band for which the service chose no instruments
// (MeasureSettings.Offers).
func (i Instrument) MinAge() int {
	switch i {
	case InstrumentWEMWBS, InstrumentSWEMWBS:
		return 13
	case InstrumentONS4, InstrumentUCLA3:
		return 16
	}
	return 0
}

// SuitableFor reports whether the instrument may be offered to someone of
// the age given.
func (i Instrument) SuitableFor(age int) bool { return i.Valid() && age >= i.MinAge() }

// InstrumentsFor lists the instruments suitable for the person on the day
// by the instruments' own ages, in the order offered: what a service that
// chose none offers. Without a date of birth every instrument is offered:
// the link worker knows the person's age.
func InstrumentsFor(p *Person, today Date) []Instrument {
	return MeasureSettings{}.InstrumentsFor(p, today)
}

// Timepoint is when in the journey a measure was taken.
type Timepoint string

// The timepoints.
const (
	TimepointBaseline Timepoint = "baseline"
	TimepointReview   Timepoint = "review"
	TimepointEnd      Timepoint = "end"
	TimepointFollowUp Timepoint = "follow_up"
)

// Timepoints lists the timepoints in journey order.
var Timepoints = []Timepoint{TimepointBaseline, TimepointReview, TimepointEnd, TimepointFollowUp}

// Valid reports whether t is a known timepoint.
func (t Timepoint) Valid() bool {
	for _, x := range Timepoints {
		if t == x {
			return true
		}
	}
	return false
}

// Label is the timepoint in words.
func (t Timepoint) Label() string {
	switch t {
	case TimepointBaseline:
		return "Start"
	case TimepointReview:
		return "Review"
	case TimepointEnd:
		return "End"
	case TimepointFollowUp:
		return "Follow-up"
	}
	return string(t)
}

// Completer is who answered a measure.
type Completer string

// Who answered: the person on their own, the person with their link
// worker (who may read the questions out and note the answers), or
// someone answering for them, such as a parent (a proxy).
const (
	CompletedByPerson   Completer = "person"
	CompletedWithWorker Completer = "with_link_worker"
	CompletedByProxy    Completer = "proxy"
	completedNotSaid    Completer = ""
)

// Completers lists who may have answered, in the order offered.
var Completers = []Completer{CompletedWithWorker, CompletedByPerson, CompletedByProxy}

// Valid reports whether c is a known completer.
func (c Completer) Valid() bool {
	for _, x := range Completers {
		if c == x {
			return true
		}
	}
	return false
}

// Label says who answered, in words.
func (c Completer) Label() string {
	switch c {
	case CompletedByPerson:
		return "The person, on their own"
	case CompletedWithWorker:
		return "The person, with their link worker"
	case CompletedByProxy:
		return "A parent or carer, answering for them"
	}
	return "Not said"
}

// MeasureResponse is one completion of an instrument.
type MeasureResponse struct {
	ID         string
	PersonID   string
	CaseID     string
	Instrument Instrument
	Timepoint  Timepoint
	// Answers are the answers in item order; nil is an item left
	// unanswered, which only an instrument whose items stand alone (ONS4)
	// accepts.
	Answers []*int
	// GoalIDs pairs each GBO answer with its goal.
	GoalIDs []string
	// Score is the instrument's score where it has one (not ONS4, whose
	// items are reported separately).
	Score       float64
	HasScore    bool
	CompletedBy Completer
	At          time.Time
	CreatedBy   string
}

// Validate reports problems with the response's own fields: the
// instrument, timepoint, who answered, and the pairing of GBO ratings with
// goals. The answers themselves are checked and scored by package
// outcomes (outcomes.Check), which calls this.
func (m *MeasureResponse) Validate() error {
	var p Problems
	if !m.Instrument.Valid() {
		p.Add("instrument", "Choose one of the outcome measures")
	}
	if !m.Timepoint.Valid() {
		p.Add("timepoint", "Choose when this is: the start, a review, the end or a follow-up")
	}
	if m.CompletedBy != completedNotSaid && !m.CompletedBy.Valid() {
		p.Add("completed_by", "Choose who answered: the person, the person with their link worker, or someone for them")
	}
	if m.Instrument == InstrumentGBO {
		if len(m.GoalIDs) != len(m.Answers) {
			p.Add("goal_ids", "Give one rating for each goal")
		}
		seen := map[string]bool{}
		for i, id := range m.GoalIDs {
			if !p.Text("goal_ids", id, MaxIDLength) {
				break
			}
			if seen[id] {
				p.Addf("goal_ids", "Rate goal %d once", i+1)
				break
			}
			seen[id] = true
		}
	} else if len(m.GoalIDs) > 0 {
		p.Add("goal_ids", "Only goal-based outcomes rate goals")
	}
	return p.Err()
}

// Ints returns answers as given, for building a response in code.
func Ints(answers ...int) []*int {
	out := make([]*int, len(answers))
	for i := range answers {
		out[i] = &answers[i]
	}
	return out
}

// MeasureService records outcome measures. The person's link worker, and
// coordinators and safeguarding leads of the service, record and read them;
// commissioners see only aggregates. Every read and change is audited.
type MeasureService interface {
	// RecordMeasure checks, scores and stores a response. EINVALID, naming
	// the field, for an instrument not suitable for the person's age, a
	// missing or out-of-range answer (answers[3]), or a goal not the
	// case's; ENOTFOUND for a case the actor may not see; EFORBIDDEN for
	// one they may see but not work on.
	RecordMeasure(ctx context.Context, m *MeasureResponse) error
	// FindMeasures lists a case's responses, oldest first.
	FindMeasures(ctx context.Context, caseID string) ([]*MeasureResponse, error)
}
