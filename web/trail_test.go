package web_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/web"
)

// TestAPagesReadsAreRecordedBeforeItIsSent: a case page's reads are in
// the audit trail once the page has arrived; when they cannot be recorded,
// the page is not sent, on the web or the API, and an error is instead.
func TestAPagesReadsAreRecordedBeforeItIsSent(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		coord := linkwork.RoleCoordinator
		ctx := linkwork.NewContext(context.Background(), f.users[coord].Actor())
		cases, _, err := f.services.Cases.FindCases(ctx, linkwork.CaseFilter{Limit: 1})
		if err != nil || len(cases) == 0 {
			t.Fatalf("the demo needs a case: %v", err)
		}
		c := cases[0]
		admin := linkwork.NewContext(context.Background(), f.users[linkwork.RoleAdmin].Actor())
		events := func(t *testing.T) int {
			t.Helper()
			_, n, err := f.services.Audit.FindAuditEvents(admin, linkwork.AuditFilter{RecordType: "case", RecordID: c.ID, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}

		t.Run("recorded", func(t *testing.T) {
			before := events(t)
			status, body, _ := f.do(f.clients[coord], "GET", "/cases/"+c.ID, "", "", nil)
			if status != http.StatusOK || !strings.Contains(body, c.PersonName) {
				t.Fatalf("the case page answered %d", status)
			}
			if got := events(t); got <= before {
				t.Errorf("%d events about the case after its page was sent, %d before", got, before)
			}
		})

		// The same services, with a trail that cannot be recorded.
		svc := f.services
		svc.Defer = func(ctx context.Context) (context.Context, func(context.Context) error) {
			ctx, _ = db.Defer(ctx)
			return ctx, func(context.Context) error { return errors.New("the disk is full") }
		}
		srv, err := web.New(web.Config{LoginPerMinute: 1000, Logger: quietLogger()}, svc)
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		for _, tc := range []struct {
			name, path string
			header     map[string]string
		}{
			{name: "the page", path: "/cases/" + c.ID},
			{name: "the API", path: "/api/v1/cases/" + c.ID, header: map[string]string{"Authorization": "Bearer " + f.tokens[coord]}},
		} {
			t.Run("not recorded: "+tc.name, func(t *testing.T) {
				before := events(t)
				req, _ := http.NewRequest("GET", ts.URL+tc.path, nil)
				for k, v := range tc.header {
					req.Header.Set(k, v)
				}
				client := f.clients[coord]
				if tc.header != nil {
					client = newClient()
				}
				// The session cookie is the fixture server's; send it here.
				for _, ck := range f.clients[coord].Jar.Cookies(mustURL(t, f.ts.URL)) {
					req.AddCookie(ck)
				}
				resp, err := client.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				raw, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				body := string(raw)
				if resp.StatusCode != http.StatusInternalServerError {
					t.Errorf("answered %d, want 500", resp.StatusCode)
				}
				if strings.Contains(body, c.PersonName) {
					t.Error("the person's name was sent although their record's reading was not recorded")
				}
				if !strings.Contains(body, "could not record") {
					t.Errorf("the error does not say why:\n%s", body)
				}
				if got := events(t); got != before {
					t.Errorf("%d events about the case, %d before", got, before)
				}
			})
		}
	})
}

// mustURL parses a URL the test made.
func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
