package linkwork_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestFundValidateNamesEachField(t *testing.T) {
	good := func() linkwork.Fund {
		return linkwork.Fund{Name: "Activity fund for 11-18s", BudgetPence: 200000, ThresholdPence: 2500,
			StartsOn: linkwork.Date{Year: 2026, Month: 4, Day: 1}, EndsOn: linkwork.Date{Year: 2027, Month: 3, Day: 31}, MinAge: 11, MaxAge: 18}
	}
	tests := map[string]struct {
		change func(*linkwork.Fund)
		field  string
	}{
		"a complete fund is accepted":                               {func(*linkwork.Fund) {}, ""},
		"a fund for any age is accepted":                            {func(f *linkwork.Fund) { f.MinAge, f.MaxAge = 0, 0 }, ""},
		"a threshold of nothing makes every request wait":           {func(f *linkwork.Fund) { f.ThresholdPence = 0 }, ""},
		"a period of one day is accepted":                           {func(f *linkwork.Fund) { f.EndsOn = f.StartsOn }, ""},
		"a fund needs a name":                                       {func(f *linkwork.Fund) { f.Name = "  " }, "name"},
		"a name is a line of text":                                  {func(f *linkwork.Fund) { f.Name = strings.Repeat("x", linkwork.MaxShortText+1) }, "name"},
		"a fund needs a budget":                                     {func(f *linkwork.Fund) { f.BudgetPence = 0 }, "budget_pence"},
		"a budget cannot be negative":                               {func(f *linkwork.Fund) { f.BudgetPence = -1 }, "budget_pence"},
		"a budget is at most a million pounds":                      {func(f *linkwork.Fund) { f.BudgetPence = linkwork.MaxPence + 1 }, "budget_pence"},
		"a fund needs the start of its period":                      {func(f *linkwork.Fund) { f.StartsOn = linkwork.Date{} }, "starts_on"},
		"a fund needs the end of its period":                        {func(f *linkwork.Fund) { f.EndsOn = linkwork.Date{} }, "ends_on"},
		"a period cannot end before it starts":                      {func(f *linkwork.Fund) { f.EndsOn = linkwork.Date{Year: 2026, Month: 3, Day: 31} }, "ends_on"},
		"a threshold cannot be negative":                            {func(f *linkwork.Fund) { f.ThresholdPence = -1 }, "threshold_pence"},
		"a threshold cannot be more than the budget":                {func(f *linkwork.Fund) { f.ThresholdPence = f.BudgetPence + 1 }, "threshold_pence"},
		"an age cannot be negative":                                 {func(f *linkwork.Fund) { f.MinAge = -1 }, "min_age"},
		"the oldest age cannot be below the youngest":               {func(f *linkwork.Fund) { f.MinAge, f.MaxAge = 18, 11 }, "max_age"},
		"an age is at most a human lifetime":                        {func(f *linkwork.Fund) { f.MaxAge = linkwork.MaxFundAge + 1 }, "max_age"},
		"what it is for is free text of bounded length":             {func(f *linkwork.Fund) { f.Purpose = strings.Repeat("x", linkwork.MaxText+1) }, "purpose"},
		"a fund for people up to an age has no lower bound":         {func(f *linkwork.Fund) { f.MinAge = 0 }, ""},
		"a fund for people from an age has no upper bound":          {func(f *linkwork.Fund) { f.MaxAge = 0 }, ""},
		"a threshold of the whole budget pays all requests at once": {func(f *linkwork.Fund) { f.ThresholdPence = f.BudgetPence }, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f := good()
			tt.change(&f)
			before := f
			err := f.Validate()
			if f != before {
				t.Error("Validate changed the fund")
			}
			checkField(t, err, tt.field)
		})
	}
}

