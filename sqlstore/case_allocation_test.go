package sqlstore_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

func (w *world) alloc() *sqlstore.AllocationService { return sqlstore.NewAllocationService(w.db) }

// contact records a contact as the sessions area would, whatever its
// outcome, straight into the database.
func (w *world) contact(t *testing.T, caseID string, at time.Time, kind, outcome string) {
	t.Helper()
	if err := w.db.Exec(`INSERT INTO contacts (id, case_id, at, mode, location_type, outcome, minutes, notes, by_user_id, version, created_at, kind)
		VALUES (?, ?, ?, 'phone', '', ?, 30, '', ?, 1, ?, ?)`, uuid.NewString(), caseID, at.UTC(), outcome, w.linkWorker.ID, at.UTC(), kind); err != nil {
		t.Fatalf("add contact: %v", err)
	}
}

func (w *world) setCasework(t *testing.T, cw linkwork.CaseworkSettings) {
	t.Helper()
	set, err := w.triage().ServiceSettings(w.sys, w.service.ID)
	if err != nil {
		t.Fatal(err)
	}
	set.Casework = cw
	if err := w.triage().SaveServiceSettings(w.as(w.coordinator), set); err != nil {
		t.Fatal(err)
	}
}

func TestAllocatingTellsThePersonAndTheReferrer(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		r := w.refer(t, "Amira", "Khan")
		c := w.accept(t, r, nil)
		if _, err := w.cases.AllocateCase(w.as(w.linkWorker), c.ID, c.Version, w.linkWorker.ID); linkwork.ErrorCode(err) != linkwork.ENOTFOUND && linkwork.ErrorCode(err) != linkwork.EFORBIDDEN {
			t.Fatalf("a link worker allocating: %v, want refused", err)
		}
		got, err := w.cases.AllocateCase(w.as(w.coordinator), c.ID, c.Version, w.linkWorker.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != linkwork.CaseActive || got.LinkWorkerName != "linkworker" {
			t.Fatalf("allocated case = %s by %q", got.Status, got.LinkWorkerName)
		}
		_, err = w.cases.AllocateCase(w.as(w.coordinator), c.ID, c.Version, w.otherWorker.ID)
		wantCode(t, err, linkwork.EINVALID) // no longer waiting

		msgs, err := w.messages.FindMessages(w.as(w.coordinator), c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].Kind != linkwork.MessageAllocated || msgs[0].Channel != linkwork.MessageText || !strings.Contains(msgs[0].Body, "linkworker") {
			t.Fatalf("messages to the person = %+v, want one text naming the link worker", msgs)
		}
		notes, _, _, err := sqlstore.NewNotificationService(w.db).FindNotifications(w.as(w.referrer), false, 0, 50)
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, n := range notes {
			if n.Kind == linkwork.NoteCaseAllocated {
				found = true
				if strings.Contains(n.Body, "linkworker") {
					t.Errorf("the referrer is told the worker's name: %q", n.Body)
				}
			}
		}
		if !found {
			t.Fatalf("the referrer was not told of the allocation: %+v", notes)
		}
		seen, err := w.referrals.FindReferralByID(w.as(w.referrer), r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !seen.CaseAllocatedAt.Equal(w.clock.Now()) || seen.CaseStatus != linkwork.CaseActive {
			t.Fatalf("the referrer sees allocated at %v (%s), want %v", seen.CaseAllocatedAt, seen.CaseStatus, w.clock.Now())
		}
	})
}

func TestAllocatingAStaleCaseConflicts(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		c := w.accept(t, w.refer(t, "Ben", "Okafor"), nil)
		_, err := w.cases.AllocateCase(w.as(w.coordinator), c.ID, c.Version+1, w.linkWorker.ID)
		wantCode(t, err, linkwork.ECONFLICT)
	})
}

