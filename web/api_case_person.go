package web

import (
	"net/http"
	"strconv"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// The API for knowing the person: changing their record, what matters
// and their needs on a case, parents and carers, the team around them,
// capacity decisions and differences.

func (s *Server) routesCasePersonAPI() {
	s.handle("PUT", "/api/v1/people/{id}", may(auth.UpdatePeople), s.apiUpdatePerson)
	s.handle("GET", "/api/v1/people/{id}/record", may(auth.ReadCases), s.apiPersonRecord)
	s.handle("POST", "/api/v1/people/{id}/guardians", may(auth.UpdatePeople), s.idempotent(s.apiAddGuardian))
	s.handle("PUT", "/api/v1/guardians/{id}", may(auth.UpdatePeople), s.apiUpdateGuardian)
	s.handle("DELETE", "/api/v1/guardians/{id}", may(auth.UpdatePeople), s.apiRemoveGuardian)
	s.handle("GET", "/api/v1/people/{id}/professionals", may(auth.ReadCases), s.apiListProfessionals)
	s.handle("POST", "/api/v1/people/{id}/professionals", may(auth.UpdatePeople), s.idempotent(s.apiAddProfessional))
	s.handle("PUT", "/api/v1/professionals/{id}", may(auth.UpdatePeople), s.apiUpdateProfessional)
	s.handle("DELETE", "/api/v1/professionals/{id}", may(auth.UpdatePeople), s.apiRemoveProfessional)
	s.handle("POST", "/api/v1/people/{id}/competence", may(auth.UpdatePeople), s.idempotent(s.apiDecideCompetence))
	s.handle("POST", "/api/v1/people/{id}/differences", may(auth.UpdatePeople), s.idempotent(s.apiAddDifference))
	s.handle("PUT", "/api/v1/cases/{id}", may(auth.WorkCases), s.apiUpdateCase)
	s.handle("GET", "/api/v1/cases/{id}/about", may(auth.ReadCases), s.apiCaseAbout)
}

// personUpdateIn is the body of PUT /people/{id}: the record's fields as
// GET /people/{id} names them, all of them (a field left out is emptied),
// and the version read. Parents and carers, consents and capacity
// decisions have their own routes.
type personUpdateIn struct {
	GivenName          string           `json:"given_name"`
	FamilyName         string           `json:"family_name"`
	PreferredName      string           `json:"preferred_name"`
	Pronouns           string           `json:"pronouns"`
	DateOfBirth        string           `json:"date_of_birth"`
	Gender             string           `json:"gender"`
	Ethnicity          string           `json:"ethnicity"`
	Address            string           `json:"address"`
	Postcode           string           `json:"postcode"`
	Phone              string           `json:"phone"`
	Email              string           `json:"email"`
	Contact            contactPrefsJSON `json:"contact"`
	SchoolOrWork       string           `json:"school_or_work"`
	Languages          string           `json:"languages"`
	NeedsInterpreter   bool             `json:"needs_interpreter"`
	AccessibilityNeeds string           `json:"accessibility_needs"`
	Version            int              `json:"version"`
}

func needVersion(p *linkwork.Problems, v int, what string) {
	if v < 1 {
		p.Add("version", "Send the version of the "+what+" you read, so that a change to a changed record is refused")
	}
}

func (s *Server) apiUpdatePerson(w http.ResponseWriter, r *http.Request) {
	var in personUpdateIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	cur, err := s.svc.People.FindPersonByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	var pr linkwork.Problems
	needVersion(&pr, in.Version, "person's record")
	p := *cur
	p.GivenName, p.FamilyName, p.PreferredName, p.Pronouns = in.GivenName, in.FamilyName, in.PreferredName, in.Pronouns
	p.DateOfBirth = parseDateField(&pr, "date_of_birth", in.DateOfBirth)
	p.Gender, p.Ethnicity, p.Address, p.Postcode, p.Phone, p.Email = in.Gender, in.Ethnicity, in.Address, in.Postcode, in.Phone, in.Email
	p.Contact = linkwork.ContactPreferences{Channels: in.Contact.Channels, SafeToLeaveMessage: in.Contact.SafeToLeaveMessage, Via: in.Contact.Via,
		BestTimes: in.Contact.BestTimes, Notes: in.Contact.Notes, Reminders: in.Contact.Reminders}
	p.SchoolOrWork, p.Languages, p.NeedsInterpreter, p.AccessibilityNeeds, p.Version = in.SchoolOrWork, in.Languages, in.NeedsInterpreter, in.AccessibilityNeeds, in.Version
	if len(pr) > 0 {
		s.fail(w, r, true, mergeProblems(pr, p.Validate(linkwork.DateOf(s.cfg.Now().In(ukTime)))))
		return
	}
	if err := s.svc.People.UpdatePerson(r.Context(), &p); err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.writePerson(w, r, p.ID)
}

// writePerson answers with the person as saved.
func (s *Server) writePerson(w http.ResponseWriter, r *http.Request, id string) {
	s.writePersonStatus(w, r, id, http.StatusOK)
}

type professionalJSON struct {
	ID             string    `json:"id"`
	PersonID       string    `json:"person_id"`
	Role           string    `json:"role"`
	Name           string    `json:"name,omitempty"`
	Organisation   string    `json:"organisation,omitempty"`
	Phone          string    `json:"phone,omitempty"`
	Email          string    `json:"email,omitempty"`
	ConsentToShare bool      `json:"consent_to_share"`
	Notes          string    `json:"notes,omitempty"`
	Version        int       `json:"version"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
}

func professionalOut(p *linkwork.Professional) professionalJSON {
	return professionalJSON{ID: p.ID, PersonID: p.PersonID, Role: p.Role, Name: p.Name, Organisation: p.Organisation, Phone: p.Phone, Email: p.Email,
		ConsentToShare: p.ConsentToShare, Notes: p.Notes, Version: p.Version, CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
}

type professionalIn struct {
	Role           string `json:"role"`
	Name           string `json:"name"`
	Organisation   string `json:"organisation"`
	Phone          string `json:"phone"`
	Email          string `json:"email"`
	ConsentToShare bool   `json:"consent_to_share"`
	Notes          string `json:"notes"`
	Version        int    `json:"version,omitempty"`
}

func (in professionalIn) professional() *linkwork.Professional {
	return &linkwork.Professional{Role: in.Role, Name: in.Name, Organisation: in.Organisation, Phone: in.Phone, Email: in.Email, ConsentToShare: in.ConsentToShare, Notes: in.Notes, Version: in.Version}
}

type competenceJSON struct {
	ID        string    `json:"id"`
	PersonID  string    `json:"person_id"`
	Competent bool      `json:"competent"`
	DecidedOn string    `json:"decided_on"`
	Reasoning string    `json:"reasoning"`
	ByUserID  string    `json:"by_user_id"`
	ByName    string    `json:"by_name,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

func competenceOut(d *linkwork.CompetenceDecision) competenceJSON {
	return competenceJSON{ID: d.ID, PersonID: d.PersonID, Competent: d.Competent, DecidedOn: d.DecidedOn.String(), Reasoning: d.Reasoning, ByUserID: d.ByUserID, ByName: d.ByName, CreatedAt: d.CreatedAt}
}

type competenceIn struct {
	Competent *bool  `json:"competent"`
	DecidedOn string `json:"decided_on"`
	Reasoning string `json:"reasoning"`
}

type differenceJSON struct {
	ID        string    `json:"id"`
	PersonID  string    `json:"person_id"`
	On        string    `json:"on"`
	Differs   string    `json:"differs"`
	Agreed    string    `json:"agreed"`
	ByUserID  string    `json:"by_user_id"`
	ByName    string    `json:"by_name,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

func differenceOut(d *linkwork.Difference) differenceJSON {
	return differenceJSON{ID: d.ID, PersonID: d.PersonID, On: d.On.String(), Differs: d.Differs, Agreed: d.Agreed, ByUserID: d.ByUserID, ByName: d.ByName, CreatedAt: d.CreatedAt}
}

type differenceIn struct {
	On      string `json:"on"`
	Differs string `json:"differs"`
	Agreed  string `json:"agreed"`
}

type personChangeJSON struct {
	Version  int       `json:"version"`
	What     string    `json:"what"`
	At       time.Time `json:"at"`
	ByUserID string    `json:"by_user_id,omitempty"`
	ByName   string    `json:"by_name,omitempty"`
}

type personRecordJSON struct {
	Professionals []professionalJSON `json:"professionals"`
	Competence    []competenceJSON   `json:"competence"`
	Differences   []differenceJSON   `json:"differences"`
	Changes       []personChangeJSON `json:"changes"`
}

func (s *Server) apiPersonRecord(w http.ResponseWriter, r *http.Request) {
	rec, err := s.svc.People.FindPersonRecord(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := personRecordJSON{Professionals: mapSlice(rec.Professionals, professionalOut), Competence: mapSlice(rec.Competence, competenceOut),
		Differences: mapSlice(rec.Differences, differenceOut), Changes: []personChangeJSON{}}
	for _, c := range rec.Changes {
		out.Changes = append(out.Changes, personChangeJSON{Version: c.Version, What: c.What, At: c.At, ByUserID: c.ByUserID, ByName: c.ByName})
	}
	writeJSON(w, http.StatusOK, out)
}

// guardianIn is a parent or carer added or changed, with the version of
// their person's record.
type guardianIn struct {
	Name                      string `json:"name"`
	Relationship              string `json:"relationship"`
	Phone                     string `json:"phone"`
	Email                     string `json:"email"`
	HasParentalResponsibility bool   `json:"has_parental_responsibility"`
	Involvement               string `json:"involvement"`
	Version                   int    `json:"version"`
}

func (in guardianIn) guardian() *linkwork.Guardian {
	return &linkwork.Guardian{Name: in.Name, Relationship: in.Relationship, Phone: in.Phone, Email: in.Email, HasParentalResponsibility: in.HasParentalResponsibility, Involvement: in.Involvement}
}

func (s *Server) apiAddGuardian(w http.ResponseWriter, r *http.Request) {
	var in guardianIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var pr linkwork.Problems
	needVersion(&pr, in.Version, "person's record")
	if len(pr) > 0 {
		s.fail(w, r, true, pr.Err())
		return
	}
	p, err := s.svc.People.AddGuardian(r.Context(), r.PathValue("id"), in.Version, in.guardian())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.writePersonStatus(w, r, p.ID, http.StatusCreated)
}

func (s *Server) writePersonStatus(w http.ResponseWriter, r *http.Request, id string, status int) {
	saved, err := s.svc.People.FindPersonByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, status, personOut(saved))
}

func (s *Server) apiUpdateGuardian(w http.ResponseWriter, r *http.Request) {
	var in guardianIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var pr linkwork.Problems
	needVersion(&pr, in.Version, "person's record")
	if len(pr) > 0 {
		s.fail(w, r, true, pr.Err())
		return
	}
	g := in.guardian()
	g.ID = r.PathValue("id")
	p, err := s.svc.People.UpdateGuardian(r.Context(), in.Version, g)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.writePerson(w, r, p.ID)
}

// queryVersion reads the version query parameter of a DELETE.
func queryVersion(r *http.Request, what string) (int, error) {
	v, err := strconv.Atoi(r.URL.Query().Get("version"))
	if err != nil || v < 1 {
		var pr linkwork.Problems
		pr.Add("version", "Send the version of the "+what+" you read, as ?version=")
		return 0, pr.Err()
	}
	return v, nil
}

func (s *Server) apiRemoveGuardian(w http.ResponseWriter, r *http.Request) {
	v, err := queryVersion(r, "person's record")
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	p, err := s.svc.People.RemoveGuardian(r.Context(), r.PathValue("id"), v)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.writePerson(w, r, p.ID)
}

func (s *Server) apiListProfessionals(w http.ResponseWriter, r *http.Request) {
	rec, err := s.svc.People.FindPersonRecord(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, professionalListJSON{Items: mapSlice(rec.Professionals, professionalOut)})
}

type professionalListJSON struct {
	Items []professionalJSON `json:"items"`
}

func (s *Server) apiAddProfessional(w http.ResponseWriter, r *http.Request) {
	var in professionalIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	p := in.professional()
	p.PersonID, p.Version = r.PathValue("id"), 0
	if err := s.svc.People.AddProfessional(r.Context(), p); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusCreated, professionalOut(p))
}

func (s *Server) apiUpdateProfessional(w http.ResponseWriter, r *http.Request) {
	var in professionalIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var pr linkwork.Problems
	needVersion(&pr, in.Version, "professional")
	if len(pr) > 0 {
		s.fail(w, r, true, pr.Err())
		return
	}
	p := in.professional()
	p.ID = r.PathValue("id")
	if err := s.svc.People.UpdateProfessional(r.Context(), p); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, professionalOut(p))
}

func (s *Server) apiRemoveProfessional(w http.ResponseWriter, r *http.Request) {
	v, err := queryVersion(r, "professional")
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.svc.People.RemoveProfessional(r.Context(), r.PathValue("id"), v); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiDecideCompetence(w http.ResponseWriter, r *http.Request) {
	var in competenceIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var pr linkwork.Problems
	if in.Competent == nil {
		pr.Add("competent", "Say whether they are competent: true or false")
	}
	d := &linkwork.CompetenceDecision{PersonID: r.PathValue("id"), DecidedOn: parseDateField(&pr, "decided_on", in.DecidedOn), Reasoning: in.Reasoning}
	if in.Competent != nil {
		d.Competent = *in.Competent
	}
	if len(pr) > 0 {
		s.fail(w, r, true, mergeProblems(pr, d.Validate(linkwork.DateOf(s.cfg.Now().In(ukTime)))))
		return
	}
	if _, err := s.svc.People.DecideCompetence(r.Context(), d); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusCreated, competenceOut(d))
}

func (s *Server) apiAddDifference(w http.ResponseWriter, r *http.Request) {
	var in differenceIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var pr linkwork.Problems
	d := &linkwork.Difference{PersonID: r.PathValue("id"), On: parseDateField(&pr, "on", in.On), Differs: in.Differs, Agreed: in.Agreed}
	if len(pr) > 0 {
		s.fail(w, r, true, mergeProblems(pr, d.Validate(linkwork.DateOf(s.cfg.Now().In(ukTime)))))
		return
	}
	if err := s.svc.People.AddDifference(r.Context(), d); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusCreated, differenceOut(d))
}

type needJSON struct {
	Domain linkwork.NeedDomain `json:"domain"`
	Words  string              `json:"words,omitempty"`
}

// caseUpdateIn is the body of PUT /cases/{id}.
type caseUpdateIn struct {
	Version         int                   `json:"version"`
	WhatMatters     string                `json:"what_matters"`
	Needs           string                `json:"needs"`
	NeedDomains     []linkwork.NeedDomain `json:"need_domains"`
	NeedWords       map[string]string     `json:"need_words"`
	Plan            string                `json:"plan"`
	PlannedSessions int                   `json:"planned_sessions"`
}

type caseAboutJSON struct {
	Case        caseJSON   `json:"case"`
	NeedDomains []needJSON `json:"need_domains"`
}

func (s *Server) apiUpdateCase(w http.ResponseWriter, r *http.Request) {
	var in caseUpdateIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var pr linkwork.Problems
	needVersion(&pr, in.Version, "case")
	a := linkwork.CaseAbout{Version: in.Version, WhatMatters: in.WhatMatters, Needs: in.Needs, Plan: in.Plan, PlannedSessions: in.PlannedSessions}
	for _, d := range in.NeedDomains {
		a.NeedDomains = append(a.NeedDomains, linkwork.CaseNeed{Domain: d, Words: in.NeedWords[string(d)]})
	}
	for d := range in.NeedWords {
		if !containsString(needStrings(in.NeedDomains), d) {
			pr.Addf("need_words", "%q has words but is not one of need_domains", d)
		}
	}
	if len(pr) > 0 {
		s.fail(w, r, true, mergeProblems(pr, a.Validate()))
		return
	}
	c, err := s.svc.Cases.UpdateCaseAbout(r.Context(), r.PathValue("id"), a)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.writeCaseAbout(w, r, c.ID)
}

func needStrings(ds []linkwork.NeedDomain) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = string(d)
	}
	return out
}

func (s *Server) apiCaseAbout(w http.ResponseWriter, r *http.Request) {
	s.writeCaseAbout(w, r, r.PathValue("id"))
}

func (s *Server) writeCaseAbout(w http.ResponseWriter, r *http.Request, id string) {
	c, err := s.svc.Cases.FindCaseByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	needs, err := s.svc.Cases.FindCaseNeeds(r.Context(), id)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := caseAboutJSON{Case: caseOut(c), NeedDomains: []needJSON{}}
	for _, n := range needs {
		out.NeedDomains = append(out.NeedDomains, needJSON{Domain: n.Domain, Words: n.Words})
	}
	writeJSON(w, http.StatusOK, out)
}
