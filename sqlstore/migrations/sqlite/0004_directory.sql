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
    lat             REAL NOT NULL DEFAULT 0,
    lon             REAL NOT NULL DEFAULT 0
);
CREATE INDEX asset_locations_asset ON asset_locations (asset_id, position);
-- "Within 10 km": a bounding box on latitude, then longitude, read from
-- the index alone. Only places have coordinates worth indexing.
CREATE INDEX asset_locations_geo ON asset_locations (lat, lon, asset_id) WHERE type = 'physical';

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
    changed_at  TIMESTAMP NOT NULL,
    changed_by  TEXT NOT NULL,
    snapshot    TEXT NOT NULL,
    PRIMARY KEY (asset_id, version)
);

ALTER TABLE asset_schedules ADD COLUMN location_id TEXT NOT NULL DEFAULT '';

ALTER TABLE assets ADD COLUMN keywords TEXT NOT NULL DEFAULT '';
ALTER TABLE assets ADD COLUMN in_person BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE assets ADD COLUMN capacity_available INTEGER;
ALTER TABLE assets ADD COLUMN capacity_maximum INTEGER;
ALTER TABLE assets ADD COLUMN capacity_updated TIMESTAMP;

-- Move each listing's one location, cost and languages into the new
-- tables. A listing had a place when it had a postcode, and was online
-- when it said so. New ids are random (version 4) UUIDs. The county was
-- never recorded: state_province stays empty until a curator fills it in.
INSERT INTO asset_locations (id, asset_id, position, type, name, address_1, city, postal_code, country, lat, lon)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
             substr('89AB', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
       id, 0, 'physical', location_name, address, town, postcode, 'GB', lat, lon
FROM assets WHERE postcode <> '';
INSERT INTO asset_locations (id, asset_id, position, type, name)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
             substr('89AB', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
       id, CASE WHEN postcode <> '' THEN 1 ELSE 0 END, 'virtual', 'Online'
FROM assets WHERE online;
UPDATE assets SET in_person = (postcode <> ''), capacity_updated = updated_at;

INSERT INTO asset_cost_options (id, asset_id, position, option, amount, amount_description)
SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' ||
             substr('89AB', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
       id, 0, CASE WHEN free THEN 'Free' ELSE '' END, CASE WHEN free THEN 0 END, CASE WHEN free THEN '' ELSE cost_note END
FROM assets WHERE free OR cost_note <> '';

WITH RECURSIVE split (asset_id, position, item, rest) AS (
    SELECT id, -1, '', languages || ',' FROM assets WHERE trim(languages) <> ''
    UNION ALL
    SELECT asset_id, position + 1, trim(substr(rest, 1, instr(rest, ',') - 1)), substr(rest, instr(rest, ',') + 1)
    FROM split WHERE rest <> ''
)
INSERT INTO asset_languages (asset_id, position, language)
SELECT asset_id, position, item FROM split WHERE position >= 0 AND item <> '';

-- What the store writes as keywords: category labels, places, languages.
UPDATE assets SET keywords = trim(
    coalesce((SELECT group_concat(CASE c.category
        WHEN 'creative' THEN 'Creative' WHEN 'social' THEN 'Social' WHEN 'indoor' THEN 'Indoor'
        WHEN 'self_care' THEN 'Self-care' WHEN 'sports' THEN 'Sports'
        WHEN 'vocational_educational' THEN 'Vocational and educational' WHEN 'wellbeing_support' THEN 'Wellbeing support'
        ELSE c.category END, ' ') FROM asset_categories c WHERE c.asset_id = assets.id), '')
    || ' ' || location_name || ' ' || town || CASE WHEN online THEN ' Online' ELSE '' END
    || ' ' || replace(languages, ',', ' '));

ALTER TABLE assets DROP COLUMN location_name;
ALTER TABLE assets DROP COLUMN address;
ALTER TABLE assets DROP COLUMN town;
ALTER TABLE assets DROP COLUMN postcode;
ALTER TABLE assets DROP COLUMN lat;
ALTER TABLE assets DROP COLUMN lon;
ALTER TABLE assets DROP COLUMN languages;
ALTER TABLE assets DROP COLUMN cost_note;

-- Full-text search. FTS5 wants integer row ids and assets are keyed by
-- UUID, so asset_search gives each listing a number. asset_fts indexes the
-- name, keywords and description, stemmed (porter), with a prefix index
-- for short prefixes; it is contentless (the text lives in assets) and
-- allows deletes. asset_words indexes the same text unstemmed, only for
-- its vocabulary (asset_vocab): the words that typing mistakes are
-- corrected to. Triggers keep them in step with assets, whoever writes
-- (the store or the bulk loader).
CREATE TABLE asset_search (
    id        INTEGER PRIMARY KEY,
    asset_id  TEXT NOT NULL UNIQUE
);
CREATE VIRTUAL TABLE asset_fts USING fts5 (name, keywords, description,
    content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3');
CREATE VIRTUAL TABLE asset_words USING fts5 (words,
    content = '', contentless_delete = 1, detail = 'none', tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE asset_vocab USING fts5vocab (asset_words, 'row');

INSERT INTO asset_search (asset_id) SELECT id FROM assets ORDER BY created_at, id;
INSERT INTO asset_fts (rowid, name, keywords, description)
SELECT s.id, a.name, a.keywords, a.description FROM asset_search s JOIN assets a ON a.id = s.asset_id;
INSERT INTO asset_words (rowid, words)
SELECT s.id, a.name || ' ' || a.keywords || ' ' || a.description FROM asset_search s JOIN assets a ON a.id = s.asset_id;

CREATE TRIGGER assets_search_insert AFTER INSERT ON assets
BEGIN
    INSERT INTO asset_search (asset_id) VALUES (new.id);
    INSERT INTO asset_fts (rowid, name, keywords, description)
    VALUES ((SELECT id FROM asset_search WHERE asset_id = new.id), new.name, new.keywords, new.description);
    INSERT INTO asset_words (rowid, words)
    VALUES ((SELECT id FROM asset_search WHERE asset_id = new.id), new.name || ' ' || new.keywords || ' ' || new.description);
END;
CREATE TRIGGER assets_search_update AFTER UPDATE OF name, keywords, description ON assets
BEGIN
    DELETE FROM asset_fts WHERE rowid = (SELECT id FROM asset_search WHERE asset_id = old.id);
    DELETE FROM asset_words WHERE rowid = (SELECT id FROM asset_search WHERE asset_id = old.id);
    INSERT INTO asset_fts (rowid, name, keywords, description)
    VALUES ((SELECT id FROM asset_search WHERE asset_id = new.id), new.name, new.keywords, new.description);
    INSERT INTO asset_words (rowid, words)
    VALUES ((SELECT id FROM asset_search WHERE asset_id = new.id), new.name || ' ' || new.keywords || ' ' || new.description);
END;
CREATE TRIGGER assets_search_delete AFTER DELETE ON assets
BEGIN
    DELETE FROM asset_fts WHERE rowid = (SELECT id FROM asset_search WHERE asset_id = old.id);
    DELETE FROM asset_words WHERE rowid = (SELECT id FROM asset_search WHERE asset_id = old.id);
    DELETE FROM asset_search WHERE asset_id = old.id;
END;
