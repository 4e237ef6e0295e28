package linkwork_test

import (
	"encoding/json"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestParsePostcode(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"s1 2hh", "S1 2HH", true},
		{"SW1A1AA", "SW1A 1AA", true},
		{" m14  5ra ", "M14 5RA", true},
		{"LS6", "LS6", true},
		{"EC1A 1BB", "EC1A 1BB", true},
		{"", "", false},
		{"12345", "", false},
		{"S1 2H", "", false},
		{"HELLO WORLD", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			p, err := linkwork.ParsePostcode(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if err != nil && linkwork.ErrorCode(err) != linkwork.EINVALID {
				t.Fatalf("code %s", linkwork.ErrorCode(err))
			}
			if p.String() != tt.want {
				t.Fatalf("got %q, want %q", p.String(), tt.want)
			}
		})
	}
}

func TestAgeOn(t *testing.T) {
	dob := linkwork.Date{Year: 2010, Month: 5, Day: 14}
	for _, tt := range []struct {
		on   linkwork.Date
		want int
	}{
		{linkwork.Date{Year: 2026, Month: 5, Day: 13}, 15},
		{linkwork.Date{Year: 2026, Month: 5, Day: 14}, 16},
		{linkwork.Date{Year: 2026, Month: 1, Day: 1}, 15},
		{linkwork.Date{Year: 2026, Month: 12, Day: 31}, 16},
	} {
		if got := dob.AgeOn(tt.on); got != tt.want {
			t.Errorf("age on %s = %d, want %d", tt.on, got, tt.want)
		}
	}
}

func TestDateJSON(t *testing.T) {
	var v struct{ D linkwork.Date }
	if err := json.Unmarshal([]byte(`{"D":"2009-04-30"}`), &v); err != nil || v.D.String() != "2009-04-30" {
		t.Fatalf("%v %v", v.D, err)
	}
	for _, bad := range []string{`{"D":"30/04/2009"}`, `{"D":2009}`, `{"D":"2009-02-30"}`} {
		if err := json.Unmarshal([]byte(bad), &v); err == nil {
			t.Errorf("%s was accepted", bad)
		}
	}
	b, _ := json.Marshal(struct{ D linkwork.Date }{})
	if string(b) != `{"D":null}` {
		t.Fatalf("zero date marshals as %s", b)
	}
}

func TestReferralTransitions(t *testing.T) {
	allowed := map[linkwork.ReferralStatus][]linkwork.ReferralStatus{
		linkwork.ReferralReceived: {linkwork.ReferralTriage, linkwork.ReferralAccepted, linkwork.ReferralDeclined, linkwork.ReferralDeferred, linkwork.ReferralWithdrawn},
		linkwork.ReferralTriage:   {linkwork.ReferralAccepted, linkwork.ReferralDeclined, linkwork.ReferralDeferred, linkwork.ReferralWithdrawn},
		linkwork.ReferralDeferred: {linkwork.ReferralTriage, linkwork.ReferralAccepted, linkwork.ReferralDeclined, linkwork.ReferralWithdrawn},
		linkwork.ReferralAccepted: {linkwork.ReferralWithdrawn},
	}
	for _, from := range linkwork.ReferralStatuses {
		for _, to := range linkwork.ReferralStatuses {
			want := false
			for _, x := range allowed[from] {
				want = want || x == to
			}
			if got := from.CanBecome(to); got != want {
				t.Errorf("%s -> %s = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestReferralDecisionValidation(t *testing.T) {
	today := linkwork.Date{Year: 2026, Month: 3, Day: 10}
	tests := []struct {
		name  string
		from  linkwork.ReferralStatus
		d     linkwork.ReferralDecision
		field string
	}{
		{"accept from received", linkwork.ReferralReceived, linkwork.ReferralDecision{To: linkwork.ReferralAccepted}, ""},
		{"declined referral needs an onward destination", linkwork.ReferralTriage, linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "r"}, "onward_destination"},
		{"declined referral needs a reason", linkwork.ReferralTriage, linkwork.ReferralDecision{To: linkwork.ReferralDeclined, OnwardDestination: "GP"}, "reason"},
		{"deferral needs a future date", linkwork.ReferralTriage, linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: today}, "defer_until"},
		{"deferral to tomorrow", linkwork.ReferralTriage, linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: linkwork.Date{Year: 2026, Month: 3, Day: 11}}, ""},
		{"withdrawal needs a reason", linkwork.ReferralAccepted, linkwork.ReferralDecision{To: linkwork.ReferralWithdrawn}, "reason"},
		{"a declined referral stays declined", linkwork.ReferralDeclined, linkwork.ReferralDecision{To: linkwork.ReferralAccepted}, "to"},
		{"only acceptance allocates", linkwork.ReferralTriage, linkwork.ReferralDecision{To: linkwork.ReferralDeferred, DeferUntil: linkwork.Date{Year: 2027, Month: 1, Day: 1}, LinkWorkerID: "u"}, "link_worker_id"},
		{"an unknown streetlight", linkwork.ReferralTriage, linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: "blue"}, "streetlight"},
		{"an unknown decision", linkwork.ReferralTriage, linkwork.ReferralDecision{To: "maybe"}, "to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.d.Validate(tt.from, today)
			if tt.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, f := range linkwork.ErrorFields(err) {
				if f.Field == tt.field {
					return
				}
			}
			t.Fatalf("error %v does not name %s", err, tt.field)
		})
	}
}

func TestCaseAndConnectionTransitions(t *testing.T) {
	if !linkwork.CaseWaiting.CanBecome(linkwork.CaseActive) || linkwork.CaseClosed.CanBecome(linkwork.CaseActive) || linkwork.CaseWaiting.CanBecome(linkwork.CaseEnding) {
		t.Error("case transitions wrong")
	}
	path := []linkwork.ConnectionStatus{linkwork.ConnSuggested, linkwork.ConnContacted, linkwork.ConnAccepted, linkwork.ConnAttended, linkwork.ConnContinuing, linkwork.ConnDropped}
	for i := 1; i < len(path); i++ {
		if !path[i-1].CanBecome(path[i]) {
			t.Errorf("%s cannot become %s", path[i-1], path[i])
		}
	}
	if linkwork.ConnDropped.CanBecome(linkwork.ConnContinuing) || linkwork.ConnDeclined.CanBecome(linkwork.ConnAccepted) || linkwork.ConnSuggested.CanBecome(linkwork.ConnDeclined) {
		t.Error("a dead end moved on")
	}
}

func TestProblemsNameEveryField(t *testing.T) {
	var p linkwork.Problems
	if p.Err() != nil {
		t.Fatal("no problems is an error")
	}
	p.Add("a", "A is wrong")
	p.Add("b", "B is wrong")
	err := p.Err()
	if linkwork.ErrorCode(err) != linkwork.EINVALID || len(linkwork.ErrorFields(err)) != 2 || !p.Has("b") {
		t.Fatalf("%v", err)
	}
	if linkwork.ErrorCode(nil) != "" || linkwork.ErrorCode(errString("x")) != linkwork.EINTERNAL {
		t.Fatal("codes of non-application errors")
	}
}

type errString string

func (e errString) Error() string { return string(e) }

func TestRolesFitOrganisations(t *testing.T) {
	for _, r := range linkwork.Roles {
		if len(r.OrgKinds()) == 0 || r.Label() == string(r) {
			t.Errorf("role %s has no organisation kinds or label", r)
		}
	}
}
