package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// activityWorld is the dashboard's world (dashboardWorld) with what the
// activity figures count made known:
//
//	referrers: I's is the school, J's none, the other ten the GP practice
//	  (10 GP, 1 school, 1 none); practices: the ten GP pathway referrals
//	  name it (as every referral made names it), the other two none
//	needs: A loneliness and wellbeing, B loneliness, K (March) money
//	waiting: every case was given its link worker the day it opened but
//	  D (opened in February, given one on 5 March) and E (still
//	  waiting): 2 waiting at the end of February, 1 at the end of March;
//	  two more cases opened and given link workers in June 2025
//	caseloads today: K's (the other worker) and the two of 2025 (the
//	  link worker) are open
//	sessions attended: A's and B's face to face at school, C's and K's by
//	  phone, place not recorded
//	connections: the boxing (sports, and social from now) of the VCS: A
//	  still going, B went, C dropped without going, K dropped after going
//	funds paid: A fees £10 and travel £5, B fees £20 in the quarter; C's
//	  fees £7 declined; B's kit £3 paid in December 2025
func activityWorld(t *testing.T, w *world) {
	t.Helper()
	dashboardWorld(t, w)
	exec := func(q string, args ...any) {
		t.Helper()
		if err := w.db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	one := func(q string, args ...any) string {
		t.Helper()
		got, err := w.db.Column(q, args...)
		if err != nil || len(got) != 1 {
			t.Fatalf("%s: %v, %v", q, got, err)
		}
		return got[0]
	}
	caseOf := func(name string) string {
		return one("SELECT k.id FROM cases k JOIN people p ON p.id = k.person_id WHERE p.given_name = ?", "Person"+name)
	}
	connectionOf := func(name string) string {
		return one("SELECT id FROM connections WHERE case_id = ?", caseOf(name))
	}
	exec("UPDATE referrals SET referrer_org_id = ? WHERE pathway = 'school'", w.school.ID)
	exec("UPDATE referrals SET referrer_org_id = NULL, referrer_user_id = NULL WHERE pathway = 'self'")
	exec("UPDATE referrals SET gp_practice_org_id = NULL WHERE pathway <> 'gp'")
	for name, domains := range map[string][]string{"A": {"loneliness", "wellbeing"}, "B": {"loneliness"}, "K": {"money"}} {
		for i, d := range domains {
			exec("INSERT INTO case_needs (case_id, domain, words, position) VALUES (?, ?, '', ?)", caseOf(name), d, i)
		}
	}
	exec("UPDATE cases SET allocated_at = opened_at")
	exec("UPDATE cases SET allocated_at = ? WHERE id = ?", time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC), caseOf("D"))
	exec("UPDATE cases SET status = 'waiting', link_worker_id = NULL, allocated_at = NULL WHERE id = ?", caseOf("E"))
	for _, name := range []string{"Y", "Z"} {
		r := w.refer(t, "Person"+name, "Test")
		k := w.accept(t, r, w.linkWorker)
		exec("UPDATE referrals SET received_at = ? WHERE id = ?", time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), r.ID)
		opened := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
		exec("UPDATE cases SET opened_at = ?, allocated_at = ? WHERE id = ?", opened, opened, k.ID)
	}
	exec("UPDATE contacts SET mode = 'face_to_face', location_type = 'school' WHERE kind = 'session' AND outcome = 'attended' AND case_id IN (?, ?)", caseOf("A"), caseOf("B"))
	boxing := one("SELECT id FROM assets WHERE name = 'Youth Boxing'")
	exec("INSERT INTO asset_categories (asset_id, category) VALUES (?, 'social')", boxing)
	fund := uuid.NewString()
	exec(`INSERT INTO funds (id, service_org_id, name, budget_pence, spent_pence, threshold_pence, starts_on, ends_on, created_at)
		VALUES (?, ?, 'Taking part', 100000, 3800, 5000, '2025-04-01', '2027-03-31', ?)`, fund, w.service.ID, time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC))
	for _, r := range []struct {
		name, category, status string
		pence                  int
		at                     time.Time
	}{
		{"A", "fees", "approved", 1000, time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC)},
		{"A", "travel", "approved", 500, time.Date(2026, 2, 11, 9, 0, 0, 0, time.UTC)},
		{"B", "fees", "approved", 2000, time.Date(2026, 2, 12, 9, 0, 0, 0, time.UTC)},
		{"C", "fees", "declined", 700, time.Date(2026, 2, 13, 9, 0, 0, 0, time.UTC)},
		{"B", "kit", "approved", 300, time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC)},
	} {
		exec(`INSERT INTO fund_requests (id, fund_id, service_org_id, case_id, connection_id, category, amount_pence, note, status, requested_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'For the sessions', ?, ?)`, uuid.NewString(), fund, w.service.ID, caseOf(r.name), connectionOf(r.name), r.category, r.pence, r.status, r.at)
	}
}

