// Package match ranks the directory's activities for one person: the
// shortlist a link worker sees on a case page. It is pure: it takes a
// Profile of the person and the candidate Listings with what is known of
// them, and returns the best suggestions, each with a score and the
// reasons for it in sentences a link worker can read aloud. It reads no
// store and knows no one's name; the caller gathers the candidates.
//
// # Weights
//
// A listing's score is the sum of points, so that one clear reason not to
// go outweighs any number of small reasons to:
//
//   - Needs: +30 for each of the person's need domains that one of the
//     listing's categories serves (see Serves), at most +60; +5 for each
//     word of the person's own words about their needs found in the
//     listing's name or description, at most +15. This is what the
//     shortlist is for, so it weighs most among the reasons to go.
//   - Age: -100 when the person's age is outside the listing's ages. An
//     activity they cannot join ranks below every one they can.
//   - Distance: an in-person activity within the person's travel distance
//     (DefaultTravel when not stated) scores up to +25, falling in a
//     straight line to 0 at the limit; one further away -40. An online
//     activity scores +10: it is always within reach, but meeting people
//     in person is what social prescribing is after. Without a point for
//     the person, distance scores nothing.
//   - Capacity now: +20 taking people, -10 a waiting list, -60 full, -100
//     not taking anyone. A full group is a suggestion the person cannot
//     take up this month.
//   - Cost: +10 free; +5 costing no more than the funds the person can
//     draw on; -20 costing more; nothing when the cost is not stated or
//     their funds are not known.
//   - How to join: +5 drop in or contact them directly (nothing stands
//     between the person and going).
//   - Youth-friendliness: +10 for a young person (Profile.Youth) when the
//     listing is youth-friendly.
//   - Buddying: +5 when a link worker may come along the first time.
//   - Freshness: -10 when the listing is past its verify-by date: what it
//     says may no longer be true.
//   - Uptake: only when at least MinUptake people like this person (their
//     age band) were connected there, so that no one can be picked out and
//     a chance few do not steer the list: up to ±20, +20 when every one of
//     them fared well (kept going, or said they liked it), -20 when none
//     did, 0 at half.
//
// Ties keep the order the listings were given in.
package match

import (
	"fmt"
	"math"
	"strings"

	linkwork "github.com/linkwork/linkwork"
)

// The weights, as the package documentation explains them.
const (
	WeightNeed        = 30
	MaxNeedPoints     = 60
	WeightWord        = 5
	MaxWordPoints     = 15
	PenaltyAge        = -100
	WeightNear        = 25
	PenaltyFar        = -40
	WeightOnline      = 10
	WeightAccepting   = 20
	PenaltyWaiting    = -10
	PenaltyFull       = -60
	PenaltyClosed     = -100
	WeightFree        = 10
	WeightAffordable  = 5
	PenaltyCostly     = -20
	WeightEasyJoin    = 5
	WeightYouth       = 10
	WeightBuddy       = 5
	PenaltyStale      = -10
	WeightUptake      = 20
	MinUptake         = 5
	DefaultTravel     = 5000.0 // metres
	DefaultSuggestion = 5
)

// Profile is what the ranking knows of the person.
type Profile struct {
	Age int // in years; 0 when not known
	// Near is where they live; nil when their postcode is not known.
	Near *linkwork.Point
	// Travel is how far they will go, in metres; 0 means DefaultTravel.
	Travel float64
	Needs  []linkwork.CaseNeed
	// Youth is true for a young person, for whom youth-friendliness counts.
	Youth bool
	// Funds is what they can draw on towards an activity, in pence a
	// session, when FundsKnown.
	Funds      int
	FundsKnown bool
}

// Uptake is how people like the person fared at a listing: of People
// connected there, KeptGoing attended and kept going, and LikedIt more
// (who did not keep going) told their link worker they liked it.
type Uptake struct {
	People, KeptGoing, LikedIt int
}

// Listing is a candidate activity with what the ranking weighs.
type Listing struct {
	ID, Name   string
	Categories []linkwork.Category
	// Text is the listing's name and description in lower case, for the
	// person's own words to be found in.
	Text           string
	MinAge, MaxAge int // 0: no limit
	// Distance is how far its nearest place is from the person, in metres,
	// when HasDistance.
	Distance    float64
	HasDistance bool
	Online      bool
	// Cost is the cheapest stated cost of a session in pence, when
	// CostKnown.
	Cost          int
	CostKnown     bool
	HowToJoin     linkwork.HowToJoin
	Capacity      linkwork.CapacityStatus
	YouthFriendly bool
	BuddyWelcome  bool
	Stale         bool
	Uptake        Uptake
}

// Suggestion is one ranked listing, with why.
type Suggestion struct {
	ID, Name string
	Score    int
	Reasons  []string
}

