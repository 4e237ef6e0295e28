package linkwork

import (
	"fmt"
	"regexp"
	"slices"
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

// HowToJoins lists every way to join.
var HowToJoins = []HowToJoin{JoinDropIn, JoinSelfRefer, JoinReferral, JoinViaLinkWorker}

// Valid reports whether h is a known way to join.
func (h HowToJoin) Valid() bool { return slices.Contains(HowToJoins, h) }

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

// CapacityStatus says whether an activity is taking people now.
type CapacityStatus string

// The capacity statuses.
const (
	CapacityAccepting CapacityStatus = "accepting"
	CapacityWaiting   CapacityStatus = "waiting_list"
	CapacityFull      CapacityStatus = "full"
	CapacityClosed    CapacityStatus = "closed"
)

// CapacityStatuses lists every capacity status.
var CapacityStatuses = []CapacityStatus{CapacityAccepting, CapacityWaiting, CapacityFull, CapacityClosed}

// Valid reports whether c is a known capacity status.
func (c CapacityStatus) Valid() bool { return slices.Contains(CapacityStatuses, c) }

// Label is the status as users read it.
func (c CapacityStatus) Label() string {
	switch c {
	case CapacityAccepting:
		return "Taking people now"
	case CapacityWaiting:
		return "Waiting list"
	case CapacityFull:
		return "Full"
	case CapacityClosed:
		return "Not taking anyone"
	}
	return string(c)
}

// Capacity is whether an activity is taking people now, shaped like HSDS
// 3.1's service_capacity: a status that linkwork adds (the question link
// workers ask), and optionally how many places are free and how many there
// are, as of Updated.
type Capacity struct {
	Status    CapacityStatus
	Available *int // places free now; nil when not stated
	Maximum   *int // places in all; nil when not stated
	Updated   time.Time
}

// Int returns a pointer to n, for the optional numbers of a listing:
// capacities and cost amounts.
func Int(n int) *int { return &n }

// LocationType says whether a location is a place or online, as Open
// Referral UK's location_type does.
type LocationType string

// The location types.
const (
	LocationPhysical LocationType = "physical"
	LocationVirtual  LocationType = "virtual"
)

// Location is where an activity happens: a physical place with an address,
// or a virtual (online) location. Its fields follow Open Referral UK's
// location and address.
type Location struct {
	ID            string // a UUID; assigned when empty
	Type          LocationType
	Name          string // "St Mary's Community Centre", or "Zoom" for a virtual location
	Address1      string // "14 Station Road"
	City          string
	StateProvince string // the county: Open Referral UK requires it
	PostalCode    string
	Country       string // ISO 3166-1, "GB"
	URL           string // for a virtual location: where to join, when it is public
	Lat, Lon      float64
	// ServiceAtLocationID is the Open Referral service_at_location id a
	// feed gave the listing at this place, kept so that linkwork answers
	// to it; empty, the id is made from the listing's and the location's.
	ServiceAtLocationID string
}

// Physical reports whether the location is a place people go to.
func (l *Location) Physical() bool { return l.Type == LocationPhysical }

// Schedule is a regular session, shaped like an Open Referral schedule.
type Schedule struct {
	Freq       string // "WEEKLY" or "MONTHLY"
	ByDay      string // "MO", "TU", …, comma-separated; "1MO" is the first Monday
	OpensAt    string // "18:00"
	ClosesAt   string // "19:30"
	Note       string
	LocationID string // the location it happens at, when the listing has several
}

// AssetContact is a person to ask about an activity (Open Referral's contact).
type AssetContact struct {
	ID    string // a UUID; assigned when empty
	Name  string
	Title string // "Youth worker"
	Email string
	Phone string
}

// CostOption is what taking part costs, shaped like Open Referral's
// cost_option: Amount in pence (nil when it is only described), for whom
// or what (Option), and any detail. A free activity has one option with an
// amount of 0.
type CostOption struct {
	ID                string // a UUID; assigned when empty
	Option            string // "Per session", "Under-16s"
	Amount            *int   // pence
	AmountDescription string // "£2; free for anyone on free school meals"
}

// FreeOfCharge is the cost options of a free activity.
func FreeOfCharge() []CostOption {
	return []CostOption{{Option: "Free", Amount: Int(0)}}
}

// Asset is a community activity or service in the directory, shaped like an
// Open Referral UK service (its ID is the service id), with what link
// workers need that the standard leaves out: how to join, whether it is
// taking people now, youth-friendliness, whether a link worker may come
// along, and when it was last checked and by whom.
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

	Locations    []Location // places and online locations; at least one, unless it names the areas it serves
	Schedules    []Schedule
	Contacts     []AssetContact
	CostOptions  []CostOption // none when the cost is unknown
	Languages    []string     // "English", "Urdu", "British Sign Language"
	ServiceAreas []string     // postcode districts or areas ("LS6", "LS"), or place names

	Accessibility string
	YouthFriendly bool
	BuddyWelcome  bool // a link worker may come along to the first session

	AssuredAt time.Time // when the listing was last checked (Open Referral's assured_date)
	AssuredBy string    // who checked it: a user ID
	VerifyBy  Date      // when it must next be checked

	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Free reports whether taking part costs nothing: the listing states at
// least one cost and every one is £0.
func (a *Asset) Free() bool {
	if len(a.CostOptions) == 0 {
		return false
	}
	for _, c := range a.CostOptions {
		if c.Amount == nil || *c.Amount != 0 {
			return false
		}
	}
	return true
}

// Online reports whether the activity can be joined online.
func (a *Asset) Online() bool {
	for i := range a.Locations {
		if a.Locations[i].Type == LocationVirtual {
			return true
		}
	}
	return false
}

// InPerson reports whether the activity happens at a place.
func (a *Asset) InPerson() bool { return a.Place() != nil }

// Place returns the first physical location, or nil for an activity that
// is only online.
func (a *Asset) Place() *Location {
	for i := range a.Locations {
		if a.Locations[i].Physical() {
			return &a.Locations[i]
		}
	}
	return nil
}

// Location returns the location with the ID, or nil.
func (a *Asset) Location(id string) *Location {
	for i := range a.Locations {
		if a.Locations[i].ID == id {
			return &a.Locations[i]
		}
	}
	return nil
}

// Stale reports whether the listing is past its verify-by date.
func (a *Asset) Stale(today Date) bool {
	return !a.VerifyBy.IsZero() && a.VerifyBy.Before(today)
}

// Weekdays are the days of a schedule's ByDay, Monday first.
var Weekdays = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

// WeekdayName returns "Monday" for "MO", and "" for anything else.
func WeekdayName(day string) string {
	if i := slices.Index(Weekdays, day); i >= 0 {
		return time.Weekday((i + 1) % 7).String()
	}
	return ""
}

var (
	clockRe = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
	byDayRe = regexp.MustCompile(`^(-?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$`)
)

// ValidClock reports whether s is a time of day as schedules hold it,
// "18:30".
func ValidClock(s string) bool { return clockRe.MatchString(s) }

// Normalised returns a tidied copy of a, as the store keeps it: text
// trimmed, postcodes in their usual form, a place's country GB when it has
// a postcode and none is given, an online place named "Online" when it has
// no name, a schedule's days in capitals without spaces, the languages and
// areas without blanks or repeats, and a verify-by date VerifyMonths after
// the last check when none is given. a itself is not changed: the copy has
// its own rows. Putting places on the map is the store's (it knows the
// postcodes).
func (a Asset) Normalised() Asset {
	a.Name = strings.TrimSpace(a.Name)
	a.URL, a.Email, a.Phone = strings.TrimSpace(a.URL), strings.TrimSpace(a.Email), strings.TrimSpace(a.Phone)
	a.Contacts = slices.Clone(a.Contacts)
	for i := range a.Contacts {
		c := &a.Contacts[i]
		c.Name, c.Title, c.Email, c.Phone = strings.TrimSpace(c.Name), strings.TrimSpace(c.Title), strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone)
	}
	a.CostOptions = slices.Clone(a.CostOptions)
	for i := range a.CostOptions {
		c := &a.CostOptions[i]
		c.Option, c.AmountDescription = strings.TrimSpace(c.Option), strings.TrimSpace(c.AmountDescription)
	}
	a.Locations = slices.Clone(a.Locations)
	for i := range a.Locations {
		l := &a.Locations[i]
		l.Name, l.Address1, l.City, l.StateProvince = strings.TrimSpace(l.Name), strings.TrimSpace(l.Address1), strings.TrimSpace(l.City), strings.TrimSpace(l.StateProvince)
		l.URL = strings.TrimSpace(l.URL)
		switch l.Type {
		case LocationPhysical:
			if pc, err := ParsePostcode(l.PostalCode); err == nil {
				l.PostalCode = pc.String()
				if l.Country == "" {
					l.Country = "GB"
				}
			}
		case LocationVirtual:
			if l.Name == "" {
				l.Name = "Online"
			}
		}
	}
	a.Schedules = slices.Clone(a.Schedules)
	for i := range a.Schedules {
		s := &a.Schedules[i]
		s.ByDay = strings.ToUpper(strings.ReplaceAll(s.ByDay, " ", ""))
	}
	a.Languages = tidyList(a.Languages)
	a.ServiceAreas = tidyList(a.ServiceAreas)
	if a.VerifyBy.IsZero() && !a.AssuredAt.IsZero() {
		a.VerifyBy = DateOf(a.AssuredAt.AddDate(0, VerifyMonths, 0))
	}
	return a
}

