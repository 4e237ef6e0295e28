-- Every change of a connection's status, dated and by whom: its creation
-- (from no status to suggested), each move, and the reason a connection
-- ended (a decline's code, or a drop's reason in words).
CREATE TABLE connection_moves (
    id             TEXT PRIMARY KEY,
    connection_id  TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    case_id        TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    from_status    TEXT NOT NULL DEFAULT '',
    to_status      TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    by_user_id     TEXT NOT NULL DEFAULT '',
    at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX connection_moves_case ON connection_moves (case_id, at);
