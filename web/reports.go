package web

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/csvsafe"
)

// The dashboard: a service's referrals added up, for its coordinators
// and for the commissioners who fund it. The figures and which of them a
// reader may see are the root package's (linkwork.Dashboard); this draws
// each table with a chart beside it, and gives each table as CSV.

// routesReports registers the dashboard's page and API routes.
func (s *Server) routesReports() {
	s.handle("GET", "/reports", may(auth.ReadReports), s.reportsPage)
	s.handle("GET", "/api/v1/reports/dashboard", may(auth.ReadReports), s.apiDashboard)
	s.handle("GET", "/api/v1/reports/{table}", may(auth.ReadReports), s.apiReportCSV)
}

// reportTable is one of the dashboard's tables, as words: the page
// shows it and the CSV download is it.
type reportTable struct {
	// Name is the table's name in its CSV's address (name.csv).
	Name, Caption string
	Columns       []string
	Rows          [][]string
	// Hidden marks the rows with a figure hidden.
	Hidden []bool
	Chart  barChart
	// CSV is the address of the table's download.
	CSV string
	// Note, when given, says what the table counts; Empty what the page
	// says when it has no rows (by default, that there were no referrals).
	Note, Empty string
}

// reportTables are the dashboard's tables' names, in the page's order.
var reportTables = []string{"referrals-by-month", "referrals-by-pathway", "referrals-by-mode", "funnel", "leaving", "waits", "sessions", "connections"}