// Validate reports every problem with a as EINVALID, naming fields as the
// API does ("locations[0].postal_code"). Its description and accessibility
// are held to MaxText and its other text to MaxShortText; its web
// addresses must be http or https (ValidWebURL) and its email addresses
// bare ones (ValidEmail). It judges a as it is and changes nothing: what a
// person typed is tidied first by Normalised.
func (a *Asset) Validate() error {
	var p Problems
	if strings.TrimSpace(a.Name) == "" {
		p.Add("name", "Enter the activity's name")
	}
	p.Text("id", a.ID, MaxIDLength)
	p.Text("organization_id", a.OrgID, MaxIDLength)
	p.Text("name", a.Name, MaxShortText)
	p.Text("description", a.Description, MaxText)
	p.WebURL("url", a.URL)
	p.Email("email", a.Email)
	p.Text("phone", a.Phone, MaxShortText)
	p.Text("accessibility", a.Accessibility, MaxText)
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
	if !a.HowToJoin.Valid() {
		p.Add("how_to_join", "Choose how people join")
	}
	a.validateCapacity(&p)
	if a.MinAge < 0 || a.MaxAge < 0 || (a.MaxAge != 0 && a.MinAge > a.MaxAge) {
		p.Add("min_age", "Ages must run from a lower to a higher age")
	}
	if a.MinAge > MaxAge {
		p.Addf("min_age", "Enter an age from 0 to %d", MaxAge)
	}
	if a.MaxAge > MaxAge {
		p.Addf("max_age", "Enter an age from 0 to %d", MaxAge)
	}
	a.validateLocations(&p)
	a.validateSchedules(&p)
	uniqueIDs(&p, "contacts", len(a.Contacts), func(i int) string { return a.Contacts[i].ID })
	uniqueIDs(&p, "cost_options", len(a.CostOptions), func(i int) string { return a.CostOptions[i].ID })
	for i, c := range a.Contacts {
		at := fmt.Sprintf("contacts[%d]", i)
		if strings.TrimSpace(c.Name) == "" && strings.TrimSpace(c.Title) == "" {
			p.Add(at+".name", "Give the contact's name or job title")
		}
		p.Text(at+".id", c.ID, MaxIDLength)
		p.Text(at+".name", c.Name, MaxShortText)
		p.Text(at+".title", c.Title, MaxShortText)
		p.Email(at+".email", c.Email)
		p.Text(at+".phone", c.Phone, MaxShortText)
	}
	for i, c := range a.CostOptions {
		at := fmt.Sprintf("cost_options[%d]", i)
		p.Text(at+".id", c.ID, MaxIDLength)
		p.Text(at+".option", c.Option, MaxShortText)
		p.Text(at+".amount_description", c.AmountDescription, MaxShortText)
		if c.Amount != nil && *c.Amount < 0 {
			p.Add(at+".amount", "A cost cannot be less than nothing")
		}
		if c.Amount != nil && *c.Amount > MaxPence {
			p.Add(at+".amount", "A cost cannot be more than £1,000,000")
		}
		if c.Amount == nil && strings.TrimSpace(c.AmountDescription) == "" {
			p.Add(at+".amount", "Give the amount, or describe the cost")
		}
	}
	for _, l := range []struct {
		name  string
		items []string
	}{{"languages", a.Languages}, {"service_areas", a.ServiceAreas}} {
		for _, x := range l.items {
			if !p.Text(l.name, x, MaxShortText) {
				break
			}
		}
	}
	return p.Err()
}