func TestTakeNextCase(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		_, err := w.alloc().TakeNextCase(w.as(w.linkWorker))
		wantField(t, err, "caseload") // nobody waiting
		first := w.accept(t, w.refer(t, "Cara", "Doyle"), nil)
		w.clock.Advance(time.Hour)
		second := w.accept(t, w.refer(t, "Dev", "Shah"), nil)

		_, err = w.alloc().TakeNextCase(w.as(w.coordinator))
		wantCode(t, err, linkwork.EFORBIDDEN)
		_, err = w.alloc().TakeNextCase(w.as(w.foreignCoord))
		wantCode(t, err, linkwork.EFORBIDDEN)

		got, err := w.alloc().TakeNextCase(w.as(w.linkWorker))
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != first.ID || got.LinkWorkerID != w.linkWorker.ID || got.Status != linkwork.CaseActive {
			t.Fatalf("took %s (%s, %s), want the oldest waiting %s", got.ID, got.LinkWorkerID, got.Status, first.ID)
		}
		if msgs, _ := w.messages.FindMessages(w.as(w.linkWorker), got.ID); len(msgs) != 1 || msgs[0].Kind != linkwork.MessageAllocated {
			t.Fatalf("the person was not told: %+v", msgs)
		}

		// Full: the weighted caseload has reached the limit.
		w.setCasework(t, linkwork.CaseworkSettings{CaseloadLimit: 2})
		if _, err := w.alloc().SetComplexity(w.as(w.coordinator), got.ID, got.Version, 2); err != nil {
			t.Fatal(err)
		}
		_, err = w.alloc().TakeNextCase(w.as(w.linkWorker))
		wantField(t, err, "caseload")
		if !strings.Contains(linkwork.ErrorMessage(err), "caseload is full") {
			t.Fatalf("message = %q", linkwork.ErrorMessage(err))
		}
		// Another worker with room takes the second.
		got, err = w.alloc().TakeNextCase(w.as(w.otherWorker))
		if err != nil || got.ID != second.ID {
			t.Fatalf("other worker took %v, %v; want %s", got, err, second.ID)
		}
	})
}

func TestSetComplexity(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		c := w.accept(t, w.refer(t, "Eve", "Green"), w.linkWorker)
		for _, bad := range []int{0, 4, -1} {
			_, err := w.alloc().SetComplexity(w.as(w.coordinator), c.ID, c.Version, bad)
			wantField(t, err, "complexity")
		}
		_, err := w.alloc().SetComplexity(w.as(w.linkWorker), c.ID, c.Version, 3)
		wantCode(t, err, linkwork.EFORBIDDEN)
		_, err = w.alloc().SetComplexity(w.as(w.coordinator), c.ID, c.Version+1, 3)
		wantCode(t, err, linkwork.ECONFLICT)
		got, err := w.alloc().SetComplexity(w.as(w.coordinator), c.ID, c.Version, 3)
		if err != nil || got.Complexity != 3 {
			t.Fatalf("set complexity: %v, %v", got, err)
		}
		loads, _, err := w.alloc().WorkerLoads(w.as(w.coordinator), linkwork.TeamQuery{})
		if err != nil {
			t.Fatal(err)
		}
		want := []linkwork.WorkerLoad{
			{UserID: w.linkWorker.ID, Name: "linkworker", Cases: 1, Weighted: 3, Limit: linkwork.DefaultCaseloadLimit, Overdue: 0},
			{UserID: w.otherWorker.ID, Name: "otherworker", Limit: linkwork.DefaultCaseloadLimit},
		}
		if !slices.Equal(loads, want) {
			t.Fatalf("loads = %+v\nwant %+v", loads, want)
		}
	})
}

