package web

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// Adding and editing listings: one form for a curator adding a listing,
// a curator editing one, and a listing's contact correcting it through a
// verification link (pages_listings.go).

// listingEditPage is the listing form's page.
type listingEditPage struct {
	Layout
	Asset  *linkwork.Asset // nil when adding
	Form   listingForm
	Action string // where the form posts
	Cancel string
	ByLink bool // the listing's contact, through a verification link
	Adding bool
	// Orgs are the organisations a coordinator may choose between; when
	// there is no choice, OrgName is who runs it.
	Orgs    []option
	OrgName string
	// The choices the form offers.
	Statuses, Capacity, Joins, Categories, Days, Weeks []option
	// Places are the form's places as a session may choose them.
	Places []option
	// History is the listing's recent versions, newest first, for
	// curators; HistoryMore says there are older ones.
	History     []historyRow
	HistoryMore bool
}

// historyRow is one saved version of a listing, as its history shows it.
type historyRow struct {
	Version int
	At      time.Time
	By      string
	Changed string // what changed, in words: "Sessions and cost"
}

// listingView is what the listing form's page shows.
type listingView struct {
	asset          *linkwork.Asset // nil when adding
	form           listingForm
	errs           []linkwork.FieldError
	byLink, adding bool
	action, cancel string
	orgName        string
	orgs           []*linkwork.Organisation // a coordinator's choice
	history        []*linkwork.AssetVersion
}

// historyShown is how many versions the edit page lists.
const historyShown = 10

func (s *Server) renderListingEdit(w http.ResponseWriter, r *http.Request, status int, v listingView) {
	title := "Add a listing"
	if v.asset != nil {
		title = "Update " + v.asset.Name
	}
	p := &listingEditPage{Layout: Layout{Title: title, Errors: v.errs}, Asset: v.asset, Form: v.form, Action: v.action, Cancel: v.cancel,
		ByLink: v.byLink, Adding: v.adding, OrgName: v.orgName}
	if v.orgs != nil {
		p.Orgs = []option{{Value: "", Label: "Choose an organisation"}}
		for _, o := range v.orgs {
			p.Orgs = append(p.Orgs, option{Value: o.ID, Label: o.Name})
		}
	}
	for _, st := range []linkwork.AssetStatus{linkwork.AssetActive, linkwork.AssetTempClosed, linkwork.AssetInactive, linkwork.AssetDefunct} {
		label := map[linkwork.AssetStatus]string{linkwork.AssetActive: "Running", linkwork.AssetTempClosed: "Temporarily closed",
			linkwork.AssetInactive: "Not running at the moment", linkwork.AssetDefunct: "Stopped for good"}[st]
		p.Statuses = append(p.Statuses, option{Value: string(st), Label: label})
	}
	for _, c := range linkwork.CapacityStatuses {
		p.Capacity = append(p.Capacity, option{Value: string(c), Label: c.Label()})
	}
	joinHints := map[linkwork.HowToJoin]string{linkwork.JoinDropIn: "Just turn up", linkwork.JoinSelfRefer: "People get in touch with you first",
		linkwork.JoinReferral: "Someone such as a GP or school has to refer them", linkwork.JoinViaLinkWorker: "A link worker arranges it"}
	for _, j := range linkwork.HowToJoins {
		p.Joins = append(p.Joins, option{Value: string(j), Label: j.Label(), Hint: joinHints[j]})
	}
	for _, c := range linkwork.Categories {
		p.Categories = append(p.Categories, option{Value: string(c), Label: c.Label()})
	}
	for _, d := range linkwork.Weekdays {
		p.Days = append(p.Days, option{Value: d, Label: linkwork.WeekdayName(d)})
	}
	p.Weeks = []option{{Value: "", Label: "Every week"}, {Value: "1", Label: "First week of the month"}, {Value: "2", Label: "Second week of the month"},
		{Value: "3", Label: "Third week of the month"}, {Value: "4", Label: "Fourth week of the month"}, {Value: "-1", Label: "Last week of the month"}}
	p.Places = []option{{Value: "", Label: "Not saying, or every place"}}
	for i, l := range v.form.Places {
		if l.Remove {
			continue
		}
		label := "Place " + strconv.Itoa(i+1)
		switch {
		case l.Name != "":
			label += ": " + l.Name
		case l.Online():
			label += ": online"
		case l.Postcode != "":
			label += ": " + l.Postcode
		}
		p.Places = append(p.Places, option{Value: strconv.Itoa(i), Label: label})
	}
	for i, ver := range v.history {
		if i == historyShown {
			p.HistoryMore = true
			break
		}
		row := historyRow{Version: ver.Version, At: ver.ChangedAt, By: ver.ChangedByName}
		if row.By == "" {
			row.By = "The service"
		}
		if i+1 < len(v.history) {
			row.Changed = changedParts(v.history[i+1].Asset, ver.Asset)
		} else if ver.Version == 1 {
			row.Changed = "Added"
		}
		p.History = append(p.History, row)
	}
	if v.byLink {
		w.Header().Set("Cache-Control", "no-store")
	}
	s.render(w, r, status, "listing_edit", p)
}

