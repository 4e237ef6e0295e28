package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// caseAllocationArea is the case page's area for: Out of the waiting list and between workers: allocation, taking the next person, waiting-well check-ins, complexity, hand-over.
type caseAllocationArea struct {
	// Workers are the service's link workers and their caseloads, for a
	// coordinator allocating or handing over.
	Workers   []linkwork.WorkerLoad
	Handovers []*linkwork.Handover
	// Checks are the waiting well check-ins, while the case waits.
	Checks []*linkwork.WaitingCheck
	// The forms' state, kept as typed when a form comes back.
	Worker     string
	Note       string
	Complexity string
}

// WorkerOptions are the link workers to choose from, each with their
// caseload, leaving out the case's own worker.
func (a caseAllocationArea) WorkerOptions(current string) []option {
	return workerOptions(a.Workers, current)
}

func workerOptions(loads []linkwork.WorkerLoad, leaveOut string) []option {
	out := []option{{Value: "", Label: "Choose a link worker"}}
	for _, l := range loads {
		if l.UserID == leaveOut {
			continue
		}
		out = append(out, option{Value: l.UserID, Label: workerLabel(l)})
	}
	return out
}

// workerLabel is a worker as a coordinator chooses them: "Sam Patel (12
// cases, weighted 17 of 30)".
func workerLabel(l linkwork.WorkerLoad) string {
	cases := "cases"
	if l.Cases == 1 {
		cases = "case"
	}
	label := fmt.Sprintf("%s (%d %s, weighted %d of %d)", l.Name, l.Cases, cases, l.Weighted, l.Limit)
	if l.Full() {
		label += " – full"
	}
	return label
}

// loadCaseAllocation fills the case page's allocation area for p.Case.
func (s *Server) loadCaseAllocation(r *http.Request, p *casePage) error {
	var err error
	if p.CanAllocate {
		if p.Allocation.Workers, err = s.svc.Allocation.WorkerChoices(r.Context()); err != nil {
			return err
		}
	}
	if p.Allocation.Complexity == "" {
		p.Allocation.Complexity = strconv.Itoa(max(p.Case.Complexity, 1))
	}
	if p.Case.Status == linkwork.CaseWaiting {
		if p.Allocation.Checks, err = s.svc.Allocation.FindWaitingChecks(r.Context(), p.Case.ID); err != nil {
			return err
		}
	}
	p.Allocation.Handovers, err = s.svc.Allocation.FindHandovers(r.Context(), p.Case.ID)
	return err
}

func init() {
	caseNotices["allocated"] = "Link worker allocated. The person and their referrer have been told."
	caseNotices["taken"] = "They are on your caseload now. They have been told you will be in touch."
	caseNotices["complexity"] = "Complexity saved"
	caseNotices["handed-over"] = "Case handed over. The new link worker and the person have been told."
	caseNotices["closed-declined"] = "Case closed: they no longer want support"
}

