-- The dashboard's counts kept, so that it reads rows bounded by groups
-- and months whatever the number of referrals.
--
-- Read from the kept referral rows (migration 35), a year of a service of
-- 650,000 referrals took 5 to 8 s: every request read every row of the
-- period. The counts themselves are now kept, moved by triggers on the
-- kept rows whoever writes (the store or the bulk loader): a kept row
-- added, changed or gone takes itself out of its old groups and adds
-- itself to its new ones.
--
-- referral_cube counts the referrals by service, age band at referral
-- (and '*', every age), UK month received, pathway, mode, status and how
-- far each went (accepted, how its case closed, first contact, a session
-- attended, an activity gone to or dropped), with their sessions attended
-- and missed and their connections at each level made, gone to and still
-- going. referral_wait_cube counts the waits by their length in tenths of
-- a day (as the dashboard shows them and ranks them), by service, pathway
-- and age band (each also '*'), month and kind, so that a month's median
-- and 90th percentile come from its few hundred lengths.
--
-- The kept referral rows gain the age band at referral (the dashboard's
-- age filter: a kept count cannot follow birthdays) and their case's
-- connections made, gone to and still going at each level, worked out
-- again for the case whenever one of its connections changes. One link
-- worker's or one referrer's dashboard reads their kept rows by index.

DROP INDEX referral_facts_service;
ALTER TABLE referral_facts ADD COLUMN age_band TEXT NOT NULL DEFAULT '';
ALTER TABLE referral_facts ADD COLUMN signpost_made INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN signpost_went INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN signpost_going INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN refer_made INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN refer_went INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN refer_going INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN buddy_made INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN buddy_went INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN buddy_going INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN phased_made INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN phased_went INTEGER NOT NULL DEFAULT 0;
ALTER TABLE referral_facts ADD COLUMN phased_going INTEGER NOT NULL DEFAULT 0;

-- A service's referrals counted by age band at referral ('*': every age),
-- UK month received, pathway, mode, status and how far each went, with
-- their sessions attended and missed and their connections made, gone to
-- and still going at each level.
CREATE TABLE referral_cube (
    service_org_id TEXT NOT NULL,
    age_band       TEXT NOT NULL,
    month          TEXT NOT NULL,
    pathway        TEXT NOT NULL,
    mode           TEXT NOT NULL,
    status         TEXT NOT NULL,
    accepted       INTEGER NOT NULL,
    closed         TEXT NOT NULL,
    contact        INTEGER NOT NULL,
    session        INTEGER NOT NULL,
    connected      INTEGER NOT NULL,
    dropped        INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    sessions       INTEGER NOT NULL,
    dna            INTEGER NOT NULL,
    signpost_made INTEGER NOT NULL,
    signpost_went INTEGER NOT NULL,
    signpost_going INTEGER NOT NULL,
    refer_made INTEGER NOT NULL,
    refer_went INTEGER NOT NULL,
    refer_going INTEGER NOT NULL,
    buddy_made INTEGER NOT NULL,
    buddy_went INTEGER NOT NULL,
    buddy_going INTEGER NOT NULL,
    phased_made INTEGER NOT NULL,
    phased_went INTEGER NOT NULL,
    phased_going INTEGER NOT NULL,
    PRIMARY KEY (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped)
);
-- The waits counted by their length in tenths of a day, by service,
-- pathway and age band at referral ('*': every one), UK month received
-- and kind (decision: from referral to the decision; contact: from
-- acceptance to first contact).
CREATE TABLE referral_wait_cube (
    service_org_id TEXT NOT NULL,
    pathway        TEXT NOT NULL,
    age_band       TEXT NOT NULL,
    month          TEXT NOT NULL,
    kind           TEXT NOT NULL,
    tenths         INTEGER NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (service_org_id, pathway, age_band, month, kind, tenths)
);

