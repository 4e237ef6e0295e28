-- Supervision, training and the team's load.
--
-- A case note (a contact's notes) may be marked to discuss at
-- supervision: it stays on its worker's agenda until a supervision that
-- discusses its case is logged after it.
ALTER TABLE contacts ADD COLUMN discuss_at_supervision BOOLEAN NOT NULL DEFAULT FALSE;

-- A supervision session: its private note is for those in it alone
-- (supervision_people), supervisor and workers.
CREATE TABLE supervisions (
    id              TEXT PRIMARY KEY,
    service_org_id  TEXT NOT NULL REFERENCES organisations (id),
    kind            TEXT NOT NULL,
    held_on         TEXT NOT NULL,
    supervisor_id   TEXT NOT NULL REFERENCES users (id),
    note            TEXT NOT NULL DEFAULT '',
    by_user_id      TEXT NOT NULL REFERENCES users (id),
    created_at      TIMESTAMP NOT NULL
);

-- Who took part, as supervisor or worker, with the day it was held: a
-- person's own supervisions newest first, and each worker's last, are
-- read from this index.
CREATE TABLE supervision_people (
    supervision_id  TEXT NOT NULL REFERENCES supervisions (id),
    user_id         TEXT NOT NULL REFERENCES users (id),
    part            TEXT NOT NULL,
    held_on         TEXT NOT NULL,
    PRIMARY KEY (supervision_id, user_id)
);
CREATE INDEX supervision_people_user ON supervision_people (user_id, part, held_on);

-- The cases a supervision discussed, with when it was logged: a note
-- marked to discuss leaves the agenda once its case is discussed later.
CREATE TABLE supervision_cases (
    supervision_id  TEXT NOT NULL REFERENCES supervisions (id),
    case_id         TEXT NOT NULL REFERENCES cases (id),
    logged_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (supervision_id, case_id)
);
CREATE INDEX supervision_cases_case ON supervision_cases (case_id, logged_at);

-- Each link worker's supervision target, set by a coordinator: how often
-- (0: the service's default) and by whom (none: the coordinators).
CREATE TABLE supervision_targets (
    worker_id       TEXT PRIMARY KEY REFERENCES users (id),
    service_org_id  TEXT NOT NULL REFERENCES organisations (id),
    supervisor_id   TEXT REFERENCES users (id),
    every_days      INTEGER NOT NULL DEFAULT 0,
    by_user_id      TEXT NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX supervision_targets_supervisor ON supervision_targets (supervisor_id);

-- Courses the service's workers completed, and when each is renewed.
CREATE TABLE training_records (
    id              TEXT PRIMARY KEY,
    service_org_id  TEXT NOT NULL REFERENCES organisations (id),
    worker_id       TEXT NOT NULL REFERENCES users (id),
    course          TEXT NOT NULL,
    course_name     TEXT NOT NULL DEFAULT '',
    completed_on    TEXT NOT NULL,
    renew_by        TEXT,
    by_user_id      TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL
);
CREATE INDEX training_records_worker ON training_records (worker_id, course, completed_on);
CREATE INDEX training_records_service ON training_records (service_org_id, renew_by);
