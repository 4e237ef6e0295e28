package e2e

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
	"github.com/linkwork/linkwork/demo"
	"github.com/linkwork/linkwork/web"
)

// navLink is one link of the service navigation, as the page shows it.
type navLink struct {
	Label   string `json:"label"`
	Href    string `json:"href"`
	Current string `json:"current"`
}

const readNav = `Array.from(document.querySelectorAll('.govuk-service-navigation__link')).map(a => ({
	label: a.textContent.trim(), href: a.getAttribute('href'), current: a.getAttribute('aria-current') || ''}))`

// roleNav is the navigation each role should see (web/render.go's navFor).
var roleNav = map[linkwork.Role][]navLink{
	linkwork.RoleReferrer:     {{Label: "Home", Href: "/"}, {Label: "My referrals", Href: "/referrals?mine=true"}, {Label: "Make a referral", Href: "/referrals/new"}, {Label: "Our referrals over time", Href: "/reports/referrers"}, {Label: "Directory", Href: "/directory"}, {Label: "Messages", Href: "/notifications"}},
	linkwork.RoleLinkWorker:   {{Label: "Home", Href: "/"}, {Label: "Triage", Href: "/triage"}, {Label: "Referrals", Href: "/referrals"}, {Label: "My caseload", Href: "/caseload"}, {Label: "Connections", Href: "/connections"}, {Label: "Supervision", Href: "/supervision"}, {Label: "Directory", Href: "/directory"}, {Label: "Messages", Href: "/notifications"}},
	linkwork.RoleCoordinator:  {{Label: "Home", Href: "/"}, {Label: "Triage", Href: "/triage"}, {Label: "Referrals", Href: "/referrals"}, {Label: "Cases", Href: "/cases"}, {Label: "Concerns", Href: "/concerns"}, {Label: "Connections", Href: "/connections"}, {Label: "Directory", Href: "/directory"}, {Label: "Messages", Href: "/notifications"}, {Label: "More", Href: "/more"}},
	linkwork.RoleSafeguarding: {{Label: "Home", Href: "/"}, {Label: "Concerns", Href: "/concerns"}, {Label: "Referrals", Href: "/referrals"}, {Label: "Cases", Href: "/cases"}, {Label: "Supervision", Href: "/supervision"}, {Label: "Audit trail", Href: "/admin/audit"}, {Label: "Directory", Href: "/directory"}, {Label: "Messages", Href: "/notifications"}},
	linkwork.RoleCommunity:    {{Label: "Home", Href: "/"}, {Label: "People referred to us", Href: "/connections"}, {Label: "Our listings", Href: "/directory/curate"}, {Label: "Evidence pack", Href: "/reports/groups"}, {Label: "Directory", Href: "/directory"}},
	linkwork.RoleCommissioner: {{Label: "Home", Href: "/"}, {Label: "Dashboard", Href: "/reports"}, {Label: "Outcomes", Href: "/measures"}, {Label: "Directory", Href: "/directory"}},
	linkwork.RoleAdmin:        {{Label: "Home", Href: "/"}, {Label: "Users", Href: "/admin/users"}, {Label: "Organisations", Href: "/admin/organisations"}, {Label: "Settings", Href: "/admin/service"}, {Label: "Audit trail", Href: "/admin/audit"}, {Label: "Directory", Href: "/directory"}},
}

// figure is one number on a home page and the home service's value for it.
type figure struct {
	key string
	n   any
}

