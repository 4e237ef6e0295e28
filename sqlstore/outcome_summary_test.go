package sqlstore_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/outcomes"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// wemwbsOf are WEMWBS answers adding up to total (14 to 70).
func wemwbsOf(total int) []*int {
	answers := make([]int, 14)
	left := total - 14
	for i := range answers {
		answers[i] = 1 + min(4, left)
		left -= answers[i] - 1
	}
	return linkwork.Ints(answers...)
}

// episode is a case with its responses to one instrument: totals for
// WEMWBS, raw answers otherwise.
type episode struct {
	person     *linkwork.Person
	worker     func(w *world) *linkwork.User
	instrument linkwork.Instrument
	answers    [][]*int
	// goals is the number of goals a GBO episode's case has, and rated
	// the goals each response rates, by their index, in the order of its
	// answers (when nil, the first goals in order).
	goals int
	rated [][]int
}

// outcomeWorld records the episodes' responses, the first thirty days
// before the clock's day and each later one a week after the last.
func outcomeWorld(t *testing.T, w *world, episodes []episode) []*linkwork.Case {
	t.Helper()
	var cases []*linkwork.Case
	start := w.clock.Now().AddDate(0, 0, -30)
	for i, e := range episodes {
		r := &linkwork.Referral{
			SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: w.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
			Reasons: "Low mood", WhatTheyWant: "To meet people", ConsentReferral: true, ConsentSharing: true, PersonAware: new(true),
		}
		referrer := w.referrer
		if e.person.DateOfBirth.Year > 2000 {
			r.Pathway, referrer = linkwork.PathwaySchool, w.schoolReferrer
		}
		if err := w.referrals.CreateReferral(w.as(referrer), r, e.person); err != nil {
			t.Fatalf("refer %d: %v", i, err)
		}
		worker := e.worker(w)
		k := w.accept(t, r, worker)
		var goals []string
		for g := range e.goals {
			goal := &linkwork.Goal{CaseID: k.ID, Text: fmt.Sprintf("Goal %d", g+1)}
			if err := w.cases.AddGoal(w.as(worker), goal); err != nil {
				t.Fatalf("goal %d.%d: %v", i, g, err)
			}
			goals = append(goals, goal.ID)
		}
		for j, a := range e.answers {
			m := &linkwork.MeasureResponse{CaseID: k.ID, Instrument: e.instrument, Timepoint: linkwork.TimepointReview, Answers: a, At: start.AddDate(0, 0, 7*j)}
			for n := range a {
				if e.instrument != linkwork.InstrumentGBO {
					break
				}
				g := n
				if e.rated != nil {
					g = e.rated[j][n]
				}
				m.GoalIDs = append(m.GoalIDs, goals[g])
			}
			if j == 0 {
				m.Timepoint = linkwork.TimepointBaseline
			}
			if err := w.measures.RecordMeasure(w.as(worker), m); err != nil {
				t.Fatalf("record %d.%d: %v", i, j, err)
			}
		}
		cases = append(cases, k)
	}
	return cases
}

func (s *services) outcomes() *sqlstore.OutcomeSummaryService {
	return sqlstore.NewOutcomeSummaryService(s.db)
}

func lw(w *world) *linkwork.User    { return w.linkWorker }
func other(w *world) *linkwork.User { return w.otherWorker }

// The service's WEMWBS episodes, latest minus first: +12, +8, -7 and -2
// for four adults and 0 and +21 for two young people with the link
// worker; -10 for an adult with the other. Sum 22, sum of squares 802:
// mean 3.14, s = 11.05, and with t(6) = 2.4469 the 95% interval is
// 3.14 ± 10.22 = (-7.08, 13.36). Reliably (8 points or more): three
// improved (+12, +8 exactly the threshold, +21), one worse (-10), three
// not. One more adult was measured once, and has no change.
func wemwbsEpisodes() []episode {
	return []episode{
		{adult("Ann", "Abel"), lw, linkwork.InstrumentWEMWBS, [][]*int{wemwbsOf(40), wemwbsOf(52)}, 0, nil},
		{adult("Ben", "Bell"), lw, linkwork.InstrumentWEMWBS, [][]*int{wemwbsOf(40), wemwbsOf(48)}, 0, nil},
		{adult("Cal", "Cole"), lw, linkwork.InstrumentWEMWBS, [][]*int{wemwbsOf(50), wemwbsOf(43)}, 0, nil},
		{adult("Dee", "Dunn"), lw, linkwork.InstrumentWEMWBS, [][]*int{wemwbsOf(40), wemwbsOf(44), wemwbsOf(38)}, 0, nil},
		{newPerson("Eli", "Earl"), lw, linkwork.InstrumentWEMWBS, [][]*int{wemwbsOf(45), wemwbsOf(45)}, 0, nil},
		{newPerson("Fay", "Ford"), lw, linkwork.InstrumentWEMWBS, [][]*int{wemwbsOf(30), wemwbsOf(51)}, 0, nil},
		{adult("Gus", "Gale"), other, linkwork.InstrumentWEMWBS, [][]*int{wemwbsOf(50), wemwbsOf(40)}, 0, nil},
		{adult("Hal", "Hart"), lw, linkwork.InstrumentWEMWBS, [][]*int{wemwbsOf(50)}, 0, nil},
	}
}