// routesCaseAllocation registers the allocation area's pages and API routes.
func (s *Server) routesCaseAllocation() {
	s.handle("POST", "/cases/{id}/allocate", may(auth.AllocateCases), s.allocateSubmit)
	s.handle("POST", "/cases/{id}/complexity", may(auth.SetComplexity), s.complexitySubmit)
	s.handle("POST", "/cases/{id}/handover", may(auth.HandOverCases), s.handoverSubmit)
	s.handle("POST", "/waiting-list/take", may(auth.TakeNextCase), s.takeNextSubmit)
	s.handle("GET", "/caseload", may(auth.ReadCaseload), s.caseloadPage)
	s.handle("GET", "/caseloads", may(auth.AllocateCases), s.caseloadsPage)
	s.handle("POST", "/caseloads/handover", may(auth.HandOverCases), s.caseloadHandoverSubmit)

	s.handle("GET", "/cases/{id}/waiting-check", may(auth.CheckWaiting), s.waitingCheckPage)
	s.handle("POST", "/cases/{id}/waiting-check", may(auth.CheckWaiting), s.waitingCheckSubmit)
	s.handle("POST", "/cases/{id}/waiting-check/close", may(auth.CloseWaiting), s.waitingCloseSubmit)
	s.handle("GET", "/api/v1/cases/{id}/waiting-checks", may(auth.CheckWaiting), s.apiListWaitingChecks)
	s.handle("POST", "/api/v1/cases/{id}/waiting-checks", may(auth.CheckWaiting), s.idempotent(s.apiAddWaitingCheck))
	s.handle("POST", "/api/v1/cases/{id}/allocate", may(auth.AllocateCases), s.apiAllocateCase)
	s.handle("POST", "/api/v1/cases/{id}/complexity", may(auth.SetComplexity), s.apiSetComplexity)
	s.handle("POST", "/api/v1/cases/{id}/handover", may(auth.HandOverCases), s.apiHandOverCase)
	s.handle("GET", "/api/v1/cases/{id}/handovers", may(auth.ReadCases), s.apiListHandovers)
	s.handle("POST", "/api/v1/waiting-list/take", may(auth.TakeNextCase), s.apiTakeNextCase)
	s.handle("GET", "/api/v1/caseload", may(auth.ReadCaseload), s.apiCaseload)
	s.handle("GET", "/api/v1/team-caseloads", may(auth.AllocateCases), s.apiTeamCaseloads)
	s.handle("POST", "/api/v1/caseloads/{id}/handover", may(auth.HandOverCases), s.apiHandOverCaseload)
}

// formVersion reads the version a form was showing.
func formVersion(r *http.Request, p *linkwork.Problems) int {
	v, err := parseInt(r.PostFormValue("version"))
	if err != nil || v < 1 {
		p.Add("version", "The form lost which version of the case it showed: open the case again")
	}
	return v
}

// caseFormFailed shows the case page again with a form's problems, or
// fails when the error is not about the form.
func (s *Server) caseFormFailed(w http.ResponseWriter, r *http.Request, err error, field string, p *casePage) {
	if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
		s.fail(w, r, false, err)
		return
	}
	p.Errors = linkwork.ErrorFields(err)
	if len(p.Errors) == 0 {
		p.Errors = []linkwork.FieldError{{Field: field, Message: linkwork.ErrorMessage(err)}}
	}
	s.showCase(w, r, ErrorStatus(err), p)
}

func (s *Server) allocateSubmit(w http.ResponseWriter, r *http.Request) {
	var problems linkwork.Problems
	version := formVersion(r, &problems)
	worker := r.PostFormValue("link_worker_id")
	if worker == "" {
		problems.Add("link_worker_id", "Choose the link worker to allocate")
	}
	p := &casePage{Allocation: caseAllocationArea{Worker: worker}}
	if err := problems.Err(); err != nil {
		s.caseFormFailed(w, r, err, "link_worker_id", p)
		return
	}
	c, err := s.svc.Cases.AllocateCase(r.Context(), r.PathValue("id"), version, worker)
	if err != nil {
		s.caseFormFailed(w, r, err, "link_worker_id", p)
		return
	}
	http.Redirect(w, r, "/cases/"+c.ID+"?done=allocated#allocation", http.StatusSeeOther)
}

func (s *Server) complexitySubmit(w http.ResponseWriter, r *http.Request) {
	var problems linkwork.Problems
	version := formVersion(r, &problems)
	raw := r.PostFormValue("complexity")
	n, err := parseInt(raw)
	if err != nil {
		problems.Add("complexity", "Choose a complexity of 1, 2 or 3")
	}
	p := &casePage{Allocation: caseAllocationArea{Complexity: raw}}
	if err := problems.Err(); err != nil {
		s.caseFormFailed(w, r, err, "complexity", p)
		return
	}
	if _, err := s.svc.Allocation.SetComplexity(r.Context(), r.PathValue("id"), version, n); err != nil {
		s.caseFormFailed(w, r, err, "complexity", p)
		return
	}
	http.Redirect(w, r, "/cases/"+r.PathValue("id")+"?done=complexity#allocation", http.StatusSeeOther)
}

