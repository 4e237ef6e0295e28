package linkwork

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The dashboard's figures of activity, beside its referral figures: where
// referrals came from (referring organisation and GP practice) and the
// needs coded for them; the waiting list's size at the end of each month;
// link workers' caseloads; the sessions attended, by mode and place; the
// connections made, by category of activity and by community
// organisation, with how many people went and still go; and what the
// service's funds paid for. The store keeps most of them as counts a
// month (so they count whole months); which of them a reader outside the
// service may see, and that such a reader never sees a link worker's
// name, is decided here.

// Activity is a service's activity added up over the whole months of a
// dashboard's period.
type Activity struct {
	// FromMonth and ToMonth are the months counted, both whole.
	FromMonth, ToMonth Month
	// Exact: the reader is one of the service's own staff.
	Exact bool
	// Referrals is the number received in the months counted, and
	// ByReferrer and ByPractice break it down by referring organisation
	// and by the person's GP practice, most first (Key "" is none given).
	Referrals              Figure
	ByReferrer, ByPractice []CountRow
	// ByNeed counts the referrals whose case has each area of need coded,
	// in the order forms offer them: a referral may have several, or none
	// yet, so the rows add up to nothing shown.
	ByNeed []CountRow
	// Waiting is the number of people waiting for a link worker at the
	// end of each month counted (Key the month), in order.
	Waiting []CountRow
	// Caseloads are the open cases (active or ending) of each link worker
	// today, most first; a reader outside the service gets none, only
	// Caseload's totals.
	Caseloads []CountRow
	Caseload  CaseloadFigures
	// Sessions is the number of sessions attended in the months, and
	// SessionModes and SessionPlaces break it down.
	Sessions                    Figure
	SessionModes, SessionPlaces []CountRow
	// ConnectionsMade is the number made in the months; ByCategory counts
	// them under each category their activity has (an activity may have
	// several, so those rows add up to nothing shown), ByOrganisation
	// under the community organisation running it, most first.
	ConnectionsMade            Figure
	ByCategory, ByOrganisation []UptakeRow
	// Funds is what the service's funds paid in the period.
	Funds FundFigures
	// Filter is the dashboard's filter read; which of its choices narrow
	// which figures is ActivityUnfiltered's.
	Filter ReportFilter
}

// CaseloadFigures are the link workers with open cases today, the open
// cases they hold, and the average a link worker; AverageHidden when the
// cases are hidden.
type CaseloadFigures struct {
	LinkWorkers   int
	OpenCases     Figure
	Average       float64
	AverageHidden bool
}

// UptakeRow is the connections made in one group (a category of
// activity or a community organisation): how many, how many the person
// went to at least once, how many they still go to, and the share gone
// to, hidden with either count it comes from.
type UptakeRow struct {
	Key, Label        string
	Made, Went, Going Figure
	Uptake            float64
	UptakeHidden      bool
}

// Rates fills the row's uptake from its counts.
func (r *UptakeRow) Rates() {
	r.Uptake = 0
	r.UptakeHidden = r.Made.Hidden != Shown || r.Went.Hidden != Shown
	if !r.UptakeHidden && r.Made.N > 0 {
		r.Uptake = 100 * float64(r.Went.N) / float64(r.Made.N)
	}
}

// FundFigures are the requests the service's funds paid in the period (by
// the day each was asked for): by category, the people (cases) helped,
// and the spend a person helped.
type FundFigures struct {
	ByCategory []FundRow
	People     Figure
	SpentPence int
	// PerPersonPence is the spend a person helped, hidden with People or
	// the total spent.
	PerPersonPence  float64
	PerPersonHidden bool
}

// FundRow is what one category of request was paid: the requests and
// their total, hidden with the number of requests.
type FundRow struct {
	Category   FundCategory
	Requests   Figure
	SpentPence int
}

// Rates fills the figures worked out from the counts.
func (a *Activity) Rates() {
	for _, rows := range [][]UptakeRow{a.ByCategory, a.ByOrganisation} {
		for i := range rows {
			rows[i].Rates()
		}
	}
	c := &a.Caseload
	c.Average, c.AverageHidden = 0, c.OpenCases.Hidden != Shown
	if !c.AverageHidden && c.LinkWorkers > 0 {
		c.Average = float64(c.OpenCases.N) / float64(c.LinkWorkers)
	}
	f := &a.Funds
	// The spend a person times the people helped is the total: it is
	// hidden with either.
	f.PerPersonPence, f.PerPersonHidden = 0, f.SpentHidden()
	if !f.PerPersonHidden && f.People.N > 0 {
		f.PerPersonPence = float64(f.SpentPence) / float64(f.People.N)
	}
}

