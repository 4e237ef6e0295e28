package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

const listSize = 25

type referralsPage struct {
	Layout
	Referrals []*linkwork.Referral
	Status    string
	Pathway   string
	Statuses  []option
	Pathways  []option
	Pager     pager
	Now       time.Time
	Mine      bool
	Referrer  bool
}

type option struct {
	Value, Label string
	Selected     bool
	Hint         string
}

func (s *Server) referralsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg := pageNumber(q.Get("page"))
	p := &referralsPage{Layout: Layout{Title: "Referrals"}, Status: q.Get("status"), Pathway: q.Get("pathway"), Now: s.cfg.Now()}
	u := currentUser(r)
	f := linkwork.ReferralFilter{Status: referralStatuses(p.Status), PersonID: q.Get("person"), Offset: (pg - 1) * listSize, Limit: listSize}
	if u.Role == linkwork.RoleReferrer {
		p.Referrer = true
		p.Title = "My organisation's referrals"
		if q.Get("mine") == "true" {
			p.Mine, p.Title, f.ReferrerUserID = true, "My referrals", u.ID
		}
	}
	if pw := linkwork.Pathway(p.Pathway); pw.Valid() {
		f.Pathway = pw
	}
	list, total, err := s.svc.Referrals.FindReferrals(r.Context(), f)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Referrals = list
	p.Statuses = []option{{Value: "all", Label: "All", Selected: p.Status == "" || p.Status == "all"}, {Value: "open", Label: "Awaiting a decision", Selected: p.Status == "open"}}
	for _, st := range []linkwork.ReferralStatus{linkwork.ReferralDeferred, linkwork.ReferralAccepted, linkwork.ReferralDeclined, linkwork.ReferralWithdrawn} {
		p.Statuses = append(p.Statuses, option{Value: string(st), Label: st.Label(), Selected: p.Status == string(st)})
	}
	p.Pathways = []option{{Value: "", Label: "All pathways", Selected: p.Pathway == ""}}
	for _, pw := range linkwork.Pathways {
		p.Pathways = append(p.Pathways, option{Value: string(pw), Label: pw.Label(), Selected: p.Pathway == string(pw)})
	}
	p.Pager = newPager(pg, listSize, total, func(n int) string {
		v := url.Values{"page": {strconv.Itoa(n)}, "status": {p.Status}, "pathway": {p.Pathway}}
		if f.PersonID != "" {
			v.Set("person", f.PersonID)
		}
		if p.Mine {
			v.Set("mine", "true")
		}
		return "/referrals?" + v.Encode()
	})
	s.render(w, r, http.StatusOK, "referrals", p)
}

type referralPage struct {
	Layout
	Referral    *linkwork.Referral
	Person      *linkwork.Person
	Referrer    string
	Now         time.Time
	Today       linkwork.Date
	Triager     bool
	Eligibility *linkwork.Eligibility // nil for a reader the service does not show it to
	Caseloads   []linkwork.Caseload
	Named       []string
	// Directory is the listings offered as onward destinations for a
	// declined referral, grouped by category, a bounded number of them:
	// the wellbeing listings, or those matching OnwardQuery.
	Directory []onwardGroup
	// OnwardQuery is what the decision form's listing search asked for.
	OnwardQuery string
	Decision    decisionForm
	Risk        riskForm
	// CanWithdraw: the reader may withdraw the referral, which closes its
	// case if it has one.
	CanWithdraw bool
	// RiskReviewer: the reader may record a decision on a possible risk.
	RiskReviewer bool
	Duplicate    *linkwork.Person
	// PlanOutcome is the message back once the case has closed.
	PlanOutcome *linkwork.CaseOutcome
	// Safeguarding is the referral's concerns, for those who may see
	// them, and whether the reader may raise one.
	Safeguarding safeguardingArea
}

func (s *Server) referralPage(w http.ResponseWriter, r *http.Request) {
	p := &referralPage{}
	switch r.URL.Query().Get("done") {
	case "sent":
		p.Notice = "Referral sent. You will see its progress here and in your messages."
	case "accepted", "declined", "deferred", "withdrawn", "triage":
		p.Notice = "Decision recorded: " + linkwork.ReferralStatus(r.URL.Query().Get("done")).Label()
	case "risk":
		p.Notice = "Your decision on the possible risk has been recorded"
	case "same":
		p.Notice = "The referral is now linked to the person already known"
	case "concern-raised":
		p.Notice = "Concern raised: the safeguarding lead has been told"
	case "different":
		p.Notice = "Marked as a different person"
	}
	s.showReferral(w, r, http.StatusOK, p)
}

