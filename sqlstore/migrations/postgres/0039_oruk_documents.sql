-- A listing imported from an Open Referral UK feed keeps the service as
-- the feed sent it, and linkwork's own ORUK of the listing as the import
-- saved it (the baseline): publishing starts from the feed's document and
-- shows linkwork's value of each field that differs from the baseline, so
-- nothing linkwork does not model is lost and a curator's edits show.
-- Both are JSON, kept as text so that they come back as they went in.
CREATE TABLE oruk_documents (
    asset_id  TEXT PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
    received  TEXT NOT NULL,
    baseline  TEXT NOT NULL,
    kept_at   TIMESTAMPTZ NOT NULL
);