func TestTheServicesOutcomeFigures(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		cases := outcomeWorld(t, w, wemwbsEpisodes())
		summary := func(u *linkwork.User, f linkwork.OutcomeFilter) *linkwork.OutcomeSummary {
			t.Helper()
			s, err := w.outcomes().OutcomeSummary(w.as(u), f)
			if err != nil {
				t.Fatal(err)
			}
			return s
		}
		group := func(t *testing.T, gs []linkwork.ChangeFigures, key string) linkwork.ChangeFigures {
			t.Helper()
			for _, g := range gs {
				if g.Key == key {
					return g
				}
			}
			t.Fatalf("no group %q in %+v", key, gs)
			return linkwork.ChangeFigures{}
		}

		t.Run("the coordinator sees exact figures, worked by hand", func(t *testing.T) {
			s := summary(w.coordinator, linkwork.OutcomeFilter{})
			if !s.Exact || len(s.Instruments) != 1 || s.Instruments[0].Instrument != linkwork.InstrumentWEMWBS {
				t.Fatalf("summary %+v", s)
			}
			in := s.Instruments[0]
			a := in.All
			r2 := func(x float64) float64 { return math.Round(x*100) / 100 }
			if a.People != 7 || r2(a.Mean) != 3.14 || r2(a.Low) != -7.08 || r2(a.High) != 13.36 {
				t.Errorf("everyone: %d people, mean %.4f (%.4f to %.4f)", a.People, a.Mean, a.Low, a.High)
			}
			if a.Improved != 3 || a.Same != 3 || a.Worse != 1 || !in.HasThreshold || in.Threshold != 8 {
				t.Errorf("everyone: %d/%d/%d against %v", a.Improved, a.Same, a.Worse, in.Threshold)
			}
			if g := group(t, in.ByLinkWorker, w.otherWorker.ID); g.People != 1 || g.Worse != 1 || g.Hidden != linkwork.Shown || g.Label != w.otherWorker.Name {
				t.Errorf("the other worker's: %+v", g)
			}
			if g := group(t, in.ByLinkWorker, w.linkWorker.ID); g.People != 6 || g.Improved != 3 {
				t.Errorf("the link worker's: %+v", g)
			}
			if g := group(t, in.ByAgeBand, "13-15"); g.People != 2 || g.Mean != 10.5 {
				t.Errorf("13 to 15: %+v", g)
			}
			if g := group(t, in.ByPathway, string(linkwork.PathwaySchool)); g.People != 2 {
				t.Errorf("school: %+v", g)
			}
			if g := group(t, in.ByAgeBand, "26-plus"); g.People != 5 || g.Mean != 0.2 {
				t.Errorf("26 and over: %+v", g)
			}
			auditedList(t, w, w.coordinator, "outcome_summary.read", nil)
		})

		t.Run("a commissioner who funds no service sees no figures", func(t *testing.T) {
			if s := summary(w.commissioner, linkwork.OutcomeFilter{}); s.Exact || len(s.Instruments) != 0 {
				t.Fatalf("summary %+v", s)
			}
		})

		t.Run("the funding commissioner sees small numbers suppressed", func(t *testing.T) {
			svc := *w.service
			svc.ParentID = w.icb.ID
			if err := w.orgs.UpdateOrganisation(w.as(w.admin), &svc); err != nil {
				t.Fatal(err)
			}
			s := summary(w.commissioner, linkwork.OutcomeFilter{})
			if s.Exact || len(s.Instruments) != 1 {
				t.Fatalf("summary %+v", s)
			}
			in := s.Instruments[0]
			// Seven people: shown, with the mean and its interval. Three
			// improved, three the same, one worse: each under five.
			if a := in.All; a.People != 7 || a.Hidden != linkwork.Shown || math.Round(a.Mean*100) != 314 || a.WorseHidden != linkwork.Small || a.ImprovedHidden != linkwork.Small || a.SameHidden != linkwork.Small || a.Same != 0 || a.Improved != 0 {
				t.Errorf("everyone: %+v", a)
			}
			// The other worker's one person, and the link worker's six
			// withheld with it.
			for key, want := range map[string]linkwork.Hidden{w.otherWorker.ID: linkwork.Small, w.linkWorker.ID: linkwork.Withheld} {
				if g := group(t, in.ByLinkWorker, key); g.Hidden != want || g.People != 0 || g.Mean != 0 || g.HasInterval {
					t.Errorf("link worker %s's group: %+v, want %v", g.Label, g, want)
				}
			}
			if g := group(t, in.ByAgeBand, "13-15"); g.Hidden != linkwork.Small || g.PeopleWords() != "fewer than 5" {
				t.Errorf("13 to 15: %+v", g)
			}
			auditedList(t, w, w.commissioner, "outcome_summary.read", nil)
		})

		t.Run("those who are not the service's coordinators or funders", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.safeguarding, w.referrer, w.community, w.admin} {
				_, err := w.outcomes().OutcomeSummary(w.as(u), linkwork.OutcomeFilter{})
				wantCode(t, err, linkwork.EFORBIDDEN)
			}
			if s := summary(w.foreignCoord, linkwork.OutcomeFilter{}); len(s.Instruments) != 0 {
				t.Errorf("another service's coordinator sees %+v", s)
			}
		})

		t.Run("an episode counts in the month of its latest score", func(t *testing.T) {
			// The clock reads 10 March 2026; every response was in
			// February (the 8th, 15th and 22nd).
			date := func(m time.Month, d int) linkwork.Date { return linkwork.Date{Year: 2026, Month: m, Day: d} }
			people := func(f linkwork.OutcomeFilter) (int, float64) {
				t.Helper()
				s := summary(w.coordinator, f)
				if len(s.Instruments) == 0 {
					return 0, 0
				}
				return s.Instruments[0].All.People, s.Instruments[0].All.Mean
			}
			tests := []struct {
				name   string
				f      linkwork.OutcomeFilter
				people int
			}{
				{"everything", linkwork.OutcomeFilter{From: date(1, 1), To: date(3, 10)}, 7},
				{"February", linkwork.OutcomeFilter{From: date(2, 1), To: date(2, 28)}, 7},
				// A period counts whole months: the 20th counts from the
				// 1st, and the 8th (the first responses) to the 28th.
				{"from a day after the first responses", linkwork.OutcomeFilter{From: date(2, 20)}, 7},
				{"up to the day of the first responses", linkwork.OutcomeFilter{To: date(2, 8)}, 7},
				{"March", linkwork.OutcomeFilter{From: date(3, 1)}, 0},
				{"January", linkwork.OutcomeFilter{To: date(1, 31)}, 0},
			}
			for _, tt := range tests {
				if n, _ := people(tt.f); n != tt.people {
					t.Errorf("%s: %d people, want %d", tt.name, n, tt.people)
				}
			}
			// A later score moves Ann's episode to March, with its change
			// from her first score (40) to it.
			m := &linkwork.MeasureResponse{CaseID: cases[0].ID, Instrument: linkwork.InstrumentWEMWBS, Timepoint: linkwork.TimepointEnd, Answers: wemwbsOf(60), At: w.clock.Now()}
			if err := w.measures.RecordMeasure(w.as(w.linkWorker), m); err != nil {
				t.Fatal(err)
			}
			if n, mean := people(linkwork.OutcomeFilter{From: date(3, 1)}); n != 1 || mean != 20 {
				t.Errorf("March: %d people, mean %v; want Ann's +20", n, mean)
			}
			if n, _ := people(linkwork.OutcomeFilter{From: date(2, 1), To: date(2, 28)}); n != 6 {
				t.Errorf("February: %d people, want 6", n)
			}
			day := func(days int) linkwork.Date { return linkwork.DateOf(w.clock.Now().AddDate(0, 0, days)) }
			_, err := w.outcomes().OutcomeSummary(w.as(w.coordinator), linkwork.OutcomeFilter{From: day(0), To: day(-1)})
			wantField(t, err, "to")
		})
	})
}

