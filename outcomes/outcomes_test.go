package outcomes

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// published is the SWEMWBS raw-to-metric table from the standards, typed in
// again here so that the test does not check the table against itself.
var published = map[int]float64{
	7: 7.00, 8: 9.51, 9: 11.25, 10: 12.40, 11: 13.33, 12: 14.08, 13: 14.75,
	14: 15.32, 15: 15.84, 16: 16.36, 17: 16.88, 18: 17.43, 19: 17.98,
	20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54, 25: 22.35,
	26: 23.21, 27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13,
	32: 29.31, 33: 30.70, 34: 32.55, 35: 35.00,
}

func repeat(v, n int) []int {
	a := make([]int, n)
	for i := range a {
		a[i] = v
	}
	return a
}

func TestSpec(t *testing.T) {
	tests := []struct {
		instr                linkwork.Instrument
		minItems, maxItems   int
		minAnswer, maxAnswer int
		hasTotal             bool
		minTotal, maxTotal   float64
		licensed             bool
		labels               []string
	}{
		{linkwork.InstrumentONS4, 4, 4, 0, 10, false, 0, 0, false,
			[]string{"Life satisfaction", "Worthwhile", "Happiness", "Anxiety"}},
		{linkwork.InstrumentWEMWBS, 14, 14, 1, 5, true, 14, 70, true,
			[]string{"Item 1", "Item 2", "Item 3", "Item 4", "Item 5", "Item 6", "Item 7", "Item 8", "Item 9", "Item 10", "Item 11", "Item 12", "Item 13", "Item 14"}},
		{linkwork.InstrumentSWEMWBS, 7, 7, 1, 5, true, 7, 35, true,
			[]string{"Item 1", "Item 2", "Item 3", "Item 4", "Item 5", "Item 6", "Item 7"}},
		{linkwork.InstrumentGBO, 1, 3, 0, 10, false, 0, 0, false,
			[]string{"Goal 1", "Goal 2", "Goal 3"}},
		{linkwork.InstrumentUCLA3, 3, 3, 1, 3, true, 3, 9, false,
			[]string{"Lack of companionship", "Left out", "Isolated"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.instr), func(t *testing.T) {
			s, ok := Spec(tt.instr)
			if !ok {
				t.Fatal("Spec reported unknown")
			}
			if s.ID != tt.instr || s.Name == "" {
				t.Errorf("ID, Name = %q, %q", s.ID, s.Name)
			}
			if s.MinItems != tt.minItems || s.MaxItems != tt.maxItems {
				t.Errorf("items = %d-%d, want %d-%d", s.MinItems, s.MaxItems, tt.minItems, tt.maxItems)
			}
			if s.MinAnswer != tt.minAnswer || s.MaxAnswer != tt.maxAnswer {
				t.Errorf("answers = %d-%d, want %d-%d", s.MinAnswer, s.MaxAnswer, tt.minAnswer, tt.maxAnswer)
			}
			if s.HasTotal != tt.hasTotal || s.MinTotal != tt.minTotal || s.MaxTotal != tt.maxTotal {
				t.Errorf("total = %v %v-%v, want %v %v-%v", s.HasTotal, s.MinTotal, s.MaxTotal, tt.hasTotal, tt.minTotal, tt.maxTotal)
			}
			if s.LicensedWording != tt.licensed {
				t.Errorf("LicensedWording = %v", s.LicensedWording)
			}
			var labels []string
			for _, it := range s.Items {
				labels = append(labels, it.Label)
				if tt.licensed && it.Text != "" {
					t.Errorf("%s: licensed wording shipped: %q", it.Label, it.Text)
				}
			}
			if !reflect.DeepEqual(labels, tt.labels) {
				t.Errorf("labels = %q, want %q", labels, tt.labels)
			}
			if s.AnswerLabels != nil && len(s.AnswerLabels) != s.MaxAnswer-s.MinAnswer+1 {
				t.Errorf("%d answer labels for %d answers", len(s.AnswerLabels), s.MaxAnswer-s.MinAnswer+1)
			}
		})
	}
}

