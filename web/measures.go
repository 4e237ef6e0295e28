package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/outcomes"
)

// The measures: a phone-sized form to record one with the person in a
// session, and the case page's area showing each instrument's responses
// over time. The rules (which instrument suits whom, what an unanswered
// item means, the score and the change) are the root package's and
// package outcomes'.

// routesMeasures registers the measure form and the measures API.
func (s *Server) routesMeasures() {
	s.handle("GET", "/cases/{id}/measures/new", may(auth.WorkCases), s.measureFormPage)
	s.handle("POST", "/cases/{id}/measures", may(auth.WorkCases), s.measureSubmit)
	s.handle("GET", "/api/v1/cases/{id}/measures", may(auth.ReadCases), s.apiListMeasures)
	s.handle("POST", "/api/v1/cases/{id}/measures", may(auth.WorkCases), s.idempotent(s.apiRecordMeasure))
	s.routesMeasureLinks()
}

func init() {
	caseNotices["measure"] = "Measure recorded"
}

// measurePage is the form for one instrument, or, before one is chosen,
// the choice of the instruments that suit the person.
type measurePage struct {
	Layout
	Case   *linkwork.Case
	Person *linkwork.Person
	// Choices are the instruments that suit the person, to choose from.
	Choices []option
	// Instrument is the one being recorded, with its name and items.
	Instrument linkwork.Instrument
	Name       string
	Licensed   bool
	Items      []measureItem
	// NoGoals: goal-based outcomes need the person's goals first.
	NoGoals bool
	// Emoji: the 0-10 items are shown on the emoji scale.
	Emoji, EmojiOffered bool

	Timepoint, CompletedBy string
	Timepoints, Completers []option
}

// measureItem is one question of the form, as radios.
type measureItem struct {
	ID, Legend, Hint, Error, GoalID string
	Choices                         []measureChoice
}

// measureChoice is one answer to a question.
type measureChoice struct {
	Value, Emoji, Words string
	Checked             bool
}

func (s *Server) measureFormPage(w http.ResponseWriter, r *http.Request) {
	p := &measurePage{Instrument: linkwork.Instrument(r.URL.Query().Get("instrument"))}
	// A measure due links here with its timepoint chosen.
	sent := map[string]string{"timepoint": r.URL.Query().Get("timepoint")}
	s.showMeasureForm(w, r, http.StatusOK, p, r.URL.Query().Get("scale"), sent)
}

// showMeasureForm loads the case and person and renders the form with
// what was sent (answers by field name) and its problems.
func (s *Server) showMeasureForm(w http.ResponseWriter, r *http.Request, status int, p *measurePage, scale string, sent map[string]string) {
	ctx := r.Context()
	c, err := s.svc.Cases.FindCaseByID(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if p.Person, err = s.svc.People.FindPersonByID(ctx, c.PersonID); err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Case = c
	set, err := s.svc.Triage.ServiceSettings(ctx, c.ServiceOrgID)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	today := linkwork.DateOf(s.cfg.Now().In(ukTime))
	suits := set.Measures.InstrumentsFor(p.Person, today)
	for _, i := range suits {
		p.Choices = append(p.Choices, option{Value: string(i), Label: i.Label()})
	}
	offered := false
	for _, i := range suits {
		offered = offered || i == p.Instrument
	}
	if !offered {
		p.Instrument = ""
		p.Title = "Record a measure"
		s.render(w, r, status, "measure_form", p)
		return
	}
	p.Name = p.Instrument.Label()
	p.Title = p.Name + " for " + c.PersonName
	p.EmojiOffered = p.Instrument == linkwork.InstrumentGBO || p.Instrument == linkwork.InstrumentONS4
	p.Emoji = p.EmojiOffered && (scale == "emoji" || scale == "" && linkwork.EmojiScaleFor(p.Person, today))
	p.Timepoint, p.CompletedBy = sent["timepoint"], sent["completed_by"]
	for _, t := range linkwork.Timepoints {
		p.Timepoints = append(p.Timepoints, option{Value: string(t), Label: t.Label()})
	}
	for _, who := range linkwork.Completers {
		p.Completers = append(p.Completers, option{Value: string(who), Label: who.Label()})
	}
	spec, _ := outcomes.Spec(p.Instrument)
	wording := set.Measures.ItemWording(p.Instrument)
	p.Licensed = spec.LicensedWording && len(wording) != spec.MaxItems
	var goals []*linkwork.Goal
	if p.Instrument == linkwork.InstrumentGBO {
		all, err := s.svc.Cases.FindGoals(ctx, c.ID)
		if err != nil {
			s.fail(w, r, false, err)
			return
		}
		goals = all[:min(len(all), spec.MaxItems)]
		p.NoGoals = len(goals) == 0
	}
	p.Items = measureItemsOf(spec, wording, goals, p.Emoji, sent, p.FieldError)
	s.render(w, r, status, "measure_form", p)
}

// measureItemsOf is the questions of an instrument as radios: one a goal
// for goal-based outcomes, in the service's wording where it has one for
// a licensed instrument, with faces on the emoji scale, each with what
// was sent and its problem.
func measureItemsOf(spec outcomes.Instrument, wording []string, goals []*linkwork.Goal, emoji bool, sent map[string]string, errOf func(string) string) []measureItem {
	var items []measureItem
	n := spec.MaxItems
	if goals != nil {
		n = len(goals)
	}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("answers[%d]", i)
		it := measureItem{ID: id, Legend: fmt.Sprintf("%d. %s", i+1, spec.Items[i].Label), Error: errOf(id)}
		if spec.Items[i].Text != "" {
			it.Legend = fmt.Sprintf("%d. %s", i+1, spec.Items[i].Text)
		}
		if len(wording) == spec.MaxItems {
			it.Legend = fmt.Sprintf("%d. %s", i+1, wording[i])
		}
		if goals != nil {
			it.GoalID = goals[i].ID
			it.Legend = fmt.Sprintf("Goal %d: %s", i+1, goals[i].Text)
			it.Hint = "How close are they to it? 0 is not close at all, 10 is there."
		}
		for v := spec.MinAnswer; v <= spec.MaxAnswer; v++ {
			ch := measureChoice{Value: strconv.Itoa(v), Words: answerWords(spec, i, v), Checked: sent[id] == strconv.Itoa(v)}
			if emoji {
				face := v
				if spec.Items[i].LowerIsBetter {
					face = spec.MaxAnswer - v
				}
				ch.Emoji = linkwork.RatingEmoji(face)
			}
			it.Choices = append(it.Choices, ch)
		}
		items = append(items, it)
	}
	return items
}

