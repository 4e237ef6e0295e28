package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
)

// listedTokens is GET /api/v1/tokens as the holder of token.
func listedTokens(t *testing.T, f *fixture, token string) []map[string]any {
	t.Helper()
	status, body, _ := f.do(nil, "GET", "/api/v1/tokens", "", "", map[string]string{"Authorization": "Bearer " + token})
	if status != http.StatusOK {
		t.Fatalf("GET /api/v1/tokens: %d %s", status, body)
	}
	var out struct{ Items []map[string]any }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		t.Fatal(err)
	}
	return out.Items
}

// newToken makes an API token on the account page and returns it.
func newToken(t *testing.T, f *fixture, c *http.Client, name string) string {
	t.Helper()
	status, body, _ := f.do(c, "POST", "/account/tokens", "application/x-www-form-urlencoded", url.Values{"name": {name}}.Encode(), nil)
	const mark = `data-testid="new-token" class="lw-token">`
	i := strings.Index(body, mark)
	if status != http.StatusCreated || i < 0 {
		t.Fatalf("make a token: status %d", status)
	}
	tok := body[i+len(mark):]
	return tok[:strings.Index(tok, "<")]
}

func TestYourAPITokens(t *testing.T) {
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		c := f.signIn("linkworker@demo.linkwork.test", f.cfg.Password)
		me := map[string]string{"Authorization": "Bearer " + f.tokens[linkwork.RoleLinkWorker]}
		mine := newToken(t, f, c, "case system")
		if status, _ := f.api(linkwork.RoleLinkWorker, "GET", "/api/v1/me", ""); status != http.StatusOK {
			t.Fatalf("the fixture's token: %d", status)
		}

		t.Run("the account page lists your tokens and when each was last used, never the token", func(t *testing.T) {
			if status, _, _ := f.do(nil, "GET", "/api/v1/me", "", "", map[string]string{"Authorization": "Bearer " + mine}); status != http.StatusOK {
				t.Fatalf("the new token: %d", status)
			}
			status, body, _ := f.do(c, "GET", "/account", "", "", nil)
			if status != http.StatusOK || strings.Count(body, `data-testid="token"`) != 2 || !strings.Contains(body, "case system") || strings.Contains(body, mine) {
				t.Fatalf("status %d; the page lists %d tokens", status, strings.Count(body, `data-testid="token"`))
			}
			if strings.Contains(body, ">Never<") {
				t.Error("a token that was used shows as never used")
			}
		})
		t.Run("the API lists your tokens, never another user's", func(t *testing.T) {
			items := listedTokens(t, f, mine)
			if len(items) != 2 || items[0]["name"] != "case system" || items[1]["name"] != "test" {
				t.Fatalf("listed %v", items)
			}
			for _, it := range items {
				if _, ok := it["token"]; ok || it["last_used"] == nil || it["expired"] != false {
					t.Fatalf("listed %v", it)
				}
			}
			if other := listedTokens(t, f, f.tokens[linkwork.RoleCoordinator]); len(other) != 1 || other[0]["name"] != "test" {
				t.Fatalf("the coordinator lists %v", other)
			}
		})
		t.Run("another user's token cannot be revoked, on the page or the API", func(t *testing.T) {
			id := listedTokens(t, f, f.tokens[linkwork.RoleCoordinator])[0]["id"].(string)
			if status, _, _ := f.do(c, "POST", "/account/tokens/"+id+"/revoke", "application/x-www-form-urlencoded", "", nil); status != http.StatusNotFound {
				t.Errorf("page: status %d, want 404", status)
			}
			if status, _ := f.api(linkwork.RoleAdmin, "DELETE", "/api/v1/tokens/"+id, ""); status != http.StatusNotFound {
				t.Errorf("API as an administrator: status %d, want 404", status)
			}
			if status, _ := f.api(linkwork.RoleCoordinator, "GET", "/api/v1/me", ""); status != http.StatusOK {
				t.Errorf("the coordinator's token stopped working: %d", status)
			}
		})
		t.Run("revoking a token on the account page ends it at once", func(t *testing.T) {
			id := listedTokens(t, f, mine)[0]["id"].(string)
			status, _, h := f.do(c, "POST", "/account/tokens/"+id+"/revoke", "application/x-www-form-urlencoded", "", nil)
			if status != http.StatusSeeOther || h.Get("Location") != "/account?done=revoked" {
				t.Fatalf("status %d to %q", status, h.Get("Location"))
			}
			if status, _, _ := f.do(nil, "GET", "/api/v1/me", "", "", map[string]string{"Authorization": "Bearer " + mine}); status != http.StatusUnauthorized {
				t.Fatalf("the revoked token: status %d, want 401", status)
			}
			status, body, _ := f.do(c, "GET", "/account?done=revoked", "", "", nil)
			if status != http.StatusOK || !strings.Contains(body, "The API token has been revoked") || strings.Contains(body, "case system") {
				t.Fatalf("after revoking: status %d", status)
			}
		})
		t.Run("revoking a token through the API ends it at once", func(t *testing.T) {
			other := newToken(t, f, c, "reporting")
			id := listedTokens(t, f, other)[0]["id"].(string)
			if status, body, _ := f.do(nil, "DELETE", "/api/v1/tokens/"+id, "", "", me); status != http.StatusNoContent || body != "" {
				t.Fatalf("DELETE: %d %q", status, body)
			}
			if status, _, _ := f.do(nil, "DELETE", "/api/v1/tokens/"+id, "", "", me); status != http.StatusNoContent {
				t.Fatalf("DELETE again: %d", status)
			}
			if status, _, _ := f.do(nil, "GET", "/api/v1/me", "", "", map[string]string{"Authorization": "Bearer " + other}); status != http.StatusUnauthorized {
				t.Fatalf("the revoked token: status %d, want 401", status)
			}
		})
		t.Run("changing your password revokes your API tokens", func(t *testing.T) {
			kept := newToken(t, f, c, "nightly export")
			status, _, _ := f.do(c, "POST", "/account/password", "application/x-www-form-urlencoded",
				url.Values{"current_password": {f.cfg.Password}, "new_password": {"a brand new password"}, "confirm_password": {"a brand new password"}}.Encode(), nil)
			if status != http.StatusSeeOther {
				t.Fatalf("change password: status %d", status)
			}
			for _, tok := range []string{kept, f.tokens[linkwork.RoleLinkWorker]} {
				if status, _, _ := f.do(nil, "GET", "/api/v1/me", "", "", map[string]string{"Authorization": "Bearer " + tok}); status != http.StatusUnauthorized {
					t.Errorf("a token made before the change: status %d, want 401", status)
				}
			}
			status, body, _ := f.do(c, "GET", "/account?done=password", "", "", nil)
			if status != http.StatusOK || !strings.Contains(body, "your API tokens have been revoked") || !strings.Contains(body, `data-testid="no-tokens"`) {
				t.Fatalf("after the change: status %d", status)
			}
		})
	})
}
