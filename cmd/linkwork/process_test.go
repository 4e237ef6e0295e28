package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// These tests run the real binary as a separate process, to kill it.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func binary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "linkwork-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "linkwork")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// server is a running linkwork process.
type server struct {
	cmd     *exec.Cmd
	url     string
	stderr  *strings.Builder // read it with log() while the process runs
	stderrW *syncWriter
	done    chan error
	urls    chan string
}

// startServe runs "linkwork serve" on the database and waits until it
// answers.
func startServe(t *testing.T, dsn string) *server {
	t.Helper()
	return startServeWith(t, nil, "--db", dsn)
}

// startServeWith runs "linkwork serve" with more environment variables
// and flags, and waits until it answers.
func startServeWith(t *testing.T, env []string, flags ...string) *server {
	t.Helper()
	s := launchServe(t, env, flags...)
	s.waitStarted(t)
	return s
}

// launchServe starts "linkwork serve" with more environment variables and
// flags, without waiting for it: waitStarted does.
func launchServe(t *testing.T, env []string, flags ...string) *server {
	t.Helper()
	cmd := exec.Command(binary(t), append([]string{"serve", "--addr", "127.0.0.1:0", "--shutdown-timeout", "20s"}, flags...)...)
	if env != nil {
		cmd.Env = append(os.Environ(), env...)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, stderr: &strings.Builder{}, done: make(chan error, 1), urls: make(chan string, 1)}
	s.stderrW = &syncWriter{b: s.stderr}
	cmd.Stderr = s.stderrW
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			<-s.done
		}
	})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if i := strings.Index(sc.Text(), "http://"); i >= 0 {
				s.urls <- sc.Text()[i:]
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	go func() { s.done <- cmd.Wait() }()
	return s
}

// waitStarted waits until the server says where it is serving, and sets
// its url.
func (s *server) waitStarted(t *testing.T) {
	t.Helper()
	select {
	case s.url = <-s.urls:
	case err := <-s.done:
		t.Fatalf("serve exited: %v\n%s", err, s.log())
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not start\n%s", s.log())
	}
}

// log is what the server has written to standard error so far.
func (s *server) log() string {
	s.stderrW.mu.Lock()
	defer s.stderrW.mu.Unlock()
	return s.stderr.String()
}

type syncWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// prepare makes a small demo city in a fresh database and returns an API
// token for the demo referrer.
func prepare(t *testing.T, dsn string) string {
	t.Helper()
	if code, out, errs := runCLI(t, nil, "demo", "--db", dsn, "--preset", "small", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s %s", out, errs)
	}
	code, out, errs := runCLI(t, nil, "user", "token", "--db", dsn, "--email", "referrer@demo.linkwork.test", "--name", "load test")
	if code != 0 {
		t.Fatalf("token: %s", errs)
	}
	return strings.TrimSpace(out)
}

func serviceID(t *testing.T, dsn string) string {
	t.Helper()
	db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
	list, _, err := sqlstore.NewOrganisationService(db).FindOrganisations(ctx, linkwork.OrganisationFilter{Kind: linkwork.OrgSPService})
	if err != nil || len(list) == 0 {
		t.Fatalf("no service: %v", err)
	}
	return list[0].ID
}

func referralBody(service string, n int) string {
	return fmt.Sprintf(`{"service_org_id": %q, "pathway": "gp", "mode": "referral", "reasons": "durability test %d", "person_aware": true, "consent_referral": true, "safe_now": "yes", "harm_thoughts": "no",
		"person": {"given_name": "Dura", "family_name": "Bility%d", "date_of_birth": "2008-02-03", "contact": {"channels": ["text"]}, "guardians": [], "consents": []}}`, service, n, n)
}

