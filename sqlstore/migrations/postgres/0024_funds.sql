-- A service's funds: a budget for a period, paying towards what people
-- need to take part (fees, travel, kit). spent_pence is what approved
-- requests have taken, kept in the same transaction as each approval by
-- an update that only succeeds while it stays within the budget; the
-- CHECK is the last word, so that no fund is ever overspent however the
-- requests arrive.
CREATE TABLE funds (
    id               TEXT PRIMARY KEY,
    service_org_id   TEXT NOT NULL REFERENCES organisations (id),
    name             TEXT NOT NULL,
    purpose          TEXT NOT NULL DEFAULT '',
    min_age          INTEGER NOT NULL DEFAULT 0,
    max_age          INTEGER NOT NULL DEFAULT 0,
    budget_pence     INTEGER NOT NULL,
    spent_pence      INTEGER NOT NULL DEFAULT 0,
    threshold_pence  INTEGER NOT NULL DEFAULT 0,
    starts_on        DATE NOT NULL,
    ends_on          DATE NOT NULL,
    created_by       TEXT NOT NULL DEFAULT '',
    created_at       TIMESTAMPTZ NOT NULL,
    CHECK (budget_pence > 0 AND spent_pence >= 0 AND spent_pence <= budget_pence)
);
CREATE INDEX funds_service ON funds (service_org_id, ends_on);

-- Requests to a fund to pay towards a connection: paid at once up to the
-- fund's threshold, otherwise waiting for a coordinator's decision. They
-- are money's record, so nothing they refer to is deleted from under
-- them. The person is the connection's (which follows a merged
-- duplicate); the case is kept for the link worker's scope and the case
-- page.
CREATE TABLE fund_requests (
    id              TEXT PRIMARY KEY,
    fund_id         TEXT NOT NULL REFERENCES funds (id),
    service_org_id  TEXT NOT NULL REFERENCES organisations (id),
    case_id         TEXT NOT NULL REFERENCES cases (id),
    connection_id   TEXT NOT NULL REFERENCES connections (id),
    category        TEXT NOT NULL,
    amount_pence    INTEGER NOT NULL CHECK (amount_pence > 0),
    note            TEXT NOT NULL,
    status          TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    requested_by    TEXT NOT NULL DEFAULT '',
    requested_at    TIMESTAMPTZ NOT NULL,
    decided_by      TEXT NOT NULL DEFAULT '',
    decided_at      TIMESTAMPTZ
);
CREATE INDEX fund_requests_case ON fund_requests (case_id, requested_at);
CREATE INDEX fund_requests_service ON fund_requests (service_org_id, status, requested_at);
CREATE INDEX fund_requests_fund ON fund_requests (fund_id, status);
