package oruk

import (
	"encoding/json"
	"math"
	"strconv"
	"time"
)

// The wire types below follow schema/compiled/*.json of the UK profile
// (HSDS 3.0 with the UK overlay applied). Where the profile removed an HSDS
// field from a service, organization, location, service-at-location,
// session or contact (a service's phones, a location's transportation, …)
// the type carries it as the feed sent it (json.RawMessage), unread, so
// that an imported service is published again whole; the rest the profile
// removed (a language's name and code, programs, required documents,
// metadata, …) has no Go field.
//
// Conventions:
//   - Required fields have no omitempty and are always sent.
//   - Optional strings and lists are omitted when empty, as the profile asks
//     ("omit empty optional fields rather than null").
//   - Optional numbers are pointers, because 0 is a real value: a minimum
//     age of 0, a cost of £0, a longitude of 0.
//   - Dates, times and date-times are strings in the form the schema gives;
//     FormatDate, FormatTime and FormatDateTime write them.
//   - Identifiers are UUIDs (format "uuid" on every id).

// Status is a service's status.
type Status string

// The statuses the schema allows.
const (
	StatusActive     Status = "active"
	StatusInactive   Status = "inactive"
	StatusDefunct    Status = "defunct"
	StatusTempClosed Status = "temporarily closed"
)

// LocationType says what kind of place a location or address is.
type LocationType string

// The location types the schema allows.
const (
	LocationPhysical LocationType = "physical"
	LocationPostal   LocationType = "postal"
	LocationVirtual  LocationType = "virtual"
)

// Frequency is a schedule's RFC 5545 FREQ.
type Frequency string

// The frequencies the schema allows.
const (
	Weekly  Frequency = "WEEKLY"
	Monthly Frequency = "MONTHLY"
)

// Root is the response of GET /: which version and profile of HSDS the API
// serves and where its OpenAPI description is. The schema makes none of the
// fields required; linkwork always sends all three.
type Root struct {
	Version    string `json:"version"`
	Profile    string `json:"profile"`     // URI
	OpenAPIURL string `json:"openapi_url"` // URI
}

// Service is a service (in linkwork, a community asset), fully nested as
// GET /services/{id} returns it (compiled/service.json). In the paged
// GET /services only the one-to-one fields and Organization are sent
// (compiled/service_list.json): use ListItem.
type Service struct {
	ID             string  `json:"id"`
	OrganizationID string  `json:"organization_id,omitempty"`
	Name           string  `json:"name"`
	Description    string  `json:"description,omitempty"`
	URL            string  `json:"url,omitempty"`   // URI
	Email          string  `json:"email,omitempty"` // email
	Status         Status  `json:"status"`
	Fees           string  `json:"fees,omitempty"` // deprecated by the schema: use CostOptions
	Accreditations string  `json:"accreditations,omitempty"`
	MinimumAge     *Number `json:"minimum_age,omitempty"`
	MaximumAge     *Number `json:"maximum_age,omitempty"`
	// AssuredDate is when the listing was last checked, "2006-01-02".
	AssuredDate  string `json:"assured_date,omitempty"`
	AssurerEmail string `json:"assurer_email,omitempty"` // email
	Alert        string `json:"alert,omitempty"`
	// LastModified is when the service or anything about it last changed,
	// a date-time with milliseconds (FormatDateTime).
	LastModified string `json:"last_modified,omitempty"`

	Schedules          []Schedule          `json:"schedules,omitempty"`
	ServiceAreas       []ServiceArea       `json:"service_areas,omitempty"`
	ServiceAtLocations []ServiceAtLocation `json:"service_at_locations,omitempty"`
	Languages          []Language          `json:"languages,omitempty"`
	Organization       *Organization       `json:"organization,omitempty"`
	Funding            []Funding           `json:"funding,omitempty"`
	CostOptions        []CostOption        `json:"cost_options,omitempty"`
	Contacts           []Contact           `json:"contacts,omitempty"`
	// Attributes attach taxonomy terms to the service: each carries the
	// term's id and, nested, the term itself. The UK profile has no other
	// way to classify a service.
	Attributes []Attribute `json:"attributes,omitempty"`

	// Capacities is not in HSDS 3.0 or the UK profile: it is HSDS 3.1's
	// service capacity, sent as an extra property (the schemas allow extra
	// properties, and the compliance rules allow further properties that do
	// not conflict). It says whether the service is taking people now.
	Capacities []ServiceCapacity `json:"capacities,omitempty"`
	// The HSDS 3.0 fields the UK profile leaves out (its profile/service.json
	// removes them): kept as a feed sent them and published again, never
	// read or changed by linkwork. Lists (ListItem) carry none.
	ProgramID              json.RawMessage `json:"program_id,omitempty"`
	AlternateName          json.RawMessage `json:"alternate_name,omitempty"`
	FeesDescription        json.RawMessage `json:"fees_description,omitempty"`
	InterpretationServices json.RawMessage `json:"interpretation_services,omitempty"`
	ApplicationProcess     json.RawMessage `json:"application_process,omitempty"`
	WaitTime               json.RawMessage `json:"wait_time,omitempty"`
	EligibilityDescription json.RawMessage `json:"eligibility_description,omitempty"`
	Licenses               json.RawMessage `json:"licenses,omitempty"`
	Phones                 json.RawMessage `json:"phones,omitempty"`
}

