package linkwork

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// A service may hold funds for what stops people taking part when they
// cannot afford it: an activity's fees, the travel to get there, the kit
// to take part. A link worker asks a fund to pay towards one of a
// person's connections; a small request is paid at once, a larger one
// waits for a coordinator. A fund never pays out more than its budget.

// FundCategory is what a request to a fund pays for.
type FundCategory string

// The categories of spending: an activity's fees (sessions, membership,
// a course), travel to it (bus fares, a taxi), and kit to take part
// (boots, a uniform, materials).
const (
	FundFees   FundCategory = "fees"
	FundTravel FundCategory = "travel"
	FundKit    FundCategory = "kit"
)

// FundCategories are the categories, in the order offered.
var FundCategories = []FundCategory{FundFees, FundTravel, FundKit}

// Valid reports whether c is a known category.
func (c FundCategory) Valid() bool {
	return c == FundFees || c == FundTravel || c == FundKit
}

// Label is the category in words.
func (c FundCategory) Label() string {
	switch c {
	case FundFees:
		return "Fees"
	case FundTravel:
		return "Travel"
	case FundKit:
		return "Kit"
	}
	return string(c)
}

// FundRequestStatus is where a request to a fund stands.
type FundRequestStatus string

// The statuses of a request: waiting for a coordinator's decision;
// approved, and so spent from the fund; or declined, with a reason.
const (
	FundRequested FundRequestStatus = "requested"
	FundApproved  FundRequestStatus = "approved"
	FundDeclined  FundRequestStatus = "declined"
)

// FundRequestStatuses are the statuses, in the order of a request's life.
var FundRequestStatuses = []FundRequestStatus{FundRequested, FundApproved, FundDeclined}

// Valid reports whether s is a known status.
func (s FundRequestStatus) Valid() bool {
	return s == FundRequested || s == FundApproved || s == FundDeclined
}

// Label is the status in words, as the link worker reads it.
func (s FundRequestStatus) Label() string {
	switch s {
	case FundRequested:
		return "Waiting for a coordinator"
	case FundApproved:
		return "Paid"
	case FundDeclined:
		return "Declined"
	}
	return string(s)
}

// The notifications about requests to funds, in the app only (they name
// the person): a request waits for a coordinator's decision (to the
// service's coordinators), and a request was decided (to whoever asked).
const (
	NoteFundRequestWaiting NotificationKind = "fund_request_waiting"
	NoteFundRequestDecided NotificationKind = "fund_request_decided"
)

// MaxFundAge is the highest age a fund may be limited to.
const MaxFundAge = 120

// Fund is money a service holds to pay towards what people need to take
// part: a budget for a period, which requests are paid from. Requests of
// up to ThresholdPence are paid at once; larger ones wait for a
// coordinator.
type Fund struct {
	ID           string
	ServiceOrgID string
	Name         string // "Activity fund for 11-18s"
	// Purpose says what and whom it is for, in words; optional.
	Purpose string
	// MinAge and MaxAge, when not 0, limit the fund to people of those
	// ages (inclusive) on the day of a request.
	MinAge, MaxAge int
	BudgetPence    int
	// StartsOn and EndsOn are the first and last days requests may be
	// made and paid.
	StartsOn, EndsOn Date
	// ThresholdPence is the most a request is paid at once; more waits
	// for a coordinator's decision. 0 means every request waits.
	ThresholdPence int

	// SpentPence is what approved requests have taken from it, and
	// WaitingPence what requests waiting for a decision ask for; both
	// are filled when a fund is read.
	SpentPence   int
	WaitingPence int

	CreatedBy string
	CreatedAt time.Time
}

// Balance is what is left to spend: the budget less what approved
// requests have taken. It is never below zero.
func (f *Fund) Balance() int { return f.BudgetPence - f.SpentPence }

// Open reports whether the fund takes and pays requests on a day: within
// its period.
func (f *Fund) Open(on Date) bool {
	return !on.Before(f.StartsOn) && !f.EndsOn.Before(on)
}

