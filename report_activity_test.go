package linkwork_test

import (
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// activity is a service's activity as its own staff read it.
func activity() *linkwork.Activity {
	n := func(x int) linkwork.Figure { return linkwork.Figure{N: x} }
	a := &linkwork.Activity{
		Exact:      true,
		Referrals:  n(40),
		ByReferrer: []linkwork.CountRow{{Key: "gp", Count: n(30)}, {Key: "school", Count: n(8)}, {Key: "", Count: n(2)}},
		ByNeed:     []linkwork.CountRow{{Key: "loneliness", Count: n(12)}, {Key: "money", Count: n(3)}},
		Waiting:    []linkwork.CountRow{{Key: "2026-01", Count: n(6)}, {Key: "2026-02", Count: n(4)}},
		Caseloads:  []linkwork.CountRow{{Key: "u1", Label: "Asha", Count: n(20)}, {Key: "u2", Label: "Ben", Count: n(10)}},
		Caseload:   linkwork.CaseloadFigures{LinkWorkers: 2, OpenCases: n(30)},
		Sessions:   n(50), SessionModes: []linkwork.CountRow{{Key: "face_to_face", Count: n(47)}, {Key: "video", Count: n(3)}},
		ConnectionsMade: n(12),
		ByOrganisation:  []linkwork.UptakeRow{{Key: "o1", Made: n(9), Went: n(6), Going: n(4)}, {Key: "o2", Made: n(3), Went: n(3), Going: n(1)}},
		ByCategory:      []linkwork.UptakeRow{{Key: "sports", Made: n(10), Went: n(8), Going: n(5)}},
		Funds: linkwork.FundFigures{ByCategory: []linkwork.FundRow{{Category: linkwork.FundFees, Requests: n(6), SpentPence: 6000}, {Category: linkwork.FundTravel, Requests: n(2), SpentPence: 800}},
			People: n(6), SpentPence: 6800},
	}
	a.Rates()
	return a
}

func TestTheActivityIsExactForTheServicesOwnStaff(t *testing.T) {
	a := activity()
	if a.Caseload.Average != 15 || a.Caseload.AverageHidden || a.ByCategory[0].Uptake != 80 || a.Funds.PerPersonPence != 6800.0/6 || a.Funds.SpentHidden() {
		t.Errorf("rates: caseload %+v, uptake %v, funds %+v", a.Caseload, a.ByCategory[0].Uptake, a.Funds)
	}
}

func TestTheActivitySuppressedForAReaderOutsideTheService(t *testing.T) {
	S, W, H := linkwork.Shown, linkwork.Withheld, linkwork.Small
	a := activity()
	a.Suppress()
	hidden := func(rows []linkwork.CountRow) []linkwork.Hidden {
		var out []linkwork.Hidden
		for _, r := range rows {
			out = append(out, r.Count.Hidden)
		}
		return out
	}
	same := func(a, b []linkwork.Hidden) bool {
		if len(a) != len(b) {
			return false
		}
		for i := range a {
			if a[i] != b[i] {
				return false
			}
		}
		return true
	}
	tests := []struct {
		name string
		got  []linkwork.Hidden
		want []linkwork.Hidden
	}{
		{"a small referrer takes the next smallest with it", hidden(a.ByReferrer), []linkwork.Hidden{S, W, H}},
		{"needs, adding up to nothing shown, hide only the small", hidden(a.ByNeed), []linkwork.Hidden{S, H}},
		{"each month's waiting list stands on its own", hidden(a.Waiting), []linkwork.Hidden{S, H}},
		{"a small mode of sessions takes the other with it", hidden(a.SessionModes), []linkwork.Hidden{W, H}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !same(tt.got, tt.want) {
				t.Errorf("got %v, want %v", tt.got, tt.want)
			}
		})
	}
	t.Run("no link worker is named, the caseloads are added up", func(t *testing.T) {
		if a.Exact || len(a.Caseloads) != 0 || a.Caseload.OpenCases.N != 30 || a.Caseload.Average != 15 {
			t.Errorf("caseloads %+v, %+v", a.Caseloads, a.Caseload)
		}
	})
	t.Run("an organisation's small connections take the other's made with them", func(t *testing.T) {
		o1, o2 := a.ByOrganisation[0], a.ByOrganisation[1]
		if o1.Made.Hidden != W || o2.Made.Hidden != H || o2.Went.Hidden != H || o1.Went.Hidden != S || !o1.UptakeHidden || o1.Uptake != 0 {
			t.Errorf("organisations: %+v, %+v", o1, o2)
		}
	})
	t.Run("a fund category's small requests hide its spend, the total and the spend a person", func(t *testing.T) {
		f := a.Funds
		if f.ByCategory[1].Requests.Hidden != H || f.ByCategory[1].SpentPence != 0 || f.ByCategory[0].SpentPence != 6000 || !f.SpentHidden() || f.SpentPence != 0 {
			t.Errorf("funds: %+v", f)
		}
		// Six people helped are shown, but their spend a person would
		// give the hidden total away.
		if !f.PerPersonHidden || f.PerPersonPence != 0 || f.People.Hidden != S {
			t.Errorf("the spend a person: %+v", f)
		}
	})
}

