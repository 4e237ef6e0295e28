-- Deep pages of Open Referral UK's services at locations.
--
-- /oruk/service_at_locations lists every listing's locations in order of
-- the listing's name and id, then the location's position, a page at a
-- time by number. PostgreSQL joined every listing to its locations and
-- sorted them all for each page: 0.15-0.4 s for a middle page at 100,000
-- listings. Each location now keeps its listing's name (asset_name, kept
-- by triggers whoever writes: the store or the bulk loader), and one index
-- holds the whole order with the location's id: an unfiltered page is an
-- OFFSET over that index alone (an index-only scan once the table has been
-- vacuumed). A filtered page finds the listings through the filter's own
-- index and reads their locations' names and ids from
-- asset_locations_asset, which now covers them.

ALTER TABLE asset_locations ADD COLUMN asset_name TEXT NOT NULL DEFAULT '';
ANALYZE assets;
ANALYZE asset_locations;
UPDATE asset_locations l SET asset_name = a.name FROM assets a WHERE a.id = l.asset_id;
CREATE INDEX asset_locations_order ON asset_locations (asset_name, asset_id, position) INCLUDE (id);
DROP INDEX asset_locations_asset;
CREATE INDEX asset_locations_asset ON asset_locations (asset_id, position) INCLUDE (asset_name, id);

CREATE FUNCTION asset_locations_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT name INTO NEW.asset_name FROM assets WHERE id = NEW.asset_id;
    NEW.asset_name := COALESCE(NEW.asset_name, '');
    RETURN NEW;
END $$;
CREATE TRIGGER asset_locations_name BEFORE INSERT OR UPDATE OF asset_id ON asset_locations
    FOR EACH ROW EXECUTE FUNCTION asset_locations_name();

CREATE FUNCTION assets_locations_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE asset_locations SET asset_name = NEW.name WHERE asset_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER assets_locations_name AFTER UPDATE OF name ON assets
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION assets_locations_name();
ANALYZE asset_locations;

-- The ORUK age filters and session times, for a filtered page or count:
-- the ages' indexes carry the id and name, so that the listings matching
-- an age (and their order) are read from the index alone; the sessions
-- starting from a time are a range of an index that holds what the other
-- session filters test, so that they are not read from the table either.
DROP INDEX assets_min_age;
DROP INDEX assets_max_age;
CREATE INDEX assets_min_age ON assets (min_age, id) INCLUDE (name);
CREATE INDEX assets_max_age ON assets (max_age, id) INCLUDE (name);
CREATE INDEX asset_schedules_opens ON asset_schedules (opens_at) INCLUDE (closes_at, by_day, asset_id);
ANALYZE assets;
ANALYZE asset_schedules;
