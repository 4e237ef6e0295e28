package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// namedDestinations are the places outside the directory a declined
// referral is most often directed to.
var namedDestinations = []string{
	"CAMHS (child and adolescent mental health services)",
	"Their GP",
	"NHS 111, option 2 (urgent mental health)",
	"Crisis line: Shout 85258 or Samaritans 116 123",
	"Adult mental health services (talking therapies)",
	"School pastoral or wellbeing team",
	"Social care: early help",
	"Another social prescribing service nearer to them",
}

type triagePage struct {
	Layout
	Referrals []*linkwork.Referral
	Meeting   bool
	Pathway   string
	AgeBand   string
	Pathways  []option
	AgeBands  []option
	Pager     pager
	Now       time.Time
	CanReturn bool
	// FlaggedWaiting are the people waiting who were flagged as a
	// possible risk at a check-in (case_allocation.go).
	FlaggedWaiting []*linkwork.Referral
	// Concerns flags the referrals with an open safeguarding concern.
	Concerns map[string]bool
}

func (s *Server) triagePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg := pageNumber(q.Get("page"))
	p := &triagePage{Layout: Layout{Title: "Triage queue"}, Meeting: q.Get("view") == "meeting", Pathway: q.Get("pathway"), AgeBand: q.Get("age"), Now: s.cfg.Now(),
		CanReturn: auth.Allows(currentUser(r).Role, auth.ReturnDeferrals)}
	if p.Meeting {
		p.Title = "Team meeting"
	}
	switch q.Get("done") {
	case "returned":
		p.Notice = q.Get("n") + " deferred referrals are back in the queue"
	}
	f := linkwork.TriageFilter{Meeting: p.Meeting, Offset: (pg - 1) * listSize, Limit: listSize}
	if pw := linkwork.Pathway(p.Pathway); pw.Valid() {
		f.Pathway = pw
	}
	if _, ok := linkwork.FindAgeBand(p.AgeBand); ok {
		f.AgeBand = p.AgeBand
	}
	list, total, err := s.svc.Triage.TriageQueue(r.Context(), f)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Referrals = list
	refs := make([]string, len(list))
	for i, ref := range list {
		refs[i] = ref.ID
	}
	if p.Concerns, err = s.concernFlags(r.Context(), currentUser(r), refs); err != nil {
		s.fail(w, r, false, err)
		return
	}
	if p.FlaggedWaiting, err = s.svc.Allocation.FlaggedWhileWaiting(r.Context()); err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Pathways = []option{{Value: "", Label: "All pathways", Selected: p.Pathway == ""}}
	for _, pw := range linkwork.Pathways {
		p.Pathways = append(p.Pathways, option{Value: string(pw), Label: pw.Label(), Selected: p.Pathway == string(pw)})
	}
	p.AgeBands = []option{{Value: "", Label: "All ages", Selected: p.AgeBand == ""}}
	for _, b := range linkwork.AgeBands {
		p.AgeBands = append(p.AgeBands, option{Value: b.Key, Label: b.Label, Selected: p.AgeBand == b.Key})
	}
	view := map[bool]string{true: "meeting", false: ""}[p.Meeting]
	p.Pager = newPager(pg, listSize, total, func(n int) string {
		return "/triage?" + url.Values{"page": {strconv.Itoa(n)}, "view": {view}, "pathway": {p.Pathway}, "age": {p.AgeBand}}.Encode()
	})
	s.render(w, r, http.StatusOK, "triage", p)
}

