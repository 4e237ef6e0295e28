package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// apiStatus is the status GET /api/v1/me answers with the token.
func apiStatus(t *testing.T, s *site, token string) int {
	t.Helper()
	req, err := http.NewRequest("GET", s.URL+"/api/v1/me", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestAnAPITokenMadeOnTheAccountPageCanBeRevokedThere(t *testing.T) {
	s := newSite(t)
	tb := newTab(t, s.URL)
	tb.signIn("linkworker@demo.linkwork.test", s.cfg.Password)
	tb.run("wait for the home page", chromedp.WaitVisible(chromedp.CSS("[data-testid=home-heading]")))
	tb.open("/account")
	if got := tb.text("[data-testid=no-tokens]"); got != "You have no API tokens." {
		t.Errorf("before making one, the page says %q", got)
	}

	tb.run("name a token and make it",
		chromedp.SendKeys(chromedp.CSS("#name"), "case system"),
		chromedp.SendKeys(chromedp.CSS("#days"), "30"),
		chromedp.Click(chromedp.CSS(`form[action="/account/tokens"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=new-token]")),
	)
	token := tb.text("[data-testid=new-token]")
	if got := apiStatus(t, s, token); got != http.StatusOK {
		t.Fatalf("the token the page showed: the API answers %d", got)
	}
	if names := eval[[]string](tb, `Array.from(document.querySelectorAll('[data-testid=token-name]'), e => e.textContent.trim())`); len(names) != 1 || names[0] != "case system" {
		t.Fatalf("the page lists tokens %q, want just \"case system\"", names)
	}

	// Coming back later, the token is listed, used, and not shown.
	tb.open("/account")
	row := tb.text("[data-testid=token]")
	if eval[bool](tb, `document.body.innerText.includes(`+jsString(token)+`)`) {
		t.Fatal("the account page shows the token again")
	}
	if want := "case system"; !strings.Contains(row, want) || strings.Contains(row, "Never") {
		t.Errorf("the token's row reads %q: want its name and when it was last used", row)
	}

	tb.run("revoke it",
		chromedp.Click(chromedp.CSS(`[data-testid=token] [data-testid=revoke-token]`)),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=no-tokens]")),
	)
	if got := tb.path(); got != "/account?done=revoked" {
		t.Errorf("after revoking, the tab is at %s", got)
	}
	if got := tb.text(".govuk-notification-banner__heading"); !strings.Contains(got, "The API token has been revoked") {
		t.Errorf("after revoking, the notice reads %q", got)
	}
	if got := apiStatus(t, s, token); got != http.StatusUnauthorized {
		t.Errorf("the revoked token: the API answers %d, want 401", got)
	}
}
