package demo

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

var levelTable = newWeighted(
	[]linkwork.ConnectionLevel{linkwork.LevelSignpost, linkwork.LevelRefer, linkwork.LevelBuddy, linkwork.LevelPhased},
	[]float64{35, 35, 20, 10},
)

// connStep is one planned move of a connection.
type connStep struct {
	to linkwork.ConnectionStatus
	at time.Time
}

// connectionPath plans the moves of a connection suggested at t, by its
// level: signposted people go along themselves; referrals go through the
// organisation, which may decline; buddied and phased connections are
// arranged with the organisation and attended together. Every move is one
// linkwork.ConnectionStatus.CanBecome allows.
func connectionPath(r *rng, level linkwork.ConnectionLevel, t time.Time, buf []connStep) []connStep {
	path := append(buf[:0], connStep{linkwork.ConnSuggested, t})
	next := func(to linkwork.ConnectionStatus, lo, hi int) {
		t = after(r, t, lo, hi)
		path = append(path, connStep{to, t})
	}
	attendAndStay := func() {
		next(linkwork.ConnAttended, 3, 14)
		switch x := r.float(); {
		case x < 0.62:
			next(linkwork.ConnContinuing, 14, 35)
			if r.chance(0.15) {
				next(linkwork.ConnDropped, 21, 60)
			}
		case x < 0.85:
			next(linkwork.ConnDropped, 7, 40)
		}
		// Otherwise went once and nobody has heard since.
	}
	switch level {
	case linkwork.LevelSignpost:
		if r.chance(0.25) {
			next(linkwork.ConnDropped, 7, 28) // never went
			return path
		}
		attendAndStay()
	case linkwork.LevelRefer:
		next(linkwork.ConnContacted, 1, 5)
		switch x := r.float(); {
		case x < 0.12:
			next(linkwork.ConnDeclined, 2, 10)
			return path
		case x < 0.2:
			next(linkwork.ConnDropped, 3, 14)
			return path
		}
		next(linkwork.ConnAccepted, 2, 10)
		attendAndStay()
	default: // buddy, phased
		next(linkwork.ConnAccepted, 1, 7)
		attendAndStay()
	}
	return path
}

