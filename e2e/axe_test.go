package e2e

import (
	_ "embed"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// axeSource is axe-core's minified build, vendored from npm for the tests
// only (the app never serves it): see testdata/axe-core/VERSION.
//
//go:embed testdata/axe-core/axe.min.js
var axeSource string

// wcagTags are the axe-core rule tags of WCAG 2.0, 2.1 and 2.2, levels A
// and AA: the level the accessibility statement claims.
var wcagTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"}

// axeAllowed is the short list of axe-core findings that are not ours to
// fix, each with why. A finding matches when its rule is the same and
// every word of match is in the offending element's HTML.
var axeAllowed = []struct {
	rule  string
	match []string
	why   string
}{
	{
		rule:  "aria-allowed-attr",
		match: []string{`class="govuk-radios__input"`, `aria-expanded=`},
		why: "GOV.UK Frontend's radios component sets aria-expanded on a radio that reveals a conditional " +
			"question, a choice GOV.UK made on purpose after testing with screen reader users: it tells them " +
			"the radio shows more. ARIA does not list aria-expanded for a radio, so axe-core flags it; the " +
			"accessibility statement (/accessibility#conditional-reveal) records this.",
	},
}

// axeViolation is one axe-core rule an element breaks.
type axeViolation struct {
	Rule   string `json:"rule"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Target string `json:"target"`
	HTML   string `json:"html"`
}

// runAxe runs axe-core's WCAG 2.0-2.2 A and AA rules on the page the tab
// shows and returns each element that breaks one, one entry per element.
const runAxe = `(async (tags) => {
	const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
	const out = [];
	for (const v of r.violations) for (const n of v.nodes) {
		out.push({rule: v.id, impact: v.impact || '', help: v.help, target: n.target.map(String).join(' '), html: n.html.slice(0, 300)});
	}
	return out;
})`

// axeCheck runs axe-core on the page the tab shows and fails the test on
// any violation not on axeAllowed, naming the rule, the page and the
// element.
// walkTimeout bounds one role's walk in TestEveryPageMeetsWCAG22AAAndFitsAPhone.
const walkTimeout = 5 * time.Minute

func (tb *tab) axeCheck(page string) {
	tb.t.Helper()
	for _, v := range tb.axeFindings(page) {
		if allowedByAxeList(v) {
			tb.note("axe-core: %s on %s is on the allow-list: %s", v.Rule, page, v.Target)
			continue
		}
		tb.t.Errorf("axe-core: %s on %s (%s): %s\n    element: %s\n    html: %s", v.Rule, page, v.Impact, v.Help, v.Target, v.HTML)
	}
}

// axeFindings runs axe-core's WCAG A and AA rules on the page the tab
// shows, once its scripts have started (they change the page), and
// returns every element that breaks one.
func (tb *tab) axeFindings(page string) []axeViolation {
	tb.t.Helper()
	tb.settled()
	if !eval[bool](tb, `typeof axe === 'object'`) {
		// Evaluated through DevTools, so our Content-Security-Policy,
		// which allows no script but our own, does not stop it.
		get(tb, "load axe-core", chromedp.Evaluate[chromedp.Void](axeSource))
	}
	tags := `["` + strings.Join(wcagTags, `","`) + `"]`
	return get(tb, "run axe-core on "+page, chromedp.Evaluate[[]axeViolation](runAxe+"("+tags+")", chromedp.EvalAwaitPromise))
}

func allowedByAxeList(v axeViolation) bool {
	for _, a := range axeAllowed {
		if a.rule != v.Rule {
			continue
		}
		all := true
		for _, m := range a.match {
			all = all && strings.Contains(v.HTML, m)
		}
		if all {
			return true
		}
	}
	return false
}

// phoneWidths are the window widths a page must fit without scrolling
// sideways: 320px is WCAG 2.2's reflow width (and a small phone), 390px a
// common phone today.
var phoneWidths = []int64{320, 390}

// fitsPhones makes the tab's window each phone width in turn, failing
// the test when the page is wider than the window, and leaves it at the
// desktop width the tests start at.
func (tb *tab) fitsPhones(page string) {
	tb.t.Helper()
	for _, w := range phoneWidths {
		tb.narrowWindow(w)
		tb.fitsTheWindow(fmt.Sprintf("%s (%dpx)", page, w))
	}
	tb.narrowWindow(1280)
}

// idSegment is a path segment naming a record (a UUID, a number or a
// token), which two links to the same kind of page differ by.
var idSegment = regexp.MustCompile(`^([0-9a-fA-F-]{32,36}|[0-9]+|[A-Za-z0-9_-]{20,})$`)

// pageKind names the kind of page a path shows: its path with every
// segment naming a record replaced by {id}.
func pageKind(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if idSegment.MatchString(s) {
			segs[i] = "{id}"
		}
	}
	return strings.Join(segs, "/")
}

// linkKind names the kind of page a link leads to: its page's kind and
// the names (not the values) of its query's parameters, so that one
// filtered list of each kind is checked, not one per filter value.
func linkKind(u *url.URL) string {
	var keys []string
	for k := range u.Query() {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return pageKind(u.Path) + "?" + strings.Join(keys, "&")
}

// notAPage reports whether a same-site link leads somewhere that is not a
// page for people: files, the API and the machine-readable feeds.
func notAPage(path string) bool {
	for _, p := range []string{"/static/", "/api/", "/oruk", "/healthz", "/readyz", "/metrics"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// sameSiteLinks are the links of the page the tab shows that stay on the
// site, without their fragments.
const sameSiteLinks = `Array.from(document.querySelectorAll('a[href]'), a => a.href)
	.filter(h => h.startsWith(location.origin + '/')).map(h => h.split('#')[0])`

// TestEveryPageMeetsWCAG22AAAndFitsAPhone opens, as a visitor and as each
// demo role, every kind of page they can reach by following links from
// home, navigation and More (one page of each kind: one referral, one
// case, one listing), plus directory searches with and without results,
// and runs axe-core's WCAG 2.2 A and AA rules on each, then checks each
// fits a window 320px and 390px wide. Forms shown with their errors are
// checked the same way.
func TestEveryPageMeetsWCAG22AAAndFitsAPhone(t *testing.T) {
	s := newSite(t)
	// A case with its record pages filled in: a plan's sessions, a
	// connection to a community group, and an open safeguarding concern.
	caseID, ref, _ := planCase(t, s)
	lwLogin, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	vcsLogin, _ := demo.LoginFor(linkwork.RoleCommunity)
	worker, vcs := s.user(t, lwLogin.Email), s.user(t, vcsLogin.Email)
	theirs, _, err := s.svc.Assets.FindAssets(as(worker), linkwork.AssetFilter{OrgID: vcs.OrgID, Accepting: true, Limit: 1})
	if err != nil || len(theirs) == 0 {
		t.Fatalf("the demo community organisation has no listing taking people: %v", err)
	}
	conn := &linkwork.Connection{CaseID: caseID, AssetID: theirs[0].Asset.ID, Level: linkwork.LevelRefer}
	if err := s.svc.Connections.CreateConnection(as(worker), conn); err != nil {
		t.Fatal(err)
	}
	concern := &linkwork.Concern{CaseID: caseID, Category: linkwork.ConcernBullying, Description: "Said older pupils take their bus money.",
		ImmediateAction: "Listened, and said I would tell our safeguarding lead today.", SafeNow: linkwork.AnswerYes}
	if err := s.svc.Concerns.RaiseConcern(as(worker), concern); err != nil {
		t.Fatal(err)
	}
	coordLogin, _ := demo.LoginFor(linkwork.RoleCoordinator)
	coord := s.user(t, coordLogin.Email)
	sup := &linkwork.Supervision{Kind: linkwork.SupervisionLine, HeldOn: linkwork.DateOf(time.Now().In(ukTime()).AddDate(0, 0, -3)),
		SupervisorID: coord.ID, WorkerIDs: []string{worker.ID}, CaseIDs: []string{caseID}, Note: "Planning the first steps with the bus money worry in mind."}
	if err := s.svc.Supervision.LogSupervision(as(coord), sup); err != nil {
		t.Fatal(err)
	}
	// Pages of these records are where each role's walk starts, so that
	// they stand for their kind.
	records := []string{"/cases/" + caseID, "/referrals/" + ref.ID, "/concerns/" + concern.ID, "/directory/" + theirs[0].Asset.ID, "/supervision/" + sup.ID}

	roles := append([]linkwork.Role{""}, linkwork.Roles...)
	for _, role := range roles {
		name := string(role)
		if role == "" {
			name = "visitor"
		}
		t.Run(name, func(t *testing.T) {
			// A role's walk checks dozens of pages, each at two widths:
			// far more than a journey's minute.
			tb := newTabWithin(t, s.URL, walkTimeout)
			if role != "" {
				login, _ := demo.LoginFor(role)
				tb.signIn(login.Email, s.cfg.Password)
				tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
			}
			queue := append([]string{"/", "/directory?q=group", "/directory?q=zzqxj"}, records...)
			if role == "" {
				queue = append(queue, "/login", "/refer", "/accessibility")
			} else {
				queue = append(queue, "/more", "/account")
			}
			seen := map[string]bool{}
			for _, p := range queue {
				seen[p] = true // checked whatever their kind: a search with results and one without
			}
			kinds := map[string]bool{}
			var visited []string
			for len(queue) > 0 {
				p := queue[0]
				queue = queue[1:]
				u, _ := url.Parse(p)
				if !seen[p] && kinds[linkKind(u)] {
					continue
				}
				record := slices.Contains(records, p)
				if record {
					// A record this role may not see is not found, or
					// forbidden when they see it but not its page.
					tb.expectStatus(u.Path, 404)
					tb.expectStatus(u.Path, 403)
				}
				resp := get(tb, "open "+p, chromedp.NavigateResponse(tb.base+p))
				tb.run("wait for "+p, chromedp.WaitReady(chromedp.CSS("body")))
				if resp.Status != 200 {
					if !record {
						t.Errorf("a link leads to %s, which answers %d", p, resp.Status)
					}
					continue
				}
				if final := tb.path(); final != p {
					// Sent elsewhere (a visitor to sign in): check the
					// page it lands on, once.
					fu, _ := url.Parse(final)
					if kinds[linkKind(fu)] {
						continue
					}
					kinds[linkKind(fu)] = true
					p = final
				}
				kinds[linkKind(u)] = true
				if ct := eval[string](tb, `document.contentType`); ct != "text/html" {
					continue
				}
				visited = append(visited, p)
				tb.axeCheck(p)
				tb.fitsPhones(p)
				for _, h := range eval[[]string](tb, sameSiteLinks) {
					lu, err := url.Parse(h)
					if err != nil || notAPage(lu.Path) || lu.Path == "/logout" {
						continue
					}
					next := lu.RequestURI()
					if slices.Contains(queue, next) || kinds[linkKind(lu)] {
						continue
					}
					queue = append(queue, next)
				}
			}
			// The walk reaches what the role uses: a walk cut short (a
			// page whose links it could not read) fails here.
			for _, want := range mustCheck[role] {
				if !slices.ContainsFunc(visited, func(p string) bool { u, _ := url.Parse(p); return pageKind(u.Path) == want }) {
					t.Errorf("the walk as %s never reached a page of the kind %s", name, want)
				}
			}
			slices.Sort(visited)
			t.Logf("checked %d pages as %s:\n  %s", len(visited), name, strings.Join(visited, "\n  "))
			formsWithErrors(t, tb, role, caseID)
		})
	}
}

// mustCheck are kinds of page each role's walk must reach, from what each
// role uses most.
var mustCheck = map[linkwork.Role][]string{
	"":                      {"/", "/login", "/accessibility", "/directory", "/directory/{id}", "/refer", "/refer/young-person", "/refer/adult", "/refer/family"},
	linkwork.RoleReferrer:   {"/", "/referrals", "/referrals/new", "/referrals/{id}", "/directory", "/directory/{id}", "/notifications", "/account", "/more"},
	linkwork.RoleLinkWorker: {"/triage", "/referrals/{id}", "/caseload", "/cases/{id}", "/cases/{id}/concerns/new", "/cases/{id}/measures/new", "/cases/{id}/safety-plan", "/cases/{id}/connections/{id}/details", "/connections", "/supervision", "/supervision/{id}", "/training"},
	linkwork.RoleCoordinator: {"/triage", "/referrals/{id}", "/cases", "/cases/{id}", "/concerns", "/concerns/{id}", "/more", "/caseloads", "/waiting-list", "/directory/curate", "/directory/{id}/edit", "/directory/new",
		"/gaps", "/funds", "/team", "/supervision", "/supervision/{id}", "/training", "/measures", "/admin/service", "/admin/users", "/feeds", "/feed-reviews"},
	linkwork.RoleSafeguarding: {"/concerns", "/concerns/{id}", "/referrals/{id}", "/cases/{id}", "/admin/audit"},
	linkwork.RoleCommunity:    {"/connections", "/directory/curate", "/directory/{id}/edit"},
	linkwork.RoleCommissioner: {"/", "/measures"},
	linkwork.RoleAdmin:        {"/admin/users", "/admin/organisations", "/admin/service", "/admin/audit"},
}

// formsWithErrors sends forms empty, as a role, and checks the page that
// shows their errors.
func formsWithErrors(t *testing.T, tb *tab, role linkwork.Role, caseID string) {
	t.Helper()
	check := func(what string) {
		t.Helper()
		// A form sent with errors is answered 422, with the form again.
		tb.run("wait for the error summary of "+what, chromedp.WaitVisible(chromedp.CSS(".govuk-error-summary")))
		tb.axeCheck(what + " with errors")
		tb.fitsPhones(what + " with errors")
	}
	firstLink := func(page, prefix string) string {
		t.Helper()
		tb.open(page)
		links := eval[[]string](tb, sameSiteLinks)
		for _, h := range links {
			if u, err := url.Parse(h); err == nil && strings.HasPrefix(u.Path, prefix) && idSegment.MatchString(strings.TrimPrefix(u.Path, prefix)) {
				return u.Path
			}
		}
		t.Fatalf("%s links to no %s…", page, prefix)
		return ""
	}
	switch role {
	case "":
		for _, who := range []string{"young-person", "adult", "family"} {
			tb.expectStatus("/refer/"+who, 422)
			tb.open("/refer/" + who)
			tb.settled()
			tb.run("send the self-referral form empty", chromedp.Click(chromedp.CSS(`[data-testid=public-referral-form] button[type=submit]`)))
			check("/refer/" + who)
		}
	case linkwork.RoleReferrer:
		tb.expectStatus("/referrals/new", 422)
		tb.open("/referrals/new")
		tb.settled()
		tb.run("send the referral form empty", chromedp.Click(chromedp.CSS(`[data-testid=referral-form] button[type=submit]`)))
		check("/referrals/new")
	case linkwork.RoleLinkWorker:
		c := "/cases/" + caseID
		tb.expectStatus(c+"/contacts", 422)
		tb.expectStatus(c+"/concerns", 422)
		tb.open(c)
		tb.settled()
		tb.run("send a contact attempt empty",
			chromedp.Click(chromedp.CSS(`[data-testid=attempt-details] summary`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=save-attempt]`)),
			chromedp.Click(chromedp.CSS(`[data-testid=save-attempt]`)))
		check(c + " (contact attempt)")
		tb.open(c + "/concerns/new")
		tb.settled()
		tb.run("send a concern empty", chromedp.Click(chromedp.CSS(`[data-testid=concern-submit]`)))
		check(c + "/concerns/new")
	case linkwork.RoleCommunity:
		l := firstLink("/directory/curate", "/directory/")
		tb.expectStatus(l+"/edit", 422)
		tb.open(l + "/edit")
		tb.settled()
		tb.run("clear the listing's name and save",
			chromedp.Clear(chromedp.CSS(`#name`)),
			chromedp.Click(chromedp.CSS(`[data-testid=listing-save]`)))
		check(l + "/edit")
	}
}