// ons4Answers are ONS4 answers, nil for one left out.
func ons4Answers(a ...any) []*int {
	out := make([]*int, len(a))
	for i, v := range a {
		if n, ok := v.(int); ok {
			out[i] = &n
		}
	}
	return out
}

// ONS4 and goals, worked by hand. ONS4's items each on their own, first
// answer to latest (life satisfaction, worthwhile, happiness, anxiety):
//
//	Ann  [3 5 4 8] then [6 6 7 3]
//	Ben  [5 6 5 6] then [5 8 5 5]
//	Cal  [7 7 6 2] then [4 7 9 1]
//	Dee  [2 - 3 9] then [5 4 3 7]            (worthwhile left out at first)
//	Eli  [6 6 6 6] then [- 6 7 4] then [8 - 6 2]
//	Fay  [4 4 4 4] once
//
// Life satisfaction: +3 +0 -3 +3 +2, sum 5, squares 31, n 5: mean 1.00,
// s² = (31 - 25/5)/4 = 6.5, se = √1.3 = 1.1402, t(4) = 2.7764, so
// 1.00 ± 3.17 = (-2.17, 4.17). Bands (0-4, 5-6, 7-8, 9-10): Ann, Dee and
// Eli up, Ben the same, Cal down.
// Worthwhile: Ann +1, Ben +2, Cal 0, Eli 0 (6 then 6; Dee has one answer),
// sum 3, squares 5, n 4: mean 0.75, s² = (5 - 9/4)/3 = 0.9167,
// se = 0.4787, t(3) = 3.1824: (-0.77, 2.27). Only Ben moved band (6 to 8).
// Happiness: +3 0 +3 0 0 (Eli 6, 7, then 6), sum 6, squares 18: mean
// 1.20, s² = 2.7, se = 0.7348: (-0.84, 3.24). Ann (4 to 7) and Cal (6 to
// 9) moved up a band.
// Anxiety: -5 -1 -1 -2 -4, sum -13, squares 47: mean -2.60, s² = 3.3,
// se = 0.8124: (-4.86, -0.34). Bands (0-1, 2-3, 4-5, 6-10; lower is
// better): Ann 8 to 3, Ben 6 to 5, Cal 2 to 1 and Eli 6 to 2 improved,
// Dee 9 to 7 stayed high.
//
// Goals, each on its own, latest rating minus first: Gil's two goals
// 2 to 6 (+4) and 5 to 4 (-1); Hana's three, rated all three, then the
// third and first (in that order), then the second alone: 1 to 4 (+3),
// 3 to 6 (+3), 7 to 4 (-3); Ivo's one (with the other worker) 5 to 7 (+2);
// Jo's rated once. Sum 8, squares 48, n 6: mean 1.33, s² = (48 - 64/6)/5
// = 7.4667, se = 1.1155, t(5) = 2.5706: 1.33 ± 2.87 = (-1.53, 4.20).
// Reliably (2.45 points or more): three improved, one worse (-3), two
// not (-1, +2).
func ons4AndGoalEpisodes() []episode {
	return []episode{
		{adult("Ann", "Abel"), lw, linkwork.InstrumentONS4, [][]*int{ons4Answers(3, 5, 4, 8), ons4Answers(6, 6, 7, 3)}, 0, nil},
		{adult("Ben", "Bell"), lw, linkwork.InstrumentONS4, [][]*int{ons4Answers(5, 6, 5, 6), ons4Answers(5, 8, 5, 5)}, 0, nil},
		{adult("Cal", "Cole"), lw, linkwork.InstrumentONS4, [][]*int{ons4Answers(7, 7, 6, 2), ons4Answers(4, 7, 9, 1)}, 0, nil},
		{adult("Dee", "Dunn"), other, linkwork.InstrumentONS4, [][]*int{ons4Answers(2, nil, 3, 9), ons4Answers(5, 4, 3, 7)}, 0, nil},
		{adult("Eli", "Earl"), lw, linkwork.InstrumentONS4, [][]*int{ons4Answers(6, 6, 6, 6), ons4Answers(nil, 6, 7, 4), ons4Answers(8, nil, 6, 2)}, 0, nil},
		{adult("Fay", "Ford"), lw, linkwork.InstrumentONS4, [][]*int{ons4Answers(4, 4, 4, 4)}, 0, nil},
		{newPerson("Gil", "Gale"), lw, linkwork.InstrumentGBO, [][]*int{linkwork.Ints(2, 5), linkwork.Ints(6, 4)}, 2, nil},
		{newPerson("Hana", "Hart"), lw, linkwork.InstrumentGBO, [][]*int{linkwork.Ints(1, 3, 7), linkwork.Ints(4, 4), linkwork.Ints(6)}, 3, [][]int{{0, 1, 2}, {2, 0}, {1}}},
		{newPerson("Ivo", "Ives"), other, linkwork.InstrumentGBO, [][]*int{linkwork.Ints(5), linkwork.Ints(7)}, 1, nil},
		{newPerson("Jo", "Jones"), lw, linkwork.InstrumentGBO, [][]*int{linkwork.Ints(3)}, 1, nil},
	}
}