UPDATE referral_facts SET age_band = CASE WHEN referral_facts.person_dob IS NULL OR referral_facts.person_dob > CAST(referral_facts.received_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(referral_facts.received_at AT TIME ZONE 'Europe/London' AS DATE), referral_facts.person_dob)) AS INTEGER) IS NULL OR CAST(date_part('year', age(CAST(referral_facts.received_at AT TIME ZONE 'Europe/London' AS DATE), referral_facts.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(referral_facts.received_at AT TIME ZONE 'Europe/London' AS DATE), referral_facts.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(referral_facts.received_at AT TIME ZONE 'Europe/London' AS DATE), referral_facts.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(referral_facts.received_at AT TIME ZONE 'Europe/London' AS DATE), referral_facts.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(referral_facts.received_at AT TIME ZONE 'Europe/London' AS DATE), referral_facts.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END WHERE person_dob IS NOT NULL;
UPDATE referral_facts SET signpost_made = y.signpost_made, signpost_went = y.signpost_went, signpost_going = y.signpost_going, refer_made = y.refer_made, refer_went = y.refer_went, refer_going = y.refer_going, buddy_made = y.buddy_made, buddy_went = y.buddy_went, buddy_going = y.buddy_going, phased_made = y.phased_made, phased_went = y.phased_went, phased_going = y.phased_going FROM (SELECT x.case_id, COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0) AS signpost_made, COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0) AS signpost_went, COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0) AS signpost_going, COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0) AS refer_made, COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0) AS refer_went, COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0) AS refer_going, COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0) AS buddy_made, COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0) AS buddy_went, COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0) AS buddy_going, COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0) AS phased_made, COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0) AS phased_went, COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) AS phased_going FROM (SELECT n.case_id, n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n) x GROUP BY x.case_id) y WHERE referral_facts.case_id = y.case_id;
INSERT INTO referral_cube (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped, n, sessions, dna, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going)
    SELECT f.service_org_id, CASE WHEN a.whole = 1 THEN '*' ELSE f.age_band END, f.month, f.pathway, f.mode, f.status, CASE WHEN f.case_id IS NULL THEN 0 ELSE 1 END, CASE WHEN f.case_status = 'closed' THEN f.closure_reason ELSE '' END, CASE WHEN f.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN f.sessions > 0 THEN 1 ELSE 0 END, f.connected, f.dropped, COUNT(*), SUM(f.sessions), SUM(f.dna), SUM(f.signpost_made), SUM(f.signpost_went), SUM(f.signpost_going), SUM(f.refer_made), SUM(f.refer_went), SUM(f.refer_going), SUM(f.buddy_made), SUM(f.buddy_went), SUM(f.buddy_going), SUM(f.phased_made), SUM(f.phased_went), SUM(f.phased_going)
    FROM referral_facts f CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) a
    GROUP BY f.service_org_id, CASE WHEN a.whole = 1 THEN '*' ELSE f.age_band END, f.month, f.pathway, f.mode, f.status, CASE WHEN f.case_id IS NULL THEN 0 ELSE 1 END, CASE WHEN f.case_status = 'closed' THEN f.closure_reason ELSE '' END, CASE WHEN f.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN f.sessions > 0 THEN 1 ELSE 0 END, f.connected, f.dropped;
INSERT INTO referral_wait_cube (service_org_id, pathway, age_band, month, kind, tenths, n)
    SELECT w.service_org_id, w.pathway, w.age_band, w.month, w.kind, w.tenths, COUNT(*)
    FROM (SELECT f.service_org_id, CASE WHEN p.whole = 1 THEN '*' ELSE f.pathway END AS pathway, CASE WHEN a.whole = 1 THEN '*' ELSE f.age_band END AS age_band, f.month, k.kind,
            CASE k.kind WHEN 'decision' THEN CAST(ROUND(CAST(f.decision_days AS NUMERIC), 1) * 10 AS INTEGER) ELSE CAST(ROUND(CAST(f.contact_days AS NUMERIC), 1) * 10 AS INTEGER) END AS tenths
        FROM referral_facts f CROSS JOIN (SELECT 'decision' AS kind UNION ALL SELECT 'contact') k
        CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) p CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) a
        WHERE CASE k.kind WHEN 'decision' THEN f.decision_days ELSE f.contact_days END IS NOT NULL) w
    GROUP BY w.service_org_id, w.pathway, w.age_band, w.month, w.kind, w.tenths;

-- The kept rows of a service in a period (for the days of a month a
-- period covers in part), of one link worker or of one referring
-- organisation (bounded by what one worker or referrer does), each index
-- holding every column the dashboard reads so that no row is looked up.
CREATE INDEX referral_facts_service ON referral_facts (service_org_id, received_at) INCLUDE (month, pathway, mode, status, age_band, link_worker_id, referrer_org_id, case_id, case_status, closure_reason, first_contact_at, sessions, dna, connected, dropped, decision_days, contact_days, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going);
CREATE INDEX referral_facts_worker ON referral_facts (service_org_id, link_worker_id, received_at) INCLUDE (month, pathway, mode, status, age_band, referrer_org_id, case_id, case_status, closure_reason, first_contact_at, sessions, dna, connected, dropped, decision_days, contact_days, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going);
CREATE INDEX referral_facts_referrer ON referral_facts (service_org_id, referrer_org_id, received_at) INCLUDE (month, pathway, mode, status, age_band, link_worker_id, case_id, case_status, closure_reason, first_contact_at, sessions, dna, connected, dropped, decision_days, contact_days, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going);

