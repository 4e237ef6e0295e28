// The API's JSON shapes of the directory: listings, their versions,
// reports, curation and verification links.

package web

import (
	"math"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

type scheduleJSON struct {
	Freq       string `json:"freq"`
	ByDay      string `json:"byday"`
	OpensAt    string `json:"opens_at"`
	ClosesAt   string `json:"closes_at"`
	Note       string `json:"note,omitempty"`
	LocationID string `json:"location_id,omitempty"`
}

type locationJSON struct {
	ID            string                `json:"id"`
	Type          linkwork.LocationType `json:"location_type"`
	Name          string                `json:"name,omitempty"`
	Address1      string                `json:"address_1,omitempty"`
	City          string                `json:"city,omitempty"`
	StateProvince string                `json:"state_province,omitempty"`
	PostalCode    string                `json:"postal_code,omitempty"`
	Country       string                `json:"country,omitempty"`
	URL           string                `json:"url,omitempty"`
	Lat           *float64              `json:"latitude,omitempty"`
	Lon           *float64              `json:"longitude,omitempty"`
}

type contactJSON struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Title string `json:"title,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

type costOptionJSON struct {
	ID                string `json:"id"`
	Option            string `json:"option,omitempty"`
	Amount            *int   `json:"amount,omitempty"`
	AmountDescription string `json:"amount_description,omitempty"`
}

type capacityJSON struct {
	Status    linkwork.CapacityStatus `json:"status"`
	Available *int                    `json:"available,omitempty"`
	Maximum   *int                    `json:"maximum,omitempty"`
	Updated   *time.Time              `json:"updated,omitempty"`
}

type assetJSON struct {
	ID            string               `json:"id"`
	OrgID         string               `json:"organization_id,omitempty"`
	Name          string               `json:"name"`
	Description   string               `json:"description"`
	URL           string               `json:"url,omitempty"`
	Email         string               `json:"email,omitempty"`
	Phone         string               `json:"phone,omitempty"`
	Categories    []linkwork.Category  `json:"categories"`
	Status        linkwork.AssetStatus `json:"status"`
	HowToJoin     linkwork.HowToJoin   `json:"how_to_join"`
	Capacity      capacityJSON         `json:"capacity"`
	MinAge        int                  `json:"minimum_age,omitempty"`
	MaxAge        int                  `json:"maximum_age,omitempty"`
	Free          bool                 `json:"free"`
	CostOptions   []costOptionJSON     `json:"cost_options"`
	Online        bool                 `json:"online"`
	InPerson      bool                 `json:"in_person"`
	Locations     []locationJSON       `json:"locations"`
	Schedules     []scheduleJSON       `json:"schedules"`
	Contacts      []contactJSON        `json:"contacts"`
	Languages     []string             `json:"languages"`
	ServiceAreas  []string             `json:"service_areas"`
	Accessibility string               `json:"accessibility,omitempty"`
	YouthFriendly bool                 `json:"youth_friendly"`
	BuddyWelcome  bool                 `json:"buddy_welcome"`
	AssuredDate   string               `json:"assured_date,omitempty"`
	VerifyBy      string               `json:"verify_by,omitempty"`
	Stale         bool                 `json:"stale"`
	Distance      *int                 `json:"distance,omitempty"`
	Version       int                  `json:"version"`
}

func assetOut(a *linkwork.Asset, today linkwork.Date) assetJSON {
	out := assetJSON{ID: a.ID, OrgID: a.OrgID, Name: a.Name, Description: a.Description, URL: a.URL, Email: a.Email, Phone: a.Phone,
		Categories: nonNil(a.Categories), Status: a.Status, HowToJoin: a.HowToJoin, MinAge: a.MinAge, MaxAge: a.MaxAge,
		Capacity: capacityJSON{Status: a.Capacity.Status, Available: a.Capacity.Available, Maximum: a.Capacity.Maximum, Updated: timePtr(a.Capacity.Updated)},
		Free:     a.Free(), Online: a.Online(), InPerson: a.InPerson(), Languages: nonNil(a.Languages), ServiceAreas: nonNil(a.ServiceAreas),
		Accessibility: a.Accessibility, YouthFriendly: a.YouthFriendly, BuddyWelcome: a.BuddyWelcome,
		VerifyBy: a.VerifyBy.String(), Stale: a.Stale(today), Version: a.Version,
		CostOptions: []costOptionJSON{}, Locations: []locationJSON{}, Schedules: []scheduleJSON{}, Contacts: []contactJSON{}}
	if !a.AssuredAt.IsZero() {
		out.AssuredDate = a.AssuredAt.In(ukTime).Format(time.DateOnly)
	}
	for _, c := range a.CostOptions {
		out.CostOptions = append(out.CostOptions, costOptionJSON(c))
	}
	for _, l := range a.Locations {
		lj := locationJSON{ID: l.ID, Type: l.Type, Name: l.Name, Address1: l.Address1, City: l.City, StateProvince: l.StateProvince,
			PostalCode: l.PostalCode, Country: l.Country, URL: l.URL}
		if l.Physical() {
			lat, lon := l.Lat, l.Lon
			lj.Lat, lj.Lon = &lat, &lon
		}
		out.Locations = append(out.Locations, lj)
	}
	for _, s := range a.Schedules {
		out.Schedules = append(out.Schedules, scheduleJSON(s))
	}
	for _, c := range a.Contacts {
		out.Contacts = append(out.Contacts, contactJSON(c))
	}
	return out
}

// assetMatchOut is a search result: the listing, with its distance from
// the search's point in whole metres when there was one.
func assetMatchOut(m *linkwork.AssetMatch, today linkwork.Date) assetJSON {
	out := assetOut(m.Asset, today)
	out.Stale = m.Stale
	if m.HasDistance {
		d := int(math.Round(m.Distance))
		out.Distance = &d
	}
	return out
}

type assetVersionJSON struct {
	Version       int       `json:"version"`
	ChangedAt     time.Time `json:"changed_at"`
	ChangedBy     string    `json:"changed_by"`
	ChangedByName string    `json:"changed_by_name,omitempty"`
	Asset         assetJSON `json:"asset"`
}

type assetVersionListJSON struct {
	Items []assetVersionJSON `json:"items"`
}

// assetIn is the body of POST /api/v1/assets and PUT /api/v1/assets/{id}:
// the shape GET answers, so that a client can read a listing, change it
// and send it back. What the service works out or keeps itself (free,
// online, in_person, stale, distance, assured_date, verify_by and the
// capacity's updated) is ignored.
type assetIn struct {
	ID            string               `json:"id"`
	OrgID         string               `json:"organization_id"`
	Name          string               `json:"name"`
	Description   string               `json:"description"`
	URL           string               `json:"url"`
	Email         string               `json:"email"`
	Phone         string               `json:"phone"`
	Categories    []linkwork.Category  `json:"categories"`
	Status        linkwork.AssetStatus `json:"status"`
	HowToJoin     linkwork.HowToJoin   `json:"how_to_join"`
	Capacity      capacityJSON         `json:"capacity"`
	MinAge        int                  `json:"minimum_age"`
	MaxAge        int                  `json:"maximum_age"`
	Free          bool                 `json:"free"`
	CostOptions   []costOptionJSON     `json:"cost_options"`
	Online        bool                 `json:"online"`
	InPerson      bool                 `json:"in_person"`
	Locations     []locationJSON       `json:"locations"`
	Schedules     []scheduleJSON       `json:"schedules"`
	Contacts      []contactJSON        `json:"contacts"`
	Languages     []string             `json:"languages"`
	ServiceAreas  []string             `json:"service_areas"`
	Accessibility string               `json:"accessibility"`
	YouthFriendly bool                 `json:"youth_friendly"`
	BuddyWelcome  bool                 `json:"buddy_welcome"`
	AssuredDate   string               `json:"assured_date"`
	VerifyBy      string               `json:"verify_by"`
	Stale         bool                 `json:"stale"`
	Distance      *int                 `json:"distance"`
	Version       int                  `json:"version"`
}

// versionIn is the body of a change that needs only the version read.
type versionIn struct {
	Version int `json:"version"`
}

// assetReportIn is the body of POST /api/v1/assets/{id}/reports.
type assetReportIn struct {
	Note string `json:"note"`
}

type assetReportJSON struct {
	ID             string     `json:"id"`
	AssetID        string     `json:"asset_id"`
	AssetName      string     `json:"asset_name"`
	OrgID          string     `json:"organization_id,omitempty"`
	Note           string     `json:"note"`
	ReportedBy     string     `json:"reported_by"`
	ReportedByName string     `json:"reported_by_name,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
	Resolved       bool       `json:"resolved"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
	ResolvedBy     string     `json:"resolved_by,omitempty"`
}

func assetReportOut(r *linkwork.AssetReport) assetReportJSON {
	return assetReportJSON{ID: r.ID, AssetID: r.AssetID, AssetName: r.AssetName, OrgID: r.OrgID, Note: r.Note, ReportedBy: r.ReportedBy,
		ReportedByName: r.ReportedByName, CreatedAt: r.CreatedAt, Resolved: r.Resolved(), ResolvedAt: timePtr(r.ResolvedAt), ResolvedBy: r.ResolvedBy}
}

type assetReportListJSON struct {
	Items []assetReportJSON `json:"items"`
}

type listingDueJSON struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	OrgID       string `json:"organization_id,omitempty"`
	OrgName     string `json:"organization_name,omitempty"`
	VerifyBy    string `json:"verify_by"`
	AssuredDate string `json:"assured_date,omitempty"`
	Email       string `json:"email,omitempty"` // where a verification link would go
}

// curationJSON is the curator's dashboard.
type curationJSON struct {
	Today        string            `json:"today"`
	OwnOrgOnly   bool              `json:"own_organization_only"`
	StaleCount   int               `json:"stale_count"`
	DueSoonCount int               `json:"due_soon_count"`
	ReportCount  int               `json:"report_count"`
	Stale        []listingDueJSON  `json:"stale"`
	DueSoon      []listingDueJSON  `json:"due_soon"`
	Reports      []assetReportJSON `json:"reports"`
}

func listingDueOut(d *linkwork.ListingDue) listingDueJSON {
	out := listingDueJSON{ID: d.ID, Name: d.Name, OrgID: d.OrgID, OrgName: d.OrgName, VerifyBy: d.VerifyBy.String(), Email: d.Email}
	if !d.AssuredAt.IsZero() {
		out.AssuredDate = d.AssuredAt.In(ukTime).Format(time.DateOnly)
	}
	return out
}

func curationOut(c *linkwork.Curation) curationJSON {
	return curationJSON{Today: c.Today.String(), OwnOrgOnly: c.OwnOrgOnly, StaleCount: c.StaleCount, DueSoonCount: c.DueSoonCount, ReportCount: c.ReportCount,
		Stale: nonNil(mapSlice(c.Stale, listingDueOut)), DueSoon: nonNil(mapSlice(c.DueSoon, listingDueOut)), Reports: nonNil(mapSlice(c.Reports, assetReportOut))}
}

// verificationJSON is what a verification link shows: the listing to
// check and until when the link works. Nothing about who it was sent to.
type verificationJSON struct {
	Asset     assetJSON `json:"asset"`
	ExpiresAt time.Time `json:"expires_at"`
}
