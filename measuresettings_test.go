package linkwork

import (
	"reflect"
	"strings"
	"testing"
)

func TestMeasureSettingsOffers(t *testing.T) {
	chosen := MeasureSettings{Uses: []MeasureUse{
		{Band: "under-13", Instrument: InstrumentSWEMWBS, Timepoints: []Timepoint{TimepointBaseline}},
		{Band: "under-13", Instrument: InstrumentGBO, Timepoints: []Timepoint{TimepointBaseline}},
		{Band: "18-25", Instrument: InstrumentONS4, Timepoints: []Timepoint{TimepointBaseline}, Mandated: true},
	}}
	tests := []struct {
		name  string
		s     MeasureSettings
		instr Instrument
		age   int
		want  bool
	}{
		{"by default SWEMWBS is not offered under 13", MeasureSettings{}, InstrumentSWEMWBS, 12, false},
		{"by default SWEMWBS is offered from 13", MeasureSettings{}, InstrumentSWEMWBS, 13, true},
		{"by default ONS personal wellbeing waits until 16", MeasureSettings{}, InstrumentONS4, 15, false},
		{"a service that chose SWEMWBS under 13 offers it to a 10-year-old", chosen, InstrumentSWEMWBS, 10, true},
		{"a band with choices offers only those", chosen, InstrumentUCLA3, 20, false},
		{"a band with choices offers what it chose", chosen, InstrumentONS4, 20, true},
		{"a band without choices keeps the instruments' ages", chosen, InstrumentUCLA3, 30, true},
		{"a band without choices keeps refusing under age", chosen, InstrumentWEMWBS, 14, true},
		{"an unknown instrument never is", chosen, "phq9", 40, false},
	}
	for _, tt := range tests {
		if got := tt.s.Offers(tt.instr, tt.age); got != tt.want {
			t.Errorf("%s: Offers(%s, %d) = %v", tt.name, tt.instr, tt.age, got)
		}
	}
	today := Date{Year: 2026, Month: 6, Day: 1}
	child := &Person{DateOfBirth: Date{Year: 2016, Month: 1, Day: 1}}
	if got := chosen.InstrumentsFor(child, today); !reflect.DeepEqual(got, []Instrument{InstrumentGBO, InstrumentSWEMWBS}) {
		t.Errorf("a 10-year-old where the service chose goals and SWEMWBS is offered %v", got)
	}
	if got := chosen.InstrumentsFor(&Person{}, today); !reflect.DeepEqual(got, Instruments) {
		t.Errorf("without a date of birth every instrument is offered, got %v", got)
	}
	if msg := chosen.NotOffered(InstrumentUCLA3, 20); !strings.Contains(msg, "18 to 25") {
		t.Errorf("refusing a measure the service does not use for the band says so: %q", msg)
	}
}

func TestMeasureSettingsValidate(t *testing.T) {
	seven := []string{"a", "b", "c", "d", "e", "f", "g"}
	tests := []struct {
		name   string
		s      MeasureSettings
		fields []string
	}{
		{"no choices are the defaults", MeasureSettings{}, nil},
		{"a use needs a known band", MeasureSettings{Uses: []MeasureUse{{Band: "teens", Instrument: InstrumentGBO, Timepoints: []Timepoint{TimepointBaseline}}}}, []string{"uses[0].age_band"}},
		{"a use needs a known instrument", MeasureSettings{Uses: []MeasureUse{{Band: "18-25", Instrument: "phq9", Timepoints: []Timepoint{TimepointBaseline}}}}, []string{"uses[0].instrument"}},
		{"a use needs a timepoint", MeasureSettings{Uses: []MeasureUse{{Band: "18-25", Instrument: InstrumentGBO}}}, []string{"uses[0].timepoints"}},
		{"a use needs known timepoints", MeasureSettings{Uses: []MeasureUse{{Band: "18-25", Instrument: InstrumentGBO, Timepoints: []Timepoint{"weekly"}}}}, []string{"uses[0].timepoints"}},
		{"an instrument is chosen once a band", MeasureSettings{Uses: []MeasureUse{
			{Band: "18-25", Instrument: InstrumentGBO, Timepoints: []Timepoint{TimepointBaseline}},
			{Band: "18-25", Instrument: InstrumentGBO, Timepoints: []Timepoint{TimepointEnd}}}}, []string{"uses[1].instrument"}},
		{"SWEMWBS wording is seven questions", MeasureSettings{Wording: map[Instrument][]string{InstrumentSWEMWBS: seven}}, nil},
		{"SWEMWBS wording with six questions is refused", MeasureSettings{Wording: map[Instrument][]string{InstrumentSWEMWBS: seven[:6]}}, []string{"wording.swemwbs"}},
		{"a shipped instrument's wording is not entered", MeasureSettings{Wording: map[Instrument][]string{InstrumentONS4: {"a", "b", "c", "d"}}}, []string{"wording.ons4"}},
		{"a question too long is refused", MeasureSettings{Wording: map[Instrument][]string{InstrumentSWEMWBS: append([]string{strings.Repeat("x", MaxWordingLength+1)}, seven[1:]...)}}, []string{"wording.swemwbs"}},
	}
	for _, tt := range tests {
		var got []string
		for _, f := range ErrorFields(tt.s.Normalised().Validate()) {
			got = append(got, f.Field)
		}
		if !reflect.DeepEqual(got, tt.fields) {
			t.Errorf("%s: problems with %v, want %v", tt.name, got, tt.fields)
		}
	}
}

