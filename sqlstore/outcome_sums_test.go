package sqlstore_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// sumsKey is a group of the summary: an instrument's part (an ONS4 item's
// index, "" otherwise), a breakdown and a group's key.
type sumsKey struct{ instrument, part, breakdown, group string }

// episodeSums adds up the episodes the statement the summary used before
// migration 34 works out, by the rules the kept sums follow: an episode
// counts in the UK month of its latest score, in the age band it was in
// on the UK day of its first, over the months from and to (YYYY-MM, ""
// for open).
func episodeSums(eps []sqlstore.OutcomeEpisode, from, to string) map[sumsKey]linkwork.ChangeSums {
	out := map[sumsKey]linkwork.ChangeSums{}
	for _, e := range eps {
		month := sqlstore.UKMonth(e.LastAt)
		if from != "" && month < from || to != "" && month > to {
			continue
		}
		band := ""
		if !e.DateOfBirth.IsZero() {
			if age := e.DateOfBirth.AgeOn(sqlstore.UKDate(e.FirstAt)); age >= 0 {
				band = linkwork.AgeBandOf(age).Key
			}
		}
		c := linkwork.ChangeSums{N: 1, Sum: e.Change, SumSquares: e.Change * e.Change}
		if e.Up {
			c.Up = 1
		}
		if e.Down {
			c.Down = 1
		}
		for _, k := range []sumsKey{{e.Instrument, e.Part, "band", band}, {e.Instrument, e.Part, "pathway", e.Pathway}, {e.Instrument, e.Part, "worker", e.LinkWorkerID}} {
			out[k] = out[k].Add(c)
		}
	}
	return out
}

// summaryGroups are the summary's figures by the same keys.
func summaryGroups(s *linkwork.OutcomeSummary) map[sumsKey]linkwork.ChangeFigures {
	out := map[sumsKey]linkwork.ChangeFigures{}
	for _, in := range s.Instruments {
		part := ""
		if in.Item != "" {
			part = strconv.Itoa(slices.Index(linkwork.ONS4ItemKeys[:], in.Item))
		}
		for breakdown, groups := range map[string][]linkwork.ChangeFigures{"band": in.ByAgeBand, "pathway": in.ByPathway, "worker": in.ByLinkWorker} {
			for _, g := range groups {
				out[sumsKey{string(in.Instrument), part, breakdown, g.Key}] = g
			}
		}
	}
	return out
}

