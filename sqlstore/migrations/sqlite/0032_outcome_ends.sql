-- The service's outcome figures from one narrow row an episode.
--
-- The figures added up, on every request, each case's first and latest
-- scored response to each instrument, found among every scored response
-- of the service (12 s at 100,000 people). Each episode's ends are now
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
CREATE TABLE outcome_ends (
    case_id        TEXT NOT NULL,
    instrument     TEXT NOT NULL,
    service_org_id TEXT NOT NULL,
    pathway        TEXT NOT NULL,
    person_dob     TEXT,
    link_worker_id TEXT NOT NULL,
    first_at       TIMESTAMP NOT NULL,
    first_sum      REAL NOT NULL,
    first_n        INTEGER NOT NULL,
    last_at        TIMESTAMP NOT NULL,
    last_sum       REAL NOT NULL,
    last_n         INTEGER NOT NULL,
    PRIMARY KEY (case_id, instrument)
);
-- A service's episodes of an instrument, with everything the figures read.
CREATE INDEX outcome_ends_service ON outcome_ends (service_org_id, instrument, first_at, last_at, first_sum, first_n, last_sum, last_n, pathway, person_dob, link_worker_id, case_id);

INSERT INTO outcome_ends (case_id, instrument, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
    SELECT e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
        e.first_at, SUM(CASE WHEN m.at = e.first_at THEN m.score END), SUM(CASE WHEN m.at = e.first_at THEN 1 ELSE 0 END),
        e.last_at, SUM(CASE WHEN m.at = e.last_at THEN m.score END), SUM(CASE WHEN m.at = e.last_at THEN 1 ELSE 0 END)
    FROM (SELECT case_id, instrument, MIN(at) AS first_at, MAX(at) AS last_at FROM measures WHERE score IS NOT NULL GROUP BY case_id, instrument) e
    JOIN cases k ON k.id = e.case_id
    JOIN referrals r ON r.id = k.referral_id
    JOIN measures m ON m.case_id = e.case_id AND m.instrument = e.instrument AND m.score IS NOT NULL AND (m.at = e.first_at OR m.at = e.last_at)
    GROUP BY e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), e.first_at, e.last_at;

CREATE TRIGGER measures_ends_insert AFTER INSERT ON measures WHEN new.score IS NOT NULL
BEGIN
    INSERT INTO outcome_ends (case_id, instrument, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
        SELECT new.case_id, new.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), new.at, new.score, 1, new.at, new.score, 1
        FROM cases k JOIN referrals r ON r.id = k.referral_id WHERE k.id = new.case_id
        ON CONFLICT (case_id, instrument) DO UPDATE SET
            first_sum = CASE WHEN excluded.first_at < first_at THEN excluded.first_sum WHEN excluded.first_at = first_at THEN first_sum + excluded.first_sum ELSE first_sum END,
            first_n = CASE WHEN excluded.first_at < first_at THEN 1 WHEN excluded.first_at = first_at THEN first_n + 1 ELSE first_n END,
            first_at = CASE WHEN excluded.first_at < first_at THEN excluded.first_at ELSE first_at END,
            last_sum = CASE WHEN excluded.last_at > last_at THEN excluded.last_sum WHEN excluded.last_at = last_at THEN last_sum + excluded.last_sum ELSE last_sum END,
            last_n = CASE WHEN excluded.last_at > last_at THEN 1 WHEN excluded.last_at = last_at THEN last_n + 1 ELSE last_n END,
            last_at = CASE WHEN excluded.last_at > last_at THEN excluded.last_at ELSE last_at END;
END;

-- A response that changes or goes: its episode is worked out again.
CREATE TRIGGER measures_ends_delete AFTER DELETE ON measures WHEN old.score IS NOT NULL
BEGIN
    DELETE FROM outcome_ends WHERE case_id = old.case_id AND instrument = old.instrument;
    INSERT INTO outcome_ends (case_id, instrument, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
        SELECT e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
            e.first_at, SUM(CASE WHEN m.at = e.first_at THEN m.score END), SUM(CASE WHEN m.at = e.first_at THEN 1 ELSE 0 END),
            e.last_at, SUM(CASE WHEN m.at = e.last_at THEN m.score END), SUM(CASE WHEN m.at = e.last_at THEN 1 ELSE 0 END)
        FROM (SELECT case_id, instrument, MIN(at) AS first_at, MAX(at) AS last_at FROM measures
            WHERE case_id = old.case_id AND instrument = old.instrument AND score IS NOT NULL GROUP BY case_id, instrument) e
        JOIN cases k ON k.id = e.case_id
        JOIN referrals r ON r.id = k.referral_id
        JOIN measures m ON m.case_id = e.case_id AND m.instrument = e.instrument AND m.score IS NOT NULL AND (m.at = e.first_at OR m.at = e.last_at)
        GROUP BY e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), e.first_at, e.last_at;