// tablesOf turns the dashboard into its tables.
func tablesOf(d *linkwork.Dashboard) map[string]*reportTable {
	out := map[string]*reportTable{}
	counts := func(name, caption, column string, rows []linkwork.CountRow) {
		t := &reportTable{Name: name, Caption: caption, Columns: []string{column, "Referrals"}}
		var bars []bar
		for _, r := range rows {
			t.Rows = append(t.Rows, []string{r.Label, r.Count.Words()})
			t.Hidden = append(t.Hidden, r.Count.Hidden != linkwork.Shown)
			bars = append(bars, bar{Label: r.Label, Value: float64(r.Count.N), Words: r.Count.Words(), Hidden: r.Count.Hidden != linkwork.Shown})
		}
		t.Rows = append(t.Rows, []string{"All referrals", d.Referrals.Words()})
		t.Hidden = append(t.Hidden, d.Referrals.Hidden != linkwork.Shown)
		t.Chart = barChartOf(name, caption, bars)
		out[name] = t
	}
	counts("referrals-by-month", "Referrals by month received", "Month", d.ByMonth)
	counts("referrals-by-pathway", "Referrals by pathway", "Pathway", d.ByPathway)
	counts("referrals-by-mode", "Referrals by mode", "Mode", d.ByMode)

	funnel := &reportTable{Name: "funnel", Caption: "How far the period's referrals went", Columns: []string{"Step", "People", "Of the step before", "Of all referred"}}
	var bars []bar
	for i, s := range d.Funnel {
		previous, referred := "", ""
		switch {
		case s.RatesHidden:
			previous, referred = "not shown", "not shown"
		case i == 0:
			previous, referred = "", linkwork.Percent(s.FromReferred)
		default:
			previous, referred = linkwork.Percent(s.FromPrevious), linkwork.Percent(s.FromReferred)
		}
		funnel.Rows = append(funnel.Rows, []string{s.Label, s.People.Words(), previous, referred})
		funnel.Hidden = append(funnel.Hidden, s.People.Hidden != linkwork.Shown)
		words := s.People.Words()
		if !s.RatesHidden && i > 0 {
			words += " (" + linkwork.Percent(s.FromPrevious) + " of the step before)"
		}
		bars = append(bars, bar{Label: s.Label, Value: float64(s.People.N), Words: words, Hidden: s.People.Hidden != linkwork.Shown})
	}
	funnel.Chart = barChartOf("funnel", "The funnel: people reaching each step", bars)
	out["funnel"] = funnel

	leaving := &reportTable{Name: "leaving", Caption: "Where people left", Columns: []string{"How", "People"}}
	bars = nil
	for _, r := range d.Leaving {
		leaving.Rows = append(leaving.Rows, []string{r.Label, r.Count.Words()})
		leaving.Hidden = append(leaving.Hidden, r.Count.Hidden != linkwork.Shown)
		bars = append(bars, bar{Label: r.Label, Value: float64(r.Count.N), Words: r.Count.Words(), Hidden: r.Count.Hidden != linkwork.Shown})
	}
	leaving.Chart = barChartOf("leaving", "Where people left", bars)
	out["leaving"] = leaving

	waits := &reportTable{Name: "waits", Caption: "Waits in days, by month received", Columns: []string{"Month",
		"Decisions", "Median days to decision", "90th percentile days to decision",
		"First contacts", "Median days to first contact", "90th percentile days to first contact"}}
	bars = nil
	for _, w := range d.Waits {
		row := []string{w.Month.Label()}
		hidden := false
		for _, x := range []linkwork.Wait{w.Decision, w.FirstContact} {
			switch {
			case x.N.Hidden != linkwork.Shown:
				row = append(row, x.N.Words(), "not shown", "not shown")
				hidden = true
			case x.N.N == 0:
				row = append(row, "0", "", "")
			default:
				row = append(row, x.N.Words(), linkwork.Days(x.Median), linkwork.Days(x.P90))
			}
		}
		waits.Rows = append(waits.Rows, row)
		waits.Hidden = append(waits.Hidden, hidden)
		b := bar{Label: w.Month.Label() + ", to decision", Hidden: !w.Decision.Shown(), Whisker: w.Decision.Shown()}
		if w.Decision.Shown() {
			b.Value, b.To = w.Decision.Median, w.Decision.P90
			b.Words = fmt.Sprintf("median %s days, 90th percentile %s", linkwork.Days(w.Decision.Median), linkwork.Days(w.Decision.P90))
		} else {
			b.Words = waitWords(w.Decision)
		}
		c := bar{Label: w.Month.Label() + ", to first contact", Hidden: !w.FirstContact.Shown(), Whisker: w.FirstContact.Shown()}
		if w.FirstContact.Shown() {
			c.Value, c.To = w.FirstContact.Median, w.FirstContact.P90
			c.Words = fmt.Sprintf("median %s days, 90th percentile %s", linkwork.Days(w.FirstContact.Median), linkwork.Days(w.FirstContact.P90))
		} else {
			c.Words = waitWords(w.FirstContact)
		}
		bars = append(bars, b, c)
	}
	waits.Chart = barChartOf("waits", "Median waits in days, with a line to the 90th percentile", bars)
	out["waits"] = waits

	ss := d.Sessions
	rate := func(words string) string {
		if ss.RatesHidden {
			return "not shown"
		}
		return words
	}
	sessions := &reportTable{Name: "sessions", Caption: "Sessions of the people accepted", Columns: []string{"Figure", "Value"},
		Rows: [][]string{
			{"People accepted", ss.People.Words()},
			{"Sessions attended", ss.Attended.Words()},
			{"Sessions not attended", ss.DidNotAttend.Words()},
			{"Sessions attended per person accepted", rate(strconv.FormatFloat(ss.PerPerson, 'f', 1, 64))},
			{"Share of sessions not attended", rate(linkwork.Percent(ss.DNARate))},
		},
		Hidden: []bool{ss.People.Hidden != linkwork.Shown, ss.Attended.Hidden != linkwork.Shown, ss.DidNotAttend.Hidden != linkwork.Shown, ss.RatesHidden, ss.RatesHidden}}
	sessions.Chart = barChartOf("sessions", "Sessions attended and not attended", []bar{
		{Label: "Attended", Value: float64(ss.Attended.N), Words: ss.Attended.Words(), Hidden: ss.Attended.Hidden != linkwork.Shown},
		{Label: "Not attended", Value: float64(ss.DidNotAttend.N), Words: ss.DidNotAttend.Words(), Hidden: ss.DidNotAttend.Hidden != linkwork.Shown},
	})
	out["sessions"] = sessions

	conns := &reportTable{Name: "connections", Caption: "Connections to activities, by level of help", Columns: []string{"Level", "Made", "Went at least once", "Still going", "Uptake"}}
	bars = nil
	for _, c := range d.Connections {
		uptake := "not shown"
		if !c.UptakeHidden {
			uptake = linkwork.Percent(c.Uptake)
		}
		conns.Rows = append(conns.Rows, []string{c.Level.Label(), c.Made.Words(), c.Went.Words(), c.Going.Words(), uptake})
		conns.Hidden = append(conns.Hidden, c.Made.Hidden != linkwork.Shown || c.Went.Hidden != linkwork.Shown || c.Going.Hidden != linkwork.Shown)
		words := c.Made.Words() + " made"
		if !c.UptakeHidden {
			words += ", " + uptake + " went"
		}
		bars = append(bars, bar{Label: c.Level.Label(), Value: float64(c.Made.N), Words: words, Hidden: c.Made.Hidden != linkwork.Shown})
	}
	if len(d.Connections) > 0 {
		conns.Rows = append(conns.Rows, []string{"All levels", d.ConnectionsMade.Words(), "", "", ""})
		conns.Hidden = append(conns.Hidden, d.ConnectionsMade.Hidden != linkwork.Shown)
	}
	conns.Chart = barChartOf("connections", "Connections made at each level", bars)
	out["connections"] = conns
	return out
}

