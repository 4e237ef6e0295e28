package linkwork_test

import (
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

func TestPRSBDictionaryNamesEachColumnOnceWithItsElement(t *testing.T) {
	parts := linkwork.PRSBParts()
	if len(parts) != 4 {
		t.Fatalf("%d parts, the standard's report has four", len(parts))
	}
	for _, p := range parts {
		seen := map[string]bool{}
		for _, c := range p.Columns {
			if seen[c.Name] {
				t.Errorf("%s lists %s twice", p.Name, c.Name)
			}
			seen[c.Name] = true
			if c.Section == "" || c.Element == "" || c.Description == "" || c.Type == "" {
				t.Errorf("%s.%s is not fully described: %+v", p.Name, c.Name, c)
			}
			if c.Type == "code" && len(c.Codes) == 0 {
				t.Errorf("%s.%s is a code column without codes", p.Name, c.Name)
			}
		}
		if p.Columns[0].Name != "person" {
			t.Errorf("%s does not start with the person", p.Name)
		}
	}
}

func TestPRSBItemScoresReportONS4ItemByItemAndTheMeanOfGoals(t *testing.T) {
	jan := time.Date(2026, 1, 10, 10, 0, 0, 0, time.UTC)
	mar := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	ons4 := linkwork.PRSBItemScores(linkwork.InstrumentONS4, []linkwork.MeasureCompletion{
		{At: mar, Answers: []*int{new(8), new(7), nil, new(2)}},
		{At: jan, Answers: []*int{new(4), new(5), new(3), new(8)}},
		// Two completions at one time count as their mean.
		{At: jan, Answers: []*int{new(5), new(5), new(3), new(7)}},
	})
	got := map[string]linkwork.PRSBScore{}
	for _, s := range ons4 {
		got[s.Measure] = s
	}
	for measure, want := range map[string][2]float64{
		"ons4_life_satisfaction": {4.5, 8}, "ons4_worthwhile": {5, 7}, "ons4_anxiety": {7.5, 2},
	} {
		s := got[measure]
		if s.First != want[0] || s.Last != want[1] || !s.FirstAt.Equal(jan) || !s.LastAt.Equal(mar) {
			t.Errorf("%s = %+v, want %v from January to March", measure, s, want)
		}
	}
	// Happiness was not answered in March: its latest is its first.
	if h := got["ons4_happiness"]; h.First != 3 || !h.LastAt.Equal(jan) {
		t.Errorf("happiness = %+v, want 3 in January alone", h)
	}
	gbo := linkwork.PRSBItemScores(linkwork.InstrumentGBO, []linkwork.MeasureCompletion{{At: jan, Answers: []*int{new(2), new(4)}}, {At: mar, Answers: []*int{new(6), new(9), new(9)}}})
	if len(gbo) != 1 || gbo[0].Measure != "gbo_mean" || gbo[0].First != 3 || gbo[0].Last != 8 {
		t.Errorf("goal-based outcomes = %+v, want the mean of the goals, 3 then 8", gbo)
	}
	if s := linkwork.PRSBItemScores(linkwork.InstrumentWEMWBS, []linkwork.MeasureCompletion{{At: jan, Answers: []*int{new(3)}}}); s != nil {
		t.Errorf("an instrument with a total gives item scores %+v", s)
	}
}

func TestPRSBReportIsPersonByPersonAndCoarsened(t *testing.T) {
	key := linkwork.PseudonymKey([]byte(strings.Repeat("s", 32)), "nhs england")
	jan := time.Date(2026, 1, 31, 23, 30, 0, 0, time.UTC) // 31 January in London
	jun := time.Date(2026, 5, 31, 23, 30, 0, 0, time.UTC) // 1 June in London
	tables := linkwork.PRSBReport(key, linkwork.Date{Year: 2026, Month: 7, Day: 1}, []linkwork.PRSBReferral{
		{PersonID: "p-1", ReferralID: "r-1", Received: jan, DateOfBirth: linkwork.Date{Year: 1990, Month: 7, Day: 2}, Gender: "Woman", Ethnicity: "Indian", Postcode: "s2 4qx",
			Pathway: linkwork.PathwayGP, Status: linkwork.ReferralDeclined},
		{PersonID: "p-1", ReferralID: "r-2", Received: jun, DateOfBirth: linkwork.Date{Year: 1990, Month: 7, Day: 2}, Gender: "Woman", Ethnicity: "Indian", Postcode: "s2 4qx",
			Pathway: linkwork.PathwaySelf, Status: linkwork.ReferralAccepted, Concerns: map[linkwork.ConcernCategory]int{linkwork.ConcernBullying: 2},
			Episode: &linkwork.PRSBEpisode{Status: linkwork.CaseActive, Opened: jun, Needs: []linkwork.NeedDomain{linkwork.NeedHousing},
				Sessions: map[linkwork.ContactMode]int{linkwork.ContactVideo: 3}, FundsApproved: 1, FundsPence: 1250,
				Scores: []linkwork.PRSBScore{{Measure: "swemwbs", FirstAt: jun, First: 19.25, LastAt: jun, Last: 19.25}}}},
	})
	row := func(part int, i int) map[string]string {
		out := map[string]string{}
		for j, h := range tables[part].Header {
			out[h] = tables[part].Rows[i][j]
		}
		return out
	}
	if len(tables[0].Rows) != 1 {
		t.Fatalf("one person has %d demographics rows", len(tables[0].Rows))
	}
	who := linkwork.Pseudonym(key, "p-1")
	for col, want := range map[string]string{"person": who, "age_band": "35-44", "gender": "female", "ethnic_category": "H", "postcode_district": "S2", "first_referral_month": "2026-01", "referrals": "2"} {
		if got := row(0, 0)[col]; got != want {
			t.Errorf("demographics %s = %q, want %q", col, got, want)
		}
	}
	if len(tables[1].Rows) != 2 || len(tables[2].Rows) != 1 || len(tables[3].Rows) != 1 {
		t.Fatalf("rows: %d needs, %d support, %d outcomes; want 2, 1, 1", len(tables[1].Rows), len(tables[2].Rows), len(tables[3].Rows))
	}
	for i := range tables[1].Rows {
		r := row(1, i)
		want := map[string]string{"need_housing": "", "concerns_bullying": "0"}
		if r["referral"] == linkwork.Pseudonym(key, "r-2") {
			want = map[string]string{"referral_month": "2026-06", "need_housing": "1", "need_money": "0", "concerns_bullying": "2"}
		}
		for col, v := range want {
			if r[col] != v {
				t.Errorf("referral %d's %s = %q, want %q", i, col, r[col], v)
			}
		}
	}
	for col, want := range map[string]string{"sessions_video": "3", "sessions_face_to_face": "0", "funds_approved": "1", "funds_approved_pounds": "12.50", "case_opened_month": "2026-06"} {
		if got := row(2, 0)[col]; got != want {
			t.Errorf("support %s = %q, want %q", col, got, want)
		}
	}
	for col, want := range map[string]string{"measure": "swemwbs", "first_month": "2026-06", "first_score": "19.25", "latest_month": "", "latest_score": ""} {
		if got := row(3, 0)[col]; got != want {
			t.Errorf("outcomes %s = %q, want %q", col, got, want)
		}
	}
}
