-- Custom voices (cloned and designed) and OpenAI's consent recordings, each an account's own. A deleted or expired
-- voice keeps its row (deleted_at set) so that its id is never given out again, as MiniMax does.
CREATE TABLE voices (
    account_id        INTEGER NOT NULL REFERENCES accounts (id),
    id                TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('cloned', 'designed')),
    name              TEXT    NOT NULL,
    created_at        INTEGER NOT NULL,
    last_used_at      INTEGER NOT NULL,
    reference_file_id INTEGER,
    transcript        TEXT,
    base_voice        TEXT,
    controls          TEXT,
    upstream          TEXT,
    upstream_voice_id TEXT,
    deleted_at        INTEGER,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX voices_by_last_use ON voices (deleted_at, last_used_at);
CREATE INDEX voices_by_upstream ON voices (upstream, upstream_voice_id);

CREATE TABLE voice_consents (
    account_id        INTEGER NOT NULL REFERENCES accounts (id),
    id                TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    language          TEXT    NOT NULL,
    recording_file_id INTEGER NOT NULL,
    created_at        INTEGER NOT NULL,
    PRIMARY KEY (account_id, id)
);