// VerifyMonths is how long Normalised takes a check of a listing to last
// when it is given none, for a listing outside the store (such as one read
// from a file). The store sets a missing verify-by date itself, from the
// service's re-check interval (RecheckMonths unless set).
const VerifyMonths = 6

func (a *Asset) validateCapacity(p *Problems) {
	c := a.Capacity
	if !c.Status.Valid() {
		p.Add("capacity.status", "Choose whether it is taking people now")
	}
	if c.Available != nil && *c.Available < 0 {
		p.Add("capacity.available", "Places free cannot be fewer than none")
	}
	if c.Maximum != nil && *c.Maximum < 0 {
		p.Add("capacity.maximum", "Places in all cannot be fewer than none")
	}
	if c.Available != nil && c.Maximum != nil && *c.Available > *c.Maximum {
		p.Add("capacity.available", "More places are free than there are in all")
	}
}

func (a *Asset) validateLocations(p *Problems) {
	if len(a.Locations) == 0 && len(a.ServiceAreas) == 0 {
		p.Add("locations", "Say where it happens: a place, online, or the area it serves")
	}
	uniqueIDs(p, "locations", len(a.Locations), func(i int) string { return a.Locations[i].ID })
	for i, l := range a.Locations {
		at := fmt.Sprintf("locations[%d]", i)
		p.Text(at+".id", l.ID, MaxIDLength)
		p.Text(at+".name", l.Name, MaxShortText)
		p.Text(at+".address_1", l.Address1, MaxShortText)
		p.Text(at+".city", l.City, MaxShortText)
		p.Text(at+".state_province", l.StateProvince, MaxShortText)
		p.Text(at+".country", l.Country, MaxShortText)
		p.WebURL(at+".url", l.URL)
		if !p.Text(at+".postal_code", l.PostalCode, MaxShortText) {
			continue
		}
		if l.Lat < -90 || l.Lat > 90 || l.Lon < -180 || l.Lon > 180 {
			p.Add(at, "Coordinates are out of range")
		}
		switch l.Type {
		case LocationPhysical:
			if strings.TrimSpace(l.PostalCode) == "" {
				p.Add(at+".postal_code", "Enter the postcode where it happens, or make it an online location")
				continue
			}
			if _, err := ParsePostcode(l.PostalCode); err != nil {
				p.Add(at+".postal_code", ErrorMessage(err))
			}
		case LocationVirtual:
		default:
			p.Add(at+".type", "A location is physical or virtual (online)")
		}
	}
}

