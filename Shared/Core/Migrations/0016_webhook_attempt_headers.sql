-- The headers of each delivery attempt, for the delivery log: what the hub sent (content type,
-- user agent, the Standard Webhooks id, timestamp and signatures; never a secret) and what the
-- endpoint answered. JSON arrays of {"name", "value"} in order; null for older attempts.
ALTER TABLE webhook_attempts
    ADD COLUMN IF NOT EXISTS request_headers jsonb,
    ADD COLUMN IF NOT EXISTS response_headers jsonb;