-- The age band at referral, worked out on the row whenever it is written.
CREATE FUNCTION referral_facts_band() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.age_band := CASE WHEN NEW.person_dob IS NULL OR NEW.person_dob > CAST(NEW.received_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(NEW.received_at AT TIME ZONE 'Europe/London' AS DATE), NEW.person_dob)) AS INTEGER) IS NULL OR CAST(date_part('year', age(CAST(NEW.received_at AT TIME ZONE 'Europe/London' AS DATE), NEW.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(NEW.received_at AT TIME ZONE 'Europe/London' AS DATE), NEW.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(NEW.received_at AT TIME ZONE 'Europe/London' AS DATE), NEW.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(NEW.received_at AT TIME ZONE 'Europe/London' AS DATE), NEW.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(NEW.received_at AT TIME ZONE 'Europe/London' AS DATE), NEW.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END;
    RETURN NEW;
END $$;
CREATE TRIGGER referral_facts_band BEFORE INSERT OR UPDATE OF received_at, person_dob ON referral_facts
    FOR EACH ROW EXECUTE FUNCTION referral_facts_band();

-- The connections of a referral's case by level, worked out again for
-- the case from its rows when one is added, changed or goes, or moved.
CREATE FUNCTION referral_facts_levels(k TEXT) RETURNS void LANGUAGE sql AS $$
    UPDATE referral_facts SET (signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going) = (SELECT COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) FROM (SELECT n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n WHERE n.case_id = k) x) WHERE case_id = k;
$$;
CREATE FUNCTION referral_facts_levels_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE referral_facts SET signpost_made = 0, signpost_went = 0, signpost_going = 0, refer_made = 0, refer_went = 0, refer_going = 0, buddy_made = 0, buddy_went = 0, buddy_going = 0, phased_made = 0, phased_went = 0, phased_going = 0 WHERE referral_id = OLD.referral_id;
    ELSE
        UPDATE referral_facts SET (signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going) = (SELECT COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) FROM (SELECT n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n WHERE n.case_id = NEW.id) x) WHERE referral_id = NEW.referral_id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_levels AFTER INSERT OR DELETE ON cases
    FOR EACH ROW EXECUTE FUNCTION referral_facts_levels_case();
CREATE FUNCTION referral_facts_levels_connection() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'DELETE' THEN
        PERFORM referral_facts_levels(NEW.case_id);
    END IF;
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.case_id IS DISTINCT FROM NEW.case_id) THEN
        PERFORM referral_facts_levels(OLD.case_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER connections_levels AFTER INSERT OR UPDATE OF case_id, status, level OR DELETE ON connections
    FOR EACH ROW EXECUTE FUNCTION referral_facts_levels_connection();
CREATE TRIGGER connection_moves_levels AFTER INSERT OR DELETE ON connection_moves
    FOR EACH ROW EXECUTE FUNCTION referral_facts_levels_connection();

-- The kept counts move with every kept row: its old groups lose it and
-- its new groups gain it.
CREATE FUNCTION referral_facts_cube() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO referral_cube AS t (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped, n, sessions, dna, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going)
        SELECT OLD.service_org_id, a.a, OLD.month, OLD.pathway, OLD.mode, OLD.status, CASE WHEN OLD.case_id IS NULL THEN 0 ELSE 1 END, CASE WHEN OLD.case_status = 'closed' THEN OLD.closure_reason ELSE '' END, CASE WHEN OLD.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN OLD.sessions > 0 THEN 1 ELSE 0 END, OLD.connected, OLD.dropped, -1, -OLD.sessions, -OLD.dna, -OLD.signpost_made, -OLD.signpost_went, -OLD.signpost_going, -OLD.refer_made, -OLD.refer_went, -OLD.refer_going, -OLD.buddy_made, -OLD.buddy_went, -OLD.buddy_going, -OLD.phased_made, -OLD.phased_went, -OLD.phased_going
        FROM (SELECT '*' AS a UNION ALL SELECT OLD.age_band) a WHERE true
        ON CONFLICT (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped) DO UPDATE SET n = t.n + EXCLUDED.n, sessions = t.sessions + EXCLUDED.sessions, dna = t.dna + EXCLUDED.dna, signpost_made = t.signpost_made + EXCLUDED.signpost_made, signpost_went = t.signpost_went + EXCLUDED.signpost_went, signpost_going = t.signpost_going + EXCLUDED.signpost_going, refer_made = t.refer_made + EXCLUDED.refer_made, refer_went = t.refer_went + EXCLUDED.refer_went, refer_going = t.refer_going + EXCLUDED.refer_going, buddy_made = t.buddy_made + EXCLUDED.buddy_made, buddy_went = t.buddy_went + EXCLUDED.buddy_went, buddy_going = t.buddy_going + EXCLUDED.buddy_going, phased_made = t.phased_made + EXCLUDED.phased_made, phased_went = t.phased_went + EXCLUDED.phased_went, phased_going = t.phased_going + EXCLUDED.phased_going;
        INSERT INTO referral_wait_cube AS t (service_org_id, pathway, age_band, month, kind, tenths, n)
        SELECT OLD.service_org_id, p.p, a.a, OLD.month, k.kind, k.t, -1
        FROM (SELECT 'decision' AS kind, CAST(ROUND(CAST(OLD.decision_days AS NUMERIC), 1) * 10 AS INTEGER) AS t WHERE OLD.decision_days IS NOT NULL
            UNION ALL SELECT 'contact', CAST(ROUND(CAST(OLD.contact_days AS NUMERIC), 1) * 10 AS INTEGER) WHERE OLD.contact_days IS NOT NULL) k
        CROSS JOIN (SELECT '*' AS p UNION ALL SELECT OLD.pathway) p CROSS JOIN (SELECT '*' AS a UNION ALL SELECT OLD.age_band) a WHERE true
        ON CONFLICT (service_org_id, pathway, age_band, month, kind, tenths) DO UPDATE SET n = t.n + EXCLUDED.n;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO referral_cube AS t (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped, n, sessions, dna, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going)
        SELECT NEW.service_org_id, a.a, NEW.month, NEW.pathway, NEW.mode, NEW.status, CASE WHEN NEW.case_id IS NULL THEN 0 ELSE 1 END, CASE WHEN NEW.case_status = 'closed' THEN NEW.closure_reason ELSE '' END, CASE WHEN NEW.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN NEW.sessions > 0 THEN 1 ELSE 0 END, NEW.connected, NEW.dropped, 1, NEW.sessions, NEW.dna, NEW.signpost_made, NEW.signpost_went, NEW.signpost_going, NEW.refer_made, NEW.refer_went, NEW.refer_going, NEW.buddy_made, NEW.buddy_went, NEW.buddy_going, NEW.phased_made, NEW.phased_went, NEW.phased_going
        FROM (SELECT '*' AS a UNION ALL SELECT NEW.age_band) a WHERE true
        ON CONFLICT (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped) DO UPDATE SET n = t.n + EXCLUDED.n, sessions = t.sessions + EXCLUDED.sessions, dna = t.dna + EXCLUDED.dna, signpost_made = t.signpost_made + EXCLUDED.signpost_made, signpost_went = t.signpost_went + EXCLUDED.signpost_went, signpost_going = t.signpost_going + EXCLUDED.signpost_going, refer_made = t.refer_made + EXCLUDED.refer_made, refer_went = t.refer_went + EXCLUDED.refer_went, refer_going = t.refer_going + EXCLUDED.refer_going, buddy_made = t.buddy_made + EXCLUDED.buddy_made, buddy_went = t.buddy_went + EXCLUDED.buddy_went, buddy_going = t.buddy_going + EXCLUDED.buddy_going, phased_made = t.phased_made + EXCLUDED.phased_made, phased_went = t.phased_went + EXCLUDED.phased_went, phased_going = t.phased_going + EXCLUDED.phased_going;
        INSERT INTO referral_wait_cube AS t (service_org_id, pathway, age_band, month, kind, tenths, n)
        SELECT NEW.service_org_id, p.p, a.a, NEW.month, k.kind, k.t, 1
        FROM (SELECT 'decision' AS kind, CAST(ROUND(CAST(NEW.decision_days AS NUMERIC), 1) * 10 AS INTEGER) AS t WHERE NEW.decision_days IS NOT NULL
            UNION ALL SELECT 'contact', CAST(ROUND(CAST(NEW.contact_days AS NUMERIC), 1) * 10 AS INTEGER) WHERE NEW.contact_days IS NOT NULL) k
        CROSS JOIN (SELECT '*' AS p UNION ALL SELECT NEW.pathway) p CROSS JOIN (SELECT '*' AS a UNION ALL SELECT NEW.age_band) a WHERE true
        ON CONFLICT (service_org_id, pathway, age_band, month, kind, tenths) DO UPDATE SET n = t.n + EXCLUDED.n;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_facts_cube AFTER INSERT OR DELETE ON referral_facts
    FOR EACH ROW EXECUTE FUNCTION referral_facts_cube();
CREATE TRIGGER referral_facts_cube_update AFTER UPDATE ON referral_facts
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION referral_facts_cube();