func TestTheServicesONS4AndGoalFigures(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		cases := outcomeWorld(t, w, ons4AndGoalEpisodes())
		s, err := w.outcomes().OutcomeSummary(w.as(w.coordinator), linkwork.OutcomeFilter{})
		if err != nil {
			t.Fatal(err)
		}
		byKey := map[string]linkwork.InstrumentChange{}
		var order []string
		for _, in := range s.Instruments {
			byKey[in.Key()] = in
			order = append(order, in.Key())
		}
		if want := []string{"gbo", "ons4-life_satisfaction", "ons4-worthwhile", "ons4-happiness", "ons4-anxiety"}; !slices.Equal(order, want) {
			t.Fatalf("figures %v, want %v", order, want)
		}
		r2 := func(x float64) float64 { return math.Round(x*100) / 100 }
		tests := []struct {
			key                   string
			people                int
			mean, low, high       float64
			improved, same, worse int
		}{
			{"ons4-life_satisfaction", 5, 1.00, -2.17, 4.17, 3, 1, 1},
			{"ons4-worthwhile", 4, 0.75, -0.77, 2.27, 1, 3, 0},
			{"ons4-happiness", 5, 1.20, -0.84, 3.24, 2, 3, 0},
			{"ons4-anxiety", 5, -2.60, -4.86, -0.34, 4, 1, 0},
			{"gbo", 6, 1.33, -1.53, 4.20, 3, 2, 1},
		}
		for _, tt := range tests {
			in := byKey[tt.key]
			a := in.All
			if a.People != tt.people || r2(a.Mean) != tt.mean || r2(a.Low) != tt.low || r2(a.High) != tt.high || !a.HasInterval {
				t.Errorf("%s: %d, mean %.4f (%.4f to %.4f), want %d, %.2f (%.2f to %.2f)", tt.key, a.People, a.Mean, a.Low, a.High, tt.people, tt.mean, tt.low, tt.high)
			}
			if a.Improved != tt.improved || a.Same != tt.same || a.Worse != tt.worse {
				t.Errorf("%s: improved/same/worse %d/%d/%d, want %d/%d/%d", tt.key, a.Improved, a.Same, a.Worse, tt.improved, tt.same, tt.worse)
			}
		}
		if in := byKey["ons4-anxiety"]; !in.ByBand || !in.LowerIsBetter || in.HasThreshold || in.ItemLabel != "Anxiety" {
			t.Errorf("anxiety is judged %+v", in)
		}
		if in := byKey["gbo"]; !in.PerGoal || in.Threshold != outcomes.GBOReliableChange || !in.HasThreshold || in.ByBand {
			t.Errorf("goals are judged %+v", in)
		}
		// The groups: the other worker's are Dee's answers and Ivo's goal.
		group := func(gs []linkwork.ChangeFigures, key string) linkwork.ChangeFigures {
			for _, g := range gs {
				if g.Key == key {
					return g
				}
			}
			return linkwork.ChangeFigures{}
		}
		if g := group(byKey["ons4-life_satisfaction"].ByLinkWorker, w.otherWorker.ID); g.People != 1 || g.Mean != 3 || g.Improved != 1 {
			t.Errorf("the other worker's life satisfaction: %+v", g)
		}
		if g := group(byKey["gbo"].ByLinkWorker, w.linkWorker.ID); g.People != 5 || r2(g.Mean) != 1.2 {
			t.Errorf("the link worker's goals: %+v", g)
		}
		if g := group(byKey["gbo"].ByPathway, string(linkwork.PathwaySchool)); g.People != 6 {
			t.Errorf("goals by school referrals: %+v", g)
		}
		if g := group(byKey["ons4-anxiety"].ByAgeBand, "26-plus"); g.People != 5 || r2(g.Mean) != -2.6 {
			t.Errorf("anxiety of those 26 and over: %+v", g)
		}
		auditedList(t, w, w.coordinator, "outcome_summary.read", nil)

		t.Run("each item and goal counts in the month of its latest answer", func(t *testing.T) {
			// Every answer was in February; Eli answers again in March.
			// From the first answers, 6 each: life satisfaction, worthwhile
			// and happiness 9 (a better band), anxiety 0 (a better band).
			m := &linkwork.MeasureResponse{CaseID: cases[4].ID, Instrument: linkwork.InstrumentONS4, Timepoint: linkwork.TimepointEnd, Answers: ons4Answers(9, 9, 9, 0), At: w.clock.Now()}
			if err := w.measures.RecordMeasure(w.as(w.linkWorker), m); err != nil {
				t.Fatal(err)
			}
			figures := func(f linkwork.OutcomeFilter) []string {
				s, err := w.outcomes().OutcomeSummary(w.as(w.coordinator), f)
				if err != nil {
					t.Fatal(err)
				}
				var got []string
				for _, in := range s.Instruments {
					got = append(got, fmt.Sprintf("%s %d %+.0f %d/%d/%d", in.Key(), in.All.People, in.All.Mean, in.All.Improved, in.All.Same, in.All.Worse))
				}
				return got
			}
			march := linkwork.OutcomeFilter{From: linkwork.Date{Year: 2026, Month: 3, Day: 1}}
			if got, want := figures(march), []string{"ons4-life_satisfaction 1 +3 1/0/0", "ons4-worthwhile 1 +3 1/0/0", "ons4-happiness 1 +3 1/0/0", "ons4-anxiety 1 -6 1/0/0"}; !slices.Equal(got, want) {
				t.Errorf("March: %q, want %q", got, want)
			}
			// February keeps the goals and the other four people's answers.
			feb := linkwork.OutcomeFilter{From: linkwork.Date{Year: 2026, Month: 2, Day: 1}, To: linkwork.Date{Year: 2026, Month: 2, Day: 28}}
			if got, want := figures(feb), []string{"gbo 6 +1 3/2/1", "ons4-life_satisfaction 4 +1 2/1/1", "ons4-worthwhile 3 +1 1/2/0", "ons4-happiness 4 +2 2/2/0", "ons4-anxiety 4 -2 3/1/0"}; !slices.Equal(got, want) {
				t.Errorf("February: %q, want %q", got, want)
			}
		})

		t.Run("the funding commissioner sees small numbers suppressed", func(t *testing.T) {
			svc := *w.service
			svc.ParentID = w.icb.ID
			if err := w.orgs.UpdateOrganisation(w.as(w.admin), &svc); err != nil {
				t.Fatal(err)
			}
			s, err := w.outcomes().OutcomeSummary(w.as(w.commissioner), linkwork.OutcomeFilter{})
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range s.Instruments {
				switch in.Key() {
				case "ons4-worthwhile":
					if in.All.Hidden != linkwork.Small || in.All.People != 0 {
						t.Errorf("four people's worthwhile answers are shown: %+v", in.All)
					}
				case "ons4-anxiety":
					// Five people shown; four improved, one the same,
					// none worse: each count under five.
					if a := in.All; a.Hidden != linkwork.Shown || a.People != 5 || a.SameHidden != linkwork.Small || a.WorseHidden != linkwork.Small || a.ImprovedHidden != linkwork.Small {
						t.Errorf("anxiety: %+v", a)
					}
				case "gbo":
					for _, g := range in.ByLinkWorker {
						if g.Hidden == linkwork.Shown {
							t.Errorf("a link worker's goals are shown beside the other's one: %+v", g)
						}
					}
				}
			}
			auditedList(t, w, w.commissioner, "outcome_summary.read", nil)
		})
	})
}

