package main

import (
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

// testAuditKey is an audit key, 64 hex digits as openssl rand -hex 32 makes.
const testAuditKey = "5f1c0e9a7b3d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4"

func TestAuditKeyOnTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "audit.key")
	if err := os.WriteFile(keyFile, []byte(testAuditKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	keyEnv := map[string]string{"LINKWORK_AUDIT_KEY": testAuditKey}
	db := "sqlite:" + filepath.Join(dir, "keyed.db")
	if code, out, errs := runCLI(t, keyEnv, "demo", "--db", db, "--preset", "small", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s %s", out, errs)
	}
	plain := "sqlite:" + filepath.Join(dir, "plain.db")
	if code, out, errs := runCLI(t, nil, "demo", "--db", plain, "--preset", "small", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s %s", out, errs)
	}
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		says string
	}{
		{"a keyed trail verifies with its key", nil, []string{"audit", "verify", "--db", db, "--audit-key-file", keyFile}, 0, "It is keyed from its first event."},
		{"and with the key in the environment", keyEnv, []string{"audit", "verify", "--db", db}, 0, "It is keyed from its first event."},
		{"a keyed trail does not verify without its key", nil, []string{"audit", "verify", "--db", db}, 2, "The audit trail is keyed from event 1: give the audit key"},
		{"nor with another", map[string]string{"LINKWORK_AUDIT_KEY": strings.Repeat("x", 40)}, []string{"audit", "verify", "--db", db}, 1, "keyed hash does not match"},
		{"a command cannot add to a keyed trail without its key", nil, []string{"user", "token", "--db", db, "--email", "admin@demo.linkwork.test", "--name", "x"}, 2, "the audit trail is keyed, and no audit key was given: give it with --audit-key-file or LINKWORK_AUDIT_KEY"},
		{"nor with another key", map[string]string{"LINKWORK_AUDIT_KEY": strings.Repeat("x", 40)}, []string{"user", "token", "--db", db, "--email", "admin@demo.linkwork.test", "--name", "x"}, 2, "the audit key given is not the one"},
		{"nor can a server start", nil, []string{"serve", "--db", db}, 2, "no audit key was given: give it with --audit-key-file"},
		{"a short key is refused", map[string]string{"LINKWORK_AUDIT_KEY": "short"}, []string{"user", "token", "--db", db, "--email", "admin@demo.linkwork.test", "--name", "x"}, 2, "LINKWORK_AUDIT_KEY is 5 bytes; the audit key must be at least 32"},
		{"a key given twice is refused", keyEnv, []string{"serve", "--db", db, "--audit-key-file", keyFile}, 2, "the audit key is given twice"},
		{"an anchor needs the key", nil, []string{"serve", "--db", plain, "--audit-anchor", filepath.Join(dir, "anchor")}, 2, "--audit-anchor needs the audit key"},
		{"an unkeyed trail says what it shows", nil, []string{"audit", "verify", "--db", plain}, 0, "It is not keyed, so this shows accidental change only"},
		{"a key given to verify keys nothing", keyEnv, []string{"audit", "verify", "--db", plain}, 1, "no linkwork has run with this key yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errs := runCLI(t, tt.env, tt.args...)
			if code != tt.code || !strings.Contains(out+errs, tt.says) {
				t.Fatalf("exit %d, want %d saying %q:\n%s%s", code, tt.code, tt.says, out, errs)
			}
		})
	}
	t.Run("a command with the key keys an unkeyed trail from then on", func(t *testing.T) {
		if code, out, errs := runCLI(t, keyEnv, "user", "token", "--db", plain, "--email", "admin@demo.linkwork.test", "--name", "x"); code != 0 {
			t.Fatalf("%s %s", out, errs)
		}
		code, out, errs := runCLI(t, keyEnv, "audit", "verify", "--db", plain)
		if code != 0 || !strings.Contains(out, "It is keyed from event ") {
			t.Fatalf("%d %s %s", code, out, errs)
		}
	})
}

// TestServeAnchorsTheAuditTrail runs the server with an audit key and an
// anchor file, then cuts events from the end of the chain, as someone with
// the database (but not the anchor) would: verifying against the anchor
// shows it.
func TestServeAnchorsTheAuditTrail(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes; skipped with -short")
	}
	dir := t.TempDir()
	keyFile, anchor := filepath.Join(dir, "audit.key"), filepath.Join(dir, "audit.anchor")
	if err := os.WriteFile(keyFile, []byte(testAuditKey), 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "lw.db")
	if code, out, errs := runCLI(t, map[string]string{"LINKWORK_AUDIT_KEY": testAuditKey}, "demo", "--db", path, "--preset", "small", "--no-serve"); code != 0 {
		t.Fatalf("demo: %s %s", out, errs)
	}
	s := startServeWith(t, nil, "--db", "sqlite:"+path, "--audit-key-file", keyFile, "--audit-anchor", anchor)
	// Something to audit: a failed sign-in.
	resp, err := http.PostForm(s.url+"/login", url.Values{"email": {"admin@demo.linkwork.test"}, "password": {"not the password"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, s.stderr)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop")
	}
	f, err := os.Open(anchor)
	if err != nil {
		t.Fatal(err)
	}
	checkpoints, err := linkwork.ParseAuditAnchor(f)
	f.Close()
	if err != nil || len(checkpoints) < 2 {
		t.Fatalf("the anchor holds %d checkpoints (%v): want one at the start and one at shutdown", len(checkpoints), err)
	}
	key := map[string]string{"LINKWORK_AUDIT_KEY": testAuditKey}
	code, out, errs := runCLI(t, key, "audit", "verify", "--db", path, "--audit-anchor", anchor)
	if code != 0 || !strings.Contains(out, "Each of the anchor's") {
		t.Fatalf("an intact chain with its anchor: %d %s %s", code, out, errs)
	}
	// Cut the last events (the failed sign-in and after) and set the head
	// to match.
	last := checkpoints[len(checkpoints)-1]
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"DROP TRIGGER audit_events_no_delete", "DELETE FROM audit_events WHERE seq > (SELECT seq - 3 FROM audit_head)",
		"UPDATE audit_head SET seq = (SELECT MAX(seq) FROM audit_events), hash = (SELECT hash FROM audit_events ORDER BY seq DESC LIMIT 1)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	t.Run("a server started on the cut chain refuses to anchor it", func(t *testing.T) {
		st, err := sqlstore.Open(t.Context(), "sqlite:"+path, sqlstore.Options{AuditKey: []byte(testAuditKey)})
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		a, err := openAnchor(anchor, sqlstore.NewAuditService(st))
		if err != nil {
			t.Fatal(err)
		}
		n, err := a.checkpoint(linkwork.NewContext(t.Context(), linkwork.SystemActor("test")))
		if n != 0 || err == nil || !strings.Contains(err.Error(), "events have been removed from the end") {
			t.Fatalf("wrote %d: %v", n, err)
		}
	})
	code, _, errs = runCLI(t, key, "audit", "verify", "--db", path, "--audit-anchor", anchor)
	if code != 1 || !strings.Contains(errs, "events have been removed from the end") || !strings.Contains(errs, "the anchor recorded event "+strconv.FormatInt(last.Seq, 10)) {
		t.Fatalf("with the anchor: %d %s", code, errs)
	}
	// What the anchor is for: a keyed chain alone does not show the cut.
	if code, out, errs := runCLI(t, key, "audit", "verify", "--db", path); code != 0 {
		t.Fatalf("without the anchor: %d %s %s", code, out, errs)
	}
}
