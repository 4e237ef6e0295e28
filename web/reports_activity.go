package web

import (
	"context"
	"math"
	"net/url"
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// The dashboard's figures of activity (linkwork.Activity): where
// referrals came from and the needs coded for them, the waiting list,
// caseloads, sessions by mode and place, connections by category and
// organisation with their uptake, and what the funds paid. Each is a
// table with a chart beside it and a CSV download, as the referral
// figures are; which figures a reader may see is the root package's.

// activityTables are the activity's tables' names, in the page's order,
// after the referral figures'.
var activityTables = []string{"referrals-by-referrer", "referrals-by-practice", "referrals-by-need", "waiting-list", "caseloads",
	"sessions-by-mode", "sessions-by-place", "connections-by-category", "connections-by-organisation", "fund-spending"}

// activityOf reads the activity for a filter, or nil when the server has
// no service for it.
func (s *Server) activityOf(ctx context.Context, f linkwork.ReportFilter) (*linkwork.Activity, error) {
	if s.svc.ReportActivity == nil {
		return nil, nil
	}
	return s.svc.ReportActivity.DashboardActivity(ctx, f)
}

// isActivityTable reports whether name is one of the activity's tables.
func isActivityTable(name string) bool {
	for _, t := range activityTables {
		if t == name {
			return true
		}
	}
	return false
}

// activityMonths says the whole months the activity counts.
func activityMonths(a *linkwork.Activity) string {
	if a.FromMonth == a.ToMonth {
		return a.FromMonth.Label()
	}
	return a.FromMonth.Label() + " to " + a.ToMonth.Label()
}

// activityNote says, above an activity table, what it counts, the months
// it counts and the filters chosen that do not narrow it.
func activityNote(a *linkwork.Activity, what string, g linkwork.ActivityGroup) string {
	note := what
	if g != linkwork.ActivityCaseloads {
		note += " Counted over whole months: " + activityMonths(a) + "."
	}
	if not := a.Filter.ActivityUnfiltered(g); len(not) > 0 {
		note += " Not narrowed by the " + strings.Join(not, ", nor by the ") + " chosen."
	}
	return note
}

// pounds says pence as pounds, "£35.00".
func pounds(p float64) string {
	return "£" + strconv.FormatFloat(math.Round(p)/100, 'f', 2, 64)
}

// activityTablesOf turns the activity into its tables.
func activityTablesOf(a *linkwork.Activity) map[string]*reportTable {
	out := map[string]*reportTable{}
	hidden := func(f linkwork.Figure) bool { return f.Hidden != linkwork.Shown }
	counts := func(name, caption, column, unit, note string, rows []linkwork.CountRow, total *linkwork.Figure, totalLabel string) {
		t := &reportTable{Name: name, Caption: caption, Columns: []string{column, unit}, Note: note, Empty: "Nothing to count here."}
		var bars []bar
		for _, r := range rows {
			t.Rows = append(t.Rows, []string{r.Label, r.Count.Words()})
			t.Hidden = append(t.Hidden, hidden(r.Count))
			bars = append(bars, bar{Label: r.Label, Value: float64(r.Count.N), Words: r.Count.Words(), Hidden: hidden(r.Count)})
		}
		if total != nil && len(rows) > 0 {
			t.Rows = append(t.Rows, []string{totalLabel, total.Words()})
			t.Hidden = append(t.Hidden, hidden(*total))
		}
		t.Chart = barChartOf(name, caption, bars)
		out[name] = t
	}
	counts("referrals-by-referrer", "Referrals by referring organisation", "Referring organisation", "Referrals",
		activityNote(a, "The organisations the period's referrals came from, most first; referrals by the person, their family or a friend name none.", linkwork.ActivityReferrals),
		a.ByReferrer, &a.Referrals, "All referrals")
	counts("referrals-by-practice", "Referrals by GP practice", "GP practice", "Referrals",
		activityNote(a, "The GP practice each referred person is registered with, most first.", linkwork.ActivityReferrals), a.ByPractice, &a.Referrals, "All referrals")
	counts("referrals-by-need", "Referrals by area of need", "Area of need", "Referrals",
		activityNote(a, "The areas of need the link worker coded on the case opened from each referral: a referral may have several, or none yet, so these do not add up to the referrals.", linkwork.ActivityReferrals), a.ByNeed, nil, "")
	counts("waiting-list", "People waiting for a link worker at the end of each month", "Month", "People waiting",
		activityNote(a, "The people accepted and not yet given a link worker on the last day of each month (today, for this month).", linkwork.ActivityOthers), a.Waiting, nil, "")
	if !a.Exact {
		// A reader outside the service sees the caseloads added up,
		// never a link worker.
		c := a.Caseload
		avg := "not shown"
		if !c.AverageHidden {
			avg = strconv.FormatFloat(c.Average, 'f', 1, 64)
		}
		out["caseloads"] = &reportTable{Name: "caseloads", Caption: "Link workers' caseloads today", Columns: []string{"Figure", "Value"},
			Note:   activityNote(a, "The open cases (active or ending) of the link workers with any, today; no link worker is named, and the period does not narrow them.", linkwork.ActivityCaseloads),
			Rows:   [][]string{{"Link workers with open cases", strconv.Itoa(c.LinkWorkers)}, {"Open cases", c.OpenCases.Words()}, {"Open cases a link worker, on average", avg}},
			Hidden: []bool{false, hidden(c.OpenCases), c.AverageHidden},
			Chart:  barChartOf("caseloads", "Open cases a link worker, on average", []bar{{Label: "Average caseload", Value: c.Average, Words: avg, Hidden: c.AverageHidden}})}
	} else {
		open := a.Caseload.OpenCases
		counts("caseloads", "Link workers' caseloads today", "Link worker", "Open cases",
			activityNote(a, "The open cases (active or ending) of each link worker, today, most first; the period does not narrow them.", linkwork.ActivityCaseloads), a.Caseloads, &open, "All open cases")
	}
	counts("sessions-by-mode", "Sessions attended, by how they took place", "How", "Sessions",
		activityNote(a, "The one-to-one sessions people came to in these months, by how they took place.", linkwork.ActivityOthers), a.SessionModes, &a.Sessions, "All sessions attended")
	counts("sessions-by-place", "Sessions attended, by place", "Place", "Sessions",
		activityNote(a, "The one-to-one sessions people came to in these months, by where they took place.", linkwork.ActivityOthers), a.SessionPlaces, &a.Sessions, "All sessions attended")
	uptake := func(name, caption, column, note string, rows []linkwork.UptakeRow, total bool) {
		t := &reportTable{Name: name, Caption: caption, Columns: []string{column, "Made", "Went at least once", "Still going", "Uptake"}, Note: note, Empty: "No connections made in these months."}
		var bars []bar
		for _, r := range rows {
			up := "not shown"
			if !r.UptakeHidden {
				up = linkwork.Percent(r.Uptake)
			}
			t.Rows = append(t.Rows, []string{r.Label, r.Made.Words(), r.Went.Words(), r.Going.Words(), up})
			t.Hidden = append(t.Hidden, hidden(r.Made) || hidden(r.Went) || hidden(r.Going))
			words := r.Made.Words() + " made"
			if !r.UptakeHidden {
				words += ", " + up + " went"
			}
			bars = append(bars, bar{Label: r.Label, Value: float64(r.Made.N), Words: words, Hidden: hidden(r.Made)})
		}
		if total && len(rows) > 0 {
			t.Rows = append(t.Rows, []string{"All connections", a.ConnectionsMade.Words(), "", "", ""})
			t.Hidden = append(t.Hidden, hidden(a.ConnectionsMade))
		}
		t.Chart = barChartOf(name, caption+": connections made", bars)
		out[name] = t
	}
	uptake("connections-by-category", "Connections by category of activity", "Category",
		activityNote(a, "The connections made in these months, under each category their activity has (an activity may have several), with how many people went at least once and still go.", linkwork.ActivityOthers), a.ByCategory, false)
	uptake("connections-by-organisation", "Connections by community organisation", "Organisation",
		activityNote(a, "The connections made in these months, by the community organisation running the activity, most first.", linkwork.ActivityOthers), a.ByOrganisation, true)

	f := a.Funds
	fund := &reportTable{Name: "fund-spending", Caption: "What the funds paid", Columns: []string{"Paid for", "Requests paid", "Spent"},
		Empty: "Nothing paid in this period.",
		Note:  "The requests to the service's funds paid in the period (by the day each was asked for), by what they paid for; the spend a person helped is the total over the people (cases) helped."}
	if not := a.Filter.ActivityUnfiltered(linkwork.ActivityOthers); len(not) > 0 {
		fund.Note += " Not narrowed by the " + strings.Join(not, ", nor by the ") + " chosen."
	}
	var bars []bar
	for _, r := range f.ByCategory {
		spent := "not shown"
		if !hidden(r.Requests) {
			spent = pounds(float64(r.SpentPence))
		}
		fund.Rows = append(fund.Rows, []string{r.Category.Label(), r.Requests.Words(), spent})
		fund.Hidden = append(fund.Hidden, hidden(r.Requests))
		bars = append(bars, bar{Label: r.Category.Label(), Value: float64(r.SpentPence), Words: spent, Hidden: hidden(r.Requests)})
	}
	if len(f.ByCategory) > 0 {
		total, per := pounds(float64(f.SpentPence)), pounds(f.PerPersonPence)
		if f.SpentHidden() {
			total = "not shown"
		}
		if f.PerPersonHidden {
			per = "not shown"
		}
		fund.Rows = append(fund.Rows, []string{"All paid", "", total}, []string{"People helped", f.People.Words(), ""}, []string{"Spent a person helped", "", per})
		fund.Hidden = append(fund.Hidden, f.SpentHidden(), hidden(f.People), f.PerPersonHidden)
	}
	fund.Chart = barChartOf("fund-spending", "Spent on each kind of request, in pounds", bars)
	out["fund-spending"] = fund
	return out
}

// outcomesLinkOf is the outcome measures' page for a period, its dates
// in the page's form's fields.
func outcomesLinkOf(from, to linkwork.Date) string {
	v := url.Values{}
	for name, d := range map[string]linkwork.Date{"from": from, "to": to} {
		v.Set(name+"-day", strconv.Itoa(d.Day))
		v.Set(name+"-month", strconv.Itoa(int(d.Month)))
		v.Set(name+"-year", strconv.Itoa(d.Year))
	}
	return "/measures?" + v.Encode()
}

// allReportTables names every table with a CSV, for an error.
func allReportTables() string {
	return strings.Join(append(append([]string{}, reportTables...), activityTables...), ", ")
}
