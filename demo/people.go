package demo

import (
	"math"
	"strconv"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// The pathways in the proportions the "More than signposting" evaluation
// found: self-referral the largest door (28%), social care next (20%),
// health professionals 12.5%, GPs 4.2%; schools, CAMHS, families, the
// voluntary sector and hub walk-ins make up the rest.
var pathwayTable = newWeighted(
	[]linkwork.Pathway{linkwork.PathwaySelf, linkwork.PathwaySocialCare, linkwork.PathwayHealth, linkwork.PathwayGP,
		linkwork.PathwaySchool, linkwork.PathwayCAMHS, linkwork.PathwayFamily, linkwork.PathwayVCS, linkwork.PathwayHub},
	[]float64{28, 20, 12.5, 4.2, 13, 6, 7, 5.3, 4},
)

// ageBand is an inclusive range of ages with a weight.
type ageBand struct {
	lo, hi int
	w      float64
}

// pathwayAges are the ages people are when referred through each door:
// schools and CAMHS refer children and young people, the youth hub
// 13-25s, the others mostly adults.
var pathwayAges = map[linkwork.Pathway][]ageBand{
	linkwork.PathwaySchool:     {{11, 12, 6}, {13, 16, 74}, {17, 18, 20}},
	linkwork.PathwayCAMHS:      {{12, 12, 4}, {13, 17, 96}},
	linkwork.PathwayFamily:     {{11, 17, 60}, {18, 25, 25}, {60, 80, 15}},
	linkwork.PathwayHub:        {{13, 17, 50}, {18, 25, 50}},
	linkwork.PathwaySocialCare: {{13, 17, 30}, {18, 25, 25}, {26, 64, 35}, {65, 80, 10}},
	linkwork.PathwaySelf:       {{13, 15, 6}, {16, 25, 48}, {26, 64, 37}, {65, 80, 9}},
	linkwork.PathwayHealth:     {{13, 25, 30}, {26, 64, 55}, {65, 80, 15}},
	linkwork.PathwayGP:         {{13, 25, 25}, {26, 64, 55}, {65, 80, 20}},
	linkwork.PathwayVCS:        {{13, 25, 45}, {26, 64, 45}, {65, 80, 10}},
}

var pathwayAgeTables = func() map[linkwork.Pathway]weighted[ageBand] {
	m := map[linkwork.Pathway]weighted[ageBand]{}
	for p, bands := range pathwayAges {
		w := make([]float64, len(bands))
		for i, b := range bands {
			w[i] = b.w
		}
		m[p] = newWeighted(bands, w)
	}
	return m
}()

// fitsPathway reports whether someone of the age can come through the
// door: schools refer up to 18, CAMHS up to 17, the youth hub up to 25.
func fitsPathway(p linkwork.Pathway, age int) bool {
	switch p {
	case linkwork.PathwaySchool:
		return age <= 18
	case linkwork.PathwayCAMHS:
		return age <= 17
	case linkwork.PathwayHub:
		return age <= 25
	}
	return true
}

// personCtx is a person while their journey is generated.
type personCtx struct {
	p     *linkwork.Person
	place *place
	name  name
	dob   linkwork.Date
	age0  int // age at the first referral
}

func (pc *personCtx) ageAt(t time.Time) int { return pc.dob.AgeOn(linkwork.DateOf(t)) }

// firstName is the name the person goes by.
func (pc *personCtx) firstName() string {
	if pc.p.PreferredName != "" {
		return pc.p.PreferredName
	}
	return pc.p.GivenName
}

// newPerson makes a person who is age on the day of their first referral.
func (g *gen) newPerson(r *rng, age int, first time.Time) *personCtx {
	at := g.world.byPop.pick(r)
	pl := &g.world.places[at]

	// Date of birth: age years old on the day of the first referral.
	ref := linkwork.DateOf(first)
	dob := linkwork.DateOf(first.AddDate(-age-1, 0, 1+r.intn(365)))
	for dob.AgeOn(ref) > age {
		dob = linkwork.DateOf(dob.Time().AddDate(0, 0, 1))
	}
	for dob.AgeOn(ref) < age {
		dob = linkwork.DateOf(dob.Time().AddDate(0, 0, -1))
	}

	var gender, pronouns string
	x := r.float()
	switch {
	case age <= 25 && x < 0.04:
		gender, pronouns = "Non-binary", "they/them"
	case x < 0.05:
		gender = "Prefer not to say"
	case x < 0.55:
		gender, pronouns = "Female", "she/her"
	default:
		gender, pronouns = "Male", "he/him"
	}
	n := newName(r, gender, dob.Year)
	p := &linkwork.Person{
		ID:            r.uuid(),
		ServiceOrgID:  g.serviceID,
		GivenName:     n.given,
		FamilyName:    n.family,
		PreferredName: n.preferred,
		Pronouns:      pronouns,
		DateOfBirth:   dob,
		Gender:        gender,
		Ethnicity:     n.bg.ethnicity,
		Address:       pl.fullAddress(r),
		Postcode:      pl.postcode(r),
		Languages:     "English",
		Version:       1,
		CreatedAt:     first,
		UpdatedAt:     first,
	}
	if gender == "Non-binary" && r.chance(0.7) {
		p.PreferredName = pick(r, neutralNames)
	}
	if len(n.bg.languages) > 0 && r.chance(0.6) {
		lang := pick(r, n.bg.languages)
		p.Languages = lang + ", English"
		if age >= 30 && r.chance(0.25) {
			p.Languages = lang
			p.NeedsInterpreter = true
		}
	}
	if r.chance(0.12) {
		p.AccessibilityNeeds = pick(r, accessNeeds)
	}

	// Contact: most have a mobile; some cannot use the phone or the
	// internet, and someone else makes contact for them.
	digitalPoverty := r.chance(0.08)
	if !digitalPoverty {
		p.Phone = mobile(r)
	}
	emailShare := 0.6
	if age < 18 {
		emailShare = 0.35
	}
	if !digitalPoverty && r.chance(emailShare) {
		p.Email = emailFor(r, n.given, n.family)
	}
	c := &p.Contact
	c.BestTimes = pick(r, bestTimes)
	c.SafeToLeaveMessage = r.chance(0.7)
	switch {
	case digitalPoverty:
		c.Channels = []linkwork.Channel{linkwork.ChannelVia, linkwork.ChannelLetter}
		c.Via = pick(r, []string{"Their support worker at the housing association", "Their daughter", "Their partner", "A neighbour"})
		if age < 18 {
			c.Via = "Their parent"
		}
		c.Notes = "No phone or internet at home."
	case age < 16:
		c.Channels = []linkwork.Channel{linkwork.ChannelText, linkwork.ChannelVia}
		c.Via = "Parent or carer"
		c.Notes = "Do not call while they are at school."
	case age <= 25:
		c.Channels = []linkwork.Channel{linkwork.ChannelText, linkwork.ChannelPhone}
		if p.Email != "" {
			c.Channels = append(c.Channels, linkwork.ChannelEmail)
		}
		if r.chance(0.3) {
			c.Notes = "Prefers texts; does not answer unknown numbers."
		}
	default:
		c.Channels = []linkwork.Channel{linkwork.ChannelPhone, linkwork.ChannelText}
		if p.Email != "" && r.chance(0.5) {
			c.Channels = []linkwork.Channel{linkwork.ChannelEmail, linkwork.ChannelPhone}
		}
		if r.chance(0.1) {
			c.Channels = append(c.Channels, linkwork.ChannelLetter)
		}
	}

	// School or work.
	school := func() string {
		if g.cfg.National {
			return g.localOrg(r, g.schools, at).name
		}
		return pick(r, g.schools).name
	}
	switch {
	case age < 16:
		p.SchoolOrWork = school() + ", Year " + strconv.Itoa(yearGroup(dob, first))
	case age < 18 && r.chance(0.5):
		p.SchoolOrWork = school() + " sixth form"
	case age <= 25:
		p.SchoolOrWork = pick(r, youthWork)
	default:
		p.SchoolOrWork = pick(r, adultWork)
		if age >= 67 {
			p.SchoolOrWork = "Retired"
		}
	}

	// Parents, guardians and carers of under-18s.
	if age < 18 {
		p.Guardians = g.guardians(r, n, age)
	}
	return &personCtx{p: p, place: pl, name: n, dob: dob, age0: age}
}

// guardians returns the parents or carers of a young person.
func (g *gen) guardians(r *rng, n name, age int) []linkwork.Guardian {
	type who struct {
		rel    string
		female bool
		pr     bool
		same   bool // shares the young person's family name
	}
	var ws []who
	switch x := r.float(); {
	case x < 0.5:
		ws = []who{{"mother", true, true, r.chance(0.8)}}
	case x < 0.62:
		ws = []who{{"father", false, true, true}}
	case x < 0.84:
		ws = []who{{"mother", true, true, true}, {"father", false, true, true}}
	case x < 0.9:
		ws = []who{{"mother", true, true, r.chance(0.5)}, {"stepfather", false, false, false}}
	case x < 0.95:
		ws = []who{{"foster carer", r.chance(0.7), false, false}}
	default:
		ws = []who{{"grandmother (kinship carer)", true, r.chance(0.6), true}}
	}
	out := make([]linkwork.Guardian, len(ws))
	for i, w := range ws {
		gender := "Male"
		if w.female {
			gender = "Female"
		}
		gn := newName(r, gender, 1970+r.intn(20))
		family := gn.family
		if w.same {
			family = n.family
		}
		gd := linkwork.Guardian{
			ID:                        r.uuid(),
			Name:                      gn.given + " " + family,
			Relationship:              w.rel,
			Phone:                     mobile(r),
			HasParentalResponsibility: w.pr,
			Involvement:               pick(r, guardianInvolvement),
		}
		if i == 0 && age < 16 && gd.Involvement == "not to be contacted" {
			gd.Involvement = "to be contacted first"
		}
		if r.chance(0.5) {
			gd.Email = emailFor(r, gn.given, family)
		}
		out[i] = gd
	}
	return out
}

// emailFor returns a personal address at a reserved example domain.
func emailFor(r *rng, given, family string) string {
	local := slug(given) + "." + slug(family)
	if r.chance(0.5) {
		local += strconv.Itoa(r.between(1, 99))
	}
	b := []byte(local)
	for i, c := range b {
		if c == '-' {
			b[i] = '.'
		}
	}
	return string(b) + pick(r, []string{"@example.com", "@example.net", "@example.org"})
}

// yearGroup returns the English school year a child born on dob is in at
// t: Year 7 is the first year of secondary school, the year they turn 12.
func yearGroup(dob linkwork.Date, t time.Time) int {
	academicStart := t.Year()
	if t.Month() < time.September {
		academicStart--
	}
	bornStart := dob.Year
	if dob.Month < time.September {
		bornStart--
	}
	return academicStart - bornStart - 5
}

// ageFor returns the age of someone referred through the pathway.
func ageFor(r *rng, p linkwork.Pathway) int {
	b := pathwayAgeTables[p].pick(r)
	return r.between(b.lo, min(b.hi, 79))
}

// recentDaysAgo returns how many days before now a referral arrived, over
// the last eighteen months, with more recent days more likely: the service
// has grown.
func recentDaysAgo(r *rng, span int) int {
	return int(float64(span) * (1 - math.Sqrt(r.float())))
}
