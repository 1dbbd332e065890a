-- A key's hooks used to be removed after its revocation committed, in a transaction of their own:
-- a crash or a failed statement between the two left a revoked key's hooks receiving events. The
-- revocation now removes them in its own transaction; this removes any left from before.
UPDATE webhook_deliveries SET status = 'cancelled', claim_token = NULL, last_error = 'the Zapier hook was removed'
WHERE status = 'pending' AND subscription_id IN (
    SELECT s.id FROM webhook_subscriptions s JOIN zapier_api_keys k ON k.id = s.zapier_key_id
    WHERE k.revoked_at IS NOT NULL AND s.deleted_at IS NULL
);
UPDATE webhook_subscriptions s SET deleted_at = now(), enabled = false, updated_at = now()
FROM zapier_api_keys k
WHERE k.id = s.zapier_key_id AND k.revoked_at IS NOT NULL AND s.deleted_at IS NULL;
