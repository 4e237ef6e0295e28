// The case page's people around the person: parents and carers, the team
// of professionals, and capacity decisions and differences of view.

package web

import (
	"net/http"

	linkwork "github.com/linkwork/linkwork"
)

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
