package sqlstore_test

import (
	"context"
	"math"
	"os"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/oruk"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/ukpostcode"
)

// Benchmarks run on the demo city by default. To run them at national
// scale, build a database once and point LINKWORK_BENCH_DB at it:
//
//	go run ./cmd/linkwork demo --db national.db --preset national --no-serve
//	LINKWORK_BENCH_DB=sqlite:national.db go test -run '^$' -bench . ./sqlstore/
//
// (or a postgres:// URL built the same way). Results go in BENCHMARKS.md.

var (
	benchOnce sync.Once
	benchDB   *sqlstore.DB
	benchDSN  string
)

func benchStore(b *testing.B) *services {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		benchDSN = os.Getenv("LINKWORK_BENCH_DB")
		if benchDSN != "" {
			// Sized for the file as linkwork serve sizes it.
			db, err := sqlstore.Open(ctx, benchDSN, sqlstore.Options{SQLiteMmapMiB: sqlstore.SQLiteMmapAuto})
			if err != nil {
				b.Fatal(err)
			}
			benchDB = db
			return
		}
		dir, err := os.MkdirTemp("", "linkwork-bench-")
		if err != nil {
			b.Fatal(err)
		}
		benchDSN = "sqlite:" + dir + "/bench.db"
		db, err := sqlstore.Open(ctx, benchDSN, sqlstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
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
		benchDB = db
	})
	if benchDB == nil {
		b.Fatal("no benchmark database")
	}
	b.Logf("database %s", benchDSN)
	return newServices(benchDB)
}

func benchActor(b *testing.B, s *services, role linkwork.Role) context.Context {
	b.Helper()
	login, _ := demo.LoginFor(role)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("bench"))
	u, err := s.users.FindUserByEmail(sys, login.Email)
	if err != nil {
		b.Fatal(err)
	}
	return linkwork.NewContext(context.Background(), u.Actor())
}