END;
CREATE TRIGGER measures_ends_update AFTER UPDATE OF case_id, instrument, at, score ON measures
    WHEN old.case_id IS NOT new.case_id OR old.instrument IS NOT new.instrument OR old.at IS NOT new.at OR old.score IS NOT new.score
BEGIN
    DELETE FROM outcome_ends WHERE case_id = old.case_id AND instrument = old.instrument;
    INSERT INTO outcome_ends (case_id, instrument, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
        SELECT e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
            e.first_at, SUM(CASE WHEN m.at = e.first_at THEN m.score END), SUM(CASE WHEN m.at = e.first_at THEN 1 ELSE 0 END),
            e.last_at, SUM(CASE WHEN m.at = e.last_at THEN m.score END), SUM(CASE WHEN m.at = e.last_at THEN 1 ELSE 0 END)
        FROM (SELECT case_id, instrument, MIN(at) AS first_at, MAX(at) AS last_at FROM measures
            WHERE case_id = old.case_id AND instrument = old.instrument AND score IS NOT NULL GROUP BY case_id, instrument) e
        JOIN cases k ON k.id = e.case_id
        JOIN referrals r ON r.id = k.referral_id
        JOIN measures m ON m.case_id = e.case_id AND m.instrument = e.instrument AND m.score IS NOT NULL AND (m.at = e.first_at OR m.at = e.last_at)
        GROUP BY e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), e.first_at, e.last_at;
    DELETE FROM outcome_ends WHERE case_id = new.case_id AND instrument = new.instrument;
    INSERT INTO outcome_ends (case_id, instrument, service_org_id, pathway, person_dob, link_worker_id, first_at, first_sum, first_n, last_at, last_sum, last_n)
        SELECT e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''),
            e.first_at, SUM(CASE WHEN m.at = e.first_at THEN m.score END), SUM(CASE WHEN m.at = e.first_at THEN 1 ELSE 0 END),
            e.last_at, SUM(CASE WHEN m.at = e.last_at THEN m.score END), SUM(CASE WHEN m.at = e.last_at THEN 1 ELSE 0 END)
        FROM (SELECT case_id, instrument, MIN(at) AS first_at, MAX(at) AS last_at FROM measures
            WHERE case_id = new.case_id AND instrument = new.instrument AND score IS NOT NULL GROUP BY case_id, instrument) e
        JOIN cases k ON k.id = e.case_id
        JOIN referrals r ON r.id = k.referral_id
        JOIN measures m ON m.case_id = e.case_id AND m.instrument = e.instrument AND m.score IS NOT NULL AND (m.at = e.first_at OR m.at = e.last_at)
        GROUP BY e.case_id, e.instrument, k.service_org_id, r.pathway, r.person_dob, COALESCE(k.link_worker_id, ''), e.first_at, e.last_at;
END;
CREATE TRIGGER cases_ends_groups AFTER UPDATE OF service_org_id, referral_id, link_worker_id ON cases
    WHEN old.service_org_id IS NOT new.service_org_id OR old.referral_id IS NOT new.referral_id OR old.link_worker_id IS NOT new.link_worker_id
BEGIN
    UPDATE outcome_ends SET service_org_id = new.service_org_id, link_worker_id = COALESCE(new.link_worker_id, ''),
        pathway = (SELECT r.pathway FROM referrals r WHERE r.id = new.referral_id),
        person_dob = (SELECT r.person_dob FROM referrals r WHERE r.id = new.referral_id)
        WHERE case_id = new.id;
END;
CREATE TRIGGER referrals_ends_groups AFTER UPDATE OF pathway, person_dob ON referrals
    WHEN old.pathway IS NOT new.pathway OR old.person_dob IS NOT new.person_dob
BEGIN
    UPDATE outcome_ends SET pathway = new.pathway, person_dob = new.person_dob
        WHERE case_id IN (SELECT k.id FROM cases k WHERE k.referral_id = new.id);
END;
