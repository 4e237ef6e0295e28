package linkwork

import (
	"context"
	"time"
)

// IdempotencyKeyHeader is the HTTP header a client sends with a creating
// request so that sending it again (after a timeout, a lost answer, a
// retry) creates nothing more: it gets the first answer back.
const IdempotencyKeyHeader = "Idempotency-Key"

// MaxIdempotencyKey is the longest idempotency key accepted, in bytes.
const MaxIdempotencyKey = 255

// IdempotencyKeyLifetime is how long a key is remembered: a request sent
// again with the same key within it gets the first answer; after it, the
// key is forgotten and may be used afresh.
const IdempotencyKeyLifetime = 24 * time.Hour

// ValidateIdempotencyKey checks a client's idempotency key: 1 to 255
// printable ASCII characters (a UUID is a good key). It returns EINVALID
// naming the Idempotency-Key header.
func ValidateIdempotencyKey(key string) error {
	var p Problems
	switch {
	case key == "":
		p.Add(IdempotencyKeyHeader, "is empty: send a unique value, such as a UUID, or leave the header out")
	case len(key) > MaxIdempotencyKey:
		p.Addf(IdempotencyKeyHeader, "is %d characters long; it must be at most %d", len(key), MaxIdempotencyKey)
	default:
		for i := 0; i < len(key); i++ {
			if c := key[i]; c < 0x20 || c > 0x7e {
				p.Addf(IdempotencyKeyHeader, "must be printable ASCII characters only (character %d is not)", i+1)
				break
			}
		}
	}
	return p.Err()
}

// IdempotentRequest is a creating request sent with an idempotency key.
// A key belongs to whoever sent it and to the method and path it was sent
// to: two callers, or two paths, never share an answer.
type IdempotentRequest struct {
	Key string
	// Route is the method and path, such as "POST /api/v1/referrals".
	Route string
	// BodyHash is the hex SHA-256 of the request body in a canonical form
	// (JSON with its keys sorted and no spaces), so that sending the same
	// request again matches and a different one does not.
	BodyHash string
	// Address is where the request came from. It tells anonymous callers
	// (the public referral form) apart; signed-in callers go by their
	// user id, and their address is not used.
	Address string
}

// StoredAnswer is the answer to the first request with a key, kept to
// answer the same request again.
type StoredAnswer struct {
	Status      int
	Location    string
	ContentType string
	Body        []byte
	// Secret marks an answer that held a secret (a new API token). Its
	// body is not kept, so it can never be replayed: a request sent again
	// with its key is refused (ECONFLICT) rather than answered twice.
	Secret bool
}

// IdempotencyClaim is the outcome of starting an idempotent request.
type IdempotencyClaim struct {
	// Replay, when set, is the first answer to this request, to be sent
	// again as it was. When nil the caller now holds the key: it must do
	// the work and then FinishRequest or ReleaseRequest.
	Replay *StoredAnswer
}

// IdempotencyService remembers creating requests by their idempotency
// keys, in the database, so that a key holds across servers and restarts.
// Anyone may call it, signed in or not (the public referral form): a
// signed-in caller's keys are theirs alone, an anonymous caller's belong
// to their address.
type IdempotencyService interface {
	// BeginRequest claims the request's key. A key not seen before (or
	// forgotten after IdempotencyKeyLifetime) is claimed: the caller does
	// the work. A key already answered for the same body gives back that
	// answer (the replay is audited). A key used with another body is
	// EINVALID naming Idempotency-Key. A key whose first request is still
	// being answered is waited for, a few seconds at most, and is then
	// ECONFLICT; so is a replay of an answer that held a secret. A claim
	// whose server stopped before answering is given up after a few
	// minutes and may be claimed again.
	BeginRequest(ctx context.Context, req IdempotentRequest) (IdempotencyClaim, error)
	// FinishRequest stores the answer to a claimed request, for the key's
	// lifetime. Only successful answers are stored; for any other, call
	// ReleaseRequest.
	FinishRequest(ctx context.Context, req IdempotentRequest, answer StoredAnswer) error
	// ReleaseRequest gives up a claimed key without an answer (the request
	// failed, so nothing was created): the same request may be sent again
	// with the same key and is then done afresh.
	ReleaseRequest(ctx context.Context, req IdempotentRequest) error
	// PurgeIdempotencyKeys forgets keys past their lifetime and returns how
	// many. Only the system calls it (a background job); others get
	// EFORBIDDEN.
	PurgeIdempotencyKeys(ctx context.Context) (int, error)
}
