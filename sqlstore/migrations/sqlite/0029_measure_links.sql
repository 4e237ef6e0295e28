-- One-time links for a person to answer an outcome measure on their own
-- phone. The link is its own outbox, like the links groups answer
-- through: it goes by email or text to the person's chosen contact
-- (to_address) and is tried again like the messages to people. Only the
-- token's hash is kept once the link has gone (token is emptied when it
-- is sent). A link works once (used_at, with the response it recorded in
-- measure_id), until expires_at, and not once a newer link for the same
-- measure and timepoint on the case replaced it (withdrawn_at).
CREATE TABLE measure_links (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    instrument   TEXT NOT NULL CHECK (instrument IN ('ons4', 'wemwbs', 'swemwbs', 'gbo', 'ucla3')),
    timepoint    TEXT NOT NULL CHECK (timepoint IN ('baseline', 'review', 'end', 'follow_up')),
    channel      TEXT NOT NULL CHECK (channel IN ('email', 'text')),
    to_address   TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    token        TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    sent_by      TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    send_after   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    sent_at      TIMESTAMP,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    provider_id  TEXT NOT NULL DEFAULT '',
    used_at      TIMESTAMP,
    withdrawn_at TIMESTAMP,
    measure_id   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX measure_links_case ON measure_links (case_id, created_at);
-- The dispatcher's round: links not yet sent whose time has come.
CREATE INDEX measure_links_pending ON measure_links (send_after) WHERE sent_at IS NULL;
