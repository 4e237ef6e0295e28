package web

import (
	"fmt"
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// casePlanArea is the case page's area for: The plan and the ending: goals and their ratings, actions, the social prescription, "my plan", reviews, the ending, closing, the message back, follow-up and reopening.
type casePlanArea struct {
	Goals   []*linkwork.Goal
	Actions []*linkwork.CaseAction
	Reviews []*linkwork.Review
	// Attended is the count of attended sessions; ReviewDue the review
	// point reached with no review held (0: none due).
	Attended  int
	ReviewDue int
	// Emoji: rate on the emoji scale (young people, or chosen).
	Emoji bool
	// OpenGoals and MaxGoals: whether another goal fits.
	OpenGoals, MaxGoals int
	// Previous is the case this one follows; Next the case opened when
	// the person came back.
	Previous, Next *linkwork.Case
	// Form holds what a form sent back with problems, by field name;
	// FormGoal is the goal whose rating form it was.
	Form     map[string]string
	FormGoal string
	errs     []linkwork.FieldError
}

// V is the value a form sent, for re-showing it.
func (a casePlanArea) V(name string) string { return a.Form[name] }

// Err is the problem with a field of the plan's forms.
func (a casePlanArea) Err(name string) string {
	for _, e := range a.errs {
		if e.Field == name {
			return e.Message
		}
	}
	return ""
}

// ratingChoice is one point of the 0-10 scale for the rating radios.
type ratingChoice struct {
	N       int
	Value   string
	Emoji   string
	Words   string
	Checked bool
}

// Scale is the 0-10 choices for a rating field, with the one sent checked.
func (a casePlanArea) Scale(sent string) []ratingChoice {
	out := make([]ratingChoice, 0, linkwork.MaxRating+1)
	for n := 0; n <= linkwork.MaxRating; n++ {
		v := fmt.Sprint(n)
		out = append(out, ratingChoice{N: n, Value: v, Emoji: linkwork.RatingEmoji(n), Words: linkwork.RatingWords(n), Checked: v == sent})
	}
	return out
}

// chartBar is one rating of a goal's history, drawn as an SVG bar.
type chartBar struct {
	X, Y, W, H, TextX, TextY int
	Rating                   int
	Label                    string
}

// Chart is a goal's rating history as bars, for an inline SVG whose
// numbers are also written on it and in its table.
func (a casePlanArea) Chart(g *linkwork.Goal) []chartBar {
	const h, w, gap = 100, 28, 8
	var out []chartBar
	for i, r := range g.Ratings {
		bh := r.Rating * h / linkwork.MaxRating
		if bh < 2 {
			bh = 2
		}
		x := 4 + i*(w+gap)
		out = append(out, chartBar{X: x, Y: 16 + h - bh, W: w, H: bh, TextX: x + w/2, TextY: 12 + h - bh, Rating: r.Rating, Label: r.At.In(ukTime).Format("2 Jan")})
	}
	return out
}

// ChartWidth is the SVG's width for a goal's history.
func (a casePlanArea) ChartWidth(g *linkwork.Goal) int { return 8 + len(g.Ratings)*36 }

// loadCasePlan fills the case page's plan area for p.Case.
func (s *Server) loadCasePlan(r *http.Request, p *casePage) error {
	ctx := r.Context()
	a := &p.Plan
	a.errs = p.Errors
	var err error
	if a.Goals, err = s.svc.Cases.FindGoals(ctx, p.Case.ID); err != nil {
		return err
	}
	if a.Actions, err = s.svc.Cases.FindActions(ctx, p.Case.ID); err != nil {
		return err
	}
	if a.Reviews, err = s.svc.Cases.FindReviews(ctx, p.Case.ID); err != nil {
		return err
	}
	if a.Attended, err = s.svc.Cases.AttendedSessions(ctx, p.Case.ID); err != nil {
		return err
	}
	if p.Case.Status == linkwork.CaseActive || p.Case.Status == linkwork.CaseEnding {
		a.ReviewDue = linkwork.ReviewDue(p.Settings.Casework.Reviews(), a.Attended, a.Reviews)
	}
	switch r.URL.Query().Get("scale") {
	case "emoji":
		a.Emoji = true
	case "numbers":
	default:
		a.Emoji = a.V("scale") == "emoji" || a.V("scale") == "" && linkwork.EmojiScaleFor(p.Person, p.Today)
	}
	a.MaxGoals = p.Settings.Casework.Goals()
	for _, g := range a.Goals {
		if !g.Achieved {
			a.OpenGoals++
		}
	}
	if p.Case.PreviousCaseID != "" {
		if a.Previous, err = s.svc.Cases.FindCaseByID(ctx, p.Case.PreviousCaseID); linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
			a.Previous, err = nil, nil
		} else if err != nil {
			return err
		}
	}
	if p.Case.Status == linkwork.CaseClosed {
		later, _, err := s.svc.Cases.FindCases(ctx, linkwork.CaseFilter{PersonID: p.Case.PersonID, Limit: 20})
		if err != nil {
			return err
		}
		for _, c := range later {
			if c.PreviousCaseID == p.Case.ID {
				a.Next = c
			}
		}
	}
	return nil
}

