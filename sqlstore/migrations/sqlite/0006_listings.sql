-- Listings that stay true: verification links sent to a listing's
-- contact, reports that a listing is out of date, and full postcodes.
--
-- A verification link's token is never stored: only its SHA-256, as for
-- sessions and API tokens. A link is used once and expires.
CREATE TABLE asset_verifications (
    id          TEXT PRIMARY KEY,
    asset_id    TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    token_hash  TEXT NOT NULL UNIQUE,
    email       TEXT NOT NULL,
    created_at  TIMESTAMP NOT NULL,
    expires_at  TIMESTAMP NOT NULL,
    used_at     TIMESTAMP,
    outcome     TEXT NOT NULL DEFAULT '' -- confirmed or corrected, once used
);
CREATE INDEX asset_verifications_asset ON asset_verifications (asset_id, created_at);

-- "This is out of date": a note from a link worker or coordinator, open
-- until a coordinator or the organisation that runs the listing resolves
-- it.
CREATE TABLE asset_reports (
    id           TEXT PRIMARY KEY,
    asset_id     TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    note         TEXT NOT NULL,
    reported_by  TEXT NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    resolved_at  TIMESTAMP,
    resolved_by  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX asset_reports_open ON asset_reports (resolved_at, created_at);
CREATE INDEX asset_reports_asset ON asset_reports (asset_id, created_at);

-- Full postcodes, loaded from the ONS Postcode Directory by
-- "linkwork import postcodes"; the postcode as written with one space,
-- "LS1 4AP".
CREATE TABLE postcodes (
    postcode  TEXT PRIMARY KEY,
    lat       REAL NOT NULL,
    lon       REAL NOT NULL
) WITHOUT ROWID;
