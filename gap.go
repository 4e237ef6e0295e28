package linkwork

import (
	"context"
	"strings"
	"time"
)

// GapReason is what was missing when no activity fitted what a person
// wanted.
type GapReason string

// The reasons nothing fitted: nothing near enough, what there is is full,
// it costs too much, the person could not get in or take part (access),
// it is not made for young people, or something else (said in what was
// wanted).
const (
	GapNoneNearby       GapReason = "none_nearby"
	GapFull             GapReason = "full"
	GapCost             GapReason = "cost"
	GapAccess           GapReason = "access"
	GapNotYouthFriendly GapReason = "not_youth_friendly"
	GapOther            GapReason = "other"
)

// GapReasons are the reasons nothing fitted, in the order offered.
var GapReasons = []GapReason{GapNoneNearby, GapFull, GapCost, GapAccess, GapNotYouthFriendly, GapOther}

// Valid reports whether r is a known reason.
func (r GapReason) Valid() bool {
	for _, x := range GapReasons {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the reason in words.
func (r GapReason) Label() string {
	switch r {
	case GapNoneNearby:
		return "Nothing nearby"
	case GapFull:
		return "Full"
	case GapCost:
		return "Costs too much"
	case GapAccess:
		return "Not accessible to them"
	case GapNotYouthFriendly:
		return "Not youth-friendly"
	case GapOther:
		return "Something else"
	}
	return string(r)
}

// Gap is an unmet need: what a person wanted that nothing in the
// directory gave them, and why. It carries no one's identity: the
// person's age band and postcode district are taken from their record
// when the gap is logged, so that gaps can be totalled as evidence for
// commissioners and for community development.
type Gap struct {
	ID           string
	CaseID       string // the case it was logged from; never shown with the totals
	ServiceOrgID string
	Category     Category
	Wanted       string // what the person wanted, in words
	Missing      GapReason

	// AgeBand (an AgeBand key) and District (the outward code of the
	// person's postcode) are set by the service from the person's record;
	// empty when the record does not say.
	AgeBand  string
	District string

	ByUserID  string
	CreatedAt time.Time
}

// Validate reports every problem with a gap to be logged as EINVALID: a
// case, a known category and reason, and what was wanted in at most
// MaxShortText characters.
func (g *Gap) Validate() error {
	var p Problems
	if strings.TrimSpace(g.CaseID) == "" {
		p.Add("case_id", "Say which case the gap is for")
	}
	p.Text("case_id", g.CaseID, MaxIDLength)
	switch {
	case g.Category == "":
		p.Add("category", "Choose the kind of activity that was wanted")
	case !g.Category.Valid():
		p.Add("category", "Choose a category from the list")
	}
	if strings.TrimSpace(g.Wanted) == "" {
		p.Add("wanted", "Say what the person wanted")
	} else {
		p.Text("wanted", g.Wanted, MaxShortText)
	}
	switch {
	case g.Missing == "":
		p.Add("missing", "Choose what was missing")
	case !g.Missing.Valid():
		p.Add("missing", "Choose none nearby, full, cost, access, not youth-friendly or other")
	}
	return p.Err()
}

// AgeBandOn returns the key of the AgeBand a person born on dob is in on
// a day, or "" when the date of birth is not known.
func AgeBandOn(dob, today Date) string {
	if dob.IsZero() {
		return ""
	}
	age := dob.AgeOn(today)
	for _, b := range AgeBands {
		if age >= b.Min && (b.Max == 0 || age <= b.Max) {
			return b.Key
		}
	}
	return ""
}

// AgeBandLabel is the label of the AgeBand with the key, or "Age not
// known".
func AgeBandLabel(key string) string {
	if b, ok := FindAgeBand(key); ok {
		return b.Label
	}
	return "Age not known"
}

// PostcodeDistrict is the district (outward code) of a postcode, or ""
// when it is not a real UK postcode.
func PostcodeDistrict(s string) string {
	p, err := ParsePostcode(s)
	if err != nil {
		return ""
	}
	return p.Outward
}

// GapCount is how many gaps share a category or an area.
type GapCount struct {
	Key   string // the category code, or the district ("" for not known)
	Label string
	Count int
}

// GapSummary is a service's unmet needs: totals by category and by area,
// and the newest gaps.
type GapSummary struct {
	Total      int
	ByCategory []GapCount // most first
	ByArea     []GapCount // most first
	Newest     []*Gap
}

// GapService records unmet needs and totals them. Link workers log gaps
// for their own cases, coordinators for any of their service's; the
// totals are their service's coordinators' to read. Both are audited.
type GapService interface {
	// LogGap records a gap for a case, taking the person's age band and
	// district from their record. EINVALID for what Gap.Validate refuses;
	// ENOTFOUND for a case the actor may not see; EFORBIDDEN for a case
	// that is not theirs to log for.
	LogGap(ctx context.Context, g *Gap) error
	// SummariseGaps totals the gaps the actor may see, with the newest
	// (at most newest of them).
	SummariseGaps(ctx context.Context, newest int) (*GapSummary, error)
}
