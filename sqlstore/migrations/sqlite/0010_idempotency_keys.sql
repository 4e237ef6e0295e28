-- Idempotency keys of the JSON API's creating requests.
--
-- A client sends Idempotency-Key with a POST that creates something; the
-- first request with a key claims it (state 'running'), and its answer is
-- kept (state 'done') so that the same request sent again gets the same
-- answer and creates nothing more. A key belongs to its caller ('user:ID'
-- when signed in, 'address:IP' for the public form) and to its method and
-- path. Keys are forgotten at expires_at (a day after the claim) by a
-- background job. A claim whose server stopped before answering is given
-- up at locked_until. An answer holding a secret (a new API token) keeps
-- no body: secret is set and it is never replayed.

CREATE TABLE idempotency_keys (
    caller        TEXT NOT NULL,
    route         TEXT NOT NULL,
    idem_key      TEXT NOT NULL,
    body_hash     TEXT NOT NULL,
    state         TEXT NOT NULL CHECK (state IN ('running', 'done')),
    status        INTEGER NOT NULL DEFAULT 0,
    location      TEXT NOT NULL DEFAULT '',
    content_type  TEXT NOT NULL DEFAULT '',
    body          TEXT NOT NULL DEFAULT '',
    secret        BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    TIMESTAMP NOT NULL,
    locked_until  TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, route, idem_key)
);
CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
