package auth

import (
	"strings"
	"testing"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not argon2id with the default parameters", h)
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name     string
		password string
		want     bool
	}{
		{"the same password matches", "correct horse battery staple", true},
		{"a different password does not", "correct horse battery stapler", false},
		{"the empty password does not", "", false},
		{"case matters", "Correct horse battery staple", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword(tt.password, h)
			if err != nil {
				t.Fatal(err)
			}
			if ok != tt.want {
				t.Fatalf("VerifyPassword = %v, want %v", ok, tt.want)
			}
		})
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	for _, h := range []string{
		"",
		"plain",
		"$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=18$m=19456,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=0,t=2,p=1$c2FsdA$a2V5",
		"$argon2id$v=19$m=19456,t=2,p=1$!!!$a2V5",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$",
	} {
		if _, err := VerifyPassword("x", h); err != ErrMalformedHash {
			t.Errorf("VerifyPassword(%q) error = %v, want ErrMalformedHash", h, err)
		}
	}
}

func TestTokens(t *testing.T) {
	a, b := NewToken(), NewToken()
	if a == b || len(a) < 40 {
		t.Fatalf("tokens %q and %q are not long random values", a, b)
	}
	api := NewAPIToken()
	if !strings.HasPrefix(api, TokenPrefix) {
		t.Fatalf("API token %q lacks the prefix", api)
	}
	if HashToken(a) == HashToken(b) || HashToken(a) != HashToken(" "+a+"\n") || len(HashToken(a)) != 64 {
		t.Fatal("HashToken is not a stable hex SHA-256 of the trimmed token")
	}
}
