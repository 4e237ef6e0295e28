package web

import (
	"net/http"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// The plan's API: goals and ratings, actions, reviews, the ending,
// closing, the follow-up, coming back, "my plan", and the message back on
// a referral.

type ratingJSON struct {
	ID     string               `json:"id"`
	GoalID string               `json:"goal_id"`
	Rating int                  `json:"rating"`
	Scale  linkwork.RatingScale `json:"scale"`
	At     time.Time            `json:"at"`
	ByID   string               `json:"by_user_id"`
}

func ratingOut(r linkwork.GoalRating) ratingJSON {
	return ratingJSON{ID: r.ID, GoalID: r.GoalID, Rating: r.Rating, Scale: r.Scale, At: r.At, ByID: r.ByUserID}
}

type goalJSON struct {
	ID         string       `json:"id"`
	CaseID     string       `json:"case_id"`
	Text       string       `json:"text"`
	Importance int          `json:"importance"`
	Achieved   bool         `json:"achieved"`
	AchievedAt *time.Time   `json:"achieved_at,omitempty"`
	CreatedAt  time.Time    `json:"created_at"`
	Version    int          `json:"version"`
	Ratings    []ratingJSON `json:"ratings"`
}

func goalOut(g *linkwork.Goal) goalJSON {
	out := goalJSON{ID: g.ID, CaseID: g.CaseID, Text: g.Text, Importance: int(g.Importance), Achieved: g.Achieved, AchievedAt: timePtr(g.AchievedAt),
		CreatedAt: g.CreatedAt, Version: g.Version, Ratings: []ratingJSON{}}
	for _, r := range g.Ratings {
		out.Ratings = append(out.Ratings, ratingOut(r))
	}
	return out
}

type goalIn struct {
	Text       string                `json:"text"`
	Importance int                   `json:"importance"`
	Rating     *int                  `json:"rating"`
	Scale      *linkwork.RatingScale `json:"scale"`
}

type ratingIn struct {
	Rating *int                  `json:"rating"`
	Scale  *linkwork.RatingScale `json:"scale"`
}

type goalUpdateIn struct {
	Version  int  `json:"version"`
	Achieved bool `json:"achieved"`
}

type actionJSON struct {
	ID        string             `json:"id"`
	CaseID    string             `json:"case_id"`
	Who       linkwork.ActionWho `json:"who"`
	WhoName   string             `json:"who_name,omitempty"`
	What      string             `json:"what"`
	DueOn     *linkwork.Date     `json:"due_on,omitempty"`
	Done      bool               `json:"done"`
	DoneAt    *time.Time         `json:"done_at,omitempty"`
	CreatedAt time.Time          `json:"created_at"`
	Version   int                `json:"version"`
}

func actionOut(a *linkwork.CaseAction) actionJSON {
	out := actionJSON{ID: a.ID, CaseID: a.CaseID, Who: a.Who, WhoName: a.WhoName, What: a.What, Done: a.Done(), DoneAt: timePtr(a.DoneAt), CreatedAt: a.CreatedAt, Version: a.Version}
	if !a.DueOn.IsZero() {
		d := a.DueOn
		out.DueOn = &d
	}
	return out
}

type actionIn struct {
	Who     linkwork.ActionWho `json:"who"`
	WhoName string             `json:"who_name"`
	What    string             `json:"what"`
	DueOn   string             `json:"due_on"`
}

type actionUpdateIn struct {
	Version int  `json:"version"`
	Done    bool `json:"done"`
}

type reviewRatingIn struct {
	GoalID string                `json:"goal_id"`
	Rating int                   `json:"rating"`
	Scale  *linkwork.RatingScale `json:"scale"`
}

type reviewIn struct {
	Engaged  linkwork.Engagement     `json:"engaged"`
	WhyNot   string                  `json:"why_not"`
	Notes    string                  `json:"notes"`
	Decision linkwork.ReviewDecision `json:"decision"`
	Ratings  []reviewRatingIn        `json:"ratings"`
}

type reviewJSON struct {
	ID       string                  `json:"id"`
	CaseID   string                  `json:"case_id"`
	At       time.Time               `json:"at"`
	Sessions int                     `json:"sessions"`
	Engaged  linkwork.Engagement     `json:"engaged"`
	WhyNot   string                  `json:"why_not,omitempty"`
	Notes    string                  `json:"notes,omitempty"`
	Decision linkwork.ReviewDecision `json:"decision"`
	ByID     string                  `json:"by_user_id"`
}

func reviewOut(r *linkwork.Review) reviewJSON {
	return reviewJSON{ID: r.ID, CaseID: r.CaseID, At: r.At, Sessions: r.Sessions, Engaged: r.Engaged, WhyNot: r.WhyNot, Notes: r.Notes, Decision: r.Decision, ByID: r.ByUserID}
}

// planCaseJSON is a case with what the plan area adds to it: the ending,
// closing and follow-up.
type planCaseJSON struct {
	caseJSON
	EndingSteps        string         `json:"ending_steps,omitempty"`
	EndingPlannedAt    *time.Time     `json:"ending_planned_at,omitempty"`
	ClosureNote        string         `json:"closure_note,omitempty"`
	ClosureDestination string         `json:"closure_destination,omitempty"`
	ShareOutcome       bool           `json:"share_outcome"`
	FollowUpOn         *linkwork.Date `json:"follow_up_on,omitempty"`
	FollowedUpAt       *time.Time     `json:"followed_up_at,omitempty"`
	FollowUpNote       string         `json:"follow_up_note,omitempty"`
	PreviousCaseID     string         `json:"previous_case_id,omitempty"`
}

func planCaseOut(c *linkwork.Case) planCaseJSON {
	out := planCaseJSON{caseJSON: caseOut(c), EndingSteps: c.EndingSteps, EndingPlannedAt: timePtr(c.EndingPlannedAt), ClosureNote: c.ClosureNote,
		ClosureDestination: c.ClosureDestination, ShareOutcome: c.ShareOutcome, FollowedUpAt: timePtr(c.FollowedUpAt), FollowUpNote: c.FollowUpNote, PreviousCaseID: c.PreviousCaseID}
	if !c.FollowUpOn.IsZero() {
		d := c.FollowUpOn
		out.FollowUpOn = &d
	}
	return out
}

type endingIn struct {
	Version int    `json:"version"`
	Steps   string `json:"steps"`
}

type closeIn struct {
	Version        int                    `json:"version"`
	Reason         linkwork.ClosureReason `json:"reason"`
	Destination    string                 `json:"destination"`
	OutcomeSummary string                 `json:"outcome_summary"`
	ShareOutcome   *bool                  `json:"share_outcome"`
	FollowUpOn     string                 `json:"follow_up_on"`
	Note           string                 `json:"note"`
}

type followUpIn struct {
	Version int    `json:"version"`
	Note    string `json:"note"`
}

type planSentJSON struct {
	Sent    bool                    `json:"sent"`
	Channel linkwork.MessageChannel `json:"channel,omitempty"`
	Message string                  `json:"message"`
}

// outcomeJSON is the message back on a referral, within consent.
type outcomeJSON struct {
	Shared         bool                `json:"shared"`
	Service        string              `json:"service"`
	ClosedOn       linkwork.Date       `json:"closed_on"`
	ReferredOn     *linkwork.Date      `json:"referred_on,omitempty"`
	FirstSessionOn *linkwork.Date      `json:"first_session_on,omitempty"`
	Sessions       *int                `json:"sessions_attended,omitempty"`
	Reason         string              `json:"reason,omitempty"`
	Destination    string              `json:"destination,omitempty"`
	Summary        string              `json:"outcome_summary,omitempty"`
	Connections    []string            `json:"connections,omitempty"`
	Goals          []goalChangeJSON    `json:"goals,omitempty"`
	Measures       []measureChangeJSON `json:"measures,omitempty"`
	Text           string              `json:"text"`
	Letter         string              `json:"letter_url"`
}

type goalChangeJSON struct {
	Text     string `json:"text"`
	First    *int   `json:"first_rating,omitempty"`
	Latest   *int   `json:"latest_rating,omitempty"`
	Achieved bool   `json:"achieved"`
}

type measureChangeJSON struct {
	Instrument linkwork.Instrument `json:"instrument"`
	First      float64             `json:"first_score"`
	Latest     float64             `json:"latest_score"`
	Times      int                 `json:"times"`
}

func outcomeOut(o *linkwork.CaseOutcome) *outcomeJSON {
	if o == nil {
		return nil
	}
	out := &outcomeJSON{Shared: o.Shared, Service: o.Service, ClosedOn: o.ClosedOn, Text: o.Text(), Letter: "/referrals/" + o.ReferralID + "/letter"}
	if !o.Shared {
		out.Text = o.PersonName + "'s support from " + o.Service + " has ended. They did not agree to share details of their support with the referrer."
		return out
	}
	day := func(d linkwork.Date) *linkwork.Date {
		if d.IsZero() {
			return nil
		}
		return &d
	}
	n := o.Sessions
	out.ReferredOn, out.FirstSessionOn, out.Sessions = day(o.ReferredOn), day(o.FirstSessionOn), &n
	out.Reason, out.Destination, out.Summary, out.Connections = string(o.Reason), o.Destination, o.Summary, o.Connections
	for _, g := range o.Goals {
		gc := goalChangeJSON{Text: g.Text, Achieved: g.Achieved}
		if g.Rated {
			f, l := g.First, g.Latest
			gc.First, gc.Latest = &f, &l
		}
		out.Goals = append(out.Goals, gc)
	}
	for _, m := range o.Measures {
		out.Measures = append(out.Measures, measureChangeJSON{Instrument: m.Instrument, First: m.First, Latest: m.Latest, Times: m.Times})
	}
	return out
}

// referralWithOutcomeJSON is a referral with the message back once its
// case has closed, and its eligibility for those the service shows it to.
type referralWithOutcomeJSON struct {
	referralJSON
	CaseOutcome *outcomeJSON     `json:"case_outcome,omitempty"`
	Eligibility *eligibilityJSON `json:"eligibility,omitempty"`
}

// eligibilityJSON is a referral checked against its service's settings,
// as the referral's page shows it.
type eligibilityJSON struct {
	Eligible bool                   `json:"eligible"`
	Checks   []eligibilityCheckJSON `json:"checks"`
}

type eligibilityCheckJSON struct {
	Rule   string `json:"rule"`
	Result string `json:"result"` // meets, unknown or does_not_meet
	Reason string `json:"reason"`
}

func eligibilityOut(e *linkwork.Eligibility) *eligibilityJSON {
	if e == nil {
		return nil
	}
	out := &eligibilityJSON{Eligible: e.Eligible, Checks: []eligibilityCheckJSON{}}
	for _, c := range e.Checks {
		result := "does_not_meet"
		switch {
		case c.OK:
			result = "meets"
		case c.Unknown:
			result = "unknown"
		}
		out.Checks = append(out.Checks, eligibilityCheckJSON{Rule: c.Rule, Result: result, Reason: c.Reason})
	}
	return out
}

func (s *Server) apiAddGoal(w http.ResponseWriter, r *http.Request) {
	var in goalIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	g := &linkwork.Goal{CaseID: r.PathValue("id"), Text: in.Text, Importance: linkwork.Importance(in.Importance)}
	if in.Rating != nil {
		g.Ratings = []linkwork.GoalRating{{Rating: *in.Rating, Scale: scaleOr(in.Scale)}}
	}
	if err := s.svc.Cases.AddGoal(r.Context(), g); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+g.CaseID+"/goals")
	writeJSON(w, http.StatusCreated, goalOut(g))
}

