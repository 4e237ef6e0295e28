package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// IdempotencyService implements linkwork.IdempotencyService over the
// idempotency_keys table (0010_idempotency_keys.sql).
type IdempotencyService struct {
	db *DB
	// wait bounds how long BeginRequest waits for a first request that is
	// still being answered before answering ECONFLICT.
	wait time.Duration
	// lease is how long a claim holds without an answer: after it, the
	// server that claimed the key is taken to have stopped, and the same
	// request may claim the key again.
	lease time.Duration
}

// NewIdempotencyService returns the idempotency service over db.
func NewIdempotencyService(db *DB) *IdempotencyService {
	return &IdempotencyService{db: db, wait: 10 * time.Second, lease: 5 * time.Minute}
}

var _ linkwork.IdempotencyService = (*IdempotencyService)(nil)

// anonymousRequests is the actor for anonymous callers' keys: the public
// referral form's.
var anonymousRequests = linkwork.SystemActor("public request")

// idempotencyKeyID names a key in the table.
type idempotencyKeyID struct{ caller, route, key string }

// keyFor returns who the request's key belongs to and the actor to work
// as: a signed-in user by their id, an anonymous caller by address.
func (s *IdempotencyService) keyFor(ctx context.Context, req linkwork.IdempotentRequest) (idempotencyKeyID, linkwork.Actor, error) {
	var p linkwork.Problems
	if err := linkwork.ValidateIdempotencyKey(req.Key); err != nil {
		p = append(p, linkwork.ErrorFields(err)...)
	}
	if req.Route == "" || req.BodyHash == "" {
		return idempotencyKeyID{}, linkwork.Actor{}, linkwork.Internal(nil)
	}
	id := idempotencyKeyID{route: req.Route, key: req.Key}
	a, ok := linkwork.ActorFrom(ctx)
	switch {
	case ok && a.UserID != "":
		id.caller = "user:" + a.UserID
	case ok && a.System:
		id.caller = "system:" + a.Purpose
	case req.Address != "":
		id.caller, a = "address:"+req.Address, anonymousRequests
	default:
		return idempotencyKeyID{}, linkwork.Actor{}, linkwork.Errorf(linkwork.EUNAUTHORIZED, "Sign in to continue")
	}
	return id, a, p.Err()
}

// claimOutcome is what one attempt to claim a key found.
type claimOutcome int

const (
	claimed  claimOutcome = iota // the key is the caller's now
	replayed                     // the key was answered: here is the answer
	inFlight                     // the key's first request is still being answered
)

// BeginRequest claims the request's key, or gives back the first answer;
// see linkwork.IdempotencyService.
func (s *IdempotencyService) BeginRequest(ctx context.Context, req linkwork.IdempotentRequest) (linkwork.IdempotencyClaim, error) {
	id, a, err := s.keyFor(ctx, req)
	if err != nil {
		return linkwork.IdempotencyClaim{}, err
	}
	deadline := time.Now().Add(s.wait)
	for {
		var outcome claimOutcome
		var answer *linkwork.StoredAnswer
		err := s.db.updateAs(ctx, a, func(tx *Tx) error {
			var err error
			outcome, answer, err = tx.claimKey(id, req.BodyHash, s.lease)
			return err
		})
		if err != nil {
			return linkwork.IdempotencyClaim{}, err
		}
		switch outcome {
		case claimed:
			return linkwork.IdempotencyClaim{}, nil
		case replayed:
			return linkwork.IdempotencyClaim{Replay: answer}, nil
		}
		// Wait, reading only, until the first request is answered or
		// given up: polling with writes would queue behind the very
		// request being waited for.
		if err := s.waitWhileRunning(ctx, a, id, req.BodyHash, deadline); err != nil {
			return linkwork.IdempotencyClaim{}, err
		}
	}
}

