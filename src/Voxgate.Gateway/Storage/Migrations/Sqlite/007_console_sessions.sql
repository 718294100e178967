-- The web console's sign-in sessions (docs/console.md, Sessions). The browser holds a random token; only its SHA-256
-- is stored, so a copy of the database signs nobody in. A session belongs to the API key it was opened with
-- (api_key_id; NULL for the VOXGATE_ADMIN_KEY bootstrap key, whose SHA-256 is kept instead): the key is read again on
-- every request, so revoking it ends its sessions at the next one, on any node.
CREATE TABLE console_sessions (
    id             INTEGER PRIMARY KEY,
    token_hash     BLOB    NOT NULL UNIQUE,
    account_id     INTEGER REFERENCES accounts (id),
    api_key_id     INTEGER REFERENCES api_keys (id),
    admin_key_hash BLOB,
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL, -- sliding expiry: idle longer than the idle timeout ends it
    expires_at     INTEGER NOT NULL  -- the hard cap, however active
);
CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);

-- ASP.NET Core Data Protection's key ring (antiforgery tokens), shared by every node; each key's XML is sealed with a
-- key derived from the master key before it is stored.
CREATE TABLE data_protection_keys (
    name       TEXT    PRIMARY KEY,
    xml        TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
