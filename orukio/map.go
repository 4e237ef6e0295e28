// Package orukio maps linkwork's directory to Open Referral UK and back:
// the services the /oruk endpoints send, and the feeds and CSV files that
// "linkwork import" reads and "linkwork export" writes.
//
// Identifiers. Asset and organisation ids are UUIDs already and are sent as
// they are (an organisation id that is not a UUID is sent as a stable
// UUID v5 made from it). Ids that linkwork does not store (schedules,
// service areas, service-at-locations, accessibility, addresses, cost
// options without an id) are UUID v5s made from the asset id and the
// child's id or position, so they are the same on every request.
//
// What is left out. The UK profile has no place for a service's phone, a
// contact's email or phone, or a language's name, so linkwork sends none of
// them; how to join, youth-friendliness and whether a link worker may come
// along are linkwork's own and are not sent either (they would need a
// taxonomy of their own to be meaningful to other ORUK consumers).
// Whether an activity is taking people now is sent as HSDS 3.1's
// capacities when the number of places free is known.
//
// All of that is linkwork's own mapping (Service). A listing imported from
// a feed, when the store keeps documents (Store.Docs), is published as the
// feed sent it instead, with what was changed in linkwork since
// (Published, in kept.go): its ids, fields and terms are the feed's.
package orukio

import (
	"fmt"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/ukpostcode"
)

// derive makes a stable UUID v5 from its parts (oruk.DeriveID).
func derive(parts ...string) string { return oruk.DeriveID(parts...) }

// IsUUID reports whether s is a UUID as ORUK writes them.
func IsUUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// ID returns s when it is a UUID, else a stable UUID v5 made from it.
func ID(kind, s string) string {
	if IsUUID(s) {
		return strings.ToLower(s)
	}
	return derive(kind, s)
}

// Organization maps an organisation to an ORUK organization. Only its
// name and kind are public: contact details are left out.
func Organization(o *linkwork.Organisation) oruk.Organization {
	return oruk.Organization{
		ID:          ID("organisation", o.ID),
		Name:        o.Name,
		Description: o.Kind.Label(),
	}
}

// Service maps an asset, and the organisation that runs it (nil when there
// is none), to a fully nested ORUK service.
func Service(a *linkwork.Asset, org *linkwork.Organisation) oruk.Service {
	s := oruk.Service{
		ID:          a.ID,
		Name:        a.Name,
		Description: a.Description,
		URL:         webURL(a.URL),
		Email:       email(a.Email),
		Status:      oruk.Status(a.Status),
	}
	if s.Status == "" {
		s.Status = oruk.StatusActive
	}
	if a.MinAge > 0 {
		s.MinimumAge = oruk.Num(a.MinAge)
	}
	if a.MaxAge > 0 {
		s.MaximumAge = oruk.Num(a.MaxAge)
	}
	if !a.AssuredAt.IsZero() {
		s.AssuredDate = oruk.FormatDate(a.AssuredAt)
	}
	if !a.UpdatedAt.IsZero() {
		s.LastModified = oruk.FormatDateTime(a.UpdatedAt)
	}
	if org != nil {
		o := Organization(org)
		s.OrganizationID = o.ID
		s.Organization = &o
	}
	sals := map[string]string{} // location id -> service_at_location id
	for i, l := range a.Locations {
		lid := l.ID
		if lid == "" {
			lid = strconv.Itoa(i)
		}
		loc := Location(a, l, lid)
		id := ServiceAtLocationID(a, i)
		sals[l.ID] = id
		s.ServiceAtLocations = append(s.ServiceAtLocations, oruk.ServiceAtLocation{
			ID: id, ServiceID: a.ID, LocationID: loc.ID, Location: &loc,
		})
	}
	for i, sc := range a.Schedules {
		x := oruk.Schedule{
			ID:          derive("schedule", a.ID, strconv.Itoa(i)),
			ServiceID:   a.ID,
			Freq:        oruk.Frequency(sc.Freq),
			ByDay:       sc.ByDay,
			OpensAt:     clock(sc.OpensAt),
			ClosesAt:    clock(sc.ClosesAt),
			Description: sc.Note,
		}
		if sc.LocationID != "" {
			x.ServiceAtLocationID = sals[sc.LocationID]
			if x.ServiceAtLocationID == "" {
				x.ServiceAtLocationID = oruk.ServiceAtLocationID(a.ID, sc.LocationID)
			}
		}
		s.Schedules = append(s.Schedules, x)
	}
	for _, area := range a.ServiceAreas {
		s.ServiceAreas = append(s.ServiceAreas, oruk.ServiceArea{ID: derive("service_area", a.ID, area), ServiceID: a.ID, Name: area})
	}
	for i, c := range a.CostOptions {
		id := c.ID
		if !IsUUID(id) {
			id = derive("cost_option", a.ID, strconv.Itoa(i))
		}
		x := oruk.CostOption{ID: id, ServiceID: a.ID, Option: c.Option, AmountDescription: c.AmountDescription}
		if c.Amount != nil {
			x.Amount = oruk.Pounds(float64(*c.Amount) / 100)
		}
		s.CostOptions = append(s.CostOptions, x)
	}
	for i, c := range a.Contacts {
		id := c.ID
		if !IsUUID(id) {
			id = derive("contact", a.ID, strconv.Itoa(i))
		}
		s.Contacts = append(s.Contacts, oruk.Contact{ID: id, ServiceID: a.ID, Name: c.Name, Title: c.Title})
	}
	s.Attributes = attributes(a)
	if c := a.Capacity; c.Available != nil {
		x := oruk.ServiceCapacity{
			ID:          derive("capacity", a.ID),
			ServiceID:   a.ID,
			Unit:        oruk.Unit{ID: derive("unit", "place"), Name: "place"},
			Available:   oruk.Number(strconv.Itoa(*c.Available)),
			Description: c.Status.Label(),
			Updated:     oruk.FormatDateTime(c.Updated),
		}
		if c.Updated.IsZero() {
			x.Updated = oruk.FormatDateTime(a.UpdatedAt)
		}
		if c.Maximum != nil {
			x.Maximum = oruk.Num(*c.Maximum)
		}
		s.Capacities = append(s.Capacities, x)
	}
	return s
}

