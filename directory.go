// The directory: searching it, what a search finds, and the service that
// keeps it.

package linkwork

import (
	"context"
	"time"
)

// AttendMode says whether a search wants activities online or in person.
type AttendMode string

// The attendance modes.
const (
	AttendAny      AttendMode = ""
	AttendOnline   AttendMode = "online"
	AttendInPerson AttendMode = "in_person"
)

// AssetSort is the order of a directory search.
type AssetSort string

// The orders. The default is by relevance when there is text to search for,
// else by distance when there is a point, else by name.
const (
	SortDefault   AssetSort = ""
	SortRelevance AssetSort = "relevance"
	SortDistance  AssetSort = "distance"
	SortName      AssetSort = "name"
)

// Point is a place on the map, in WGS84 degrees.
type Point struct {
	Lat, Lon float64
}

// DefaultRadius and MaxRadius bound a search near a point, in metres.
const (
	DefaultRadius = 10000
	MaxRadius     = 200000
)

// DirectoryCountUpTo is how many matches the directory page and its API
// count before saying only "more than" that many (AssetFilter.CountUpTo):
// a search near a postcode then reads the listings around the point that
// its page needs, not every match in a city.
const DirectoryCountUpTo = 100

// AssetFilter narrows a directory search. Without AnyStatus it finds only
// listings that are active or temporarily closed: not inactive or defunct
// ones.
type AssetFilter struct {
	AnyStatus bool
	// Query is free text, matched against the name, the categories, the
	// places, languages and areas, and the description, forgiving small
	// typing mistakes; results are ranked by how well they match.
	Query    string
	Category Category
	// AnyCategory finds listings filed under at least one of them.
	AnyCategory []Category
	Age         int // 0: any age; else the listing's ages include it
	FreeOnly    bool
	Accepting   bool      // active and taking people now
	HowToJoin   HowToJoin // "": any way
	// YouthFriendly and BuddyWelcome find listings that are youth-friendly,
	// and where a link worker may come along to the first session;
	// AnyWelcome those that are either.
	YouthFriendly, BuddyWelcome, AnyWelcome bool
	// Day and Time find listings with a session that day ("MO") or open at
	// that time ("18:30"), or both.
	Day  string
	Time string
	// The Open Referral UK filters. MinAgeAtLeast finds listings whose
	// minimum age is at least it; MaxAgeAtMost those with an upper age
	// limit of at most it (a listing with none does not match). OpensFrom
	// and ClosesBy find listings with a session that opens at or after
	// OpensFrom and closes at or before ClosesBy ("18:30"), on Day when
	// it is set.
	MinAgeAtLeast *int
	MaxAgeAtMost  *int
	OpensFrom     string
	ClosesBy      string
	// ServiceAtLocationID finds the listing with a location of that Open
	// Referral UK service-at-location id.
	ServiceAtLocationID string
	Mode                AttendMode
	// Near finds listings with a place within Radius metres of the point
	// (DefaultRadius when 0), and gives each its distance. It does not
	// apply to a search for online activities.
	Near   *Point
	Radius float64
	// Reaching, with Near, also finds the listings that reach the point
	// without a place in the circle: every one that can be joined online,
	// and those whose service areas name one of Reaching (the point's
	// postcode, sector, district, area or area's town: "LS6 1AA", "LS6 1",
	// "LS6", "LS", "Leeds"; matched ignoring case). Those without a place
	// in the circle come after those with one, with no distance.
	// FindLocations gives, besides the places in the circle, every
	// listing's online locations, and every location of a listing whose
	// service area covers the point.
	Reaching []string
	// ModifiedSince, when set, finds listings last changed at or after it.
	ModifiedSince time.Time
	Sort          AssetSort
	OrgID         string
	StaleOn       Date // when set, only listings past their verify-by date on this day
	Offset        int
	Limit         int
	// CountUpTo, when above 0, lets a search stop counting once more than
	// CountUpTo listings match: a total above CountUpTo then says only that
	// at least that many match (and, when more follow the page, more than
	// Offset+Limit), not how many. The page is the same as without it.
	CountUpTo int
}

// AssetMatch is one listing a search found, with what the search worked
// out about it.
type AssetMatch struct {
	Asset *Asset
	// Distance is how far the listing's nearest place is from the search's
	// point, in metres; HasDistance is false when the search had no point.
	Distance    float64
	HasDistance bool
	// Stale reports whether the listing is past its verify-by date today.
	Stale bool
}

// AssetName is a listing by its name, for choosing one from a list, with
// what groups it and tells it from another of the same name.
type AssetName struct {
	ID   string
	Name string
	// Category is its first category, as Asset.Categories lists them; ""
	// for none.
	Category Category
	// HasPlace is false for a listing with no place (online only); else
	// Place and PostalCode are the name and postcode of its first, as
	// Asset.Place gives it.
	HasPlace   bool
	Place      string
	PostalCode string
}

// LocationMatch is one of a listing's locations a search found: in Open
// Referral UK, a service at a location.
type LocationMatch struct {
	*AssetMatch
	Location int // its index in Asset.Locations
}

// AssetVersion is a listing as it was saved, once: every create and update
// keeps one.
type AssetVersion struct {
	AssetID       string
	Version       int
	ChangedAt     time.Time
	ChangedBy     string // the actor's ID
	ChangedByName string // the user's name, when it was a user
	Asset         *Asset // the listing as it was saved
}

// AssetService is the directory of community assets. Anyone, signed in or
// not, may read it: it holds nothing about the people link workers support,
// only what the organisations publish, including the contacts they name to
// be asked about a listing (the listing form says these are public);
// coordinators curate it and
// a community organisation's users maintain their own organisation's
// listings. Every change is audited and versioned.
type AssetService interface {
	// CreateAsset stores a, assigning its ID and those of its locations,
	// contacts and cost options. EINVALID for bad fields.
	CreateAsset(ctx context.Context, a *Asset) error
	// FindAssetByID returns one listing, or ENOTFOUND.
	FindAssetByID(ctx context.Context, id string) (*Asset, error)
	// FindAssets searches the directory and returns a page of matches and
	// the total. EINVALID for a bad filter (such as sorting by distance
	// without a point).
	FindAssets(ctx context.Context, f AssetFilter) ([]*AssetMatch, int, error)
	// FindLocations searches as FindAssets does but pages through the
	// locations of the listings found: each listing's in turn, in the
	// listing's order, in their own order; near a point, only its places
	// within the radius. Offset, Limit and the total count locations.
	FindLocations(ctx context.Context, f AssetFilter) ([]*LocationMatch, int, error)
	// FindAssetNames returns the page of listings FindAssets would, in the
	// same order, as names (with their first category and place) rather
	// than whole listings, and without the total: for a choice from a
	// list, such as a declined referral's onward destination. Without
	// text or a point it is meant for a broad filter (a category): the
	// listings are read walking the index of names until the page is
	// full. EINVALID for a bad filter.
	FindAssetNames(ctx context.Context, f AssetFilter) ([]AssetName, error)
	// UpdateAsset saves changes to a; ECONFLICT when a.Version is stale.
	UpdateAsset(ctx context.Context, a *Asset) error
	// FindAssetVersions returns every saved version of a listing, newest
	// first: for coordinators and the users of the organisation that runs
	// it (EFORBIDDEN for anyone else).
	FindAssetVersions(ctx context.Context, id string) ([]*AssetVersion, error)
}
