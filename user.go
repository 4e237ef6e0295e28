package linkwork

import (
	"context"
	"strings"
	"time"
)

// User is someone who signs in: a member of staff in a referring
// organisation, the social prescribing service, a community organisation or
// a commissioner. People supported by the service and members of the public
// do not need accounts.
type User struct {
	ID       string
	OrgID    string
	Email    string
	Name     string
	Role     Role
	Disabled bool
	// Caseload settings, for link workers: the age groups they work with.
	AgeMin, AgeMax int

	Version   int
	CreatedAt time.Time
	UpdatedAt time.Time
	LastLogin time.Time
}

// Actor returns the actor for u.
func (u *User) Actor() Actor {
	return Actor{UserID: u.ID, OrgID: u.OrgID, Role: u.Role, Name: u.Name}
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// Validate reports every problem with u (and, when set, the new password)
// as an EINVALID error. The name is held to MaxShortText and the email to
// a bare address of at most MaxEmailLength.
func (u *User) Validate(password string, setPassword bool) error {
	var p Problems
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	u.Name = strings.TrimSpace(u.Name)
	if u.Name == "" {
		p.Add("name", "Enter the person's full name")
	}
	p.Text("name", u.Name, MaxShortText)
	if u.Email == "" {
		p.Add("email", "Enter an email address")
	} else if p.Text("email", u.Email, MaxEmailLength) && !ValidEmail(u.Email) {
		p.Add("email", "Enter an email address in the right format, like name@example.org")
	}
	p.Text("id", u.ID, MaxIDLength)
	p.Text("org_id", u.OrgID, MaxIDLength)
	if !u.Role.Valid() {
		p.Add("role", "Choose a role")
	}
	if u.OrgID == "" {
		p.Add("org_id", "Choose the organisation this person works for")
	}
	if u.AgeMin < 0 || u.AgeMax < 0 || (u.AgeMax != 0 && u.AgeMin > u.AgeMax) {
		p.Add("age_min", "Age range must run from a lower to a higher age")
	}
	if setPassword {
		if err := ValidatePassword(password); err != nil {
			p.Add("password", ErrorMessage(err))
		}
	}
	return p.Err()
}

// ValidatePassword checks a new password against the password rules.
func ValidatePassword(pw string) error {
	if len([]rune(pw)) < MinPasswordLength {
		return Errorf(EINVALID, "Password must be at least %d characters", MinPasswordLength)
	}
	if len(pw) > 256 {
		return Errorf(EINVALID, "Password must be 256 characters or fewer")
	}
	if !ValidText(pw) {
		return Errorf(EINVALID, "%s", BadTextMessage)
	}
	return nil
}

// UserFilter narrows a list of users.
type UserFilter struct {
	OrgID    string
	Role     Role
	Disabled *bool
	Offset   int
	Limit    int
}

// UserService manages accounts. Administrators manage every account;
// coordinators see the users of their own organisation (to allocate work);
// everyone may read their own account.
type UserService interface {
	// CreateUser stores u with the password (hashed), assigning its ID.
	// EINVALID for bad fields or a role that does not fit the
	// organisation, ECONFLICT when the email is taken, EFORBIDDEN for
	// non-administrators.
	CreateUser(ctx context.Context, u *User, password string) error
	// FindUserByID returns one user, or ENOTFOUND.
	FindUserByID(ctx context.Context, id string) (*User, error)
	// FindUserByEmail returns one user, or ENOTFOUND. Administrators only.
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	// FindUsers returns a page of users the actor may see, and the total.
	FindUsers(ctx context.Context, f UserFilter) ([]*User, int, error)
	// DisableUser stops u signing in and ends every session and API token
	// they hold. Administrators only.
	DisableUser(ctx context.Context, id string) error
	// EnableUser lets a disabled user sign in again.
	EnableUser(ctx context.Context, id string) error
	// SetPassword replaces a user's password, ends their sessions and
	// revokes their API tokens, in one audited change. Administrators only
	// (a reset); people change their own with ChangePassword.
	SetPassword(ctx context.Context, id, password string) error
	// ChangePassword changes the actor's own password after checking the
	// current one, ends their sessions and revokes their API tokens, in one
	// audited change: whoever learned the old password may have made a
	// token with it. EINVALID naming current_password when it is wrong, or
	// password when the new one is too weak.
	ChangePassword(ctx context.Context, current, password string) error
}

// Session is a signed-in browser. The token is given to the browser once;
// the store keeps only its hash.
type Session struct {
	ID        string // the hash of the token, hex
	Token     string // set only when the session is created
	UserID    string
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time // the absolute limit
	UserAgent string
	IP        string
}

// APIToken is a bearer token for the JSON API. The token is given once;
// the store keeps only its hash.
type APIToken struct {
	ID        string
	Token     string // set only when the token is created
	UserID    string
	Name      string
	CreatedAt time.Time
	ExpiresAt time.Time
	// LastUsed is when the token was last used, to the minute; zero when
	// it never has been.
	LastUsed time.Time
}

// Expired reports whether the token has expired at now.
func (t *APIToken) Expired(now time.Time) bool { return !now.Before(t.ExpiresAt) }

// SessionPolicy sets how long sessions last.
type SessionPolicy struct {
	Idle     time.Duration // signed out after this long without a request
	Absolute time.Duration // signed out this long after signing in, whatever happens
}

// DefaultSessionPolicy is 30 minutes idle and 12 hours absolute: a working
// day on a shared computer.
var DefaultSessionPolicy = SessionPolicy{Idle: 30 * time.Minute, Absolute: 12 * time.Hour}

// AuthService signs users in and out and checks their credentials. It needs
// no actor in the context: it is what establishes one.
type AuthService interface {
	// Login checks the email and password and starts a session.
	// EUNAUTHORIZED with one message for any wrong email, wrong password or
	// disabled account, so that nothing is learned about which.
	Login(ctx context.Context, email, password, userAgent, ip string) (*Session, *User, error)
	// SessionUser returns the user of a live session and extends its idle
	// timeout. EUNAUTHORIZED when the token is unknown, expired, or the user
	// is disabled.
	SessionUser(ctx context.Context, token string) (*User, error)
	// Logout ends the session with this token. Ending an unknown session is
	// not an error.
	Logout(ctx context.Context, token string) error
	// CreateAPIToken issues a bearer token to a user. The user themself or
	// an administrator; EINVALID when the name is missing or the expiry is
	// in the past.
	CreateAPIToken(ctx context.Context, userID, name string, expires time.Time) (*APIToken, error)
	// TokenUser returns the user of a live API token and records when it
	// was used (at most once a minute). EUNAUTHORIZED when the token is
	// unknown, expired, revoked or the user is disabled.
	TokenUser(ctx context.Context, token string) (*User, error)
	// APITokens lists the actor's own API tokens that have not been
	// revoked, expired ones included, newest first: name, when created,
	// last used and expiring, never the token itself. EUNAUTHORIZED
	// without a signed-in actor; the system has none.
	APITokens(ctx context.Context) ([]*APIToken, error)
	// RevokeAPIToken revokes one of the actor's own API tokens at once,
	// audited. ENOTFOUND for a token the actor may not see (anyone
	// else's, even for an administrator: they disable the account
	// instead); revoking a token again is not an error. The system may
	// revoke any token.
	RevokeAPIToken(ctx context.Context, id string) error
}
