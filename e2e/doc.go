// Package e2e holds linkwork's browser tests: a real Chromium, driven with
// chromedp, against an in-process server over a fresh SQLite database
// loaded with the "small" demo city.
//
// The tests need Chromium: $LINKWORK_CHROMIUM when set (and then only
// that), else /usr/bin/chromium, else chromium, chromium-browser,
// google-chrome-stable or google-chrome on PATH. Without one they are
// skipped, or fail when LINKWORK_E2E=1. On Debian: apt-get install -y
// chromium.
//
//	go test ./e2e/ -v -count=1
//
// When a test fails it saves a full-page screenshot and the page's HTML in
// $LINKWORK_E2E_ARTIFACTS (by default the test's temporary directory, which
// is removed when the test ends) and logs where. Any console error (or
// Error object logged, which is how GOV.UK Frontend reports a component
// that failed to start), uncaught exception, Content-Security-Policy
// violation or failed request on our pages fails the test that caused it,
// except the HTTP error statuses a test says it expects (a wrong password's
// 401) and the browser's own request for /favicon.ico, which is only noted.
//
// TestEveryPageMeetsWCAG22AAAndFitsAPhone walks, as a visitor and as each
// demo role, one page of every kind they can reach by links (and forms
// sent empty, showing their errors), runs axe-core's WCAG 2.0-2.2 A and
// AA rules on each (axe-core is vendored in testdata/axe-core, for the
// tests only) and fails on any finding not on its short allow-list, and
// fails any page wider than a window 320 or 390 pixels wide.
//
// The tests share one browser per test binary and run one at a time: the
// machines they run on are small.
package e2e