// changedParts says which parts of a listing differ between two versions,
// in the words of the form: "Name, sessions and cost".
func changedParts(was, now *linkwork.Asset) string {
	parts := []struct {
		label    string
		was, now any
	}{
		{"who runs it", was.OrgID, now.OrgID},
		{"name", was.Name, now.Name},
		{"description", was.Description, now.Description},
		{"categories", sortedCategories(was), sortedCategories(now)}, // a set: the store keeps them in its own order
		{"whether it is running", was.Status, now.Status},
		{"ages", [2]int{was.MinAge, was.MaxAge}, [2]int{now.MinAge, now.MaxAge}},
		{"how to join", was.HowToJoin, now.HowToJoin},
		{"places free", capacityOf(was), capacityOf(now)},
		{"welcome", [2]bool{was.YouthFriendly, was.BuddyWelcome}, [2]bool{now.YouthFriendly, now.BuddyWelcome}},
		{"places", was.Locations, now.Locations},
		{"sessions", was.Schedules, now.Schedules},
		{"cost", was.CostOptions, now.CostOptions},
		{"people to ask", was.Contacts, now.Contacts},
		{"languages", was.Languages, now.Languages},
		{"areas served", was.ServiceAreas, now.ServiceAreas},
		{"access", was.Accessibility, now.Accessibility},
		{"contact details", [3]string{was.URL, was.Email, was.Phone}, [3]string{now.URL, now.Email, now.Phone}},
		{"checked", was.AssuredAt.Unix(), now.AssuredAt.Unix()},
	}
	var changed []string
	for _, p := range parts {
		if !reflect.DeepEqual(emptyNil(p.was), emptyNil(p.now)) {
			changed = append(changed, p.label)
		}
	}
	switch len(changed) {
	case 0:
		return "Saved with no changes"
	case 1:
		return upperFirst(changed[0])
	}
	return upperFirst(strings.Join(changed[:len(changed)-1], ", ") + " and " + changed[len(changed)-1])
}

func sortedCategories(a *linkwork.Asset) []linkwork.Category {
	return slices.Sorted(slices.Values(a.Categories))
}

func capacityOf(a *linkwork.Asset) [3]string {
	return [3]string{string(a.Capacity.Status), optInt(a.Capacity.Available), optInt(a.Capacity.Maximum)}
}

// emptyNil treats an empty slice as nil, as a saved version's JSON does.
func emptyNil(v any) any {
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Slice && rv.Len() == 0 {
		return nil
	}
	return v
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// editableAsset finds the listing for its edit page: ENOTFOUND when there
// is none, EFORBIDDEN when it is another organisation's.
func (s *Server) editableAsset(r *http.Request) (*linkwork.Asset, error) {
	a, err := s.svc.Assets.FindAssetByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	if !auth.Can(currentUser(r).Actor(), auth.ActionUpdate, auth.AssetRecord(a)) {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "You can only change your own organisation's listings")
	}
	return a, nil
}

