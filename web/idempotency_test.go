package web_test

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
	"github.com/linkwork/linkwork/sqlstore/sqltest"
	"github.com/linkwork/linkwork/web"
)

// sentAnswer is one answer to a request sent from another goroutine.
type sentAnswer struct {
	status   int
	location string
	replayed string
	body     string
	err      error
}

// post sends a JSON POST with an Idempotency-Key; it is safe to call from
// any goroutine.
func (f *fixture) post(role linkwork.Role, path, key, body string) sentAnswer {
	req, err := http.NewRequest("POST", f.ts.URL+path, strings.NewReader(body))
	if err != nil {
		return sentAnswer{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(linkwork.IdempotencyKeyHeader, key)
	if role != anonymous {
		req.Header.Set("Authorization", "Bearer "+f.tokens[role])
	}
	resp, err := newClient().Do(req)
	if err != nil {
		return sentAnswer{err: err}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return sentAnswer{status: resp.StatusCode, location: resp.Header.Get("Location"), replayed: resp.Header.Get(web.ReplayedHeader), body: string(b), err: err}
}

// referralCount is how many referrals the store holds.
func (f *fixture) referralCount(t *testing.T) int {
	t.Helper()
	_, n, err := f.services.Referrals.FindReferrals(linkwork.NewContext(context.Background(), linkwork.SystemActor("test")), linkwork.ReferralFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// refused sends c and fails unless it is answered with status and an
// error naming field.
func (a *apiTester) refused(t *testing.T, c apiCase, status int, field string) {
	t.Helper()
	ans := a.send(t, c)
	if ans.status != status || !slices.Contains(apiErrorFields(ans.v), field) {
		t.Fatalf("%s %s answered %d naming %v, want %d naming %s: %s", c.method, c.path, ans.status, apiErrorFields(ans.v), status, field, ans.body)
	}
}

func TestIdempotencyKey(t *testing.T) {
	doc := loadOpenAPI(t)
	sqltest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		f := newFixture(t, db)
		a := &apiTester{f: f, doc: doc}
		service := f.users[linkwork.RoleCoordinator].OrgID
		referrer := linkwork.RoleReferrer

		t.Run("100 identical requests at once with one key make one referral", func(t *testing.T) {
			body := apiReferralBody(service, "gp", "referral", "Once", nil)
			before := f.referralCount(t)
			const n = 100
			answers := make([]sentAnswer, n)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range answers {
				wg.Go(func() {
					<-start
					answers[i] = f.post(referrer, "/api/v1/referrals", "one-referral-please", body)
				})
			}
			close(start)
			wg.Wait()
			if got := f.referralCount(t) - before; got != 1 {
				t.Fatalf("%d requests with one key made %d referrals, want 1", n, got)
			}
			var first *sentAnswer
			replays, busy := 0, 0
			for i := range answers {
				ans := &answers[i]
				switch {
				case ans.err != nil:
					t.Fatalf("request %d: %v", i, ans.err)
				case ans.status == http.StatusCreated && ans.replayed == "":
					if first != nil {
						t.Fatalf("two requests were answered as the first: %s and %s", first.location, ans.location)
					}
					first = ans
				case ans.status == http.StatusCreated && ans.replayed == "true":
					replays++
				case ans.status == http.StatusConflict && strings.Contains(ans.body, linkwork.IdempotencyKeyHeader):
					busy++ // still in flight when its wait ran out
				default:
					t.Fatalf("request %d answered %d %q: %s", i, ans.status, ans.replayed, ans.body)
				}
			}
			if first == nil || !strings.HasPrefix(first.location, "/api/v1/referrals/") {
				t.Fatalf("no request made the referral: %+v", first)
			}
			for _, ans := range answers {
				if ans.replayed == "true" && (ans.location != first.location || ans.body != first.body) {
					t.Fatalf("a replay differs from the first answer:\n%s %s\n%s %s", ans.location, ans.body, first.location, first.body)
				}
			}
			t.Logf("1 created, %d replayed, %d still in flight", replays, busy)
		})

		t.Run("the same request sent again gets the first answer", func(t *testing.T) {
			for _, c := range []struct {
				name string
				role linkwork.Role
				path string
				body string
			}{
				{"a referral", referrer, "/api/v1/referrals", apiReferralBody(service, "gp", "referral", "Again", nil)},
				{"a public referral", anonymous, "/api/v1/public/referrals", publicBody(service, "self", map[string]any{"family_name": "Againpublic"}, nil)},
			} {
				t.Run(c.name, func(t *testing.T) {
					before := f.referralCount(t)
					first := a.send(t, apiCase{role: c.role, method: "POST", path: c.path, body: c.body, header: map[string]string{"Idempotency-Key": "again-" + c.name}})
					// The same JSON laid out differently is the same request.
					again := a.send(t, apiCase{role: c.role, method: "POST", path: c.path, body: jsonWith(c.body, nil), header: map[string]string{"Idempotency-Key": "again-" + c.name}})
					if first.status != http.StatusCreated || again.status != http.StatusCreated {
						t.Fatalf("answers %d %s, then %d %s", first.status, first.body, again.status, again.body)
					}
					if again.body != first.body || again.header.Get("Location") != first.header.Get("Location") || again.header.Get(web.ReplayedHeader) != "true" || first.header.Get(web.ReplayedHeader) != "" {
						t.Fatalf("not the first answer replayed: %v %s / %v %s", first.header, first.body, again.header, again.body)
					}
					if got := f.referralCount(t) - before; got != 1 {
						t.Fatalf("made %d referrals, want 1", got)
					}
				})
			}
		})

		t.Run("a key used with another body is refused", func(t *testing.T) {
			key := map[string]string{"Idempotency-Key": "other-body"}
			if ans := a.send(t, apiCase{role: referrer, method: "POST", path: "/api/v1/referrals", body: apiReferralBody(service, "gp", "referral", "Firstbody", nil), header: key}); ans.status != http.StatusCreated {
				t.Fatalf("first: %d %s", ans.status, ans.body)
			}
			before := f.referralCount(t)
			a.refused(t, apiCase{role: referrer, method: "POST", path: "/api/v1/referrals", body: apiReferralBody(service, "gp", "referral", "Otherbody", nil), header: key},
				http.StatusUnprocessableEntity, linkwork.IdempotencyKeyHeader)
			if f.referralCount(t) != before {
				t.Fatal("a refused request made a referral")
			}
		})

		t.Run("a key is its sender's own", func(t *testing.T) {
			key := map[string]string{"Idempotency-Key": "shared-key"}
			body := apiReferralBody(service, "gp", "referral", "Twosenders", nil)
			one := a.send(t, apiCase{role: referrer, method: "POST", path: "/api/v1/referrals", body: body, header: key})
			two := a.send(t, apiCase{role: linkwork.RoleCoordinator, method: "POST", path: "/api/v1/referrals", body: body, header: key})
			if one.status != http.StatusCreated || two.status != http.StatusCreated || two.header.Get(web.ReplayedHeader) != "" || one.header.Get("Location") == two.header.Get("Location") {
				t.Fatalf("a second sender's request with the same key was not its own: %d %v, %d %v", one.status, one.header, two.status, two.header)
			}
		})

		t.Run("a failed request leaves the key free", func(t *testing.T) {
			key := map[string]string{"Idempotency-Key": "failed-first"}
			body := apiReferralBody(service, "no such pathway", "referral", "Failedfirst", nil)
			a.refused(t, apiCase{role: referrer, method: "POST", path: "/api/v1/referrals", body: body, header: key}, http.StatusUnprocessableEntity, "pathway")
			// Sent again, it is done again, not refused for its key.
			a.refused(t, apiCase{role: referrer, method: "POST", path: "/api/v1/referrals", body: body, header: key}, http.StatusUnprocessableEntity, "pathway")
		})

		t.Run("a bad key is refused naming the header", func(t *testing.T) {
			for name, k := range map[string]string{"too long": strings.Repeat("k", linkwork.MaxIdempotencyKey+1), "not ASCII": "clé", "empty": ""} {
				t.Run(name, func(t *testing.T) {
					before := f.referralCount(t)
					req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/referrals", strings.NewReader(apiReferralBody(service, "gp", "referral", "Badkey", nil)))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+f.tokens[referrer])
					req.Header[linkwork.IdempotencyKeyHeader] = []string{k}
					resp, err := newClient().Do(req)
					if err != nil {
						t.Fatal(err)
					}
					b, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"field": "Idempotency-Key"`) {
						t.Fatalf("answered %d %s", resp.StatusCode, b)
					}
					if f.referralCount(t) != before {
						t.Fatal("a refused request made a referral")
					}
				})
			}
		})

		t.Run("a new API token is made once and its secret never kept", func(t *testing.T) {
			key := map[string]string{"Idempotency-Key": "token-once"}
			first := a.send(t, apiCase{role: referrer, method: "POST", path: "/api/v1/tokens", body: `{"name":"retried script"}`, header: key})
			if first.status != http.StatusCreated || !strings.HasPrefix(jsonStr(first.v, "token"), "lw_") {
				t.Fatalf("first: %d %s", first.status, first.body)
			}
			a.refused(t, apiCase{role: referrer, method: "POST", path: "/api/v1/tokens", body: `{"name":"retried script"}`, header: key}, http.StatusConflict, linkwork.IdempotencyKeyHeader)
		})

		t.Run("every creating request honours the key", func(t *testing.T) {
			// Each POST the document says creates (answers 201) checks the
			// key before anything else: a bad key is refused.
			for _, r := range f.srv.Routes() {
				_, op := doc.operation(r.Method, r.Pattern)
				if !r.API || r.Method != "POST" || op == nil {
					continue
				}
				if _, creates := doc.response(op, http.StatusCreated); !creates {
					continue
				}
				role := anonymous
				if !r.Access.Public {
					role = linkwork.RoleCoordinator
					if len(r.Access.Roles()) > 0 {
						role = r.Access.Roles()[0]
					}
				}
				path := strings.ReplaceAll(r.Pattern, "{id}", missingID)
				t.Run(r.Method+" "+r.Pattern, func(t *testing.T) {
					a.refused(t, apiCase{role: role, method: "POST", path: path, body: `{}`, header: map[string]string{"Idempotency-Key": strings.Repeat("x", 300)}},
						http.StatusUnprocessableEntity, linkwork.IdempotencyKeyHeader)
				})
			}
		})
	})
}

// moreCreatingPOSTs are the creating POSTs the areas of the case page add
// (each in its own file's init).
var moreCreatingPOSTs []string

// TestIdempotencyKeysDocumented checks that every creating POST documents
// the Idempotency-Key header and the answers it brings.
func TestIdempotencyKeysDocumented(t *testing.T) {
	d := loadOpenAPI(t)
	param, err := d.pointer("#/components/parameters/IdempotencyKey")
	if p, _ := param.(map[string]any); err != nil || p["name"] != linkwork.IdempotencyKeyHeader || p["in"] != "header" {
		t.Fatalf("no reusable Idempotency-Key header parameter: %v %v", param, err)
	}
	n := 0
	for path, item := range d.paths() {
		op, _ := item.(map[string]any)["post"].(map[string]any)
		if op == nil {
			continue
		}
		if _, creates := d.response(op, http.StatusCreated); !creates {
			continue
		}
		n++
		has := false
		params, _ := op["parameters"].([]any)
		for _, p := range params {
			has = has || p.(map[string]any)["$ref"] == "#/components/parameters/IdempotencyKey"
		}
		if !has {
			t.Errorf("POST %s creates but does not take the Idempotency-Key parameter", path)
		}
		if _, ok := d.response(op, http.StatusConflict); !ok {
			t.Errorf("POST %s does not document 409 (a key still in flight)", path)
		}
		created, _ := d.response(op, http.StatusCreated)
		if hs, _ := created["headers"].(map[string]any); hs[web.ReplayedHeader] == nil && path != "/tokens" {
			t.Errorf("POST %s does not document the %s header of its 201", path, web.ReplayedHeader)
		}
	}
	if want := 7 + len(moreCreatingPOSTs); n != want {
		t.Errorf("%d creating POSTs documented; want %d (referrals, public referrals, organisations, users, tokens, assets, asset reports, %v)", n, want, moreCreatingPOSTs)
	}
}
