package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

func TestLoadingTheDemoCity(t *testing.T) {
	cfg, err := demo.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	sqltest.EachWith(t, func() sqlstore.Options { return sqlstore.Options{Now: (&clock{now: cfg.Now}).Now} }, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		l := sqlstore.NewLoader(ctx, db)
		sum, err := demo.Generate(cfg, l)
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Close("demo"); err != nil {
			t.Fatal(err)
		}
		counts := l.Counts()
		for table, want := range map[string]int{
			"organisations": sum.Organisations, "users": sum.Users, "assets": sum.Assets, "people": sum.People,
			"referrals": sum.Referrals, "cases": sum.Cases, "contacts": sum.Contacts, "connections": sum.Connections, "measures": sum.Measures,
			"funds": sum.Funds, "fund_requests": sum.FundRequests,
		} {
			if counts[table] != want || want == 0 {
				t.Errorf("%s: loaded %d, generated %d", table, counts[table], want)
			}
		}
		// The bulk load moves the kept number of listed activities as the
		// store's writes do.
		if kept, counted, err := db.ListedCounts(); err != nil || kept != counted || counted == 0 {
			t.Errorf("listed activities: kept %d, counted %d (%v)", kept, counted, err)
		}
		// And the kept numbers of referrals and cases.
		if diffs, err := db.KeptCountDiffs(); err != nil || len(diffs) > 0 {
			t.Errorf("the kept numbers of referrals and cases differ from the rows (%v):\n%s", err, strings.Join(diffs, "\n"))
		}
		// And the kept ends of each episode of outcome measures.
		if diffs, kept, err := db.OutcomeEndDiffs(); err != nil || len(diffs) > 0 || kept == 0 {
			t.Errorf("the kept ends of %d episodes differ from the responses (%v):\n%s", kept, err, strings.Join(diffs, "\n"))
		}
		s := newServices(db)
		sys := linkwork.NewContext(ctx, linkwork.SystemActor("test"))
		for _, login := range demo.Logins {
			sess, u, err := s.auth.Login(sys, login.Email, cfg.Password, "", "")
			if err != nil || u.Role != login.Role || sess.Token == "" {
				t.Fatalf("%s cannot sign in: %v", login.Email, err)
			}
			h, err := s.home.HomeFigures(linkwork.NewContext(ctx, u.Actor()))
			if err != nil {
				t.Fatal(err)
			}
			if h.Assets == 0 {
				t.Errorf("%s sees no directory", login.Role)
			}
			switch login.Role {
			case linkwork.RoleLinkWorker:
				if h.MyCaseload == 0 || h.AwaitingTriage == 0 {
					t.Errorf("link worker home %+v", h)
				}
			case linkwork.RoleCoordinator:
				if h.WaitingList == 0 || len(h.Caseloads) == 0 {
					t.Errorf("coordinator home %+v", h)
				}
			case linkwork.RoleCommissioner:
				if h.ReferralsTotal != sum.Referrals {
					t.Errorf("commissioner sees %d referrals, %d loaded", h.ReferralsTotal, sum.Referrals)
				}
			}
		}
		// Loaded measures were scored on the way in.
		var scored int
		cases, _, err := s.cases.FindCases(sys, linkwork.CaseFilter{Status: []linkwork.CaseStatus{linkwork.CaseClosed}, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range cases {
			ms, err := s.measures.FindMeasures(sys, k.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range ms {
				if m.HasScore {
					scored++
				}
			}
		}
		if scored == 0 {
			t.Error("no loaded measure has a score")
		}
		// Each fund has spent what its approved requests asked for.
		funds := sqlstore.NewFundService(db)
		list, _, err := funds.FindFunds(sys, linkwork.FundFilter{})
		if err != nil || len(list) != sum.Funds {
			t.Fatalf("%d funds, %d loaded: %v", len(list), sum.Funds, err)
		}
		spentSome := false
		for _, f := range list {
			approved, _, err := funds.FindFundRequests(sys, linkwork.FundRequestFilter{FundID: f.ID, Status: []linkwork.FundRequestStatus{linkwork.FundApproved}, Limit: linkwork.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			paid := 0
			for _, r := range approved {
				paid += r.AmountPence
			}
			if f.SpentPence != paid || f.Balance() < 0 {
				t.Errorf("%s spent %d; its approved requests %d", f.Name, f.SpentPence, paid)
			}
			spentSome = spentSome || paid > 0
		}
		if !spentSome {
			t.Error("no loaded fund has spent anything")
		}
		v, err := s.audit.VerifyAudit(sys)
		if err != nil || !v.OK {
			t.Fatalf("audit after load: %+v %v", v, err)
		}
	})
}
