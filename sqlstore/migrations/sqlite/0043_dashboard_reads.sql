-- The dashboard reads its kept counts and the funds' paid requests from
-- their indexes alone.
--
-- report_tallies is kept in the order of its key (WITHOUT ROWID), so that
-- reading a range of months reads each count where the key is, not a
-- second lookup into the table a row: at a national service's size that
-- lookup was most of the dashboard's activity figures' time. Its key puts
-- the group (key) before the month, so that adding up a figure's groups
-- over a period reads them in order, with no sort: a group's months are
-- side by side. The table is made again under its own name (triggers on
-- other tables write to it by name, and a rename would rewrite them).
CREATE TABLE report_tallies_kept (
    service_org_id TEXT NOT NULL,
    figure         TEXT NOT NULL,
    month          TEXT NOT NULL,
    pathway        TEXT NOT NULL,
    key            TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (service_org_id, figure, key, month, pathway)
) WITHOUT ROWID;
INSERT INTO report_tallies_kept SELECT service_org_id, figure, month, pathway, key, n FROM report_tallies;
DROP TABLE report_tallies;
CREATE TABLE report_tallies (
    service_org_id TEXT NOT NULL,
    figure         TEXT NOT NULL,
    month          TEXT NOT NULL,
    pathway        TEXT NOT NULL,
    key            TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (service_org_id, figure, key, month, pathway)
) WITHOUT ROWID;
INSERT INTO report_tallies SELECT service_org_id, figure, month, pathway, key, n FROM report_tallies_kept;
DROP TABLE report_tallies_kept;

-- What the funds paid in a period, by category, and the cases helped:
-- the index on service, status and time asked carries the category, the
-- amount and the case.
DROP INDEX fund_requests_service;
CREATE INDEX fund_requests_service ON fund_requests (service_org_id, status, requested_at, category, amount_pence, case_id);
