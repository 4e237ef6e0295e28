-- The home pages' figures of the directory, each from a few index entries
-- however large the directory grows.
--
-- Every home page says how many activities are listed (active or
-- temporarily closed). Counting them read an index entry a listing: 19,000
-- at 50,000 people, on every home page. The number is now kept, in one row
-- that triggers move whenever a listing comes into or leaves the directory,
-- whoever writes it (the store or the bulk loader).
--
-- The triggers run once a statement, over its transition tables, so that a
-- bulk load moves the row once a statement rather than once a listing; and
-- they touch the row only when the number changes, so that editing a
-- listing does not wait for it. An UPDATE of the row adds to the newest
-- committed value (READ COMMITTED re-reads a row another transaction has
-- just changed), so concurrent writers each add their own change.
CREATE TABLE directory_counts (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    listed BIGINT NOT NULL
);
INSERT INTO directory_counts (id, listed)
    SELECT 1, COUNT(*) FROM assets WHERE status IN ('active', 'temporarily closed');

CREATE FUNCTION directory_counts_move(d BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF d <> 0 THEN
        UPDATE directory_counts SET listed = listed + d WHERE id = 1;
    END IF;
END $$;

CREATE FUNCTION assets_listed_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM directory_counts_move((SELECT COUNT(*) FROM new_rows WHERE status IN ('active', 'temporarily closed')));
    RETURN NULL;
END $$;
CREATE TRIGGER assets_listed_insert AFTER INSERT ON assets
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assets_listed_insert();

CREATE FUNCTION assets_listed_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM directory_counts_move(-(SELECT COUNT(*) FROM old_rows WHERE status IN ('active', 'temporarily closed')));
    RETURN NULL;
END $$;
CREATE TRIGGER assets_listed_delete AFTER DELETE ON assets
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION assets_listed_delete();

CREATE FUNCTION assets_listed_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM directory_counts_move(
        (SELECT COUNT(*) FROM new_rows WHERE status IN ('active', 'temporarily closed'))
        - (SELECT COUNT(*) FROM old_rows WHERE status IN ('active', 'temporarily closed')));
    RETURN NULL;
END $$;
CREATE TRIGGER assets_listed_update AFTER UPDATE ON assets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION assets_listed_update();

-- A community organisation's "listings due a check" read each of its
-- listings' rows for the date (assets_org held only the organisation):
-- the index now holds the date too, and still serves every look-up by
-- organisation alone.
CREATE INDEX assets_org_verify ON assets (org_id, verify_by);
DROP INDEX assets_org;

-- Its "hand-overs waiting for our answer" read each of its live
-- hand-overs' rows for the status: those waiting have an index of their
-- own, which the count reads alone (level and status are in it so that
-- SQLite knows it need not read the row to test them).
CREATE INDEX connections_asset_org_contacted ON connections (asset_org_id, level, status)
    WHERE level IN ('refer', 'buddy', 'phased') AND status = 'contacted';
