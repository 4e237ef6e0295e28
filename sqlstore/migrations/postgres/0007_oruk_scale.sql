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
-- The ORUK age filters (minimum_age, maximum_age) are ranges of one age
-- each, indexed for the filters' page and count; the session times
-- (start_time, end_time, day) are read from an index of each listing's
-- sessions rather than from the sessions. Listings by name are ordered by
-- name and id: with both in the index, a page of services at locations
-- (each listing's locations in turn) is read in order instead of sorting
-- every listing x location pair.

ALTER TABLE asset_locations ADD COLUMN sal_id TEXT;
CREATE INDEX asset_locations_sal ON asset_locations (sal_id);
CREATE INDEX assets_min_age ON assets (min_age);
CREATE INDEX assets_max_age ON assets (max_age);
CREATE INDEX asset_schedules_times ON asset_schedules (asset_id, opens_at, closes_at, by_day);
DROP INDEX assets_name;
CREATE INDEX assets_name_id ON assets (name, id);
