package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/web"
)

func TestReadyNeedsADiskWithRoom(t *testing.T) {
	db := sqltest.Open(t, "sqlite", sqlstore.Options{})
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		free  uint64
		known bool
		err   error
		says  string
	}{
		{"a disk with room is ready", 10 << 30, true, nil, ""},
		{"a disk just over the margin is ready", sqlstore.MinFreeSpace, true, nil, ""},
		{"a disk nearly full is not", sqlstore.MinFreeSpace - 1, true, nil, "the disk holding the database is nearly full"},
		{"a disk whose free space cannot be read is not", 0, false, errors.New("input/output error"), "the free space of the database's disk cannot be read"},
		{"a system that cannot tell is not held against the database", 0, false, nil, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var asked string
			sqlstore.SetFreeSpace(db, func(dir string) (uint64, bool, error) { asked = dir; return tt.free, tt.known, tt.err })
			err := db.Ready(ctx)
			if tt.says == "" && err != nil {
				t.Fatalf("not ready: %v", err)
			}
			if tt.says != "" && linkwork.ErrorMessage(err) != tt.says {
				t.Fatalf("Ready() = %v, want it to say %q", err, tt.says)
			}
			if asked == "" {
				t.Fatal("the free space was not asked for")
			}
		})
	}
}

// fillUp makes the database refuse new rows as a full disk would: SQLite
// held to the pages it has (PRAGMA max_page_count, so SQLITE_FULL), and in
// PostgreSQL a trigger raising disk_full on the tables the test writes. It
// returns how to make room again.
func fillUp(t *testing.T, db *sqlstore.DB) (makeRoom func()) {
	t.Helper()
	if db.Dialect() == "sqlite" {
		if err := db.Exec("PRAGMA max_page_count = 1"); err != nil { // never below the pages in use
			t.Fatal(err)
		}
		return func() {
			if err := db.Exec("PRAGMA max_page_count = 1073741823"); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, q := range []string{
		`CREATE FUNCTION lw_test_disk_full() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN RAISE EXCEPTION 'could not extend file: No space left on device' USING ERRCODE = 'disk_full'; END $$`,
		"CREATE TRIGGER lw_test_full BEFORE INSERT ON organisations FOR EACH ROW EXECUTE FUNCTION lw_test_disk_full()",
		"CREATE TRIGGER lw_test_full BEFORE INSERT ON meta FOR EACH ROW EXECUTE FUNCTION lw_test_disk_full()",
	} {
		if err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	return func() {
		for _, q := range []string{"DROP TRIGGER lw_test_full ON organisations", "DROP TRIGGER lw_test_full ON meta"} {
			if err := db.Exec(q); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func TestAFullDatabaseSaysSoAndIsNotReady(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		tok, err := w.auth.CreateAPIToken(w.as(w.admin), w.admin.ID, "test", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		sess, _, err := w.auth.Login(w.sys, w.admin.Email, password, "", "")
		if err != nil {
			t.Fatal(err)
		}
		srv, err := web.New(web.Config{Now: w.clock.Now, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, web.Services{
			Auth: w.auth, Users: w.users, Organisations: w.orgs, Home: w.home, Audit: w.audit, Ready: w.db.Ready})
		if err != nil {
			t.Fatal(err)
		}
		send := func(method, path, contentType, body string) (int, string) {
			r := httptest.NewRequest(method, path, strings.NewReader(body))
			if contentType != "" {
				r.Header.Set("Content-Type", contentType)
			}
			if strings.HasPrefix(path, "/api/") {
				r.Header.Set("Authorization", "Bearer "+tok.Token)
			} else {
				r.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: sess.Token})
			}
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, r)
			return rec.Code, rec.Body.String()
		}
		// Use the token once now: it records its first use, a write. (The
		// clock stands still, so nothing else does.)
		if status, body := send("GET", "/api/v1/me", "", ""); status != http.StatusOK {
			t.Fatalf("GET /api/v1/me: %d %s", status, body)
		}
		if status, body := send("GET", "/readyz", "", ""); status != http.StatusOK {
			t.Fatalf("before: /readyz %d %s", status, body)
		}

		makeRoom := fillUp(t, w.db)
		const full = "The database is full, so nothing was saved."
		// SQLite may have a few free pages left: write until it is full.
		var status int
		var body string
		for i := 0; i < 500; i++ {
			status, body = send("POST", "/api/v1/organisations", "application/json", fmt.Sprintf(`{"name": "Filling Club %d", "kind": "vcs"}`, i))
			if status != http.StatusCreated {
				break
			}
		}
		t.Run("a change through the API says the database is full and nothing was saved", func(t *testing.T) {
			if status != http.StatusInternalServerError || !strings.Contains(body, full) || strings.Contains(body, "lost") {
				t.Fatalf("status %d: %s", status, body)
			}
		})
		t.Run("a change through a form says so too", func(t *testing.T) {
			status, body := send("POST", "/admin/organisations", "application/x-www-form-urlencoded", url.Values{"name": {"One More Club"}, "kind": {"vcs"}}.Encode())
			if status != http.StatusInternalServerError || !strings.Contains(body, full) || strings.Contains(body, "lost") {
				t.Fatalf("status %d: %s", status, body)
			}
		})
		t.Run("the store says so to every door", func(t *testing.T) {
			err := w.orgs.CreateOrganisation(w.as(w.admin), &linkwork.Organisation{Name: "Another Club", Kind: linkwork.OrgVCS})
			if linkwork.ErrorCode(err) != linkwork.EINTERNAL || linkwork.ErrorMessage(err) != full+" Tell your administrator: nothing more can be saved until they make room." {
				t.Fatalf("CreateOrganisation: %v", err)
			}
		})
		t.Run("readyz says the database cannot take writes", func(t *testing.T) {
			status, body := send("GET", "/readyz", "", "")
			if status != http.StatusServiceUnavailable || body != "not ready: the database cannot take writes\n" {
				t.Fatalf("/readyz %d %q", status, body)
			}
		})
		t.Run("with room again, it is ready and takes changes", func(t *testing.T) {
			makeRoom()
			if status, body := send("GET", "/readyz", "", ""); status != http.StatusOK {
				t.Fatalf("/readyz %d %s", status, body)
			}
			if status, body := send("POST", "/api/v1/organisations", "application/json", `{"name": "Room Again Club", "kind": "vcs"}`); status != http.StatusCreated {
				t.Fatalf("%d %s", status, body)
			}
		})
	})
}

func TestAFailedChangeSaysNothingWasSaved(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		// A fault the store has no words of its own for: every change
		// writes an audit event, and the audit table has gone.
		if err := w.db.Exec("ALTER TABLE audit_events RENAME TO audit_events_away"); err != nil {
			t.Fatal(err)
		}
		err := w.orgs.CreateOrganisation(w.as(w.admin), &linkwork.Organisation{Name: "Lost Club", Kind: linkwork.OrgVCS})
		if err := w.db.Exec("ALTER TABLE audit_events_away RENAME TO audit_events"); err != nil {
			t.Fatal(err)
		}
		if linkwork.ErrorCode(err) != linkwork.EINTERNAL || !strings.HasPrefix(linkwork.ErrorMessage(err), "Something went wrong on our side, so nothing was saved.") {
			t.Fatalf("CreateOrganisation: %q (%v)", linkwork.ErrorMessage(err), err)
		}
		list, _, err := w.orgs.FindOrganisations(w.as(w.admin), linkwork.OrganisationFilter{Query: "Lost Club"})
		if err != nil || len(list) != 0 {
			t.Fatalf("what was said not to be saved: %v (err %v)", list, err)
		}
	})
}
