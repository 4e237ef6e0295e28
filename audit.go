package linkwork

import (
	"context"
	"time"
)

// AuditEvent records that an actor read or changed a record. Events are
// append-only and hash-chained: each event's hash covers its fields and the
// previous event's hash, so a changed, inserted or deleted event breaks the
// chain from that point on.
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
}

// AuditService reads the audit trail. Administrators and safeguarding
// leads read it (reading it is itself audited); nobody changes it.
type AuditService interface {
	// FindAuditEvents returns a page of events, newest first, and the total.
	FindAuditEvents(ctx context.Context, f AuditFilter) ([]*AuditEvent, int, error)
	// VerifyAudit walks the whole chain and reports the first broken link.
	VerifyAudit(ctx context.Context) (*AuditVerification, error)
}
