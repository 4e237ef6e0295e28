-- Neighbours' feeds: the Open Referral UK feeds of other organisations
-- that the directory harvests on a schedule.
--
-- feeds holds each registration (address, how often, how its taxonomy
-- terms file listings, whether what it brings needs review) and what the
-- last harvest found: when, its error, its counts, and the ETag and
-- Last-Modified the feed answered, sent back to ask only for a change.
-- The harvest job reads the feeds due by next_due_at.
CREATE TABLE feeds (
    id               TEXT PRIMARY KEY,
    name             TEXT NOT NULL,
    url              TEXT NOT NULL,
    every_hours      INTEGER NOT NULL,
    default_category TEXT NOT NULL,
    categories       TEXT NOT NULL DEFAULT '[]',
    trust            TEXT NOT NULL,
    etag             TEXT NOT NULL DEFAULT '',
    last_modified    TEXT NOT NULL DEFAULT '',
    last_run_at      TIMESTAMP,
    last_ok_at       TIMESTAMP,
    last_error       TEXT NOT NULL DEFAULT '',
    last_result      TEXT NOT NULL DEFAULT '',
    next_due_at      TIMESTAMP NOT NULL,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX feeds_by_name ON feeds (name, id);
CREATE INDEX feeds_by_due ON feeds (next_due_at);

-- Where a listing came from: one row for each service of each feed, with
-- a digest of the service as the feed last gave it (to see a change), the
-- listing's version a harvest last wrote or saw (a later one is a local
-- correction, never overwritten), when the feed last said so, and whether
-- the service has gone from the feed. A listing in two feeds has two rows.
CREATE TABLE feed_sources (
    feed_id           TEXT NOT NULL REFERENCES feeds (id),
    source_id         TEXT NOT NULL,
    asset_id          TEXT NOT NULL REFERENCES assets (id),
    hash              TEXT NOT NULL,
    harvested_version INTEGER NOT NULL,
    said_at           TIMESTAMP NOT NULL,
    gone              BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (feed_id, source_id)
);
CREATE INDEX feed_sources_by_asset ON feed_sources (asset_id);

-- Changes a feed brought waiting for a curator: a new, changed or
-- vanished listing from a feed that needs review, and a feed's change to
-- a listing corrected here since (a conflict). theirs is the listing as
-- the feed gives it (JSON); nothing of it is published until the curator
-- takes it. One open review for each service of a feed; a review the
-- curator answered is kept, so that the same change is not asked again.
CREATE TABLE feed_reviews (
    id          TEXT PRIMARY KEY,
    feed_id     TEXT NOT NULL REFERENCES feeds (id),
    source_id   TEXT NOT NULL,
    kind        TEXT NOT NULL,
    asset_id    TEXT,
    theirs      TEXT,
    hash        TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    resolved_at TIMESTAMP,
    resolved_by TEXT NOT NULL DEFAULT '',
    choice      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX feed_reviews_by_source ON feed_reviews (feed_id, source_id, hash);
CREATE INDEX feed_reviews_waiting ON feed_reviews (created_at, id) WHERE resolved_at IS NULL;