func scaleOr(s *linkwork.RatingScale) linkwork.RatingScale {
	if s == nil {
		return linkwork.ScaleNumbers
	}
	return *s
}

func (s *Server) apiListGoals(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Cases.FindGoals(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := mapSlice(list, goalOut)
	writeJSON(w, http.StatusOK, listOut[goalJSON]{Items: nonNil(out), Total: len(out), Limit: len(out)})
}

func (s *Server) apiRateGoal(w http.ResponseWriter, r *http.Request) {
	var in ratingIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if in.Rating == nil {
		s.fail(w, r, true, linkwork.FieldErr("rating", "Send the rating, 0 to 10"))
		return
	}
	got, err := s.svc.Cases.RateGoal(r.Context(), r.PathValue("id"), *in.Rating, scaleOr(in.Scale))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusCreated, ratingOut(*got))
}

func (s *Server) apiUpdateGoal(w http.ResponseWriter, r *http.Request) {
	var in goalUpdateIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	if in.Version < 1 {
		p.Add("version", "Send the version of the goal you read")
	}
	if !in.Achieved {
		p.Add("achieved", "A goal can only be marked achieved: send achieved true")
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	g, err := s.svc.Cases.AchieveGoal(r.Context(), r.PathValue("id"), in.Version)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, goalOut(g))
}

