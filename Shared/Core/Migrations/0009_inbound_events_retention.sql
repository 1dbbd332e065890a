-- Retention of inbound provider events: the processors delete finished events (processed,
-- ignored, or failed for good: each has processed_at set when it finished) once they are older
-- than HUB_WEBHOOK_INBOUND_RETENTION_DAYS. Without this index every pass would read the whole
-- table, raw bodies and all; with it a pass reads only the rows it deletes. Rows still to
-- process are outside it, so the queue's index and the claim are unchanged.
CREATE INDEX IF NOT EXISTS inbound_events_finished ON inbound_events (processed_at) WHERE status <> 'received';
