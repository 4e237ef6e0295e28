package web

import (
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/csvsafe"
)

// The evaluation export: a coordinator gives an evaluator the service's
// pseudonymous person-level dataset under a data-sharing agreement, with
// its data dictionary beside it. What goes in the dataset, and who may
// make it, are the service's (linkwork.EvaluationExportService); this
// takes the request and writes the file.

// routesExports registers the export's page and API routes.
func (s *Server) routesExports() {
	s.handle("GET", "/exports/evaluation", may(auth.ExportEvaluation), s.evaluationPage)
	s.handle("POST", "/exports/evaluation", may(auth.ExportEvaluation), s.evaluationSubmit)
	s.handle("POST", "/api/v1/exports/evaluation", may(auth.ExportEvaluation), s.apiEvaluationExport)
	s.handle("GET", "/api/v1/exports/evaluation/dictionary", may(auth.ExportEvaluation), s.apiEvaluationDictionary)
	// The PRSB report is made under the evaluation export's rules, by the
	// same people.
	s.handle("GET", "/exports/prsb", may(auth.ExportEvaluation), s.prsbPage)
	s.handle("POST", "/exports/prsb", may(auth.ExportEvaluation), s.prsbSubmit)
	s.handle("POST", "/api/v1/exports/prsb", may(auth.ExportEvaluation), s.apiPRSBExport)
	s.handle("GET", "/api/v1/exports/prsb/dictionary", may(auth.ExportEvaluation), s.apiPRSBDictionary)
}

// evaluationPage is the export's form and the data dictionary.
type evaluationPage struct {
	Layout
	Form    map[string]string
	Columns []linkwork.EvaluationColumn
	Notes   []string
}

// V is what the form sent for a field.
func (p *evaluationPage) V(name string) string { return p.Form[name] }

func (s *Server) showEvaluation(w http.ResponseWriter, r *http.Request, status int, p *evaluationPage) {
	p.Title = "Evaluation export"
	p.Columns, p.Notes = linkwork.EvaluationColumns(), linkwork.EvaluationNotes
	s.render(w, r, status, "exports_evaluation", p)
}

func (s *Server) evaluationPage(w http.ResponseWriter, r *http.Request) {
	s.showEvaluation(w, r, http.StatusOK, &evaluationPage{})
}

// evaluationSubmit makes the export and sends it as a CSV file to save;
// a request missing what it needs comes back with the problems named.
func (s *Server) evaluationSubmit(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.Exports.EvaluationExport(r.Context(), exportRequestOf(r))
	if err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		p := &evaluationPage{Layout: Layout{Errors: linkwork.ErrorFields(err)}, Form: postedForm(r)}
		s.showEvaluation(w, r, ErrorStatus(err), p)
		return
	}
	writeEvaluationCSV(w, e)
}

// writeEvaluationCSV sends the dataset as a CSV file to save, each cell
// made safe for a spreadsheet (csvsafe).
func writeEvaluationCSV(w http.ResponseWriter, e *linkwork.EvaluationExport) {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="evaluation-`+e.Made.In(ukTime).Format("2006-01-02")+`.csv"`)
	w.WriteHeader(http.StatusOK)
	cw := csvsafe.NewWriter(w)
	_ = cw.Write(e.Header)
	for _, row := range e.Rows {
		if cw.Write(row) != nil {
			// The client has gone: nothing more can be sent.
			return
		}
	}
	cw.Flush()
}

// apiEvaluationExport makes the export: as CSV for a client that accepts
// text/csv, otherwise as JSON.
func (s *Server) apiEvaluationExport(w http.ResponseWriter, r *http.Request) {
	var in evaluationExportIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	req := linkwork.EvaluationRequest{Agreement: strings.TrimSpace(in.Agreement), Recipient: strings.TrimSpace(in.Recipient), Purpose: strings.TrimSpace(in.Purpose)}
	e, err := s.svc.Exports.EvaluationExport(r.Context(), req)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if acceptsCSV(r) {
		writeEvaluationCSV(w, e)
		return
	}
	writeJSON(w, http.StatusOK, evaluationExportOut(e))
}

// acceptsCSV reports whether the request's Accept header asks for
// text/csv.
func acceptsCSV(r *http.Request) bool { return accepts(r, "text/csv") }

// accepts reports whether the request's Accept header asks for a media
// type.
func accepts(r *http.Request, mediaType string) bool {
	for _, part := range strings.Split(r.Header.Get("Accept"), ",") {
		media, _, _ := strings.Cut(part, ";")
		if strings.EqualFold(strings.TrimSpace(media), mediaType) {
			return true
		}
	}
	return false
}

func (s *Server) apiEvaluationDictionary(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, evaluationDictionaryOut())
}
