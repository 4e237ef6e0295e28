-- Equity: who a service reaches and who it does not. Referrals, and how
-- far they went, by ethnicity, age, gender and how deprived the area the
-- person lives in is, set beside the local population's shares.
--
-- Where a person lives: postcode_lsoas is the ONS postcode lookup's
-- postcode → 2011 LSOA, loaded by "linkwork postcodes lsoa", with each
-- area's decile of the English Index of Multiple Deprivation 2019 (1 the
-- most deprived tenth), which the loader takes from the index embedded in
-- the binary. A person's lsoa11 and imd_decile follow their postcode:
-- set when they are recorded, and again when their postcode changes.
CREATE TABLE postcode_lsoas (
    postcode    TEXT PRIMARY KEY,
    lsoa11      TEXT NOT NULL,
    imd_decile  INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
ALTER TABLE people ADD COLUMN lsoa11 TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN imd_decile INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER people_lsoa_insert AFTER INSERT ON people
    WHEN EXISTS (SELECT 1 FROM postcode_lsoas l WHERE l.postcode = new.postcode)
BEGIN
    UPDATE people SET lsoa11 = (SELECT l.lsoa11 FROM postcode_lsoas l WHERE l.postcode = new.postcode),
        imd_decile = (SELECT l.imd_decile FROM postcode_lsoas l WHERE l.postcode = new.postcode)
        WHERE id = new.id;
END;
CREATE TRIGGER people_lsoa_update AFTER UPDATE OF postcode ON people
BEGIN
    UPDATE people SET lsoa11 = COALESCE((SELECT l.lsoa11 FROM postcode_lsoas l WHERE l.postcode = new.postcode), ''),
        imd_decile = COALESCE((SELECT l.imd_decile FROM postcode_lsoas l WHERE l.postcode = new.postcode), 0)
        WHERE id = new.id;
END;

-- Each referral's kept facts (migration 35) carry who it is for: the
-- person, their ethnicity and gender as recorded (coded when read), and
-- their area's decile (0 not known), kept in step with the person.
ALTER TABLE referral_facts ADD COLUMN person_id TEXT NOT NULL DEFAULT '';
ALTER TABLE referral_facts ADD COLUMN ethnicity TEXT NOT NULL DEFAULT '';
ALTER TABLE referral_facts ADD COLUMN gender TEXT NOT NULL DEFAULT '';
ALTER TABLE referral_facts ADD COLUMN imd_decile INTEGER NOT NULL DEFAULT 0;
UPDATE referral_facts SET person_id = COALESCE((SELECT r.person_id FROM referrals r WHERE r.id = referral_facts.referral_id), '');
UPDATE referral_facts SET ethnicity = COALESCE((SELECT p.ethnicity FROM people p WHERE p.id = referral_facts.person_id), ''),
    gender = COALESCE((SELECT p.gender FROM people p WHERE p.id = referral_facts.person_id), ''),
    imd_decile = COALESCE((SELECT p.imd_decile FROM people p WHERE p.id = referral_facts.person_id), 0);
CREATE INDEX referral_facts_person ON referral_facts (person_id);

CREATE TRIGGER referral_facts_person_insert AFTER INSERT ON referral_facts
BEGIN
    UPDATE referral_facts SET person_id = (SELECT r.person_id FROM referrals r WHERE r.id = new.referral_id)
        WHERE referral_id = new.referral_id;
    UPDATE referral_facts SET ethnicity = p.ethnicity, gender = p.gender, imd_decile = p.imd_decile
        FROM (SELECT ethnicity, gender, imd_decile FROM people WHERE id = (SELECT r.person_id FROM referrals r WHERE r.id = new.referral_id)) p
        WHERE referral_id = new.referral_id;
END;
CREATE TRIGGER people_facts_update AFTER UPDATE OF gender, ethnicity, imd_decile ON people
BEGIN
    UPDATE referral_facts SET gender = new.gender, ethnicity = new.ethnicity, imd_decile = new.imd_decile WHERE person_id = new.id;
END;

-- The equity table's counts, kept: for each service, UK month received,
-- pathway, dimension (ethnicity, gender, age, imd) and group (the
-- ethnicity or gender as recorded, the age in years on the day received,
-- the decile), how many referrals, how many accepted (a case opened),
-- engaged (a first session attended) and closed well (goals met, or
-- connected). Kept by the triggers below from the referrals' facts,
-- whoever writes (the store or the bulk loader), so that the equity
-- table reads rows bounded by groups × months, however many referrals.
CREATE TABLE equity_counts (
    service_org_id  TEXT NOT NULL,
    month           TEXT NOT NULL,
    pathway         TEXT NOT NULL,
    dimension       TEXT NOT NULL,
    grp             TEXT NOT NULL,
    referrals       INTEGER NOT NULL DEFAULT 0,
    accepted        INTEGER NOT NULL DEFAULT 0,
    engaged         INTEGER NOT NULL DEFAULT 0,
    outcomes        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (service_org_id, month, pathway, dimension, grp)
) WITHOUT ROWID;

INSERT INTO equity_counts (service_org_id, month, pathway, dimension, grp, referrals, accepted, engaged, outcomes)
SELECT f.service_org_id, f.month, f.pathway, d.dimension,
    CASE d.dimension WHEN 'ethnicity' THEN f.ethnicity WHEN 'gender' THEN f.gender
        WHEN 'age' THEN CASE WHEN f.person_dob IS NULL THEN '' ELSE CAST(CAST(substr(f.received_at, 1, 4) AS INTEGER) - CAST(substr(f.person_dob, 1, 4) AS INTEGER) - CASE WHEN substr(f.received_at, 6, 5) < substr(f.person_dob, 6, 5) THEN 1 ELSE 0 END AS TEXT) END
        ELSE CAST(f.imd_decile AS TEXT) END,
    COUNT(*), SUM(CASE WHEN f.case_id IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN f.sessions > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN f.case_status = 'closed' AND f.closure_reason IN ('goals_met', 'connected') THEN 1 ELSE 0 END)
FROM referral_facts f, (SELECT 'ethnicity' AS dimension UNION ALL SELECT 'gender' UNION ALL SELECT 'age' UNION ALL SELECT 'imd') d
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER referral_facts_equity_insert AFTER INSERT ON referral_facts
BEGIN
    INSERT INTO equity_counts (service_org_id, month, pathway, dimension, grp, referrals, accepted, engaged, outcomes)
    SELECT new.service_org_id, new.month, new.pathway, d.dimension, d.grp, 1,
        CASE WHEN new.case_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.sessions > 0 THEN 1 ELSE 0 END,
        CASE WHEN new.case_status = 'closed' AND new.closure_reason IN ('goals_met', 'connected') THEN 1 ELSE 0 END
    FROM (SELECT 'ethnicity' AS dimension, new.ethnicity AS grp UNION ALL SELECT 'gender', new.gender
        UNION ALL SELECT 'age', CASE WHEN new.person_dob IS NULL THEN '' ELSE CAST(CAST(substr(new.received_at, 1, 4) AS INTEGER) - CAST(substr(new.person_dob, 1, 4) AS INTEGER) - CASE WHEN substr(new.received_at, 6, 5) < substr(new.person_dob, 6, 5) THEN 1 ELSE 0 END AS TEXT) END
        UNION ALL SELECT 'imd', CAST(new.imd_decile AS TEXT)) d WHERE true
    ON CONFLICT (service_org_id, month, pathway, dimension, grp) DO UPDATE SET referrals = referrals + excluded.referrals,
        accepted = accepted + excluded.accepted, engaged = engaged + excluded.engaged, outcomes = outcomes + excluded.outcomes;
END;
CREATE TRIGGER referral_facts_equity_delete AFTER DELETE ON referral_facts
BEGIN
    UPDATE equity_counts SET referrals = referrals - 1,
        accepted = accepted - CASE WHEN old.case_id IS NOT NULL THEN 1 ELSE 0 END,
        engaged = engaged - CASE WHEN old.sessions > 0 THEN 1 ELSE 0 END,
        outcomes = outcomes - CASE WHEN old.case_status = 'closed' AND old.closure_reason IN ('goals_met', 'connected') THEN 1 ELSE 0 END
    WHERE service_org_id = old.service_org_id AND month = old.month AND pathway = old.pathway AND (dimension, grp) IN (
        SELECT 'ethnicity', old.ethnicity UNION ALL SELECT 'gender', old.gender
        UNION ALL SELECT 'age', CASE WHEN old.person_dob IS NULL THEN '' ELSE CAST(CAST(substr(old.received_at, 1, 4) AS INTEGER) - CAST(substr(old.person_dob, 1, 4) AS INTEGER) - CASE WHEN substr(old.received_at, 6, 5) < substr(old.person_dob, 6, 5) THEN 1 ELSE 0 END AS TEXT) END
        UNION ALL SELECT 'imd', CAST(old.imd_decile AS TEXT));
END;
-- A change that moves the referral between groups or steps: out of the
-- old ones, into the new.
CREATE TRIGGER referral_facts_equity_update AFTER UPDATE ON referral_facts
    WHEN old.service_org_id IS NOT new.service_org_id OR old.month IS NOT new.month OR old.pathway IS NOT new.pathway
        OR old.ethnicity IS NOT new.ethnicity OR old.gender IS NOT new.gender OR old.imd_decile IS NOT new.imd_decile
        OR old.person_dob IS NOT new.person_dob OR substr(old.received_at, 1, 10) IS NOT substr(new.received_at, 1, 10)
        OR (old.case_id IS NULL) <> (new.case_id IS NULL) OR (old.sessions > 0) <> (new.sessions > 0)
        OR (old.case_status = 'closed' AND old.closure_reason IN ('goals_met', 'connected')) <> (new.case_status = 'closed' AND new.closure_reason IN ('goals_met', 'connected'))
BEGIN
    UPDATE equity_counts SET referrals = referrals - 1,
        accepted = accepted - CASE WHEN old.case_id IS NOT NULL THEN 1 ELSE 0 END,
        engaged = engaged - CASE WHEN old.sessions > 0 THEN 1 ELSE 0 END,
        outcomes = outcomes - CASE WHEN old.case_status = 'closed' AND old.closure_reason IN ('goals_met', 'connected') THEN 1 ELSE 0 END
    WHERE service_org_id = old.service_org_id AND month = old.month AND pathway = old.pathway AND (dimension, grp) IN (
        SELECT 'ethnicity', old.ethnicity UNION ALL SELECT 'gender', old.gender
        UNION ALL SELECT 'age', CASE WHEN old.person_dob IS NULL THEN '' ELSE CAST(CAST(substr(old.received_at, 1, 4) AS INTEGER) - CAST(substr(old.person_dob, 1, 4) AS INTEGER) - CASE WHEN substr(old.received_at, 6, 5) < substr(old.person_dob, 6, 5) THEN 1 ELSE 0 END AS TEXT) END
        UNION ALL SELECT 'imd', CAST(old.imd_decile AS TEXT));
    INSERT INTO equity_counts (service_org_id, month, pathway, dimension, grp, referrals, accepted, engaged, outcomes)
    SELECT new.service_org_id, new.month, new.pathway, d.dimension, d.grp, 1,
        CASE WHEN new.case_id IS NOT NULL THEN 1 ELSE 0 END, CASE WHEN new.sessions > 0 THEN 1 ELSE 0 END,
        CASE WHEN new.case_status = 'closed' AND new.closure_reason IN ('goals_met', 'connected') THEN 1 ELSE 0 END
    FROM (SELECT 'ethnicity' AS dimension, new.ethnicity AS grp UNION ALL SELECT 'gender', new.gender
        UNION ALL SELECT 'age', CASE WHEN new.person_dob IS NULL THEN '' ELSE CAST(CAST(substr(new.received_at, 1, 4) AS INTEGER) - CAST(substr(new.person_dob, 1, 4) AS INTEGER) - CASE WHEN substr(new.received_at, 6, 5) < substr(new.person_dob, 6, 5) THEN 1 ELSE 0 END AS TEXT) END
        UNION ALL SELECT 'imd', CAST(new.imd_decile AS TEXT)) d WHERE true
    ON CONFLICT (service_org_id, month, pathway, dimension, grp) DO UPDATE SET referrals = referrals + excluded.referrals,
        accepted = accepted + excluded.accepted, engaged = engaged + excluded.engaged, outcomes = outcomes + excluded.outcomes;
END;

-- The local population's shares, as the service entered them: one row a
-- service, its shares (JSON: {"ethnicity": {"white": 79.2, …}, …}) and
-- where they come from.
CREATE TABLE population_shares (
    service_org_id  TEXT PRIMARY KEY REFERENCES organisations (id),
    shares          TEXT NOT NULL,
    source          TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      TIMESTAMP NOT NULL,
    updated_by      TEXT NOT NULL
);
