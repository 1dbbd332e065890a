-- Outbound webhooks: each organization's subscriptions, the events it accepted, one delivery per
-- (event, subscription) written in the same statement that accepts the event (the outbox), and
-- every attempt at sending it. webhook-service owns these tables.

CREATE TABLE webhook_subscriptions (
    id                         uuid        PRIMARY KEY,
    org_id                     uuid        NOT NULL,
    url                        text        NOT NULL,
    -- Filters: exact types, `<prefix>.*`, or `*`.
    event_types                text[]      NOT NULL,
    description                text,
    enabled                    boolean     NOT NULL DEFAULT true,
    -- The signing secret, sealed by the vault (never in clear); during a rotation the previous one
    -- stays valid until previous_secret_expires_at and both signatures are sent.
    secret_key_id              text        NOT NULL,
    secret_ciphertext          bytea       NOT NULL,
    previous_secret_key_id     text,
    previous_secret_ciphertext bytea,
    previous_secret_expires_at timestamptz,
    disabled_reason            text,
    disabled_at                timestamptz,
    -- When the current run of failed attempts began (cleared by a success): auto-disable measures it.
    failing_since              timestamptz,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    updated_at                 timestamptz NOT NULL DEFAULT now(),
    deleted_at                 timestamptz
);

CREATE INDEX webhook_subscriptions_org ON webhook_subscriptions (org_id, created_at DESC, id DESC) WHERE deleted_at IS NULL;

CREATE TABLE webhook_events (
    id              uuid        PRIMARY KEY,
    org_id          uuid        NOT NULL,
    type            text        NOT NULL,
    -- The exact body every delivery of this event sends, so each webhook-id always carries the same bytes.
    payload         text        NOT NULL,
    idempotency_key text,
    source          text        NOT NULL CHECK (source IN ('api', 'hub', 'test')),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX webhook_events_idempotency ON webhook_events (org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE webhook_deliveries (
    id               uuid        PRIMARY KEY,
    org_id           uuid        NOT NULL,
    subscription_id  uuid        NOT NULL REFERENCES webhook_subscriptions (id),
    event_id         uuid        NOT NULL REFERENCES webhook_events (id),
    event_type       text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'cancelled')),
    -- Attempts ever made (numbering webhook_attempts); budget_start is attempt_count when the
    -- delivery was last resent or recovered, so each resend gets the whole retry schedule again.
    attempt_count    integer     NOT NULL DEFAULT 0,
    budget_start     integer     NOT NULL DEFAULT 0,
    -- When a pending delivery is next due. A worker's claim moves it past the claim's lease, so the
    -- claims of a worker that crashed come back by themselves; claim_token fences late results.
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    claim_token      uuid,
    last_status_code integer,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    delivered_at     timestamptz,
    failed_at        timestamptz
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_subscription ON webhook_deliveries (subscription_id, created_at DESC, id DESC);

CREATE TABLE webhook_attempts (
    delivery_id  uuid        NOT NULL REFERENCES webhook_deliveries (id),
    attempt      integer     NOT NULL,
    org_id       uuid        NOT NULL,
    attempted_at timestamptz NOT NULL,
    status_code  integer,
    latency_ms   integer     NOT NULL,
    -- The first bytes of the response, for the delivery log.
    response_body text,
    error        text,
    PRIMARY KEY (delivery_id, attempt)
);
