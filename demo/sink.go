package demo

import linkwork "github.com/linkwork/linkwork"

// Sink receives the generated city, record by record, in dependency order:
// organisations, users, the service's settings, assets, then for each person their referrals,
// cases, goals, contacts, connections and measures. The store's bulk loader
// implements it; tests use an in-memory sink.
type Sink interface {
	Organisation(o *linkwork.Organisation) error
	// User receives an account and its plain-text password; the sink hashes
	// it.
	User(u *linkwork.User, password string) error
	// Settings receives a social prescribing service's saved settings.
	Settings(s *linkwork.ServiceSettings) error
	Asset(a *linkwork.Asset) error
	Person(p *linkwork.Person) error
	// Referral receives a referral with its Transitions filled in.
	Referral(r *linkwork.Referral) error
	Case(c *linkwork.Case) error
	Goal(g *linkwork.Goal) error
	Contact(c *linkwork.Contact) error
	Connection(c *linkwork.Connection) error
	Measure(m *linkwork.MeasureResponse) error
}
