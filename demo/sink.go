package demo

import linkwork "github.com/linkwork/linkwork"

// Sink receives the generated city, record by record, in dependency order:
// organisations, users, the service's settings and funds, assets, then
// for each person their referrals, cases, goals, contacts, connections,
// requests to funds and measures. The store's bulk loader
// implements it; tests use an in-memory sink.
type Sink interface {
	Organisation(o *linkwork.Organisation) error
	// User receives an account and its plain-text password; the sink hashes
	// it.
	User(u *linkwork.User, password string) error
	// Settings receives a social prescribing service's saved settings.
	Settings(s *linkwork.ServiceSettings) error
	// Fund receives a service's fund, with nothing spent: what its
	// approved requests spend is for the sink to add up.
	Fund(f *linkwork.Fund) error
	Asset(a *linkwork.Asset) error
	Person(p *linkwork.Person) error
	// Referral receives a referral with its Transitions filled in.
	Referral(r *linkwork.Referral) error
	Case(c *linkwork.Case) error
	Goal(g *linkwork.Goal) error
	Contact(c *linkwork.Contact) error
	Connection(c *linkwork.Connection) error
	// FundRequest receives a request to a fund towards a connection: an
	// approved one's amount is part of the connection's FundPence.
	FundRequest(r *linkwork.FundRequest) error
	Measure(m *linkwork.MeasureResponse) error
}
