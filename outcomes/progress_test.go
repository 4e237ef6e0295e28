package outcomes

import (
	"reflect"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func TestScoreAnswersWithAnItemUnanswered(t *testing.T) {
	tests := []struct {
		name    string
		instr   linkwork.Instrument
		answers []*int
		fields  []string
		message string
	}{
		{"SWEMWBS names the unanswered item and makes no score", linkwork.InstrumentSWEMWBS, []*int{p(3), p(3), p(3), nil, p(3), p(3), p(3)}, []string{"answers[3]"}, "Answer question 4: the score needs every answer"},
		{"WEMWBS needs every answer", linkwork.InstrumentWEMWBS, append(linkwork.Ints(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3), nil), []string{"answers[13]"}, "Answer question 14: the score needs every answer"},
		{"UCLA3 needs every answer", linkwork.InstrumentUCLA3, []*int{nil, p(2), p(2)}, []string{"answers[0]"}, "Answer question 1: the score needs every answer"},
		{"a goal left unrated is named", linkwork.InstrumentGBO, []*int{p(3), nil}, []string{"answers[1]"}, "Rate goal 2"},
		{"ONS4 reports the items answered", linkwork.InstrumentONS4, []*int{p(7), p(8), nil, p(2)}, nil, ""},
		{"ONS4 needs one answer at least", linkwork.InstrumentONS4, []*int{nil, nil, nil, nil}, []string{"answers"}, "Answer at least one question"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ScoreAnswers(tt.instr, tt.answers)
			var fields []string
			for _, f := range linkwork.ErrorFields(err) {
				fields = append(fields, f.Field)
				if f.Message != tt.message {
					t.Errorf("message %q, want %q", f.Message, tt.message)
				}
			}
			if !reflect.DeepEqual(fields, tt.fields) {
				t.Fatalf("fields %q, want %q", fields, tt.fields)
			}
			if err != nil {
				if r.HasTotal || r.Total != 0 || r.Items != nil {
					t.Errorf("a result with an error: %+v", r)
				}
				return
			}
			for i, a := range tt.answers {
				if it := r.Items[i]; it.Missing != (a == nil) || (a == nil && it.Band != "") {
					t.Errorf("item %d = %+v", i, it)
				}
			}
		})
	}
}

func TestChangeLeavesAnUnansweredItemOut(t *testing.T) {
	before, _ := ScoreAnswers(linkwork.InstrumentONS4, []*int{p(3), nil, p(5), p(8)})
	after, _ := ScoreAnswers(linkwork.InstrumentONS4, []*int{p(6), p(6), nil, p(3)})
	c, err := Change(linkwork.InstrumentONS4, before, after, 0)
	if err != nil {
		t.Fatal(err)
	}
	missing := []bool{false, true, true, false}
	for i, it := range c.Items {
		if it.Missing != missing[i] || (it.Missing && (it.Direction != "" || it.Difference != 0)) {
			t.Errorf("item %d = %+v", i, it)
		}
	}
	if c.Items[0].Direction != Improved || c.Items[3].Direction != Improved {
		t.Errorf("answered items: %+v", c.Items)
	}
}

func TestCheckNamesEveryProblemAtOnce(t *testing.T) {
	m := &linkwork.MeasureResponse{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: "whenever", Answers: []*int{p(3), nil, p(9), p(3), p(3), p(3), p(3)}}
	_, err := Check(m)
	var fields []string
	for _, f := range linkwork.ErrorFields(err) {
		fields = append(fields, f.Field)
	}
	if want := []string{"timepoint", "answers[1]", "answers[2]"}; !reflect.DeepEqual(fields, want) {
		t.Errorf("fields %q, want %q", fields, want)
	}
	if m.HasScore {
		t.Error("scored with problems")
	}
	m = &linkwork.MeasureResponse{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(3, 3, 3, 3, 3, 3, 3)}
	if _, err := Check(m); err != nil || !m.HasScore || m.Score != 19.25 {
		t.Errorf("Check = %v, score %v %v", err, m.Score, m.HasScore)
	}
}

