package web

import (
	"archive/zip"
	"net/http"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/csvsafe"
)

// The PRSB report: a coordinator sends what NHS England asks for, in the
// four parts of the PRSB Social Prescribing Information Standard, under
// the evaluation export's rules. What goes in it, and who may make it,
// are the service's (linkwork.EvaluationExportService.PRSBExport); this
// takes the request and writes the file: a zip of a CSV for each part,
// the data dictionary and its notes.

// prsbPage is the report's form and its data dictionary.
type prsbPage struct {
	Layout
	Form  map[string]string
	Parts []linkwork.PRSBPart
	Notes []string
}

// V is what the form sent for a field.
func (p *prsbPage) V(name string) string { return p.Form[name] }

func (s *Server) showPRSB(w http.ResponseWriter, r *http.Request, status int, p *prsbPage) {
	p.Title = "PRSB social prescribing report"
	p.Parts, p.Notes = linkwork.PRSBParts(), linkwork.PRSBNotes
	s.render(w, r, status, "exports_prsb", p)
}

func (s *Server) prsbPage(w http.ResponseWriter, r *http.Request) {
	s.showPRSB(w, r, http.StatusOK, &prsbPage{})
}

// exportRequestOf is the export request a form sent.
func exportRequestOf(r *http.Request) linkwork.EvaluationRequest {
	return linkwork.EvaluationRequest{
		Agreement: strings.TrimSpace(r.PostFormValue("agreement")),
		Recipient: strings.TrimSpace(r.PostFormValue("recipient")),
		Purpose:   strings.TrimSpace(r.PostFormValue("purpose")),
	}
}

// prsbSubmit makes the report and sends it as a zip file to save; a
// request missing what it needs comes back with the problems named.
func (s *Server) prsbSubmit(w http.ResponseWriter, r *http.Request) {
	e, err := s.svc.Exports.PRSBExport(r.Context(), exportRequestOf(r))
	if err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		p := &prsbPage{Layout: Layout{Errors: linkwork.ErrorFields(err)}, Form: postedForm(r)}
		s.showPRSB(w, r, ErrorStatus(err), p)
		return
	}
	writePRSBZip(w, e)
}

// writePRSBZip sends the report as a zip file: a CSV for each part
// (named after it), dictionary.csv and notes.txt, each cell made safe for
// a spreadsheet (csvsafe).
func writePRSBZip(w http.ResponseWriter, e *linkwork.PRSBExport) {
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="prsb-social-prescribing-`+e.Made.In(ukTime).Format("2006-01-02")+`.zip"`)
	w.WriteHeader(http.StatusOK)
	z := zip.NewWriter(w)
	file := func(name string) *csvsafe.Writer {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: e.Made.UTC().Truncate(time.Second)})
		if err != nil {
			return nil
		}
		return csvsafe.NewWriter(f)
	}
	for _, t := range e.Tables {
		cw := file(t.Part + ".csv")
		if cw == nil || cw.Write(t.Header) != nil {
			return
		}
		for _, row := range t.Rows {
			if cw.Write(row) != nil {
				// The client has gone: nothing more can be sent.
				return
			}
		}
		cw.Flush()
	}
	cw := file("dictionary.csv")
	if cw == nil {
		return
	}
	_ = cw.Write([]string{"part", "column", "type", "prsb_section", "prsb_element", "description", "codes"})
	for _, p := range linkwork.PRSBParts() {
		for _, c := range p.Columns {
			var codes []string
			for _, code := range c.Codes {
				v := code.Code
				if v == "" {
					v = "(blank)"
				}
				codes = append(codes, v+": "+code.Meaning)
			}
			_ = cw.Write([]string{p.Name, c.Name, c.Type, c.Section, c.Element, c.Description, strings.Join(codes, "; ")})
		}
	}
	cw.Flush()
	if f, err := z.Create("notes.txt"); err == nil {
		_, _ = f.Write([]byte("PRSB social prescribing report\nAgreement: " + e.Request.Agreement + "\nRecipient: " + e.Request.Recipient + "\nPurpose: " + e.Request.Purpose +
			"\nMade: " + e.Made.In(ukTime).Format("2 January 2006") + "\n\n" + strings.Join(linkwork.PRSBNotes, "\n\n") + "\n"))
	}
	_ = z.Close()
}

// apiPRSBExport makes the report: as a zip file for a client that
// accepts application/zip, otherwise as JSON.
func (s *Server) apiPRSBExport(w http.ResponseWriter, r *http.Request) {
	var in evaluationExportIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	req := linkwork.EvaluationRequest{Agreement: strings.TrimSpace(in.Agreement), Recipient: strings.TrimSpace(in.Recipient), Purpose: strings.TrimSpace(in.Purpose)}
	e, err := s.svc.Exports.PRSBExport(r.Context(), req)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if accepts(r, "application/zip") {
		writePRSBZip(w, e)
		return
	}
	writeJSON(w, http.StatusOK, prsbExportOut(e))
}

func (s *Server) apiPRSBDictionary(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, prsbDictionaryOut())
}