// postcodeFinder finds full postcodes in the loaded postcode table, for
// the request.
func (s *Server) postcodeFinder(r *http.Request) postcodeFinder {
	if s.svc.Listings == nil {
		return nil
	}
	return func(postcode string) (linkwork.Point, bool) {
		pt, ok, err := s.svc.Listings.PostcodePoint(r.Context(), postcode)
		if err != nil {
			s.cfg.Logger.Warn("postcode table", "err", err)
			return pt, false
		}
		return pt, ok
	}
}

// curatorView is the parts of the listing form's page that depend on the
// curator: who runs the listing, and a coordinator's choice of it.
func (s *Server) curatorView(r *http.Request, v *listingView) error {
	u := currentUser(r)
	if u.Role == linkwork.RoleCoordinator {
		orgs, _, err := s.svc.Organisations.FindOrganisations(r.Context(), linkwork.OrganisationFilter{Limit: 5000})
		if err != nil {
			return err
		}
		slices.SortFunc(orgs, func(a, b *linkwork.Organisation) int { return strings.Compare(a.Name, b.Name) })
		v.orgs = orgs
		if v.orgs == nil {
			v.orgs = []*linkwork.Organisation{}
		}
		return nil
	}
	if o, err := s.svc.Organisations.FindOrganisationByID(r.Context(), v.form.OrgID); err == nil {
		v.orgName = o.Name
	}
	return nil
}

// chosenOrg checks the organisation a coordinator chose: EINVALID's
// problem for org_id, or none.
func (s *Server) chosenOrg(r *http.Request, orgID string, required bool) linkwork.Problems {
	var p linkwork.Problems
	if orgID == "" {
		if required {
			p.Add("org_id", "Choose the organisation that runs it")
		}
		return p
	}
	if _, err := s.svc.Organisations.FindOrganisationByID(r.Context(), orgID); err != nil {
		p.Add("org_id", "Choose one of the organisations in the list")
	}
	return p
}

func (s *Server) assetNewPage(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	orgID := ""
	if u.Role == linkwork.RoleCommunity {
		if u.OrgID == "" {
			s.fail(w, r, false, linkwork.Errorf(linkwork.EFORBIDDEN, "Your account is not linked to an organisation, so you cannot add listings. Ask your administrator."))
			return
		}
		orgID = u.OrgID
	}
	v := listingView{form: newListingForm(orgID), adding: true, action: "/directory/new", cancel: "/directory/curate"}
	if err := s.curatorView(r, &v); err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.renderListingEdit(w, r, http.StatusOK, v)
}

func (s *Server) assetNewSubmit(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	f := readListingForm(r)
	var problems linkwork.Problems
	if u.Role == linkwork.RoleCommunity {
		// A community organisation's listing is its own: not a choice.
		if u.OrgID == "" {
			s.fail(w, r, false, linkwork.Errorf(linkwork.EFORBIDDEN, "Your account is not linked to an organisation, so you cannot add listings. Ask your administrator."))
			return
		}
		f.OrgID = u.OrgID
	} else {
		problems = s.chosenOrg(r, f.OrgID, true)
	}
	f.Version = ""
	// Whoever adds a listing has just checked it.
	base := &linkwork.Asset{OrgID: f.OrgID, AssuredAt: s.cfg.Now(), AssuredBy: u.ID}
	ap, more := f.apply(base, s.postcodeFinder(r))
	problems = append(problems, more...)
	if len(problems) == 0 {
		err := s.svc.Assets.CreateAsset(r.Context(), ap.Asset)
		switch linkwork.ErrorCode(err) {
		case "":
			http.Redirect(w, r, "/directory/"+ap.Asset.ID+"?done=added", http.StatusSeeOther)
			return
		case linkwork.EINVALID:
			problems = ap.formProblems(err)
		default:
			s.fail(w, r, false, err)
			return
		}
	}
	f.addBlankRows()
	v := listingView{form: f, errs: problems, adding: true, action: "/directory/new", cancel: "/directory/curate"}
	if err := s.curatorView(r, &v); err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.renderListingEdit(w, r, http.StatusUnprocessableEntity, v)
}

