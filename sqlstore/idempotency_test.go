package sqlstore_test

import (
	"context"
	"strings"
	"testing"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/sqlstore"
)

func TestIdempotencyKeys(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		idem := sqlstore.NewIdempotencyService(w.db)
		idem.SetWait(50 * time.Millisecond)
		req := func(key, body string) linkwork.IdempotentRequest {
			return linkwork.IdempotentRequest{Key: key, Route: "POST /api/v1/referrals", BodyHash: body, Address: "192.0.2.1"}
		}
		answer := linkwork.StoredAnswer{Status: 201, Location: "/api/v1/referrals/r1", ContentType: "application/json", Body: []byte(`{"id":"r1"}`)}
		begin := func(ctx context.Context, r linkwork.IdempotentRequest) linkwork.IdempotencyClaim {
			t.Helper()
			c, err := idem.BeginRequest(ctx, r)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		gp := w.as(w.referrer)

		t.Run("a new key is claimed and its answer given again", func(t *testing.T) {
			r := req("k1", "body1")
			if c := begin(gp, r); c.Replay != nil {
				t.Fatalf("a new key replayed %+v", c.Replay)
			}
			if err := idem.FinishRequest(gp, r, answer); err != nil {
				t.Fatal(err)
			}
			c := begin(gp, r)
			if c.Replay == nil || c.Replay.Status != 201 || c.Replay.Location != answer.Location || string(c.Replay.Body) != string(answer.Body) || c.Replay.ContentType != answer.ContentType {
				t.Fatalf("replay %+v", c.Replay)
			}
			if got := auditedActions(t, w, "r1"); len(got) == 0 || got[0] != "request.replay by "+w.referrer.ID {
				t.Fatalf("the replay of a referral is not audited: %v", got)
			}
		})
		t.Run("a key used with another body is refused naming the header", func(t *testing.T) {
			_, err := idem.BeginRequest(gp, req("k1", "another body"))
			wantField(t, err, linkwork.IdempotencyKeyHeader)
		})
		t.Run("a key is its caller's own", func(t *testing.T) {
			for _, ctx := range []context.Context{w.as(w.schoolReferrer), context.Background()} {
				if c := begin(ctx, req("k1", "body1")); c.Replay != nil {
					t.Fatalf("another caller got the referrer's answer")
				}
			}
			// An anonymous caller's key is their address's.
			other := req("k1", "body1")
			other.Address = "192.0.2.2"
			if c := begin(context.Background(), other); c.Replay != nil {
				t.Fatal("another address got an anonymous caller's answer")
			}
		})
		t.Run("a request still being answered is waited for", func(t *testing.T) {
			r := req("k2", "body2")
			begin(gp, r)
			_, err := idem.BeginRequest(gp, r)
			wantCode(t, err, linkwork.ECONFLICT)
			done := make(chan linkwork.IdempotencyClaim)
			idem.SetWait(time.Minute)
			defer idem.SetWait(50 * time.Millisecond)
			go func() {
				c, err := idem.BeginRequest(gp, r)
				if err != nil {
					t.Error(err)
				}
				done <- c
			}()
			if err := idem.FinishRequest(gp, r, answer); err != nil {
				t.Fatal(err)
			}
			if c := <-done; c.Replay == nil || c.Replay.Location != answer.Location {
				t.Fatalf("the waiting request got %+v", c)
			}
		})
		t.Run("a released key is claimed afresh", func(t *testing.T) {
			r := req("k3", "body3")
			begin(gp, r)
			if err := idem.ReleaseRequest(gp, r); err != nil {
				t.Fatal(err)
			}
			if c := begin(gp, r); c.Replay != nil {
				t.Fatal("a released key replayed")
			}
		})
		t.Run("a claim whose server stopped is taken over after its lease", func(t *testing.T) {
			r := req("k4", "body4")
			begin(gp, r)
			w.clock.Advance(6 * time.Minute)
			if c := begin(gp, r); c.Replay != nil {
				t.Fatal("an abandoned claim replayed")
			}
			if err := idem.FinishRequest(gp, r, answer); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("an answer holding a secret is never kept nor replayed", func(t *testing.T) {
			r := req("k5", "body5")
			begin(gp, r)
			secret := linkwork.StoredAnswer{Status: 201, ContentType: "application/json", Body: []byte(`{"token":"lw_secret"}`), Secret: true}
			if err := idem.FinishRequest(gp, r, secret); err != nil {
				t.Fatal(err)
			}
			_, err := idem.BeginRequest(gp, r)
			wantCode(t, err, linkwork.ECONFLICT)
			if !strings.Contains(linkwork.ErrorMessage(err), "secret") {
				t.Errorf("message %q", linkwork.ErrorMessage(err))
			}
			if n, err := w.db.QueryString("SELECT COUNT(*) FROM idempotency_keys WHERE body LIKE '%lw_secret%'"); err != nil || n != "0" {
				t.Fatalf("the secret is kept: %s %v", n, err)
			}
		})
		t.Run("bad keys are refused naming the header", func(t *testing.T) {
			for _, k := range []string{"", strings.Repeat("k", 256), "tab\there", "clé"} {
				_, err := idem.BeginRequest(gp, req(k, "b"))
				wantField(t, err, linkwork.IdempotencyKeyHeader)
			}
		})
		t.Run("keys are forgotten after a day", func(t *testing.T) {
			_, err := idem.PurgeIdempotencyKeys(gp)
			wantCode(t, err, linkwork.EFORBIDDEN)
			if n, err := idem.PurgeIdempotencyKeys(w.sys); err != nil || n != 0 {
				t.Fatalf("purged %d (%v) before any key is a day old", n, err)
			}
			// Past its lifetime a key is forgotten even before the sweep.
			w.clock.Advance(linkwork.IdempotencyKeyLifetime)
			if c := begin(gp, req("k1", "a new body")); c.Replay != nil {
				t.Fatal("a day-old key replayed")
			}
			n, err := idem.PurgeIdempotencyKeys(w.sys)
			if err != nil || n < 5 {
				t.Fatalf("purged %d (%v)", n, err)
			}
			if left, _ := w.db.QueryString("SELECT COUNT(*) FROM idempotency_keys"); left != "1" {
				t.Fatalf("%s keys left, want the one claimed now", left)
			}
		})
	})
}
