package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// UserService implements linkwork.UserService.
type UserService struct{ db *DB }

// NewUserService returns the user service over db.
func NewUserService(db *DB) *UserService { return &UserService{db: db} }

var _ linkwork.UserService = (*UserService)(nil)

const userColumns = "u.id, u.org_id, u.email, u.name, u.role, u.disabled, u.age_min, u.age_max, u.version, u.created_at, u.updated_at, u.last_login"

func scanUser(row scanner, extra ...any) (*linkwork.User, error) {
	var u linkwork.User
	var role string
	dest := append([]any{&u.ID, &u.OrgID, &u.Email, &u.Name, &role, &u.Disabled, &u.AgeMin, &u.AgeMax, &u.Version, timeDest{&u.CreatedAt}, timeDest{&u.UpdatedAt}, timeDest{&u.LastLogin}}, extra...)
	err := row.Scan(dest...)
	u.Role = linkwork.Role(role)
	return &u, err
}

func userRecord(u *linkwork.User) auth.Record {
	return auth.Record{Kind: auth.KindUser, OrgID: u.OrgID, UserID: u.ID}
}

// CreateUser stores u with a hashed password. Administrators only.
func (s *UserService) CreateUser(ctx context.Context, u *linkwork.User, password string) error {
	if err := u.Validate(password, true); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return linkwork.Internal(err)
	}
	return s.db.update(ctx, func(tx *Tx) error {
		if !auth.Can(tx.actor, auth.ActionCreate, userRecord(u)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only administrators can add users")
		}
		return tx.insertUser(u, hash)
	})
}

// insertUser checks the role fits the organisation and stores u.
func (tx *Tx) insertUser(u *linkwork.User, hash string) error {
	org, err := tx.findOrg(u.OrgID)
	if linkwork.ErrorCode(err) == linkwork.ENOTFOUND {
		return linkwork.FieldErr("org_id", "Choose an organisation that exists")
	} else if err != nil {
		return err
	}
	if !slices.Contains(u.Role.OrgKinds(), org.Kind) {
		var kinds []string
		for _, k := range u.Role.OrgKinds() {
			kinds = append(kinds, k.Label())
		}
		msg := "A " + strings.ToLower(u.Role.Label()) + " must belong to one of: " + strings.Join(kinds, ", ") + " (not a " + org.Kind.Label() + ")"
		return linkwork.FieldErr("role", msg)
	}
	if u.ID == "" {
		u.ID = uuid.NewString()
	}
	u.Version, u.CreatedAt, u.UpdatedAt = 1, tx.now, tx.now
	_, err = tx.exec(`INSERT INTO users (id, org_id, email, name, role, password_hash, disabled, age_min, age_max, version, created_at, updated_at)
		VALUES (`+placeholders(12)+`)`,
		u.ID, u.OrgID, u.Email, u.Name, string(u.Role), hash, u.Disabled, u.AgeMin, u.AgeMax, u.Version, u.CreatedAt, u.UpdatedAt)
	if err != nil {
		if linkwork.ErrorCode(tx.db.wrap(err)) == linkwork.ECONFLICT {
			return &linkwork.Error{Code: linkwork.ECONFLICT, Message: "There is a problem: that email address already has an account", Fields: []linkwork.FieldError{{Field: "email", Message: "That email address already has an account"}}, Err: err}
		}
		return err
	}
	return tx.audit("user.create", auth.KindUser, u.ID, string(u.Role))
}

// FindUserByID returns one user the actor may see.
func (s *UserService) FindUserByID(ctx context.Context, id string) (*linkwork.User, error) {
	return s.findOne(ctx, "u.id = ?", id)
}

// FindUserByEmail returns one user the actor may see, by email.
func (s *UserService) FindUserByEmail(ctx context.Context, email string) (*linkwork.User, error) {
	return s.findOne(ctx, "u.email = ?", strings.ToLower(strings.TrimSpace(email)))
}

func (s *UserService) findOne(ctx context.Context, cond string, arg any) (*linkwork.User, error) {
	var u *linkwork.User
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.add(cond, arg)
		w.scope(tx.actor, auth.KindUser, "u")
		var err error
		u, err = scanUser(tx.queryRow("SELECT "+userColumns+" FROM users u WHERE "+w.sql(), w.args...))
		if errors.Is(err, sql.ErrNoRows) {
			return linkwork.Errorf(linkwork.ENOTFOUND, "User not found")
		}
		if err != nil {
			return err
		}
		return tx.audit("user.read", auth.KindUser, u.ID, "")
	})
	return u, err
}

// FindUsers returns a page of the users the actor may see, by name.
func (s *UserService) FindUsers(ctx context.Context, f linkwork.UserFilter) ([]*linkwork.User, int, error) {
	var out []*linkwork.User
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		var w where
		w.scope(tx.actor, auth.KindUser, "u")
		if f.OrgID != "" {
			w.add("u.org_id = ?", f.OrgID)
		}
		if f.Role != "" {
			w.add("u.role = ?", string(f.Role))
		}
		if f.Disabled != nil {
			w.add("u.disabled = ?", *f.Disabled)
		}
		scan := func(r scanner) (*linkwork.User, error) { return scanUser(r) }
		var err error
		if out, total, err = queryPage(tx, "FROM users u", "", w, "u.name, u.id", f.Offset, f.Limit, scan, userColumns); err != nil {
			return err
		}
		ids := make([]string, len(out))
		for i, u := range out {
			ids[i] = u.ID
		}
		return tx.auditList("user.list", auth.KindUser, ids)
	})
	return out, total, err
}