func (s *Server) handoverSubmit(w http.ResponseWriter, r *http.Request) {
	var problems linkwork.Problems
	version := formVersion(r, &problems)
	worker, note := r.PostFormValue("link_worker_id"), strings.TrimSpace(r.PostFormValue("note"))
	if worker == "" {
		problems.Add("link_worker_id", "Choose the link worker to hand the case to")
	}
	p := &casePage{Allocation: caseAllocationArea{Worker: worker, Note: note}}
	if err := problems.Err(); err != nil {
		s.caseFormFailed(w, r, err, "link_worker_id", p)
		return
	}
	if _, err := s.svc.Allocation.HandOverCase(r.Context(), r.PathValue("id"), version, worker, note); err != nil {
		s.caseFormFailed(w, r, err, "link_worker_id", p)
		return
	}
	http.Redirect(w, r, "/cases/"+r.PathValue("id")+"?done=handed-over#allocation", http.StatusSeeOther)
}

func (s *Server) takeNextSubmit(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Allocation.TakeNextCase(r.Context())
	if err == nil {
		http.Redirect(w, r, "/cases/"+c.ID+"?done=taken", http.StatusSeeOther)
		return
	}
	if linkwork.ErrorCode(err) != linkwork.EINVALID && linkwork.ErrorCode(err) != linkwork.ECONFLICT {
		s.fail(w, r, false, err)
		return
	}
	p := &caseloadPage{Layout: Layout{Errors: linkwork.ErrorFields(err)}}
	if len(p.Errors) == 0 {
		p.Errors = []linkwork.FieldError{{Field: "caseload", Message: linkwork.ErrorMessage(err)}}
	}
	s.showCaseload(w, r, ErrorStatus(err), p)
}

// caseloadPage is a link worker's caseload.
type caseloadPage struct {
	Layout
	Items   []*linkwork.CaseloadItem
	Query   linkwork.CaseloadQuery
	Worker  *linkwork.WorkerLoad // whose caseload, with its size
	Own     bool                 // the reader's own: they may take the next person
	Now     time.Time
	Sorts   []option
	Stages  []option
	Waiting bool // someone is on the waiting list
	// Concerns flags the cases (by referral) with an open safeguarding
	// concern.
	Concerns map[string]bool
}

func (s *Server) caseloadPage(w http.ResponseWriter, r *http.Request) {
	p := &caseloadPage{}
	if r.URL.Query().Get("done") == "handed-over" {
		p.Notice = "Cases handed over"
	}
	s.showCaseload(w, r, http.StatusOK, p)
}

func caseloadQuery(q url.Values) linkwork.CaseloadQuery {
	return linkwork.CaseloadQuery{WorkerID: q.Get("worker"), Stage: linkwork.CaseStatus(q.Get("stage")), OverdueOnly: q.Get("overdue") == "true", Sort: q.Get("sort")}
}

// showCaseload renders a caseload: the reader's own, or for a coordinator
// the worker the query names (without one, the team's caseloads).
func (s *Server) showCaseload(w http.ResponseWriter, r *http.Request, status int, p *caseloadPage) {
	ctx := r.Context()
	u := currentUser(r)
	p.Query = caseloadQuery(r.URL.Query())
	if u.Role == linkwork.RoleCoordinator && p.Query.WorkerID == "" {
		http.Redirect(w, r, "/caseloads", http.StatusSeeOther)
		return
	}
	if err := p.Query.Validate(); err != nil {
		s.fail(w, r, false, err)
		return
	}
	whose := p.Query.WorkerID
	if whose == "" {
		whose = u.ID
	}
	var items []*linkwork.CaseloadItem
	err := s.batch(ctx, func(ctx context.Context) error {
		var err error
		if items, err = s.svc.Allocation.Caseload(ctx, p.Query); err != nil {
			return err
		}
		refs := make([]string, len(items))
		for i, it := range items {
			refs[i] = it.Case.ReferralID
		}
		if p.Concerns, err = s.concernFlags(ctx, u, refs); err != nil {
			return err
		}
		p.Worker, err = s.svc.Allocation.WorkerLoad(ctx, whose)
		if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
			p.Worker, err = nil, nil
		}
		if err != nil {
			return err
		}
		if p.Worker != nil && p.Query.Whole() {
			// The whole caseload is here: what is overdue is counted
			// from it, with the rest, rather than worked out again.
			p.Worker.Cases, p.Worker.Weighted, p.Worker.Overdue = 0, 0, 0
			for _, it := range items {
				p.Worker.Count(it)
			}
		}
		if whose != u.ID {
			return nil
		}
		p.Waiting, err = s.svc.Allocation.AnyoneWaiting(ctx)
		return err
	})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Items, p.Now, p.Own = items, s.cfg.Now(), whose == u.ID
	p.Title = "My caseload"
	if !p.Own && p.Worker != nil {
		p.Title = p.Worker.Name + "'s caseload"
	}
	for _, o := range []option{{Value: "overdue", Label: "Overdue first"}, {Value: "name", Label: "Name"}, {Value: "last_contact", Label: "Last contact, longest ago first"}, {Value: "next_contact", Label: "Next contact, soonest first"}} {
		o.Selected = o.Value == p.Query.Sort || (o.Value == "overdue" && p.Query.Sort == "")
		p.Sorts = append(p.Sorts, o)
	}
	for _, o := range []option{{Value: "", Label: "All"}, {Value: "active", Label: "Active"}, {Value: "ending", Label: "Ending"}, {Value: "closed", Label: "Closed, follow-up due"}} {
		o.Selected = o.Value == string(p.Query.Stage)
		p.Stages = append(p.Stages, o)
	}
	s.render(w, r, status, "allocation_caseload", p)
}

