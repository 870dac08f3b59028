-- The first answer to a POST /api/leads sent with an Idempotency-Key, per token, so a retry
-- gets that answer instead of creating the lead again. status 0: the first request is still
-- running. Kept for a day.
CREATE TABLE api_idempotency (
    token_id INTEGER NOT NULL REFERENCES api_tokens(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER NOT NULL DEFAULT 0,
    body TEXT,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_created ON api_idempotency(created_at);
