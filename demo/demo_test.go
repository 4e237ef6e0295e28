package demo

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/ukpostcode"
)

func TestPreset(t *testing.T) {
	tests := []struct {
		name              string
		people, minAssets int
		national          bool
	}{
		{"demo", 400, 300, false},
		{"small", 50, 50, false},
		{"national", 700_000, 100_000, true},
		{" Demo ", 400, 300, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Preset(tt.name)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.People != tt.people || cfg.Assets < tt.minAssets || cfg.National != tt.national {
				t.Errorf("Preset(%q) = %+v", tt.name, cfg)
			}
			if cfg.Seed != DefaultSeed || !cfg.Now.Equal(DefaultNow) || cfg.Password != DefaultPassword {
				t.Errorf("Preset(%q) does not use the defaults: %+v", tt.name, cfg)
			}
			if err := cfg.validate(); err != nil {
				t.Errorf("preset does not validate: %v", err)
			}
		})
	}
	t.Run("unknown preset names the valid ones", func(t *testing.T) {
		_, err := Preset("huge")
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			t.Fatalf("err = %v, want EINVALID", err)
		}
		for _, n := range []string{"demo", "small", "national"} {
			if !strings.Contains(err.Error(), n) {
				t.Errorf("error %q does not name %q", err, n)
			}
		}
	})
}

