package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/outcomes"
)

// A person's measure on their own phone: the link worker sends a link
// from the case page (or the API) by the person's chosen text or email;
// the person opens /measure/{token} with no account, sees only their
// first name and the questions, and answers once. The link worker is
// told, and the case page shows the link's state and the response.

// routesMeasureLinks registers the link worker's form and API, and the
// person's page and API (public: the token is the credential).
func (s *Server) routesMeasureLinks() {
	s.handle("POST", "/cases/{id}/measure-links", may(auth.WorkCases), s.sendMeasureLinkSubmit)
	s.handle("POST", "/api/v1/cases/{id}/measure-links", may(auth.WorkCases), s.idempotent(s.apiSendMeasureLink))
	s.handle("GET", "/api/v1/cases/{id}/measure-links", may(auth.ReadCases), s.apiMeasureLinks)
	s.handle("GET", "/measure/{token}", public, s.measureLinkPage)
	s.handle("POST", "/measure/{token}", public, s.measureLinkSubmit)
	s.handle("GET", "/api/v1/measure-links/{token}", public, s.apiMeasureLink)
	s.handle("POST", "/api/v1/measure-links/{token}", public, s.apiAnswerMeasureLink)
}

func init() {
	caseNotices["measure-link-sent"] = "Link sent: you will be told when they answer"
}

// measureLinkView is a link on the case page.
type measureLinkView struct {
	What, To, Sent, Status string
}

// caseMeasureLinks is the case page's part for sending a link.
type caseMeasureLinks struct {
	Links []measureLinkView
	// Choices are the measures the person can answer alone; Timepoints
	// when. To says where the link would go; empty when nowhere.
	Choices, Timepoints []option
	To                  string
	Instrument          string
	Timepoint           string
}

// loadMeasureLinks fills the case page's links to measures, and what
// may be sent.
func (s *Server) loadMeasureLinks(r *http.Request, p *casePage) error {
	if s.svc.MeasureLinks == nil {
		return nil
	}
	links, err := s.svc.MeasureLinks.FindMeasureLinks(r.Context(), p.Case.ID)
	if err != nil {
		return err
	}
	a := &p.Measures.Send
	now := s.cfg.Now()
	for _, l := range links {
		a.Links = append(a.Links, measureLinkView{What: l.Instrument.Label() + ", " + strings.ToLower(l.Timepoint.Label()), To: l.Channel.Label() + " to " + l.To,
			Sent: l.CreatedAt.In(ukTime).Format("2 Jan 2006"), Status: l.Status(now)})
	}
	if !p.CanUpdate || p.Person == nil {
		return nil
	}
	for _, i := range p.Settings.Measures.InstrumentsFor(p.Person, p.Today) {
		if p.Settings.Measures.Answerable(i) {
			a.Choices = append(a.Choices, option{Value: string(i), Label: i.Label()})
		}
	}
	for _, t := range linkwork.Timepoints {
		a.Timepoints = append(a.Timepoints, option{Value: string(t), Label: t.Label()})
	}
	if ch, to, ok := linkwork.MeasureLinkChannelFor(p.Person); ok {
		a.To = ch.Label() + " to " + to
	}
	return nil
}

// sendMeasureLinkSubmit sends the person a link to answer a measure.
func (s *Server) sendMeasureLinkSubmit(w http.ResponseWriter, r *http.Request) {
	req := &linkwork.MeasureLinkRequest{Instrument: linkwork.Instrument(r.PostFormValue("link_instrument")), Timepoint: linkwork.Timepoint(r.PostFormValue("link_timepoint"))}
	if _, err := s.svc.MeasureLinks.SendMeasureLink(r.Context(), r.PathValue("id"), req); err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		p := &casePage{Layout: Layout{Errors: renamedErrors(err, map[string]string{"instrument": "link_instrument", "timepoint": "link_timepoint", "contact": "link_instrument"}, "link_instrument")}}
		p.Measures.Send.Instrument, p.Measures.Send.Timepoint = string(req.Instrument), string(req.Timepoint)
		s.showCase(w, r, ErrorStatus(err), p)
		return
	}
	backToCase(w, r, "measure-link-sent", "measures")
}

// measureLinkPage is what a person's measure link opens.
type measureLinkPage struct {
	Layout
	Token  string
	Invite *linkwork.MeasureInvite
	Name   string
	Items  []measureItem
	// Licensed: answers are numbers, 1 the least and 5 the most.
	Licensed bool
	// Gone says why the link does not work; Done that it was answered.
	Gone string
	Done bool
}

