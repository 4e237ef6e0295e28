package sqlstore_test

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

func (s *services) reports() *sqlstore.ReportService { return sqlstore.NewReportService(s.db) }

// dashboardWorld is twelve referrals of the service with a known journey
// each, ten received in February 2026 and two in March (days after the
// referral for the decision, then after acceptance for first contact):
//
//	A accepted 1, reached 2, session (and one missed), goes on at an
//	  activity (buddy), closed goals met
//	B accepted 2, session 1, went once to an activity (signpost), closed
//	  connected
//	C accepted 3, reached 4, session (and one missed), dropped the activity
//	  (refer), closed disengaged
//	D accepted 4, reached 3, no session, closed declining support
//	E accepted 5, never reached
//	F declined 6; G declined 10; H withdrawn; I not looked at (school);
//	J in triage (self-referral, self)
//	K (March) accepted 2 by the other worker, session 1, went to an
//	  activity (refer) and dropped it; L (March) not looked at
//
// Pathways: 10 GP, 1 school, 1 self; modes: 9 referral, 2 signposting
// (H and I), 1 self-referral (J).
func dashboardWorld(t *testing.T, w *world) {
	t.Helper()
	boxing := newAsset(w.vcs, "Youth Boxing")
	if err := w.assets.CreateAsset(w.as(w.coordinator), boxing); err != nil {
		t.Fatal(err)
	}
	exec := func(q string, args ...any) {
		t.Helper()
		if err := w.db.Exec(q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	day := 24 * time.Hour
	type journey struct {
		name                string
		received            time.Time
		status              linkwork.ReferralStatus
		decision            int // days
		contact             int // days after acceptance; 0 none
		session             bool
		connection          linkwork.ConnectionStatus
		movedToAttended     bool
		closed              linkwork.ClosureReason
		pathway             linkwork.Pathway
		mode                linkwork.ReferralMode
		worker              *linkwork.User
		reachedByAttendance bool
		dna                 int // sessions not attended
		level               linkwork.ConnectionLevel
	}
	feb := time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC)
	mar := time.Date(2026, 3, 3, 10, 0, 0, 0, time.UTC)
	accepted, declined := linkwork.ReferralAccepted, linkwork.ReferralDeclined
	journeys := []journey{
		{name: "A", received: feb, status: accepted, decision: 1, contact: 2, session: true, dna: 1, connection: linkwork.ConnContinuing, level: linkwork.LevelBuddy, closed: linkwork.ClosedGoalsMet},
		{name: "B", received: feb, status: accepted, decision: 2, contact: 1, session: true, reachedByAttendance: true, connection: linkwork.ConnAttended, level: linkwork.LevelSignpost, closed: linkwork.ClosedConnected},
		{name: "C", received: feb, status: accepted, decision: 3, contact: 4, session: true, dna: 1, connection: linkwork.ConnDropped, closed: linkwork.ClosedDisengaged},
		{name: "D", received: feb, status: accepted, decision: 4, contact: 3, closed: linkwork.ClosedDeclined},
		{name: "E", received: feb, status: accepted, decision: 5},
		{name: "F", received: feb, status: declined, decision: 6},
		{name: "G", received: feb, status: declined, decision: 10},
		{name: "H", received: feb, status: linkwork.ReferralWithdrawn, decision: 3, mode: linkwork.ModeSignposting},
		{name: "I", received: feb, status: linkwork.ReferralReceived, pathway: linkwork.PathwaySchool, mode: linkwork.ModeSignposting},
		{name: "J", received: feb, status: linkwork.ReferralTriage, pathway: linkwork.PathwaySelf, mode: linkwork.ModeSelfReferral},
		{name: "K", received: mar, status: accepted, decision: 2, contact: 1, session: true, reachedByAttendance: true, connection: linkwork.ConnDropped, movedToAttended: true, worker: w.otherWorker},
		{name: "L", received: mar, status: linkwork.ReferralReceived},
	}
	for i, j := range journeys {
		r := w.refer(t, "Person"+j.name, "Test")
		received := j.received.Add(time.Duration(i) * time.Minute)
		decided := received.Add(time.Duration(j.decision) * day)
		switch j.status {
		case accepted:
			worker := j.worker
			if worker == nil {
				worker = w.linkWorker
			}
			k := w.accept(t, r, worker)
			exec("UPDATE cases SET opened_at = ? WHERE id = ?", decided, k.ID)
			if j.contact > 0 {
				at := decided.Add(time.Duration(j.contact) * day)
				w.contact(t, k.ID, at.Add(-day), "attempt", "no_answer")
				if j.reachedByAttendance {
					w.contact(t, k.ID, at, "session", "attended")
				} else {
					w.contact(t, k.ID, at, "attempt", "reached")
					if j.session {
						w.contact(t, k.ID, at.Add(7*day), "session", "attended")
					}
				}
			} else {
				w.contact(t, k.ID, decided.Add(day), "attempt", "no_answer")
			}
			for d := range j.dna {
				w.contact(t, k.ID, decided.Add(time.Duration(20+d)*day), "session", "did_not_attend")
			}
			if j.connection != "" {
				id := uuid.NewString()
				level := j.level
				if level == "" {
					level = linkwork.LevelRefer
				}
				exec(`INSERT INTO connections (id, case_id, person_id, asset_id, level, status, created_at, updated_at, service_org_id, asset_org_id)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, id, k.ID, k.PersonID, boxing.ID, string(level), string(j.connection), decided, decided, w.service.ID, w.vcs.ID)
				if j.movedToAttended {
					exec(`INSERT INTO connection_moves (id, connection_id, case_id, from_status, to_status, at) VALUES (?, ?, ?, 'accepted', 'attended', ?)`,
						uuid.NewString(), id, k.ID, decided.Add(10*day))
				}
			}
			if j.closed != "" {
				exec("UPDATE cases SET status = 'closed', closure_reason = ?, closed_at = ? WHERE id = ?", string(j.closed), decided.Add(60*day), k.ID)
			}
		case declined:
			if _, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, r.Version, linkwork.ReferralDecision{To: declined, Streetlight: linkwork.StreetlightRed, Reason: "Needs CAMHS", OnwardDestination: "CAMHS"}); err != nil {
				t.Fatal(err)
			}
		case linkwork.ReferralWithdrawn:
			if _, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, r.Version, linkwork.ReferralDecision{To: j.status, Reason: "Moved away"}); err != nil {
				t.Fatal(err)
			}
		case linkwork.ReferralTriage:
			if _, err := w.referrals.DecideReferral(w.as(w.coordinator), r.ID, r.Version, linkwork.ReferralDecision{To: j.status}); err != nil {
				t.Fatal(err)
			}
		}
		exec("UPDATE referrals SET received_at = ? WHERE id = ?", received, r.ID)
		exec("UPDATE referrals SET decided_at = ? WHERE id = ? AND decided_at IS NOT NULL", decided, r.ID)
		if j.pathway != "" {
			exec("UPDATE referrals SET pathway = ? WHERE id = ?", string(j.pathway), r.ID)
		}
		if j.mode != "" {
			exec("UPDATE referrals SET mode = ? WHERE id = ?", string(j.mode), r.ID)
		}
	}
}

// quarter is the first three months of 2026.
var quarter = linkwork.ReportFilter{From: linkwork.Date{Year: 2026, Month: 1, Day: 1}, To: linkwork.Date{Year: 2026, Month: 3, Day: 31}}

func TestTheDashboardsFiguresWorkedByHand(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		dashboardWorld(t, w)
		read := func(t *testing.T, u *linkwork.User, f linkwork.ReportFilter) *linkwork.Dashboard {
			t.Helper()
			d, err := w.reports().Dashboard(w.as(u), f)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
		counts := func(rows []linkwork.CountRow) map[string]linkwork.Figure {
			m := map[string]linkwork.Figure{}
			for _, r := range rows {
				m[r.Key] = r.Count
			}
			return m
		}
		shown := func(n int) linkwork.Figure { return linkwork.Figure{N: n} }
		small := linkwork.Figure{Hidden: linkwork.Small}
		withheld := linkwork.Figure{Hidden: linkwork.Withheld}
		wantCounts := func(t *testing.T, what string, rows []linkwork.CountRow, want map[string]linkwork.Figure) {
			t.Helper()
			got := counts(rows)
			if len(got) != len(want) {
				t.Errorf("%s: %+v, want %+v", what, got, want)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("%s %s = %+v, want %+v", what, k, got[k], v)
				}
			}
		}
		r1 := func(x float64) float64 { return math.Round(x*10) / 10 }

		t.Run("the coordinator reads every count, conversion and wait exactly", func(t *testing.T) {
			d := read(t, w.coordinator, quarter)
			if !d.Exact || d.Referrals != shown(12) {
				t.Fatalf("exact %v, referrals %+v", d.Exact, d.Referrals)
			}
			wantCounts(t, "by month", d.ByMonth, map[string]linkwork.Figure{"2026-02": shown(10), "2026-03": shown(2)})
			wantCounts(t, "by pathway", d.ByPathway, map[string]linkwork.Figure{"gp": shown(10), "school": shown(1), "self": shown(1)})
			wantCounts(t, "by mode", d.ByMode, map[string]linkwork.Figure{"referral": shown(9), "signposting": shown(2), "self_referral": shown(1)})
			// Referred 12, triaged 10 (83.3%), accepted 6 (60%), first
			// contact 5 (83.3%), first session 4 (80%), connected 3
			// (75%), closed well 2 (66.7%, 16.7% of all referred).
			want := []struct {
				n        int
				previous float64
			}{{12, 100}, {10, 83.3}, {6, 60}, {5, 83.3}, {4, 80}, {3, 75}, {2, 66.7}}
			for i, s := range d.Funnel {
				if s.People != shown(want[i].n) || r1(s.FromPrevious) != want[i].previous || s.RatesHidden {
					t.Errorf("step %s: %+v, want %d at %.1f%%", s.Key, s, want[i].n, want[i].previous)
				}
			}
			if f := d.Funnel[6]; r1(f.FromReferred) != 16.7 {
				t.Errorf("closed well of all referred = %.2f%%", f.FromReferred)
			}
			wantCounts(t, "leaving", d.Leaving, map[string]linkwork.Figure{
				linkwork.LeftDeclined: shown(2), linkwork.LeftWithdrawn: shown(1), linkwork.LeftDeclinedOffer: shown(1),
				linkwork.LeftDisengaged: shown(1), linkwork.LeftDroppedOut: shown(2), linkwork.LeftClosedOtherway: shown(0),
			})
			// February's decisions: 1, 2, 3, 4, 5, 6 and 10 days: the
			// median is the 4th of 7 (4), the 90th percentile the 7th
			// (10). First contact: 1, 2, 3 and 4 days: the 2nd of 4 (2)
			// and the 4th (4). March: one of each.
			if len(d.Waits) != 2 {
				t.Fatalf("waits %+v", d.Waits)
			}
			for _, tt := range []struct {
				name      string
				got       linkwork.Wait
				n         int
				med, p90  float64
				monthWant string
				month     linkwork.Month
			}{
				{"February's decisions", d.Waits[0].Decision, 7, 4, 10, "2026-02", d.Waits[0].Month},
				{"February's first contacts", d.Waits[0].FirstContact, 4, 2, 4, "2026-02", d.Waits[0].Month},
				{"March's decisions", d.Waits[1].Decision, 1, 2, 2, "2026-03", d.Waits[1].Month},
				{"March's first contacts", d.Waits[1].FirstContact, 1, 1, 1, "2026-03", d.Waits[1].Month},
			} {
				if tt.month.String() != tt.monthWant || tt.got.N != shown(tt.n) || r1(tt.got.Median) != tt.med || r1(tt.got.P90) != tt.p90 {
					t.Errorf("%s (%s): %+v, want %d waits, median %v, 90th %v", tt.name, tt.month, tt.got, tt.n, tt.med, tt.p90)
				}
			}
			// Four sessions attended (A, B, C, K) and two missed (A, C) by
			// six people accepted: 0.67 a person, a third missed.
			if s := d.Sessions; s.People != shown(6) || s.Attended != shown(4) || s.DidNotAttend != shown(2) || math.Round(s.PerPerson*100) != 67 || r1(s.DNARate) != 33.3 || s.RatesHidden {
				t.Errorf("sessions: %+v", s)
			}
			// Signpost: B's, gone to. Refer: C's and K's, K's gone to
			// once. Buddy: A's, still going.
			wantLevels := []struct {
				level             linkwork.ConnectionLevel
				made, went, going int
				uptake            float64
			}{{linkwork.LevelSignpost, 1, 1, 0, 100}, {linkwork.LevelRefer, 2, 1, 0, 50}, {linkwork.LevelBuddy, 1, 1, 1, 100}}
			if len(d.Connections) != len(wantLevels) || d.ConnectionsMade != shown(4) {
				t.Fatalf("connections: %+v (%+v made)", d.Connections, d.ConnectionsMade)
			}
			for i, want := range wantLevels {
				if c := d.Connections[i]; c.Level != want.level || c.Made != shown(want.made) || c.Went != shown(want.went) || c.Going != shown(want.going) || c.Uptake != want.uptake || c.UptakeHidden {
					t.Errorf("connections at level %s: %+v, want %+v", want.level, c, want)
				}
			}
			if len(d.LinkWorkers) != 2 || len(d.Referrers) != 1 || d.Referrers[0].ID != w.gp.ID {
				t.Errorf("choices: workers %+v, referrers %+v", d.LinkWorkers, d.Referrers)
			}
			auditedList(t, w, w.coordinator, "report.read", []string{"period 2026-01-01 to 2026-03-31"})
		})

		t.Run("filters narrow every figure", func(t *testing.T) {
			tests := []struct {
				name      string
				f         linkwork.ReportFilter
				referrals int
				accepted  int
			}{
				{"one pathway", linkwork.ReportFilter{From: quarter.From, To: quarter.To, Pathway: linkwork.PathwaySchool}, 1, 0},
				{"one month", linkwork.ReportFilter{From: linkwork.Date{Year: 2026, Month: 3, Day: 1}, To: quarter.To}, 2, 1},
				{"one link worker", linkwork.ReportFilter{From: quarter.From, To: quarter.To, LinkWorkerID: w.otherWorker.ID}, 1, 1},
				{"one referring organisation", linkwork.ReportFilter{From: quarter.From, To: quarter.To, ReferrerOrgID: w.gp.ID}, 12, 6},
				{"another referring organisation", linkwork.ReportFilter{From: quarter.From, To: quarter.To, ReferrerOrgID: w.school.ID}, 0, 0},
				{"an age band nobody referred is in", linkwork.ReportFilter{From: quarter.From, To: quarter.To, AgeBand: "26-plus"}, 0, 0},
				{"the age band everyone referred is in", linkwork.ReportFilter{From: quarter.From, To: quarter.To, AgeBand: "13-15"}, 12, 6},
				{"a period before any referral", linkwork.ReportFilter{From: linkwork.Date{Year: 2025, Month: 1, Day: 1}, To: linkwork.Date{Year: 2025, Month: 12, Day: 31}}, 0, 0},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					d := read(t, w.coordinator, tt.f)
					if d.Referrals.N != tt.referrals || d.Funnel[2].People.N != tt.accepted {
						t.Errorf("%d referrals, %d accepted; want %d, %d", d.Referrals.N, d.Funnel[2].People.N, tt.referrals, tt.accepted)
					}
				})
			}
		})

		t.Run("a referral in the last hour of a summer month counts in the next, as UK time has it", func(t *testing.T) {
			r := w.refer(t, "Late", "Evening")
			if err := w.db.Exec("UPDATE referrals SET received_at = ? WHERE id = ?", time.Date(2026, 5, 31, 23, 30, 0, 0, time.UTC), r.ID); err != nil {
				t.Fatal(err)
			}
			winter := w.refer(t, "Late", "Winter")
			if err := w.db.Exec("UPDATE referrals SET received_at = ? WHERE id = ?", time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC), winter.ID); err != nil {
				t.Fatal(err)
			}
			d := read(t, w.coordinator, linkwork.ReportFilter{From: linkwork.Date{Year: 2026, Month: 5, Day: 1}, To: linkwork.Date{Year: 2026, Month: 12, Day: 31}})
			wantCounts(t, "by month", d.ByMonth, map[string]linkwork.Figure{"2026-06": shown(1), "2026-11": shown(1)})
			// Out of the way of the periods the other figures read.
			if err := w.db.Exec("UPDATE referrals SET received_at = ? WHERE id IN (?, ?)", time.Date(2000, 1, 1, 12, 0, 0, 0, time.UTC), r.ID, winter.ID); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("a filter the dashboard cannot read is refused naming the field", func(t *testing.T) {
			for field, f := range map[string]linkwork.ReportFilter{
				"to":       {From: linkwork.Date{Year: 2026, Month: 3, Day: 1}, To: linkwork.Date{Year: 2026, Month: 2, Day: 1}},
				"from":     {From: linkwork.Date{Year: 2010, Month: 1, Day: 1}, To: linkwork.Date{Year: 2026, Month: 2, Day: 1}},
				"pathway":  {Pathway: "carrier_pigeon"},
				"age_band": {AgeBand: "ancient"},
			} {
				_, err := w.reports().Dashboard(w.as(w.coordinator), f)
				wantField(t, err, field)
			}
		})

		t.Run("only the service's coordinators and funders see it", func(t *testing.T) {
			for _, u := range []*linkwork.User{w.linkWorker, w.safeguarding, w.referrer, w.community, w.admin} {
				_, err := w.reports().Dashboard(w.as(u), quarter)
				wantCode(t, err, linkwork.EFORBIDDEN)
			}
			if d := read(t, w.foreignCoord, quarter); d.Referrals.N != 0 || len(d.ByMonth) != 0 {
				t.Errorf("another service's coordinator sees %+v", d)
			}
			if d := read(t, w.commissioner, quarter); d.Referrals.Hidden != linkwork.Small || len(d.ByMonth) != 0 {
				t.Errorf("a commissioner funding nothing sees %+v", d)
			}
		})

		t.Run("the funding commissioner sees small numbers suppressed, and what would give them away", func(t *testing.T) {
			svc := *w.service
			svc.ParentID = w.icb.ID
			if err := w.orgs.UpdateOrganisation(w.as(w.admin), &svc); err != nil {
				t.Fatal(err)
			}
			d := read(t, w.commissioner, quarter)
			if d.Exact || d.Referrals != shown(12) {
				t.Fatalf("exact %v, referrals %+v", d.Exact, d.Referrals)
			}
			// March's 2 are small; February's 10 would give them away
			// from the 12.
			wantCounts(t, "by month", d.ByMonth, map[string]linkwork.Figure{"2026-02": withheld, "2026-03": small})
			// School and self, 1 each, are small, and together fewer
			// than 5: GP's 10 is withheld with them.
			wantCounts(t, "by pathway", d.ByPathway, map[string]linkwork.Figure{"gp": withheld, "school": small, "self": small})
			wantCounts(t, "by mode", d.ByMode, map[string]linkwork.Figure{"referral": withheld, "signposting": small, "self_referral": small})
			for i, want := range []linkwork.Figure{shown(12), shown(10), shown(6), shown(5), small, small, small} {
				s := d.Funnel[i]
				if s.People != want || s.RatesHidden != (want.Hidden != linkwork.Shown) {
					t.Errorf("step %s: %+v, want %+v", s.Key, s, want)
				}
			}
			if r1(d.Funnel[3].FromPrevious) != 83.3 || d.Funnel[4].FromPrevious != 0 {
				t.Errorf("conversions: %+v", d.Funnel)
			}
			for _, l := range d.Leaving {
				if l.Count != small {
					t.Errorf("leaving %s: %+v", l.Key, l.Count)
				}
			}
			// February's seven decisions are shown; its four first
			// contacts and March's one of each are not.
			if w0 := d.Waits[0]; w0.Decision.N != shown(7) || w0.Decision.Median != 4 || w0.Decision.P90 != 10 ||
				w0.FirstContact.N != small || w0.FirstContact.Median != 0 || w0.FirstContact.P90 != 0 {
				t.Errorf("February's waits: %+v", w0)
			}
			if w1 := d.Waits[1]; w1.Decision.Shown() || w1.FirstContact.Shown() || w1.Decision.Median != 0 {
				t.Errorf("March's waits: %+v", w1)
			}
			if s := d.Sessions; s.People != shown(6) || s.Attended != small || s.DidNotAttend != small || !s.RatesHidden || s.PerPerson != 0 || s.DNARate != 0 {
				t.Errorf("sessions: %+v", s)
			}
			if d.ConnectionsMade != small {
				t.Errorf("connections made: %+v", d.ConnectionsMade)
			}
			for _, c := range d.Connections {
				if c.Made != small || c.Went != small || c.Going != small || !c.UptakeHidden || c.Uptake != 0 {
					t.Errorf("connections at level %s: %+v", c.Level, c)
				}
			}
			auditedList(t, w, w.commissioner, "report.read", nil)
		})
	})
}

// TestTheDashboardReadsByIndex: each of the dashboard's statements, for
// the coordinator and the funding commissioner, with and without
// filters, reads the kept facts of the service's referrals from their
// index on the service and time received, and the connections by the
// case: none reads a whole table.
func TestTheDashboardReadsByIndex(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		svc := *w.service
		svc.ParentID = w.icb.ID
		if err := w.orgs.UpdateOrganisation(w.as(w.admin), &svc); err != nil {
			t.Fatal(err)
		}
		day := linkwork.Date{Year: 2026, Month: 3, Day: 10}
		filters := []struct {
			name  string
			f     linkwork.ReportFilter
			kinds []string
		}{
			{"twelve months to a day early in the month", linkwork.ReportFilter{}, []string{"facts", "cube groups", "cube waits"}},
			{"whole months of one pathway and age band", linkwork.ReportFilter{From: linkwork.Date{Year: 2025, Month: 1, Day: 1}, To: linkwork.Date{Year: 2026, Month: 2, Day: 28}, Pathway: linkwork.PathwayGP, AgeBand: "13-15"}, []string{"cube groups", "cube waits"}},
			{"a period ending late in a month", linkwork.ReportFilter{From: linkwork.Date{Year: 2025, Month: 1, Day: 1}, To: linkwork.Date{Year: 2026, Month: 2, Day: 25}}, []string{"facts", "cube groups", "cube waits"}},
			{"one link worker", linkwork.ReportFilter{Pathway: linkwork.PathwayGP, AgeBand: "13-15", LinkWorkerID: w.linkWorker.ID, ReferrerOrgID: w.gp.ID}, []string{"facts"}},
			{"one referring organisation", linkwork.ReportFilter{ReferrerOrgID: w.gp.ID}, []string{"facts"}},
		}
		for _, u := range []*linkwork.User{w.coordinator, w.commissioner} {
			for _, tt := range filters {
				var kinds []string
				for i, q := range w.db.DashboardQueries(u.Actor(), tt.f, day) {
					kinds = append(kinds, q.Kind)
					plan, err := w.db.PlanOf(q.SQL, q.Args...)
					if err != nil {
						t.Fatalf("%s, %s, statement %d: %v", u.Name, tt.name, i, err)
					}
					if testing.Verbose() {
						t.Log(plan.Text)
					}
					for _, table := range []string{"f", "c", "referral_facts", "referral_cube", "referral_wait_cube"} {
						if plan.Scans(table) {
							t.Errorf("%s's statement %d (%s) reads every row of %s:\n%s", u.Name, i, tt.name, table, plan.Text)
						}
					}
					byIndex := strings.Contains(plan.Text, q.Index+"_pkey") || strings.Contains(plan.Text, "PRIMARY KEY")
					if strings.HasPrefix(q.Kind, "facts") {
						// SQLite is told the index; PostgreSQL's planner takes no
						// hints and, on a test's few rows, may take another of
						// the indexes led by the service.
						byIndex = strings.Contains(plan.Text, q.Index) || w.db.Dialect() == "postgres" &&
							(strings.Contains(plan.Text, "referral_facts_service") || strings.Contains(plan.Text, "referral_facts_worker") || strings.Contains(plan.Text, "referral_facts_referrer"))
					}
					if !byIndex {
						t.Errorf("%s's statement %d (%s) does not read %s by its index:\n%s", u.Name, i, tt.name, q.Index, plan.Text)
					}
				}
				if !slices.Equal(kinds, tt.kinds) {
					t.Errorf("%s, %s: statements %v, want %v", u.Name, tt.name, kinds, tt.kinds)
				}
			}
		}
	})
}

// TestReferralFactsAreKeptInStep: the kept facts of each referral agree
// with the referrals, cases, contacts and connections themselves after
// the dashboard's world is made and after each kind of change.
func TestReferralFactsAreKeptInStep(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		inStep := func(t *testing.T) {
			t.Helper()
			diffs, kept, err := w.db.ReferralFactDiffs()
			if err != nil {
				t.Fatal(err)
			}
			if len(diffs) > 0 {
				t.Errorf("the kept facts differ from the records:\n%s", strings.Join(diffs, "\n"))
			}
			cubeDiffs, err := w.db.ReportCubeDiffs()
			if err != nil {
				t.Fatal(err)
			}
			if len(cubeDiffs) > 0 {
				t.Errorf("the kept counts differ from the kept rows:\n%s", strings.Join(cubeDiffs, "\n"))
			}
			if kept == 0 {
				t.Error("no referral's facts are kept")
			}
		}
		dashboardWorld(t, w)
		exec := func(q string, args ...any) {
			t.Helper()
			if err := w.db.Exec(q, args...); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		t.Run("as made", inStep)
		tests := []struct {
			name string
			sql  string
		}{
			{"a contact changes its outcome", "UPDATE contacts SET outcome = 'did_not_attend' WHERE kind = 'session' AND outcome = 'attended' AND id = (SELECT MIN(id) FROM contacts WHERE kind = 'session' AND outcome = 'attended')"},
			{"a contact goes", "DELETE FROM contacts WHERE id = (SELECT MIN(id) FROM contacts WHERE outcome = 'reached')"},
			{"a connection moves on", "UPDATE connections SET status = 'dropped' WHERE id = (SELECT MIN(id) FROM connections WHERE status = 'continuing')"},
			{"a move to attended goes", "DELETE FROM connection_moves WHERE to_status = 'attended'"},
			{"a connection goes", "DELETE FROM connections WHERE id = (SELECT MIN(id) FROM connections)"},
			{"a case changes hands and closes", "UPDATE cases SET link_worker_id = NULL, status = 'closed', closure_reason = 'moved_away' WHERE id = (SELECT MIN(id) FROM cases WHERE status <> 'closed')"},
			{"a referral changes", "UPDATE referrals SET pathway = 'hub', mode = 'signposting', status = 'declined', received_at = received_at WHERE id = (SELECT MIN(id) FROM referrals WHERE status = 'received')"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				exec(tt.sql)
				inStep(t)
			})
		}
		t.Run("a case opens through the service", func(t *testing.T) {
			r := w.refer(t, "Newly", "Opened")
			k := w.accept(t, r, w.linkWorker)
			w.contact(t, k.ID, w.clock.Now(), "session", "attended")
			inStep(t)
		})
	})
}

// TestReferralFactsAreKeptThroughTheLoader: a city written by the bulk
// loader has every referral's facts kept, in step with its records.
func TestReferralFactsAreKeptThroughTheLoader(t *testing.T) {
	cfg, _ := demo.Preset("small")
	cfg.Now = time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	for _, d := range sqltest.Dialects(t) {
		t.Run(d, func(t *testing.T) {
			db := sqltest.Open(t, d, sqlstore.Options{})
			l := sqlstore.NewLoader(context.Background(), db)
			sum, err := demo.Generate(cfg, l)
			if err != nil {
				t.Fatal(err)
			}
			if err := l.Close("test"); err != nil {
				t.Fatal(err)
			}
			diffs, kept, err := db.ReferralFactDiffs()
			if err != nil {
				t.Fatal(err)
			}
			if len(diffs) > 0 {
				t.Errorf("%d of %d kept facts differ from the records, first:\n%s", len(diffs), kept, diffs[0])
			}
			if kept == 0 || kept != sum.Referrals {
				t.Errorf("%d referrals' facts kept, %d referrals loaded", kept, sum.Referrals)
			}
			cubeDiffs, err := db.ReportCubeDiffs()
			if err != nil {
				t.Fatal(err)
			}
			if len(cubeDiffs) > 0 {
				t.Errorf("%d kept counts differ from the kept rows, first:\n%s", len(cubeDiffs), cubeDiffs[0])
			}
		})
	}
}
