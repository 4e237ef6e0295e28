package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/csvsafe"
	"github.com/linkwork/linkwork/imd"
)

// Equity on the dashboard: who the service reaches and who it does not.
// The figures, the gaps and which of them a reader may see are the root
// package's (linkwork.Equity); this draws each dimension's shares as a
// chart beside its table, gives each table as CSV, and has the form on
// which the service enters its local population's shares.

// routesEquity registers the equity table's page, API and downloads, and
// the population form and its API.
func (s *Server) routesEquity() {
	s.handle("GET", "/reports/equity", may(auth.ReadReports), s.equityPage)
	s.handle("GET", "/api/v1/reports/equity", may(auth.ReadReports), s.apiEquity)
	for _, d := range linkwork.EquityDimensions {
		s.handle("GET", "/api/v1/reports/"+equityCSVName(d)+".csv", may(auth.ReadReports), s.apiEquityCSV(d))
	}
	s.handle("GET", "/reports/equity/population", may(auth.ConfigureService), s.populationPage)
	s.handle("POST", "/reports/equity/population", may(auth.ConfigureService), s.populationSubmit)
	s.handle("GET", "/api/v1/services/{id}/population", may(auth.ConfigureService), s.apiPopulation)
	s.handle("PUT", "/api/v1/services/{id}/population", may(auth.ConfigureService), s.apiSavePopulation)
}

// equityCSVName is the name of a dimension's table in its CSV's address.
func equityCSVName(d linkwork.EquityDimension) string { return "equity_" + string(d) }

// equityTableView is one dimension's table as words, for the page and the
// CSV, with its chart.
type equityTableView struct {
	Name, Caption, Note string
	Columns             []string
	Rows                []equityRowView
	Chart               barChart
	CSV                 string
}

// equityRowView is one group's row: its cells, and whether it is
// under-reached (the page says so in words beside it).
type equityRowView struct {
	Cells        []string
	UnderReached bool
	Gap          string
}

// equityColumns are the columns of every equity table.
var equityColumns = []string{"Group", "Referrals", "Share of referrals", "Share of the population", "Accepted", "First session attended", "Closed with goals met or connected", "Reached"}

// equityViews turns the figures into their tables.
func equityViews(e *linkwork.Equity) []*equityTableView {
	var out []*equityTableView
	for _, t := range e.Tables {
		v := &equityTableView{Name: equityCSVName(t.Dimension), Caption: "Referrals by " + strings.ToLower(t.Dimension.Label()), Columns: equityColumns}
		if t.SharesOfAll {
			v.Note = "The shares are of all referrals: the number whose group is not known is too small to show, and the number known would give it away."
		} else {
			v.Note = "The shares of referrals are of those whose group is known (" + t.Known.Words() + " of " + t.Total.Words() + ")."
		}
		var bars []bar
		for _, r := range t.Rows {
			share, pop, reached := "", "", ""
			switch {
			case r.Group.Key == linkwork.GroupNotKnown && !t.SharesOfAll:
				share = "not part of the shares"
			case r.ShareHidden:
				share = "not shown"
			default:
				share = linkwork.Percent(r.ReferralShare)
			}
			if r.HasPopulation {
				pop = linkwork.Percent(r.PopulationShare)
			} else if r.Group.Key != linkwork.GroupNotKnown {
				pop = "not entered"
			}
			if r.UnderReached {
				reached = "Under-reached"
			}
			v.Rows = append(v.Rows, equityRowView{Cells: []string{r.Group.Label, r.Referrals.Words(), share, pop, r.Accepted.Words(), r.Engaged.Words(), r.ClosedWell.Words(), reached}, UnderReached: r.UnderReached, Gap: r.Gap})
			if r.Group.Key == linkwork.GroupNotKnown {
				continue
			}
			words := share + " of referrals"
			if r.UnderReached {
				words += ", under-reached"
			}
			bars = append(bars, bar{Label: r.Group.Label + ", referrals", Value: r.ReferralShare, Words: words, Hidden: r.ShareHidden})
			if r.HasPopulation {
				bars = append(bars, bar{Label: r.Group.Label + ", population", Value: r.PopulationShare, Words: pop + " of the population"})
			}
		}
		v.Rows = append(v.Rows, equityRowView{Cells: []string{"All referrals", t.Total.Words(), "", "", t.Accepted.Words(), t.Engaged.Words(), t.ClosedWell.Words(), ""}})
		v.Chart = barChartOf(v.Name, "Share of referrals beside share of the population, by "+strings.ToLower(t.Dimension.Label()), bars)
		out = append(out, v)
	}
	return out
}