// checkField fails unless err is nil when field is "", and otherwise
// EINVALID naming field.
func checkField(t *testing.T, err error, field string) {
	t.Helper()
	if field == "" {
		if err != nil {
			t.Fatalf("got %v, want nil", err)
		}
		return
	}
	if p := linkwork.Problems(linkwork.ErrorFields(err)); linkwork.ErrorCode(err) != linkwork.EINVALID || !p.Has(field) {
		t.Fatalf("got %v, want a problem with %s", err, field)
	}
}

func TestFundRequestValidateNamesEachField(t *testing.T) {
	good := func() linkwork.FundRequest {
		return linkwork.FundRequest{FundID: "f1", ConnectionID: "n1", Category: linkwork.FundFees, AmountPence: 4000, Note: "Ten weeks of boxing club"}
	}
	tests := map[string]struct {
		change func(*linkwork.FundRequest)
		field  string
	}{
		"a complete request is accepted":          {func(*linkwork.FundRequest) {}, ""},
		"travel and kit are categories too":       {func(r *linkwork.FundRequest) { r.Category = linkwork.FundKit }, ""},
		"a request names its fund":                {func(r *linkwork.FundRequest) { r.FundID = "" }, "fund_id"},
		"a request names its connection":          {func(r *linkwork.FundRequest) { r.ConnectionID = " " }, "connection_id"},
		"a request says what it pays for":         {func(r *linkwork.FundRequest) { r.Category = "" }, "category"},
		"an unknown category is refused":          {func(r *linkwork.FundRequest) { r.Category = "food" }, "category"},
		"a request asks for more than nothing":    {func(r *linkwork.FundRequest) { r.AmountPence = 0 }, "amount_pence"},
		"a request cannot ask for a negative sum": {func(r *linkwork.FundRequest) { r.AmountPence = -100 }, "amount_pence"},
		"a request asks for at most a million":    {func(r *linkwork.FundRequest) { r.AmountPence = linkwork.MaxPence + 1 }, "amount_pence"},
		"a request needs a note":                  {func(r *linkwork.FundRequest) { r.Note = "  " }, "note"},
		"a note is bounded":                       {func(r *linkwork.FundRequest) { r.Note = strings.Repeat("x", linkwork.MaxText+1) }, "note"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			r := good()
			tt.change(&r)
			before := r
			err := r.Validate()
			if r != before {
				t.Error("Validate changed the request")
			}
			checkField(t, err, tt.field)
		})
	}
}

func TestFundDecisionValidate(t *testing.T) {
	tests := map[string]struct {
		d     linkwork.FundDecision
		field string
	}{
		"an approval needs nothing more":     {linkwork.FundDecision{To: linkwork.FundApproved}, ""},
		"a decline with a reason":            {linkwork.FundDecision{To: linkwork.FundDeclined, Reason: "Free taster sessions first"}, ""},
		"a decline needs a reason":           {linkwork.FundDecision{To: linkwork.FundDeclined, Reason: " "}, "reason"},
		"an approval has no reason":          {linkwork.FundDecision{To: linkwork.FundApproved, Reason: "Fine"}, "reason"},
		"a decision is approved or declined": {linkwork.FundDecision{To: linkwork.FundRequested}, "decision"},
		"an unknown decision is refused":     {linkwork.FundDecision{To: "maybe"}, "decision"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			checkField(t, tt.d.Validate(), tt.field)
		})
	}
}

