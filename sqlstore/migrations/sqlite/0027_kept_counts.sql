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
-- or the bulk loader). SQLite has one writer, so the rows are always exact.
-- A referral with no referring organisation or referrer, and a case with
-- no link worker, are kept under ''.
CREATE TABLE referral_counts (
    service_org_id  TEXT NOT NULL,
    referrer_org_id TEXT NOT NULL,
    referrer_user_id TEXT NOT NULL,
    pathway         TEXT NOT NULL,
    status          TEXT NOT NULL,
    n               INTEGER NOT NULL,
    PRIMARY KEY (service_org_id, referrer_org_id, referrer_user_id, pathway, status)
);
CREATE INDEX referral_counts_referrer ON referral_counts (referrer_org_id, status);
CREATE INDEX referral_counts_status ON referral_counts (status);
INSERT INTO referral_counts (service_org_id, referrer_org_id, referrer_user_id, pathway, status, n)
    SELECT service_org_id, COALESCE(referrer_org_id, ''), COALESCE(referrer_user_id, ''), pathway, status, COUNT(*) FROM referrals
    GROUP BY service_org_id, COALESCE(referrer_org_id, ''), COALESCE(referrer_user_id, ''), pathway, status;

CREATE TRIGGER referrals_counted_insert AFTER INSERT ON referrals
BEGIN
    INSERT INTO referral_counts (service_org_id, referrer_org_id, referrer_user_id, pathway, status, n)
        VALUES (new.service_org_id, COALESCE(new.referrer_org_id, ''), COALESCE(new.referrer_user_id, ''), new.pathway, new.status, 1)
        ON CONFLICT (service_org_id, referrer_org_id, referrer_user_id, pathway, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER referrals_counted_delete AFTER DELETE ON referrals
BEGIN
    UPDATE referral_counts SET n = n - 1
        WHERE service_org_id = old.service_org_id AND referrer_org_id = COALESCE(old.referrer_org_id, '')
        AND referrer_user_id = COALESCE(old.referrer_user_id, '') AND pathway = old.pathway AND status = old.status;
END;
CREATE TRIGGER referrals_counted_update AFTER UPDATE OF service_org_id, referrer_org_id, referrer_user_id, pathway, status ON referrals
    WHEN old.service_org_id IS NOT new.service_org_id OR old.referrer_org_id IS NOT new.referrer_org_id
        OR old.referrer_user_id IS NOT new.referrer_user_id
        OR old.pathway IS NOT new.pathway OR old.status IS NOT new.status
BEGIN
    UPDATE referral_counts SET n = n - 1
        WHERE service_org_id = old.service_org_id AND referrer_org_id = COALESCE(old.referrer_org_id, '')
        AND referrer_user_id = COALESCE(old.referrer_user_id, '') AND pathway = old.pathway AND status = old.status;
    INSERT INTO referral_counts (service_org_id, referrer_org_id, referrer_user_id, pathway, status, n)
        VALUES (new.service_org_id, COALESCE(new.referrer_org_id, ''), COALESCE(new.referrer_user_id, ''), new.pathway, new.status, 1)
        ON CONFLICT (service_org_id, referrer_org_id, referrer_user_id, pathway, status) DO UPDATE SET n = n + 1;
END;

CREATE TABLE case_counts (
    service_org_id TEXT NOT NULL,
    link_worker_id TEXT NOT NULL,
    status         TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (service_org_id, link_worker_id, status)
);
CREATE INDEX case_counts_worker ON case_counts (link_worker_id, status);
CREATE INDEX case_counts_status ON case_counts (status);
INSERT INTO case_counts (service_org_id, link_worker_id, status, n)
    SELECT service_org_id, COALESCE(link_worker_id, ''), status, COUNT(*) FROM cases
    GROUP BY service_org_id, COALESCE(link_worker_id, ''), status;

CREATE TRIGGER cases_counted_insert AFTER INSERT ON cases
BEGIN
    INSERT INTO case_counts (service_org_id, link_worker_id, status, n)
        VALUES (new.service_org_id, COALESCE(new.link_worker_id, ''), new.status, 1)
        ON CONFLICT (service_org_id, link_worker_id, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER cases_counted_delete AFTER DELETE ON cases
BEGIN
    UPDATE case_counts SET n = n - 1
        WHERE service_org_id = old.service_org_id AND link_worker_id = COALESCE(old.link_worker_id, '') AND status = old.status;
END;
CREATE TRIGGER cases_counted_update AFTER UPDATE OF service_org_id, link_worker_id, status ON cases
    WHEN old.service_org_id IS NOT new.service_org_id OR old.link_worker_id IS NOT new.link_worker_id
        OR old.status IS NOT new.status
BEGIN
    UPDATE case_counts SET n = n - 1
        WHERE service_org_id = old.service_org_id AND link_worker_id = COALESCE(old.link_worker_id, '') AND status = old.status;
    INSERT INTO case_counts (service_org_id, link_worker_id, status, n)
        VALUES (new.service_org_id, COALESCE(new.link_worker_id, ''), new.status, 1)
        ON CONFLICT (service_org_id, link_worker_id, status) DO UPDATE SET n = n + 1;
END;
