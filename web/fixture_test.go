package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqlweb"
	"github.com/linkwork/linkwork/web"
)

// fixture is a running server over a small demo city, with a signed-in
// client and an API token for each demo login.
type fixture struct {
	t        *testing.T
	db       *sqlstore.DB
	srv      *web.Server
	ts       *httptest.Server
	cfg      demo.Config
	users    map[linkwork.Role]*linkwork.User
	tokens   map[linkwork.Role]string
	clients  map[linkwork.Role]*http.Client
	services web.Services
}

// newFixture loads the small demo city into db and starts a server over
// it.
func newFixture(t *testing.T, db *sqlstore.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	cfg, err := demo.Preset("small")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Now = time.Now().UTC()
	l := sqlstore.NewLoader(ctx, db)
	if _, err := demo.Generate(cfg, l); err != nil {
		t.Fatal(err)
	}
	if err := l.Close("test"); err != nil {
		t.Fatal(err)
	}
	svc := sqlweb.Services(db)
	srv, err := web.New(web.Config{LoginPerMinute: 1000, Logger: quietLogger()}, svc)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	f := &fixture{t: t, db: db, srv: srv, ts: ts, cfg: cfg, services: svc,
		users: map[linkwork.Role]*linkwork.User{}, tokens: map[linkwork.Role]string{}, clients: map[linkwork.Role]*http.Client{}}
	for _, login := range demo.Logins {
		f.clients[login.Role] = f.signIn(login.Email, cfg.Password)
		sys := linkwork.NewContext(ctx, linkwork.SystemActor("test"))
		u, err := svc.Users.FindUserByEmail(sys, login.Email)
		if err != nil {
			t.Fatal(err)
		}
		f.users[login.Role] = u
		tok, err := svc.Auth.CreateAPIToken(linkwork.NewContext(ctx, u.Actor()), u.ID, "test", time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[login.Role] = tok.Token
	}
	return f
}

// newClient returns a client with its own cookies that does not follow
// redirects.
func newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }, Timeout: 30 * time.Second}
}

// signIn signs in through the sign-in form and returns the client.
func (f *fixture) signIn(email, password string) *http.Client {
	f.t.Helper()
	c := newClient()
	resp, err := c.PostForm(f.ts.URL+"/login", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		f.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		f.t.Fatalf("sign in as %s: status %d", email, resp.StatusCode)
	}
	return c
}

// do sends a request and returns the status and body.
func (f *fixture) do(c *http.Client, method, path, contentType, body string, header map[string]string) (int, string, http.Header) {
	f.t.Helper()
	if c == nil {
		c = newClient()
	}
	req, err := http.NewRequest(method, f.ts.URL+path, strings.NewReader(body))
	if err != nil {
		f.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := c.Do(req)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// api sends an API request as the role (or anonymously for "").
func (f *fixture) api(role linkwork.Role, method, path, body string) (int, string) {
	f.t.Helper()
	h := map[string]string{}
	if role != "" {
		h["Authorization"] = "Bearer " + f.tokens[role]
	}
	ct := ""
	if body != "" {
		ct = "application/json"
	}
	status, b, _ := f.do(nil, method, path, ct, body, h)
	return status, b
}

// quietLogger logs warnings and errors only, so that test output shows
// what went wrong and not every request.
func quietLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// acceptedCase refers a young person of the given age from the GP to the
// fixture's service and accepts them onto its link worker's caseload, as
// the referrer and the coordinator would; it returns the case's id.
func (f *fixture) acceptedCase(t *testing.T, given, family string, age int, phone string) string {
	t.Helper()
	as := func(r linkwork.Role) context.Context {
		return linkwork.NewContext(context.Background(), f.users[r].Actor())
	}
	ref := &linkwork.Referral{ServiceOrgID: f.users[linkwork.RoleCoordinator].OrgID, Pathway: linkwork.PathwayGP, Mode: linkwork.ModeReferral,
		Reasons: "Lonely", SafeNow: linkwork.AnswerYes, HarmThoughts: linkwork.AnswerNo, PersonAware: new(true), ConsentReferral: true, ConsentSharing: true}
	person := &linkwork.Person{GivenName: given, FamilyName: family, DateOfBirth: linkwork.DateOf(time.Now().AddDate(-age, 0, 0)), Postcode: "LS9 1AA", Phone: phone}
	if err := f.services.Referrals.CreateReferral(as(linkwork.RoleReferrer), ref, person); err != nil {
		t.Fatal(err)
	}
	got, err := f.services.Referrals.DecideReferral(as(linkwork.RoleCoordinator), ref.ID, ref.Version,
		linkwork.ReferralDecision{To: linkwork.ReferralAccepted, Streetlight: linkwork.StreetlightGreen, LinkWorkerID: f.users[linkwork.RoleLinkWorker].ID})
	if err != nil {
		t.Fatal(err)
	}
	return got.CaseID
}