// waitWords says why a wait is not drawn.
func waitWords(w linkwork.Wait) string {
	if w.N.Hidden != linkwork.Shown {
		return "not shown (" + w.N.Words() + ")"
	}
	return "none yet"
}

// bar is one row of a bar chart: a bar as long as Value, and for a wait
// a line on from it to To.
type bar struct {
	Label, Words string
	Value, To    float64
	Hidden       bool
	Whisker      bool
}

// barChart is a horizontal bar chart, 320 wide and drawn to fit any
// width: each row's label and value above its bar, so that the chart
// reads at 320 px without a legend.
type barChart struct {
	ID, Title, Desc string
	Height          float64
	Rows            []barRow
}

type barRow struct {
	Label, Words       string
	LabelY, Y, W       float64
	X2, CapTop, CapBot float64
	// End is where the bar ends, Mid its middle's height.
	End, Mid        float64
	Hidden, Whisker bool
}

// The bar chart's drawing area in its viewBox, and a row's height.
const barLeft, barRight, barRowHeight = 12.0, 308.0, 32.0

func barChartOf(id, title string, bars []bar) barChart {
	c := barChart{ID: "chart-" + id, Title: title}
	top := 0.0
	for _, b := range bars {
		if !b.Hidden {
			top = math.Max(top, math.Max(b.Value, b.To))
		}
	}
	if top == 0 {
		top = 1
	}
	scale := func(v float64) float64 { return math.Round(v/top*(barRight-barLeft)*10) / 10 }
	var desc []string
	for i, b := range bars {
		y := float64(i) * barRowHeight
		r := barRow{Label: b.Label, Words: b.Words, LabelY: y + 12, Y: y + 17, Hidden: b.Hidden, Whisker: b.Whisker}
		if !b.Hidden {
			r.W = math.Max(scale(b.Value), 1)
			r.End, r.Mid = barLeft+r.W, y+22
			if b.Whisker {
				r.X2, r.CapTop, r.CapBot = barLeft+scale(b.To), y+16, y+28
			}
		}
		c.Rows = append(c.Rows, r)
		desc = append(desc, b.Label+": "+b.Words)
	}
	c.Height = float64(len(bars))*barRowHeight + 4
	c.Desc = strings.Join(desc, ". ") + "."
	return c
}