// ServiceAtLocationID is the id of the service at the listing's location
// i: the one its feed gave it, else one made from the listing's and the
// location's ids (by position when the location has none).
func ServiceAtLocationID(a *linkwork.Asset, i int) string {
	l := a.Locations[i]
	if l.ServiceAtLocationID != "" {
		return strings.ToLower(l.ServiceAtLocationID)
	}
	lid := l.ID
	if lid == "" {
		lid = strconv.Itoa(i)
	}
	return oruk.ServiceAtLocationID(a.ID, lid)
}

// Location maps one of an asset's locations. A physical location has an
// address only when it has everything ORUK requires of one (first line,
// town, county and postcode); a virtual location never has one.
func Location(a *linkwork.Asset, l linkwork.Location, lid string) oruk.Location {
	id := l.ID
	if !IsUUID(id) {
		id = derive("location", a.ID, lid)
	}
	out := oruk.Location{ID: id, Name: l.Name}
	if !l.Physical() {
		out.LocationType = oruk.LocationVirtual
		if u := webURL(l.URL); u != "" {
			out.Description = u
		}
		return out
	}
	out.LocationType = oruk.LocationPhysical
	if l.Lat != 0 || l.Lon != 0 {
		out.Latitude, out.Longitude = oruk.Degrees(l.Lat), oruk.Degrees(l.Lon)
	}
	if l.Address1 != "" && l.City != "" && l.StateProvince != "" && l.PostalCode != "" {
		country := l.Country
		if country == "" {
			country = "GB"
		}
		out.Addresses = []oruk.Address{{
			ID: derive("address", id), LocationID: id, Address1: l.Address1, City: l.City,
			StateProvince: l.StateProvince, PostalCode: l.PostalCode, Country: country, AddressType: oruk.LocationPhysical,
		}}
	}
	if a.Accessibility != "" {
		out.Accessibility = []oruk.Accessibility{{ID: derive("accessibility", id), LocationID: id, Description: a.Accessibility}}
	}
	return out
}

// clock turns "18:00" into "18:00:00".
// holdsSession reports whether a feed's session has a shape linkwork's
// sessions can hold (weekly or monthly, on given days, with its times):
// an import keeps those, in the feed's order, and leaves the others to
// the kept document.
func holdsSession(sc oruk.Schedule) bool {
	return (sc.Freq == oruk.Weekly || sc.Freq == oruk.Monthly) && sc.ByDay != "" && len(sc.OpensAt) >= 5 && len(sc.ClosesAt) >= 5
}