func TestAFundPaysOnlyWhatItHasLeftWithinItsPeriodAndAges(t *testing.T) {
	fund := func() *linkwork.Fund {
		return &linkwork.Fund{Name: "Activity fund for 11-18s", BudgetPence: 10000, SpentPence: 7500, ThresholdPence: 2500,
			StartsOn: linkwork.Date{Year: 2026, Month: 4, Day: 1}, EndsOn: linkwork.Date{Year: 2027, Month: 3, Day: 31}, MinAge: 11, MaxAge: 18}
	}
	today := linkwork.Date{Year: 2026, Month: 6, Day: 1}
	fifteen := linkwork.Date{Year: 2011, Month: 1, Day: 1}
	live := &linkwork.Connection{Status: linkwork.ConnAccepted}
	tests := map[string]struct {
		change  func(f *linkwork.Fund, c *linkwork.Connection)
		dob     linkwork.Date
		on      linkwork.Date
		amount  int
		field   string
		message string
	}{
		"what is left may all be asked for":                 {nil, fifteen, today, 2500, "", ""},
		"more than is left is refused, saying what is left": {nil, fifteen, today, 2501, "amount_pence", "£25.00 left"},
		"a spent fund has nothing left":                     {func(f *linkwork.Fund, _ *linkwork.Connection) { f.SpentPence = f.BudgetPence }, fifteen, today, 1, "amount_pence", "nothing left"},
		"a fund pays nothing before its period":             {nil, fifteen, linkwork.Date{Year: 2026, Month: 3, Day: 31}, 100, "fund_id", "opens on 1 April 2026"},
		"a fund pays on its first day":                      {nil, fifteen, linkwork.Date{Year: 2026, Month: 4, Day: 1}, 100, "", ""},
		"a fund pays on its last day":                       {nil, fifteen, linkwork.Date{Year: 2027, Month: 3, Day: 31}, 100, "", ""},
		"a fund pays nothing after its period":              {nil, fifteen, linkwork.Date{Year: 2027, Month: 4, Day: 1}, 100, "fund_id", "closed on 31 March 2027"},
		"a suggested connection may be paid for":            {func(_ *linkwork.Fund, c *linkwork.Connection) { c.Status = linkwork.ConnSuggested }, fifteen, today, 100, "", ""},
		"a declined connection takes no requests":           {func(_ *linkwork.Fund, c *linkwork.Connection) { c.Status = linkwork.ConnDeclined }, fifteen, today, 100, "connection_id", "ended"},
		"a dropped connection takes no requests":            {func(_ *linkwork.Fund, c *linkwork.Connection) { c.Status = linkwork.ConnDropped }, fifteen, today, 100, "connection_id", "ended"},
		"someone too old for the fund is refused":           {nil, linkwork.Date{Year: 2000, Month: 1, Day: 1}, today, 100, "fund_id", "they are 26"},
		"someone too young for the fund is refused":         {nil, linkwork.Date{Year: 2016, Month: 1, Day: 1}, today, 100, "fund_id", "ages 11 to 18"},
		"an age-limited fund needs a date of birth":         {nil, linkwork.Date{}, today, 100, "fund_id", "date of birth"},
		"a fund for any age needs no date of birth":         {func(f *linkwork.Fund, _ *linkwork.Connection) { f.MinAge, f.MaxAge = 0, 0 }, linkwork.Date{}, today, 100, "", ""},
		"on their 19th birthday they are too old for 11-18": {nil, linkwork.Date{Year: 2007, Month: 6, Day: 1}, today, 100, "fund_id", "they are 19"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			f, c := fund(), *live
			if tt.change != nil {
				tt.change(f, &c)
			}
			err := f.CheckRequest(&c, tt.dob, tt.on, tt.amount)
			checkField(t, err, tt.field)
			if tt.message != "" && !strings.Contains(linkwork.ErrorFields(err)[0].Message, tt.message) {
				t.Fatalf("message %q does not say %q", linkwork.ErrorFields(err)[0].Message, tt.message)
			}
		})
	}
	t.Run("approval holds the period, the connection and the balance but not the ages", func(t *testing.T) {
		f := fund()
		if err := f.CheckApproval(live, today, 2500); err != nil {
			t.Fatalf("approval of what is left: %v", err)
		}
		checkField(t, f.CheckApproval(live, today, 2501), "amount_pence")
		checkField(t, f.CheckApproval(live, linkwork.Date{Year: 2027, Month: 4, Day: 1}, 1), "fund_id")
		checkField(t, f.CheckApproval(&linkwork.Connection{Status: linkwork.ConnDropped}, today, 1), "connection_id")
	})
}