func TestTheDashboardsActivityWorkedByHand(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		activityWorld(t, w)
		read := func(t *testing.T, u *linkwork.User, f linkwork.ReportFilter) *linkwork.Activity {
			t.Helper()
			a, err := w.reports().DashboardActivity(w.as(u), f)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		shown := func(n int) linkwork.Figure { return linkwork.Figure{N: n} }
		small := linkwork.Figure{Hidden: linkwork.Small}
		withheld := linkwork.Figure{Hidden: linkwork.Withheld}
		wantRows := func(t *testing.T, what string, rows []linkwork.CountRow, want []linkwork.CountRow) {
			t.Helper()
			if len(rows) != len(want) {
				t.Fatalf("%s: %+v, want %+v", what, rows, want)
			}
			for i := range want {
				if rows[i].Key != want[i].Key || rows[i].Count != want[i].Count || want[i].Label != "" && rows[i].Label != want[i].Label {
					t.Errorf("%s row %d: %+v, want %+v", what, i, rows[i], want[i])
				}
			}
		}
		row := func(key string, c linkwork.Figure) linkwork.CountRow { return linkwork.CountRow{Key: key, Count: c} }
		type uptake struct {
			key               string
			made, went, going linkwork.Figure
		}
		wantUptake := func(t *testing.T, what string, rows []linkwork.UptakeRow, want []uptake) {
			t.Helper()
			if len(rows) != len(want) {
				t.Fatalf("%s: %+v, want %+v", what, rows, want)
			}
			for i, u := range want {
				if r := rows[i]; r.Key != u.key || r.Made != u.made || r.Went != u.went || r.Going != u.going {
					t.Errorf("%s row %d: %+v, want %+v", what, i, r, u)
				}
			}
		}

		t.Run("the coordinator reads every figure exactly, link workers by name", func(t *testing.T) {
			a := read(t, w.coordinator, quarter)
			if !a.Exact || a.Referrals != shown(12) || a.FromMonth.String() != "2026-01" || a.ToMonth.String() != "2026-03" {
				t.Fatalf("exact %v, referrals %+v, months %s to %s", a.Exact, a.Referrals, a.FromMonth, a.ToMonth)
			}
			wantRows(t, "by referrer", a.ByReferrer, []linkwork.CountRow{
				{Key: w.gp.ID, Label: "Riverside Surgery", Count: shown(10)},
				{Key: w.school.ID, Label: "Millbrook Academy", Count: shown(1)},
				{Key: "", Label: "No referring organisation (the person, family or a friend)", Count: shown(1)},
			})
			wantRows(t, "by practice", a.ByPractice, []linkwork.CountRow{{Key: w.gp.ID, Label: "Riverside Surgery", Count: shown(10)}, {Key: "", Label: "GP practice not given", Count: shown(2)}})
			wantRows(t, "by need", a.ByNeed, []linkwork.CountRow{
				{Key: "wellbeing", Label: linkwork.NeedWellbeing.Label(), Count: shown(1)},
				{Key: "loneliness", Label: linkwork.NeedLoneliness.Label(), Count: shown(2)},
				{Key: "money", Label: linkwork.NeedMoney.Label(), Count: shown(1)},
			})
			wantRows(t, "waiting", a.Waiting, []linkwork.CountRow{row("2026-01", shown(0)), row("2026-02", shown(2)), row("2026-03", shown(1))})
			wantRows(t, "caseloads", a.Caseloads, []linkwork.CountRow{
				{Key: w.linkWorker.ID, Label: w.linkWorker.Name, Count: shown(2)},
				{Key: w.otherWorker.ID, Label: w.otherWorker.Name, Count: shown(1)},
			})
			if c := a.Caseload; c.LinkWorkers != 2 || c.OpenCases != shown(3) || c.Average != 1.5 || c.AverageHidden {
				t.Errorf("caseload: %+v", c)
			}
			if a.Sessions != shown(4) {
				t.Errorf("sessions: %+v", a.Sessions)
			}
			wantRows(t, "session modes", a.SessionModes, []linkwork.CountRow{{Key: "face_to_face", Label: linkwork.ContactFaceToFace.Label(), Count: shown(2)}, row("phone", shown(2))})
			wantRows(t, "session places", a.SessionPlaces, []linkwork.CountRow{{Key: "", Label: "Place not recorded", Count: shown(2)}, row("school", shown(2))})
			if a.ConnectionsMade != shown(4) {
				t.Errorf("connections made: %+v", a.ConnectionsMade)
			}
			wantUptake(t, "by category", a.ByCategory, []uptake{{"social", shown(4), shown(3), shown(1)}, {"sports", shown(4), shown(3), shown(1)}})
			wantUptake(t, "by organisation", a.ByOrganisation, []uptake{{w.vcs.ID, shown(4), shown(3), shown(1)}})
			if u := a.ByCategory[0]; u.Uptake != 75 || u.UptakeHidden || a.ByOrganisation[0].Label != w.vcs.Name {
				t.Errorf("uptake: %+v, %+v", u, a.ByOrganisation[0])
			}
			f := a.Funds
			if len(f.ByCategory) != 2 || f.ByCategory[0] != (linkwork.FundRow{Category: linkwork.FundFees, Requests: shown(2), SpentPence: 3000}) ||
				f.ByCategory[1] != (linkwork.FundRow{Category: linkwork.FundTravel, Requests: shown(1), SpentPence: 500}) {
				t.Errorf("funds by category: %+v", f.ByCategory)
			}
			if f.People != shown(2) || f.SpentPence != 3500 || f.PerPersonPence != 1750 || f.PerPersonHidden || f.SpentHidden() {
				t.Errorf("funds: %+v", f)
			}
			if a.Filter != quarter {
				t.Errorf("the filter read: %+v", a.Filter)
			}
		})

		t.Run("filters narrow the figures they apply to and are named where they do not", func(t *testing.T) {
			a := read(t, w.coordinator, linkwork.ReportFilter{From: quarter.From, To: quarter.To, Pathway: linkwork.PathwaySchool, LinkWorkerID: w.otherWorker.ID})
			wantRows(t, "by referrer", a.ByReferrer, []linkwork.CountRow{row(w.school.ID, shown(1))})
			wantRows(t, "by practice", a.ByPractice, []linkwork.CountRow{row("", shown(1))})
			wantRows(t, "by need", a.ByNeed, nil)
			wantRows(t, "waiting", a.Waiting, []linkwork.CountRow{row("2026-01", shown(0)), row("2026-02", shown(2)), row("2026-03", shown(1))})
			wantRows(t, "caseloads", a.Caseloads, []linkwork.CountRow{row(w.otherWorker.ID, shown(1))})
			if a.Sessions != shown(4) {
				t.Errorf("sessions %+v", a.Sessions)
			}

			march := read(t, w.coordinator, linkwork.ReportFilter{From: linkwork.Date{Year: 2026, Month: 3, Day: 1}, To: quarter.To})
			wantRows(t, "March by referrer", march.ByReferrer, []linkwork.CountRow{row(w.gp.ID, shown(2))})
			wantRows(t, "March by need", march.ByNeed, []linkwork.CountRow{row("money", shown(1))})
			wantRows(t, "March waiting", march.Waiting, []linkwork.CountRow{row("2026-03", shown(1))})
			wantRows(t, "March session modes", march.SessionModes, []linkwork.CountRow{row("phone", shown(1))})
			wantUptake(t, "March by organisation", march.ByOrganisation, []uptake{{w.vcs.ID, shown(1), shown(1), shown(0)}})
			if march.Funds.People != shown(0) || len(march.Funds.ByCategory) != 0 {
				t.Errorf("March's funds: %+v", march.Funds)
			}
		})

		t.Run("only the service's coordinators and funders see it", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.safeguarding, w.referrer, w.community, w.admin} {
				_, err := w.reports().DashboardActivity(w.as(u), quarter)
				wantCode(t, err, linkwork.EFORBIDDEN)
			}
			if a := read(t, w.foreignCoord, quarter); a.Referrals.N != 0 || len(a.ByReferrer) != 0 || len(a.Caseloads) != 0 || a.Funds.People.N != 0 {
				t.Errorf("another service's coordinator sees %+v", a)
			}
			_, err := w.reports().DashboardActivity(w.as(w.coordinator), linkwork.ReportFilter{Pathway: "carrier_pigeon"})
			wantField(t, err, "pathway")
		})

		t.Run("the funding commissioner sees no link worker and small numbers suppressed", func(t *testing.T) {
			svc := *w.service
			svc.ParentID = w.icb.ID
			if err := w.orgs.UpdateOrganisation(w.as(w.admin), &svc); err != nil {
				t.Fatal(err)
			}
			a := read(t, w.commissioner, quarter)
			if a.Exact || a.Referrals != shown(12) {
				t.Fatalf("exact %v, referrals %+v", a.Exact, a.Referrals)
			}
			// The school's 1 and none's 1 are small and together fewer
			// than 5: the GP practice's 10 is withheld with them.
			wantRows(t, "by referrer", a.ByReferrer, []linkwork.CountRow{row(w.gp.ID, withheld), row(w.school.ID, small), row("", small)})
			wantRows(t, "by practice", a.ByPractice, []linkwork.CountRow{row(w.gp.ID, withheld), row("", small)})
			wantRows(t, "by need", a.ByNeed, []linkwork.CountRow{row("wellbeing", small), row("loneliness", small), row("money", small)})
			wantRows(t, "waiting", a.Waiting, []linkwork.CountRow{row("2026-01", small), row("2026-02", small), row("2026-03", small)})
			if len(a.Caseloads) != 0 || a.Caseload.LinkWorkers != 2 || a.Caseload.OpenCases != small || !a.Caseload.AverageHidden || a.Caseload.Average != 0 {
				t.Errorf("caseloads %+v, %+v", a.Caseloads, a.Caseload)
			}
			if a.Sessions != small || a.ConnectionsMade != small {
				t.Errorf("sessions %+v, connections %+v", a.Sessions, a.ConnectionsMade)
			}
			wantRows(t, "session modes", a.SessionModes, []linkwork.CountRow{row("face_to_face", small), row("phone", small)})
			wantUptake(t, "by category", a.ByCategory, []uptake{{"social", small, small, small}, {"sports", small, small, small}})
			f := a.Funds
			if f.People != small || f.SpentPence != 0 || !f.SpentHidden() || !f.PerPersonHidden || f.ByCategory[0].Requests != small || f.ByCategory[0].SpentPence != 0 {
				t.Errorf("funds: %+v", f)
			}
		})
	})
}

