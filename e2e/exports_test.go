package e2e

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// TestACoordinatorDownloadsTheEvaluationDataset gives an evaluator the
// service's dataset on a 320px phone. A young person is referred by the
// GP and supported; the coordinator finds the export under More, sends
// the form without its agreement and is told what is missing, then fills
// it in and downloads the file: its header is the data dictionary's
// columns, as the page lists them, and nowhere does it name the young
// person or give their phone number. Then the PRSB report, from its
// page: a zip of the standard's four parts, each with its dictionary's
// columns, naming nobody either. A link worker is refused the page.
func TestACoordinatorDownloadsTheEvaluationDataset(t *testing.T) {
	s := newSite(t)
	coLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	outcomeCase(t, s, s.user(t, lwLogin.Email), "Outcomewell")

	tb := newTab(t, s.URL)
	tb.run("emulate a 320px phone", chromedp.EmulateViewport(320, 800, chromedp.EmulateScale(2)))
	tb.signIn(coLogin.Email, s.cfg.Password)
	tb.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/more")
	tb.run("open the evaluation export", chromedp.Click(chromedp.CSS(`[data-testid=more-links] a[href="/exports/evaluation"]`)))
	tb.textWith("h1", "Evaluation export")
	columns := eval[[]string](tb, `[...document.querySelectorAll("[data-testid=evaluation-dictionary] tbody th code")].map(c => c.textContent)`)
	if len(columns) < 20 {
		t.Fatalf("the dictionary lists %d columns", len(columns))
	}
	if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the export page scrolls sideways at 320px: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}

	tb.expectStatus("/exports/evaluation", 422)
	tb.run("send the form without the agreement",
		chromedp.SendKeys(chromedp.CSS("#recipient"), "Millbrook University"),
		chromedp.SendKeys(chromedp.CSS("#purpose"), "Evaluating the first year"),
		chromedp.Click(chromedp.CSS("[data-testid=evaluation-form] button")))
	tb.textWith(".govuk-error-summary", "Enter the reference of the data-sharing agreement")

	dir := t.TempDir()
	done := make(chan cdpbrowser.EventDownloadProgress, 1)
	chromedp.ListenBrowser(tb.ctx, func(ev any) {
		if p, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && (p.State == cdpbrowser.DownloadProgressStateCompleted || p.State == cdpbrowser.DownloadProgressStateCanceled) {
			select {
			case done <- *p:
			default:
			}
		}
	})
	if _, err := chromedp.CallBrowser(tb.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true),
		BrowserContextID: chromedp.FromContext(tb.ctx).BrowserContextID}); err != nil {
		t.Fatalf("save downloads to a folder of the test's own: %v", err)
	}
	tb.run("fill in the agreement and download",
		chromedp.SendKeys(chromedp.CSS("#agreement"), "DSA-2026-07"),
		chromedp.Click(chromedp.CSS("[data-testid=evaluation-form] button")))
	var p cdpbrowser.EventDownloadProgress
	select {
	case p = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the download did not finish")
	case <-tb.ctx.Done():
		t.Fatal("the tab ended before the download finished")
	}
	if p.State != cdpbrowser.DownloadProgressStateCompleted {
		t.Fatalf("the download ended %s", p.State)
	}
	b, err := os.ReadFile(filepath.Join(dir, p.GUID))
	if err != nil {
		t.Fatal(err)
	}
	records, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil || len(records) < 2 {
		t.Fatalf("the file is not a dataset (%v): %q", err, b)
	}
	if got, want := strings.Join(records[0], ","), strings.Join(columns, ","); got != want {
		t.Errorf("the file's columns are\n  %s\nthe dictionary's\n  %s", got, want)
	}
	for _, secret := range []string{"Outcomewell", "Alex", "07700 900561", "LS9 1AA"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the file holds %q", secret)
		}
	}

	// The PRSB report, from its own page under More: a zip of a CSV
	// for each of the standard's four parts, each with the columns its
	// dictionary lists, and the dictionary beside them.
	tb.open("/more")
	tb.run("open the PRSB report", chromedp.Click(chromedp.CSS(`[data-testid=more-links] a[href="/exports/prsb"]`)))
	tb.textWith("h1", "PRSB social prescribing report")
	parts := eval[map[string][]string](tb, `Object.fromEntries([...document.querySelectorAll("[data-testid=prsb-dictionary]")].map(t => [t.dataset.part, [...t.querySelectorAll("tbody th code")].map(c => c.textContent)]))`)
	if len(parts) != 4 {
		t.Fatalf("the page's dictionary has %d parts: %v", len(parts), parts)
	}
	if o := eval[overflow](tb, readOverflow); o.ScrollWidth > o.InnerWidth {
		t.Errorf("the PRSB page scrolls sideways at 320px: %dpx in %dpx:\n  %s", o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
	}
	tb.axeCheck("/exports/prsb")
	tb.run("fill in the form and download the report",
		chromedp.SendKeys(chromedp.CSS("#agreement"), "DSA-2026-07"),
		chromedp.SendKeys(chromedp.CSS("#recipient"), "NHS England"),
		chromedp.SendKeys(chromedp.CSS("#purpose"), "The national return"),
		chromedp.Click(chromedp.CSS("[data-testid=prsb-form] button")))
	select {
	case p = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the report's download did not finish")
	case <-tb.ctx.Done():
		t.Fatal("the tab ended before the report's download finished")
	}
	if p.State != cdpbrowser.DownloadProgressStateCompleted {
		t.Fatalf("the report's download ended %s", p.State)
	}
	zb, err := os.ReadFile(filepath.Join(dir, p.GUID))
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(zb), int64(len(zb)))
	if err != nil {
		t.Fatalf("the report is not a zip file: %v", err)
	}
	found := map[string]bool{}
	for _, f := range z.File {
		found[f.Name] = true
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"Outcomewell", "Alex", "07700 900561", "LS9 1AA"} {
			if strings.Contains(string(body), secret) {
				t.Errorf("%s holds %q", f.Name, secret)
			}
		}
		part, ok := strings.CutSuffix(f.Name, ".csv")
		if columns, listed := parts[part]; ok && listed {
			records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil || len(records) < 2 {
				t.Errorf("%s is not a table with rows (%v)", f.Name, err)
			} else if got, want := strings.Join(records[0], ","), strings.Join(columns, ","); got != want {
				t.Errorf("%s's columns are\n  %s\nthe dictionary's\n  %s", f.Name, got, want)
			}
		}
	}
	for _, name := range []string{"demographics.csv", "needs_and_concerns.csv", "support_offered.csv", "outcomes.csv", "dictionary.csv", "notes.txt"} {
		if !found[name] {
			t.Errorf("the report has no %s", name)
		}
	}
	tb.signOut()

	tb.signIn(lwLogin.Email, s.cfg.Password)
	tb.run("wait for the link worker's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.expectStatus("/exports/evaluation", 403)
	tb.open("/exports/evaluation")
	tb.textWith("h1", "You cannot see this page")
}
