-- The home pages' and referral lists' numbers of referrals and cases, each
-- from a few rows however many people a service has supported.
--
-- A coordinator's home page counted every open case of the service and
-- every link worker's caseload from their index entries (9,000 at 50,000
-- people), a commissioner's every referral there has ever been (71,000,
-- and again by pathway), and the referral lists' totals every referral of
-- the service (and a referrer's own, every referral they had made). The
-- numbers are now kept: a row for each service, referring organisation,
-- referrer, pathway and status of referrals, and for each service,
-- link worker and status of cases, moved by triggers whenever a referral
-- or a case is added, changes status or goes, whoever writes it (the store
-- or the bulk loader). A referral with no referring organisation or
-- referrer, and a case with no link worker, are kept under ''.
--
-- The triggers run once a statement, over its transition tables, and add
-- each statement's net change to the rows it moves (an upsert adds to the
-- newest committed value), in the rows' order, so that writers moving
-- several rows take their locks in the same order. A statement that
-- changes no key of its rows (most updates: a note, a version) moves
-- nothing.
CREATE TABLE referral_counts (
    service_org_id  TEXT NOT NULL,
    referrer_org_id TEXT NOT NULL,
    referrer_user_id TEXT NOT NULL,
    pathway         TEXT NOT NULL,
    status          TEXT NOT NULL,
    n               BIGINT NOT NULL,
    PRIMARY KEY (service_org_id, referrer_org_id, referrer_user_id, pathway, status)
);
CREATE INDEX referral_counts_referrer ON referral_counts (referrer_org_id, status);
CREATE INDEX referral_counts_status ON referral_counts (status);
INSERT INTO referral_counts (service_org_id, referrer_org_id, referrer_user_id, pathway, status, n)
    SELECT service_org_id, COALESCE(referrer_org_id, ''), COALESCE(referrer_user_id, ''), pathway, status, COUNT(*) FROM referrals
    GROUP BY service_org_id, COALESCE(referrer_org_id, ''), COALESCE(referrer_user_id, ''), pathway, status;

CREATE FUNCTION referral_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO referral_counts AS c (service_org_id, referrer_org_id, referrer_user_id, pathway, status, n)
        SELECT service_org_id, COALESCE(referrer_org_id, ''), COALESCE(referrer_user_id, ''), pathway, status, COUNT(*) FROM new_rows
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (service_org_id, referrer_org_id, referrer_user_id, pathway, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION referral_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO referral_counts AS c (service_org_id, referrer_org_id, referrer_user_id, pathway, status, n)
        SELECT service_org_id, COALESCE(referrer_org_id, ''), COALESCE(referrer_user_id, ''), pathway, status, -COUNT(*) FROM old_rows
        GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (service_org_id, referrer_org_id, referrer_user_id, pathway, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION referral_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO referral_counts AS c (service_org_id, referrer_org_id, referrer_user_id, pathway, status, n)
        SELECT s, r, u, p, st, SUM(d) FROM (
            SELECT service_org_id AS s, COALESCE(referrer_org_id, '') AS r, COALESCE(referrer_user_id, '') AS u, pathway AS p, status AS st, 1 AS d FROM new_rows
            UNION ALL
            SELECT service_org_id, COALESCE(referrer_org_id, ''), COALESCE(referrer_user_id, ''), pathway, status, -1 FROM old_rows
        ) m GROUP BY s, r, u, p, st HAVING SUM(d) <> 0 ORDER BY s, r, u, p, st
        ON CONFLICT (service_org_id, referrer_org_id, referrer_user_id, pathway, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE TRIGGER referrals_counted_insert AFTER INSERT ON referrals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION referral_counts_insert();
CREATE TRIGGER referrals_counted_delete AFTER DELETE ON referrals
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION referral_counts_delete();
CREATE TRIGGER referrals_counted_update AFTER UPDATE ON referrals
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION referral_counts_update();

CREATE TABLE case_counts (
    service_org_id TEXT NOT NULL,
    link_worker_id TEXT NOT NULL,
    status         TEXT NOT NULL,
    n              BIGINT NOT NULL,
    PRIMARY KEY (service_org_id, link_worker_id, status)
);
CREATE INDEX case_counts_worker ON case_counts (link_worker_id, status);
CREATE INDEX case_counts_status ON case_counts (status);
INSERT INTO case_counts (service_org_id, link_worker_id, status, n)
    SELECT service_org_id, COALESCE(link_worker_id, ''), status, COUNT(*) FROM cases
    GROUP BY service_org_id, COALESCE(link_worker_id, ''), status;

CREATE FUNCTION case_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_counts AS c (service_org_id, link_worker_id, status, n)
        SELECT service_org_id, COALESCE(link_worker_id, ''), status, COUNT(*) FROM new_rows
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (service_org_id, link_worker_id, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION case_counts_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_counts AS c (service_org_id, link_worker_id, status, n)
        SELECT service_org_id, COALESCE(link_worker_id, ''), status, -COUNT(*) FROM old_rows
        GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (service_org_id, link_worker_id, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE FUNCTION case_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO case_counts AS c (service_org_id, link_worker_id, status, n)
        SELECT s, w, st, SUM(d) FROM (
            SELECT service_org_id AS s, COALESCE(link_worker_id, '') AS w, status AS st, 1 AS d FROM new_rows
            UNION ALL
            SELECT service_org_id, COALESCE(link_worker_id, ''), status, -1 FROM old_rows
        ) m GROUP BY s, w, st HAVING SUM(d) <> 0 ORDER BY s, w, st
        ON CONFLICT (service_org_id, link_worker_id, status) DO UPDATE SET n = c.n + EXCLUDED.n;
    RETURN NULL;
END $$;
CREATE TRIGGER cases_counted_insert AFTER INSERT ON cases
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION case_counts_insert();
CREATE TRIGGER cases_counted_delete AFTER DELETE ON cases
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION case_counts_delete();
CREATE TRIGGER cases_counted_update AFTER UPDATE ON cases
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION case_counts_update();