func init() {
	for k, v := range map[string]string{
		"plan":         "The plan has been saved",
		"goal":         "Goal added",
		"rated":        "Rating recorded",
		"achieved":     "Goal marked achieved",
		"action":       "Action added",
		"action-done":  "Action updated",
		"review":       "Review recorded",
		"review-close": "Review recorded: now close the case below",
		"ending":       "The ending is planned: the case is now ending",
		"closed":       "The case is closed, and the referrer has been told as far as the person agreed",
		"followed-up":  "Follow-up recorded",
		"plan-sent":    "Their plan is in the outbox, to go by the way they chose",
		"plan-print":   "They have no way a message can reach them: print their plan and post or hand it to them",
		"reopened":     "A new case is open for them, linked to their last one",
	} {
		caseNotices[k] = v
	}
}

// routesCasePlan registers the plan area's pages and API routes.
func (s *Server) routesCasePlan() {
	s.handle("POST", "/cases/{id}/plan", may(auth.WorkCases), s.planSubmit)
	s.handle("POST", "/cases/{id}/goals", may(auth.WorkCases), s.goalSubmit)
	s.handle("POST", "/cases/{id}/goals/{goal}/ratings", may(auth.WorkCases), s.rateSubmit)
	s.handle("POST", "/cases/{id}/goals/{goal}/achieve", may(auth.WorkCases), s.achieveSubmit)
	s.handle("POST", "/cases/{id}/actions", may(auth.WorkCases), s.actionSubmit)
	s.handle("POST", "/cases/{id}/actions/{action}/done", may(auth.WorkCases), s.actionDoneSubmit)
	s.handle("POST", "/cases/{id}/reviews", may(auth.WorkCases), s.reviewSubmit)
	s.handle("POST", "/cases/{id}/ending", may(auth.WorkCases), s.endingSubmit)
	s.handle("POST", "/cases/{id}/close", may(auth.CloseCases), s.closeSubmit)
	s.handle("POST", "/cases/{id}/follow-up", may(auth.WorkCases), s.followUpSubmit)
	s.handle("POST", "/cases/{id}/reopen", may(auth.WorkCases), s.reopenSubmit)
	s.handle("GET", "/cases/{id}/my-plan", may(auth.ReadCases), s.myPlanPage)
	s.handle("POST", "/cases/{id}/my-plan/send", may(auth.WorkCases), s.sendPlanSubmit)
	s.handle("GET", "/referrals/{id}/letter", may(auth.ReadReferrals), s.letterPage)

	s.handle("GET", "/api/v1/cases/{id}/goals", may(auth.ReadCases), s.apiListGoals)
	s.handle("POST", "/api/v1/cases/{id}/goals", may(auth.WorkCases), s.idempotent(s.apiAddGoal))
	s.handle("POST", "/api/v1/goals/{id}/ratings", may(auth.WorkCases), s.idempotent(s.apiRateGoal))
	s.handle("PUT", "/api/v1/goals/{id}", may(auth.WorkCases), s.apiUpdateGoal)
	s.handle("GET", "/api/v1/cases/{id}/actions", may(auth.ReadCases), s.apiListActions)
	s.handle("POST", "/api/v1/cases/{id}/actions", may(auth.WorkCases), s.idempotent(s.apiAddAction))
	s.handle("PUT", "/api/v1/actions/{id}", may(auth.WorkCases), s.apiUpdateAction)
	s.handle("GET", "/api/v1/cases/{id}/reviews", may(auth.ReadCases), s.apiListReviews)
	s.handle("POST", "/api/v1/cases/{id}/reviews", may(auth.WorkCases), s.idempotent(s.apiAddReview))
	s.handle("POST", "/api/v1/cases/{id}/ending", may(auth.WorkCases), s.apiPlanEnding)
	s.handle("POST", "/api/v1/cases/{id}/close", may(auth.CloseCases), s.apiCloseCase)
	s.handle("POST", "/api/v1/cases/{id}/follow-up", may(auth.WorkCases), s.apiFollowUp)
	s.handle("POST", "/api/v1/cases/{id}/reopen", may(auth.WorkCases), s.idempotent(s.apiReopenCase))
	s.handle("POST", "/api/v1/cases/{id}/my-plan/send", may(auth.WorkCases), s.apiSendMyPlan)
}