// caseloadsPage is the coordinator's view of the team's caseloads.
type caseloadsPage struct {
	Layout
	Loads   []linkwork.WorkerLoad // a page of them
	Pager   pager
	From    string
	To      string
	Note    string
	Options []option
}

func (s *Server) caseloadsPage(w http.ResponseWriter, r *http.Request) {
	p := &caseloadsPage{}
	if r.URL.Query().Get("done") == "handed-over" {
		p.Notice = "Caseload handed over: " + r.URL.Query().Get("n") + " cases. The new link worker and each person have been told."
	}
	s.showCaseloads(w, r, http.StatusOK, p)
}

func (s *Server) showCaseloads(w http.ResponseWriter, r *http.Request, status int, p *caseloadsPage) {
	page := pageNumber(r.URL.Query().Get("page"))
	err := s.batch(r.Context(), func(ctx context.Context) error {
		loads, total, err := s.svc.Allocation.WorkerLoads(ctx, linkwork.TeamQuery{Offset: (page - 1) * linkwork.TeamPageSize})
		if err != nil {
			return err
		}
		p.Loads = loads
		p.Pager = newPager(page, linkwork.TeamPageSize, total, func(n int) string { return "/caseloads?page=" + strconv.Itoa(n) })
		// The hand-over form chooses from every link worker.
		all, err := s.svc.Allocation.WorkerChoices(ctx)
		p.Options = workerOptions(all, "")
		return err
	})
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Title = "Caseloads"
	s.render(w, r, status, "allocation_caseloads", p)
}

func (s *Server) caseloadHandoverSubmit(w http.ResponseWriter, r *http.Request) {
	p := &caseloadsPage{From: r.PostFormValue("from"), To: r.PostFormValue("link_worker_id"), Note: strings.TrimSpace(r.PostFormValue("note"))}
	var problems linkwork.Problems
	if p.From == "" {
		problems.Add("from", "Choose whose cases to hand over")
	}
	if p.To == "" {
		problems.Add("link_worker_id", "Choose the link worker to hand the cases to")
	}
	err := problems.Err()
	n := 0
	if err == nil {
		n, err = s.svc.Allocation.HandOverCaseload(r.Context(), p.From, p.To, p.Note)
	}
	if err != nil {
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
		p.Errors = linkwork.ErrorFields(err)
		s.showCaseloads(w, r, ErrorStatus(err), p)
		return
	}
	http.Redirect(w, r, "/caseloads?done=handed-over&n="+strconv.Itoa(n), http.StatusSeeOther)
}

// The API.

type allocateIn struct {
	Version      int    `json:"version"`
	LinkWorkerID string `json:"link_worker_id"`
	Note         string `json:"note"`
}

type complexityIn struct {
	Version    int `json:"version"`
	Complexity int `json:"complexity"`
}

