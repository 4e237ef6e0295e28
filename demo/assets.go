package demo

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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
		Capacity:      linkwork.Capacity{Status: linkwork.CapacityAccepting},
		MinAge:        act.minAge,
		MaxAge:        act.maxAge,
		CostOptions:   costOptions(r, act.cost),
		Schedules:     scheds,
		Accessibility: accessibility(r, v),
		Languages:     []string{"English"},
		YouthFriendly: act.youth || (act.maxAge > 0 && act.maxAge <= 25),
		BuddyWelcome:  act.buddy || r.chance(0.3),
		Version:       1,
	}
	if isOnline {
		a.Accessibility = accessibility(r, vOnline)
		a.Locations = []linkwork.Location{virtualLocation(r, org, name)}
		a.ServiceAreas = []string{g.serviceArea(p)}
	} else {
		a.Locations = []linkwork.Location{g.physicalLocation(r, p, where)}
		a.Description += " Meets at " + where + "."
		// Some activities run in two places, a session in each; some
		// can be joined online too.
		switch x := r.float(); {
		case !fixed && len(scheds) == 2 && x < 0.5, !fixed && len(scheds) == 1 && len(days) > 1 && x < 0.08:
			at2 := g.world.nearby(r, at, 0)
			p2 := &g.world.places[at2]
			where2 := venueName(r, pick(r, act.venues), strings.TrimSuffix(p2.area, " City Centre"))
			if where2 != where {
				second := g.physicalLocation(r, p2, where2)
				a.Locations = append(a.Locations, second)
				if len(scheds) == 1 {
					day := pick(r, days)
					if day == scheds[0].ByDay {
						day = days[(slices.Index(days, day)+1)%len(days)]
					}
					a.Schedules = append(a.Schedules, linkwork.Schedule{Freq: "WEEKLY", ByDay: day, OpensAt: act.opens, ClosesAt: act.closes})
				}
				a.Schedules[0].LocationID = a.Locations[0].ID
				a.Schedules[1].LocationID = second.ID
				a.Description += " Also at " + where2 + "."
			}
		case !fixed && x > 0.95:
			a.Locations = append(a.Locations, virtualLocation(r, org, name))
			a.Description += " You can join online too."
		}
		if r.chance(0.3) {
			a.ServiceAreas = []string{p.outcode}
		}
	}
	switch x := r.float(); {
	case x < 0.6:
		a.Phone = p.landline(r)
	case x < 0.85:
		a.Phone = mobile(r)
	}
	if r.chance(0.15) {
		a.Languages = append(a.Languages, pick(r, []string{"Urdu", "Polish", "Punjabi", "Arabic", "British Sign Language"}))
	}
	if fixed || r.chance(0.7) {
		a.Contacts = append(a.Contacts, contact(r, org, a.Phone))
		if r.chance(0.15) {
			a.Contacts = append(a.Contacts, contact(r, org, ""))
		}
	}
	if !fixed {
		switch x := r.float(); {
		case x < 0.05:
			a.Status, a.Capacity.Status = linkwork.AssetTempClosed, linkwork.CapacityClosed
			a.Description += " Closed for refurbishment of the venue; reopening soon."
		case x < 0.09:
			a.Status, a.Capacity.Status = linkwork.AssetInactive, linkwork.CapacityClosed
		case x < 0.21:
			a.Capacity.Status = linkwork.CapacityWaiting
		case x < 0.27:
			a.Capacity.Status = linkwork.CapacityFull
		}
		// Some listings ask for a referral, or for a link worker to make
		// contact, whatever the activity usually does.
		if act.join != linkwork.JoinReferral && r.chance(0.08) {
			a.HowToJoin = pick(r, []linkwork.HowToJoin{linkwork.JoinViaLinkWorker, linkwork.JoinSelfRefer})
		}
	}
	// Most listings that take a set number say how many places are free.
	if a.Capacity.Status != linkwork.CapacityClosed && r.chance(0.6) {
		maximum := 5 * r.between(2, 8)
		a.Capacity.Maximum = linkwork.Int(maximum)
		switch a.Capacity.Status {
		case linkwork.CapacityAccepting:
			a.Capacity.Available = linkwork.Int(r.between(1, maximum/2))
		default:
			a.Capacity.Available = linkwork.Int(0)
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
	a.Capacity.Updated = a.AssuredAt

	ref := assetRef{id: a.ID, org: org, minAge: a.MinAge, maxAge: a.MaxAge, free: a.Free(), join: a.HowToJoin,
		open: a.Status == linkwork.AssetActive && (a.Capacity.Status == linkwork.CapacityAccepting || a.Capacity.Status == linkwork.CapacityWaiting)}
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

// physicalLocation is a place at p named where, with an invented address
// and coordinates near the district's centre.
func (g *gen) physicalLocation(r *rng, p *place, where string) linkwork.Location {
	l := linkwork.Location{ID: r.uuid(), Type: linkwork.LocationPhysical, Name: where, Address1: streetAddress(r), City: p.town,
		StateProvince: countyOf(p.outcode), PostalCode: p.postcode(r), Country: "GB"}
	l.Lat, l.Lon = p.jitter(r)
	return l
}

// virtualLocation is where an activity meets online.
func virtualLocation(r *rng, org *orgRef, name string) linkwork.Location {
	return linkwork.Location{ID: r.uuid(), Type: linkwork.LocationVirtual, Name: pick(r, []string{"Online (Zoom)", "Online (Microsoft Teams)", "Online chat"}),
		URL: "https://" + org.domain + "/join/" + slugShort(name)}
}

// serviceArea is who an online activity is for: the people of Millbrook
// (its postcode area), or of Great Britain in a national city.
func (g *gen) serviceArea(p *place) string {
	if g.cfg.National {
		return "Great Britain"
	}
	return postArea(p.outcode)
}

// contact is someone at the organisation to ask about an activity.
func contact(r *rng, org *orgRef, phone string) linkwork.AssetContact {
	n := newName(r, "", 1960+r.intn(45))
	return linkwork.AssetContact{ID: r.uuid(), Name: n.given + " " + n.family,
		Title: pick(r, []string{"Session lead", "Youth worker", "Volunteer coordinator", "Coach", "Group facilitator", "Project worker"}),
		Email: slug(n.given) + "." + slug(n.family) + "@" + org.domain, Phone: phone}
}

var poundsRe = regexp.MustCompile(`£([0-9]+)(?:\.([0-9]{2}))?`)

// costOptions turns a catalogue cost into cost options: free when there is
// none. Otherwise the cost's first part is the price per session, with the
// amount it names (none when it names none, and then the whole cost is
// the description); each later part with an amount or "free" in it, such
// as "under-16s free", is an option of its own.
func costOptions(r *rng, cost string) []linkwork.CostOption {
	if cost == "" {
		opts := linkwork.FreeOfCharge()
		opts[0].ID = r.uuid()
		return opts
	}
	parts := strings.Split(cost, "; ")
	main := linkwork.CostOption{ID: r.uuid(), Option: "Per session", AmountDescription: parts[0], Amount: pence(parts[0])}
	if main.Amount == nil {
		main.AmountDescription = cost
		return []linkwork.CostOption{main}
	}
	opts := []linkwork.CostOption{main}
	for _, part := range parts[1:] {
		opt := linkwork.CostOption{ID: r.uuid(), Option: capitalise(part), Amount: pence(part)}
		if strings.Contains(strings.ToLower(part), "free") {
			opt.Amount = linkwork.Int(0)
		}
		if opt.Amount != nil {
			opts = append(opts, opt)
		} else {
			opts[0].AmountDescription += "; " + part
		}
	}
	return opts
}

// capitalise puts the first letter of s in upper case.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// pence is the first amount of money s names, or nil.
func pence(s string) *int {
	m := poundsRe.FindStringSubmatch(s)
	if m == nil {
		return nil
	}
	pounds, _ := strconv.Atoi(m[1])
	p, _ := strconv.Atoi(m[2] + strings.Repeat("0", 2-len(m[2])))
	return linkwork.Int(pounds*100 + p)
}

// countyOf names the county of a postcode district's area, as Open
// Referral UK addresses need (state_province): the ceremonial county, or
// for Scotland and Wales the area most of the postcode area lies in.
func countyOf(outcode string) string {
	if c, ok := counties[postArea(outcode)]; ok {
		return c
	}
	return "Great Britain"
}

var counties = map[string]string{
	"AB": "Aberdeenshire", "AL": "Hertfordshire", "B": "West Midlands", "BA": "Somerset", "BB": "Lancashire",
	"BD": "West Yorkshire", "BH": "Dorset", "BL": "Greater Manchester", "BN": "East Sussex", "BR": "Greater London",
	"BS": "Bristol", "CA": "Cumbria", "CB": "Cambridgeshire", "CF": "South Glamorgan", "CH": "Cheshire",
	"CM": "Essex", "CO": "Essex", "CR": "Greater London", "CT": "Kent", "CV": "West Midlands",
	"CW": "Cheshire", "DA": "Kent", "DD": "Angus", "DE": "Derbyshire", "DG": "Dumfries and Galloway",
	"DH": "County Durham", "DL": "County Durham", "DN": "South Yorkshire", "DT": "Dorset", "DY": "West Midlands",
	"E": "Greater London", "EC": "Greater London", "EH": "Midlothian", "EN": "Greater London", "EX": "Devon",
	"FK": "Stirlingshire", "FY": "Lancashire", "G": "Lanarkshire", "GL": "Gloucestershire", "GU": "Surrey",
	"HA": "Greater London", "HD": "West Yorkshire", "HG": "North Yorkshire", "HP": "Buckinghamshire",
	"HR": "Herefordshire", "HS": "Na h-Eileanan Siar", "HU": "East Riding of Yorkshire", "HX": "West Yorkshire", "IG": "Greater London",
	"IP": "Suffolk", "IV": "Highland", "KA": "Ayrshire", "KT": "Surrey", "KW": "Caithness", "KY": "Fife",
	"L": "Merseyside", "LA": "Lancashire", "LD": "Powys", "LE": "Leicestershire", "LL": "Gwynedd", "LN": "Lincolnshire",
	"LS": "West Yorkshire", "LU": "Bedfordshire", "M": "Greater Manchester", "ME": "Kent", "MK": "Buckinghamshire",
	"ML": "Lanarkshire", "N": "Greater London", "NE": "Tyne and Wear", "NG": "Nottinghamshire",
	"NN": "Northamptonshire", "NP": "Gwent", "NR": "Norfolk", "NW": "Greater London", "OL": "Greater Manchester",
	"OX": "Oxfordshire", "PA": "Renfrewshire", "PE": "Cambridgeshire", "PH": "Perthshire", "PL": "Devon",
	"PO": "Hampshire", "PR": "Lancashire", "RG": "Berkshire", "RH": "Surrey", "RM": "Greater London",
	"S": "South Yorkshire", "SA": "West Glamorgan", "SE": "Greater London", "SG": "Hertfordshire", "SK": "Greater Manchester",
	"SL": "Berkshire", "SM": "Greater London", "SN": "Wiltshire", "SO": "Hampshire", "SP": "Wiltshire",
	"SR": "Tyne and Wear", "SS": "Essex", "ST": "Staffordshire", "SW": "Greater London", "SY": "Shropshire",
	"TA": "Somerset", "TD": "Scottish Borders", "TF": "Shropshire", "TN": "Kent", "TQ": "Devon", "TR": "Cornwall",
	"TS": "North Yorkshire", "TW": "Greater London", "UB": "Greater London", "W": "Greater London", "WA": "Cheshire",
	"WC": "Greater London", "WD": "Hertfordshire", "WF": "West Yorkshire", "WN": "Greater Manchester",
	"WR": "Worcestershire", "WS": "West Midlands", "WV": "West Midlands", "YO": "North Yorkshire", "ZE": "Shetland",
}