// planDone redirects to the case page after a change in the plan area.
func planDone(w http.ResponseWriter, r *http.Request, caseID, key, anchor string) {
	http.Redirect(w, r, "/cases/"+caseID+"?done="+key+"#"+anchor, http.StatusSeeOther)
}

// planProblem re-shows the case page with a plan form's problems: the
// store's field names renamed to the form's, and the form as sent. A
// problem that is not about the form fails as usual.
func (s *Server) planProblem(w http.ResponseWriter, r *http.Request, err error, names map[string]string, fallback string, goal string) {
	if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
		s.fail(w, r, false, err)
		return
	}
	var errs []linkwork.FieldError
	for _, e := range linkwork.ErrorFields(err) {
		if n, ok := names[e.Field]; ok {
			e.Field = n
		} else {
			e.Field = fallback
		}
		errs = append(errs, e)
	}
	if len(errs) == 0 {
		errs = []linkwork.FieldError{{Field: fallback, Message: linkwork.ErrorMessage(err)}}
	}
	form := map[string]string{}
	for k, v := range r.PostForm {
		if len(v) > 0 {
			form[k] = v[0]
		}
	}
	p := &casePage{Layout: Layout{Errors: errs}}
	p.Plan.Form, p.Plan.FormGoal = form, goal
	s.showCase(w, r, ErrorStatus(err), p)
}

func (s *Server) planSubmit(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Cases.FindCaseByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	c.Plan, c.Version = strings.TrimSpace(r.PostFormValue("plan_text")), postedVersion(r)
	if err := s.svc.Cases.UpdateCase(r.Context(), c); err != nil {
		s.planProblem(w, r, err, map[string]string{"plan": "plan_text"}, "plan_text", "")
		return
	}
	planDone(w, r, c.ID, "plan", "plan")
}

func formRating(r *http.Request, name string, p *linkwork.Problems, field string) (int, bool) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if v == "" {
		return 0, false
	}
	n, err := parseInt(v)
	if err != nil {
		p.Add(field, "Choose a rating from 0 to 10")
	}
	return n, true
}

func formScale(r *http.Request) linkwork.RatingScale {
	if r.PostFormValue("scale") == "emoji" {
		return linkwork.ScaleEmoji
	}
	return linkwork.ScaleNumbers
}

func (s *Server) goalSubmit(w http.ResponseWriter, r *http.Request) {
	var p linkwork.Problems
	imp, _ := parseInt(r.PostFormValue("goal_importance"))
	g := &linkwork.Goal{CaseID: r.PathValue("id"), Text: r.PostFormValue("goal_text"), Importance: linkwork.Importance(imp)}
	if n, ok := formRating(r, "goal_rating", &p, "rating"); ok {
		g.Ratings = []linkwork.GoalRating{{Rating: n, Scale: formScale(r)}}
	}
	err := p.Err()
	if err == nil {
		err = s.svc.Cases.AddGoal(r.Context(), g)
	}
	if err != nil {
		s.planProblem(w, r, err, map[string]string{"text": "goal_text", "importance": "goal_importance", "rating": "goal_rating", "scale": "goal_rating"}, "goal_text", "")
		return
	}
	planDone(w, r, g.CaseID, "goal", "goals")
}

