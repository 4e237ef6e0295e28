package web

import (
	"net/http"
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

// safeNext returns next when it is a path on this site, and "/" otherwise,
// so the sign-in form cannot send people elsewhere.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/") && !strings.HasPrefix(next, "//") && !strings.HasPrefix(next, "/\\") && !strings.ContainsAny(next, "\r\n") {
		return next
	}
	return "/"
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
}

func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	p := &accountPage{Layout: Layout{Title: "Your account"}}
	if r.URL.Query().Get("done") == "password" {
		p.Notice = "Your password has been changed. You have been signed out everywhere else."
	}
	s.showAccount(w, r, http.StatusOK, p)
}

func (s *Server) showAccount(w http.ResponseWriter, r *http.Request, status int, p *accountPage) {
	if o, err := s.svc.Organisations.FindOrganisationByID(r.Context(), currentUser(r).OrgID); err == nil {
		p.OrgName = o.Name
	}
	s.render(w, r, status, "account", p)
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
