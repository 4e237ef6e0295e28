package linkwork

import (
	"context"
	"strings"
	"time"
)

// Category groups community assets by the kind of activity. The first six
// are the categories link workers offer young people; wellbeing support
// covers counselling, peer support and similar services.
type Category string

// The categories.
const (
	CategoryCreative   Category = "creative"
	CategorySocial     Category = "social"
	CategoryIndoor     Category = "indoor"
	CategorySelfCare   Category = "self_care"
	CategorySports     Category = "sports"
	CategoryVocational Category = "vocational_educational"
	CategoryWellbeing  Category = "wellbeing_support"
)

// Categories lists every category.
var Categories = []Category{CategoryCreative, CategorySocial, CategoryIndoor, CategorySelfCare, CategorySports, CategoryVocational, CategoryWellbeing}

// Valid reports whether c is a known category.
func (c Category) Valid() bool {
	for _, x := range Categories {
		if c == x {
			return true
		}
	}
	return false
}

// Label is the category as users read it.
func (c Category) Label() string {
	switch c {
	case CategoryCreative:
		return "Creative"
	case CategorySocial:
		return "Social"
	case CategoryIndoor:
		return "Indoor"
	case CategorySelfCare:
		return "Self-care"
	case CategorySports:
		return "Sports"
	case CategoryVocational:
		return "Vocational and educational"
	case CategoryWellbeing:
		return "Wellbeing support"
	}
	return string(c)
}

// AssetStatus is a listing's status, as Open Referral UK defines it.
type AssetStatus string

// The asset statuses.
const (
	AssetActive     AssetStatus = "active"
	AssetInactive   AssetStatus = "inactive"
	AssetDefunct    AssetStatus = "defunct"
	AssetTempClosed AssetStatus = "temporarily closed"
)

// HowToJoin says how a person gets into an activity.
type HowToJoin string

// The ways to join.
const (
	JoinDropIn        HowToJoin = "drop_in"
	JoinSelfRefer     HowToJoin = "self_refer"
	JoinReferral      HowToJoin = "referral_required"
	JoinViaLinkWorker HowToJoin = "via_link_worker"
)

// Label is the way to join as users read it.
func (h HowToJoin) Label() string {
	switch h {
	case JoinDropIn:
		return "Drop in"
	case JoinSelfRefer:
		return "Contact them directly"
	case JoinReferral:
		return "Referral needed"
	case JoinViaLinkWorker:
		return "Through a link worker"
	}
	return string(h)
}

// Capacity says whether an activity is taking people now.
type Capacity string

// The capacities.
const (
	CapacityAccepting Capacity = "accepting"
	CapacityWaiting   Capacity = "waiting_list"
	CapacityFull      Capacity = "full"
	CapacityClosed    Capacity = "closed"
)

// Location is where an activity happens.
type Location struct {
	Name     string // "St Mary's Community Centre"
	Address  string
	Town     string
	Postcode string
	Lat, Lon float64
}

// Schedule is a regular session, shaped like an Open Referral schedule.
type Schedule struct {
	Freq     string // "WEEKLY" or "MONTHLY"
	ByDay    string // "MO", "TU", …, comma-separated
	OpensAt  string // "18:00"
	ClosesAt string // "19:30"
	Note     string
}

// Asset is a community activity or service in the directory: what a link
// worker needs to know to connect someone to it.
type Asset struct {
	ID          string // a UUID, as Open Referral UK requires
	OrgID       string // the organisation that runs it
	Name        string
	Description string
	URL         string
	Email       string
	Phone       string
	Categories  []Category
	Status      AssetStatus
	HowToJoin   HowToJoin
	Capacity    Capacity
	MinAge      int // 0 when there is no lower limit
	MaxAge      int // 0 when there is no upper limit
	Free        bool
	CostNote    string
	Online      bool
	Location    Location
	Schedules   []Schedule

	Accessibility string
	Languages     string
	YouthFriendly bool
	BuddyWelcome  bool // a link worker may come along to the first session

	AssuredAt time.Time // when the listing was last checked
	AssuredBy string
	VerifyBy  Date // when it must next be checked

	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Stale reports whether the listing is past its verify-by date.
func (a *Asset) Stale(today Date) bool {
	return !a.VerifyBy.IsZero() && a.VerifyBy.Before(today)
}

// Validate reports every problem with a as EINVALID.
func (a *Asset) Validate() error {
	var p Problems
	a.Name = strings.TrimSpace(a.Name)
	if a.Name == "" {
		p.Add("name", "Enter the activity's name")
	}
	if len(a.Categories) == 0 {
		p.Add("categories", "Choose at least one category")
	}
	for _, c := range a.Categories {
		if !c.Valid() {
			p.Addf("categories", "%q is not a category", c)
		}
	}
	switch a.Status {
	case AssetActive, AssetInactive, AssetDefunct, AssetTempClosed:
	default:
		p.Add("status", "Status must be active, inactive, defunct or temporarily closed")
	}
	switch a.HowToJoin {
	case JoinDropIn, JoinSelfRefer, JoinReferral, JoinViaLinkWorker:
	default:
		p.Add("how_to_join", "Choose how people join")
	}
	switch a.Capacity {
	case CapacityAccepting, CapacityWaiting, CapacityFull, CapacityClosed:
	default:
		p.Add("capacity", "Choose whether it is taking people now")
	}
	if a.MinAge < 0 || a.MaxAge < 0 || (a.MaxAge != 0 && a.MinAge > a.MaxAge) {
		p.Add("min_age", "Ages must run from a lower to a higher age")
	}
	if !a.Online {
		if a.Location.Postcode == "" {
			p.Add("location.postcode", "Enter the postcode where it happens, or mark it as online")
		} else if pc, err := ParsePostcode(a.Location.Postcode); err != nil {
			p.Add("location.postcode", ErrorMessage(err))
		} else {
			a.Location.Postcode = pc.String()
		}
	}
	if a.Location.Lat < -90 || a.Location.Lat > 90 || a.Location.Lon < -180 || a.Location.Lon > 180 {
		p.Add("location", "Coordinates are out of range")
	}
	return p.Err()
}

// AssetFilter narrows a directory search. Without AnyStatus it finds only
// listings that are active or temporarily closed: not inactive or defunct
// ones.
type AssetFilter struct {
	AnyStatus bool
	Query     string
	Category  Category
	Age       int // 0: any age
	FreeOnly  bool
	Accepting bool
	OrgID     string
	StaleOn   Date // when set, only listings past their verify-by date on this day
	Offset    int
	Limit     int
}

// AssetService is the directory of community assets. Anyone, signed in or
// not, may read it (it holds no personal data); coordinators curate it and
// a community organisation's users maintain their own organisation's
// listings. Every change is audited.
type AssetService interface {
	// CreateAsset stores a, assigning its ID. EINVALID for bad fields.
	CreateAsset(ctx context.Context, a *Asset) error
	// FindAssetByID returns one listing, or ENOTFOUND.
	FindAssetByID(ctx context.Context, id string) (*Asset, error)
	// FindAssets returns a page of listings and the total.
	FindAssets(ctx context.Context, f AssetFilter) ([]*Asset, int, error)
	// UpdateAsset saves changes to a; ECONFLICT when a.Version is stale.
	UpdateAsset(ctx context.Context, a *Asset) error
}