// AgesLabel says whom the fund is for by age: "Ages 11 to 18", "Ages 16
// and over", or "Any age".
func (f *Fund) AgesLabel() string {
	switch {
	case f.MinAge > 0 && f.MaxAge > 0:
		return fmt.Sprintf("Ages %d to %d", f.MinAge, f.MaxAge)
	case f.MinAge > 0:
		return fmt.Sprintf("Ages %d and over", f.MinAge)
	case f.MaxAge > 0:
		return fmt.Sprintf("Ages %d and under", f.MaxAge)
	}
	return "Any age"
}

// Validate reports every problem with a new fund as EINVALID: a name, a
// budget of more than nothing and at most MaxPence, a period whose end
// is not before its start, a threshold between nothing and the budget,
// and ages that make sense.
func (f *Fund) Validate() error {
	var p Problems
	if strings.TrimSpace(f.Name) == "" {
		p.Add("name", "Enter the fund's name, such as “Activity fund for 11-18s”")
	} else {
		p.Text("name", f.Name, MaxShortText)
	}
	p.Text("purpose", f.Purpose, MaxText)
	switch {
	case f.BudgetPence <= 0:
		p.Add("budget_pence", "Enter the fund's budget, more than £0")
	case f.BudgetPence > MaxPence:
		p.Add("budget_pence", "A fund's budget cannot be more than £1,000,000")
	}
	if f.StartsOn.IsZero() {
		p.Add("starts_on", "Enter the first day of the fund's period")
	}
	if f.EndsOn.IsZero() {
		p.Add("ends_on", "Enter the last day of the fund's period")
	} else if !f.StartsOn.IsZero() && f.EndsOn.Before(f.StartsOn) {
		p.Add("ends_on", "The period must end on or after the day it starts")
	}
	switch {
	case f.ThresholdPence < 0:
		p.Add("threshold_pence", "The amount paid without a decision cannot be negative")
	case f.BudgetPence > 0 && f.ThresholdPence > f.BudgetPence:
		p.Add("threshold_pence", "The amount paid without a decision cannot be more than the budget")
	}
	if f.MinAge < 0 || f.MinAge > MaxFundAge {
		p.Addf("min_age", "Enter an age from 0 to %d, or 0 for no lower limit", MaxFundAge)
	}
	if f.MaxAge < 0 || f.MaxAge > MaxFundAge {
		p.Addf("max_age", "Enter an age from 0 to %d, or 0 for no upper limit", MaxFundAge)
	} else if f.MaxAge > 0 && f.MaxAge < f.MinAge {
		p.Add("max_age", "The oldest age must not be below the youngest")
	}
	p.Text("service_org_id", f.ServiceOrgID, MaxIDLength)
	return p.Err()
}

// NeedsDecision reports whether a request for amount pence waits for a
// coordinator's decision rather than being paid at once: it asks for
// more than the fund's threshold.
func (f *Fund) NeedsDecision(amount int) bool { return amount > f.ThresholdPence }

// CheckRequest reports whether the fund may take a request for amount
// pence towards connection c, for a person born on dob, on the day
// today: the fund is open, the connection has not ended, the person is
// of the fund's ages, and the fund has the money left. Each problem
// names the field a person would change.
func (f *Fund) CheckRequest(c *Connection, dob, today Date, amount int) error {
	if err := f.checkSpend(c, today, amount); err != nil {
		return err
	}
	if f.MinAge == 0 && f.MaxAge == 0 {
		return nil
	}
	if dob.IsZero() {
		return FieldErr("fund_id", "This fund is for people of some ages ("+strings.ToLower(f.AgesLabel())+"): record their date of birth first")
	}
	if age := dob.AgeOn(today); age < f.MinAge || f.MaxAge > 0 && age > f.MaxAge {
		return FieldErr("fund_id", fmt.Sprintf("This fund is for %s, and they are %d: choose another fund", strings.ToLower(f.AgesLabel()), age))
	}
	return nil
}

// CheckApproval reports whether the fund may pay a waiting request for
// amount pence towards connection c on the day today: the fund is still
// open, the connection has not ended, and the fund has the money left.
func (f *Fund) CheckApproval(c *Connection, today Date, amount int) error {
	return f.checkSpend(c, today, amount)
}

