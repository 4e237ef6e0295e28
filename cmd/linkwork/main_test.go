package main

import (
	"bytes"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs the command in-process and returns its exit status and
// output.
func runCLI(t *testing.T, envv map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(env{args: args, stdout: &out, stderr: &errb, getenv: func(k string) string { return envv[k] }})
	return code, out.String(), errb.String()
}

func TestBadInputNamesTheFlagAndTheFix(t *testing.T) {
	dir := t.TempDir()
	notDemo := "sqlite:" + filepath.Join(dir, "real.db")
	if code, _, errs := runCLI(t, nil, "migrate", "--db", notDemo); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		says []string
	}{
		{"no command", nil, nil, []string{"Usage"}},
		{"an unknown command", nil, []string{"frobnicate"}, []string{`"frobnicate" is not a linkwork command`, "linkwork --help"}},
		{"an unknown flag", nil, []string{"serve", "--colour", "red"}, []string{"there is no flag --colour", "linkwork serve --help"}},
		{"a flag without its value", nil, []string{"demo", "--addr"}, []string{"flag needs an argument: -addr"}},
		{"a bad address", nil, []string{"serve", "--db", "x.db", "--addr", "8080"}, []string{`--addr "8080" is not host:port`}},
		{"a bad log level", nil, []string{"serve", "--db", "x.db", "--log-level", "loud"}, []string{`--log-level must be debug, info, warn or error, not "loud"`}},
		{"a bad cookie setting", nil, []string{"serve", "--db", "x.db", "--cookie-secure", "maybe"}, []string{"--cookie-secure must be true, false or auto"}},
		{"a bad SQLite sync setting", nil, []string{"serve", "--db", "x.db", "--sqlite-synchronous", "off"}, []string{`--sqlite-synchronous must be full, normal or extra, not "off"`}},
		{"a bad SQLite sync setting from the environment", map[string]string{"LINKWORK_SQLITE_SYNCHRONOUS": "sometimes"}, []string{"serve", "--db", "x.db"}, []string{`--sqlite-synchronous must be full, normal or extra, not "sometimes"`}},
		{"a bad SQLite mapping", nil, []string{"serve", "--db", "x.db", "--sqlite-mmap", "lots"}, []string{`--sqlite-mmap must be auto, off or a number of MiB like 512, not "lots"`}},
		{"a SQLite mapping of nothing", nil, []string{"serve", "--db", "x.db", "--sqlite-mmap", "0"}, []string{`--sqlite-mmap must be auto, off or a number of MiB`}},
		{"no database", nil, []string{"serve"}, []string{"--db is required", "LINKWORK_DATABASE"}},
		{"an unsupported database", nil, []string{"migrate", "--db", "mysql://x/y"}, []string{"only sqlite:PATH and postgres:// URLs"}},
		{"a short demo password", nil, []string{"demo", "--demo-password", "short"}, []string{"--demo-password: Password must be at least 12 characters"}},
		{"an unknown preset", nil, []string{"demo", "--preset", "huge"}, []string{"--preset", "demo, national, small"}},
		{"a number that is not", nil, []string{"demo", "--people", "many"}, []string{`--people: "many" is not a valid value: it must be a number`}},
		{"a stray argument", nil, []string{"migrate", "db.sqlite"}, []string{`unexpected argument "db.sqlite"`}},
		{"the demo will not overwrite real data", nil, []string{"demo", "--db", notDemo, "--no-serve"}, []string{"not a linkwork demo", "choose another file with --db"}},
		{"a user without a password", nil, []string{"user", "add", "--db", notDemo, "--email", "a@example.org"}, []string{"LINKWORK_PASSWORD"}},
		{"a user in no organisation", map[string]string{"LINKWORK_PASSWORD": "a long password"}, []string{"user", "add", "--db", notDemo, "--email", "a@example.org", "--org", "Nowhere"}, []string{`--org "Nowhere": no organisation`}},
		{"a token for nobody", nil, []string{"user", "token", "--db", notDemo, "--email", "nobody@example.org", "--name", "x"}, []string{`--email "nobody@example.org": no user`}},
		{"a token for too long", nil, []string{"user", "token", "--db", notDemo, "--days", "1000"}, []string{"--days must be from 1 to 366"}},
		{"an unknown user command", nil, []string{"user", "promote"}, []string{`"promote" is not a user command`}},
		{"an unknown audit command", nil, []string{"audit", "fix"}, []string{"the only audit command is verify"}},
		{"a bad metrics address", nil, []string{"serve", "--db", "x.db", "--metrics-addr", "9090"}, []string{`--metrics-addr "9090" is not host:port`}},
		{"metrics on the main address", nil, []string{"serve", "--db", "x.db", "--addr", "127.0.0.1:8080", "--metrics-addr", "127.0.0.1:8080"}, []string{"--metrics-addr must differ from --addr"}},
		{"a short metrics token", map[string]string{"LINKWORK_METRICS_TOKEN": "guessable"}, []string{"serve", "--db", "x.db"}, []string{"LINKWORK_METRICS_TOKEN must be at least 24 characters"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := runCLI(t, tt.env, tt.args...)
			if code != 2 {
				t.Errorf("exit status %d, want 2", code)
			}
			for _, s := range tt.says {
				if !strings.Contains(errs, s) {
					t.Errorf("stderr %q does not say %q", errs, s)
				}
			}
		})
	}
}