// editView is the edit page's view of a listing, with its history.
func (s *Server) editView(r *http.Request, a *linkwork.Asset, f listingForm, errs []linkwork.FieldError) (listingView, error) {
	v := listingView{asset: a, form: f, errs: errs, action: "/directory/" + a.ID + "/edit", cancel: "/directory/" + a.ID}
	if err := s.curatorView(r, &v); err != nil {
		return v, err
	}
	history, err := s.svc.Assets.FindAssetVersions(r.Context(), a.ID)
	if err != nil {
		return v, err
	}
	v.history = history
	return v, nil
}

func (s *Server) assetEditPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.editableAsset(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	v, err := s.editView(r, a, formOf(a), nil)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.renderListingEdit(w, r, http.StatusOK, v)
}

func (s *Server) assetEditSubmit(w http.ResponseWriter, r *http.Request) {
	cur, err := s.editableAsset(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	f := readListingForm(r)
	var problems linkwork.Problems
	if _, sent := r.PostForm["org_id"]; !sent || currentUser(r).Role != linkwork.RoleCoordinator {
		// Only a coordinator moves a listing to another organisation.
		f.OrgID = cur.OrgID
	} else {
		problems = s.chosenOrg(r, f.OrgID, cur.OrgID != "")
	}
	base := *cur
	base.OrgID = f.OrgID
	ap, more := f.apply(&base, s.postcodeFinder(r))
	problems = append(problems, more...)
	if f.Confirm && ap.Asset != nil {
		// Checked today by the editor: due again one re-check interval
		// from now, as the store works out from a listing without a date.
		ap.Asset.AssuredAt, ap.Asset.AssuredBy, ap.Asset.VerifyBy = s.cfg.Now(), currentUser(r).ID, linkwork.Date{}
	}
	if len(problems) == 0 {
		err = s.svc.Assets.UpdateAsset(r.Context(), ap.Asset)
		switch linkwork.ErrorCode(err) {
		case "":
			http.Redirect(w, r, "/directory/"+cur.ID+"?done=saved", http.StatusSeeOther)
			return
		case linkwork.EINVALID:
			problems = ap.formProblems(err)
		case linkwork.ECONFLICT:
			problems = linkwork.Problems{{Field: "version", Message: linkwork.ErrorMessage(err)}}
		default:
			s.fail(w, r, false, err)
			return
		}
	}
	f.addBlankRows()
	v, err := s.editView(r, cur, f, problems)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.renderListingEdit(w, r, http.StatusUnprocessableEntity, v)
}

// assetConfirmSubmit records that a curator checked the listing as it was
// shown (its version) and it is still right.
func (s *Server) assetConfirmSubmit(w http.ResponseWriter, r *http.Request) {
	a, err := s.editableAsset(r)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		version = 0 // refused as stale below
	}
	if _, err := s.svc.Listings.ConfirmAsset(r.Context(), a.ID, version); err != nil {
		if linkwork.ErrorCode(err) != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		v, verr := s.editView(r, a, formOf(a), linkwork.Problems{{Field: "version", Message: "Someone changed this listing since you opened it. Check it again as it is now, then confirm it."}})
		if verr != nil {
			s.fail(w, r, false, verr)
			return
		}
		s.renderListingEdit(w, r, http.StatusConflict, v)
		return
	}
	http.Redirect(w, r, "/directory/"+a.ID+"?done=confirmed", http.StatusSeeOther)
}