// showReferral renders a referral with what its reader may do next.
func (s *Server) showReferral(w http.ResponseWriter, r *http.Request, status int, p *referralPage) {
	ctx := r.Context()
	ref, err := s.svc.Referrals.FindReferralByID(ctx, r.PathValue("id"))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	person, err := s.svc.People.FindPersonByID(ctx, ref.PersonID)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Title = "Referral for " + person.DisplayName()
	p.Referral, p.Person, p.Referrer, p.Now = ref, person, ref.ReferrerName, s.cfg.Now()
	if p.PlanOutcome, err = s.caseOutcomeFor(r, ref); err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Today = linkwork.DateOf(s.cfg.Now().In(ukTime))
	if ref.ReferrerOrgID != "" {
		o, err := s.svc.Organisations.FindOrganisationByID(ctx, ref.ReferrerOrgID)
		switch {
		case err == nil:
			p.Referrer = o.Name
		case linkwork.ErrorCode(err) != linkwork.ENOTFOUND:
			s.fail(w, r, false, err)
			return
		}
	}
	u := currentUser(r)
	rec := auth.Record{Kind: auth.KindReferral, ServiceOrgID: ref.ServiceOrgID}
	p.Triager = auth.Can(u.Actor(), auth.ActionDecide, rec)
	p.RiskReviewer = ref.Risk.State == linkwork.RiskReviewToday && auth.Can(u.Actor(), auth.ActionReviewRisk, rec)
	if p.Triager {
		if p.CanWithdraw, err = s.mayCloseCase(ctx, u, ref.CaseID); err != nil {
			s.fail(w, r, false, err)
			return
		}
	}
	if p.Safeguarding, err = s.loadSafeguarding(ctx, u, ref.ID, auth.Record{Kind: auth.KindReferral, ServiceOrgID: ref.ServiceOrgID}, "/referrals/"+ref.ID+"/concerns/new"); err != nil {
		s.fail(w, r, false, err)
		return
	}
	if p.Eligibility, err = s.svc.Referrals.ReferralEligibility(ctx, ref.ID); err != nil {
		s.fail(w, r, false, err)
		return
	}
	if u.Role != linkwork.RoleReferrer {
		if ref.PossibleDuplicateOf != "" {
			// A record since removed leaves the warning without the
			// person it matched.
			if p.Duplicate, err = s.svc.People.FindPersonByID(ctx, ref.PossibleDuplicateOf); err != nil && linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
				s.fail(w, r, false, err)
				return
			}
		}
	}
	if p.Triager && ref.Status.Open() {
		if p.Caseloads, err = s.svc.Triage.Caseloads(ctx); err != nil {
			s.fail(w, r, false, err)
			return
		}
		p.Named = namedDestinations
		f := linkwork.AssetFilter{Category: linkwork.CategoryWellbeing, Sort: linkwork.SortName, Limit: onwardListings}
		if q := strings.TrimSpace(r.URL.Query().Get("onward_q")); q != "" {
			// A search for the onward destination, without JavaScript:
			// the decline's choices open with what it found.
			p.OnwardQuery, f.Query, f.Category, f.Sort = q, q, "", linkwork.SortDefault
			if p.Decision.To == "" {
				p.Decision.To = string(linkwork.ReferralDeclined)
			}
		}
		found, err := s.svc.Assets.FindAssetNames(ctx, f)
		if err != nil {
			s.fail(w, r, false, err)
			return
		}
		p.Directory = onwardGroups(found)
	}
	s.render(w, r, status, "referral", p)
}

// onwardListings is how many wellbeing listings the decision form offers
// as a declined referral's onward destination, by name.
const onwardListings = 100

// mayCloseCase reports whether u may close the case with the id (a
// referral without a case has none to close; one they cannot see, they may
// not), as the policy decides.
func (s *Server) mayCloseCase(ctx context.Context, u *linkwork.User, caseID string) (bool, error) {
	if caseID == "" {
		return true, nil
	}
	c, err := s.svc.Cases.FindCaseByID(ctx, caseID)
	if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return auth.Can(u.Actor(), auth.ActionClose, auth.Record{Kind: auth.KindCase, ServiceOrgID: c.ServiceOrgID, LinkWorkerID: c.LinkWorkerID}), nil
}

type casesPage struct {
	Layout
	Cases []*linkwork.Case
	// Concerns flags the cases (by referral) with an open safeguarding
	// concern.
	Concerns map[string]bool
	Status   string
	Statuses []option
	Pager    pager
}