func (f *Fund) checkSpend(c *Connection, today Date, amount int) error {
	switch {
	case today.Before(f.StartsOn):
		return FieldErr("fund_id", "This fund opens on "+f.StartsOn.Time().Format("2 January 2006")+": it pays nothing before then")
	case f.EndsOn.Before(today):
		return FieldErr("fund_id", "This fund closed on "+f.EndsOn.Time().Format("2 January 2006")+": it pays nothing more")
	case c.Status.Ended():
		return FieldErr("connection_id", "This connection has ended: a fund pays only towards a connection that is going ahead")
	}
	return f.CheckBalance(amount)
}

// CheckBalance reports whether the fund has amount pence left to spend:
// EINVALID naming amount_pence, saying what is left, when it has not.
func (f *Fund) CheckBalance(amount int) error {
	if left := f.Balance(); amount > left {
		if left <= 0 {
			return FieldErr("amount_pence", "This fund has nothing left to spend")
		}
		return FieldErr("amount_pence", "This fund has "+Pounds(left)+" left: ask for no more than that")
	}
	return nil
}

// Pounds writes an amount in pence as pounds: "£1,250.50", "£3.00".
func Pounds(pence int) string {
	sign := ""
	if pence < 0 {
		sign, pence = "-", -pence
	}
	whole := fmt.Sprint(pence / 100)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return fmt.Sprintf("%s£%s.%02d", sign, b.String(), pence%100)
}

// FundRequest asks a fund to pay towards one of a person's connections:
// asked for with FundID, ConnectionID, Category, AmountPence and Note;
// recorded with the case, the person and who asked when, and decided by
// a coordinator when it asks for more than the fund's threshold.
type FundRequest struct {
	ID           string
	FundID       string
	ConnectionID string
	Category     FundCategory
	AmountPence  int
	// Note says what it pays for: "Ten weeks of boxing club".
	Note   string
	Status FundRequestStatus
	// Reason is why a coordinator declined it.
	Reason string

	// Set by the service from the connection.
	CaseID, PersonID, ServiceOrgID string

	RequestedBy string
	RequestedAt time.Time
	DecidedBy   string
	DecidedAt   time.Time

	// Filled when requests are read.
	FundName, PersonName, AssetName, RequestedByName, DecidedByName string
}

// Validate reports every problem with a request asked for as EINVALID,
// before it is held to its fund and connection: a fund and a connection,
// a known category, an amount of more than nothing and at most MaxPence,
// and a note saying what it pays for.
func (r *FundRequest) Validate() error {
	var p Problems
	if strings.TrimSpace(r.FundID) == "" {
		p.Add("fund_id", "Choose the fund to ask")
	}
	p.Text("fund_id", r.FundID, MaxIDLength)
	if strings.TrimSpace(r.ConnectionID) == "" {
		p.Add("connection_id", "Say which connection it pays towards")
	}
	p.Text("connection_id", r.ConnectionID, MaxIDLength)
	switch {
	case r.Category == "":
		p.Add("category", "Choose what it pays for: fees, travel or kit")
	case !r.Category.Valid():
		p.Add("category", "Choose fees, travel or kit")
	}
	switch {
	case r.AmountPence <= 0:
		p.Add("amount_pence", "Enter the amount, more than £0")
	case r.AmountPence > MaxPence:
		p.Add("amount_pence", "An amount cannot be more than £1,000,000")
	}
	if strings.TrimSpace(r.Note) == "" {
		p.Add("note", "Say what it pays for, such as “ten weeks of boxing club”")
	} else {
		p.Text("note", r.Note, MaxText)
	}
	return p.Err()
}

// FundDecision is a coordinator's decision on a request waiting for one:
// approved (and so paid from the fund), or declined with a reason.
type FundDecision struct {
	To     FundRequestStatus
	Reason string
}

// Validate reports every problem with a decision as EINVALID: approved
// or declined, a reason for a decline, and none for an approval.
func (d *FundDecision) Validate() error {
	var p Problems
	switch d.To {
	case FundApproved:
		if strings.TrimSpace(d.Reason) != "" {
			p.Add("reason", "Only a decline has a reason")
		}
	case FundDeclined:
		if strings.TrimSpace(d.Reason) == "" {
			p.Add("reason", "Say why the request is declined")
		}
	default:
		p.Add("decision", "Choose approved or declined")
	}
	p.Text("reason", d.Reason, MaxText)
	return p.Err()
}