// TestTheAxeCheckFindsWhatItShould proves the accessibility check is not
// vacuous: on a page under the same Content-Security-Policy as ours,
// axe-core runs and reports an image with no text and an unlabelled
// field, and of its findings only GOV.UK Frontend's aria-expanded on a
// radio that reveals a question is on the allow-list.
func TestTheAxeCheckFindsWhatItShould(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(`<!DOCTYPE html><html lang="en"><head><title>axe</title></head>
<body class="govuk-frontend-supported"><main><h1>A page with problems</h1>
<img src="/favicon.ico">
<input type="text" name="nameless">
<div class="govuk-radios" data-module="govuk-radios"><div class="govuk-radios__item">
<input class="govuk-radios__input" id="r" name="r" type="radio" value="a" aria-controls="reveal" aria-expanded="false">
<label class="govuk-label govuk-radios__label" for="r">A choice that shows another question</label></div>
<div class="govuk-radios__conditional govuk-radios__conditional--hidden" id="reveal"><p>More</p></div></div>
</main></body></html>`))
	})
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	ts := httptest.NewServer(mux)
	defer ts.Close()

	tb := newTab(t, ts.URL)
	tb.open("/")
	rules := map[string][]bool{} // rule: whether each finding is allowed
	for _, v := range tb.axeFindings("the bad page") {
		rules[v.Rule] = append(rules[v.Rule], allowedByAxeList(v))
	}
	for rule, want := range map[string]bool{"image-alt": false, "label": false, "aria-allowed-attr": true} {
		got, ok := rules[rule]
		if !ok {
			t.Errorf("axe-core did not report %s; it reported %v", rule, rules)
			continue
		}
		for _, allowed := range got {
			if allowed != want {
				t.Errorf("a %s finding is allowed=%v, want %v", rule, allowed, want)
			}
		}
	}
}
