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
) WITHOUT ROWID;
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
) WITHOUT ROWID;

UPDATE referral_facts SET age_band = (SELECT CASE WHEN a IS NULL OR a < 0 THEN '' WHEN a <= 12 THEN 'under-13' WHEN a <= 15 THEN '13-15' WHEN a <= 17 THEN '16-17' WHEN a <= 25 THEN '18-25' ELSE '26-plus' END FROM (SELECT CAST(strftime('%Y', u) AS INTEGER) - CAST(strftime('%Y', referral_facts.person_dob) AS INTEGER) - CASE WHEN strftime('%m-%d', u) < strftime('%m-%d', referral_facts.person_dob) THEN 1 ELSE 0 END AS a FROM (SELECT date(referral_facts.received_at, CASE WHEN datetime(referral_facts.received_at) >= datetime(date(strftime('%Y', referral_facts.received_at) || '-04-01', 'weekday 0', '-7 days'), '+1 hour') AND datetime(referral_facts.received_at) < datetime(date(strftime('%Y', referral_facts.received_at) || '-11-01', 'weekday 0', '-7 days'), '+1 hour') THEN '+1 hour' ELSE '+0 hours' END) AS u))) WHERE person_dob IS NOT NULL;
UPDATE referral_facts SET signpost_made = y.signpost_made, signpost_went = y.signpost_went, signpost_going = y.signpost_going, refer_made = y.refer_made, refer_went = y.refer_went, refer_going = y.refer_going, buddy_made = y.buddy_made, buddy_went = y.buddy_went, buddy_going = y.buddy_going, phased_made = y.phased_made, phased_went = y.phased_went, phased_going = y.phased_going FROM (SELECT x.case_id, COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0) AS signpost_made, COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0) AS signpost_went, COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0) AS signpost_going, COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0) AS refer_made, COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0) AS refer_went, COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0) AS refer_going, COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0) AS buddy_made, COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0) AS buddy_went, COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0) AS buddy_going, COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0) AS phased_made, COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0) AS phased_went, COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) AS phased_going FROM (SELECT n.case_id, n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n) x GROUP BY x.case_id) y WHERE referral_facts.case_id = y.case_id;
INSERT INTO referral_cube (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped, n, sessions, dna, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going)
    SELECT f.service_org_id, CASE WHEN a.whole = 1 THEN '*' ELSE f.age_band END, f.month, f.pathway, f.mode, f.status, CASE WHEN f.case_id IS NULL THEN 0 ELSE 1 END, CASE WHEN f.case_status = 'closed' THEN f.closure_reason ELSE '' END, CASE WHEN f.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN f.sessions > 0 THEN 1 ELSE 0 END, f.connected, f.dropped, COUNT(*), SUM(f.sessions), SUM(f.dna), SUM(f.signpost_made), SUM(f.signpost_went), SUM(f.signpost_going), SUM(f.refer_made), SUM(f.refer_went), SUM(f.refer_going), SUM(f.buddy_made), SUM(f.buddy_went), SUM(f.buddy_going), SUM(f.phased_made), SUM(f.phased_went), SUM(f.phased_going)
    FROM referral_facts f CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) a
    GROUP BY f.service_org_id, CASE WHEN a.whole = 1 THEN '*' ELSE f.age_band END, f.month, f.pathway, f.mode, f.status, CASE WHEN f.case_id IS NULL THEN 0 ELSE 1 END, CASE WHEN f.case_status = 'closed' THEN f.closure_reason ELSE '' END, CASE WHEN f.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN f.sessions > 0 THEN 1 ELSE 0 END, f.connected, f.dropped;
