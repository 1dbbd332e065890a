-- An action's Idempotency-Key is kept 24 hours, as Stripe keeps its own: a repeat within them
-- answers the first record; afterwards the key is free again. Each write deletes its organization's
-- expired keys, oldest first, through this index, so the table holds about a day of actions.
CREATE INDEX IF NOT EXISTS zapier_action_requests_expiry ON zapier_action_requests (org_id, created_at);