type caseloadItemJSON struct {
	Case             caseJSON   `json:"case"`
	LastContactAt    *time.Time `json:"last_contact_at,omitempty"`
	NextContactAt    *time.Time `json:"next_contact_at,omitempty"`
	Sessions         int        `json:"sessions"`
	FirstContactMade bool       `json:"first_contact_made"`
	FirstContactDue  *time.Time `json:"first_contact_due,omitempty"`
	ReviewDue        *int       `json:"review_due,omitempty"`
	OpenConnections  int        `json:"open_connections"`
	RiskFlagged      bool       `json:"risk_flagged"`
	Overdue          []string   `json:"overdue"`
}

func caseloadItemOut(it *linkwork.CaseloadItem) caseloadItemJSON {
	out := caseloadItemJSON{Case: caseOut(it.Case), LastContactAt: timePtr(it.LastContact), NextContactAt: timePtr(it.NextContact), Sessions: it.Sessions,
		FirstContactMade: it.FirstContactMade, FirstContactDue: timePtr(it.FirstContactDue), OpenConnections: it.OpenConnections, RiskFlagged: it.RiskFlagged, Overdue: []string{}}
	if it.ReviewDue > 0 {
		n := it.ReviewDue
		out.ReviewDue = &n
	}
	for _, o := range it.Overdue {
		out.Overdue = append(out.Overdue, string(o))
	}
	return out
}

type workerLoadJSON struct {
	UserID   string `json:"user_id"`
	Name     string `json:"name"`
	Cases    int    `json:"cases"`
	Weighted int    `json:"weighted"`
	Limit    int    `json:"limit"`
	Full     bool   `json:"full"`
	Overdue  int    `json:"overdue"`
}

type handoverJSON struct {
	ID           string    `json:"id"`
	CaseID       string    `json:"case_id"`
	FromWorkerID string    `json:"from_worker_id,omitempty"`
	FromName     string    `json:"from_name,omitempty"`
	ToWorkerID   string    `json:"to_worker_id"`
	ToName       string    `json:"to_name"`
	Note         string    `json:"note"`
	At           time.Time `json:"at"`
}

// versionProblem is the EINVALID of a change sent without the version
// read.
func versionProblem(v int) error {
	if v < 1 {
		return linkwork.FieldErr("version", "Send the version of the case you read")
	}
	return nil
}

func (s *Server) apiAllocateCase(w http.ResponseWriter, r *http.Request) {
	var in allocateIn
	err := decodeJSON(w, r, &in)
	if err == nil {
		err = versionProblem(in.Version)
	}
	var c *linkwork.Case
	if err == nil {
		c, err = s.svc.Cases.AllocateCase(r.Context(), r.PathValue("id"), in.Version, in.LinkWorkerID)
	}
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, caseOut(c))
}

func (s *Server) apiSetComplexity(w http.ResponseWriter, r *http.Request) {
	var in complexityIn
	err := decodeJSON(w, r, &in)
	if err == nil {
		err = versionProblem(in.Version)
	}
	var c *linkwork.Case
	if err == nil {
		c, err = s.svc.Allocation.SetComplexity(r.Context(), r.PathValue("id"), in.Version, in.Complexity)
	}
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, caseOut(c))
}

func (s *Server) apiHandOverCase(w http.ResponseWriter, r *http.Request) {
	var in allocateIn
	err := decodeJSON(w, r, &in)
	if err == nil {
		err = versionProblem(in.Version)
	}
	var c *linkwork.Case
	if err == nil {
		c, err = s.svc.Allocation.HandOverCase(r.Context(), r.PathValue("id"), in.Version, in.LinkWorkerID, in.Note)
	}
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, caseOut(c))
}

func (s *Server) apiHandOverCaseload(w http.ResponseWriter, r *http.Request) {
	var in allocateIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	n, err := s.svc.Allocation.HandOverCaseload(r.Context(), r.PathValue("id"), in.LinkWorkerID, in.Note)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"handed_over": n})
}