INSERT INTO referral_wait_cube (service_org_id, pathway, age_band, month, kind, tenths, n)
    SELECT w.service_org_id, w.pathway, w.age_band, w.month, w.kind, w.tenths, COUNT(*)
    FROM (SELECT f.service_org_id, CASE WHEN p.whole = 1 THEN '*' ELSE f.pathway END AS pathway, CASE WHEN a.whole = 1 THEN '*' ELSE f.age_band END AS age_band, f.month, k.kind,
            CASE k.kind WHEN 'decision' THEN CAST(ROUND(ROUND(f.decision_days, 1) * 10) AS INTEGER) ELSE CAST(ROUND(ROUND(f.contact_days, 1) * 10) AS INTEGER) END AS tenths
        FROM referral_facts f CROSS JOIN (SELECT 'decision' AS kind UNION ALL SELECT 'contact') k
        CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) p CROSS JOIN (SELECT 0 AS whole UNION ALL SELECT 1) a
        WHERE CASE k.kind WHEN 'decision' THEN f.decision_days ELSE f.contact_days END IS NOT NULL) w
    GROUP BY w.service_org_id, w.pathway, w.age_band, w.month, w.kind, w.tenths;

-- The kept rows of a service in a period (for the days of a month a
-- period covers in part), of one link worker or of one referring
-- organisation (bounded by what one worker or referrer does), each index
-- holding every column the dashboard reads so that no row is looked up.
CREATE INDEX referral_facts_service ON referral_facts (service_org_id, received_at, month, pathway, mode, status, age_band, link_worker_id, referrer_org_id, case_id, case_status, closure_reason, first_contact_at, sessions, dna, connected, dropped, decision_days, contact_days, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going);
CREATE INDEX referral_facts_worker ON referral_facts (service_org_id, link_worker_id, received_at, month, pathway, mode, status, age_band, referrer_org_id, case_id, case_status, closure_reason, first_contact_at, sessions, dna, connected, dropped, decision_days, contact_days, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going);
CREATE INDEX referral_facts_referrer ON referral_facts (service_org_id, referrer_org_id, received_at, month, pathway, mode, status, age_band, link_worker_id, case_id, case_status, closure_reason, first_contact_at, sessions, dna, connected, dropped, decision_days, contact_days, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going);

-- The age band at referral, worked out on the row when the date of birth
-- or the time received changes.
CREATE TRIGGER referral_facts_band_insert AFTER INSERT ON referral_facts WHEN new.person_dob IS NOT NULL
BEGIN
    UPDATE referral_facts SET age_band = (SELECT CASE WHEN a IS NULL OR a < 0 THEN '' WHEN a <= 12 THEN 'under-13' WHEN a <= 15 THEN '13-15' WHEN a <= 17 THEN '16-17' WHEN a <= 25 THEN '18-25' ELSE '26-plus' END FROM (SELECT CAST(strftime('%Y', u) AS INTEGER) - CAST(strftime('%Y', new.person_dob) AS INTEGER) - CASE WHEN strftime('%m-%d', u) < strftime('%m-%d', new.person_dob) THEN 1 ELSE 0 END AS a FROM (SELECT date(new.received_at, CASE WHEN datetime(new.received_at) >= datetime(date(strftime('%Y', new.received_at) || '-04-01', 'weekday 0', '-7 days'), '+1 hour') AND datetime(new.received_at) < datetime(date(strftime('%Y', new.received_at) || '-11-01', 'weekday 0', '-7 days'), '+1 hour') THEN '+1 hour' ELSE '+0 hours' END) AS u))) WHERE referral_id = new.referral_id;
END;
CREATE TRIGGER referral_facts_band_update AFTER UPDATE OF received_at, person_dob ON referral_facts
BEGIN
    UPDATE referral_facts SET age_band = (SELECT CASE WHEN a IS NULL OR a < 0 THEN '' WHEN a <= 12 THEN 'under-13' WHEN a <= 15 THEN '13-15' WHEN a <= 17 THEN '16-17' WHEN a <= 25 THEN '18-25' ELSE '26-plus' END FROM (SELECT CAST(strftime('%Y', u) AS INTEGER) - CAST(strftime('%Y', new.person_dob) AS INTEGER) - CASE WHEN strftime('%m-%d', u) < strftime('%m-%d', new.person_dob) THEN 1 ELSE 0 END AS a FROM (SELECT date(new.received_at, CASE WHEN datetime(new.received_at) >= datetime(date(strftime('%Y', new.received_at) || '-04-01', 'weekday 0', '-7 days'), '+1 hour') AND datetime(new.received_at) < datetime(date(strftime('%Y', new.received_at) || '-11-01', 'weekday 0', '-7 days'), '+1 hour') THEN '+1 hour' ELSE '+0 hours' END) AS u))) WHERE referral_id = new.referral_id;