func clock(s string) string {
	if len(s) == 5 {
		return s + ":00"
	}
	return s
}

func webURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return u.String()
}

func email(s string) string {
	s = strings.TrimSpace(s)
	if a, err := mail.ParseAddress(s); err != nil || a.Address != s {
		return ""
	}
	return s
}

// Imported is a service read from a feed, as linkwork will store it.
type Imported struct {
	Asset *linkwork.Asset
	// Org is the organization the feed names (ID and Name), or nil.
	Org *oruk.Organization
	// FromCSV marks a row of linkwork's CSV, which carries linkwork's own
	// fields (how to join, youth-friendliness, …) but not contacts.
	FromCSV bool
	// origin is where in a CSV file the row came from.
	origin *csvOrigin
}

// badField is a service linkwork cannot hold: EINVALID, naming the ORUK
// field at fault.
func badField(field, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	return &importError{field + ": " + msg, &linkwork.Error{Code: linkwork.EINVALID, Message: msg, Fields: []linkwork.FieldError{{Field: field, Message: msg}}}}
}

// FromService maps an ORUK service to an asset. Fields linkwork needs that
// ORUK lacks are given defaults: a service with no linkwork category is
// filed under defaultCategory, joins by contacting the service directly,
// and is taking people unless its capacity says otherwise. It reports a
// service linkwork cannot hold (no name, or no place or online location)
// as an EINVALID error naming the field.
//
// A feed written elsewhere may place a service in ways linkwork's places
// cannot hold: by its service areas alone, online alone, or at a place
// whose postcode is not a UK one, or not in the postcode table, without
// coordinates. Such a service imports with what it has: its service
// areas, its online locations and the places that can be put on the map;
// a place that cannot is left out, and when nothing else says where the
// service is, the place's town and postcode district are kept as the
// areas it serves, so that searches covering them find it. Only a service
// that says nowhere at all is refused.
func FromService(s oruk.Service, defaultCategory linkwork.Category) (Imported, error) {
	if strings.TrimSpace(s.ID) == "" {
		return Imported{}, badField("id", "a service needs an id")
	}
	a := &linkwork.Asset{
		ID:          ID("service", s.ID),
		Name:        s.Name,
		Description: s.Description,
		URL:         s.URL,
		Email:       s.Email,
		Status:      linkwork.AssetStatus(s.Status),
		HowToJoin:   linkwork.JoinSelfRefer,
		Capacity:    linkwork.Capacity{Status: linkwork.CapacityAccepting},
	}
	if a.Status == "" {
		a.Status = linkwork.AssetActive
	}
	var err error
	if a.MinAge, err = age(s.MinimumAge); err != nil {
		return Imported{}, badField("minimum_age", "%v", err)
	}
	if a.MaxAge, err = age(s.MaximumAge); err != nil {
		return Imported{}, badField("maximum_age", "%v", err)
	}
	if s.AssuredDate != "" {
		t, err := time.Parse(time.DateOnly, s.AssuredDate)
		if err != nil {
			return Imported{}, badField("assured_date", "%q is not a date like 2006-01-02", s.AssuredDate)
		}
		a.AssuredAt = t
	}
	readAttributes(a, s.Attributes)
	if len(a.Categories) == 0 {
		a.Categories = []linkwork.Category{defaultCategory}
	}
	locIDs := map[string]string{} // ORUK service_at_location id -> location id
	var unplaced []string         // the towns and districts of places left out
	for i, sal := range s.ServiceAtLocations {
		if sal.Location == nil {
			continue
		}
		l, ok := locationFrom(*sal.Location)
		if !ok {
			unplaced = append(unplaced, placeAreas(*sal.Location)...)
			continue
		}
		if l.ID == "" {
			l.ID = derive("imported_location", a.ID, strconv.Itoa(i))
		}
		if IsUUID(sal.ID) {
			l.ServiceAtLocationID = strings.ToLower(sal.ID)
		}
		locIDs[sal.ID] = l.ID
		for _, acc := range sal.Location.Accessibility {
			if a.Accessibility == "" {
				a.Accessibility = firstOf(acc.Description, acc.Accessibility, acc.Details)
			}
		}
		a.Locations = append(a.Locations, l)
	}
	for _, sc := range s.Schedules {
		if !holdsSession(sc) {
			continue
		}
		x := linkwork.Schedule{Freq: string(sc.Freq), ByDay: sc.ByDay, OpensAt: sc.OpensAt[:5], ClosesAt: sc.ClosesAt[:5], Note: firstOf(sc.Description, sc.Notes)}
		if id, ok := locIDs[sc.ServiceAtLocationID]; ok {
			x.LocationID = id
		}
		a.Schedules = append(a.Schedules, x)
	}
	for _, sa := range s.ServiceAreas {
		if n := firstOf(sa.Name, sa.ServiceArea); n != "" {
			a.ServiceAreas = append(a.ServiceAreas, n)
		}
	}
	if len(a.Locations) == 0 && len(a.ServiceAreas) == 0 {
		a.ServiceAreas = unplaced
	}
	if len(a.Locations) == 0 && len(a.ServiceAreas) == 0 {
		return Imported{}, badField("service_at_locations", "%q says nowhere it is offered: no place, online location or service area", s.Name)
	}
	for i, c := range s.CostOptions {
		x := linkwork.CostOption{ID: childID(a.ID, "cost_option", c.ID, i), Option: c.Option, AmountDescription: c.AmountDescription}
		if c.Amount != nil {
			f, err := c.Amount.Float64()
			if err != nil || f < 0 || f*100 > linkwork.MaxPence {
				return Imported{}, badField(fmt.Sprintf("cost_options[%d].amount", i), "%q is not an amount of money up to £1,000,000", c.Amount.String())
			}
			x.Amount = linkwork.Int(int(f*100 + 0.5))
		}
		if x.Amount == nil && x.AmountDescription == "" {
			if s.Fees == "" {
				continue
			}
			x.AmountDescription = s.Fees
		}
		a.CostOptions = append(a.CostOptions, x)
	}
	for i, c := range s.Contacts {
		if c.Name == "" && c.Title == "" {
			continue
		}
		a.Contacts = append(a.Contacts, linkwork.AssetContact{ID: childID(a.ID, "contact", c.ID, i), Name: c.Name, Title: c.Title})
	}
	for _, c := range s.Capacities {
		n, err := c.Available.Int64()
		if err != nil {
			continue
		}
		a.Capacity.Available = linkwork.Int(int(n))
		if c.Maximum != nil {
			if m, err := c.Maximum.Int64(); err == nil {
				a.Capacity.Maximum = linkwork.Int(int(m))
			}
		}
		if t, err := time.Parse(time.RFC3339, c.Updated); err == nil {
			a.Capacity.Updated = t
		}
		for _, st := range linkwork.CapacityStatuses {
			if c.Description == st.Label() {
				a.Capacity.Status = st
			}
		}
		if n == 0 && a.Capacity.Status == linkwork.CapacityAccepting {
			a.Capacity.Status = linkwork.CapacityFull
		}
		break
	}
	out := Imported{Asset: a}
	switch {
	case s.Organization != nil && (s.Organization.ID != "" || s.Organization.Name != ""):
		o := *s.Organization
		out.Org = &o
	case s.OrganizationID != "":
		out.Org = &oruk.Organization{ID: s.OrganizationID}
	}
	return out, nil
}

