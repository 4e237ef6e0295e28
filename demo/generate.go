package demo

import (
	"fmt"
	"time"
)

// gen is the state of one generation.
type gen struct {
	cfg   Config
	clock clock
	sink  *counter
	world *world

	orgRNG, assetRNG, peopleRNG *rng
	// fundRNG chooses the funds' requests, apart from the people's
	// stream.
	fundRNG *rng

	// Organisations.
	orgNames     map[string]bool
	service      *orgRef
	serviceID    string
	commissioner *orgRef
	community    *orgRef
	pcns, gps    []*orgRef
	schools      []*orgRef
	camhs        []*orgRef
	socialCare   []*orgRef
	childrenSC   []*orgRef
	adultSC      []*orgRef
	health       []*orgRef
	hubs         []*orgRef
	vcs          []*orgRef

	// Users.
	userEmails     map[string]bool
	coordinator    *staffRef
	communityUser  *staffRef
	demoLinkWorker *staffRef
	linkWorkers    []*staffRef
	youthWorkers   []*staffRef
	adultWorkers   []*staffRef

	// The service's funds, by financial year.
	fundsByYear []*demoFund

	// The directory.
	assets          []assetRef
	assetsAt        [][]int32 // by place
	communityAssets []int32

	// Journeys.
	b                 bundle
	times             []time.Time
	connBuf           []connStep
	usedAssets        []int32
	demoOpen          int // the demo link worker's open cases so far
	communityAwaiting int // connections awaiting the community@ login's answer
	demoGP            int // referrals from referrer@'s practice so far

	// placed are the postcodes placed in an area (equity.go).
	placed map[string]bool
}

// Generate builds the city cfg describes and sends it to sink, record by
// record, in dependency order: every organisation, then every user, then
// the service's settings, then every listing, then person by person their
// Person, Referrals, Cases, Goals, Contacts, Connections and
// MeasureResponses. Referral.CaseID names
// the case sent straight after the referral; every other identifier names
// a record already sent.
//
// People are generated one at a time and not kept, so a national-scale
// city streams through in constant memory. The same Config always gives
// the same records. Every record passes its Validate method; referral
// transitions start at "received" (the first is received → something) and
// each is one ReferralStatus.CanBecome allows. Measure scores are left
// unset for the store to compute.
//
// Generate returns EINVALID for a bad Config and stops at, and returns, the
// first error from the sink.
func Generate(cfg Config, sink Sink) (*Summary, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	var w *world
	var err error
	if cfg.National {
		w, err = newNation()
	} else {
		w, err = newCity()
	}
	if err != nil {
		return nil, err
	}
	g := &gen{
		cfg:        cfg,
		clock:      newClock(cfg.Now),
		sink:       newCounter(sink),
		world:      w,
		orgRNG:     newRNG(cfg.Seed, streamOrgs),
		assetRNG:   newRNG(cfg.Seed, streamAssets),
		peopleRNG:  newRNG(cfg.Seed, streamPeople),
		fundRNG:    newRNG(cfg.Seed, streamFunds),
		orgNames:   map[string]bool{},
		userEmails: map[string]bool{},
	}
	if err := g.orgs(); err != nil {
		return nil, err
	}
	if err := g.settings(); err != nil {
		return nil, err
	}
	if err := g.population(); err != nil {
		return nil, err
	}
	if err := g.funds(); err != nil {
		return nil, err
	}
	if err := g.directory(); err != nil {
		return nil, err
	}
	for i := 0; i < cfg.People; i++ {
		if err := g.person(); err != nil {
			return nil, err
		}
	}
	return &g.sink.sum, nil
}

// errorf returns an internal error of the generator.
func errorf(format string, args ...any) error {
	return fmt.Errorf("demo: "+format, args...)
}
