package web

import (
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// gapsNewest is how many of the newest gaps the gaps page and the API
// list under the totals.
const gapsNewest = 20

// gapCategoryOptions are the categories to choose from for a gap.
func gapCategoryOptions() []option {
	out := []option{{Value: "", Label: "Choose a category"}}
	for _, c := range linkwork.Categories {
		out = append(out, option{Value: string(c), Label: c.Label()})
	}
	return out
}

// gapReasonOptions are the reasons nothing fitted, for the radios.
func gapReasonOptions() []option {
	var out []option
	for _, r := range linkwork.GapReasons {
		out = append(out, option{Value: string(r), Label: r.Label()})
	}
	return out
}

// GapCategories and GapReasons are the gap form's choices.
func (a caseConnectionsArea) GapCategories() []option { return gapCategoryOptions() }
func (a caseConnectionsArea) GapReasons() []option    { return gapReasonOptions() }

func init() {
	caseNotices["gap-logged"] = "Gap logged: it counts towards your service's evidence of unmet need"
}

// routesGaps registers the gap form, the gaps page and their API routes.
func (s *Server) routesGaps() {
	s.handle("POST", "/cases/{id}/gaps", may(auth.LogGaps), s.gapSubmit)
	s.handle("GET", "/gaps", may(auth.ReadGaps), s.gapsPage)
	s.handle("POST", "/api/v1/gaps", may(auth.LogGaps), s.idempotent(s.apiLogGap))
	s.handle("GET", "/api/v1/gaps", may(auth.ReadGaps), s.apiGaps)
}

// gapFieldNames are the gap form's fields by the store's names.
var gapFieldNames = map[string]string{"category": "gap_category", "wanted": "gap_wanted", "missing": "gap_missing"}

func (s *Server) gapSubmit(w http.ResponseWriter, r *http.Request) {
	g := &linkwork.Gap{CaseID: r.PathValue("id"), Category: linkwork.Category(r.PostFormValue("gap_category")),
		Wanted: strings.TrimSpace(r.PostFormValue("gap_wanted")), Missing: linkwork.GapReason(r.PostFormValue("gap_missing"))}
	if err := s.svc.Gaps.LogGap(r.Context(), g); err != nil {
		s.connProblem(w, r, err, gapFieldNames, "gap_category", "gap")
		return
	}
	http.Redirect(w, r, "/cases/"+g.CaseID+"?done=gap-logged#log-gap", http.StatusSeeOther)
}

type gapsPage struct {
	Layout
	Summary *linkwork.GapSummary
}

func (s *Server) gapsPage(w http.ResponseWriter, r *http.Request) {
	sum, err := s.svc.Gaps.SummariseGaps(r.Context(), gapsNewest)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.render(w, r, http.StatusOK, "gaps", &gapsPage{Layout: Layout{Title: "Gaps: unmet needs"}, Summary: sum})
}

func (s *Server) apiLogGap(w http.ResponseWriter, r *http.Request) {
	var in gapIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	g := &linkwork.Gap{CaseID: in.CaseID, Category: in.Category, Wanted: strings.TrimSpace(in.Wanted), Missing: in.Missing}
	if err := s.svc.Gaps.LogGap(r.Context(), g); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/gaps")
	writeJSON(w, http.StatusCreated, gapOut(g))
}

func (s *Server) apiGaps(w http.ResponseWriter, r *http.Request) {
	sum, err := s.svc.Gaps.SummariseGaps(r.Context(), gapsNewest)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, gapSummaryOut(sum))
}
