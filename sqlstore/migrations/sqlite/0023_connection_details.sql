-- Each time a person is given the details of the activity a connection
-- suggests: sent (the message in the outbox) or handed over in a session.
-- case_id is kept so that a case page and a caseload read them by index.
CREATE TABLE connection_details (
    id             TEXT PRIMARY KEY,
    connection_id  TEXT NOT NULL REFERENCES connections (id) ON DELETE CASCADE,
    case_id        TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    way            TEXT NOT NULL,
    message_id     TEXT NOT NULL DEFAULT '',
    by_user_id     TEXT NOT NULL DEFAULT '',
    at             TIMESTAMP NOT NULL
);
CREATE INDEX connection_details_case ON connection_details (case_id, at);
