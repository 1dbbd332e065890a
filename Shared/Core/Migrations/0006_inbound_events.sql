-- Inbound provider webhooks: each verified event, stored as received before it is acknowledged,
-- then processed off the request path. One row per connection the event was routed to.

CREATE TABLE inbound_events (
    id               uuid        PRIMARY KEY,
    org_id           uuid        NOT NULL,
    connection_id    uuid        NOT NULL REFERENCES connections (id),
    provider         text        NOT NULL,
    -- The provider's event id (Stripe `evt_…`, Shopify `X-Shopify-Webhook-Id`, Plaid: the
    -- body's SHA-256): a provider's retry of an event is acknowledged and not stored twice.
    event_id         text        NOT NULL,
    event_type       text        NOT NULL,
    -- The exact bytes received.
    body             bytea       NOT NULL,
    received_at      timestamptz NOT NULL DEFAULT now(),
    status           text        NOT NULL DEFAULT 'received'
                     CHECK (status IN ('received', 'processed', 'ignored', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    -- What processing did (records written, the sync triggered) or why it did nothing or failed.
    outcome          text,
    processed_at     timestamptz,
    UNIQUE (connection_id, event_id)
);

-- The processors' queue: what is waiting, oldest first.
CREATE INDEX inbound_events_due ON inbound_events (next_attempt_at, received_at) WHERE status = 'received';
-- The organization's view, newest first.
CREATE INDEX inbound_events_org ON inbound_events (org_id, received_at DESC, id DESC);
