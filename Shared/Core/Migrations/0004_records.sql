-- The sync engine's state: the canonical record store, where each listing stands, what a job
-- got wrong, and the events a sync produced waiting to be relayed to the event stream.

-- One provider object as the hub holds it, per organization, connection and entity, keyed by the
-- provider's id. A record created locally has no external id until a push creates it remotely.
CREATE TABLE sync_records (
    id                uuid        PRIMARY KEY,
    org_id            uuid        NOT NULL,
    connection_id     uuid        NOT NULL REFERENCES connections (id),
    entity            text        NOT NULL,
    external_id       text,
    -- The provider's object as last pulled (or as the provider answered a push).
    payload           jsonb,
    -- The mapped canonical fields (money in minor units + currency, times in UTC).
    canonical         jsonb       NOT NULL DEFAULT '{}'::jsonb,
    -- SHA-256 of the payload as stored: an unchanged pull is a skip, not an update.
    content_hash      bytea,
    remote_updated_at timestamptz,
    local_updated_at  timestamptz NOT NULL DEFAULT now(),
    deleted_at        timestamptz,
    -- The last full resync that saw the record; its sweep marks the unseen deleted.
    seen_job          uuid,
    -- A local write waiting for a push: what to do and the canonical fields it sets.
    pending_op        text        CHECK (pending_op IN ('create', 'update', 'delete')),
    pending_fields    jsonb,
    pending_since     timestamptz,
    -- Bumped by every local write, so a push clears only the write it sent.
    local_version     bigint      NOT NULL DEFAULT 0,
    pushed_at         timestamptz,
    UNIQUE (connection_id, entity, external_id)
);

CREATE INDEX sync_records_listing ON sync_records (connection_id, entity, local_updated_at, id);
CREATE INDEX sync_records_pending ON sync_records (connection_id, entity, pending_since) WHERE pending_op IS NOT NULL;

-- Where the last completed pull of a connection and entity ended: the next pull asks the
-- provider only for what changed since.
CREATE TABLE sync_checkpoints (
    connection_id  uuid        NOT NULL REFERENCES connections (id),
    entity         text        NOT NULL,
    org_id         uuid        NOT NULL,
    checkpoint     text,
    last_pull_at   timestamptz,
    last_push_at   timestamptz,
    PRIMARY KEY (connection_id, entity)
);

ALTER TABLE sync_jobs
    -- The checkpoint the job's pull started from, kept so a resumed job continues the same listing.
    ADD COLUMN since             text,
    -- When the job's id was last put on the stream (the sweep re-sends a lost one).
    ADD COLUMN published_at      timestamptz,
    ADD COLUMN pushed_count      integer NOT NULL DEFAULT 0,
    ADD COLUMN records_per_second double precision,
    ADD COLUMN error_samples     jsonb   NOT NULL DEFAULT '[]'::jsonb,
    -- The page loop's last heartbeat of progress: records so far and the rate, while it runs.
    ADD COLUMN records_seen      integer NOT NULL DEFAULT 0;

CREATE INDEX sync_jobs_unfinished ON sync_jobs (status, published_at) WHERE status IN ('queued', 'running');

-- Every record-level error and conflict of a job, in full (the API shows a sample).
CREATE TABLE sync_job_errors (
    id           bigserial   PRIMARY KEY,
    job_id       uuid        NOT NULL REFERENCES sync_jobs (id),
    org_id       uuid        NOT NULL,
    kind         text        NOT NULL DEFAULT 'error' CHECK (kind IN ('error', 'conflict')),
    external_id  text,
    message      text        NOT NULL,
    occurred_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sync_job_errors_job ON sync_job_errors (job_id, id);

-- Events written in the same transaction as the change they report, relayed to the Redis event
-- stream afterwards and deleted once relayed: a crash between the two loses nothing.
CREATE TABLE event_outbox (
    id          uuid        PRIMARY KEY,
    org_id      uuid        NOT NULL,
    type        text        NOT NULL,
    data        jsonb       NOT NULL,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    sequence    bigserial
);

CREATE INDEX event_outbox_order ON event_outbox (sequence);
