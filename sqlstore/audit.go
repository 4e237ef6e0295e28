package sqlstore

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	linkwork "github.com/linkwork/linkwork"
	"github.com/linkwork/linkwork/auth"
)

// AuditService implements linkwork.AuditService.
type AuditService struct{ db *DB }

// NewAuditService returns the audit service over db.
func NewAuditService(db *DB) *AuditService { return &AuditService{db: db} }

var _ linkwork.AuditService = (*AuditService)(nil)

const auditColumns = "seq, at, actor_id, actor_role, actor_org_id, action, record_type, record_id, purpose, detail, prev_hash, hash, keyed, service_org_id"

func scanAudit(row scanner) (*linkwork.AuditEvent, error) {
	var e linkwork.AuditEvent
	var role string
	err := row.Scan(&e.Seq, timeDest{&e.At}, &e.ActorID, &role, &e.ActorOrgID, &e.Action, &e.RecordType, &e.RecordID, &e.Purpose, &e.Detail, &e.PrevHash, &e.Hash,
		&e.Keyed, &e.ServiceOrgID)
	e.ActorRole = linkwork.Role(role)
	return &e, err
}

// FindAuditEvents returns a page of events, newest first: all of them for
// administrators, their own service's for safeguarding leads. Reading the
// trail is itself audited.
func (s *AuditService) FindAuditEvents(ctx context.Context, f linkwork.AuditFilter) ([]*linkwork.AuditEvent, int, error) {
	var out []*linkwork.AuditEvent
	var total int
	err := s.db.audited(ctx, func(tx *Tx) error {
		if auth.ScopeFor(tx.actor, auth.KindAudit).None() {
			return linkwork.Errorf(linkwork.EFORBIDDEN, "Only administrators and safeguarding leads read the audit trail")
		}
		var w where
		w.scope(tx.actor, auth.KindAudit, "e")
		if f.ActorID != "" {
			w.add("e.actor_id = ?", f.ActorID)
		}
		if f.RecordType != "" {
			w.add("e.record_type = ?", f.RecordType)
		}
		if f.RecordID != "" {
			w.add("e.record_id = ?", f.RecordID)
		}
		var err error
		if out, total, err = queryPage(tx, "FROM audit_events e", "", w, "e.seq DESC", f.Offset, f.Limit, scanAudit, auditColumns); err != nil {
			return err
		}
		if err := tx.nameAuditEvents(out); err != nil {
			return err
		}
		return tx.audit("audit.read", auth.KindAudit, f.RecordID, f.RecordType)
	})
	return out, total, err
}

// Errors of CheckAuditKey, for the command line to say which setting to
// give.
var (
	// ErrAuditKeyMissing: the chain is keyed and no key was given.
	ErrAuditKeyMissing = errors.New("the audit trail is keyed, and no audit key was given")
	// ErrAuditKeyWrong: the key given is not the one the chain was keyed
	// with.
	ErrAuditKeyWrong = errors.New("the audit key given is not the one the audit trail was written with")
)

