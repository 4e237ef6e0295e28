package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAccountPage(t *testing.T) {
	f := sqliteFixture(t)
	c := f.signIn("safeguarding@demo.linkwork.test", f.cfg.Password)
	form := func(v url.Values) string { return v.Encode() }
	t.Run("an API token is shown once and works", func(t *testing.T) {
		status, body, _ := f.do(c, "POST", "/account/tokens", "application/x-www-form-urlencoded", form(url.Values{"name": {"reporting"}, "days": {"30"}}), nil)
		if status != http.StatusCreated {
			t.Fatalf("status %d", status)
		}
		i := strings.Index(body, `data-testid="new-token" class="lw-token">`)
		if i < 0 {
			t.Fatal("no token on the page")
		}
		token := body[i+len(`data-testid="new-token" class="lw-token">`):]
		token = token[:strings.Index(token, "<")]
		status, me, _ := f.do(nil, "GET", "/api/v1/me", "", "", map[string]string{"Authorization": "Bearer " + token})
		if status != http.StatusOK || !strings.Contains(me, "safeguarding@demo.linkwork.test") {
			t.Fatalf("the new token: %d %s", status, me)
		}
		status, body, _ = f.do(c, "GET", "/account", "", "", nil)
		if status != http.StatusOK || strings.Contains(body, token) {
			t.Fatal("the token is shown again")
		}
	})
	t.Run("bad token requests are named", func(t *testing.T) {
		for _, tt := range []struct{ name, days, says string }{
			{"", "", "Give the token a name"},
			{"x", "400", "Enter a number of days from 1 to 366"},
			{"x", "soon", "Enter a number of days from 1 to 366"},
		} {
			status, body, _ := f.do(c, "POST", "/account/tokens", "application/x-www-form-urlencoded", form(url.Values{"name": {tt.name}, "days": {tt.days}}), nil)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, tt.says) || !strings.Contains(body, "govuk-error-summary") {
				t.Errorf("name %q days %q: status %d, want the page to say %q", tt.name, tt.days, status, tt.says)
			}
		}
	})
	t.Run("changing the password", func(t *testing.T) {
		for _, tt := range []struct {
			current, next, confirm, says string
		}{
			{"wrong password", "a brand new password", "a brand new password", "Your current password is not right"},
			{f.cfg.Password, "a brand new password", "a different password", "The new passwords do not match"},
			{f.cfg.Password, "short", "short", "Password must be at least 12 characters"},
		} {
			status, body, _ := f.do(c, "POST", "/account/password", "application/x-www-form-urlencoded",
				form(url.Values{"current_password": {tt.current}, "new_password": {tt.next}, "confirm_password": {tt.confirm}}), nil)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, tt.says) {
				t.Errorf("status %d, want the page to say %q", status, tt.says)
			}
		}
		other := f.signIn("safeguarding@demo.linkwork.test", f.cfg.Password)
		status, _, h := f.do(c, "POST", "/account/password", "application/x-www-form-urlencoded",
			form(url.Values{"current_password": {f.cfg.Password}, "new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}}), nil)
		if status != http.StatusSeeOther || h.Get("Location") != "/account?done=password" {
			t.Fatalf("status %d location %q", status, h.Get("Location"))
		}
		if status, body, _ := f.do(c, "GET", "/account?done=password", "", "", nil); status != http.StatusOK || !strings.Contains(body, "Your password has been changed") {
			t.Fatalf("this browser was signed out: %d", status)
		}
		if status, _, _ := f.do(other, "GET", "/account", "", "", nil); status != http.StatusSeeOther {
			t.Fatalf("another session survived the change: %d", status)
		}
	})
}
