package demo

import (
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// themes says what a community organisation does, to match it with the
// activities it runs.
type themes uint16

const (
	thSport themes = 1 << iota
	thArts
	thSocial
	thWellbeing
	thYouth
	thLearning
	thGreen
	thSelfCare
	thIndoor
	thCommunity
)

// orgRef is what the generator remembers of an organisation.
type orgRef struct {
	id, name string
	kind     linkwork.OrgKind
	place    int32
	email    string
	domain   string
	code     string // an invented ODS code or URN
	themes   themes // community organisations
	adults   bool   // a social care team for adults rather than children
	// staff are the users who refer from the organisation.
	referrers []*staffRef
}

// staffRef is what the generator remembers of a user.
type staffRef struct {
	id, name, email string
	title           string // as a referrer gives it: "Head of Year 10"
	role            linkwork.Role
	org             *orgRef
	ageMin, ageMax  int
	youth           bool // a young people's connector
}

// vcsSeed is one of Millbrook's community organisations.
type vcsSeed struct {
	name    string
	outcode string
	themes  themes
}

// communityOrg is the organisation of the community@ demo login; it runs
// several of the fixed listings.
const communityOrg = "Northfield Community Association"

// millbrookVCS are Millbrook's forty community organisations. The first is
// the community@ login's.
var millbrookVCS = []vcsSeed{
	{communityOrg, "LS6", thCommunity | thSocial | thYouth | thSport},
	{"Northfield Boxing Club", "LS6", thSport | thYouth},
	{"Millbrook Men's Shed", "LS12", thSocial | thLearning},
	{"Riverside Arts Collective", "LS2", thArts},
	{"Millbrook Harriers Running Club", "LS8", thSport},
	{"Beckside Rovers Football Club", "LS11", thSport | thYouth},
	{"Millbrook Community Football Trust", "LS1", thSport | thYouth},
	{"Hollin Park Tennis and Badminton Club", "LS4", thSport | thIndoor},
	{"Millbrook Climbing Wall CIC", "LS10", thSport | thIndoor},
	{"Kirkgate Cycle Hub", "LS2", thSport | thLearning},
	{"Millbrook Community Choir", "LS7", thArts | thSocial},
	{"Canal Wharf Theatre Company", "LS3", thArts | thYouth},
	{"Open Door Music Project", "LS9", thArts | thYouth},
	{"Millbrook Photography Society", "LS16", thArts},
	{"Millbrook Writers' Circle", "LS17", thArts | thIndoor},
	{"Friends of Millbrook Library", "LS1", thLearning | thIndoor},
	{"Millbrook Volunteer Centre", "LS1", thLearning | thSocial},
	{"Code Club Millbrook", "LS11", thLearning | thIndoor | thYouth},
	{"Eastgate Learning Shop", "LS9", thLearning},
	{"Millbrook Young Carers Project", "LS7", thWellbeing | thYouth},
	{"Rainbow Youth Millbrook", "LS2", thWellbeing | thYouth | thSocial},
	{"Millbrook Bereavement Support", "LS8", thWellbeing},
	{"Safe Space Youth Counselling", "LS6", thWellbeing | thYouth},
	{"Open Minds Peer Support", "LS12", thWellbeing | thSocial},
	{"Millbrook Counselling Centre", "LS1", thWellbeing},
	{"Grow Millbrook", "LS13", thGreen | thSelfCare},
	{"Westbrook Community Garden", "LS12", thGreen | thSocial},
	{"Millbrook Yoga and Mindfulness Collective", "LS6", thSelfCare},
	{"Millbrook Food Hub", "LS9", thSelfCare | thLearning},
	{"Riverside Youth Club", "LS4", thYouth | thIndoor},
	{"Chapel Fold Youth Project", "LS7", thYouth | thSport},
	{"Southbank Boys' and Girls' Club", "LS10", thYouth | thSport | thIndoor},
	{"St Aidan's Church Community Café", "LS15", thSocial},
	{"Millbrook Friends in Later Life", "LS17", thSocial | thSelfCare},
	{"Millbrook Refugee Welcome", "LS7", thSocial | thLearning},
	{"Millbrook Board Game Café CIC", "LS2", thIndoor | thSocial},
	{"Fernley Chess and Games Club", "LS13", thIndoor},
	{"Millbrook Walking for Health", "LS14", thGreen | thSport | thSelfCare},
	{"Thornhill Park Community Centre", "LS14", thCommunity | thSocial | thIndoor},
	{"Beckside Community Hub", "LS11", thCommunity | thSocial | thSelfCare},
}

// vcsNouns name the national preset's community organisations, by theme.
var vcsNouns = []struct {
	noun   string
	themes themes
}{
	{"Boxing Club", thSport | thYouth}, {"Harriers", thSport}, {"Football Club", thSport | thYouth},
	{"Cycle Hub", thSport | thLearning}, {"Climbing Club", thSport | thIndoor}, {"Badminton Club", thSport | thIndoor},
	{"Arts Collective", thArts}, {"Community Choir", thArts | thSocial}, {"Theatre Company", thArts | thYouth},
	{"Music Project", thArts | thYouth}, {"Men's Shed", thSocial | thLearning}, {"Community Café", thSocial},
	{"Friendship Group", thSocial | thSelfCare}, {"Young Carers", thWellbeing | thYouth}, {"LGBTQ+ Youth Group", thWellbeing | thYouth | thSocial},
	{"Bereavement Support", thWellbeing}, {"Counselling Service", thWellbeing}, {"Peer Support Network", thWellbeing | thSocial},
	{"Community Garden", thGreen | thSocial}, {"Allotment Society", thGreen | thSelfCare}, {"Wellbeing Collective", thSelfCare},
	{"Food Hub", thSelfCare | thLearning}, {"Youth Club", thYouth | thIndoor}, {"Youth Project", thYouth | thSport},
	{"Learning Centre", thLearning}, {"Volunteer Centre", thLearning | thSocial}, {"Games Club", thIndoor},
	{"Walking Group", thGreen | thSport | thSelfCare}, {"Community Association", thCommunity | thSocial | thYouth | thSport},
	{"Community Centre", thCommunity | thSocial | thIndoor},
}

// orgs builds and sends every organisation and user.
func (g *gen) orgs() error {
	r := g.orgRNG
	w := g.world
	mb := func(outcode string) int32 { return w.at(outcode) }

	g.service = g.newOrg(r, "Millbrook Social Prescribing Service", linkwork.OrgSPService, mb("LS1"), "")
	g.serviceID = g.service.id
	g.commissioner = g.newOrg(r, "Millbrook Integrated Care Board", linkwork.OrgCommissioner, mb("LS2"), "")
	// The board funds the service: its commissioners read the service's
	// outcome figures. The funder comes first, as a parent must.
	if err := g.emitOrg(g.commissioner, ""); err != nil {
		return err
	}
	if err := g.emitOrg(g.service, g.commissioner.id); err != nil {
		return err
	}

	// Primary care: a network of six practices in Millbrook, and for the
	// national preset a network for every six or so more practices.
	pcn := g.newOrg(r, "Millbrook Central Primary Care Network", linkwork.OrgPCN, mb("LS1"), "U90001")
	if err := g.emitOrg(pcn, ""); err != nil {
		return err
	}
	g.pcns = append(g.pcns, pcn)
	practices := []struct{ name, outcode string }{
		{"Northfield Medical Centre", "LS6"}, {"Riverside Surgery", "LS4"}, {"Hollin Park Health Centre", "LS12"},
		{"Kirkgate Family Practice", "LS2"}, {"Station Road Surgery", "LS8"}, {"Westbrook Group Practice", "LS11"},
	}
	for i, p := range practices {
		o := g.newOrg(r, p.name, linkwork.OrgGPPractice, mb(p.outcode), "X9"+fourDigits(i+1))
		if err := g.emitOrg(o, pcn.id); err != nil {
			return err
		}
		g.gps = append(g.gps, o)
	}

	schools := []struct{ name, outcode string }{
		{"Millbrook Academy", "LS7"}, {"Northfield High School", "LS6"}, {"St Cuthbert's Catholic High School", "LS9"},
		{"Riverside Community College", "LS4"}, {"Hollin Park School", "LS12"},
	}
	for i, s := range schools {
		o := g.newOrg(r, s.name, linkwork.OrgSchool, mb(s.outcode), "9"+fourDigits(100+i))
		if err := g.emitOrg(o, ""); err != nil {
			return err
		}
		g.schools = append(g.schools, o)
	}

	singles := []struct {
		name    string
		kind    linkwork.OrgKind
		outcode string
		into    *[]*orgRef
		adults  bool
	}{
		{"Millbrook CAMHS Team", linkwork.OrgCAMHS, "LS7", &g.camhs, false},
		{"Millbrook Children's Social Care", linkwork.OrgSocialCare, "LS2", &g.socialCare, false},
		{"Millbrook Adult Social Care", linkwork.OrgSocialCare, "LS2", &g.socialCare, true},
		{"Millbrook Community Health Team", linkwork.OrgHealth, "LS9", &g.health, false},
		{"The Millbrook Youth Hub", linkwork.OrgYouthHub, "LS1", &g.hubs, false},
	}
	for _, s := range singles {
		o := g.newOrg(r, s.name, s.kind, mb(s.outcode), "")
		o.adults = s.adults
		if err := g.emitOrg(o, ""); err != nil {
			return err
		}
		*s.into = append(*s.into, o)
	}

	for _, v := range millbrookVCS {
		o := g.newOrg(r, v.name, linkwork.OrgVCS, mb(v.outcode), "")
		o.themes = v.themes
		if err := g.emitOrg(o, ""); err != nil {
			return err
		}
		g.vcs = append(g.vcs, o)
	}
	g.community = g.vcs[0]

	if g.cfg.National {
		if err := g.nationalOrgs(r); err != nil {
			return err
		}
	}
	for _, o := range g.socialCare {
		if o.adults {
			g.adultSC = append(g.adultSC, o)
		} else {
			g.childrenSC = append(g.childrenSC, o)
		}
	}
	return g.users(r)
}

// nationalOrgs adds practices, schools, teams and community organisations
// across Great Britain in proportion to the people and activities.
func (g *gen) nationalOrgs(r *rng) error {
	w := g.world
	nPractices := g.cfg.People / 1000
	var pcn *orgRef
	for i := len(g.gps); i < nPractices; i++ {
		at := w.byPop.pick(r)
		if pcn == nil || i%7 == 0 {
			pcn = g.newOrg(r, g.uniqueName(w.places[at].town+" "+pick(r, pcnNames)+" Primary Care Network", at), linkwork.OrgPCN, at, "U9"+fourDigits(len(g.pcns)+1))
			if err := g.emitOrg(pcn, ""); err != nil {
				return err
			}
			g.pcns = append(g.pcns, pcn)
		}
		o := g.newOrg(r, g.uniqueName(w.places[at].area+" "+pick(r, practiceNouns), at), linkwork.OrgGPPractice, at, "X9"+fourDigits(i+1))
		if err := g.emitOrg(o, pcn.id); err != nil {
			return err
		}
		g.gps = append(g.gps, o)
	}
	add := func(n int, into *[]*orgRef, kind linkwork.OrgKind, nouns []string, code func(int) string) error {
		for i := len(*into); i < n; i++ {
			at := w.byPop.pick(r)
			base := w.places[at].area + " " + pick(r, nouns)
			if kind != linkwork.OrgSchool {
				base = w.places[at].town + " " + pick(r, nouns)
			}
			o := g.newOrg(r, g.uniqueName(base, at), kind, at, code(i))
			o.adults = kind == linkwork.OrgSocialCare && i%2 == 1
			if err := g.emitOrg(o, ""); err != nil {
				return err
			}
			*into = append(*into, o)
		}
		return nil
	}
	none := func(int) string { return "" }
	if err := add(g.cfg.People/2500, &g.schools, linkwork.OrgSchool, schoolNouns, func(i int) string { return "9" + fourDigits(100+i) }); err != nil {
		return err
	}
	if err := add(g.cfg.People/40000, &g.camhs, linkwork.OrgCAMHS, []string{"CAMHS Team", "CAMHS Community Team"}, none); err != nil {
		return err
	}
	if err := add(g.cfg.People/20000, &g.socialCare, linkwork.OrgSocialCare, []string{"Social Care Team", "Early Help Team", "Locality Social Work Team"}, none); err != nil {
		return err
	}
	if err := add(g.cfg.People/30000, &g.health, linkwork.OrgHealth, []string{"Community Health Team", "Community Mental Health Team", "Health Visiting Team"}, none); err != nil {
		return err
	}
	if err := add(g.cfg.People/40000, &g.hubs, linkwork.OrgYouthHub, []string{"Youth Hub", "Young People's Hub"}, none); err != nil {
		return err
	}
	for i := len(g.vcs); i < g.cfg.Assets*2/15; i++ {
		at := w.byPop.pick(r)
		n := vcsNouns[r.intn(len(vcsNouns))]
		o := g.newOrg(r, g.uniqueName(w.places[at].area+" "+n.noun, at), linkwork.OrgVCS, at, "")
		o.themes = n.themes
		if err := g.emitOrg(o, ""); err != nil {
			return err
		}
		g.vcs = append(g.vcs, o)
	}
	return nil
}

var (
	pcnNames      = []string{"North", "South", "East", "West", "Central", "Valley", "Riverside", "Park"}
	practiceNouns = []string{"Medical Centre", "Surgery", "Health Centre", "Family Practice", "Group Practice", "Medical Practice"}
	schoolNouns   = []string{"Academy", "High School", "Community School", "School", "Church of England Academy", "Catholic High School"}
)

// uniqueName returns name, or name with its town or a number when another
// organisation already has it: the store refuses duplicate names.
func (g *gen) uniqueName(name string, at int32) string {
	if !g.orgNames[name] {
		return name
	}
	withTown := name + ", " + g.world.places[at].town
	if !g.orgNames[withTown] {
		return withTown
	}
	for n := 2; ; n++ {
		s := withTown + " (" + strconv.Itoa(n) + ")"
		if !g.orgNames[s] {
			return s
		}
	}
}

// newOrg makes an organisation's reference, with a unique name.
func (g *gen) newOrg(r *rng, name string, kind linkwork.OrgKind, at int32, code string) *orgRef {
	g.orgNames[name] = true
	d := slug(name)
	if len(d) > 40 {
		d = strings.TrimRight(d[:40], "-")
	}
	o := &orgRef{id: r.uuid(), name: name, kind: kind, place: at, domain: d + ".example.org"}
	box := "info@"
	switch kind {
	case linkwork.OrgGPPractice:
		box = "reception@"
	case linkwork.OrgSchool:
		box = "office@"
	case linkwork.OrgCAMHS, linkwork.OrgSocialCare, linkwork.OrgHealth:
		box = "referrals@"
	}
	o.email = box + o.domain
	o.code = code
	return o
}

// emitOrg sends an organisation to the sink.
func (g *gen) emitOrg(o *orgRef, parentID string) error {
	r := g.orgRNG
	p := &g.world.places[o.place]
	created := g.setupTime(r)
	return g.sink.Organisation(&linkwork.Organisation{
		ID:        o.id,
		Name:      o.name,
		Kind:      o.kind,
		ParentID:  parentID,
		Code:      o.code,
		Address:   p.fullAddress(r),
		Postcode:  p.postcode(r),
		Phone:     p.landline(r),
		Email:     o.email,
		Version:   1,
		CreatedAt: created,
		UpdatedAt: created,
	})
}

// settings sends the service's saved settings: young people and adults
// from 11 in Millbrook's postcode area (LS), by every pathway, with the
// default streetlight criteria. They take nothing from the random streams,
// so adding them changed no other record.
func (g *gen) settings() error {
	s := linkwork.DefaultServiceSettings(g.serviceID)
	s.MinAge = 11
	s.Areas = []string{"LS"}
	s.Contact = "Email " + g.service.email + ", or drop in to The Millbrook Youth Hub"
	s.Version = 1
	s.UpdatedAt = g.clock.midnight.Add(-700*day + 10*time.Hour)
	s.UpdatedBy = g.coordinator.id
	return g.sink.Settings(s)
}

// setupTime returns when a record of the service's set-up was made: two
// to three years before now, before any referral.
func (g *gen) setupTime(r *rng) time.Time {
	return g.clock.daysAgo(r, r.between(730, 1095), 9, 17)
}

func fourDigits(n int) string {
	s := strconv.Itoa(n)
	for len(s) < 4 {
		s = "0" + s
	}
	return s
}

// users builds and sends every user: the demo logins first, then the rest
// of the staff.
func (g *gen) users(r *rng) error {
	login := func(role linkwork.Role) Login {
		l, _ := LoginFor(role)
		return l
	}
	add := func(s *staffRef) error {
		g.userEmails[s.email] = true
		created := g.setupTime(r)
		return g.sink.User(&linkwork.User{
			ID:        s.id,
			OrgID:     s.org.id,
			Email:     s.email,
			Name:      s.name,
			Role:      s.role,
			AgeMin:    s.ageMin,
			AgeMax:    s.ageMax,
			Version:   1,
			CreatedAt: created,
			UpdatedAt: created,
		}, g.cfg.Password)
	}
	fixed := func(role linkwork.Role, org *orgRef, title string) (*staffRef, error) {
		l := login(role)
		s := &staffRef{id: r.uuid(), name: l.Name, email: l.Email, role: role, org: org, title: title}
		if role == linkwork.RoleLinkWorker {
			s.ageMin, s.ageMax, s.youth = 13, 25, true
		}
		return s, add(s)
	}

	var err error
	var gp *staffRef
	if gp, err = fixed(linkwork.RoleReferrer, g.gps[0], "GP"); err != nil {
		return err
	}
	g.gps[0].referrers = append(g.gps[0].referrers, gp)
	if g.demoLinkWorker, err = fixed(linkwork.RoleLinkWorker, g.service, ""); err != nil {
		return err
	}
	g.linkWorkers = append(g.linkWorkers, g.demoLinkWorker)
	if g.coordinator, err = fixed(linkwork.RoleCoordinator, g.service, ""); err != nil {
		return err
	}
	if _, err = fixed(linkwork.RoleSafeguarding, g.service, ""); err != nil {
		return err
	}
	if g.communityUser, err = fixed(linkwork.RoleCommunity, g.community, ""); err != nil {
		return err
	}
	if _, err = fixed(linkwork.RoleCommissioner, g.commissioner, ""); err != nil {
		return err
	}
	if _, err = fixed(linkwork.RoleAdmin, g.service, ""); err != nil {
		return err
	}

	// Staff with generated names.
	staff := func(role linkwork.Role, org *orgRef, title string) *staffRef {
		n := newName(r, pick(r, []string{"Female", "Female", "Male"}), 1965+r.intn(35))
		first := n.given
		if n.preferred != "" {
			first = n.preferred
		}
		full := first + " " + n.family
		if title == "GP" || title == "Clinical psychologist" {
			full = "Dr " + full
		}
		return &staffRef{id: r.uuid(), name: full, email: g.staffEmail(first, n.family, org), role: role, org: org, title: title}
	}

	// Link workers: young people's connectors (13-25) and adult link
	// workers (16 and over). The national preset has about one for every
	// 140 people.
	extra := max(6, g.cfg.People/140)
	for i := 0; i < extra; i++ {
		s := staff(linkwork.RoleLinkWorker, g.service, "")
		if i%3 == 0 || (g.cfg.National && i%2 == 0) {
			s.ageMin, s.ageMax, s.youth = 13, 25, true
		} else {
			s.ageMin = 16
		}
		if err := add(s); err != nil {
			return err
		}
		g.linkWorkers = append(g.linkWorkers, s)
	}
	for _, lw := range g.linkWorkers {
		if lw.youth {
			g.youthWorkers = append(g.youthWorkers, lw)
		} else {
			g.adultWorkers = append(g.adultWorkers, lw)
		}
	}

	// Referrers: at most practices, every school and team, and the hub.
	gpTitles := []string{"Practice nurse", "GP", "Care coordinator", "Mental health practitioner", "Physician associate"}
	for i, o := range g.gps {
		if i == 0 || i%5 == 4 {
			continue // referrer@ is at the first; some practices refer by letter
		}
		s := staff(linkwork.RoleReferrer, o, pick(r, gpTitles))
		if err := add(s); err != nil {
			return err
		}
		o.referrers = append(o.referrers, s)
	}
	teams := []struct {
		orgs   []*orgRef
		titles []string
	}{
		{g.schools, []string{"Head of Year 9", "Head of Year 10", "Head of Year 11", "Pastoral lead", "Designated safeguarding lead", "SENCo", "School counsellor", "Sixth form pastoral manager"}},
		{g.camhs, []string{"CAMHS practitioner", "Clinical psychologist", "Mental health nurse"}},
		{g.socialCare, []string{"Social worker", "Early help practitioner", "Personal adviser (care leavers)", "Family support worker"}},
		{g.health, []string{"Community mental health nurse", "Health visitor", "Occupational therapist", "Physiotherapist", "Diabetes specialist nurse"}},
		{g.hubs, []string{"Hub duty worker", "Youth worker"}},
	}
	for _, t := range teams {
		for i, o := range t.orgs {
			n := 1
			if o.kind == linkwork.OrgSocialCare && i < 2 {
				n = 2
			}
			for range n {
				title := pick(r, t.titles)
				if o.adults && title != "Social worker" {
					title = "Adult social worker"
				}
				s := staff(linkwork.RoleReferrer, o, title)
				if err := add(s); err != nil {
					return err
				}
				o.referrers = append(o.referrers, s)
			}
		}
	}

	// A few more community organisations keep their own listings.
	for i := 1; i < len(g.vcs); i += 8 {
		if err := add(staff(linkwork.RoleCommunity, g.vcs[i], "")); err != nil {
			return err
		}
	}
	return nil
}

// staffEmail returns a unique address for a member of staff at an
// organisation's example.org domain.
func (g *gen) staffEmail(first, family string, o *orgRef) string {
	local := slug(first) + "." + slug(family)
	local = strings.ReplaceAll(local, "-", "")
	e := local + "@" + o.domain
	for n := 2; g.userEmails[e]; n++ {
		e = local + strconv.Itoa(n) + "@" + o.domain
	}
	return e
}