// roleFigures lists the figures each role's home shows besides the
// directory's (web/pages_home.go), with the home service's values.
var roleFigures = map[linkwork.Role]func(*linkwork.HomeFigures) []figure{
	linkwork.RoleReferrer: func(h *linkwork.HomeFigures) []figure {
		return []figure{{"referrals-open", h.MyReferralsOpen}, {"referrals-accepted", h.MyReferralsAccepted}, {"referrals-declined", h.MyReferralsDeclined}}
	},
	linkwork.RoleLinkWorker: func(h *linkwork.HomeFigures) []figure {
		return []figure{{"risk-review", h.RiskToReview}, {"caseload", h.MyCaseload}, {"contacts-week", h.MyContactsWeek}, {"awaiting-triage", h.AwaitingTriage}, {"deferred-due", h.DeferredDueBack}, {"waiting-list", h.WaitingList}}
	},
	linkwork.RoleCoordinator: func(h *linkwork.HomeFigures) []figure {
		return []figure{{"risk-review", h.RiskToReview}, {"waiting-list", h.WaitingList}, {"awaiting-triage", h.AwaitingTriage}, {"red-amber", h.RedAmber}, {"deferred-due", h.DeferredDueBack}, {"open-cases", h.OpenCases}}
	},
	linkwork.RoleSafeguarding: func(h *linkwork.HomeFigures) []figure {
		return []figure{{"risk-review", h.RiskToReview}, {"awaiting-triage", h.AwaitingTriage}, {"red-amber", h.RedAmber}, {"deferred-due", h.DeferredDueBack}, {"waiting-list", h.WaitingList}, {"open-cases", h.OpenCases}}
	},
	linkwork.RoleCommunity: func(h *linkwork.HomeFigures) []figure {
		return []figure{{"connections-to-me", h.ConnectionsToMe}, {"my-listings", h.MyListings}, {"my-stale-listings", h.MyStaleListings}}
	},
	linkwork.RoleCommissioner: func(h *linkwork.HomeFigures) []figure {
		return []figure{{"referrals-total", h.ReferralsTotal}, {"accepted-total", h.AcceptedTotal}, {"closed-cases", h.ClosedCases}}
	},
	linkwork.RoleAdmin: func(h *linkwork.HomeFigures) []figure {
		return []figure{{"users", h.Users}, {"disabled-users", h.DisabledUsers}, {"organisations", h.Organisations}, {"audit-events", h.AuditEvents}}
	},
}

