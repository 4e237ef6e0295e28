// Audit events: whose trail each belongs to, and the hash chain.

package sqlstore

import (
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// audit appends an event to the hash chain in this transaction. The event
// belongs to the trail of the service holding the record (a person,
// referral, case or connection), or else of the actor's organisation.
func (tx *Tx) audit(action string, kind auth.Kind, recordID, detail string) error {
	service, err := tx.auditServiceOf(kind, recordID)
	if err != nil {
		return err
	}
	return tx.appendAudit(action, kind, recordID, detail, service)
}

// auditServiceOf returns the organisation whose trail an event about the
// record belongs to: the service holding it, or else the actor's own.
func (tx *Tx) auditServiceOf(kind auth.Kind, recordID string) (string, error) {
	if recordID == "" {
		return tx.actor.OrgID, nil
	}
	services, err := tx.servicesOf(kind, []string{recordID})
	if s, ok := services[recordID]; ok || err != nil {
		return s, err
	}
	// Not a record a service holds, or gone (a duplicate person removed).
	return tx.actor.OrgID, nil
}

// servicesOfRecords finds the service holding each of a list of records,
// by kind; kinds not listed are held by no service.
var servicesOfRecords = map[auth.Kind]string{
	auth.KindPerson:      "SELECT id, service_org_id FROM people WHERE id IN ",
	auth.KindReferral:    "SELECT id, service_org_id FROM referrals WHERE id IN ",
	auth.KindCase:        "SELECT id, service_org_id FROM cases WHERE id IN ",
	auth.KindConnection:  "SELECT c.id, k.service_org_id FROM connections c JOIN cases k ON k.id = c.case_id WHERE c.id IN ",
	auth.KindGap:         "SELECT id, service_org_id FROM gaps WHERE id IN ",
	auth.KindFund:        "SELECT id, service_org_id FROM funds WHERE id IN ",
	auth.KindFundRequest: "SELECT id, service_org_id FROM fund_requests WHERE id IN ",
	auth.KindSupervision: "SELECT id, service_org_id FROM supervisions WHERE id IN ",
	auth.KindTraining:    "SELECT id, service_org_id FROM training_records WHERE id IN ",
	auth.KindConcern:     "SELECT id, service_org_id FROM concerns WHERE id IN ",
}

// servicesOf finds the service holding each record of a list; records no
// service holds are left out.
func (tx *Tx) servicesOf(kind auth.Kind, ids []string) (map[string]string, error) {
	out := map[string]string{}
	q := servicesOfRecords[kind]
	if q == "" {
		return out, nil
	}
	const batch = 500
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		args := make([]any, len(part))
		for i, id := range part {
			args[i] = id
		}
		rows, err := tx.query(q+"(?"+strings.Repeat(", ?", len(part)-1)+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id, s string
			if err := rows.Scan(&id, &s); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = s
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// errAuditKeyMissing is what a linkwork without the audit key meets when
// it would add to a keyed chain (it should not have started: see
// CheckAuditKey).
var errAuditKeyMissing = errors.New("sqlstore: the audit trail is keyed but this linkwork has no audit key")

// auditEntry is an audit event before it joins the chain.
type auditEntry struct {
	actor                          linkwork.Actor
	at                             time.Time
	action                         string
	kind                           auth.Kind
	recordID, detail, serviceOrgID string
}

// appendAudit appends an event to the chain, keyed when the chain is: in
// this transaction, or in an audited read, once the read is done.
func (tx *Tx) appendAudit(action string, kind auth.Kind, recordID, detail, service string) error {
	e := auditEntry{actor: tx.actor, at: tx.now, action: action, kind: kind, recordID: recordID, detail: detail, serviceOrgID: service}
	if tx.deferred != nil {
		*tx.deferred = append(*tx.deferred, e)
		return nil
	}
	if tx.readOnly {
		return fmt.Errorf("sqlstore: audit %s in a read-only transaction", action)
	}
	return tx.writeAudit(e)
}

// writeAudit appends an event to the chain in this transaction.
func (tx *Tx) writeAudit(a auditEntry) error {
	var seq int64
	var prev string
	var headKeyed bool
	h := tx.chain
	if h == nil {
		// Every write transaction is the writer's (updateAs).
		return fmt.Errorf("sqlstore: audit %s outside the writer", a.action)
	}
	if !h.loaded {
		// Taking the head row serialises appends: in PostgreSQL the row
		// lock is held to commit; in SQLite there is one writer anyway.
		if err := tx.queryRow("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash, keyed").Scan(&h.seq, &h.hash, &h.keyed); err != nil {
			return err
		}
		h.loaded = true
	}
	seq, prev, headKeyed = h.seq+1, h.hash, h.keyed
	if headKeyed && tx.db.auditKey == nil {
		return linkwork.Internal(errAuditKeyMissing)
	}
	if headKeyed && !tx.db.auditKeyMatches.Load() {
		// Once per store, before its first keyed event: a key that is not
		// the chain's would write events nobody can verify.
		last, err := scanAudit(tx.queryRow("SELECT "+auditColumns+" FROM audit_events WHERE seq = ?", seq-1))
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err == nil && last.Keyed && hashEvent(last, tx.db.auditKey) != last.Hash {
			return linkwork.Internal(ErrAuditKeyWrong)
		}
		tx.db.auditKeyMatches.Store(true)
	}
	// A chain is keyed from its first event when it starts with a key,
	// or from the event CheckAuditKey writes when a key is brought to it;
	// then every later event is.
	keyed := headKeyed || tx.db.auditKey != nil && (seq == 1 || tx.startsKeying)
	e := linkwork.AuditEvent{
		Seq: seq, At: a.at, ActorID: a.actor.ID(), ActorRole: a.actor.Role, ActorOrgID: a.actor.OrgID,
		Action: a.action, RecordType: string(a.kind), RecordID: a.recordID, Purpose: a.actor.Purpose, Detail: a.detail, PrevHash: prev,
		Keyed: keyed, ServiceOrgID: a.serviceOrgID,
	}
	e.Hash = hashEvent(&e, tx.db.auditKey)
	if _, err := tx.exec(`INSERT INTO audit_events (seq, at, actor_id, actor_role, actor_org_id, action, record_type, record_id, purpose, detail, prev_hash, hash, keyed, service_org_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.At, e.ActorID, string(e.ActorRole), e.ActorOrgID, e.Action, e.RecordType, e.RecordID, e.Purpose, e.Detail, e.PrevHash, e.Hash, e.Keyed, e.ServiceOrgID); err != nil {
		return err
	}
	h.seq, h.hash, h.keyed, h.dirty = seq, e.Hash, keyed, true
	return nil
}

// auditList records a read of a list of records: one event naming them
// for each service whose records they are, so that each service's trail
// shows who read its records.
func (tx *Tx) auditList(action string, kind auth.Kind, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	services, err := tx.servicesOf(kind, ids)
	if err != nil {
		return err
	}
	var order []string
	byService := map[string][]string{}
	for _, id := range ids {
		s, ok := services[id]
		if !ok {
			s = tx.actor.OrgID
		}
		if _, seen := byService[s]; !seen {
			order = append(order, s)
		}
		byService[s] = append(byService[s], id)
	}
	for _, s := range order {
		if err := tx.appendAudit(action, kind, "", "ids="+strings.Join(byService[s], ","), s); err != nil {
			return err
		}
	}
	return nil
}

// hashEvent is the hash of an event's fields and the previous hash: for a
// keyed event an HMAC-SHA256 with key over them and the event's service,
// for an unkeyed one a SHA-256 over the fields every event has had (so
// that events written before the service was recorded still verify).
func hashEvent(e *linkwork.AuditEvent, key []byte) string {
	fields := []string{
		strconv.FormatInt(e.Seq, 10), e.At.UTC().Format(time.RFC3339Nano), e.ActorID, string(e.ActorRole), e.ActorOrgID,
		e.Action, e.RecordType, e.RecordID, e.Purpose, e.Detail, e.PrevHash,
	}
	var h hash.Hash
	if e.Keyed {
		h = hmac.New(sha256.New, key)
		fields = append(fields, "keyed", e.ServiceOrgID)
	} else {
		h = sha256.New()
	}
	for _, f := range fields {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}
