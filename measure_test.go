package linkwork

import (
	"reflect"
	"testing"
)

func TestInstrumentSuitableFor(t *testing.T) {
	tests := []struct {
		name  string
		instr Instrument
		age   int
		want  bool
	}{
		{"goals are for every age", InstrumentGBO, 8, true},
		{"SWEMWBS is not offered at 12", InstrumentSWEMWBS, 12, false},
		{"SWEMWBS is offered from 13", InstrumentSWEMWBS, 13, true},
		{"WEMWBS is not offered at 12", InstrumentWEMWBS, 12, false},
		{"ONS personal wellbeing is not offered at 15", InstrumentONS4, 15, false},
		{"ONS personal wellbeing is offered from 16", InstrumentONS4, 16, true},
		{"loneliness is offered from 16", InstrumentUCLA3, 16, true},
		{"an unknown instrument never is", "phq9", 40, false},
	}
	for _, tt := range tests {
		if got := tt.instr.SuitableFor(tt.age); got != tt.want {
			t.Errorf("%s: SuitableFor(%d) = %v", tt.name, tt.age, got)
		}
	}
}

func TestInstrumentsForAPerson(t *testing.T) {
	today := Date{Year: 2026, Month: 6, Day: 1}
	tests := []struct {
		name string
		p    *Person
		want []Instrument
	}{
		{"a 10-year-old is offered goals only", &Person{DateOfBirth: Date{Year: 2016, Month: 1, Day: 1}}, []Instrument{InstrumentGBO}},
		{"a 14-year-old is offered goals and SWEMWBS", &Person{DateOfBirth: Date{Year: 2012, Month: 1, Day: 1}}, []Instrument{InstrumentGBO, InstrumentSWEMWBS, InstrumentWEMWBS}},
		{"an adult is offered everything", &Person{DateOfBirth: Date{Year: 1980, Month: 1, Day: 1}}, Instruments},
		{"without a date of birth everything is offered", &Person{}, Instruments},
	}
	for _, tt := range tests {
		if got := InstrumentsFor(tt.p, today); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

func TestMeasureResponseValidate(t *testing.T) {
	ok := MeasureResponse{Instrument: InstrumentSWEMWBS, Timepoint: TimepointBaseline, Answers: Ints(3, 3, 3, 3, 3, 3, 3)}
	tests := []struct {
		name   string
		change func(*MeasureResponse)
		fields []string
	}{
		{"a complete response", func(*MeasureResponse) {}, nil},
		{"who answered may go unsaid", func(m *MeasureResponse) { m.CompletedBy = "" }, nil},
		{"a parent answering is a proxy", func(m *MeasureResponse) { m.CompletedBy = CompletedByProxy }, nil},
		{"an unknown instrument", func(m *MeasureResponse) { m.Instrument = "phq9" }, []string{"instrument"}},
		{"an unknown timepoint", func(m *MeasureResponse) { m.Timepoint = "whenever" }, []string{"timepoint"}},
		{"an unknown completer", func(m *MeasureResponse) { m.CompletedBy = "self" }, []string{"completed_by"}},
		{"goals on a wellbeing scale", func(m *MeasureResponse) { m.GoalIDs = []string{"g"} }, []string{"goal_ids"}},
		{"a GBO rating without its goal", func(m *MeasureResponse) { m.Instrument, m.Answers = InstrumentGBO, Ints(4) }, []string{"goal_ids"}},
		{"a goal rated twice", func(m *MeasureResponse) {
			m.Instrument, m.Answers, m.GoalIDs = InstrumentGBO, Ints(4, 5), []string{"g", "g"}
		}, []string{"goal_ids"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.change(&m)
			var fields []string
			for _, f := range ErrorFields(m.Validate()) {
				fields = append(fields, f.Field)
			}
			if !reflect.DeepEqual(fields, tt.fields) {
				t.Errorf("fields %q, want %q", fields, tt.fields)
			}
		})
	}
}
