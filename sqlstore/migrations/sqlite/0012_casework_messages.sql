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
    send_after   TIMESTAMP NOT NULL,
    created_at   TIMESTAMP NOT NULL,
    sent_at      TIMESTAMP,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    provider_id  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX person_messages_case ON person_messages (case_id, created_at);
-- The dispatcher's round: unsent messages whose time has come.
CREATE INDEX person_messages_pending ON person_messages (send_after) WHERE sent_at IS NULL;