END;

-- The connections of a referral's case by level, worked out again for
-- the case from its rows when one is added, changed or goes, or moved.
CREATE TRIGGER cases_levels_insert AFTER INSERT ON cases
BEGIN
    UPDATE referral_facts SET (signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going) = (SELECT COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) FROM (SELECT n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n WHERE n.case_id = new.id) x) WHERE referral_id = new.referral_id;
END;
CREATE TRIGGER cases_levels_delete AFTER DELETE ON cases
BEGIN
    UPDATE referral_facts SET signpost_made = 0, signpost_went = 0, signpost_going = 0, refer_made = 0, refer_went = 0, refer_going = 0, buddy_made = 0, buddy_went = 0, buddy_going = 0, phased_made = 0, phased_went = 0, phased_going = 0 WHERE referral_id = old.referral_id;
END;
CREATE TRIGGER connections_levels_insert AFTER INSERT ON connections
BEGIN
    UPDATE referral_facts SET (signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going) = (SELECT COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) FROM (SELECT n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n WHERE n.case_id = new.case_id) x) WHERE case_id = new.case_id;
END;
CREATE TRIGGER connections_levels_update AFTER UPDATE OF case_id, status, level ON connections
BEGIN
    UPDATE referral_facts SET (signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going) = (SELECT COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) FROM (SELECT n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n WHERE n.case_id = new.case_id) x) WHERE case_id = new.case_id;
    UPDATE referral_facts SET (signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going) = (SELECT COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) FROM (SELECT n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n WHERE n.case_id = old.case_id) x) WHERE case_id = old.case_id AND old.case_id IS NOT new.case_id;
END;
CREATE TRIGGER connections_levels_delete AFTER DELETE ON connections
BEGIN
    UPDATE referral_facts SET (signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going) = (SELECT COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) FROM (SELECT n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n WHERE n.case_id = old.case_id) x) WHERE case_id = old.case_id;
END;
CREATE TRIGGER connection_moves_levels_insert AFTER INSERT ON connection_moves WHEN new.to_status = 'attended'
BEGIN
    UPDATE referral_facts SET (signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going) = (SELECT COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) FROM (SELECT n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n WHERE n.case_id = new.case_id) x) WHERE case_id = new.case_id;
END;
CREATE TRIGGER connection_moves_levels_delete AFTER DELETE ON connection_moves WHEN old.to_status = 'attended'
BEGIN
    UPDATE referral_facts SET (signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going) = (SELECT COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'signpost' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'refer' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'buddy' THEN x.going ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN 1 ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.went ELSE 0 END), 0), COALESCE(SUM(CASE WHEN x.level = 'phased' THEN x.going ELSE 0 END), 0) FROM (SELECT n.level, CASE WHEN n.status IN ('attended', 'continuing') OR EXISTS (SELECT 1 FROM connection_moves m WHERE m.case_id = n.case_id AND m.to_status = 'attended' AND m.connection_id = n.id) THEN 1 ELSE 0 END AS went, CASE WHEN n.status = 'continuing' THEN 1 ELSE 0 END AS going FROM connections n WHERE n.case_id = old.case_id) x) WHERE case_id = old.case_id;
END;

