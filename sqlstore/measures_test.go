package sqlstore_test

import (
	"slices"
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

func (w *world) setMeasures(t *testing.T, m linkwork.MeasureSettings) {
	t.Helper()
	set, err := w.triage().ServiceSettings(w.sys, w.service.ID)
	if err != nil {
		t.Fatal(err)
	}
	set.Measures = m
	if err := w.triage().SaveServiceSettings(w.as(w.coordinator), set); err != nil {
		t.Fatal(err)
	}
}

func TestAServiceChoosesItsMeasures(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		child := newPerson("Kit", "Marsh")
		child.DateOfBirth = linkwork.DateOf(w.clock.Now().AddDate(-11, 0, 0))
		k := w.referAllocated(t, child)
		lw := w.as(w.linkWorker)
		swemwbs := func() *linkwork.MeasureResponse {
			return &linkwork.MeasureResponse{CaseID: k.ID, Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointBaseline,
				Answers: linkwork.Ints(3, 3, 3, 3, 3, 3, 3), CompletedBy: linkwork.CompletedWithWorker}
		}
		t.Run("by default SWEMWBS is refused for an 11-year-old", func(t *testing.T) {
			wantField(t, w.measures.RecordMeasure(lw, swemwbs()), "instrument")
		})
		wording := []string{"One", "Two", "Three", "Four", "Five", "Six", "Seven"}
		w.setMeasures(t, linkwork.MeasureSettings{
			Uses: []linkwork.MeasureUse{{Band: "under-13", Instrument: linkwork.InstrumentSWEMWBS, Timepoints: []linkwork.Timepoint{linkwork.TimepointBaseline, linkwork.TimepointEnd}, Mandated: true},
				{Band: "under-13", Instrument: linkwork.InstrumentGBO, Timepoints: []linkwork.Timepoint{linkwork.TimepointBaseline}}},
			Wording: map[linkwork.Instrument][]string{linkwork.InstrumentSWEMWBS: wording}})
		t.Run("the settings are kept as saved", func(t *testing.T) {
			set, err := w.triage().ServiceSettings(w.sys, w.service.ID)
			if err != nil {
				t.Fatal(err)
			}
			u, ok := set.Measures.Use("under-13", linkwork.InstrumentSWEMWBS)
			if !ok || !u.Mandated || len(u.Timepoints) != 2 || len(set.Measures.Uses) != 2 {
				t.Fatalf("the measures saved came back as %+v", set.Measures)
			}
			if got := set.Measures.ItemWording(linkwork.InstrumentSWEMWBS); len(got) != 7 || got[6] != "Seven" {
				t.Errorf("the service's SWEMWBS wording came back as %q", got)
			}
		})
		t.Run("SWEMWBS chosen for under 13 is taken from an 11-year-old", func(t *testing.T) {
			if err := w.measures.RecordMeasure(lw, swemwbs()); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("a measure the service did not choose for the band is refused", func(t *testing.T) {
			m := &linkwork.MeasureResponse{CaseID: k.ID, Instrument: linkwork.InstrumentWEMWBS, Timepoint: linkwork.TimepointBaseline,
				Answers: linkwork.Ints(3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3), CompletedBy: linkwork.CompletedWithWorker}
			wantField(t, w.measures.RecordMeasure(lw, m), "instrument")
		})
		t.Run("wording with a question missing is refused, naming the measure", func(t *testing.T) {
			set, err := w.triage().ServiceSettings(w.sys, w.service.ID)
			if err != nil {
				t.Fatal(err)
			}
			set.Measures.Wording[linkwork.InstrumentSWEMWBS] = wording[:6]
			wantField(t, w.triage().SaveServiceSettings(w.as(w.coordinator), set), "wording.swemwbs")
		})
	})
}

func TestMeasuresDueOnTheCaseload(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		young := w.referAllocated(t, newPerson("Ola", "Duewell"))
		grown := w.referAllocated(t, adult("Mae", "Duewell"))
		lw := w.as(w.linkWorker)
		due := func() map[string][]linkwork.MeasureDue {
			t.Helper()
			items, err := w.alloc().Caseload(lw, linkwork.CaseloadQuery{})
			if err != nil {
				t.Fatal(err)
			}
			out := map[string][]linkwork.MeasureDue{}
			for _, it := range items {
				out[it.Case.ID] = it.MeasuresDue
			}
			return out
		}
		if d := due(); len(d[young.ID]) != 0 || len(d[grown.ID]) != 0 {
			t.Fatalf("with nothing mandated, measures are due: %v", d)
		}
		band := "13-15" // born 14 May 2010, on 10 March 2026
		w.setMeasures(t, linkwork.MeasureSettings{Uses: []linkwork.MeasureUse{
			{Band: band, Instrument: linkwork.InstrumentSWEMWBS, Timepoints: []linkwork.Timepoint{linkwork.TimepointBaseline, linkwork.TimepointReview}, Mandated: true}}})
		swemwbsStart := []linkwork.MeasureDue{{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointBaseline}}
		if d := due(); !slices.Equal(d[young.ID], swemwbsStart) || len(d[grown.ID]) != 0 {
			t.Fatalf("SWEMWBS mandated for the young person's band: due %v", d)
		}
		m := &linkwork.MeasureResponse{CaseID: young.ID, Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointBaseline,
			Answers: linkwork.Ints(3, 3, 3, 3, 3, 3, 3), CompletedBy: linkwork.CompletedWithWorker}
		if err := w.measures.RecordMeasure(lw, m); err != nil {
			t.Fatal(err)
		}
		if d := due(); len(d[young.ID]) != 0 {
			t.Fatalf("after the start's SWEMWBS, still due %v", d[young.ID])
		}
		for i := 0; i < 3; i++ {
			w.contact(t, young.ID, w.clock.Now().Add(-time.Duration(i+1)*time.Hour), "session", "attended")
		}
		if d := due(); !slices.Equal(d[young.ID], []linkwork.MeasureDue{{Instrument: linkwork.InstrumentSWEMWBS, Timepoint: linkwork.TimepointReview}}) {
			t.Fatalf("after three sessions, due %v; want the review's SWEMWBS", d[young.ID])
		}
	})
}
