package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// casePersonArea is the case page's area for knowing the person: how to
// contact them safely, pronouns, language and access needs, what matters
// to them and their needs, the team around them, parents and carers,
// capacity (Gillick) decisions and where they and their parents differ.
type casePersonArea struct {
	Record *linkwork.PersonRecord
	Needs  []linkwork.CaseNeed
	// CanEdit: the reader may change the person's record (the policy's
	// person update).
	CanEdit bool
	// Under18 shows the parents and carers and the capacity decision
	// first; they are shown for anyone who has them.
	Under18 bool
	// LastChange is the latest change to the person's record.
	LastChange *linkwork.PersonChange

	// The add forms on the case page, and which one a problem reopens.
	Guardian     guardianForm
	Professional professionalForm
	Competence   competenceForm
	Difference   differenceForm
	Open         string
}

// involvementOptions are the choices of how a parent or carer is
// involved, with a record's older words when it has them.
func involvementOptions(current string) []option {
	var out []option
	for _, c := range linkwork.Involvements {
		out = append(out, option{Value: c, Label: linkwork.InvolvementLabel(c)})
	}
	if current != "" && !linkwork.ValidInvolvement(current) {
		out = append(out, option{Value: current, Label: "As recorded before: " + current})
	}
	return out
}

type guardianForm struct {
	Name, Relationship, Phone, Email, Responsibility, Involvement string
}

func (f guardianForm) guardian() *linkwork.Guardian {
	return &linkwork.Guardian{Name: f.Name, Relationship: strings.TrimSpace(f.Relationship), Phone: strings.TrimSpace(f.Phone), Email: f.Email,
		HasParentalResponsibility: f.Responsibility == "yes", Involvement: f.Involvement}
}

func guardianFormOf(g linkwork.Guardian) guardianForm {
	return guardianForm{Name: g.Name, Relationship: g.Relationship, Phone: g.Phone, Email: g.Email, Responsibility: yesNo(g.HasParentalResponsibility), Involvement: g.Involvement}
}

func readGuardianForm(r *http.Request) guardianForm {
	v := func(n string) string { return r.PostFormValue("guardian." + n) }
	return guardianForm{Name: v("name"), Relationship: v("relationship"), Phone: v("phone"), Email: v("email"), Responsibility: v("has_parental_responsibility"), Involvement: v("involvement")}
}

type professionalForm struct {
	Role, Name, Organisation, Phone, Email, Consent, Notes string
}

func (f professionalForm) professional() *linkwork.Professional {
	return &linkwork.Professional{Role: f.Role, Name: f.Name, Organisation: strings.TrimSpace(f.Organisation), Phone: strings.TrimSpace(f.Phone), Email: f.Email,
		ConsentToShare: f.Consent == "yes", Notes: strings.TrimSpace(f.Notes)}
}

func professionalFormOf(p *linkwork.Professional) professionalForm {
	return professionalForm{Role: p.Role, Name: p.Name, Organisation: p.Organisation, Phone: p.Phone, Email: p.Email, Consent: yesNo(p.ConsentToShare), Notes: p.Notes}
}

func readProfessionalForm(r *http.Request) professionalForm {
	v := func(n string) string { return r.PostFormValue("professional." + n) }
	return professionalForm{Role: v("role"), Name: v("name"), Organisation: v("organisation"), Phone: v("phone"), Email: v("email"), Consent: v("consent_to_share"), Notes: v("notes")}
}

type competenceForm struct {
	Competent string
	DecidedOn []string
	Reasoning string
}

type differenceForm struct {
	On              []string
	Differs, Agreed string
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func dateValues(d linkwork.Date) []string {
	if d.IsZero() {
		return []string{"", "", ""}
	}
	return []string{strconv.Itoa(d.Day), strconv.Itoa(int(d.Month)), strconv.Itoa(d.Year)}
}

// prefixed names a validation error's fields as the form's fields are
// named: prefix + field.
func prefixed(err error, prefix string) error {
	var e *linkwork.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]linkwork.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		f.Field = prefix + f.Field
		out.Fields[i] = f
	}
	return &out
}

func init() {
	for k, v := range map[string]string{
		"person-saved":         "The person's record is saved",
		"about-saved":          "What matters and their needs are saved",
		"guardian-added":       "The parent or carer is added",
		"guardian-saved":       "The parent or carer is saved",
		"guardian-removed":     "The parent or carer is removed",
		"professional-added":   "They are added to the team around the person",
		"professional-saved":   "The team around the person is saved",
		"professional-removed": "They are removed from the team around the person",
		"competence-recorded":  "The capacity decision is recorded",
		"difference-recorded":  "What differs and what was agreed is recorded",
	} {
		caseNotices[k] = v
	}
}

