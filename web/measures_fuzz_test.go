package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/outcomes"
)

// FuzzMeasureDecode: whatever body arrives at POST /api/v1/cases/{id}/measures,
// decoding and checking it never panics; a problem is an error naming a
// field; and a response that passes has every answer in its instrument's
// range, a score in the instrument's range, and an answer shown out only
// as it came in.
func FuzzMeasureDecode(f *testing.F) {
	for _, s := range []string{
		`{"instrument":"swemwbs","timepoint":"baseline","answers":[3,3,3,3,3,3,3]}`,
		`{"instrument":"swemwbs","timepoint":"baseline","answers":[3,3,3,null,3,3,3]}`,
		`{"instrument":"ons4","timepoint":"end","answers":[0,null,10,5],"completed_by":"proxy"}`,
		`{"instrument":"gbo","timepoint":"review","answers":[2,9],"goal_ids":["a","b"]}`,
		`{"instrument":"wemwbs","timepoint":"baseline","answers":[1,2,3,4,5,1,2,3,4,5,1,2,3,4]}`,
		`{"instrument":"ucla3","timepoint":"follow_up","answers":[1e300,-0,3.0000001]}`,
		`{"instrument":"ucla3","answers":[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15]}`, `{"answers":"3"}`, ``, `[]`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "/api/v1/cases/x/measures", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var in measureIn
		if err := decodeJSON(httptest.NewRecorder(), r, &in); err != nil {
			if len(linkwork.ErrorFields(err)) == 0 {
				t.Fatalf("body %q: error %v names no field", body, err)
			}
			return
		}
		m := in.response("x")
		res, err := outcomes.Check(m)
		if err != nil {
			if linkwork.ErrorCode(err) != linkwork.EINVALID || len(linkwork.ErrorFields(err)) == 0 {
				t.Fatalf("body %q: error %v names no field", body, err)
			}
			return
		}
		s, _ := outcomes.Spec(m.Instrument)
		for i, a := range m.Answers {
			if a != nil && (*a < s.MinAnswer || *a > s.MaxAnswer || float64(*a) != *in.Answers[i]) {
				t.Fatalf("body %q: answer %d taken as %d", body, i, *a)
			}
		}
		if res.HasTotal && (m.Score < s.MinTotal || m.Score > s.MaxTotal) {
			t.Fatalf("body %q: score %v out of %v-%v", body, m.Score, s.MinTotal, s.MaxTotal)
		}
		out := measureOut(m)
		if out.Score != nil && *out.Score != m.Score || len(out.Items) != len(m.Answers) {
			t.Fatalf("body %q: shown as %+v", body, out)
		}
	})
}

// FuzzMeasureLinkAnswers: whatever a person's measure link page or API
// is sent, reading the answers and checking them never panics; a problem
// names the item; and answers that pass are each in the instrument's
// range, with a score in its range.
func FuzzMeasureLinkAnswers(f *testing.F) {
	for _, s := range []struct{ instr, form, body string }{
		{"swemwbs", "3|3|3|3|3|3|3", `{"answers":[3,3,3,3,3,3,3]}`},
		{"swemwbs", "3|3||3|3|3|3", `{"answers":[3,3,null,3,3,3,3]}`},
		{"ons4", "0|10|5|", `{"answers":[0,10,5,null]}`},
		{"ucla3", "1|x|3", `{"answers":[1,"x",3]}`},
		{"wemwbs", "1|2|3|4|5|1|2|3|4|5|1|2|3|99", `{"answers":[1e300,-0,3.5]}`},
		{"gbo", "", `[]`},
	} {
		f.Add(s.instr, s.form, s.body)
	}
	f.Fuzz(func(t *testing.T, instr, form, body string) {
		spec, ok := outcomes.Spec(linkwork.Instrument(instr))
		if !ok {
			return
		}
		values := strings.Split(form, "|")
		get := func(name string) string {
			var i int
			if _, err := fmt.Sscanf(name, "answers[%d]", &i); err != nil || i < 0 || i >= len(values) {
				return ""
			}
			return values[i]
		}
		check := func(how string, answers []*int) {
			m := &linkwork.MeasureResponse{Instrument: spec.ID, Timepoint: linkwork.TimepointBaseline, Answers: answers, CompletedBy: linkwork.CompletedByPerson}
			res, err := outcomes.Check(m)
			if err != nil {
				if linkwork.ErrorCode(err) != linkwork.EINVALID || len(linkwork.ErrorFields(err)) == 0 {
					t.Fatalf("%s %q: error %v names no field", how, form+body, err)
				}
				return
			}
			for i, a := range m.Answers {
				if a != nil && (*a < spec.MinAnswer || *a > spec.MaxAnswer) {
					t.Fatalf("%s: answer %d taken as %d", how, i, *a)
				}
			}
			if res.HasTotal && (m.Score < spec.MinTotal || m.Score > spec.MaxTotal) {
				t.Fatalf("%s: score %v out of %v-%v", how, m.Score, spec.MinTotal, spec.MaxTotal)
			}
		}
		answers, _ := formAnswers(get, spec, spec.MaxItems)
		check("form", answers)
		r := httptest.NewRequest(http.MethodPost, "/api/v1/measure-links/x", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		var in measureAnswersIn
		if err := decodeJSON(httptest.NewRecorder(), r, &in); err != nil {
			if len(linkwork.ErrorFields(err)) == 0 {
				t.Fatalf("body %q: error %v names no field", body, err)
			}
			return
		}
		check("body", measureIn{Answers: in.Answers}.response("").Answers)
	})
}
