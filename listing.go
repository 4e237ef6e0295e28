package linkwork

import (
	"context"
	"time"
)

// Keeping listings true. Every listing has a verify-by date. Before it
// comes, the service emails the listing's contact a link that needs no
// account: they confirm the listing is still right, or correct it. Link
// workers report listings that are out of date, and curators see what is
// stale, due soon and reported on one page.

// Verification defaults.
const (
	// VerifyNoticeDays is how long before its verify-by date a listing's
	// contact is sent a link.
	VerifyNoticeDays = 14
	// RecheckMonths is how long a confirmation lasts unless the service
	// sets otherwise (ServiceSettings.ListingRecheckMonths): Open Referral
	// UK recommends checking a listing at least every three months.
	RecheckMonths = 3
	// VerifyLinkDays is how long a verification link works.
	VerifyLinkDays = 28
	// VerifyResendDays is the least time between two links for one
	// listing.
	VerifyResendDays = 7
)

// VerifiedByContact is what AssuredBy says of a listing its contact
// checked through a verification link.
const VerifiedByContact = "listing contact (verification link)"

// NoteVerifyListing is the email asking a listing's contact to check it.
const NoteVerifyListing NotificationKind = "verify_listing"

// Verification is an open verification link and its listing.
type Verification struct {
	ID        string
	Asset     *Asset
	Email     string // where the link was sent
	CreatedAt time.Time
	ExpiresAt time.Time
}

// AssetReport is a report that a listing is out of date.
type AssetReport struct {
	ID             string
	AssetID        string
	AssetName      string
	OrgID          string // the organisation that runs the listing
	Note           string
	ReportedBy     string // a user ID
	ReportedByName string
	CreatedAt      time.Time
	ResolvedAt     time.Time
	ResolvedBy     string
}

// Resolved reports whether someone has dealt with the report.
func (r *AssetReport) Resolved() bool { return !r.ResolvedAt.IsZero() }

// ListingDue is a listing on the curator's dashboard: what it needs to
// say and link to.
type ListingDue struct {
	ID        string
	Name      string
	OrgID     string
	OrgName   string
	VerifyBy  Date
	AssuredAt time.Time
	Email     string // where a verification link would go; "" when none
}

// Curation is the curator's dashboard: stale listings (past their
// verify-by date), those due within VerifyNoticeDays, and open reports,
// with the counts of each (the lists are the first of them).
type Curation struct {
	Stale, DueSoon           []*ListingDue
	Reports                  []*AssetReport
	StaleCount, DueSoonCount int
	ReportCount              int
	Today                    Date
	OwnOrgOnly               bool // a community organisation's view: its own listings only
}

// ListingService keeps the directory true.
type ListingService interface {
	// SendVerificationLinks emails a link to the contact of each listing
	// whose verify-by date is within VerifyNoticeDays or past, that has a
	// contact email and has had no link in VerifyResendDays. System only;
	// returns how many were sent (written to the outbox).
	SendVerificationLinks(ctx context.Context) (int, error)
	// FindVerification returns the open link with the token and its
	// listing. Anyone holding the token may; ECONFLICT when it was used
	// or has expired, ENOTFOUND when there is no such link.
	FindVerification(ctx context.Context, token string) (*Verification, error)
	// ConfirmListing confirms the listing is still right: assured now by
	// the contact, verify-by moved on by the service's
	// ListingRecheckMonths. The link is used up.
	ConfirmListing(ctx context.Context, token string) (*Asset, error)
	// CorrectListing saves the contact's corrections to the listing (at
	// a.Version), which also confirms it. EINVALID for bad fields, and
	// the link stays usable.
	CorrectListing(ctx context.Context, token string, a *Asset) error

	// ConfirmAsset records that a curator checked the listing (at
	// version) and it is still right: assured now by them, verify-by
	// moved on by the service's ListingRecheckMonths. Coordinators, and
	// the users of the organisation that runs it; ECONFLICT when version
	// is stale.
	ConfirmAsset(ctx context.Context, id string, version int) (*Asset, error)

	// ReportAsset records that a listing is out of date. Link workers and
	// coordinators.
	ReportAsset(ctx context.Context, assetID, note string) (*AssetReport, error)
	// ResolveAssetReport marks a report dealt with: coordinators, and the
	// users of the organisation that runs the listing.
	ResolveAssetReport(ctx context.Context, id string) error
	// FindAssetReports lists a listing's reports, newest first, to those
	// who may change it, and to link workers without the names of others
	// who reported it.
	FindAssetReports(ctx context.Context, assetID string) ([]*AssetReport, error)
	// Curation is the curator's dashboard: every listing for coordinators,
	// their own organisation's for community organisation users.
	Curation(ctx context.Context) (*Curation, error)

	// PostcodePoint returns the centre of a full postcode from the loaded
	// postcode table; false when it is not there.
	PostcodePoint(ctx context.Context, postcode string) (Point, bool, error)
}