// CheckAuditKey checks the store's audit key against the chain before a
// server or command adds to it. A keyed chain without a key is
// ErrAuditKeyMissing; a key the last keyed event's hash does not match is
// ErrAuditKeyWrong (or that event has been changed: audit verify tells).
// With a key and a chain not yet keyed, it records, in a keyed event, that
// keying begins, so that the chain says from where it must be keyed: a
// server or command that adds to the trail calls it when it starts (a key
// alone, as audit verify is given one, keys nothing).
func (db *DB) CheckAuditKey(ctx context.Context) error {
	sys := linkwork.SystemActor("audit key")
	var last *linkwork.AuditEvent
	var headKeyed bool
	err := db.viewAs(ctx, sys, func(tx *Tx) error {
		if err := tx.queryRow("SELECT keyed FROM audit_head WHERE id = 1").Scan(&headKeyed); err != nil {
			return err
		}
		var err error
		last, err = scanAudit(tx.queryRow("SELECT " + auditColumns + " FROM audit_events WHERE keyed = TRUE ORDER BY seq DESC LIMIT 1"))
		if errors.Is(err, sql.ErrNoRows) {
			last, err = nil, nil
		}
		return err
	})
	if err != nil {
		return err
	}
	switch {
	case db.auditKey == nil && (headKeyed || last != nil):
		return ErrAuditKeyMissing
	case headKeyed && last == nil:
		return errors.New("the audit trail's head says it is keyed, but no event is: events have been rewritten without the key (run linkwork audit verify)")
	case db.auditKey == nil:
		return nil
	case last != nil:
		if hashEvent(last, db.auditKey) != last.Hash {
			return fmt.Errorf("%w (event %d's hash does not match it)", ErrAuditKeyWrong, last.Seq)
		}
		return nil
	}
	return db.updateAs(ctx, sys, func(tx *Tx) error {
		tx.startsKeying = true
		return tx.audit("audit.keyed", auth.KindAudit, "", "the chain is keyed from this event on")
	})
}