-- The kept counts move with every kept row: its old groups lose it and
-- its new groups gain it.
CREATE TRIGGER referral_facts_cube_insert AFTER INSERT ON referral_facts
BEGIN
    INSERT INTO referral_cube (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped, n, sessions, dna, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going)
        SELECT new.service_org_id, a.a, new.month, new.pathway, new.mode, new.status, CASE WHEN new.case_id IS NULL THEN 0 ELSE 1 END, CASE WHEN new.case_status = 'closed' THEN new.closure_reason ELSE '' END, CASE WHEN new.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN new.sessions > 0 THEN 1 ELSE 0 END, new.connected, new.dropped, 1, new.sessions, new.dna, new.signpost_made, new.signpost_went, new.signpost_going, new.refer_made, new.refer_went, new.refer_going, new.buddy_made, new.buddy_went, new.buddy_going, new.phased_made, new.phased_went, new.phased_going
        FROM (SELECT '*' AS a UNION ALL SELECT new.age_band) a WHERE true
        ON CONFLICT (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped) DO UPDATE SET n = n + excluded.n, sessions = sessions + excluded.sessions, dna = dna + excluded.dna, signpost_made = signpost_made + excluded.signpost_made, signpost_went = signpost_went + excluded.signpost_went, signpost_going = signpost_going + excluded.signpost_going, refer_made = refer_made + excluded.refer_made, refer_went = refer_went + excluded.refer_went, refer_going = refer_going + excluded.refer_going, buddy_made = buddy_made + excluded.buddy_made, buddy_went = buddy_went + excluded.buddy_went, buddy_going = buddy_going + excluded.buddy_going, phased_made = phased_made + excluded.phased_made, phased_went = phased_went + excluded.phased_went, phased_going = phased_going + excluded.phased_going;
    INSERT INTO referral_wait_cube (service_org_id, pathway, age_band, month, kind, tenths, n)
        SELECT new.service_org_id, p.p, a.a, new.month, k.kind, k.t, 1
        FROM (SELECT 'decision' AS kind, CAST(ROUND(ROUND(new.decision_days, 1) * 10) AS INTEGER) AS t WHERE new.decision_days IS NOT NULL
            UNION ALL SELECT 'contact', CAST(ROUND(ROUND(new.contact_days, 1) * 10) AS INTEGER) WHERE new.contact_days IS NOT NULL) k
        CROSS JOIN (SELECT '*' AS p UNION ALL SELECT new.pathway) p CROSS JOIN (SELECT '*' AS a UNION ALL SELECT new.age_band) a WHERE true
        ON CONFLICT (service_org_id, pathway, age_band, month, kind, tenths) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER referral_facts_cube_update AFTER UPDATE ON referral_facts WHEN NOT (old.service_org_id IS new.service_org_id AND old.month IS new.month AND old.age_band IS new.age_band AND old.pathway IS new.pathway AND old.mode IS new.mode AND old.status IS new.status AND old.case_status IS new.case_status AND old.closure_reason IS new.closure_reason AND old.sessions IS new.sessions AND old.dna IS new.dna AND old.connected IS new.connected AND old.dropped IS new.dropped AND old.decision_days IS new.decision_days AND old.contact_days IS new.contact_days AND old.signpost_made IS new.signpost_made AND old.signpost_went IS new.signpost_went AND old.signpost_going IS new.signpost_going AND old.refer_made IS new.refer_made AND old.refer_went IS new.refer_went AND old.refer_going IS new.refer_going AND old.buddy_made IS new.buddy_made AND old.buddy_went IS new.buddy_went AND old.buddy_going IS new.buddy_going AND old.phased_made IS new.phased_made AND old.phased_went IS new.phased_went AND old.phased_going IS new.phased_going AND (old.case_id IS NULL) = (new.case_id IS NULL) AND (old.first_contact_at IS NULL) = (new.first_contact_at IS NULL))
