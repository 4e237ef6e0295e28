package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// Listings that stay true: the verification link a listing's contact
// opens (no account), the edit page for curators, reports that a listing
// is out of date and the curator's dashboard.

// listingForm is the main fields of a listing as a form holds them: as
// typed, so that nothing is lost when the form comes back with errors.
// Field names are the ones Asset.Validate names problems by.
type listingForm struct {
	Version                                      string
	Name, Description, URL, Email, Phone, Status string
	CapStatus, CapAvailable, CapMaximum          string
	Schedules                                    []scheduleRow
	Contacts                                     []contactRow
	Costs                                        []costRow
}

type scheduleRow struct{ Freq, ByDay, OpensAt, ClosesAt, Note, LocationID string }
type contactRow struct{ ID, Name, Title, Email, Phone string }
type costRow struct{ ID, Option, Amount, Description string }

func (r scheduleRow) Blank() bool {
	return r.ByDay == "" && r.OpensAt == "" && r.ClosesAt == "" && r.Note == ""
}
func (r contactRow) Blank() bool {
	return r.Name == "" && r.Title == "" && r.Email == "" && r.Phone == ""
}
func (r costRow) Blank() bool { return r.Option == "" && r.Amount == "" && r.Description == "" }

func optInt(n *int) string {
	if n == nil {
		return ""
	}
	return strconv.Itoa(*n)
}

// poundsLabel writes pence as pounds for a form: "2.50", "0".
func poundsLabel(p *int) string {
	if p == nil {
		return ""
	}
	if *p%100 == 0 {
		return strconv.Itoa(*p / 100)
	}
	return fmt.Sprintf("%d.%02d", *p/100, *p%100)
}

// formOf fills the form from a listing, with a blank row to add one more
// session, contact and cost.
func formOf(a *linkwork.Asset) listingForm {
	f := listingForm{Version: strconv.Itoa(a.Version), Name: a.Name, Description: a.Description, URL: a.URL, Email: a.Email, Phone: a.Phone,
		Status: string(a.Status), CapStatus: string(a.Capacity.Status), CapAvailable: optInt(a.Capacity.Available), CapMaximum: optInt(a.Capacity.Maximum)}
	for _, s := range a.Schedules {
		f.Schedules = append(f.Schedules, scheduleRow{s.Freq, s.ByDay, s.OpensAt, s.ClosesAt, s.Note, s.LocationID})
	}
	for _, c := range a.Contacts {
		f.Contacts = append(f.Contacts, contactRow{c.ID, c.Name, c.Title, c.Email, c.Phone})
	}
	for _, c := range a.CostOptions {
		f.Costs = append(f.Costs, costRow{c.ID, c.Option, poundsLabel(c.Amount), c.AmountDescription})
	}
	f.Schedules = append(f.Schedules, scheduleRow{Freq: "WEEKLY"})
	f.Contacts = append(f.Contacts, contactRow{})
	f.Costs = append(f.Costs, costRow{})
	return f
}

// maxFormRows bounds the rows of each list a form may send.
const maxFormRows = 50

// readListingForm reads the form as typed.
func readListingForm(r *http.Request) listingForm {
	get := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	rows := func(k string) int {
		n, err := strconv.Atoi(get(k))
		if err != nil || n < 0 {
			return 0
		}
		return min(n, maxFormRows)
	}
	f := listingForm{Version: get("version"), Name: get("name"), Description: get("description"), URL: get("url"), Email: get("email"), Phone: get("phone"),
		Status: get("status"), CapStatus: get("capacity.status"), CapAvailable: get("capacity.available"), CapMaximum: get("capacity.maximum")}
	for i := range rows("schedules") {
		at := fmt.Sprintf("schedules[%d].", i)
		f.Schedules = append(f.Schedules, scheduleRow{get(at + "freq"), get(at + "byday"), get(at + "opens_at"), get(at + "closes_at"), get(at + "note"), get(at + "location_id")})
	}
	for i := range rows("contacts") {
		at := fmt.Sprintf("contacts[%d].", i)
		f.Contacts = append(f.Contacts, contactRow{get(at + "id"), get(at + "name"), get(at + "title"), get(at + "email"), get(at + "phone")})
	}
	for i := range rows("cost_options") {
		at := fmt.Sprintf("cost_options[%d].", i)
		f.Costs = append(f.Costs, costRow{get(at + "id"), get(at + "option"), get(at + "amount"), get(at + "amount_description")})
	}
	return f
}