func TestSpecWording(t *testing.T) {
	texts := func(instr linkwork.Instrument) []string {
		s, _ := Spec(instr)
		var out []string
		for _, it := range s.Items {
			out = append(out, it.Text)
		}
		return out
	}
	ons := []string{
		"Overall, how satisfied are you with your life nowadays?",
		"Overall, to what extent do you feel that the things you do in your life are worthwhile?",
		"Overall, how happy did you feel yesterday?",
		"On a scale where 0 is 'not at all anxious' and 10 is 'completely anxious', overall, how anxious did you feel yesterday?",
	}
	if got := texts(linkwork.InstrumentONS4); !reflect.DeepEqual(got, ons) {
		t.Errorf("ONS4 = %q", got)
	}
	ucla := []string{
		"How often do you feel that you lack companionship?",
		"How often do you feel left out?",
		"How often do you feel isolated from others?",
	}
	if got := texts(linkwork.InstrumentUCLA3); !reflect.DeepEqual(got, ucla) {
		t.Errorf("UCLA3 = %q", got)
	}
	s, _ := Spec(linkwork.InstrumentUCLA3)
	if want := []string{"Hardly ever", "Some of the time", "Often"}; !reflect.DeepEqual(s.AnswerLabels, want) {
		t.Errorf("UCLA3 answer labels = %q", s.AnswerLabels)
	}
	s, _ = Spec(linkwork.InstrumentONS4)
	for i, it := range s.Items {
		if it.LowerIsBetter != (i == 3) {
			t.Errorf("ONS4 %s LowerIsBetter = %v", it.Label, it.LowerIsBetter)
		}
	}
}

func TestSpecUnknownAndCopy(t *testing.T) {
	if _, ok := Spec("phq9"); ok {
		t.Error("Spec(phq9) reported known")
	}
	if _, ok := Spec(""); ok {
		t.Error(`Spec("") reported known`)
	}
	for _, instr := range Instruments() {
		s, ok := Spec(instr)
		if !ok {
			t.Fatalf("Instruments lists %q, which Spec does not know", instr)
		}
		if len(s.Items) != s.MaxItems {
			t.Errorf("%s: %d items, MaxItems %d", instr, len(s.Items), s.MaxItems)
		}
		s.Items[0].Label = "changed"
		if s.AnswerLabels != nil {
			s.AnswerLabels[0] = "changed"
		}
		again, _ := Spec(instr)
		if again.Items[0].Label == "changed" || (again.AnswerLabels != nil && again.AnswerLabels[0] == "changed") {
			t.Errorf("%s: changing a Spec result changed the next one", instr)
		}
	}
	if len(Instruments()) != len(specs) {
		t.Errorf("Instruments lists %d, specs has %d", len(Instruments()), len(specs))
	}
}

func TestScoreBoundaries(t *testing.T) {
	tests := []struct {
		name     string
		instr    linkwork.Instrument
		answers  []int
		total    float64
		hasTotal bool
		raw      int
		band     string
	}{
		{"ONS4 all min", linkwork.InstrumentONS4, repeat(0, 4), 0, false, 0, ""},
		{"ONS4 all max", linkwork.InstrumentONS4, repeat(10, 4), 0, false, 0, ""},
		{"WEMWBS all min", linkwork.InstrumentWEMWBS, repeat(1, 14), 14, true, 14, ""},
		{"WEMWBS all max", linkwork.InstrumentWEMWBS, repeat(5, 14), 70, true, 70, ""},
		{"WEMWBS mixed", linkwork.InstrumentWEMWBS, []int{1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2, 3, 4}, 40, true, 40, ""},
		{"SWEMWBS all min", linkwork.InstrumentSWEMWBS, repeat(1, 7), 7, true, 7, ""},
		{"SWEMWBS all max", linkwork.InstrumentSWEMWBS, repeat(5, 7), 35, true, 35, ""},
		{"SWEMWBS all 3", linkwork.InstrumentSWEMWBS, repeat(3, 7), 19.25, true, 21, ""},
		{"GBO one goal min", linkwork.InstrumentGBO, []int{0}, 0, false, 0, ""},
		{"GBO three goals max", linkwork.InstrumentGBO, repeat(10, 3), 0, false, 0, ""},
		{"GBO two goals", linkwork.InstrumentGBO, []int{4, 7}, 0, false, 0, ""},
		{"UCLA3 all min", linkwork.InstrumentUCLA3, repeat(1, 3), 3, true, 3, BandNotLonely},
		{"UCLA3 all max", linkwork.InstrumentUCLA3, repeat(3, 3), 9, true, 9, BandLonely},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Score(tt.instr, tt.answers)
			if err != nil {
				t.Fatal(err)
			}
			if r.Instrument != tt.instr || r.Total != tt.total || r.HasTotal != tt.hasTotal || r.Raw != tt.raw || r.Band != tt.band {
				t.Errorf("got %s total %v (%v) raw %d band %q, want total %v (%v) raw %d band %q",
					r.Instrument, r.Total, r.HasTotal, r.Raw, r.Band, tt.total, tt.hasTotal, tt.raw, tt.band)
			}
			s, _ := Spec(tt.instr)
			if len(r.Items) != len(tt.answers) {
				t.Fatalf("%d items for %d answers", len(r.Items), len(tt.answers))
			}
			for i, it := range r.Items {
				if it.Answer != tt.answers[i] || it.Label != s.Items[i].Label {
					t.Errorf("item %d = %+v", i, it)
				}
				if (it.Band != "") != (tt.instr == linkwork.InstrumentONS4) {
					t.Errorf("item %d band %q", i, it.Band)
				}
			}
		})
	}
}

