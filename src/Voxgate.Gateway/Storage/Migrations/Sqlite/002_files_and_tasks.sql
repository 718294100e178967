-- Stored files (uploads, asynchronous results, synchronous outputs by URL) and the durable task queue.
-- Ids are random 16-digit integers below 2^53 (MiniMax's are int64; JavaScript reads numbers as doubles): unguessable, never sequential.

CREATE TABLE files (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id),
    purpose    TEXT    NOT NULL,
    filename   TEXT    NOT NULL,
    bytes      INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX files_by_account ON files (account_id, created_at);
CREATE INDEX files_by_expiry ON files (expires_at);

CREATE TABLE tasks (
    id               INTEGER PRIMARY KEY,
    account_id       INTEGER NOT NULL REFERENCES accounts (id),
    api_key_id       INTEGER,
    status           TEXT    NOT NULL CHECK (status IN ('queued', 'processing', 'succeeded', 'failed')),
    request          TEXT    NOT NULL,            -- the canonical speech request, as JSON
    characters       INTEGER NOT NULL,
    result_file_id   INTEGER NOT NULL,            -- reserved at creation: MiniMax returns it with the task
    segments_done    INTEGER NOT NULL DEFAULT 0,
    segments_total   INTEGER NOT NULL DEFAULT 0,
    error            TEXT,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    finished_at      INTEGER
);
CREATE INDEX tasks_to_claim ON tasks (status, lease_expires_at, created_at);
CREATE INDEX tasks_by_account ON tasks (account_id, created_at);
