-- The connections' kept counts by community organisation and by category
-- (report_tallies, migration 38) are three figures a group and month:
-- made, went (attended at least once) and still going. The dashboard's
-- activity reads all three of every group for the period, and at a
-- national service's size these groups are most of the rows it reads.
--
-- report_uptake keeps the three side by side, a row a service, group and
-- month, so the activity reads a third of the rows for them. It is moved
-- by triggers on report_tallies itself, so every change to those counts
-- (whichever trigger or statement makes it) moves it in the same
-- statement: report_tallies stays the one place the counting is written.
-- figure is 'conn_org' (key: the organisation's id, '' for none) or
-- 'conn_category' (key: the category, '' for none).
CREATE TABLE report_uptake (
    service_org_id TEXT NOT NULL,
    figure         TEXT NOT NULL,
    key            TEXT NOT NULL,
    month          TEXT NOT NULL,
    made           INTEGER NOT NULL,
    went           INTEGER NOT NULL,
    going          INTEGER NOT NULL,
    PRIMARY KEY (service_org_id, figure, key, month)
) WITHOUT ROWID;

INSERT INTO report_uptake (service_org_id, figure, key, month, made, went, going)
    SELECT service_org_id,
        CASE WHEN figure IN ('conn_org', 'conn_org_went', 'conn_org_going') THEN 'conn_org' ELSE 'conn_category' END,
        key, month,
        SUM(CASE WHEN figure IN ('conn_org', 'conn_category') THEN n ELSE 0 END),
        SUM(CASE WHEN figure IN ('conn_org_went', 'conn_category_went') THEN n ELSE 0 END),
        SUM(CASE WHEN figure IN ('conn_org_going', 'conn_category_going') THEN n ELSE 0 END)
    FROM report_tallies
    WHERE figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going')
    GROUP BY 1, 2, 3, 4;

CREATE TRIGGER report_tallies_uptake_insert AFTER INSERT ON report_tallies
    WHEN new.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going')
BEGIN
    INSERT INTO report_uptake (service_org_id, figure, key, month, made, went, going)
        VALUES (new.service_org_id,
            CASE WHEN new.figure IN ('conn_org', 'conn_org_went', 'conn_org_going') THEN 'conn_org' ELSE 'conn_category' END,
            new.key, new.month,
            CASE WHEN new.figure IN ('conn_org', 'conn_category') THEN new.n ELSE 0 END,
            CASE WHEN new.figure IN ('conn_org_went', 'conn_category_went') THEN new.n ELSE 0 END,
            CASE WHEN new.figure IN ('conn_org_going', 'conn_category_going') THEN new.n ELSE 0 END)
        ON CONFLICT (service_org_id, figure, key, month) DO UPDATE SET made = made + excluded.made, went = went + excluded.went, going = going + excluded.going;
END;

CREATE TRIGGER report_tallies_uptake_delete AFTER DELETE ON report_tallies
    WHEN old.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going')
BEGIN
    INSERT INTO report_uptake (service_org_id, figure, key, month, made, went, going)
        VALUES (old.service_org_id,
            CASE WHEN old.figure IN ('conn_org', 'conn_org_went', 'conn_org_going') THEN 'conn_org' ELSE 'conn_category' END,
            old.key, old.month,
            CASE WHEN old.figure IN ('conn_org', 'conn_category') THEN -old.n ELSE 0 END,
            CASE WHEN old.figure IN ('conn_org_went', 'conn_category_went') THEN -old.n ELSE 0 END,
            CASE WHEN old.figure IN ('conn_org_going', 'conn_category_going') THEN -old.n ELSE 0 END)
        ON CONFLICT (service_org_id, figure, key, month) DO UPDATE SET made = made + excluded.made, went = went + excluded.went, going = going + excluded.going;
END;

-- A count moved (the upsert's DO UPDATE, which is what the triggers of
-- migration 38 do to a count already kept) moves its group's row by the
-- difference.
CREATE TRIGGER report_tallies_uptake_update AFTER UPDATE OF n ON report_tallies
    WHEN new.service_org_id = old.service_org_id AND new.figure = old.figure AND new.key = old.key AND new.month = old.month AND new.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going')
BEGIN
    INSERT INTO report_uptake (service_org_id, figure, key, month, made, went, going)
        VALUES (new.service_org_id,
            CASE WHEN new.figure IN ('conn_org', 'conn_org_went', 'conn_org_going') THEN 'conn_org' ELSE 'conn_category' END,
            new.key, new.month,
            CASE WHEN new.figure IN ('conn_org', 'conn_category') THEN new.n - old.n ELSE 0 END,
            CASE WHEN new.figure IN ('conn_org_went', 'conn_category_went') THEN new.n - old.n ELSE 0 END,
            CASE WHEN new.figure IN ('conn_org_going', 'conn_category_going') THEN new.n - old.n ELSE 0 END)
        ON CONFLICT (service_org_id, figure, key, month) DO UPDATE SET made = made + excluded.made, went = went + excluded.went, going = going + excluded.going;
END;

-- A count given another service, figure, key or month, which nothing
-- does, is taken from the old group's row and added to the new one's.
CREATE TRIGGER report_tallies_uptake_rekey AFTER UPDATE ON report_tallies
    WHEN NOT (new.service_org_id = old.service_org_id AND new.figure = old.figure AND new.key = old.key AND new.month = old.month)
      AND (old.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going') OR new.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going'))
BEGIN
    INSERT INTO report_uptake (service_org_id, figure, key, month, made, went, going)
        SELECT old.service_org_id,
            CASE WHEN old.figure IN ('conn_org', 'conn_org_went', 'conn_org_going') THEN 'conn_org' ELSE 'conn_category' END,
            old.key, old.month,
            CASE WHEN old.figure IN ('conn_org', 'conn_category') THEN -old.n ELSE 0 END,
            CASE WHEN old.figure IN ('conn_org_went', 'conn_category_went') THEN -old.n ELSE 0 END,
            CASE WHEN old.figure IN ('conn_org_going', 'conn_category_going') THEN -old.n ELSE 0 END
        WHERE old.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going')
        ON CONFLICT (service_org_id, figure, key, month) DO UPDATE SET made = made + excluded.made, went = went + excluded.went, going = going + excluded.going;
    INSERT INTO report_uptake (service_org_id, figure, key, month, made, went, going)
        SELECT new.service_org_id,
            CASE WHEN new.figure IN ('conn_org', 'conn_org_went', 'conn_org_going') THEN 'conn_org' ELSE 'conn_category' END,
            new.key, new.month,
            CASE WHEN new.figure IN ('conn_org', 'conn_category') THEN new.n ELSE 0 END,
            CASE WHEN new.figure IN ('conn_org_went', 'conn_category_went') THEN new.n ELSE 0 END,
            CASE WHEN new.figure IN ('conn_org_going', 'conn_category_going') THEN new.n ELSE 0 END
        WHERE new.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going')
        ON CONFLICT (service_org_id, figure, key, month) DO UPDATE SET made = made + excluded.made, went = went + excluded.went, going = going + excluded.going;
END;
