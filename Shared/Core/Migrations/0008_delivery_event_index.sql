-- An event's deliveries by event: answering a repeated publish (same idempotency key or stream
-- id) counts the deliveries the first one made, which without this index read the whole
-- deliveries table, the largest the hub keeps.
CREATE INDEX webhook_deliveries_event ON webhook_deliveries (event_id);