func TestGenerateRejectsBadConfig(t *testing.T) {
	good, _ := Preset("small")
	tests := []struct {
		name  string
		edit  func(*Config)
		field string
	}{
		{"no now", func(c *Config) { c.Now = time.Time{} }, "now"},
		{"negative people", func(c *Config) { c.People = -1 }, "people"},
		{"too few assets", func(c *Config) { c.Assets = 3 }, "assets"},
		{"short password", func(c *Config) { c.Password = "short" }, "password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := good
			tt.edit(&cfg)
			rec := newRecorder()
			_, err := Generate(cfg, rec)
			if linkwork.ErrorCode(err) != linkwork.EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			if !slices.ContainsFunc(linkwork.ErrorFields(err), func(f linkwork.FieldError) bool { return f.Field == tt.field }) {
				t.Errorf("err %v does not name %s", err, tt.field)
			}
			if len(rec.records) != 0 {
				t.Errorf("sent %d records for a bad config", len(rec.records))
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	cfg, _ := Preset("small")
	a := mustGenerateConfig(t, cfg).rec.digest(t)
	b := mustGenerateConfig(t, cfg).rec.digest(t)
	if a != b {
		t.Error("the same config gave different records")
	}
	other := cfg
	other.Seed++
	if mustGenerateConfig(t, other).rec.digest(t) == a {
		t.Error("a different seed gave the same records")
	}
	later := cfg
	later.Now = cfg.Now.Add(24 * time.Hour)
	if mustGenerateConfig(t, later).rec.digest(t) == a {
		t.Error("a different now gave the same records")
	}
}

func TestDirectoryIndependentOfPeople(t *testing.T) {
	cfg, _ := Preset("small")
	a := mustGenerateConfig(t, cfg).rec
	cfg.People = 5
	b := mustGenerateConfig(t, cfg).rec
	if len(a.assets) != len(b.assets) {
		t.Fatalf("asset counts differ: %d, %d", len(a.assets), len(b.assets))
	}
	for i := range a.assets {
		if a.assets[i].ID != b.assets[i].ID || a.assets[i].Name != b.assets[i].Name {
			t.Fatalf("asset %d differs when only the number of people changes", i)
		}
	}
}

func TestSummaryMatchesRecords(t *testing.T) {
	c := mustGenerate(t, "demo")
	s, r := c.sum, c.rec
	got := []int{s.Organisations, s.Users, s.Settings, s.Funds, s.Assets, s.People, s.Referrals, s.Cases, s.Goals, s.Contacts, s.Connections, s.FundRequests, s.Measures}
	want := []int{len(r.orgs), len(r.users), len(r.settings), len(r.funds), len(r.assets), len(r.people), len(r.referrals), len(r.cases), len(r.goals), len(r.contacts), len(r.connections), len(r.requests), len(r.measures)}
	if !slices.Equal(got, want) {
		t.Errorf("summary counts %v, records %v", got, want)
	}
	if s.Records() != len(r.records) {
		t.Errorf("Records() = %d, want %d", s.Records(), len(r.records))
	}
	n := 0
	for _, v := range s.ReferralsByPathway {
		n += v
	}
	if n != s.Referrals {
		t.Errorf("referrals by pathway add up to %d, want %d", n, s.Referrals)
	}
	for _, want := range []string{"assets", "Self-referral", "Wellbeing support", "measures"} {
		if !strings.Contains(s.String(), want) {
			t.Errorf("String() lacks %q", want)
		}
	}
}

func TestServiceSettings(t *testing.T) {
	c := mustGenerate(t, "demo")
	if len(c.rec.settings) != 1 {
		t.Fatalf("sent %d services' settings, want the one service's", len(c.rec.settings))
	}
	s := *c.rec.settings[0]
	if err := s.Validate(); err != nil {
		t.Fatalf("the demo settings do not validate: %v", err)
	}
	var service *linkwork.Organisation
	for _, o := range c.rec.orgs {
		if o.ID == s.ServiceOrgID {
			service = o
		}
	}
	if service == nil || service.Name != "Millbrook Social Prescribing Service" {
		t.Fatalf("settings are for %+v, want the Millbrook service", service)
	}
	if s.MinAge != 11 || s.MaxAge != 0 || !slices.Equal(s.Areas, []string{"LS"}) || len(s.Pathways) != 0 || len(s.PracticeIDs) != 0 {
		t.Errorf("ages %d-%d, areas %v, pathways %v, practices %v; want 11 and over, LS, every pathway and practice", s.MinAge, s.MaxAge, s.Areas, s.Pathways, s.PracticeIDs)
	}
	if !slices.Equal(s.Red, linkwork.DefaultRed) || !slices.Equal(s.Amber, linkwork.DefaultAmber) || !slices.Equal(s.Green, linkwork.DefaultGreen) || s.CrisisAdvice != linkwork.DefaultCrisisAdvice {
		t.Error("the demo service does not use the default criteria and crisis advice")
	}
	if s.Version != 1 || s.UpdatedAt.IsZero() || s.UpdatedAt.After(c.cfg.Now) {
		t.Errorf("version %d, updated %v", s.Version, s.UpdatedAt)
	}
}

func TestDemoDirectory(t *testing.T) {
	c := mustGenerate(t, "demo")
	assets := c.rec.assets
	if len(assets) < 300 {
		t.Fatalf("demo has %d assets, want at least 300", len(assets))
	}
	for _, cat := range linkwork.Categories {
		if n := c.sum.AssetsByCategory[cat]; n < len(assets)/10 {
			t.Errorf("category %s has %d assets, want a fair share (at least %d)", cat, n, len(assets)/10)
		}
	}
	today := linkwork.DateOf(c.cfg.Now)
	var stale, free, active, online, onlineOnly, twoPlaces, priced, concessions, contacts, otherLanguages, areas, numbers int
	for _, a := range assets {
		if a.Stale(today) {
			stale++
		}
		if a.Free() {
			free++
		} else if len(a.CostOptions) == 0 || a.CostOptions[0].AmountDescription == "" {
			t.Errorf("%s is not free but does not say what it costs: %+v", a.Name, a.CostOptions)
		}
		for _, o := range a.CostOptions {
			switch {
			case o.Amount != nil && *o.Amount > 0:
				priced++
			case o.Amount != nil && !a.Free():
				concessions++
			}
		}
		if a.Status == linkwork.AssetActive {
			active++
		}
		if a.Online() {
			online++
			if !a.InPerson() {
				onlineOnly++
			}
		}
		places := 0
		for _, l := range a.Locations {
			switch l.Type {
			case linkwork.LocationPhysical:
				places++
				if l.Name == "" || l.Address1 == "" || l.City != CityName || l.StateProvince != "West Yorkshire" || l.Country != "GB" || l.Lat == 0 || l.ID == "" {
					t.Errorf("%s has an incomplete place: %+v", a.Name, l)
				}
			case linkwork.LocationVirtual:
				if !strings.HasPrefix(l.URL, "https://") || l.ID == "" {
					t.Errorf("%s has an incomplete online location: %+v", a.Name, l)
				}
			default:
				t.Errorf("%s has a location of type %q", a.Name, l.Type)
			}
		}
		if places == 2 {
			twoPlaces++
			if a.Schedules[0].LocationID == a.Schedules[1].LocationID || a.Schedules[1].LocationID == "" {
				t.Errorf("%s has two places but its sessions do not say which is where: %+v", a.Name, a.Schedules)
			}
		}
		if len(a.Contacts) > 0 {
			contacts++
		}
		if !slices.Contains(a.Languages, "English") {
			t.Errorf("%s is not in English: %v", a.Name, a.Languages)
		} else if len(a.Languages) > 1 {
			otherLanguages++
		}
		if len(a.ServiceAreas) > 0 {
			areas++
		}
		if a.Capacity.Maximum != nil {
			numbers++
		}
		if a.Capacity.Updated.IsZero() {
			t.Errorf("%s does not say when its capacity was last updated", a.Name)
		}
		if len(a.Schedules) < 1 || len(a.Schedules) > 2 {
			t.Errorf("%s has %d schedules", a.Name, len(a.Schedules))
		}
		for _, s := range a.Schedules {
			if (s.Freq != "WEEKLY" && s.Freq != "MONTHLY") || dayNames[s.ByDay] == "" || !hhmm.MatchString(s.OpensAt) || !hhmm.MatchString(s.ClosesAt) || s.OpensAt >= s.ClosesAt {
				t.Errorf("%s has a bad schedule %+v", a.Name, s)
			}
		}
		if a.AssuredAt.After(c.cfg.Now) || a.AssuredAt.Before(c.cfg.Now.AddDate(-1, 0, 0)) {
			t.Errorf("%s assured at %v, not in the past year", a.Name, a.AssuredAt)
		}
		if a.VerifyBy != linkwork.DateOf(a.AssuredAt.AddDate(0, 6, 0)) {
			t.Errorf("%s verify-by %v is not six months after %v", a.Name, a.VerifyBy, a.AssuredAt)
		}
		if a.Version != 1 {
			t.Errorf("%s has version %d", a.Name, a.Version)
		}
	}
	if share := float64(stale) / float64(len(assets)); share < 0.1 || share > 0.3 {
		t.Errorf("%.0f%% of listings are stale, want about 20%%", share*100)
	}
	if free < len(assets)/2 {
		t.Errorf("only %d of %d listings are free, want most", free, len(assets))
	}
	if active < len(assets)*8/10 || active == len(assets) {
		t.Errorf("%d of %d listings active, want most but not all", active, len(assets))
	}
	for what, n := range map[string]int{"online": online, "online only": onlineOnly, "in two places": twoPlaces, "with a price": priced,
		"with a free or cheaper option": concessions, "with a contact": contacts, "in another language too": otherLanguages,
		"with a service area": areas, "with numbers of places": numbers} {
		if n == 0 {
			t.Errorf("no listings %s", what)
		}
	}
}

var hhmm = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)

// The browser tests search for free football for under-18s within 5 km of
// the city centre.
func TestFreeFootballForUnder18sNearTheCentre(t *testing.T) {
	for _, preset := range []string{"demo", "small"} {
		c := mustGenerate(t, preset)
		centre, _ := ukpostcode.Lookup(CityCentre)
		n := 0
		for _, a := range c.rec.assets {
			if !strings.Contains(strings.ToLower(a.Name+" "+a.Description), "football") || !a.Free() || a.Status != linkwork.AssetActive {
				continue
			}
			if a.MinAge > 15 || (a.MaxAge != 0 && a.MaxAge < 15) {
				continue
			}
			for _, l := range a.Locations {
				if l.Physical() && ukpostcode.Distance(centre.Lat, centre.Lon, l.Lat, l.Lon) <= 5000 {
					n++
					break
				}
			}
		}
		if n < 2 {
			t.Errorf("%s: %d free football listings for a 15-year-old within 5 km of %s, want at least 2", preset, n, CityCentre)
		}
	}
}

func TestEveryRecordValidates(t *testing.T) {
	for _, preset := range []string{"demo", "small"} {
		t.Run(preset, func(t *testing.T) {
			c := mustGenerate(t, preset)
			validateAll(t, c)
		})
	}
}

func TestNationalShape(t *testing.T) {
	// A national city at a fraction of the national preset's size.
	cfg, _ := Preset("national")
	cfg.People, cfg.Assets = 3000, 2000
	c := mustGenerateConfig(t, cfg)
	validateAll(t, c)
	areas := map[string]bool{}
	for _, a := range c.rec.assets {
		for _, l := range a.Locations {
			if l.Physical() {
				areas[postArea(strings.Fields(l.PostalCode)[0])] = true
			}
		}
	}
	if len(areas) < 50 {
		t.Errorf("national listings cover %d postcode areas, want them spread over Great Britain", len(areas))
	}
}

// validateAll checks every record of a city.
func validateAll(t *testing.T, c *city) {
	t.Helper()
	r := c.rec
	now := c.cfg.Now.UTC().Truncate(time.Microsecond)
	today := linkwork.DateOf(now)
	checkTime := func(what string, at time.Time) {
		if at.IsZero() {
			return
		}
		if at.Location() != time.UTC || at.Nanosecond()%1000 != 0 {
			t.Errorf("%s time %v is not UTC to the microsecond", what, at)
		}
		if at.After(now) {
			t.Errorf("%s time %v is after now %v", what, at, now)
		}
	}
	ids := map[string]bool{}
	checkID := func(what, id string) {
		if !uuidV4.MatchString(id) {
			t.Errorf("%s id %q is not a lower-case UUID v4", what, id)
		}
		if ids[id] {
			t.Errorf("%s id %s is not unique", what, id)
		}
		ids[id] = true
	}
	for _, o := range r.orgs {
		checkID("organisation", o.ID)
		checkTime("organisation", o.CreatedAt)
		if err := o.Validate(); err != nil {
			t.Errorf("organisation %s: %v", o.Name, err)
		}
		if !strings.HasSuffix(o.Email, ".example.org") || !phone.MatchString(o.Phone) {
			t.Errorf("organisation %s has contact details outside the reserved ranges: %s %s", o.Name, o.Email, o.Phone)
		}
	}
	for _, u := range r.users {
		checkID("user", u.ID)
		checkTime("user", u.CreatedAt)
		if err := u.Validate(r.passwords[u.ID], true); err != nil {
			t.Errorf("user %s: %v", u.Email, err)
		}
		if r.passwords[u.ID] != c.cfg.Password {
			t.Errorf("user %s has password %q, want the config's", u.Email, r.passwords[u.ID])
		}
	}
	for _, a := range r.assets {
		checkID("asset", a.ID)
		checkTime("asset", a.AssuredAt)
		if err := a.Validate(); err != nil {
			t.Errorf("asset %s: %v", a.Name, err)
		}
	}
	for _, p := range r.people {
		checkID("person", p.ID)
		checkTime("person", p.UpdatedAt)
		if err := p.Validate(today); err != nil {
			t.Errorf("person %s: %v", p.DisplayName(), err)
		}
		age := p.AgeOn(today)
		if age < 11 || age > 82 {
			t.Errorf("person %s is %d", p.DisplayName(), age)
		}
		if age < 17 && len(p.Guardians) == 0 {
			t.Errorf("person %s is %d and has no parent or guardian", p.DisplayName(), age)
		}
		for _, g := range p.Guardians {
			if g.ID == "" || g.Relationship == "" || g.Involvement == "" {
				t.Errorf("person %s has an incomplete guardian %+v", p.DisplayName(), g)
			}
		}
		if !p.Consented(linkwork.ConsentReferral) {
			t.Errorf("person %s has no referral consent", p.DisplayName())
		}
		for _, cn := range p.Consents {
			checkTime("consent", cn.RecordedAt)
		}
	}
	for _, x := range r.referrals {
		checkID("referral", x.ID)
		checkTime("referral", x.UpdatedAt)
		if err := x.Validate(); err != nil {
			t.Errorf("referral %s: %v", x.ID, err)
		}
		checkReferral(t, x, today)
	}
	for _, cs := range r.cases {
		checkID("case", cs.ID)
		checkTime("case", cs.UpdatedAt)
		checkTime("case", cs.ClosedAt)
		if cs.Status == linkwork.CaseClosed {
			cl := linkwork.CaseClosure{Reason: cs.ClosureReason, Note: cs.ClosureNote, Destination: cs.ClosureDestination}
			if err := cl.Validate(); err != nil {
				t.Errorf("case %s closure: %v", cs.ID, err)
			}
			if cs.ClosedAt.Before(cs.OpenedAt) {
				t.Errorf("case %s closed before it opened", cs.ID)
			}
		} else if !cs.ClosedAt.IsZero() || cs.ClosureReason != "" {
			t.Errorf("open case %s has closure details", cs.ID)
		}
		if (cs.Status == linkwork.CaseWaiting) != (cs.LinkWorkerID == "") && !(cs.Status == linkwork.CaseClosed && cs.LinkWorkerID == "") {
			t.Errorf("case %s is %s with link worker %q", cs.ID, cs.Status, cs.LinkWorkerID)
		}
		if cs.PlannedSessions < 6 || cs.PlannedSessions > 12 {
			t.Errorf("case %s plans %d sessions", cs.ID, cs.PlannedSessions)
		}
	}
	for _, g := range r.goals {
		checkID("goal", g.ID)
		checkTime("goal", g.CreatedAt)
		if g.Text == "" {
			t.Errorf("goal %s has no text", g.ID)
		}
	}
	for _, ct := range r.contacts {
		checkID("contact", ct.ID)
		checkTime("contact", ct.At)
		if err := ct.Validate(); err != nil {
			t.Errorf("contact %s: %v", ct.ID, err)
		}
	}
	for _, cn := range r.connections {
		checkID("connection", cn.ID)
		checkTime("connection", cn.UpdatedAt)
		if cn.UpdatedAt.Before(cn.CreatedAt) {
			t.Errorf("connection %s updated before it was made", cn.ID)
		}
		switch cn.Level {
		case linkwork.LevelSignpost, linkwork.LevelRefer, linkwork.LevelBuddy, linkwork.LevelPhased:
		default:
			t.Errorf("connection %s has level %q", cn.ID, cn.Level)
		}
	}
	for _, m := range r.measures {
		checkID("measure", m.ID)
		checkTime("measure", m.At)
		checkMeasure(t, m)
	}
	checkFunds(t, r, checkID, checkTime)
	checkIntegrity(t, r)
}

// checkFunds checks the service's funds and the requests to them: each
// valid, each request in its fund's period and paid at once only within
// the threshold, no fund spending more than its budget, and each
// connection's FundPence the sum of its approved requests.
func checkFunds(t *testing.T, r *recorder, checkID func(what, id string), checkTime func(what string, at time.Time)) {
	t.Helper()
	funds := map[string]*linkwork.Fund{}
	spent := map[string]int{}
	for _, f := range r.funds {
		checkID("fund", f.ID)
		checkTime("fund", f.CreatedAt)
		if err := f.Validate(); err != nil {
			t.Errorf("fund %s: %v", f.Name, err)
		}
		funds[f.ID] = f
	}
	paid := map[string]int{}
	waiting := 0
	for _, x := range r.requests {
		checkID("fund request", x.ID)
		checkTime("fund request", x.RequestedAt)
		if err := x.Validate(); err != nil {
			t.Errorf("fund request %s: %v", x.ID, err)
		}
		f := funds[x.FundID]
		if f == nil {
			continue
		}
		if !f.Open(linkwork.DateOf(x.RequestedAt)) {
			t.Errorf("fund request %s made on %s, outside %s", x.ID, x.RequestedAt, f.Name)
		}
		switch x.Status {
		case linkwork.FundApproved:
			if f.NeedsDecision(x.AmountPence) {
				t.Errorf("fund request %s for %d was paid at once, above the threshold", x.ID, x.AmountPence)
			}
			spent[f.ID] += x.AmountPence
			paid[x.ConnectionID] += x.AmountPence
		case linkwork.FundRequested:
			waiting++
		default:
			t.Errorf("fund request %s is %s", x.ID, x.Status)
		}
	}
	for id, n := range spent {
		if n > funds[id].BudgetPence {
			t.Errorf("%s spent %d of %d", funds[id].Name, n, funds[id].BudgetPence)
		}
	}
	for _, cn := range r.connections {
		if cn.FundPence != paid[cn.ID] {
			t.Errorf("connection %s says the fund paid %d; its approved requests, %d", cn.ID, cn.FundPence, paid[cn.ID])
		}
	}
	if len(r.funds) == 0 || len(spent) == 0 || waiting == 0 {
		t.Errorf("%d funds, %d of them spent from, %d requests waiting: want some of each", len(r.funds), len(spent), waiting)
	}
}

var (
	uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	// Ofcom's drama ranges.
	phone = regexp.MustCompile(`^(0113 496 0[0-9]{3}|01632 960[0-9]{3}|07700 900[0-9]{3})$`)
)

// checkReferral checks a referral's journey through triage.
func checkReferral(t *testing.T, x *linkwork.Referral, today linkwork.Date) {
	t.Helper()
	if !x.ConsentReferral {
		t.Errorf("referral %s has no consent", x.ID)
	}
	prev, at := linkwork.ReferralReceived, x.ReceivedAt
	for i, tr := range x.Transitions {
		if tr.From != prev {
			t.Errorf("referral %s transition %d is from %s, want %s", x.ID, i, tr.From, prev)
		}
		if !tr.From.CanBecome(tr.To) {
			t.Errorf("referral %s transition %d %s → %s is not allowed", x.ID, i, tr.From, tr.To)
		}
		if !tr.At.After(at) {
			t.Errorf("referral %s transition %d at %v is not after %v", x.ID, i, tr.At, at)
		}
		if tr.ByID == "" {
			t.Errorf("referral %s transition %d has no actor", x.ID, i)
		}
		prev, at = tr.To, tr.At
	}
	if prev != x.Status {
		t.Errorf("referral %s transitions end at %s but status is %s", x.ID, prev, x.Status)
	}
	// The last decision is one the service would have accepted on the day.
	if n := len(x.Transitions); n > 0 && x.Status != linkwork.ReferralTriage {
		last := x.Transitions[n-1]
		d := linkwork.ReferralDecision{To: x.Status, Reason: x.StatusReason, OnwardDestination: x.OnwardDestination, DeferUntil: x.DeferUntil, Streetlight: x.Streetlight}
		if err := d.Validate(last.From, linkwork.DateOf(last.At)); err != nil {
			t.Errorf("referral %s: the decision to %s: %v", x.ID, x.Status, err)
		}
		if !x.DecidedAt.Equal(last.At) || last.Reason != x.StatusReason {
			t.Errorf("referral %s decided at %v for %q; last transition at %v for %q", x.ID, x.DecidedAt, x.StatusReason, last.At, last.Reason)
		}
	}
	switch x.Status {
	case linkwork.ReferralDeclined:
		if x.OnwardDestination == "" || x.StatusReason == "" {
			t.Errorf("declined referral %s has no reason or onward destination", x.ID)
		}
	case linkwork.ReferralWithdrawn:
		if x.StatusReason == "" {
			t.Errorf("withdrawn referral %s has no reason", x.ID)
		}
	case linkwork.ReferralDeferred:
		if x.DeferUntil.IsZero() || !linkwork.DateOf(x.DecidedAt).Before(x.DeferUntil) {
			t.Errorf("deferred referral %s defers until %v, decided %v", x.ID, x.DeferUntil, x.DecidedAt)
		}
	case linkwork.ReferralAccepted:
		if x.CaseID == "" {
			t.Errorf("accepted referral %s has no case", x.ID)
		}
	}
	if x.Status.Open() && x.Status != linkwork.ReferralDeferred && !x.DecidedAt.IsZero() {
		t.Errorf("open referral %s has a decision time", x.ID)
	}
	if x.Streetlight == linkwork.StreetlightRed && x.Status != linkwork.ReferralDeclined && x.Status != linkwork.ReferralTriage {
		t.Errorf("red referral %s is %s, want declined or in triage", x.ID, x.Status)
	}
	if x.Status == linkwork.ReferralReceived && x.Streetlight != linkwork.StreetlightUnrated {
		t.Errorf("referral %s is rated before triage", x.ID)
	}
	// The mode fits the door.
	switch x.Pathway {
	case linkwork.PathwaySelf:
		if x.Mode != linkwork.ModeSelfReferral || x.ReferrerName == "" || x.ReferrerOrgID != "" {
			t.Errorf("self-referral %s: mode %s, referrer %q org %q", x.ID, x.Mode, x.ReferrerName, x.ReferrerOrgID)
		}
	case linkwork.PathwayFamily:
		if x.Mode == linkwork.ModeSelfReferral || x.ReferrerName == "" || x.ReferrerRole == "" || x.ReferrerContact == "" {
			t.Errorf("family referral %s: mode %s, referrer %q %q %q", x.ID, x.Mode, x.ReferrerName, x.ReferrerRole, x.ReferrerContact)
		}
	case linkwork.PathwayGP, linkwork.PathwaySchool, linkwork.PathwayCAMHS, linkwork.PathwaySocialCare, linkwork.PathwayHealth:
		if x.Mode == linkwork.ModeSelfReferral || x.ReferrerOrgID == "" || x.ReferrerName == "" {
			t.Errorf("%s referral %s: mode %s, referrer %q org %q", x.Pathway, x.ID, x.Mode, x.ReferrerName, x.ReferrerOrgID)
		}
	}
}

// checkMeasure checks a measure has the right answers for its instrument
// and is left for the store to score.
func checkMeasure(t *testing.T, m *linkwork.MeasureResponse) {
	t.Helper()
	var n, lo, hi int
	switch m.Instrument {
	case linkwork.InstrumentSWEMWBS:
		n, lo, hi = 7, 1, 5
	case linkwork.InstrumentONS4:
		n, lo, hi = 4, 0, 10
	case linkwork.InstrumentGBO:
		n, lo, hi = len(m.GoalIDs), 0, 10
		if n < 1 || n > 3 {
			t.Errorf("GBO %s has %d goals", m.ID, n)
		}
	default:
		t.Errorf("measure %s uses %s", m.ID, m.Instrument)
		return
	}
	if len(m.Answers) != n {
		t.Errorf("%s %s has %d answers, want %d", m.Instrument, m.ID, len(m.Answers), n)
	}
	for _, a := range m.Answers {
		if a == nil || *a < lo || *a > hi {
			t.Errorf("%s %s has answer %v out of %d-%d", m.Instrument, m.ID, a, lo, hi)
			continue
		}
	}
	if m.Score != 0 || m.HasScore {
		t.Errorf("measure %s is scored; the store scores", m.ID)
	}
	switch m.Timepoint {
	case linkwork.TimepointBaseline, linkwork.TimepointReview, linkwork.TimepointEnd:
	default:
		t.Errorf("measure %s at %s", m.ID, m.Timepoint)
	}
}

// checkIntegrity checks that every identifier names a record sent earlier
// (a referral's case, sent straight after it, excepted).
func checkIntegrity(t *testing.T, r *recorder) {
	t.Helper()
	seen := map[string]string{} // id → kind
	users := map[string]*linkwork.User{}
	orgs := map[string]*linkwork.Organisation{}
	need := func(from, field, id, kind string) {
		if id == "" {
			return
		}
		if seen[id] != kind {
			t.Errorf("%s %s names %s %q, which was not sent before it", from, field, kind, id)
		}
	}
	actor := func(from, field, id string) {
		if id != "system" {
			need(from, field, id, "user")
		}
	}
	caseOf := map[string]*linkwork.Case{}
	for i, rec := range r.records {
		switch v := rec.v.(type) {
		case *linkwork.Organisation:
			need("organisation", "parent", v.ParentID, "organisation")
			seen[v.ID] = rec.kind
			orgs[v.ID] = v
		case *linkwork.User:
			need("user", "org", v.OrgID, "organisation")
			seen[v.ID] = rec.kind
			users[v.ID] = v
		case *linkwork.ServiceSettings:
			need("settings", "service", v.ServiceOrgID, "organisation")
			actor("settings", "updated by", v.UpdatedBy)
			if o := orgs[v.ServiceOrgID]; o == nil || o.Kind != linkwork.OrgSPService {
				t.Errorf("settings for %q, which is not a social prescribing service", v.ServiceOrgID)
			}
		case *linkwork.Asset:
			need("asset", "org", v.OrgID, "organisation")
			actor("asset", "assured by", v.AssuredBy)
			seen[v.ID] = rec.kind
		case *linkwork.Person:
			need("person", "service", v.ServiceOrgID, "organisation")
			for _, c := range v.Consents {
				actor("consent", "recorded by", c.RecordedBy)
			}
			if v.Competence != nil {
				actor("competence", "decided by", v.Competence.DecidedBy)
			}
			seen[v.ID] = rec.kind
		case *linkwork.Referral:
			need("referral", "person", v.PersonID, "person")
			need("referral", "service", v.ServiceOrgID, "organisation")
			need("referral", "referrer org", v.ReferrerOrgID, "organisation")
			need("referral", "referrer", v.ReferrerUserID, "user")
			for _, tr := range v.Transitions {
				actor("referral", "transition by", tr.ByID)
			}
			if v.ReferrerUserID != "" && users[v.ReferrerUserID].OrgID != v.ReferrerOrgID {
				t.Errorf("referral %s: referrer %s does not work at the referring organisation", v.ID, v.ReferrerUserID)
			}
			if o := orgs[v.ReferrerOrgID]; o != nil && !pathwayOrgKind(v.Pathway, o.Kind) {
				t.Errorf("referral %s through %s comes from a %s", v.ID, v.Pathway, o.Kind)
			}
			seen[v.ID] = rec.kind
			if v.CaseID != "" {
				c, ok := r.records[i+1].v.(*linkwork.Case)
				for j := i + 1; !ok || c.ID != v.CaseID; j++ {
					if j >= len(r.records) {
						t.Fatalf("referral %s names case %s, which was never sent", v.ID, v.CaseID)
					}
					c, ok = r.records[j].v.(*linkwork.Case)
					if _, isRef := r.records[j].v.(*linkwork.Referral); isRef {
						ok = false
					}
					if _, isPerson := r.records[j].v.(*linkwork.Person); isPerson {
						t.Fatalf("referral %s names case %s, which was not sent with the person", v.ID, v.CaseID)
					}
				}
				if c.ReferralID != v.ID {
					t.Errorf("referral %s names case %s, which belongs to referral %s", v.ID, c.ID, c.ReferralID)
				}
			}
		case *linkwork.Case:
			need("case", "referral", v.ReferralID, "referral")
			need("case", "person", v.PersonID, "person")
			need("case", "service", v.ServiceOrgID, "organisation")
			need("case", "link worker", v.LinkWorkerID, "user")
			seen[v.ID] = rec.kind
			caseOf[v.ID] = v
		case *linkwork.Goal:
			need("goal", "case", v.CaseID, "case")
			seen[v.ID] = rec.kind
		case *linkwork.Contact:
			need("contact", "case", v.CaseID, "case")
			need("contact", "by", v.ByUserID, "user")
			if c := caseOf[v.CaseID]; c != nil && (v.ByUserID != c.LinkWorkerID || v.At.Before(c.AllocatedAt)) {
				t.Errorf("contact %s is not by the case's link worker after allocation", v.ID)
			}
			seen[v.ID] = rec.kind
		case *linkwork.Connection:
			need("connection", "case", v.CaseID, "case")
			need("connection", "person", v.PersonID, "person")
			need("connection", "asset", v.AssetID, "asset")
			if c := caseOf[v.CaseID]; c != nil && c.PersonID != v.PersonID {
				t.Errorf("connection %s is for a different person from its case", v.ID)
			}
			seen[v.ID] = rec.kind
		case *linkwork.Fund:
			need("fund", "service", v.ServiceOrgID, "organisation")
			actor("fund", "created by", v.CreatedBy)
			seen[v.ID] = rec.kind
		case *linkwork.FundRequest:
			need("fund request", "fund", v.FundID, "fund")
			need("fund request", "connection", v.ConnectionID, "connection")
			need("fund request", "case", v.CaseID, "case")
			actor("fund request", "requested by", v.RequestedBy)
			seen[v.ID] = rec.kind
		case *linkwork.MeasureResponse:
			need("measure", "case", v.CaseID, "case")
			need("measure", "person", v.PersonID, "person")
			need("measure", "created by", v.CreatedBy, "user")
			for _, g := range v.GoalIDs {
				need("measure", "goal", g, "goal")
			}
			seen[v.ID] = rec.kind
		default:
			t.Fatalf("unexpected record %T", v)
		}
	}
}

// pathwayOrgKind reports whether a referral through the pathway may come
// from an organisation of the kind.
func pathwayOrgKind(p linkwork.Pathway, k linkwork.OrgKind) bool {
	switch p {
	case linkwork.PathwayGP:
		return k == linkwork.OrgGPPractice
	case linkwork.PathwaySchool:
		return k == linkwork.OrgSchool
	case linkwork.PathwayCAMHS:
		return k == linkwork.OrgCAMHS
	case linkwork.PathwaySocialCare:
		return k == linkwork.OrgSocialCare
	case linkwork.PathwayHealth:
		return k == linkwork.OrgHealth
	case linkwork.PathwayVCS:
		return k == linkwork.OrgVCS
	case linkwork.PathwayHub:
		return k == linkwork.OrgYouthHub
	}
	return false
}

func TestEmitOrder(t *testing.T) {
	c := mustGenerate(t, "small")
	order := map[string]int{"organisation": 0, "user": 1, "settings": 2, "fund": 2, "asset": 3, "person": 4}
	perPerson := map[string]int{"referral": 1, "case": 2, "goal": 3, "contact": 4, "connection": 5, "fund_request": 6, "measure": 7}
	phase, within := 0, 0
	for i, rec := range c.rec.records {
		if p, ok := order[rec.kind]; ok {
			if p < phase {
				t.Fatalf("record %d: %s after phase %d", i, rec.kind, phase)
			}
			phase, within = p, 0
			continue
		}
		if phase != 4 {
			t.Fatalf("record %d: %s before any person", i, rec.kind)
		}
		if w := perPerson[rec.kind]; w < within {
			t.Fatalf("record %d: %s after a later kind of the same person's records", i, rec.kind)
		} else {
			within = w
		}
	}
}

func TestPathwayProportions(t *testing.T) {
	c := mustGenerate(t, "demo")
	by := c.sum.ReferralsByPathway
	total := float64(c.sum.Referrals)
	share := func(p linkwork.Pathway) float64 { return float64(by[p]) / total }
	for _, p := range linkwork.Pathways {
		if by[p] == 0 {
			t.Errorf("no referrals through %s", p)
		}
		if p != linkwork.PathwaySelf && by[p] >= by[linkwork.PathwaySelf] {
			t.Errorf("%s (%d) is not smaller than self-referral (%d)", p, by[p], by[linkwork.PathwaySelf])
		}
		if p != linkwork.PathwaySelf && p != linkwork.PathwaySocialCare && by[p] >= by[linkwork.PathwaySocialCare] {
			t.Errorf("%s (%d) is not smaller than social care (%d)", p, by[p], by[linkwork.PathwaySocialCare])
		}
	}
	if s := share(linkwork.PathwaySelf); s < 0.22 || s > 0.36 {
		t.Errorf("self-referral is %.1f%%, want about 28%%", s*100)
	}
	if s := share(linkwork.PathwaySocialCare); s < 0.15 || s > 0.26 {
		t.Errorf("social care is %.1f%%, want about 20%%", s*100)
	}
	if s := share(linkwork.PathwayGP); s >= 0.10 {
		t.Errorf("GP is %.1f%%, want under 10%%", s*100)
	}
	perPerson := total / float64(c.sum.People)
	if perPerson < 1.25 || perPerson > 1.6 {
		t.Errorf("%.2f referrals a person, want about 1.4", perPerson)
	}
}

func TestReferralStatuses(t *testing.T) {
	c := mustGenerate(t, "demo")
	by := c.sum.ReferralsByStatus
	for _, s := range linkwork.ReferralStatuses {
		if by[s] == 0 {
			t.Errorf("no referrals %s", s)
		}
	}
	if by[linkwork.ReferralReceived]+by[linkwork.ReferralTriage] < 5 {
		t.Errorf("only %d referrals await triage", by[linkwork.ReferralReceived]+by[linkwork.ReferralTriage])
	}
	if by[linkwork.ReferralAccepted] < c.sum.Referrals/2 {
		t.Errorf("only %d of %d referrals accepted", by[linkwork.ReferralAccepted], c.sum.Referrals)
	}
	var green, amber, red int
	for _, x := range c.rec.referrals {
		switch x.Streetlight {
		case linkwork.StreetlightGreen:
			green++
		case linkwork.StreetlightAmber:
			amber++
		case linkwork.StreetlightRed:
			red++
		}
	}
	if !(green > amber && amber > red && red > 0) {
		t.Errorf("streetlight green %d, amber %d, red %d: want mostly green, some amber, few red", green, amber, red)
	}
	// Referral times spread over the last eighteen months.
	oldest := c.cfg.Now
	for _, x := range c.rec.referrals {
		if x.ReceivedAt.Before(oldest) {
			oldest = x.ReceivedAt
		}
	}
	if months := c.cfg.Now.Sub(oldest).Hours() / 24 / 30; months < 15 || months > 19 {
		t.Errorf("referrals go back %.0f months, want about 18", months)
	}
	for _, x := range c.rec.referrals {
		if x.ReceivedAt.Before(c.cfg.Now.AddDate(0, -19, 0)) {
			t.Errorf("referral %s received %v, more than 18 months ago", x.ID, x.ReceivedAt)
		}
	}
}

func TestRepeatReferralsFollowClosedJourneys(t *testing.T) {
	c := mustGenerate(t, "demo")
	byPerson := map[string][]*linkwork.Referral{}
	for _, x := range c.rec.referrals {
		byPerson[x.PersonID] = append(byPerson[x.PersonID], x)
	}
	cases := map[string]*linkwork.Case{}
	for _, cs := range c.rec.cases {
		cases[cs.ID] = cs
	}
	repeats := 0
	for _, refs := range byPerson {
		for i := 0; i+1 < len(refs); i++ {
			repeats++
			earlier, later := refs[i], refs[i+1]
			end := earlier.DecidedAt
			switch earlier.Status {
			case linkwork.ReferralDeclined, linkwork.ReferralWithdrawn:
			case linkwork.ReferralAccepted:
				cs := cases[earlier.CaseID]
				if cs.Status != linkwork.CaseClosed {
					t.Errorf("person %s was referred again while case %s was %s", earlier.PersonID, cs.ID, cs.Status)
				}
				end = cs.ClosedAt
			default:
				t.Errorf("person %s was referred again while referral %s was %s", earlier.PersonID, earlier.ID, earlier.Status)
			}
			if !later.ReceivedAt.After(end) {
				t.Errorf("referral %s arrived before the earlier journey ended", later.ID)
			}
		}
	}
	if repeats < len(byPerson)/5 {
		t.Errorf("only %d repeat referrals among %d people", repeats, len(byPerson))
	}
}

func TestLogins(t *testing.T) {
	if len(Logins) != len(linkwork.Roles) {
		t.Fatalf("%d logins for %d roles", len(Logins), len(linkwork.Roles))
	}
	for _, preset := range []string{"demo", "small"} {
		c := mustGenerate(t, preset)
		orgs := map[string]*linkwork.Organisation{}
		for _, o := range c.rec.orgs {
			orgs[o.ID] = o
		}
		byEmail := map[string]*linkwork.User{}
		for _, u := range c.rec.users {
			if byEmail[u.Email] != nil {
				t.Errorf("%s: email %s is used twice", preset, u.Email)
			}
			byEmail[u.Email] = u
			if !slices.Contains(u.Role.OrgKinds(), orgs[u.OrgID].Kind) {
				t.Errorf("%s: user %s is a %s at a %s", preset, u.Email, u.Role, orgs[u.OrgID].Kind)
			}
		}
		for _, role := range linkwork.Roles {
			var found []Login
			for _, l := range Logins {
				if l.Role == role {
					found = append(found, l)
				}
			}
			if len(found) != 1 {
				t.Fatalf("role %s has %d demo logins", role, len(found))
			}
			l, ok := LoginFor(role)
			if !ok || l != found[0] {
				t.Errorf("LoginFor(%s) = %+v, %v", role, l, ok)
			}
			if !strings.HasSuffix(l.Email, "@demo.linkwork.test") {
				t.Errorf("login %s is not at demo.linkwork.test", l.Email)
			}
			u := byEmail[l.Email]
			if u == nil {
				t.Fatalf("%s: no user for the %s login %s", preset, role, l.Email)
			}
			if u.Role != role || u.Name != l.Name || orgs[u.OrgID].Name != l.Org {
				t.Errorf("%s: login %s is %s %q at %q, want %s %q at %q", preset, l.Email, u.Role, u.Name, orgs[u.OrgID].Name, role, l.Name, l.Org)
			}
			if !slices.Contains(role.OrgKinds(), orgs[u.OrgID].Kind) {
				t.Errorf("%s: the %s login is at a %s", preset, role, orgs[u.OrgID].Kind)
			}
		}
		lw := byEmail["linkworker@demo.linkwork.test"]
		if lw.AgeMin != 13 || lw.AgeMax != 25 {
			t.Errorf("the demo link worker works with ages %d-%d, want 13-25", lw.AgeMin, lw.AgeMax)
		}
	}
	if _, ok := LoginFor("nobody"); ok {
		t.Error("LoginFor an unknown role succeeded")
	}
}

func TestStaff(t *testing.T) {
	c := mustGenerate(t, "demo")
	orgs := map[string]*linkwork.Organisation{}
	kinds := map[linkwork.OrgKind]int{}
	for _, o := range c.rec.orgs {
		orgs[o.ID] = o
		kinds[o.Kind]++
	}
	want := map[linkwork.OrgKind]int{
		linkwork.OrgPCN: 1, linkwork.OrgGPPractice: 6, linkwork.OrgSchool: 5, linkwork.OrgCAMHS: 1,
		linkwork.OrgSocialCare: 2, linkwork.OrgHealth: 1, linkwork.OrgYouthHub: 1, linkwork.OrgSPService: 1,
		linkwork.OrgCommissioner: 1, linkwork.OrgVCS: 40,
	}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d organisations of kind %s, want %d", kinds[k], k, n)
		}
	}
	for _, o := range c.rec.orgs {
		if o.Kind == linkwork.OrgGPPractice && orgs[o.ParentID].Kind != linkwork.OrgPCN {
			t.Errorf("practice %s is not in a primary care network", o.Name)
		}
	}
	var youth, adult int
	referrersAt := map[linkwork.OrgKind]int{}
	for _, u := range c.rec.users {
		switch u.Role {
		case linkwork.RoleLinkWorker:
			switch {
			case u.AgeMin == 13 && u.AgeMax == 25:
				youth++
			case u.AgeMin == 16 && u.AgeMax == 0:
				adult++
			default:
				t.Errorf("link worker %s works with ages %d-%d", u.Email, u.AgeMin, u.AgeMax)
			}
		case linkwork.RoleReferrer:
			referrersAt[orgs[u.OrgID].Kind]++
		}
	}
	if youth < 3 || adult < 3 {
		t.Errorf("%d young people's connectors and %d adult link workers, want several of each", youth, adult)
	}
	for _, k := range []linkwork.OrgKind{linkwork.OrgGPPractice, linkwork.OrgSchool, linkwork.OrgCAMHS, linkwork.OrgSocialCare} {
		if referrersAt[k] == 0 {
			t.Errorf("no referrers at a %s", k)
		}
	}
}

