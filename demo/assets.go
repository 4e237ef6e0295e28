package demo

import (
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// assetRef is what the generator remembers of a listing, to connect people
// to it.
type assetRef struct {
	id             string
	org            *orgRef
	minAge, maxAge int
	cats           uint8 // a bit for each category, by its index in linkwork.Categories
	open           bool  // active and taking people, now or from a waiting list
	free           bool
	join           linkwork.HowToJoin
}

// fits reports whether the activity takes people of the age.
func (a *assetRef) fits(age int) bool {
	return age >= a.minAge && (a.maxAge == 0 || age <= a.maxAge)
}

func catBit(c linkwork.Category) uint8 {
	for i, x := range linkwork.Categories {
		if x == c {
			return 1 << i
		}
	}
	return 0
}

// byMainCategory groups the catalogue by each activity's main category.
var byMainCategory = func() map[linkwork.Category][]int {
	m := map[linkwork.Category][]int{}
	for i, a := range catalogue {
		m[a.cats[0]] = append(m[a.cats[0]], i)
	}
	return m
}()

// directory builds and sends every listing: the fixed ones first, then
// activities from the catalogue, taking the main categories in turn so that
// each has a fair share.
func (g *gen) directory() error {
	r := g.assetRNG
	g.assetsAt = make([][]int32, len(g.world.places))
	byName := map[string]*orgRef{}
	for _, o := range g.vcs {
		byName[o.name] = o
	}
	byTheme := map[themes][]*orgRef{}
	for _, o := range g.vcs {
		for t := thSport; t <= thCommunity; t <<= 1 {
			if o.themes&t != 0 {
				byTheme[t] = append(byTheme[t], o)
			}
		}
	}

	for _, f := range fixedAssets {
		org := byName[f.org]
		if org == nil {
			return errorf("no organisation %q for the listing %q", f.org, f.act.name)
		}
		at := g.world.at(f.outcode)
		if err := g.emitAsset(r, &f.act, org, at, f.venue, true); err != nil {
			return err
		}
		if org == g.community {
			g.communityAssets = append(g.communityAssets, int32(len(g.assets)-1))
		}
	}

	var bits []themes
	for i := len(fixedAssets); i < g.cfg.Assets; i++ {
		cat := linkwork.Categories[i%len(linkwork.Categories)]
		act := &catalogue[pick(r, byMainCategory[cat])]
		bits = bits[:0]
		for t := thSport; t <= thCommunity; t <<= 1 {
			if act.themes&t != 0 && len(byTheme[t]) > 0 {
				bits = append(bits, t)
			}
		}
		var org *orgRef
		if len(bits) == 0 {
			org = pick(r, g.vcs)
		} else {
			org = pick(r, byTheme[pick(r, bits)])
		}
		at := g.world.nearby(r, org.place, 0.6)
		if err := g.emitAsset(r, act, org, at, "", false); err != nil {
			return err
		}
	}
	return nil
}

// emitAsset makes a listing of the activity, run by org at the place, and
// sends it to the sink. A fixed listing is always active and accepting.
func (g *gen) emitAsset(r *rng, act *activity, org *orgRef, at int32, venueOverride string, fixed bool) error {
	p := &g.world.places[at]
	area := strings.TrimSuffix(p.area, " City Centre")
	isOnline := len(act.venues) == 1 && act.venues[0] == vOnline

	var v venue
	where := venueOverride
	if where == "" && !isOnline {
		v = pick(r, act.venues)
		where = venueName(r, v, area)
	}

	// Schedules: usually one session a week, sometimes two.
	days := act.days
	first := pick(r, days)
	scheds := []linkwork.Schedule{{Freq: "WEEKLY", ByDay: first, OpensAt: act.opens, ClosesAt: act.closes}}
	if fixed {
		scheds = scheds[:0]
		for _, d := range days {
			scheds = append(scheds, linkwork.Schedule{Freq: "WEEKLY", ByDay: d, OpensAt: act.opens, ClosesAt: act.closes})
		}
		first = days[0]
	} else if len(days) > 1 && r.chance(0.2) {
		second := pick(r, days)
		if second != first {
			scheds = append(scheds, linkwork.Schedule{Freq: "WEEKLY", ByDay: second, OpensAt: act.opens, ClosesAt: act.closes})
		}
	} else if r.chance(0.06) {
		scheds[0].Freq = "MONTHLY"
		scheds[0].Note = "First " + strings.TrimSuffix(dayNames[first], "s") + " of the month"
	}

	name := act.name
	if strings.IndexByte(name, '{') >= 0 {
		name = strings.NewReplacer("{area}", area, "{park}", parkName(area), "{venue}", where, "{day}", dayNames[first]).Replace(name)
	} else if !fixed && !isOnline {
		if strings.Contains(name, " — ") {
			name += " (" + area + ")"
		} else {
			name += " — " + area
		}
	}

	a := &linkwork.Asset{
		ID:            r.uuid(),
		OrgID:         org.id,
		Name:          name,
		Description:   act.desc,
		URL:           "https://" + org.domain + "/" + slugShort(name),
		Email:         org.email,
		Categories:    act.cats,
		Status:        linkwork.AssetActive,
		HowToJoin:     act.join,
		Capacity:      linkwork.CapacityAccepting,
		MinAge:        act.minAge,
		MaxAge:        act.maxAge,
		Free:          act.cost == "",
		CostNote:      act.cost,
		Online:        isOnline,
		Schedules:     scheds,
		Accessibility: accessibility(r, v),
		Languages:     "English",
		YouthFriendly: act.youth || (act.maxAge > 0 && act.maxAge <= 25),
		BuddyWelcome:  act.buddy || r.chance(0.3),
		Version:       1,
	}
	if isOnline {
		a.Accessibility = accessibility(r, vOnline)
	} else {
		a.Location = linkwork.Location{Name: where, Address: streetAddress(r), Town: p.town, Postcode: p.postcode(r)}
		a.Location.Lat, a.Location.Lon = p.jitter(r)
		a.Description += " Meets at " + where + "."
	}
	switch x := r.float(); {
	case x < 0.6:
		a.Phone = p.landline(r)
	case x < 0.85:
		a.Phone = mobile(r)
	}
	if r.chance(0.15) {
		a.Languages = pick(r, []string{"English, Urdu", "English, Polish", "English, Punjabi", "English, Arabic", "English, British Sign Language"})
	}
	if !fixed {
		switch x := r.float(); {
		case x < 0.05:
			a.Status, a.Capacity = linkwork.AssetTempClosed, linkwork.CapacityClosed
			a.Description += " Closed for refurbishment of the venue; reopening soon."
		case x < 0.09:
			a.Status, a.Capacity = linkwork.AssetInactive, linkwork.CapacityClosed
		case x < 0.21:
			a.Capacity = linkwork.CapacityWaiting
		case x < 0.27:
			a.Capacity = linkwork.CapacityFull
		}
		// Some listings ask for a referral, or for a link worker to make
		// contact, whatever the activity usually does.
		if act.join != linkwork.JoinReferral && r.chance(0.08) {
			a.HowToJoin = pick(r, []linkwork.HowToJoin{linkwork.JoinViaLinkWorker, linkwork.JoinSelfRefer})
		}
	}

	// Checked in the last year: most in the last six months; about a fifth
	// are past their verify-by date.
	var daysAgo int
	if fixed || r.chance(0.8) {
		daysAgo = r.between(1, 170)
	} else {
		daysAgo = r.between(190, 360)
	}
	a.AssuredAt = g.clock.daysAgo(r, daysAgo, 9, 17)
	a.VerifyBy = linkwork.DateOf(a.AssuredAt.AddDate(0, 6, 0))
	switch {
	case org == g.community && r.chance(0.7):
		a.AssuredBy = g.communityUser.id
	case r.chance(0.6):
		a.AssuredBy = g.coordinator.id
	default:
		a.AssuredBy = pick(r, g.linkWorkers).id
	}
	a.CreatedAt = g.setupTime(r)
	a.UpdatedAt = a.AssuredAt

	ref := assetRef{id: a.ID, org: org, minAge: a.MinAge, maxAge: a.MaxAge, free: a.Free, join: a.HowToJoin,
		open: a.Status == linkwork.AssetActive && (a.Capacity == linkwork.CapacityAccepting || a.Capacity == linkwork.CapacityWaiting)}
	for _, c := range a.Categories {
		ref.cats |= catBit(c)
	}
	g.assets = append(g.assets, ref)
	g.assetsAt[at] = append(g.assetsAt[at], int32(len(g.assets)-1))
	return g.sink.Asset(a)
}

// slugShort is a listing's URL path: its name as a slug of at most 60
// characters.
func slugShort(name string) string {
	s := slug(name)
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	return s
}