// serves says which categories meet each need domain.
var serves = map[linkwork.NeedDomain][]linkwork.Category{
	linkwork.NeedWellbeing:   {linkwork.CategoryWellbeing, linkwork.CategorySelfCare, linkwork.CategoryCreative},
	linkwork.NeedLoneliness:  {linkwork.CategorySocial, linkwork.CategoryCreative},
	linkwork.NeedActivity:    {linkwork.CategorySports},
	linkwork.NeedHealth:      {linkwork.CategorySports, linkwork.CategorySelfCare},
	linkwork.NeedFamily:      {linkwork.CategorySocial, linkwork.CategoryWellbeing},
	linkwork.NeedFriends:     {linkwork.CategorySocial, linkwork.CategorySports, linkwork.CategoryCreative},
	linkwork.NeedSchoolWork:  {linkwork.CategoryVocational},
	linkwork.NeedMoney:       {linkwork.CategoryVocational},
	linkwork.NeedHousing:     {linkwork.CategoryWellbeing},
	linkwork.NeedBenefits:    {linkwork.CategoryWellbeing},
	linkwork.NeedBereavement: {linkwork.CategoryWellbeing, linkwork.CategorySocial},
	linkwork.NeedCaring:      {linkwork.CategoryWellbeing, linkwork.CategorySocial},
	linkwork.NeedConfidence:  {linkwork.CategoryCreative, linkwork.CategorySocial, linkwork.CategoryVocational},
	linkwork.NeedLearning:    {linkwork.CategoryVocational, linkwork.CategoryIndoor},
}

// Serves reports whether a listing in category c meets need domain d.
func Serves(d linkwork.NeedDomain, c linkwork.Category) bool {
	for _, x := range serves[d] {
		if x == c {
			return true
		}
	}
	return false
}

// Categories lists the categories that meet any of the needs, for a
// caller to narrow its candidates by.
func Categories(needs []linkwork.CaseNeed) []linkwork.Category {
	var out []linkwork.Category
	for _, n := range needs {
		for _, c := range serves[n.Domain] {
			if !contains(out, c) {
				out = append(out, c)
			}
		}
	}
	return out
}

