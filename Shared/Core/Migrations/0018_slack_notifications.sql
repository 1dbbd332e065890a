-- A subscription can post to a Slack channel through an organization's Slack connection instead
-- of calling a URL: its deliveries ride the same outbox, leases and retry schedule as webhooks
-- (one delivery per event, so one message per event however many attempts it takes). One per
-- connection; the webhook subscription API does not list them.
ALTER TABLE webhook_subscriptions
    ADD COLUMN IF NOT EXISTS slack_connection_id uuid,
    ADD COLUMN IF NOT EXISTS slack_channel text;

CREATE UNIQUE INDEX IF NOT EXISTS webhook_subscriptions_slack ON webhook_subscriptions (org_id, slack_connection_id)
    WHERE slack_connection_id IS NOT NULL AND deleted_at IS NULL;