// equityPageData is the equity page: the dashboard's filter, the gaps in
// words and a table a dimension.
type equityPageData struct {
	Layout
	Equity *linkwork.Equity
	reportForm
	Tables              []*equityTableView
	Gaps                []string
	Period, Attribution string
	// CanEnterPopulation: the reader may enter the service's population
	// shares.
	CanEnterPopulation bool
}

func (s *Server) equityPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &equityPageData{Layout: Layout{Title: "Equity: who the service reaches"}, Attribution: imd.Attribution}
	var f linkwork.ReportFilter
	var problems linkwork.Problems
	p.reportForm, f, problems = readReportForm(q)
	status := http.StatusOK
	var err error
	if len(problems) == 0 {
		p.Equity, err = s.svc.Equity.Equity(r.Context(), f)
		problems = linkwork.ErrorFields(err)
	}
	if len(problems) > 0 {
		p.Errors, p.Message, status = problems, "There is a problem", http.StatusUnprocessableEntity
	} else if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if u := currentUser(r); u != nil {
		p.CanEnterPopulation = auth.Allows(u.Role, auth.ConfigureService)
	}
	if e := p.Equity; e != nil {
		p.Period = fmt.Sprintf("Referrals received from %s to %s", e.From.Time().Format("2 January 2006"), e.To.Time().Format("2 January 2006"))
		p.Gaps = e.Gaps()
		query := reportQueryOf(&linkwork.Dashboard{Filter: e.Filter, From: e.From, To: e.To})
		for _, t := range equityViews(e) {
			t.CSV = "/api/v1/reports/" + t.Name + ".csv" + query
			p.Tables = append(p.Tables, t)
		}
	}
	s.render(w, r, status, "equity", p)
}

func (s *Server) apiEquity(w http.ResponseWriter, r *http.Request) {
	f, err := reportFilterOf(r.URL.Query(), s.today())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	e, err := s.svc.Equity.Equity(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, equityOut(e))
}

// apiEquityCSV gives one dimension's table as CSV, its figures suppressed
// as the page's are, its cells safe to open in a spreadsheet.
func (s *Server) apiEquityCSV(d linkwork.EquityDimension) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f, err := reportFilterOf(r.URL.Query(), s.today())
		if err != nil {
			s.fail(w, r, true, err)
			return
		}
		e, err := s.svc.Equity.Equity(r.Context(), f)
		if err != nil {
			s.fail(w, r, true, err)
			return
		}
		var t *equityTableView
		for _, v := range equityViews(e) {
			if v.Name == equityCSVName(d) {
				t = v
			}
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+t.Name+"-"+e.From.String()+"-to-"+e.To.String()+`.csv"`)
		cw := csvsafe.NewWriter(w)
		_ = cw.Write(t.Columns)
		for _, row := range t.Rows {
			_ = cw.Write(row.Cells)
		}
		cw.Flush()
	}
}

// populationForm is the population form as typed: each share's box by
// field name, and the source.
type populationForm struct {
	Values  map[string]string
	Source  string
	Version int
}

// populationSection is one dimension's boxes on the form.
type populationSection struct {
	Label  string
	Fields []populationField
}

type populationField struct{ Name, Label, Value string }

// populationPageData is the form on which a coordinator enters the
// area's population shares.
type populationPageData struct {
	Layout
	Form     populationForm
	Sections []populationSection
}