// The summary judges reliable change as the case page does: for SWEMWBS
// metric scores around the threshold, its counts are those of
// outcomes.ProgressOf's verdicts on each case.
func TestOutcomeFiguresJudgeChangeAsTheCasePageDoes(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		raw := func(rs ...int) [][]*int {
			var out [][]*int
			for _, r := range rs {
				a := []int{1, 1, 1, 1, 1, 1, 1}
				for i := 0; r-7 > 0 && i < 7; i++ {
					a[i] += max(0, min(4, r-7-4*i))
				}
				out = append(out, linkwork.Ints(a...))
			}
			return out
		}
		var episodes []episode
		for _, pair := range [][2]int{{17, 19}, {17, 20}, {20, 23}, {21, 23}, {23, 20}, {24, 20}, {14, 14}, {28, 31}, {31, 28}, {10, 35}} {
			episodes = append(episodes, episode{adult("Sam", "Swift"), lw, linkwork.InstrumentSWEMWBS, raw(pair[0], pair[1]), 0, nil})
		}
		cases := outcomeWorld(t, w, episodes)
		var want [3]int
		for _, k := range cases {
			list, err := w.measures.FindMeasures(w.as(w.coordinator), k.ID)
			if err != nil {
				t.Fatal(err)
			}
			p := outcomes.ProgressOf(list, nil)
			switch p[0].Verdict {
			case outcomes.ReliableImprovement:
				want[0]++
			case outcomes.NoReliableChange:
				want[1]++
			case outcomes.ReliableDeterioration:
				want[2]++
			default:
				t.Fatalf("no verdict: %+v", p[0])
			}
		}
		s, err := w.outcomes().OutcomeSummary(w.as(w.coordinator), linkwork.OutcomeFilter{})
		if err != nil {
			t.Fatal(err)
		}
		a := s.Instruments[0].All
		if got := [3]int{a.Improved, a.Same, a.Worse}; got != want || want[0] == 0 || want[1] == 0 || want[2] == 0 {
			t.Errorf("improved/same/worse = %v; the case page's verdicts %v", got, want)
		}
	})
}