// measureLinkAllowed counts a request to a measure link against the same
// hourly allowance per address as the other one-time links, and answers
// 429 when it is spent.
func (s *Server) measureLinkAllowed(w http.ResponseWriter, r *http.Request, api bool) bool {
	w.Header().Set("Cache-Control", "no-store")
	if s.verifyLimits.allow(clientIP(r), "measure") {
		return true
	}
	const msg = "Too many links have been opened from this connection. Try again in an hour."
	if api {
		s.fail(w, r, true, linkwork.Errorf(linkwork.ERATELIMIT, msg))
	} else {
		s.render(w, r, http.StatusTooManyRequests, "measure_link", &measureLinkPage{Layout: Layout{Title: "Too many tries"}, Gone: msg})
	}
	return false
}

// measureLinkGone shows why a link does not work: 404 for one we never
// sent, 410 for one used, replaced or expired.
func (s *Server) measureLinkGone(w http.ResponseWriter, r *http.Request, err error) {
	switch linkwork.ErrorCode(err) {
	case linkwork.ECONFLICT, linkwork.ENOTFOUND:
		status := http.StatusGone
		if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
			status = http.StatusNotFound
		}
		s.render(w, r, status, "measure_link", &measureLinkPage{Layout: Layout{Title: "This link no longer works"}, Gone: linkwork.ErrorMessage(err)})
	default:
		s.fail(w, r, false, err)
	}
}

// showMeasureLink renders the questions of an open link with what was
// sent and its problems.
func (s *Server) showMeasureLink(w http.ResponseWriter, r *http.Request, status int, p *measureLinkPage, sent map[string]string) {
	inv := p.Invite
	spec, _ := outcomes.Spec(inv.Instrument)
	// The page's title is the service's, never the person's or the
	// measure's: a title is kept in the browser's history.
	p.Title = "A few questions from " + inv.Service
	p.Name = inv.Instrument.Label()
	p.Licensed = spec.LicensedWording
	emoji := inv.Emoji && spec.MaxAnswer == 10
	p.Items = measureItemsOf(spec, inv.Wording, nil, emoji, sent, p.FieldError)
	s.render(w, r, status, "measure_link", p)
}

func (s *Server) measureLinkPage(w http.ResponseWriter, r *http.Request) {
	if !s.measureLinkAllowed(w, r, false) {
		return
	}
	token := r.PathValue("token")
	inv, err := s.svc.MeasureLinks.OpenMeasureLink(r.Context(), token)
	if err != nil {
		s.measureLinkGone(w, r, err)
		return
	}
	s.showMeasureLink(w, r, http.StatusOK, &measureLinkPage{Token: token, Invite: inv}, nil)
}

func (s *Server) measureLinkSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.measureLinkAllowed(w, r, false) {
		return
	}
	token := r.PathValue("token")
	inv, err := s.svc.MeasureLinks.OpenMeasureLink(r.Context(), token)
	if err != nil {
		s.measureLinkGone(w, r, err)
		return
	}
	spec, _ := outcomes.Spec(inv.Instrument)
	answers, sent := formAnswers(r.PostFormValue, spec, spec.MaxItems)
	if _, err := s.svc.MeasureLinks.AnswerMeasureLink(r.Context(), token, answers); err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.measureLinkGone(w, r, err)
			return
		}
		s.showMeasureLink(w, r, http.StatusUnprocessableEntity, &measureLinkPage{Layout: Layout{Errors: linkwork.ErrorFields(err)}, Token: token, Invite: inv}, sent)
		return
	}
	s.render(w, r, http.StatusOK, "measure_link", &measureLinkPage{Layout: Layout{Title: "Thank you"}, Invite: inv, Done: true})
}

// measureLinkIn is a request for a link to a measure.
type measureLinkIn struct {
	Instrument linkwork.Instrument `json:"instrument"`
	Timepoint  linkwork.Timepoint  `json:"timepoint"`
}

// measureLinkJSON is a link sent to a person to answer a measure.
type measureLinkJSON struct {
	ID         string               `json:"id"`
	CaseID     string               `json:"case_id"`
	Instrument linkwork.Instrument  `json:"instrument"`
	Timepoint  linkwork.Timepoint   `json:"timepoint"`
	Channel    linkwork.LinkChannel `json:"channel"`
	To         string               `json:"to"`
	Status     string               `json:"status"`
	CreatedAt  time.Time            `json:"created_at"`
	ExpiresAt  time.Time            `json:"expires_at"`
	SentAt     *time.Time           `json:"sent_at"`
	UsedAt     *time.Time           `json:"used_at"`
	MeasureID  string               `json:"measure_id,omitempty"`
}