BEGIN
    INSERT INTO referral_cube (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped, n, sessions, dna, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going)
        SELECT old.service_org_id, a.a, old.month, old.pathway, old.mode, old.status, CASE WHEN old.case_id IS NULL THEN 0 ELSE 1 END, CASE WHEN old.case_status = 'closed' THEN old.closure_reason ELSE '' END, CASE WHEN old.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN old.sessions > 0 THEN 1 ELSE 0 END, old.connected, old.dropped, -1, -old.sessions, -old.dna, -old.signpost_made, -old.signpost_went, -old.signpost_going, -old.refer_made, -old.refer_went, -old.refer_going, -old.buddy_made, -old.buddy_went, -old.buddy_going, -old.phased_made, -old.phased_went, -old.phased_going
        FROM (SELECT '*' AS a UNION ALL SELECT old.age_band) a WHERE true
        ON CONFLICT (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped) DO UPDATE SET n = n + excluded.n, sessions = sessions + excluded.sessions, dna = dna + excluded.dna, signpost_made = signpost_made + excluded.signpost_made, signpost_went = signpost_went + excluded.signpost_went, signpost_going = signpost_going + excluded.signpost_going, refer_made = refer_made + excluded.refer_made, refer_went = refer_went + excluded.refer_went, refer_going = refer_going + excluded.refer_going, buddy_made = buddy_made + excluded.buddy_made, buddy_went = buddy_went + excluded.buddy_went, buddy_going = buddy_going + excluded.buddy_going, phased_made = phased_made + excluded.phased_made, phased_went = phased_went + excluded.phased_went, phased_going = phased_going + excluded.phased_going;
    INSERT INTO referral_wait_cube (service_org_id, pathway, age_band, month, kind, tenths, n)
        SELECT old.service_org_id, p.p, a.a, old.month, k.kind, k.t, -1
        FROM (SELECT 'decision' AS kind, CAST(ROUND(ROUND(old.decision_days, 1) * 10) AS INTEGER) AS t WHERE old.decision_days IS NOT NULL
            UNION ALL SELECT 'contact', CAST(ROUND(ROUND(old.contact_days, 1) * 10) AS INTEGER) WHERE old.contact_days IS NOT NULL) k
        CROSS JOIN (SELECT '*' AS p UNION ALL SELECT old.pathway) p CROSS JOIN (SELECT '*' AS a UNION ALL SELECT old.age_band) a WHERE true
        ON CONFLICT (service_org_id, pathway, age_band, month, kind, tenths) DO UPDATE SET n = n + excluded.n;
    INSERT INTO referral_cube (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped, n, sessions, dna, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going)
        SELECT new.service_org_id, a.a, new.month, new.pathway, new.mode, new.status, CASE WHEN new.case_id IS NULL THEN 0 ELSE 1 END, CASE WHEN new.case_status = 'closed' THEN new.closure_reason ELSE '' END, CASE WHEN new.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN new.sessions > 0 THEN 1 ELSE 0 END, new.connected, new.dropped, 1, new.sessions, new.dna, new.signpost_made, new.signpost_went, new.signpost_going, new.refer_made, new.refer_went, new.refer_going, new.buddy_made, new.buddy_went, new.buddy_going, new.phased_made, new.phased_went, new.phased_going
        FROM (SELECT '*' AS a UNION ALL SELECT new.age_band) a WHERE true
        ON CONFLICT (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped) DO UPDATE SET n = n + excluded.n, sessions = sessions + excluded.sessions, dna = dna + excluded.dna, signpost_made = signpost_made + excluded.signpost_made, signpost_went = signpost_went + excluded.signpost_went, signpost_going = signpost_going + excluded.signpost_going, refer_made = refer_made + excluded.refer_made, refer_went = refer_went + excluded.refer_went, refer_going = refer_going + excluded.refer_going, buddy_made = buddy_made + excluded.buddy_made, buddy_went = buddy_went + excluded.buddy_went, buddy_going = buddy_going + excluded.buddy_going, phased_made = phased_made + excluded.phased_made, phased_went = phased_went + excluded.phased_went, phased_going = phased_going + excluded.phased_going;
    INSERT INTO referral_wait_cube (service_org_id, pathway, age_band, month, kind, tenths, n)
        SELECT new.service_org_id, p.p, a.a, new.month, k.kind, k.t, 1
        FROM (SELECT 'decision' AS kind, CAST(ROUND(ROUND(new.decision_days, 1) * 10) AS INTEGER) AS t WHERE new.decision_days IS NOT NULL
            UNION ALL SELECT 'contact', CAST(ROUND(ROUND(new.contact_days, 1) * 10) AS INTEGER) WHERE new.contact_days IS NOT NULL) k
        CROSS JOIN (SELECT '*' AS p UNION ALL SELECT new.pathway) p CROSS JOIN (SELECT '*' AS a UNION ALL SELECT new.age_band) a WHERE true
        ON CONFLICT (service_org_id, pathway, age_band, month, kind, tenths) DO UPDATE SET n = n + excluded.n;
