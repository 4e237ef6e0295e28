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
);
ALTER TABLE people ADD COLUMN lsoa11 TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN imd_decile INTEGER NOT NULL DEFAULT 0;

CREATE FUNCTION people_lsoa() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' OR NEW.postcode IS DISTINCT FROM OLD.postcode THEN
        SELECT l.lsoa11, l.imd_decile INTO NEW.lsoa11, NEW.imd_decile FROM postcode_lsoas l WHERE l.postcode = NEW.postcode;
        IF NOT FOUND AND TG_OP = 'UPDATE' THEN
            NEW.lsoa11 := '';
            NEW.imd_decile := 0;
        END IF;
        NEW.lsoa11 := COALESCE(NEW.lsoa11, '');
        NEW.imd_decile := COALESCE(NEW.imd_decile, 0);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER people_lsoa BEFORE INSERT OR UPDATE OF postcode ON people
    FOR EACH ROW EXECUTE FUNCTION people_lsoa();

-- Each referral's kept facts (migration 35) carry who it is for: the
-- person, their ethnicity and gender as recorded (coded when read), and
-- their area's decile (0 not known), kept in step with the person.
ALTER TABLE referral_facts ADD COLUMN person_id TEXT NOT NULL DEFAULT '';
ALTER TABLE referral_facts ADD COLUMN ethnicity TEXT NOT NULL DEFAULT '';
ALTER TABLE referral_facts ADD COLUMN gender TEXT NOT NULL DEFAULT '';
ALTER TABLE referral_facts ADD COLUMN imd_decile INTEGER NOT NULL DEFAULT 0;
UPDATE referral_facts f SET person_id = r.person_id, ethnicity = p.ethnicity, gender = p.gender, imd_decile = p.imd_decile
    FROM referrals r JOIN people p ON p.id = r.person_id WHERE r.id = f.referral_id;
CREATE INDEX referral_facts_person ON referral_facts (person_id);

CREATE FUNCTION referral_facts_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT r.person_id, p.ethnicity, p.gender, p.imd_decile INTO NEW.person_id, NEW.ethnicity, NEW.gender, NEW.imd_decile
        FROM referrals r JOIN people p ON p.id = r.person_id WHERE r.id = NEW.referral_id;
    NEW.person_id := COALESCE(NEW.person_id, '');
    NEW.ethnicity := COALESCE(NEW.ethnicity, '');
    NEW.gender := COALESCE(NEW.gender, '');
    NEW.imd_decile := COALESCE(NEW.imd_decile, 0);
    RETURN NEW;
END $$;
CREATE TRIGGER referral_facts_person BEFORE INSERT ON referral_facts
    FOR EACH ROW EXECUTE FUNCTION referral_facts_person();
CREATE FUNCTION people_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE referral_facts SET gender = NEW.gender, ethnicity = NEW.ethnicity, imd_decile = NEW.imd_decile WHERE person_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER people_facts AFTER UPDATE ON people FOR EACH ROW
    WHEN (OLD.gender IS DISTINCT FROM NEW.gender OR OLD.ethnicity IS DISTINCT FROM NEW.ethnicity OR OLD.imd_decile IS DISTINCT FROM NEW.imd_decile)
    EXECUTE FUNCTION people_facts();

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
);

-- The age in years on the (UTC) day received, as the group's text; ''
-- when the date of birth is not known.
CREATE FUNCTION equity_age(received TIMESTAMPTZ, dob DATE) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN dob IS NULL THEN '' ELSE CAST(CAST(date_part('year', age(CAST(received AT TIME ZONE 'UTC' AS DATE), dob)) AS INTEGER) AS TEXT) END
$$;