// ListItem is the service as a page of GET /services carries it: the
// one-to-one fields and the organization, nothing nested further
// (compiled/service_list.json).
func (s Service) ListItem() Service {
	out := Service{
		ID: s.ID, OrganizationID: s.OrganizationID, Name: s.Name, Description: s.Description,
		URL: s.URL, Email: s.Email, Status: s.Status, Fees: s.Fees, Accreditations: s.Accreditations,
		MinimumAge: s.MinimumAge, MaximumAge: s.MaximumAge, AssuredDate: s.AssuredDate,
		AssurerEmail: s.AssurerEmail, Alert: s.Alert, LastModified: s.LastModified,
	}
	if s.Organization != nil {
		o := s.Organization.ListItem()
		out.Organization = &o
	}
	return out
}

// Organization is the organization that provides a service.
type Organization struct {
	ID                      string                   `json:"id"`
	Name                    string                   `json:"name"`
	Description             string                   `json:"description"` // required by the schema
	Email                   string                   `json:"email,omitempty"`
	Website                 string                   `json:"website,omitempty"` // URI
	Logo                    string                   `json:"logo,omitempty"`
	URI                     string                   `json:"uri,omitempty"` // URI
	ParentOrganizationID    string                   `json:"parent_organization_id,omitempty"`
	OrganizationIdentifiers []OrganizationIdentifier `json:"organization_identifiers,omitempty"`
	Attributes              []Attribute              `json:"attributes,omitempty"`
	// Services is sent only in a full organization (compiled/organization.json,
	// for the /organizations endpoints the UK profile does not require).
	Services []Service `json:"services,omitempty"`
	// The HSDS 3.0 fields the UK profile leaves out (its profile/organization.json
	// removes them): kept as a feed sent them and published again, never
	// read or changed by linkwork. Lists (ListItem) carry none.
	AlternateName    json.RawMessage `json:"alternate_name,omitempty"`
	TaxStatus        json.RawMessage `json:"tax_status,omitempty"`
	TaxID            json.RawMessage `json:"tax_id,omitempty"`
	YearIncorporated json.RawMessage `json:"year_incorporated,omitempty"`
	LegalStatus      json.RawMessage `json:"legal_status,omitempty"`
	Locations        json.RawMessage `json:"locations,omitempty"`
	Phones           json.RawMessage `json:"phones,omitempty"`
	Contacts         json.RawMessage `json:"contacts,omitempty"`
	Funding          json.RawMessage `json:"funding,omitempty"`
}

