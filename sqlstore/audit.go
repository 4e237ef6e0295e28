package sqlstore

import (
	"context"
	"fmt"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// AuditService implements linkwork.AuditService.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service over db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ linkwork.AuditService = (*AuditService)(nil)

const auditColumns = "seq, at, actor_id, actor_role, actor_org_id, action, record_type, record_id, purpose, detail, prev_hash, hash"

func scanAudit(row scanner) (*linkwork.AuditEvent, error) {
	var e linkwork.AuditEvent
	var role string
	err := row.Scan(&e.Seq, timeDest{&e.At}, &e.ActorID, &role, &e.ActorOrgID, &e.Action, &e.RecordType, &e.RecordID, &e.Purpose, &e.Detail, &e.PrevHash, &e.Hash)
	e.ActorRole = linkwork.Role(role)
	return &e, err
}

// FindAuditEvents returns a page of events, newest first. Reading the
// trail is itself audited.
func (s *AuditService) FindAuditEvents(ctx context.Context, f linkwork.AuditFilter) ([]*linkwork.AuditEvent, int, error) {
	var out []*linkwork.AuditEvent
	var total int
	err := s.db.update(ctx, func(tx *Tx) error {
		if auth.ScopeFor(tx.actor, auth.KindAudit).None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only administrators and safeguarding leads read the audit trail")
		}
		var w where
		if f.ActorID != "" {
			w.add("actor_id = ?", f.ActorID)
		}
		if f.RecordType != "" {
			w.add("record_type = ?", f.RecordType)
		}
		if f.RecordID != "" {
			w.add("record_id = ?", f.RecordID)
		}
		var err error
		if out, total, err = queryPage(tx, "FROM audit_events", "", w, "seq DESC", f.Offset, f.Limit, scanAudit, auditColumns); err != nil {
			return err
		}
		return tx.audit("audit.read", auth.KindAudit, f.RecordID, f.RecordType)
	})
	return out, total, err
}

// VerifyAudit walks the chain from the first event and reports the first
// broken link: a gap in the sequence, an event whose hash does not match
// its fields, or one that does not link to the event before it.
func (s *AuditService) VerifyAudit(ctx context.Context) (*linkwork.AuditVerification, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !auth.Can(a, auth.ActionVerify, auth.Record{Kind: auth.KindAudit}) {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "Only administrators verify the audit trail")
	}
	v := &linkwork.AuditVerification{OK: true}
	err = s.db.viewAs(ctx, a, func(tx *Tx) error {
		rows, err := tx.query("SELECT " + auditColumns + " FROM audit_events ORDER BY seq")
		if err != nil {
			return err
		}
		defer rows.Close()
		prev := ""
		var want int64 = 1
		for rows.Next() {
			e, err := scanAudit(rows)
			if err != nil {
				return err
			}
			v.Events++
			switch {
			case e.Seq != want:
				v.OK, v.BrokenAt, v.Problem = false, want, fmt.Sprintf("event %d is missing (the next is %d)", want, e.Seq)
			case e.PrevHash != prev:
				v.OK, v.BrokenAt, v.Problem = false, e.Seq, fmt.Sprintf("event %d does not link to event %d", e.Seq, e.Seq-1)
			case hashEvent(e) != e.Hash:
				v.OK, v.BrokenAt, v.Problem = false, e.Seq, fmt.Sprintf("event %d has been changed: its hash does not match its contents", e.Seq)
			}
			if !v.OK {
				return nil
			}
			prev = e.Hash
			want++
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var headSeq int64
		var headHash string
		if err := tx.queryRow("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&headSeq, &headHash); err != nil {
			return err
		}
		if headSeq != want-1 || headHash != prev {
			v.OK, v.BrokenAt, v.Problem = false, want, fmt.Sprintf("the chain ends at event %d but its head says %d: events have been removed from the end", want-1, headSeq)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = s.db.updateAs(ctx, a, func(tx *Tx) error {
		detail := "ok"
		if !v.OK {
			detail = v.Problem
		}
		return tx.audit("audit.verify", auth.KindAudit, "", detail)
	})
	return v, err
}