// signIn fills in and sends the sign-in form.
func (tb *tab) signIn(email, password string) {
	tb.t.Helper()
	tb.open("/login")
	tb.run("fill in and send the sign-in form",
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type=submit]`)),
	)
}

func TestEachDemoRoleSignsInAndSeesTheirHomePageWithRealFigures(t *testing.T) {
	s := newSite(t)
	if len(demo.Logins) != len(linkwork.Roles) {
		t.Errorf("demo.Logins has %d accounts for %d roles", len(demo.Logins), len(linkwork.Roles))
	}
	for _, login := range demo.Logins {
		t.Run(string(login.Role), func(t *testing.T) {
			u := s.user(t, login.Email)
			if u.Role != login.Role || u.Name != login.Name {
				t.Fatalf("%s is %s %q in the database, but %s %q in demo.Logins", login.Email, u.Role, u.Name, login.Role, login.Name)
			}
			tb := newTab(t, s.URL)

			// The sign-in page of a demo site shows the demo accounts.
			tb.open("/login")
			shown := tb.text("[data-testid=demo-logins]")
			for _, want := range []string{login.Email, s.cfg.Password} {
				if !strings.Contains(shown, want) {
					t.Errorf("the demo accounts box does not show %q:\n%s", want, shown)
				}
			}

			tb.signIn(login.Email, s.cfg.Password)
			if got, want := tb.text("[data-testid=home-heading]"), "Welcome, "+u.Name; got != want {
				t.Errorf("home heading = %q, want %q", got, want)
			}
			if got := tb.path(); got != "/" {
				t.Errorf("signed in at %s, want /", got)
			}
			if got := tb.text("[data-testid=account-link]"); !strings.HasPrefix(got, u.Name) {
				t.Errorf("account link = %q, want the user's name %q", got, u.Name)
			}

			h, err := s.svc.Home.HomeFigures(as(u))
			if err != nil {
				t.Fatal(err)
			}
			// Every figure, the directory's included, is the service's.
			want := append(roleFigures[login.Role](h), figure{"assets", h.Assets})
			// Listings due a check, for those the policy lets check any.
			if auth.Can(u.Actor(), auth.ActionUpdate, auth.Record{Kind: auth.KindAsset, AssetOrgIDs: []string{"any other organisation"}}) {
				want = append(want, figure{"stale-assets", h.StaleAssets})
			}
			var wantKeys []string
			for _, f := range want {
				wantKeys = append(wantKeys, "stat-"+f.key)
				got := tb.text("[data-testid=stat-" + f.key + "]")
				if w := fmt.Sprint(f.n); got != w {
					t.Errorf("stat-%s shows %q; the home service says %s", f.key, got, w)
				}
			}
			t.Logf("figures: %v", want)
			shownKeys := eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid=home-stats] [data-testid^="stat-"]'), e => e.dataset.testid)`)
			slices.Sort(shownKeys)
			slices.Sort(wantKeys)
			if !slices.Equal(shownKeys, wantKeys) {
				t.Errorf("the home page shows figures %v, want %v", shownKeys, wantKeys)
			}

			nav := eval[[]navLink](tb, readNav)
			wantNav := append([]navLink(nil), roleNav[login.Role]...)
			wantNav[0].Current = "page" // Home, the page we are on
			if fmt.Sprint(nav) != fmt.Sprint(wantNav) {
				t.Errorf("navigation for %s:\n got %v\nwant %v", login.Role, nav, wantNav)
			}

			// Signing out lands on the sign-in page, and home is the
			// visitors' page again.
			tb.run("sign out", chromedp.Click(chromedp.CSS("[data-testid=sign-out]")), chromedp.WaitVisible(chromedp.CSS("#email")))
			if got := tb.path(); got != "/login" {
				t.Errorf("signed out at %s, want /login", got)
			}
			tb.open("/")
			tb.run("wait for the visitors' home page", chromedp.WaitVisible(chromedp.CSS(`main a[href="/login"]`)))
			if eval[bool](tb, `document.querySelector('[data-testid=home-heading], [data-testid=account-link], [data-testid=sign-out]') !== null`) {
				t.Error("after signing out, / still shows the signed-in home page")
			}
		})
	}
}

// errorPage is what a form page with errors shows.
type errorPage struct {
	Title   string            `json:"title"`
	Summary string            `json:"summary"`
	Links   map[string]string `json:"links"`   // summary link target -> text
	Inline  map[string]string `json:"inline"`  // field id -> its error message
	Invalid map[string]bool   `json:"invalid"` // field id -> marked invalid and described by its message
	Email   string            `json:"email"`
	Pass    string            `json:"password"`
}

const readErrors = `(() => {
	const s = document.querySelector('.govuk-error-summary');
	const out = {title: document.title, summary: s ? s.innerText : '', links: {}, inline: {}, invalid: {},
		email: document.getElementById('email').value, password: document.getElementById('password').value};
	if (s) for (const a of s.querySelectorAll('a')) out.links[a.getAttribute('href')] = a.textContent.trim();
	for (const id of ['email', 'password']) {
		const m = document.getElementById(id + '-error');
		if (m) out.inline[id] = m.textContent.replace(/^\s*Error:\s*/, '').trim();
		const f = document.getElementById(id);
		out.invalid[id] = f.classList.contains('govuk-input--error') && (f.getAttribute('aria-describedby') || '').split(' ').includes(id + '-error');
	}
	return out;
})()`

// focusedAfterClick clicks a link of the error summary and returns the id
// of the element that then has focus.
func (tb *tab) focusedAfterClick(href string) string {
	tb.t.Helper()
	tb.run("click the summary's link to "+href, chromedp.Click(chromedp.CSS(`.govuk-error-summary a[href="`+href+`"]`)))
	tb.waitUntil("focus moves to "+href, `document.activeElement && document.activeElement.id === `+fmt.Sprintf("%q", strings.TrimPrefix(href, "#")), 5*time.Second)
	return eval[string](tb, `document.activeElement.id`)
}

