-- Casework: messages to the people the service supports.
--
-- A person may agree to reminders of booked sessions; the column holds
-- that agreement. person_messages is the outbox of messages to people
-- (allocation, hand-over, reminders, "my plan"): by text or email through
-- GOV.UK Notify or SMTP, or a letter to print. Every message is visible on
-- the person's case; a failed send is tried again and never blocks the
-- work that queued it. A reminder waits until send_after.

ALTER TABLE people ADD COLUMN reminders BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE person_messages (
    id           TEXT PRIMARY KEY,
    person_id    TEXT NOT NULL REFERENCES people (id),
    case_id      TEXT REFERENCES cases (id),
    kind         TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('text', 'email', 'letter')),
    to_address   TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL,
    send_after   TIMESTAMPTZ NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    sent_at      TIMESTAMPTZ,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    provider_id  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX person_messages_case ON person_messages (case_id, created_at);
-- The dispatcher's round: unsent messages whose time has come.
CREATE INDEX person_messages_pending ON person_messages (send_after) WHERE sent_at IS NULL;

-- A contact is an attempt to reach the person (call, text, letter, email,
-- through someone) or a session with them; a session booked ahead has the
-- outcome 'booked' until it is recorded.
ALTER TABLE contacts ADD COLUMN kind TEXT NOT NULL DEFAULT 'session';

-- Complexity (1 to 3, set by a coordinator) weights a case in its link
-- worker's caseload. A person who comes back opens a new case linked to
-- their last (previous_case_id). followed_up_at records the follow-up
-- contact after closing.
ALTER TABLE cases ADD COLUMN complexity INTEGER NOT NULL DEFAULT 1;
ALTER TABLE cases ADD COLUMN previous_case_id TEXT REFERENCES cases (id);
ALTER TABLE cases ADD COLUMN followed_up_at TIMESTAMPTZ;

-- Reviews at the service's review points: have they engaged, what was
-- decided.
CREATE TABLE case_reviews (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    at               TIMESTAMPTZ NOT NULL,
    sessions         INTEGER NOT NULL DEFAULT 0,
    engaged          TEXT NOT NULL,
    why_not          TEXT NOT NULL DEFAULT '',
    notes            TEXT NOT NULL DEFAULT '',
    decision         TEXT NOT NULL,
    by_user_id       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_reviews_case ON case_reviews (case_id, at);
-- Follow-ups due: closed cases with a follow-up date not yet made.
CREATE INDEX cases_follow_up ON cases (link_worker_id, follow_up_on) WHERE status = 'closed' AND followed_up_at IS NULL;
