package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// BenchmarkOutcomeSummary is the measures page's one statement (the kept
// sums, migration 34): the demo service's outcome figures for its
// coordinator (exact) and for the commissioner who funds it (suppressed),
// over everything and over the last year. At national scale the service
// holds every case, so this is the most a summary ever adds up.
//
//	LINKWORK_BENCH_DB=sqlite:national.db go test -run '^$' -bench OutcomeSummary -benchtime 5x ./sqlstore/
func BenchmarkOutcomeSummary(b *testing.B) {
	s := benchStore(b)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("bench"))
	for _, role := range []linkwork.Role{linkwork.RoleCoordinator, linkwork.RoleCommissioner} {
		login, _ := demo.LoginFor(role)
		u, err := s.users.FindUserByEmail(sys, login.Email)
		if err != nil {
			b.Fatal(err)
		}
		today := linkwork.DateOf(s.db.Now())
		for _, period := range []struct {
			name string
			f    linkwork.OutcomeFilter
		}{{"all", linkwork.OutcomeFilter{}}, {"last-year", linkwork.OutcomeFilter{From: linkwork.Date{Year: today.Year - 1, Month: today.Month, Day: 1}, To: today}}} {
			b.Run(string(role)+"/"+period.name, func(b *testing.B) {
				svc := s.outcomes()
				var people int
				for b.Loop() {
					sum, err := svc.OutcomeSummary(linkwork.NewContext(context.Background(), u.Actor()), period.f)
					if err != nil {
						b.Fatal(err)
					}
					people = 0
					for _, in := range sum.Instruments {
						people += in.All.People
					}
				}
				// People (or goals) with a first and a later score,
				// over every instrument's figures: an ONS4 item's
				// people count again for each item.
				b.ReportMetric(float64(people), "counted")
			})
		}
	}
}

// BenchmarkRecordMeasure is what recording a response costs, with the
// kept ends and sums of the service's outcome figures moved in the same
// transaction: an ONS4 response (four items, each its own kept ends) and a
// SWEMWBS one, by the link worker of an active case of an adult in the demo
// service, a minute apart, each the latest of its episode.
//
//	LINKWORK_BENCH_DB=sqlite:national.db go test -run '^$' -bench RecordMeasure -benchtime 50x ./sqlstore/
func BenchmarkRecordMeasure(b *testing.B) {
	s := benchStore(b)
	rows, err := s.db.Column(`SELECT k.id || ' ' || k.link_worker_id FROM cases k JOIN referrals r ON r.id = k.referral_id
		WHERE k.status = 'active' AND k.link_worker_id IS NOT NULL AND r.person_dob < '1990-01-01' ORDER BY k.id LIMIT 1`)
	if err != nil || len(rows) == 0 {
		b.Fatalf("no active case of an adult: %v", err)
	}
	caseID, workerID, _ := strings.Cut(rows[0], " ")
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("bench"))
	worker, err := s.users.FindUserByID(sys, workerID)
	if err != nil {
		b.Fatal(err)
	}
	as := linkwork.NewContext(context.Background(), worker.Actor())
	at := s.db.Now()
	for _, instr := range []struct {
		i       linkwork.Instrument
		answers []int
	}{{linkwork.InstrumentONS4, []int{6, 7, 5, 4}}, {linkwork.InstrumentSWEMWBS, []int{3, 3, 4, 3, 3, 4, 3}}} {
		b.Run(string(instr.i), func(b *testing.B) {
			for b.Loop() {
				at = at.Add(time.Minute)
				m := &linkwork.MeasureResponse{CaseID: caseID, Instrument: instr.i, Timepoint: linkwork.TimepointReview, Answers: linkwork.Ints(instr.answers...), At: at}
				if err := s.measures.RecordMeasure(as, m); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
