-- The staff home's "listings due a check" counted the listed activities
-- (active or temporarily closed) past their verify-by date from
-- assets_status_verify: an index entry a listing due, 18,900 in the
-- generated national directory, on every staff home page. The numbers are
-- now kept by date, one row a verify-by date, which triggers move as
-- listings come and go or change their status or date, whoever writes them
-- (the store or the bulk loader): the count adds the rows of the dates
-- before today, a few hundred however large the directory.
--
-- As with directory_counts (migration 26), the triggers run once a
-- statement over its transition tables, and touch only the dates whose
-- number changes, in order of date (so that two writers lock them in the
-- same order); an upsert adds to the newest committed value.
CREATE TABLE directory_checks (
    verify_by  DATE PRIMARY KEY,
    n          BIGINT NOT NULL
);
INSERT INTO directory_checks (verify_by, n)
    SELECT verify_by, COUNT(*) FROM assets
    WHERE status IN ('active', 'temporarily closed') AND verify_by IS NOT NULL GROUP BY verify_by;

CREATE FUNCTION assets_checks_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO directory_checks AS c (verify_by, n)
        SELECT verify_by, COUNT(*) FROM new_rows
        WHERE status IN ('active', 'temporarily closed') AND verify_by IS NOT NULL
        GROUP BY verify_by ORDER BY verify_by
    ON CONFLICT (verify_by) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER assets_checks_insert AFTER INSERT ON assets
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assets_checks_insert();

CREATE FUNCTION assets_checks_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO directory_checks AS c (verify_by, n)
        SELECT verify_by, -COUNT(*) FROM old_rows
        WHERE status IN ('active', 'temporarily closed') AND verify_by IS NOT NULL
        GROUP BY verify_by ORDER BY verify_by
    ON CONFLICT (verify_by) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER assets_checks_delete AFTER DELETE ON assets
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assets_checks_delete();

CREATE FUNCTION assets_checks_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO directory_checks AS c (verify_by, n)
        SELECT verify_by, SUM(d) FROM (
            SELECT verify_by, 1 AS d FROM new_rows
            WHERE status IN ('active', 'temporarily closed') AND verify_by IS NOT NULL
            UNION ALL
            SELECT verify_by, -1 FROM old_rows
            WHERE status IN ('active', 'temporarily closed') AND verify_by IS NOT NULL) m
        GROUP BY verify_by HAVING SUM(d) <> 0 ORDER BY verify_by
    ON CONFLICT (verify_by) DO UPDATE SET n = c.n + excluded.n;
    RETURN NULL;
END $$;
CREATE TRIGGER assets_checks_update AFTER UPDATE ON assets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assets_checks_update();