func TestAWrongPasswordGetsAClearErrorAndKeepsTheEmail(t *testing.T) {
	s := newSite(t)
	login := demo.Logins[0]
	const wrong = "not-the-password-2026"
	// What the service says about these credentials.
	_, _, err := s.svc.Auth.Login(context.Background(), login.Email, wrong, "e2e", "127.0.0.1")
	if linkwork.ErrorCode(err) != linkwork.EUNAUTHORIZED {
		t.Fatalf("the auth service accepted a wrong password, or failed otherwise: %v", err)
	}
	message := linkwork.ErrorMessage(err)

	tb := newTab(t, s.URL)
	tb.expectStatus("/login", web.ErrorStatus(err))
	tb.signIn(login.Email, wrong)
	tb.run("wait for the error summary", chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
	p := eval[errorPage](tb, readErrors)

	if !strings.HasPrefix(p.Title, "Error:") {
		t.Errorf("title = %q, want it to start with Error:", p.Title)
	}
	if !strings.Contains(p.Summary, message) || !strings.Contains(p.Summary, "email address or password") {
		t.Errorf("error summary = %q, want the service's message %q (about the email address or password)", p.Summary, message)
	}
	if p.Links["#email"] != message {
		t.Errorf("error summary links = %v, want #email: %q", p.Links, message)
	}
	if p.Inline["email"] != message || !p.Invalid["email"] {
		t.Errorf("the email field's error = %q (marked invalid: %v), want %q", p.Inline["email"], p.Invalid["email"], message)
	}
	if p.Email != login.Email {
		t.Errorf("email field = %q, want what was typed, %q", p.Email, login.Email)
	}
	if p.Pass != "" {
		t.Errorf("password field = %q, want it empty", p.Pass)
	}
	// GOV.UK Frontend moves focus to the summary, so a screen reader reads
	// it first.
	if !eval[bool](tb, `document.activeElement === document.querySelector('.govuk-error-summary')`) {
		t.Errorf("focus is on %s, not the error summary", eval[string](tb, `document.activeElement.outerHTML.slice(0, 120)`))
	}
	if got := tb.focusedAfterClick("#email"); got != "email" {
		t.Errorf("the summary's link moved focus to %q, want the email field", got)
	}
}

func TestAnEmptyFormNamesBothFields(t *testing.T) {
	s := newSite(t)
	_, _, err := s.svc.Auth.Login(context.Background(), "", "", "e2e", "127.0.0.1")
	fields := linkwork.ErrorFields(err)
	if linkwork.ErrorCode(err) != linkwork.EINVALID || len(fields) != 2 {
		t.Fatalf("the auth service's answer to an empty form: %v %v", err, fields)
	}

	tb := newTab(t, s.URL)
	tb.expectStatus("/login", web.ErrorStatus(err))
	tb.open("/login")
	tb.run("send the empty form",
		chromedp.WaitVisible(chromedp.CSS("#email")),
		chromedp.Click(chromedp.CSS(`main form[action="/login"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")),
	)
	p := eval[errorPage](tb, readErrors)
	if !strings.HasPrefix(p.Title, "Error:") {
		t.Errorf("title = %q, want it to start with Error:", p.Title)
	}
	if len(p.Links) != len(fields) {
		t.Errorf("the error summary has %d links, want %d: %v", len(p.Links), len(fields), p.Links)
	}
	for _, f := range fields {
		if got := p.Links["#"+f.Field]; got != f.Message {
			t.Errorf("error summary link to #%s = %q, want %q", f.Field, got, f.Message)
		}
		if got := p.Inline[f.Field]; got != f.Message || !p.Invalid[f.Field] {
			t.Errorf("the %s field's error = %q (marked invalid: %v), want %q", f.Field, got, p.Invalid[f.Field], f.Message)
		}
	}
	if got := tb.focusedAfterClick("#password"); got != "password" {
		t.Errorf("the summary's link moved focus to %q, want the password field", got)
	}
}