// ListItem is the organization as lists carry it: its own fields only
// (compiled/organization_list.json).
func (o Organization) ListItem() Organization {
	return Organization{
		ID: o.ID, Name: o.Name, Description: o.Description, Email: o.Email, Website: o.Website,
		Logo: o.Logo, URI: o.URI, ParentOrganizationID: o.ParentOrganizationID,
	}
}

// OrganizationIdentifier is a third-party identifier of an organization,
// such as a charity or company number.
type OrganizationIdentifier struct {
	ID               string      `json:"id"`
	OrganizationID   string      `json:"organization_id,omitempty"`
	IdentifierScheme string      `json:"identifier_scheme,omitempty"` // e.g. "GB-CHC", "GB-COH"
	IdentifierType   string      `json:"identifier_type"`             // e.g. "Charity number"
	Identifier       string      `json:"identifier"`
	Attributes       []Attribute `json:"attributes,omitempty"`
}

// ServiceAtLocation links a service to a location. GET
// /service_at_locations/{id} sends it with Location fully nested and
// Service (compiled/service_at_location.json); a page of
// GET /service_at_locations sends one-to-one fields only (ListItem).
type ServiceAtLocation struct {
	ID         string    `json:"id"`
	ServiceID  string    `json:"service_id,omitempty"`
	LocationID string    `json:"location_id,omitempty"`
	Location   *Location `json:"location,omitempty"`
	// Service is sent when the service-at-location is the response itself,
	// not when it is nested in a service.
	Service *Service `json:"service,omitempty"`
	// The HSDS 3.0 fields the UK profile leaves out (its profile/service_at_location.json
	// removes them): kept as a feed sent them and published again, never
	// read or changed by linkwork. Lists (ListItem) carry none.
	Description json.RawMessage `json:"description,omitempty"`
	Contacts    json.RawMessage `json:"contacts,omitempty"`
	Phones      json.RawMessage `json:"phones,omitempty"`
	Schedules   json.RawMessage `json:"schedules,omitempty"`
	Attributes  json.RawMessage `json:"attributes,omitempty"`
}

// ServiceAtLocationResponse is the response of GET
// /service_at_locations/{id}: the service-at-location with its location and
// service nested, and the service's name and status repeated beside them.
// The published OpenAPI description says this endpoint answers with a
// service (compiled/service.json, which requires id, name and status), and
// the profile's own schema (compiled/service_at_location.json) with a
// service-at-location: carrying both the service-at-location's fields and
// the service's name and status, the answer satisfies both, so readers
// written to either understand it.
type ServiceAtLocationResponse struct {
	ServiceAtLocation
	Name   string `json:"name"`
	Status Status `json:"status"`
}

// Respond makes the response of GET /service_at_locations/{id} from a
// service-at-location whose Service is set.
func (sl ServiceAtLocation) Respond() ServiceAtLocationResponse {
	out := ServiceAtLocationResponse{ServiceAtLocation: sl}
	if sl.Service != nil {
		out.Name, out.Status = sl.Service.Name, sl.Service.Status
	}
	return out
}

// ListItem is the service-at-location as a page of GET
// /service_at_locations carries it (compiled/service_at_location_list.json):
// the location and the service without their nested lists.
func (sl ServiceAtLocation) ListItem() ServiceAtLocation {
	out := ServiceAtLocation{ID: sl.ID, ServiceID: sl.ServiceID, LocationID: sl.LocationID}
	if sl.Location != nil {
		l := sl.Location.ListItem()
		out.Location = &l
	}
	if sl.Service != nil {
		s := sl.Service.ListItem()
		out.Service = &s
	}
	return out
}

