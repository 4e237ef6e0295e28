-- Safeguarding concerns, raised on a case or a referral. referral_id is
-- always set (a case's concern is on its referral too), so that a concern
-- raised before a case was opened follows the referral to it, and the
-- person is the referral's (which follows a merged duplicate). case_id is
-- the case it was raised on, if any.
CREATE TABLE concerns (
    id                TEXT PRIMARY KEY,
    service_org_id    TEXT NOT NULL REFERENCES organisations (id),
    referral_id       TEXT NOT NULL REFERENCES referrals (id),
    case_id           TEXT REFERENCES cases (id),
    category          TEXT NOT NULL,
    description       TEXT NOT NULL,
    immediate_action  TEXT NOT NULL,
    safe_now          TEXT NOT NULL,
    status            TEXT NOT NULL,
    outcome           TEXT NOT NULL DEFAULT '',
    raised_by         TEXT NOT NULL,
    raised_at         TIMESTAMPTZ NOT NULL,
    closed_by         TEXT NOT NULL DEFAULT '',
    closed_at         TIMESTAMPTZ,
    version           INTEGER NOT NULL DEFAULT 1
);
-- The service's concerns, open first and newest first (the lead's list).
CREATE INDEX concerns_service_status ON concerns (service_org_id, status, raised_at);
-- The open concern on a case or referral (the flags on lists).
CREATE INDEX concerns_referral_status ON concerns (referral_id, status);
-- A link worker's own concerns.
CREATE INDEX concerns_raised_by ON concerns (raised_by, raised_at);

-- What was done about a concern: advice, onward referrals, no further
-- action (with the reason), each on its day.
CREATE TABLE concern_actions (
    id          TEXT PRIMARY KEY,
    concern_id  TEXT NOT NULL REFERENCES concerns (id),
    action      TEXT NOT NULL,
    on_date     DATE NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    by_user_id  TEXT NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX concern_actions_concern ON concern_actions (concern_id, at);

-- A case's safety plan: one per case, printed for the person.
CREATE TABLE safety_plans (
    case_id         TEXT PRIMARY KEY REFERENCES cases (id) ON DELETE CASCADE,
    warning_signs   TEXT NOT NULL DEFAULT '',
    what_helps      TEXT NOT NULL DEFAULT '',
    who_to_contact  TEXT NOT NULL DEFAULT '',
    crisis_numbers  TEXT NOT NULL DEFAULT '',
    updated_by      TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);
