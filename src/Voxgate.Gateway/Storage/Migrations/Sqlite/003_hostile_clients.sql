-- Billing integrity and bounds against hostile clients.

-- What a settlement could not collect because the balance no longer covered it (a request whose hold was lost):
-- the charge line records what was taken, and this what was not. The balance never goes negative.
ALTER TABLE ledger ADD COLUMN uncollected_micros INTEGER NOT NULL DEFAULT 0 CHECK (uncollected_micros >= 0);

-- Requests of one account in flight at once; NULL: the server default.
ALTER TABLE accounts ADD COLUMN concurrent_requests INTEGER;

-- Settlement looks its request up here, so that a retried settlement records its usage once.
CREATE INDEX usage_by_request ON usage (request_id);

-- Refused requests (401, 402, 429, 503) are counted, not recorded one by one: one row per minute, account, key,
-- model and reason, so a flood of refusals cannot grow the database faster than its own variety. 0 and '' stand for
-- "none" (no account, no key, no model), so that the primary key identifies the row.
CREATE TABLE refusals (
    minute     INTEGER NOT NULL,                  -- Unix minutes (UTC)
    account_id INTEGER NOT NULL,
    api_key_id INTEGER NOT NULL,
    model      TEXT    NOT NULL,
    status     TEXT    NOT NULL,
    count      INTEGER NOT NULL CHECK (count > 0),
    PRIMARY KEY (minute, account_id, api_key_id, model, status)
) WITHOUT ROWID;
CREATE INDEX refusals_by_account ON refusals (account_id, minute);

-- Refusals were recorded as usage rows before; they are counted above from now on.
INSERT INTO refusals (minute, account_id, api_key_id, model, status, count)
    SELECT created_at / 60000, COALESCE(account_id, 0), COALESCE(api_key_id, 0), COALESCE(model, ''), status, COUNT(*)
    FROM usage WHERE status IN ('rate_limited', 'insufficient_credits', 'saturated')
    GROUP BY created_at / 60000, COALESCE(account_id, 0), COALESCE(api_key_id, 0), COALESCE(model, ''), status;
DELETE FROM usage WHERE status IN ('rate_limited', 'insufficient_credits', 'saturated');