// Location is where a service is delivered: a physical place, a postal
// address or a virtual location.
type Location struct {
	ID                     string          `json:"id"`
	LocationType           LocationType    `json:"location_type"`
	Name                   string          `json:"name,omitempty"`
	Description            string          `json:"description,omitempty"`
	Latitude               *Number         `json:"latitude,omitempty"`  // WGS84
	Longitude              *Number         `json:"longitude,omitempty"` // WGS84
	ExternalIdentifier     string          `json:"external_identifier,omitempty"`
	ExternalIdentifierType string          `json:"external_identifier_type,omitempty"` // e.g. "UPRN"
	Addresses              []Address       `json:"addresses,omitempty"`
	Accessibility          []Accessibility `json:"accessibility,omitempty"`
	Attributes             []Attribute     `json:"attributes,omitempty"`
	// The HSDS 3.0 fields the UK profile leaves out (its profile/location.json
	// removes them): kept as a feed sent them and published again, never
	// read or changed by linkwork. Lists (ListItem) carry none.
	URL            json.RawMessage `json:"url,omitempty"`
	OrganizationID json.RawMessage `json:"organization_id,omitempty"`
	AlternateName  json.RawMessage `json:"alternate_name,omitempty"`
	Transportation json.RawMessage `json:"transportation,omitempty"`
	Phones         json.RawMessage `json:"phones,omitempty"`
	Contacts       json.RawMessage `json:"contacts,omitempty"`
	Schedules      json.RawMessage `json:"schedules,omitempty"`
	Languages      json.RawMessage `json:"languages,omitempty"`
}

// ListItem is the location without its nested lists.
func (l Location) ListItem() Location {
	return Location{
		ID: l.ID, LocationType: l.LocationType, Name: l.Name, Description: l.Description,
		Latitude: l.Latitude, Longitude: l.Longitude, ExternalIdentifier: l.ExternalIdentifier,
		ExternalIdentifierType: l.ExternalIdentifierType,
	}
}

// Address is a location's address. The schema requires every one of
// address_1, city, state_province, postal_code, country and address_type:
// in England state_province is the county (or the metropolitan area) and
// country the ISO 3166-1 code, "GB".
type Address struct {
	ID            string       `json:"id"`
	LocationID    string       `json:"location_id,omitempty"`
	Attention     string       `json:"attention,omitempty"`
	Address1      string       `json:"address_1"`
	City          string       `json:"city"`
	Region        string       `json:"region,omitempty"`
	StateProvince string       `json:"state_province"`
	PostalCode    string       `json:"postal_code"`
	Country       string       `json:"country"`
	AddressType   LocationType `json:"address_type"`
	Attributes    []Attribute  `json:"attributes,omitempty"`
}

// Accessibility describes what a location offers people with disabilities.
type Accessibility struct {
	ID          string      `json:"id"`
	LocationID  string      `json:"location_id,omitempty"`
	Description string      `json:"description,omitempty"`
	Details     string      `json:"details,omitempty"`
	URL         string      `json:"url,omitempty"` // URI
	Attributes  []Attribute `json:"attributes,omitempty"`
	// Accessibility is the UK profile's free-text description of the
	// assistance or facilities available.
	Accessibility string `json:"accessibility,omitempty"`
}

