package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// AuthService implements linkwork.AuthService: signing in, sessions and API
// tokens.
type AuthService struct{ db *DB }

// NewAuthService returns the authentication service over db.
func NewAuthService(db *DB) *AuthService { return &AuthService{db: db} }

var _ linkwork.AuthService = (*AuthService)(nil)

// errBadLogin is the one answer to every failed sign-in, so that it does
// not tell which of email, password or account state was wrong.
func errBadLogin() error {
	return &linkwork.Error{Code: linkwork.EUNAUTHORIZED, Message: "The email address or password is not right. Check them and try again.",
		Fields: []linkwork.FieldError{{Field: "email", Message: "Enter the email address and password for your account"}}}
}

func errSessionEnded() error {
	return linkwork.Errorf(linkwork.EUNAUTHORIZED, "Your session has ended. Sign in again to continue.")
}

// touchEvery limits how often a live session's last-seen time is written.
const touchEvery = time.Minute

// Login checks the credentials and starts a session.
func (s *AuthService) Login(ctx context.Context, email, password, userAgent, ip string) (*linkwork.Session, *linkwork.User, error) {
	var p linkwork.Problems
	// No account's email holds a zero byte or bytes that are not UTF-8,
	// so saying so tells nothing about which accounts exist. (Check before
	// lower-casing, which would turn such bytes into U+FFFD.)
	p.Text("email", email, linkwork.MaxEmailLength)
	p.Text("password", password, 256)
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		p.Add("email", "Enter your email address")
	}
	if password == "" {
		p.Add("password", "Enter your password")
	}
	if err := p.Err(); err != nil {
		return nil, nil, err
	}
	var u *linkwork.User
	var hash string
	err := s.db.viewAs(ctx, linkwork.SystemActor("sign in"), func(tx *Tx) error {
		var err error
		u, err = scanUser(tx.queryRow("SELECT "+userColumns+", u.password_hash FROM users u WHERE u.email = ?", email), &hash)
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		auth.BurnTime(password)
		s.auditFailure(ctx, linkwork.SystemActor("sign in"), "", "unknown email "+email+" from "+ip)
		return nil, nil, errBadLogin()
	}
	if err != nil {
		return nil, nil, s.db.wrap(err)
	}
	ok, err := auth.VerifyPassword(password, hash)
	if err != nil {
		return nil, nil, linkwork.Internal(err)
	}
	if !ok || u.Disabled {
		why := "wrong password"
		if u.Disabled {
			why = "account disabled"
		}
		s.auditFailure(ctx, u.Actor(), u.ID, why+" from "+ip)
		return nil, nil, errBadLogin()
	}
	token := auth.NewToken()
	now := s.db.Now()
	sess := &linkwork.Session{
		ID: auth.HashToken(token), Token: token, UserID: u.ID, CreatedAt: now, LastSeen: now,
		ExpiresAt: now.Add(s.db.sessions.Absolute), UserAgent: truncate(userAgent, 300), IP: truncate(ip, 100),
	}
	err = s.db.updateAs(ctx, u.Actor(), func(tx *Tx) error {
		if _, err := tx.exec("INSERT INTO sessions (id, user_id, created_at, last_seen, expires_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?)",
			sess.ID, sess.UserID, sess.CreatedAt, sess.LastSeen, sess.ExpiresAt, sess.UserAgent, sess.IP); err != nil {
			return err
		}
		if _, err := tx.exec("UPDATE users SET last_login = ? WHERE id = ?", now, u.ID); err != nil {
			return err
		}
		return tx.audit("session.login", auth.KindUser, u.ID, "from "+sess.IP)
	})
	if err != nil {
		return nil, nil, err
	}
	u.LastLogin = now
	return sess, u, nil
}

