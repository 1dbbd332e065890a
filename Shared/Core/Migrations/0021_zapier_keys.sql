-- Zapier: the hub is the API a Zapier app calls. Each organization's API keys for it (only the
-- SHA-256 of the key is kept; the key itself is shown once), REST hooks as webhook subscriptions
-- owned by the key that made them, polling by event type, and the idempotency keys of actions.

CREATE TABLE IF NOT EXISTS zapier_api_keys (
    id                uuid        PRIMARY KEY,
    org_id            uuid        NOT NULL,
    -- What Zapier's connection label shows (`GET …/zapier/me`): the hub keeps no organization names.
    organization_name text        NOT NULL,
    name              text,
    -- The key's first characters and last four, to tell keys apart in a list; never enough to use.
    prefix            text        NOT NULL,
    last4             text        NOT NULL,
    key_hash          bytea       NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    last_used_at      timestamptz,
    revoked_at        timestamptz
);

CREATE UNIQUE INDEX IF NOT EXISTS zapier_api_keys_hash ON zapier_api_keys (key_hash);
CREATE INDEX IF NOT EXISTS zapier_api_keys_org ON zapier_api_keys (org_id, created_at DESC, id DESC);

-- A REST hook is a subscription owned by the key that made it: Zapier unsubscribes it (DELETE, or a
-- 410 Gone from its URL), revoking the key removes it; the webhook subscription API does not list it.
ALTER TABLE webhook_subscriptions ADD COLUMN IF NOT EXISTS zapier_key_id uuid;

-- Polling a trigger reads an organization's latest events of one type.
CREATE INDEX IF NOT EXISTS webhook_events_org_type ON webhook_events (org_id, type, created_at DESC, id DESC);

-- An action sent again with the same Idempotency-Key: the same body answers the record the first
-- one wrote, a different body is refused. Written in the transaction that writes the record.
CREATE TABLE IF NOT EXISTS zapier_action_requests (
    org_id          uuid        NOT NULL,
    idempotency_key text        NOT NULL,
    request_hash    bytea       NOT NULL,
    record_id       uuid        NOT NULL,
    created         boolean     NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, idempotency_key)
);
