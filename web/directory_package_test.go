package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/orukio"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// upload is a multipart form sending file as the field "package".
func upload(t *testing.T, file []byte) (string, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	if file != nil {
		w, err := mw.CreateFormFile("package", "directory.zip")
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(file)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return mw.FormDataContentType(), b.String()
}

// A curator downloads the directory as a tabular data package from the
// import page's link, and uploads one to update listings: the same
// package again changes nothing, and a package with a broken link between
// its tables imports nothing and names the file, row and column.
func TestTheDirectoryPackageDownloadsAndUploads(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		co := f.clients[linkwork.RoleCoordinator]
		status, page, _ := f.do(co, "GET", "/directory/curate", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, `href="/directory/import"`) {
			t.Fatalf("the curator's dashboard (%d) has no link to the import page", status)
		}
		status, page, _ = f.do(co, "GET", "/directory/import", "", "", nil)
		if status != http.StatusOK || !strings.Contains(page, `href="/api/v1/directory/package.zip"`) || !strings.Contains(page, `enctype="multipart/form-data"`) {
			t.Fatalf("the import page (%d) has no download link or upload form", status)
		}

		status, zip, hdr := f.do(co, "GET", "/api/v1/directory/package.zip", "", "", nil)
		if status != http.StatusOK || hdr.Get("Content-Type") != "application/zip" || !strings.HasPrefix(hdr.Get("Content-Disposition"), `attachment; filename="directory-`) {
			t.Fatalf("download: %d %s %s", status, hdr.Get("Content-Type"), hdr.Get("Content-Disposition"))
		}
		pkg, err := orukio.ReadTabularZip(strings.NewReader(zip), int64(len(zip)))
		if err != nil {
			t.Fatal(err)
		}
		if len(pkg.Services) < 50 {
			t.Fatalf("the package holds %d services", len(pkg.Services))
		}

		// One listing, renamed, as a package of its own.
		s := pkg.Services[0]
		s.Name += " (renamed)"
		var one bytes.Buffer
		if err := orukio.WriteTabular(&one, orukio.Package{Services: append(pkg.Services[:0:0], s)}, time.Now()); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"updated", "unchanged"} {
			ct, body := upload(t, one.Bytes())
			status, page, _ := f.do(co, "POST", "/directory/import", ct, body, nil)
			if status != http.StatusOK || !strings.Contains(page, `data-testid="`+want+`">1<`) {
				t.Fatalf("uploading the package, want 1 %s: %d\n%s", want, status, page)
			}
		}
		a, err := f.services.Assets.FindAssetByID(linkwork.NewContext(t.Context(), linkwork.SystemActor("test")), s.ID)
		if err != nil || a.Name != s.Name {
			t.Errorf("the listing is called %q after the import (%v)", a.Name, err)
		}

		bad, ctBad := func() (string, string) {
			var b bytes.Buffer
			p := orukio.Package{Services: append(pkg.Services[:0:0], s)}
			p.Services[0].Organization = nil
			p.Services[0].OrganizationID = "no-such-organisation"
			if err := orukio.WriteTabular(&b, p, time.Now()); err != nil {
				t.Fatal(err)
			}
			ct, body := upload(t, b.Bytes())
			return body, ct
		}()
		ctNone, none := upload(t, nil)
		ctCSV, csv := upload(t, []byte("id,name\n"))
		ctBig, big := upload(t, make([]byte, 16<<20+1))
		for _, tc := range []struct {
			name        string
			contentType string
			body        string
			status      int
			says        string
		}{
			{"a broken foreign key", ctBad, bad, http.StatusUnprocessableEntity, `service.csv, row 2, column organization_id: there is no organization with the id &#34;no-such-organisation&#34;`},
			{"no file", ctNone, none, http.StatusBadRequest, "Choose a package to upload"},
			{"a form that is not an upload", "application/x-www-form-urlencoded", "package=x", http.StatusBadRequest, "the form was not sent as a file upload"},
			{"a file that is not a zip", ctCSV, csv, http.StatusUnprocessableEntity, "the file is not a zip"},
			{"a file over 16 MB", ctBig, big, http.StatusBadRequest, "The package must be smaller than 16 MB"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				status, page, _ := f.do(co, "POST", "/directory/import", tc.contentType, tc.body, nil)
				if status != tc.status || !strings.Contains(page, tc.says) || !strings.Contains(page, `href="#package"`) {
					t.Errorf("%d, want %d saying %q linked to the field:\n%s", status, tc.status, tc.says, page)
				}
			})
		}
		if a, err := f.services.Assets.FindAssetByID(linkwork.NewContext(t.Context(), linkwork.SystemActor("test")), s.ID); err != nil || a.OrgID == "" {
			t.Errorf("the refused package changed the listing: %+v, %v", a, err)
		}

		if status, _ := f.api(linkwork.RoleReferrer, "GET", "/api/v1/directory/package.zip", ""); status != http.StatusForbidden {
			t.Errorf("a referrer downloads the package: %d", status)
		}
	})
}
