package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

const (
	// envChromium names the browser binary to use, overriding the search.
	envChromium = "LINKWORK_CHROMIUM"
	// envArtifacts names the directory for failure screenshots and HTML.
	envArtifacts = "LINKWORK_E2E_ARTIFACTS"
	// tabTimeout bounds everything one test does in its tab.
	tabTimeout = 60 * time.Second
)

// TestMain stops the shared browser, if a test started it, when the tests
// are done.
func TestMain(m *testing.M) {
	code := m.Run()
	stopBrowser()
	os.Exit(code)
}

// findChromium returns the path of a Chromium (or Chrome) binary, or "" and
// why none was found. LINKWORK_CHROMIUM, when set, is the only candidate.
func findChromium() (path, why string) {
	if p := os.Getenv(envChromium); p != "" {
		if isExecutable(p) {
			return p, ""
		}
		return "", fmt.Sprintf("%s=%q is not an executable file", envChromium, p)
	}
	if isExecutable("/usr/bin/chromium") {
		return "/usr/bin/chromium", ""
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome-stable", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, ""
		}
	}
	return "", "no /usr/bin/chromium, and none of chromium, chromium-browser, google-chrome-stable or google-chrome on PATH"
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

var skipOnce sync.Once

// requireChromium returns the browser's path. Without one it skips the test
// (saying so once per test binary), or fails it under LINKWORK_E2E=1.
func requireChromium(t *testing.T) string {
	t.Helper()
	path, why := findChromium()
	if path != "" {
		return path
	}
	if os.Getenv(sqltest.EnvE2E) == "1" {
		t.Fatalf("%s=1 but no Chromium was found (%s): install Debian's chromium or set %s", sqltest.EnvE2E, why, envChromium)
	}
	skipOnce.Do(func() {
		fmt.Fprintf(os.Stderr, "e2e: no Chromium found; browser tests are skipped (install Debian's chromium or set %s)\n", envChromium)
		if os.Getenv(envChromium) != "" {
			fmt.Fprintf(os.Stderr, "e2e: %s\n", why)
		}
	})
	t.Skipf("no Chromium found: %s", why)
	return ""
}

// The shared browser: one Chromium per test binary, started by the first
// test that needs it. Each test gets its own tab in its own browser context
// (its own cookies).
var browser struct {
	once sync.Once
	ctx  context.Context // the browser's chromedp context; tabs are its children
	err  error
	stop func()
}

// lockedBuffer collects the browser's output, for a failure to start.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.buf.Len() > 64<<10 {
		return len(p), nil
	}
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func sharedBrowser(path string) (context.Context, error) {
	browser.once.Do(func() {
		dir, err := os.MkdirTemp("", "linkwork-e2e-chromium-")
		if err != nil {
			browser.err = err
			return
		}
		var out lockedBuffer
		opts := append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(path),
			chromedp.UserDataDir(dir),
			chromedp.Headless,
			chromedp.NoSandbox,
			chromedp.DisableGPU,
			chromedp.NoFirstRun,
			chromedp.Flag("disable-quic", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.WindowSize(1280, 1024),
			chromedp.CombinedOutput(&out),
		)
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelCtx := chromedp.NewContext(allocCtx)
		browser.stop = func() {
			cancelCtx()
			cancelAlloc()
			os.RemoveAll(dir)
		}
		// The first run starts the browser; it lives as long as ctx.
		if err := chromedp.Do(ctx); err != nil {
			browser.err = fmt.Errorf("start %s: %w\n%s", path, err, out.String())
			return
		}
		browser.ctx = ctx
	})
	return browser.ctx, browser.err
}

func stopBrowser() {
	if browser.stop != nil {
		browser.stop()
	}
}