func measureLinkOut(l *linkwork.MeasureLink, now time.Time) measureLinkJSON {
	return measureLinkJSON{ID: l.ID, CaseID: l.CaseID, Instrument: l.Instrument, Timepoint: l.Timepoint, Channel: l.Channel, To: l.To, Status: l.Status(now),
		CreatedAt: l.CreatedAt, ExpiresAt: l.ExpiresAt, SentAt: timeOrNil(l.SentAt), UsedAt: timeOrNil(l.UsedAt), MeasureID: l.MeasureID}
}

// measureInviteJSON is what a measure link shows: the person's first
// name and the questions.
type measureInviteJSON struct {
	FirstName  string              `json:"first_name"`
	Service    string              `json:"service"`
	Instrument linkwork.Instrument `json:"instrument"`
	Name       string              `json:"name"`
	Timepoint  linkwork.Timepoint  `json:"timepoint"`
	Items      []inviteItemJSON    `json:"items"`
	MinAnswer  int                 `json:"min_answer"`
	MaxAnswer  int                 `json:"max_answer"`
	Emoji      bool                `json:"emoji"`
	ExpiresAt  time.Time           `json:"expires_at"`
}

type inviteItemJSON struct {
	LinkID string `json:"link_id"`
	Text   string `json:"text"`
}

func measureInviteOut(inv *linkwork.MeasureInvite) measureInviteJSON {
	spec, _ := outcomes.Spec(inv.Instrument)
	out := measureInviteJSON{FirstName: inv.FirstName, Service: inv.Service, Instrument: inv.Instrument, Name: inv.Instrument.Label(), Timepoint: inv.Timepoint,
		Items: []inviteItemJSON{}, MinAnswer: spec.MinAnswer, MaxAnswer: spec.MaxAnswer, Emoji: inv.Emoji && spec.MaxAnswer == 10, ExpiresAt: inv.ExpiresAt}
	for i, it := range measureItemsOf(spec, inv.Wording, nil, false, nil, func(string) string { return "" }) {
		n := strconv.Itoa(i + 1)
		out.Items = append(out.Items, inviteItemJSON{LinkID: n, Text: strings.TrimPrefix(it.Legend, n+". ")})
	}
	return out
}

// measureAnswersIn is the person's answers through their link: the
// instrument and timepoint are the link's.
type measureAnswersIn struct {
	Answers []*float64 `json:"answers"`
}

func (s *Server) apiSendMeasureLink(w http.ResponseWriter, r *http.Request) {
	var in measureLinkIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	l, err := s.svc.MeasureLinks.SendMeasureLink(r.Context(), r.PathValue("id"), &linkwork.MeasureLinkRequest{Instrument: in.Instrument, Timepoint: in.Timepoint})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+l.CaseID+"/measure-links")
	writeJSON(w, http.StatusCreated, measureLinkOut(l, s.cfg.Now()))
}

func (s *Server) apiMeasureLinks(w http.ResponseWriter, r *http.Request) {
	links, err := s.svc.MeasureLinks.FindMeasureLinks(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := struct {
		Items []measureLinkJSON `json:"items"`
	}{Items: []measureLinkJSON{}}
	for _, l := range links {
		out.Items = append(out.Items, measureLinkOut(l, s.cfg.Now()))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiMeasureLink(w http.ResponseWriter, r *http.Request) {
	if !s.measureLinkAllowed(w, r, true) {
		return
	}
	inv, err := s.svc.MeasureLinks.OpenMeasureLink(r.Context(), r.PathValue("token"))
	if err != nil {
		s.verifyError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, measureInviteOut(inv))
}

func (s *Server) apiAnswerMeasureLink(w http.ResponseWriter, r *http.Request) {
	if !s.measureLinkAllowed(w, r, true) {
		return
	}
	var in measureAnswersIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	m, err := s.svc.MeasureLinks.AnswerMeasureLink(r.Context(), r.PathValue("token"), measureIn{Answers: in.Answers}.response("").Answers)
	if err != nil {
		s.verifyError(w, r, err)
		return
	}
	full := measureOut(m)
	writeJSON(w, http.StatusOK, measureAnsweredJSON{Instrument: full.Instrument, Name: full.Name, Timepoint: full.Timepoint, Score: full.Score, Band: full.Band, Items: full.Items})
}

// measureAnsweredJSON is what the person is told of their answers: the
// score, band and items, without the record's ids. Answering uses the
// link up, like a group's answer through its link: 200, and no
// Idempotency-Key (the link itself works once).
type measureAnsweredJSON struct {
	Instrument linkwork.Instrument `json:"instrument"`
	Name       string              `json:"name"`
	Timepoint  linkwork.Timepoint  `json:"timepoint"`
	Score      *float64            `json:"score,omitempty"`
	Band       string              `json:"band,omitempty"`
	Items      []measureItemJSON   `json:"items"`
}