// TestTheDashboardsActivityReadsByIndex: each of the activity's
// statements, for the coordinator and the funding commissioner, with and
// without filters, reads its rows by an index: none reads a whole table.
// The kept counts are added up as they are read, in the key's order.
func TestTheDashboardsActivityReadsByIndex(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		svc := *w.service
		svc.ParentID = w.icb.ID
		if err := w.orgs.UpdateOrganisation(w.as(w.admin), &svc); err != nil {
			t.Fatal(err)
		}
		day := linkwork.Date{Year: 2026, Month: 3, Day: 10}
		for _, u := range []*linkwork.User{w.coordinator, w.commissioner} {
			for _, f := range []linkwork.ReportFilter{{}, {Pathway: linkwork.PathwayGP, LinkWorkerID: w.linkWorker.ID}} {
				qs, err := w.db.ActivityQueries(u.Actor(), f, day)
				if err != nil {
					t.Fatal(err)
				}
				counts := 0
				for i, q := range qs {
					plan, err := w.db.PlanOf(q.SQL, q.Args...)
					if err != nil {
						t.Fatalf("%s, statement %d: %v", u.Name, i, err)
					}
					for _, table := range []string{"t", "u", "cc", "fr", "rs", "report_tallies", "report_uptake", "case_counts", "fund_requests", "organisations"} {
						if plan.Scans(table) {
							t.Errorf("%s's statement %d (filter %+v) reads every row of %s:\n%s", u.Name, i, f, table, plan.Text)
						}
					}
					if q.Counts {
						counts++
						// Added up as read: neither sorted nor gathered
						// into a hash table, however many rows.
						if plan.Sorts || strings.Contains(plan.Text, "HashAggregate") {
							t.Errorf("%s's statement %d (filter %+v) gathers the counts to add them up:\n%s", u.Name, i, f, plan.Text)
						}
					}
				}
				if counts == 0 {
					t.Errorf("%s: no statement reads the kept counts", u.Name)
				}
			}
		}
	})
}