// tab is one browser tab for one test, on one server.
type tab struct {
	t    *testing.T
	ctx  context.Context // the tab's context, bounded by tabTimeout
	base string          // the server's URL, without a trailing slash
	dir  string          // where to save screenshots and HTML

	mu       sync.Mutex
	problems []string         // console errors, exceptions, CSP violations
	notes    []string         // things worth knowing that do not fail the test
	expected []expectedStatus // HTTP error statuses the test means to cause
}

type expectedStatus struct {
	path   string
	status int
}

// newTab opens a tab for the test against the server at base. The tab has
// its own cookies. When the test ends, any console error, uncaught
// exception or CSP violation the tab saw fails the test, and a failed test
// leaves a screenshot and the page's HTML behind.
func newTab(t *testing.T, base string) *tab {
	t.Helper()
	return newTabWithin(t, base, tabTimeout)
}

// newTabWithin is newTab for a test that does more in its tab than a
// journey does, bounded by within.
func newTabWithin(t *testing.T, base string, within time.Duration) *tab {
	t.Helper()
	path := requireChromium(t)
	bctx, err := sharedBrowser(path)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	dir := artifactsDir(t)
	tabCtx, cancelTab := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancelTab)
	if err := chromedp.Do(tabCtx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	tb := &tab{t: t, base: strings.TrimSuffix(base, "/")}
	if err := chromedp.Listen(tabCtx, tb.onEvent); err != nil {
		t.Fatalf("listen to the tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tabCtx, within)
	t.Cleanup(cancel)
	tb.ctx = ctx
	tb.dir = dir
	t.Cleanup(func() {
		tb.failOnProblems()
		if t.Failed() {
			tb.saveArtifacts(tabCtx, "")
		}
	})
	return tb
}

func artifactsDir(t *testing.T) string {
	if d := os.Getenv(envArtifacts); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("%s: %v", envArtifacts, err)
		}
		return d
	}
	return t.TempDir()
}

// onEvent runs in the tab's event loop: it must be quick and run no command.
func (tb *tab) onEvent(ev any) {
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		// GOV.UK Frontend reports a component that failed to start with
		// console.log(error), so an Error object logged at any level counts.
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert || hasError(ev.Args) {
			tb.report("console.%s at %s: %s", ev.Type, stackURL(ev.StackTrace), argsText(ev.Args))
		}
	case *runtime.EventExceptionThrown:
		tb.report("uncaught exception: %s", exceptionText(ev.ExceptionDetails))
	case *log.EventEntryAdded:
		e := ev.Entry
		if e == nil || e.Level != log.EntryLevelError || tb.isExpected(e) {
			return
		}
		if e.Source == log.EntrySourceNetwork && strings.HasSuffix(e.URL, "/favicon.ico") {
			// The browser asks for /favicon.ico by itself, and the layout
			// names no icon. Not a page error, but worth knowing.
			tb.note("the browser's own request for %s failed: %s", e.URL, e.Text)
			return
		}
		tb.report("browser %s error at %s: %s", e.Source, e.URL, e.Text)
	}
}

func (tb *tab) report(format string, args ...any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.problems = append(tb.problems, fmt.Sprintf(format, args...))
}

func (tb *tab) note(format string, args ...any) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.notes = append(tb.notes, fmt.Sprintf(format, args...))
}

// expectStatus says the test means to get an HTTP error status from a
// path (such as 401 from a wrong password), so the browser's "Failed to
// load resource" entry for it is not a problem.
func (tb *tab) expectStatus(path string, status int) {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	tb.expected = append(tb.expected, expectedStatus{path, status})
}

func (tb *tab) isExpected(e *log.Entry) bool {
	if e.Source != log.EntrySourceNetwork {
		return false
	}
	u, err := url.Parse(e.URL)
	if err != nil {
		return false
	}
	tb.mu.Lock()
	defer tb.mu.Unlock()
	for _, x := range tb.expected {
		if u.Path == x.path && strings.Contains(e.Text, fmt.Sprintf("status of %d ", x.status)) {
			return true
		}
	}
	return false
}

