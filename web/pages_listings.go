package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// Listings that stay true: the verification link a listing's contact
// opens (no account), the edit page for curators, reports that a listing
// is out of date and the curator's dashboard.

// verifyPage is what a verification link opens: the listing's key facts
// and the two answers, or why the link no longer works, or thanks.
type verifyPage struct {
	Layout
	Token   string
	Asset   *linkwork.Asset
	Gone    string // why the link does not work
	Done    bool
	Changed bool
}

// verifyPerHour is how many times one address may open or answer
// verification links an hour. A token cannot be guessed (256 random
// bits) and works once; this stops anyone trying.
const verifyPerHour = 60

// verifyAllowed counts a request to a verification link, and answers it
// with 429 when the address has made too many.
func (s *Server) verifyAllowed(w http.ResponseWriter, r *http.Request) bool {
	if s.verifyLimits.allow(clientIP(r), "verify") {
		return true
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusTooManyRequests, "verify", &verifyPage{Layout: Layout{Title: "Too many tries"},
		Gone: "Too many links have been opened from this connection. Try again in an hour."})
	return false
}

func (s *Server) verifyGone(w http.ResponseWriter, r *http.Request, err error) {
	switch linkwork.ErrorCode(err) {
	case linkwork.ECONFLICT, linkwork.ENOTFOUND:
		status := http.StatusGone
		if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
			status = http.StatusNotFound
		}
		w.Header().Set("Cache-Control", "no-store")
		s.render(w, r, status, "verify", &verifyPage{Layout: Layout{Title: "This link no longer works"}, Gone: linkwork.ErrorMessage(err)})
	default:
		s.fail(w, r, false, err)
	}
}

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request) {
	if !s.verifyAllowed(w, r) {
		return
	}
	token := r.PathValue("token")
	v, err := s.svc.Listings.FindVerification(r.Context(), token)
	if err != nil {
		s.verifyGone(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "verify", &verifyPage{Layout: Layout{Title: "Is this listing still right?"}, Token: token, Asset: v.Asset})
}

func (s *Server) verifyConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.verifyAllowed(w, r) {
		return
	}
	a, err := s.svc.Listings.ConfirmListing(r.Context(), r.PathValue("token"))
	if err != nil {
		s.verifyGone(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "verify", &verifyPage{Layout: Layout{Title: "Thank you"}, Asset: a, Done: true})
}

func (s *Server) verifyChangePage(w http.ResponseWriter, r *http.Request) {
	if !s.verifyAllowed(w, r) {
		return
	}
	token := r.PathValue("token")
	v, err := s.svc.Listings.FindVerification(r.Context(), token)
	if err != nil {
		s.verifyGone(w, r, err)
		return
	}
	s.renderListingEdit(w, r, http.StatusOK, listingView{asset: v.Asset, form: formOf(v.Asset), byLink: true, action: "/verify/" + token + "/change", cancel: "/verify/" + token})
}

func (s *Server) verifyChangeSubmit(w http.ResponseWriter, r *http.Request) {
	if !s.verifyAllowed(w, r) {
		return
	}
	token := r.PathValue("token")
	v, err := s.svc.Listings.FindVerification(r.Context(), token)
	if err != nil {
		s.verifyGone(w, r, err)
		return
	}
	f := readListingForm(r)
	f.OrgID = v.Asset.OrgID // the link corrects the listing, not who runs it
	ap, problems := f.apply(v.Asset, s.postcodeFinder(r))
	a := ap.Asset
	if len(problems) == 0 {
		err = s.svc.Listings.CorrectListing(r.Context(), token, a)
		if err == nil {
			w.Header().Set("Cache-Control", "no-store")
			s.render(w, r, http.StatusOK, "verify", &verifyPage{Layout: Layout{Title: "Thank you"}, Asset: a, Done: true, Changed: true})
			return
		}
		switch linkwork.ErrorCode(err) {
		case linkwork.EINVALID:
			problems = ap.formProblems(err)
		case linkwork.ECONFLICT:
			if _, lerr := s.svc.Listings.FindVerification(r.Context(), token); lerr != nil {
				s.verifyGone(w, r, err) // the link itself was used meanwhile
				return
			}
			// Someone changed the listing while the contact was typing:
			// their corrections stay on the form, to check against it.
			problems = linkwork.Problems{{Field: "version", Message: "Someone changed this listing while you were correcting it. Check your changes against it as it is now, then save again."}}
			if cur, ferr := s.svc.Assets.FindAssetByID(r.Context(), v.Asset.ID); ferr == nil {
				f.Version = strconv.Itoa(cur.Version)
			}
		default:
			s.verifyGone(w, r, err)
			return
		}
	}
	f.addBlankRows()
	status := http.StatusUnprocessableEntity
	if problems.Has("version") {
		status = http.StatusConflict
	}
	s.renderListingEdit(w, r, status, listingView{asset: v.Asset, form: f, errs: problems, byLink: true, action: "/verify/" + token + "/change", cancel: "/verify/" + token})
}

// reportPage is the form to report a listing out of date.
type reportPage struct {
	Layout
	Asset *linkwork.Asset
	Note  string
}

func (s *Server) assetReportPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.Assets.FindAssetByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, http.StatusOK, "report", &reportPage{Layout: Layout{Title: "Report " + a.Name + " out of date"}, Asset: a})
}