// The summary reads the kept sums of the services in scope by their
// primary key, which starts with the service and the month: no engine
// reads every row of outcome_sums, nor any episode or response, so the rows
// read are bounded by the groups and months of the service whatever its
// size (see BENCHMARKS.md).
func TestOutcomeFiguresReadByIndex(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		svc := *w.service
		svc.ParentID = w.icb.ID
		if err := w.orgs.UpdateOrganisation(w.as(w.admin), &svc); err != nil {
			t.Fatal(err)
		}
		for _, u := range []*linkwork.User{w.coordinator, w.commissioner} {
			for _, f := range []linkwork.OutcomeFilter{{}, {From: linkwork.Date{Year: 2025, Month: 12, Day: 10}, To: linkwork.Date{Year: 2026, Month: 3, Day: 10}}} {
				q, args := w.db.OutcomeSumsQuery(u.Actor(), f)
				plan, err := w.db.PlanOf(q, args...)
				if err != nil {
					t.Fatalf("%s: %v", u.Name, err)
				}
				if testing.Verbose() {
					t.Log(plan.Text)
				}
				for _, table := range []string{"s", "outcome_sums", "u", "users"} {
					if plan.Scans(table) {
						t.Errorf("%s's summary reads every row of %s:\n%s", u.Name, table, plan.Text)
					}
				}
				for _, table := range []string{"outcome_ends", "outcome_item_ends", "measures", "cases"} {
					if strings.Contains(plan.Text, table) {
						t.Errorf("%s's summary reads %s:\n%s", u.Name, table, plan.Text)
					}
				}
				if !strings.Contains(plan.Text, "PRIMARY KEY") && !strings.Contains(plan.Text, "outcome_sums_pkey") {
					t.Errorf("%s's summary does not read outcome_sums by its key:\n%s", u.Name, plan.Text)
				}
			}
		}
	})
}

