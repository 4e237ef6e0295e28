package web

import (
	"net/http"
	"regexp"

	linkwork "github.com/linkwork/linkwork"
)

// The directory's maintenance over the API: listings created and changed,
// confirmed by curators, reported out of date, the curator's dashboard,
// and the verification link a listing's contact opens without an account.
// The services decide who may do what; these handlers read and write JSON.

// asset returns the listing the body describes, over base: the listing
// as it stands for an update, an empty one for a create.
func (in *assetIn) asset(base *linkwork.Asset) *linkwork.Asset {
	a := *base
	a.OrgID, a.Name, a.Description, a.URL, a.Email, a.Phone = in.OrgID, in.Name, in.Description, in.URL, in.Email, in.Phone
	a.Categories, a.Status, a.HowToJoin = in.Categories, in.Status, in.HowToJoin
	a.Capacity = linkwork.Capacity{Status: in.Capacity.Status, Available: in.Capacity.Available, Maximum: in.Capacity.Maximum, Updated: base.Capacity.Updated}
	a.MinAge, a.MaxAge = in.MinAge, in.MaxAge
	a.Languages, a.ServiceAreas = in.Languages, in.ServiceAreas
	a.Accessibility, a.YouthFriendly, a.BuddyWelcome = in.Accessibility, in.YouthFriendly, in.BuddyWelcome
	a.Version = in.Version
	a.Locations, a.Schedules, a.Contacts, a.CostOptions = nil, nil, nil, nil
	for _, l := range in.Locations {
		loc := linkwork.Location{ID: l.ID, Type: l.Type, Name: l.Name, Address1: l.Address1, City: l.City, StateProvince: l.StateProvince,
			PostalCode: l.PostalCode, Country: l.Country, URL: l.URL}
		if l.Lat != nil {
			loc.Lat = *l.Lat
		}
		if l.Lon != nil {
			loc.Lon = *l.Lon
		}
		a.Locations = append(a.Locations, loc)
	}
	for _, s := range in.Schedules {
		a.Schedules = append(a.Schedules, linkwork.Schedule(s))
	}
	for _, c := range in.Contacts {
		a.Contacts = append(a.Contacts, linkwork.AssetContact(c))
	}
	for _, c := range in.CostOptions {
		a.CostOptions = append(a.CostOptions, linkwork.CostOption(c))
	}
	return &a
}

var locationTypeField = regexp.MustCompile(`^(locations\[\d+\])\.type$`)

// assetFields names a listing's problems as the request named its fields:
// Asset.Validate's names, but for the few the JSON spells otherwise.
func assetFields(err error) error {
	names := map[string]string{"min_age": "minimum_age", "max_age": "maximum_age"}
	for _, f := range linkwork.ErrorFields(err) {
		if m := locationTypeField.FindStringSubmatch(f.Field); m != nil {
			names[f.Field] = m[1] + ".location_type"
		}
	}
	return renameFields(err, names)
}

func (s *Server) today() linkwork.Date { return linkwork.DateOf(s.cfg.Now().In(ukTime)) }

func (s *Server) apiCreateAsset(w http.ResponseWriter, r *http.Request) {
	var in assetIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if in.ID != "" {
		var p linkwork.Problems
		p.Add("id", "The service gives a new listing its id: leave it out")
		s.fail(w, r, true, p.Err())
		return
	}
	a := in.asset(&linkwork.Asset{})
	if err := s.svc.Assets.CreateAsset(r.Context(), a); err != nil {
		s.fail(w, r, true, assetFields(err))
		return
	}
	created, err := s.svc.Assets.FindAssetByID(r.Context(), a.ID)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/assets/"+a.ID)
	writeJSON(w, http.StatusCreated, assetOut(created, s.today()))
}

func (s *Server) apiUpdateAsset(w http.ResponseWriter, r *http.Request) {
	var in assetIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	id := r.PathValue("id")
	var p linkwork.Problems
	if in.Version < 1 {
		p.Add("version", "Send the version of the listing you read, so that a change to a listing someone else changed is refused")
	}
	if in.ID != "" && in.ID != id {
		p.Add("id", "The id must be the listing's own, as in the address")
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	cur, err := s.svc.Assets.FindAssetByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	a := in.asset(cur)
	if a.OrgID == "" {
		// Left out: the listing stays with its organisation.
		a.OrgID = cur.OrgID
	}
	if err := s.svc.Assets.UpdateAsset(r.Context(), a); err != nil {
		s.fail(w, r, true, assetFields(err))
		return
	}
	s.writeAsset(w, r, a.ID)
}

// writeAsset answers with the listing as stored now.
func (s *Server) writeAsset(w http.ResponseWriter, r *http.Request, id string) {
	a, err := s.svc.Assets.FindAssetByID(r.Context(), id)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, assetOut(a, s.today()))
}

