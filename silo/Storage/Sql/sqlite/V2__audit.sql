-- Audit log: who changed what, and when. Append-only.
CREATE TABLE IF NOT EXISTS dispatch_audit (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    at      TEXT    NOT NULL,
    actor   TEXT    NOT NULL,
    role    TEXT    NOT NULL,
    action  TEXT    NOT NULL,
    target  TEXT    NOT NULL,
    status  INTEGER NOT NULL,
    detail  TEXT    NULL
);
CREATE INDEX IF NOT EXISTS ix_dispatch_audit_at ON dispatch_audit (at);
