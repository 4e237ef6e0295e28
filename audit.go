package linkwork

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"
)

// AuditEvent records that an actor read or changed a record. Events are
// append-only and hash-chained: each event's hash covers its fields and the
// previous event's hash, so a changed, inserted or deleted event breaks the
// chain from that point on. A keyed event's hash is an HMAC-SHA256 with the
// audit key, a secret the database does not hold, so that someone who can
// write to the database cannot rewrite the chain and hash it again; an
// unkeyed event's is a plain SHA-256, which shows accidental change only.
type AuditEvent struct {
	Seq        int64
	At         time.Time
	ActorID    string // a user id, or "system"
	ActorRole  Role
	ActorOrgID string
	Action     string // "referral.read", "person.update", "user.disable", …
	RecordType string
	RecordID   string
	Purpose    string
	Detail     string
	PrevHash   string
	Hash       string
	// Keyed says the hash is an HMAC with the audit key. Once one event is
	// keyed, every later one must be.
	Keyed bool
	// ServiceOrgID is the organisation whose trail the event belongs to:
	// the social prescribing service holding the record it is about (a
	// person, referral, case or connection), or else the actor's own
	// organisation. A safeguarding lead reads their own service's events.
	// It is in keyed events' hashes.
	ServiceOrgID string
	// ActorName and RecordName are the actor's name and the record's (a
	// referral's or case's person, a listing's, user's or organisation's
	// name) when the reader may see that record; "" otherwise. They are
	// looked up as the trail is read: not stored, nor in the hash.
	ActorName  string
	RecordName string
}

// AuditFilter narrows a list of audit events.
type AuditFilter struct {
	ActorID    string
	RecordType string
	RecordID   string
	Offset     int
	Limit      int
}

// AuditVerification is the result of checking the audit chain.
type AuditVerification struct {
	Events int64 // how many events were checked
	OK     bool
	// BrokenAt is the sequence number of the first event whose hash or
	// link does not match; Problem says what is wrong.
	BrokenAt int64
	Problem  string
	// KeyedFrom is the first keyed event, 0 when none is: an unkeyed chain
	// shows accidental change only, since whoever can write to the
	// database can rewrite it and hash it again.
	KeyedFrom int64
	// Anchored is how many checkpoints from outside the database were
	// checked against the chain.
	Anchored int
}

// AuditCheckpoint records, outside the database, that the audit chain
// reached event Seq with hash Hash at time At. MAC is an HMAC-SHA256 of
// the three with the audit key. Checkpoints written as the chain grows (an
// anchor file) catch what a keyed chain alone cannot: events cut from the
// end together with the chain's head record, or every keyed event
// rewritten as unkeyed.
type AuditCheckpoint struct {
	Seq  int64     `json:"seq"`
	Hash string    `json:"hash"`
	At   time.Time `json:"at"`
	MAC  string    `json:"mac"`
}

// Line returns the checkpoint as one line of an anchor file: JSON and a
// newline.
func (c AuditCheckpoint) Line() string {
	b, _ := json.Marshal(c)
	return string(b) + "\n"
}

// ParseAuditAnchor reads an anchor file: one checkpoint a line, as Line
// writes them; blank lines are skipped. A line that is not a checkpoint is
// EINVALID naming it ("line 3").
func ParseAuditAnchor(r io.Reader) ([]AuditCheckpoint, error) {
	var out []AuditCheckpoint
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 64*1024)
	n := 0
	bad := func(msg string) error {
		field := fmt.Sprintf("line %d", n)
		return &Error{Code: EINVALID, Message: "The anchor file is not a list of audit checkpoints: " + field + " " + msg, Fields: []FieldError{{Field: field, Message: msg}}}
	}
	for sc.Scan() {
		n++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var c AuditCheckpoint
		dec := json.NewDecoder(bytes.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil || dec.More() {
			return nil, bad("is not a checkpoint written by linkwork")
		}
		switch {
		case c.Seq < 1:
			return nil, bad("has no event number (seq)")
		case !isHexHash(c.Hash):
			return nil, bad("has no event hash (64 hex digits)")
		case !isHexHash(c.MAC):
			return nil, bad("is not signed (mac: 64 hex digits)")
		case c.At.IsZero():
			return nil, bad("has no time (at)")
		}
		out = append(out, c)
	}
	if err := sc.Err(); err != nil {
		n++
		return nil, bad("cannot be read: " + err.Error())
	}
	return out, nil
}

// isHexHash reports whether s is a SHA-256 in lower-case hex.
func isHexHash(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// AuditService reads the audit trail. Administrators read all of it and
// safeguarding leads their own service's events (reading it is itself
// audited); nobody changes it.
type AuditService interface {
	// FindAuditEvents returns a page of events, newest first, and the
	// total: every event for administrators, the events of their own
	// service (ServiceOrgID) for safeguarding leads; EFORBIDDEN for
	// anyone else.
	FindAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, int, error)
	// VerifyAudit walks the whole chain and reports the first broken link:
	// a gap, a changed event (its hash, keyed or not, does not match), an
	// unkeyed event after a keyed one, a head that does not match the end,
	// and each checkpoint given (from an anchor file) that is not signed
	// with the audit key or whose event is missing or different. Only
	// administrators and the system verify (EFORBIDDEN); a keyed chain or
	// signed checkpoints need the audit key (EINVALID without it).
	VerifyAudit(ctx context.Context, anchors ...AuditCheckpoint) (*AuditVerification, error)
	// Checkpoint returns a signed checkpoint of the chain's current end,
	// for an anchor file. It needs the audit key (EINVALID without it);
	// only administrators and the system take one (EFORBIDDEN).
	Checkpoint(ctx context.Context) (*AuditCheckpoint, error)
}
