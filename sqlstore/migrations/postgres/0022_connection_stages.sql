-- The stages of a phased hand-over, each once per connection, dated with
-- the day it happened and recorded with who and when.
CREATE TABLE connection_stages (
    id             TEXT PRIMARY KEY,
    connection_id  TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    case_id        TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    stage          TEXT NOT NULL,
    stage_on       DATE NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    by_user_id     TEXT NOT NULL DEFAULT '',
    at             TIMESTAMPTZ NOT NULL,
    UNIQUE (connection_id, stage)
);
CREATE INDEX connection_stages_case ON connection_stages (case_id, stage_on);

-- What the person thought of the activity, one view per connection (a
-- later view replaces it). asset_id is kept so that an organisation's
-- numbers per activity are read by index.
CREATE TABLE connection_views (
    connection_id  TEXT PRIMARY KEY REFERENCES connections (id) ON DELETE CASCADE,
    case_id        TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    asset_id       TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    person_view    TEXT NOT NULL,
    why            TEXT NOT NULL,
    by_user_id     TEXT NOT NULL DEFAULT '',
    at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX connection_views_case ON connection_views (case_id);
CREATE INDEX connection_views_asset ON connection_views (asset_id, person_view);