// BenchmarkHomeFigures is the cost of each role's home page counts.
func BenchmarkHomeFigures(b *testing.B) {
	s := benchStore(b)
	for _, role := range linkwork.Roles {
		b.Run(string(role), func(b *testing.B) {
			ctx := benchActor(b, s, role)
			cpu := processCPU()
			for b.Loop() {
				if _, err := s.home.HomeFigures(ctx); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
		})
	}
}

// BenchmarkReferralLists is the first page of the referral lists: the
// coordinator's queue, the link worker's, and the referrer's own.
func BenchmarkReferralLists(b *testing.B) {
	s := benchStore(b)
	open := []linkwork.ReferralStatus{linkwork.ReferralReceived, linkwork.ReferralTriage}
	for _, tt := range []struct {
		name string
		role linkwork.Role
		f    linkwork.ReferralFilter
		mine bool // the referrer's own, as /api/v1/referrals?mine=true asks
	}{
		{"coordinator all", linkwork.RoleCoordinator, linkwork.ReferralFilter{Limit: 25}, false},
		{"coordinator open", linkwork.RoleCoordinator, linkwork.ReferralFilter{Status: open, Limit: 25}, false},
		{"referrer own", linkwork.RoleReferrer, linkwork.ReferralFilter{Limit: 25}, false},
		{"coordinator accepted", linkwork.RoleCoordinator, linkwork.ReferralFilter{Status: []linkwork.ReferralStatus{linkwork.ReferralAccepted}, Limit: 25}, false},
		{"coordinator page 2", linkwork.RoleCoordinator, linkwork.ReferralFilter{Offset: 25, Limit: 25}, false},
		{"referrer mine", linkwork.RoleReferrer, linkwork.ReferralFilter{Limit: 25}, true},
	} {
		b.Run(tt.name, func(b *testing.B) {
			ctx := benchActor(b, s, tt.role)
			f := tt.f
			if a, _ := linkwork.ActorFrom(ctx); tt.mine {
				f.ReferrerUserID = a.UserID
			}
			for b.Loop() {
				if _, _, err := s.referrals.FindReferrals(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReadPerson is an audited read: one person, and the audit event
// written in the same transaction.
func BenchmarkReadPerson(b *testing.B) {
	s := benchStore(b)
	ctx := benchActor(b, s, linkwork.RoleCoordinator)
	list, _, err := s.referrals.FindReferrals(ctx, linkwork.ReferralFilter{Limit: 1})
	if err != nil || len(list) == 0 {
		b.Fatal("no referral to read", err)
	}
	for b.Loop() {
		if _, err := s.people.FindPersonByID(ctx, list[0].PersonID); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSessionUser is what every signed-in request pays to find its
// user.
func BenchmarkSessionUser(b *testing.B) {
	s := benchStore(b)
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("bench"))
	sess, _, err := s.auth.Login(sys, "linkworker@demo.linkwork.test", demo.DefaultPassword, "", "")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := s.auth.SessionUser(sys, sess.Token); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadSmallCity is the bulk loader's speed on a fresh database.
func BenchmarkLoadSmallCity(b *testing.B) {
	cfg, _ := demo.Preset("small")
	var records int
	for b.Loop() {
		b.StopTimer()
		db := sqltest.Open(b, "sqlite", sqlstore.Options{})
		b.StartTimer()
		l := sqlstore.NewLoader(context.Background(), db)
		sum, err := demo.Generate(cfg, l)
		if err != nil {
			b.Fatal(err)
		}
		if err := l.Close("bench"); err != nil {
			b.Fatal(err)
		}
		records = sum.Records()
	}
	b.ReportMetric(float64(records), "records/op")
}

// BenchmarkTriageQueue is the first page of the triage queue and its
// total, in received order and in team-meeting order.
func BenchmarkTriageQueue(b *testing.B) {
	s := benchStore(b)
	ts := sqlstore.NewTriageService(benchDB)
	for _, tt := range []struct {
		name string
		f    linkwork.TriageFilter
	}{
		{"oldest first", linkwork.TriageFilter{Limit: 25}},
		{"meeting", linkwork.TriageFilter{Meeting: true, Limit: 25}},
		{"by age band", linkwork.TriageFilter{AgeBand: "16-17", Limit: 25}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			ctx := benchActor(b, s, linkwork.RoleCoordinator)
			for b.Loop() {
				if _, _, err := ts.TriageQueue(ctx, tt.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMyReferrals is the first page of a referrer's own referrals
// and its total.
func BenchmarkMyReferrals(b *testing.B) {
	s := benchStore(b)
	ctx := benchActor(b, s, linkwork.RoleReferrer)
	a, _ := linkwork.ActorFrom(ctx)
	for _, tt := range []struct {
		name string
		f    linkwork.ReferralFilter
	}{
		{"all", linkwork.ReferralFilter{ReferrerUserID: a.UserID, Limit: 25}},
		{"open", linkwork.ReferralFilter{ReferrerUserID: a.UserID, Status: []linkwork.ReferralStatus{linkwork.ReferralReceived, linkwork.ReferralTriage, linkwork.ReferralDeferred}, Limit: 25}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := s.referrals.FindReferrals(ctx, tt.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkWaitingList is the first page of the waiting list with its
// total and the recent throughput.
func BenchmarkWaitingList(b *testing.B) {
	s := benchStore(b)
	ts := sqlstore.NewTriageService(benchDB)
	ctx := benchActor(b, s, linkwork.RoleCoordinator)
	for b.Loop() {
		if _, err := ts.WaitingList(ctx, 0, 25); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDirectorySearch is a directory search as the directory page
// makes it, reporting the 99th percentile of its time as p99-ms. The
// searches go round a set of places and words, so that no one answer is
// all that is measured: the places are city-centre postcode districts
// (Millbrook's first; the others have listings only in a national city).
func BenchmarkDirectorySearch(b *testing.B) {
	s := benchStore(b)
	var places []*linkwork.Point
	for _, outcode := range []string{"LS1", "LS6", "LS11", "M1", "B1", "S1", "SW1A", "EC1A", "G1", "CF10", "NE1", "BS1", "L1", "NG1", "EH1"} {
		d, ok := ukpostcode.Lookup(outcode)
		if !ok {
			b.Fatalf("no district %s", outcode)
		}
		places = append(places, &linkwork.Point{Lat: d.Lat, Lon: d.Lon})
	}
	words := []string{"football", "art", "walking", "youth club", "counselling", "coffee morning", "fotball", "music"}
	for _, tt := range []struct {
		name   string
		filter func(i int) linkwork.AssetFilter
	}{
		{"text+filters+10km", func(i int) linkwork.AssetFilter {
			return linkwork.AssetFilter{Query: words[i%len(words)], Age: 15, FreeOnly: true, Near: places[i%len(places)], Radius: 10000, Limit: 25}
		}},
		{"text", func(i int) linkwork.AssetFilter {
			return linkwork.AssetFilter{Query: words[i%len(words)], Limit: 25}
		}},
		{"10km", func(i int) linkwork.AssetFilter {
			return linkwork.AssetFilter{Near: places[i%len(places)], Radius: 10000, Limit: 25}
		}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			ctx := context.Background() // the public: no one signed in
			var times []time.Duration
			i := 0
			cpu := processCPU()
			for b.Loop() {
				start := time.Now()
				if _, _, err := s.assets.FindAssets(ctx, tt.filter(i)); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
				i++
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(percentile(times, 0.99))/float64(time.Millisecond), "p99-ms")
		})
	}
}

// processCPU is the CPU time the process has used, user and system: a
// benchmark's cost on a machine whose other work stretches wall-clock
// times.
func processCPU() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// percentile returns the p-th percentile (0 < p ≤ 1) of the durations: the
// smallest that at least p of them do not exceed.
func percentile(ds []time.Duration, p float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[max(i, 0)]
}

// BenchmarkORUK is what the Open Referral UK API asks of the store: a page
// of services filtered by age (/oruk/services?minimum_age=…), a page of
// services at locations near a postcode, the first, a middle and the last
// page of them all, the first and a middle page of them filtered by age and
// session time (/oruk/service_at_locations), and one service at a location
// by its id (/oruk/service_at_locations/{id}).
func BenchmarkORUK(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background() // the public: no one signed in
	var places []*linkwork.Point
	for _, outcode := range []string{"LS1", "LS6", "LS11", "M1", "B1", "S1", "SW1A", "EC1A", "G1", "CF10", "NE1", "BS1", "L1", "NG1", "EH1"} {
		d, ok := ukpostcode.Lookup(outcode)
		if !ok {
			b.Fatalf("no district %s", outcode)
		}
		places = append(places, &linkwork.Point{Lat: d.Lat, Lon: d.Lon})
	}
	_, total, err := s.assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	// Service-at-location ids of listings spread through the directory.
	var salIDs []string
	for off := 0; off < total && len(salIDs) < 64; off += max(total/64, 1) {
		list, _, err := s.assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, Offset: off, Limit: 1})
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range list {
			for _, l := range m.Asset.Locations {
				salIDs = append(salIDs, oruk.ServiceAtLocationID(m.Asset.ID, l.ID))
			}
		}
	}
	if len(salIDs) == 0 {
		b.Fatal("no locations")
	}
	_, locTotal, err := s.assets.FindLocations(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, Limit: 1})
	if err != nil {
		b.Fatal(err)
	}
	ages := []int{5, 11, 16, 18, 25, 50, 65}
	orukWords := []string{"football", "art", "walking", "youth club", "counselling", "coffee morning", "fotball", "music"}
	// The combined filter's number of services at locations, for each age.
	filtered := make([]int, len(ages))
	for i := range ages {
		if _, filtered[i], err = s.assets.FindLocations(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, MaxAgeAtMost: &ages[i], OpensFrom: "17:00", Limit: 1}); err != nil {
			b.Fatal(err)
		}
	}
	type query struct {
		name string
		run  func(i int) (int, error)
	}
	for _, tt := range []query{
		{"services minimum_age", func(i int) (int, error) {
			list, _, err := s.assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, MinAgeAtLeast: &ages[i%len(ages)], Limit: 50})
			return len(list), err
		}},
		{"services maximum_age+start_time", func(i int) (int, error) {
			list, _, err := s.assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, MaxAgeAtMost: &ages[i%len(ages)], OpensFrom: "17:00", Limit: 50})
			return len(list), err
		}},
		{"services search", func(i int) (int, error) {
			// services?search=, as /oruk asks: any status, by relevance.
			list, _, err := s.assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, Query: orukWords[i%len(orukWords)], Sort: linkwork.SortRelevance, Limit: 50})
			return len(list), err
		}},
		{"service_at_locations near postcode", func(i int) (int, error) {
			list, _, err := s.assets.FindLocations(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortDistance, Mode: linkwork.AttendInPerson,
				Near: places[i%len(places)], Radius: linkwork.DefaultRadius, Limit: 50})
			return len(list), err
		}},
		{"service_at_locations page 1", func(i int) (int, error) {
			list, _, err := s.assets.FindLocations(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, Limit: 50})
			return len(list), err
		}},
		{"service_at_locations middle page", func(i int) (int, error) {
			list, _, err := s.assets.FindLocations(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, Offset: total / 2, Limit: 50})
			return len(list), err
		}},
		{"service_at_locations last page", func(i int) (int, error) {
			list, _, err := s.assets.FindLocations(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, Offset: max(locTotal-50, 0), Limit: 50})
			return len(list), err
		}},
		{"service_at_locations maximum_age+start_time", func(i int) (int, error) {
			list, _, err := s.assets.FindLocations(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, MaxAgeAtMost: &ages[i%len(ages)], OpensFrom: "17:00", Limit: 50})
			return len(list), err
		}},
		{"service_at_locations maximum_age+start_time middle page", func(i int) (int, error) {
			j := i % len(ages)
			list, _, err := s.assets.FindLocations(ctx, linkwork.AssetFilter{AnyStatus: true, Sort: linkwork.SortName, MaxAgeAtMost: &ages[j], OpensFrom: "17:00", Offset: filtered[j] / 2, Limit: 50})
			return len(list), err
		}},
		{"service_at_location by id", func(i int) (int, error) {
			list, _, err := s.assets.FindAssets(ctx, linkwork.AssetFilter{AnyStatus: true, ServiceAtLocationID: salIDs[i%len(salIDs)], Limit: 2})
			if err == nil && len(list) != 1 {
				b.Fatalf("service at location %s: %d listings", salIDs[i%len(salIDs)], len(list))
			}
			return len(list), err
		}},
	} {
		b.Run(tt.name, func(b *testing.B) {
			var times []time.Duration
			i := 0
			cpu := processCPU()
			for b.Loop() {
				start := time.Now()
				if _, err := tt.run(i); err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(start))
				i++
			}
			b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(percentile(times, 0.99))/float64(time.Millisecond), "p99-ms")
		})
	}
}

// BenchmarkCaseload is a link worker's caseload page: every open case
// with its last and next contact, sessions, reviews, connections and
// what is overdue, for the worker with the most cases, topped up to at
// least 60 on the generated city by handing other workers' cases over.
func BenchmarkCaseload(b *testing.B) {
	s := benchStore(b)
	alloc := sqlstore.NewAllocationService(benchDB)
	coord := benchActor(b, s, linkwork.RoleCoordinator)
	loads, err := alloc.WorkerChoices(coord)
	if err != nil || len(loads) == 0 {
		b.Fatal("no link workers", err)
	}
	// The worker with most open cases, topped up to 60 on the demo city;
	// at national scale, the one whose open cases are nearest 60.
	top := slices.MaxFunc(loads, func(x, y linkwork.WorkerLoad) int { return x.Cases - y.Cases })
	if os.Getenv("LINKWORK_BENCH_DB") != "" {
		top = slices.MinFunc(loads, func(x, y linkwork.WorkerLoad) int { return max(x.Cases-60, 60-x.Cases) - max(y.Cases-60, 60-y.Cases) })
	} else {
		for _, l := range loads {
			if top.Cases >= 60 {
				break
			}
			if l.UserID == top.UserID {
				continue
			}
			n, err := alloc.HandOverCaseload(coord, l.UserID, top.UserID, "benchmark")
			if err != nil {
				b.Fatal(err)
			}
			top.Cases += n
		}
	}
	c, _ := linkwork.ActorFrom(coord)
	ctx := linkwork.NewContext(context.Background(), linkwork.Actor{UserID: top.UserID, OrgID: c.OrgID, Role: linkwork.RoleLinkWorker})
	var n int
	for b.Loop() {
		items, err := alloc.Caseload(ctx, linkwork.CaseloadQuery{})
		if err != nil {
			b.Fatal(err)
		}
		n = len(items)
	}
	b.ReportMetric(float64(n), "cases/op")
}

// BenchmarkOnwardDestinations is the referral page's decline form: the
// first 100 wellbeing listings by name, and the 100 a search for one
// finds, read as the page reads them now (FindAssetNames: names, first
// category and place) and as it read them before (FindAssets: each
// listing with all its details), reporting p99-ms.
func BenchmarkOnwardDestinations(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	words := []string{"wellbeing", "walking", "anxiety", "carers", "counselling", "men's group"}
	filters := []struct {
		name   string
		filter func(i int) linkwork.AssetFilter
	}{
		{"wellbeing", func(int) linkwork.AssetFilter {
			return linkwork.AssetFilter{Category: linkwork.CategoryWellbeing, Sort: linkwork.SortName, Limit: 100}
		}},
		{"search", func(i int) linkwork.AssetFilter { return linkwork.AssetFilter{Query: words[i%len(words)], Limit: 100} }},
	}
	for _, f := range filters {
		for _, read := range []struct {
			name string
			run  func(linkwork.AssetFilter) error
		}{
			{"names", func(f linkwork.AssetFilter) error { _, err := s.assets.FindAssetNames(ctx, f); return err }},
			{"listings", func(f linkwork.AssetFilter) error { _, _, err := s.assets.FindAssets(ctx, f); return err }},
		} {
			b.Run(f.name+"/"+read.name, func(b *testing.B) {
				var times []time.Duration
				i := 0
				cpu := processCPU()
				for b.Loop() {
					start := time.Now()
					if err := read.run(f.filter(i)); err != nil {
						b.Fatal(err)
					}
					times = append(times, time.Since(start))
					i++
				}
				b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
				b.ReportMetric(float64(percentile(times, 0.99))/float64(time.Millisecond), "p99-ms")
			})
		}
	}
}

// BenchmarkTeam is the coordinator's team page: every link worker's load
// (the caseloads of the whole service), sessions this month, supervision,
// training due and open concerns.
func BenchmarkTeam(b *testing.B) {
	s := benchStore(b)
	team := sqlstore.NewTeamService(benchDB)
	coord := benchActor(b, s, linkwork.RoleCoordinator)
	var n int
	for b.Loop() {
		members, _, err := team.Team(coord, linkwork.TeamQuery{})
		if err != nil {
			b.Fatal(err)
		}
		n = len(members)
	}
	b.ReportMetric(float64(n), "workers/op")
}