func TestScoreDoesNotAliasAnswers(t *testing.T) {
	answers := []int{4, 7}
	r, err := Score(linkwork.InstrumentGBO, answers)
	if err != nil {
		t.Fatal(err)
	}
	answers[0] = 9
	if r.Items[0].Answer != 4 {
		t.Error("the result changed with the caller's slice")
	}
}

func TestSWEMWBSEveryRaw(t *testing.T) {
	for raw := 7; raw <= 35; raw++ {
		// Spread raw over seven items of 1-5.
		answers := repeat(1, 7)
		for left, i := raw-7, 0; left > 0; i++ {
			add := min(left, 4)
			answers[i] += add
			left -= add
		}
		r, err := Score(linkwork.InstrumentSWEMWBS, answers)
		if err != nil {
			t.Fatalf("raw %d %v: %v", raw, answers, err)
		}
		if r.Raw != raw || r.Total != published[raw] || !r.HasTotal {
			t.Errorf("raw %d %v: Raw %d Total %v, want %v", raw, answers, r.Raw, r.Total, published[raw])
		}
		if m, ok := SWEMWBSMetric(raw); !ok || m != published[raw] {
			t.Errorf("SWEMWBSMetric(%d) = %v, %v", raw, m, ok)
		}
	}
	for _, raw := range []int{-1, 0, 6, 36, 70} {
		if m, ok := SWEMWBSMetric(raw); ok || m != 0 {
			t.Errorf("SWEMWBSMetric(%d) = %v, %v", raw, m, ok)
		}
	}
}

// TestSWEMWBSEveryResponse scores all 5^7 possible responses.
func TestSWEMWBSEveryResponse(t *testing.T) {
	answers := repeat(1, 7)
	for n := 0; ; n++ {
		sum := 0
		for _, a := range answers {
			sum += a
		}
		r, err := Score(linkwork.InstrumentSWEMWBS, answers)
		if err != nil || r.Raw != sum || r.Total != published[sum] {
			t.Fatalf("%v: %+v, %v", answers, r, err)
		}
		i := 0
		for i < 7 && answers[i] == 5 {
			answers[i] = 1
			i++
		}
		if i == 7 {
			if n+1 != 78125 {
				t.Errorf("scored %d responses", n+1)
			}
			return
		}
		answers[i]++
	}
}