func (s *Server) apiAddAction(w http.ResponseWriter, r *http.Request) {
	var in actionIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	a := &linkwork.CaseAction{CaseID: r.PathValue("id"), Who: in.Who, WhoName: in.WhoName, What: in.What, DueOn: parseDateField(&p, "due_on", in.DueOn)}
	if len(p) > 0 {
		s.fail(w, r, true, mergeProblems(p, a.Validate()))
		return
	}
	if err := s.svc.Cases.AddAction(r.Context(), a); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+a.CaseID+"/actions")
	writeJSON(w, http.StatusCreated, actionOut(a))
}

func (s *Server) apiListActions(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Cases.FindActions(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := mapSlice(list, actionOut)
	writeJSON(w, http.StatusOK, listOut[actionJSON]{Items: nonNil(out), Total: len(out), Limit: len(out)})
}

func (s *Server) apiUpdateAction(w http.ResponseWriter, r *http.Request) {
	var in actionUpdateIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if in.Version < 1 {
		s.fail(w, r, true, linkwork.FieldErr("version", "Send the version of the action you read"))
		return
	}
	a, err := s.svc.Cases.CompleteAction(r.Context(), r.PathValue("id"), in.Version, in.Done)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, actionOut(a))
}

func (s *Server) apiAddReview(w http.ResponseWriter, r *http.Request) {
	var in reviewIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	rv := &linkwork.Review{CaseID: r.PathValue("id"), Engaged: in.Engaged, WhyNot: in.WhyNot, Notes: in.Notes, Decision: in.Decision}
	for _, x := range in.Ratings {
		rv.Ratings = append(rv.Ratings, linkwork.GoalRating{GoalID: x.GoalID, Rating: x.Rating, Scale: scaleOr(x.Scale)})
	}
	if err := s.svc.Cases.AddReview(r.Context(), rv); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+rv.CaseID+"/reviews")
	writeJSON(w, http.StatusCreated, reviewOut(rv))
}