// Suppress hides what a reader outside the service may not see, and
// marks the figures not Exact: every link worker's caseload (they see
// the totals, never a name); counts under SmallNumber, and in a breakdown
// adding up to a total shown more withheld (SuppressRows); a fund
// category's spend with its number of requests, and the total spent and
// the spend a person when any is hidden.
func (a *Activity) Suppress() {
	a.Exact = false
	a.Caseloads = nil
	hideSmall(&a.Caseload.OpenCases)
	hideSmall(&a.Referrals)
	SuppressRows(a.ByReferrer, a.Referrals)
	SuppressRows(a.ByPractice, a.Referrals)
	SuppressRows(a.ByNeed, Figure{Hidden: Small})
	SuppressRows(a.Waiting, Figure{Hidden: Small})
	hideSmall(&a.Sessions)
	SuppressRows(a.SessionModes, a.Sessions)
	SuppressRows(a.SessionPlaces, a.Sessions)
	hideSmall(&a.ConnectionsMade)
	suppressUptake(a.ByCategory, Figure{Hidden: Small})
	suppressUptake(a.ByOrganisation, a.ConnectionsMade)

	f := &a.Funds
	hideSmall(&f.People)
	requests := make([]CountRow, len(f.ByCategory))
	for i, r := range f.ByCategory {
		requests[i].Count = r.Requests
	}
	SuppressRows(requests, Figure{Hidden: Small})
	anyHidden := f.People.Hidden != Shown
	for i := range f.ByCategory {
		f.ByCategory[i].Requests = requests[i].Count
		if requests[i].Count.Hidden != Shown {
			f.ByCategory[i].SpentPence = 0
			anyHidden = true
		}
	}
	if anyHidden {
		f.SpentPence = 0
	}
	a.Rates()
}

// SpentHidden reports whether the total spent is withheld: it is when the
// people helped or any category's requests are.
func (f FundFigures) SpentHidden() bool {
	if f.People.Hidden != Shown {
		return true
	}
	for _, r := range f.ByCategory {
		if r.Requests.Hidden != Shown {
			return true
		}
	}
	return false
}

// suppressUptake suppresses each column of uptake rows: the connections
// made as a breakdown of total, those gone to and still going each on
// their own.
func suppressUptake(rows []UptakeRow, total Figure) {
	made := make([]CountRow, len(rows))
	went := make([]CountRow, len(rows))
	going := make([]CountRow, len(rows))
	for i, r := range rows {
		made[i].Count, went[i].Count, going[i].Count = r.Made, r.Went, r.Going
	}
	SuppressRows(made, total)
	SuppressRows(went, Figure{Hidden: Small})
	SuppressRows(going, Figure{Hidden: Small})
	for i := range rows {
		rows[i].Made, rows[i].Went, rows[i].Going = made[i].Count, went[i].Count, going[i].Count
	}
}

// ActivityTopOrganisations is how many organisations a breakdown by
// organisation names, most first; the rest are added up in one row keyed
// OtherOrganisationsKey, so that a service referred to by thousands of
// practices and schools, or connecting people to thousands of groups, has
// a table a person can read (and a dashboard that does not name them all).
const ActivityTopOrganisations = 30

// OtherOrganisationsKey is the key of the row adding up the organisations
// past the first ActivityTopOrganisations. Organisation keys are ids, and
// "" is none given, so it names none of them.
const OtherOrganisationsKey = "other"

// OtherOrganisationsLabel labels the row adding up n organisations.
func OtherOrganisationsLabel(n int) string { return othersLabel(n, "organisation") }

// othersLabel labels a row adding up n of what is not named: "1 other
// organisation", "12 other link workers".
func othersLabel(n int, noun string) string {
	if n == 1 {
		return "1 other " + noun
	}
	return strconv.Itoa(n) + " other " + noun + "s"
}

// TopKeys splits counts' keys into the n with the most, most first (then
// by key, so that the cut is the same every time), and the rest.
func TopKeys(counts map[string]int, n int) (top, rest []string) {
	// Sorted as pairs: a comparison reads no map.
	type pair struct {
		key string
		n   int
	}
	pairs := make([]pair, 0, len(counts))
	for k, c := range counts {
		pairs = append(pairs, pair{k, c})
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if a.n != b.n {
			return cmp.Compare(b.n, a.n)
		}
		return strings.Compare(a.key, b.key)
	})
	keys := make([]string, len(pairs))
	for i, p := range pairs {
		keys[i] = p.key
	}
	if len(keys) <= n {
		return keys, nil
	}
	return keys[:n], keys[n:]
}

// SortRows puts a breakdown's rows most first, then by label.
func SortRows(rows []CountRow) {
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Count.N != rows[j].Count.N {
			return rows[i].Count.N > rows[j].Count.N
		}
		return rows[i].Label < rows[j].Label
	})
}

// ActivityGroup is a group of the activity's figures, by the dashboard's
// filters that narrow them.
type ActivityGroup int

// The groups: the referrals by source and need, which the pathway
// narrows; the caseloads, which the link worker narrows; and the rest
// (the waiting list, sessions, connections and funds), which no filter
// but the period narrows.
const (
	ActivityReferrals ActivityGroup = iota
	ActivityCaseloads
	ActivityOthers
)

// ActivityUnfiltered names the filters chosen that do not narrow a group
// of the activity's figures: they are counted by service and month, and
// by pathway for the referrals by source and need; the link worker
// narrows the caseloads only; the age band and referring organisation
// narrow none of them.
func (f ReportFilter) ActivityUnfiltered(g ActivityGroup) []string {
	var out []string
	if f.Pathway != "" && g != ActivityReferrals {
		out = append(out, "pathway")
	}
	if f.AgeBand != "" {
		out = append(out, "age band")
	}
	if f.LinkWorkerID != "" && g != ActivityCaseloads {
		out = append(out, "link worker")
	}
	if f.ReferrerOrgID != "" {
		out = append(out, "referring organisation")
	}
	return out
}

// ReportActivityService adds up a service's activity for the dashboard.
type ReportActivityService interface {
	// DashboardActivity returns the activity of the services the actor
	// may see the dashboard of, over the whole months of the filter's
	// period, suppressed for readers outside the service. EFORBIDDEN for
	// anyone else; EINVALID, naming the field, for a filter that does not
	// validate.
	DashboardActivity(ctx context.Context, f ReportFilter) (*Activity, error)
}