// reportForm is the filter form the dashboard and the equity table share:
// the period's date inputs as typed, the filter's choices as chosen, and
// the pathways and age bands to choose from.
type reportForm struct {
	From, To                               []string
	Pathway, AgeBand, LinkWorker, Referrer string
	Pathways, AgeBands                     []option
}

// readReportForm reads the filter form's fields, with the filter they
// make and any date that does not read.
func readReportForm(q url.Values) (reportForm, linkwork.ReportFilter, linkwork.Problems) {
	var form reportForm
	form.Pathway, form.AgeBand = strings.TrimSpace(q.Get("pathway")), strings.TrimSpace(q.Get("age_band"))
	form.LinkWorker, form.Referrer = strings.TrimSpace(q.Get("link_worker_id")), strings.TrimSpace(q.Get("referrer_org_id"))
	f := linkwork.ReportFilter{Pathway: linkwork.Pathway(form.Pathway), AgeBand: form.AgeBand, LinkWorkerID: form.LinkWorker, ReferrerOrgID: form.Referrer}
	var problems linkwork.Problems
	form.From, form.To, f.From, f.To, problems = periodOf(q)
	form.Pathways = []option{{Value: "", Label: "Every pathway"}}
	for _, pw := range linkwork.Pathways {
		form.Pathways = append(form.Pathways, option{Value: string(pw), Label: pw.Label()})
	}
	form.AgeBands = []option{{Value: "", Label: "Every age"}}
	for _, b := range linkwork.AgeBands {
		form.AgeBands = append(form.AgeBands, option{Value: b.Key, Label: b.Label})
	}
	return form, f, problems
}

// reportsPage shows the dashboard, narrowed by a GET form.
type reportsPage struct {
	Layout
	Dashboard *linkwork.Dashboard
	reportForm
	LinkWorkers, Referrers []option
	Tables                 []*reportTable
	// Period says the period read, in words.
	Period string
	// Activity is the service's activity beside the referral figures,
	// and OutcomesLink the outcome measures' page for the same period.
	Activity     *linkwork.Activity
	OutcomesLink string
	// EquityLink is the equity table for the same filter: its form has
	// the dashboard's fields, so the filter goes as the form sent it.
	EquityLink string
}

func (s *Server) reportsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := &reportsPage{Layout: Layout{Title: "Dashboard"}, EquityLink: "/reports/equity"}
	carried := url.Values{}
	for _, k := range []string{"from-day", "from-month", "from-year", "to-day", "to-month", "to-year", "pathway", "age_band", "link_worker_id", "referrer_org_id"} {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			carried.Set(k, v)
		}
	}
	if len(carried) > 0 {
		p.EquityLink += "?" + carried.Encode()
	}
	var f linkwork.ReportFilter
	var problems linkwork.Problems
	p.reportForm, f, problems = readReportForm(q)
	status := http.StatusOK
	var err error
	if len(problems) == 0 {
		p.Dashboard, err = s.svc.Reports.Dashboard(r.Context(), f)
		if err == nil {
			p.Activity, err = s.activityOf(r.Context(), f)
		}
		problems = linkwork.ErrorFields(err)
	}
	if len(problems) > 0 {
		p.Errors, p.Message, status = problems, "There is a problem", http.StatusUnprocessableEntity
	} else if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.LinkWorkers = []option{{Value: "", Label: "Every link worker"}}
	p.Referrers = []option{{Value: "", Label: "Every referring organisation"}}
	if d := p.Dashboard; d != nil {
		for _, c := range d.LinkWorkers {
			p.LinkWorkers = append(p.LinkWorkers, option{Value: c.ID, Label: c.Name})
		}
		for _, c := range d.Referrers {
			p.Referrers = append(p.Referrers, option{Value: c.ID, Label: c.Name})
		}
		p.Period = fmt.Sprintf("Referrals received from %s to %s", d.From.Time().Format("2 January 2006"), d.To.Time().Format("2 January 2006"))
		tables := tablesOf(d)
		query := reportQueryOf(d)
		for _, name := range reportTables {
			t := tables[name]
			t.CSV = "/api/v1/reports/" + name + ".csv" + query
			p.Tables = append(p.Tables, t)
		}
		if p.Activity != nil {
			p.OutcomesLink = outcomesLinkOf(d.From, d.To)
			tables := activityTablesOf(p.Activity)
			for _, name := range activityTables {
				t := tables[name]
				t.CSV = "/api/v1/reports/" + name + ".csv" + query
				p.Tables = append(p.Tables, t)
			}
		}
	}
	s.render(w, r, status, "reports", p)
}

