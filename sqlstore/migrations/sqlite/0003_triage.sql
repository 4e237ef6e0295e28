-- Triage: each service's settings (eligibility and streetlight criteria,
-- kept as one JSON document), the notification outbox, the person's GP
-- practice on a referral, and when a deferred referral came back.

CREATE TABLE service_settings (
    service_org_id  TEXT PRIMARY KEY REFERENCES organisations (id),
    settings        TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      TIMESTAMP NOT NULL,
    updated_by      TEXT NOT NULL DEFAULT ''
);

ALTER TABLE referrals ADD COLUMN gp_practice_org_id TEXT REFERENCES organisations (id);
ALTER TABLE referrals ADD COLUMN returned_at TIMESTAMP;
-- A referrer's own referrals ("my referrals"), newest first.
CREATE INDEX referrals_referrer_user ON referrals (referrer_user_id, received_at);
-- Allocations from the waiting list over recent weeks: the throughput the
-- expected wait is computed from.
CREATE INDEX cases_service_allocated ON cases (service_org_id, allocated_at);
-- The triage queue: the referrals still awaiting a decision, a few tens of
-- thousands of a service's million at most. Partial, so it stays small.
-- Its order lets the first page stop after a page of rows, where the
-- service's whole history would otherwise be read from the oldest; its
-- other columns answer the queue's counts, in either order, from the index
-- alone. The queue names the statuses as literals so that both planners
-- can prove it applies.
CREATE INDEX referrals_open ON referrals (service_org_id, received_at, id, status, defer_until, streetlight, returned_at)
    WHERE status IN ('received', 'triage', 'deferred');
-- The queue's age bands match referrals to the people born in a range:
-- with the id in the date-of-birth index that needs no read of the
-- people themselves. It serves every lookup the old index did.
DROP INDEX people_dob;
CREATE INDEX people_dob_id ON people (date_of_birth, id);

-- The outbox. A notification is written in the same transaction as the
-- change it reports; a background job emails those with an address.
CREATE TABLE notifications (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    user_id      TEXT REFERENCES users (id),
    org_id       TEXT REFERENCES organisations (id),
    email        TEXT NOT NULL DEFAULT '',
    subject      TEXT NOT NULL,
    body         TEXT NOT NULL,
    link         TEXT NOT NULL DEFAULT '',
    referral_id  TEXT REFERENCES referrals (id),
    created_at   TIMESTAMP NOT NULL,
    read_at      TIMESTAMP,
    sent_at      TIMESTAMP,
    attempts     INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);
CREATE INDEX notifications_org ON notifications (org_id, created_at);
CREATE INDEX notifications_pending ON notifications (sent_at, attempts, created_at);