// CheckDecision reports whether a request in status s may be decided:
// only one waiting for a decision. ECONFLICT otherwise: someone decided
// it first, or it was paid at once.
func (s FundRequestStatus) CheckDecision() error {
	if s == FundRequested {
		return nil
	}
	return Errorf(ECONFLICT, "This request has already been decided: it is %s", strings.ToLower(s.Label()))
}

// FundFilter narrows a list of funds.
type FundFilter struct {
	// OpenOn, when set, keeps the funds open on that day.
	OpenOn Date
	Offset int
	Limit  int
}

// FundRequestFilter narrows a list of requests to funds.
type FundRequestFilter struct {
	CaseID       string
	ConnectionID string
	FundID       string
	Status       []FundRequestStatus
	Offset       int
	Limit        int
}

// FundSpend is what approved requests sharing a category, or for one
// person, have taken from the funds.
type FundSpend struct {
	Key   string // the category code, or the person's id
	Label string // the category, or the person's name
	Pence int
	Count int
}

// FundSpendSummary is the spend of the requests an actor may see: in
// total, by category, and by person (those who spent most first).
type FundSpendSummary struct {
	TotalPence int
	Count      int
	ByCategory []FundSpend // most first
	ByPerson   []FundSpend // most first
}

// FundService holds a service's funds and the requests made to them. A
// service's coordinators add funds and decide requests; its link workers
// see the funds, to know what they can draw on, and ask them to pay
// towards their own cases' connections. Nobody else sees funds or
// requests. Every change, and every read of requests (which name the
// person), is audited.
type FundService interface {
	// CreateFund adds a fund to the actor's service. EINVALID for what
	// Fund.Validate refuses; EFORBIDDEN for anyone but its coordinators.
	CreateFund(ctx context.Context, f *Fund) error
	// FindFunds returns the funds the actor may see (their own
	// service's), those whose period ends last first, each with what it
	// has spent and what waits for a decision, and how many there are.
	FindFunds(ctx context.Context, f FundFilter) ([]*Fund, int, error)
	// RequestFund asks a fund to pay towards a connection. A request of
	// up to the fund's threshold is approved, and spent, at once; a
	// larger one waits for a coordinator, who is told. EINVALID for what
	// FundRequest.Validate or Fund.CheckRequest refuses (a request for
	// more than is left names amount_pence, saying what is left);
	// ENOTFOUND for a connection or fund the actor may not see;
	// EFORBIDDEN for a connection that is not theirs to work.
	RequestFund(ctx context.Context, r *FundRequest) error
	// DecideFundRequest approves or declines a request waiting for a
	// decision, for a coordinator of its service. Approval spends from
	// the fund, in the same transaction as the check that the fund has
	// the money: EINVALID naming amount_pence when it has not, or for
	// what Fund.CheckApproval refuses; ECONFLICT when the request has
	// already been decided; ENOTFOUND for a request the actor may not
	// see; EFORBIDDEN for those who may see it but not decide it.
	DecideFundRequest(ctx context.Context, id string, d FundDecision) (*FundRequest, error)
	// FindFundRequests returns the requests the actor may see (a link
	// worker's own cases', a coordinator's service's), newest first, and
	// how many there are.
	FindFundRequests(ctx context.Context, f FundRequestFilter) ([]*FundRequest, int, error)
	// SummariseFundSpend totals the approved requests the actor may see
	// by category, and by person for at most people of those who spent
	// most.
	SummariseFundSpend(ctx context.Context, people int) (*FundSpendSummary, error)
}

// FundsFor is the most a person born on dob can draw on today from the
// funds: the largest balance of those open today whose ages fit them;
// false when none does (what they could draw on is then not known, rather
// than nothing: they may pay their own way).
func FundsFor(funds []*Fund, dob, today Date) (int, bool) {
	most, any := 0, false
	for _, f := range funds {
		if !f.Open(today) {
			continue
		}
		if f.MinAge > 0 || f.MaxAge > 0 {
			if dob.IsZero() {
				continue
			}
			if age := dob.AgeOn(today); age < f.MinAge || f.MaxAge > 0 && age > f.MaxAge {
				continue
			}
		}
		any = true
		most = max(most, f.Balance())
	}
	return most, any
}
