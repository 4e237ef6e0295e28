package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// overflow describes a page wider than the window, and what sticks out.
type overflow struct {
	ScrollWidth int      `json:"scrollWidth"`
	InnerWidth  int      `json:"innerWidth"`
	Wide        []string `json:"wide"` // the outermost elements past the right edge
}

const readOverflow = `(() => {
	const w = window.innerWidth, wide = [];
	const walk = (el) => {
		for (const c of el.children) {
			const r = c.getBoundingClientRect();
			if (r.width > 0 && r.right > w + 0.5) {
				wide.push(c.tagName.toLowerCase() + (c.id ? '#' + c.id : '') +
					(c.getAttribute('class') ? '.' + c.getAttribute('class').trim().split(/\s+/).join('.') : '') +
					(c.dataset.testid ? '[data-testid=' + c.dataset.testid + ']' : '') +
					' (right edge ' + Math.round(r.right) + 'px)');
			} else if (r.width > 0 && r.left + c.scrollWidth > w + 0.5 && c.scrollWidth > c.clientWidth + 0.5 && getComputedStyle(c).overflowX === 'visible') {
				// Inside its box, but its text (a long word) sticks out.
				wide.push(c.tagName.toLowerCase() + (c.id ? '#' + c.id : '') +
					(c.getAttribute('class') ? '.' + c.getAttribute('class').trim().split(/\s+/).join('.') : '') +
					(c.dataset.testid ? '[data-testid=' + c.dataset.testid + ']' : '') +
					' (its content reaches ' + Math.round(r.left + c.scrollWidth) + 'px)');
				walk(c);
			} else {
				walk(c);
			}
		}
	};
	walk(document.body);
	return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, wide: wide.slice(0, 10)};
})()`

// menuToggle reads the state of the service navigation's Menu button.
type menuToggle struct {
	Exists   bool   `json:"exists"`
	Visible  bool   `json:"visible"`
	Expanded string `json:"expanded"`
	MenuOpen bool   `json:"menuOpen"`
}

const readMenuToggle = `(() => {
	const b = document.querySelector('.govuk-service-navigation__toggle');
	const menu = document.getElementById('navigation');
	const shown = (el) => {
		if (!el || el.hidden) return false;
		const s = getComputedStyle(el), r = el.getBoundingClientRect();
		return s.display !== 'none' && s.visibility !== 'hidden' && r.width > 0 && r.height > 0;
	};
	return {exists: !!b, visible: shown(b), expanded: b ? (b.getAttribute('aria-expanded') || '') : '', menuOpen: shown(menu)};
})()`

func TestTheHomePageWorksOnAPhone(t *testing.T) {
	s := newSite(t)
	login, _ := demo.LoginFor(linkwork.RoleLinkWorker)
	tb := newTab(t, s.URL)
	tb.run("emulate a 375×667 phone", chromedp.EmulateViewport(375, 667, chromedp.EmulateScale(2)))
	tb.signIn(login.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))

	for _, p := range []struct{ path, ready string }{
		{"/", "[data-testid=home-stats]"},
		{"/referrals", "[data-testid=result-count]"},
		{"/directory", "[data-testid=result-count]"},
	} {
		if p.path != "/" {
			tb.open(p.path)
		}
		tb.run("wait for "+p.path, chromedp.WaitVisible(chromedp.CSS(p.ready)))
		o := eval[overflow](tb, readOverflow)
		if o.InnerWidth != 375 {
			t.Fatalf("%s: the window is %dpx wide, not the phone's 375px", p.path, o.InnerWidth)
		}
		if o.ScrollWidth > o.InnerWidth {
			t.Errorf("%s scrolls sideways on a phone: %dpx of content in a %dpx window; too wide:\n  %s",
				p.path, o.ScrollWidth, o.InnerWidth, strings.Join(o.Wide, "\n  "))
			tb.snapshot("phone" + p.path)
		}
	}

	// GOV.UK Frontend's service navigation folds into a Menu button on a
	// narrow screen once its JavaScript has started.
	tb.open("/")
	tb.waitUntil("GOV.UK Frontend starts", `document.body.classList.contains('govuk-frontend-supported')`, 10*time.Second)
	m := eval[menuToggle](tb, readMenuToggle)
	switch {
	case !m.Exists:
		t.Fatal("the service navigation has no Menu button")
	case !m.Visible:
		t.Fatalf("the service navigation's Menu button is not visible on a 375px screen: %+v", m)
	case m.Expanded != "false" || m.MenuOpen:
		t.Errorf("on a phone the menu should start closed: %+v", m)
	}
	tb.run("open the menu", chromedp.Click(chromedp.CSS(".govuk-service-navigation__toggle")))
	tb.waitUntil("the menu opens", `document.querySelector('.govuk-service-navigation__toggle').getAttribute('aria-expanded') === 'true'`, 5*time.Second)
	if m := eval[menuToggle](tb, readMenuToggle); !m.MenuOpen {
		t.Errorf("the Menu button says expanded but the menu is not shown: %+v", m)
	}
	if got := tb.text(`#navigation a[href="/caseload"]`); got != "My caseload" {
		t.Errorf("the open menu's caseload link says %q", got)
	}
}