func TestCases(t *testing.T) {
	c := mustGenerate(t, "demo")
	users := map[string]*linkwork.User{}
	for _, u := range c.rec.users {
		users[u.ID] = u
	}
	people := map[string]*linkwork.Person{}
	for _, p := range c.rec.people {
		people[p.ID] = p
	}
	referrals := map[string]*linkwork.Referral{}
	for _, x := range c.rec.referrals {
		referrals[x.ID] = x
	}
	today := linkwork.DateOf(c.cfg.Now)
	demoLW, _ := LoginFor(linkwork.RoleLinkWorker)
	var demoOpen int
	for _, cs := range c.rec.cases {
		ref := referrals[cs.ReferralID]
		if ref.CaseID != cs.ID || ref.PersonID != cs.PersonID {
			t.Errorf("case %s and referral %s do not match", cs.ID, ref.ID)
		}
		if !cs.OpenedAt.Equal(ref.Transitions[slices.IndexFunc(ref.Transitions, func(tr linkwork.ReferralTransition) bool { return tr.To == linkwork.ReferralAccepted })].At) {
			t.Errorf("case %s opened at %v, not when its referral was accepted", cs.ID, cs.OpenedAt)
		}
		if cs.LinkWorkerID == "" {
			continue
		}
		lw := users[cs.LinkWorkerID]
		if lw == nil || lw.Role != linkwork.RoleLinkWorker {
			t.Errorf("case %s is allocated to %q, not a link worker", cs.ID, cs.LinkWorkerID)
			continue
		}
		p := people[cs.PersonID]
		for _, age := range []int{p.AgeOn(linkwork.DateOf(ref.ReceivedAt)), p.AgeOn(today)} {
			if age < lw.AgeMin || (lw.AgeMax != 0 && age > lw.AgeMax) {
				t.Errorf("case %s: %s works with %d-%d but the person is %d", cs.ID, lw.Email, lw.AgeMin, lw.AgeMax, age)
			}
		}
		if cs.AllocatedAt.Before(cs.OpenedAt) {
			t.Errorf("case %s allocated before it opened", cs.ID)
		}
		if lw.Email == demoLW.Email && (cs.Status == linkwork.CaseActive || cs.Status == linkwork.CaseEnding) {
			demoOpen++
		}
	}
	if demoOpen < 15 || demoOpen > 25 {
		t.Errorf("the demo link worker has %d active or ending cases, want 15 to 25", demoOpen)
	}
	for _, s := range []linkwork.CaseStatus{linkwork.CaseWaiting, linkwork.CaseActive, linkwork.CaseEnding, linkwork.CaseClosed} {
		if c.sum.CasesByStatus[s] == 0 {
			t.Errorf("no %s cases", s)
		}
	}

	// Closed cases had a full run of sessions; reasons vary.
	contacts := map[string]int{}
	modes := map[linkwork.ContactMode]bool{}
	places := map[string]bool{}
	dna := 0
	for _, ct := range c.rec.contacts {
		contacts[ct.CaseID]++
		modes[ct.Mode] = true
		places[ct.LocationType] = true
		if ct.Outcome == linkwork.ContactDNA {
			dna++
		}
	}
	reasons := map[linkwork.ClosureReason]bool{}
	for _, cs := range c.rec.cases {
		if cs.Status == linkwork.CaseClosed {
			reasons[cs.ClosureReason] = true
			if (cs.ClosureReason == linkwork.ClosedGoalsMet || cs.ClosureReason == linkwork.ClosedConnected) && (contacts[cs.ID] < 6 || contacts[cs.ID] > 12) {
				t.Errorf("case %s closed %s after %d contacts", cs.ID, cs.ClosureReason, contacts[cs.ID])
			}
		}
	}
	if len(reasons) != len(linkwork.ClosureReasons) {
		t.Errorf("closure reasons %v, want every one", reasons)
	}
	if len(modes) != 4 || dna == 0 {
		t.Errorf("contact modes %v, %d did not attend: want every mode and some missed", modes, dna)
	}
	for _, p := range []string{"school", "community centre", "youth hub", "GP surgery", "home", "outdoors", "phone", "text"} {
		if !places[p] {
			t.Errorf("no contacts at %s", p)
		}
	}
}

