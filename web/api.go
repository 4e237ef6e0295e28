package web

import (
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

//go:embed openapi.json
var openAPI []byte

func (s *Server) apiOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.Write(openAPI)
}

func (s *Server) apiMe(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, userOut(currentUser(r)))
}

func (s *Server) apiHome(w http.ResponseWriter, r *http.Request) {
	h, err := s.svc.Home.HomeFigures(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, homeOut(currentUser(r).Role, h))
}

func (s *Server) apiListReferrals(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	var p linkwork.Problems
	if err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	q := r.URL.Query()
	f := linkwork.ReferralFilter{Offset: off, Limit: lim, PersonID: q.Get("person_id")}
	switch q.Get("mine") {
	case "", "false":
	case "true":
		f.ReferrerUserID = currentUser(r).ID
	default:
		p.Add("mine", "must be true or false")
	}
	if v := q.Get("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			if !linkwork.ReferralStatus(st).Valid() {
				p.Addf("status", "%q is not a referral status", st)
			}
			f.Status = append(f.Status, linkwork.ReferralStatus(st))
		}
	}
	if v := q.Get("pathway"); v != "" {
		if !linkwork.Pathway(v).Valid() {
			p.Addf("pathway", "%q is not a pathway", v)
		}
		f.Pathway = linkwork.Pathway(v)
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Referrals.FindReferrals(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[referralJSON]{Items: mapSlice(list, referralOut), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiGetReferral(w http.ResponseWriter, r *http.Request) {
	ref, err := s.svc.Referrals.FindReferralByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.referralWithOutcome(w, r, ref)
}

func (s *Server) apiCreateReferral(w http.ResponseWriter, r *http.Request) {
	var in referralIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var dates linkwork.Problems
	var person *linkwork.Person
	if in.Person != nil {
		person = in.Person.person(&dates, "person.")
	}
	ref := &linkwork.Referral{ServiceOrgID: in.ServiceOrgID, Pathway: in.Pathway, Mode: in.Mode, ReferrerName: in.ReferrerName, ReferrerRole: in.ReferrerRole,
		ReferrerContact: in.ReferrerContact, Reasons: in.Reasons, WhatTheyWant: in.WhatTheyWant, Risks: in.Risks, YearGroup: in.YearGroup,
		PersonAware: in.PersonAware, ConsentReferral: in.ConsentReferral, ConsentSharing: in.ConsentSharing, ReferrerOrgID: in.ReferrerOrgID, GPPracticeOrgID: in.GPPracticeOrgID,
		SafeNow: in.SafeNow, HarmThoughts: in.HarmThoughts}
	if len(dates) > 0 {
		// A date that could not be read is reported with everything else
		// the service would find wrong, and nothing is stored.
		s.fail(w, r, true, mergeProblems(dates, s.validateOnly(ref, person)))
		return
	}
	if err := s.svc.Referrals.CreateReferral(r.Context(), ref, person); err != nil {
		s.fail(w, r, true, err)
		return
	}
	created, err := s.svc.Referrals.FindReferralByID(r.Context(), ref.ID)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/referrals/"+ref.ID)
	writeJSON(w, http.StatusCreated, referralOut(created))
}

func (s *Server) apiDecideReferral(w http.ResponseWriter, r *http.Request) {
	var in decisionIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	if in.Version < 1 {
		p.Add("version", "Send the version of the referral you read, so that a decision on a changed referral is refused")
	}
	d := linkwork.ReferralDecision{To: in.To, Reason: in.Reason, OnwardDestination: in.OnwardDestination, LinkWorkerID: in.LinkWorkerID, Streetlight: in.Streetlight,
		DeferUntil: parseDateField(&p, "defer_until", in.DeferUntil)}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	ref, err := s.svc.Referrals.DecideReferral(r.Context(), r.PathValue("id"), in.Version, d)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, referralOut(ref))
}

func (s *Server) apiReviewRisk(w http.ResponseWriter, r *http.Request) {
	var in riskReviewIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if in.Version < 1 {
		s.fail(w, r, true, linkwork.FieldErr("version", "Send the version of the referral you read, so that a decision on a changed referral is refused"))
		return
	}
	ref, err := s.svc.Referrals.ReviewRisk(r.Context(), r.PathValue("id"), in.Version, linkwork.RiskReview{Outcome: linkwork.RiskState(in.Outcome), Note: in.Note})
	if err != nil {
		s.fail(w, r, true, renameFields(err, map[string]string{"risk_outcome": "outcome", "risk_note": "note"}))
		return
	}
	writeJSON(w, http.StatusOK, referralOut(ref))
}

func (s *Server) apiListCases(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	var p linkwork.Problems
	if err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	f := linkwork.CaseFilter{Offset: off, Limit: lim, PersonID: r.URL.Query().Get("person_id")}
	if v := r.URL.Query().Get("status"); v != "" {
		for _, st := range strings.Split(v, ",") {
			switch linkwork.CaseStatus(st) {
			case linkwork.CaseWaiting, linkwork.CaseActive, linkwork.CaseEnding, linkwork.CaseClosed:
			default:
				p.Addf("status", "%q is not a case status", st)
			}
			f.Status = append(f.Status, linkwork.CaseStatus(st))
		}
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Cases.FindCases(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[caseJSON]{Items: mapSlice(list, caseOut), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiGetCase(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Cases.FindCaseByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, caseOut(c))
}

func (s *Server) apiGetPerson(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.People.FindPersonByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, personOut(p))
}

func (s *Server) apiListConnections(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Connections.FindConnections(r.Context(), linkwork.ConnectionFilter{CaseID: r.URL.Query().Get("case_id"), Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[connectionJSON]{Items: mapSlice(list, connectionOut), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiListAssets(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	var p linkwork.Problems
	if err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	f, _, problems := s.searchFilter(r)
	p = append(p, problems...)
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	f.Offset, f.Limit, f.CountUpTo = off, lim, linkwork.DirectoryCountUpTo
	list, total, err := s.svc.Assets.FindAssets(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, renameFields(err, map[string]string{"radius": "radius_km", "near": "lat"}))
		return
	}
	today := linkwork.DateOf(s.cfg.Now().In(ukTime))
	writeJSON(w, http.StatusOK, assetListOut{Items: mapSlice(list, func(m *linkwork.AssetMatch) assetJSON { return assetMatchOut(m, today) }),
		Total: total, TotalIsAtLeast: total > f.CountUpTo, Offset: off, Limit: lim})
}

func (s *Server) apiGetAsset(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.Assets.FindAssetByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, assetOut(a, linkwork.DateOf(s.cfg.Now().In(ukTime))))
}

func (s *Server) apiAssetVersions(w http.ResponseWriter, r *http.Request) {
	vs, err := s.svc.Assets.FindAssetVersions(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	today := linkwork.DateOf(s.cfg.Now().In(ukTime))
	out := assetVersionListJSON{Items: []assetVersionJSON{}}
	for _, v := range vs {
		out.Items = append(out.Items, assetVersionJSON{Version: v.Version, ChangedAt: v.ChangedAt, ChangedBy: v.ChangedBy, ChangedByName: v.ChangedByName, Asset: assetOut(v.Asset, today)})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiListOrganisations(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	var p linkwork.Problems
	if err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	f := linkwork.OrganisationFilter{Query: r.URL.Query().Get("q"), Offset: off, Limit: lim}
	if v := r.URL.Query().Get("kind"); v != "" {
		if !linkwork.OrgKind(v).Valid() {
			p.Addf("kind", "%q is not a kind of organisation", v)
		}
		f.Kind = linkwork.OrgKind(v)
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Organisations.FindOrganisations(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[organisationJSON]{Items: mapSlice(list, organisationOut), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiGetOrganisation(w http.ResponseWriter, r *http.Request) {
	o, err := s.svc.Organisations.FindOrganisationByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, organisationOut(o))
}

func (s *Server) apiGetUser(w http.ResponseWriter, r *http.Request) {
	u, err := s.svc.Users.FindUserByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, userOut(u))
}

func (s *Server) apiCreateOrganisation(w http.ResponseWriter, r *http.Request) {
	var in organisationJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	o := &linkwork.Organisation{Name: in.Name, Kind: in.Kind, ParentID: in.ParentID, Code: in.Code, Address: in.Address, Postcode: in.Postcode, Phone: in.Phone, Email: in.Email}
	if err := s.svc.Organisations.CreateOrganisation(r.Context(), o); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/organisations/"+o.ID)
	writeJSON(w, http.StatusCreated, organisationOut(o))
}

// apiUpdateOrganisation replaces an organisation's details at the
// version given: every field is as sent.
func (s *Server) apiUpdateOrganisation(w http.ResponseWriter, r *http.Request) {
	var in organisationJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	o := &linkwork.Organisation{ID: r.PathValue("id"), Name: in.Name, Kind: in.Kind, ParentID: in.ParentID, Code: in.Code, Address: in.Address,
		Postcode: in.Postcode, Phone: in.Phone, Email: in.Email, Version: in.Version}
	if err := s.svc.Organisations.UpdateOrganisation(r.Context(), o); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, organisationOut(o))
}

func (s *Server) apiListUsers(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	role := linkwork.Role(r.URL.Query().Get("role"))
	if role != "" && !role.Valid() {
		s.fail(w, r, true, linkwork.FieldErr("role", fmt.Sprintf("%q is not a role", role)))
		return
	}
	list, total, err := s.svc.Users.FindUsers(r.Context(), linkwork.UserFilter{OrgID: r.URL.Query().Get("org_id"), Role: role, Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[userJSON]{Items: mapSlice(list, userOut), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiCreateUser(w http.ResponseWriter, r *http.Request) {
	var in userIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	u := &linkwork.User{OrgID: in.OrgID, Email: in.Email, Name: in.Name, Role: in.Role, AgeMin: in.AgeMin, AgeMax: in.AgeMax}
	if err := s.svc.Users.CreateUser(r.Context(), u, in.Password); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+u.ID)
	writeJSON(w, http.StatusCreated, userOut(u))
}

func (s *Server) apiDisableUser(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Users.DisableUser(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, true, err)
		return
	}
	u, err := s.svc.Users.FindUserByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, userOut(u))
}

func (s *Server) apiCreateToken(w http.ResponseWriter, r *http.Request) {
	var in tokenIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if in.UserID == "" {
		in.UserID = currentUser(r).ID
	}
	var expires time.Time
	if in.ExpiresAt != "" {
		var err error
		if expires, err = time.Parse(time.RFC3339, in.ExpiresAt); err != nil {
			s.fail(w, r, true, &linkwork.Error{Code: linkwork.EINVALID, Message: "There is a problem: expires_at must be a time like 2027-01-31T17:00:00Z",
				Fields: []linkwork.FieldError{{Field: "expires_at", Message: "must be a time like 2027-01-31T17:00:00Z"}}})
			return
		}
	}
	t, err := s.svc.Auth.CreateAPIToken(r.Context(), in.UserID, in.Name, expires)
	if err != nil {
		s.fail(w, r, true, renameFields(err, map[string]string{"expires": "expires_at"}))
		return
	}
	writeJSON(w, http.StatusCreated, tokenJSON{ID: t.ID, Token: t.Token, UserID: t.UserID, Name: t.Name, ExpiresAt: t.ExpiresAt})
}

// apiListTokens lists the caller's own API tokens, a page at a time.
func (s *Server) apiListTokens(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, err := s.svc.Auth.APITokens(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	now := s.cfg.Now()
	out := listOut[tokenInfoJSON]{Items: []tokenInfoJSON{}, Total: len(list), Offset: off, Limit: lim}
	for _, t := range list[min(off, len(list)):min(off+lim, len(list))] {
		out.Items = append(out.Items, tokenInfoOut(t, now))
	}
	writeJSON(w, http.StatusOK, out)
}

// apiRevokeToken revokes one of the caller's own API tokens.
func (s *Server) apiRevokeToken(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Auth.RevokeAPIToken(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiListAudit(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	q := r.URL.Query()
	list, total, err := s.svc.Audit.FindAuditEvents(r.Context(), linkwork.AuditFilter{ActorID: q.Get("actor_id"), RecordType: q.Get("record_type"), RecordID: q.Get("record_id"), Offset: off, Limit: lim})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[auditJSON]{Items: mapSlice(list, auditOut), Total: total, Offset: off, Limit: lim})
}

// mergeProblems reports the front door's own field problems together with
// a service's validation error.
func mergeProblems(p linkwork.Problems, err error) error {
	if linkwork.ErrorCode(err) == linkwork.EINVALID {
		for _, f := range linkwork.ErrorFields(err) {
			if !p.Has(f.Field) {
				p = append(p, f)
			}
		}
	}
	return p.Err()
}

// renameFields renames the fields of a validation error to the names the
// request used.
func renameFields(err error, names map[string]string) error {
	var e *linkwork.Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	out := *e
	out.Fields = make([]linkwork.FieldError, len(e.Fields))
	for i, f := range e.Fields {
		if n, ok := names[f.Field]; ok {
			f.Field = n
		}
		out.Fields[i] = f
	}
	return &out
}