// TestGOVUKFrontendJavaScriptRunsUnderOurCSP checks, on pages for visitors
// and for a signed-in user, that our Content-Security-Policy is in force,
// that GOV.UK Frontend's JavaScript has run (it adds
// govuk-frontend-supported to <body>) and that every GOV.UK component on
// the page started. Any CSP violation fails the test through the tab.
func TestGOVUKFrontendJavaScriptRunsUnderOurCSP(t *testing.T) {
	s := newSite(t)
	login, _ := demo.LoginFor(linkwork.RoleCoordinator)
	tb := newTab(t, s.URL)

	check := func(path string) {
		t.Helper()
		resp, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.base+path))
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		csp, _ := resp.Headers["Content-Security-Policy"].(string)
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "style-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: Content-Security-Policy is %q, want a strict script-src and style-src", path, csp)
		}
		tb.waitUntil(path+": GOV.UK Frontend adds govuk-frontend-supported to <body>",
			`document.body.classList.contains('govuk-frontend-supported')`, 10*time.Second)
		// The components GOV.UK Frontend has, from the module itself.
		known := get(tb, "GOV.UK Frontend's components", chromedp.Evaluate[[]string](
			`import('/static/govuk-frontend/govuk-frontend.min.js').then(m => Object.values(m).map(c => c && c.moduleName).filter(Boolean))`,
			chromedp.EvalAwaitPromise))
		if len(known) == 0 {
			t.Fatal("GOV.UK Frontend lists no components")
		}
		type module struct {
			Name string `json:"name"`
			Init bool   `json:"init"`
		}
		mods := eval[[]module](tb, `Array.from(document.querySelectorAll('[data-module]'), e => ({name: e.dataset.module, init: e.hasAttribute('data-' + e.dataset.module + '-init')}))`)
		started := 0
		for _, m := range mods {
			switch {
			case !strings.HasPrefix(m.Name, "govuk-"):
			case !slices.Contains(known, m.Name):
				t.Logf("note: %s has data-module=%q, but GOV.UK Frontend has no such component", path, m.Name)
			case !m.Init:
				t.Errorf("%s: the %s component did not start", path, m.Name)
			default:
				started++
			}
		}
		if started == 0 {
			t.Errorf("%s: no GOV.UK component started (data-modules: %v)", path, mods)
		}
	}

	check("/login")
	check("/directory")
	tb.signIn(login.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	check("/")
	check("/referrals")
}

// lowContrast lists the header's links and buttons whose text has less
// than 4.5:1 contrast (WCAG 2.2 AA for normal text) with what is behind it.
const lowContrast = `(() => {
	const rgba = (s) => { const m = s.match(/[\d.]+/g) || []; return m.map(Number).concat([1]).slice(0, 4); };
	const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
		.reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
	const behind = (el) => {
		for (let e = el; e; e = e.parentElement) {
			const c = rgba(getComputedStyle(e).backgroundColor);
			if (c[3] > 0) return c;
		}
		return [255, 255, 255, 1];
	};
	const bad = [];
	for (const el of document.querySelectorAll('header a, header button')) {
		const fg = lum(rgba(getComputedStyle(el).color)), bg = lum(behind(el));
		const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
		if (ratio < 4.5) bad.push(el.textContent.trim() + ': ' + getComputedStyle(el).color + ' on ' +
			getComputedStyle(el).backgroundColor.replace(/^rgba\(0, 0, 0, 0\)$/, 'transparent') + ' over ' + behind(el).slice(0, 3).join(',') + ' (' + ratio.toFixed(2) + ':1)');
	}
	return bad;
})()`

func TestTheHeaderLinksAreReadable(t *testing.T) {
	s := newSite(t)
	login, _ := demo.LoginFor(linkwork.RoleReferrer)
	tb := newTab(t, s.URL)
	tb.signIn(login.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	if n := eval[int](tb, `document.querySelectorAll('header a, header button').length`); n < 3 {
		t.Fatalf("the header has %d links and buttons; want the product name, the account link and Sign out", n)
	}
	if bad := eval[[]string](tb, lowContrast); len(bad) > 0 {
		t.Errorf("header text below 4.5:1 contrast:\n  %s", strings.Join(bad, "\n  "))
	}
}