func TestConnections(t *testing.T) {
	c := mustGenerate(t, "demo")
	assets := map[string]*linkwork.Asset{}
	for _, a := range c.rec.assets {
		assets[a.ID] = a
	}
	people := map[string]*linkwork.Person{}
	for _, p := range c.rec.people {
		people[p.ID] = p
	}
	community, _ := LoginFor(linkwork.RoleCommunity)
	var communityOrgID string
	for _, u := range c.rec.users {
		if u.Email == community.Email {
			communityOrgID = u.OrgID
		}
	}
	statuses := map[linkwork.ConnectionStatus]int{}
	levels := map[linkwork.ConnectionLevel]int{}
	awaiting, communityListings := 0, 0
	for _, a := range c.rec.assets {
		if a.OrgID == communityOrgID {
			communityListings++
		}
	}
	for _, cn := range c.rec.connections {
		statuses[cn.Status]++
		levels[cn.Level]++
		a := assets[cn.AssetID]
		age := people[cn.PersonID].AgeOn(linkwork.DateOf(cn.CreatedAt))
		if age < a.MinAge || (a.MaxAge != 0 && age > a.MaxAge) {
			t.Errorf("connection %s: a %d-year-old connected to %s (%d-%d)", cn.ID, age, a.Name, a.MinAge, a.MaxAge)
		}
		if a.OrgID == communityOrgID && cn.Status == linkwork.ConnContacted {
			awaiting++
		}
	}
	if communityListings < 5 {
		t.Errorf("the community login's organisation runs %d listings, want several", communityListings)
	}
	if awaiting < 5 {
		t.Errorf("%d connections await the community login's answer, want several", awaiting)
	}
	for _, s := range []linkwork.ConnectionStatus{linkwork.ConnContacted, linkwork.ConnAttended, linkwork.ConnContinuing, linkwork.ConnDropped, linkwork.ConnDeclined} {
		if statuses[s] == 0 {
			t.Errorf("no connections %s", s)
		}
	}
	if len(levels) != 4 {
		t.Errorf("connection levels %v, want all four", levels)
	}
}

