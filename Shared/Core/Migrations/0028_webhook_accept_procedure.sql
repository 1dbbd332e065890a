-- Accepting published events as a procedure, so that a publish can commit in the one round trip
-- that writes it. A statement run on its own is committed at the protocol's Sync, after its rows
-- may already have reached the client; the service hands claimed deliveries to its dispatcher
-- from those rows, so it could send deliveries of an event that a crash then left uncommitted.
-- That is why each accept was BEGIN, the statement and COMMIT: three round trips. Here the
-- procedure commits (when in_commit is set) before it answers, and the answer is one row of
-- arrays, since a procedure cannot return rows. Callers inside a transaction of their own pass
-- in_commit = false (with it set there, COMMIT fails: invalid transaction termination).
--
-- Absent values in the answer are the nil UUID, '' or an empty bytea (arrays are decoded without
-- NULL elements); an unknown event id is never the nil UUID.
CREATE PROCEDURE hub_webhook_accept(
    in_ids uuid[], in_org_ids uuid[], in_types text[], in_payloads text[], in_idempotency_keys text[],
    in_sources text[], in_created_ats timestamptz[], in_only_subscriptions uuid[], in_claims bool[],
    in_disabled_error text, in_lease_seconds float8, in_claim_token uuid, in_saturated uuid[],
    in_none uuid, in_commit bool,
    INOUT out_event_ids uuid[] DEFAULT NULL, INOUT out_delivery_ids uuid[] DEFAULT NULL,
    INOUT out_subscription_ids uuid[] DEFAULT NULL, INOUT out_pending bool[] DEFAULT NULL,
    INOUT out_claimed bool[] DEFAULT NULL, INOUT out_urls text[] DEFAULT NULL,
    INOUT out_key_ids text[] DEFAULT NULL, INOUT out_ciphertexts bytea[] DEFAULT NULL,
    INOUT out_previous_key_ids text[] DEFAULT NULL, INOUT out_previous_ciphertexts bytea[] DEFAULT NULL,
    INOUT out_slack_connections uuid[] DEFAULT NULL, INOUT out_slack_channels text[] DEFAULT NULL)
LANGUAGE plpgsql AS $$
BEGIN
    WITH input AS (
        SELECT * FROM unnest(in_ids, in_org_ids, in_types, in_payloads, in_idempotency_keys, in_sources, in_created_ats,
            in_only_subscriptions, in_claims)
            AS i (id, org_id, type, payload, idempotency_key, source, created_at, only_subscription, claim)
    ), e AS (
        INSERT INTO webhook_events (id, org_id, type, payload, idempotency_key, source, created_at)
        SELECT id, org_id, type, payload, nullif(idempotency_key, ''), source, created_at FROM input
        ON CONFLICT DO NOTHING
        RETURNING id, org_id, type
    ), d AS (
        INSERT INTO webhook_deliveries (
            id, org_id, subscription_id, event_id, event_type, status, last_error, failed_at, created_at,
            next_attempt_at, claim_token, attempt_count)
        SELECT hub_uuid_v7(), e.org_id, s.id, e.id, e.type,
            CASE WHEN s.enabled THEN 'pending' ELSE 'failed' END,
            CASE WHEN s.enabled THEN NULL ELSE in_disabled_error END,
            CASE WHEN s.enabled THEN NULL ELSE now() END, now(),
            CASE WHEN c.claimed THEN now() + make_interval(secs => in_lease_seconds) ELSE now() END,
            CASE WHEN c.claimed THEN in_claim_token END,
            CASE WHEN c.claimed THEN 1 ELSE 0 END
        FROM e JOIN input i ON i.id = e.id
        JOIN webhook_subscriptions s ON s.org_id = e.org_id AND s.deleted_at IS NULL
        CROSS JOIN LATERAL (
            SELECT i.claim AND in_claim_token IS NOT NULL AND s.enabled AND NOT (s.id = ANY(in_saturated)) AS claimed) c
        WHERE CASE WHEN i.only_subscription <> in_none THEN s.id = i.only_subscription
            ELSE EXISTS (SELECT 1 FROM unnest(s.event_types) f
                WHERE f = '*' OR f = e.type OR (right(f, 2) = '.*' AND starts_with(e.type, left(f, -1)))) END
        RETURNING id, event_id, subscription_id, status, claim_token IS NOT NULL AS claimed
    ), answer AS (
        SELECT e.id AS event_id, d.id AS delivery_id, d.subscription_id, d.status = 'pending' AS pending,
            d.claimed, s.url, s.secret_key_id, s.secret_ciphertext,
            CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret_key_id END AS previous_key_id,
            CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret_ciphertext END AS previous_ciphertext,
            s.slack_connection_id, s.slack_channel
        FROM e LEFT JOIN d ON d.event_id = e.id
            LEFT JOIN webhook_subscriptions s ON s.id = d.subscription_id AND d.claimed
    )
    -- One pass: every aggregate of a query sees its rows in the same order.
    SELECT coalesce(array_agg(event_id), '{}'), coalesce(array_agg(coalesce(delivery_id, in_none)), '{}'),
        coalesce(array_agg(coalesce(subscription_id, in_none)), '{}'), coalesce(array_agg(coalesce(pending, false)), '{}'),
        coalesce(array_agg(coalesce(claimed, false)), '{}'), coalesce(array_agg(coalesce(url, '')), '{}'),
        coalesce(array_agg(coalesce(secret_key_id, '')), '{}'), coalesce(array_agg(coalesce(secret_ciphertext, '')), '{}'),
        coalesce(array_agg(coalesce(previous_key_id, '')), '{}'), coalesce(array_agg(coalesce(previous_ciphertext, '')), '{}'),
        coalesce(array_agg(coalesce(slack_connection_id, in_none)), '{}'), coalesce(array_agg(coalesce(slack_channel, '')), '{}')
    INTO out_event_ids, out_delivery_ids, out_subscription_ids, out_pending, out_claimed, out_urls, out_key_ids,
        out_ciphertexts, out_previous_key_ids, out_previous_ciphertexts, out_slack_connections, out_slack_channels
    FROM answer;
    IF in_commit THEN
        COMMIT;
    END IF;
END
$$;
