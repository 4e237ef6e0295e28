-- One-time links for a group without an account to answer a referral
-- (accept, or decline with a reason), say whether the person came, and
-- later whether they are still coming. The link is its own outbox: it
-- goes by email or text to the group's contact (to_address), at
-- send_after (a "still coming?" link is held back some weeks), and is
-- tried again like the messages to people. Only the token's hash is
-- kept once the link has gone (token is emptied when it is sent). A link
-- works once (used_at, with the answer), until expires_at, and not once
-- a newer link for the connection replaced it (withdrawn_at). group_name
-- is who it was sent to, for the connection's history.
CREATE TABLE connection_answer_links (
    id             TEXT PRIMARY KEY,
    connection_id  TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    case_id        TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    question       TEXT NOT NULL CHECK (question IN ('referral', 'attendance', 'still_coming')),
    channel        TEXT NOT NULL CHECK (channel IN ('email', 'text')),
    to_address     TEXT NOT NULL,
    group_name     TEXT NOT NULL,
    token_hash     TEXT NOT NULL UNIQUE,
    token          TEXT NOT NULL DEFAULT '',
    subject        TEXT NOT NULL,
    body           TEXT NOT NULL,
    sent_by        TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMP NOT NULL,
    send_after     TIMESTAMP NOT NULL,
    expires_at     TIMESTAMP NOT NULL,
    sent_at        TIMESTAMP,
    attempts       INTEGER NOT NULL DEFAULT 0,
    last_error     TEXT NOT NULL DEFAULT '',
    provider_id    TEXT NOT NULL DEFAULT '',
    used_at        TIMESTAMP,
    withdrawn_at   TIMESTAMP,
    answer         TEXT NOT NULL DEFAULT '',
    reason         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX connection_answer_links_case ON connection_answer_links (case_id, created_at);
CREATE INDEX connection_answer_links_connection ON connection_answer_links (connection_id);
-- The dispatcher's round: links not yet sent whose time has come.
CREATE INDEX connection_answer_links_pending ON connection_answer_links (send_after) WHERE sent_at IS NULL;

-- A move a group made through its link names the link (by_user_id then
-- holds the link's actor id, "answer-link:" and its id).
ALTER TABLE connection_moves ADD COLUMN by_link_id TEXT NOT NULL DEFAULT '';