// The kept sums equal the episodes worked out from the responses, on the
// demo city's randomised responses: filled from those an older linkwork
// kept, and again after responses are added (some at the same time as
// another), moved, changed and deleted, and cases and referrals change
// link worker, pathway and date of birth, one row and many rows at a time.
// Every group's counts are equal, and its mean and interval equal to
// 10⁻⁹ (the sums are added in another order), over everything and over
// months.
func TestOutcomeSumsEqualTheEpisodes(t *testing.T) {
	cfg, err := demo.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			db := openAtVersion(t, dialect, "outcome_sums_fill", 33)
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
			s := newServices(db)
			sys := linkwork.NewContext(ctx, linkwork.SystemActor("test"))
			login, _ := demo.LoginFor(linkwork.RoleCoordinator)
			coord, err := s.users.FindUserByEmail(sys, login.Email)
			if err != nil {
				t.Fatal(err)
			}
			as := linkwork.NewContext(ctx, coord.Actor())

			var seen [][]sqlstore.OutcomeEpisode
			compare := func(t *testing.T) {
				t.Helper()
				eps, err := db.OutcomeEpisodes(coord.Actor())
				seen = append(seen, eps)
				if err != nil {
					t.Fatal(err)
				}
				var months []string
				for _, e := range eps {
					months = append(months, sqlstore.UKMonth(e.LastAt))
				}
				slices.Sort(months)
				months = slices.Compact(months)
				if len(eps) < 100 || len(months) < 6 {
					t.Fatalf("only %d episodes over %d months to compare", len(eps), len(months))
				}
				date := func(month string, last bool) linkwork.Date {
					m, _ := time.Parse("2006-01", month)
					if last {
						m = m.AddDate(0, 1, -1)
					}
					return linkwork.DateOf(m)
				}
				mid := months[len(months)/2]
				for _, p := range []struct{ from, to string }{{"", ""}, {months[0], mid}, {mid, ""}, {mid, mid}, {"", months[1]}} {
					f := linkwork.OutcomeFilter{}
					if p.from != "" {
						f.From = date(p.from, false)
					}
					if p.to != "" {
						f.To = date(p.to, true)
					}
					sum, err := s.outcomes().OutcomeSummary(as, f)
					if err != nil {
						t.Fatal(err)
					}
					want := episodeSums(eps, p.from, p.to)
					got := summaryGroups(sum)
					compared := 0
					for k, c := range want {
						g, ok := got[k]
						w := linkwork.ChangeFiguresOf(k.group, "", c, false)
						if !ok {
							t.Errorf("%s to %s: %+v: no figures; the episodes' are %+v", p.from, p.to, k, c)
							continue
						}
						compared++
						lower := g.Improved != w.Improved
						if lower {
							w.Improved, w.Worse = w.Worse, w.Improved
						}
						if g.People != w.People || g.Improved != w.Improved || g.Worse != w.Worse || g.Same != w.Same || g.HasInterval != w.HasInterval ||
							math.Abs(g.Mean-w.Mean) > 1e-9 || math.Abs(g.Low-w.Low) > 1e-9 || math.Abs(g.High-w.High) > 1e-9 {
							t.Errorf("%s to %s: %+v: kept sums give %d people, mean %.12f (%.12f to %.12f), %d/%d/%d; the episodes %d, %.12f (%.12f to %.12f), %d/%d/%d",
								p.from, p.to, k, g.People, g.Mean, g.Low, g.High, g.Improved, g.Same, g.Worse, w.People, w.Mean, w.Low, w.High, w.Improved, w.Same, w.Worse)
						}
					}
					for k := range got {
						if _, ok := want[k]; !ok {
							t.Errorf("%s to %s: %+v: figures %+v with no episodes", p.from, p.to, k, got[k])
						}
					}
					if min := map[bool]int{true: 100, false: 5}[p.from == "" && p.to == ""]; compared < min {
						t.Errorf("%s to %s: only %d groups compared", p.from, p.to, compared)
					}
				}
			}
			t.Run("filled from the responses kept before", compare)

			rng := rand.New(rand.NewPCG(13, 34))
			column := func(q string, args ...any) []string {
				t.Helper()
				out, err := db.Column(q, args...)
				if err != nil {
					t.Fatal(err)
				}
				return out
			}
			exec := func(q string, args ...any) {
				t.Helper()
				if err := db.Exec(q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			pick := func(list []string, share float64) []string {
				var out []string
				for _, x := range list {
					if rng.Float64() < share {
						out = append(out, x)
					}
				}
				return out
			}
			start := cfg.Now.AddDate(-2, 0, 0)
			someTime := func() time.Time {
				return start.Add(time.Duration(rng.Int64N(int64(2 * 365 * 24 * time.Hour)))).UTC().Truncate(time.Microsecond)
			}
			measures := column("SELECT id FROM measures ORDER BY id")
			itemised := column("SELECT id FROM measures WHERE instrument IN ('ons4', 'gbo') ORDER BY id")
			ons4 := column("SELECT id FROM measures WHERE instrument = 'ons4' ORDER BY id")
			scored := column("SELECT id FROM measures WHERE score IS NOT NULL ORDER BY id")
			cases := column("SELECT DISTINCT case_id FROM measures ORDER BY case_id")
			workers := column("SELECT DISTINCT link_worker_id FROM cases WHERE link_worker_id IS NOT NULL ORDER BY link_worker_id")
			for i, id := range pick(measures, 0.04) {
				exec("INSERT INTO measures (id, person_id, case_id, instrument, timepoint, answers, goal_ids, score, completed_by, at, created_by) "+
					"SELECT ?, person_id, case_id, instrument, timepoint, answers, goal_ids, score, completed_by, ?, created_by FROM measures WHERE id = ?",
					fmt.Sprintf("copy-%d", i), someTime(), id)
			}
			for i, id := range pick(itemised, 0.04) {
				// At the same time as another: the two count as their mean.
				exec("INSERT INTO measures (id, person_id, case_id, instrument, timepoint, answers, goal_ids, score, completed_by, at, created_by) "+
					"SELECT ?, person_id, case_id, instrument, timepoint, answers, goal_ids, score, completed_by, at, created_by FROM measures WHERE id = ?",
					fmt.Sprintf("tie-%d", i), id)
				exec("UPDATE measures SET answers = ? WHERE id = ? AND instrument = 'ons4'", "[10,0,7,1]", fmt.Sprintf("tie-%d", i))
			}
			for _, id := range pick(measures, 0.05) {
				exec("UPDATE measures SET at = ? WHERE id = ?", someTime(), id)
			}
			for _, id := range pick(ons4, 0.1) {
				exec("UPDATE measures SET answers = ? WHERE id = ?", fmt.Sprintf("[%d,null,%d,%d]", rng.IntN(11), rng.IntN(11), rng.IntN(11)), id)
			}
			for _, id := range pick(scored, 0.05) {
				exec("UPDATE measures SET score = score + 3 WHERE id = ?", id)
			}
			for _, id := range pick(measures, 0.05) {
				exec("DELETE FROM measures WHERE id = ?", id)
			}
			for _, c := range pick(cases, 0.03) {
				exec("UPDATE measures SET at = ? WHERE case_id = ?", someTime(), c)
			}
			for _, c := range pick(cases, 0.02) {
				exec("DELETE FROM measures WHERE case_id = ?", c)
			}
			for _, c := range pick(cases, 0.05) {
				exec("UPDATE cases SET link_worker_id = ? WHERE id = ?", workers[rng.IntN(len(workers))], c)
			}
			for _, c := range pick(cases, 0.01) {
				exec("UPDATE cases SET link_worker_id = NULL WHERE id = ?", c)
			}
			for _, c := range pick(cases, 0.05) {
				exec("UPDATE referrals SET person_dob = ?, pathway = ? WHERE id IN (SELECT referral_id FROM cases WHERE id = ?)",
					linkwork.DateOf(someTime().AddDate(-5-rng.IntN(60), 0, 0)).String(), string(linkwork.Pathways[rng.IntN(len(linkwork.Pathways))]), c)
			}
			t.Run("after responses, cases and referrals change", compare)
			if len(seen) == 2 && slices.EqualFunc(seen[0], seen[1], func(a, b sqlstore.OutcomeEpisode) bool { return a == b }) {
				t.Error("the changes changed no episode")
			}
		})
	}
}