func TestScoreInvalid(t *testing.T) {
	tests := []struct {
		name    string
		instr   linkwork.Instrument
		answers []int
		fields  []linkwork.FieldError
	}{
		{"unknown instrument", "phq9", []int{1}, []linkwork.FieldError{{Field: "instrument", Message: "Choose one of the outcome measures"}}},
		{"ONS4 none", linkwork.InstrumentONS4, nil, []linkwork.FieldError{{Field: "answers", Message: "Answer all 4 questions (0 answers were given)"}}},
		{"ONS4 three", linkwork.InstrumentONS4, []int{5, 5, 5}, []linkwork.FieldError{{Field: "answers", Message: "Answer all 4 questions (3 answers were given)"}}},
		{"ONS4 five", linkwork.InstrumentONS4, []int{5, 5, 5, 5, 5}, []linkwork.FieldError{{Field: "answers", Message: "Answer all 4 questions (5 answers were given)"}}},
		{"WEMWBS 13", linkwork.InstrumentWEMWBS, repeat(3, 13), []linkwork.FieldError{{Field: "answers", Message: "Answer all 14 questions (13 answers were given)"}}},
		{"WEMWBS 15", linkwork.InstrumentWEMWBS, repeat(3, 15), []linkwork.FieldError{{Field: "answers", Message: "Answer all 14 questions (15 answers were given)"}}},
		{"SWEMWBS 6", linkwork.InstrumentSWEMWBS, repeat(3, 6), []linkwork.FieldError{{Field: "answers", Message: "Answer all 7 questions (6 answers were given)"}}},
		{"SWEMWBS 14", linkwork.InstrumentSWEMWBS, repeat(3, 14), []linkwork.FieldError{{Field: "answers", Message: "Answer all 7 questions (14 answers were given)"}}},
		{"GBO none", linkwork.InstrumentGBO, []int{}, []linkwork.FieldError{{Field: "answers", Message: "Rate from 1 to 3 goals (0 ratings were given)"}}},
		{"GBO four", linkwork.InstrumentGBO, repeat(5, 4), []linkwork.FieldError{{Field: "answers", Message: "Rate from 1 to 3 goals (4 ratings were given)"}}},
		{"UCLA3 one", linkwork.InstrumentUCLA3, []int{2}, []linkwork.FieldError{{Field: "answers", Message: "Answer all 3 questions (1 answer was given)"}}},
		{"UCLA3 four", linkwork.InstrumentUCLA3, repeat(2, 4), []linkwork.FieldError{{Field: "answers", Message: "Answer all 3 questions (4 answers were given)"}}},

		{"WEMWBS item 4 too high", linkwork.InstrumentWEMWBS, []int{3, 3, 3, 6, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3},
			[]linkwork.FieldError{{Field: "answers[3]", Message: "Answer 4 must be a whole number from 1 to 5"}}},
		{"WEMWBS first zero and last six", linkwork.InstrumentWEMWBS, []int{0, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 6},
			[]linkwork.FieldError{
				{Field: "answers[0]", Message: "Answer 1 must be a whole number from 1 to 5"},
				{Field: "answers[13]", Message: "Answer 14 must be a whole number from 1 to 5"},
			}},
		{"SWEMWBS item 7 zero", linkwork.InstrumentSWEMWBS, []int{1, 2, 3, 4, 5, 4, 0},
			[]linkwork.FieldError{{Field: "answers[6]", Message: "Answer 7 must be a whole number from 1 to 5"}}},
		{"ONS4 minus one", linkwork.InstrumentONS4, []int{-1, 0, 10, 5},
			[]linkwork.FieldError{{Field: "answers[0]", Message: "Answer 1 must be a whole number from 0 to 10"}}},
		{"ONS4 eleven", linkwork.InstrumentONS4, []int{0, 0, 10, 11},
			[]linkwork.FieldError{{Field: "answers[3]", Message: "Answer 4 must be a whole number from 0 to 10"}}},
		{"GBO eleven", linkwork.InstrumentGBO, []int{10, 11},
			[]linkwork.FieldError{{Field: "answers[1]", Message: "Answer 2 must be a whole number from 0 to 10"}}},
		{"GBO minus one", linkwork.InstrumentGBO, []int{-1},
			[]linkwork.FieldError{{Field: "answers[0]", Message: "Answer 1 must be a whole number from 0 to 10"}}},
		{"UCLA3 zero and four", linkwork.InstrumentUCLA3, []int{0, 2, 4},
			[]linkwork.FieldError{
				{Field: "answers[0]", Message: "Answer 1 must be a whole number from 1 to 3"},
				{Field: "answers[2]", Message: "Answer 3 must be a whole number from 1 to 3"},
			}},
		{"count and range together", linkwork.InstrumentUCLA3, []int{1, 9},
			[]linkwork.FieldError{
				{Field: "answers", Message: "Answer all 3 questions (2 answers were given)"},
				{Field: "answers[1]", Message: "Answer 2 must be a whole number from 1 to 3"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Score(tt.instr, tt.answers)
			var e *linkwork.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v (%T), want *linkwork.Error", err, err)
			}
			if e.Code != linkwork.EINVALID {
				t.Errorf("Code = %q", e.Code)
			}
			if !reflect.DeepEqual(e.Fields, tt.fields) {
				t.Errorf("Fields = %+v\nwant %+v", e.Fields, tt.fields)
			}
			if !reflect.DeepEqual(r, Result{}) {
				t.Errorf("result %+v with an error", r)
			}
		})
	}
}