// reportQueryOf is the query string of the dashboard's filter, with its
// period filled, for its downloads.
func reportQueryOf(d *linkwork.Dashboard) string {
	v := url.Values{}
	v.Set("from", d.From.String())
	v.Set("to", d.To.String())
	for k, x := range map[string]string{"pathway": string(d.Filter.Pathway), "age_band": d.Filter.AgeBand, "link_worker_id": d.Filter.LinkWorkerID, "referrer_org_id": d.Filter.ReferrerOrgID} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return "?" + v.Encode()
}

// reportFilterOf reads the API's query parameters on a day. A parameter
// that does not read, or that the dashboard refuses, is a bad request
// naming it.
func reportFilterOf(q url.Values, today linkwork.Date) (linkwork.ReportFilter, error) {
	var p linkwork.Problems
	f := linkwork.ReportFilter{
		From: parseDateField(&p, "from", q.Get("from")), To: parseDateField(&p, "to", q.Get("to")),
		Pathway: linkwork.Pathway(strings.TrimSpace(q.Get("pathway"))), AgeBand: strings.TrimSpace(q.Get("age_band")),
		LinkWorkerID: strings.TrimSpace(q.Get("link_worker_id")), ReferrerOrgID: strings.TrimSpace(q.Get("referrer_org_id")),
	}
	if len(p) == 0 {
		p = linkwork.ErrorFields(f.Validate(today))
	}
	if len(p) > 0 {
		return f, &linkwork.Error{Code: linkwork.EMALFORMED, Message: "The query parameter " + p[0].Field + " is not right: " + p[0].Message, Fields: p}
	}
	return f, nil
}

func (s *Server) apiDashboard(w http.ResponseWriter, r *http.Request) {
	f, err := reportFilterOf(r.URL.Query(), s.today())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	d, err := s.svc.Reports.Dashboard(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	a, err := s.activityOf(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	out := dashboardOut(d)
	out.Activity = activityOut(a)
	writeJSON(w, http.StatusOK, out)
}

// apiReportCSV gives one of the dashboard's tables as CSV, its figures
// suppressed as the page's are, its cells safe to open in a spreadsheet.
func (s *Server) apiReportCSV(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutSuffix(r.PathValue("table"), ".csv")
	known := false
	for _, t := range reportTables {
		known = known || t == name
	}
	activity := isActivityTable(name) && s.svc.ReportActivity != nil
	if !ok || !known && !activity {
		s.fail(w, r, true, linkwork.Errorf(linkwork.ENOTFOUND, "There is no such table: the tables are %s, each followed by .csv", allReportTables()))
		return
	}
	f, err := reportFilterOf(r.URL.Query(), s.today())
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	d, err := s.svc.Reports.Dashboard(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	t := tablesOf(d)[name]
	if activity {
		a, err := s.activityOf(r.Context(), f)
		if err != nil {
			s.fail(w, r, true, err)
			return
		}
		t = activityTablesOf(a)[name]
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+"-"+d.From.String()+"-to-"+d.To.String()+`.csv"`)
	cw := csvsafe.NewWriter(w)
	_ = cw.Write(t.Columns)
	for _, row := range t.Rows {
		_ = cw.Write(row)
	}
	cw.Flush()
}