END;
CREATE TRIGGER referral_facts_cube_delete AFTER DELETE ON referral_facts
BEGIN
    INSERT INTO referral_cube (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped, n, sessions, dna, signpost_made, signpost_went, signpost_going, refer_made, refer_went, refer_going, buddy_made, buddy_went, buddy_going, phased_made, phased_went, phased_going)
        SELECT old.service_org_id, a.a, old.month, old.pathway, old.mode, old.status, CASE WHEN old.case_id IS NULL THEN 0 ELSE 1 END, CASE WHEN old.case_status = 'closed' THEN old.closure_reason ELSE '' END, CASE WHEN old.first_contact_at IS NULL THEN 0 ELSE 1 END, CASE WHEN old.sessions > 0 THEN 1 ELSE 0 END, old.connected, old.dropped, -1, -old.sessions, -old.dna, -old.signpost_made, -old.signpost_went, -old.signpost_going, -old.refer_made, -old.refer_went, -old.refer_going, -old.buddy_made, -old.buddy_went, -old.buddy_going, -old.phased_made, -old.phased_went, -old.phased_going
        FROM (SELECT '*' AS a UNION ALL SELECT old.age_band) a WHERE true
        ON CONFLICT (service_org_id, age_band, month, pathway, mode, status, accepted, closed, contact, session, connected, dropped) DO UPDATE SET n = n + excluded.n, sessions = sessions + excluded.sessions, dna = dna + excluded.dna, signpost_made = signpost_made + excluded.signpost_made, signpost_went = signpost_went + excluded.signpost_went, signpost_going = signpost_going + excluded.signpost_going, refer_made = refer_made + excluded.refer_made, refer_went = refer_went + excluded.refer_went, refer_going = refer_going + excluded.refer_going, buddy_made = buddy_made + excluded.buddy_made, buddy_went = buddy_went + excluded.buddy_went, buddy_going = buddy_going + excluded.buddy_going, phased_made = phased_made + excluded.phased_made, phased_went = phased_went + excluded.phased_went, phased_going = phased_going + excluded.phased_going;
    INSERT INTO referral_wait_cube (service_org_id, pathway, age_band, month, kind, tenths, n)
        SELECT old.service_org_id, p.p, a.a, old.month, k.kind, k.t, -1
        FROM (SELECT 'decision' AS kind, CAST(ROUND(ROUND(old.decision_days, 1) * 10) AS INTEGER) AS t WHERE old.decision_days IS NOT NULL
            UNION ALL SELECT 'contact', CAST(ROUND(ROUND(old.contact_days, 1) * 10) AS INTEGER) WHERE old.contact_days IS NOT NULL) k
        CROSS JOIN (SELECT '*' AS p UNION ALL SELECT old.pathway) p CROSS JOIN (SELECT '*' AS a UNION ALL SELECT old.age_band) a WHERE true
        ON CONFLICT (service_org_id, pathway, age_band, month, kind, tenths) DO UPDATE SET n = n + excluded.n;
END;
