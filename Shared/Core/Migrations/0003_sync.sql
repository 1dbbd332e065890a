-- Synchronization: what to sync per connection and entity, and every job that did it. The sync
-- engine (sync-worker) fills these; connection-service reads them and disconnects stop them.

CREATE TABLE sync_configs (
    id                uuid        PRIMARY KEY,
    org_id            uuid        NOT NULL,
    connection_id     uuid        NOT NULL REFERENCES connections (id),
    entity            text        NOT NULL,
    direction         text        NOT NULL DEFAULT 'pull' CHECK (direction IN ('pull', 'push', 'bidirectional')),
    schedule          text        NOT NULL DEFAULT 'manual'
        CHECK (schedule IN ('manual', 'hourly', 'daily', 'realtime', 'interval')),
    interval_seconds  integer     CHECK (interval_seconds IS NULL OR interval_seconds >= 60),
    field_mappings    jsonb       NOT NULL DEFAULT '{}'::jsonb,
    filters           jsonb       NOT NULL DEFAULT '{}'::jsonb,
    conflict_policy   text        NOT NULL DEFAULT 'newest_wins'
        CHECK (conflict_policy IN ('remote_wins', 'local_wins', 'newest_wins')),
    enabled           boolean     NOT NULL DEFAULT true,
    next_run_at       timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (connection_id, entity),
    CHECK ((schedule = 'interval') = (interval_seconds IS NOT NULL))
);

CREATE INDEX sync_configs_due ON sync_configs (next_run_at) WHERE enabled AND next_run_at IS NOT NULL;

CREATE TABLE sync_jobs (
    id               uuid        PRIMARY KEY,
    org_id           uuid        NOT NULL,
    connection_id    uuid        NOT NULL REFERENCES connections (id),
    entity           text        NOT NULL,
    direction        text        NOT NULL CHECK (direction IN ('pull', 'push', 'bidirectional')),
    full_resync      boolean     NOT NULL DEFAULT false,
    trigger          text        NOT NULL CHECK (trigger IN ('manual', 'schedule', 'webhook')),
    status           text        NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
    status_reason    text,
    -- The provider's pagination position, saved with each page's records in one transaction.
    cursor           text,
    pages            integer     NOT NULL DEFAULT 0,
    created_count    integer     NOT NULL DEFAULT 0,
    updated_count    integer     NOT NULL DEFAULT 0,
    deleted_count    integer     NOT NULL DEFAULT 0,
    skipped_count    integer     NOT NULL DEFAULT 0,
    conflict_count   integer     NOT NULL DEFAULT 0,
    error_count      integer     NOT NULL DEFAULT 0,
    cancel_requested boolean     NOT NULL DEFAULT false,
    attempts         integer     NOT NULL DEFAULT 0,
    worker           text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    heartbeat_at     timestamptz,
    finished_at      timestamptz
);

-- One queued-or-running job per connection and entity: a second trigger finds this one.
CREATE UNIQUE INDEX sync_jobs_one_active ON sync_jobs (connection_id, entity) WHERE status IN ('queued', 'running');
CREATE INDEX sync_jobs_connection_history ON sync_jobs (connection_id, created_at DESC, id DESC);