func TestCaseloadShowsWhatIsDue(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		day := 24 * time.Hour
		start := w.clock.Now()
		fresh := w.accept(t, w.refer(t, "Fay", "New"), w.linkWorker)      // allocated now: first contact due in 5 days
		unreached := w.accept(t, w.refer(t, "Gus", "Late"), w.linkWorker) // tried, never reached
		quiet := w.accept(t, w.refer(t, "Hal", "Quiet"), w.linkWorker)    // reached, then silence
		reviewing := w.accept(t, w.refer(t, "Ivy", "Review"), w.linkWorker)
		booked := w.accept(t, w.refer(t, "Jo", "Booked"), w.linkWorker)
		closing := w.accept(t, w.refer(t, "Kit", "Closed"), w.linkWorker)
		other := w.accept(t, w.refer(t, "Lee", "Other"), w.otherWorker)

		w.contact(t, unreached.ID, start.Add(day), "attempt", "no_answer")
		w.contact(t, quiet.ID, start.Add(2*day), "attempt", "reached")
		for i := range 4 {
			w.contact(t, reviewing.ID, start.Add(time.Duration(i+1)*day), "session", "attended")
		}
		w.contact(t, booked.ID, start.Add(time.Hour), "attempt", "reached")
		if _, err := w.cases.CloseCase(w.as(w.linkWorker), closing.ID, closing.Version, linkwork.CaseClosure{Reason: linkwork.ClosedGoalsMet, FollowUpOn: linkwork.DateOf(start.Add(10 * day))}); err != nil {
			t.Fatal(err)
		}
		w.clock.Advance(25 * day)
		now := w.clock.Now()
		w.contact(t, booked.ID, now.Add(-time.Hour), "session", "attended")
		w.contact(t, booked.ID, now.Add(3*day), "session", "booked")
		w.contact(t, booked.ID, now.Add(2*day), "session", "booked")

		items, err := w.alloc().Caseload(w.as(w.linkWorker), linkwork.CaseloadQuery{})
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]*linkwork.CaseloadItem{}
		for _, it := range items {
			by[it.Case.ID] = it
		}
		if _, ok := by[other.ID]; ok || len(items) != 6 {
			t.Fatalf("caseload has %d cases (another worker's: %v), want 6", len(items), ok)
		}
		tests := []struct {
			name     string
			id       string
			overdue  []linkwork.Overdue
			sessions int
			review   int
			last     time.Time
			next     time.Time
		}{
			{"first contact never made", fresh.ID, []linkwork.Overdue{linkwork.OverdueFirstContact}, 0, 0, time.Time{}, time.Time{}},
			{"tried but never reached", unreached.ID, []linkwork.Overdue{linkwork.OverdueFirstContact}, 0, 0, start.Add(day), time.Time{}},
			{"reached, then quiet for three weeks", quiet.ID, []linkwork.Overdue{linkwork.OverdueQuiet}, 0, 0, start.Add(2 * day), time.Time{}},
			{"a session past the review point", reviewing.ID, []linkwork.Overdue{linkwork.OverdueQuiet, linkwork.OverdueReview}, 4, 3, start.Add(4 * day), time.Time{}},
			{"seen today, booked ahead", booked.ID, nil, 1, 0, now.Add(-time.Hour), now.Add(2 * day)},
			{"closed with a follow-up due", closing.ID, []linkwork.Overdue{linkwork.OverdueFollowUp}, 0, 0, time.Time{}, time.Time{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				it := by[tt.id]
				if it == nil {
					t.Fatal("not on the caseload")
				}
				if !slices.Equal(it.Overdue, tt.overdue) || it.Sessions != tt.sessions || it.ReviewDue != tt.review ||
					!it.LastContact.Equal(tt.last) || !it.NextContact.Equal(tt.next) {
					t.Fatalf("overdue %v sessions %d review %d last %v next %v\nwant %v %d %d %v %v",
						it.Overdue, it.Sessions, it.ReviewDue, it.LastContact, it.NextContact, tt.overdue, tt.sessions, tt.review, tt.last, tt.next)
				}
			})
		}
		if items[0].Case.ID != reviewing.ID || items[len(items)-1].Case.ID != booked.ID {
			t.Errorf("default order: first %s, last %s; want most overdue first and nothing overdue last", items[0].Case.PersonName, items[len(items)-1].Case.PersonName)
		}

		// A review held at session 4 covers the review at 3.
		if err := w.db.Exec("INSERT INTO case_reviews (id, case_id, at, sessions, engaged, decision, created_at) VALUES (?, ?, ?, 4, 'yes', 'continue', ?)",
			uuid.NewString(), reviewing.ID, now.UTC(), now.UTC()); err != nil {
			t.Fatal(err)
		}
		items, err = w.alloc().Caseload(w.as(w.linkWorker), linkwork.CaseloadQuery{OverdueOnly: true, Stage: linkwork.CaseActive, Sort: linkwork.CaseloadByName})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, it := range items {
			names = append(names, it.Case.PersonName)
		}
		if want := []string{"Fay New", "Gus Late", "Hal Quiet", "Ivy Review"}; !slices.Equal(names, want) {
			t.Fatalf("overdue active by name = %v, want %v", names, want)
		}
		if got := items[3].ReviewDue; got != 0 {
			t.Fatalf("review due after the review = %d", got)
		}
	})
}

