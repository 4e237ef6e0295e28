-- Allocation: cases passing between link workers.
--
-- A coordinator hands a case (or a leaving worker's whole caseload) to
-- another link worker with a note; each hand-over is kept, and shown on
-- the case.

CREATE TABLE case_handovers (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    from_worker_id  TEXT REFERENCES users (id),
    to_worker_id    TEXT NOT NULL REFERENCES users (id),
    note            TEXT NOT NULL DEFAULT '',
    by_user_id      TEXT NOT NULL,
    at              TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_handovers_case ON case_handovers (case_id, at);