func TestConnectionPathsFollowTheStates(t *testing.T) {
	r := newRNG(1, 99)
	start := time.Date(2026, 1, 5, 10, 0, 0, 0, time.UTC)
	finals := map[linkwork.ConnectionStatus]bool{}
	for i := 0; i < 2000; i++ {
		level := []linkwork.ConnectionLevel{linkwork.LevelSignpost, linkwork.LevelRefer, linkwork.LevelBuddy, linkwork.LevelPhased}[i%4]
		path := connectionPath(r, level, start, nil)
		if path[0].to != linkwork.ConnSuggested {
			t.Fatalf("path starts at %s", path[0].to)
		}
		for j := 1; j < len(path); j++ {
			if !path[j-1].to.CanBecome(path[j].to) {
				t.Fatalf("%s path moves %s → %s", level, path[j-1].to, path[j].to)
			}
			if !path[j].at.After(path[j-1].at) {
				t.Fatalf("%s path goes back in time", level)
			}
		}
		finals[path[len(path)-1].to] = true
	}
	for _, s := range []linkwork.ConnectionStatus{linkwork.ConnAttended, linkwork.ConnContinuing, linkwork.ConnDropped, linkwork.ConnDeclined} {
		if !finals[s] {
			t.Errorf("no path ends %s", s)
		}
	}
}

