// Package oruk is linkwork's Open Referral UK wire format: the JSON that the
// /oruk endpoints send, as the HSDS 3.0 UK profile defines it, and a
// Validator that checks documents against the published schemas.
//
// The types follow the compiled response schemas field for field (names and
// JSON tags as the schemas spell them). Required fields are always sent;
// optional ones are left out when empty, as the profile asks, rather than
// sent as null. The package knows nothing of storage: callers build these
// values from whatever they hold.
//
// What an endpoint must get right for its responses to validate:
//
//   - Every id, and every *_id that is sent, is a UUID.
//   - GET /services/{id} sends the full Service; GET /services sends a Page
//     of Service.ListItem (one-to-one fields and the organization only).
//     GET /service_at_locations/{id} sends a ServiceAtLocation with its
//     Location and its Service (without the service's own
//     service_at_locations); GET /service_at_locations a Page of
//     ServiceAtLocation.ListItem.
//   - Pages come from NewPage, so their counts agree and contents is never
//     null.
//   - An organization needs a description; an address needs address_1,
//     city, state_province (the county), postal_code, country ("GB") and
//     address_type; a taxonomy term needs a description.
//   - Dates are "2006-01-02", times "15:04:05", last_modified a date-time
//     with milliseconds (FormatDate, FormatTime, FormatDateTime).
//   - A service is classified only by Attributes pointing at taxonomy terms
//     (TermAttribute). linkwork publishes four taxonomies (Taxonomies): its
//     activity categories, how to join, whom an activity welcomes, and
//     the LGA Services List terms that describe a whole category
//     (lga_services.csv, Open Government Licence: see LGA_ATTRIBUTION.md).
//     Importing, ImportedMeaning also reads other directories' LGA terms.
//
// Tests check a response with DefaultValidator (see Validator.Validate).
package oruk
