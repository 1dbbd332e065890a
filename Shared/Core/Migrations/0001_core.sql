-- Core schema: what every service shares. Later features add their tables in later files.
-- Every row that belongs to an organization carries org_id, and every query filters by it.

CREATE TABLE IF NOT EXISTS audit_log (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id        uuid        NOT NULL,
    actor         text        NOT NULL,           -- the token's subject, or a service name
    action        text        NOT NULL,           -- e.g. connection.created
    resource_type text        NOT NULL,
    resource_id   text,
    details       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    request_id    text,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS audit_log_org_created_idx ON audit_log (org_id, created_at DESC);
