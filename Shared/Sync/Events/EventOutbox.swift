import Foundation
import HubConnections
import HubCore
import HubRedis
import Logging
import PostgresNIO

/// One event for the hub's event stream, written to the outbox first.
public struct OutboxEvent: Sendable, Equatable {
    public var id: UUID
    public var organizationID: UUID
    public var type: String
    public var data: JSONValue

    public init(id: UUID = .timeOrdered(), organizationID: UUID, type: String, data: JSONValue) {
        self.id = id
        self.organizationID = organizationID
        self.type = type
        self.data = data
    }
}

/// Events written in the same transaction as the change they report, then relayed to the event
/// stream (`hub:events`) and deleted. A crash before the relay loses nothing (the rows wait); a
/// crash after the `XADD` but before the delete sends the event again with the same id, which
/// consumers deduplicate: at least once, never lost.
public struct EventOutbox: Sendable {
    let client: PostgresClient
    let redis: RedisClient
    let logger: Logger

    public init(client: PostgresClient, redis: RedisClient, logger: Logger) {
        self.client = client
        self.redis = redis
        self.logger = logger
    }

    /// Writes events on `db`, the transaction of the change they report.
    public static func insert(_ events: [OutboxEvent], on db: PostgresConnection, logger: Logger) async throws {
        guard !events.isEmpty else { return }
        let ids = events.map(\.id)
        let organizations = events.map(\.organizationID)
        let types = events.map(\.type)
        let data = events.map { String(decoding: $0.data.encoded(), as: UTF8.self) }
        try await db.query(
            """
            INSERT INTO event_outbox (id, org_id, type, data)
            SELECT x.id, x.org, x.type, x.data::json FROM unnest(\(ids)::uuid[], \(organizations)::uuid[], \(types)::text[], \(data)::text[])
                AS x(id, org, type, data)
            """,
            logger: logger
        )
    }

    /// Moves up to `limit` of the oldest events to the stream; returns how many. Several relays
    /// may run at once: each takes rows the others have not locked.
    public func relay(limit: Int = 500) async throws -> Int {
        try await client.withTransaction(logger: logger) { db in
            let rows = try await db.query(
                """
                SELECT id, org_id, type, data::text, occurred_at FROM event_outbox
                ORDER BY sequence LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            )
            var ids: [UUID] = []
            var commands: [[RESPArgument]] = []
            let formatter = Date.ISO8601FormatStyle()
            for try await (id, org, type, data, occurred) in rows.decode((UUID, UUID, String, String, Date).self) {
                ids.append(id)
                commands.append([
                    "XADD", .string(HubEventPublisher.stream), "MAXLEN", "~", .integer(HubEventPublisher.maxLength), "*",
                    "id", .string("evt_" + id.uuidString.lowercased()), "type", .string(type),
                    "org_id", .string(org.uuidString.lowercased()), "data", .string(data),
                    "occurred_at", .string(formatter.format(occurred)),
                ])
            }
            guard !ids.isEmpty else { return 0 }
            for reply in try await redis.pipeline(commands) {
                if case .error(let message) = reply { throw RedisError.server(message) }
            }
            try await db.query("DELETE FROM event_outbox WHERE id = ANY(\(ids)::uuid[])", logger: logger)
            return ids.count
        }
    }
}
