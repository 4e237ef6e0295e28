package web

import (
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
