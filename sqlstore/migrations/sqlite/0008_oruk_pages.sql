-- Deep pages of Open Referral UK's services at locations.
--
-- /oruk/service_at_locations lists every listing's locations in order of
-- the listing's name and id, then the location's position, a page at a
-- time by number. Joining each listing (in name order) to its locations
-- cost a probe per listing skipped, so page N cost in proportion to N:
-- 0.3-0.7 s for a middle page at 100,000 listings. Each location now keeps
-- its listing's name (asset_name, kept by triggers whoever writes: the
-- store or the bulk loader), and one index holds the whole order and the
-- location's id: an unfiltered page is an OFFSET over that index alone.
-- A filtered page finds the listings through the filter's own index and
-- reads their locations' names and ids from asset_locations_asset, which
-- now covers them, without reading a row of asset_locations.

ALTER TABLE asset_locations ADD COLUMN asset_name TEXT NOT NULL DEFAULT '';
UPDATE asset_locations SET asset_name = (SELECT s.name FROM asset_search s WHERE s.id = asset_locations.asset_id);
CREATE INDEX asset_locations_order ON asset_locations (asset_name, asset_id, position, id);
DROP INDEX asset_locations_asset;
CREATE INDEX asset_locations_asset ON asset_locations (asset_id, position, asset_name, id);

DROP TRIGGER asset_locations_search;
CREATE TRIGGER asset_locations_search AFTER INSERT ON asset_locations
BEGIN
    UPDATE asset_locations SET (search_num, asset_name) = (SELECT num, name FROM asset_search WHERE id = new.asset_id) WHERE id = new.id;
END;
CREATE TRIGGER assets_locations_name AFTER UPDATE OF name ON assets WHEN old.name IS NOT new.name
BEGIN
    UPDATE asset_locations SET asset_name = new.name WHERE asset_id = new.id;
END;
ANALYZE asset_locations;

-- The ORUK age filters, for a filtered page: their indexes carry the
-- name, so that the listings matching an age are found and sorted from
-- the index alone.
DROP INDEX asset_search_min_age;
DROP INDEX asset_search_max_age;
CREATE INDEX asset_search_min_age ON asset_search (min_age, id, name);
CREATE INDEX asset_search_max_age ON asset_search (max_age, id, name);
ANALYZE asset_search;