func (s *Server) rateSubmit(w http.ResponseWriter, r *http.Request) {
	var p linkwork.Problems
	n, ok := formRating(r, "rating", &p, "rating")
	if !ok {
		p.Add("rating", "Choose how close they feel, from 0 to 10")
	}
	err := p.Err()
	if err == nil {
		_, err = s.svc.Cases.RateGoal(r.Context(), r.PathValue("goal"), n, formScale(r))
	}
	if err != nil {
		id := "rating-" + r.PathValue("goal")
		s.planProblem(w, r, err, map[string]string{"rating": id, "scale": id}, id, r.PathValue("goal"))
		return
	}
	planDone(w, r, r.PathValue("id"), "rated", "goals")
}

func (s *Server) achieveSubmit(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.Cases.AchieveGoal(r.Context(), r.PathValue("goal"), postedVersion(r)); err != nil {
		s.planProblem(w, r, err, nil, "goals", "")
		return
	}
	planDone(w, r, r.PathValue("id"), "achieved", "goals")
}

func (s *Server) actionSubmit(w http.ResponseWriter, r *http.Request) {
	a := &linkwork.CaseAction{CaseID: r.PathValue("id"), Who: linkwork.ActionWho(r.PostFormValue("action_who")), WhoName: strings.TrimSpace(r.PostFormValue("action_who_name")),
		What: r.PostFormValue("action_what")}
	var msg string
	a.DueOn, msg = parseDateParts(dateParts(r, "action_due"), "The date it is due")
	var err error
	if msg != "" {
		err = mergeProblems(linkwork.Problems{{Field: "due_on", Message: msg}}, a.Validate())
	} else {
		err = s.svc.Cases.AddAction(r.Context(), a)
	}
	if err != nil {
		s.planProblem(w, r, err, map[string]string{"who": "action_who", "who_name": "action_who_name", "what": "action_what", "due_on": "action_due"}, "action_what", "")
		return
	}
	planDone(w, r, a.CaseID, "action", "actions")
}

func (s *Server) actionDoneSubmit(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.Cases.CompleteAction(r.Context(), r.PathValue("action"), postedVersion(r), r.PostFormValue("done") == "yes"); err != nil {
		s.planProblem(w, r, err, nil, "actions", "")
		return
	}
	planDone(w, r, r.PathValue("id"), "action-done", "actions")
}

func (s *Server) reviewSubmit(w http.ResponseWriter, r *http.Request) {
	rv := &linkwork.Review{CaseID: r.PathValue("id"), Engaged: linkwork.Engagement(r.PostFormValue("review_engaged")), WhyNot: strings.TrimSpace(r.PostFormValue("review_why_not")),
		Notes: strings.TrimSpace(r.PostFormValue("review_notes")), Decision: linkwork.ReviewDecision(r.PostFormValue("review_decision"))}
	var p linkwork.Problems
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, false, err)
		return
	}
	for k := range r.PostForm {
		goal, ok := strings.CutPrefix(k, "review_rating_")
		if !ok {
			continue
		}
		if n, ok := formRating(r, k, &p, k); ok {
			rv.Ratings = append(rv.Ratings, linkwork.GoalRating{GoalID: goal, Rating: n, Scale: formScale(r)})
		}
	}
	err := p.Err()
	if err == nil {
		err = s.svc.Cases.AddReview(r.Context(), rv)
	}
	if err != nil {
		s.planProblem(w, r, err, map[string]string{"engaged": "review_engaged", "why_not": "review_why_not", "notes": "review_notes", "decision": "review_decision"}, "review_engaged", "")
		return
	}
	if rv.Decision == linkwork.ReviewClose {
		planDone(w, r, rv.CaseID, "review-close", "close")
		return
	}
	planDone(w, r, rv.CaseID, "review", "reviews")
}

