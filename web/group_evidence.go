package web

import (
	"net/http"
	"net/url"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// A community group's evidence pack: the people the service connected to
// its activities, who went and who are still going, and what they said,
// small numbers suppressed, on a page and in a view to print and attach
// to a funding bid. The figures are the service's
// (linkwork.GroupEvidenceService); this shows them.

// routesGroupEvidence registers the packs' pages and API route.
func (s *Server) routesGroupEvidence() {
	s.handle("GET", "/reports/groups", may(auth.ReadGroupEvidence), s.evidenceGroupsPage)
	s.handle("GET", "/reports/groups/{id}", may(auth.ReadGroupEvidence), s.groupEvidencePage)
	s.handle("GET", "/reports/groups/{id}/print", may(auth.ReadGroupEvidence), s.groupEvidencePrint)
	s.handle("GET", "/api/v1/reports/groups/{id}", may(auth.ReadGroupEvidence), s.apiGroupEvidence)
}

// groupEvidenceFilter reads the pack's organisation and months.
func groupEvidenceFilter(r *http.Request) (linkwork.GroupEvidenceFilter, linkwork.Problems) {
	f := linkwork.GroupEvidenceFilter{OrgID: r.PathValue("id")}
	var p linkwork.Problems
	if v := strings.TrimSpace(r.URL.Query().Get("months")); v != "" {
		n, err := parseInt(v)
		if err != nil || n < 1 {
			p.Add("months", "Enter a number of months as a whole number, like 12")
		} else {
			f.Months = n
		}
	}
	return f, p
}

func (s *Server) apiGroupEvidence(w http.ResponseWriter, r *http.Request) {
	f, p := groupEvidenceFilter(r)
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	g, err := s.svc.Evidence.GroupEvidence(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, groupEvidenceOut(g))
}

// evidenceGroupsPage lists the packs the reader may open; a community
// organisation, which has one, goes straight to it.
type evidenceGroupsPage struct {
	Layout
	Groups []*linkwork.Organisation
}

func (s *Server) evidenceGroupsPage(w http.ResponseWriter, r *http.Request) {
	if u := currentUser(r); u.Role == linkwork.RoleCommunity {
		http.Redirect(w, r, "/reports/groups/"+url.PathEscape(u.OrgID), http.StatusSeeOther)
		return
	}
	groups, err := s.svc.Evidence.EvidenceGroups(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, http.StatusOK, "evidence_groups", &evidenceGroupsPage{Layout: Layout{Title: "Evidence packs"}, Groups: groups})
}

// groupEvidencePage shows a pack.
type groupEvidencePage struct {
	Layout
	Pack *linkwork.GroupEvidence
	// Months is the filter's input as typed; Period says the months
	// covered; MonthRows are the months' rows with their names in words.
	Months    string
	Period    string
	MonthRows []linkwork.GroupEvidenceRow
	Print     bool
	// Action is where the filter form goes: this page.
	Action string
}

// V is what the filter form sent for a field.
func (p *groupEvidencePage) V(name string) string {
	if name == "months" {
		return p.Months
	}
	return ""
}

// Query is the filter to carry to the print view.
func (p *groupEvidencePage) Query() string {
	if p.Months == "" {
		return ""
	}
	return "?months=" + url.QueryEscape(p.Months)
}

func (s *Server) groupEvidencePage(w http.ResponseWriter, r *http.Request) {
	s.showGroupEvidence(w, r, "group_evidence", false)
}

func (s *Server) groupEvidencePrint(w http.ResponseWriter, r *http.Request) {
	s.showGroupEvidence(w, r, "group_evidence_print", true)
}

func (s *Server) showGroupEvidence(w http.ResponseWriter, r *http.Request, tmpl string, print bool) {
	p := &groupEvidencePage{Layout: Layout{Title: "Evidence pack"}, Months: r.URL.Query().Get("months"), Print: print,
		Action: "/reports/groups/" + url.PathEscape(r.PathValue("id"))}
	f, problems := groupEvidenceFilter(r)
	status := http.StatusOK
	if len(problems) == 0 {
		var err error
		p.Pack, err = s.svc.Evidence.GroupEvidence(r.Context(), f)
		if linkwork.ErrorCode(err) == linkwork.EINVALID {
			problems = linkwork.ErrorFields(err)
		} else if err != nil {
			s.fail(w, r, false, err)
			return
		}
	}
	if len(problems) > 0 {
		p.Errors, p.Message, status = problems, "There is a problem", http.StatusUnprocessableEntity
	}
	if p.Pack != nil {
		p.Title = "Evidence pack: " + p.Pack.OrgName
		if n := len(p.Pack.Months); n > 0 {
			p.Period = monthLabel(p.Pack.Months[0]) + " to " + monthLabel(p.Pack.Months[n-1])
		}
		for _, m := range p.Pack.ByMonth {
			m.Label = monthLabel(m.Key)
			p.MonthRows = append(p.MonthRows, m)
		}
	}
	s.render(w, r, status, tmpl, p)
}

// evidenceTable is a breakdown of a pack as a table.
type evidenceTable struct {
	TestID, Caption, Column string
	Rows                    []linkwork.GroupEvidenceRow
}