func (s *Server) returnDeferralsSubmit(w http.ResponseWriter, r *http.Request) {
	n, err := s.svc.Triage.ReturnDueDeferrals(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	http.Redirect(w, r, "/triage?done=returned&n="+strconv.Itoa(n), http.StatusSeeOther)
}

// decisionForm is what the decision forms on a referral send.
type decisionForm struct {
	To, Reason, Destination, Other, LinkWorkerID, Streetlight string
	DeferUntil                                                []string
	Version                                                   int
}

func (s *Server) decisionSubmit(w http.ResponseWriter, r *http.Request) {
	f := decisionForm{To: r.PostFormValue("to"), Reason: strings.TrimSpace(r.PostFormValue("reason")), Destination: r.PostFormValue("onward_destination"),
		Other: strings.TrimSpace(r.PostFormValue("onward_other")), LinkWorkerID: r.PostFormValue("link_worker_id"), Streetlight: r.PostFormValue("streetlight"),
		DeferUntil: dateParts(r, "defer_until")}
	f.Version, _ = parseInt(r.PostFormValue("version"))
	d := linkwork.ReferralDecision{To: linkwork.ReferralStatus(f.To), Reason: f.Reason, LinkWorkerID: f.LinkWorkerID, Streetlight: linkwork.Streetlight(f.Streetlight)}
	d.OnwardDestination = f.Destination
	if f.Destination == "other" || f.Destination == "" {
		d.OnwardDestination = f.Other
	}
	var formProblems linkwork.Problems
	if d.To == linkwork.ReferralDeferred {
		var msg string
		if d.DeferUntil, msg = parseDateParts(f.DeferUntil, "The date to come back"); msg != "" {
			formProblems.Add("defer_until", msg)
		}
	}
	var err error
	if len(formProblems) == 0 {
		_, err = s.svc.Referrals.DecideReferral(r.Context(), r.PathValue("id"), f.Version, d)
		if err == nil {
			http.Redirect(w, r, "/referrals/"+r.PathValue("id")+"?done="+f.To, http.StatusSeeOther)
			return
		}
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
	}
	errs := formErrors(formProblems, err)
	if len(errs) == 0 && err != nil {
		errs = []linkwork.FieldError{{Field: "decision", Message: linkwork.ErrorMessage(err)}}
	}
	s.showReferral(w, r, ErrorStatus(firstErr(err, formProblems.Err())), &referralPage{Layout: Layout{Errors: errs}, Decision: f})
}

// riskReviewSubmit records a decision on a referral's possible risk.
func (s *Server) riskReviewSubmit(w http.ResponseWriter, r *http.Request) {
	f := riskForm{Outcome: r.PostFormValue("risk_outcome"), Note: strings.TrimSpace(r.PostFormValue("risk_note"))}
	version, _ := parseInt(r.PostFormValue("version"))
	_, err := s.svc.Referrals.ReviewRisk(r.Context(), r.PathValue("id"), version, linkwork.RiskReview{Outcome: linkwork.RiskState(f.Outcome), Note: f.Note})
	if err == nil {
		http.Redirect(w, r, "/referrals/"+r.PathValue("id")+"?done=risk", http.StatusSeeOther)
		return
	}
	if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
		s.fail(w, r, false, err)
		return
	}
	errs := linkwork.ErrorFields(err)
	if len(errs) == 0 {
		errs = []linkwork.FieldError{{Field: "risk_outcome", Message: linkwork.ErrorMessage(err)}}
	}
	s.showReferral(w, r, ErrorStatus(err), &referralPage{Layout: Layout{Errors: errs}, Risk: f})
}

// riskForm is what the decision on a possible risk sent, kept as typed.
type riskForm struct{ Outcome, Note string }

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

func (s *Server) duplicateSubmit(w http.ResponseWriter, r *http.Request) {
	var problems linkwork.Problems
	version, err := parseInt(r.PostFormValue("version"))
	if err != nil || version < 1 {
		problems.Add("version", "The form lost which version of the referral it showed: open the referral again")
	}
	answer := r.PostFormValue("same")
	if answer != "yes" && answer != "no" {
		problems.Add("same", "Choose whether they are the same person or different people")
	}
	same := answer == "yes"
	if err := problems.Err(); err != nil {
		s.showReferral(w, r, http.StatusUnprocessableEntity, &referralPage{Layout: Layout{Errors: linkwork.ErrorFields(err)}})
		return
	}
	if _, err := s.svc.Triage.ResolveDuplicate(r.Context(), r.PathValue("id"), version, same); err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		s.showReferral(w, r, ErrorStatus(err), &referralPage{Layout: Layout{Errors: []linkwork.FieldError{{Field: "possible_duplicate_of", Message: linkwork.ErrorMessage(err)}}}})
		return
	}
	http.Redirect(w, r, "/referrals/"+r.PathValue("id")+"?done="+map[bool]string{true: "same", false: "different"}[same], http.StatusSeeOther)
}

