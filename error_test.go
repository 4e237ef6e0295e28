package linkwork_test

import (
	"errors"
	"strings"
	"testing"

	linkwork "github.com/linkwork/linkwork"
)

func TestInternalErrorsClaimOnlyWhatIsKnown(t *testing.T) {
	cause := errors.New("the disk fell over")
	generic := linkwork.Internal(cause)
	for _, claim := range []string{"lost", "saved"} {
		if strings.Contains(generic.Message, claim) {
			t.Errorf("Internal's message %q claims something about what was %s, which whoever makes it does not know", generic.Message, claim)
		}
	}
	if got := linkwork.ErrorMessage(cause); got != generic.Message {
		t.Errorf("a plain error shows %q, want Internal's message", got)
	}
	notSaved := linkwork.NotSaved(cause)
	if notSaved.Code != linkwork.EINTERNAL || !strings.Contains(notSaved.Message, "nothing was saved") || !errors.Is(notSaved, cause) {
		t.Errorf("NotSaved = %+v", notSaved)
	}
	for _, tt := range []struct {
		name string
		err  error
		want bool
	}{
		{"Internal says no more than something went wrong", generic, true},
		{"NotSaved says more", notSaved, false},
		{"another code is not internal", linkwork.Errorf(linkwork.ECONFLICT, "busy"), false},
		{"an internal error with words of its own", &linkwork.Error{Code: linkwork.EINTERNAL, Message: "The database is full"}, false},
		{"a plain error is not an application error", cause, false},
	} {
		if got := linkwork.IsGenericInternal(tt.err); got != tt.want {
			t.Errorf("%s: IsGenericInternal = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestFieldErrIsOneProblem(t *testing.T) {
	err := linkwork.FieldErr("postcode", "Enter a postcode, like LS9 8AG")
	if linkwork.ErrorCode(err) != linkwork.EINVALID || linkwork.ErrorMessage(err) != "There is a problem: Enter a postcode, like LS9 8AG" {
		t.Fatalf("FieldErr = %v (%s)", err, linkwork.ErrorCode(err))
	}
	if f := linkwork.ErrorFields(err); len(f) != 1 || f[0] != (linkwork.FieldError{Field: "postcode", Message: "Enter a postcode, like LS9 8AG"}) {
		t.Fatalf("fields %v, want postcode alone", f)
	}
}
