import Foundation
import HubCore

/// A provider webhook as the organization sees it: what came in for which connection, and what
/// processing made of it (the outcome says what changed, or why nothing did).
public struct InboundEvent: Sendable, Encodable {
    public static let statuses = ["received", "processed", "ignored", "failed"]

    public var id: UUID
    public var connectionID: UUID
    public var provider: String
    /// The provider's own event id (Stripe `evt_…`, Shopify's webhook id; Plaid: the body's SHA-256).
    public var eventID: String
    public var eventType: String
    public var status: String
    public var attempts: Int
    public var outcome: String?
    public var receivedAt: Date
    public var processedAt: Date?

    enum CodingKeys: String, CodingKey {
        case id, provider, status, attempts, outcome
        case connectionID = "connection_id"
        case eventID = "event_id"
        case eventType = "event_type"
        case receivedAt = "received_at"
        case processedAt = "processed_at"
    }

    /// The page cursor key of a row (newest first).
    public static func cursorKey(_ event: InboundEvent) -> String {
        TimeOrderedCursor.key(createdAt: event.receivedAt, id: event.id)
    }
}

extension InboundEventStore {
    /// The organization's inbound events, newest first, optionally of one connection or status.
    public func list(organization: UUID, connection: UUID?, status: String?, page: PageRequest) async throws -> [InboundEvent] {
        let cursor = try TimeOrderedCursor.parse(page)
        let rows = try await client.query(
            """
            SELECT id, connection_id, provider, event_id, event_type, status, attempts, outcome, received_at, processed_at
            FROM inbound_events
            WHERE org_id = \(organization)
                AND (\(connection)::uuid IS NULL OR connection_id = \(connection))
                AND (\(status)::text IS NULL OR status = \(status))
                AND (\(cursor?.time)::timestamptz IS NULL OR (received_at, id) < (\(cursor?.time), \(cursor?.id)))
            ORDER BY received_at DESC, id DESC LIMIT \(page.limit + 1)
            """,
            logger: logger
        )
        var events: [InboundEvent] = []
        for try await (id, connection, provider, eventID, type, status, attempts, outcome, received, processed) in rows.decode(
            (UUID, UUID, String, String, String, String, Int, String?, Date, Date?).self
        ) {
            events.append(
                InboundEvent(
                    id: id,
                    connectionID: connection,
                    provider: provider,
                    eventID: eventID,
                    eventType: type,
                    status: status,
                    attempts: attempts,
                    outcome: outcome,
                    receivedAt: received,
                    processedAt: processed
                )
            )
        }
        return events
    }
}