// An episode counts in the UK month of its latest score: a score late on
// the last evening of a summer month is in the next month in the UK,
// one late on a winter month's last evening is not. SQLite, which knows
// no time zones, finds the UK month as PostgreSQL does.
func TestAnEpisodeCountsInTheUKMonthOfItsLatestScore(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		latest := []time.Time{
			time.Date(2025, 3, 31, 23, 30, 0, 0, time.UTC),  // British Summer Time from 30 March: 1 April
			time.Date(2025, 10, 31, 23, 30, 0, 0, time.UTC), // Greenwich Mean Time from 26 October: 31 October
			time.Date(2025, 6, 30, 22, 59, 0, 0, time.UTC),  // 23:59 on 30 June
			time.Date(2025, 6, 30, 23, 0, 0, 0, time.UTC),   // midnight: 1 July
			time.Date(2025, 3, 29, 23, 30, 0, 0, time.UTC),  // before summer time: 29 March
		}
		var episodes []episode
		for range latest {
			episodes = append(episodes, episode{adult("Uma", "Ure"), lw, linkwork.InstrumentWEMWBS, nil, 0, nil})
		}
		cases := outcomeWorld(t, w, episodes)
		for i, k := range cases {
			for j, at := range []time.Time{time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC), latest[i]} {
				m := &linkwork.MeasureResponse{CaseID: k.ID, Instrument: linkwork.InstrumentWEMWBS, Timepoint: linkwork.TimepointReview, Answers: wemwbsOf(40 + 10*j), At: at}
				if err := w.measures.RecordMeasure(w.as(w.linkWorker), m); err != nil {
					t.Fatal(err)
				}
			}
		}
		for month, want := range map[time.Month]int{time.March: 1, time.April: 1, time.June: 1, time.July: 1, time.October: 1, time.November: 0} {
			d := linkwork.Date{Year: 2025, Month: month, Day: 1}
			s, err := w.outcomes().OutcomeSummary(w.as(w.coordinator), linkwork.OutcomeFilter{From: d, To: d})
			if err != nil {
				t.Fatal(err)
			}
			got := 0
			if len(s.Instruments) > 0 {
				got = s.Instruments[0].All.People
			}
			if got != want {
				t.Errorf("%s 2025: %d people, want %d", month, got, want)
			}
		}
	})
}
