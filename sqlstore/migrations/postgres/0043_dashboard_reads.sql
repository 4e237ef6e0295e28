-- report_tallies' key puts the group (key) before the month, so that
-- adding up a figure's groups over a period reads them in order, with no
-- sort: a group's months are side by side. (SQLite's migration also keeps
-- the table in that order; a PostgreSQL table has no order of its own.)
ALTER TABLE report_tallies DROP CONSTRAINT report_tallies_pkey;
ALTER TABLE report_tallies ADD PRIMARY KEY (service_org_id, figure, key, month, pathway);

-- What the funds paid in a period, by category, and the cases helped:
-- the index on service, status and time asked carries the category, the
-- amount and the case, so the dashboard reads them from the index where
-- the rows are settled.
DROP INDEX fund_requests_service;
CREATE INDEX fund_requests_service ON fund_requests (service_org_id, status, requested_at, category, amount_pence, case_id);
