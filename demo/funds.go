package demo

import (
	"fmt"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// The service's activity funds: one for each financial year (April to
// March) from three years before now to the current one. A connection
// the fund paid towards has an approved request to the fund of the year
// it was made in; a few referrals waiting for an organisation's answer
// have a request for kit waiting for the coordinator's decision. The
// funds draw from a stream of their own, so that the people are the
// same as they were before there were funds.

// fundThreshold is the most the demo funds pay without a coordinator's
// decision: £25.
const fundThreshold = 2500

// demoFund is a fund and what the city has spent from it so far.
type demoFund struct {
	f     *linkwork.Fund
	spent int
}

// financialYear is the year the UK financial year holding t began in.
func financialYear(t time.Time) int {
	if t.Month() < time.April {
		return t.Year() - 1
	}
	return t.Year()
}

// funds builds and sends the service's funds, each with a budget of £15
// a person referred (at least £2,000, at most linkwork.MaxPence), which
// the city's spending never reaches in the presets people browse.
func (g *gen) funds() error {
	budget := min(linkwork.MaxPence, max(200_000, g.cfg.People*1500))
	now := g.clock.now
	for y := financialYear(now.AddDate(-3, 0, 0)); y <= financialYear(now); y++ {
		f := &linkwork.Fund{
			ID: g.fundRNG.uuid(), ServiceOrgID: g.serviceID,
			Name:        fmt.Sprintf("Activity fund %d/%02d", y, (y+1)%100),
			Purpose:     "Fees, travel and kit for people who could not otherwise take part in an activity",
			BudgetPence: budget, ThresholdPence: fundThreshold,
			StartsOn:  linkwork.Date{Year: y, Month: time.April, Day: 1},
			EndsOn:    linkwork.Date{Year: y + 1, Month: time.March, Day: 31},
			CreatedBy: g.coordinator.id, CreatedAt: time.Date(y, time.March, 20, 10, 0, 0, 0, time.UTC),
		}
		g.fundsByYear = append(g.fundsByYear, &demoFund{f: f})
		if err := g.sink.Fund(f); err != nil {
			return err
		}
	}
	return nil
}

// fundAt is the fund of the financial year holding t, or nil.
func (g *gen) fundAt(t time.Time) *demoFund {
	y := financialYear(t)
	for _, f := range g.fundsByYear {
		if f.f.StartsOn.Year == y {
			return f
		}
	}
	return nil
}

// fundPays records that the service's fund paid amount pence of the
// category towards connection cn of case c, soon after it was made: an
// approved request, and the connection's FundPence. When the year's fund
// cannot pay it, the connection says so instead.
func (g *gen) fundPays(c *linkwork.Case, cn *linkwork.Connection, category linkwork.FundCategory, amount int, note string) {
	at := cn.CreatedAt.Add(2 * time.Hour)
	if at.After(g.clock.now) {
		at = g.clock.now
	}
	f := g.fundAt(at)
	if f == nil || f.spent+amount > f.f.BudgetPence {
		cn.FundPence = 0
		cn.Note = "The activity fund was spent for the year, so it could not pay towards this."
		return
	}
	f.spent += amount
	cn.FundPence = amount
	g.b.fundRequests = append(g.b.fundRequests, g.fundRequest(c, cn, f, category, amount, note, at, linkwork.FundApproved))
}

// fundAsks leaves a request for kit for connection cn of case c waiting
// for the coordinator's decision, now and then.
func (g *gen) fundAsks(c *linkwork.Case, cn *linkwork.Connection) {
	if !g.fundRNG.chance(0.3) {
		return
	}
	amount := 3000 + 500*g.fundRNG.between(0, 6) // £30 to £60: above the threshold
	at := cn.UpdatedAt
	if f := g.fundAt(at); f != nil && f.spent+amount <= f.f.BudgetPence {
		g.b.fundRequests = append(g.b.fundRequests, g.fundRequest(c, cn, f, linkwork.FundKit, amount, "Boots and a kit bag so that they can start", at, linkwork.FundRequested))
	}
}

func (g *gen) fundRequest(c *linkwork.Case, cn *linkwork.Connection, f *demoFund, category linkwork.FundCategory, amount int, note string, at time.Time, status linkwork.FundRequestStatus) *linkwork.FundRequest {
	by := c.LinkWorkerID
	if by == "" {
		by = g.coordinator.id
	}
	r := &linkwork.FundRequest{
		ID: g.fundRNG.uuid(), FundID: f.f.ID, ConnectionID: cn.ID, Category: category, AmountPence: amount, Note: note, Status: status,
		CaseID: c.ID, PersonID: cn.PersonID, ServiceOrgID: c.ServiceOrgID, RequestedBy: by, RequestedAt: at,
	}
	if status == linkwork.FundApproved {
		r.DecidedAt = at // paid at once, within the threshold
	}
	return r
}
