package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqlweb"
	"github.com/linkwork/linkwork/web"
)

// BenchmarkCaseworkPages is what a link worker with a full caseload waits
// for: their caseload page and one of their cases' pages, served whole
// (every store call, its audit, the template), with the 99th percentile
// reported. It runs on the demo city by default, with one worker's
// caseload topped up to 60; to run it at national scale, point
// LINKWORK_BENCH_DB at a database built (and migrated) as for the store's
// benchmarks:
//
//	go run ./cmd/linkwork demo --db national.db --preset national --no-serve
//	LINKWORK_BENCH_DB=sqlite:national.db go test -run '^$' -bench CaseworkPages ./web/
func BenchmarkCaseworkPages(b *testing.B) {
	ctx := context.Background()
	dsn := os.Getenv("LINKWORK_BENCH_DB")
	if dsn == "" {
		dsn = "sqlite:" + b.TempDir() + "/bench.db"
	}
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if os.Getenv("LINKWORK_BENCH_DB") == "" {
		if _, err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		cfg, _ := demo.Preset("demo")
		cfg.Now = time.Now().UTC()
		l := sqlstore.NewLoader(ctx, db)
		if _, err := demo.Generate(cfg, l); err != nil {
			b.Fatal(err)
		}
		if err := l.Close("bench"); err != nil {
			b.Fatal(err)
		}
	}
	svc := sqlweb.Services(db)
	srv, err := web.New(web.Config{Logger: quietLogger()}, svc)
	if err != nil {
		b.Fatal(err)
	}

	// The link worker whose open cases are nearest 60 (on the demo city,
	// the one with most, topped up to 60).
	sys := linkwork.NewContext(ctx, linkwork.SystemActor("bench"))
	login, _ := demo.LoginFor(linkwork.RoleCoordinator)
	coordUser, err := svc.Users.FindUserByEmail(sys, login.Email)
	if err != nil {
		b.Fatal(err)
	}
	coord := linkwork.NewContext(ctx, coordUser.Actor())
	loads, err := svc.Allocation.WorkerChoices(coord)
	if err != nil || len(loads) == 0 {
		b.Fatal("no link workers", err)
	}
	top := slices.MaxFunc(loads, func(x, y linkwork.WorkerLoad) int { return x.Cases - y.Cases })
	if os.Getenv("LINKWORK_BENCH_DB") != "" {
		top = slices.MinFunc(loads, func(x, y linkwork.WorkerLoad) int { return abs(x.Cases-60) - abs(y.Cases-60) })
	} else {
		for _, l := range loads {
			if top.Cases >= 60 {
				break
			}
			if l.UserID != top.UserID {
				n, err := svc.Allocation.HandOverCaseload(coord, l.UserID, top.UserID, "benchmark")
				if err != nil {
					b.Fatal(err)
				}
				top.Cases += n
			}
		}
	}
	worker, err := svc.Users.FindUserByID(sys, top.UserID)
	if err != nil {
		b.Fatal(err)
	}
	as := linkwork.NewContext(ctx, worker.Actor())
	tok, err := svc.Auth.CreateAPIToken(as, worker.ID, "bench", time.Time{})
	if err != nil {
		b.Fatal(err)
	}
	items, err := svc.Allocation.Caseload(as, linkwork.CaseloadQuery{})
	if err != nil || len(items) == 0 {
		b.Fatal("an empty caseload", err)
	}
	b.Logf("database %s; %s has %d cases on their caseload", dsn, worker.Name, len(items))

	for _, page := range []struct{ name, path string }{
		{"caseload", "/caseload"},
		{"caseload-active", "/caseload?stage=active"},
		{"case", "/cases/" + items[0].Case.ID},
	} {
		b.Run(page.name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				req := httptest.NewRequest("GET", page.path, nil)
				req.Header.Set("Authorization", "Bearer "+tok.Token)
				rec := httptest.NewRecorder()
				start := time.Now()
				srv.ServeHTTP(rec, req)
				took = append(took, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("GET %s: %d", page.path, rec.Code)
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
		})
	}
}

func abs(n int) int { return max(n, -n) }
