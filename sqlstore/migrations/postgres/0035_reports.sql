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
    received_at      TIMESTAMPTZ NOT NULL,
    month            TEXT NOT NULL,
    pathway          TEXT NOT NULL,
    mode             TEXT NOT NULL,
    status           TEXT NOT NULL,
    person_dob       DATE,
    referrer_org_id  TEXT NOT NULL DEFAULT '',
    decided_at       TIMESTAMPTZ,
    case_id          TEXT,
    link_worker_id   TEXT NOT NULL DEFAULT '',
    case_status      TEXT NOT NULL DEFAULT '',
    closure_reason   TEXT NOT NULL DEFAULT '',
    opened_at        TIMESTAMPTZ,
    first_contact_at TIMESTAMPTZ,
    sessions         INTEGER NOT NULL DEFAULT 0,
    dna              INTEGER NOT NULL DEFAULT 0,
    connected        INTEGER NOT NULL DEFAULT 0,
    dropped          INTEGER NOT NULL DEFAULT 0,
    decision_days    DOUBLE PRECISION,
    contact_days     DOUBLE PRECISION
);
-- A service's referrals in a period, with everything the dashboard reads.
CREATE INDEX referral_facts_service ON referral_facts (service_org_id, received_at, month, pathway, mode, status, person_dob, referrer_org_id,
    link_worker_id, case_id, case_status, closure_reason, first_contact_at, sessions, dna, connected, dropped, decision_days, contact_days);
CREATE INDEX referral_facts_case ON referral_facts (case_id) WHERE case_id IS NOT NULL;

-- The waits, in days, worked out on the row whenever it is written: from
-- referral to the decision (the case opened for an accepted referral, the
-- decision for a declined one), and from acceptance to first contact.
CREATE FUNCTION referral_facts_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.decision_days := CASE WHEN NEW.case_id IS NOT NULL THEN EXTRACT(EPOCH FROM (NEW.opened_at - NEW.received_at)) / 86400.0
        WHEN NEW.status = 'declined' THEN EXTRACT(EPOCH FROM (NEW.decided_at - NEW.received_at)) / 86400.0 END;
    NEW.contact_days := EXTRACT(EPOCH FROM (NEW.first_contact_at - NEW.opened_at)) / 86400.0;
    RETURN NEW;
END $$;
CREATE TRIGGER referral_facts_days BEFORE INSERT OR UPDATE ON referral_facts
    FOR EACH ROW EXECUTE FUNCTION referral_facts_days();

-- The connections by level, found from the case; the triggers' lookups.
CREATE INDEX connections_case_status ON connections (case_id, status, level, id);
CREATE INDEX connection_moves_case_status ON connection_moves (case_id, to_status);

INSERT INTO referral_facts (referral_id, service_org_id, received_at, month, pathway, mode, status, person_dob, referrer_org_id, decided_at,
        case_id, link_worker_id, case_status, closure_reason, opened_at)
    SELECT r.id, r.service_org_id, r.received_at, to_char(r.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), r.pathway, r.mode, r.status, r.person_dob, COALESCE(r.referrer_org_id, ''), r.decided_at,
        k.id, COALESCE(k.link_worker_id, ''), COALESCE(k.status, ''), COALESCE(k.closure_reason, ''), k.opened_at
    FROM referrals r LEFT JOIN cases k ON k.referral_id = r.id;

-- A case's facts from its contacts, and from its connections, worked out
-- again from their rows.
CREATE FUNCTION referral_facts_contacts(k TEXT) RETURNS void LANGUAGE sql AS $$
    UPDATE referral_facts SET first_contact_at = (SELECT MIN(c.at) FROM contacts c WHERE c.case_id = k AND c.outcome IN ('reached', 'attended')),
        sessions = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = k AND c.outcome = 'attended' AND c.kind = 'session'),
        dna = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = k AND c.outcome = 'did_not_attend' AND c.kind = 'session') WHERE case_id = k;
$$;
CREATE FUNCTION referral_facts_connections(k TEXT) RETURNS void LANGUAGE sql AS $$
    UPDATE referral_facts SET connected = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = k AND n.status IN ('attended', 'continuing'))
            OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = k AND m.to_status = 'attended') THEN 1 ELSE 0 END,
        dropped = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = k AND n.status = 'dropped') THEN 1 ELSE 0 END WHERE case_id = k;