// Schedule is when a service runs, in the shape of an RFC 5545 RRULE:
// e.g. Freq WEEKLY, ByDay "SA", OpensAt "10:00:00", ClosesAt "12:00:00".
type Schedule struct {
	ID                  string    `json:"id"`
	ServiceID           string    `json:"service_id,omitempty"`
	ServiceAtLocationID string    `json:"service_at_location_id,omitempty"`
	ValidFrom           string    `json:"valid_from,omitempty"` // date
	ValidTo             string    `json:"valid_to,omitempty"`   // date
	DTStart             string    `json:"dtstart,omitempty"`    // date
	Freq                Frequency `json:"freq,omitempty"`
	Interval            *Number   `json:"interval,omitempty"`
	ByDay               string    `json:"byday,omitempty"`      // "MO,TU", "SA", "1MO"
	ByMonthDay          string    `json:"bymonthday,omitempty"` // "1,15"
	Description         string    `json:"description,omitempty"`
	OpensAt             string    `json:"opens_at,omitempty"`  // time, "10:00:00"
	ClosesAt            string    `json:"closes_at,omitempty"` // time
	ScheduleLink        string    `json:"schedule_link,omitempty"`
	AttendingType       string    `json:"attending_type,omitempty"`
	Notes               string    `json:"notes,omitempty"`
	// The HSDS 3.0 fields the UK profile leaves out (its profile/schedule.json
	// removes them): kept as a feed sent them and published again, never
	// read or changed by linkwork. Lists (ListItem) carry none.
	LocationID json.RawMessage `json:"location_id,omitempty"`
	Timezone   json.RawMessage `json:"timezone,omitempty"`
	Until      json.RawMessage `json:"until,omitempty"`
	Count      json.RawMessage `json:"count,omitempty"`
	Wkst       json.RawMessage `json:"wkst,omitempty"`
	Byweekno   json.RawMessage `json:"byweekno,omitempty"`
	Byyearday  json.RawMessage `json:"byyearday,omitempty"`
	Attributes json.RawMessage `json:"attributes,omitempty"`
}

// ServiceArea is the area a service covers.
type ServiceArea struct {
	ID          string `json:"id"`
	ServiceID   string `json:"service_id,omitempty"`
	Name        string `json:"name,omitempty"`
	Extent      string `json:"extent,omitempty"`
	ExtentType  string `json:"extent_type,omitempty"` // e.g. "geojson"
	URI         string `json:"uri,omitempty"`
	ServiceArea string `json:"service_area,omitempty"` // free text
}

// Language is a language a service is offered in. The UK profile removes
// HSDS's name and code from it, so only identifiers are left.
type Language struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	PhoneID   string `json:"phone_id,omitempty"`
}

// Funding is a source of a service's funding.
type Funding struct {
	ID        string `json:"id"`
	ServiceID string `json:"service_id,omitempty"`
	Source    string `json:"source,omitempty"`
}

// CostOption is a structured cost: Amount in pounds (the profile removes
// currency), with Option saying who it applies to. A free service has an
// Amount of 0.
type CostOption struct {
	ID                string  `json:"id"`
	ServiceID         string  `json:"service_id,omitempty"`
	ValidFrom         string  `json:"valid_from,omitempty"` // date
	ValidTo           string  `json:"valid_to,omitempty"`   // date
	Option            string  `json:"option,omitempty"`
	Amount            *Number `json:"amount,omitempty"`
	AmountDescription string  `json:"amount_description,omitempty"`
}

// Contact is a named contact for a service. The UK profile removes a
// contact's email and phones.
type Contact struct {
	ID         string      `json:"id"`
	ServiceID  string      `json:"service_id,omitempty"`
	Name       string      `json:"name,omitempty"`
	Title      string      `json:"title,omitempty"`
	Attributes []Attribute `json:"attributes,omitempty"`
	// The HSDS 3.0 fields the UK profile leaves out (its profile/contact.json
	// removes them): kept as a feed sent them and published again, never
	// read or changed by linkwork. Lists (ListItem) carry none.
	OrganizationID      json.RawMessage `json:"organization_id,omitempty"`
	ServiceAtLocationID json.RawMessage `json:"service_at_location_id,omitempty"`
	LocationID          json.RawMessage `json:"location_id,omitempty"`
	Department          json.RawMessage `json:"department,omitempty"`
	Email               json.RawMessage `json:"email,omitempty"`
	Phones              json.RawMessage `json:"phones,omitempty"`
}

// Phone is a telephone number (schema/phone.json). No response of the UK
// profile reaches it: the profile removes phones from services, locations,
// contacts and organizations.
type Phone struct {
	ID          string     `json:"id"`
	ContactID   string     `json:"contact_id,omitempty"`
	Number      string     `json:"number"`
	Description string     `json:"description,omitempty"`
	Languages   []Language `json:"languages,omitempty"`
}

