-- The dashboard: a service's referrals received in a period, counted by
-- month, pathway and mode and by how far each went, and how long each
-- waited.
--
-- Worked out from the referrals, their cases, contacts and connections on
-- every request, a service of 93,000 referrals in a year took 13 to 17 s
-- on SQLite (each referral's case, first contact, sessions and
-- connections found one index lookup at a time). Each referral's journey
-- is now kept: a narrow row a referral with the service, the time it was
-- received and its UK month, its pathway, mode, status, date of birth and
-- referrer, and from its case the link worker, status, closure, when it
-- opened, when first contact was made (the person reached, or attending a
-- session), the sessions attended and missed, and whether the person went
-- to an activity (a connection attended or still going, or ever moved to
-- attended) or dropped one; and the waits in days from referral to
-- decision and from acceptance to first contact. Triggers keep it in step whoever writes (the
-- store or the bulk loader): a referral's own columns when it changes, its
-- case's when the case opens or changes, and the contacts' and
-- connections' facts worked out again for the case from its rows when
-- one is added, changed or goes. The dashboard reads one index range of
-- these rows for the service and period.
CREATE TABLE referral_facts (
    referral_id      TEXT PRIMARY KEY,
    service_org_id   TEXT NOT NULL,
    received_at      TIMESTAMP NOT NULL,
    month            TEXT NOT NULL,
    pathway          TEXT NOT NULL,
    mode             TEXT NOT NULL,
    status           TEXT NOT NULL,
    person_dob       TEXT,
    referrer_org_id  TEXT NOT NULL DEFAULT '',
    decided_at       TIMESTAMP,
    case_id          TEXT,
    link_worker_id   TEXT NOT NULL DEFAULT '',
    case_status      TEXT NOT NULL DEFAULT '',
    closure_reason   TEXT NOT NULL DEFAULT '',
    opened_at        TIMESTAMP,
    first_contact_at TIMESTAMP,
    sessions         INTEGER NOT NULL DEFAULT 0,
    dna              INTEGER NOT NULL DEFAULT 0,
    connected        INTEGER NOT NULL DEFAULT 0,
    dropped          INTEGER NOT NULL DEFAULT 0,
    decision_days    REAL,
    contact_days     REAL
);
-- A service's referrals in a period, with everything the dashboard reads.
CREATE INDEX referral_facts_service ON referral_facts (service_org_id, received_at, month, pathway, mode, status, person_dob, referrer_org_id,
    link_worker_id, case_id, case_status, closure_reason, first_contact_at, sessions, dna, connected, dropped, decision_days, contact_days);
CREATE INDEX referral_facts_case ON referral_facts (case_id) WHERE case_id IS NOT NULL;

-- The connections by level, found from the case; the triggers' lookups.
CREATE INDEX connections_case_status ON connections (case_id, status, level, id);
CREATE INDEX connection_moves_case_status ON connection_moves (case_id, to_status);

INSERT INTO referral_facts (referral_id, service_org_id, received_at, month, pathway, mode, status, person_dob, referrer_org_id, decided_at,
        case_id, link_worker_id, case_status, closure_reason, opened_at)
    SELECT r.id, r.service_org_id, r.received_at, CASE WHEN substr(r.received_at, 12, 2) = '23' AND substr(r.received_at, 6, 2) BETWEEN '03' AND '09' AND strftime('%d', r.received_at, '+1 hour') = '01' THEN strftime('%Y-%m', r.received_at, '+1 hour') ELSE substr(r.received_at, 1, 7) END, r.pathway, r.mode, r.status, r.person_dob, COALESCE(r.referrer_org_id, ''), r.decided_at,
        k.id, COALESCE(k.link_worker_id, ''), COALESCE(k.status, ''), COALESCE(k.closure_reason, ''), k.opened_at
    FROM referrals r LEFT JOIN cases k ON k.referral_id = r.id;
UPDATE referral_facts SET first_contact_at = (SELECT MIN(c.at) FROM contacts c WHERE c.case_id = referral_facts.case_id AND c.outcome IN ('reached', 'attended')),
        sessions = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = referral_facts.case_id AND c.outcome = 'attended' AND c.kind = 'session'),
        dna = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = referral_facts.case_id AND c.outcome = 'did_not_attend' AND c.kind = 'session'),
        connected = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = referral_facts.case_id AND n.status IN ('attended', 'continuing'))
            OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = referral_facts.case_id AND m.to_status = 'attended') THEN 1 ELSE 0 END,
        dropped = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = referral_facts.case_id AND n.status = 'dropped') THEN 1 ELSE 0 END
    WHERE case_id IS NOT NULL;
