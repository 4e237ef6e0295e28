-- The home pages' figures of the directory, each from a few index entries
-- however large the directory grows.
--
-- Every home page says how many activities are listed (active or
-- temporarily closed). Counting them read an index entry a listing: 19,000
-- at 50,000 people, on every home page. The number is now kept, in one row
-- that triggers move whenever a listing comes into or leaves the directory,
-- whoever writes it (the store or the bulk loader): the store's writes are
-- one at a time, and SQLite has one writer, so the row is always exact.
CREATE TABLE directory_counts (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    listed INTEGER NOT NULL
);
INSERT INTO directory_counts (id, listed)
    SELECT 1, COUNT(*) FROM assets WHERE status IN ('active', 'temporarily closed');

CREATE TRIGGER assets_listed_insert AFTER INSERT ON assets
    WHEN new.status IN ('active', 'temporarily closed')
BEGIN
    UPDATE directory_counts SET listed = listed + 1 WHERE id = 1;
END;
CREATE TRIGGER assets_listed_delete AFTER DELETE ON assets
    WHEN old.status IN ('active', 'temporarily closed')
BEGIN
    UPDATE directory_counts SET listed = listed - 1 WHERE id = 1;
END;
CREATE TRIGGER assets_listed_update AFTER UPDATE OF status ON assets
    WHEN (old.status IN ('active', 'temporarily closed')) <> (new.status IN ('active', 'temporarily closed'))
BEGIN
    UPDATE directory_counts SET listed = listed + (CASE WHEN new.status IN ('active', 'temporarily closed') THEN 1 ELSE -1 END) WHERE id = 1;
END;

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

-- The directory near a point with no words, nearest first: its total is
-- of listed activities with a place within the distance. The places are
-- read from asset_locations_geo alone and the few listings not listed
-- (closed, or gone) from this index, so that no listing's row is read
-- but the page's.
CREATE INDEX asset_search_status ON asset_search (status);
