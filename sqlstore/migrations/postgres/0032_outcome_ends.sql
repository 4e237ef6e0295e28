-- The service's outcome figures from one narrow row an episode.
--
-- The figures added up, on every request, each case's first and latest
-- scored response to each instrument, found among every scored response
-- of the service (9 s at 100,000 people). Each episode's ends are now
-- kept: a row for each case and instrument with a scored response, with
-- the case's service, the time of the first and of the latest scored
-- response, and the sum and number of the scores at each (two responses
-- at the same time count as their mean, as the figures have always
-- counted them). Triggers on measures keep the rows in step whoever
-- writes (the store or the bulk loader): an insert moves an end when it
-- is earlier or later than it, or joins it at the same time; a response
-- that changes or goes has its episode worked out again from the
-- responses left. The groups the figures are broken down by (the case's
-- service and link worker, and its referral's pathway and date of birth)
-- are kept with them, and move when the case or referral changes.
-- Responses with no score are not kept.
--
-- The triggers run once a statement, over its transition tables, and
-- move the rows in their order (case, instrument), so that writers
-- moving several rows take their locks in the same order. An update that
-- changes none of a response's case, instrument, time or score (a
-- person's records merged) moves nothing.
CREATE TABLE outcome_ends (
    case_id        TEXT NOT NULL,
    instrument     TEXT NOT NULL,
    service_org_id TEXT NOT NULL,
    pathway        TEXT NOT NULL,
    person_dob     DATE,
    link_worker_id TEXT NOT NULL,
    first_at       TIMESTAMPTZ NOT NULL,
    first_sum      DOUBLE PRECISION NOT NULL,
    first_n        BIGINT NOT NULL,
    last_at        TIMESTAMPTZ NOT NULL,
    last_sum       DOUBLE PRECISION NOT NULL,
    last_n         BIGINT NOT NULL,
    PRIMARY KEY (case_id, instrument)
);
-- A service's episodes of an instrument, with everything the figures read.
CREATE INDEX outcome_ends_service ON outcome_ends (service_org_id, instrument, first_at, last_at) INCLUDE (first_sum, first_n, last_sum, last_n, pathway, person_dob, link_worker_id, case_id);

-- The episodes of the given cases and instruments, worked out from their
-- responses.
CREATE FUNCTION outcome_ends_work(keys_case TEXT[], keys_instrument TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM outcome_ends o JOIN unnest(keys_case, keys_instrument) AS x(c, i) ON o.case_id = x.c AND o.instrument = x.i
        ORDER BY o.case_id, o.instrument FOR UPDATE OF o;
    DELETE FROM outcome_ends o USING unnest(keys_case, keys_instrument) AS x(c, i) WHERE o.case_id = x.c AND o.instrument = x.i;
    INSERT INTO outcome_ends AS o (case_id, instrument, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
        SELECT e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
            e.first_at, SUM(CASE WHEN m.at = e.first_at THEN m.score END), SUM(CASE WHEN m.at = e.first_at THEN 1 ELSE 0 END),
            e.last_at, SUM(CASE WHEN m.at = e.last_at THEN m.score END), SUM(CASE WHEN m.at = e.last_at THEN 1 ELSE 0 END)
        FROM (SELECT m.case_id, m.instrument, MIN(m.at) AS first_at, MAX(m.at) AS last_at
            FROM (SELECT DISTINCT c, i FROM unnest(keys_case, keys_instrument) AS x(c, i)) x
            JOIN measures m ON m.case_id = x.c AND m.instrument = x.i AND m.score IS NOT NULL
            GROUP BY m.case_id, m.instrument) e
        JOIN cases k ON k.id = e.case_id
        JOIN referrals r ON r.id = k.referral_id
        JOIN measures m ON m.case_id = e.case_id AND m.instrument = e.instrument AND m.score IS NOT NULL AND (m.at = e.first_at OR m.at = e.last_at)
        GROUP BY e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), e.first_at, e.last_at
        ORDER BY e.case_id, e.instrument
        ON CONFLICT (case_id, instrument) DO UPDATE SET service_org_id = EXCLUDED.service_org_id,
            pathway = EXCLUDED.pathway, person_dob = EXCLUDED.person_dob, link_worker_id = EXCLUDED.link_worker_id,
            first_at = EXCLUDED.first_at, first_sum = EXCLUDED.first_sum, first_n = EXCLUDED.first_n,
            last_at = EXCLUDED.last_at, last_sum = EXCLUDED.last_sum, last_n = EXCLUDED.last_n;
END $$;

INSERT INTO outcome_ends (case_id, instrument, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
    SELECT e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
        e.first_at, SUM(CASE WHEN m.at = e.first_at THEN m.score END), SUM(CASE WHEN m.at = e.first_at THEN 1 ELSE 0 END),
        e.last_at, SUM(CASE WHEN m.at = e.last_at THEN m.score END), SUM(CASE WHEN m.at = e.last_at THEN 1 ELSE 0 END)
    FROM (SELECT case_id, instrument, MIN(at) AS first_at, MAX(at) AS last_at FROM measures WHERE score IS NOT NULL GROUP BY case_id, instrument) e
    JOIN cases k ON k.id = e.case_id
    JOIN referrals r ON r.id = k.referral_id
    JOIN measures m ON m.case_id = e.case_id AND m.instrument = e.instrument AND m.score IS NOT NULL AND (m.at = e.first_at OR m.at = e.last_at)
    GROUP BY e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), e.first_at, e.last_at;

CREATE FUNCTION outcome_ends_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outcome_ends AS o (case_id, instrument, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
        SELECT e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
            e.first_at, SUM(CASE WHEN n.at = e.first_at THEN n.score END), SUM(CASE WHEN n.at = e.first_at THEN 1 ELSE 0 END),
            e.last_at, SUM(CASE WHEN n.at = e.last_at THEN n.score END), SUM(CASE WHEN n.at = e.last_at THEN 1 ELSE 0 END)
        FROM (SELECT case_id, instrument, MIN(at) AS first_at, MAX(at) AS last_at FROM new_rows WHERE score IS NOT NULL GROUP BY case_id, instrument) e
        JOIN cases k ON k.id = e.case_id
        JOIN referrals r ON r.id = k.referral_id
        JOIN new_rows n ON n.case_id = e.case_id AND n.instrument = e.instrument AND n.score IS NOT NULL AND (n.at = e.first_at OR n.at = e.last_at)
        GROUP BY e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), e.first_at, e.last_at
        ORDER BY e.case_id, e.instrument
        ON CONFLICT (case_id, instrument) DO UPDATE SET
            first_sum = CASE WHEN EXCLUDED.first_at < o.first_at THEN EXCLUDED.first_sum WHEN EXCLUDED.first_at = o.first_at THEN o.first_sum + EXCLUDED.first_sum ELSE o.first_sum END,
            first_n = CASE WHEN EXCLUDED.first_at < o.first_at THEN EXCLUDED.first_n WHEN EXCLUDED.first_at = o.first_at THEN o.first_n + EXCLUDED.first_n ELSE o.first_n END,
            first_at = LEAST(o.first_at, EXCLUDED.first_at),
            last_sum = CASE WHEN EXCLUDED.last_at > o.last_at THEN EXCLUDED.last_sum WHEN EXCLUDED.last_at = o.last_at THEN o.last_sum + EXCLUDED.last_sum ELSE o.last_sum END,
            last_n = CASE WHEN EXCLUDED.last_at > o.last_at THEN EXCLUDED.last_n WHEN EXCLUDED.last_at = o.last_at THEN o.last_n + EXCLUDED.last_n ELSE o.last_n END,
            last_at = GREATEST(o.last_at, EXCLUDED.last_at);
    RETURN NULL;
END $$;
CREATE FUNCTION outcome_ends_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM outcome_ends_work(ARRAY(SELECT case_id FROM old_rows WHERE score IS NOT NULL ORDER BY case_id, instrument),
        ARRAY(SELECT instrument FROM old_rows WHERE score IS NOT NULL ORDER BY case_id, instrument));
    RETURN NULL;
END $$;
CREATE FUNCTION outcome_ends_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cs TEXT[];
    ins TEXT[];
BEGIN
    SELECT array_agg(c ORDER BY c, i), array_agg(i ORDER BY c, i) INTO cs, ins FROM (
        SELECT o.case_id AS c, o.instrument AS i FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.case_id, o.instrument, o.at, o.score) IS DISTINCT FROM (n.case_id, n.instrument, n.at, n.score)
        UNION
        SELECT n.case_id, n.instrument FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.case_id, o.instrument, o.at, o.score) IS DISTINCT FROM (n.case_id, n.instrument, n.at, n.score)
    ) x;
    IF cs IS NOT NULL THEN
        PERFORM outcome_ends_work(cs, ins);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER measures_ends_insert AFTER INSERT ON measures
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_ends_insert();
CREATE TRIGGER measures_ends_delete AFTER DELETE ON measures
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_ends_delete();
CREATE TRIGGER measures_ends_update AFTER UPDATE ON measures
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_ends_update();

CREATE FUNCTION outcome_ends_case_groups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE outcome_ends o SET service_org_id = n.service_org_id, link_worker_id = COALESCE(n.link_worker_id, ''),
            pathway = r.pathway, person_dob = r.person_dob
        FROM old_rows od JOIN new_rows n ON n.id = od.id JOIN referrals r ON r.id = n.referral_id
        WHERE (od.service_org_id, od.referral_id, od.link_worker_id) IS DISTINCT FROM (n.service_org_id, n.referral_id, n.link_worker_id)
        AND o.case_id = n.id;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_ends_groups AFTER UPDATE ON cases
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_ends_case_groups();
CREATE FUNCTION outcome_ends_referral_groups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE outcome_ends o SET pathway = n.pathway, person_dob = n.person_dob
        FROM old_rows od JOIN new_rows n ON n.id = od.id JOIN cases k ON k.referral_id = n.id
        WHERE (od.pathway, od.person_dob) IS DISTINCT FROM (n.pathway, n.person_dob)
        AND o.case_id = k.id;
    RETURN NULL;
END $$;
CREATE TRIGGER referrals_ends_groups AFTER UPDATE ON referrals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_ends_referral_groups();
