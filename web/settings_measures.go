package web

import (
	"fmt"
	"net/http"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// The measures part of the service settings: for each age band, which
// instruments the service uses, when, and which are mandated; and the
// service's wording of the licensed ones. The same settings have their
// own API, apart from the public settings of a service, because the
// wording is licensed to the service and not published.

// mandatedValue is the checkbox that mandates an instrument for a band,
// beside the timepoints.
const mandatedValue = "mandated"

// measureUseName is the form field of an instrument for a band.
func measureUseName(band string, i linkwork.Instrument) string {
	return "measures." + band + "." + string(i)
}

// measuresForm is the measures part of the settings form, as typed: the
// ticked boxes by field name, and the wording as typed.
type measuresForm struct {
	Ticked  map[string][]string
	Wording map[linkwork.Instrument]string
}

// measureBand is one band's section of the form.
type measureBand struct {
	Key, Label string
	Uses       []measureUseField
}

// measureUseField is one instrument's boxes for a band.
type measureUseField struct {
	Name, Label string
	Ticked      []string
}

// measureWordingField is the wording box of a licensed instrument.
type measureWordingField struct {
	Name, Label, Hint, Value string
}

func measuresFormOf(m linkwork.MeasureSettings) measuresForm {
	f := measuresForm{Ticked: map[string][]string{}, Wording: map[linkwork.Instrument]string{}}
	for _, u := range m.Uses {
		var ticked []string
		for _, t := range u.Timepoints {
			ticked = append(ticked, string(t))
		}
		if u.Mandated {
			ticked = append(ticked, mandatedValue)
		}
		f.Ticked[measureUseName(u.Band, u.Instrument)] = ticked
	}
	for i, lines := range m.Wording {
		f.Wording[i] = strings.Join(lines, "\n")
	}
	return f
}

// Bands are the form's sections, one an age band.
func (f measuresForm) Bands() []measureBand {
	var out []measureBand
	for _, b := range linkwork.AgeBands {
		mb := measureBand{Key: b.Key, Label: b.Label}
		for _, i := range linkwork.Instruments {
			name := measureUseName(b.Key, i)
			mb.Uses = append(mb.Uses, measureUseField{Name: name, Label: i.Label(), Ticked: f.Ticked[name]})
		}
		out = append(out, mb)
	}
	return out
}

// Wordings are the wording boxes, one a licensed instrument.
func (f measuresForm) Wordings() []measureWordingField {
	var out []measureWordingField
	for _, i := range linkwork.Instruments {
		if n := i.WordedItems(); n > 0 {
			out = append(out, measureWordingField{Name: "wording." + string(i), Label: i.Label() + " questions (optional)", Value: f.Wording[i],
				Hint: fmt.Sprintf("Your licensed wording of the %d questions, one a line, in order. Leave blank to show each question's number.", n)})
		}
	}
	return out
}

// UseOptions are the boxes of one instrument for one band.
func (measuresForm) UseOptions() []option {
	var out []option
	for _, t := range linkwork.Timepoints {
		out = append(out, option{Value: string(t), Label: "At " + strings.ToLower(timepointWords(t))})
	}
	return append(out, option{Value: mandatedValue, Label: "Mandated: show it as due"})
}

// timepointWords is a timepoint as the settings say it.
func timepointWords(t linkwork.Timepoint) string {
	switch t {
	case linkwork.TimepointBaseline:
		return "the start"
	case linkwork.TimepointReview:
		return "each review"
	case linkwork.TimepointEnd:
		return "the end"
	case linkwork.TimepointFollowUp:
		return "the follow-up"
	}
	return string(t)
}

// parseMeasuresForm reads the measures part of the settings form.
func parseMeasuresForm(r *http.Request) (measuresForm, linkwork.MeasureSettings) {
	f := measuresForm{Ticked: map[string][]string{}, Wording: map[linkwork.Instrument]string{}}
	var m linkwork.MeasureSettings
	for _, b := range linkwork.AgeBands {
		for _, i := range linkwork.Instruments {
			name := measureUseName(b.Key, i)
			ticked := r.PostForm[name]
			if len(ticked) == 0 {
				continue
			}
			f.Ticked[name] = ticked
			u := linkwork.MeasureUse{Band: b.Key, Instrument: i}
			for _, v := range ticked {
				if v == mandatedValue {
					u.Mandated = true
				} else {
					u.Timepoints = append(u.Timepoints, linkwork.Timepoint(v))
				}
			}
			m.Uses = append(m.Uses, u)
		}
	}
	for _, i := range linkwork.Instruments {
		if i.WordedItems() == 0 {
			continue
		}
		v := r.PostFormValue("wording." + string(i))
		f.Wording[i] = v
		if strings.TrimSpace(v) != "" {
			if m.Wording == nil {
				m.Wording = map[linkwork.Instrument][]string{}
			}
			m.Wording[i] = strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n")
		}
	}
	return f, m
}

// measureFormErrors names the form's fields in the problems with the
// measures, which name a use by its place in the list.
func measureFormErrors(m linkwork.MeasureSettings, errs []linkwork.FieldError) []linkwork.FieldError {
	for n, u := range m.Uses {
		prefix := fmt.Sprintf("uses[%d]", n)
		for k := range errs {
			if strings.HasPrefix(errs[k].Field, prefix+".") {
				errs[k].Field = measureUseName(u.Band, u.Instrument)
			}
		}
	}
	return errs
}

// measureSettingsJSON is a service's measures: in an answer and a
// request alike.
type measureSettingsJSON struct {
	Uses    []measureUseJSON                 `json:"uses"`
	Wording map[linkwork.Instrument][]string `json:"wording"`
	Version int                              `json:"version"`
}

type measureUseJSON struct {
	AgeBand    string               `json:"age_band"`
	Instrument linkwork.Instrument  `json:"instrument"`
	Timepoints []linkwork.Timepoint `json:"timepoints"`
	Mandated   bool                 `json:"mandated"`
}

func measureSettingsOut(st *linkwork.ServiceSettings) measureSettingsJSON {
	out := measureSettingsJSON{Uses: []measureUseJSON{}, Wording: map[linkwork.Instrument][]string{}, Version: st.Version}
	for _, u := range st.Measures.Uses {
		out.Uses = append(out.Uses, measureUseJSON{AgeBand: u.Band, Instrument: u.Instrument, Timepoints: nonNil(u.Timepoints), Mandated: u.Mandated})
	}
	for i, lines := range st.Measures.Wording {
		out.Wording[i] = lines
	}
	return out
}

func (in measureSettingsJSON) settings() linkwork.MeasureSettings {
	var m linkwork.MeasureSettings
	for _, u := range in.Uses {
		m.Uses = append(m.Uses, linkwork.MeasureUse{Band: u.AgeBand, Instrument: u.Instrument, Timepoints: u.Timepoints, Mandated: u.Mandated})
	}
	if len(in.Wording) > 0 {
		m.Wording = in.Wording
	}
	return m
}

// routesMeasureSettings registers the measures settings API.
func (s *Server) routesMeasureSettings() {
	s.handle("GET", "/api/v1/services/{id}/measures", may(auth.ConfigureService), s.apiMeasureSettings)
	s.handle("PUT", "/api/v1/services/{id}/measures", may(auth.ConfigureService), s.apiSaveMeasureSettings)
}

func (s *Server) apiMeasureSettings(w http.ResponseWriter, r *http.Request) {
	st, err := s.svc.Triage.ServiceSettings(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	if !auth.Can(currentUser(r).Actor(), auth.ActionConfigure, auth.Record{Kind: auth.KindOrganisation, ServiceOrgID: st.ServiceOrgID}) {
		s.fail(w, r, true, linkwork.Errorf(linkwork.ENOTFOUND, "Social prescribing service not found"))
		return
	}
	writeJSON(w, http.StatusOK, measureSettingsOut(st))
}

func (s *Server) apiSaveMeasureSettings(w http.ResponseWriter, r *http.Request) {
	var in measureSettingsJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	st, err := s.svc.Triage.ServiceSettings(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	st.Measures, st.Version = in.settings(), in.Version
	if err := s.svc.Triage.SaveServiceSettings(r.Context(), st); err != nil {
		s.fail(w, r, true, err)
		return
	}
	saved, err := s.svc.Triage.ServiceSettings(r.Context(), st.ServiceOrgID)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, measureSettingsOut(saved))
}
