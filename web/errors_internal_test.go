package web

import (
	"net/http"
	"testing"
)

func TestErrorPagesAreHeadedInWordsAPersonReads(t *testing.T) {
	for _, tt := range []struct {
		status int
		want   string
	}{
		{http.StatusForbidden, "You cannot see this page"},
		{http.StatusNotFound, "Page not found"},
		{http.StatusGone, "This link no longer works"},
		{http.StatusTooManyRequests, "Too many tries"},
		{http.StatusInternalServerError, "Sorry, there is a problem with the service"},
		{http.StatusTeapot, "I'm a teapot"},
	} {
		t.Run(tt.want, func(t *testing.T) {
			if got := errorTitle(tt.status); got != tt.want {
				t.Fatalf("errorTitle(%d) = %q, want %q", tt.status, got, tt.want)
			}
		})
	}
}