// waitWhileRunning polls the key until its first request is no longer
// being answered, and answers ECONFLICT at the deadline.
func (s *IdempotencyService) waitWhileRunning(ctx context.Context, a linkwork.Actor, id idempotencyKeyID, bodyHash string, deadline time.Time) error {
	delay := 5 * time.Millisecond
	for {
		if !time.Now().Before(deadline) {
			return &linkwork.Error{Code: linkwork.ECONFLICT,
				Message: "A request with this Idempotency-Key is still being answered. Send it again in a moment to get its answer.",
				Fields:  []linkwork.FieldError{{Field: linkwork.IdempotencyKeyHeader, Message: "is in use by a request still being answered"}}}
		}
		t := time.NewTimer(min(delay, time.Until(deadline)))
		select {
		case <-ctx.Done():
			t.Stop()
			return s.db.wrap(ctx.Err())
		case <-t.C:
		}
		delay = min(2*delay, 200*time.Millisecond)
		running := false
		err := s.db.viewAs(ctx, a, func(tx *Tx) error {
			var state, hash string
			var lockedUntil time.Time
			err := tx.queryRow("SELECT state, body_hash, locked_until FROM idempotency_keys WHERE caller = ? AND route = ? AND idem_key = ?", id.caller, id.route, id.key).
				Scan(&state, &hash, timeDest{&lockedUntil})
			if err != nil {
				if errors.Is(err, sql.ErrNoRows) {
					return nil // released: claim it
				}
				return err
			}
			running = state == "running" && hash == bodyHash && tx.now.Before(lockedUntil)
			return nil
		})
		if err != nil || !running {
			return err
		}
	}
}

