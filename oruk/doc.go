// Package oruk is linkwork's Open Referral UK wire format: the JSON that the
// /oruk endpoints send, as the HSDS 3.0 UK profile defines it, and a
// Validator that checks documents against the published schemas.
//
// The types follow the compiled response schemas field for field (names and
// JSON tags as the schemas spell them). Required fields are always sent;
// optional ones are left out when empty, as the profile asks, rather than
// sent as null. The package knows nothing of storage: callers build these
// values from whatever they hold.
package oruk
