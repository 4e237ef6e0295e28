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
    lon             REAL NOT NULL DEFAULT 0,
    search_num      INTEGER -- asset_search.num of the listing, set by a trigger
);
CREATE INDEX asset_locations_asset ON asset_locations (asset_id, position);

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
ALTER TABLE assets ADD COLUMN places TEXT NOT NULL DEFAULT '';
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

-- The map cells of each listing's places (see sqlstore/search.go: cells
-- of 0.1° by 0.15°); (lat + 90) and (lon + 180) are never negative, so
-- CAST truncates as floor would.
UPDATE assets SET places = coalesce((SELECT group_concat(cell, ' ') FROM (
    SELECT DISTINCT 'g' || CAST((l.lat + 90) / 0.1 AS INTEGER) || 'x' || CAST((l.lon + 180) / 0.15 AS INTEGER) AS cell
    FROM asset_locations l WHERE l.asset_id = assets.id AND l.type = 'physical')), '');

ALTER TABLE assets DROP COLUMN location_name;
ALTER TABLE assets DROP COLUMN address;
ALTER TABLE assets DROP COLUMN town;
ALTER TABLE assets DROP COLUMN postcode;
ALTER TABLE assets DROP COLUMN lat;
ALTER TABLE assets DROP COLUMN lon;
ALTER TABLE assets DROP COLUMN languages;
ALTER TABLE assets DROP COLUMN cost_note;

-- Search. Each listing has a row in asset_search, kept by triggers from
-- assets whoever writes (the store or the bulk loader): a number, which
-- FTS5 needs as its row id, and the columns searches filter and rank on
-- (the name and keywords), in a narrow table keyed by that number. A
-- search finds candidates in an index (the text, or the places near a
-- point), then reads each in one step here, instead of several in the
-- wide assets table.
--
-- asset_fts indexes the name, keywords and description, stemmed (porter),
-- with a prefix index for short prefixes; it is contentless (the text
-- lives in assets) and allows deletes. asset_terms is every word listings
-- use, unstemmed: the words typing mistakes are corrected to. The store
-- adds the words of each listing it saves; words are never removed (one
-- no listing uses any more matches nothing).
CREATE TABLE asset_search (
    num          INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    keywords     TEXT NOT NULL,
    org_id       TEXT,
    status       TEXT NOT NULL,
    how_to_join  TEXT NOT NULL,
    capacity     TEXT NOT NULL,
    min_age      INTEGER NOT NULL,
    max_age      INTEGER NOT NULL,
    free         BOOLEAN NOT NULL,
    online       BOOLEAN NOT NULL,
    in_person    BOOLEAN NOT NULL,
    verify_by    TEXT
);
CREATE VIRTUAL TABLE asset_fts USING fts5 (name, keywords, description,
    content = '', contentless_delete = 1, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '3');
CREATE TABLE asset_terms (
    term  TEXT PRIMARY KEY
) WITHOUT ROWID;

INSERT INTO asset_search (id, name, keywords, org_id, status, how_to_join, capacity, min_age, max_age, free, online, in_person, verify_by)
SELECT id, name, keywords, org_id, status, how_to_join, capacity, min_age, max_age, free, online, in_person, verify_by FROM assets ORDER BY created_at, id;
INSERT INTO asset_fts (rowid, name, keywords, description)
SELECT s.num, a.name, a.keywords, a.description FROM asset_search s JOIN assets a ON a.id = s.id;
-- The words of the listings there are now, split by a temporary FTS5
-- table with the tokenizer the store's own splitting follows.
CREATE VIRTUAL TABLE temp.asset_words USING fts5 (words, content = '', detail = 'none', tokenize = 'unicode61');
INSERT INTO temp.asset_words (words) SELECT name || ' ' || keywords || ' ' || description FROM assets;
CREATE VIRTUAL TABLE temp.asset_words_vocab USING fts5vocab (temp, asset_words, 'row');
INSERT INTO asset_terms (term) SELECT term FROM temp.asset_words_vocab WHERE length(term) > 1;
DROP TABLE temp.asset_words_vocab;
DROP TABLE temp.asset_words;
UPDATE asset_locations SET search_num = (SELECT s.num FROM asset_search s WHERE s.id = asset_locations.asset_id);

-- "Within 10 km": a bounding box on latitude, then longitude, read from
-- the index alone with the listing's number. Only places are indexed.
CREATE INDEX asset_locations_geo ON asset_locations (lat, lon, search_num) WHERE type = 'physical';

CREATE TRIGGER assets_search_insert AFTER INSERT ON assets
BEGIN
    INSERT INTO asset_search (id, name, keywords, org_id, status, how_to_join, capacity, min_age, max_age, free, online, in_person, verify_by)
    VALUES (new.id, new.name, new.keywords, new.org_id, new.status, new.how_to_join, new.capacity, new.min_age, new.max_age, new.free, new.online, new.in_person, new.verify_by);
    INSERT INTO asset_fts (rowid, name, keywords, description)
    VALUES ((SELECT num FROM asset_search WHERE id = new.id), new.name, new.keywords, new.description);
END;
CREATE TRIGGER assets_search_update AFTER UPDATE ON assets
BEGIN
    UPDATE asset_search SET name = new.name, keywords = new.keywords, org_id = new.org_id, status = new.status, how_to_join = new.how_to_join, capacity = new.capacity,
        min_age = new.min_age, max_age = new.max_age, free = new.free, online = new.online, in_person = new.in_person, verify_by = new.verify_by
    WHERE id = old.id;
END;
CREATE TRIGGER assets_search_text AFTER UPDATE OF name, keywords, description ON assets
BEGIN
    DELETE FROM asset_fts WHERE rowid = (SELECT num FROM asset_search WHERE id = old.id);
    INSERT INTO asset_fts (rowid, name, keywords, description)
    VALUES ((SELECT num FROM asset_search WHERE id = new.id), new.name, new.keywords, new.description);
END;
CREATE TRIGGER assets_search_delete AFTER DELETE ON assets
BEGIN
    DELETE FROM asset_fts WHERE rowid = (SELECT num FROM asset_search WHERE id = old.id);
    DELETE FROM asset_search WHERE id = old.id;
END;
CREATE TRIGGER asset_locations_search AFTER INSERT ON asset_locations
BEGIN
    UPDATE asset_locations SET search_num = (SELECT num FROM asset_search WHERE id = new.asset_id) WHERE id = new.id;
END;