func (s *Server) assetReportSubmit(w http.ResponseWriter, r *http.Request) {
	a, err := s.svc.Assets.FindAssetByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	note := r.PostFormValue("note")
	_, err = s.svc.Listings.ReportAsset(r.Context(), a.ID, note)
	if linkwork.ErrorCode(err) == linkwork.EINVALID {
		s.render(w, r, http.StatusUnprocessableEntity, "report", &reportPage{Layout: Layout{Title: "Report " + a.Name + " out of date", Errors: linkwork.ErrorFields(err)}, Asset: a, Note: note})
		return
	}
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	http.Redirect(w, r, "/directory/"+a.ID+"?done=reported", http.StatusSeeOther)
}

// curatePage is the curator's dashboard.
type curatePage struct {
	Layout
	C *linkwork.Curation
	// Own is a community organisation's own listings, to edit any of
	// them; OwnTotal how many it has.
	Own      []*linkwork.AssetMatch
	OwnTotal int
}

// ownListingsShown is how many of its listings the dashboard lists for a
// community organisation.
const ownListingsShown = 100

func (s *Server) curatePage(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Listings.Curation(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &curatePage{Layout: Layout{Title: "Keep the directory true"}, C: c}
	if u := currentUser(r); u.Role == linkwork.RoleCommunity && u.OrgID != "" {
		p.Own, p.OwnTotal, err = s.svc.Assets.FindAssets(r.Context(), linkwork.AssetFilter{OrgID: u.OrgID, AnyStatus: true, Sort: linkwork.SortName, Limit: ownListingsShown})
		if err != nil {
			s.fail(w, r, false, err)
			return
		}
	}
	if r.URL.Query().Get("done") == "resolved" {
		p.Notice = "The report is marked resolved."
	}
	s.render(w, r, http.StatusOK, "curate", p)
}

func (s *Server) resolveReportSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Listings.ResolveAssetReport(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, false, err)
		return
	}
	http.Redirect(w, r, "/directory/curate?done=resolved", http.StatusSeeOther)
}

// searchFilter is directoryFilter for a request, placing a full postcode
// at its own centre when the loaded postcode table has it (searchPoint).
func (s *Server) searchFilter(r *http.Request) (linkwork.AssetFilter, directoryQuery, linkwork.Problems) {
	q := r.URL.Query()
	f, d, problems := directoryFilter(q)
	raw := strings.TrimSpace(q.Get("postcode"))
	if raw == "" {
		return f, d, problems
	}
	pt, where, err := s.searchPoint(r.Context(), raw)
	if err != nil {
		return f, d, problems // directoryFilter has named it
	}
	f.Near, d.Postcode = pt, where
	kept := problems[:0]
	for _, p := range problems {
		if p.Field != "postcode" {
			kept = append(kept, p)
		}
	}
	return f, d, kept
}

// searchPoint is where a search near a postcode measures from: a full
// postcode's own centre from the loaded postcode table (linkwork import
// postcodes), else its district's; EINVALID naming postcode when neither
// has it.
func (s *Server) searchPoint(ctx context.Context, raw string) (*linkwork.Point, string, error) {
	if s.svc.Listings != nil {
		pt, ok, err := s.svc.Listings.PostcodePoint(ctx, raw)
		if err != nil {
			s.cfg.Logger.Warn("postcode table", "err", err)
		} else if ok {
			pc, _ := linkwork.ParsePostcode(raw)
			return &pt, pc.String(), nil
		}
	}
	return postcodePoint(raw)
}