type waitingListPage struct {
	Layout
	List  *linkwork.WaitingList
	Pager pager
	// Allocating from the list (case_allocation.go).
	Allocation waitingAllocation
}

func (s *Server) waitingListPage(w http.ResponseWriter, r *http.Request) {
	pg := pageNumber(r.URL.Query().Get("page"))
	list, err := s.svc.Triage.WaitingList(r.Context(), (pg-1)*listSize, listSize)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &waitingListPage{Layout: Layout{Title: "Waiting list"}, List: list}
	p.Pager = newPager(pg, listSize, list.Total, func(n int) string { return "/waiting-list?page=" + strconv.Itoa(n) })
	if err := s.loadWaitingAllocation(r, p); err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, http.StatusOK, "waiting", p)
}

type notificationsPage struct {
	Layout
	Notifications []*linkwork.Notification
	Unread        int
	Pager         pager
}

func (s *Server) notificationsPage(w http.ResponseWriter, r *http.Request) {
	pg := pageNumber(r.URL.Query().Get("page"))
	list, total, unread, err := s.svc.Notifications.FindNotifications(r.Context(), false, (pg-1)*listSize, listSize)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &notificationsPage{Layout: Layout{Title: "Messages"}, Notifications: list, Unread: unread}
	p.Pager = newPager(pg, listSize, total, func(n int) string { return "/notifications?page=" + strconv.Itoa(n) })
	s.render(w, r, http.StatusOK, "notifications", p)
}

func (s *Server) notificationReadSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Notifications.MarkNotificationRead(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, false, err)
		return
	}
	next := r.PostFormValue("next")
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		next = "/notifications"
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// settingsForm is the service settings form as typed.
type settingsForm struct {
	MinAge, MaxAge, Areas, Red, Amber, Green, CrisisAdvice, Contact string
	RecheckMonths, RiskPhrases                                      string
	Pathways, Practices                                             []string
	Version                                                         int
	Casework                                                        caseworkForm
	Measures                                                        measuresForm
}

func settingsFormOf(st *linkwork.ServiceSettings) settingsForm {
	f := settingsForm{Areas: strings.Join(st.Areas, ", "), Red: strings.Join(st.Red, "\n"), Amber: strings.Join(st.Amber, "\n"), Green: strings.Join(st.Green, "\n"),
		CrisisAdvice: st.CrisisAdvice, Contact: st.Contact, Practices: st.PracticeIDs, Version: st.Version,
		RecheckMonths: strconv.Itoa(st.ListingRecheckMonths), RiskPhrases: strings.Join(st.ExtraRiskPhrases, "\n"), Casework: caseworkFormOf(st.Casework), Measures: measuresFormOf(st.Measures)}
	if st.MinAge > 0 {
		f.MinAge = strconv.Itoa(st.MinAge)
	}
	if st.MaxAge > 0 {
		f.MaxAge = strconv.Itoa(st.MaxAge)
	}
	for _, p := range st.Pathways {
		f.Pathways = append(f.Pathways, string(p))
	}
	return f
}

type settingsPage struct {
	Layout
	Settings           *linkwork.ServiceSettings
	DefaultRiskPhrases []string
	Form               settingsForm
	Pathways           []option
	Practices          []option
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.Triage.ServiceSettings(r.Context(), currentUser(r).OrgID)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &settingsPage{Layout: Layout{Title: "Service settings"}, Settings: st, Form: settingsFormOf(st)}
	if r.URL.Query().Get("done") == "saved" {
		p.Notice = "Settings saved"
	}
	s.showSettings(w, r, http.StatusOK, p)
}

