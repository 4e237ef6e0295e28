package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// The referrers' flow: a referrer's own referrals month by month and what
// became of them; for a coordinator, every referrer's, with those gone
// quiet. The figures are the service's (linkwork.ReferrerFlowService);
// this shows them.

// routesReferrerFlow registers the flow's page and API route.
func (s *Server) routesReferrerFlow() {
	s.handle("GET", "/reports/referrers", may(auth.ReadReferrerFlow), s.referrerFlowPage)
	s.handle("GET", "/api/v1/reports/referrers", may(auth.ReadReferrerFlow), s.apiReferrerFlow)
}

// referrerFlowFilter reads months and quiet_weeks from the query, naming
// either that is not a whole number.
func referrerFlowFilter(r *http.Request) (linkwork.ReferrerFlowFilter, linkwork.Problems) {
	var f linkwork.ReferrerFlowFilter
	var p linkwork.Problems
	q := r.URL.Query()
	for _, n := range []struct {
		name, what string
		dst        *int
	}{{"months", "a number of months", &f.Months}, {"quiet_weeks", "a number of weeks", &f.QuietWeeks}} {
		v := strings.TrimSpace(q.Get(n.name))
		if v == "" {
			continue
		}
		i, err := parseInt(v)
		if err != nil || i < 1 {
			p.Add(n.name, "Enter "+n.what+" as a whole number, like 6")
			continue
		}
		*n.dst = i
	}
	return f, p
}

func (s *Server) apiReferrerFlow(w http.ResponseWriter, r *http.Request) {
	f, p := referrerFlowFilter(r)
	if err := p.Err(); err != nil {
		s.fail(w, r, true, err)
		return
	}
	flow, err := s.svc.ReferrerFlow.ReferrerFlow(r.Context(), f)
	if err != nil {
		s.fail(w, r, true, err)
		return
	}
	writeJSON(w, http.StatusOK, referrerFlowOut(flow))
}

// referrerFlowPage shows the flow.
type referrerFlowPage struct {
	Layout
	Flow *linkwork.ReferrerFlow
	// Months and QuietWeeks are the filter's inputs, as typed.
	Months, QuietWeeks string
	// AllReferrers: the reader sees every referrer's flow (a
	// coordinator), not only their own organisation's.
	AllReferrers bool
	MonthLabels  []string
	// Period says the months covered: "January to March 2026".
	Period    string
	Quiet     []linkwork.ReferrerFlowRow
	MonthRows []flowMonthRow
}

// flowMonthRow is a month's counts in words.
type flowMonthRow struct {
	Label  string
	Counts linkwork.FlowCounts
}

// V is what the filter form sent for a field.
func (p *referrerFlowPage) V(name string) string {
	switch name {
	case "months":
		return p.Months
	case "quiet_weeks":
		return p.QuietWeeks
	}
	return ""
}

func (s *Server) referrerFlowPage(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	p := &referrerFlowPage{Layout: Layout{Title: "Referrals by referrer"}, Months: r.URL.Query().Get("months"), QuietWeeks: r.URL.Query().Get("quiet_weeks"),
		AllReferrers: u.Role == linkwork.RoleCoordinator}
	if !p.AllReferrers {
		p.Title = "Your organisation's referrals"
	}
	f, problems := referrerFlowFilter(r)
	status := http.StatusOK
	var err error
	if len(problems) == 0 {
		p.Flow, err = s.svc.ReferrerFlow.ReferrerFlow(r.Context(), f)
		problems = linkwork.ErrorFields(err)
	}
	if len(problems) > 0 {
		p.Errors, p.Message, status = problems, "There is a problem", http.StatusUnprocessableEntity
	} else if err != nil {
		s.fail(w, r, false, err)
		return
	}
	if p.Flow != nil {
		for i, m := range p.Flow.Months {
			p.MonthLabels = append(p.MonthLabels, monthLabel(m))
			p.MonthRows = append(p.MonthRows, flowMonthRow{Label: monthLabel(m), Counts: p.Flow.TotalByMonth[i]})
		}
		if n := len(p.Flow.Months); n > 0 {
			p.Period = p.MonthLabels[0] + " to " + p.MonthLabels[n-1]
		}
		for _, rr := range p.Flow.Referrers {
			if rr.Quiet {
				p.Quiet = append(p.Quiet, rr)
			}
		}
	}
	s.render(w, r, status, "referrer_flow", p)
}

// monthLabel says a month (YYYY-MM) as people do: "January 2026".
func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("January 2006")
}

// percent says a share to the nearest whole percent.
func percent(v float64) string {
	return strconv.FormatFloat(v, 'f', 0, 64) + "%"
}

// declinedWords says the share of a referrer's decided referrals that
// were declined, with the counts: "1 of 3 (33%)"; "none decided" when
// none is.
func declinedWords(c linkwork.FlowCounts) string {
	if c.Accepted+c.Declined == 0 {
		return "None decided"
	}
	return fmt.Sprintf("%d of %d (%s)", c.Declined, c.Accepted+c.Declined, percent(c.DeclinedShare()))
}