func (a *Asset) validateSchedules(p *Problems) {
	for i, s := range a.Schedules {
		at := fmt.Sprintf("schedules[%d]", i)
		if s.Freq != "WEEKLY" && s.Freq != "MONTHLY" {
			p.Add(at+".freq", "A session runs weekly or monthly")
		}
		if p.Text(at+".byday", s.ByDay, MaxShortText) {
			for _, d := range strings.Split(s.ByDay, ",") {
				if !byDayRe.MatchString(d) {
					p.Add(at+".byday", "Give the days as MO, TU, WE, TH, FR, SA or SU, separated by commas")
					break
				}
			}
		}
		if !ValidClock(s.OpensAt) {
			p.Add(at+".opens_at", "Enter the time it starts as 24-hour hours and minutes, like 18:00")
		}
		if !ValidClock(s.ClosesAt) {
			p.Add(at+".closes_at", "Enter the time it ends as 24-hour hours and minutes, like 19:30")
		} else if ValidClock(s.OpensAt) && s.ClosesAt <= s.OpensAt {
			p.Add(at+".closes_at", "It must end after it starts")
		}
		p.Text(at+".note", s.Note, MaxShortText)
		if s.LocationID != "" && a.Location(s.LocationID) == nil {
			p.Add(at+".location_id", "The session is at a location the listing does not have")
		}
	}
}

// tidyList trims each item, dropping empty ones and repeats.
func tidyList(xs []string) []string {
	var out []string
	for _, x := range xs {
		x = strings.TrimSpace(x)
		if x != "" && !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// MaxAge is the highest age a listing may give.
const MaxAge = 120

// MaxPence is the highest cost a listing may give, in pence: £1,000,000,
// more than any activity costs, and far below where an amount would
// overflow.
const MaxPence = 100_000_000

// uniqueIDs names each row of a listing's list (locations, contacts,
// cost_options) whose id an earlier row has.
func uniqueIDs(p *Problems, list string, n int, id func(int) string) {
	seen := map[string]bool{}
	for i := 0; i < n; i++ {
		if x := id(i); x != "" {
			if seen[x] {
				p.Addf(fmt.Sprintf("%s[%d].id", list, i), "Two rows have the same id")
			}
			seen[x] = true
		}
	}
}