// Attribute links an entity to a taxonomy term. LinkID is the entity's id
// and LinkType an open code saying what the term describes (e.g. the
// service's type, or its eligibility).
type Attribute struct {
	ID             string        `json:"id"`
	LinkID         string        `json:"link_id,omitempty"`
	TaxonomyTermID string        `json:"taxonomy_term_id,omitempty"`
	LinkType       string        `json:"link_type,omitempty"`
	TaxonomyTerm   *TaxonomyTerm `json:"taxonomy_term,omitempty"`
}

// Taxonomy is a published list of terms, such as the LGA's.
type Taxonomy struct {
	ID            string         `json:"id"`
	Name          string         `json:"name"`
	Description   string         `json:"description"`
	URI           string         `json:"uri,omitempty"` // URI
	Version       string         `json:"version,omitempty"`
	TaxonomyTerms []TaxonomyTerm `json:"taxonomy_terms,omitempty"`
}

// TaxonomyTerm is one term of a taxonomy. Name and Term both hold the term
// itself; Description is required.
type TaxonomyTerm struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
	ParentID    string `json:"parent_id,omitempty"`
	Taxonomy    string `json:"taxonomy,omitempty"` // the taxonomy's name or URI
	TaxonomyID  string `json:"taxonomy_id,omitempty"`
	TermURI     string `json:"term_uri,omitempty"` // URI
	Term        string `json:"term,omitempty"`
}

// ServiceCapacity is HSDS 3.1's service_capacity (not part of 3.0 or the UK
// profile; see Service.Capacities): how many units of a service are
// available now.
type ServiceCapacity struct {
	ID          string  `json:"id"`
	ServiceID   string  `json:"service_id,omitempty"`
	Unit        Unit    `json:"unit"`
	UnitID      string  `json:"unit_id,omitempty"`
	Available   Number  `json:"available"`
	Maximum     *Number `json:"maximum,omitempty"`
	Description string  `json:"description,omitempty"`
	Updated     string  `json:"updated"` // date-time
}

// Unit is HSDS 3.1's unit of service capacity, such as "place".
type Unit struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	Scheme     string `json:"scheme,omitempty"`
	Identifier string `json:"identifier,omitempty"`
	URI        string `json:"uri,omitempty"`
}

// Number is a JSON number as the schemas' "number" type: sent as written
// (12, not 12.0), read without loss.
type Number = json.Number

// Num makes an optional Number from an integer: Num(18) for a maximum age
// of 18.
func Num(n int) *Number {
	x := json.Number(strconv.Itoa(n))
	return &x
}

// Pounds makes an optional Number from an amount of money, rounded to the
// penny: Pounds(0) for a free session, Pounds(3.5) for £3.50.
func Pounds(p float64) *Number { return rounded(p, 2) }

// Degrees makes an optional Number from a latitude or longitude, rounded to
// six decimal places (about 0.1 m).
func Degrees(d float64) *Number { return rounded(d, 6) }

func rounded(f float64, places int) *Number {
	scale := math.Pow10(places)
	x := json.Number(strconv.FormatFloat(math.Round(f*scale)/scale, 'f', -1, 64))
	return &x
}

// FormatDate writes a date as the schemas' dates: "2006-01-02".
func FormatDate(t time.Time) string { return t.Format(time.DateOnly) }

// FormatTime writes a time of day as the schemas' times: "15:04:05".
func FormatTime(hour, minute int) string {
	return time.Date(0, 1, 1, hour, minute, 0, 0, time.UTC).Format(time.TimeOnly)
}

// FormatDateTime writes a date-time with the millisecond accuracy the schema
// asks of last_modified, in UTC: "2023-03-15T10:30:45.123Z".
func FormatDateTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}
