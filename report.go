package linkwork

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The dashboard: a service's referrals added up, for its coordinators to
// run it by and for those who fund it to commission it by. It counts
// referrals received in a period: by month, pathway and mode; how far
// they went (the funnel, from referral to closing with goals met or
// connected) and where people left; and how long they waited for a
// decision and then for first contact. The store adds the figures up in
// SQL; which of them a reader outside the service may see is here.

// ReportFilter narrows the dashboard to the referrals received in a
// period (UK days, both ends included), and to one pathway, age band
// (the person's, on the UK day the referral was received: a service's
// figures count people as they were when referred), link worker (of the
// case) or referring organisation. A zero
// period is the twelve months up to today (DefaultPeriod).
type ReportFilter struct {
	From, To      Date
	Pathway       Pathway
	AgeBand       string
	LinkWorkerID  string
	ReferrerOrgID string
}

// MaxReportMonths is the longest period the dashboard adds up, month by
// month: ten years.
const MaxReportMonths = 120

// Validate reports a filter the dashboard cannot read, naming the field:
// a period that ends before it starts or is longer than ten years, an
// unknown pathway or age band.
func (f ReportFilter) Validate(today Date) error {
	var p Problems
	from, to := f.Period(today)
	if to.Before(from) {
		p.Add("to", "The end of the period must be the same as or after its start")
	} else if len(MonthsOf(from, to)) > MaxReportMonths {
		p.Add("from", "The period can be at most 10 years long")
	}
	if f.Pathway != "" && !f.Pathway.Valid() {
		p.Add("pathway", "Choose a pathway from the list")
	}
	if f.AgeBand != "" {
		if _, ok := FindAgeBand(f.AgeBand); !ok {
			p.Add("age_band", "Choose an age band from the list")
		}
	}
	p.Text("link_worker_id", f.LinkWorkerID, MaxIDLength)
	p.Text("referrer_org_id", f.ReferrerOrgID, MaxIDLength)
	return p.Err()
}

// Period is the filter's period with its open ends filled: to today, and
// from the first day of the month eleven months before the end (twelve
// months in all).
func (f ReportFilter) Period(today Date) (from, to Date) {
	from, to = f.From, f.To
	if to.IsZero() {
		to = today
		if !from.IsZero() && to.Before(from) {
			to = from
		}
	}
	if from.IsZero() {
		from = Date{Year: to.Year, Month: to.Month, Day: 1}
		from = DateOf(from.Time().AddDate(0, -11, 0))
	}
	return from, to
}

// Month is a calendar month, "2026-03".
type Month struct {
	Year  int
	Month time.Month
}

// String is the month's key, "2026-03".
func (m Month) String() string { return Date{m.Year, m.Month, 1}.String()[:7] }

// Label is the month as readers say it, "March 2026".
func (m Month) Label() string { return m.Month.String() + " " + strconv.Itoa(m.Year) }

// Short is the month for a chart's axis, "Mar 26".
func (m Month) Short() string {
	return m.Month.String()[:3] + " " + strconv.Itoa(m.Year%100/10) + strconv.Itoa(m.Year%10)
}

// MonthsOf are the months a period touches, in order.
func MonthsOf(from, to Date) []Month {
	var out []Month
	m := Month{from.Year, from.Month}
	for !to.Before(Date{m.Year, m.Month, 1}) && len(out) <= MaxReportMonths {
		out = append(out, m)
		if m.Month == time.December {
			m = Month{m.Year + 1, time.January}
		} else {
			m.Month++
		}
	}
	return out
}

// Figure is a number of referrals or people, as a reader may see it.
type Figure struct {
	N      int
	Hidden Hidden
}

// Words says the count as the reader sees it.
func (c Figure) Words() string {
	if c.Hidden != Shown {
		return c.Hidden.Words()
	}
	return strconv.Itoa(c.N)
}

// CountRow is one group of a breakdown: a month, pathway, mode or way of
// leaving.
type CountRow struct {
	Key, Label string
	Count      Figure
}

// FunnelStep is how many of the period's referrals reached a step of the
// journey, and that as a share of the step before and of all referred.
type FunnelStep struct {
	Key, Label string
	People     Figure
	// FromPrevious and FromReferred are percentages; RatesHidden when the
	// step's count is hidden (or the one before it), when they are zero.
	FromPrevious, FromReferred float64
	RatesHidden                bool
}

// Wait is how long the people of a month waited, in days: the median
// and the 90th percentile (the smallest wait at least half, or nine in
// ten, of the waits are no longer than), of N waits. A month of fewer
// than SmallNumber waits has its figures hidden from readers outside the
// service, and N says so.
type Wait struct {
	N           Figure
	Median, P90 float64
}

// Shown reports whether the wait's figures are there to read.
func (w Wait) Shown() bool { return w.N.Hidden == Shown && w.N.N > 0 }

// WaitRow is one month's waits, by the month the referral was received:
// from referral to the decision to accept or decline it, and from the
// decision to accept to first contact (the person reached, or attending
// a session).
type WaitRow struct {
	Month                  Month
	Decision, FirstContact Wait
}