func (f populationForm) sections() []populationSection {
	var out []populationSection
	for _, d := range linkwork.EquityDimensions {
		sec := populationSection{Label: d.Label()}
		for _, g := range d.Groups() {
			if g.Key == linkwork.GroupNotKnown {
				continue
			}
			name := linkwork.PopulationShareField(d, g.Key)
			sec.Fields = append(sec.Fields, populationField{Name: name, Label: g.Label, Value: f.Values[name]})
		}
		out = append(out, sec)
	}
	return out
}

// populationFormOf fills the form from saved shares.
func populationFormOf(p *linkwork.PopulationShares) populationForm {
	f := populationForm{Values: map[string]string{}, Source: p.Source, Version: p.Version}
	for d, groups := range p.Shares {
		for g, v := range groups {
			f.Values[linkwork.PopulationShareField(d, g)] = strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return f
}

func (s *Server) populationPage(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.Equity.PopulationShares(r.Context(), currentUser(r).OrgID)
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	page := &populationPageData{Layout: Layout{Title: "The area's population"}, Form: populationFormOf(p)}
	if r.URL.Query().Get("done") == "saved" {
		page.Notice = "The population shares are saved."
	}
	page.Sections = page.Form.sections()
	s.render(w, r, http.StatusOK, "equity_population", page)
}

func (s *Server) populationSubmit(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, false, linkwork.Errorf(linkwork.EINVALID, "The form could not be read"))
		return
	}
	f := populationForm{Values: map[string]string{}, Source: r.PostFormValue("source")}
	f.Version, _ = parseInt(r.PostFormValue("version"))
	p := &linkwork.PopulationShares{ServiceOrgID: currentUser(r).OrgID, Source: f.Source, Version: f.Version, Shares: map[linkwork.EquityDimension]map[string]float64{}}
	var pr linkwork.Problems
	for _, sec := range f.sections() {
		for _, fd := range sec.Fields {
			v := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(r.PostFormValue(fd.Name)), "%"))
			f.Values[fd.Name] = v
			if v == "" {
				continue
			}
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				pr.Add(fd.Name, "Enter the share of "+fd.Label+" as a number of per cent, like 9.5")
				continue
			}
			d, g := populationFieldParts(fd.Name)
			if p.Shares[d] == nil {
				p.Shares[d] = map[string]float64{}
			}
			p.Shares[d][g] = n
		}
	}
	var err error
	if len(pr) == 0 {
		if err = s.svc.Equity.SavePopulationShares(r.Context(), p); err == nil {
			http.Redirect(w, r, "/reports/equity/population?done=saved", http.StatusSeeOther)
			return
		}
		if code := linkwork.ErrorCode(err); code != linkwork.EINVALID && code != linkwork.ECONFLICT {
			s.fail(w, r, false, err)
			return
		}
	} else {
		err = p.Validate()
	}
	errs := formErrors(pr, err)
	if len(errs) == 0 && err != nil {
		errs = []linkwork.FieldError{{Field: "version", Message: linkwork.ErrorMessage(err)}}
	}
	page := &populationPageData{Layout: Layout{Title: "The area's population", Errors: errs}, Form: f}
	page.Sections = f.sections()
	s.render(w, r, ErrorStatus(firstErr(err, pr.Err())), "equity_population", page)
}

// populationFieldParts splits "shares.ethnicity.black" into its dimension
// and group.
func populationFieldParts(name string) (linkwork.EquityDimension, string) {
	rest := strings.TrimPrefix(name, "shares.")
	d, g, _ := strings.Cut(rest, ".")
	return linkwork.EquityDimension(d), g
}

func (s *Server) apiPopulation(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.Equity.PopulationShares(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, populationOut(p))
}

func (s *Server) apiSavePopulation(w http.ResponseWriter, r *http.Request) {
	var in populationJSON
	if err := decodeJSON(w, r, &in); err != nil {
		s.fail(w, r, true, err)
		return
	}
	p := in.shares()
	p.ServiceOrgID = r.PathValue("id")
	// A service the caller may not configure is not found, before the
	// figures are looked at.
	if _, err := s.svc.Equity.PopulationShares(r.Context(), p.ServiceOrgID); err != nil {
		s.fail(w, r, true, err)
		return
	}
	if err := s.svc.Equity.SavePopulationShares(r.Context(), p); err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, populationOut(p))
}