// TestKillLosesNoAcknowledgedWrite writes referrals from several clients,
// kills the server with SIGKILL in the middle, and checks that every
// referral the server acknowledged (201) is in the database.
func TestKillLosesNoAcknowledgedWrite(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes; skipped with -short")
	}
	for _, dialect := range sqltest.Dialects(t) {
		t.Run(dialect, func(t *testing.T) {
			dsn := sqltest.DSN(t, dialect)
			token := prepare(t, dsn)
			service := serviceID(t, dsn)
			s := startServe(t, dsn)

			var mu sync.Mutex
			var acked []string
			var failures int
			// enough is closed once 40 writes were acknowledged.
			enough := make(chan struct{})
			stop := make(chan struct{})
			var wg sync.WaitGroup
			client := &http.Client{Timeout: 10 * time.Second}
			for w := 0; w < 6; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for n := 0; ; n++ {
						select {
						case <-stop:
							return
						default:
						}
						req, _ := http.NewRequest("POST", s.url+"/api/v1/referrals", strings.NewReader(referralBody(service, w*100000+n)))
						req.Header.Set("Authorization", "Bearer "+token)
						req.Header.Set("Content-Type", "application/json")
						resp, err := client.Do(req)
						if err != nil {
							mu.Lock()
							failures++
							mu.Unlock()
							continue
						}
						var out struct{ ID string }
						err = json.NewDecoder(resp.Body).Decode(&out)
						resp.Body.Close()
						if resp.StatusCode == http.StatusCreated && err == nil && out.ID != "" {
							mu.Lock()
							acked = append(acked, out.ID)
							if len(acked) == 40 {
								close(enough)
							}
							mu.Unlock()
						}
					}
				}(w)
			}
			// Let writes flow, then kill the process mid-stream.
			select {
			case <-enough:
			case <-time.After(20 * time.Second):
			}
			if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-s.done
			close(stop)
			wg.Wait()
			if len(acked) < 40 {
				t.Fatalf("only %d writes were acknowledged before the kill\n%s", len(acked), s.stderr)
			}

			db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ctx := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
			referrals := sqlstore.NewReferralService(db)
			for _, id := range acked {
				if _, err := referrals.FindReferralByID(ctx, id); err != nil {
					t.Fatalf("acknowledged referral %s is lost after SIGKILL: %v", id, err)
				}
			}
			v, err := sqlstore.NewAuditService(db).VerifyAudit(ctx)
			if err != nil || !v.OK {
				t.Fatalf("audit chain after SIGKILL: %+v %v", v, err)
			}
			t.Logf("%d acknowledged writes all survived SIGKILL (%d requests cut off)", len(acked), failures)
		})
	}
}

// TestTermDrainsInFlightRequests sends SIGTERM while clients are busy and
// checks that every request the server took was answered in full, and that
// the process exits cleanly.
func TestTermDrainsInFlightRequests(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes; skipped with -short")
	}
	dsn := sqltest.DSN(t, "sqlite")
	token := prepare(t, dsn)
	service := serviceID(t, dsn)
	s := startServe(t, dsn)

	var mu sync.Mutex
	var answered, refused int
	// busy is closed once 20 requests were answered: the clients are
	// well under way, and more are in flight.
	busy := make(chan struct{})
	var broken []string
	cutOff := map[string]string{} // reasons of requests that got no answer → error
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			// A fresh connection for each request, so that a request is
			// either taken by the server or refused, never lost in a
			// half-closed keep-alive connection.
			client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				id := w*100000 + n
				req, _ := http.NewRequest("POST", s.url+"/api/v1/referrals", strings.NewReader(referralBody(service, id)))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				mu.Lock()
				switch {
				case err == nil:
					_, rerr := io.ReadAll(resp.Body)
					resp.Body.Close()
					if rerr != nil || resp.StatusCode != http.StatusCreated {
						broken = append(broken, fmt.Sprintf("status %d, read %v", resp.StatusCode, rerr))
					} else {
						answered++
						if answered == 20 {
							close(busy)
						}
					}
				case isRefused(err):
					refused++
				default:
					// The connection closed with no answer. That is fine
					// only if the server never took the request (it sat
					// in the kernel's queue when the listener closed): then
					// nothing of it reached the database. Checked below.
					cutOff[fmt.Sprintf("durability test %d", id)] = err.Error()
				}
				mu.Unlock()
			}
		}(w)
	}
	select {
	case <-busy:
	case <-time.After(30 * time.Second):
		mu.Lock()
		n := answered
		mu.Unlock()
		t.Fatalf("the clients did not get going: %d answered\n%s", n, s.log())
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	var exitErr error
	select {
	case exitErr = <-s.done:
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop within 30 seconds of SIGTERM")
	}
	close(stop)
	wg.Wait()
	if exitErr != nil {
		t.Fatalf("exit: %v\n%s", exitErr, s.stderr)
	}
	if answered == 0 {
		t.Fatal("no request was answered")
	}
	if len(broken) > 0 {
		t.Fatalf("%d requests got a broken answer, e.g. %s", len(broken), broken[0])
	}
	if len(cutOff) > 0 {
		db, err := sqlstore.Open(context.Background(), dsn, sqlstore.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		ctx := linkwork.NewContext(context.Background(), linkwork.SystemActor("test"))
		for off := 0; ; off += 500 {
			page, _, err := sqlstore.NewReferralService(db).FindReferrals(ctx, linkwork.ReferralFilter{Offset: off, Limit: 500})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range page {
				if why, ok := cutOff[r.Reasons]; ok {
					t.Fatalf("the server took a request (%q is saved) but the client got no answer: %s", r.Reasons, why)
				}
			}
			if len(page) < 500 {
				break
			}
		}
		t.Logf("%d connections closed unanswered were never taken by the server (nothing saved)", len(cutOff))
	}
	if !strings.Contains(s.stderr.String(), "finishing in-flight requests") || !strings.Contains(s.stderr.String(), "stopped") {
		t.Fatalf("the log does not show a drain:\n%s", s.stderr)
	}
	t.Logf("%d requests answered in full, %d refused after shutdown began", answered, refused)
}

func isRefused(err error) bool {
	var op *net.OpError
	return errors.Is(err, syscall.ECONNREFUSED) || (errors.As(err, &op) && op.Op == "dial")
}