func (s *Server) casesPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	pg := pageNumber(q.Get("page"))
	p := &casesPage{Layout: Layout{Title: "Cases"}, Status: q.Get("status")}
	if currentUser(r).Role == linkwork.RoleLinkWorker {
		p.Title = "My caseload"
	}
	f := linkwork.CaseFilter{Offset: (pg - 1) * listSize, Limit: listSize}
	switch p.Status {
	case "", "open":
		p.Status = "open"
		f.Status = []linkwork.CaseStatus{linkwork.CaseActive, linkwork.CaseEnding}
	case "all":
	default:
		f.Status = []linkwork.CaseStatus{linkwork.CaseStatus(p.Status)}
	}
	list, total, err := s.svc.Cases.FindCases(r.Context(), f)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Cases = list
	refs := make([]string, len(list))
	for i, c := range list {
		refs[i] = c.ReferralID
	}
	if p.Concerns, err = s.concernFlags(r.Context(), currentUser(r), refs); err != nil {
		s.fail(w, r, false, err)
		return
	}
	for _, o := range []option{{Value: "open", Label: "Active and ending", Selected: false}, {Value: "waiting", Label: "Waiting list", Selected: false}, {Value: "active", Label: "Active", Selected: false}, {Value: "ending", Label: "Ending", Selected: false}, {Value: "closed", Label: "Closed", Selected: false}, {Value: "all", Label: "All", Selected: false}} {
		o.Selected = o.Value == p.Status
		p.Statuses = append(p.Statuses, o)
	}
	p.Pager = newPager(pg, listSize, total, func(n int) string {
		return "/cases?" + url.Values{"page": {strconv.Itoa(n)}, "status": {p.Status}}.Encode()
	})
	s.render(w, r, http.StatusOK, "cases", p)
}

type connectionsPage struct {
	Layout
	Connections []*linkwork.Connection
	Pager       pager
	// Answering: the reader answers referrals to their organisation's
	// activities, as the policy decides; Form and FormConn are an answer
	// sent back with problems, and the connection it was for.
	Answering bool
	Form      map[string]string
	FormConn  string
	// Views are how people found the organisation's activities, in
	// numbers, for those with enough views to name nobody.
	Views []linkwork.ActivityViews
}

// MoveForm is the form for the answers the reader may give to
// connection c; it has no moves when they may give none.
func (p *connectionsPage) MoveForm(c *linkwork.Connection) moveForm {
	var moves []option
	if p.Answering {
		moves = moveOptions(c.Status, true)
	}
	return newMoveForm(c, "/connections/"+c.ID+"/moves", moves, p.FormConn, p.Form, p.Errors)
}

func (s *Server) connectionsPage(w http.ResponseWriter, r *http.Request) {
	p := &connectionsPage{}
	if r.URL.Query().Get("done") == "answered" {
		p.Notice = "Your answer has been recorded"
	}
	s.showConnections(w, r, http.StatusOK, p)
}

// showConnections loads and renders the connections page; an answer form's
// handler calls it with the form's state and problems, and status 422.
func (s *Server) showConnections(w http.ResponseWriter, r *http.Request, status int, p *connectionsPage) {
	pg := pageNumber(r.URL.Query().Get("page"))
	p.Title = "Connections"
	u := currentUser(r)
	if u.Role == linkwork.RoleCommunity {
		p.Title = "People referred to us"
	}
	p.Answering = auth.Can(u.Actor(), auth.ActionRespond, auth.Record{Kind: auth.KindConnection, AssetOrgIDs: []string{u.OrgID}})
	list, total, err := s.svc.Connections.FindConnections(r.Context(), linkwork.ConnectionFilter{Offset: (pg - 1) * listSize, Limit: listSize})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Connections = list
	if p.Answering && s.svc.Stages != nil {
		if p.Views, err = s.svc.Stages.FindActivityViews(r.Context()); err != nil {
			s.fail(w, r, false, err)
			return
		}
	}
	p.Pager = newPager(pg, listSize, total, func(n int) string { return "/connections?page=" + strconv.Itoa(n) })
	s.render(w, r, status, "connections", p)
}

// onwardGroup is the listings of one category offered as a declined
// referral's onward destination.
type onwardGroup struct {
	Label   string
	Choices []string
}

// onwardGroups groups listings by their first category, each named so
// that two of the same name can be told apart: by where it happens (the
// place and postcode district), or online.
func onwardGroups(found []linkwork.AssetName) []onwardGroup {
	names := map[string]int{}
	for _, a := range found {
		names[a.Name]++
	}
	var out []onwardGroup
	at := map[linkwork.Category]int{}
	for _, a := range found {
		label := a.Name
		if names[a.Name] > 1 {
			if a.HasPlace {
				district, _, _ := strings.Cut(a.PostalCode, " ")
				label += " (" + strings.TrimSpace(a.Place+" "+district) + ")"
			} else {
				label += " (online)"
			}
		}
		c := a.Category
		i, ok := at[c]
		if !ok {
			i = len(out)
			at[c] = i
			name := "Other listings"
			if c != "" {
				name = c.Label()
			}
			out = append(out, onwardGroup{Label: "From the directory: " + name})
		}
		out[i].Choices = append(out[i].Choices, label)
	}
	return out
}