// DisableUser stops a user signing in and ends their sessions and tokens.
func (s *UserService) DisableUser(ctx context.Context, id string) error {
	return s.setDisabled(ctx, id, true)
}

// EnableUser lets a disabled user sign in again.
func (s *UserService) EnableUser(ctx context.Context, id string) error {
	return s.setDisabled(ctx, id, false)
}

func (s *UserService) setDisabled(ctx context.Context, id string, disabled bool) error {
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.visibleUser(id)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionDisable, userRecord(u)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only administrators can disable or enable accounts")
		}
		if disabled && u.ID == tx.actor.UserID {
			return linkwork.FieldErr("id", "You cannot disable your own account; ask another administrator")
		}
		if _, err := tx.exec("UPDATE users SET disabled = ?, version = version + 1, updated_at = ? WHERE id = ?", disabled, tx.now, id); err != nil {
			return err
		}
		action := "user.enable"
		if disabled {
			action = "user.disable"
			if _, err := tx.exec("DELETE FROM sessions WHERE user_id = ?", id); err != nil {
				return err
			}
			if _, err := tx.exec("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", tx.now, id); err != nil {
				return err
			}
		}
		return tx.audit(action, auth.KindUser, id, "")
	})
}

// visibleUser loads a user inside the actor's scope, or ENOTFOUND.
func (tx *Tx) visibleUser(id string) (*linkwork.User, error) {
	var w where
	w.add("u.id = ?", id)
	w.scope(tx.actor, auth.KindUser, "u")
	u, err := scanUser(tx.queryRow("SELECT "+userColumns+" FROM users u WHERE "+w.sql(), w.args...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, linkwork.Errorf(linkwork.ENOTFOUND, "User not found")
	}
	return u, err
}

// SetPassword resets a user's password, ends their sessions and revokes
// their API tokens. Administrators only.
func (s *UserService) SetPassword(ctx context.Context, id, password string) error {
	if err := linkwork.ValidatePassword(password); err != nil {
		return passwordProblem("password", err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return linkwork.Internal(err)
	}
	return s.db.update(ctx, func(tx *Tx) error {
		u, err := tx.visibleUser(id)
		if err != nil {
			return err
		}
		if !auth.Can(tx.actor, auth.ActionUpdate, userRecord(u)) {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only administrators reset passwords; change your own from your account page")
		}
		return tx.setPassword(u.ID, hash, "user.password_reset")
	})
}

// ChangePassword changes the actor's own password.
func (s *UserService) ChangePassword(ctx context.Context, current, password string) error {
	a, err := actorFrom(ctx)
	if err != nil {
		return err
	}
	if a.System {
		return linkwork.Errorf(linkwork.EFORBIDDEN, "The system has no password to change")
	}
	var stored string
	err = s.db.viewAs(ctx, a, func(tx *Tx) error {
		return tx.queryRow("SELECT password_hash FROM users WHERE id = ?", a.UserID).Scan(&stored)
	})
	if err != nil {
		return err
	}
	if ok, err := auth.VerifyPassword(current, stored); err != nil {
		return linkwork.Internal(err)
	} else if !ok {
		return linkwork.FieldErr("current_password", "Your current password is not right")
	}
	if err := linkwork.ValidatePassword(password); err != nil {
		return passwordProblem("password", err)
	}
	if password == current {
		return linkwork.FieldErr("password", "Choose a password different from your current one")
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return linkwork.Internal(err)
	}
	return s.db.update(ctx, func(tx *Tx) error {
		return tx.setPassword(a.UserID, hash, "user.password_change")
	})
}

func passwordProblem(field string, err error) error {
	return linkwork.FieldErr(field, linkwork.ErrorMessage(err))
}

// setPassword stores a new hash, ends the user's sessions and revokes
// their API tokens: whoever knew the old password may have signed in or
// made a token with it. The audit event says how many of each ended.
func (tx *Tx) setPassword(id, hash, action string) error {
	if _, err := tx.exec("UPDATE users SET password_hash = ?, version = version + 1, updated_at = ? WHERE id = ?", hash, tx.now, id); err != nil {
		return err
	}
	res, err := tx.exec("DELETE FROM sessions WHERE user_id = ?", id)
	if err != nil {
		return err
	}
	sessions, err := res.RowsAffected()
	if err != nil {
		return err
	}
	res, err = tx.exec("UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", tx.now, id)
	if err != nil {
		return err
	}
	tokens, err := res.RowsAffected()
	if err != nil {
		return err
	}
	return tx.audit(action, auth.KindUser, id, fmt.Sprintf("ended %d sessions, revoked %d API tokens", sessions, tokens))
}
