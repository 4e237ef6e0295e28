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
    -- The counts ride in the key's index, so that a period's rows are
    -- read from the index alone once vacuum has marked their pages
    -- settled, not looked up in the table a row.
    PRIMARY KEY (service_org_id, figure, key, month) INCLUDE (made, went, going)
);

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


-- uptake_move adds d to the made, went or going of the group a count of
-- report_tallies belongs to, when it is a connections' count.
CREATE FUNCTION uptake_move(service TEXT, fig TEXT, k TEXT, m TEXT, d BIGINT) RETURNS void LANGUAGE sql AS $$
    INSERT INTO report_uptake (service_org_id, figure, key, month, made, went, going)
    SELECT service,
        CASE WHEN fig IN ('conn_org', 'conn_org_went', 'conn_org_going') THEN 'conn_org' ELSE 'conn_category' END,
        k, m,
        CASE WHEN fig IN ('conn_org', 'conn_category') THEN d ELSE 0 END,
        CASE WHEN fig IN ('conn_org_went', 'conn_category_went') THEN d ELSE 0 END,
        CASE WHEN fig IN ('conn_org_going', 'conn_category_going') THEN d ELSE 0 END
    WHERE fig IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going') AND d <> 0
    ON CONFLICT (service_org_id, figure, key, month) DO UPDATE SET made = report_uptake.made + excluded.made, went = report_uptake.went + excluded.went, going = report_uptake.going + excluded.going
$$;

CREATE FUNCTION report_tallies_uptake() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.service_org_id, NEW.figure, NEW.key, NEW.month) = (OLD.service_org_id, OLD.figure, OLD.key, OLD.month) THEN
        -- A count moved (the upsert's DO UPDATE of migration 38's
        -- triggers): its group's row moves by the difference.
        PERFORM uptake_move(NEW.service_org_id, NEW.figure, NEW.key, NEW.month, NEW.n - OLD.n);
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM uptake_move(OLD.service_org_id, OLD.figure, OLD.key, OLD.month, -OLD.n);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM uptake_move(NEW.service_org_id, NEW.figure, NEW.key, NEW.month, NEW.n);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER report_tallies_uptake_insert AFTER INSERT ON report_tallies
    FOR EACH ROW WHEN (NEW.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going'))
    EXECUTE FUNCTION report_tallies_uptake();
CREATE TRIGGER report_tallies_uptake_delete AFTER DELETE ON report_tallies
    FOR EACH ROW WHEN (OLD.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going'))
    EXECUTE FUNCTION report_tallies_uptake();
CREATE TRIGGER report_tallies_uptake_update AFTER UPDATE ON report_tallies
    FOR EACH ROW WHEN (OLD.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going')
        OR NEW.figure IN ('conn_org', 'conn_org_went', 'conn_org_going', 'conn_category', 'conn_category_went', 'conn_category_going'))
    EXECUTE FUNCTION report_tallies_uptake();