func (s *Server) showSettings(w http.ResponseWriter, r *http.Request, status int, p *settingsPage) {
	p.DefaultRiskPhrases = linkwork.DefaultRiskPhrases
	for _, pw := range linkwork.Pathways {
		p.Pathways = append(p.Pathways, option{Value: string(pw), Label: pw.Label()})
	}
	practices, _, err := s.svc.Organisations.FindOrganisations(r.Context(), linkwork.OrganisationFilter{Kind: linkwork.OrgGPPractice, Limit: 1000})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	for _, o := range practices {
		p.Practices = append(p.Practices, option{Value: o.ID, Label: o.Name})
	}
	s.render(w, r, status, "settings", p)
}

func (s *Server) settingsSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, false, linkwork.Errorf(linkwork.EINVALID, "The form could not be read"))
		return
	}
	f := settingsForm{MinAge: strings.TrimSpace(r.PostFormValue("min_age")), MaxAge: strings.TrimSpace(r.PostFormValue("max_age")), Areas: r.PostFormValue("areas"),
		Red: r.PostFormValue("red"), Amber: r.PostFormValue("amber"), Green: r.PostFormValue("green"), CrisisAdvice: r.PostFormValue("crisis_advice"),
		Contact: r.PostFormValue("contact"), Pathways: r.PostForm["pathways"], Practices: r.PostForm["practice_ids"],
		RecheckMonths: strings.TrimSpace(r.PostFormValue("listing_recheck_months")), RiskPhrases: r.PostFormValue("risk_phrases")}
	f.Version, _ = parseInt(r.PostFormValue("version"))
	st := &linkwork.ServiceSettings{ServiceOrgID: currentUser(r).OrgID, Version: f.Version, CrisisAdvice: strings.TrimSpace(f.CrisisAdvice), Contact: strings.TrimSpace(f.Contact),
		Red: strings.Split(f.Red, "\n"), Amber: strings.Split(f.Amber, "\n"), Green: strings.Split(f.Green, "\n"), PracticeIDs: f.Practices,
		ExtraRiskPhrases: strings.Split(f.RiskPhrases, "\n")}
	var pr linkwork.Problems
	f.Casework, st.Casework = parseCaseworkForm(r, &pr)
	f.Measures, st.Measures = parseMeasuresForm(r)
	// Left blank, listings are checked as often as Open Referral UK
	// advises.
	st.ListingRecheckMonths = linkwork.RecheckMonths
	if f.RecheckMonths != "" {
		n, err := parseInt(f.RecheckMonths)
		if err != nil {
			pr.Add("listing_recheck_months", "Enter the months as a whole number, like 3")
		} else {
			st.ListingRecheckMonths = n
		}
	}
	for _, a := range []struct {
		name, v string
		dst     *int
	}{{"min_age", f.MinAge, &st.MinAge}, {"max_age", f.MaxAge, &st.MaxAge}} {
		if a.v == "" {
			continue
		}
		n, err := parseInt(a.v)
		if err != nil {
			pr.Add(a.name, "Enter the age as a whole number, like 13")
			continue
		}
		*a.dst = n
	}
	for _, a := range strings.FieldsFunc(f.Areas, func(r rune) bool { return r == ',' || r == '\n' || r == ';' }) {
		if a = strings.TrimSpace(a); a != "" {
			st.Areas = append(st.Areas, a)
		}
	}
	for _, pw := range f.Pathways {
		st.Pathways = append(st.Pathways, linkwork.Pathway(pw))
	}
	var err error
	if len(pr) == 0 {
		if err = s.svc.Triage.SaveServiceSettings(r.Context(), st); err == nil {
			http.Redirect(w, r, "/admin/service?done=saved", http.StatusSeeOther)
			return
		}
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
	} else {
		err = st.Validate()
	}
	errs := measureFormErrors(st.Measures, formErrors(pr, err))
	if len(errs) == 0 && err != nil {
		errs = []linkwork.FieldError{{Field: "version", Message: linkwork.ErrorMessage(err)}}
	}
	p := &settingsPage{Layout: Layout{Title: "Service settings", Errors: errs}, Settings: st, Form: f}
	s.showSettings(w, r, ErrorStatus(firstErr(err, pr.Err())), p)
}
