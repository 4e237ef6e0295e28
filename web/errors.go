package web

import (
	"encoding/json"
	"net/http"
	"net/url"

	linkwork "github.com/linkwork/linkwork"
)

// codes maps application error codes to HTTP statuses: the one table.
var codes = map[string]int{
	linkwork.EINVALID:      http.StatusUnprocessableEntity,
	linkwork.EMALFORMED:    http.StatusBadRequest,
	linkwork.ENOTFOUND:     http.StatusNotFound,
	linkwork.EFORBIDDEN:    http.StatusForbidden,
	linkwork.ECONFLICT:     http.StatusConflict,
	linkwork.EGONE:         http.StatusGone,
	linkwork.EUNAUTHORIZED: http.StatusUnauthorized,
	linkwork.ERATELIMIT:    http.StatusTooManyRequests,
	linkwork.EINTERNAL:     http.StatusInternalServerError,
}

// ErrorStatus returns the HTTP status for an error's code.
func ErrorStatus(err error) int {
	if s, ok := codes[linkwork.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// apiError is the JSON body of every API error.
type apiError struct {
	Error apiErrorBody `json:"error"`
}

type apiErrorBody struct {
	Code    string                `json:"code"`
	Message string                `json:"message"`
	Fields  []linkwork.FieldError `json:"fields,omitempty"`
}

// fail answers with an error: JSON for the API, an HTML page otherwise.
// Internal causes are logged, never shown.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, api bool, err error) {
	status := ErrorStatus(err)
	if status == http.StatusInternalServerError {
		s.cfg.Logger.Error("internal error", "method", r.Method, "route", s.routeOf(r), "err", err)
	}
	w.Header().Set("Cache-Control", "no-store")
	if api {
		writeJSON(w, status, apiError{apiErrorBody{Code: linkwork.ErrorCode(err), Message: linkwork.ErrorMessage(err), Fields: linkwork.ErrorFields(err)}})
		return
	}
	s.render(w, r, status, "error", &errorPage{Layout: Layout{Title: errorTitle(status)}, Status: status, Message: linkwork.ErrorMessage(err)})
}

// errorTitle is an error page's heading, in words a person reads, as
// GOV.UK's error pages put it, rather than the protocol's name for the
// status ("Forbidden").
func errorTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "Something in that request was not right"
	case http.StatusUnauthorized:
		return "Sign in to see this page"
	case http.StatusForbidden:
		return "You cannot see this page"
	case http.StatusNotFound:
		return "Page not found"
	case http.StatusConflict:
		return "This has changed since you opened it"
	case http.StatusGone:
		return "This link no longer works"
	case http.StatusRequestEntityTooLarge:
		return "What you sent is too large"
	case http.StatusUnprocessableEntity:
		return "There is a problem"
	case http.StatusTooManyRequests:
		return "Too many tries"
	case http.StatusServiceUnavailable:
		return "Sorry, the service is unavailable"
	case http.StatusInternalServerError:
		return "Sorry, there is a problem with the service"
	}
	return http.StatusText(status)
}

// logMissing records, with the request's method and route, that a part a
// page or answer can do without could not be read (what names it), so the
// request goes on without it and the fault is not lost.
func (s *Server) logMissing(r *http.Request, what string, err error) {
	s.cfg.Logger.Warn("shown without "+what, "method", r.Method, "route", s.routeOf(r), "code", linkwork.ErrorCode(err), "err", err)
}

// unauthorized sends an API caller a 401 and a browser to sign in.
func (s *Server) unauthorized(w http.ResponseWriter, r *http.Request, api bool) {
	if api || r.Method != http.MethodGet {
		s.fail(w, r, api, linkwork.Errorf(linkwork.EUNAUTHORIZED, "Sign in, or send an API token, to continue"))
		return
	}
	http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