// claimKey makes one attempt to claim a key in this transaction.
func (tx *Tx) claimKey(id idempotencyKeyID, bodyHash string, lease time.Duration) (claimOutcome, *linkwork.StoredAnswer, error) {
	expires, lockedUntil := tx.now.Add(linkwork.IdempotencyKeyLifetime), tx.now.Add(lease)
	res, err := tx.exec(`INSERT INTO idempotency_keys (caller, route, idem_key, body_hash, state, created_at, locked_until, expires_at)
		VALUES (?, ?, ?, ?, 'running', ?, ?, ?) ON CONFLICT (caller, route, idem_key) DO NOTHING`,
		id.caller, id.route, id.key, bodyHash, tx.now, lockedUntil, expires)
	if err != nil {
		return 0, nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return claimed, nil, err
	}
	// A key past its lifetime is forgotten, even if the sweep has not
	// removed it yet; a claim past its lease was abandoned by a server
	// that stopped, and the same request may take it over.
	res, err = tx.exec(`UPDATE idempotency_keys SET body_hash = ?, state = 'running', status = 0, location = '', content_type = '', body = '', secret = FALSE,
			created_at = ?, locked_until = ?, expires_at = ?
		WHERE caller = ? AND route = ? AND idem_key = ?
		AND (expires_at <= ? OR (state = 'running' AND locked_until <= ? AND body_hash = ?))`,
		bodyHash, tx.now, lockedUntil, expires, id.caller, id.route, id.key, tx.now, tx.now, bodyHash)
	if err != nil {
		return 0, nil, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 1 {
		return claimed, nil, err
	}
	var state, hash string
	var ans linkwork.StoredAnswer
	var body string
	err = tx.queryRow("SELECT state, body_hash, status, location, content_type, body, secret FROM idempotency_keys WHERE caller = ? AND route = ? AND idem_key = ?",
		id.caller, id.route, id.key).Scan(&state, &hash, &ans.Status, &ans.Location, &ans.ContentType, &body, &ans.Secret)
	if err != nil {
		// Released between the two statements (SQLite cannot be, having
		// one writer; PostgreSQL can): try again.
		if errors.Is(err, sql.ErrNoRows) {
			return inFlight, nil, nil
		}
		return 0, nil, err
	}
	switch {
	case hash != bodyHash:
		return 0, nil, &linkwork.Error{Code: linkwork.EINVALID,
			Message: "There is a problem: this Idempotency-Key was used with a different request. Send a new key for a new request.",
			Fields:  []linkwork.FieldError{{Field: linkwork.IdempotencyKeyHeader, Message: "was used before with a different request body; use a new key for a new request"}}}
	case state == "running":
		return inFlight, nil, nil
	case ans.Secret:
		return 0, nil, &linkwork.Error{Code: linkwork.ECONFLICT,
			Message: "The request with this Idempotency-Key was answered already, and its answer held a secret that is shown only once and not kept, so it cannot be sent again. Send a new key to make another.",
			Fields:  []linkwork.FieldError{{Field: linkwork.IdempotencyKeyHeader, Message: "was answered already with a secret that is not kept"}}}
	}
	ans.Body = []byte(body)
	kind, recordID := answerRecord(ans.Location)
	if err := tx.audit("request.replay", kind, recordID, id.route+" answered again for its Idempotency-Key"); err != nil {
		return 0, nil, err
	}
	return replayed, &ans, nil
}

// answerRecord finds the record a stored answer is about from its
// Location, such as /api/v1/referrals/{id}, for the replay's audit event.
func answerRecord(location string) (auth.Kind, string) {
	parts := strings.Split(strings.TrimPrefix(location, "/api/v1/"), "/")
	if len(parts) < 2 {
		return "", ""
	}
	kind, ok := map[string]auth.Kind{"referrals": auth.KindReferral, "organisations": auth.KindOrganisation, "users": auth.KindUser, "assets": auth.KindAsset}[parts[0]]
	if !ok {
		return "", ""
	}
	return kind, parts[1]
}

// FinishRequest stores the answer to a claimed request; see
// linkwork.IdempotencyService.
func (s *IdempotencyService) FinishRequest(ctx context.Context, req linkwork.IdempotentRequest, answer linkwork.StoredAnswer) error {
	id, a, err := s.keyFor(ctx, req)
	if err != nil {
		return err
	}
	if answer.Status < 200 || answer.Status > 299 {
		return linkwork.Internal(nil)
	}
	body := string(answer.Body)
	if answer.Secret {
		body = ""
	} else if !utf8.ValidString(body) {
		return linkwork.Internal(nil)
	}
	return s.db.updateAs(ctx, a, func(tx *Tx) error {
		res, err := tx.exec(`UPDATE idempotency_keys SET state = 'done', status = ?, location = ?, content_type = ?, body = ?, secret = ?
			WHERE caller = ? AND route = ? AND idem_key = ? AND state = 'running' AND body_hash = ?`,
			answer.Status, answer.Location, answer.ContentType, body, answer.Secret, id.caller, id.route, id.key, req.BodyHash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return err
		}
		return linkwork.Errorf(linkwork.ECONFLICT, "The Idempotency-Key was no longer held by this request: it took longer than the key's claim lasts")
	})
}

// ReleaseRequest gives up a claimed key; see linkwork.IdempotencyService.
func (s *IdempotencyService) ReleaseRequest(ctx context.Context, req linkwork.IdempotentRequest) error {
	id, a, err := s.keyFor(ctx, req)
	if err != nil {
		return err
	}
	return s.db.updateAs(ctx, a, func(tx *Tx) error {
		_, err := tx.exec("DELETE FROM idempotency_keys WHERE caller = ? AND route = ? AND idem_key = ? AND state = 'running' AND body_hash = ?",
			id.caller, id.route, id.key, req.BodyHash)
		return err
	})
}

// PurgeIdempotencyKeys forgets keys past their lifetime; see
// linkwork.IdempotencyService.
func (s *IdempotencyService) PurgeIdempotencyKeys(ctx context.Context) (int, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return 0, err
	}
	if !a.System {
		return 0, linkwork.Errorf(linkwork.EFORBIDDEN, "Only the system forgets idempotency keys")
	}
	var n int64
	err = s.db.updateAs(ctx, a, func(tx *Tx) error {
		res, err := tx.exec("DELETE FROM idempotency_keys WHERE expires_at <= ?", tx.now)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return int(n), err
}