func TestMeasureSettingsNormalised(t *testing.T) {
	s := MeasureSettings{Uses: []MeasureUse{{Band: "18-25", Instrument: InstrumentGBO, Timepoints: []Timepoint{TimepointEnd, TimepointBaseline, TimepointEnd}}},
		Wording: map[Instrument][]string{InstrumentSWEMWBS: {" one ", "", "two"}, InstrumentWEMWBS: {"  "}}}
	n := s.Normalised()
	if got := n.Uses[0].Timepoints; !reflect.DeepEqual(got, []Timepoint{TimepointBaseline, TimepointEnd}) {
		t.Errorf("timepoints are in journey order, each once: %v", got)
	}
	if got := n.Wording; !reflect.DeepEqual(got, map[Instrument][]string{InstrumentSWEMWBS: {"one", "two"}}) {
		t.Errorf("wording is trimmed and blank lines dropped: %q", got)
	}
}

func TestMeasuresDue(t *testing.T) {
	today := Date{Year: 2026, Month: 6, Day: 1}
	s := MeasureSettings{Uses: []MeasureUse{
		{Band: "13-15", Instrument: InstrumentSWEMWBS, Timepoints: []Timepoint{TimepointBaseline, TimepointReview, TimepointEnd, TimepointFollowUp}, Mandated: true},
		{Band: "13-15", Instrument: InstrumentGBO, Timepoints: []Timepoint{TimepointBaseline, TimepointEnd}, Mandated: true},
		{Band: "13-15", Instrument: InstrumentUCLA3, Timepoints: []Timepoint{TimepointBaseline}},
	}}
	active, ending := &Case{Status: CaseActive}, &Case{Status: CaseEnding}
	closedDue := &Case{Status: CaseClosed, FollowUpOn: Date{Year: 2026, Month: 5, Day: 20}}
	closedLater := &Case{Status: CaseClosed, FollowUpOn: Date{Year: 2026, Month: 7, Day: 20}}
	sw, gbo := InstrumentSWEMWBS, InstrumentGBO
	tests := []struct {
		name     string
		band     string
		c        *Case
		sessions int
		taken    MeasuresTaken
		want     []MeasureDue
	}{
		{"a new case is due every mandated measure at the start", "13-15", active, 0, nil,
			[]MeasureDue{{gbo, TimepointBaseline}, {sw, TimepointBaseline}}},
		{"an offered measure not mandated is never due", "13-15", active, 0, MeasuresTaken{{gbo, TimepointBaseline}: 1, {sw, TimepointBaseline}: 1}, nil},
		{"a review is due once the sessions reach a review point", "13-15", active, 3, MeasuresTaken{{gbo, TimepointBaseline}: 1, {sw, TimepointBaseline}: 1},
			[]MeasureDue{{sw, TimepointReview}}},
		{"one review response covers the first point only", "13-15", active, 6, MeasuresTaken{{gbo, TimepointBaseline}: 1, {sw, TimepointBaseline}: 1, {sw, TimepointReview}: 1},
			[]MeasureDue{{sw, TimepointReview}}},
		{"a response at each point reached leaves nothing due", "13-15", active, 6, MeasuresTaken{{gbo, TimepointBaseline}: 1, {sw, TimepointBaseline}: 1, {sw, TimepointReview}: 2}, nil},
		{"the end is due while the case is ending", "13-15", ending, 2, MeasuresTaken{{gbo, TimepointBaseline}: 1, {sw, TimepointBaseline}: 1},
			[]MeasureDue{{gbo, TimepointEnd}, {sw, TimepointEnd}}},
		{"the follow-up is due once its date has come", "13-15", closedDue, 6, nil, []MeasureDue{{sw, TimepointFollowUp}}},
		{"the follow-up is not due before its date", "13-15", closedLater, 6, nil, nil},
		{"a follow-up taken is not due again", "13-15", closedDue, 6, MeasuresTaken{{sw, TimepointFollowUp}: 1}, nil},
		{"another band's mandate does not apply", "18-25", active, 0, nil, nil},
		{"nothing is due without the person's age", "", active, 0, nil, nil},
	}
	for _, tt := range tests {
		got := s.MeasuresDue(tt.band, tt.c, tt.sessions, []int{3, 6}, tt.taken, today)
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}
