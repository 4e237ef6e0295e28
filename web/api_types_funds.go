package web

import (
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// fundIn is a new fund over the API: amounts in pence, the period as ISO
// dates, ages 0 for no limit.
type fundIn struct {
	Name           string `json:"name"`
	Purpose        string `json:"purpose"`
	BudgetPence    int    `json:"budget_pence"`
	ThresholdPence int    `json:"threshold_pence"`
	StartsOn       string `json:"starts_on"`
	EndsOn         string `json:"ends_on"`
	MinAge         int    `json:"min_age"`
	MaxAge         int    `json:"max_age"`
}

// fundJSON is a fund as the API shows it, with what it has spent, what
// waits for a decision, what is left, and whether it is open today.
type fundJSON struct {
	ID             string    `json:"id"`
	ServiceOrgID   string    `json:"service_org_id"`
	Name           string    `json:"name"`
	Purpose        string    `json:"purpose"`
	BudgetPence    int       `json:"budget_pence"`
	SpentPence     int       `json:"spent_pence"`
	WaitingPence   int       `json:"waiting_pence"`
	BalancePence   int       `json:"balance_pence"`
	ThresholdPence int       `json:"threshold_pence"`
	StartsOn       string    `json:"starts_on"`
	EndsOn         string    `json:"ends_on"`
	Open           bool      `json:"open"`
	MinAge         int       `json:"min_age"`
	MaxAge         int       `json:"max_age"`
	CreatedAt      time.Time `json:"created_at"`
}

func fundOut(f *linkwork.Fund, today linkwork.Date) fundJSON {
	return fundJSON{ID: f.ID, ServiceOrgID: f.ServiceOrgID, Name: f.Name, Purpose: f.Purpose, BudgetPence: f.BudgetPence, SpentPence: f.SpentPence,
		WaitingPence: f.WaitingPence, BalancePence: f.Balance(), ThresholdPence: f.ThresholdPence, StartsOn: f.StartsOn.String(), EndsOn: f.EndsOn.String(),
		Open: f.Open(today), MinAge: f.MinAge, MaxAge: f.MaxAge, CreatedAt: f.CreatedAt}
}

// fundRequestIn asks a fund to pay towards a connection over the API.
type fundRequestIn struct {
	FundID      string                `json:"fund_id"`
	Category    linkwork.FundCategory `json:"category"`
	AmountPence int                   `json:"amount_pence"`
	Note        string                `json:"note"`
}

// fundDecisionIn is a coordinator's decision on a request over the API.
type fundDecisionIn struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

// fundRequestJSON is a request to a fund as the API shows it.
type fundRequestJSON struct {
	ID              string                     `json:"id"`
	FundID          string                     `json:"fund_id"`
	FundName        string                     `json:"fund_name"`
	ConnectionID    string                     `json:"connection_id"`
	CaseID          string                     `json:"case_id"`
	PersonID        string                     `json:"person_id"`
	PersonName      string                     `json:"person_name"`
	AssetName       string                     `json:"asset_name"`
	Category        linkwork.FundCategory      `json:"category"`
	AmountPence     int                        `json:"amount_pence"`
	Note            string                     `json:"note"`
	Status          linkwork.FundRequestStatus `json:"status"`
	Reason          string                     `json:"reason,omitempty"`
	RequestedBy     string                     `json:"requested_by"`
	RequestedByName string                     `json:"requested_by_name"`
	RequestedAt     time.Time                  `json:"requested_at"`
	DecidedBy       string                     `json:"decided_by,omitempty"`
	DecidedByName   string                     `json:"decided_by_name,omitempty"`
	DecidedAt       *time.Time                 `json:"decided_at,omitempty"`
}

func fundRequestOut(r *linkwork.FundRequest) fundRequestJSON {
	out := fundRequestJSON{ID: r.ID, FundID: r.FundID, FundName: r.FundName, ConnectionID: r.ConnectionID, CaseID: r.CaseID, PersonID: r.PersonID,
		PersonName: r.PersonName, AssetName: r.AssetName, Category: r.Category, AmountPence: r.AmountPence, Note: r.Note, Status: r.Status, Reason: r.Reason,
		RequestedBy: r.RequestedBy, RequestedByName: r.RequestedByName, RequestedAt: r.RequestedAt, DecidedBy: r.DecidedBy, DecidedByName: r.DecidedByName}
	if !r.DecidedAt.IsZero() {
		at := r.DecidedAt
		out.DecidedAt = &at
	}
	return out
}

// fundSpendJSON is what approved requests sharing a category, or for
// one person, have taken from the funds.
type fundSpendJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Pence int    `json:"pence"`
	Count int    `json:"count"`
}

// fundSpendSummaryJSON is the spend the caller may see, in total, by
// category and by person.
type fundSpendSummaryJSON struct {
	TotalPence int             `json:"total_pence"`
	Count      int             `json:"count"`
	ByCategory []fundSpendJSON `json:"by_category"`
	ByPerson   []fundSpendJSON `json:"by_person"`
}

func fundSpendSummaryOut(s *linkwork.FundSpendSummary) fundSpendSummaryJSON {
	spends := func(xs []linkwork.FundSpend) []fundSpendJSON {
		out := make([]fundSpendJSON, 0, len(xs))
		for _, x := range xs {
			out = append(out, fundSpendJSON{Key: x.Key, Label: x.Label, Pence: x.Pence, Count: x.Count})
		}
		return out
	}
	return fundSpendSummaryJSON{TotalPence: s.TotalPence, Count: s.Count, ByCategory: spends(s.ByCategory), ByPerson: spends(s.ByPerson)}
}