// VerifyAudit walks the chain from the first event and reports the first
// broken link: a gap in the sequence, an event whose hash (keyed or not)
// does not match its fields, one that does not link to the event before
// it, an unkeyed event after a keyed one, a head that does not match the
// end; and each checkpoint from outside the database that is not signed
// with the audit key, or whose event is missing or different.
func (s *AuditService) VerifyAudit(ctx context.Context, anchors ...linkwork.AuditCheckpoint) (*linkwork.AuditVerification, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !auth.Can(a, auth.ActionVerify, auth.Record{Kind: auth.KindAudit}) {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "Only administrators verify the audit trail")
	}
	if len(anchors) > 0 && s.db.auditKey == nil {
		return nil, linkwork.Errorf(linkwork.EINVALID, "The anchor's checkpoints are signed with the audit key: give the key to check them")
	}
	v := &linkwork.AuditVerification{OK: true, Anchored: len(anchors)}
	broken := func(seq int64, format string, args ...any) {
		if v.OK {
			v.OK, v.BrokenAt, v.Problem = false, seq, fmt.Sprintf(format, args...)
		}
	}
	// Each checkpoint is the key holder's; then its event must be in the
	// chain with the hash it had.
	anchored := map[int64]linkwork.AuditCheckpoint{}
	var lastAnchor linkwork.AuditCheckpoint
	for _, c := range anchors {
		if !hmac.Equal([]byte(checkpointMAC(c, s.db.auditKey)), []byte(c.MAC)) {
			broken(c.Seq, "the anchor's checkpoint of event %d (%s) is not signed with this audit key: the anchor file has been changed, or the key is not the one it was written with", c.Seq, c.At.Format(time.RFC3339))
			continue
		}
		if was, ok := anchored[c.Seq]; ok && was.Hash != c.Hash {
			broken(c.Seq, "the anchor holds two different hashes for event %d", c.Seq)
		}
		anchored[c.Seq] = c
		if c.Seq > lastAnchor.Seq {
			lastAnchor = c
		}
	}
	if !v.OK {
		return s.recordVerification(ctx, a, v)
	}
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
			c, isAnchored := anchored[e.Seq]
			switch {
			case e.Seq != want:
				broken(want, "event %d is missing (the next is %d)", want, e.Seq)
			case e.PrevHash != prev:
				broken(e.Seq, "event %d does not link to event %d", e.Seq, e.Seq-1)
			case !e.Keyed && v.KeyedFrom != 0:
				broken(e.Seq, "event %d is not keyed, but the chain is keyed from event %d: it has been rewritten by someone without the audit key", e.Seq, v.KeyedFrom)
			case e.Keyed && s.db.auditKey == nil:
				return &linkwork.Error{Code: linkwork.EINVALID, Message: fmt.Sprintf("The audit trail is keyed from event %d: give the audit key to verify it", e.Seq)}
			case hashEvent(e, s.db.auditKey) != e.Hash && e.Keyed:
				broken(e.Seq, "event %d has been changed: its keyed hash does not match its contents (or the audit key is not the one it was written with)", e.Seq)
			case hashEvent(e, s.db.auditKey) != e.Hash:
				broken(e.Seq, "event %d has been changed: its hash does not match its contents", e.Seq)
			case isAnchored && c.Hash != e.Hash:
				broken(e.Seq, "event %d is not the event the anchor recorded at %s: the chain has been rewritten up to it", e.Seq, c.At.Format(time.RFC3339))
			}
			if !v.OK {
				return nil
			}
			if e.Keyed && v.KeyedFrom == 0 {
				v.KeyedFrom = e.Seq
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
		end := want - 1
		switch {
		case headSeq != end || headHash != prev:
			broken(want, "the chain ends at event %d but its head says %d: events have been removed from the end", end, headSeq)
		case lastAnchor.Seq > end:
			broken(end+1, "the anchor recorded event %d at %s, but the chain ends at event %d: events have been removed from the end", lastAnchor.Seq, lastAnchor.At.Format(time.RFC3339), end)
		case s.db.auditKey != nil && v.KeyedFrom == 0 && end > 0:
			broken(end, "no event is keyed, though the audit key was given: either no linkwork has run with this key yet, or every keyed event has been rewritten without it")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.recordVerification(ctx, a, v)
}

// recordVerification audits a verification and returns it.
func (s *AuditService) recordVerification(ctx context.Context, a linkwork.Actor, v *linkwork.AuditVerification) (*linkwork.AuditVerification, error) {
	err := s.db.updateAs(ctx, a, func(tx *Tx) error {
		detail := "ok"
		if !v.OK {
			detail = v.Problem
		}
		return tx.audit("audit.verify", auth.KindAudit, "", detail)
	})
	if errors.Is(err, ErrAuditKeyWrong) {
		// Not the chain's key: the verification, which says so, cannot
		// be recorded with it.
		return v, nil
	}
	return v, err
}

// Checkpoint returns a signed checkpoint of the chain's end, for an anchor
// file. Taking one is not audited: it reads no personal data, and a
// checkpoint that wrote an event would never be of the end.
func (s *AuditService) Checkpoint(ctx context.Context) (*linkwork.AuditCheckpoint, error) {
	a, err := actorFrom(ctx)
	if err != nil {
		return nil, err
	}
	if !auth.Can(a, auth.ActionVerify, auth.Record{Kind: auth.KindAudit}) {
		return nil, linkwork.Errorf(linkwork.EFORBIDDEN, "Only administrators take checkpoints of the audit trail")
	}
	if s.db.auditKey == nil {
		return nil, linkwork.Errorf(linkwork.EINVALID, "Checkpoints are signed with the audit key: give the key to take one")
	}
	c := &linkwork.AuditCheckpoint{}
	err = s.db.viewAs(ctx, a, func(tx *Tx) error {
		c.At = tx.now
		return tx.queryRow("SELECT seq, hash FROM audit_head WHERE id = 1").Scan(&c.Seq, &c.Hash)
	})
	if err != nil {
		return nil, err
	}
	c.MAC = checkpointMAC(*c, s.db.auditKey)
	return c, nil
}

// checkpointMAC is the HMAC-SHA256 of a checkpoint's event number, hash and
// time with the audit key.
func checkpointMAC(c linkwork.AuditCheckpoint, key []byte) string {
	h := hmac.New(sha256.New, key)
	for _, f := range []string{"linkwork audit checkpoint", strconv.FormatInt(c.Seq, 10), c.Hash, c.At.UTC().Format(time.RFC3339Nano)} {
		h.Write([]byte(strconv.Itoa(len(f))))
		h.Write([]byte{':'})
		h.Write([]byte(f))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// auditNames is how the names of a page's records of one kind are looked
// up: from, with the record's table aliased as alias for where.scope, and
// the columns of the record's id, its person's id and service ("" for
// records that are not about a person) and its name (a person's three
// names, or a name and two blanks); person says the name is a person's
// (aliased p).
var auditNames = map[auth.Kind]struct {
	from, alias, columns string
	person               bool
}{
	auth.KindPerson:       {"FROM people p", "p", "p.id, p.id, p.service_org_id, p.given_name, p.preferred_name, p.family_name", true},
	auth.KindReferral:     {"FROM referrals r JOIN people p ON p.id = r.person_id", "r", "r.id, p.id, p.service_org_id, p.given_name, p.preferred_name, p.family_name", true},
	auth.KindCase:         {"FROM cases k JOIN people p ON p.id = k.person_id", "k", "k.id, p.id, p.service_org_id, p.given_name, p.preferred_name, p.family_name", true},
	auth.KindAsset:        {"FROM assets a", "a", "a.id, '', '', a.name, '', ''", false},
	auth.KindUser:         {"FROM users u", "u", "u.id, '', '', u.name, '', ''", false},
	auth.KindOrganisation: {"FROM organisations o", "o", "o.id, '', '', o.name, '', ''", false},
}

// nameAuditEvents gives a page of events the names of their actors and
// records that the reader may see. Each kind's names are found by id in
// one batch (all kinds in one statement, so that a page costs the same
// whatever it holds), scoped as any other read of that kind is (a
// person's name also by the reader's scope for people), so that an
// administrator reads users' names but no person's. Reading people's
// names is audited as a list of them, as other lists are.
func (tx *Tx) nameAuditEvents(events []*linkwork.AuditEvent) error {
	ids := map[auth.Kind][]any{}
	want := func(k auth.Kind, id string) {
		if _, ok := auditNames[k]; ok && id != "" && !slices.Contains(ids[k], any(id)) {
			ids[k] = append(ids[k], id)
		}
	}
	for _, e := range events {
		want(auth.KindUser, e.ActorID)
		want(auth.Kind(e.RecordType), e.RecordID)
	}
	var selects []string
	var args []any
	for _, k := range slices.Sorted(maps.Keys(ids)) {
		q := auditNames[k]
		if auth.ScopeFor(tx.actor, k).None() || q.person && auth.ScopeFor(tx.actor, auth.KindPerson).None() {
			continue
		}
		var w where
		w.add(q.alias+".id IN ("+placeholders(len(ids[k]))+")", ids[k]...)
		w.scope(tx.actor, k, q.alias)
		if q.person && k != auth.KindPerson {
			w.scope(tx.actor, auth.KindPerson, "p")
		}
		selects = append(selects, "SELECT '"+string(k)+"', "+q.columns+" "+q.from+" WHERE "+w.sql())
		args = append(args, w.args...)
	}
	if len(selects) == 0 {
		return nil
	}
	names := map[auth.Kind]map[string]string{}
	var services []string
	people := map[string][]string{}
	err := tx.eachRow(strings.Join(selects, " UNION ALL "), args, func(row scanner) error {
		var kind, id, person, service, name, preferred, family string
		if err := row.Scan(&kind, &id, &person, &service, &name, &preferred, &family); err != nil {
			return err
		}
		k := auth.Kind(kind)
		if names[k] == nil {
			names[k] = map[string]string{}
		}
		if person == "" {
			names[k][id] = name
			return nil
		}
		names[k][id] = displayName(name, preferred, family)
		if _, seen := people[service]; !seen {
			services = append(services, service)
		}
		if !slices.Contains(people[service], person) {
			people[service] = append(people[service], person)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range events {
		e.ActorName = names[auth.KindUser][e.ActorID]
		e.RecordName = names[auth.Kind(e.RecordType)][e.RecordID]
	}
	slices.Sort(services)
	for _, service := range services {
		if err := tx.appendAudit("person.list", auth.KindPerson, "", "ids="+strings.Join(people[service], ","), service); err != nil {
			return err
		}
	}
	return nil
}
