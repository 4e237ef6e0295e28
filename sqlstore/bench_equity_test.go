package sqlstore_test

import (
	"context"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// BenchmarkEquity is the equity table's read: the demo service's
// referrals by ethnic group, age band, gender and deprivation for its
// coordinator (exact) and the commissioner who funds it (suppressed),
// over the default twelve months and the last ten years from the kept
// counts (rows bounded by months × groups, however many referrals), and
// narrowed to one link worker, which counts the period's referrals'
// facts.
//
//	LINKWORK_BENCH_DB=sqlite:city.db go test -run '^$' -bench Equity -benchtime 5x ./sqlstore/
func BenchmarkEquity(b *testing.B) {
	s := benchStore(b)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("bench"))
	today := linkwork.DateOf(s.db.Now())
	worker, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	lw, err := s.users.FindUserByEmail(sys, worker.Email)
	if err != nil {
		b.Fatal(err)
	}
	for _, role := range []linkwork.Role{linkwork.RoleCoordinator, linkwork.RoleCommissioner} {
		login, _ := demo.LoginFor(role)
		u, err := s.users.FindUserByEmail(sys, login.Email)
		if err != nil {
			b.Fatal(err)
		}
		for _, tt := range []struct {
			name string
			f    linkwork.ReportFilter
		}{
			{"twelve-months", linkwork.ReportFilter{}},
			{"ten-years", linkwork.ReportFilter{From: linkwork.Date{Year: today.Year - 9, Month: today.Month, Day: 1}, To: today}},
			{"one-worker-twelve-months", linkwork.ReportFilter{LinkWorkerID: lw.ID}},
		} {
			b.Run(string(role)+"/"+tt.name, func(b *testing.B) {
				svc := s.equity()
				var referrals int
				for b.Loop() {
					e, err := svc.Equity(linkwork.NewContext(context.Background(), u.Actor()), tt.f)
					if err != nil {
						b.Fatal(err)
					}
					referrals = e.Tables[0].Total.N
				}
				b.ReportMetric(float64(referrals), "referrals")
			})
		}
	}
}
