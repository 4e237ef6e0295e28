package web

import "net/http"

// apiListMeasures lists a case's responses with their scores, and each
// instrument's change from first to latest.
func (s *Server) apiListMeasures(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.Measures.FindMeasures(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, measuresOut(list))
}

// apiRecordMeasure records a response: answers in, score and bands out.
func (s *Server) apiRecordMeasure(w http.ResponseWriter, r *http.Request) {
	var in measureIn
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	m := in.response(r.PathValue("id"))
	if err := s.svc.Measures.RecordMeasure(r.Context(), m); err != nil {
		s.fail(w, r, true, err)
		return
	}
	w.Header().Set("Location", "/api/v1/cases/"+m.CaseID+"/measures")
	writeJSON(w, http.StatusCreated, measureOut(m))
}
