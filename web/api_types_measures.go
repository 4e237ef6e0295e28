package web

import (
	"math"
	"strconv"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/outcomes"
)

// measureIn is a response to an instrument sent over the API: the answers
// in item order (null for an item left unanswered, where the instrument
// allows it), and for goal-based outcomes the goal each rates.
type measureIn struct {
	Instrument  linkwork.Instrument `json:"instrument"`
	Timepoint   linkwork.Timepoint  `json:"timepoint"`
	Answers     []*float64          `json:"answers"`
	GoalIDs     []string            `json:"goal_ids"`
	CompletedBy linkwork.Completer  `json:"completed_by"`
}

// notAnAnswer stands for a number sent that is not a whole number of any
// instrument's range (3.5, 1e300), so that the rule names it: "Answer 4
// must be a whole number from 1 to 5".
const notAnAnswer = math.MinInt32

// response is the domain response the body describes.
func (in measureIn) response(caseID string) *linkwork.MeasureResponse {
	m := &linkwork.MeasureResponse{CaseID: caseID, Instrument: in.Instrument, Timepoint: in.Timepoint, GoalIDs: in.GoalIDs, CompletedBy: in.CompletedBy}
	for _, a := range in.Answers {
		switch {
		case a == nil:
			m.Answers = append(m.Answers, nil)
		case *a != math.Trunc(*a) || math.Abs(*a) > 1000:
			n := notAnAnswer
			m.Answers = append(m.Answers, &n)
		default:
			n := int(*a)
			m.Answers = append(m.Answers, &n)
		}
	}
	return m
}

// measureJSON is a recorded response. It maps one to one onto a FHIR
// QuestionnaireResponse (see the operation's description in openapi.json).
type measureJSON struct {
	ID          string              `json:"id"`
	CaseID      string              `json:"case_id"`
	PersonID    string              `json:"person_id"`
	Instrument  linkwork.Instrument `json:"instrument"`
	Name        string              `json:"name"`
	Timepoint   linkwork.Timepoint  `json:"timepoint"`
	CompletedBy linkwork.Completer  `json:"completed_by,omitempty"`
	Answers     []*int              `json:"answers"`
	GoalIDs     []string            `json:"goal_ids,omitempty"`
	Score       *float64            `json:"score,omitempty"`
	Raw         *int                `json:"raw,omitempty"`
	Band        string              `json:"band,omitempty"`
	Items       []measureItemJSON   `json:"items"`
	At          time.Time           `json:"at"`
	CreatedBy   string              `json:"created_by"`
}

// measureItemJSON is one item's answer: link_id is the item's number, or
// for goal-based outcomes the goal's id.
type measureItemJSON struct {
	LinkID  string `json:"link_id"`
	Label   string `json:"label"`
	Answer  *int   `json:"answer"`
	Band    string `json:"band,omitempty"`
	Missing bool   `json:"missing,omitempty"`
}

func measureOut(m *linkwork.MeasureResponse) measureJSON {
	out := measureJSON{ID: m.ID, CaseID: m.CaseID, PersonID: m.PersonID, Instrument: m.Instrument, Name: m.Instrument.Label(), Timepoint: m.Timepoint,
		CompletedBy: m.CompletedBy, Answers: m.Answers, GoalIDs: m.GoalIDs, Items: []measureItemJSON{}, At: m.At, CreatedBy: m.CreatedBy}
	if out.Answers == nil {
		out.Answers = []*int{}
	}
	r, err := outcomes.ScoreAnswers(m.Instrument, m.Answers)
	if err != nil {
		return out
	}
	if r.HasTotal {
		score, raw := r.Total, r.Raw
		out.Score, out.Raw = &score, &raw
	}
	out.Band = r.Band
	for i, it := range r.Items {
		item := measureItemJSON{LinkID: strconv.Itoa(i + 1), Label: it.Label, Band: it.Band, Missing: it.Missing}
		if i < len(m.GoalIDs) {
			item.LinkID = m.GoalIDs[i]
		}
		if !it.Missing {
			a := it.Answer
			item.Answer = &a
		}
		out.Items = append(out.Items, item)
	}
	return out
}

// measuresJSON is a case's responses and, for each instrument, the change.
type measuresJSON struct {
	Responses []measureJSON  `json:"responses"`
	Progress  []progressJSON `json:"progress"`
}

// progressJSON is one instrument's change from its first response to its
// latest: in the total, with the verdict against the threshold, and in
// each line followed (the total, each ONS4 item, each goal).
type progressJSON struct {
	Instrument linkwork.Instrument `json:"instrument"`
	Name       string              `json:"name"`
	Responses  int                 `json:"responses"`
	Difference *float64            `json:"difference,omitempty"`
	Threshold  *float64            `json:"threshold,omitempty"`
	Verdict    outcomes.Verdict    `json:"verdict,omitempty"`
	Lines      []lineJSON          `json:"lines"`
}

type lineJSON struct {
	Label      string             `json:"label"`
	GoalID     string             `json:"goal_id,omitempty"`
	Points     int                `json:"points"`
	First      float64            `json:"first"`
	FirstBand  string             `json:"first_band,omitempty"`
	Latest     float64            `json:"latest"`
	LatestBand string             `json:"latest_band,omitempty"`
	Difference float64            `json:"difference"`
	Direction  outcomes.Direction `json:"direction,omitempty"`
}

func measuresOut(list []*linkwork.MeasureResponse) measuresJSON {
	out := measuresJSON{Responses: []measureJSON{}, Progress: []progressJSON{}}
	for _, m := range list {
		out.Responses = append(out.Responses, measureOut(m))
	}
	for _, pr := range outcomes.ProgressOf(list, nil) {
		p := progressJSON{Instrument: pr.Instrument, Name: pr.Instrument.Label(), Responses: len(pr.Responses), Verdict: pr.Verdict, Lines: []lineJSON{}}
		if pr.HasChange {
			d := pr.Change.Difference
			p.Difference = &d
			if pr.Change.HasThreshold {
				t := pr.Change.Threshold
				p.Threshold = &t
			}
		}
		for _, l := range pr.Lines {
			if len(l.Points) == 0 {
				continue
			}
			p.Lines = append(p.Lines, lineJSON{Label: l.Label, GoalID: l.GoalID, Points: len(l.Points), First: l.First().Value, FirstBand: l.First().Band,
				Latest: l.Latest().Value, LatestBand: l.Latest().Band, Difference: l.Difference, Direction: l.Direction})
		}
		out.Progress = append(out.Progress, p)
	}
	return out
}
