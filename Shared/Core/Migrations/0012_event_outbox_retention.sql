-- Redis is disposable: relayed outbox events are kept a while (HUB_SYNC_OUTBOX_RETENTION_MINUTES)
-- instead of being deleted as they are relayed, so when the hub:events stream is lost before
-- webhook-service consumed it (FLUSHALL, a restart without persistence, a failover), webhook-service
-- sets relayed_at back to NULL on every row still kept and the relay sends them again; EventStore
-- keeps one event per id, so those that had arrived already are absorbed.
ALTER TABLE event_outbox ADD COLUMN IF NOT EXISTS relayed_at timestamptz;

-- The relay takes the oldest rows not relayed yet, in sequence order, as before: this index holds
-- only those rows, so its scan never walks through the relayed ones kept for retention, and an
-- insert costs the same one entry that event_outbox_order cost.
CREATE INDEX IF NOT EXISTS event_outbox_pending ON event_outbox (sequence) WHERE relayed_at IS NULL;
DROP INDEX IF EXISTS event_outbox_order;

-- The prune reads relayed rows oldest first and stops at its batch; the resend after a loss reads
-- all of them. Rows enter this index when they are relayed.
CREATE INDEX IF NOT EXISTS event_outbox_relayed ON event_outbox (relayed_at) WHERE relayed_at IS NOT NULL;
