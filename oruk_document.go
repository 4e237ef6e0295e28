package linkwork

import "context"

// ORUKDocument is a listing as an Open Referral UK feed sent it, kept so
// that what linkwork does not model (schedules it cannot hold, funding,
// the feed's taxonomy terms and ids, …) is published again, and what it
// does model shows as its curators last left it.
//
// Received is the service as the feed sent it, in JSON. Baseline is
// linkwork's own ORUK of the listing as the import saved it: a field
// whose linkwork value still matches the baseline has not been changed
// here, so the feed's copy of it is published; one that differs was
// changed in linkwork, and linkwork's value is published.
type ORUKDocument struct {
	AssetID  string
	Received []byte
	Baseline []byte
}

// ORUKDocumentService keeps the ORUK documents of imported listings.
type ORUKDocumentService interface {
	// KeepORUKDocument saves a listing's document, replacing any it had.
	// It may be kept by whoever may change the listing.
	KeepORUKDocument(ctx context.Context, d *ORUKDocument) error
	// FindORUKDocuments returns the documents kept for the listings with
	// these ids, by listing id; a listing with none is left out. Anyone
	// may read them, as anyone may read the directory.
	FindORUKDocuments(ctx context.Context, assetIDs []string) (map[string]*ORUKDocument, error)
	// FindUnplacedSALs returns a page of the services at locations that
	// kept documents publish at places linkwork does not hold as one of
	// the listing's locations (a feed's place with no postcode linkwork
	// knows, say), in order of listing and id, and how many there are.
	// Anyone may read them, as anyone may read the directory.
	FindUnplacedSALs(ctx context.Context, offset, limit int) ([]UnplacedSAL, int, error)
}

// UnplacedSAL is a service at a location that a listing's kept ORUK
// document publishes and linkwork holds no location for: its id (in lower
// case) and the listing's.
type UnplacedSAL struct {
	ID      string
	AssetID string
}
