package demo

import (
	"strconv"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// Summary counts what Generate sent: records of each type, referrals by
// pathway and status, cases by status and listings by category (a listing
// in two categories counts in both).
type Summary struct {
	Organisations int
	Users         int
	Settings      int
	Funds         int
	Assets        int
	People        int
	Referrals     int
	Cases         int
	Goals         int
	Contacts      int
	Connections   int
	FundRequests  int
	Measures      int

	ReferralsByPathway map[linkwork.Pathway]int
	ReferralsByStatus  map[linkwork.ReferralStatus]int
	CasesByStatus      map[linkwork.CaseStatus]int
	AssetsByCategory   map[linkwork.Category]int
}

// Records returns the number of records of every type.
func (s *Summary) Records() int {
	return s.Organisations + s.Users + s.Settings + s.Funds + s.Assets + s.People + s.Referrals + s.Cases + s.Goals + s.Contacts + s.Connections + s.FundRequests + s.Measures
}

// String lays the summary out as a short report, in a fixed order.
func (s *Summary) String() string {
	var b strings.Builder
	line := func(label string, n int) {
		b.WriteString(label)
		for i := len(label); i < 30; i++ {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.Itoa(n))
		b.WriteByte('\n')
	}
	line("organisations", s.Organisations)
	line("users", s.Users)
	line("service settings", s.Settings)
	line("funds", s.Funds)
	line("assets", s.Assets)
	for _, c := range linkwork.Categories {
		line("  "+c.Label(), s.AssetsByCategory[c])
	}
	line("people", s.People)
	line("referrals", s.Referrals)
	for _, p := range linkwork.Pathways {
		line("  "+p.Label(), s.ReferralsByPathway[p])
	}
	for _, st := range linkwork.ReferralStatuses {
		line("  "+st.Label(), s.ReferralsByStatus[st])
	}
	line("cases", s.Cases)
	for _, st := range []linkwork.CaseStatus{linkwork.CaseWaiting, linkwork.CaseActive, linkwork.CaseEnding, linkwork.CaseClosed} {
		line("  "+st.Label(), s.CasesByStatus[st])
	}
	line("goals", s.Goals)
	line("contacts", s.Contacts)
	line("connections", s.Connections)
	line("requests to funds", s.FundRequests)
	line("measures", s.Measures)
	return b.String()
}

// counter passes records on to a sink and counts them.
type counter struct {
	next Sink
	sum  Summary
}

func newCounter(next Sink) *counter {
	return &counter{next: next, sum: Summary{
		ReferralsByPathway: map[linkwork.Pathway]int{},
		ReferralsByStatus:  map[linkwork.ReferralStatus]int{},
		CasesByStatus:      map[linkwork.CaseStatus]int{},
		AssetsByCategory:   map[linkwork.Category]int{},
	}}
}

func (c *counter) Organisation(o *linkwork.Organisation) error {
	c.sum.Organisations++
	return c.next.Organisation(o)
}

func (c *counter) User(u *linkwork.User, password string) error {
	c.sum.Users++
	return c.next.User(u, password)
}

func (c *counter) Settings(s *linkwork.ServiceSettings) error {
	c.sum.Settings++
	return c.next.Settings(s)
}

func (c *counter) Fund(f *linkwork.Fund) error {
	c.sum.Funds++
	return c.next.Fund(f)
}

func (c *counter) FundRequest(r *linkwork.FundRequest) error {
	c.sum.FundRequests++
	return c.next.FundRequest(r)
}

func (c *counter) Asset(a *linkwork.Asset) error {
	c.sum.Assets++
	for _, x := range a.Categories {
		c.sum.AssetsByCategory[x]++
	}
	return c.next.Asset(a)
}

func (c *counter) Person(p *linkwork.Person) error {
	c.sum.People++
	return c.next.Person(p)
}

func (c *counter) Referral(r *linkwork.Referral) error {
	c.sum.Referrals++
	c.sum.ReferralsByPathway[r.Pathway]++
	c.sum.ReferralsByStatus[r.Status]++
	return c.next.Referral(r)
}

func (c *counter) Case(x *linkwork.Case) error {
	c.sum.Cases++
	c.sum.CasesByStatus[x.Status]++
	return c.next.Case(x)
}

func (c *counter) Goal(g *linkwork.Goal) error {
	c.sum.Goals++
	return c.next.Goal(g)
}

func (c *counter) Contact(x *linkwork.Contact) error {
	c.sum.Contacts++
	return c.next.Contact(x)
}

func (c *counter) Connection(x *linkwork.Connection) error {
	c.sum.Connections++
	return c.next.Connection(x)
}

func (c *counter) Measure(m *linkwork.MeasureResponse) error {
	c.sum.Measures++
	return c.next.Measure(m)
}
