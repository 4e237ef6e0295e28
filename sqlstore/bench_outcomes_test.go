package sqlstore_test

import (
	"context"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// BenchmarkOutcomeSummary is the measures page's one statement: the demo
// service's outcome figures for its coordinator (exact) and for the
// commissioner who funds it (suppressed), over everything and over the
// last year. At national scale the service holds every case, so this is
// the most a summary ever adds up.
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
				b.ReportMetric(float64(people), "episodes")
			})
		}
	}
}