func TestARequestWaitsForACoordinatorOnlyAboveTheThreshold(t *testing.T) {
	f := &linkwork.Fund{ThresholdPence: 2500}
	for amount, waits := range map[int]bool{1: false, 2500: false, 2501: true} {
		if got := f.NeedsDecision(amount); got != waits {
			t.Errorf("a request for %s waits = %v, want %v", linkwork.Pounds(amount), got, waits)
		}
	}
	if !(&linkwork.Fund{}).NeedsDecision(1) {
		t.Error("with a threshold of nothing, a request for 1p is paid without a decision")
	}
}

func TestOnlyAWaitingRequestIsDecided(t *testing.T) {
	if err := linkwork.FundRequested.CheckDecision(); err != nil {
		t.Fatalf("a waiting request: %v", err)
	}
	for _, s := range []linkwork.FundRequestStatus{linkwork.FundApproved, linkwork.FundDeclined} {
		if code := linkwork.ErrorCode(s.CheckDecision()); code != linkwork.ECONFLICT {
			t.Errorf("deciding a request %s: %q, want a conflict", s, code)
		}
	}
}

func TestPoundsAndAges(t *testing.T) {
	for pence, want := range map[int]string{0: "£0.00", 5: "£0.05", 250: "£2.50", 100000: "£1,000.00", 123456789: "£1,234,567.89", -250: "-£2.50"} {
		if got := linkwork.Pounds(pence); got != want {
			t.Errorf("Pounds(%d) = %q, want %q", pence, got, want)
		}
	}
	for f, want := range map[linkwork.Fund]string{{MinAge: 11, MaxAge: 18}: "Ages 11 to 18", {MinAge: 16}: "Ages 16 and over", {MaxAge: 25}: "Ages 25 and under", {}: "Any age"} {
		if got := f.AgesLabel(); got != want {
			t.Errorf("AgesLabel = %q, want %q", got, want)
		}
	}
}

func TestFundsForIsTheMostAPersonCanDrawOnToday(t *testing.T) {
	today := linkwork.Date{Year: 2026, Month: 6, Day: 1}
	dob15 := linkwork.Date{Year: 2011, Month: 1, Day: 1}
	fund := func(budget, spent, minAge, maxAge int, open bool) *linkwork.Fund {
		f := &linkwork.Fund{BudgetPence: budget, SpentPence: spent, MinAge: minAge, MaxAge: maxAge,
			StartsOn: linkwork.Date{Year: 2026, Month: 4, Day: 1}, EndsOn: linkwork.Date{Year: 2027, Month: 3, Day: 31}}
		if !open {
			f.EndsOn = linkwork.Date{Year: 2026, Month: 3, Day: 31}
			f.StartsOn = linkwork.Date{Year: 2025, Month: 4, Day: 1}
		}
		return f
	}
	for _, tt := range []struct {
		name  string
		funds []*linkwork.Fund
		dob   linkwork.Date
		want  int
		known bool
	}{
		{"no funds: not known", nil, dob15, 0, false},
		{"a closed fund does not count", []*linkwork.Fund{fund(50000, 0, 0, 0, false)}, dob15, 0, false},
		{"a fund for other ages does not count", []*linkwork.Fund{fund(50000, 0, 18, 25, true)}, dob15, 0, false},
		{"a fund for some ages needs a date of birth", []*linkwork.Fund{fund(50000, 0, 11, 18, true)}, linkwork.Date{}, 0, false},
		{"the largest balance of those that fit", []*linkwork.Fund{fund(50000, 45000, 11, 18, true), fund(20000, 0, 0, 0, true)}, dob15, 20000, true},
		{"a spent fund is known to hold nothing", []*linkwork.Fund{fund(10000, 10000, 0, 0, true)}, dob15, 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, known := linkwork.FundsFor(tt.funds, tt.dob, today)
			if got != tt.want || known != tt.known {
				t.Fatalf("FundsFor = %d, %v; want %d, %v", got, known, tt.want, tt.known)
			}
		})
	}
}
