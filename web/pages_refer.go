package web

import (
	"context"
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// referralForm is what a referral form sends, kept as typed so that a form
// with problems comes back exactly as it was sent: nothing typed is lost.
type referralForm struct {
	ServiceOrgID string
	Pathway      string
	Mode         string
	Streetlight  string

	GivenName, FamilyName, PreferredName, Pronouns string
	DOB                                            []string
	Postcode, Phone, Email, Address, SchoolOrWork  string
	Channels                                       []string
	SafeToLeaveMessage                             string
	ContactNotes, Via                              string

	GuardianName, GuardianRelationship, GuardianPhone, GuardianEmail string
	GuardianResponsibility                                           bool

	Reasons, WhatTheyWant, Risks, YearGroup  string
	ReferrerName, ReferrerRole, ReferrerCont string
	GPPracticeOrgID                          string
	PersonAware                              string
	ConsentReferral, ConsentSharing          bool
	SafeNow, HarmThoughts                    string
}

func readReferralForm(r *http.Request) referralForm {
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	return referralForm{
		ServiceOrgID: v("service_org_id"), Pathway: v("pathway"), Mode: v("mode"), Streetlight: v("streetlight"),
		GivenName: v("person.given_name"), FamilyName: v("person.family_name"), PreferredName: v("person.preferred_name"), Pronouns: v("person.pronouns"),
		DOB:      dateParts(r, "person.date_of_birth"),
		Postcode: v("person.postcode"), Phone: v("person.phone"), Email: v("person.email"), Address: v("person.address"), SchoolOrWork: v("person.school_or_work"),
		Channels: r.PostForm["person.contact.channels"], SafeToLeaveMessage: v("person.contact.safe_to_leave_message"),
		ContactNotes: v("person.contact.notes"), Via: v("person.contact.via"),
		GuardianName: v("guardian.name"), GuardianRelationship: v("guardian.relationship"), GuardianPhone: v("guardian.phone"), GuardianEmail: v("guardian.email"),
		GuardianResponsibility: v("guardian.parental_responsibility") == "yes",
		Reasons:                v("reasons"), WhatTheyWant: v("what_they_want"), Risks: v("risks"), YearGroup: v("year_group"),
		ReferrerName: v("referrer_name"), ReferrerRole: v("referrer_role"), ReferrerCont: v("referrer_contact"),
		GPPracticeOrgID: v("gp_practice_org_id"), PersonAware: v("person_aware"),
		ConsentReferral: v("consent_referral") == "yes", ConsentSharing: v("consent_sharing") == "yes",
		SafeNow: v("safe_now"), HarmThoughts: v("harm_thoughts"),
	}
}

// build turns the form into a referral and its person, with any problem
// the form itself can find (a date that is not a date).
func (f referralForm) build() (*linkwork.Referral, *linkwork.Person, linkwork.Problems) {
	var pr linkwork.Problems
	dob, msg := parseDateParts(f.DOB, "Date of birth")
	if msg != "" {
		pr.Add("person.date_of_birth", msg)
	}
	p := &linkwork.Person{
		GivenName: f.GivenName, FamilyName: f.FamilyName, PreferredName: f.PreferredName, Pronouns: f.Pronouns, DateOfBirth: dob,
		Postcode: f.Postcode, Phone: f.Phone, Email: f.Email, Address: f.Address, SchoolOrWork: f.SchoolOrWork,
		Contact: linkwork.ContactPreferences{SafeToLeaveMessage: f.SafeToLeaveMessage == "yes", Notes: f.ContactNotes, Via: f.Via},
	}
	for _, c := range f.Channels {
		p.Contact.Channels = append(p.Contact.Channels, linkwork.Channel(c))
	}
	if f.GuardianName != "" || f.GuardianPhone != "" || f.GuardianEmail != "" || f.GuardianRelationship != "" {
		p.Guardians = []linkwork.Guardian{{Name: f.GuardianName, Relationship: f.GuardianRelationship, Phone: f.GuardianPhone, Email: f.GuardianEmail,
			HasParentalResponsibility: f.GuardianResponsibility, Involvement: linkwork.InvolvementInformed}}
	}
	ref := &linkwork.Referral{
		ServiceOrgID: f.ServiceOrgID, Pathway: linkwork.Pathway(f.Pathway), Mode: linkwork.ReferralMode(f.Mode), Streetlight: linkwork.Streetlight(f.Streetlight),
		Reasons: f.Reasons, WhatTheyWant: f.WhatTheyWant, Risks: f.Risks, YearGroup: f.YearGroup,
		ReferrerName: f.ReferrerName, ReferrerRole: f.ReferrerRole, ReferrerContact: f.ReferrerCont, GPPracticeOrgID: f.GPPracticeOrgID,
		PersonAware: f.personAware(), ConsentReferral: f.ConsentReferral, ConsentSharing: f.ConsentSharing,
		SafeNow: linkwork.Answer(f.SafeNow), HarmThoughts: linkwork.Answer(f.HarmThoughts),
	}
	return ref, p, pr
}

// personAware is the form's answer to whether the person knows about the
// referral: nil when it was not answered.
func (f referralForm) personAware() *bool {
	if f.PersonAware == "" {
		return nil
	}
	return new(f.PersonAware == "yes")
}

// formErrors puts the form's own problems before the service's, each
// field once.
func formErrors(form linkwork.Problems, err error) []linkwork.FieldError {
	// The referral forms ask for one parent or carer, by these names.
	err = renameFields(err, map[string]string{"person.guardians": "guardian.name", "person.guardians[0].name": "guardian.name",
		"person.guardians[0].relationship": "guardian.relationship", "person.guardians[0].phone": "guardian.phone", "person.guardians[0].email": "guardian.email"})
	return linkwork.ErrorFields(mergeProblems(form, err))
}

// referralNewPage is the signed-in referral form: a referrer's, with the
// fields their pathway needs, or staff recording a walk-in or a call.
type referralNewPage struct {
	Layout
	Form      referralForm
	Staff     bool
	OrgName   string
	Pathways  []option
	Services  []option
	Practices []option
	Settings  *linkwork.ServiceSettings
}

func (s *Server) referralNewPage(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	p := &referralNewPage{Layout: Layout{Title: "Make a referral"}}
	p.Form.Mode = string(linkwork.ModeReferral)
	if u.Role != linkwork.RoleReferrer {
		p.Form.Pathway = string(linkwork.PathwayHub)
		p.Form.Mode = string(linkwork.ModeSelfReferral)
	}
	s.showReferralForm(w, r, http.StatusOK, p)
}

func (s *Server) showReferralForm(w http.ResponseWriter, r *http.Request, status int, p *referralNewPage) {
	ctx := r.Context()
	u := currentUser(r)
	p.Staff = u.Role != linkwork.RoleReferrer
	org, err := s.svc.Organisations.FindOrganisationByID(ctx, u.OrgID)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.OrgName = org.Name
	if p.Staff {
		p.Title = "Record a referral"
		if p.Form.ServiceOrgID == "" {
			p.Form.ServiceOrgID = u.OrgID
		}
		for _, pw := range linkwork.Pathways {
			if pw != linkwork.PathwaySelf {
				p.Pathways = append(p.Pathways, option{Value: string(pw), Label: pw.Label()})
			}
		}
	} else {
		p.Form.Pathway = string(linkwork.PathwayFor(org.Kind))
		if p.Form.Pathway == string(linkwork.PathwaySchool) && p.Form.SchoolOrWork == "" {
			p.Form.SchoolOrWork = org.Name
		}
	}
	services, err := s.svc.Triage.Services(ctx)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	for _, sv := range services {
		p.Services = append(p.Services, option{Value: sv.ServiceOrgID, Label: sv.ServiceName})
		if sv.ServiceOrgID == p.Form.ServiceOrgID || (p.Form.ServiceOrgID == "" && len(services) == 1) {
			p.Settings = sv
			p.Form.ServiceOrgID = sv.ServiceOrgID
		}
	}
	if p.Settings == nil && len(services) > 0 {
		p.Settings = services[0]
	}
	practices, _, err := s.svc.Organisations.FindOrganisations(ctx, linkwork.OrganisationFilter{Kind: linkwork.OrgGPPractice, Limit: 1000})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Practices = []option{{Value: "", Label: "Not known"}}
	for _, o := range practices {
		p.Practices = append(p.Practices, option{Value: o.ID, Label: o.Name})
	}
	s.render(w, r, status, "referral_new", p)
}

// onlyService returns the one social prescribing service when there is
// exactly one, so that forms need not ask.
func (s *Server) onlyService(ctx context.Context) (string, error) {
	list, err := s.svc.Triage.Services(ctx)
	if err != nil || len(list) != 1 {
		return "", err
	}
	return list[0].ServiceOrgID, nil
}

func (s *Server) referralNewSubmit(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	f := readReferralForm(r)
	if f.ServiceOrgID == "" {
		only, err := s.onlyService(r.Context())
		if err != nil {
			s.fail(w, r, false, err)
			return
		}
		f.ServiceOrgID = only
	}
	if f.Pathway == "" && u.Role == linkwork.RoleReferrer {
		// The form's hidden pathway is the organisation's; the service
		// holds a referrer to it whatever is sent.
		org, err := s.svc.Organisations.FindOrganisationByID(r.Context(), u.OrgID)
		if err != nil {
			s.fail(w, r, false, err)
			return
		}
		f.Pathway = string(linkwork.PathwayFor(org.Kind))
	}
	ref, person, formProblems := f.build()
	// The account says which organisation refers, as the service takes it
	// (referrers from their own; staff for their service): the form never
	// asks.
	ref.ReferrerOrgID = u.OrgID
	var err error
	if len(formProblems) == 0 {
		err = s.svc.Referrals.CreateReferral(r.Context(), ref, person)
		if err == nil {
			http.Redirect(w, r, "/referrals/"+ref.ID+"?done=sent", http.StatusSeeOther)
			return
		}
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
	} else {
		err = s.validateOnly(ref, person)
	}
	p := &referralNewPage{Layout: Layout{Title: "Make a referral", Errors: formErrors(formProblems, err)}, Form: f}
	s.showReferralForm(w, r, http.StatusUnprocessableEntity, p)
}

// validateOnly runs the domain's checks on a referral the form could not
// send, so that every problem is shown at once.
func (s *Server) validateOnly(ref *linkwork.Referral, person *linkwork.Person) error {
	return linkwork.ValidateNewReferral(ref, person, linkwork.DateOf(s.cfg.Now().In(ukTime))).Err()
}

// streetlightPage is the printable streetlight guide for referrers.
type streetlightPage struct {
	Layout
	Settings *linkwork.ServiceSettings
	Services []*linkwork.ServiceSettings
}

func (s *Server) streetlightPage(w http.ResponseWriter, r *http.Request) {
	services, err := s.svc.Triage.Services(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if len(services) == 0 {
		s.fail(w, r, false, linkwork.Errorf(linkwork.ENOTFOUND, "There is no social prescribing service set up yet"))
		return
	}
	p := &streetlightPage{Layout: Layout{Title: "Streetlight guide for referrers"}, Settings: services[0], Services: services}
	if id := r.URL.Query().Get("service"); id != "" {
		p.Settings = nil
		for _, sv := range services {
			if sv.ServiceOrgID == id {
				p.Settings = sv
			}
		}
		if p.Settings == nil {
			s.fail(w, r, false, linkwork.Errorf(linkwork.ENOTFOUND, "There is no social prescribing service with that id"))
			return
		}
	}
	p.Title = "Streetlight guide: " + p.Settings.ServiceName
	s.render(w, r, http.StatusOK, "streetlight", p)
}

// accessibilityPage is the accessibility statement, in the GOV.UK
// pattern: what meets WCAG 2.2 AA, what a checker reports and why it is
// kept, and how to report a problem.
func (s *Server) accessibilityPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "accessibility", &Layout{Title: "Accessibility statement"})
}