func (s *AuthService) auditFailure(ctx context.Context, a linkwork.Actor, userID, detail string) {
	err := s.db.updateAs(ctx, a, func(tx *Tx) error {
		return tx.audit("session.login_failed", auth.KindUser, userID, truncate(detail, 300))
	})
	if err != nil {
		s.db.log.Error("audit failed sign-in", "err", err)
	}
}

// SessionUser returns the user of a live session, extending it.
func (s *AuthService) SessionUser(ctx context.Context, token string) (*linkwork.User, error) {
	if token == "" {
		return nil, errSessionEnded()
	}
	id := auth.HashToken(token)
	var u *linkwork.User
	var lastSeen, expires time.Time
	err := s.db.viewAs(ctx, linkwork.SystemActor("session"), func(tx *Tx) error {
		var err error
		u, err = scanUser(tx.queryRow("SELECT "+userColumns+", s.last_seen, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?", id),
			timeDest{&lastSeen}, timeDest{&expires})
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errSessionEnded()
	}
	if err != nil {
		return nil, s.db.wrap(err)
	}
	now := s.db.Now()
	if u.Disabled || !now.Before(expires) || now.Sub(lastSeen) >= s.db.sessions.Idle {
		_ = s.Logout(ctx, token)
		return nil, errSessionEnded()
	}
	if now.Sub(lastSeen) >= touchEvery {
		err := s.db.updateAs(ctx, u.Actor(), func(tx *Tx) error {
			_, err := tx.exec("UPDATE sessions SET last_seen = ? WHERE id = ?", now, id)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// Logout ends the session with this token.
func (s *AuthService) Logout(ctx context.Context, token string) error {
	id := auth.HashToken(token)
	return s.db.updateAs(ctx, linkwork.SystemActor("sign out"), func(tx *Tx) error {
		var userID string
		err := tx.queryRow("SELECT user_id FROM sessions WHERE id = ?", id).Scan(&userID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if _, err := tx.exec("DELETE FROM sessions WHERE id = ?", id); err != nil {
			return err
		}
		tx.actor = linkwork.Actor{UserID: userID}
		return tx.audit("session.logout", auth.KindUser, userID, "")
	})
}

// PurgeSessions deletes sessions past their absolute or idle limit, and
// returns how many.
func (s *AuthService) PurgeSessions(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.updateAs(ctx, linkwork.SystemActor("purge sessions"), func(tx *Tx) error {
		res, err := tx.exec("DELETE FROM sessions WHERE expires_at <= ? OR last_seen <= ?", tx.now, tx.now.Add(-s.db.sessions.Idle))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

// MaxTokenLifetime is the longest an API token may live.
const MaxTokenLifetime = 366 * 24 * time.Hour

// CreateAPIToken issues a bearer token.
func (s *AuthService) CreateAPIToken(ctx context.Context, userID, name string, expires time.Time) (*linkwork.APIToken, error) {
	name = strings.TrimSpace(name)
	now := s.db.Now()
	if expires.IsZero() {
		expires = now.Add(90 * 24 * time.Hour)
	}
	var p linkwork.Problems
	if name == "" {
		p.Add("name", "Give the token a name that says what uses it")
	}
	p.Text("name", name, linkwork.MaxNameLength)
	p.Text("user_id", userID, linkwork.MaxIDLength)
	if !expires.After(now) {
		p.Add("expires", "The expiry must be in the future")
	} else if expires.Sub(now) > MaxTokenLifetime {
		p.Add("expires", "A token can last at most a year")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	t := &linkwork.APIToken{ID: uuid.NewString(), Token: auth.NewAPIToken(), UserID: userID, Name: name, CreatedAt: now, ExpiresAt: expires.UTC().Truncate(time.Microsecond)}
	err := s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.visibleUser(userID)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionToken, userRecord(u)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "You can only create API tokens for your own account, so that what a token does is recorded against the person who holds it")
		}
		if u.Disabled {
			return linkwork.FieldErr("user_id", "That account is disabled: enable it first")
		}
		if _, err := tx.exec("INSERT INTO api_tokens (id, token_hash, user_id, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
			t.ID, auth.HashToken(t.Token), t.UserID, t.Name, t.CreatedAt, t.ExpiresAt); err != nil {
			return err
		}
		return tx.audit("token.create", auth.KindUser, userID, name)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// TokenUser returns the user of a live API token.
func (s *AuthService) TokenUser(ctx context.Context, token string) (*linkwork.User, error) {
	bad := linkwork.Errorf(linkwork.EUNAUTHORIZED, "The API token is not valid: it is unknown, expired, revoked, or its account is disabled")
	if !strings.HasPrefix(token, auth.TokenPrefix) {
		return nil, bad
	}
	hash := auth.HashToken(token)
	var u *linkwork.User
	var tokenID string
	var expires, revoked, lastUsed time.Time
	err := s.db.viewAs(ctx, linkwork.SystemActor("token"), func(tx *Tx) error {
		var err error
		u, err = scanUser(tx.queryRow("SELECT "+userColumns+", t.id, t.expires_at, t.revoked_at, t.last_used FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ?", hash),
			&tokenID, timeDest{&expires}, timeDest{&revoked}, timeDest{&lastUsed})
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return nil, bad
	}
	if err != nil {
		return nil, s.db.wrap(err)
	}
	now := s.db.Now()
	if u.Disabled || !revoked.IsZero() || !now.Before(expires) {
		return nil, bad
	}
	if now.Sub(lastUsed) >= touchEvery {
		err := s.db.updateAs(ctx, u.Actor(), func(tx *Tx) error {
			_, err := tx.exec("UPDATE api_tokens SET last_used = ? WHERE id = ?", now, tokenID)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// APITokens lists the actor's own API tokens that have not been revoked,
// newest first. Whose tokens is the policy's rule for ActionToken: only
// your own, so the query asks for nobody else's.
func (s *AuthService) APITokens(ctx context.Context) ([]*linkwork.APIToken, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if a.System {
		return nil, nil
	}
	var out []*linkwork.APIToken
	err = s.db.viewAs(ctx, a, func(tx *Tx) error {
		rows, err := tx.query("SELECT id, user_id, name, created_at, expires_at, last_used FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY created_at DESC, id", a.UserID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t linkwork.APIToken
			if err := rows.Scan(&t.ID, &t.UserID, &t.Name, timeDest{&t.CreatedAt}, timeDest{&t.ExpiresAt}, timeDest{&t.LastUsed}); err != nil {
				return err
			}
			out = append(out, &t)
		}
		return rows.Err()
	})
	return out, err
}

// RevokeAPIToken revokes one of the actor's own API tokens.
func (s *AuthService) RevokeAPIToken(ctx context.Context, id string) error {
	return s.db.update(ctx, func(tx *Tx) error {
		var userID, orgID string
		var revoked time.Time
		err := tx.queryRow("SELECT t.user_id, u.org_id, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id = ?", id).
			Scan(&userID, &orgID, timeDest{&revoked})
		if errors.Is(err, sql.ErrNoRows) || (err == nil && !auth.Can(tx.actor, auth.ActionToken, auth.Record{Kind: auth.KindUser, OrgID: orgID, UserID: userID})) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "API token not found: it is not one of yours")
		}
		if err != nil {
			return err
		}
		if !revoked.IsZero() {
			return nil
		}
		if _, err := tx.exec("UPDATE api_tokens SET revoked_at = ? WHERE id = ?", tx.now, id); err != nil {
			return err
		}
		return tx.audit("token.revoke", auth.KindUser, userID, "token "+id)
	})
}

// truncate makes s text the store can hold, whatever a client sent (a
// User-Agent header may hold any bytes): bytes that are not UTF-8 and
// zero bytes become U+FFFD, and it is cut to at most n bytes at the end
// of a character.
func truncate(s string, n int) string {
	if !linkwork.ValidText(s) {
		s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
