-- The service's outcome figures from a few rows whatever the size.
--
-- The summary read one index entry an episode (outcome_ends, migration 32),
-- about 350,000 at national scale. The sums the figures need are now kept:
-- for each service, month, instrument (and ONS4 item), breakdown (age band,
-- pathway, link worker) and group, the number of episodes (or goals) with a
-- first and a later score, the sum of their changes and of the changes
-- squared, and how many moved up and down by the instrument's reliable
-- change threshold (any change for UCLA-3; for ONS4's items, a move between
-- ONS bands, anxiety's by its own). A request reads the service's rows of
-- the months asked for: their number is bounded by groups x months, not by
-- the people supported.
--
-- An episode counts in the month (UK time) of its latest score, with its
-- change from its first score to its latest, and in the age band it was in
-- on the day (UK) of its first score. When a later score comes, it moves to
-- that month. Each also counts in the service's whole (month ''), which the
-- figures over everything read.
--
-- ONS4's items and GBO's goals are kept as outcome_ends keeps totals: a row
-- for each case, instrument and item (an ONS4 item's index, or the goal a
-- GBO rating is of) with its first and latest answer (their sum and number
-- at each time, two answers at the same time counting as their mean), kept
-- in step by triggers on measures, cases and referrals. The sums are kept
-- in step by triggers on outcome_ends and outcome_item_ends, in the same
-- transaction as the measures' writes: an episode's row that comes, goes or
-- changes takes its old contribution away and adds its new one.
--
-- The thresholds below are package outcomes' (DefaultWEMWBSThreshold 8,
-- DefaultSWEMWBSThreshold 2.87, GBOReliableChange 2.45, ONS4BandFloors,
-- Tolerance 1e-9; 0.005 for a change of any size of UCLA-3's whole-number
-- totals); TestOutcomeSumsEqualTheEpisodes holds them to it.

CREATE TABLE outcome_item_ends (
    case_id        TEXT NOT NULL,
    instrument     TEXT NOT NULL,
    item           TEXT NOT NULL,
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
    PRIMARY KEY (case_id, instrument, item)
);

-- Each episode counts twice: in its month and in the service's whole
-- (month ''), so that the figures over everything, the page's first view,
-- read one row a group, in the order of the key, with no sorting; a period
-- reads its months' rows.
CREATE TABLE outcome_sums (
    service_org_id TEXT NOT NULL,
    month          TEXT NOT NULL, -- YYYY-MM, UK time, of the latest score; '' for all
    instrument     TEXT NOT NULL,
    part           TEXT NOT NULL, -- an ONS4 item's index; '' otherwise
    breakdown      TEXT NOT NULL, -- band, pathway or worker
    group_key      TEXT NOT NULL,
    n              BIGINT NOT NULL,
    sum_d          DOUBLE PRECISION NOT NULL,
    sum_d2         DOUBLE PRECISION NOT NULL,
    up             BIGINT NOT NULL,
    down           BIGINT NOT NULL,
    PRIMARY KEY (service_org_id, month, instrument, part, breakdown, group_key)
);

