-- The directory as Open Referral UK shapes it: a listing has several
-- locations (places and online), contacts, cost options, languages and
-- service areas, each in its own table; a capacity like HSDS 3.1's
-- service_capacity; a version history; and a full-text index.
--
-- The single location, the languages and the cost note move out of
-- assets into the new tables, and their columns are dropped. Three
-- columns stay as summaries the store keeps from the children, for
-- filtering without a join: free (every cost is £0), online (there is a
-- virtual location) and in_person (there is a place); keywords holds the
-- categories, places, languages and areas as text for the search index.

CREATE TABLE asset_locations (
    id              TEXT PRIMARY KEY,
    asset_id        TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    position        INTEGER NOT NULL,
    type            TEXT NOT NULL,
    name            TEXT NOT NULL DEFAULT '',
    address_1       TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    state_province  TEXT NOT NULL DEFAULT '',
    postal_code     TEXT NOT NULL DEFAULT '',
    country         TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    lat             DOUBLE PRECISION NOT NULL DEFAULT 0,
    lon             DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX asset_locations_asset ON asset_locations (asset_id, position);
-- "Within 10 km": a bounding box on latitude, then longitude, read from
-- the index alone. Only places have coordinates worth indexing.
CREATE INDEX asset_locations_geo ON asset_locations (lat, lon) INCLUDE (asset_id) WHERE type = 'physical';

CREATE TABLE asset_contacts (
    id        TEXT PRIMARY KEY,
    asset_id  TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL DEFAULT '',
    title     TEXT NOT NULL DEFAULT '',
    email     TEXT NOT NULL DEFAULT '',
    phone     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX asset_contacts_asset ON asset_contacts (asset_id, position);

CREATE TABLE asset_cost_options (
    id                  TEXT PRIMARY KEY,
    asset_id            TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    option              TEXT NOT NULL DEFAULT '',
    amount              INTEGER, -- pence; NULL when the cost is only described
    amount_description  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX asset_cost_options_asset ON asset_cost_options (asset_id, position);

CREATE TABLE asset_languages (
    asset_id  TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    language  TEXT NOT NULL,
    PRIMARY KEY (asset_id, position)
);

CREATE TABLE asset_service_areas (
    asset_id  TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    area      TEXT NOT NULL,
    PRIMARY KEY (asset_id, position)
);

-- Every saved version of a listing: the listing as JSON, who saved it and
-- when. Written in the transaction that saves the listing.
CREATE TABLE asset_versions (
    asset_id    TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    changed_by  TEXT NOT NULL,
    snapshot    JSONB NOT NULL,
    PRIMARY KEY (asset_id, version)
);

ALTER TABLE asset_schedules ADD COLUMN location_id TEXT NOT NULL DEFAULT '';

ALTER TABLE assets
    ADD COLUMN keywords TEXT NOT NULL DEFAULT '',
    ADD COLUMN places TEXT NOT NULL DEFAULT '',
    ADD COLUMN in_person BOOLEAN NOT NULL DEFAULT FALSE,
    ADD COLUMN capacity_available INTEGER,
    ADD COLUMN capacity_maximum INTEGER,
    ADD COLUMN capacity_updated TIMESTAMPTZ;

-- Move each listing's one location, cost and languages into the new
-- tables. A listing had a place when it had a postcode, and was online
-- when it said so. The county was never recorded: state_province stays
-- empty until a curator fills it in.
INSERT INTO asset_locations (id, asset_id, position, type, name, address_1, city, postal_code, country, lat, lon)
SELECT gen_random_uuid()::text, id, 0, 'physical', location_name, address, town, postcode, 'GB', lat, lon
FROM assets WHERE postcode <> '';
INSERT INTO asset_locations (id, asset_id, position, type, name)
SELECT gen_random_uuid()::text, id, CASE WHEN postcode <> '' THEN 1 ELSE 0 END, 'virtual', 'Online'
FROM assets WHERE online;
UPDATE assets SET in_person = (postcode <> ''), capacity_updated = updated_at;

INSERT INTO asset_cost_options (id, asset_id, position, option, amount, amount_description)
SELECT gen_random_uuid()::text, id, 0, CASE WHEN free THEN 'Free' ELSE '' END, CASE WHEN free THEN 0 END, CASE WHEN free THEN '' ELSE cost_note END
FROM assets WHERE free OR cost_note <> '';

INSERT INTO asset_languages (asset_id, position, language)
SELECT a.id, l.n - 1, trim(l.language)
FROM assets a, unnest(string_to_array(a.languages, ',')) WITH ORDINALITY AS l (language, n)
WHERE trim(l.language) <> '';

-- Statistics for the tables just filled: without them the planner takes
-- asset_locations for empty and answers the correlated subqueries below
-- by scanning it once per listing, which at 100,000 listings ran for tens
-- of minutes.
ANALYZE asset_locations;
ANALYZE asset_categories;
ANALYZE assets;

-- What the store writes as keywords: category labels, places, languages.
UPDATE assets SET keywords = trim(
    coalesce((SELECT string_agg(CASE c.category
        WHEN 'creative' THEN 'Creative' WHEN 'social' THEN 'Social' WHEN 'indoor' THEN 'Indoor'
        WHEN 'self_care' THEN 'Self-care' WHEN 'sports' THEN 'Sports'
        WHEN 'vocational_educational' THEN 'Vocational and educational' WHEN 'wellbeing_support' THEN 'Wellbeing support'
        ELSE c.category END, ' ' ORDER BY c.category) FROM asset_categories c WHERE c.asset_id = assets.id), '')
    || ' ' || location_name || ' ' || town || CASE WHEN online THEN ' Online' ELSE '' END
    || ' ' || replace(languages, ',', ' '));

-- The map cells of each listing's places (see sqlstore/search.go: cells
-- of 0.1° by 0.15°).
UPDATE assets SET places = coalesce((SELECT string_agg(DISTINCT 'g' || floor((l.lat + 90) / 0.1)::int || 'x' || floor((l.lon + 180) / 0.15)::int, ' ')
    FROM asset_locations l WHERE l.asset_id = assets.id AND l.type = 'physical'), '');

ALTER TABLE assets
    DROP COLUMN location_name,
    DROP COLUMN address,
    DROP COLUMN town,
    DROP COLUMN postcode,
    DROP COLUMN lat,
    DROP COLUMN lon,
    DROP COLUMN languages,
    DROP COLUMN cost_note;

-- Full-text search: the name, keywords and description, weighted in that
-- order, stemmed as English, in a GIN index.
ALTER TABLE assets ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', name), 'A') ||
    setweight(to_tsvector('english', keywords), 'B') ||
    setweight(to_tsvector('english', description), 'C')) STORED;
CREATE INDEX assets_search ON assets USING gin (search);

-- Near a point: the map cells of each listing's places as words, in a GIN
-- index, so that text and place are both index searches on assets that
-- the planner can AND as bitmaps.
ALTER TABLE assets ADD COLUMN places_search tsvector GENERATED ALWAYS AS (to_tsvector('simple', places)) STORED;
CREATE INDEX assets_places ON assets USING gin (places_search);

-- The words of every listing, unstemmed: what typing mistakes are
-- corrected to. The store adds the words of each listing it saves; words
-- are never removed (one no listing uses any more matches nothing).
CREATE TABLE asset_terms (
    term  TEXT PRIMARY KEY
);
INSERT INTO asset_terms (term)
SELECT DISTINCT t FROM assets, unnest(tsvector_to_array(to_tsvector('simple', name || ' ' || keywords || ' ' || description))) AS t
WHERE length(t) > 1 AND t ~ '^[[:alnum:]]+$';

-- Trigram similarity finds the word a person meant ("fotball" → football)
-- when pg_trgm can be installed; without it the store compares spellings
-- itself. Installing it needs the CREATE privilege on the database (it is
-- a trusted extension), so a failure here is not fatal.
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%); typo tolerance falls back to edit distance', SQLERRM;
END
$$;
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        EXECUTE 'CREATE INDEX asset_terms_trgm ON asset_terms USING gin (term gin_trgm_ops)';
    END IF;
END
$$;