func TestMeasures(t *testing.T) {
	c := mustGenerate(t, "demo")
	people := map[string]*linkwork.Person{}
	for _, p := range c.rec.people {
		people[p.ID] = p
	}
	goals := map[string]string{} // goal → case
	for _, g := range c.rec.goals {
		goals[g.ID] = g.CaseID
	}
	type key struct {
		caseID string
		inst   linkwork.Instrument
	}
	baseline := map[key]int{}
	var sumChange, n int
	byInst := map[linkwork.Instrument]map[linkwork.Timepoint]int{}
	for _, m := range c.rec.measures {
		if byInst[m.Instrument] == nil {
			byInst[m.Instrument] = map[linkwork.Timepoint]int{}
		}
		byInst[m.Instrument][m.Timepoint]++
		age := people[m.PersonID].AgeOn(linkwork.DateOf(m.At))
		if m.Instrument == linkwork.InstrumentSWEMWBS && age < 13 || m.Instrument == linkwork.InstrumentONS4 && age < 16 {
			t.Errorf("%s given to a %d-year-old", m.Instrument, age)
		}
		for _, g := range m.GoalIDs {
			if goals[g] != m.CaseID {
				t.Errorf("GBO %s rates a goal of another case", m.ID)
			}
		}
		if m.Instrument != linkwork.InstrumentSWEMWBS {
			continue
		}
		total := 0
		for _, a := range m.Answers {
			total += *a
		}
		k := key{m.CaseID, m.Instrument}
		switch m.Timepoint {
		case linkwork.TimepointBaseline:
			baseline[k] = total
		case linkwork.TimepointEnd:
			sumChange += total - baseline[k]
			n++
		}
	}
	for _, inst := range []linkwork.Instrument{linkwork.InstrumentSWEMWBS, linkwork.InstrumentONS4, linkwork.InstrumentGBO} {
		for _, tp := range []linkwork.Timepoint{linkwork.TimepointBaseline, linkwork.TimepointEnd} {
			if byInst[inst][tp] == 0 {
				t.Errorf("no %s at %s", inst, tp)
			}
		}
	}
	if byInst[linkwork.InstrumentGBO][linkwork.TimepointReview] == 0 {
		t.Error("no goal-based outcomes at review")
	}
	if n == 0 {
		t.Fatal("no SWEMWBS at the end of a case")
	}
	if avg := float64(sumChange) / float64(n); avg < 1 || avg > 6 {
		t.Errorf("SWEMWBS raw total changes by %.1f on average, want a modest improvement", avg)
	}
}

