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

// Parents and carers.

// showCaseProblem re-renders the case page with an add form's problems.
func (s *Server) showCaseProblem(w http.ResponseWriter, r *http.Request, err error, fill func(*casePage)) {
	errs, ok := problemOr(err)
	if !ok {
		s.fail(w, r, false, err)
		return
	}
	p := &casePage{}
	p.Errors, p.Message = errs, "There is a problem"
	fill(p)
	s.showCase(w, r, ErrorStatus(err), p)
}

func (s *Server) guardianAddSubmit(w http.ResponseWriter, r *http.Request) {
	_, person, err := s.caseAndPerson(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f := readGuardianForm(r)
	if _, err = s.svc.People.AddGuardian(r.Context(), person.ID, postedVersion(r), f.guardian()); err == nil {
		backToCase(w, r, "guardian-added", "parents")
		return
	}
	s.showCaseProblem(w, r, prefixed(err, "guardian."), func(p *casePage) { p.PersonArea.Guardian, p.PersonArea.Open = f, "guardian" })
}

type guardianEditPage struct {
	Layout
	Case         *linkwork.Case
	Person       *linkwork.Person
	GuardianID   string
	Version      int
	Form         guardianForm
	Involvements []option
}

// caseGuardian finds a guardian of the case's person, or ENOTFOUND.
func (s *Server) caseGuardian(r *http.Request) (*linkwork.Case, *linkwork.Person, *linkwork.Guardian, error) {
	c, p, err := s.caseAndPerson(r)
	if err != nil {
		return nil, nil, nil, err
	}
	for i := range p.Guardians {
		if p.Guardians[i].ID == r.PathValue("gid") {
			return c, p, &p.Guardians[i], nil
		}
	}
	return nil, nil, nil, linkwork.Errorf(linkwork.ENOTFOUND, "Parent or carer not found")
}

func (s *Server) guardianEditPage(w http.ResponseWriter, r *http.Request) {
	c, p, g, err := s.caseGuardian(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.showGuardianEdit(w, r, http.StatusOK, &guardianEditPage{Case: c, Person: p, GuardianID: g.ID, Version: p.Version, Form: guardianFormOf(*g)}, g.Involvement)
}

func (s *Server) showGuardianEdit(w http.ResponseWriter, r *http.Request, status int, pg *guardianEditPage, was string) {
	pg.Title = "Change a parent or carer of " + pg.Person.DisplayName()
	pg.Involvements = involvementOptions(was)
	s.render(w, r, status, "person_guardian", pg)
}

func (s *Server) guardianEditSubmit(w http.ResponseWriter, r *http.Request) {
	c, p, g, err := s.caseGuardian(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f := readGuardianForm(r)
	ng := f.guardian()
	ng.ID = g.ID
	if _, err = s.svc.People.UpdateGuardian(r.Context(), postedVersion(r), ng); err == nil {
		backToCase(w, r, "guardian-saved", "parents")
		return
	}
	errs, ok := problemOr(prefixed(err, "guardian."))
	if !ok {
		s.fail(w, r, false, err)
		return
	}
	pg := &guardianEditPage{Layout: Layout{Errors: errs, Message: "There is a problem"}, Case: c, Person: p, GuardianID: g.ID, Version: postedVersion(r), Form: f}
	s.showGuardianEdit(w, r, ErrorStatus(err), pg, g.Involvement)
}

func (s *Server) guardianRemoveSubmit(w http.ResponseWriter, r *http.Request) {
	_, _, g, err := s.caseGuardian(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if _, err = s.svc.People.RemoveGuardian(r.Context(), g.ID, postedVersion(r)); err == nil {
		backToCase(w, r, "guardian-removed", "parents")
		return
	}
	s.showCaseProblem(w, r, err, func(*casePage) {})
}

// The team around the person.

func (s *Server) professionalAddSubmit(w http.ResponseWriter, r *http.Request) {
	_, person, err := s.caseAndPerson(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f := readProfessionalForm(r)
	pr := f.professional()
	pr.PersonID = person.ID
	if err = s.svc.People.AddProfessional(r.Context(), pr); err == nil {
		backToCase(w, r, "professional-added", "team")
		return
	}
	s.showCaseProblem(w, r, prefixed(err, "professional."), func(p *casePage) { p.PersonArea.Professional, p.PersonArea.Open = f, "professional" })
}

type professionalEditPage struct {
	Layout
	Case         *linkwork.Case
	Person       *linkwork.Person
	Professional *linkwork.Professional
	Version      int
	Form         professionalForm
}

func (s *Server) caseProfessional(r *http.Request) (*linkwork.Case, *linkwork.Person, *linkwork.Professional, error) {
	c, p, err := s.caseAndPerson(r)
	if err != nil {
		return nil, nil, nil, err
	}
	pr, err := s.svc.People.FindProfessional(r.Context(), r.PathValue("pid"))
	if err != nil {
		return nil, nil, nil, err
	}
	if pr.PersonID != p.ID {
		return nil, nil, nil, linkwork.Errorf(linkwork.ENOTFOUND, "Professional not found")
	}
	return c, p, pr, nil
}

func (s *Server) professionalEditPage(w http.ResponseWriter, r *http.Request) {
	c, p, pr, err := s.caseProfessional(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.showProfessionalEdit(w, r, http.StatusOK, &professionalEditPage{Case: c, Person: p, Professional: pr, Version: pr.Version, Form: professionalFormOf(pr)})
}

func (s *Server) showProfessionalEdit(w http.ResponseWriter, r *http.Request, status int, pg *professionalEditPage) {
	pg.Title = "Change the team around " + pg.Person.DisplayName()
	s.render(w, r, status, "person_professional", pg)
}

func (s *Server) professionalEditSubmit(w http.ResponseWriter, r *http.Request) {
	c, p, cur, err := s.caseProfessional(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f := readProfessionalForm(r)
	pr := f.professional()
	pr.ID, pr.PersonID, pr.Version = cur.ID, cur.PersonID, postedVersion(r)
	if err = s.svc.People.UpdateProfessional(r.Context(), pr); err == nil {
		backToCase(w, r, "professional-saved", "team")
		return
	}
	errs, ok := problemOr(prefixed(err, "professional."))
	if !ok {
		s.fail(w, r, false, err)
		return
	}
	pg := &professionalEditPage{Layout: Layout{Errors: errs, Message: "There is a problem"}, Case: c, Person: p, Professional: cur, Version: postedVersion(r), Form: f}
	s.showProfessionalEdit(w, r, ErrorStatus(err), pg)
}

func (s *Server) professionalRemoveSubmit(w http.ResponseWriter, r *http.Request) {
	_, _, pr, err := s.caseProfessional(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if err = s.svc.People.RemoveProfessional(r.Context(), pr.ID, postedVersion(r)); err == nil {
		backToCase(w, r, "professional-removed", "team")
		return
	}
	s.showCaseProblem(w, r, err, func(*casePage) {})
}

// Capacity decisions and differences.

func (s *Server) competenceSubmit(w http.ResponseWriter, r *http.Request) {
	_, person, err := s.caseAndPerson(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f := competenceForm{Competent: r.PostFormValue("competence.competent"), DecidedOn: dateParts(r, "competence.decided_on"), Reasoning: r.PostFormValue("competence.reasoning")}
	var pr linkwork.Problems
	if f.Competent != "yes" && f.Competent != "no" {
		pr.Add("competence.competent", "Choose whether they are competent to make their own decisions about their support")
	}
	on, msg := parseDateParts(f.DecidedOn, "The date of the decision")
	d := &linkwork.CompetenceDecision{PersonID: person.ID, Competent: f.Competent == "yes", DecidedOn: on, Reasoning: f.Reasoning}
	if msg != "" {
		pr.Add("competence.decided_on", msg)
	}
	if len(pr) == 0 {
		if _, err = s.svc.People.DecideCompetence(r.Context(), d); err == nil {
			backToCase(w, r, "competence-recorded", "capacity")
			return
		}
		err = prefixed(err, "competence.")
	} else {
		err = mergeProblems(pr, prefixed(d.Validate(linkwork.DateOf(s.cfg.Now().In(ukTime))), "competence."))
	}
	s.showCaseProblem(w, r, err, func(p *casePage) { p.PersonArea.Competence, p.PersonArea.Open = f, "competence" })
}

func (s *Server) differenceSubmit(w http.ResponseWriter, r *http.Request) {
	_, person, err := s.caseAndPerson(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f := differenceForm{On: dateParts(r, "difference.on"), Differs: r.PostFormValue("difference.differs"), Agreed: r.PostFormValue("difference.agreed")}
	on, msg := parseDateParts(f.On, "The date")
	d := &linkwork.Difference{PersonID: person.ID, On: on, Differs: f.Differs, Agreed: f.Agreed}
	if msg == "" {
		if err = s.svc.People.AddDifference(r.Context(), d); err == nil {
			backToCase(w, r, "difference-recorded", "differences")
			return
		}
		err = prefixed(err, "difference.")
	} else {
		var pr linkwork.Problems
		pr.Add("difference.on", msg)
		err = mergeProblems(pr, prefixed(d.Validate(linkwork.DateOf(s.cfg.Now().In(ukTime))), "difference."))
	}
	s.showCaseProblem(w, r, err, func(p *casePage) { p.PersonArea.Difference, p.PersonArea.Open = f, "difference" })
}

// guardianFields and professionalFields are the fields of the forms that
// add and change a parent or carer, or a member of the team, for the
// templates in parts/person_forms.html; Page shows their problems.
type guardianFields struct {
	Page         page
	Form         guardianForm
	Involvements []option
}

type professionalFields struct {
	Page page
	Form professionalForm
}

// GuardianFields are the case page's add form's fields.
func (p *casePage) GuardianFields() guardianFields {
	return guardianFields{Page: p, Form: p.PersonArea.Guardian, Involvements: involvementOptions("")}
}

// ProfessionalFields are the case page's add form's fields.
func (p *casePage) ProfessionalFields() professionalFields {
	return professionalFields{Page: p, Form: p.PersonArea.Professional}
}

// Fields are the edit page's form's fields.
func (p *guardianEditPage) Fields() guardianFields {
	return guardianFields{Page: p, Form: p.Form, Involvements: p.Involvements}
}

// Fields are the edit page's form's fields.
func (p *professionalEditPage) Fields() professionalFields {
	return professionalFields{Page: p, Form: p.Form}
}