// apply returns base changed as the form says, with the problems the form
// alone shows (numbers that are not numbers). Blank rows are dropped; the
// listing's own checks (Validate) find the rest. Problems name rows by
// their place in the form, which is their place in the listing when no
// row before them is blank: blank rows are dropped only at the end.
func (f listingForm) apply(base *linkwork.Asset) (*linkwork.Asset, linkwork.Problems) {
	var p linkwork.Problems
	a := *base
	a.Version, _ = strconv.Atoi(f.Version)
	a.Name, a.Description, a.URL, a.Email, a.Phone = f.Name, f.Description, f.URL, f.Email, f.Phone
	a.Status = linkwork.AssetStatus(f.Status)
	a.Capacity.Status = linkwork.CapacityStatus(f.CapStatus)
	num := func(field, s, msg string) *int {
		if s == "" {
			return nil
		}
		n, err := parseInt(s)
		if err != nil {
			p.Add(field, msg)
			return nil
		}
		return &n
	}
	a.Capacity.Available = num("capacity.available", f.CapAvailable, "Enter the places free as a whole number, like 4, or leave it blank")
	a.Capacity.Maximum = num("capacity.maximum", f.CapMaximum, "Enter the places in all as a whole number, like 12, or leave it blank")
	a.Schedules, a.Contacts, a.CostOptions = nil, nil, nil
	for _, s := range f.Schedules {
		if !s.Blank() {
			freq := s.Freq
			if freq == "" {
				freq = "WEEKLY"
			}
			a.Schedules = append(a.Schedules, linkwork.Schedule{Freq: freq, ByDay: s.ByDay, OpensAt: s.OpensAt, ClosesAt: s.ClosesAt, Note: s.Note, LocationID: s.LocationID})
		}
	}
	for _, c := range f.Contacts {
		if !c.Blank() {
			a.Contacts = append(a.Contacts, linkwork.AssetContact{ID: c.ID, Name: c.Name, Title: c.Title, Email: c.Email, Phone: c.Phone})
		}
	}
	for i, c := range f.Costs {
		if c.Blank() {
			continue
		}
		o := linkwork.CostOption{ID: c.ID, Option: c.Option, AmountDescription: c.Description}
		if c.Amount != "" {
			pence, ok := parsePounds(c.Amount)
			if !ok {
				p.Add(fmt.Sprintf("cost_options[%d].amount", i), "Enter the amount in pounds, like 2.50, or 0 when it is free")
			} else {
				o.Amount = &pence
			}
		}
		a.CostOptions = append(a.CostOptions, o)
	}
	if len(p) > 0 {
		// Say everything that is wrong at once, not the numbers first.
		check := a
		p = append(p, linkwork.ErrorFields(check.Validate())...)
	}
	return &a, p
}

// parsePounds reads "2.50", "£2.5" or "3" as pence.
func parsePounds(s string) (int, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "£")
	whole, frac, _ := strings.Cut(s, ".")
	if len(frac) > 2 || whole == "" && frac == "" {
		return 0, false
	}
	for len(frac) < 2 {
		frac += "0"
	}
	w, err1 := strconv.Atoi(orZero(whole))
	c, err2 := strconv.Atoi(frac)
	if err1 != nil || err2 != nil || w < 0 || c < 0 {
		return 0, false
	}
	return w*100 + c, true
}

func orZero(s string) string {
	if s == "" {
		return "0"
	}
	return s
}

// listingEditPage is the form that corrects a listing: for its contact
// through a verification link, or for a curator.
type listingEditPage struct {
	Layout
	Asset     *linkwork.Asset
	Form      listingForm
	Action    string // where the form posts
	Cancel    string
	ByLink    bool // the listing's contact, through a verification link
	Statuses  []option
	Capacity  []option
	Days      []option
	AssetPath string
}