// loadCasePerson fills the case page's person area for p.Case.
func (s *Server) loadCasePerson(r *http.Request, p *casePage) error {
	a := &p.PersonArea
	var err error
	if a.Record, err = s.svc.People.FindPersonRecord(r.Context(), p.Person.ID); err != nil {
		return err
	}
	if a.Needs, err = s.svc.Cases.FindCaseNeeds(r.Context(), p.Case.ID); err != nil {
		return err
	}
	if len(a.Record.Changes) > 0 {
		a.LastChange = a.Record.Changes[0]
	}
	age := p.Person.AgeOn(p.Today)
	a.Under18 = age >= 0 && age < 18
	a.CanEdit = auth.Can(currentUser(r).Actor(), auth.ActionUpdate, auth.Record{Kind: auth.KindPerson, ServiceOrgID: p.Person.ServiceOrgID})
	if a.Competence.DecidedOn == nil {
		a.Competence.DecidedOn = dateValues(p.Today)
	}
	if a.Difference.On == nil {
		a.Difference.On = dateValues(p.Today)
	}
	return nil
}

// routesCasePerson registers the person area's pages and API routes.
func (s *Server) routesCasePerson() {
	s.handle("GET", "/cases/{id}/person", may(auth.UpdatePeople), s.personEditPage)
	s.handle("POST", "/cases/{id}/person", may(auth.UpdatePeople), s.personEditSubmit)
	s.handle("GET", "/cases/{id}/about", may(auth.WorkCases), s.caseAboutPage)
	s.handle("POST", "/cases/{id}/about", may(auth.WorkCases), s.caseAboutSubmit)
	s.handle("POST", "/cases/{id}/guardians", may(auth.UpdatePeople), s.guardianAddSubmit)
	s.handle("GET", "/cases/{id}/guardians/{gid}", may(auth.UpdatePeople), s.guardianEditPage)
	s.handle("POST", "/cases/{id}/guardians/{gid}", may(auth.UpdatePeople), s.guardianEditSubmit)
	s.handle("POST", "/cases/{id}/guardians/{gid}/remove", may(auth.UpdatePeople), s.guardianRemoveSubmit)
	s.handle("POST", "/cases/{id}/professionals", may(auth.UpdatePeople), s.professionalAddSubmit)
	s.handle("GET", "/cases/{id}/professionals/{pid}", may(auth.UpdatePeople), s.professionalEditPage)
	s.handle("POST", "/cases/{id}/professionals/{pid}", may(auth.UpdatePeople), s.professionalEditSubmit)
	s.handle("POST", "/cases/{id}/professionals/{pid}/remove", may(auth.UpdatePeople), s.professionalRemoveSubmit)
	s.handle("POST", "/cases/{id}/competence", may(auth.UpdatePeople), s.competenceSubmit)
	s.handle("POST", "/cases/{id}/differences", may(auth.UpdatePeople), s.differenceSubmit)
	s.routesCasePersonAPI()
}

// caseAndPerson reads the case named by the path and its person.
func (s *Server) caseAndPerson(r *http.Request) (*linkwork.Case, *linkwork.Person, error) {
	c, err := s.svc.Cases.FindCaseByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	p, err := s.svc.People.FindPersonByID(r.Context(), c.PersonID)
	if err != nil {
		return nil, nil, err
	}
	return c, p, nil
}

func backToCase(w http.ResponseWriter, r *http.Request, done, anchor string) {
	http.Redirect(w, r, "/cases/"+url.PathEscape(r.PathValue("id"))+"?done="+done+"#"+anchor, http.StatusSeeOther)
}

// postedVersion reads the version a form was opened at.
func postedVersion(r *http.Request) int {
	n, _ := parseInt(r.PostFormValue("version"))
	return n
}

// problemOr turns a store error into what a form shows: its fields'
// problems, or (for a stale version) the conflict on the form's version.
// ok is false for errors a form cannot show.
func problemOr(err error) (errs []linkwork.FieldError, ok bool) {
	switch linkwork.ErrorCode(err) {
	case linkwork.EINVALID:
		if fs := linkwork.ErrorFields(err); len(fs) > 0 {
			return fs, true
		}
		return []linkwork.FieldError{{Field: "version", Message: linkwork.ErrorMessage(err)}}, true
	case linkwork.ECONFLICT:
		return []linkwork.FieldError{{Field: "version", Message: linkwork.ErrorMessage(err)}}, true
	}
	return nil, false
}

// The person's record.

type personEditPage struct {
	Layout
	Case     *linkwork.Case
	Person   *linkwork.Person
	Form     personForm
	Channels []option
}