func TestVerdictOf(t *testing.T) {
	tests := []struct {
		name string
		c    ChangeResult
		want Verdict
		ok   bool
	}{
		{"past the threshold upwards", ChangeResult{HasTotal: true, HasThreshold: true, Reliable: true, Direction: Improved}, ReliableImprovement, true},
		{"past the threshold downwards", ChangeResult{HasTotal: true, HasThreshold: true, Reliable: true, Direction: Worsened}, ReliableDeterioration, true},
		{"short of the threshold", ChangeResult{HasTotal: true, HasThreshold: true, Direction: Improved}, NoReliableChange, true},
		{"no threshold, no verdict", ChangeResult{HasTotal: true, Direction: Improved}, "", false},
		{"no total, no verdict", ChangeResult{HasThreshold: true}, "", false},
	}
	for _, tt := range tests {
		if got, ok := VerdictOf(tt.c); got != tt.want || ok != tt.ok {
			t.Errorf("%s: %q %v", tt.name, got, ok)
		}
	}
}

func TestProgressOf(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	at := func(days int) time.Time { return t0.AddDate(0, 0, days) }
	rs := []*linkwork.MeasureResponse{
		{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(3, 3, 3, 3, 3, 3, 2), At: at(0)}, // raw 20: 18.59
		{Instrument: linkwork.InstrumentGBO, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(2, 4), GoalIDs: []string{"a", "b"}, At: at(0)},
		{Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointBaseline, Answers: []*int{p(4), p(5), nil, p(7)}, At: at(0)},
		{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointEnd, Answers: linkwork.Ints(4, 4, 4, 3, 3, 3, 3), At: at(60)}, // raw 24: 21.54
		{Instrument: linkwork.InstrumentGBO, Timepoint: linkwork.TimepointEnd, Answers: linkwork.Ints(7), GoalIDs: []string{"a"}, At: at(60)},
		{Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointEnd, Answers: linkwork.Ints(7, 5, 6, 2), At: at(60)},
		{Instrument: linkwork.InstrumentUCLA3, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(3, 3), At: at(0)}, // does not score: left out
	}
	got := ProgressOf(rs, nil)
	var order []linkwork.Instrument
	for _, pr := range got {
		order = append(order, pr.Instrument)
	}
	if want := []linkwork.Instrument{linkwork.InstrumentGBO, linkwork.InstrumentSWEMWBS, linkwork.InstrumentONS4}; !reflect.DeepEqual(order, want) {
		t.Fatalf("instruments %v, want %v", order, want)
	}
	gbo, sw, ons := got[0], got[1], got[2]

	t.Run("SWEMWBS up 2.95 metric points is a reliable improvement", func(t *testing.T) {
		if !sw.HasChange || sw.Change.Difference != 2.95 || sw.Verdict != ReliableImprovement {
			t.Errorf("%+v", sw.Change)
		}
		if len(sw.Lines) != 1 || sw.Lines[0].First().Value != 18.59 || sw.Lines[0].Latest().Value != 21.54 || sw.Lines[0].Direction != Improved {
			t.Errorf("lines %+v", sw.Lines)
		}
	})
	t.Run("each goal has its own line", func(t *testing.T) {
		if gbo.HasChange || gbo.Verdict != "" {
			t.Errorf("GBO has a total change: %+v", gbo)
		}
		want := []struct {
			label, goal string
			values      []float64
			diff        float64
		}{{"Goal 1", "a", []float64{2, 7}, 5}, {"Goal 2", "b", []float64{4}, 0}}
		if len(gbo.Lines) != len(want) {
			t.Fatalf("lines %+v", gbo.Lines)
		}
		for i, w := range want {
			l := gbo.Lines[i]
			var values []float64
			for _, pt := range l.Points {
				values = append(values, pt.Value)
			}
			if l.Label != w.label || l.GoalID != w.goal || !reflect.DeepEqual(values, w.values) || l.Difference != w.diff {
				t.Errorf("line %d = %+v", i, l)
			}
		}
	})
	t.Run("ONS4 items are followed one by one against their bands", func(t *testing.T) {
		if ons.HasChange || len(ons.Lines) != 4 {
			t.Fatalf("%+v", ons)
		}
		happy, anxiety := ons.Lines[2], ons.Lines[3]
		if len(happy.Points) != 1 || happy.Latest().Band != BandMedium {
			t.Errorf("happiness, unanswered first: %+v", happy)
		}
		if anxiety.First().Band != BandHigh || anxiety.Latest().Band != BandLow || anxiety.Direction != Improved || anxiety.Difference != -5 {
			t.Errorf("anxiety: %+v", anxiety)
		}
	})
}

func p(n int) *int { return &n }
