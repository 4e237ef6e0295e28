package sqlstore

import (
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	linkwork "github.com/linkwork/linkwork"
)

// TestPostgresBadTextIsInvalid: PostgreSQL's refusals of text it cannot
// hold are the caller's mistake (EINVALID), not a fault of ours.
func TestPostgresBadTextIsInvalid(t *testing.T) {
	for _, code := range []string{"22021", "22P05"} {
		err := postgresDialect{}.translate(&pgconn.PgError{Code: code, Message: "invalid byte sequence for encoding \"UTF8\": 0x00"})
		if linkwork.ErrorCode(err) != linkwork.EINVALID {
			t.Errorf("SQLSTATE %s: %v, want EINVALID", code, err)
		}
	}
}

// TestCheckArgs: a query never runs with a string argument the store
// cannot hold.
func TestCheckArgs(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []any
		ok   bool
	}{
		{"text, numbers and nothing", []any{"Robin", 3, nil, "é"}, true},
		{"a zero byte", []any{"ok", "a\x00b"}, false},
		{"bytes that are not UTF-8", []any{"\xff"}, false},
		{"half a character", []any{"\xc3"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := checkArgs(tt.args)
			if (err == nil) != tt.ok || (err != nil && linkwork.ErrorCode(err) != linkwork.EINVALID) {
				t.Fatalf("checkArgs = %v, want ok %v", err, tt.ok)
			}
		})
	}
}

// TestTruncate: what a client sends in a header is cut to size at the end
// of a character, and becomes text the store can hold.
func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 5, "short"},
		{"abcdé", 5, "abcd"},
		{"a\x00b\xffc", 20, "a\uFFFDb\uFFFDc"},
		{"a\x00b", 3, "a"},
	} {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
