-- The Open Referral UK API at national scale.
--
-- A service-at-location's id is a UUID v5 of its listing's and location's
-- ids (orukio.ServiceAtLocationID): it cannot be turned back into either,
-- so each location keeps it, indexed, and /oruk/service_at_locations/{id}
-- is one index lookup instead of a read of every listing. SQL cannot
-- compute it (SHA-1 is in neither engine without an extension), so the
-- store fills it in Go: for existing rows in the same transaction as this
-- migration (backfillSALIDs), and on every write of a listing's locations.
--
-- A page of listings by name, with or without filters, reads asset_search
-- (the narrow copy of each listing's filtered columns) in name and id
-- order, rather than whole listings: so does a page of services at
-- locations (each listing's locations in turn), read in order instead of
-- sorting every listing x location pair. The ORUK age filters
-- (minimum_age, maximum_age) are ranges of one age each, indexed with the
-- id so that their count reads the index alone; and the session times
-- (start_time, end_time, day) are read from an index of each listing's
-- sessions rather than from the sessions.

ALTER TABLE asset_locations ADD COLUMN sal_id TEXT;
CREATE INDEX asset_locations_sal ON asset_locations (sal_id);
CREATE INDEX asset_search_name ON asset_search (name, id);
CREATE INDEX asset_search_min_age ON asset_search (min_age, id);
CREATE INDEX asset_search_max_age ON asset_search (max_age, id);
CREATE INDEX asset_schedules_times ON asset_schedules (asset_id, opens_at, closes_at, by_day);