func TestOutcomeEndsAreKeptInStepWithTheResponses(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		inStep := func(t *testing.T, want int) {
			t.Helper()
			diffs, kept, err := w.db.OutcomeEndDiffs()
			if err != nil {
				t.Fatal(err)
			}
			if len(diffs) > 0 {
				t.Errorf("the kept ends differ from the responses:\n%s", strings.Join(diffs, "\n"))
			}
			if kept != want {
				t.Errorf("%d episodes kept, want %d", kept, want)
			}
		}
		cases := outcomeWorld(t, w, wemwbsEpisodes())
		t.Run("each response recorded moves its episode's ends", func(t *testing.T) {
			inStep(t, 8)
		})
		t.Run("a response at the same time as an end joins it", func(t *testing.T) {
			m := &linkwork.MeasureResponse{CaseID: cases[3].ID, Instrument: linkwork.InstrumentWEMWBS, Timepoint: linkwork.TimepointReview,
				Answers: wemwbsOf(61), At: w.clock.Now().AddDate(0, 0, -30+14)}
			if err := w.measures.RecordMeasure(w.as(w.linkWorker), m); err != nil {
				t.Fatal(err)
			}
			m = &linkwork.MeasureResponse{CaseID: cases[3].ID, Instrument: linkwork.InstrumentWEMWBS, Timepoint: linkwork.TimepointBaseline,
				Answers: wemwbsOf(20), At: w.clock.Now().AddDate(0, 0, -60)}
			if err := w.measures.RecordMeasure(w.as(w.linkWorker), m); err != nil {
				t.Fatal(err)
			}
			inStep(t, 8)
		})
		t.Run("a response that changes or goes has its episode worked out again", func(t *testing.T) {
			for _, q := range []string{
				"UPDATE measures SET score = score + 1 WHERE case_id = ?",
				"UPDATE measures SET at = (SELECT MAX(l.at) FROM measures l) WHERE case_id = ?",
				"DELETE FROM measures WHERE id IN (SELECT MIN(id) FROM measures WHERE case_id = ?)",
			} {
				if err := w.db.Exec(q, cases[0].ID); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				inStep(t, 8)
			}
			if err := w.db.Exec("DELETE FROM measures WHERE case_id = ?", cases[7].ID); err != nil {
				t.Fatal(err)
			}
			inStep(t, 7)
		})
		t.Run("an episode moves group with its case and referral", func(t *testing.T) {
			if err := w.db.Exec("UPDATE cases SET link_worker_id = ? WHERE id = ?", w.otherWorker.ID, cases[2].ID); err != nil {
				t.Fatal(err)
			}
			if err := w.db.Exec("UPDATE cases SET link_worker_id = NULL WHERE id = ?", cases[4].ID); err != nil {
				t.Fatal(err)
			}
			if err := w.db.Exec("UPDATE referrals SET pathway = ?, person_dob = (SELECT MAX(d.person_dob) FROM referrals d) WHERE id = ?", string(linkwork.PathwaySchool), cases[2].ReferralID); err != nil {
				t.Fatal(err)
			}
			if err := w.db.Exec("UPDATE referrals SET person_dob = NULL WHERE id = ?", cases[3].ReferralID); err != nil {
				t.Fatal(err)
			}
			inStep(t, 7)
		})
	})
}