func TestWhoSeesWhichCaseload(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.accept(t, w.refer(t, "Mo", "Ali"), w.otherWorker)
		tests := []struct {
			name string
			as   *linkwork.User
			q    linkwork.CaseloadQuery
			n    int
			code string
		}{
			{"a worker their own", w.otherWorker, linkwork.CaseloadQuery{}, 1, ""},
			{"a worker not another's", w.linkWorker, linkwork.CaseloadQuery{WorkerID: w.otherWorker.ID}, 0, linkwork.EFORBIDDEN},
			{"a coordinator any worker's", w.coordinator, linkwork.CaseloadQuery{WorkerID: w.otherWorker.ID}, 1, ""},
			{"a coordinator must choose", w.coordinator, linkwork.CaseloadQuery{}, 0, linkwork.EINVALID},
			{"another service's coordinator", w.foreignCoord, linkwork.CaseloadQuery{WorkerID: w.otherWorker.ID}, 0, linkwork.ENOTFOUND},
			{"a safeguarding lead", w.safeguarding, linkwork.CaseloadQuery{WorkerID: w.otherWorker.ID}, 0, linkwork.EFORBIDDEN},
			{"a bad sort", w.otherWorker, linkwork.CaseloadQuery{Sort: "age"}, 0, linkwork.EINVALID},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				items, err := w.alloc().Caseload(w.as(tt.as), tt.q)
				if tt.code != "" {
					wantCode(t, err, tt.code)
					return
				}
				if err != nil || len(items) != tt.n {
					t.Fatalf("caseload: %d items, %v; want %d", len(items), err, tt.n)
				}
			})
		}
	})
}

func TestCaseloadRunsTheSameQueriesFor3CasesAnd60(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		queries := func() int64 {
			before := w.db.Queries()
			if _, err := w.alloc().Caseload(w.as(w.linkWorker), linkwork.CaseloadQuery{}); err != nil {
				t.Fatal(err)
			}
			return w.db.Queries() - before
		}
		add := func(n, from int) {
			for i := range n {
				c := w.accept(t, w.refer(t, fmt.Sprintf("P%03d", from+i), "Load"), w.linkWorker)
				w.contact(t, c.ID, w.clock.Now(), "session", "attended")
			}
		}
		add(3, 0)
		few := queries()
		add(57, 3)
		if many := queries(); many != few {
			t.Fatalf("caseload ran %d statements for 3 cases and %d for 60", few, many)
		}
	})
}