func TestHelpEverywhere(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"demo", "--help"}, {"serve", "-h"}, {"migrate", "--help"}, {"user", "--help"}, {"user", "add", "--help"}, {"user", "token", "--help"}, {"audit", "--help"}, {"audit", "verify", "--help"}} {
		code, out, errs := runCLI(t, nil, args...)
		if code != 0 || strings.Count(out, "Usage") != 1 || errs != "" {
			t.Errorf("%v: status %d, stdout %q, stderr %q", args, code, out, errs)
		}
	}
}

func TestUserCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "lw.db")
	if code, out, errs := runCLI(t, nil, "demo", "--db", db, "--preset", "small", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s %s", out, errs)
	}
	pw := map[string]string{"LINKWORK_PASSWORD": "a very long password"}
	code, out, errs := runCLI(t, pw, "user", "add", "--db", db, "--email", "new.worker@example.org", "--name", "New Worker", "--role", "link_worker", "--org", "Millbrook Social Prescribing Service")
	if code != 0 || !strings.Contains(out, "Added New Worker (Link worker)") {
		t.Fatalf("add: %d %s %s", code, out, errs)
	}
	code, _, errs = runCLI(t, pw, "user", "add", "--db", db, "--email", "new.worker@example.org", "--name", "Again", "--role", "link_worker", "--org", "Millbrook Social Prescribing Service")
	if code != 2 || !strings.Contains(errs, "--email: That email address already has an account") {
		t.Fatalf("duplicate: %d %s", code, errs)
	}
	code, _, errs = runCLI(t, pw, "user", "add", "--db", db, "--email", "gp.worker@example.org", "--name", "GP Worker", "--role", "link_worker", "--org", "Northfield Medical Centre")
	if code != 2 || !strings.Contains(errs, "--role: A link worker must belong to one of: Social prescribing service") {
		t.Fatalf("role mismatch: %d %s", code, errs)
	}
	code, out, _ = runCLI(t, nil, "user", "token", "--db", db, "--email", "new.worker@example.org", "--name", "case system")
	if code != 0 || !strings.HasPrefix(out, "lw_") {
		t.Fatalf("token: %d %q", code, out)
	}
	if code, out, _ = runCLI(t, nil, "user", "disable", "--db", db, "--email", "new.worker@example.org"); code != 0 || !strings.Contains(out, "Disabled") {
		t.Fatalf("disable: %d %s", code, out)
	}
	if code, out, errs = runCLI(t, nil, "audit", "verify", "--db", db); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("verify: %d %s %s", code, out, errs)
	}
	if code, out, _ = runCLI(t, nil, "migrate", "--db", db); code != 0 || !strings.Contains(out, "up to date") {
		t.Fatalf("migrate: %d %s", code, out)
	}
	t.Run("running the demo again replaces its own database", func(t *testing.T) {
		if code, out, errs := runCLI(t, nil, "demo", "--db", db, "--preset", "small", "--no-serve"); code != 0 {
			t.Fatalf("demo again: %s %s", out, errs)
		}
		code, _, errs := runCLI(t, nil, "user", "token", "--db", db, "--email", "new.worker@example.org", "--name", "x")
		if code != 2 || !strings.Contains(errs, "no user has that email") {
			t.Fatalf("the old data survived: %d %s", code, errs)
		}
	})
}

func TestAuditVerifyReportsTheFirstBrokenLink(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lw.db")
	if code, out, errs := runCLI(t, nil, "demo", "--db", path, "--preset", "small", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s %s", out, errs)
	}
	// Log some activity, then tamper with it as someone with the file would.
	runCLI(t, nil, "user", "token", "--db", path, "--email", "admin@demo.linkwork.test", "--name", "x")
	runCLI(t, nil, "user", "disable", "--db", path, "--email", "referrer@demo.linkwork.test")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_events_no_update", "UPDATE audit_events SET actor_id = 'someone else' WHERE seq = 2"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	code, _, errs := runCLI(t, nil, "audit", "verify", "--db", path)
	if code != 1 || !strings.Contains(errs, "the audit chain is broken at event 2") {
		t.Fatalf("status %d, stderr %q", code, errs)
	}
}