// childID is the id of a listing's contact or cost option read from a
// feed: the feed's when it is a UUID, else one made from the listing's id
// and the feed's id (or position), so that it is unique and stable.
func childID(assetID, kind, id string, i int) string {
	switch {
	case IsUUID(id):
		return strings.ToLower(id)
	case id != "":
		return derive("imported_"+kind, assetID, id)
	}
	return derive("imported_"+kind, assetID, "#"+strconv.Itoa(i))
}

// placeAreas names the areas a place linkwork cannot put on the map is
// in: its town and, for a UK postcode, its district.
func placeAreas(l oruk.Location) []string {
	var out []string
	for _, ad := range l.Addresses {
		if pc, err := linkwork.ParsePostcode(ad.PostalCode); err == nil {
			out = append(out, pc.Outward)
		}
		if c := strings.TrimSpace(ad.City); c != "" {
			out = append(out, c)
		}
	}
	return out
}

// locationFrom maps an ORUK location, reporting false for one linkwork
// cannot hold: a physical place without a UK postcode, or with one that
// is not in the table of districts and without coordinates of its own.
func locationFrom(l oruk.Location) (linkwork.Location, bool) {
	out := linkwork.Location{Name: l.Name}
	if IsUUID(l.ID) {
		out.ID = strings.ToLower(l.ID)
	}
	if l.LocationType == oruk.LocationVirtual {
		out.Type = linkwork.LocationVirtual
		if webURL(l.Description) != "" {
			out.URL = l.Description
		}
		return out, true
	}
	out.Type = linkwork.LocationPhysical
	if l.Latitude != nil && l.Longitude != nil {
		lat, err1 := l.Latitude.Float64()
		lon, err2 := l.Longitude.Float64()
		if err1 == nil && err2 == nil && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 {
			out.Lat, out.Lon = lat, lon // else the postcode places it
		}
	}
	for _, ad := range l.Addresses {
		if ad.PostalCode == "" {
			continue
		}
		if _, err := linkwork.ParsePostcode(ad.PostalCode); err != nil {
			continue
		}
		if _, known := ukpostcode.LookupPostcode(ad.PostalCode); !known && out.Lat == 0 && out.Lon == 0 {
			continue // nowhere on the map
		}
		out.Address1, out.City, out.StateProvince, out.PostalCode, out.Country = ad.Address1, ad.City, ad.StateProvince, ad.PostalCode, ad.Country
		if out.Name == "" {
			out.Name = ad.Address1
		}
		return out, true
	}
	return out, false
}