func (s *Server) apiConfirmAsset(w http.ResponseWriter, r *http.Request) {
	var in versionIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if in.Version < 1 {
		var p linkwork.Problems
		p.Add("version", "Send the version of the listing you checked")
		s.fail(w, r, true, p.Err())
		return
	}
	a, err := s.svc.Listings.ConfirmAsset(r.Context(), r.PathValue("id"), in.Version)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	s.writeAsset(w, r, a.ID)
}

func (s *Server) apiReportAsset(w http.ResponseWriter, r *http.Request) {
	var in assetReportIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	rep, err := s.svc.Listings.ReportAsset(r.Context(), r.PathValue("id"), in.Note)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/assets/"+rep.AssetID+"/reports")
	writeJSON(w, http.StatusCreated, assetReportOut(rep))
}

func (s *Server) apiAssetReports(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Listings.FindAssetReports(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, assetReportListJSON{Items: nonNil(mapSlice(list, assetReportOut))})
}

func (s *Server) apiResolveAssetReport(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Listings.ResolveAssetReport(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) apiCuration(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Listings.Curation(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, curationOut(c))
}

// apiVerifyAllowed counts a request to a verification link against the
// same hourly allowance per address as the pages, and answers 429 when it
// is spent. Verification answers are never cached: the token is the
// credential.
func (s *Server) apiVerifyAllowed(w http.ResponseWriter, r *http.Request) bool {
	w.Header().Set("Cache-Control", "no-store")
	if s.verifyLimits.allow(clientIP(r), "verify") {
		return true
	}
	s.fail(w, r, true, linkwork.Errorf(linkwork.ERATELIMIT, "Too many links have been opened from this connection. Try again in an hour."))
	return false
}

// verifyError answers as the pages do: a link that was used or has
// expired is gone (410), one we never sent is not found (404).
func (s *Server) verifyError(w http.ResponseWriter, r *http.Request, err error) {
	if linkwork.ErrorCode(err) == linkwork.ECONFLICT {
		err = &linkwork.Error{Code: linkwork.EGONE, Message: linkwork.ErrorMessage(err)}
	}
	s.fail(w, r, true, err)
}

func (s *Server) apiVerification(w http.ResponseWriter, r *http.Request) {
	if !s.apiVerifyAllowed(w, r) {
		return
	}
	v, err := s.svc.Listings.FindVerification(r.Context(), r.PathValue("token"))
	if err != nil {
		s.verifyError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, verificationJSON{Asset: assetOut(v.Asset, s.today()), ExpiresAt: v.ExpiresAt})
}

func (s *Server) apiVerifyConfirm(w http.ResponseWriter, r *http.Request) {
	if !s.apiVerifyAllowed(w, r) {
		return
	}
	a, err := s.svc.Listings.ConfirmListing(r.Context(), r.PathValue("token"))
	if err != nil {
		s.verifyError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, assetOut(a, s.today()))
}

func (s *Server) apiVerifyCorrect(w http.ResponseWriter, r *http.Request) {
	if !s.apiVerifyAllowed(w, r) {
		return
	}
	token := r.PathValue("token")
	v, err := s.svc.Listings.FindVerification(r.Context(), token)
	if err != nil {
		s.verifyError(w, r, err)
		return
	}
	var in assetIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	var p linkwork.Problems
	if in.Version < 1 {
		p.Add("version", "Send the version of the listing you read")
	}
	if in.ID != "" && in.ID != v.Asset.ID {
		p.Add("id", "The id must be the listing's own")
	}
	if in.OrgID != "" && in.OrgID != v.Asset.OrgID {
		p.Add("organization_id", "A verification link cannot move the listing to another organisation")
	}
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if in.Version != v.Asset.Version {
		s.fail(w, r, true, linkwork.Errorf(linkwork.ECONFLICT, "The listing has changed since you read it (it is at version %d, not %d). Read it again, then send your corrections.", v.Asset.Version, in.Version))
		return
	}
	a := in.asset(v.Asset)
	a.OrgID = v.Asset.OrgID
	if err := s.svc.Listings.CorrectListing(r.Context(), token, a); err != nil {
		if linkwork.ErrorCode(err) == linkwork.EINVALID {
			s.fail(w, r, true, assetFields(err))
			return
		}
		// The link was used, or the listing changed, since it was read
		// above: a conflict either way.
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, assetOut(a, s.today()))
}
