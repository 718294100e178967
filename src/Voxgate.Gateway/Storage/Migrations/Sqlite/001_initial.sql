-- Accounts, API keys, the wallet ledger, holds, usage and BYOK provider keys.
-- Money is integer micro-dollars throughout. Times are Unix milliseconds (UTC).

CREATE TABLE accounts (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT    NOT NULL UNIQUE,
    requests_per_minute   INTEGER,                 -- NULL: the server default
    characters_per_minute INTEGER,                 -- NULL: the server default
    balance_micros        INTEGER NOT NULL DEFAULT 0 CHECK (balance_micros >= 0), -- always SUM(ledger.amount_micros)
    created_at            INTEGER NOT NULL
);

CREATE TABLE api_keys (
    id                    INTEGER PRIMARY KEY,
    account_id            INTEGER NOT NULL REFERENCES accounts (id),
    name                  TEXT,
    prefix                TEXT    NOT NULL,        -- the first characters of the key, for look-up and listings
    hash                  BLOB    NOT NULL,        -- SHA-256 of the whole key; the key itself is never stored
    scopes                TEXT    NOT NULL,        -- space-separated: speech, admin
    requests_per_minute   INTEGER,                 -- NULL: the account's
    characters_per_minute INTEGER,                 -- NULL: the account's
    created_at            INTEGER NOT NULL,
    revoked_at            INTEGER
);
CREATE INDEX api_keys_by_prefix ON api_keys (prefix);

CREATE TABLE ledger (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    kind          TEXT    NOT NULL CHECK (kind IN ('topup', 'fee', 'charge')),
    amount_micros INTEGER NOT NULL,
    request_id    TEXT,
    note          TEXT,
    created_at    INTEGER NOT NULL
);
CREATE INDEX ledger_by_account ON ledger (account_id, id);
-- One charge per request, whatever retries or races happen around settlement.
CREATE UNIQUE INDEX ledger_one_charge_per_request ON ledger (request_id) WHERE kind = 'charge';
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END;

-- Money set aside for requests in flight; a hold is not a ledger line, it only lowers what may be spent.
CREATE TABLE holds (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts (id),
    amount_micros INTEGER NOT NULL CHECK (amount_micros >= 0),
    request_id    TEXT    NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
);
CREATE INDEX holds_by_account ON holds (account_id, expires_at);

CREATE TABLE usage (
    id          INTEGER PRIMARY KEY,
    request_id  TEXT    NOT NULL,
    account_id  INTEGER,                          -- NULL for unauthenticated local use (VOXGATE_AUTH=off)
    api_key_id  INTEGER,
    model       TEXT,
    characters  INTEGER NOT NULL,
    cost_micros INTEGER NOT NULL,
    byok        INTEGER NOT NULL,
    status      TEXT    NOT NULL,
    latency_ms  INTEGER NOT NULL,
    created_at  INTEGER NOT NULL
);
CREATE INDEX usage_by_account ON usage (account_id, created_at);
CREATE INDEX usage_by_time ON usage (created_at);

CREATE TABLE provider_keys (
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    provider   TEXT    NOT NULL,
    sealed     BLOB    NOT NULL,                  -- AES-256-GCM: nonce, ciphertext, tag
    hint       TEXT    NOT NULL,                  -- the last four characters, to tell keys apart
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, provider)
);
