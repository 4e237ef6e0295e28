package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/orukio"
)

// TestACoordinatorMovesTheDirectoryAsATabularPackage: the coordinator goes from the curator's dashboard to the import page,
// downloads the directory as a tabular data package, renames a listing
// in it and uploads it (the listing is updated); then uploads a package
// whose service names an organisation it does not hold, and is told the
// file, row and column, with nothing imported. The page passes axe and fits 320px and 390px
// phones.
func TestACoordinatorMovesTheDirectoryAsATabularPackage(t *testing.T) {
	s := newSite(t)
	coLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	// The journey downloads the whole directory and sends two packages
	// back, each checked for accessibility: more than one tab's minute on
	// a busy machine (it once took 61.7 s in CI).
	tb := newTabWithin(t, s.URL, 3*time.Minute)
	tb.signIn(coLogin.Email, s.cfg.Password)
	tb.run("wait for the coordinator's home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/directory/curate")
	tb.run("open the import page", chromedp.Click(chromedp.CSS("[data-testid=directory-import]")))
	tb.textWith("h1", "Import and export the directory")
	tb.axeCheck("the directory's import page")
	tb.fitsPhones("the directory's import page")

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
	tb.run("download the package", chromedp.Click(chromedp.CSS("[data-testid=package-download]")))
	var p cdpbrowser.EventDownloadProgress
	select {
	case p = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("the download did not finish")
	case <-tb.ctx.Done():
		t.Fatal("the tab ended before the download finished")
	}
	if p.State != cdpbrowser.DownloadProgressStateCompleted {
		t.Fatalf("the download ended %s", p.State)
	}
	pkg, err := orukio.ReadTabularFile(filepath.Join(dir, p.GUID))
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.Services) == 0 {
		t.Fatal("the package holds no services")
	}

	write := func(name string, p orukio.Package) string {
		t.Helper()
		var b bytes.Buffer
		if err := orukio.WriteTabular(&b, p, time.Now()); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	sv := pkg.Services[0]
	sv.Name += " (renamed)"
	renamed := write("renamed.zip", orukio.Package{Services: append(pkg.Services[:0:0], sv)})
	tb.run("upload the package with the listing renamed",
		chromedp.SetUploadFiles(chromedp.CSS("#package"), []string{renamed}),
		chromedp.Click(chromedp.CSS("[data-testid=package-import]")))
	tb.textWith("[data-testid=updated]", "1")
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("e2e"))
	if a, err := s.svc.Assets.FindAssetByID(sys, sv.ID); err != nil || a.Name != sv.Name {
		t.Errorf("after the upload the listing is %+v (%v), want it called %q", a, err, sv.Name)
	}

	broken := sv
	broken.Name += " again"
	broken.Organization, broken.OrganizationID = nil, "no-such-organisation"
	bad := write("broken.zip", orukio.Package{Services: append(pkg.Services[:0:0], broken)})
	tb.expectStatus("/directory/import", 422)
	tb.run("upload a package with a broken link",
		chromedp.SetUploadFiles(chromedp.CSS("#package"), []string{bad}),
		chromedp.Click(chromedp.CSS("[data-testid=package-import]")))
	tb.textWith(".govuk-error-summary", `service.csv, row 2, column organization_id: there is no organization with the id "no-such-organisation"`)
	tb.axeCheck("the directory's import page with errors")
	if a, err := s.svc.Assets.FindAssetByID(sys, sv.ID); err != nil || a.Name != sv.Name {
		t.Errorf("the refused package changed the listing to %q (%v)", a.Name, err)
	}
}