func TestHandOver(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a := w.accept(t, w.refer(t, "Nia", "One"), w.linkWorker)
		b := w.accept(t, w.refer(t, "Oli", "Two"), w.linkWorker)
		c := w.accept(t, w.refer(t, "Pam", "Three"), w.linkWorker)
		waiting := w.accept(t, w.refer(t, "Quin", "Four"), nil)

		_, err := w.alloc().HandOverCase(w.as(w.linkWorker), a.ID, a.Version, w.otherWorker.ID, "")
		wantCode(t, err, linkwork.EFORBIDDEN)
		_, err = w.alloc().HandOverCase(w.as(w.coordinator), a.ID, a.Version, w.linkWorker.ID, "")
		wantField(t, err, "link_worker_id")
		_, err = w.alloc().HandOverCase(w.as(w.coordinator), a.ID, a.Version, w.coordinator.ID, "")
		wantField(t, err, "link_worker_id")
		_, err = w.alloc().HandOverCase(w.as(w.coordinator), waiting.ID, waiting.Version, w.otherWorker.ID, "")
		wantField(t, err, "status")
		_, err = w.alloc().HandOverCase(w.as(w.coordinator), a.ID, a.Version+1, w.otherWorker.ID, "")
		wantCode(t, err, linkwork.ECONFLICT)
		_, err = w.alloc().HandOverCase(w.as(w.coordinator), a.ID, a.Version, w.otherWorker.ID, strings.Repeat("x", linkwork.MaxText+1))
		wantField(t, err, "note")

		got, err := w.alloc().HandOverCase(w.as(w.coordinator), a.ID, a.Version, w.otherWorker.ID, "Sam is on leave")
		if err != nil || got.LinkWorkerID != w.otherWorker.ID {
			t.Fatalf("hand over: %v, %v", got, err)
		}
		hs, err := w.alloc().FindHandovers(w.as(w.otherWorker), a.ID)
		if err != nil || len(hs) != 1 || hs[0].FromName != "linkworker" || hs[0].ToName != "otherworker" || hs[0].Note != "Sam is on leave" {
			t.Fatalf("hand-overs = %+v, %v", hs, err)
		}
		if _, err := w.alloc().FindHandovers(w.as(w.linkWorker), a.ID); linkwork.ErrorCode(err) != linkwork.ENOTFOUND {
			t.Fatalf("the old worker still sees the case: %v", err)
		}
		msgs, _ := w.messages.FindMessages(w.as(w.coordinator), a.ID)
		if len(msgs) != 1 || msgs[0].Kind != linkwork.MessageHandedOver {
			t.Fatalf("messages = %+v", msgs)
		}
		notes, _, _, err := sqlstore.NewNotificationService(w.db).FindNotifications(w.as(w.otherWorker), false, 0, 10)
		if err != nil || len(notes) != 1 || notes[0].Kind != linkwork.NoteCaseHandedOver {
			t.Fatalf("the new worker's notifications = %+v, %v", notes, err)
		}

		// The rest of the caseload, at once.
		_, err = w.alloc().HandOverCaseload(w.as(w.linkWorker), w.linkWorker.ID, w.otherWorker.ID, "")
		wantCode(t, err, linkwork.EFORBIDDEN)
		_, err = w.alloc().HandOverCaseload(w.as(w.foreignCoord), w.linkWorker.ID, w.otherWorker.ID, "")
		wantCode(t, err, linkwork.ENOTFOUND)
		n, err := w.alloc().HandOverCaseload(w.as(w.coordinator), w.linkWorker.ID, w.otherWorker.ID, "Leaving")
		if err != nil || n != 2 {
			t.Fatalf("handed over %d, %v; want 2", n, err)
		}
		for _, id := range []string{b.ID, c.ID} {
			k, err := w.cases.FindCaseByID(w.as(w.otherWorker), id)
			if err != nil || k.LinkWorkerID != w.otherWorker.ID {
				t.Fatalf("case %s: %v, %v", id, k, err)
			}
		}
	})
}

