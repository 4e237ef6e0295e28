package demo

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// record is one record a sink received, in order.
type record struct {
	kind string
	v    any
}

// recorder is an in-memory sink that keeps every record in the order it
// arrived.
type recorder struct {
	records   []record
	passwords map[string]string // user id → password

	orgs        []*linkwork.Organisation
	users       []*linkwork.User
	settings    []*linkwork.ServiceSettings
	funds       []*linkwork.Fund
	assets      []*linkwork.Asset
	people      []*linkwork.Person
	referrals   []*linkwork.Referral
	cases       []*linkwork.Case
	goals       []*linkwork.Goal
	contacts    []*linkwork.Contact
	connections []*linkwork.Connection
	requests    []*linkwork.FundRequest
	measures    []*linkwork.MeasureResponse
}

func newRecorder() *recorder { return &recorder{passwords: map[string]string{}} }

func (r *recorder) add(kind string, v any) { r.records = append(r.records, record{kind, v}) }

func (r *recorder) Organisation(o *linkwork.Organisation) error {
	r.orgs = append(r.orgs, o)
	r.add("organisation", o)
	return nil
}

func (r *recorder) User(u *linkwork.User, password string) error {
	r.users = append(r.users, u)
	r.passwords[u.ID] = password
	r.add("user", u)
	return nil
}

func (r *recorder) Settings(s *linkwork.ServiceSettings) error {
	r.settings = append(r.settings, s)
	r.add("settings", s)
	return nil
}

func (r *recorder) Fund(f *linkwork.Fund) error {
	r.funds = append(r.funds, f)
	r.add("fund", f)
	return nil
}

func (r *recorder) FundRequest(x *linkwork.FundRequest) error {
	r.requests = append(r.requests, x)
	r.add("fund_request", x)
	return nil
}

func (r *recorder) Asset(a *linkwork.Asset) error {
	r.assets = append(r.assets, a)
	r.add("asset", a)
	return nil
}

func (r *recorder) Person(p *linkwork.Person) error {
	r.people = append(r.people, p)
	r.add("person", p)
	return nil
}

func (r *recorder) Referral(x *linkwork.Referral) error {
	r.referrals = append(r.referrals, x)
	r.add("referral", x)
	return nil
}

func (r *recorder) Case(c *linkwork.Case) error {
	r.cases = append(r.cases, c)
	r.add("case", c)
	return nil
}

func (r *recorder) Goal(g *linkwork.Goal) error {
	r.goals = append(r.goals, g)
	r.add("goal", g)
	return nil
}

func (r *recorder) Contact(c *linkwork.Contact) error {
	r.contacts = append(r.contacts, c)
	r.add("contact", c)
	return nil
}

func (r *recorder) Connection(c *linkwork.Connection) error {
	r.connections = append(r.connections, c)
	r.add("connection", c)
	return nil
}

func (r *recorder) Measure(m *linkwork.MeasureResponse) error {
	r.measures = append(r.measures, m)
	r.add("measure", m)
	return nil
}

// digest hashes every record, in order, as JSON.
func (r *recorder) digest(tb testing.TB) string {
	tb.Helper()
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, rec := range r.records {
		if err := enc.Encode(rec.kind); err != nil {
			tb.Fatal(err)
		}
		if err := enc.Encode(rec.v); err != nil {
			tb.Fatal(err)
		}
	}
	for _, u := range r.users {
		if err := enc.Encode(r.passwords[u.ID]); err != nil {
			tb.Fatal(err)
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// counting is a sink that only counts, for benchmarks.
type counting struct{ n int }

func (c *counting) Organisation(*linkwork.Organisation) error { c.n++; return nil }
func (c *counting) User(*linkwork.User, string) error         { c.n++; return nil }
func (c *counting) Settings(*linkwork.ServiceSettings) error  { c.n++; return nil }
func (c *counting) Fund(*linkwork.Fund) error                 { c.n++; return nil }
func (c *counting) FundRequest(*linkwork.FundRequest) error   { c.n++; return nil }
func (c *counting) Asset(*linkwork.Asset) error               { c.n++; return nil }
func (c *counting) Person(*linkwork.Person) error             { c.n++; return nil }
func (c *counting) Referral(*linkwork.Referral) error         { c.n++; return nil }
func (c *counting) Case(*linkwork.Case) error                 { c.n++; return nil }
func (c *counting) Goal(*linkwork.Goal) error                 { c.n++; return nil }
func (c *counting) Contact(*linkwork.Contact) error           { c.n++; return nil }
func (c *counting) Connection(*linkwork.Connection) error     { c.n++; return nil }
func (c *counting) Measure(*linkwork.MeasureResponse) error   { c.n++; return nil }

// errSink is the error failing sinks return.
var errSink = errors.New("sink is full")

// failing is a sink that fails on the nth record of a kind.
type failing struct {
	kind  string
	n     int
	seen  int
	after int // records received after the failure
	fail  bool
}

func (f *failing) check(kind string) error {
	if f.fail {
		f.after++
	}
	if kind != f.kind {
		return nil
	}
	f.seen++
	if f.seen == f.n {
		f.fail = true
		return errSink
	}
	return nil
}

func (f *failing) Organisation(o *linkwork.Organisation) error { return f.check("organisation") }
func (f *failing) User(u *linkwork.User, pw string) error      { return f.check("user") }
func (f *failing) Settings(s *linkwork.ServiceSettings) error  { return f.check("settings") }
func (f *failing) Fund(*linkwork.Fund) error                   { return f.check("fund") }
func (f *failing) FundRequest(*linkwork.FundRequest) error     { return f.check("fund_request") }
func (f *failing) Asset(a *linkwork.Asset) error               { return f.check("asset") }
func (f *failing) Person(p *linkwork.Person) error             { return f.check("person") }
func (f *failing) Referral(x *linkwork.Referral) error         { return f.check("referral") }
func (f *failing) Case(c *linkwork.Case) error                 { return f.check("case") }
func (f *failing) Goal(g *linkwork.Goal) error                 { return f.check("goal") }
func (f *failing) Contact(c *linkwork.Contact) error           { return f.check("contact") }
func (f *failing) Connection(c *linkwork.Connection) error     { return f.check("connection") }
func (f *failing) Measure(m *linkwork.MeasureResponse) error   { return f.check("measure") }

// generated holds cities generated once and shared by the tests that
// only read them.
var generated sync.Map // preset name → *city

type city struct {
	cfg Config
	rec *recorder
	sum *Summary
}

// mustGenerate generates a preset's city, once per test binary.
func mustGenerate(tb testing.TB, preset string) *city {
	tb.Helper()
	if c, ok := generated.Load(preset); ok {
		return c.(*city)
	}
	cfg, err := Preset(preset)
	if err != nil {
		tb.Fatal(err)
	}
	c := mustGenerateConfig(tb, cfg)
	generated.Store(preset, c)
	return c
}

func mustGenerateConfig(tb testing.TB, cfg Config) *city {
	tb.Helper()
	rec := newRecorder()
	sum, err := Generate(cfg, rec)
	if err != nil {
		tb.Fatalf("Generate: %v", err)
	}
	return &city{cfg: cfg, rec: rec, sum: sum}
}