// connections suggests activities to a person in a case: usually from the
// second or third session, one to three, near where they live, fitting
// their age and what they need.
func (g *gen) connections(r *rng, pc *personCtx, c *linkwork.Case, nd *need, attended []time.Time, reason linkwork.ClosureReason) {
	now := g.clock.now
	var want int
	switch {
	case len(attended) < 2:
		want = 0
	case reason == linkwork.ClosedGoalsMet || reason == linkwork.ClosedConnected:
		want = r.between(1, 3)
	case reason == linkwork.ClosedDisengaged || reason == linkwork.ClosedDeclined || reason == linkwork.ClosedNotSuitable:
		want = r.between(0, 1)
	default:
		want = r.between(1, 2)
	}
	var mask uint8
	for _, cat := range nd.cats {
		mask |= catBit(cat)
	}
	used := g.usedAssets[:0]
	home := g.world.byOutcode[pc.place.outcode]
	made := 0
	for i := 0; i < want+made && i < 4; i++ {
		k := min(1+i, len(attended)-1)
		t := afterMinutes(r, attended[k], 5, 60)
		if t.After(now) {
			break
		}
		a := g.pickAsset(r, home, pc.ageAt(t), mask, used)
		if a < 0 {
			break
		}
		used = append(used, a)
		ar := &g.assets[a]
		level := levelTable.pick(r)
		if ar.join == linkwork.JoinReferral || ar.join == linkwork.JoinViaLinkWorker {
			if level == linkwork.LevelSignpost {
				level = linkwork.LevelRefer
			}
		}
		path := connectionPath(r, level, t, g.connBuf)
		g.connBuf = path
		last := 0
		for last+1 < len(path) && !path[last+1].at.After(now) {
			last++
		}
		cn := &linkwork.Connection{
			ID: r.uuid(), CaseID: c.ID, PersonID: pc.p.ID, AssetID: ar.id,
			Level: level, Status: path[last].to, Note: pick(r, connectionNotes),
			Version: 1, CreatedAt: t, UpdatedAt: path[last].at,
		}
		if !ar.free && r.chance(0.35) {
			cn.Note = "Activity fund pays for the first sessions."
			g.fundPays(c, cn, linkwork.FundFees, r.between(6, 40)*50, "The first sessions' fees") // up to £20
		} else if r.chance(0.06) {
			cn.Note = "Bus fare paid from the activity fund for the first four weeks."
			g.fundPays(c, cn, linkwork.FundTravel, 4*250, "Four weeks' bus fares")
		}
		g.b.connections = append(g.b.connections, cn)
		// When an organisation cannot take someone, the link worker finds
		// another option.
		if cn.Status == linkwork.ConnDeclined {
			made++
		}
	}

	// Onward referrals to the community@ login's organisation awaiting its
	// answer, so that its inbox is never empty.
	open := c.Status == linkwork.CaseActive || c.Status == linkwork.CaseEnding
	if open && len(attended) > 0 && g.communityAwaiting < communityInbox && r.chance(0.5) {
		t := now.Add(-time.Duration(r.between(2*24*60, 10*24*60)) * time.Minute)
		if last := attended[len(attended)-1]; t.Before(last) {
			t = last
		}
		if a := g.pickCommunityAsset(r, pc.ageAt(t), used); a >= 0 {
			contacted := t.Add(time.Duration(r.between(30, 300)) * time.Minute)
			if contacted.After(now) {
				contacted = now
			}
			cn := &linkwork.Connection{
				ID: r.uuid(), CaseID: c.ID, PersonID: pc.p.ID, AssetID: g.assets[a].id,
				Level: linkwork.LevelRefer, Status: linkwork.ConnContacted,
				Note:    "Emailed the organiser with consent to introduce them; awaiting a reply.",
				Version: 1, CreatedAt: t, UpdatedAt: contacted,
			}
			g.b.connections = append(g.b.connections, cn)
			g.fundAsks(c, cn)
			g.communityAwaiting++
		}
	}
	g.usedAssets = used
}

// communityInbox is how many onward referrals await the community@
// login's answer.
const communityInbox = 8

// pickAsset returns an open activity near home that takes people of the
// age, preferring the categories in mask and skipping those already used,
// or -1 when there is none.
func (g *gen) pickAsset(r *rng, home int32, age int, mask uint8, used []int32) int32 {
	p := &g.world.places[home]
	try := func(a int32, wantCat bool) bool {
		ar := &g.assets[a]
		if !ar.open || !ar.fits(age) || (wantCat && ar.cats&mask == 0) {
			return false
		}
		for _, u := range used {
			if u == a {
				return false
			}
		}
		return true
	}
	for i := 0; i < 48; i++ {
		d := home
		if len(p.near) > 0 && r.chance(0.5) {
			d = p.near[r.intn(len(p.near))]
		}
		list := g.assetsAt[d]
		if len(list) == 0 {
			continue
		}
		if a := list[r.intn(len(list))]; try(a, i < 32) {
			return a
		}
	}
	for i := 0; i < 48; i++ {
		if a := int32(r.intn(len(g.assets))); try(a, false) {
			return a
		}
	}
	return -1
}

// pickCommunityAsset returns one of the community@ login's organisation's
// activities that takes people of the age, or -1.
func (g *gen) pickCommunityAsset(r *rng, age int, used []int32) int32 {
	n := len(g.communityAssets)
	start := r.intn(n)
	for i := 0; i < n; i++ {
		a := g.communityAssets[(start+i)%n]
		if !g.assets[a].fits(age) {
			continue
		}
		dup := false
		for _, u := range used {
			dup = dup || u == a
		}
		if !dup {
			return a
		}
	}
	return -1
}
