package sqlstore_test

import (
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

// TestTheDashboardCountsPartsOfMonthsExactly: a period that starts or ends
// inside a month counts only the referrals received on its days, whether
// those days are read from the kept rows or are the month's kept counts
// less the days left out. dashboardWorld's February referrals (A to J)
// were received on the 2nd, March's (K and L) on the 3rd.
func TestTheDashboardCountsPartsOfMonthsExactly(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		dashboardWorld(t, w)
		day := func(m time.Month, d int) linkwork.Date { return linkwork.Date{Year: 2026, Month: m, Day: d} }
		tests := []struct {
			name                string
			from, to            linkwork.Date
			referrals, accepted int
			months              []string
			// February's decisions, when it is read: 1, 2, 3, 4, 5, 6 and 10
			// days, the median the 4th of 7, the 90th percentile the 7th.
			februaryDecisions bool
		}{
			{"the first three days of a month, its referrals among them", day(2, 1), day(2, 3), 10, 5, []string{"2026-02"}, true},
			{"a month less its first day", day(2, 2), day(2, 28), 10, 5, []string{"2026-02"}, true},
			{"a month less the two days its referrals came", day(2, 3), day(2, 28), 0, 0, nil, false},
			{"the last days of one month and the first of the next", day(2, 2), day(3, 3), 12, 6, []string{"2026-02", "2026-03"}, true},
			{"the first two days of a month, before its referrals", day(3, 1), day(3, 2), 0, 0, nil, false},
			{"a month from its third day to today", day(3, 3), day(3, 10), 2, 1, []string{"2026-03"}, false},
			{"two whole months and a few days", day(1, 1), day(3, 3), 12, 6, []string{"2026-02", "2026-03"}, true},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				d, err := w.reports().Dashboard(w.as(w.coordinator), linkwork.ReportFilter{From: tt.from, To: tt.to})
				if err != nil {
					t.Fatal(err)
				}
				if d.Referrals.N != tt.referrals || d.Funnel[2].People.N != tt.accepted || d.Sessions.People.N != tt.accepted {
					t.Errorf("%d referrals, %d accepted; want %d, %d", d.Referrals.N, d.Funnel[2].People.N, tt.referrals, tt.accepted)
				}
				var months []string
				for _, m := range d.ByMonth {
					months = append(months, m.Key)
				}
				if len(months) != len(tt.months) || len(d.Waits) != len(tt.months) {
					t.Fatalf("months %v with waits %+v, want %v", months, d.Waits, tt.months)
				}
				for i := range months {
					if months[i] != tt.months[i] {
						t.Errorf("months %v, want %v", months, tt.months)
					}
				}
				if tt.februaryDecisions {
					if w0 := d.Waits[0].Decision; w0.N.N != 7 || w0.Median != 4 || w0.P90 != 10 {
						t.Errorf("February's decisions: %+v, want 7 waits, median 4, 90th percentile 10", w0)
					}
				}
			})
		}
	})
}

// TestTheDashboardsAgeBandIsTheAgeWhenReferred: someone referred at 15 who
// has turned 16 since counts in 13 to 15, as the service's figures count
// people as they were when referred, through the kept counts and through
// one link worker's kept rows alike.
func TestTheDashboardsAgeBandIsTheAgeWhenReferred(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		dashboardWorld(t, w)
		r := w.refer(t, "Recently", "Sixteen")
		w.accept(t, r, w.linkWorker)
		// Referred on 10 February 2026, sixteen on 20 February; today is
		// 10 March 2026.
		if err := w.db.Exec("UPDATE referrals SET received_at = ?, person_dob = ? WHERE id = ?", time.Date(2026, 2, 10, 12, 0, 0, 0, time.UTC), "2010-02-20", r.ID); err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name      string
			f         linkwork.ReportFilter
			referrals int
		}{
			{"15 when referred", linkwork.ReportFilter{From: quarter.From, To: quarter.To, AgeBand: "13-15"}, 13},
			{"not 16 when referred", linkwork.ReportFilter{From: quarter.From, To: quarter.To, AgeBand: "16-17"}, 0},
			{"15 when referred, one link worker's", linkwork.ReportFilter{From: quarter.From, To: quarter.To, AgeBand: "13-15", LinkWorkerID: w.linkWorker.ID}, 6},
			{"not 16 when referred, one link worker's", linkwork.ReportFilter{From: quarter.From, To: quarter.To, AgeBand: "16-17", LinkWorkerID: w.linkWorker.ID}, 0},
			{"15 when referred, part of a month", linkwork.ReportFilter{From: linkwork.Date{Year: 2026, Month: 2, Day: 9}, To: linkwork.Date{Year: 2026, Month: 2, Day: 11}, AgeBand: "13-15"}, 1},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				d, err := w.reports().Dashboard(w.as(w.coordinator), tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if d.Referrals.N != tt.referrals {
					t.Errorf("%d referrals, want %d", d.Referrals.N, tt.referrals)
				}
			})
		}
	})
}
