package web

import (
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
)

type loginPage struct {
	Layout
	Email        string
	Next         string
	Demo         []DemoLogin
	DemoPassword string
}

// safeNext returns where to go after signing in: next when it is a path
// on this site, and "/" otherwise, so that a link to the sign-in page
// cannot send anyone to another site. next must parse as a URL with no
// scheme, host or user, whose path starts with one slash, both as given
// and once its escapes are decoded and it is cleaned. It may not hold a
// control character or a backslash, anywhere as given nor escaped in its
// path: browsers drop
// TAB, CR and LF from a Location ("/\t/evil.example" becomes
// "//evil.example") and read a backslash as a slash. What comes back is
// the cleaned path and the query, rebuilt; a fragment is dropped.
func safeNext(next string) string {
	const home = "/"
	if !strings.HasPrefix(next, "/") || hasUnsafeURLChar(next) {
		return home
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return home
	}
	// The decoded path: "%2F%2F", "%5C" and "%09" show themselves here.
	if !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || hasUnsafeURLChar(u.Path) {
		return home
	}
	clean := path.Clean(u.Path)
	if strings.HasSuffix(u.Path, "/") && clean != "/" {
		clean += "/"
	}
	out := &url.URL{Path: clean, RawQuery: u.RawQuery}
	if clean == u.Path {
		out.RawPath = u.RawPath // keep escapes such as %2F inside a segment
	}
	s := out.String()
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || hasUnsafeURLChar(s) {
		return home
	}
	return s
}

// hasUnsafeURLChar reports whether s holds a character that browsers drop
// or read as a slash in a URL: ASCII control characters and the
// backslash.
func hasUnsafeURLChar(s string) bool {
	return strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f || r == '\\' })
}

func (s *Server) newLoginPage(r *http.Request) *loginPage {
	return &loginPage{Layout: Layout{Title: "Sign in"}, Next: safeNext(r.FormValue("next")), Demo: s.cfg.Demo, DemoPassword: s.cfg.DemoPassword}
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	if currentUser(r) != nil {
		http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, "login", s.newLoginPage(r))
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, false, &linkwork.Error{Code: linkwork.EINVALID, Message: "The form could not be read; please try again", Fields: []linkwork.FieldError{{Field: "email", Message: "The form could not be read; please try again"}}})
		return
	}
	p := s.newLoginPage(r)
	p.Email = strings.TrimSpace(r.PostFormValue("email"))
	if !s.limits.allow(clientIP(r), p.Email) {
		p.Errors = []linkwork.FieldError{{Field: "email", Message: "Too many attempts to sign in. Wait a few minutes, then try again."}}
		s.render(w, r, http.StatusTooManyRequests, "login", p)
		return
	}
	sess, _, err := s.svc.Auth.Login(r.Context(), p.Email, r.PostFormValue("password"), r.UserAgent(), clientIP(r))
	if err != nil {
		code := linkwork.ErrorCode(err)
		if code != linkwork.EINVALID && code != linkwork.EUNAUTHORIZED {
			s.fail(w, r, false, err)
			return
		}
		p.Errors = linkwork.ErrorFields(err)
		if code == linkwork.EUNAUTHORIZED {
			p.Errors = []linkwork.FieldError{{Field: "email", Message: linkwork.ErrorMessage(err)}}
		}
		s.render(w, r, ErrorStatus(err), "login", p)
		return
	}
	s.setSessionCookie(w, sess.Token, sess.ExpiresAt)
	http.Redirect(w, r, p.Next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		if err := s.svc.Auth.Logout(r.Context(), c.Value); err != nil {
			s.fail(w, r, false, err)
			return
		}
	}
	s.clearSessionCookie(w)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

type accountPage struct {
	Layout
	NewToken  *linkwork.APIToken
	TokenName string
	OrgName   string
	// Tokens are the user's API tokens that have not been revoked.
	Tokens []*linkwork.APIToken
	Now    time.Time
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	p := &accountPage{Layout: Layout{Title: "Your account"}}
	switch r.URL.Query().Get("done") {
	case "password":
		p.Notice = "Your password has been changed. You have been signed out everywhere else, and your API tokens have been revoked: create new ones for anything that still needs one."
	case "revoked":
		p.Notice = "The API token has been revoked. Anything still using it can no longer reach the API."
	}
	s.showAccount(w, r, http.StatusOK, p)
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, p *accountPage) {
	if o, err := s.svc.Organisations.FindOrganisationByID(r.Context(), currentUser(r).OrgID); err == nil {
		p.OrgName = o.Name
	}
	tokens, err := s.svc.Auth.APITokens(r.Context())
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	p.Tokens, p.Now = tokens, s.cfg.Now()
	s.render(w, r, status, "account", p)
}

// revokeTokenSubmit revokes one of the user's API tokens.
func (s *Server) revokeTokenSubmit(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Auth.RevokeAPIToken(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, false, err)
		return
	}
	http.Redirect(w, r, "/account?done=revoked", http.StatusSeeOther)
}

// createTokenSubmit issues an API token and shows it once.
func (s *Server) createTokenSubmit(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	p := &accountPage{Layout: Layout{Title: "Your account"}, TokenName: r.PostFormValue("name")}
	var expires time.Time
	if d := strings.TrimSpace(r.PostFormValue("days")); d != "" {
		days, err := parseInt(d)
		if err != nil || days < 1 || days > 366 {
			p.Errors = []linkwork.FieldError{{Field: "days", Message: "Enter a number of days from 1 to 366"}}
			s.showAccount(w, r, http.StatusUnprocessableEntity, p)
			return
		}
		expires = s.cfg.Now().Add(time.Duration(days) * 24 * time.Hour)
	}
	t, err := s.svc.Auth.CreateAPIToken(r.Context(), u.ID, p.TokenName, expires)
	if err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		p.Errors = linkwork.ErrorFields(err)
		s.showAccount(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	p.NewToken = t
	p.Notice = "Your API token has been created. Copy it now: it will not be shown again."
	s.showAccount(w, r, http.StatusCreated, p)
}

func (s *Server) passwordSubmit(w http.ResponseWriter, r *http.Request) {
	u := currentUser(r)
	p := &accountPage{Layout: Layout{Title: "Your account"}}
	next := r.PostFormValue("new_password")
	if !s.limits.allow(clientIP(r), u.Email) {
		p.Errors = []linkwork.FieldError{{Field: "current_password", Message: "Too many attempts. Wait a few minutes, then try again."}}
		s.showAccount(w, r, http.StatusTooManyRequests, p)
		return
	}
	if next != r.PostFormValue("confirm_password") {
		p.Errors = []linkwork.FieldError{{Field: "confirm_password", Message: "The new passwords do not match"}}
		s.showAccount(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	if err := s.svc.Users.ChangePassword(r.Context(), r.PostFormValue("current_password"), next); err != nil {
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			s.fail(w, r, false, err)
			return
		}
		for _, f := range linkwork.ErrorFields(err) {
			if f.Field == "password" {
				f.Field = "new_password"
			}
			p.Errors = append(p.Errors, f)
		}
		s.showAccount(w, r, http.StatusUnprocessableEntity, p)
		return
	}
	// Changing the password ended every session; start a new one here.
	sess, _, err := s.svc.Auth.Login(r.Context(), u.Email, next, r.UserAgent(), clientIP(r))
	if err != nil {
		s.fail(w, r, false, err)
		return
	}
	s.setSessionCookie(w, sess.Token, sess.ExpiresAt)
	http.Redirect(w, r, "/account?done=password", http.StatusSeeOther)
}
