package sqlstore_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

// wantKeptCounts checks that the kept numbers of referrals and cases are
// those the rows themselves give.
func wantKeptCounts(t *testing.T, w *world) {
	t.Helper()
	diffs, err := w.db.KeptCountDiffs()
	if err != nil {
		t.Fatal(err)
	}
	if len(diffs) > 0 {
		t.Fatalf("the kept numbers of referrals and cases differ from the rows:\n%s", strings.Join(diffs, "\n"))
	}
}

// The home pages' numbers of referrals and cases, and the referral lists'
// totals, come from numbers kept as referrals and cases are made, decided,
// allocated, handed over and closed: after each change they are what the
// rows themselves give, and the pages say so.
func TestKeptCountsOfReferralsAndCasesFollowEveryChange(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		wantKeptCounts(t, w)
		var refs []*linkwork.Referral
		for i := range 5 {
			refs = append(refs, w.refer(t, "Person", fmt.Sprintf("Number %d", i)))
		}
		coord := w.as(w.coordinator)
		var active, waiting *linkwork.Case
		steps := []struct {
			name string
			do   func(t *testing.T)
			home func(h *linkwork.HomeFigures) []int // coordinator: awaiting triage, waiting list, open cases
			want []int
		}{
			{"referrals made are awaiting triage", func(t *testing.T) {}, nil, []int{5, 0, 0}},
			{"a referral accepted for a link worker opens a case", func(t *testing.T) { active = w.accept(t, refs[0], w.linkWorker) }, nil, []int{4, 0, 1}},
			{"a referral accepted for nobody yet waits", func(t *testing.T) { waiting = w.accept(t, refs[1], nil) }, nil, []int{3, 1, 1}},
			{"a referral declined leaves the queue", func(t *testing.T) {
				_, err := w.referrals.DecideReferral(coord, refs[2].ID, refs[2].Version, linkwork.ReferralDecision{To: linkwork.ReferralDeclined, Reason: "Needs CAMHS", OnwardDestination: "CAMHS"})
				if err != nil {
					t.Fatal(err)
				}
			}, nil, []int{2, 1, 1}},
			{"a waiting case allocated opens", func(t *testing.T) {
				k, err := w.cases.AllocateCase(coord, waiting.ID, waiting.Version, w.otherWorker.ID)
				if err != nil {
					t.Fatal(err)
				}
				waiting = k
			}, nil, []int{2, 0, 2}},
			{"a case handed over moves to the other link worker", func(t *testing.T) {
				k, err := w.alloc().HandOverCase(coord, active.ID, active.Version, w.otherWorker.ID, "Going on leave")
				if err != nil {
					t.Fatal(err)
				}
				active = k
			}, nil, []int{2, 0, 2}},
			{"a case closed is no longer open", func(t *testing.T) {
				if _, err := w.cases.CloseCase(w.as(w.otherWorker), waiting.ID, waiting.Version, linkwork.CaseClosure{Reason: linkwork.ClosedGoalsMet}); err != nil {
					t.Fatal(err)
				}
			}, nil, []int{2, 0, 1}},
		}
		for _, s := range steps {
			t.Run(s.name, func(t *testing.T) {
				s.do(t)
				wantKeptCounts(t, w)
				h, err := w.home.HomeFigures(coord)
				if err != nil {
					t.Fatal(err)
				}
				if got := []int{h.AwaitingTriage, h.WaitingList, h.OpenCases}; fmt.Sprint(got) != fmt.Sprint(s.want) {
					t.Errorf("the coordinator's home says awaiting triage, waiting, open cases = %v, want %v", got, s.want)
				}
				open := []linkwork.ReferralStatus{linkwork.ReferralReceived, linkwork.ReferralTriage}
				list, total, err := w.referrals.FindReferrals(coord, linkwork.ReferralFilter{Status: open, Limit: 2})
				if err != nil {
					t.Fatal(err)
				}
				if total != s.want[0] || len(list) != min(2, s.want[0]) {
					t.Errorf("the open referrals list says %d in all and shows %d, want %d", total, len(list), s.want[0])
				}
				_, total, err = w.cases.FindCases(coord, linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseWaiting}, Limit: 1})
				if err != nil || total != s.want[1] {
					t.Errorf("the waiting list says %d in all (%v), want %d", total, err, s.want[1])
				}
				_, total, err = w.cases.FindCases(coord, linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseActive, linkwork.CaseEnding}, Limit: 1})
				if err != nil || total != s.want[2] {
					t.Errorf("the open cases list says %d in all (%v), want %d", total, err, s.want[2])
				}
			})
		}
		// Every role's view of the same numbers.
		h, err := w.home.HomeFigures(w.as(w.referrer))
		if err != nil {
			t.Fatal(err)
		}
		if h.MyReferralsOpen != 2 || h.MyReferralsAccepted != 2 || h.MyReferralsDeclined != 1 {
			t.Errorf("the referrer's home says open %d, accepted %d, declined %d; want 2, 2, 1", h.MyReferralsOpen, h.MyReferralsAccepted, h.MyReferralsDeclined)
		}
		if _, total, err := w.referrals.FindReferrals(w.as(w.referrer), linkwork.ReferralFilter{Limit: 1}); err != nil || total != 5 {
			t.Errorf("the referrer's list says %d in all (%v), want 5", total, err)
		}
		if _, total, err := w.referrals.FindReferrals(w.as(w.referrer), linkwork.ReferralFilter{ReferrerUserID: w.referrer.ID, Limit: 1}); err != nil || total != 5 {
			t.Errorf("the referrer's own list says %d in all (%v), want 5", total, err)
		}
		if _, total, err := w.referrals.FindReferrals(w.as(w.referrer), linkwork.ReferralFilter{ReferrerUserID: w.schoolReferrer.ID, Limit: 1}); err != nil || total != 0 {
			t.Errorf("the referrer's list of another's referrals says %d in all (%v), want 0", total, err)
		}
		// A commissioner counts the services it funds, and no other.
		h, err = w.home.HomeFigures(w.as(w.commissioner))
		if err != nil {
			t.Fatal(err)
		}
		if h.ReferralsTotal != 0 || h.AcceptedTotal != 0 || h.ClosedCases != 0 || len(h.ReferralsByPathway) != 0 {
			t.Errorf("a commissioner funding no service sees referrals %d, accepted %d, closed cases %d, by pathway %+v; want none", h.ReferralsTotal, h.AcceptedTotal, h.ClosedCases, h.ReferralsByPathway)
		}
		svc := *w.service
		svc.ParentID = w.icb.ID
		if err := w.orgs.UpdateOrganisation(w.as(w.admin), &svc); err != nil {
			t.Fatal(err)
		}
		h, err = w.home.HomeFigures(w.as(w.commissioner))
		if err != nil {
			t.Fatal(err)
		}
		if h.ReferralsTotal != 5 || h.AcceptedTotal != 2 || h.ClosedCases != 1 {
			t.Errorf("the commissioner's home says referrals %d, accepted %d, closed cases %d; want 5, 2, 1", h.ReferralsTotal, h.AcceptedTotal, h.ClosedCases)
		}
		if len(h.ReferralsByPathway) != 1 || h.ReferralsByPathway[0].Key != string(linkwork.PathwayGP) || h.ReferralsByPathway[0].N != 5 {
			t.Errorf("the commissioner's referrals by pathway = %+v, want 5 from GPs", h.ReferralsByPathway)
		}
		h, err = w.home.HomeFigures(w.as(w.otherWorker))
		if err != nil {
			t.Fatal(err)
		}
		if h.MyCaseload != 1 {
			t.Errorf("the other link worker's caseload is %d, want 1 (the case handed over)", h.MyCaseload)
		}
		h, err = w.home.HomeFigures(coord)
		if err != nil {
			t.Fatal(err)
		}
		loads := map[string]int{}
		for _, c := range h.Caseloads {
			loads[c.UserID] = c.Active
		}
		if loads[w.linkWorker.ID] != 0 || loads[w.otherWorker.ID] != 1 {
			t.Errorf("the coordinator's caseloads = %+v, want none for %s and 1 for %s", h.Caseloads, w.linkWorker.Name, w.otherWorker.Name)
		}
	})
}

