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
-- The ORUK age filters (minimum_age, maximum_age) compare the listing's
-- ages, so those are indexed for the filters' page and count.

ALTER TABLE asset_locations ADD COLUMN sal_id TEXT;
CREATE INDEX asset_locations_sal ON asset_locations (sal_id);
CREATE INDEX assets_ages ON assets (min_age, max_age);
