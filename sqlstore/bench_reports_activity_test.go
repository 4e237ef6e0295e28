package sqlstore_test

import (
	"context"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// BenchmarkDashboardActivity is the dashboard's activity statements
// beside BenchmarkDashboard's: the demo service's activity for its
// coordinator (exact, caseloads by name) and for the commissioner who
// funds it (suppressed), over the default twelve months and the last ten
// years, and narrowed to GP referrals.
//
//	LINKWORK_BENCH_DB=sqlite:city.db go test -run '^$' -bench DashboardActivity -benchtime 5x ./sqlstore/
func BenchmarkDashboardActivity(b *testing.B) {
	s := benchStore(b)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("bench"))
	today := linkwork.DateOf(s.db.Now())
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
			{"gp-twelve-months", linkwork.ReportFilter{Pathway: linkwork.PathwayGP}},
		} {
			b.Run(string(role)+"/"+tt.name, func(b *testing.B) {
				svc := s.reports()
				var referrals, connections int
				for b.Loop() {
					a, err := svc.DashboardActivity(linkwork.NewContext(context.Background(), u.Actor()), tt.f)
					if err != nil {
						b.Fatal(err)
					}
					referrals, connections = a.Referrals.N, a.ConnectionsMade.N
				}
				b.ReportMetric(float64(referrals), "referrals")
				b.ReportMetric(float64(connections), "connections")
			})
		}
	}
}