type personForm struct {
	Version                                                  int
	GivenName, FamilyName, PreferredName, Pronouns           string
	Phone, Email                                             string
	Channels                                                 []string // by preference; "" for none
	SafeToLeaveMessage, Reminders, NeedsInterpreter          string
	Via, BestTimes, Notes                                    string
	Languages, AccessibilityNeeds, SchoolOrWork, Address, PC string
}

func personFormOf(p *linkwork.Person) personForm {
	f := personForm{Version: p.Version, GivenName: p.GivenName, FamilyName: p.FamilyName, PreferredName: p.PreferredName, Pronouns: p.Pronouns,
		Phone: p.Phone, Email: p.Email, SafeToLeaveMessage: yesNo(p.Contact.SafeToLeaveMessage), Reminders: yesNo(p.Contact.Reminders),
		NeedsInterpreter: yesNo(p.NeedsInterpreter), Via: p.Contact.Via, BestTimes: p.Contact.BestTimes, Notes: p.Contact.Notes,
		Languages: p.Languages, AccessibilityNeeds: p.AccessibilityNeeds, SchoolOrWork: p.SchoolOrWork, Address: p.Address, PC: p.Postcode}
	for _, c := range p.Contact.Channels {
		f.Channels = append(f.Channels, string(c))
	}
	return f
}

// ChannelChoices are the selects for the ways to contact, in order: at
// least three, and one for each recorded.
func (f personForm) ChannelChoices() []string {
	out := append([]string{}, f.Channels...)
	for len(out) < 3 {
		out = append(out, "")
	}
	return out
}

func channelOptions() []option {
	out := []option{{Value: "", Label: "None"}}
	for _, c := range linkwork.Channels {
		out = append(out, option{Value: string(c), Label: c.Label()})
	}
	return out
}