// formAnswers reads the answers to n items of an instrument from a form
// (answers[0], answers[1], …): a blank is an item left unanswered, and
// anything not a whole number in the instrument's range is taken as out
// of range, for the rule to name. It returns the answers and what was
// sent, by field name.
func formAnswers(form func(string) string, spec outcomes.Instrument, n int) ([]*int, map[string]string) {
	var answers []*int
	sent := map[string]string{}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("answers[%d]", i)
		v := strings.TrimSpace(form(id))
		sent[id] = v
		if v == "" {
			answers = append(answers, nil)
			continue
		}
		a, err := strconv.Atoi(v)
		if err != nil || a < spec.MinAnswer || a > spec.MaxAnswer {
			a = spec.MaxAnswer + 1 // out of range: the rule names it
		}
		answers = append(answers, &a)
	}
	return answers, sent
}

// answerWords labels answer v to item i: the instrument's published
// answer words where they may be shipped, the goal scale's words for GBO,
// and the number otherwise, with the ends of a 0-10 scale said.
func answerWords(spec outcomes.Instrument, i, v int) string {
	switch {
	case spec.AnswerLabels != nil:
		return spec.AnswerLabels[v-spec.MinAnswer]
	case spec.ID == linkwork.InstrumentGBO:
		return linkwork.RatingWords(v)
	case spec.MaxAnswer == 10 && v == 0:
		return "0, not at all"
	case spec.MaxAnswer == 10 && v == 10:
		return "10, completely"
	}
	return strconv.Itoa(v)
}

// measureSubmit records a response from the form, or shows the form again
// naming each problem (an unanswered question among them), storing
// nothing.
func (s *Server) measureSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, false, linkwork.Errorf(linkwork.EINVALID, "The form could not be read: send it again"))
		return
	}
	m := &linkwork.MeasureResponse{CaseID: r.PathValue("id"), Instrument: linkwork.Instrument(r.PostFormValue("instrument")),
		Timepoint: linkwork.Timepoint(r.PostFormValue("timepoint")), CompletedBy: linkwork.Completer(r.PostFormValue("completed_by"))}
	sent := map[string]string{"timepoint": string(m.Timepoint), "completed_by": string(m.CompletedBy)}
	spec, known := outcomes.Spec(m.Instrument)
	goals := r.PostForm["goal_ids"]
	n := spec.MaxItems
	if m.Instrument == linkwork.InstrumentGBO {
		n = min(len(goals), spec.MaxItems)
		m.GoalIDs = goals[:n]
	}
	if known {
		var given map[string]string
		m.Answers, given = formAnswers(r.PostFormValue, spec, n)
		for k, v := range given {
			sent[k] = v
		}
	}
	var problems linkwork.Problems
	if m.CompletedBy == "" {
		problems.Add("completed_by", "Choose who answered")
	}
	err := problems.Err()
	if err == nil {
		err = s.svc.Measures.RecordMeasure(r.Context(), m)
	} else {
		_, checkErr := outcomes.Check(m)
		problems = append(problems, linkwork.ErrorFields(checkErr)...)
		err = problems.Err()
	}
	if err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		p := &measurePage{Instrument: m.Instrument}
		p.Errors = linkwork.ErrorFields(err)
		s.showMeasureForm(w, r, http.StatusUnprocessableEntity, p, r.PostFormValue("scale"), sent)
		return
	}
	http.Redirect(w, r, "/cases/"+m.CaseID+"?done=measure#measures", http.StatusSeeOther)
}
