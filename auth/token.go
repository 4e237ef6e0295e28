package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// TokenPrefix marks linkwork API tokens so that secret scanners and people
// recognise them.
const TokenPrefix = "lw_"

// NewToken returns a random session token: 32 bytes, URL-safe base64.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// NewAPIToken returns a random API token with the TokenPrefix.
func NewAPIToken() string { return TokenPrefix + NewToken() }

// HashToken returns the hex SHA-256 of a token: what the store keeps, so a
// copy of the database does not hold live credentials. Tokens have 256 bits
// of entropy, so a fast hash is enough.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(sum[:])
}
