package outcomes

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func FuzzScore(f *testing.F) {
	f.Add("wemwbs", []byte{1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4})
	f.Add("swemwbs", []byte{5, 5, 5, 5, 5, 5, 5})
	f.Add("ons4", []byte{0, 10, 5, 11})
	f.Add("gbo", []byte{})
	f.Add("ucla3", []byte{1, 2, 3})
	f.Add("ucla3", []byte{0xff, 2, 3})
	f.Add("phq9", []byte{1})
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		instr := linkwork.Instrument(name)
		answers := make([]int, len(data))
		for i, b := range data {
			answers[i] = int(int8(b)) // include negatives
		}
		r, err := Score(instr, answers)
		s, known := Spec(instr)
		if err != nil {
			var e *linkwork.Error
			if !errors.As(err, &e) || e.Code != linkwork.EINVALID || len(e.Fields) == 0 {
				t.Fatalf("err = %#v", err)
			}
			for _, fe := range e.Fields {
				if fe.Field != "instrument" && fe.Field != "answers" && !strings.HasPrefix(fe.Field, "answers[") {
					t.Errorf("field %q", fe.Field)
				}
				var i int
				if _, scanErr := fmt.Sscanf(fe.Field, "answers[%d]", &i); scanErr == nil {
					if i < 0 || i >= len(answers) || (answers[i] >= s.MinAnswer && answers[i] <= s.MaxAnswer) {
						t.Errorf("field %q names a good answer", fe.Field)
					}
					if want := fmt.Sprintf("Answer %d must be a whole number from %d to %d", i+1, s.MinAnswer, s.MaxAnswer); fe.Message != want {
						t.Errorf("message %q, want %q", fe.Message, want)
					}
				}
			}
			return
		}
		if !known {
			t.Fatalf("scored unknown instrument %q", instr)
		}
		if len(answers) < s.MinItems || len(answers) > s.MaxItems || len(r.Items) != len(answers) {
			t.Fatalf("accepted %d answers", len(answers))
		}
		for i, it := range r.Items {
			if it.Answer != answers[i] || it.Answer < s.MinAnswer || it.Answer > s.MaxAnswer {
				t.Errorf("item %d = %+v", i, it)
			}
			if (it.Band != "") != (instr == linkwork.InstrumentONS4) {
				t.Errorf("item %d band %q", i, it.Band)
			}
		}
		if r.HasTotal != s.HasTotal {
			t.Errorf("HasTotal = %v", r.HasTotal)
		}
		if s.HasTotal {
			if r.Total < s.MinTotal || r.Total > s.MaxTotal {
				t.Errorf("Total %v out of %v-%v", r.Total, s.MinTotal, s.MaxTotal)
			}
			if r.Raw < int(s.MinTotal) || r.Raw > int(s.MaxTotal) {
				t.Errorf("Raw %d out of range", r.Raw)
			}
		} else if r.Total != 0 || r.Raw != 0 {
			t.Errorf("no total, but Total %v Raw %d", r.Total, r.Raw)
		}
		if (r.Band != "") != (instr == linkwork.InstrumentUCLA3) {
			t.Errorf("Band %q", r.Band)
		}
		// A response always compares with itself as unchanged.
		c, err := Change(instr, r, r, 0)
		if err != nil {
			t.Fatalf("Change: %v", err)
		}
		if c.Difference != 0 || c.Reliable || (c.HasTotal && c.Direction != Unchanged) {
			t.Errorf("self change %+v", c)
		}
	})
}

// FuzzScoreAnswers feeds every scorer answers with items left unanswered
// (a mask bit per item): nothing panics, a score is never out of range, an
// unanswered item is never scored, and the change between two responses
// never claims a verdict without a total and a threshold.
func FuzzScoreAnswers(f *testing.F) {
	f.Add("swemwbs", []byte{3, 3, 3, 3, 3, 3, 3}, uint16(0b1000))
	f.Add("ons4", []byte{0, 10, 5, 7}, uint16(0b0101))
	f.Add("ons4", []byte{0, 10, 5, 7}, uint16(0b1111))
	f.Add("gbo", []byte{4, 5}, uint16(0b10))
	f.Add("wemwbs", []byte{1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4}, uint16(0))
	f.Add("ucla3", []byte{1, 2, 3}, uint16(1))
	f.Fuzz(func(t *testing.T, name string, data []byte, mask uint16) {
		instr := linkwork.Instrument(name)
		answers := make([]*int, len(data))
		for i, b := range data {
			if i < 16 && mask&(1<<i) != 0 {
				continue
			}
			v := int(int8(b))
			answers[i] = &v
		}
		r, err := ScoreAnswers(instr, answers)
		if err != nil {
			if linkwork.ErrorCode(err) != linkwork.EINVALID || len(linkwork.ErrorFields(err)) == 0 {
				t.Fatalf("err = %#v", err)
			}
			return
		}
		s, _ := Spec(instr)
		for i, it := range r.Items {
			if it.Missing != (answers[i] == nil) || (!it.Missing && (it.Answer < s.MinAnswer || it.Answer > s.MaxAnswer)) {
				t.Errorf("item %d = %+v", i, it)
			}
		}
		if r.HasTotal && (r.Total < s.MinTotal || r.Total > s.MaxTotal) {
			t.Errorf("Total %v out of %v-%v", r.Total, s.MinTotal, s.MaxTotal)
		}
		goals := make([]string, len(answers))
		for i := range goals {
			goals[i] = fmt.Sprint("g", i)
		}
		m := &linkwork.MeasureResponse{Instrument: instr, Timepoint: linkwork.TimepointBaseline, Answers: answers}
		if instr == linkwork.InstrumentGBO {
			m.GoalIDs = goals
		}
		for _, pr := range ProgressOf([]*linkwork.MeasureResponse{m, m}, nil) {
			if pr.Verdict != "" && pr.Verdict != NoReliableChange {
				t.Errorf("a response against itself: %q", pr.Verdict)
			}
			for _, l := range pr.Lines {
				for _, pt := range l.Points {
					if pt.Value < l.Min || pt.Value > l.Max {
						t.Errorf("line %q point %v out of %v-%v", l.Label, pt.Value, l.Min, l.Max)
					}
				}
			}
		}
	})
}
