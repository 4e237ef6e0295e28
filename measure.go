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

// Timepoint is when in the journey a measure was taken.
type Timepoint string

// The timepoints.
const (
	TimepointBaseline Timepoint = "baseline"
	TimepointReview   Timepoint = "review"
	TimepointEnd      Timepoint = "end"
	TimepointFollowUp Timepoint = "follow_up"
)

// MeasureResponse is one completion of an instrument.
type MeasureResponse struct {
	ID         string
	PersonID   string
	CaseID     string
	Instrument Instrument
	Timepoint  Timepoint
	Answers    []int
	// GoalIDs pairs each GBO answer with its goal.
	GoalIDs []string
	// Score is the instrument's score where it has one (not ONS4, whose
	// items are reported separately).
	Score       float64
	HasScore    bool
	CompletedBy string // "self", "with link worker", "parent/guardian"
	At          time.Time
	CreatedBy   string
}

// MeasureService records outcome measures. The person's link worker, and
// coordinators and safeguarding leads of the service, record and read them;
// commissioners see only aggregates. Every read and change is audited.
type MeasureService interface {
	// RecordMeasure scores and stores a response. EINVALID for the wrong
	// number of answers or an answer out of range, naming the item.
	RecordMeasure(ctx context.Context, m *MeasureResponse) error
	// FindMeasures lists a case's responses, oldest first.
	FindMeasures(ctx context.Context, caseID string) ([]*MeasureResponse, error)
}
