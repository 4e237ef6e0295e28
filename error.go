package linkwork

import (
	"errors"
	"fmt"
	"strings"
)

// Application error codes. Every error that leaves a service carries one of
// these; the HTTP layer maps them to statuses in one table.
const (
	EINVALID      = "invalid"      // the input is wrong; Fields names each problem
	EMALFORMED    = "malformed"    // the request itself cannot be read (a zero byte, bytes that are not UTF-8); Fields names where
	ENOTFOUND     = "not_found"    // no such record, or the actor may not see it
	EFORBIDDEN    = "forbidden"    // the actor may see the record but not do this
	ECONFLICT     = "conflict"     // a stale version, or a duplicate of a unique value
	EGONE         = "gone"         // a single-use link that was used or has expired
	EUNAUTHORIZED = "unauthorized" // not signed in, or credentials are wrong
	ERATELIMIT    = "rate_limited" // too many attempts; try again later
	EINTERNAL     = "internal"     // a fault of ours; details are logged, never shown
)

// Error is an application error: a code, a message safe to show to the user,
// the fields at fault for EINVALID, and the underlying cause for the logs.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	Err     error
}

// FieldError names one input field and what is wrong with it.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error returns the message, with each field problem, and the cause if any.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.Message)
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Field, f.Message)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	return b.String()
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an application error with the given code and a message
// formatted for the user.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps a cause that the user must not see as an EINTERNAL error.
// Its message claims nothing about what was or was not saved: where it is
// made, that is not known. Use NotSaved where it is.
func Internal(err error) *Error {
	return &Error{Code: EINTERNAL, Message: internalMessage, Err: err}
}

const internalMessage = "Something went wrong on our side, and it has been logged. Please try again; if it keeps happening, tell your administrator."

// NotSaved wraps the cause of a failed change that saved nothing (its
// transaction did not commit) as an EINTERNAL error that says so.
func NotSaved(err error) *Error {
	return &Error{Code: EINTERNAL, Message: "Something went wrong on our side, so nothing was saved. It has been logged; please try again, and if it keeps happening, tell your administrator.", Err: err}
}

// IsGenericInternal reports whether err is an EINTERNAL error that says no
// more than Internal does, so a caller that knows more may say it.
func IsGenericInternal(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == EINTERNAL && e.Message == internalMessage
}

// ErrorCode returns the code of an application error, EINTERNAL for any other
// non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of an application error, and a
// generic message for any other error.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return Internal(err).Message
}

// ErrorFields returns the field problems of an EINVALID error.
func ErrorFields(err error) []FieldError {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// Problems collects field errors during validation.
type Problems []FieldError

// Add records that field has the problem message.
func (p *Problems) Add(field, message string) {
	*p = append(*p, FieldError{Field: field, Message: message})
}

// Addf records a formatted problem with field.
func (p *Problems) Addf(field, format string, args ...any) {
	p.Add(field, fmt.Sprintf(format, args...))
}

// Has reports whether field already has a problem.
func (p Problems) Has(field string) bool {
	for _, f := range p {
		if f.Field == field {
			return true
		}
	}
	return false
}

// FieldErr returns an EINVALID error naming one field and its problem,
// as Problems.Err says it.
func FieldErr(field, message string) error {
	return Problems{{Field: field, Message: message}}.Err()
}

// Err returns nil when there are no problems and an EINVALID error naming
// every field otherwise.
func (p Problems) Err() error {
	if len(p) == 0 {
		return nil
	}
	msg := "There is a problem: " + p[0].Message
	if len(p) > 1 {
		msg = fmt.Sprintf("There are %d problems: check the fields marked", len(p))
	}
	return &Error{Code: EINVALID, Message: msg, Fields: append([]FieldError(nil), p...)}
}
