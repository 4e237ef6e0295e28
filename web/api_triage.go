package web

import (
	"net/http"
	"strconv"

	linkwork "github.com/linkwork/linkwork"
)

func (s *Server) apiListServices(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Triage.Services(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := mapSlice(list, settingsOut)
	writeJSON(w, http.StatusOK, listOut[settingsJSON]{Items: nonNil(out), Total: len(out), Limit: len(out)})
}

func (s *Server) apiGetService(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.Triage.ServiceSettings(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, settingsOut(st))
}

func (s *Server) apiSaveService(w http.ResponseWriter, r *http.Request) {
	var in settingsIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	st := &linkwork.ServiceSettings{ServiceOrgID: r.PathValue("id"), MinAge: in.MinAge, MaxAge: in.MaxAge, Pathways: in.Pathways, Areas: in.Areas,
		PracticeIDs: in.PracticeIDs, Red: in.Red, Amber: in.Amber, Green: in.Green, CrisisAdvice: in.CrisisAdvice, Contact: in.Contact, Version: in.Version}
	// Left out: the saved value (or the default) stays.
	cur, err := s.svc.Triage.ServiceSettings(r.Context(), st.ServiceOrgID)
	if err != nil && linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
		s.fail(w, r, true, err)
		return
	}
	st.ListingRecheckMonths = linkwork.RecheckMonths
	if cur != nil {
		st.ListingRecheckMonths, st.ExtraRiskPhrases = cur.ListingRecheckMonths, cur.ExtraRiskPhrases
	}
	if in.ListingRecheckMonths != nil {
		st.ListingRecheckMonths = *in.ListingRecheckMonths
	}
	if in.RiskPhrases != nil {
		st.ExtraRiskPhrases = *in.RiskPhrases
	}
	if cur != nil {
		// The measures have their own route: saving the rest keeps them.
		st.Casework, st.Measures = cur.Casework, cur.Measures
	}
	if in.Casework != nil {
		st.Casework = in.Casework.settings()
	}
	if err := s.svc.Triage.SaveServiceSettings(r.Context(), st); err != nil {
		s.fail(w, r, true, err)
		return
	}
	saved, err := s.svc.Triage.ServiceSettings(r.Context(), st.ServiceOrgID)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, settingsOut(saved))
}

func (s *Server) apiPublicReferral(w http.ResponseWriter, r *http.Request) {
	var in publicReferralIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	var person *linkwork.Person
	if in.Person != nil {
		person = in.Person.person(&p, "person.")
	}
	ref := &linkwork.Referral{ServiceOrgID: in.ServiceOrgID, Pathway: in.Pathway, Mode: linkwork.ModeSelfReferral, ReferrerName: in.ReferrerName,
		ReferrerRole: in.ReferrerRole, ReferrerContact: in.ReferrerContact, Reasons: in.Reasons, WhatTheyWant: in.WhatTheyWant, Risks: in.Risks,
		PersonAware: in.PersonAware, ConsentReferral: in.ConsentReferral, SafeNow: in.SafeNow, HarmThoughts: in.HarmThoughts}
	if err := ref.ValidatePublic(person); err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	if len(p) > 0 {
		// Everything the service would find wrong too, at once.
		err := s.validateOnly(ref, person)
		s.fail(w, r, true, mergeProblems(p, err))
		return
	}
	if !s.publicLimits.allow(clientIP(r), "public-referral") {
		s.fail(w, r, true, linkwork.Errorf(linkwork.ERATELIMIT, "Too many referrals have been sent from this address. Try again in an hour."))
		return
	}
	if err := s.svc.Referrals.SubmitPublicReferral(r.Context(), ref, person); err != nil {
		s.fail(w, r, true, err)
		return
	}
	// The referral is stored: an answer other than 201 would have it sent
	// again. Without the service's own crisis advice, the default serves.
	advice := linkwork.DefaultCrisisAdvice
	if st, err := s.svc.Triage.ServiceSettings(r.Context(), ref.ServiceOrgID); err == nil {
		advice = st.CrisisAdvice
	} else {
		s.logMissing(r, "the service's crisis advice", err)
	}
	writeJSON(w, http.StatusCreated, publicReferralOut{Reference: ref.Reference(), Status: linkwork.ReferralReceived, ServiceOrgID: ref.ServiceOrgID,
		WhatNext: linkwork.PublicWhatNext(ref), CrisisAdvice: advice, ReadToday: ref.Risk.State == linkwork.RiskReviewToday})
}