func TestOutcomeEndsAreFilledFromTheResponsesAnOlderLinkworkKept(t *testing.T) {
	cfg, err := demo.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			db := openAtVersion(t, dialect, "outcome_ends_fill", 31)
			ctx := context.Background()
			l := sqlstore.NewLoader(ctx, db)
			if _, err := demo.Generate(cfg, l); err != nil {
				t.Fatal(err)
			}
			if err := l.Close("demo"); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			diffs, kept, err := db.OutcomeEndDiffs()
			if err != nil || len(diffs) > 0 || kept == 0 {
				t.Errorf("the ends of %d episodes kept from the older responses differ from them (%v):\n%s", kept, err, strings.Join(diffs, "\n"))
			}
		})
	}
}

// TestOutcomeFiguresNameTheLinkWorkersWithTheMostPeople: a service of
// more link workers than a breakdown names shows the thirty with the most
// people measured, by name, and adds up the rest in one group after them,
// so that the groups still add up to everyone.
//
// Forty link workers' sums are kept for WEMWBS: worker i had 1+i people
// measured, each of whom changed by 2 (and i of them improved reliably).
// The thirty named are workers 10 to 39; the other ten, 0 to 9, had 55
// people.
func TestOutcomeFiguresNameTheLinkWorkersWithTheMostPeople(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		workers := make([]*linkwork.User, 40)
		people := 0
		for i := range workers {
			u := &linkwork.User{Email: fmt.Sprintf("worker%02d@service.test", i), Name: fmt.Sprintf("Worker %02d", i), Role: linkwork.RoleLinkWorker, OrgID: w.service.ID}
			if err := w.users.CreateUser(w.as(w.admin), u, "a long enough password"); err != nil {
				t.Fatal(err)
			}
			workers[i] = u
			n := 1 + i
			people += n
			if err := w.db.Exec(`INSERT INTO outcome_sums (service_org_id, month, instrument, part, breakdown, group_key, n, sum_d, sum_d2, up, down) VALUES (?, '', 'wemwbs', '', 'worker', ?, ?, ?, ?, ?, 0)`,
				w.service.ID, u.ID, n, 2*n, 4*n, i); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.db.Exec(`INSERT INTO outcome_sums (service_org_id, month, instrument, part, breakdown, group_key, n, sum_d, sum_d2, up, down) VALUES (?, '', 'wemwbs', '', 'band', '26-plus', ?, ?, ?, ?, 0)`,
			w.service.ID, people, 2*people, 4*people, 39*40/2); err != nil {
			t.Fatal(err)
		}
		s, err := w.outcomes().OutcomeSummary(w.as(w.coordinator), linkwork.OutcomeFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Instruments) != 1 {
			t.Fatalf("summary %+v", s)
		}
		in := s.Instruments[0]
		if len(in.ByLinkWorker) != linkwork.OutcomeTopLinkWorkers+1 {
			t.Fatalf("%d link worker groups, want %d", len(in.ByLinkWorker), linkwork.OutcomeTopLinkWorkers+1)
		}
		sum := 0
		for i, g := range in.ByLinkWorker[:linkwork.OutcomeTopLinkWorkers] {
			// By name: Worker 10 to Worker 39.
			want := workers[10+i]
			if g.Key != want.ID || g.Label != want.Name || g.People != 11+i || g.Mean != 2 || g.Improved != 10+i {
				t.Errorf("group %d: %+v, want %s with %d people", i, g, want.Name, 11+i)
			}
			sum += g.People
		}
		other := in.ByLinkWorker[linkwork.OutcomeTopLinkWorkers]
		if other.Key != linkwork.OtherLinkWorkersKey || other.Label != "10 other link workers" || other.People != 55 || other.Mean != 2 || other.Improved != 45 {
			t.Errorf("the link workers not named: %+v", other)
		}
		if sum+other.People != in.All.People || in.All.People != people {
			t.Errorf("the groups add up to %d, everyone is %d, want %d", sum+other.People, in.All.People, people)
		}
	})
}
