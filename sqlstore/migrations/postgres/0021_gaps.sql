-- Unmet needs: what a person wanted that nothing in the directory gave
-- them, and what was missing. No one's identity: the person's age band and
-- postcode district as they were when it was logged. The case it came from
-- is kept without a reference, so that the evidence outlives the case.
CREATE TABLE gaps (
    id              TEXT PRIMARY KEY,
    service_org_id  TEXT NOT NULL REFERENCES organisations (id),
    case_id         TEXT NOT NULL DEFAULT '',
    category        TEXT NOT NULL,
    wanted          TEXT NOT NULL,
    missing         TEXT NOT NULL,
    age_band        TEXT NOT NULL DEFAULT '',
    district        TEXT NOT NULL DEFAULT '',
    by_user_id      TEXT NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX gaps_service ON gaps (service_org_id, created_at);