func contains[T comparable](xs []T, x T) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// words are the person's own words worth looking for: lower case, at
// least four letters, each once.
func words(needs []linkwork.CaseNeed) []string {
	var out []string
	for _, n := range needs {
		for _, w := range strings.FieldsFunc(strings.ToLower(n.Words), func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 127)
		}) {
			if len([]rune(w)) >= 4 && !contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// scorer holds what Rank works out once for the person.
type scorer struct {
	p      Profile
	travel float64
	words  []string
	// serving holds, for each of the person's needs, the categories that
	// serve it: looked up once, not once a listing.
	serving [][]linkwork.Category
}

func newScorer(p Profile) scorer {
	t := p.Travel
	if t <= 0 {
		t = DefaultTravel
	}
	s := scorer{p: p, travel: t, words: words(p.Needs)}
	for _, n := range p.Needs {
		s.serving = append(s.serving, serves[n.Domain])
	}
	return s
}

// score is l's score; with why set, it also says why.
func (s *scorer) score(l *Listing, why bool) (int, []string) {
	total := 0
	n := notes{on: why}

	// Needs.
	needPts := 0
	var met []string
	for k, n := range s.p.Needs {
		for _, c := range l.Categories {
			if contains(s.serving[k], c) {
				needPts += WeightNeed
				if why {
					met = append(met, strings.ToLower(n.Domain.Label()))
				}
				break
			}
		}
	}
	total += min(needPts, MaxNeedPoints)
	if why && len(met) > 0 {
		n.say("It can help with %s.", join(met))
	}
	if len(s.words) > 0 {
		text := l.Text
		wordPts := 0
		var found []string
		for _, w := range s.words {
			if strings.Contains(text, w) {
				wordPts += WeightWord
				if why {
					found = append(found, "“"+w+"”")
				}
			}
		}
		total += min(wordPts, MaxWordPoints)
		if why && len(found) > 0 {
			n.say("It mentions %s, from what they said about their needs.", join(found))
		}
	}

	// Age.
	if a := s.p.Age; a > 0 && (l.MinAge > 0 && a < l.MinAge || l.MaxAge > 0 && a > l.MaxAge) {
		total += PenaltyAge
		if why {
			n.say("It is for ages %s, and they are %d.", ages(l.MinAge, l.MaxAge), a)
		}
	}

	// Distance.
	switch {
	case l.HasDistance && l.Distance <= s.travel:
		total += int(math.Round(WeightNear * (1 - l.Distance/s.travel)))
		if why {
			n.say("It is %s from their home.", distance(l.Distance))
		}
	case l.HasDistance:
		total += PenaltyFar
		if why {
			n.say("It is %s away, further than they travel.", distance(l.Distance))
		}
	case l.Online:
		total += WeightOnline
		n.say("They can join it online.")
	}

	// Capacity.
	switch l.Capacity {
	case linkwork.CapacityAccepting:
		total += WeightAccepting
		n.say("It is taking people now.")
	case linkwork.CapacityWaiting:
		total += PenaltyWaiting
		n.say("It has a waiting list.")
	case linkwork.CapacityFull:
		total += PenaltyFull
		n.say("It is full at the moment.")
	case linkwork.CapacityClosed:
		total += PenaltyClosed
		n.say("It is not taking anyone at the moment.")
	}

	// Cost.
	if l.CostKnown {
		switch {
		case l.Cost == 0:
			total += WeightFree
			n.say("It is free.")
		case !s.p.FundsKnown:
			if why {
				n.say("It costs %s a session.", pounds(l.Cost))
			}
		case l.Cost <= s.p.Funds:
			total += WeightAffordable
			if why {
				n.say("It costs %s a session, within the funds they can draw on.", pounds(l.Cost))
			}
		default:
			total += PenaltyCostly
			if why {
				n.say("It costs %s a session, more than the funds they can draw on.", pounds(l.Cost))
			}
		}
	}

	if l.HowToJoin == linkwork.JoinDropIn || l.HowToJoin == linkwork.JoinSelfRefer {
		total += WeightEasyJoin
		if why {
			n.say("They can %s.", map[linkwork.HowToJoin]string{linkwork.JoinDropIn: "just drop in", linkwork.JoinSelfRefer: "contact them directly"}[l.HowToJoin])
		}
	}
	if s.p.Youth && l.YouthFriendly {
		total += WeightYouth
		n.say("It is youth-friendly.")
	}
	if l.BuddyWelcome {
		total += WeightBuddy
		n.say("A link worker can go with them the first time.")
	}
	if l.Stale {
		total += PenaltyStale
		n.say("Its details are due to be checked, so check them with the organisation.")
	}

	// Uptake.
	if u := l.Uptake; u.People >= MinUptake {
		rate := float64(u.KeptGoing+u.LikedIt) / float64(u.People)
		total += int(math.Round(WeightUptake * (2*rate - 1)))
		if why {
			if u.LikedIt > 0 {
				n.say("Of %d people of their age connected there, %d went and kept going and %d more said they liked it.", u.People, u.KeptGoing, u.LikedIt)
			} else {
				n.say("Of %d people of their age connected there, %d went and kept going.", u.People, u.KeptGoing)
			}
		}
	}
	return total, n.list
}

// notes gathers the reasons for a score when on.
type notes struct {
	on   bool
	list []string
}

func (n *notes) say(f string, a ...any) {
	if n.on {
		n.list = append(n.list, fmt.Sprintf(f, a...))
	}
}

// Rank scores every listing for the person and returns the best n (at
// most; DefaultSuggestion when n is 0), highest score first, each with
// its reasons. Reasons are worked out only for those returned.
func Rank(p Profile, listings []Listing, n int) []Suggestion {
	if n <= 0 {
		n = DefaultSuggestion
	}
	s := newScorer(p)
	// top holds the indexes of the best so far, best first: a small
	// insertion list, since n is a handful and listings many.
	type hit struct{ i, score int }
	top := make([]hit, 0, n+1)
	for i := range listings {
		sc, _ := s.score(&listings[i], false)
		if len(top) == n && sc <= top[n-1].score {
			continue
		}
		j := len(top)
		for j > 0 && top[j-1].score < sc {
			j--
		}
		top = append(top, hit{})
		copy(top[j+1:], top[j:])
		top[j] = hit{i, sc}
		if len(top) > n {
			top = top[:n]
		}
	}
	out := make([]Suggestion, len(top))
	for k, h := range top {
		l := &listings[h.i]
		sc, why := s.score(l, true)
		out[k] = Suggestion{ID: l.ID, Name: l.Name, Score: sc, Reasons: why}
	}
	return out
}

func join(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func ages(lo, hi int) string {
	switch {
	case lo > 0 && hi > 0:
		return fmt.Sprintf("%d to %d", lo, hi)
	case lo > 0:
		return fmt.Sprintf("%d and over", lo)
	}
	return fmt.Sprintf("up to %d", hi)
}

func distance(m float64) string {
	if m < 1000 {
		return fmt.Sprintf("%d metres", int(math.Round(m/10)*10))
	}
	return fmt.Sprintf("%.1f km", m/1000)
}

func pounds(p int) string {
	if p%100 == 0 {
		return fmt.Sprintf("£%d", p/100)
	}
	return fmt.Sprintf("£%d.%02d", p/100, p%100)
}
