package linkwork

import "context"

// Count is a labelled figure, for tables and charts.
type Count struct {
	Key   string
	Label string
	N     int
}

// Caseload is one link worker's current work.
type Caseload struct {
	UserID string
	Name   string
	Active int // active and ending cases
}

// HomeFigures are the real counts a user sees on their home page. Which
// fields are filled depends on the role; each is scoped as the role's lists
// are, and none names a person for roles that only see aggregates.
type HomeFigures struct {
	// Referrers: their organisation's referrals.
	MyReferralsOpen     int
	MyReferralsAccepted int
	MyReferralsDeclined int
	// Link workers.
	MyCaseload      int
	MyContactsWeek  int
	AwaitingTriage  int // received and in triage in the service
	DeferredDueBack int // deferred referrals whose date has come
	// Coordinators and safeguarding leads.
	WaitingList int
	Caseloads   []Caseload
	RedAmber    int // open referrals rated red or amber, or with a possible risk to review
	// RiskToReview: open referrals with a possible risk awaiting review
	// today (link workers, coordinators, safeguarding leads).
	RiskToReview int
	OpenCases    int
	// Community organisations.
	MyListings      int
	MyStaleListings int
	ConnectionsToMe int // connections awaiting their answer
	// Commissioners.
	ReferralsByPathway []Count
	ReferralsTotal     int
	AcceptedTotal      int
	ClosedCases        int
	// Everyone: the directory's listings that are active or temporarily
	// closed, and how many of those are past their verify-by date.
	Assets      int
	StaleAssets int
	// Administrators.
	Users         int
	DisabledUsers int
	Organisations int
	AuditEvents   int64
}

// HomeService computes home page figures.
type HomeService interface {
	// HomeFigures returns the figures for the actor's role.
	HomeFigures(ctx context.Context) (*HomeFigures, error)
}