func (s *Server) personEditPage(w http.ResponseWriter, r *http.Request) {
	c, p, err := s.caseAndPerson(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.showPersonEdit(w, r, http.StatusOK, &personEditPage{Case: c, Person: p, Form: personFormOf(p)})
}

func (s *Server) showPersonEdit(w http.ResponseWriter, r *http.Request, status int, pg *personEditPage) {
	pg.Title = "Change " + pg.Person.DisplayName() + "’s record"
	pg.Channels = channelOptions()
	s.render(w, r, status, "person_edit", pg)
}

func (s *Server) personEditSubmit(w http.ResponseWriter, r *http.Request) {
	c, cur, err := s.caseAndPerson(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	v := r.PostFormValue
	f := personForm{Version: postedVersion(r), GivenName: v("given_name"), FamilyName: v("family_name"), PreferredName: strings.TrimSpace(v("preferred_name")), Pronouns: strings.TrimSpace(v("pronouns")),
		Phone: strings.TrimSpace(v("phone")), Email: v("email"), SafeToLeaveMessage: v("contact.safe_to_leave_message"), Reminders: v("contact.reminders"),
		NeedsInterpreter: v("needs_interpreter"), Via: strings.TrimSpace(v("contact.via")), BestTimes: strings.TrimSpace(v("contact.best_times")), Notes: strings.TrimSpace(v("contact.notes")),
		Languages: strings.TrimSpace(v("languages")), AccessibilityNeeds: strings.TrimSpace(v("accessibility_needs")), SchoolOrWork: strings.TrimSpace(v("school_or_work")),
		Address: strings.TrimSpace(v("address")), PC: strings.TrimSpace(v("postcode"))}
	var pr linkwork.Problems
	seen := map[string]bool{}
	for _, ch := range r.PostForm["contact.channels"] {
		if ch == "" {
			continue
		}
		if seen[ch] {
			pr.Add("contact.channels", "Choose each way to contact them once")
			continue
		}
		seen[ch] = true
		f.Channels = append(f.Channels, ch)
	}
	// What the form does not hold (date of birth, guardians, consents,
	// competence) stays as it is.
	p := *cur
	p.Version, p.GivenName, p.FamilyName, p.PreferredName, p.Pronouns = f.Version, f.GivenName, f.FamilyName, f.PreferredName, f.Pronouns
	p.Phone, p.Email, p.Languages, p.NeedsInterpreter, p.AccessibilityNeeds = f.Phone, f.Email, f.Languages, f.NeedsInterpreter == "yes", f.AccessibilityNeeds
	p.SchoolOrWork, p.Address, p.Postcode = f.SchoolOrWork, f.Address, f.PC
	p.Contact = linkwork.ContactPreferences{SafeToLeaveMessage: f.SafeToLeaveMessage == "yes", Via: f.Via, BestTimes: f.BestTimes, Notes: f.Notes, Reminders: f.Reminders == "yes"}
	for _, ch := range f.Channels {
		p.Contact.Channels = append(p.Contact.Channels, linkwork.Channel(ch))
	}
	if len(pr) == 0 {
		if err = s.svc.People.UpdatePerson(r.Context(), &p); err == nil {
			backToCase(w, r, "person-saved", "person")
			return
		}
	} else {
		err = pr.Err()
	}
	errs, ok := problemOr(err)
	if !ok {
		s.fail(w, r, false, err)
		return
	}
	pg := &personEditPage{Layout: Layout{Errors: errs, Message: "There is a problem"}, Case: c, Person: cur, Form: f}
	s.showPersonEdit(w, r, ErrorStatus(err), pg)
}

// What matters and needs.

type caseAboutPage struct {
	Layout
	Case   *linkwork.Case
	Person *linkwork.Person
	Form   aboutForm
}

type aboutForm struct {
	Version                  int
	WhatMatters, Needs, Plan string
	PlannedSessions          string
	Domains                  []string
	Words                    map[string]string
}

// DomainChoices are the need domains with the person's words for each.
func (f aboutForm) DomainChoices() []domainChoice {
	var out []domainChoice
	for _, d := range linkwork.NeedDomains {
		out = append(out, domainChoice{Value: string(d), Label: d.Label(), Checked: containsString(f.Domains, string(d)), Words: f.Words[string(d)]})
	}
	return out
}

type domainChoice struct {
	Value, Label, Words string
	Checked             bool
}

func containsString(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func (s *Server) caseAboutPage(w http.ResponseWriter, r *http.Request) {
	c, p, err := s.caseAndPerson(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	needs, err := s.svc.Cases.FindCaseNeeds(r.Context(), c.ID)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f := aboutForm{Version: c.Version, WhatMatters: c.WhatMatters, Needs: c.Needs, Plan: c.Plan, PlannedSessions: strconv.Itoa(c.PlannedSessions), Words: map[string]string{}}
	for _, n := range needs {
		f.Domains = append(f.Domains, string(n.Domain))
		f.Words[string(n.Domain)] = n.Words
	}
	s.showCaseAbout(w, r, http.StatusOK, &caseAboutPage{Case: c, Person: p, Form: f})
}

func (s *Server) showCaseAbout(w http.ResponseWriter, r *http.Request, status int, pg *caseAboutPage) {
	pg.Title = "What matters to " + pg.Person.DisplayName()
	s.render(w, r, status, "person_about", pg)
}

func (s *Server) caseAboutSubmit(w http.ResponseWriter, r *http.Request) {
	c, p, err := s.caseAndPerson(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f := aboutForm{Version: postedVersion(r), WhatMatters: strings.TrimSpace(r.PostFormValue("what_matters")), Needs: strings.TrimSpace(r.PostFormValue("needs")),
		Plan: strings.TrimSpace(r.PostFormValue("plan")), PlannedSessions: strings.TrimSpace(r.PostFormValue("planned_sessions")), Domains: r.PostForm["need_domains"], Words: map[string]string{}}
	a := linkwork.CaseAbout{Version: f.Version, WhatMatters: f.WhatMatters, Needs: f.Needs, Plan: f.Plan}
	var pr linkwork.Problems
	if f.PlannedSessions != "" {
		if a.PlannedSessions, err = parseInt(f.PlannedSessions); err != nil {
			pr.Add("planned_sessions", "Enter the sessions planned as a whole number, like 6")
		}
	}
	for _, d := range linkwork.NeedDomains {
		words := r.PostFormValue("need_words." + string(d))
		f.Words[string(d)] = words
		if containsString(f.Domains, string(d)) {
			a.NeedDomains = append(a.NeedDomains, linkwork.CaseNeed{Domain: d, Words: words})
		}
	}
	for _, d := range f.Domains {
		if !linkwork.NeedDomain(d).Valid() {
			pr.Add("need_domains", "Choose areas of need from the list")
		}
	}
	if len(pr) == 0 {
		if _, err = s.svc.Cases.UpdateCaseAbout(r.Context(), c.ID, a); err == nil {
			backToCase(w, r, "about-saved", "what-matters")
			return
		}
	} else {
		err = pr.Err()
	}
	errs, ok := problemOr(err)
	if !ok {
		s.fail(w, r, false, err)
		return
	}
	s.showCaseAbout(w, r, ErrorStatus(err), &caseAboutPage{Layout: Layout{Errors: errs, Message: "There is a problem"}, Case: c, Person: p, Form: f})
}
