-- Knowing the person: what the service knows around a person's record.
--
-- person_versions keeps a snapshot of the record (JSON) with each saved
-- change: who made it, when, and what kind of change it was.
CREATE TABLE person_versions (
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    what        TEXT NOT NULL DEFAULT 'record',
    snapshot    TEXT NOT NULL,
    by_user_id  TEXT NOT NULL DEFAULT '',
    at          TIMESTAMP NOT NULL,
    PRIMARY KEY (person_id, version)
);

-- Needs across coded domains, each with the person's own words.
CREATE TABLE case_needs (
    case_id   TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    domain    TEXT NOT NULL,
    words     TEXT NOT NULL DEFAULT '',
    position  INTEGER NOT NULL,
    PRIMARY KEY (case_id, domain)
);

-- The team around the person: other professionals and agencies.
CREATE TABLE professionals (
    id                TEXT PRIMARY KEY,
    person_id         TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role              TEXT NOT NULL,
    name              TEXT NOT NULL DEFAULT '',
    organisation      TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    email             TEXT NOT NULL DEFAULT '',
    consent_to_share  BOOLEAN NOT NULL DEFAULT FALSE,
    notes             TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX professionals_person ON professionals (person_id, created_at);

-- Capacity (Gillick competence) decisions: the latest is also on the
-- person's row; these are the history.
CREATE TABLE competence_decisions (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    competent   BOOLEAN NOT NULL,
    decided_on  TEXT NOT NULL,
    reasoning   TEXT NOT NULL,
    by_user_id  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX competence_decisions_person ON competence_decisions (person_id, created_at);

-- Where the young person and a parent or carer want different things,
-- and what was agreed.
CREATE TABLE person_differences (
    id          TEXT PRIMARY KEY,
    person_id   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    on_date     TEXT NOT NULL,
    differs     TEXT NOT NULL,
    agreed      TEXT NOT NULL,
    by_user_id  TEXT NOT NULL DEFAULT '',
    created_at  TIMESTAMP NOT NULL
);
CREATE INDEX person_differences_person ON person_differences (person_id, created_at);
