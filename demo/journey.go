package demo

import (
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// bundle is one person's records, held until the person is complete and
// then sent in dependency order. It is reused from person to person.
type bundle struct {
	referrals   []*linkwork.Referral
	cases       []*linkwork.Case
	goals       []*linkwork.Goal
	contacts    []*linkwork.Contact
	connections []*linkwork.Connection
	// fundRequests are the requests to the service's funds towards the
	// connections.
	fundRequests []*linkwork.FundRequest
	measures     []*linkwork.MeasureResponse
	consents     []linkwork.Consent
}

func (b *bundle) reset() {
	clear(b.referrals)
	clear(b.cases)
	clear(b.goals)
	clear(b.contacts)
	clear(b.connections)
	clear(b.measures)
	clear(b.fundRequests)
	b.fundRequests = b.fundRequests[:0]
	b.referrals, b.cases, b.goals = b.referrals[:0], b.cases[:0], b.goals[:0]
	b.contacts, b.connections, b.measures = b.contacts[:0], b.connections[:0], b.measures[:0]
	b.consents = nil
}

// route is where triage is heading for a referral.
type route uint8

const (
	routeAccept route = iota
	routeDecline
	routeDefer
	routeWithdraw
)

// step is one planned change of a referral's status.
type step struct {
	to     linkwork.ReferralStatus
	at     time.Time
	by     string
	reason string
	onward string
}

// person generates one person and their journey, and sends them.
func (g *gen) person() error {
	r := g.peopleRNG
	b := &g.b
	b.reset()

	// One referral for most; some come back a second or third time.
	n := 1
	switch x := r.float(); {
	case x < 0.04:
		n = 3
	case x < 0.40:
		n = 2
	}
	pathway := pathwayTable.pick(r)
	if !g.cfg.National && g.demoGP < demoGPReferrals {
		// The first people in a city come from referrer@'s practice, so
		// that the referrer login always has referrals to follow, however
		// the random draws fall.
		pathway = linkwork.PathwayGP
	}
	age := ageFor(r, pathway)
	var recv time.Time
	switch n {
	case 1:
		recv = g.clock.daysAgo(r, recentDaysAgo(r, 540), 8, 20)
	case 2:
		recv = g.clock.daysAgo(r, r.between(330, 540), 8, 20)
	default:
		recv = g.clock.daysAgo(r, r.between(450, 540), 8, 20)
	}
	pc := g.newPerson(r, age, recv)

	for i := 0; i < n; i++ {
		if i > 0 {
			pathway = pathwayAt(r, pc.ageAt(recv))
		}
		end, done := g.journey(r, pc, pathway, recv, i == 0 && n == 3)
		if !done || i == n-1 {
			break
		}
		// Back some weeks or months later.
		earliest := end.Add(14 * day)
		room := int(g.clock.now.Sub(earliest) / time.Minute)
		if room < 24*60 {
			break
		}
		recv = earliest.Add(time.Duration(r.intn(room)) * time.Minute)
	}
	agreeToShareIfHandedOver(b)
	pc.p.Consents = b.consents
	for _, c := range b.consents {
		if c.RecordedAt.After(pc.p.UpdatedAt) {
			pc.p.UpdatedAt = c.RecordedAt
		}
	}
	if pc.p.Competence != nil && pc.p.Competence.DecidedAt.After(pc.p.UpdatedAt) {
		pc.p.UpdatedAt = pc.p.Competence.DecidedAt
	}
	return g.emitPerson(pc.p, b)
}

// agreeToShareIfHandedOver makes a person handed over to a group (a
// referral, buddying or a phased hand-over that went beyond a suggestion)
// one who agreed to their details going to community groups, as the
// service asks before it tells a group who they are. It draws no random
// numbers, so the rest of the city stays as it was.
func agreeToShareIfHandedOver(b *bundle) {
	shared := false
	for _, c := range b.connections {
		shared = shared || c.Level.HandsOver() && c.Status != linkwork.ConnSuggested
	}
	if !shared {
		return
	}
	for i := range b.consents {
		if b.consents[i].Kind == linkwork.ConsentShareCommunity {
			b.consents[i].Given = true
		}
	}
}

// demoGPReferrals is how many referrals referrer@'s practice makes at least.
const demoGPReferrals = 3

// pathwayAt returns the door someone of the age comes back through, in the
// usual proportions among the doors open to them.
func pathwayAt(r *rng, age int) linkwork.Pathway {
	for range 8 {
		if p := pathwayTable.pick(r); fitsPathway(p, age) {
			return p
		}
	}
	return linkwork.PathwaySelf
}

// emitPerson sends a person and their records in dependency order.
func (g *gen) emitPerson(p *linkwork.Person, b *bundle) error {
	if err := g.placePerson(p); err != nil {
		return err
	}
	if err := g.sink.Person(p); err != nil {
		return err
	}
	for _, x := range b.referrals {
		if err := g.sink.Referral(x); err != nil {
			return err
		}
	}
	for _, x := range b.cases {
		if err := g.sink.Case(x); err != nil {
			return err
		}
	}
	for _, x := range b.goals {
		if err := g.sink.Goal(x); err != nil {
			return err
		}
	}
	for _, x := range b.contacts {
		if err := g.sink.Contact(x); err != nil {
			return err
		}
	}
	for _, x := range b.connections {
		if err := g.sink.Connection(x); err != nil {
			return err
		}
	}
	for _, x := range b.fundRequests {
		if err := g.sink.FundRequest(x); err != nil {
			return err
		}
	}
	for _, x := range b.measures {
		if err := g.sink.Measure(x); err != nil {
			return err
		}
	}
	return nil
}

// journey generates one referral and what followed it, up to now. It
// returns when the journey ended and whether it has: declined, withdrawn,
// or accepted with the case closed. quick asks for a journey that ends
// soon (triage decides straight away), to leave room for more referrals.
func (g *gen) journey(r *rng, pc *personCtx, pathway linkwork.Pathway, recv time.Time, quick bool) (time.Time, bool) {
	b := &g.b
	now := g.clock.now
	age := pc.ageAt(recv)
	nd := &needs[pick(r, needsFor(age))]

	ref := &linkwork.Referral{
		ID:           r.uuid(),
		ServiceOrgID: g.serviceID,
		PersonID:     pc.p.ID,
		// Lists carry the person's date of birth; the store keeps a copy
		// on each referral for the triage queue's age bands.
		PersonDateOfBirth: pc.p.DateOfBirth,
		Pathway:           pathway,
		Reasons:           nd.reason(r, age),
		WhatTheyWant:      pick(r, nd.wants),
		PersonAware:       new(pathway == linkwork.PathwaySelf || pathway == linkwork.PathwayHub || r.chance(0.93)),
		ConsentReferral:   true,
		ConsentSharing:    r.chance(0.8),
		ReceivedAt:        recv,
		UpdatedAt:         recv,
		Version:           1,
	}
	g.setReferrer(r, ref, pc, age)
	if pathway == linkwork.PathwaySchool {
		if y := yearGroup(pc.dob, recv); y >= 7 && y <= 13 {
			ref.YearGroup = "Year " + strconv.Itoa(y)
		}
	}
	b.referrals = append(b.referrals, ref)
	g.consent(pc, linkwork.ConsentReferral, true, age, recv, recordedBy(ref.ReferrerUserID))
	if len(b.referrals) == 1 {
		g.consent(pc, linkwork.ConsentShareReferrer, ref.ConsentSharing, age, recv, recordedBy(ref.ReferrerUserID))
		if age < 18 {
			g.consent(pc, linkwork.ConsentContactGuard, r.chance(0.85), age, recv, recordedBy(ref.ReferrerUserID))
		}
	}

	// The risk screen and where triage is heading.
	sl := linkwork.StreetlightGreen
	switch x := r.float(); {
	case x < 0.05:
		sl = linkwork.StreetlightRed
	case x < 0.25:
		sl = linkwork.StreetlightAmber
	}
	var rt route
	x := r.float()
	switch {
	case age < 13:
		sl, rt = linkwork.StreetlightGreen, routeDecline
	case sl == linkwork.StreetlightRed:
		rt = routeDecline
	case sl == linkwork.StreetlightAmber:
		rt = [...]route{routeAccept, routeDefer, routeDecline, routeWithdraw}[pickIndex(x, 0.55, 0.75, 0.9)]
	default:
		rt = [...]route{routeAccept, routeDecline, routeWithdraw, routeDefer}[pickIndex(x, 0.78, 0.85, 0.93)]
	}
	if quick && rt == routeDefer {
		rt = routeWithdraw
	}

	// Plan the steps, then keep those that have happened by now.
	var steps [6]step
	st := steps[:0]
	cur := recv
	if !(rt == routeAccept || rt == routeDecline) || sl != linkwork.StreetlightGreen || !(quick || r.chance(0.1)) {
		cur = after(r, cur, 0, 3)
		st = append(st, step{to: linkwork.ReferralTriage, at: cur, by: g.triager(r)})
	}
	switch sl {
	case linkwork.StreetlightRed:
		cur = after(r, cur, 0, 1)
	case linkwork.StreetlightAmber:
		cur = after(r, cur, 5, 18) // the weekly team meeting
	default:
		cur = after(r, cur, 2, 10)
	}
	decide := func(rt route, at time.Time) {
		s := step{at: at, by: g.triager(r)}
		switch rt {
		case routeAccept:
			s.to, s.reason = linkwork.ReferralAccepted, pick(r, acceptGreen)
			if sl == linkwork.StreetlightAmber {
				s.reason = pick(r, acceptAmber)
			}
		case routeWithdraw:
			s.to, s.reason = linkwork.ReferralWithdrawn, pick(r, withdrawReasons)
			if ref.ReferrerUserID != "" && r.chance(0.15) {
				s.reason = withdrawnByReferrer
			}
		case routeDecline:
			s.to = linkwork.ReferralDeclined
			switch {
			case age < 13:
				s.reason, s.onward = declineUnder13.reason, declineUnder13.onward
			case sl == linkwork.StreetlightRed:
				d := pick(r, declineRed)
				s.reason, s.onward = d.reason, d.onward
				if age < 18 {
					s.onward = d.onwardYouth
				}
			default:
				d := pick(r, declineOther)
				s.reason, s.onward = d.reason, d.onward
			}
		}
		st = append(st, s)
	}
	var deferUntil linkwork.Date
	if rt == routeDefer {
		st = append(st, step{to: linkwork.ReferralDeferred, at: cur, by: g.triager(r), reason: pick(r, deferReasons)})
		until := linkwork.DateOf(cur).Time().AddDate(0, 0, r.between(14, 56))
		deferUntil = linkwork.DateOf(until)
		back := workingTime(until.Add(time.Duration(r.between(9*60, 9*60+4*24*60)) * time.Minute))
		st = append(st, step{to: linkwork.ReferralTriage, at: back, by: "system", reason: "Deferral date reached"})
		next := [...]route{routeAccept, routeDecline, routeWithdraw}[pickIndex(r.float(), 0.7, 0.9)]
		decide(next, after(r, back, 1, 7))
	} else {
		decide(rt, cur)
	}
	kept := 0
	for kept < len(st) && !st[kept].at.After(now) {
		kept++
	}
	st = st[:kept]

	// The referral as it stands now.
	ref.Status = linkwork.ReferralReceived
	from := linkwork.ReferralReceived
	ref.Transitions = make([]linkwork.ReferralTransition, len(st))
	for i, s := range st {
		ref.Transitions[i] = linkwork.ReferralTransition{From: from, To: s.to, At: s.at, ByID: s.by, Reason: s.reason}
		from = s.to
		ref.Status = s.to
		ref.UpdatedAt = s.at
		if s.to != linkwork.ReferralTriage {
			ref.DecidedAt = s.at
			ref.StatusReason = s.reason
			ref.OnwardDestination = s.onward
		}
	}
	risk := sl // what the referral says, before triage has rated it
	switch ref.Status {
	case linkwork.ReferralReceived:
		sl = linkwork.StreetlightUnrated
	case linkwork.ReferralTriage:
		if sl == linkwork.StreetlightGreen && r.chance(0.3) {
			sl = linkwork.StreetlightUnrated // not screened yet
		}
		// Back in triage after a deferral: the next decision is pending.
		ref.StatusReason, ref.OnwardDestination, ref.DecidedAt = "", "", time.Time{}
	case linkwork.ReferralDeferred:
		ref.DeferUntil = deferUntil
		// Some deferrals are due back today or overdue: the dashboard's
		// "due back" list.
		if r.chance(0.35) {
			due := linkwork.DateOf(g.clock.midnight.AddDate(0, 0, -r.between(0, 4)))
			if linkwork.DateOf(ref.DecidedAt).Before(due) {
				ref.DeferUntil = due
			}
		}
	}
	ref.Streetlight = sl
	switch risk {
	case linkwork.StreetlightRed:
		ref.Risks = pick(r, risksRed)
	case linkwork.StreetlightAmber:
		ref.Risks = pick(r, risksAmber)
	default:
		ref.Risks = pick(r, risksGreen)
	}
	screen(ref, pc.p, risk)

	switch ref.Status {
	case linkwork.ReferralDeclined, linkwork.ReferralWithdrawn:
		return ref.DecidedAt, true
	case linkwork.ReferralAccepted:
		return g.support(r, pc, ref, nd, ref.DecidedAt)
	}
	return time.Time{}, false
}

// pickIndex returns the index of the first bound x is below, or the number
// of bounds.
func pickIndex(x float64, bounds ...float64) int {
	for i, b := range bounds {
		if x < b {
			return i
		}
	}
	return len(bounds)
}

// triager returns who moved a referral: the coordinator or a link worker.
func (g *gen) triager(r *rng) string {
	if r.chance(0.4) {
		return g.coordinator.id
	}
	return pick(r, g.linkWorkers).id
}

// recordedBy is who recorded a consent given with a referral: the referrer,
// or the system for the public form.
func recordedBy(userID string) string {
	if userID == "" {
		return "system"
	}
	return userID
}

// consent records a consent on the person being generated.
func (g *gen) consent(pc *personCtx, kind linkwork.ConsentKind, given bool, age int, at time.Time, by string) {
	c := linkwork.Consent{ID: g.peopleRNG.uuid(), Kind: kind, Given: given, GivenBy: "self", RecordedAt: at, RecordedBy: by}
	if age < 16 && (pc.p.Competence == nil || !pc.p.Competence.Competent) {
		c.GivenBy = "parent/guardian"
	}
	g.b.consents = append(g.b.consents, c)
}

// setReferrer fills in who referred, consistently with the pathway.
func (g *gen) setReferrer(r *rng, ref *linkwork.Referral, pc *personCtx, age int) {
	home := g.world.byOutcode[pc.place.outcode]
	practitioner := func(orgs []*orgRef) {
		o := g.localOrg(r, orgs, home)
		ref.ReferrerOrgID = o.id
		if len(o.referrers) > 0 {
			u := pick(r, o.referrers)
			ref.ReferrerUserID, ref.ReferrerName, ref.ReferrerRole, ref.ReferrerContact = u.id, u.name, u.title, u.email
		} else {
			n := newName(r, "", 1965+r.intn(30))
			ref.ReferrerName, ref.ReferrerContact = n.given+" "+n.family, o.email
			ref.ReferrerRole = "Practitioner"
			if o.kind == linkwork.OrgGPPractice {
				ref.ReferrerName, ref.ReferrerRole = "Dr "+ref.ReferrerName, "GP"
			}
		}
		ref.Mode = linkwork.ModeReferral
		if r.chance(0.12) {
			ref.Mode = linkwork.ModeSignposting
		}
	}
	switch ref.Pathway {
	case linkwork.PathwayGP:
		if !g.cfg.National && (r.chance(0.35) || g.demoGP < demoGPReferrals) {
			practitioner(g.gps[:1]) // referrer@'s practice
			g.demoGP++
		} else {
			practitioner(g.gps)
		}
	case linkwork.PathwaySchool:
		practitioner(g.schools)
	case linkwork.PathwayCAMHS:
		practitioner(g.camhs)
	case linkwork.PathwayHealth:
		practitioner(g.health)
	case linkwork.PathwaySocialCare:
		adults := age >= 26 || (age >= 18 && r.chance(0.5))
		teams := g.childrenSC
		if adults {
			teams = g.adultSC
		}
		practitioner(teams)
	case linkwork.PathwayHub:
		practitioner(g.hubs)
		ref.Mode = linkwork.ModeSelfReferral
		if r.chance(0.3) {
			ref.Mode = linkwork.ModeSignposting
		}
	case linkwork.PathwayVCS:
		o := g.localOrg(r, g.vcs, home)
		n := newName(r, "", 1970+r.intn(30))
		ref.ReferrerOrgID = o.id
		ref.ReferrerName = n.given + " " + n.family
		ref.ReferrerRole = pick(r, []string{"Youth worker", "Volunteer coordinator", "Project worker", "Support worker", "Group leader"})
		ref.ReferrerContact = g.staffEmailLocal(n.given, n.family) + "@" + o.domain
		ref.Mode = linkwork.ModeSignposting
		if r.chance(0.4) {
			ref.Mode = linkwork.ModeReferral
		}
	case linkwork.PathwayFamily:
		ref.Mode = linkwork.ModeSignposting
		if r.chance(0.45) {
			ref.Mode = linkwork.ModeReferral
		}
		if gs := pc.p.Guardians; len(gs) > 0 {
			gd := gs[0]
			ref.ReferrerName, ref.ReferrerRole, ref.ReferrerContact = gd.Name, gd.Relationship, gd.Phone
			return
		}
		rel := "mother"
		switch {
		case age >= 40:
			rel = pick(r, []string{"daughter", "son", "partner", "sister"})
		case r.chance(0.35):
			rel = pick(r, []string{"father", "sister", "aunt", "grandmother"})
		}
		n := newName(r, "", 1960+r.intn(40))
		ref.ReferrerName, ref.ReferrerRole, ref.ReferrerContact = n.given+" "+pc.p.FamilyName, rel, mobile(r)
	default: // self
		ref.Mode = linkwork.ModeSelfReferral
		ref.ReferrerName = pc.p.DisplayName()
		ref.ReferrerRole = "self"
		ref.ReferrerContact = pc.p.Phone
		if ref.ReferrerContact == "" {
			ref.ReferrerContact = pc.p.Email
		}
		if ref.ReferrerContact == "" {
			ref.ReferrerContact = "By letter: " + pc.p.Address + ", " + pc.p.Postcode
		}
	}
}

// localOrg returns one of the organisations: in Millbrook any of them, and
// across the nation the nearest to home of a handful chosen at random.
func (g *gen) localOrg(r *rng, orgs []*orgRef, home int32) *orgRef {
	if !g.cfg.National || len(orgs) == 1 {
		return pick(r, orgs)
	}
	h := &g.world.places[home]
	var best *orgRef
	bestD := 0.0
	for range 16 {
		o := pick(r, orgs)
		p := &g.world.places[o.place]
		dy, dx := p.lat-h.lat, (p.lon-h.lon)*0.6 // cos(53°)
		if d := dx*dx + dy*dy; best == nil || d < bestD {
			best, bestD = o, d
		}
	}
	return best
}

// staffEmailLocal is the part of a work address before the @.
func (g *gen) staffEmailLocal(given, family string) string {
	b := []byte(slug(given) + "." + slug(family))
	out := b[:0]
	for _, c := range b {
		if c != '-' {
			out = append(out, c)
		}
	}
	return string(out)
}

// screen answers a referral's two screening questions as its risks say,
// and screens it as the service does: a possible risk in a referral still
// waiting to be read is flagged for review today; one that triage has
// read was reviewed the day it arrived, by whoever first moved it on.
func screen(ref *linkwork.Referral, p *linkwork.Person, risk linkwork.Streetlight) {
	ref.SafeNow, ref.HarmThoughts = linkwork.AnswerYes, linkwork.AnswerNo
	said := strings.ToLower(ref.Risks)
	switch {
	case strings.Contains(said, "abuse at home"):
		ref.SafeNow = linkwork.AnswerNo
	case risk == linkwork.StreetlightRed:
		ref.SafeNow = linkwork.AnswerNotSure
	}
	switch {
	case strings.Contains(said, "suicidal") || strings.Contains(said, "overdose") || strings.Contains(said, "hurt themselves"):
		ref.HarmThoughts = linkwork.AnswerYes
	case strings.Contains(said, "self-harm") || strings.Contains(said, "not wanting to be here"):
		ref.HarmThoughts = linkwork.AnswerNotSure
	}
	ref.Risk = linkwork.RiskFlag{Matched: linkwork.ScreenRisk(ref, p, linkwork.DefaultRiskPhrases)}
	if len(ref.Risk.Matched) == 0 {
		return
	}
	if ref.Status == linkwork.ReferralReceived || len(ref.Transitions) == 0 {
		ref.Risk.State = linkwork.RiskReviewToday
		return
	}
	first := ref.Transitions[0]
	ref.Risk.DecidedBy, ref.Risk.DecidedAt = first.ByID, ref.ReceivedAt.Add(2*time.Hour)
	if first.At.Before(ref.Risk.DecidedAt) {
		ref.Risk.DecidedAt = first.At
	}
	if risk == linkwork.StreetlightGreen {
		ref.Risk.State, ref.Risk.Note = linkwork.RiskNotARisk, riskNotARisk
	} else {
		ref.Risk.State, ref.Risk.Note = linkwork.RiskActedOn, riskActedOn[risk]
	}
}
