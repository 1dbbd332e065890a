import Foundation
import HubCore
import Logging
import PostgresNIO

/// Accepts events: the event row and one delivery per matching subscription are written by one
/// statement (the outbox), so an accepted event always has its deliveries, and a crash either
/// keeps both or neither. Idempotent on the event id (stream events) and on the organization's
/// idempotency key (API events).
public struct EventStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public enum Source: String, Sendable {
        case api
        case hub
        case test
    }

    public struct NewEvent: Sendable {
        public var id: UUID
        public var organizationID: UUID
        public var type: String
        public var data: JSONValue
        public var idempotencyKey: String?
        public var source: Source
        public var occurredAt: Date
        /// Only this subscription gets it, whatever its filters (test events).
        public var onlySubscription: UUID?

        public init(
            id: UUID = UUID(), organizationID: UUID, type: String, data: JSONValue, idempotencyKey: String? = nil, source: Source,
            occurredAt: Date = Date(), onlySubscription: UUID? = nil
        ) {
            self.id = id
            self.organizationID = organizationID
            self.type = type
            self.data = data
            self.idempotencyKey = idempotencyKey
            self.source = source
            self.occurredAt = occurredAt
            self.onlySubscription = onlySubscription
        }
    }

    public func accept(_ event: NewEvent) async throws -> AcceptedEvent {
        try await client.withConnection { db in try await Self.accept(event, on: db, logger: logger) }
    }

    /// Accepts on `db` (inside a caller's transaction when the event reports a change made there).
    public static func accept(_ event: NewEvent, on db: PostgresConnection, logger: Logger) async throws -> AcceptedEvent {
        let payload = try EventPayload.encode(id: event.id, type: event.type, data: event.data, at: event.occurredAt)
        let rows = try await db.query(
            """
            WITH e AS (
                INSERT INTO webhook_events (id, org_id, type, payload, idempotency_key, source, created_at)
                VALUES (\(event.id), \(event.organizationID), \(event.type), \(payload), \(event.idempotencyKey), \(event.source.rawValue),
                    \(event.occurredAt))
                ON CONFLICT DO NOTHING
                RETURNING id, org_id, type, created_at
            ), d AS (
                INSERT INTO webhook_deliveries (id, org_id, subscription_id, event_id, event_type, status, last_error, failed_at, created_at)
                SELECT gen_random_uuid(), e.org_id, s.id, e.id, e.type,
                    CASE WHEN s.enabled THEN 'pending' ELSE 'failed' END,
                    CASE WHEN s.enabled THEN NULL ELSE 'the subscription is disabled' END,
                    CASE WHEN s.enabled THEN NULL ELSE now() END, now()
                FROM e JOIN webhook_subscriptions s ON s.org_id = e.org_id AND s.deleted_at IS NULL
                WHERE CASE WHEN \(event.onlySubscription)::uuid IS NOT NULL THEN s.id = \(event.onlySubscription)
                    ELSE EXISTS (SELECT 1 FROM unnest(s.event_types) f
                        WHERE f = '*' OR f = e.type OR (right(f, 2) = '.*' AND starts_with(e.type, left(f, -1)))) END
                RETURNING status
            )
            SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM d WHERE status = 'pending')
            """, logger: logger)
        var inserted = 0
        var pending = 0
        for try await (events, deliveries) in rows.decode((Int, Int).self) {
            inserted = events
            pending = deliveries
        }
        if inserted == 1 {
            return AcceptedEvent(id: event.id, type: event.type, createdAt: event.occurredAt, deliveries: pending, created: true)
        }
        guard let existing = try await existing(event, on: db, logger: logger) else {
            // The conflicting row belongs to another organization (a forged stream id): not this caller's event.
            throw APIError.conflict("an event with this id already exists", code: "event_id_conflict")
        }
        return existing
    }

    /// The event an earlier request already made (same id, or same idempotency key).
    static func existing(_ event: NewEvent, on db: PostgresConnection, logger: Logger) async throws -> AcceptedEvent? {
        let rows = try await db.query(
            """
            SELECT e.id, e.type, e.created_at, (SELECT count(*) FROM webhook_deliveries d WHERE d.event_id = e.id)::int
            FROM webhook_events e
            WHERE e.org_id = \(event.organizationID)
                AND (e.id = \(event.id) OR (\(event.idempotencyKey)::text IS NOT NULL AND e.idempotency_key = \(event.idempotencyKey)))
            LIMIT 1
            """, logger: logger)
        for try await (id, type, created, deliveries) in rows.decode((UUID, String, Date, Int).self) {
            return AcceptedEvent(id: id, type: type, createdAt: created, deliveries: deliveries, created: false)
        }
        return nil
    }
}
