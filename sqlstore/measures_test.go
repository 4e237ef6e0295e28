package sqlstore_test

import (
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// adult is a person of 40, old enough for every instrument.
func adult(given, family string) *linkwork.Person {
	p := newPerson(given, family)
	p.DateOfBirth = linkwork.Date{Year: 1986, Month: 2, Day: 3}
	p.Guardians = nil
	return p
}

func TestRecordingAMeasure(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		young := w.referAllocated(t, newPerson("Ola", "Reed")) // 15 on the test clock's day
		grown := w.referAllocated(t, adult("Mae", "Hollis"))
		lw := w.as(w.linkWorker)
		three := func() *int { n := 3; return &n }
		tests := []struct {
			name  string
			k     *linkwork.Case
			m     linkwork.MeasureResponse
			field string
		}{
			{"SWEMWBS with a young person of 15", young, linkwork.MeasureResponse{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(3, 3, 3, 3, 3, 3, 3), CompletedBy: linkwork.CompletedWithWorker}, ""},
			{"a parent answering for them is recorded as a proxy", young, linkwork.MeasureResponse{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointReview, Answers: linkwork.Ints(3, 3, 3, 3, 3, 3, 3), CompletedBy: linkwork.CompletedByProxy}, ""},
			{"ONS personal wellbeing is not for a 15-year-old", young, linkwork.MeasureResponse{Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(5, 5, 5, 5)}, "instrument"},
			{"loneliness is not for a 15-year-old", young, linkwork.MeasureResponse{Instrument: linkwork.InstrumentUCLA3, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(1, 1, 1)}, "instrument"},
			{"a SWEMWBS item unanswered is named", grown, linkwork.MeasureResponse{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointBaseline, Answers: []*int{three(), three(), three(), nil, three(), three(), three()}}, "answers[3]"},
			{"an ONS4 item may go unanswered", grown, linkwork.MeasureResponse{Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointBaseline, Answers: []*int{three(), nil, three(), three()}, CompletedBy: linkwork.CompletedByPerson}, ""},
			{"who answered is one of three", grown, linkwork.MeasureResponse{Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointBaseline, Answers: linkwork.Ints(5, 5, 5, 5), CompletedBy: "a friend"}, "completed_by"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before, err := w.measures.FindMeasures(lw, tt.k.ID)
				if err != nil {
					t.Fatal(err)
				}
				m := tt.m
				m.CaseID = tt.k.ID
				err = w.measures.RecordMeasure(lw, &m)
				after, _ := w.measures.FindMeasures(lw, tt.k.ID)
				if tt.field != "" {
					wantField(t, err, tt.field)
					if len(after) != len(before) {
						t.Fatal("a refused response was stored")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				got := after[len(after)-1]
				if got.ID != m.ID || got.CompletedBy != tt.m.CompletedBy || got.CreatedBy != w.linkWorker.ID || len(got.Answers) != len(tt.m.Answers) {
					t.Fatalf("stored %+v", got)
				}
				for i, a := range tt.m.Answers {
					if (a == nil) != (got.Answers[i] == nil) || (a != nil && *a != *got.Answers[i]) {
						t.Errorf("answer %d stored as %v", i, got.Answers[i])
					}
				}
				found := false
				for _, a := range auditedActions(t, w, tt.k.ID) {
					found = found || a == "measure.create by "+w.linkWorker.ID
				}
				if !found {
					t.Error("recording the measure is not in the audit trail")
				}
				w.clock.Advance(time.Second)
			})
		}
		t.Run("those who may not see the case find it not found", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.referrer, w.otherWorker, w.commissioner} {
				m := &linkwork.MeasureResponse{CaseID: grown.ID, Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointEnd, Answers: linkwork.Ints(5, 5, 5, 5)}
				wantCode(t, w.measures.RecordMeasure(w.as(u), m), linkwork.ENOTFOUND)
			}
		})
	})
}
