package sqlstore_test

import (
	"context"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// BenchmarkDashboard is the dashboard's statements: the demo service's
// referrals added up for its coordinator (exact) and for the commissioner
// who funds it (suppressed), over the default twelve months and over the
// whole of the last ten years, and narrowed to GP referrals. The service
// holds every referral of the city, so this is the most a dashboard adds
// up. It also reads twelve months narrowed to the link worker with the
// most cases and to the referring organisation with the most referrals,
// which read their kept referral rows rather than the kept counts.
//
//	LINKWORK_BENCH_DB=sqlite:city.db go test -run '^$' -bench Dashboard -benchtime 5x ./sqlstore/
func BenchmarkDashboard(b *testing.B) {
	s := benchStore(b)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("bench"))
	today := linkwork.DateOf(s.db.Now())
	coordinator, _ := demo.LoginFor(linkwork.RoleCoordinator)
	cu, err := s.users.FindUserByEmail(sys, coordinator.Email)
	if err != nil {
		b.Fatal(err)
	}
	busiestWorker, err := s.db.QueryString(`SELECT link_worker_id FROM case_counts WHERE service_org_id = ? AND link_worker_id <> '' GROUP BY link_worker_id ORDER BY SUM(n) DESC, link_worker_id LIMIT 1`, cu.OrgID)
	if err != nil {
		b.Fatal(err)
	}
	busiestReferrer, err := s.db.QueryString(`SELECT referrer_org_id FROM referral_counts WHERE service_org_id = ? AND referrer_org_id <> '' GROUP BY referrer_org_id ORDER BY SUM(n) DESC, referrer_org_id LIMIT 1`, cu.OrgID)
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
			{"gp-twelve-months", linkwork.ReportFilter{Pathway: linkwork.PathwayGP}},
			{"worker-twelve-months", linkwork.ReportFilter{LinkWorkerID: busiestWorker}},
			{"referrer-twelve-months", linkwork.ReportFilter{ReferrerOrgID: busiestReferrer}},
		} {
			b.Run(string(role)+"/"+tt.name, func(b *testing.B) {
				svc := s.reports()
				var referrals int
				for b.Loop() {
					d, err := svc.Dashboard(linkwork.NewContext(context.Background(), u.Actor()), tt.f)
					if err != nil {
						b.Fatal(err)
					}
					referrals = d.Funnel[0].People.N
				}
				b.ReportMetric(float64(referrals), "referrals")
			})
		}
	}
}
