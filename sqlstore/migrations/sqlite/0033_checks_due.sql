-- The staff home's "listings due a check" counted the listed activities
-- (active or temporarily closed) past their verify-by date from
-- assets_status_verify: an index entry a listing due, 18,900 in the
-- generated national directory, on every staff home page. The numbers are
-- now kept by date, one row a verify-by date, which triggers move as
-- listings come and go or change their status or date, whoever writes them
-- (the store or the bulk loader): the count adds the rows of the dates
-- before today, a few hundred however large the directory.
CREATE TABLE directory_checks (
    verify_by  TEXT PRIMARY KEY,
    n          INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO directory_checks (verify_by, n)
    SELECT verify_by, COUNT(*) FROM assets
    WHERE status IN ('active', 'temporarily closed') AND verify_by IS NOT NULL GROUP BY verify_by;

CREATE TRIGGER assets_checks_insert AFTER INSERT ON assets
    WHEN new.status IN ('active', 'temporarily closed') AND new.verify_by IS NOT NULL
BEGIN
    INSERT INTO directory_checks (verify_by, n) VALUES (new.verify_by, 1)
        ON CONFLICT (verify_by) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER assets_checks_delete AFTER DELETE ON assets
    WHEN old.status IN ('active', 'temporarily closed') AND old.verify_by IS NOT NULL
BEGIN
    UPDATE directory_checks SET n = n - 1 WHERE verify_by = old.verify_by;
END;
-- An update that moves a listing out of a date's number, then one that
-- moves it into one: an edit that keeps both the status's side and the
-- date touches neither.
CREATE TRIGGER assets_checks_update_out AFTER UPDATE OF status, verify_by ON assets
    WHEN old.status IN ('active', 'temporarily closed') AND old.verify_by IS NOT NULL
        AND NOT (new.status IN ('active', 'temporarily closed') AND new.verify_by IS old.verify_by)
BEGIN
    UPDATE directory_checks SET n = n - 1 WHERE verify_by = old.verify_by;
END;
CREATE TRIGGER assets_checks_update_in AFTER UPDATE OF status, verify_by ON assets
    WHEN new.status IN ('active', 'temporarily closed') AND new.verify_by IS NOT NULL
        AND NOT (old.status IN ('active', 'temporarily closed') AND old.verify_by IS new.verify_by)
BEGIN
    INSERT INTO directory_checks (verify_by, n) VALUES (new.verify_by, 1)
        ON CONFLICT (verify_by) DO UPDATE SET n = n + 1;
END;
