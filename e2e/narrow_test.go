package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/demo"
)

// narrowWindow makes the tab's window itself width pixels wide: a real
// narrow window, not device emulation (which lays a page out wider than the
// screen and shrinks it to fit, hiding what sticks out).
func (tb *tab) narrowWindow(width int64) {
	tb.t.Helper()
	tb.run(fmt.Sprintf("make the window %dpx wide", width), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		w, err := cdp.Call(ctx, t, cdpbrowser.GetWindowForTarget, cdpbrowser.GetWindowForTargetParams{})
		if err != nil {
			return err
		}
		_, err = cdp.Call(ctx, t, cdpbrowser.SetContentsSize, cdpbrowser.SetContentsSizeParams{WindowID: w.WindowID, Width: width, Height: 800})
		return err
	}))
	// The window takes its new size a moment after the browser is asked.
	// (Asked again and again rather than with chromedp.Poll, which waits
	// for a page a new tab's about:blank never becomes.)
	deadline := time.Now().Add(5 * time.Second)
	for {
		got := eval[int64](tb, `window.innerWidth`)
		if got == width {
			return
		}
		if time.Now().After(deadline) {
			tb.t.Fatalf("the window is %dpx wide inside, not %dpx", got, width)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// fitsTheWindow fails the test when the page the tab shows is wider than
// its window: a person on a phone would have to scroll sideways.
func (tb *tab) fitsTheWindow(what string) {
	tb.t.Helper()
	o := eval[overflow](tb, readOverflow)
	if o.ScrollWidth > o.InnerWidth {
		tb.t.Errorf("%s scrolls sideways in a %dpx window: %dpx of content; too wide:\n  %s",
			what, o.InnerWidth, o.ScrollWidth, strings.Join(o.Wide, "\n  "))
		tb.snapshot("narrow " + strings.ReplaceAll(what, "/", "_"))
	}
}

// TestDirectoryResultsStartOnThePhonesFirstScreen: on a phone, a person
// searching the directory sees the first results without scrolling past
// every filter.
func TestDirectoryResultsStartOnThePhonesFirstScreen(t *testing.T) {
	s := newSite(t)
	tb := newTab(t, s.URL)
	tb.narrowWindow(320)
	tb.open("/directory?q=group")
	tb.run("wait for the results", chromedp.WaitVisible(chromedp.CSS("[data-testid=result]")))
	top := eval[float64](tb, `document.querySelector('[data-testid=result]').getBoundingClientRect().top + window.scrollY`)
	if h := eval[float64](tb, `window.innerHeight`); top > h {
		t.Errorf("the first result starts %.0fpx down a %.0fpx-high phone screen", top, h)
	}
}

// TestTheCoordinatorsNavigationFitsOneLine: on a 1280px screen the
// coordinator's navigation is one line, not two.
func TestTheCoordinatorsNavigationFitsOneLine(t *testing.T) {
	s := newSite(t)
	tb := newTab(t, s.URL)
	tb.narrowWindow(1280)
	login, _ := demo.LoginFor(linkwork.RoleCoordinator)
	tb.signIn(login.Email, s.cfg.Password)
	tb.run("wait for home", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tops := eval[[]float64](tb, `Array.from(document.querySelectorAll('#navigation > li'), li => Math.round(li.getBoundingClientRect().top))`)
	if len(tops) < 2 {
		t.Fatalf("the navigation has %d items", len(tops))
	}
	for _, top := range tops[1:] {
		if top != tops[0] {
			t.Fatalf("the navigation wraps: its items start at %v px down", tops)
		}
	}
}