// Writers in transactions of their own (as other servers' writers: on
// PostgreSQL each takes the audit chain's head first, so they queue on it
// rather than deadlock over the kept counts' rows) moving referrals
// between statuses, some a row at a time and some many in one statement,
// leave the kept numbers exact.
func TestKeptCountsStayExactUnderConcurrentWriters(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		const writers, each, rounds = 4, 3, 6
		ids := make([][]string, writers)
		for g := range writers {
			for i := range each {
				ids[g] = append(ids[g], w.refer(t, "Writer", fmt.Sprintf("%d-%d", g, i)).ID)
			}
		}
		wantKeptCounts(t, w)
		var wg sync.WaitGroup
		errs := make(chan error, writers*rounds)
		for g := range writers {
			wg.Go(func() {
				for r := range rounds {
					errs <- w.db.WriteTx(func(exec func(string, ...any) (int64, error)) error {
						status := []string{"triage", "deferred", "received"}[(r+g)%3]
						if r%2 == 0 {
							_, err := exec("UPDATE referrals SET status = ? WHERE id = ?", status, ids[g][0])
							return err
						}
						_, err := exec("UPDATE referrals SET status = ? WHERE id IN ('"+strings.Join(ids[g], "', '")+"')", status)
						return err
					})
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		wantKeptCounts(t, w)
	})
}

// The home pages' counts of referrals and cases by organisation, link
// worker and status, and the referral lists' totals by scope, status and
// pathway, read the kept numbers through their keys: a few rows, not an
// index entry a referral or a case. A list filtered by what is not kept
// (the person) counts the referrals themselves, through an index.
func TestReferralAndCaseCountsReadTheKeptNumbers(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.refer(t, "Kept", "Count")
		wantPlan := func(t *testing.T, who, q string, args []any, table string) {
			t.Helper()
			if !strings.Contains(q, "FROM "+table) {
				t.Errorf("%s: %s\ndoes not read %s", who, q, table)
				return
			}
			plan, err := w.db.PlanOf(q, args...)
			if err != nil {
				t.Fatalf("%s: %s: %v", who, q, err)
			}
			if len(plan.FullScans) > 0 {
				t.Errorf("%s: %s\nreads every row of %v:\n%s", who, q, plan.FullScans, plan.Text)
			}
		}
		kept := 0
		for _, u := range []*linkwork.User{w.referrer, w.linkWorker, w.coordinator, w.commissioner} {
			qs, args := w.db.HomeCountQueries(u.Actor())
			for i, q := range qs {
				for _, table := range []string{"referral_counts", "case_counts"} {
					// The commissioner's totals are of the whole table: a
					// row for each organisation, pathway and status.
					if strings.Contains(q, "FROM "+table) && strings.Contains(q, " WHERE ") {
						kept++
						wantPlan(t, u.Name+"'s home", q, args[i], table)
					}
				}
			}
		}
		if kept < 8 {
			t.Errorf("only %d of the home pages' counts read the kept numbers", kept)
		}
		open := []linkwork.ReferralStatus{linkwork.ReferralReceived, linkwork.ReferralTriage}
		for _, tt := range []struct {
			name  string
			as    *linkwork.User
			f     linkwork.ReferralFilter
			table string
		}{
			{"the service's referrals", w.coordinator, linkwork.ReferralFilter{}, "referral_counts"},
			{"the service's open referrals", w.coordinator, linkwork.ReferralFilter{Status: open}, "referral_counts"},
			{"a referrer's referrals", w.referrer, linkwork.ReferralFilter{}, "referral_counts"},
			{"a referrer's accepted referrals", w.referrer, linkwork.ReferralFilter{Status: []linkwork.ReferralStatus{linkwork.ReferralAccepted}}, "referral_counts"},
			{"a referrer's own referrals", w.referrer, linkwork.ReferralFilter{ReferrerUserID: w.referrer.ID}, "referral_counts"},
			{"one person's referrals", w.coordinator, linkwork.ReferralFilter{PersonID: "someone"}, "referrals"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				q, args := w.db.ReferralListCountQuery(tt.as.Actor(), tt.f)
				wantPlan(t, tt.name, q, args, tt.table)
			})
		}
		for _, tt := range []struct {
			name  string
			as    *linkwork.User
			f     linkwork.CaseFilter
			table string
		}{
			{"the service's cases", w.coordinator, linkwork.CaseFilter{}, "case_counts"},
			{"the waiting list", w.coordinator, linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseWaiting}}, "case_counts"},
			{"a link worker's open cases", w.linkWorker, linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseActive, linkwork.CaseEnding}, LinkWorkerID: w.linkWorker.ID}, "case_counts"},
			{"one person's cases", w.coordinator, linkwork.CaseFilter{PersonID: "someone"}, "cases"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				q, args := w.db.CaseListCountQuery(tt.as.Actor(), tt.f)
				wantPlan(t, tt.name, q, args, tt.table)
			})
		}
	})
}