func TestWaitingWellCheckIn(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		set, err := w.triage().ServiceSettings(w.sys, w.service.ID)
		if err != nil {
			t.Fatal(err)
		}
		set.ExtraRiskPhrases = []string{"county lines"}
		if err := w.triage().SaveServiceSettings(w.as(w.coordinator), set); err != nil {
			t.Fatal(err)
		}
		fine := linkwork.WaitingCheck{Contacted: true, StillWants: linkwork.AnswerYes, SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, Changed: "Started a new course"}
		tests := []struct {
			name    string
			as      *linkwork.User
			edit    func(*linkwork.WaitingCheck)
			code    string
			field   string
			flagged []string
		}{
			{"a link worker's check-in, all well", w.linkWorker, nil, "", "", nil},
			{"not reached", w.coordinator, func(c *linkwork.WaitingCheck) { *c = linkwork.WaitingCheck{Changed: "No answer, left a message"} }, "", "", nil},
			{"not safe now", w.linkWorker, func(c *linkwork.WaitingCheck) { c.SafeNow = linkwork.AnswerNo }, "", "", []string{"safe_now"}},
			{"not sure about thoughts of harm", w.coordinator, func(c *linkwork.WaitingCheck) { c.HarmThoughts = linkwork.AnswerNotSure }, "", "", []string{"harm_thoughts"}},
			{"a default phrase in what changed", w.linkWorker, func(c *linkwork.WaitingCheck) { c.Changed = "Says she has been self-harming again" }, "", "", []string{"reasons"}},
			{"the service's own phrase", w.linkWorker, func(c *linkwork.WaitingCheck) { c.Changed = "Older lads want him for County Lines" }, "", "", []string{"reasons"}},
			{"reached without the safety questions", w.linkWorker, func(c *linkwork.WaitingCheck) { c.SafeNow, c.HarmThoughts = "", "" }, linkwork.EINVALID, "safe_now", nil},
			{"reached without whether they want support", w.linkWorker, func(c *linkwork.WaitingCheck) { c.StillWants = "" }, linkwork.EINVALID, "still_wants", nil},
			{"the safeguarding lead", w.safeguarding, nil, linkwork.EFORBIDDEN, "", nil},
			{"another service", w.foreignCoord, nil, linkwork.ENOTFOUND, "", nil},
		}
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := w.refer(t, "Wait", fmt.Sprintf("Well%02d", i))
				k := w.accept(t, r, nil)
				c := fine
				if tt.edit != nil {
					tt.edit(&c)
				}
				c.CaseID = k.ID
				err := w.alloc().AddWaitingCheck(w.as(tt.as), &c)
				if tt.code != "" {
					if tt.field != "" {
						wantField(t, err, tt.field)
					} else {
						wantCode(t, err, tt.code)
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				var fields []string
				for _, m := range c.Flagged {
					fields = append(fields, m.Field)
				}
				if !slices.Equal(fields, tt.flagged) {
					t.Fatalf("flagged %v, want %v", fields, tt.flagged)
				}
				got, err := w.referrals.FindReferralByID(w.as(w.coordinator), r.ID)
				if err != nil {
					t.Fatal(err)
				}
				flagged, err := w.alloc().FlaggedWhileWaiting(w.as(w.safeguarding))
				if err != nil {
					t.Fatal(err)
				}
				onTriage := slices.ContainsFunc(flagged, func(x *linkwork.Referral) bool { return x.ID == r.ID })
				if want := len(tt.flagged) > 0; (got.Risk.State == linkwork.RiskReviewToday) != want || onTriage != want {
					t.Fatalf("risk state %q, on triage %v; want flagged %v", got.Risk.State, onTriage, want)
				}
				checks, err := w.alloc().FindWaitingChecks(w.as(w.linkWorker), k.ID)
				if err != nil || len(checks) != 1 || checks[0].Changed != c.Changed || len(checks[0].Flagged) != len(tt.flagged) {
					t.Fatalf("check-ins = %+v, %v", checks, err)
				}
				if len(tt.flagged) == 0 {
					return
				}
				notes, _, _, err := sqlstore.NewNotificationService(w.db).FindNotifications(w.as(w.safeguarding), false, 0, 50)
				if err != nil {
					t.Fatal(err)
				}
				if !slices.ContainsFunc(notes, func(n *linkwork.Notification) bool {
					return n.Kind == linkwork.NoteRiskFlagged && n.ReferralID == r.ID
				}) {
					t.Fatal("the safeguarding lead was not told")
				}
				// Recording the risk review takes it off the top of triage.
				if _, err := w.referrals.ReviewRisk(w.as(w.safeguarding), r.ID, got.Version, linkwork.RiskReview{Outcome: linkwork.RiskActedOn, Note: "Rang them, safety plan agreed"}); err != nil {
					t.Fatal(err)
				}
				if flagged, _ := w.alloc().FlaggedWhileWaiting(w.as(w.coordinator)); slices.ContainsFunc(flagged, func(x *linkwork.Referral) bool { return x.ID == r.ID }) {
					t.Fatal("still at the top of triage after the review")
				}
			})
		}
		// Once allocated, the case is no longer waiting.
		k := w.accept(t, w.refer(t, "Now", "Allocated"), w.linkWorker)
		c := fine
		c.CaseID = k.ID
		wantField(t, w.alloc().AddWaitingCheck(w.as(w.coordinator), &c), "contacted")
	})
}