INSERT INTO equity_counts (service_org_id, month, pathway, dimension, grp, referrals, accepted, engaged, outcomes)
SELECT f.service_org_id, f.month, f.pathway, d.dimension,
    CASE d.dimension WHEN 'ethnicity' THEN f.ethnicity WHEN 'gender' THEN f.gender
        WHEN 'age' THEN equity_age(f.received_at, f.person_dob) ELSE CAST(f.imd_decile AS TEXT) END,
    COUNT(*), SUM(CASE WHEN f.case_id IS NOT NULL THEN 1 ELSE 0 END), SUM(CASE WHEN f.sessions > 0 THEN 1 ELSE 0 END),
    SUM(CASE WHEN f.case_status = 'closed' AND f.closure_reason IN ('goals_met', 'connected') THEN 1 ELSE 0 END)
FROM referral_facts f, (VALUES ('ethnicity'), ('gender'), ('age'), ('imd')) d (dimension)
GROUP BY 1, 2, 3, 4, 5;

-- Moves a referral's facts in (sign 1) or out (sign -1) of its groups.
CREATE FUNCTION equity_count(f referral_facts, sign INTEGER) RETURNS void LANGUAGE sql AS $$
    INSERT INTO equity_counts AS e (service_org_id, month, pathway, dimension, grp, referrals, accepted, engaged, outcomes)
    SELECT f.service_org_id, f.month, f.pathway, d.dimension, d.grp, sign,
        CASE WHEN f.case_id IS NOT NULL THEN sign ELSE 0 END, CASE WHEN f.sessions > 0 THEN sign ELSE 0 END,
        CASE WHEN f.case_status = 'closed' AND f.closure_reason IN ('goals_met', 'connected') THEN sign ELSE 0 END
    FROM (VALUES ('ethnicity', f.ethnicity), ('gender', f.gender), ('age', equity_age(f.received_at, f.person_dob)), ('imd', CAST(f.imd_decile AS TEXT))) d (dimension, grp)
    ON CONFLICT (service_org_id, month, pathway, dimension, grp) DO UPDATE SET referrals = e.referrals + excluded.referrals,
        accepted = e.accepted + excluded.accepted, engaged = e.engaged + excluded.engaged, outcomes = e.outcomes + excluded.outcomes;
$$;
CREATE FUNCTION referral_facts_equity() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM equity_count(NEW, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM equity_count(OLD, -1);
    ELSIF OLD.service_org_id IS DISTINCT FROM NEW.service_org_id OR OLD.month IS DISTINCT FROM NEW.month OR OLD.pathway IS DISTINCT FROM NEW.pathway
        OR OLD.ethnicity IS DISTINCT FROM NEW.ethnicity OR OLD.gender IS DISTINCT FROM NEW.gender OR OLD.imd_decile IS DISTINCT FROM NEW.imd_decile
        OR equity_age(OLD.received_at, OLD.person_dob) IS DISTINCT FROM equity_age(NEW.received_at, NEW.person_dob)
        OR (OLD.case_id IS NULL) <> (NEW.case_id IS NULL) OR (OLD.sessions > 0) <> (NEW.sessions > 0)
        OR (OLD.case_status = 'closed' AND OLD.closure_reason IN ('goals_met', 'connected')) <> (NEW.case_status = 'closed' AND NEW.closure_reason IN ('goals_met', 'connected')) THEN
        PERFORM equity_count(OLD, -1);
        PERFORM equity_count(NEW, 1);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER referral_facts_equity AFTER INSERT OR UPDATE OR DELETE ON referral_facts
    FOR EACH ROW EXECUTE FUNCTION referral_facts_equity();

-- The local population's shares, as the service entered them: one row a
-- service, its shares (JSON: {"ethnicity": {"white": 79.2, …}, …}) and
-- where they come from.
CREATE TABLE population_shares (
    service_org_id  TEXT PRIMARY KEY REFERENCES organisations (id),
    shares          TEXT NOT NULL,
    source          TEXT NOT NULL DEFAULT '',
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      TIMESTAMPTZ NOT NULL,
    updated_by      TEXT NOT NULL
);