func (s *Server) renderListingEdit(w http.ResponseWriter, r *http.Request, status int, a *linkwork.Asset, f listingForm, errs []linkwork.FieldError, byLink bool, action, cancel string) {
	p := &listingEditPage{Layout: Layout{Title: "Update " + a.Name, Errors: errs}, Asset: a, Form: f, Action: action, Cancel: cancel, ByLink: byLink}
	for _, st := range []linkwork.AssetStatus{linkwork.AssetActive, linkwork.AssetTempClosed, linkwork.AssetInactive, linkwork.AssetDefunct} {
		label := map[linkwork.AssetStatus]string{linkwork.AssetActive: "Running", linkwork.AssetTempClosed: "Temporarily closed",
			linkwork.AssetInactive: "Not running at the moment", linkwork.AssetDefunct: "Stopped for good"}[st]
		p.Statuses = append(p.Statuses, option{Value: string(st), Label: label})
	}
	for _, c := range linkwork.CapacityStatuses {
		p.Capacity = append(p.Capacity, option{Value: string(c), Label: c.Label()})
	}
	p.Days = []option{{Value: "", Label: "Choose a day"}}
	for _, d := range linkwork.Weekdays {
		p.Days = append(p.Days, option{Value: d, Label: linkwork.WeekdayName(d)})
	}
	if byLink {
		w.Header().Set("Cache-Control", "no-store")
	}
	s.render(w, r, status, "listing_edit", p)
}

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
	s.renderListingEdit(w, r, http.StatusOK, v.Asset, formOf(v.Asset), nil, true, "/verify/"+token+"/change", "/verify/"+token)
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
	a, problems := f.apply(v.Asset)
	if len(problems) == 0 {
		err = s.svc.Listings.CorrectListing(r.Context(), token, a)
		if err == nil {
			w.Header().Set("Cache-Control", "no-store")
			s.render(w, r, http.StatusOK, "verify", &verifyPage{Layout: Layout{Title: "Thank you"}, Asset: a, Done: true, Changed: true})
			return
		}
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.verifyGone(w, r, err)
			return
		}
		problems = linkwork.ErrorFields(err)
	}
	s.renderListingEdit(w, r, http.StatusUnprocessableEntity, v.Asset, f, problems, true, "/verify/"+token+"/change", "/verify/"+token)
}

// canCurate reports whether the signed-in user may change the listing:
// coordinators, and the users of the organisation that runs it.
func canCurate(u *linkwork.User, a *linkwork.Asset) bool {
	if u == nil {
		return false
	}
	return u.Role == linkwork.RoleCoordinator || (u.Role == linkwork.RoleCommunity && a.OrgID != "" && a.OrgID == u.OrgID)
}

// editableAsset finds the listing for its edit page: ENOTFOUND when there
// is none, EFORBIDDEN when it is another organisation's.
func (s *Server) editableAsset(r *http.Request) (*linkwork.Asset, error) {
	a, err := s.svc.Assets.FindAssetByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !canCurate(currentUser(r), a) {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "You can only change your own organisation's listings")
	}
	return a, nil
}

func (s *Server) assetEditPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.editableAsset(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.renderListingEdit(w, r, http.StatusOK, a, formOf(a), nil, false, "/directory/"+a.ID+"/edit", "/directory/"+a.ID)
}

func (s *Server) assetEditSubmit(w http.ResponseWriter, r *http.Request) {
	cur, err := s.editableAsset(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f := readListingForm(r)
	a, problems := f.apply(cur)
	if len(problems) == 0 {
		err = s.svc.Assets.UpdateAsset(r.Context(), a)
		switch linkwork.ErrorCode(err) {
		case "":
			http.Redirect(w, r, "/directory/"+a.ID+"?done=saved", http.StatusSeeOther)
			return
		case linkwork.EINVALID:
			problems = linkwork.ErrorFields(err)
		case linkwork.ECONFLICT:
			problems = linkwork.Problems{{Field: "version", Message: linkwork.ErrorMessage(err)}}
		default:
			s.fail(w, r, false, err)
			return
		}
	}
	s.renderListingEdit(w, r, http.StatusUnprocessableEntity, cur, f, problems, false, "/directory/"+cur.ID+"/edit", "/directory/"+cur.ID)
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
}

func (s *Server) curatePage(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Listings.Curation(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p := &curatePage{Layout: Layout{Title: "Keep the directory true"}, C: c}
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

// searchFilter is directoryFilter for a request, preferring the centre of
// a full postcode from the loaded postcode table (linkwork import
// postcodes) to the centre of its district.
func (s *Server) searchFilter(r *http.Request) (linkwork.AssetFilter, directoryQuery, linkwork.Problems) {
	q := r.URL.Query()
	f, d, problems := directoryFilter(q)
	raw := strings.TrimSpace(q.Get("postcode"))
	if raw == "" || s.svc.Listings == nil {
		return f, d, problems
	}
	pt, ok, err := s.svc.Listings.PostcodePoint(r.Context(), raw)
	if err != nil {
		s.cfg.Logger.Warn("postcode table", "err", err)
		return f, d, problems
	}
	if !ok {
		return f, d, problems
	}
	f.Near = &pt
	if pc, err := linkwork.ParsePostcode(raw); err == nil {
		d.Postcode = pc.String()
	}
	kept := problems[:0]
	for _, p := range problems {
		if p.Field != "postcode" {
			kept = append(kept, p)
		}
	}
	return f, d, kept
}