// takeProblems returns the problems seen so far and forgets them.
func (tb *tab) takeProblems() []string {
	tb.mu.Lock()
	defer tb.mu.Unlock()
	p := tb.problems
	tb.problems = nil
	return p
}

func (tb *tab) failOnProblems() {
	tb.mu.Lock()
	notes := tb.notes
	tb.mu.Unlock()
	for _, n := range notes {
		tb.t.Logf("note: %s", n)
	}
	for _, p := range tb.takeProblems() {
		tb.t.Errorf("browser reported a problem: %s", p)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// saveArtifacts saves a full-page screenshot and the HTML of the page,
// named after the test and the label.
func (tb *tab) saveArtifacts(tabCtx context.Context, label string) {
	ctx, cancel := context.WithTimeout(tabCtx, 15*time.Second)
	defer cancel()
	name := tb.t.Name()
	if label != "" {
		name += "-" + label
	}
	name = unsafeName.ReplaceAllString(name, "_") + "-" + time.Now().Format("150405.000")
	dir := tb.dir
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err != nil {
		tb.t.Logf("no screenshot: %v", err)
	} else if p := filepath.Join(dir, name+".png"); os.WriteFile(p, png, 0o644) == nil {
		tb.t.Logf("screenshot of %s: %s", loc, p)
	}
	if html, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`)); err != nil {
		tb.t.Logf("no HTML: %v", err)
	} else if p := filepath.Join(dir, name+".html"); os.WriteFile(p, []byte(html), 0o644) == nil {
		tb.t.Logf("HTML of %s: %s", loc, p)
	}
	if os.Getenv(envArtifacts) == "" {
		tb.t.Logf("(these are removed with the test's temporary directory; set %s to keep them)", envArtifacts)
	}
}

// snapshot saves a screenshot and the HTML of the page now, to show a
// failure on a page the test then leaves.
func (tb *tab) snapshot(label string) { tb.saveArtifacts(tb.ctx, label) }

// run runs the actions in the tab, one after another, failing the test on
// an error. An action that meets a node DevTools no longer knows (the
// document was replaced while the browser was settling it after a
// navigation) failed before it did anything (the node is looked up
// before it is clicked or typed into), so it is asked again of the
// loaded page, for a few seconds.
func (tb *tab) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	for _, a := range actions {
		deadline := time.Now().Add(5 * time.Second)
		for {
			err := chromedp.Do(tb.ctx, a)
			if err == nil {
				break
			}
			if !staleNode(err) || time.Now().After(deadline) {
				tb.t.Fatalf("%s: %v", what, err)
			}
			// A navigation under way ends the wait early; the loop asks again.
			_, _ = chromedp.Run(tb.ctx, chromedp.Poll[chromedp.Void](`document.readyState === "complete"`, chromedp.WithPollingTimeout(time.Until(deadline))))
		}
	}
}

// staleNode reports whether err is DevTools not knowing a node id it
// handed out, because the document holding it has been replaced.
func staleNode(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "node with given id") || strings.Contains(msg, "Node is detached from document")
}

// pageStarted is true once the page has loaded and linkwork.js has
// started GOV.UK Frontend (it adds the class just before initAll).
const pageStarted = `document.readyState === "complete" && document.body.classList.contains("govuk-frontend-supported")`

// settled waits until the page has loaded and its scripts have started
// (GOV.UK Frontend's components change the page as they start): typing
// into a page before then can lose keys or reach a node the page has
// just replaced.
func (tb *tab) settled() {
	tb.t.Helper()
	tb.waitUntil("the page's scripts to start", pageStarted, 10*time.Second)
}

// open loads a path of the server and waits for the document.
func (tb *tab) open(path string) {
	tb.t.Helper()
	tb.run("open "+path, chromedp.Navigate(tb.base+path), chromedp.WaitReady(chromedp.CSS("body")))
}

// path returns the path (and query) of the page the tab shows.
func (tb *tab) path() string {
	tb.t.Helper()
	loc := get(tb, "location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		tb.t.Fatalf("location %q: %v", loc, err)
	}
	return u.RequestURI()
}

// visibleText is a page function returning, once the first element the
// selector matches is visible, its visible text in a one-item array (so
// that an empty text still ends the poll).
const visibleText = `(sel) => {
	const e = document.querySelector(sel);
	return e && (e.offsetWidth || e.offsetHeight || e.getClientRects().length) ? [e.innerText] : null;
}`

// text waits for the element to be visible and returns its visible text,
// trimmed. It asks the page itself rather than holding DevTools node ids,
// which a document still settling after a navigation can invalidate
// between finding the element and reading it; a poll the page's own
// navigation ends is asked again of the new page.
func (tb *tab) text(sel string) string {
	tb.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := chromedp.Run(tb.ctx, chromedp.PollFunction[[]string](visibleText,
			chromedp.WithPollingArgs(sel), chromedp.WithPollingInterval(20*time.Millisecond),
			chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil && len(got) == 1 {
			return strings.TrimSpace(got[0])
		}
		if err == nil || errors.Is(err, chromedp.ErrPollingTimeout) || tb.ctx.Err() != nil || time.Now().After(deadline) {
			tb.t.Fatalf("text of %s: %v", sel, err)
		}
	}
}

// textWith waits until the element's visible text holds want (after a
// form is sent, the page that answers it does) and returns the text; it
// fails, showing the text, when it does not within 30 seconds.
func (tb *tab) textWith(sel, want string) string {
	tb.t.Helper()
	const holding = `(sel, want) => {
	const e = document.querySelector(sel);
	return e && e.innerText.includes(want) ? [e.innerText] : null;
}`
	deadline := time.Now().Add(30 * time.Second)
	for {
		got, err := chromedp.Run(tb.ctx, chromedp.PollFunction[[]string](holding,
			chromedp.WithPollingArgs(sel, want), chromedp.WithPollingInterval(20*time.Millisecond),
			chromedp.WithPollingTimeout(time.Until(deadline))))
		if err == nil && len(got) == 1 {
			return strings.TrimSpace(got[0])
		}
		if err == nil || errors.Is(err, chromedp.ErrPollingTimeout) || tb.ctx.Err() != nil || time.Now().After(deadline) {
			tb.t.Fatalf("%s never said %q; it says:\n%s", sel, want, tb.text(sel))
		}
	}
}

// get runs an action that returns a value, failing the test on an error.
func get[T any](tb *tab, what string, a chromedp.Action[T]) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, a)
	if err != nil {
		tb.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](tb *tab, expr string) T {
	tb.t.Helper()
	return get(tb, expr, chromedp.Evaluate[T](expr))
}

// waitUntil waits, up to within, for a JavaScript expression to be true.
func (tb *tab) waitUntil(what, expr string, within time.Duration) {
	tb.t.Helper()
	_, err := chromedp.Run(tb.ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingTimeout(within)))
	if err != nil {
		tb.t.Fatalf("%s (waited %s for %s): %v", what, within, expr, err)
	}
}

func hasError(args []*runtime.RemoteObject) bool {
	for _, a := range args {
		if a != nil && a.Subtype == runtime.RemoteObjectSubtypeError {
			return true
		}
	}
	return false
}

func argsText(args []*runtime.RemoteObject) string {
	var parts []string
	for _, a := range args {
		if a == nil {
			continue
		}
		switch {
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, strings.Trim(string(a.Value), `"`))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

func stackURL(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return "?"
	}
	f := st.CallFrames[0]
	return fmt.Sprintf("%s:%d", f.URL, f.LineNumber+1)
}

func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "?"
	}
	s := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		s += " " + d.Exception.Description
	}
	return fmt.Sprintf("%s (%s:%d)", s, d.URL, d.LineNumber+1)
}
