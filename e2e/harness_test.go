package e2e

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestTheHarnessSeesConsoleErrorsAndCSPViolations proves that the check
// every tab makes when its test ends is not vacuous: a page that breaks
// the same Content-Security-Policy as ours, logs an error and throws is
// caught on all three counts.
func TestTheHarnessSeesConsoleErrorsAndCSPViolations(t *testing.T) {
	const csp = "default-src 'self'; script-src 'self'; style-src 'self'"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", csp)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html lang="en"><head><title>bad</title>
<style>body { color: red }</style>
<script>console.log("inline script ran")</script>
<script src="/bad.js"></script>
</head><body><p id="done">done</p></body></html>`))
	})
	mux.HandleFunc("GET /bad.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		w.Write([]byte(`console.error("a console error"); throw new Error("an uncaught error");`))
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	ts := httptest.NewServer(mux)
	defer ts.Close()

	tb := newTab(t, ts.URL)
	tb.run("open the bad page", chromedp.Navigate(ts.URL+"/"), chromedp.WaitVisible(chromedp.CSS("#done")))
	want := map[string]string{
		"inline script blocked by CSP": "script-src",
		"inline style blocked by CSP":  "style-src",
		"console.error":                "a console error",
		"uncaught exception":           "an uncaught error",
	}
	eval[bool](tb, "true") // a round trip, so that the events of the load have arrived
	problems := tb.takeProblems()
	all := strings.Join(problems, "\n")
	for what, text := range want {
		if !strings.Contains(all, text) {
			t.Errorf("the harness missed the %s (no %q in what it saw):\n%s", what, text, all)
		}
	}
	t.Logf("the harness saw:\n%s", all)
}

func TestFindChromiumHonoursLINKWORK_CHROMIUM(t *testing.T) {
	dir := t.TempDir()
	exe := filepath.Join(dir, "my-chromium")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(envChromium, exe)
	if got, why := findChromium(); got != exe {
		t.Errorf("with %s=%s, findChromium() = %q (%s)", envChromium, exe, got, why)
	}
	notExe := filepath.Join(dir, "not-executable")
	if err := os.WriteFile(notExe, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{notExe, dir, filepath.Join(dir, "missing")} {
		t.Setenv(envChromium, p)
		if got, why := findChromium(); got != "" || !strings.Contains(why, p) {
			t.Errorf("with %s=%s, findChromium() = %q, %q; want none, and why", envChromium, p, got, why)
		}
	}
}