func TestTheActivitySaysWhichFiltersDoNotNarrowEachGroup(t *testing.T) {
	all := linkwork.ReportFilter{Pathway: linkwork.PathwayGP, AgeBand: "13-15", LinkWorkerID: "u1", ReferrerOrgID: "o1"}
	tests := []struct {
		name  string
		f     linkwork.ReportFilter
		group linkwork.ActivityGroup
		want  string
	}{
		{"no filter chosen leaves nothing to say", linkwork.ReportFilter{}, linkwork.ActivityOthers, ""},
		{"the pathway narrows the referrals by source and need", all, linkwork.ActivityReferrals, "age band, link worker, referring organisation"},
		{"the link worker narrows the caseloads", all, linkwork.ActivityCaseloads, "pathway, age band, referring organisation"},
		{"no filter narrows the rest", all, linkwork.ActivityOthers, "pathway, age band, link worker, referring organisation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(tt.f.ActivityUnfiltered(tt.group), ", "); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTopKeysSplitTheBusiestFromTheRest(t *testing.T) {
	for _, tt := range []struct {
		name       string
		counts     map[string]int
		n          int
		top, rest  []string
		otherLabel string
	}{
		{"fewer than the cut are all named", map[string]int{"a": 1, "b": 3}, 3, []string{"b", "a"}, nil, ""},
		{"as many as the cut are all named", map[string]int{"a": 1, "b": 3, "c": 2}, 3, []string{"b", "c", "a"}, nil, ""},
		{"the busiest are named, most first", map[string]int{"a": 1, "b": 3, "c": 2, "d": 5}, 2, []string{"d", "b"}, []string{"c", "a"}, "2 other organisations"},
		{"a tie is cut the same way every time, by key", map[string]int{"x": 4, "y": 4, "z": 4}, 2, []string{"x", "y"}, []string{"z"}, "1 other organisation"},
		{"none given is ranked like any other", map[string]int{"": 9, "a": 1}, 1, []string{""}, []string{"a"}, "1 other organisation"},
		{"nothing counted", nil, 3, []string{}, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			top, rest := linkwork.TopKeys(tt.counts, tt.n)
			if strings.Join(top, ",") != strings.Join(tt.top, ",") || len(top) != len(tt.top) || strings.Join(rest, ",") != strings.Join(tt.rest, ",") {
				t.Errorf("TopKeys = %q, %q; want %q, %q", top, rest, tt.top, tt.rest)
			}
			if len(rest) > 0 {
				if got := linkwork.OtherOrganisationsLabel(len(rest)); got != tt.otherLabel {
					t.Errorf("the rest are labelled %q, want %q", got, tt.otherLabel)
				}
			}
		})
	}
}

// TestTheRowsAddingUpTheRestSayHowMany: the row adding up what a table
// does not name says how many, in the singular for one.
func TestTheRowsAddingUpTheRestSayHowMany(t *testing.T) {
	for _, tt := range []struct{ got, want string }{
		{linkwork.OtherOrganisationsLabel(1), "1 other organisation"},
		{linkwork.OtherOrganisationsLabel(12), "12 other organisations"},
		{linkwork.OtherLinkWorkersLabel(1), "1 other link worker"},
		{linkwork.OtherLinkWorkersLabel(328), "328 other link workers"},
	} {
		if tt.got != tt.want {
			t.Errorf("%q, want %q", tt.got, tt.want)
		}
	}
}