-- The ends of every ONS4 item and goal answered so far.
WITH answers AS (SELECT m.case_id, m.instrument, CASE WHEN m.instrument = 'gbo' THEN NULLIF(split_part(m.goal_ids, ',', CAST(j.n AS INTEGER)), '') ELSE CAST(j.n - 1 AS TEXT) END AS item, m.at, CAST(j.v #>> '{}' AS DOUBLE PRECISION) AS v FROM measures m CROSS JOIN LATERAL jsonb_array_elements(CAST(m.answers AS jsonb)) WITH ORDINALITY AS j(v, n) WHERE true AND m.instrument IN ('ons4', 'gbo') AND jsonb_typeof(j.v) = 'number')
INSERT INTO outcome_item_ends (case_id, instrument, item, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
    SELECT e.case_id, e.instrument, e.item, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
            e.first_at, SUM(CASE WHEN a.at = e.first_at THEN a.v END), SUM(CASE WHEN a.at = e.first_at THEN 1 ELSE 0 END),
            e.last_at, SUM(CASE WHEN a.at = e.last_at THEN a.v END), SUM(CASE WHEN a.at = e.last_at THEN 1 ELSE 0 END)
        FROM (SELECT case_id, instrument, item, MIN(at) AS first_at, MAX(at) AS last_at FROM answers WHERE item IS NOT NULL GROUP BY case_id, instrument, item) e
        JOIN answers a ON a.case_id = e.case_id AND a.instrument = e.instrument AND a.item = e.item AND (a.at = e.first_at OR a.at = e.last_at)
        JOIN cases k ON k.id = e.case_id
        JOIN referrals r ON r.id = k.referral_id
        GROUP BY e.case_id, e.instrument, e.item, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), e.first_at, e.last_at
        ORDER BY e.case_id, e.instrument, e.item;

-- The sums of every episode kept so far.
INSERT INTO outcome_sums AS t (service_org_id, month, instrument, part, breakdown, group_key, n, sum_d, sum_d2, up, down)
        SELECT s, mo, i, p, b, k, SUM(n), SUM(d), SUM(d2), SUM(up), SUM(down) FROM (
            SELECT c.s, a.mo, c.i, c.p, g.b, g.k, 1 AS n, 1 * c.d AS d, 1 * c.d * c.d AS d2,
                1 * CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, 1 * CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down
            FROM (SELECT o.service_org_id AS s, to_char(o.last_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS mo0, o.instrument AS i, '' AS p, o.pathway, o.link_worker_id,
                    CASE WHEN o.person_dob IS NULL OR o.person_dob > CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END AS band, o.last_sum / o.last_n - o.first_sum / o.first_n AS d, CASE o.instrument WHEN 'wemwbs' THEN 8.0 WHEN 'swemwbs' THEN 2.87 WHEN 'gbo' THEN 2.45 WHEN 'ons4' THEN 1000.0 ELSE 0.005 END - 0.000000001 AS thr, 0 AS bm
                FROM outcome_ends o WHERE o.first_at < o.last_at AND o.instrument NOT IN ('ons4', 'gbo')) c
            CROSS JOIN LATERAL (VALUES ('band', c.band), ('pathway', c.pathway), ('worker', c.link_worker_id)) AS g(b, k)
            CROSS JOIN LATERAL (VALUES (c.mo0), ('')) AS a(mo)
            UNION ALL
            SELECT c.s, a.mo, c.i, c.p, g.b, g.k, 1 AS n, 1 * c.d AS d, 1 * c.d * c.d AS d2,
                1 * CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, 1 * CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down
            FROM (SELECT o.service_org_id AS s, to_char(o.last_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS mo0, o.instrument AS i, CASE WHEN o.instrument = 'ons4' THEN o.item ELSE '' END AS p, o.pathway, o.link_worker_id,
                    CASE WHEN o.person_dob IS NULL OR o.person_dob > CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END AS band, o.last_sum / o.last_n - o.first_sum / o.first_n AS d, CASE o.instrument WHEN 'wemwbs' THEN 8.0 WHEN 'swemwbs' THEN 2.87 WHEN 'gbo' THEN 2.45 WHEN 'ons4' THEN 1000.0 ELSE 0.005 END - 0.000000001 AS thr, CASE WHEN o.instrument = 'ons4' THEN (CASE WHEN o.item = '3' THEN CASE WHEN o.last_sum / o.last_n >= 2 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 4 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 6 THEN 1 ELSE 0 END ELSE CASE WHEN o.last_sum / o.last_n >= 5 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 7 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 9 THEN 1 ELSE 0 END END) - (CASE WHEN o.item = '3' THEN CASE WHEN o.first_sum / o.first_n >= 2 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 4 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 6 THEN 1 ELSE 0 END ELSE CASE WHEN o.first_sum / o.first_n >= 5 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 7 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 9 THEN 1 ELSE 0 END END) ELSE 0 END AS bm
                FROM outcome_item_ends o WHERE o.first_at < o.last_at) c
            CROSS JOIN LATERAL (VALUES ('band', c.band), ('pathway', c.pathway), ('worker', c.link_worker_id)) AS g(b, k)
            CROSS JOIN LATERAL (VALUES (c.mo0), ('')) AS a(mo)
        ) x GROUP BY s, mo, i, p, b, k ORDER BY s, mo, i, p, b, k
        ON CONFLICT (service_org_id, month, instrument, part, breakdown, group_key) DO UPDATE SET
            n = t.n + EXCLUDED.n, sum_d = t.sum_d + EXCLUDED.sum_d, sum_d2 = t.sum_d2 + EXCLUDED.sum_d2, up = t.up + EXCLUDED.up, down = t.down + EXCLUDED.down;

-- The items of the given cases and instruments, worked out from their
-- responses.
CREATE FUNCTION outcome_item_ends_work(keys_case TEXT[], keys_instrument TEXT[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM outcome_item_ends o JOIN unnest(keys_case, keys_instrument) AS x(c, i) ON o.case_id = x.c AND o.instrument = x.i
        ORDER BY o.case_id, o.instrument, o.item FOR UPDATE OF o;
    DELETE FROM outcome_item_ends o USING unnest(keys_case, keys_instrument) AS x(c, i) WHERE o.case_id = x.c AND o.instrument = x.i;
    WITH answers AS (SELECT m.case_id, m.instrument, CASE WHEN m.instrument = 'gbo' THEN NULLIF(split_part(m.goal_ids, ',', CAST(j.n AS INTEGER)), '') ELSE CAST(j.n - 1 AS TEXT) END AS item, m.at, CAST(j.v #>> '{}' AS DOUBLE PRECISION) AS v FROM measures m CROSS JOIN LATERAL jsonb_array_elements(CAST(m.answers AS jsonb)) WITH ORDINALITY AS j(v, n) WHERE (m.case_id, m.instrument) IN (SELECT x.c, x.i FROM unnest(keys_case, keys_instrument) AS x(c, i)) AND m.instrument IN ('ons4', 'gbo') AND jsonb_typeof(j.v) = 'number')
    INSERT INTO outcome_item_ends (case_id, instrument, item, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
        SELECT e.case_id, e.instrument, e.item, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
            e.first_at, SUM(CASE WHEN a.at = e.first_at THEN a.v END), SUM(CASE WHEN a.at = e.first_at THEN 1 ELSE 0 END),
            e.last_at, SUM(CASE WHEN a.at = e.last_at THEN a.v END), SUM(CASE WHEN a.at = e.last_at THEN 1 ELSE 0 END)
        FROM (SELECT case_id, instrument, item, MIN(at) AS first_at, MAX(at) AS last_at FROM answers WHERE item IS NOT NULL GROUP BY case_id, instrument, item) e
        JOIN answers a ON a.case_id = e.case_id AND a.instrument = e.instrument AND a.item = e.item AND (a.at = e.first_at OR a.at = e.last_at)
        JOIN cases k ON k.id = e.case_id
        JOIN referrals r ON r.id = k.referral_id
        GROUP BY e.case_id, e.instrument, e.item, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), e.first_at, e.last_at
        ORDER BY e.case_id, e.instrument, e.item;
END $$;

CREATE FUNCTION outcome_item_ends_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    WITH answers AS (SELECT m.case_id, m.instrument, CASE WHEN m.instrument = 'gbo' THEN NULLIF(split_part(m.goal_ids, ',', CAST(j.n AS INTEGER)), '') ELSE CAST(j.n - 1 AS TEXT) END AS item, m.at, CAST(j.v #>> '{}' AS DOUBLE PRECISION) AS v FROM new_rows m CROSS JOIN LATERAL jsonb_array_elements(CAST(m.answers AS jsonb)) WITH ORDINALITY AS j(v, n) WHERE true AND m.instrument IN ('ons4', 'gbo') AND jsonb_typeof(j.v) = 'number')
    INSERT INTO outcome_item_ends AS o (case_id, instrument, item, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
        SELECT e.case_id, e.instrument, e.item, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
            e.first_at, SUM(CASE WHEN a.at = e.first_at THEN a.v END), SUM(CASE WHEN a.at = e.first_at THEN 1 ELSE 0 END),
            e.last_at, SUM(CASE WHEN a.at = e.last_at THEN a.v END), SUM(CASE WHEN a.at = e.last_at THEN 1 ELSE 0 END)
        FROM (SELECT case_id, instrument, item, MIN(at) AS first_at, MAX(at) AS last_at FROM answers WHERE item IS NOT NULL GROUP BY case_id, instrument, item) e
        JOIN answers a ON a.case_id = e.case_id AND a.instrument = e.instrument AND a.item = e.item AND (a.at = e.first_at OR a.at = e.last_at)
        JOIN cases k ON k.id = e.case_id
        JOIN referrals r ON r.id = k.referral_id
        GROUP BY e.case_id, e.instrument, e.item, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), e.first_at, e.last_at
        ORDER BY e.case_id, e.instrument, e.item
        ON CONFLICT (case_id, instrument, item) DO UPDATE SET
            first_sum = CASE WHEN EXCLUDED.first_at < o.first_at THEN EXCLUDED.first_sum WHEN EXCLUDED.first_at = o.first_at THEN o.first_sum + EXCLUDED.first_sum ELSE o.first_sum END,
            first_n = CASE WHEN EXCLUDED.first_at < o.first_at THEN EXCLUDED.first_n WHEN EXCLUDED.first_at = o.first_at THEN o.first_n + EXCLUDED.first_n ELSE o.first_n END,
            first_at = LEAST(o.first_at, EXCLUDED.first_at),
            last_sum = CASE WHEN EXCLUDED.last_at > o.last_at THEN EXCLUDED.last_sum WHEN EXCLUDED.last_at = o.last_at THEN o.last_sum + EXCLUDED.last_sum ELSE o.last_sum END,
            last_n = CASE WHEN EXCLUDED.last_at > o.last_at THEN EXCLUDED.last_n WHEN EXCLUDED.last_at = o.last_at THEN o.last_n + EXCLUDED.last_n ELSE o.last_n END,
            last_at = GREATEST(o.last_at, EXCLUDED.last_at);
    RETURN NULL;
END $$;
CREATE FUNCTION outcome_item_ends_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM outcome_item_ends_work(ARRAY(SELECT case_id FROM old_rows WHERE instrument IN ('ons4', 'gbo') ORDER BY case_id, instrument),
        ARRAY(SELECT instrument FROM old_rows WHERE instrument IN ('ons4', 'gbo') ORDER BY case_id, instrument));
    RETURN NULL;
END $$;
CREATE FUNCTION outcome_item_ends_update() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cs TEXT[];
    ins TEXT[];
BEGIN
    SELECT array_agg(c ORDER BY c, i), array_agg(i ORDER BY c, i) INTO cs, ins FROM (
        SELECT o.case_id AS c, o.instrument AS i FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.case_id, o.instrument, o.at, o.answers, o.goal_ids) IS DISTINCT FROM (n.case_id, n.instrument, n.at, n.answers, n.goal_ids)
        UNION
        SELECT n.case_id, n.instrument FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE (o.case_id, o.instrument, o.at, o.answers, o.goal_ids) IS DISTINCT FROM (n.case_id, n.instrument, n.at, n.answers, n.goal_ids)
    ) x WHERE i IN ('ons4', 'gbo');
    IF cs IS NOT NULL THEN
        PERFORM outcome_item_ends_work(cs, ins);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER measures_item_ends_insert AFTER INSERT ON measures
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_item_ends_insert();
CREATE TRIGGER measures_item_ends_delete AFTER DELETE ON measures
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_item_ends_delete();
CREATE TRIGGER measures_item_ends_update AFTER UPDATE ON measures
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_item_ends_update();

CREATE FUNCTION outcome_item_ends_case_groups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE outcome_item_ends o SET service_org_id = n.service_org_id, link_worker_id = COALESCE(n.link_worker_id, ''),
            pathway = r.pathway, person_dob = r.person_dob
        FROM old_rows od JOIN new_rows n ON n.id = od.id JOIN referrals r ON r.id = n.referral_id
        WHERE (od.service_org_id, od.referral_id, od.link_worker_id) IS DISTINCT FROM (n.service_org_id, n.referral_id, n.link_worker_id)
        AND o.case_id = n.id;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_item_ends_groups AFTER UPDATE ON cases
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_item_ends_case_groups();
CREATE FUNCTION outcome_item_ends_referral_groups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE outcome_item_ends o SET pathway = n.pathway, person_dob = n.person_dob
        FROM old_rows od JOIN new_rows n ON n.id = od.id JOIN cases k ON k.referral_id = n.id
        WHERE (od.pathway, od.person_dob) IS DISTINCT FROM (n.pathway, n.person_dob)
        AND o.case_id = k.id;
    RETURN NULL;
END $$;
CREATE TRIGGER referrals_item_ends_groups AFTER UPDATE ON referrals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_item_ends_referral_groups();

CREATE FUNCTION outcome_ends_sums_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outcome_sums AS t (service_org_id, month, instrument, part, breakdown, group_key, n, sum_d, sum_d2, up, down)
        SELECT s, mo, i, p, b, k, SUM(n), SUM(d), SUM(d2), SUM(up), SUM(down) FROM (
            SELECT c.s, a.mo, c.i, c.p, g.b, g.k, 1 AS n, 1 * c.d AS d, 1 * c.d * c.d AS d2,
                1 * CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, 1 * CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down
            FROM (SELECT o.service_org_id AS s, to_char(o.last_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS mo0, o.instrument AS i, '' AS p, o.pathway, o.link_worker_id,
                    CASE WHEN o.person_dob IS NULL OR o.person_dob > CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END AS band, o.last_sum / o.last_n - o.first_sum / o.first_n AS d, CASE o.instrument WHEN 'wemwbs' THEN 8.0 WHEN 'swemwbs' THEN 2.87 WHEN 'gbo' THEN 2.45 WHEN 'ons4' THEN 1000.0 ELSE 0.005 END - 0.000000001 AS thr, 0 AS bm
                FROM new_rows o WHERE o.first_at < o.last_at AND o.instrument NOT IN ('ons4', 'gbo')) c
            CROSS JOIN LATERAL (VALUES ('band', c.band), ('pathway', c.pathway), ('worker', c.link_worker_id)) AS g(b, k)
            CROSS JOIN LATERAL (VALUES (c.mo0), ('')) AS a(mo)
        ) x GROUP BY s, mo, i, p, b, k ORDER BY s, mo, i, p, b, k
        ON CONFLICT (service_org_id, month, instrument, part, breakdown, group_key) DO UPDATE SET
            n = t.n + EXCLUDED.n, sum_d = t.sum_d + EXCLUDED.sum_d, sum_d2 = t.sum_d2 + EXCLUDED.sum_d2, up = t.up + EXCLUDED.up, down = t.down + EXCLUDED.down;
    RETURN NULL;
END $$;
CREATE FUNCTION outcome_ends_sums_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outcome_sums AS t (service_org_id, month, instrument, part, breakdown, group_key, n, sum_d, sum_d2, up, down)
        SELECT s, mo, i, p, b, k, SUM(n), SUM(d), SUM(d2), SUM(up), SUM(down) FROM (
            SELECT c.s, a.mo, c.i, c.p, g.b, g.k, -1 AS n, -1 * c.d AS d, -1 * c.d * c.d AS d2,
                -1 * CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, -1 * CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down
            FROM (SELECT o.service_org_id AS s, to_char(o.last_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS mo0, o.instrument AS i, '' AS p, o.pathway, o.link_worker_id,
                    CASE WHEN o.person_dob IS NULL OR o.person_dob > CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END AS band, o.last_sum / o.last_n - o.first_sum / o.first_n AS d, CASE o.instrument WHEN 'wemwbs' THEN 8.0 WHEN 'swemwbs' THEN 2.87 WHEN 'gbo' THEN 2.45 WHEN 'ons4' THEN 1000.0 ELSE 0.005 END - 0.000000001 AS thr, 0 AS bm
                FROM old_rows o WHERE o.first_at < o.last_at AND o.instrument NOT IN ('ons4', 'gbo')) c
            CROSS JOIN LATERAL (VALUES ('band', c.band), ('pathway', c.pathway), ('worker', c.link_worker_id)) AS g(b, k)
            CROSS JOIN LATERAL (VALUES (c.mo0), ('')) AS a(mo)
        ) x GROUP BY s, mo, i, p, b, k ORDER BY s, mo, i, p, b, k
        ON CONFLICT (service_org_id, month, instrument, part, breakdown, group_key) DO UPDATE SET
            n = t.n + EXCLUDED.n, sum_d = t.sum_d + EXCLUDED.sum_d, sum_d2 = t.sum_d2 + EXCLUDED.sum_d2, up = t.up + EXCLUDED.up, down = t.down + EXCLUDED.down;
    RETURN NULL;
END $$;
CREATE FUNCTION outcome_ends_sums_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outcome_sums AS t (service_org_id, month, instrument, part, breakdown, group_key, n, sum_d, sum_d2, up, down)
        SELECT s, mo, i, p, b, k, SUM(n), SUM(d), SUM(d2), SUM(up), SUM(down) FROM (
            SELECT c.s, a.mo, c.i, c.p, g.b, g.k, 1 AS n, 1 * c.d AS d, 1 * c.d * c.d AS d2,
                1 * CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, 1 * CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down
            FROM (SELECT o.service_org_id AS s, to_char(o.last_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS mo0, o.instrument AS i, '' AS p, o.pathway, o.link_worker_id,
                    CASE WHEN o.person_dob IS NULL OR o.person_dob > CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END AS band, o.last_sum / o.last_n - o.first_sum / o.first_n AS d, CASE o.instrument WHEN 'wemwbs' THEN 8.0 WHEN 'swemwbs' THEN 2.87 WHEN 'gbo' THEN 2.45 WHEN 'ons4' THEN 1000.0 ELSE 0.005 END - 0.000000001 AS thr, 0 AS bm
                FROM new_rows o WHERE o.first_at < o.last_at AND o.instrument NOT IN ('ons4', 'gbo')) c
            CROSS JOIN LATERAL (VALUES ('band', c.band), ('pathway', c.pathway), ('worker', c.link_worker_id)) AS g(b, k)
            CROSS JOIN LATERAL (VALUES (c.mo0), ('')) AS a(mo)
            UNION ALL
            SELECT c.s, a.mo, c.i, c.p, g.b, g.k, -1 AS n, -1 * c.d AS d, -1 * c.d * c.d AS d2,
                -1 * CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, -1 * CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down
            FROM (SELECT o.service_org_id AS s, to_char(o.last_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS mo0, o.instrument AS i, '' AS p, o.pathway, o.link_worker_id,
                    CASE WHEN o.person_dob IS NULL OR o.person_dob > CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END AS band, o.last_sum / o.last_n - o.first_sum / o.first_n AS d, CASE o.instrument WHEN 'wemwbs' THEN 8.0 WHEN 'swemwbs' THEN 2.87 WHEN 'gbo' THEN 2.45 WHEN 'ons4' THEN 1000.0 ELSE 0.005 END - 0.000000001 AS thr, 0 AS bm
                FROM old_rows o WHERE o.first_at < o.last_at AND o.instrument NOT IN ('ons4', 'gbo')) c
            CROSS JOIN LATERAL (VALUES ('band', c.band), ('pathway', c.pathway), ('worker', c.link_worker_id)) AS g(b, k)
            CROSS JOIN LATERAL (VALUES (c.mo0), ('')) AS a(mo)
        ) x GROUP BY s, mo, i, p, b, k ORDER BY s, mo, i, p, b, k
        ON CONFLICT (service_org_id, month, instrument, part, breakdown, group_key) DO UPDATE SET
            n = t.n + EXCLUDED.n, sum_d = t.sum_d + EXCLUDED.sum_d, sum_d2 = t.sum_d2 + EXCLUDED.sum_d2, up = t.up + EXCLUDED.up, down = t.down + EXCLUDED.down;
    RETURN NULL;
END $$;
CREATE TRIGGER outcome_ends_sums_insert AFTER INSERT ON outcome_ends
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_ends_sums_insert();
CREATE TRIGGER outcome_ends_sums_delete AFTER DELETE ON outcome_ends
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_ends_sums_delete();
CREATE TRIGGER outcome_ends_sums_update AFTER UPDATE ON outcome_ends
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_ends_sums_update();

CREATE FUNCTION outcome_item_ends_sums_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outcome_sums AS t (service_org_id, month, instrument, part, breakdown, group_key, n, sum_d, sum_d2, up, down)
        SELECT s, mo, i, p, b, k, SUM(n), SUM(d), SUM(d2), SUM(up), SUM(down) FROM (
            SELECT c.s, a.mo, c.i, c.p, g.b, g.k, 1 AS n, 1 * c.d AS d, 1 * c.d * c.d AS d2,
                1 * CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, 1 * CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down
            FROM (SELECT o.service_org_id AS s, to_char(o.last_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS mo0, o.instrument AS i, CASE WHEN o.instrument = 'ons4' THEN o.item ELSE '' END AS p, o.pathway, o.link_worker_id,
                    CASE WHEN o.person_dob IS NULL OR o.person_dob > CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END AS band, o.last_sum / o.last_n - o.first_sum / o.first_n AS d, CASE o.instrument WHEN 'wemwbs' THEN 8.0 WHEN 'swemwbs' THEN 2.87 WHEN 'gbo' THEN 2.45 WHEN 'ons4' THEN 1000.0 ELSE 0.005 END - 0.000000001 AS thr, CASE WHEN o.instrument = 'ons4' THEN (CASE WHEN o.item = '3' THEN CASE WHEN o.last_sum / o.last_n >= 2 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 4 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 6 THEN 1 ELSE 0 END ELSE CASE WHEN o.last_sum / o.last_n >= 5 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 7 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 9 THEN 1 ELSE 0 END END) - (CASE WHEN o.item = '3' THEN CASE WHEN o.first_sum / o.first_n >= 2 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 4 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 6 THEN 1 ELSE 0 END ELSE CASE WHEN o.first_sum / o.first_n >= 5 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 7 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 9 THEN 1 ELSE 0 END END) ELSE 0 END AS bm
                FROM new_rows o WHERE o.first_at < o.last_at) c
            CROSS JOIN LATERAL (VALUES ('band', c.band), ('pathway', c.pathway), ('worker', c.link_worker_id)) AS g(b, k)
            CROSS JOIN LATERAL (VALUES (c.mo0), ('')) AS a(mo)
        ) x GROUP BY s, mo, i, p, b, k ORDER BY s, mo, i, p, b, k
        ON CONFLICT (service_org_id, month, instrument, part, breakdown, group_key) DO UPDATE SET
            n = t.n + EXCLUDED.n, sum_d = t.sum_d + EXCLUDED.sum_d, sum_d2 = t.sum_d2 + EXCLUDED.sum_d2, up = t.up + EXCLUDED.up, down = t.down + EXCLUDED.down;
    RETURN NULL;
END $$;
CREATE FUNCTION outcome_item_ends_sums_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outcome_sums AS t (service_org_id, month, instrument, part, breakdown, group_key, n, sum_d, sum_d2, up, down)
        SELECT s, mo, i, p, b, k, SUM(n), SUM(d), SUM(d2), SUM(up), SUM(down) FROM (
            SELECT c.s, a.mo, c.i, c.p, g.b, g.k, -1 AS n, -1 * c.d AS d, -1 * c.d * c.d AS d2,
                -1 * CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, -1 * CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down
            FROM (SELECT o.service_org_id AS s, to_char(o.last_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS mo0, o.instrument AS i, CASE WHEN o.instrument = 'ons4' THEN o.item ELSE '' END AS p, o.pathway, o.link_worker_id,
                    CASE WHEN o.person_dob IS NULL OR o.person_dob > CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END AS band, o.last_sum / o.last_n - o.first_sum / o.first_n AS d, CASE o.instrument WHEN 'wemwbs' THEN 8.0 WHEN 'swemwbs' THEN 2.87 WHEN 'gbo' THEN 2.45 WHEN 'ons4' THEN 1000.0 ELSE 0.005 END - 0.000000001 AS thr, CASE WHEN o.instrument = 'ons4' THEN (CASE WHEN o.item = '3' THEN CASE WHEN o.last_sum / o.last_n >= 2 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 4 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 6 THEN 1 ELSE 0 END ELSE CASE WHEN o.last_sum / o.last_n >= 5 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 7 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 9 THEN 1 ELSE 0 END END) - (CASE WHEN o.item = '3' THEN CASE WHEN o.first_sum / o.first_n >= 2 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 4 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 6 THEN 1 ELSE 0 END ELSE CASE WHEN o.first_sum / o.first_n >= 5 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 7 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 9 THEN 1 ELSE 0 END END) ELSE 0 END AS bm
                FROM old_rows o WHERE o.first_at < o.last_at) c
            CROSS JOIN LATERAL (VALUES ('band', c.band), ('pathway', c.pathway), ('worker', c.link_worker_id)) AS g(b, k)
            CROSS JOIN LATERAL (VALUES (c.mo0), ('')) AS a(mo)
        ) x GROUP BY s, mo, i, p, b, k ORDER BY s, mo, i, p, b, k
        ON CONFLICT (service_org_id, month, instrument, part, breakdown, group_key) DO UPDATE SET
            n = t.n + EXCLUDED.n, sum_d = t.sum_d + EXCLUDED.sum_d, sum_d2 = t.sum_d2 + EXCLUDED.sum_d2, up = t.up + EXCLUDED.up, down = t.down + EXCLUDED.down;
    RETURN NULL;
END $$;
CREATE FUNCTION outcome_item_ends_sums_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO outcome_sums AS t (service_org_id, month, instrument, part, breakdown, group_key, n, sum_d, sum_d2, up, down)
        SELECT s, mo, i, p, b, k, SUM(n), SUM(d), SUM(d2), SUM(up), SUM(down) FROM (
            SELECT c.s, a.mo, c.i, c.p, g.b, g.k, 1 AS n, 1 * c.d AS d, 1 * c.d * c.d AS d2,
                1 * CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, 1 * CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down
            FROM (SELECT o.service_org_id AS s, to_char(o.last_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS mo0, o.instrument AS i, CASE WHEN o.instrument = 'ons4' THEN o.item ELSE '' END AS p, o.pathway, o.link_worker_id,
                    CASE WHEN o.person_dob IS NULL OR o.person_dob > CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END AS band, o.last_sum / o.last_n - o.first_sum / o.first_n AS d, CASE o.instrument WHEN 'wemwbs' THEN 8.0 WHEN 'swemwbs' THEN 2.87 WHEN 'gbo' THEN 2.45 WHEN 'ons4' THEN 1000.0 ELSE 0.005 END - 0.000000001 AS thr, CASE WHEN o.instrument = 'ons4' THEN (CASE WHEN o.item = '3' THEN CASE WHEN o.last_sum / o.last_n >= 2 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 4 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 6 THEN 1 ELSE 0 END ELSE CASE WHEN o.last_sum / o.last_n >= 5 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 7 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 9 THEN 1 ELSE 0 END END) - (CASE WHEN o.item = '3' THEN CASE WHEN o.first_sum / o.first_n >= 2 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 4 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 6 THEN 1 ELSE 0 END ELSE CASE WHEN o.first_sum / o.first_n >= 5 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 7 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 9 THEN 1 ELSE 0 END END) ELSE 0 END AS bm
                FROM new_rows o WHERE o.first_at < o.last_at) c
            CROSS JOIN LATERAL (VALUES ('band', c.band), ('pathway', c.pathway), ('worker', c.link_worker_id)) AS g(b, k)
            CROSS JOIN LATERAL (VALUES (c.mo0), ('')) AS a(mo)
            UNION ALL
            SELECT c.s, a.mo, c.i, c.p, g.b, g.k, -1 AS n, -1 * c.d AS d, -1 * c.d * c.d AS d2,
                -1 * CASE WHEN c.bm > 0 OR c.d >= c.thr THEN 1 ELSE 0 END AS up, -1 * CASE WHEN c.bm < 0 OR c.d <= -c.thr THEN 1 ELSE 0 END AS down
            FROM (SELECT o.service_org_id AS s, to_char(o.last_at AT TIME ZONE 'Europe/London', 'YYYY-MM') AS mo0, o.instrument AS i, CASE WHEN o.instrument = 'ons4' THEN o.item ELSE '' END AS p, o.pathway, o.link_worker_id,
                    CASE WHEN o.person_dob IS NULL OR o.person_dob > CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE) THEN '' ELSE CASE WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) < 0 THEN '' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 12 THEN 'under-13' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 15 THEN '13-15' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 17 THEN '16-17' WHEN CAST(date_part('year', age(CAST(o.first_at AT TIME ZONE 'Europe/London' AS DATE), o.person_dob)) AS INTEGER) <= 25 THEN '18-25' ELSE '26-plus' END END AS band, o.last_sum / o.last_n - o.first_sum / o.first_n AS d, CASE o.instrument WHEN 'wemwbs' THEN 8.0 WHEN 'swemwbs' THEN 2.87 WHEN 'gbo' THEN 2.45 WHEN 'ons4' THEN 1000.0 ELSE 0.005 END - 0.000000001 AS thr, CASE WHEN o.instrument = 'ons4' THEN (CASE WHEN o.item = '3' THEN CASE WHEN o.last_sum / o.last_n >= 2 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 4 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 6 THEN 1 ELSE 0 END ELSE CASE WHEN o.last_sum / o.last_n >= 5 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 7 THEN 1 ELSE 0 END + CASE WHEN o.last_sum / o.last_n >= 9 THEN 1 ELSE 0 END END) - (CASE WHEN o.item = '3' THEN CASE WHEN o.first_sum / o.first_n >= 2 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 4 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 6 THEN 1 ELSE 0 END ELSE CASE WHEN o.first_sum / o.first_n >= 5 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 7 THEN 1 ELSE 0 END + CASE WHEN o.first_sum / o.first_n >= 9 THEN 1 ELSE 0 END END) ELSE 0 END AS bm
                FROM old_rows o WHERE o.first_at < o.last_at) c
            CROSS JOIN LATERAL (VALUES ('band', c.band), ('pathway', c.pathway), ('worker', c.link_worker_id)) AS g(b, k)
            CROSS JOIN LATERAL (VALUES (c.mo0), ('')) AS a(mo)
        ) x GROUP BY s, mo, i, p, b, k ORDER BY s, mo, i, p, b, k
        ON CONFLICT (service_org_id, month, instrument, part, breakdown, group_key) DO UPDATE SET
            n = t.n + EXCLUDED.n, sum_d = t.sum_d + EXCLUDED.sum_d, sum_d2 = t.sum_d2 + EXCLUDED.sum_d2, up = t.up + EXCLUDED.up, down = t.down + EXCLUDED.down;
    RETURN NULL;
END $$;
CREATE TRIGGER outcome_item_ends_sums_insert AFTER INSERT ON outcome_item_ends
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_item_ends_sums_insert();
CREATE TRIGGER outcome_item_ends_sums_delete AFTER DELETE ON outcome_item_ends
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_item_ends_sums_delete();
CREATE TRIGGER outcome_item_ends_sums_update AFTER UPDATE ON outcome_item_ends
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_item_ends_sums_update();