func (s *Server) apiListHandovers(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Allocation.FindHandovers(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := mapSlice(list, func(h *linkwork.Handover) handoverJSON {
		return handoverJSON{ID: h.ID, CaseID: h.CaseID, FromWorkerID: h.FromWorkerID, FromName: h.FromName, ToWorkerID: h.ToWorkerID, ToName: h.ToName, Note: h.Note, At: h.At}
	})
	writeJSON(w, http.StatusOK, listOut[handoverJSON]{Items: nonNil(out), Total: len(out), Limit: len(out)})
}

func (s *Server) apiTakeNextCase(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.Allocation.TakeNextCase(r.Context())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, caseOut(c))
}

func (s *Server) apiCaseload(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	cq := caseloadQuery(q)
	if v := q.Get("overdue"); v != "" && v != "true" && v != "false" {
		s.fail(w, r, true, &linkwork.Error{Code: linkwork.EINVALID, Message: "There is a problem", Fields: []linkwork.FieldError{{Field: "overdue", Message: "must be true or false"}}})
		return
	}
	items, err := s.svc.Allocation.Caseload(r.Context(), cq)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := mapSlice(items, caseloadItemOut)
	writeJSON(w, http.StatusOK, listOut[caseloadItemJSON]{Items: nonNil(out), Total: len(out), Limit: len(out)})
}

func (s *Server) apiTeamCaseloads(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := listParams(r)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	loads, total, err := s.svc.Allocation.WorkerLoads(r.Context(), linkwork.TeamQuery{Offset: offset, Limit: limit})
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := mapSlice(loads, func(l linkwork.WorkerLoad) workerLoadJSON {
		return workerLoadJSON{UserID: l.UserID, Name: l.Name, Cases: l.Cases, Weighted: l.Weighted, Limit: l.Limit, Full: l.Full(), Overdue: l.Overdue}
	})
	writeJSON(w, http.StatusOK, listOut[workerLoadJSON]{Items: nonNil(out), Total: total, Offset: offset, Limit: limit})
}

// waitingAllocation is what the waiting list offers: a coordinator
// allocates each person to a worker chosen by their caseload; a link
// worker takes the next person.
type waitingAllocation struct {
	CanAllocate bool
	CanTake     bool
	CanCheck    bool
	// CanOpen: the reader may open a waiting case's page (a waiting case
	// has no link worker, so a link worker's scope does not reach it).
	CanOpen bool
	Workers []option
	// OnCase: the team is too large to offer in every row
	// (inlineWorkerChoices), so each row leads to its case's allocation
	// form instead.
	OnCase bool
}

// inlineWorkerChoices is how many link workers the waiting list's rows
// offer in a list of their own. Past it, each row leads to the case's
// allocation form, where the one list is: a team of hundreds in every row
// made no list anyone could use, and a page of 25 rows a megabyte.
const inlineWorkerChoices = 30

func (s *Server) loadWaitingAllocation(r *http.Request, p *waitingListPage) error {
	u := currentUser(r)
	a := &p.Allocation
	a.CanAllocate, a.CanTake = mayAllocate(u), mayTakeNext(u)
	a.CanCheck = auth.Can(u.Actor(), auth.ActionCheckWaiting, auth.Record{Kind: auth.KindCase, ServiceOrgID: u.OrgID})
	a.CanOpen = auth.Can(u.Actor(), auth.ActionRead, auth.Record{Kind: auth.KindCase, ServiceOrgID: u.OrgID})
	if !a.CanAllocate {
		return nil
	}
	loads, err := s.svc.Allocation.WorkerChoices(r.Context())
	a.Workers = workerOptions(loads, "")
	if len(a.Workers) > inlineWorkerChoices {
		a.Workers, a.OnCase = nil, true
	}
	return err
}

// mayAllocate reports whether the reader may allocate the service's
// waiting cases, as the policy decides.
func mayAllocate(u *linkwork.User) bool {
	return auth.Can(u.Actor(), auth.ActionAllocate, auth.Record{Kind: auth.KindCase, ServiceOrgID: u.OrgID})
}

// mayTakeNext reports whether the reader may take the next person.
func mayTakeNext(u *linkwork.User) bool {
	return auth.Can(u.Actor(), auth.ActionTakeNext, auth.Record{Kind: auth.KindCase, ServiceOrgID: u.OrgID})
}
