-- The audit trail: keyed hashes, and the service each event belongs to.
--
-- keyed: the event's hash is an HMAC-SHA256 with the audit key, a secret
-- the database does not hold (linkwork is given it by --audit-key-file or
-- LINKWORK_AUDIT_KEY), so that whoever can write to the database cannot
-- rewrite an event and hash the chain again. Events written before stay
-- unkeyed and still verify; once one event is keyed every later one must
-- be, and `linkwork audit verify` refuses an unkeyed event after a keyed
-- one. audit_head.keyed says the chain is keyed, so that a linkwork
-- started without the key refuses to add to it.
--
-- service_org_id: the organisation whose trail the event is in: the
-- social prescribing service holding the record it is about (a person,
-- referral, case or connection), or else the actor's own organisation. A
-- safeguarding lead reads their own service's events only. It is in keyed
-- events' hashes; unkeyed events are hashed as they always were (it is
-- not in them), so that events written before it existed still verify:
-- an unkeyed chain shows accidental change only anyway. Events already
-- written are filled in here, the one time the append-only trigger is
-- lifted; their hashes do not cover the column, so they verify as before.

ALTER TABLE audit_events ADD COLUMN keyed BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE audit_events ADD COLUMN service_org_id TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_head ADD COLUMN keyed BOOLEAN NOT NULL DEFAULT FALSE;

DROP TRIGGER audit_events_no_update;
UPDATE audit_events SET service_org_id = COALESCE(CASE record_type
        WHEN 'person' THEN (SELECT p.service_org_id FROM people p WHERE p.id = audit_events.record_id)
        WHEN 'referral' THEN (SELECT r.service_org_id FROM referrals r WHERE r.id = audit_events.record_id)
        WHEN 'case' THEN (SELECT k.service_org_id FROM cases k WHERE k.id = audit_events.record_id)
        WHEN 'connection' THEN (SELECT k.service_org_id FROM connections c JOIN cases k ON k.id = c.case_id WHERE c.id = audit_events.record_id)
    END, actor_org_id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit events are append-only');
END;

CREATE INDEX audit_events_service ON audit_events (service_org_id, seq);