func age(n *oruk.Number) (int, error) {
	if n == nil {
		return 0, nil
	}
	f, err := n.Float64()
	if err != nil || f < 0 || f > linkwork.MaxAge {
		return 0, fmt.Errorf("%q is not an age from 0 to 120", n.String())
	}
	return int(f), nil
}

func firstOf(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return strings.TrimSpace(x)
		}
	}
	return ""
}

// attributes files a listing under the terms linkwork publishes: its
// categories (and the LGA Services List's term for a category one term
// describes), how to join it and whom it welcomes.
func attributes(a *linkwork.Asset) []oruk.Attribute {
	var out []oruk.Attribute
	add := func(t oruk.TaxonomyTerm, ok bool) {
		if ok {
			out = append(out, oruk.TermAttribute(a.ID, t))
		}
	}
	cats := map[string]oruk.Category{}
	for _, c := range oruk.Categories() {
		cats[c.Key] = c
	}
	for _, c := range a.Categories {
		add(oruk.CategoryTerm(string(c)))
	}
	for _, c := range a.Categories {
		if l := cats[string(c)].LGA; l != nil {
			add(*l, true)
		}
	}
	add(oruk.JoinTerm(string(a.HowToJoin)))
	if a.YouthFriendly {
		add(oruk.WelcomeTerm(oruk.WelcomeYouth))
	}
	if a.BuddyWelcome {
		add(oruk.WelcomeTerm(oruk.WelcomeBuddy))
	}
	return out
}

// readAttributes reads what a feed's attributes say of a listing:
// linkwork's categories, how to join and whom it welcomes, and categories
// from terms of the LGA Services List. A term linkwork does not know is
// left alone. An attribute may carry its term, or only the term's id.
func readAttributes(a *linkwork.Asset, ats []oruk.Attribute) {
	seen := map[linkwork.Category]bool{}
	for _, at := range ats {
		t := oruk.TaxonomyTerm{ID: at.TaxonomyTermID}
		if at.TaxonomyTerm != nil {
			t = *at.TaxonomyTerm
			if t.ID == "" {
				t.ID = at.TaxonomyTermID
			}
		}
		m, ok := oruk.ImportedMeaning(t)
		switch {
		case !ok:
		case m.Category != "":
			if c := linkwork.Category(m.Category); !seen[c] {
				seen[c] = true
				a.Categories = append(a.Categories, c)
			}
		case m.HowToJoin != "":
			a.HowToJoin = linkwork.HowToJoin(m.HowToJoin)
		case m.Welcome == oruk.WelcomeYouth:
			a.YouthFriendly = true
		case m.Welcome == oruk.WelcomeBuddy:
			a.BuddyWelcome = true
		}
	}
}