UPDATE referral_facts SET decision_days = CASE WHEN case_id IS NOT NULL THEN julianday(opened_at) - julianday(received_at)
            WHEN status = 'declined' THEN julianday(decided_at) - julianday(received_at) END,
        contact_days = julianday(first_contact_at) - julianday(opened_at);

-- The waits, in days, worked out on the row whenever a time they come
-- from changes: from referral to the decision (the case opened for an
-- accepted referral, the decision for a declined one), and from
-- acceptance to first contact.
CREATE TRIGGER referral_facts_days_insert AFTER INSERT ON referral_facts
BEGIN
    UPDATE referral_facts SET decision_days = CASE WHEN case_id IS NOT NULL THEN julianday(opened_at) - julianday(received_at)
            WHEN status = 'declined' THEN julianday(decided_at) - julianday(received_at) END,
        contact_days = julianday(first_contact_at) - julianday(opened_at)
        WHERE referral_id = new.referral_id;
END;
CREATE TRIGGER referral_facts_days_update AFTER UPDATE OF received_at, decided_at, status, case_id, opened_at, first_contact_at ON referral_facts
BEGIN
    UPDATE referral_facts SET decision_days = CASE WHEN case_id IS NOT NULL THEN julianday(opened_at) - julianday(received_at)
            WHEN status = 'declined' THEN julianday(decided_at) - julianday(received_at) END,
        contact_days = julianday(first_contact_at) - julianday(opened_at)
        WHERE referral_id = new.referral_id;
END;

CREATE TRIGGER referrals_facts_insert AFTER INSERT ON referrals
BEGIN
    INSERT INTO referral_facts (referral_id, service_org_id, received_at, month, pathway, mode, status, person_dob, referrer_org_id, decided_at)
        VALUES (new.id, new.service_org_id, new.received_at, CASE WHEN substr(new.received_at, 12, 2) = '23' AND substr(new.received_at, 6, 2) BETWEEN '03' AND '09' AND strftime('%d', new.received_at, '+1 hour') = '01' THEN strftime('%Y-%m', new.received_at, '+1 hour') ELSE substr(new.received_at, 1, 7) END, new.pathway, new.mode, new.status, new.person_dob, COALESCE(new.referrer_org_id, ''), new.decided_at);
END;
CREATE TRIGGER referrals_facts_update AFTER UPDATE OF service_org_id, received_at, pathway, mode, status, person_dob, referrer_org_id, decided_at ON referrals
BEGIN
    UPDATE referral_facts SET service_org_id = new.service_org_id, received_at = new.received_at, month = CASE WHEN substr(new.received_at, 12, 2) = '23' AND substr(new.received_at, 6, 2) BETWEEN '03' AND '09' AND strftime('%d', new.received_at, '+1 hour') = '01' THEN strftime('%Y-%m', new.received_at, '+1 hour') ELSE substr(new.received_at, 1, 7) END,
        pathway = new.pathway, mode = new.mode, status = new.status, person_dob = new.person_dob, referrer_org_id = COALESCE(new.referrer_org_id, ''), decided_at = new.decided_at
        WHERE referral_id = new.id;
END;
CREATE TRIGGER referrals_facts_delete AFTER DELETE ON referrals
BEGIN
    DELETE FROM referral_facts WHERE referral_id = old.id;
END;

CREATE TRIGGER cases_facts_insert AFTER INSERT ON cases
BEGIN
    UPDATE referral_facts SET case_id = new.id, link_worker_id = COALESCE(new.link_worker_id, ''), case_status = new.status,
        closure_reason = new.closure_reason, opened_at = new.opened_at,
        first_contact_at = (SELECT MIN(c.at) FROM contacts c WHERE c.case_id = new.id AND c.outcome IN ('reached', 'attended')),
        sessions = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = new.id AND c.outcome = 'attended' AND c.kind = 'session'),
        dna = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = new.id AND c.outcome = 'did_not_attend' AND c.kind = 'session'),
        connected = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = new.id AND n.status IN ('attended', 'continuing'))
            OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = new.id AND m.to_status = 'attended') THEN 1 ELSE 0 END,
        dropped = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = new.id AND n.status = 'dropped') THEN 1 ELSE 0 END
        WHERE referral_id = new.referral_id;
END;
CREATE TRIGGER cases_facts_update AFTER UPDATE OF link_worker_id, status, closure_reason, opened_at ON cases
BEGIN
    UPDATE referral_facts SET link_worker_id = COALESCE(new.link_worker_id, ''), case_status = new.status,
        closure_reason = new.closure_reason, opened_at = new.opened_at
        WHERE referral_id = new.referral_id;