func (s *Server) endingSubmit(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.Cases.PlanEnding(r.Context(), r.PathValue("id"), postedVersion(r), r.PostFormValue("ending_steps")); err != nil {
		s.planProblem(w, r, err, map[string]string{"steps": "ending_steps"}, "ending_steps", "")
		return
	}
	planDone(w, r, r.PathValue("id"), "ending", "ending")
}

func (s *Server) closeSubmit(w http.ResponseWriter, r *http.Request) {
	var p linkwork.Problems
	cl := linkwork.CaseClosure{Reason: linkwork.ClosureReason(r.PostFormValue("close_reason")), Destination: strings.TrimSpace(r.PostFormValue("close_destination")),
		OutcomeSummary: strings.TrimSpace(r.PostFormValue("close_summary")), Note: strings.TrimSpace(r.PostFormValue("close_note"))}
	switch r.PostFormValue("close_share") {
	case "yes":
		cl.ShareOutcome = &[]bool{true}[0]
	case "no":
		cl.ShareOutcome = &[]bool{false}[0]
	default:
		p.Add("share_outcome", "Say whether they agreed to share the outcome with the person who referred them")
	}
	var msg string
	if cl.FollowUpOn, msg = parseDateParts(dateParts(r, "close_follow_up"), "The follow-up date"); msg != "" {
		p.Add("follow_up_on", msg)
	}
	var err error
	if len(p) > 0 {
		err = mergeProblems(p, cl.Validate())
	} else {
		_, err = s.svc.Cases.CloseCase(r.Context(), r.PathValue("id"), postedVersion(r), cl)
	}
	if err != nil {
		s.planProblem(w, r, err, map[string]string{"reason": "close_reason", "destination": "close_destination", "outcome_summary": "close_summary",
			"share_outcome": "close_share", "follow_up_on": "close_follow_up", "note": "close_note"}, "close_reason", "")
		return
	}
	planDone(w, r, r.PathValue("id"), "closed", "plan")
}

func (s *Server) followUpSubmit(w http.ResponseWriter, r *http.Request) {
	if _, err := s.svc.Cases.RecordFollowUp(r.Context(), r.PathValue("id"), postedVersion(r), r.PostFormValue("follow_up_note")); err != nil {
		s.planProblem(w, r, err, map[string]string{"note": "follow_up_note"}, "follow_up_note", "")
		return
	}
	planDone(w, r, r.PathValue("id"), "followed-up", "follow-up")
}

func (s *Server) reopenSubmit(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Cases.ReopenCase(r.Context(), r.PathValue("id"))
	if err != nil {
		s.planProblem(w, r, err, nil, "reopen", "")
		return
	}
	planDone(w, r, c.ID, "reopened", "plan")
}

func (s *Server) sendPlanSubmit(w http.ResponseWriter, r *http.Request) {
	_, ok, err := s.svc.Cases.SendMyPlan(r.Context(), r.PathValue("id"))
	if err != nil {
		s.planProblem(w, r, err, nil, "my-plan", "")
		return
	}
	if !ok {
		planDone(w, r, r.PathValue("id"), "plan-print", "my-plan")
		return
	}
	planDone(w, r, r.PathValue("id"), "plan-sent", "my-plan")
}

// myPlanPage is the person's own copy of their plan, to print.
type myPlanPage struct {
	Layout
	CaseID string
	Plan   *linkwork.MyPlan
}

