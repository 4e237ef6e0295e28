package linkwork

import (
	"context"
	"time"
)

// The referrers' flow: how many people each referring organisation sends
// the service, month by month, and what became of them. Referrers stop
// referring when they hear nothing back, and referrals gather in a few
// practices: a referrer sees its own flow, and a coordinator sees every
// referrer's, with those that have gone quiet and those whose referrals
// are often declined, to know where to go and talk.

// DefaultReferrerQuietWeeks is how many weeks without a referral, after a steady
// flow, make a referrer "gone quiet" unless the reader asks otherwise.
const DefaultReferrerQuietWeeks = 6

// SteadyWeeks and SteadyReferrals say what a steady flow is: at least
// SteadyReferrals referrals in the SteadyWeeks before the quiet weeks.
const (
	SteadyWeeks     = 26
	SteadyReferrals = 3
)

// DefaultFlowMonths is how many months, this one included, the flow
// covers unless the reader asks otherwise; MaxFlowMonths is the most.
const (
	DefaultFlowMonths = 12
	MaxFlowMonths     = 36
)

// ReferrerFlowFilter says what the flow covers.
type ReferrerFlowFilter struct {
	// Months is how many calendar months, this one included (UK time);
	// 0 for DefaultFlowMonths.
	Months int
	// QuietWeeks is how many weeks without a referral make a referrer
	// with a steady flow before them "gone quiet"; 0 for
	// DefaultReferrerQuietWeeks.
	QuietWeeks int
}

// Validate names a number of months or weeks out of range.
func (f ReferrerFlowFilter) Validate() error {
	var p Problems
	if f.Months < 0 || f.Months > MaxFlowMonths {
		p.Addf("months", "Choose between 1 and %d months", MaxFlowMonths)
	}
	if f.QuietWeeks < 0 || f.QuietWeeks > 52 {
		p.Add("quiet_weeks", "Choose between 1 and 52 weeks")
	}
	return p.Err()
}

// WithDefaults fills in the defaults of what is not given.
func (f ReferrerFlowFilter) WithDefaults() ReferrerFlowFilter {
	if f.Months == 0 {
		f.Months = DefaultFlowMonths
	}
	if f.QuietWeeks == 0 {
		f.QuietWeeks = DefaultReferrerQuietWeeks
	}
	return f
}

// FlowCounts are what became of a set of referrals.
type FlowCounts struct {
	// Referred is every referral received.
	Referred int
	// Waiting have no decision yet (received, in triage, or deferred).
	Waiting int
	// Accepted, Declined and Withdrawn are the decisions. A referral is
	// declined when the service judges it not suitable for social
	// prescribing (and says where the person was directed instead); a
	// withdrawal is the person's or the referrer's.
	Accepted, Declined, Withdrawn int
	// Of those accepted: Supported are still being supported (waiting
	// for a link worker, or working with one); ClosedWell ended with
	// their goals met or connected to their community; ClosedOther ended
	// any other way.
	Supported, ClosedWell, ClosedOther int
}

// Add returns the counts of both.
func (c FlowCounts) Add(o FlowCounts) FlowCounts {
	return FlowCounts{Referred: c.Referred + o.Referred, Waiting: c.Waiting + o.Waiting, Accepted: c.Accepted + o.Accepted,
		Declined: c.Declined + o.Declined, Withdrawn: c.Withdrawn + o.Withdrawn, Supported: c.Supported + o.Supported,
		ClosedWell: c.ClosedWell + o.ClosedWell, ClosedOther: c.ClosedOther + o.ClosedOther}
}

// DeclinedShare is the percentage of the referrals decided (accepted or
// declined) that were declined as not suitable; 0 when none is decided.
func (c FlowCounts) DeclinedShare() float64 {
	if c.Accepted+c.Declined == 0 {
		return 0
	}
	return 100 * float64(c.Declined) / float64(c.Accepted+c.Declined)
}

// ReferrerFlowRow is one referring organisation's flow.
type ReferrerFlowRow struct {
	// OrgID is the organisation; "" for referrals that came from no
	// organisation (the person themself, their family, the hub).
	OrgID string
	Name  string
	Kind  OrgKind
	// ByMonth are the referrals received each month of the flow's
	// Months, and what became of them.
	ByMonth []FlowCounts
	// Total adds up the months.
	Total FlowCounts
	// LastReferral is when its latest referral in the period came.
	LastReferral time.Time
	// Quiet: no referral in the last QuietWeeks weeks after at least
	// SteadyReferrals in the SteadyWeeks before them. Recent and Before
	// are those two counts.
	Quiet          bool
	Recent, Before int
}

// ReferrerFlow is the flow of the referrers the reader may see.
type ReferrerFlow struct {
	Filter ReferrerFlowFilter
	// Months are the months covered, oldest first (YYYY-MM, UK time).
	Months []string
	// QuietSince is the start of the quiet weeks, SteadySince that of the
	// steady weeks before them.
	QuietSince, SteadySince time.Time
	// Referrers are the organisations, most referrals first; the one
	// with no organisation last.
	Referrers []ReferrerFlowRow
	// Total adds up every referrer.
	Total FlowCounts
	// TotalByMonth adds up every referrer, month by month.
	TotalByMonth []FlowCounts
}

// ReferrerFlowService reads the referrers' flow.
type ReferrerFlowService interface {
	// ReferrerFlow returns the flow of the referrals the actor may read
	// it for: a referrer their own organisation's, a coordinator every
	// referrer's to their service. EFORBIDDEN for anyone else;
	// EINVALID, naming the field, for months or weeks out of range.
	ReferrerFlow(ctx context.Context, f ReferrerFlowFilter) (*ReferrerFlow, error)
}