END;
CREATE TRIGGER cases_facts_delete AFTER DELETE ON cases
BEGIN
    UPDATE referral_facts SET case_id = NULL, link_worker_id = '', case_status = '', closure_reason = '', opened_at = NULL,
        first_contact_at = NULL, sessions = 0, dna = 0, connected = 0, dropped = 0
        WHERE referral_id = old.referral_id;
END;

CREATE TRIGGER contacts_facts_insert AFTER INSERT ON contacts
BEGIN
    UPDATE referral_facts SET first_contact_at = (SELECT MIN(c.at) FROM contacts c WHERE c.case_id = new.case_id AND c.outcome IN ('reached', 'attended')),
        sessions = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = new.case_id AND c.outcome = 'attended' AND c.kind = 'session'),
        dna = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = new.case_id AND c.outcome = 'did_not_attend' AND c.kind = 'session') WHERE case_id = new.case_id;
END;
CREATE TRIGGER contacts_facts_update AFTER UPDATE OF case_id, at, outcome, kind ON contacts
BEGIN
    UPDATE referral_facts SET first_contact_at = (SELECT MIN(c.at) FROM contacts c WHERE c.case_id = new.case_id AND c.outcome IN ('reached', 'attended')),
        sessions = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = new.case_id AND c.outcome = 'attended' AND c.kind = 'session'),
        dna = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = new.case_id AND c.outcome = 'did_not_attend' AND c.kind = 'session') WHERE case_id = new.case_id;
    UPDATE referral_facts SET first_contact_at = (SELECT MIN(c.at) FROM contacts c WHERE c.case_id = old.case_id AND c.outcome IN ('reached', 'attended')),
        sessions = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = old.case_id AND c.outcome = 'attended' AND c.kind = 'session'),
        dna = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = old.case_id AND c.outcome = 'did_not_attend' AND c.kind = 'session') WHERE case_id = old.case_id AND old.case_id IS NOT new.case_id;
END;
CREATE TRIGGER contacts_facts_delete AFTER DELETE ON contacts
BEGIN
    UPDATE referral_facts SET first_contact_at = (SELECT MIN(c.at) FROM contacts c WHERE c.case_id = old.case_id AND c.outcome IN ('reached', 'attended')),
        sessions = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = old.case_id AND c.outcome = 'attended' AND c.kind = 'session'),
        dna = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = old.case_id AND c.outcome = 'did_not_attend' AND c.kind = 'session') WHERE case_id = old.case_id;
END;

CREATE TRIGGER connections_facts_insert AFTER INSERT ON connections
BEGIN
    UPDATE referral_facts SET connected = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = new.case_id AND n.status IN ('attended', 'continuing'))
            OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = new.case_id AND m.to_status = 'attended') THEN 1 ELSE 0 END,
        dropped = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = new.case_id AND n.status = 'dropped') THEN 1 ELSE 0 END WHERE case_id = new.case_id;
END;
CREATE TRIGGER connections_facts_update AFTER UPDATE OF case_id, status ON connections
BEGIN
    UPDATE referral_facts SET connected = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = new.case_id AND n.status IN ('attended', 'continuing'))
            OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = new.case_id AND m.to_status = 'attended') THEN 1 ELSE 0 END,
        dropped = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = new.case_id AND n.status = 'dropped') THEN 1 ELSE 0 END WHERE case_id = new.case_id;
    UPDATE referral_facts SET connected = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = old.case_id AND n.status IN ('attended', 'continuing'))
            OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = old.case_id AND m.to_status = 'attended') THEN 1 ELSE 0 END,
        dropped = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = old.case_id AND n.status = 'dropped') THEN 1 ELSE 0 END WHERE case_id = old.case_id AND old.case_id IS NOT new.case_id;
END;
CREATE TRIGGER connections_facts_delete AFTER DELETE ON connections
BEGIN
    UPDATE referral_facts SET connected = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = old.case_id AND n.status IN ('attended', 'continuing'))
            OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = old.case_id AND m.to_status = 'attended') THEN 1 ELSE 0 END,
        dropped = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = old.case_id AND n.status = 'dropped') THEN 1 ELSE 0 END WHERE case_id = old.case_id;
END;
CREATE TRIGGER connection_moves_facts_insert AFTER INSERT ON connection_moves WHEN new.to_status = 'attended'
BEGIN
    UPDATE referral_facts SET connected = 1 WHERE case_id = new.case_id;
END;
CREATE TRIGGER connection_moves_facts_delete AFTER DELETE ON connection_moves WHEN old.to_status = 'attended'
BEGIN
    UPDATE referral_facts SET connected = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = old.case_id AND n.status IN ('attended', 'continuing'))
            OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = old.case_id AND m.to_status = 'attended') THEN 1 ELSE 0 END,
        dropped = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = old.case_id AND n.status = 'dropped') THEN 1 ELSE 0 END WHERE case_id = old.case_id;
END;