func (s *Server) myPlanPage(w http.ResponseWriter, r *http.Request) {
	mp, err := s.svc.Cases.MyPlan(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &myPlanPage{CaseID: r.PathValue("id"), Plan: mp}
	p.Title = "My plan: " + mp.PersonName
	s.render(w, r, http.StatusOK, "plan_my_plan", p)
}

// outcomeLetterPage is the message back as a letter to print, for a GP
// practice: only what the person agreed to share.
type outcomeLetterPage struct {
	Layout
	Referral *linkwork.Referral
	Outcome  *linkwork.CaseOutcome
	Today    linkwork.Date
	Referrer string
}

func (s *Server) letterPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref, err := s.svc.Referrals.FindReferralByID(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	o, err := s.svc.Cases.FindCaseOutcome(ctx, ref.ID)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if o == nil {
		s.fail(w, r, false, linkwork.Errorf(linkwork.ENOTFOUND, "There is no letter yet: the support has not ended"))
		return
	}
	p := &outcomeLetterPage{Referral: ref, Outcome: o, Today: linkwork.DateOf(s.cfg.Now().In(ukTime)), Referrer: ref.ReferrerName}
	if ref.ReferrerOrgID != "" {
		if org, err := s.svc.Organisations.FindOrganisationByID(ctx, ref.ReferrerOrgID); err == nil {
			p.Referrer = org.Name
		}
	}
	p.Title = "Letter: support ended for " + ref.PersonName
	s.render(w, r, http.StatusOK, "plan_letter", p)
}

// caseOutcomeFor is the message back for the referral page, when its
// case has closed.
func (s *Server) caseOutcomeFor(r *http.Request, ref *linkwork.Referral) (*linkwork.CaseOutcome, error) {
	if ref.CaseStatus != linkwork.CaseClosed {
		return nil, nil
	}
	return s.svc.Cases.FindCaseOutcome(r.Context(), ref.ID)
}

// ratingInput is a 0-10 rating field: radios on the number or emoji
// scale, the same numbers either way.
type ratingInput struct {
	Name, ID, Legend, Error, Hint string
	Emoji                         bool
	Choices                       []ratingChoice
}

// RatingInput is the rating field name for the goal (empty for a new
// goal), showing what was sent and its problem only for the form sent.
func (a casePlanArea) RatingInput(name, id, legend, goal string) ratingInput {
	in := ratingInput{Name: name, ID: id, Legend: legend, Emoji: a.Emoji}
	sent := ""
	if goal == a.FormGoal {
		sent = a.V(name)
	}
	in.Error = a.Err(id) // the error summary links to the fieldset's id
	in.Choices = a.Scale(sent)
	if a.Emoji {
		in.Hint = "0 is not close at all, 10 is there. Each face has its number."
	} else {
		in.Hint = "0 is not close at all, 10 is there."
	}
	return in
}

// DateV is a date input's parts as sent.
func (a casePlanArea) DateV(name string) []string {
	return []string{a.V(name + "-day"), a.V(name + "-month"), a.V(name + "-year")}
}

// EmojiOf is the emoji scale's face for a rating.
func (a casePlanArea) EmojiOf(n int) string { return linkwork.RatingEmoji(n) }

// WordsOf says a rating in words, with its number.
func (a casePlanArea) WordsOf(n int) string { return linkwork.RatingWords(n) }

// LatestWords is a goal's latest rating in words, or "" when unrated.
func (a casePlanArea) LatestWords(g *linkwork.Goal) string {
	if r, ok := g.Latest(); ok {
		return linkwork.RatingWords(r.Rating)
	}
	return ""
}

// Reasons are the reasons a case closes.
func (a casePlanArea) Reasons() []linkwork.ClosureReason { return linkwork.ClosureReasons }

// Latest is a goal's latest rating as a number, or "" when unrated.
func (p *myPlanPage) Latest(g *linkwork.Goal) string {
	if r, ok := g.Latest(); ok {
		return fmt.Sprint(r.Rating)
	}
	return ""
}

// Todo is the plan's actions not yet done.
func (p *myPlanPage) Todo() []*linkwork.CaseAction {
	var out []*linkwork.CaseAction
	for _, a := range p.Plan.Actions {
		if !a.Done() {
			out = append(out, a)
		}
	}
	return out
}

// Who says who does an action, as the person reads it.
func (p *myPlanPage) Who(a *linkwork.CaseAction) string {
	switch a.Who {
	case linkwork.ActionByPerson:
		return "You"
	case linkwork.ActionByLinkWorker:
		if p.Plan.LinkWorker != "" {
			return p.Plan.LinkWorker
		}
	default:
		if a.WhoName != "" {
			return a.WhoName
		}
	}
	return a.Who.Label()
}