func TestSinkErrorsAbortGenerate(t *testing.T) {
	kinds := []string{"organisation", "user", "settings", "fund", "asset", "person", "referral", "case", "goal", "contact", "connection", "fund_request", "measure"}
	cfg, _ := Preset("small")
	for _, kind := range kinds {
		t.Run(kind, func(t *testing.T) {
			n := 3
			if kind == "settings" {
				n = 1 // there is one service
			}
			f := &failing{kind: kind, n: n}
			sum, err := Generate(cfg, f)
			if !errors.Is(err, errSink) {
				t.Fatalf("Generate returned %v, want the sink's error", err)
			}
			if sum != nil {
				t.Error("Generate returned a summary with its error")
			}
			if f.after != 0 {
				t.Errorf("Generate sent %d records after the sink failed", f.after)
			}
		})
	}
}

func BenchmarkGenerateNational(b *testing.B) {
	if testing.Short() {
		b.Skip("the national preset takes seconds; skipped with -short")
	}
	cfg, err := Preset("national")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		var sink counting
		sum, err := Generate(cfg, &sink)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(sum.Referrals), "referrals")
		b.ReportMetric(float64(sink.n), "records")
	}
}

func BenchmarkGenerateDemo(b *testing.B) {
	cfg, _ := Preset("demo")
	for b.Loop() {
		if _, err := Generate(cfg, &counting{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestMillbrookSitsOnRealDistricts(t *testing.T) {
	centre, ok := ukpostcode.Lookup(CityCentre)
	if !ok {
		t.Fatalf("the city centre %s is not a district", CityCentre)
	}
	if len(millbrook) < 20 {
		t.Errorf("Millbrook has %d districts, want 20 or more", len(millbrook))
	}
	inCity := map[string]ukpostcode.District{}
	for _, m := range millbrook {
		d, ok := ukpostcode.Lookup(m.outcode)
		if !ok {
			t.Fatalf("%s is not a real district", m.outcode)
		}
		if km := ukpostcode.Distance(centre.Lat, centre.Lon, d.Lat, d.Lon) / 1000; km > 12 {
			t.Errorf("%s is %.1f km from the centre", m.outcode, km)
		}
		inCity[d.Outcode] = d
	}
	c := mustGenerate(t, "demo")
	district := func(postcode string) (ukpostcode.District, bool) {
		pc, err := linkwork.ParsePostcode(postcode)
		if err != nil || pc.Inward == "" {
			return ukpostcode.District{}, false
		}
		d, ok := inCity[pc.Outward]
		return d, ok
	}
	for _, p := range c.rec.people {
		if _, ok := district(p.Postcode); !ok {
			t.Errorf("person %s lives at %q, outside Millbrook", p.DisplayName(), p.Postcode)
		}
	}
	for _, o := range c.rec.orgs {
		if _, ok := district(o.Postcode); !ok {
			t.Errorf("organisation %s is at %q, outside Millbrook", o.Name, o.Postcode)
		}
	}
	for _, a := range c.rec.assets {
		for _, l := range a.Locations {
			if !l.Physical() {
				continue
			}
			d, ok := district(l.PostalCode)
			if !ok {
				t.Errorf("%s is at %q, outside Millbrook", a.Name, l.PostalCode)
				continue
			}
			if m := ukpostcode.Distance(d.Lat, d.Lon, l.Lat, l.Lon); m > 1500 {
				t.Errorf("%s is %.0f m from its district's centre, want 1.5 km at most", a.Name, m)
			}
		}
	}
}
