-- The foundation: organisations, users, sessions and tokens, people,
-- referrals, cases, the directory, connections, measures and the audit
-- trail. Times are TIMESTAMPTZ; dates are DATE.

-- Facts about this database itself, such as that it holds a demo city.
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    parent_id   TEXT REFERENCES organisations (id),
    code        TEXT NOT NULL DEFAULT '',
    address     TEXT NOT NULL DEFAULT '',
    postcode    TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    UNIQUE (kind, name)
);
CREATE INDEX organisations_name ON organisations (name);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    org_id         TEXT NOT NULL REFERENCES organisations (id),
    email          TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    age_min        INTEGER NOT NULL DEFAULT 0,
    age_max        INTEGER NOT NULL DEFAULT 0,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    last_login     TIMESTAMPTZ
);
CREATE INDEX users_org_role ON users (org_id, role);

CREATE TABLE sessions (
    id          TEXT PRIMARY KEY, -- SHA-256 of the token
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    last_seen   TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    user_agent  TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id          TEXT PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    last_used   TIMESTAMPTZ,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE people (
    id                    TEXT PRIMARY KEY,
    service_org_id        TEXT NOT NULL REFERENCES organisations (id),
    given_name            TEXT NOT NULL,
    family_name           TEXT NOT NULL DEFAULT '',
    preferred_name        TEXT NOT NULL DEFAULT '',
    pronouns              TEXT NOT NULL DEFAULT '',
    date_of_birth         DATE,
    gender                TEXT NOT NULL DEFAULT '',
    ethnicity             TEXT NOT NULL DEFAULT '',
    address               TEXT NOT NULL DEFAULT '',
    postcode              TEXT NOT NULL DEFAULT '',
    phone                 TEXT NOT NULL DEFAULT '',
    email                 TEXT NOT NULL DEFAULT '',
    contact_channels      TEXT NOT NULL DEFAULT '',
    safe_to_leave_message BOOLEAN NOT NULL DEFAULT FALSE,
    contact_via           TEXT NOT NULL DEFAULT '',
    best_times            TEXT NOT NULL DEFAULT '',
    contact_notes         TEXT NOT NULL DEFAULT '',
    school_or_work        TEXT NOT NULL DEFAULT '',
    languages             TEXT NOT NULL DEFAULT '',
    needs_interpreter     BOOLEAN NOT NULL DEFAULT FALSE,
    accessibility_needs   TEXT NOT NULL DEFAULT '',
    competent             BOOLEAN,
    competence_reasoning  TEXT NOT NULL DEFAULT '',
    competence_by         TEXT NOT NULL DEFAULT '',
    competence_at         TIMESTAMPTZ,
    version               INTEGER NOT NULL DEFAULT 1,
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX people_service_name ON people (service_org_id, family_name, given_name);
CREATE INDEX people_dob ON people (date_of_birth);

CREATE TABLE guardians (
    id                          TEXT PRIMARY KEY,
    person_id                   TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    position                    INTEGER NOT NULL,
    name                        TEXT NOT NULL,
    relationship                TEXT NOT NULL DEFAULT '',
    phone                       TEXT NOT NULL DEFAULT '',
    email                       TEXT NOT NULL DEFAULT '',
    has_parental_responsibility BOOLEAN NOT NULL DEFAULT FALSE,
    involvement                 TEXT NOT NULL DEFAULT ''
);
CREATE INDEX guardians_person ON guardians (person_id, position);

CREATE TABLE consents (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    given        BOOLEAN NOT NULL,
    given_by     TEXT NOT NULL DEFAULT '',
    recorded_at  TIMESTAMPTZ NOT NULL,
    recorded_by  TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX consents_person ON consents (person_id, recorded_at);

CREATE TABLE referrals (
    id                     TEXT PRIMARY KEY,
    service_org_id         TEXT NOT NULL REFERENCES organisations (id),
    person_id              TEXT NOT NULL REFERENCES people (id),
    pathway                TEXT NOT NULL,
    mode                   TEXT NOT NULL,
    referrer_org_id        TEXT REFERENCES organisations (id),
    referrer_user_id       TEXT REFERENCES users (id),
    referrer_name          TEXT NOT NULL DEFAULT '',
    referrer_role          TEXT NOT NULL DEFAULT '',
    referrer_contact       TEXT NOT NULL DEFAULT '',
    reasons                TEXT NOT NULL DEFAULT '',
    what_they_want         TEXT NOT NULL DEFAULT '',
    risks                  TEXT NOT NULL DEFAULT '',
    year_group             TEXT NOT NULL DEFAULT '',
    person_aware           BOOLEAN NOT NULL DEFAULT FALSE,
    consent_referral       BOOLEAN NOT NULL DEFAULT FALSE,
    consent_sharing        BOOLEAN NOT NULL DEFAULT FALSE,
    possible_duplicate_of  TEXT REFERENCES people (id),
    status                 TEXT NOT NULL,
    streetlight            TEXT NOT NULL DEFAULT '',
    status_reason          TEXT NOT NULL DEFAULT '',
    onward_destination     TEXT NOT NULL DEFAULT '',
    defer_until            DATE,
    case_id                TEXT,
    received_at            TIMESTAMPTZ NOT NULL,
    decided_at             TIMESTAMPTZ,
    version                INTEGER NOT NULL DEFAULT 1,
    updated_at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX referrals_service_status ON referrals (service_org_id, status, received_at);
CREATE INDEX referrals_service_received ON referrals (service_org_id, received_at);
CREATE INDEX referrals_referrer ON referrals (referrer_org_id, received_at);
CREATE INDEX referrals_person ON referrals (person_id);

CREATE TABLE referral_transitions (
    referral_id  TEXT NOT NULL REFERENCES referrals (id) ON DELETE CASCADE,
    seq          INTEGER NOT NULL,
    from_status  TEXT NOT NULL,
    to_status    TEXT NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    by_id        TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (referral_id, seq)
);

CREATE TABLE cases (
    id                TEXT PRIMARY KEY,
    person_id         TEXT NOT NULL REFERENCES people (id),
    referral_id       TEXT NOT NULL REFERENCES referrals (id),
    service_org_id    TEXT NOT NULL REFERENCES organisations (id),
    link_worker_id    TEXT REFERENCES users (id),
    status            TEXT NOT NULL,
    planned_sessions  INTEGER NOT NULL DEFAULT 0,
    what_matters      TEXT NOT NULL DEFAULT '',
    needs             TEXT NOT NULL DEFAULT '',
    plan              TEXT NOT NULL DEFAULT '',
    closure_reason    TEXT NOT NULL DEFAULT '',
    closure_note      TEXT NOT NULL DEFAULT '',
    outcome_summary   TEXT NOT NULL DEFAULT '',
    opened_at         TIMESTAMPTZ NOT NULL,
    allocated_at      TIMESTAMPTZ,
    closed_at         TIMESTAMPTZ,
    follow_up_on      DATE,
    version           INTEGER NOT NULL DEFAULT 1,
    updated_at        TIMESTAMPTZ NOT NULL
);
CREATE INDEX cases_service_status ON cases (service_org_id, status, opened_at);
CREATE INDEX cases_worker_status ON cases (link_worker_id, status);
CREATE INDEX cases_person ON cases (person_id);
CREATE UNIQUE INDEX cases_referral ON cases (referral_id);

CREATE TABLE goals (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    text        TEXT NOT NULL,
    achieved    BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX goals_case ON goals (case_id, created_at);

CREATE TABLE contacts (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at             TIMESTAMPTZ NOT NULL,
    mode           TEXT NOT NULL,
    location_type  TEXT NOT NULL DEFAULT '',
    outcome        TEXT NOT NULL,
    minutes        INTEGER NOT NULL DEFAULT 0,
    notes          TEXT NOT NULL DEFAULT '',
    by_user_id     TEXT NOT NULL DEFAULT '',
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX contacts_case ON contacts (case_id, at);
CREATE INDEX contacts_by_at ON contacts (by_user_id, at);

CREATE TABLE assets (
    id              TEXT PRIMARY KEY,
    org_id          TEXT REFERENCES organisations (id),
    name            TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL DEFAULT '',
    email           TEXT NOT NULL DEFAULT '',
    phone           TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    how_to_join     TEXT NOT NULL,
    capacity        TEXT NOT NULL,
    min_age         INTEGER NOT NULL DEFAULT 0,
    max_age         INTEGER NOT NULL DEFAULT 0,
    free            BOOLEAN NOT NULL DEFAULT FALSE,
    cost_note       TEXT NOT NULL DEFAULT '',
    online          BOOLEAN NOT NULL DEFAULT FALSE,
    location_name   TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    town            TEXT NOT NULL DEFAULT '',
    postcode        TEXT NOT NULL DEFAULT '',
    lat             DOUBLE PRECISION NOT NULL DEFAULT 0,
    lon             DOUBLE PRECISION NOT NULL DEFAULT 0,
    accessibility   TEXT NOT NULL DEFAULT '',
    languages       TEXT NOT NULL DEFAULT '',
    youth_friendly  BOOLEAN NOT NULL DEFAULT FALSE,
    buddy_welcome   BOOLEAN NOT NULL DEFAULT FALSE,
    assured_at      TIMESTAMPTZ,
    assured_by      TEXT NOT NULL DEFAULT '',
    verify_by       DATE,
    version         INTEGER NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX assets_org ON assets (org_id);
CREATE INDEX assets_verify_by ON assets (verify_by);
CREATE INDEX assets_name ON assets (name);

CREATE TABLE asset_categories (
    asset_id  TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    category  TEXT NOT NULL,
    PRIMARY KEY (asset_id, category)
);
CREATE INDEX asset_categories_category ON asset_categories (category, asset_id);

CREATE TABLE asset_schedules (
    asset_id   TEXT NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    freq       TEXT NOT NULL DEFAULT '',
    by_day     TEXT NOT NULL DEFAULT '',
    opens_at   TEXT NOT NULL DEFAULT '',
    closes_at  TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (asset_id, position)
);

CREATE TABLE connections (
    id          TEXT PRIMARY KEY,
    case_id     TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    person_id   TEXT NOT NULL REFERENCES people (id),
    asset_id    TEXT NOT NULL REFERENCES assets (id),
    level       TEXT NOT NULL,
    status      TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    fund_pence  INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX connections_case ON connections (case_id);
CREATE INDEX connections_asset_status ON connections (asset_id, status);
CREATE INDEX connections_person ON connections (person_id);

CREATE TABLE measures (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people (id),
    case_id      TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    instrument   TEXT NOT NULL,
    timepoint    TEXT NOT NULL,
    answers      TEXT NOT NULL, -- JSON array of integers
    goal_ids     TEXT NOT NULL DEFAULT '', -- comma-separated, for GBO
    score        DOUBLE PRECISION,
    completed_by TEXT NOT NULL DEFAULT '',
    at           TIMESTAMPTZ NOT NULL,
    created_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX measures_case ON measures (case_id, at);
CREATE INDEX measures_instrument ON measures (instrument, timepoint);

CREATE TABLE audit_events (
    seq           BIGINT PRIMARY KEY,
    at            TIMESTAMPTZ NOT NULL,
    actor_id      TEXT NOT NULL,
    actor_role    TEXT NOT NULL DEFAULT '',
    actor_org_id  TEXT NOT NULL DEFAULT '',
    action        TEXT NOT NULL,
    record_type   TEXT NOT NULL DEFAULT '',
    record_id     TEXT NOT NULL DEFAULT '',
    purpose       TEXT NOT NULL DEFAULT '',
    detail        TEXT NOT NULL DEFAULT '',
    prev_hash     TEXT NOT NULL,
    hash          TEXT NOT NULL
);
CREATE INDEX audit_events_record ON audit_events (record_type, record_id);
CREATE INDEX audit_events_actor ON audit_events (actor_id, seq);

-- The head of the chain: one row, updated under the writer lock, so that
-- every event links to the one before it.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');

CREATE FUNCTION audit_events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
