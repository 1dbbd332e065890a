import Foundation
import PostgresNIO

/// The accepting statement of `EventStore.accept`, prepared once per connection: it is sent with
/// every publish batch, and parsing and planning it anew each time was a third of PostgreSQL's
/// CPU under load.
struct AcceptStatement: PostgresPreparedStatement {
    static let name = "hub_webhook_accept_v1"

    typealias Row = (UUID, UUID?, UUID?, Bool?, Bool?, String?, String?, Data?, String?, Data?, UUID?, String?)

    static let bindingDataTypes: [PostgresDataType] = [
        .uuidArray, .uuidArray, .textArray, .textArray, .textArray, .textArray, .timestamptzArray, .uuidArray, .boolArray,
        .text, .float8, .uuid, .uuidArray, .uuid,
    ]

    static let sql = """
        WITH input AS (
            SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[],
                $8::uuid[], $9::bool[])
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
                CASE WHEN s.enabled THEN NULL ELSE $10::text END,
                CASE WHEN s.enabled THEN NULL ELSE now() END, now(),
                CASE WHEN c.claimed THEN now() + make_interval(secs => $11::float8) ELSE now() END,
                CASE WHEN c.claimed THEN $12::uuid END,
                CASE WHEN c.claimed THEN 1 ELSE 0 END
            FROM e JOIN input i ON i.id = e.id
            JOIN webhook_subscriptions s ON s.org_id = e.org_id AND s.deleted_at IS NULL
            CROSS JOIN LATERAL (
                SELECT i.claim AND $12::uuid IS NOT NULL AND s.enabled AND NOT (s.id = ANY($13::uuid[])) AS claimed) c
            WHERE CASE WHEN i.only_subscription <> $14::uuid THEN s.id = i.only_subscription
                ELSE EXISTS (SELECT 1 FROM unnest(s.event_types) f
                    WHERE f = '*' OR f = e.type OR (right(f, 2) = '.*' AND starts_with(e.type, left(f, -1)))) END
            RETURNING id, event_id, subscription_id, status, claim_token IS NOT NULL AS claimed
        )
        SELECT e.id, d.id, d.subscription_id, d.status = 'pending', d.claimed, s.url, s.secret_key_id, s.secret_ciphertext,
            CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret_key_id END,
            CASE WHEN s.previous_secret_expires_at > now() THEN s.previous_secret_ciphertext END, s.slack_connection_id, s.slack_channel
        FROM e LEFT JOIN d ON d.event_id = e.id
            LEFT JOIN webhook_subscriptions s ON s.id = d.subscription_id AND d.claimed
        """

    var events: [EventStore.NewEvent]
    var payloads: [String]
    var claim: [Bool]
    var ticket: DeliveryHandoff.Ticket?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: Self.bindingDataTypes.count)
        bindings.append(events.map(\.id))
        bindings.append(events.map(\.organizationID))
        bindings.append(events.map(\.type))
        bindings.append(payloads)
        bindings.append(events.map { $0.idempotencyKey ?? "" })
        bindings.append(events.map(\.source.rawValue))
        bindings.append(events.map(\.occurredAt))
        bindings.append(events.map { $0.onlySubscription ?? EventStore.noSubscription })
        bindings.append(claim)
        bindings.append(WebhookSubscription.disabledError)
        bindings.append(ticket?.leaseSeconds ?? 0)
        bindings.append(ticket?.token)
        bindings.append(ticket?.saturated ?? [])
        bindings.append(EventStore.noSubscription)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