$$;
UPDATE referral_facts SET first_contact_at = (SELECT MIN(c.at) FROM contacts c WHERE c.case_id = referral_facts.case_id AND c.outcome IN ('reached', 'attended')),
        sessions = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = referral_facts.case_id AND c.outcome = 'attended' AND c.kind = 'session'),
        dna = (SELECT COUNT(*) FROM contacts c WHERE c.case_id = referral_facts.case_id AND c.outcome = 'did_not_attend' AND c.kind = 'session'),
        connected = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = referral_facts.case_id AND n.status IN ('attended', 'continuing'))
            OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = referral_facts.case_id AND m.to_status = 'attended') THEN 1 ELSE 0 END,
        dropped = CASE WHEN EXISTS (SELECT 1 FROM connections n WHERE n.case_id = referral_facts.case_id AND n.status = 'dropped') THEN 1 ELSE 0 END
    WHERE case_id IS NOT NULL;

CREATE FUNCTION referral_facts_referral() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO referral_facts (referral_id, service_org_id, received_at, month, pathway, mode, status, person_dob, referrer_org_id, decided_at)
            VALUES (NEW.id, NEW.service_org_id, NEW.received_at, to_char(NEW.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'), NEW.pathway, NEW.mode, NEW.status, NEW.person_dob, COALESCE(NEW.referrer_org_id, ''), NEW.decided_at);
    ELSIF TG_OP = 'UPDATE' THEN
        UPDATE referral_facts SET service_org_id = NEW.service_org_id, received_at = NEW.received_at, month = to_char(NEW.received_at AT TIME ZONE 'Europe/London', 'YYYY-MM'),
            pathway = NEW.pathway, mode = NEW.mode, status = NEW.status, person_dob = NEW.person_dob, referrer_org_id = COALESCE(NEW.referrer_org_id, ''), decided_at = NEW.decided_at
            WHERE referral_id = NEW.id;
    ELSE
        DELETE FROM referral_facts WHERE referral_id = OLD.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referrals_facts AFTER INSERT OR UPDATE OF service_org_id, received_at, pathway, mode, status, person_dob, referrer_org_id, decided_at OR DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION referral_facts_referral();

CREATE FUNCTION referral_facts_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE referral_facts SET case_id = NULL, link_worker_id = '', case_status = '', closure_reason = '', opened_at = NULL,
            first_contact_at = NULL, sessions = 0, dna = 0, connected = 0, dropped = 0
            WHERE referral_id = OLD.referral_id;
        RETURN NULL;
    END IF;
    UPDATE referral_facts SET case_id = NEW.id, link_worker_id = COALESCE(NEW.link_worker_id, ''), case_status = NEW.status,
        closure_reason = NEW.closure_reason, opened_at = NEW.opened_at
        WHERE referral_id = NEW.referral_id;
    IF TG_OP = 'INSERT' THEN
        PERFORM referral_facts_contacts(NEW.id);
        PERFORM referral_facts_connections(NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_facts AFTER INSERT OR UPDATE OF link_worker_id, status, closure_reason, opened_at OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION referral_facts_case();

CREATE FUNCTION referral_facts_contact() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM referral_facts_contacts(NEW.case_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.case_id IS DISTINCT FROM NEW.case_id) THEN
        PERFORM referral_facts_contacts(OLD.case_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER contacts_facts AFTER INSERT OR UPDATE OF case_id, at, outcome, kind OR DELETE ON contacts
    FOR EACH ROW EXECUTE FUNCTION referral_facts_contact();

CREATE FUNCTION referral_facts_connection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM referral_facts_connections(NEW.case_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.case_id IS DISTINCT FROM NEW.case_id) THEN
        PERFORM referral_facts_connections(OLD.case_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER connections_facts AFTER INSERT OR UPDATE OF case_id, status OR DELETE ON connections
    FOR EACH ROW EXECUTE FUNCTION referral_facts_connection();
CREATE TRIGGER connection_moves_facts AFTER INSERT OR DELETE ON connection_moves
    FOR EACH ROW EXECUTE FUNCTION referral_facts_connection();
