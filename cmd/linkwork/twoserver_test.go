package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/web"
)

// emptyPostgres makes a database with nothing in it on the test
// PostgreSQL server, dropped when the test ends, and returns its URL. It
// skips the test when LINKWORK_TEST_POSTGRES is not set (and fails it
// under LINKWORK_E2E=1).
func emptyPostgres(t *testing.T) string {
	t.Helper()
	base := os.Getenv(sqltest.EnvPostgres)
	if base == "" {
		if os.Getenv(sqltest.EnvE2E) == "1" {
			t.Fatalf("%s=1 but %s is not set: the two-server test cannot run", sqltest.EnvE2E, sqltest.EnvPostgres)
		}
		t.Skipf("%s is not set: the two-server test needs PostgreSQL (SQLite is one server per file)", sqltest.EnvPostgres)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "lw_twoserver_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create the database: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// waitReady polls the server's /readyz until it answers 200.
func waitReady(t *testing.T, s *server) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s is not ready after 30 seconds (%v)\n%s", s.url, err, s.log())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// waitFor polls cond until it holds, failing the test with what it says
// at the deadline.
func waitFor(t *testing.T, within time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		ok, state := cond()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %s, still not %s: %s", within, what, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// twoServerService is what the test puts in the database once both
// servers have migrated it: a social prescribing service with a
// coordinator, and a GP practice with a referrer.
type twoServerService struct {
	service, practice *linkwork.Organisation
	gp, coordinator   *linkwork.User
}

const twoServerPassword = "a long enough password"

func seedTwoServerService(t *testing.T, dsn string) twoServerService {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	sys := linkwork.NewContext(ctx, linkwork.SystemActor("test"))
	var s twoServerService
	s.service = &linkwork.Organisation{Name: "Millbrook Social Prescribing", Kind: linkwork.OrgSPService, Postcode: "S1 2HH"}
	s.practice = &linkwork.Organisation{Name: "Riverside Surgery", Kind: linkwork.OrgGPPractice, Postcode: "S1 2HH"}
	for _, o := range []*linkwork.Organisation{s.service, s.practice} {
		if err := sqlstore.NewOrganisationService(db).CreateOrganisation(sys, o); err != nil {
			t.Fatal(err)
		}
	}
	s.gp = &linkwork.User{Name: "Dr Ada Green", Email: "ada.green@riverside.example", Role: linkwork.RoleReferrer, OrgID: s.practice.ID}
	s.coordinator = &linkwork.User{Name: "Cat Ordway", Email: "cat@millbrook.example", Role: linkwork.RoleCoordinator, OrgID: s.service.ID}
	for _, u := range []*linkwork.User{s.gp, s.coordinator} {
		if err := sqlstore.NewUserService(db).CreateUser(sys, u, twoServerPassword); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// jobRoundRE finds the log lines (at debug level) of a job's rounds:
// done, with how many things it did, or skipped.
func jobRoundRE(job string) *regexp.Regexp {
	return regexp.MustCompile(`msg="job (done|skipped)" job="` + regexp.QuoteMeta(job) + `"(?: done=(\d+))?`)
}

// rounds counts the rounds of a job a server has logged, and adds up
// what they did.
func rounds(s *server, re *regexp.Regexp) (n, done int) {
	for _, m := range re.FindAllStringSubmatch(s.log(), -1) {
		n++
		d, _ := strconv.Atoi(m[2])
		done += d
	}
	return n, done
}

// TestTwoServersBehaveAsOne starts two servers at the same moment on one
// empty PostgreSQL database, as a deployment behind a load balancer
// would, and checks that they behave as one service: the schema is
// migrated once; a session made on one works on the other, and ends on
// both; the same request sent to both with one Idempotency-Key makes one
// referral; a public form shown by one is timed by the other; a deferred
// referral due back returns to the queue once, by one server; and the
// audit trail they both write is one unbroken chain.
func TestTwoServersBehaveAsOne(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes; skipped with -short")
	}
	dsn := emptyPostgres(t)
	binary(t) // build first, so that both start at once
	flags := []string{"--db", dsn, "--jobs-interval", "1s", "--log-level", "debug"}
	a, b := launchServe(t, nil, flags...), launchServe(t, nil, flags...)
	servers := []*server{a, b}
	for _, s := range servers {
		s.waitStarted(t)
	}
	for _, s := range servers {
		waitReady(t, s)
	}
	pg, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	count := func(t *testing.T, q string, args ...any) int {
		t.Helper()
		var n int
		if err := pg.QueryRow(q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}

	t.Run("the schema was migrated once, by one server", func(t *testing.T) {
		ms, err := sqlstore.Migrations("postgres")
		if err != nil {
			t.Fatal(err)
		}
		if n, top := count(t, "SELECT COUNT(*) FROM schema_migrations"), count(t, "SELECT MAX(version) FROM schema_migrations"); n != len(ms) || top != len(ms) {
			t.Fatalf("schema_migrations holds %d migrations up to %d; want each of the %d once", n, top, len(ms))
		}
		migrated := 0
		for _, s := range servers {
			migrated += strings.Count(s.log(), "msg=migrated")
		}
		if migrated != 1 {
			t.Fatalf("%d servers say they migrated, want 1\nA:\n%s\nB:\n%s", migrated, a.log(), b.log())
		}
	})

	svc := seedTwoServerService(t, dsn)
	noRedirects := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	do := func(t *testing.T, s *server, method, path, contentType, body string, header http.Header) (*http.Response, string) {
		t.Helper()
		req, err := http.NewRequest(method, s.url+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		for k, vs := range header {
			req.Header[k] = vs
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		resp, err := noRedirects.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		got, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(got)
	}

	// Signed in on A.
	resp, body := do(t, a, "POST", "/login", "application/x-www-form-urlencoded",
		url.Values{"email": {svc.gp.Email}, "password": {twoServerPassword}}.Encode(), nil)
	var session *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == web.SessionCookie && c.Value != "" {
			session = c
		}
	}
	if resp.StatusCode != http.StatusSeeOther || session == nil {
		t.Fatalf("signing in on A: status %d, no session cookie\n%s", resp.StatusCode, body)
	}
	withSession := http.Header{"Cookie": {session.Name + "=" + session.Value}}

	t.Run("a session made on one server works on the other", func(t *testing.T) {
		resp, body := do(t, b, "GET", "/api/v1/me", "", "", withSession)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, svc.gp.Email) {
			t.Fatalf("B: status %d: %s", resp.StatusCode, body)
		}
		if resp, _ := do(t, b, "GET", "/referrals", "", "", withSession); resp.StatusCode != http.StatusOK {
			t.Fatalf("B's referrals page: status %d (to %q)", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("one Idempotency-Key sent to both servers at once makes one referral", func(t *testing.T) {
		type answer struct {
			status   int
			replayed bool
			id       string
			body     string
		}
		for round := range 5 {
			key := fmt.Sprintf("two-servers-%d-%s", round, session.Value[:8])
			reasons := fmt.Sprintf("Sent to two servers at once, round %d", round)
			body := fmt.Sprintf(`{"service_org_id": %q, "pathway": "gp", "mode": "referral", "reasons": %q, "person_aware": true, "consent_referral": true, "safe_now": "yes", "harm_thoughts": "no",
				"person": {"given_name": "Twin", "family_name": "Server%d", "date_of_birth": "2009-03-04", "contact": {"channels": ["text"]}, "guardians": [], "consents": []}}`,
				svc.service.ID, reasons, round)
			h := http.Header{"Idempotency-Key": {key}}
			for k, vs := range withSession {
				h[k] = vs
			}
			answers := make([]answer, 2)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i, s := range servers {
				wg.Go(func() {
					<-start
					resp, got := do(t, s, "POST", "/api/v1/referrals", "application/json", body, h)
					var out struct{ ID string }
					_ = json.Unmarshal([]byte(got), &out)
					answers[i] = answer{resp.StatusCode, resp.Header.Get(web.ReplayedHeader) == "true", out.ID, got}
				})
			}
			close(start)
			wg.Wait()
			made, replayed, conflicts, id := 0, 0, 0, ""
			for i, an := range answers {
				switch {
				case an.status == http.StatusCreated && an.replayed:
					replayed++
				case an.status == http.StatusCreated:
					made++
				case an.status == http.StatusConflict:
					conflicts++
					continue
				default:
					t.Fatalf("round %d, server %c: status %d: %s", round, 'A'+i, an.status, an.body)
				}
				if id != "" && an.id != id {
					t.Fatalf("round %d: the servers answered with two referrals, %s and %s", round, id, an.id)
				}
				id = an.id
			}
			if made != 1 {
				t.Fatalf("round %d: %d answers made the referral and %d replayed it; want one made: %+v", round, made, replayed, answers)
			}
			t.Logf("round %d: made once, replayed %d, still in flight (409) %d", round, replayed, conflicts)
			if n := count(t, "SELECT COUNT(*) FROM referrals WHERE reasons = $1", reasons); n != 1 {
				t.Fatalf("round %d: %d referrals, want 1", round, n)
			}
			// What A made, B shows.
			if resp, got := do(t, b, "GET", "/api/v1/referrals/"+id, "", "", withSession); resp.StatusCode != http.StatusOK {
				t.Fatalf("round %d: B cannot show the referral: %d %s", round, resp.StatusCode, got)
			}
		}
	})

	t.Run("a public form shown by one server is timed by the other", func(t *testing.T) {
		_, page := do(t, a, "GET", "/refer/young-person", "", "", nil)
		m := regexp.MustCompile(`name="started" value="([^"]+)"`).FindStringSubmatch(page)
		if m == nil {
			t.Fatal("A's form has no started field")
		}
		dob := linkwork.DateOf(time.Now().AddDate(-15, -2, 0))
		form := url.Values{"started": {m[1]}, "website": {""},
			"person.given_name": {"Robyn"}, "person.family_name": {"Quickly"},
			"person.date_of_birth-day": {strconv.Itoa(dob.Day)}, "person.date_of_birth-month": {strconv.Itoa(int(dob.Month))}, "person.date_of_birth-year": {strconv.Itoa(dob.Year)},
			"person.postcode": {"S1 2HH"}, "person.phone": {"07700 900111"}, "person.contact.channels": {"text"},
			"reasons": {"Feeling low since moving school."}, "consent_referral": {"yes"}, "safe_now": {"yes"}, "harm_thoughts": {"no"}}
		// Sent at once, too quick for a person: B can read A's signature
		// of when the form was shown, and sends it back to check.
		resp, got := do(t, b, "POST", "/refer/young-person", "application/x-www-form-urlencoded", form.Encode(), nil)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, "too quickly for us to be sure a person sent it") {
			t.Fatalf("B took a form sent back at once: status %d (to %q)", resp.StatusCode, resp.Header.Get("Location"))
		}
		if n := count(t, "SELECT COUNT(*) FROM people WHERE family_name = 'Quickly'"); n != 0 {
			t.Fatalf("%d people stored from a form sent too quickly", n)
		}
	})

	t.Run("a deferred referral due back returns to the queue once", func(t *testing.T) {
		// A referral made and deferred a week ago, until four days ago:
		// due back now, and both servers' jobs look for it every second.
		ctx := context.Background()
		weekAgo := time.Now().AddDate(0, 0, -7)
		past, err := sqlstore.Open(ctx, dsn, sqlstore.Options{Now: func() time.Time { return weekAgo }})
		if err != nil {
			t.Fatal(err)
		}
		defer past.Close()
		as := func(u *linkwork.User) context.Context { return linkwork.NewContext(ctx, u.Actor()) }
		r := &linkwork.Referral{SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, ServiceOrgID: svc.service.ID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
			Reasons: "Exams first, then support", PersonAware: new(true), ConsentReferral: true}
		p := &linkwork.Person{GivenName: "Dee", FamilyName: "Ferred", DateOfBirth: linkwork.Date{Year: 2009, Month: 5, Day: 6}}
		referrals := sqlstore.NewReferralService(past)
		if err := referrals.CreateReferral(as(svc.gp), r, p); err != nil {
			t.Fatal(err)
		}
		re := jobRoundRE("return due deferrals")
		if _, err := referrals.DecideReferral(as(svc.coordinator), r.ID, r.Version, linkwork.ReferralDecision{To: linkwork.ReferralDeferred,
			DeferUntil: linkwork.DateOf(weekAgo.AddDate(0, 0, 3)), Reason: "After the exams"}); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 30*time.Second, "back in triage", func() (bool, string) {
			var status string
			err := pg.QueryRow("SELECT status FROM referrals WHERE id = $1", r.ID).Scan(&status)
			return err == nil && status == string(linkwork.ReferralTriage), fmt.Sprintf("status %q, %v", status, err)
		})
		// A round of the job on either server that began before the
		// referral came back has logged by the time that server logs a
		// second round after it: wait for two more on each, so that any
		// second return would have happened.
		var seen [2]int
		for i, s := range servers {
			seen[i], _ = rounds(s, re)
		}
		waitFor(t, 30*time.Second, "two more rounds of the job on each server", func() (bool, string) {
			var now [2]int
			for i, s := range servers {
				now[i], _ = rounds(s, re)
			}
			return now[0] >= seen[0]+2 && now[1] >= seen[1]+2, fmt.Sprintf("rounds logged by A %d → %d, by B %d → %d", seen[0], now[0], seen[1], now[1])
		})
		done := 0
		for _, s := range servers {
			_, d := rounds(s, re)
			done += d
		}
		if done != 1 {
			t.Errorf("the servers' rounds returned %d referrals in all, want 1", done)
		}
		if n := count(t, "SELECT COUNT(*) FROM referral_transitions WHERE referral_id = $1 AND from_status = 'deferred' AND to_status = 'triage'", r.ID); n != 1 {
			t.Errorf("%d returns to triage recorded, want 1", n)
		}
		if n := count(t, "SELECT COUNT(*) FROM audit_events WHERE action = 'referral.return' AND record_id = $1", r.ID); n != 1 {
			t.Errorf("%d audit events of the return, want 1", n)
		}
		if n := count(t, "SELECT COUNT(*) FROM notifications WHERE referral_id = $1 AND kind = $2", r.ID, string(linkwork.NoteReferralReturned)); n != 1 {
			t.Errorf("the coordinator was told %d times, want once", n)
		}
	})

	t.Run("a session ended on one server is ended on the other", func(t *testing.T) {
		if resp, _ := do(t, b, "POST", "/logout", "application/x-www-form-urlencoded", "", withSession); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("signing out on B: status %d", resp.StatusCode)
		}
		if resp, got := do(t, a, "GET", "/api/v1/me", "", "", withSession); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("A still takes the session: status %d: %s", resp.StatusCode, got)
		}
	})

	t.Run("both servers stop cleanly, and the audit trail they wrote is one chain", func(t *testing.T) {
		for _, s := range servers {
			if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
		}
		for i, s := range servers {
			select {
			case err := <-s.done:
				if err != nil {
					t.Errorf("server %c: exit: %v\n%s", 'A'+i, err, s.log())
				}
			case <-time.After(30 * time.Second):
				t.Fatalf("server %c did not stop within 30 seconds of SIGTERM", 'A'+i)
			}
		}
		db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		v, err := sqlstore.NewAuditService(db).VerifyAudit(linkwork.NewContext(context.Background(), linkwork.SystemActor("test")))
		if err != nil || !v.OK {
			t.Fatalf("the audit chain: %+v, %v", v, err)
		}
	})
}