func (s *Server) apiListReviews(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Cases.FindReviews(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := mapSlice(list, reviewOut)
	writeJSON(w, http.StatusOK, listOut[reviewJSON]{Items: nonNil(out), Total: len(out), Limit: len(out)})
}

func versionSent(v int, what string) error {
	if v < 1 {
		return linkwork.FieldErr("version", "Send the version of the "+what+" you read, so that a change to a changed record is refused")
	}
	return nil
}

func (s *Server) apiPlanEnding(w http.ResponseWriter, r *http.Request) {
	var in endingIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := versionSent(in.Version, "case"); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c, err := s.svc.Cases.PlanEnding(r.Context(), r.PathValue("id"), in.Version, in.Steps)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, planCaseOut(c))
}

func (s *Server) apiCloseCase(w http.ResponseWriter, r *http.Request) {
	var in closeIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	if in.Version < 1 {
		p.Add("version", "Send the version of the case you read, so that a change to a changed record is refused")
	}
	if in.ShareOutcome == nil {
		p.Add("share_outcome", "Say whether the person agreed to share the outcome with their referrer: true or false")
	}
	cl := linkwork.CaseClosure{Reason: in.Reason, Note: in.Note, OutcomeSummary: in.OutcomeSummary, Destination: in.Destination, ShareOutcome: in.ShareOutcome,
		FollowUpOn: parseDateField(&p, "follow_up_on", in.FollowUpOn)}
	if len(p) > 0 {
		s.fail(w, r, true, mergeProblems(p, cl.Validate()))
		return
	}
	c, err := s.svc.Cases.CloseCase(r.Context(), r.PathValue("id"), in.Version, cl)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, planCaseOut(c))
}

func (s *Server) apiFollowUp(w http.ResponseWriter, r *http.Request) {
	var in followUpIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := versionSent(in.Version, "case"); err != nil {
		s.fail(w, r, true, err)
		return
	}
	c, err := s.svc.Cases.RecordFollowUp(r.Context(), r.PathValue("id"), in.Version, in.Note)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, planCaseOut(c))
}

func (s *Server) apiReopenCase(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Cases.ReopenCase(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+c.ID)
	writeJSON(w, http.StatusCreated, planCaseOut(c))
}

func (s *Server) apiSendMyPlan(w http.ResponseWriter, r *http.Request) {
	m, ok, err := s.svc.Cases.SendMyPlan(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if !ok {
		writeJSON(w, http.StatusOK, planSentJSON{Message: "The person has chosen no way a message can reach them (text, email or letter with the details for it): print their plan instead."})
		return
	}
	writeJSON(w, http.StatusOK, planSentJSON{Sent: true, Channel: m.Channel, Message: "Their plan is in the outbox, to go by " + m.Channel.Label() + "."})
}

// referralWithOutcome is a referral, and the message back once its case
// has closed, within consent.
func (s *Server) referralWithOutcome(w http.ResponseWriter, r *http.Request, ref *linkwork.Referral) {
	out := referralWithOutcomeJSON{referralJSON: referralOut(ref)}
	eligibility, err := s.svc.Referrals.ReferralEligibility(r.Context(), ref.ID)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out.Eligibility = eligibilityOut(eligibility)
	if ref.CaseStatus == linkwork.CaseClosed {
		o, err := s.svc.Cases.FindCaseOutcome(r.Context(), ref.ID)
		if err != nil {
			s.fail(w, r, true, err)
			return
		}
		out.CaseOutcome = outcomeOut(o)
	}
	writeJSON(w, http.StatusOK, out)
}