// The funnel's steps, in order.
const (
	StepReferred     = "referred"
	StepTriaged      = "triaged"
	StepAccepted     = "accepted"
	StepFirstContact = "first_contact"
	StepFirstSession = "first_session"
	StepConnected    = "connected"
	StepClosedWell   = "closed_well"
)

// FunnelSteps are the funnel's steps with their labels.
var FunnelSteps = []struct{ Key, Label string }{
	{StepReferred, "Referred"},
	{StepTriaged, "Triaged (looked at)"},
	{StepAccepted, "Accepted"},
	{StepFirstContact, "First contact made"},
	{StepFirstSession, "First session attended"},
	{StepConnected, "Went to an activity"},
	{StepClosedWell, "Closed with goals met or connected"},
}

// The ways people leave, in the order they happen.
const (
	LeftDeclined       = "declined"
	LeftWithdrawn      = "withdrawn"
	LeftDeclinedOffer  = "declined_support"
	LeftDisengaged     = "disengaged"
	LeftDroppedOut     = "dropped_out"
	LeftClosedOtherway = "closed_other"
)

// LeavingWays are the ways people leave with their labels.
var LeavingWays = []struct{ Key, Label string }{
	{LeftDeclined, "Referral declined (directed elsewhere)"},
	{LeftWithdrawn, "Referral withdrawn"},
	{LeftDeclinedOffer, "Accepted, then decided not to take up support"},
	{LeftDisengaged, "Stopped taking part (disengaged)"},
	{LeftDroppedOut, "Stopped going to an activity (dropped out)"},
	{LeftClosedOtherway, "Closed otherwise (moved on, moved away, not suitable)"},
}

// Dashboard is a service's referrals added up over a period.
type Dashboard struct {
	Filter ReportFilter
	// From and To are the period read, open ends filled.
	From, To Date
	// Exact: the reader is one of the service's own staff and sees every
	// figure; otherwise small numbers are suppressed.
	Exact bool
	// Referrals is the number received in the period.
	Referrals Figure
	// ByMonth, ByPathway and ByMode break them down: each has a row for
	// each group with a referral, in order.
	ByMonth, ByPathway, ByMode []CountRow
	Funnel                     []FunnelStep
	// Leaving counts the people who left, each way.
	Leaving []CountRow
	// Waits are each month's, for the months with a referral.
	Waits []WaitRow
	// Sessions are the one-to-one sessions of the period's referrals'
	// cases.
	Sessions SessionFigures
	// Connections are the connections made from those cases, a row a
	// level (signpost, refer, buddy, phased) with any, in that order, and
	// ConnectionsMade their total.
	Connections     []LevelRow
	ConnectionsMade Figure
	// LinkWorkers and Referrers are who the dashboard can be narrowed
	// to: the link workers with a case, and the organisations with a
	// referral, of the services read, by name.
	LinkWorkers, Referrers []Choice
}

// SessionFigures are the sessions of the people accepted: how many
// sessions they attended and did not attend, the sessions attended per
// person accepted, and the share of sessions not attended (of those
// attended or not). RatesHidden when a count they come from is hidden.
type SessionFigures struct {
	People, Attended, DidNotAttend Figure
	PerPerson, DNARate             float64
	RatesHidden                    bool
}

// Rates fills the rates from the counts.
func (s *SessionFigures) Rates() {
	s.PerPerson, s.DNARate = 0, 0
	s.RatesHidden = s.People.Hidden != Shown || s.Attended.Hidden != Shown || s.DidNotAttend.Hidden != Shown
	if s.RatesHidden {
		return
	}
	if s.People.N > 0 {
		s.PerPerson = float64(s.Attended.N) / float64(s.People.N)
	}
	if n := s.Attended.N + s.DidNotAttend.N; n > 0 {
		s.DNARate = 100 * float64(s.DidNotAttend.N) / float64(n)
	}
}

// LevelRow is the connections made at one level: how many, how many the
// person went to at least once, and how many they are still going to;
// Uptake is the share went to, hidden with either count.
type LevelRow struct {
	Level             ConnectionLevel
	Made, Went, Going Figure
	Uptake            float64
	UptakeHidden      bool
}

// Rates fills the row's uptake from its counts.
func (r *LevelRow) Rates() {
	r.Uptake = 0
	r.UptakeHidden = r.Made.Hidden != Shown || r.Went.Hidden != Shown
	if !r.UptakeHidden && r.Made.N > 0 {
		r.Uptake = 100 * float64(r.Went.N) / float64(r.Made.N)
	}
}

// Choice is someone a filter can choose.
type Choice struct{ ID, Name string }

