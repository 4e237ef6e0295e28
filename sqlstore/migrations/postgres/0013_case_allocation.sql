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

-- Waiting well: check-ins with the people on the waiting list. Whether
-- they were reached, whether they still want support, what has changed,
-- and the safety questions asked again; flagged holds what re-screening
-- found (as referrals.risk_matched), which flags the referral again.
CREATE TABLE waiting_checks (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    contacted      BOOLEAN NOT NULL,
    still_wants    TEXT NOT NULL DEFAULT '',
    changed        TEXT NOT NULL DEFAULT '',
    safe_now       TEXT NOT NULL DEFAULT '',
    harm_thoughts  TEXT NOT NULL DEFAULT '',
    flagged        TEXT NOT NULL DEFAULT '',
    by_user_id     TEXT NOT NULL,
    at             TIMESTAMPTZ NOT NULL
);
CREATE INDEX waiting_checks_case ON waiting_checks (case_id, at);
-- The accepted referrals flagged again while their person waits, for the
-- top of triage.
CREATE INDEX referrals_flagged_accepted ON referrals (service_org_id, received_at)
    WHERE risk_state = 'review_today' AND status = 'accepted';
