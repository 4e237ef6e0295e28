package e2e

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/sqlstore/sqlweb"
	"github.com/linkwork/linkwork/web"
)

// site is a running server over a fresh SQLite database holding the small
// demo city, with the demo accounts shown on its sign-in page, as
// `linkwork demo` serves it.
type site struct {
	URL   string
	cfg   demo.Config
	svc   web.Services
	clock *clock
	// db is the site's database, for what no page shows (the outbox).
	db *sqlstore.DB
}

// clock is the site's time, which a test may move forward to see what
// happens on a later day.
type clock struct{ offset atomic.Int64 }

func (c *clock) now() time.Time { return time.Now().Add(time.Duration(c.offset.Load())) }

// advance moves the site's time forward.
func (c *clock) advance(d time.Duration) { c.offset.Add(int64(d)) }

// newSite builds the site for one browser test (skipping it, or failing
// it under LINKWORK_E2E=1, when there is no Chromium); it stops when the
// test ends.
func newSite(t *testing.T) *site {
	t.Helper()
	requireChromium(t) // no browser, no need for a server
	ctx := context.Background()
	clk := &clock{}
	db := sqltest.Open(t, "sqlite", sqlstore.Options{Now: clk.now})
	cfg, err := demo.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Now = time.Now()
	l := sqlstore.NewLoader(ctx, db)
	if _, err := demo.Generate(cfg, l); err != nil {
		t.Fatalf("generate the demo city: %v", err)
	}
	if err := l.Close("e2e"); err != nil {
		t.Fatalf("load the demo city: %v", err)
	}
	svc := sqlweb.Services(db)
	var logins []web.DemoLogin
	for _, l := range demo.Logins {
		logins = append(logins, web.DemoLogin{Role: l.Role, Email: l.Email})
	}
	srv, err := web.New(web.Config{
		Demo: logins, DemoPassword: cfg.Password, LoginPerMinute: 1000, Now: clk.now,
		// The browser fills in forms faster than a person can.
		PublicFormMinTime: -1,
		// Warnings and errors only: a request log line per page is noise.
		Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn})),
	}, svc)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &site{URL: ts.URL, cfg: cfg, svc: svc, clock: clk, db: db}
}

// user returns the user with the email address.
func (s *site) user(t *testing.T, email string) *linkwork.User {
	t.Helper()
	sys := linkwork.NewContext(context.Background(), linkwork.SystemActor("e2e"))
	u, err := s.svc.Users.FindUserByEmail(sys, email)
	if err != nil {
		t.Fatalf("find %s: %v", email, err)
	}
	return u
}

// as returns a context acting as the user, to ask the services what the
// user should see.
func as(u *linkwork.User) context.Context {
	return linkwork.NewContext(context.Background(), u.Actor())
}