// TestReportTalliesAreKeptInStep: the kept counts agree with the records
// after the activity's world is made and after each kind of change.
func TestReportTalliesAreKeptInStep(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		inStep := func(t *testing.T) {
			t.Helper()
			diffs, kept, err := w.db.ReportTallyDiffs()
			if err != nil {
				t.Fatal(err)
			}
			if len(diffs) > 0 {
				t.Errorf("the kept counts differ from the records:\n%s", strings.Join(diffs, "\n"))
			}
			if kept == 0 {
				t.Error("no count is kept")
			}
		}
		activityWorld(t, w)
		t.Run("as made", inStep)
		for _, tt := range []struct{ name, sql string }{
			{"a session changes its place and mode", "UPDATE contacts SET mode = 'video', location_type = 'online' WHERE id = (SELECT MIN(id) FROM contacts WHERE kind = 'session' AND outcome = 'attended')"},
			{"a session turns out missed", "UPDATE contacts SET outcome = 'did_not_attend' WHERE id = (SELECT MIN(id) FROM contacts WHERE kind = 'session' AND outcome = 'attended')"},
			{"a session goes", "DELETE FROM contacts WHERE id = (SELECT MIN(id) FROM contacts WHERE kind = 'session' AND outcome = 'attended')"},
			{"a need changes and one goes", "UPDATE case_needs SET domain = 'housing' WHERE domain = 'money'"},
			{"a need goes", "DELETE FROM case_needs WHERE domain = 'wellbeing'"},
			{"a waiting case is given a link worker", "UPDATE cases SET status = 'active', allocated_at = closed_at WHERE status = 'waiting'"},
			{"a case closes", "UPDATE cases SET status = 'closed', closed_at = opened_at WHERE id = (SELECT MIN(id) FROM cases WHERE status = 'active')"},
			{"a referral changes its referrer, practice and pathway", "UPDATE referrals SET referrer_org_id = NULL, gp_practice_org_id = NULL, pathway = 'hub' WHERE id = (SELECT MIN(r.id) FROM referrals r JOIN cases k ON k.referral_id = r.id JOIN case_needs cn ON cn.case_id = k.id)"},
			{"a connection moves on", "UPDATE connections SET status = 'continuing' WHERE status = 'dropped'"},
			{"a move to attended goes", "DELETE FROM connection_moves WHERE to_status = 'attended'"},
			{"a move to attended comes", "INSERT INTO connection_moves (id, connection_id, case_id, from_status, to_status, at) SELECT 'move-x', id, case_id, 'accepted', 'attended', created_at FROM connections WHERE id = (SELECT MIN(id) FROM connections)"},
			{"an activity loses a category", "DELETE FROM asset_categories WHERE category = 'sports'"},
			{"an activity loses its last category", "DELETE FROM asset_categories WHERE category = 'social'"},
			{"an activity gains a category", "INSERT INTO asset_categories (asset_id, category) SELECT id, 'creative' FROM assets WHERE name = 'Youth Boxing'"},
			{"activities no one was connected to gain a category", "INSERT INTO asset_categories (asset_id, category) SELECT id, 'nature' FROM assets WHERE id NOT IN (SELECT asset_id FROM connections WHERE asset_id IS NOT NULL)"},
			{"a category moves to an activity people were connected to", "UPDATE asset_categories SET asset_id = (SELECT id FROM assets WHERE name = 'Youth Boxing') WHERE category = 'nature' AND asset_id = (SELECT MIN(asset_id) FROM asset_categories WHERE category = 'nature')"},
			{"a connection goes", "DELETE FROM connections WHERE id = (SELECT MIN(id) FROM connections WHERE id NOT IN (SELECT connection_id FROM fund_requests))"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				if err := w.db.Exec(tt.sql); err != nil {
					t.Fatal(err)
				}
				inStep(t)
			})
		}
		t.Run("a case opens through the service", func(t *testing.T) {
			r := w.refer(t, "Newly", "Opened")
			k := w.accept(t, r, nil)
			w.contact(t, k.ID, w.clock.Now(), "session", "attended")
			inStep(t)
		})
	})
}

