-- Several nodes on one database (PostgreSQL; SQLite keeps one server, but the schemas stay alike).

-- The node that took a hold: started again after a crash, it releases the holds of the requests it was serving.
ALTER TABLE holds ADD COLUMN node TEXT NOT NULL DEFAULT '';

-- Secrets every node must share when none is configured (the master key behind provider-key sealing and signed
-- download links). SQLite keeps its master key in <data>/master.key; this table is for a database copied from one.
CREATE TABLE secrets (
    name       TEXT    PRIMARY KEY,
    value      BLOB    NOT NULL,
    created_at INTEGER NOT NULL
);