func (s *Server) apiTriageQueue(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	var p linkwork.Problems
	if err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	q := r.URL.Query()
	f := linkwork.TriageFilter{Offset: off, Limit: lim}
	switch q.Get("view") {
	case "", "queue":
	case "meeting":
		f.Meeting = true
	default:
		p.Add("view", "must be queue or meeting")
	}
	if v := q.Get("pathway"); v != "" {
		if !linkwork.Pathway(v).Valid() {
			p.Addf("pathway", "%q is not a pathway", v)
		}
		f.Pathway = linkwork.Pathway(v)
	}
	if v := q.Get("age_band"); v != "" {
		if _, ok := linkwork.FindAgeBand(v); !ok {
			p.Addf("age_band", "%q is not an age band: use under-13, 13-15, 16-17, 18-25 or 26-plus", v)
		}
		f.AgeBand = v
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, err := s.svc.Triage.TriageQueue(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, listOut[referralJSON]{Items: nonNil(mapSlice(list, referralOut)), Total: total, Offset: off, Limit: lim})
}

func (s *Server) apiReturnDeferrals(w http.ResponseWriter, r *http.Request) {
	n, err := s.svc.Triage.ReturnDueDeferrals(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"returned": n})
}

func (s *Server) apiWaitingList(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, err := s.svc.Triage.WaitingList(r.Context(), off, lim)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := waitingListJSON{Items: []waitingJSON{}, Total: list.Total, Offset: off, Limit: lim, AllocatedPerWeek: list.AllocatedPerWeek, ThroughputWeeks: list.ThroughputWeeks}
	for _, e := range list.Entries {
		j := waitingJSON{Position: e.Position, CaseID: e.Case.ID, PersonID: e.Case.PersonID, PersonName: e.Case.PersonName, ReferralID: e.Case.ReferralID,
			OpenedAt: e.Case.OpenedAt, WaitedDays: int(e.Waited.Hours() / 24)}
		if e.ExpectedKnown {
			weeks := e.ExpectedWeeks
			j.ExpectedWeeks = &weeks
		}
		out.Items = append(out.Items, j)
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiCaseloads(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Triage.Caseloads(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := []caseloadJSON{}
	for _, c := range list {
		out = append(out, caseloadJSON{UserID: c.UserID, Name: c.Name, Active: c.Active})
	}
	writeJSON(w, http.StatusOK, listOut[caseloadJSON]{Items: out, Total: len(out), Limit: len(out)})
}

func (s *Server) apiResolveDuplicate(w http.ResponseWriter, r *http.Request) {
	var in duplicateIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if in.Version < 1 {
		s.fail(w, r, true, linkwork.FieldErr("version", "Send the version of the referral you read"))
		return
	}
	ref, err := s.svc.Triage.ResolveDuplicate(r.Context(), r.PathValue("id"), in.Version, in.Same)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, referralOut(ref))
}

func (s *Server) apiListNotifications(w http.ResponseWriter, r *http.Request) {
	off, lim, err := listParams(r)
	var p linkwork.Problems
	if err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	unread := false
	if v := r.URL.Query().Get("unread"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			p.Add("unread", "must be true or false")
		}
		unread = b
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	list, total, n, err := s.svc.Notifications.FindNotifications(r.Context(), unread, off, lim)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, notificationListJSON{Items: nonNil(mapSlice(list, notificationOut)), Total: total, Unread: n, Offset: off, Limit: lim})
}

func (s *Server) apiReadNotification(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Notifications.MarkNotificationRead(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