// TestReportTalliesAreKeptThroughTheLoader: a city written by the bulk
// loader has its activity counted, in step with its records.
func TestReportTalliesAreKeptThroughTheLoader(t *testing.T) {
	cfg, _ := demo.Preset("small")
	cfg.Now = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	for _, d := range sqltest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			db := sqltest.Open(t, d, sqlstore.Options{})
			l := sqlstore.NewLoader(context.Background(), db)
			if _, err := demo.Generate(cfg, l); err != nil {
				t.Fatal(err)
			}
			if err := l.Close("test"); err != nil {
				t.Fatal(err)
			}
			diffs, kept, err := db.ReportTallyDiffs()
			if err != nil {
				t.Fatal(err)
			}
			if len(diffs) > 0 {
				t.Errorf("%d kept counts differ from the records, first:\n%s", len(diffs), diffs[0])
			}
			if kept == 0 {
				t.Error("no count is kept")
			}
		})
	}
}

// TestTheDashboardNamesTheBusiestOrganisations: a service referred to by
// more organisations than a table names (or connecting people to more
// groups) shows the busiest, most first, and adds up the rest in one row,
// their uptake with them; the totals still count everyone.
//
// Forty more referring organisations and forty more groups are counted
// in February 2026 beside the activity world's: organisation i referred
// 100+i people and had 100+i connections made, one of each went, and the
// odd ones' are still going. The thirty named are 39 down to 10; the rest
// are 0 to 9 with the world's own (the GP practice's 10, the school's 1
// and none's 1 referrals; the VCS's 4 connections, 3 went, 1 going).
func TestTheDashboardNamesTheBusiestOrganisations(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		activityWorld(t, w)
		orgs := make([]string, 40)
		for i := range orgs {
			orgs[i] = uuid.NewString()
			for _, c := range []struct {
				figure, pathway string
				n               int
			}{{"referrer", "gp", 100 + i}, {"conn_org", "", 100 + i}, {"conn_org_went", "", 1}, {"conn_org_going", "", i % 2}} {
				if err := w.db.Exec(`INSERT INTO report_tallies (service_org_id, figure, month, pathway, key, n) VALUES (?, ?, '2026-02', ?, ?, ?)`,
					w.service.ID, c.figure, c.pathway, orgs[i], c.n); err != nil {
					t.Fatal(err)
				}
			}
		}
		a, err := w.reports().DashboardActivity(w.as(w.coordinator), quarter)
		if err != nil {
			t.Fatal(err)
		}
		sum := func(from, to int) int { return (from + to) * (to - from + 1) / 2 }
		if a.Referrals.N != 12+sum(100, 139) || a.ConnectionsMade.N != 4+sum(100, 139) {
			t.Errorf("referrals %+v, connections %+v: the totals count every organisation", a.Referrals, a.ConnectionsMade)
		}
		if len(a.ByReferrer) != linkwork.ActivityTopOrganisations+1 || len(a.ByOrganisation) != linkwork.ActivityTopOrganisations+1 {
			t.Fatalf("%d referrer rows and %d organisation rows, want %d each", len(a.ByReferrer), len(a.ByOrganisation), linkwork.ActivityTopOrganisations+1)
		}
		for i := 0; i < linkwork.ActivityTopOrganisations; i++ {
			want := orgs[39-i]
			if r := a.ByReferrer[i]; r.Key != want || r.Count.N != 139-i {
				t.Errorf("referrer row %d: %+v, want %s with %d", i, r, want, 139-i)
			}
			if r := a.ByOrganisation[i]; r.Key != want || r.Made.N != 139-i || r.Went.N != 1 || r.Going.N != (39-i)%2 {
				t.Errorf("organisation row %d: %+v, want %s with %d made", i, r, want, 139-i)
			}
		}
		other := a.ByReferrer[linkwork.ActivityTopOrganisations]
		if want := (linkwork.CountRow{Key: linkwork.OtherOrganisationsKey, Label: "13 other organisations", Count: linkwork.Figure{N: sum(100, 109) + 12}}); other != want {
			t.Errorf("the referrers not named: %+v, want %+v", other, want)
		}
		groups := a.ByOrganisation[linkwork.ActivityTopOrganisations]
		if groups.Key != linkwork.OtherOrganisationsKey || groups.Label != "11 other organisations" || groups.Made.N != sum(100, 109)+4 || groups.Went.N != 10+3 || groups.Going.N != 5+1 {
			t.Errorf("the groups not named: %+v", groups)
		}
	})
}