// Rates fills each funnel step's conversions, the sessions' rates and
// the connections' uptake from the counts.
func (d *Dashboard) Rates() {
	d.Sessions.Rates()
	for i := range d.Connections {
		d.Connections[i].Rates()
	}
	for i := range d.Funnel {
		s := &d.Funnel[i]
		s.FromPrevious, s.FromReferred, s.RatesHidden = 0, 0, false
		if s.People.Hidden != Shown || i > 0 && d.Funnel[i-1].People.Hidden != Shown || d.Funnel[0].People.Hidden != Shown {
			s.RatesHidden = true
			continue
		}
		if r := d.Funnel[0].People.N; r > 0 {
			s.FromReferred = 100 * float64(s.People.N) / float64(r)
		}
		prev := s.People.N
		if i > 0 {
			prev = d.Funnel[i-1].People.N
		}
		if prev > 0 {
			s.FromPrevious = 100 * float64(s.People.N) / float64(prev)
		}
	}
}

// Suppress hides the small numbers, for a reader outside the service,
// and marks the dashboard not Exact: every count under SmallNumber, and
// in a breakdown that adds up to a total shown, more counts withheld
// (SuppressRows) so that a hidden one cannot be worked out from the
// total; the conversions of a hidden step; and the waits of a month of
// fewer than SmallNumber.
func (d *Dashboard) Suppress() {
	d.Exact = false
	hideSmall(&d.Referrals)
	for _, rows := range [][]CountRow{d.ByMonth, d.ByPathway, d.ByMode} {
		SuppressRows(rows, d.Referrals)
	}
	for i := range d.Funnel {
		hideSmall(&d.Funnel[i].People)
	}
	// The ways of leaving do not add up to a figure shown: each is
	// suppressed on its own.
	SuppressRows(d.Leaving, Figure{Hidden: Small})
	for i := range d.Waits {
		for _, w := range []*Wait{&d.Waits[i].Decision, &d.Waits[i].FirstContact} {
			hideSmall(&w.N)
			if w.N.Hidden != Shown {
				w.Median, w.P90 = 0, 0
			}
		}
	}
	for _, c := range []*Figure{&d.Sessions.People, &d.Sessions.Attended, &d.Sessions.DidNotAttend} {
		hideSmall(c)
	}
	// The connections made at each level add up to the total made; the
	// ones gone to and still going add up to nothing shown, and are each
	// suppressed on their own.
	hideSmall(&d.ConnectionsMade)
	made := make([]CountRow, len(d.Connections))
	went := make([]CountRow, len(d.Connections))
	going := make([]CountRow, len(d.Connections))
	for i, c := range d.Connections {
		made[i].Count, went[i].Count, going[i].Count = c.Made, c.Went, c.Going
	}
	SuppressRows(made, d.ConnectionsMade)
	SuppressRows(went, Figure{Hidden: Small})
	SuppressRows(going, Figure{Hidden: Small})
	for i := range d.Connections {
		d.Connections[i].Made, d.Connections[i].Went, d.Connections[i].Going = made[i].Count, went[i].Count, going[i].Count
	}
	d.Rates()
}

// hideSmall hides a count under SmallNumber.
func hideSmall(c *Figure) {
	if c.Hidden == Shown && c.N < SmallNumber {
		c.Hidden = Small
	}
	if c.Hidden != Shown {
		c.N = 0
	}
}

// SuppressRows hides a breakdown's small counts: each under SmallNumber
// is Small. When the rows add up to a total that is shown, the hidden
// ones add up to the total less those shown, so more are Withheld, the
// smallest first, until at least two are hidden and together they come
// to SmallNumber or more: then none of them can be worked out, and
// neither can a small group's size from the hidden total.
func SuppressRows(rows []CountRow, total Figure) {
	if total.Hidden != Shown {
		for i := range rows {
			if rows[i].Count.Hidden == Shown && rows[i].Count.N < SmallNumber {
				rows[i].Count.Hidden = Small
			}
		}
	} else {
		hidden, sum := 0, 0
		for i := range rows {
			if rows[i].Count.N < SmallNumber {
				rows[i].Count.Hidden = Small
				hidden++
				sum += rows[i].Count.N
			}
		}
		if hidden > 0 {
			order := make([]int, len(rows))
			for i := range order {
				order[i] = i
			}
			sort.SliceStable(order, func(i, j int) bool { return rows[order[i]].Count.N < rows[order[j]].Count.N })
			for _, i := range order {
				if hidden >= 2 && sum >= SmallNumber {
					break
				}
				if rows[i].Count.Hidden == Shown {
					rows[i].Count.Hidden = Withheld
					hidden++
					sum += rows[i].Count.N
				}
			}
		}
	}
	for i := range rows {
		if rows[i].Count.Hidden != Shown {
			rows[i].Count.N = 0
		}
	}
}

// Percent says a percentage to one decimal place, "42.9%".
func Percent(p float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(p, 'f', 1, 64), ".0") + "%"
}

// Days says a wait in days to one decimal place, "3.5".
func Days(d float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(d, 'f', 1, 64), ".0")
}

// ReportService adds up a service's referrals.
type ReportService interface {
	// Dashboard returns the figures of the services the actor may see
	// them for (their own service for a coordinator, the services it
	// funds for a commissioner), suppressed for readers outside the
	// service. EFORBIDDEN for anyone else; EINVALID, naming the field,
	// for a filter that does not validate.
	Dashboard(ctx context.Context, f ReportFilter) (*Dashboard, error)
}