func TestONS4Bands(t *testing.T) {
	positive := []string{"low", "low", "low", "low", "low", "medium", "medium", "high", "high", "very high", "very high"}
	anxiety := []string{"very low", "very low", "low", "low", "medium", "medium", "high", "high", "high", "high", "high"}
	for v := 0; v <= 10; v++ {
		t.Run(fmt.Sprint(v), func(t *testing.T) {
			r, err := Score(linkwork.InstrumentONS4, repeat(v, 4))
			if err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				if r.Items[i].Band != positive[v] {
					t.Errorf("%s %d = %q, want %q", r.Items[i].Label, v, r.Items[i].Band, positive[v])
				}
			}
			if r.Items[3].Band != anxiety[v] {
				t.Errorf("Anxiety %d = %q, want %q", v, r.Items[3].Band, anxiety[v])
			}
			if r.HasTotal || r.Total != 0 || r.Raw != 0 {
				t.Errorf("ONS4 was summed: %+v", r)
			}
		})
	}
}

func TestUCLA3Bands(t *testing.T) {
	tests := []struct {
		answers []int
		total   float64
		band    string
	}{
		{[]int{1, 1, 1}, 3, "not lonely"},
		{[]int{1, 1, 2}, 4, "not lonely"},
		{[]int{2, 2, 1}, 5, "not lonely"},
		{[]int{1, 3, 1}, 5, "not lonely"},
		{[]int{2, 2, 2}, 6, "lonely"},
		{[]int{3, 1, 2}, 6, "lonely"},
		{[]int{3, 2, 2}, 7, "lonely"},
		{[]int{3, 3, 2}, 8, "lonely"},
		{[]int{3, 3, 3}, 9, "lonely"},
	}
	for _, tt := range tests {
		r, err := Score(linkwork.InstrumentUCLA3, tt.answers)
		if err != nil {
			t.Fatal(err)
		}
		if r.Total != tt.total || r.Raw != int(tt.total) || r.Band != tt.band {
			t.Errorf("%v = %v %d %q, want %v %q", tt.answers, r.Total, r.Raw, r.Band, tt.total, tt.band)
		}
	}
}

func TestEmojiToRating(t *testing.T) {
	for face, want := range []int{0, 3, 5, 8, 10} {
		got, err := EmojiToRating(face)
		if err != nil || got != want {
			t.Errorf("EmojiToRating(%d) = %d, %v, want %d", face, got, err, want)
		}
		if _, err := Score(linkwork.InstrumentGBO, []int{got}); err != nil {
			t.Errorf("face %d gives an invalid GBO rating: %v", face, err)
		}
	}
	for _, face := range []int{-1, 5, 10} {
		got, err := EmojiToRating(face)
		if linkwork.ErrorCode(err) != linkwork.EINVALID || got != 0 {
			t.Errorf("EmojiToRating(%d) = %d, %v", face, got, err)
		}
		if f := linkwork.ErrorFields(err); len(f) != 1 || f[0].Field != "emoji" {
			t.Errorf("EmojiToRating(%d) fields = %+v", face, f)
		}
	}
}

// The band floors the service's figures count moves by are the bands the
// case page names: two answers are in the same band exactly when they are
// on the same side of every floor.
func TestONS4BandFloorsAreTheBands(t *testing.T) {
	for _, anxiety := range []bool{false, true} {
		floors := ONS4BandFloors(anxiety)
		band := func(a int) int {
			n := 0
			for _, f := range floors {
				if a >= f {
					n++
				}
			}
			return n
		}
		items := linkwork.Ints(0, 0, 0, 0)
		named := func(a int) string {
			*items[0], *items[3] = a, a
			r, err := ScoreAnswers(linkwork.InstrumentONS4, items)
			if err != nil {
				t.Fatal(err)
			}
			if anxiety {
				return r.Items[3].Band
			}
			return r.Items[0].Band
		}
		for a := 0; a <= 10; a++ {
			for b := 0; b <= 10; b++ {
				if same := band(a) == band(b); same != (named(a) == named(b)) {
					t.Errorf("anxiety %v: %d and %d in the same band by the floors %v, by name %q and %q", anxiety, a, b, same, named(a), named(b))
				}
			}
		}
	}
}
