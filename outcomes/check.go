package outcomes

import linkwork "github.com/linkwork/linkwork"

// Check validates a response as a whole and scores it: its own fields
// (MeasureResponse.Validate) and its answers (ScoreAnswers), every problem
// at once, each naming its field. When there is none it sets m.Score and
// m.HasScore from the result, which it returns. The store, the page and
// the API all record a response through it, so they agree on what counts.
func Check(m *linkwork.MeasureResponse) (Result, error) {
	var p linkwork.Problems
	p = append(p, linkwork.ErrorFields(m.Validate())...)
	var r Result
	if m.Instrument.Valid() {
		var err error
		r, err = ScoreAnswers(m.Instrument, m.Answers)
		p = append(p, linkwork.ErrorFields(err)...)
	}
	if err := p.Err(); err != nil {
		return Result{}, err
	}
	m.Score, m.HasScore = r.Total, r.HasTotal
	return r, nil
}
